/**
 * The two primitives through which algorithms run circuits, split as in Qiskit's V2 primitives:
 *
 * - a {@link Sampler} runs a batch of circuits with bound parameters for some shots and returns
 *   counts (basis-state index → number of shots; qubit 0 is the least significant bit);
 * - an {@link Estimator} returns expectation values ⟨0|U(θ)† O U(θ)|0⟩ with standard errors for a
 *   batch of (circuit, observable, parameter sets).
 *
 * Both are asynchronous and job-shaped: `run(pubs, options)` returns a {@link Job} whose `result()`
 * is awaited, so one call can become one remote job (queued and billed once). Exact, shot-sampled,
 * noisy and remote execution are interchangeable behind these interfaces; an algorithm that wants
 * exact gradients asks for the optional {@link ExactGradientCapability} with
 * {@link hasExactGradient}, never for a flag.
 */
import type { Circuit, RotationGenerator } from '../circuits/index.js';
import type { PauliSumData, SectorSpace } from '../qubits/index.js';
import type { AdjointEvaluator, EnergyEvaluatorOptions } from './adjoint.js';
import type { GeneratorSpace } from './generator-space.js';

/** What ran a calculation, recorded in every result's provenance. */
export interface BackendInfo {
  /** Backend family, e.g. 'statevector' or 'shots'. */
  name: string;
  /** Version of the backend implementation (for the built-in simulators, qde's version). */
  version: string;
  /** Hardware device or simulator instance; null for the built-in simulators. */
  device: string | null;
  /** Noise model applied; null when noiseless. */
  noiseModel: string | null;
  /** Default shots per estimate or per circuit; null for exact estimates. */
  shots: number | null;
  /** Error mitigation applied; null when none. */
  mitigation: string | null;
}

/** A submitted unit of work; `result()` resolves when it has run. */
export interface Job<T> {
  /** Identifier of the job (unique within the backend instance). */
  readonly jobId: string;
  /** Waits for and returns the result. */
  result(): Promise<T>;
}

/** A job whose result is already known (local simulators run synchronously). */
export function completedJob<T>(jobId: string, value: T): Job<T> {
  const done = Promise.resolve(value);
  return { jobId, result: () => done };
}

/** One Sampler input: a circuit and the parameter vectors to bind, one run each. */
export interface SamplerPub {
  circuit: Circuit;
  /** Parameter vectors (default: one empty vector, for circuits without parameters). */
  parameterSets?: readonly ArrayLike<number>[];
  /** Shots for this pub (default: the run's shots). */
  shots?: number;
}

/** Options of one Sampler run. */
export interface SamplerRunOptions {
  /** Shots per circuit execution when a pub does not say (default: the sampler's). */
  shots?: number;
  /** Seed of this run's measurement randomness (default: continue the sampler's stream). */
  seed?: number;
}

/** Counts of one Sampler pub, per parameter set. */
export interface SamplerPubResult {
  /** Register size of the circuit. */
  nQubits: number;
  /** counts[s]: basis-state index → shots, for parameter set s. */
  counts: Map<number, number>[];
  /** Shots per parameter set. */
  shots: number;
}

/** Runs circuits and returns measured counts. */
export interface Sampler {
  readonly kind: 'sampler';
  readonly info: BackendInfo;
  /** Seed of the measurement randomness, when the sampler is seeded. */
  readonly seed?: number;
  /**
   * True for a noiseless simulator of the exact state: any circuit with the same output
   * distribution gives identically distributed counts, so an algorithm may send an equivalent
   * smaller circuit. Hardware and noisy samplers leave it unset.
   */
  readonly simulatesExactState?: boolean;
  run(pubs: readonly SamplerPub[], options?: SamplerRunOptions): Job<SamplerPubResult[]>;
}

/** An estimate of ⟨ψ(θ)|O|ψ(θ)⟩. */
export interface Estimate {
  /** The estimated expectation value (Hartree for a Hamiltonian). */
  value: number;
  /** Standard error of `value`; 0 for an exact backend. */
  standardError: number;
  /** Total measurement shots spent; 0 for an exact backend. */
  shots: number;
  /** Per measurement group (sampled estimates): mean, standard error and shots of each group. */
  groups?: { value: number; standardError: number; shots: number }[];
  /** The estimate before error mitigation (mitigating estimators only). */
  rawValue?: number;
  /** Standard error of `rawValue` (mitigating estimators only). */
  rawStandardError?: number;
}

/** One Estimator input: a circuit, an observable and the parameter vectors to evaluate it at. */
export interface EstimatorPub {
  circuit: Circuit;
  observable: PauliSumData;
  /** Parameter vectors (default: one empty vector, for circuits without parameters). */
  parameterSets?: readonly ArrayLike<number>[];
}

/** Options of one Estimator run. */
export interface EstimatorRunOptions {
  /** Shots per estimate (sampling estimators; default: the estimator's). */
  shots?: number;
  /** Seed of this run's measurement randomness (default: continue the estimator's stream). */
  seed?: number;
}

/** Estimates of one pub. */
export interface EstimatorPubResult {
  /** One estimate per parameter set. */
  estimates: Estimate[];
  /** Shots spent on this pub. */
  shots: number;
}

/** Returns expectation values with standard errors. */
export interface Estimator {
  readonly kind: 'estimator';
  readonly info: BackendInfo;
  /** Seed of the measurement randomness, when the estimator samples with a seed. */
  readonly seed?: number;
  run(pubs: readonly EstimatorPub[], options?: EstimatorRunOptions): Job<EstimatorPubResult[]>;
}

/** Runs one estimator call and returns its per-pub results. */
export async function estimate(
  estimator: Estimator,
  pubs: readonly EstimatorPub[],
  options?: EstimatorRunOptions,
): Promise<EstimatorPubResult[]> {
  return estimator.run(pubs, options).result();
}

/** The parameter sets of a pub, with the default of one empty vector. */
export function pubParameterSets(pub: { parameterSets?: readonly ArrayLike<number>[] }): readonly ArrayLike<number>[] {
  return pub.parameterSets ?? [EMPTY_PARAMETERS];
}

const EMPTY_PARAMETERS = new Float64Array(0);

/**
 * Options of every sampled backend spec: `allocation` splits the shots over measurement groups
 * ({@link SamplingEstimator}, default 'weighted'); `mitigation` lists error-mitigation methods, which
 * the algorithm stage applies (createMitigatedEstimator) — createEstimator alone ignores it.
 */
export interface SampledBackendOptions {
  allocation?: 'uniform' | 'weighted' | 'variance-optimal';
  mitigation?: ('readout' | 'zne' | 'symmetry')[];
}

/** A serialisable description of an estimator; {@link createEstimator} builds it. */
export type BackendSpec =
  | { name: 'statevector' }
  /** Shot sampler over the exact state with a {@link SamplingEstimator} on top. */
  | ({ name: 'shots'; shots: number; seed?: number } & SampledBackendOptions)
  /**
   * Noisy shot sampler (noise/noisy-sampler.ts) with a {@link SamplingEstimator} on top; `device` is
   * a preset name (aria-1, aria-2, forte-1, noiseless) or the path of a JSON noise model.
   */
  | ({ name: 'noisy'; device: string; shots: number; seed?: number; engine?: 'density-matrix' | 'trajectories' } & SampledBackendOptions)
  /**
   * IonQ's cloud (ionq/sampler.ts) with a {@link SamplingEstimator} on top; `target` is 'simulator',
   * 'qpu.aria-1', 'qpu.forte-1', …; `noiseModel` a noise model of the cloud simulator ('aria-1', …).
   * The API key comes from IONQ_API_KEY (never from the spec).
   */
  | ({ name: 'ionq'; target: string; shots: number; noiseModel?: string; seed?: number } & SampledBackendOptions);

/**
 * Optional capability of exact state-vector estimators: energies with exact gradients by the adjoint
 * method (sector-restricted when possible) and the exact ADAPT-VQE generator space. Algorithms test
 * for it with {@link hasExactGradient} and otherwise use parameter-shift stencils.
 */
export interface ExactGradientCapability {
  /** E(θ) and ∇E(θ) of ⟨ψ(θ)|H|ψ(θ)⟩ for one circuit (see createEnergyEvaluator). */
  energyEvaluator(
    circuit: Circuit,
    observable: PauliSumData,
    options?: EnergyEvaluatorOptions,
  ): AdjointEvaluator & { readonly sectorRestricted: boolean };
  /** The exact ADAPT space of a pool on a basis state (see createGeneratorSpace). */
  generatorSpace(
    observable: PauliSumData,
    pool: readonly RotationGenerator[],
    referenceBits: number,
    sector?: SectorSpace,
  ): GeneratorSpace;
}

/** Whether an estimator offers exact energies and gradients. */
export function hasExactGradient(estimator: Estimator): estimator is Estimator & ExactGradientCapability {
  const e = estimator as Partial<ExactGradientCapability>;
  return typeof e.energyEvaluator === 'function' && typeof e.generatorSpace === 'function';
}
