/**
 * The variational quantum eigensolver on a qubit Hamiltonian: minimise E(θ) = ⟨ψ(θ)|H|ψ(θ)⟩ over the
 * parameters of a circuit with L-BFGS, on any {@link Estimator}.
 *
 * Gradients:
 * - an estimator with the exact-gradient capability (the state-vector backend) gives E and ∇E by the
 *   adjoint method — three circuit passes per gradient, on the (Nα, Nβ) sector when possible;
 * - any other estimator gets one parameter-shift stencil per gradient, sent as ONE estimator call:
 *   per parametrised gate k, ∂E/∂θ_p(k) += f_k [E(φ_k + π/2) − E(φ_k − π/2)] / 2 for a rotation
 *   exp(−iφ_k G/2) with φ_k = angle + f_k θ, exact for Pauli-generated gates. Unless given, the
 *   tolerances are set from the shot noise at the start point: gradient tolerance 3 standard errors
 *   of the gradient norm, energy tolerance 2 standard errors of the energy. Every stencil is run
 *   with the same seed (common random numbers): on a seeded sampler the sampled energy is then one
 *   fixed function of θ whose differences between nearby points carry far less noise than
 *   independent samples, so the line search can make progress; a line search that still finds no
 *   acceptable point restarts L-BFGS from its best point with the next seed (at most 5 times). The
 *   reported energy is a fresh, independent estimate at the optimum (its own derived seed, so it
 *   never reuses the stencils' random numbers).
 *
 * `optimizerMethod: 'spsa'` replaces L-BFGS by SPSA (spsa.ts) on any estimator: two energies per
 * iteration in one estimator call, no gradient circuits, stopped by an iteration or shot budget;
 * the reported energy is again a fresh estimate at the averaged final parameters.
 *
 * An optimiser that stops without meeting its tolerance raises ConvergenceError: an unconverged
 * energy is never returned as a result.
 */
import {
  StateVectorSimulator,
  estimate,
  hasExactGradient,
  type BackendInfo,
  type Estimate,
  type Estimator,
  type EstimatorRunOptions,
  type StateVector,
} from '../backends/index.js';
import type { Circuit, Gate } from '../circuits/index.js';
import { ConvergenceError, InputError } from '../core/index.js';
import { DEFAULT_SEED, Random } from '../core/index.js';
import type { PauliSumData, SectorSpace } from '../qubits/index.js';
import { circuitStatistics, type CircuitStatistics } from '../circuits/index.js';
import { minimizeLbfgs, type LbfgsOptions, type LbfgsResult } from './lbfgs.js';
import { derivedSeed, minimizeSpsa, type SpsaOptions } from './spsa.js';

/** Options shared by {@link vqe} and {@link vqeOnBackend}. */
export interface VqeOptions {
  /** Starting parameters (default: all zero, or random when `randomInitialScale` is set). */
  initialParameters?: ArrayLike<number>;
  /** Seed for random starting parameters (default {@link DEFAULT_SEED}). */
  seed?: number;
  /** When set (and no initialParameters), start from uniform random parameters in ±scale. */
  randomInitialScale?: number;
  /** Gradient-norm tolerance in Hartree per radian (default 1e-6); see {@link VQE_CONVERGENCE}. */
  gradientTolerance?: number;
  /** Energy change in Hartree allowed over the last few iterations (default 1e-10); see {@link VQE_CONVERGENCE}. */
  energyTolerance?: number;
  /** Maximum optimiser iterations (default 2000). */
  maxIterations?: number;
  /** Further L-BFGS settings (`onIteration` also reports SPSA iterations). */
  optimizer?: Omit<LbfgsOptions, 'gradientTolerance' | 'valueTolerance' | 'maxIterations'>;
  /** 'lbfgs' (default) or 'spsa' (for noisy objectives; see the module header). */
  optimizerMethod?: 'lbfgs' | 'spsa';
  /** SPSA settings (maxIterations defaults to `maxIterations`, else 300; seed to `seed`). */
  spsa?: SpsaOptions;
  /** Shots of the final, independent energy estimate on a sampling estimator (default: the estimator's). */
  finalShots?: number;
  /** State the circuit acts on for the exact route (default |0…0⟩). */
  initialState?: StateVector;
  /**
   * Symmetry sector the circuit keeps (exact route only): simulate on the sector instead of the
   * full register when the circuit allows it (same result, much less work).
   */
  sector?: SectorSpace;
}

/** How a VQE obtained its gradients. */
export type GradientMethod = 'adjoint' | 'sector-adjoint' | 'parameter-shift' | 'spsa';

/** Result of a VQE optimisation. */
export interface VqeResult {
  /** Minimised ⟨H⟩ in Hartree (including the identity term of H). */
  energyHartree: number;
  /** The same estimate before error mitigation (equal to energyHartree when none was applied). */
  rawEnergyHartree: number;
  /** Standard error of energyHartree (0 on an exact backend). */
  standardErrorHartree: number;
  /** Optimal parameters. */
  parameters: Float64Array;
  /** Optimiser iterations. */
  iterations: number;
  /** The optimiser: 'lbfgs' or 'spsa'. */
  optimizer: 'lbfgs' | 'spsa';
  /** Energy(+gradient) evaluations by the optimiser. */
  evaluations: number;
  /** Final gradient norm. */
  gradientNorm: number;
  /** Always true: unconverged runs throw ConvergenceError. */
  converged: true;
  /** Why the optimiser stopped ('gradient-norm' or 'value-change'; SPSA: 'max-iterations' or 'shot-budget'). */
  stopReason: string;
  /** Number of qubits. */
  qubits: number;
  /** Compiled resource counts of the circuit. */
  circuit: CircuitStatistics;
  /** The backend the energies came from. */
  backend: BackendInfo;
  /** How gradients were obtained: adjoint (full register or sector) or parameter shift. */
  gradientMethod: GradientMethod;
  /** Measurement shots spent in total (0 on an exact backend). */
  shots: number;
  /** Seed of the measurement randomness, null on an exact backend. */
  seed: number | null;
  /** Estimator calls (jobs) made; 0 on the exact adjoint route. */
  estimatorCalls: number;
  /** Wall time in seconds. */
  wallTimeSeconds: number;
}

function startParameters(circuit: Circuit, options: VqeOptions): Float64Array {
  if (options.initialParameters !== undefined) {
    if (options.initialParameters.length !== circuit.nParameters) {
      throw new InputError(
        `VQE: ${options.initialParameters.length} initial parameters given, the circuit has ${circuit.nParameters}`,
      );
    }
    return Float64Array.from(options.initialParameters);
  }
  const x = new Float64Array(circuit.nParameters);
  if (options.randomInitialScale !== undefined) {
    const rng = new Random(options.seed ?? DEFAULT_SEED);
    for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-options.randomInitialScale, options.randomInitialScale);
  }
  return x;
}

/**
 * When a VQE energy counts as converged (exact route; Hartree and Hartree per radian). Either
 * - the gradient norm is at most `gradientNormHartree` (1e-6), or
 * - the energy changed by at most `energyChangeHartree` (1e-10) over the last `energyWindowIterations`
 *   (5) optimiser iterations while the gradient norm is at most `windowGradientNormHartree` (1e-4).
 * The second branch accepts energies converged far below any chemical resolution in over-parametrised
 * circuits (e.g. two-layer UCCSD), whose flat valleys leave gradient norms of 1e-6…1e-5 at the
 * round-off floor of the energy. Sampled routes raise the tolerances to the shot noise.
 */
export const VQE_CONVERGENCE = {
  gradientNormHartree: 1e-6,
  energyChangeHartree: 1e-10,
  energyWindowIterations: 5,
  windowGradientNormHartree: 1e-4,
} as const;

function lbfgsSettings(options: VqeOptions): LbfgsOptions {
  return {
    valueWindow: VQE_CONVERGENCE.energyWindowIterations,
    windowGradientTolerance: VQE_CONVERGENCE.windowGradientNormHartree,
    ...options.optimizer,
    gradientTolerance: options.gradientTolerance ?? VQE_CONVERGENCE.gradientNormHartree,
    valueTolerance: options.energyTolerance ?? VQE_CONVERGENCE.energyChangeHartree,
    maxIterations: options.maxIterations ?? 2000,
  };
}

/**
 * Throw ConvergenceError for an optimiser run that did not meet its tolerance. The rule itself is
 * applied by the optimiser (minimizeLbfgs, with the {@link VQE_CONVERGENCE} settings for VQE); the
 * message reports both quantities it tests, the gradient norm and the recent energy change.
 */
export function requireConverged(what: string, run: LbfgsResult): void {
  if (run.converged) return;
  const recent = Number.isFinite(run.windowValueChange)
    ? `; energy change over the last ${run.windowSteps} iterations ${run.windowValueChange.toExponential(2)} Eh`
    : '';
  throw new ConvergenceError(
    `${what}: the optimiser stopped (${run.reason}) after ${run.iterations} iterations with gradient norm ` +
      `${run.gradientNorm.toExponential(2)}${recent}`,
    { lastEnergyHartree: run.value, lastEnergyChangeHartree: run.lastValueChange, iterations: run.iterations },
  );
}

/**
 * Exact VQE: minimise ⟨ψ(θ)|H|ψ(θ)⟩ with L-BFGS and adjoint gradients on the state vector.
 *
 * @param hamiltonian qubit Hamiltonian (Hermitian Pauli sum, identity term = constant energy).
 * @param circuit parametrised circuit; parametrised gates must be Pauli rotations (RX/RY/RZ/pauliRotation).
 * @throws ConvergenceError when the optimiser does not converge.
 */
export function vqe(hamiltonian: PauliSumData, circuit: Circuit, options: VqeOptions = {}): VqeResult {
  return vqeExact(hamiltonian, circuit, new StateVectorSimulator(), options);
}

function vqeExact(
  hamiltonian: PauliSumData,
  circuit: Circuit,
  estimator: Estimator & { energyEvaluator: StateVectorSimulator['energyEvaluator'] },
  options: VqeOptions,
): VqeResult {
  const t0 = performance.now();
  const evaluator = estimator.energyEvaluator(circuit, hamiltonian, {
    initialState: options.initialState,
    sector: options.sector,
  });
  const x0 = startParameters(circuit, options);
  const run = minimizeLbfgs((x, g) => evaluator.energyAndGradient(x, g), x0, lbfgsSettings(options));
  requireConverged('VQE', run);
  return vqeResult(run, circuit, {
    final: { value: run.value, standardError: 0, shots: 0 },
    backend: estimator.info,
    gradientMethod: evaluator.sectorRestricted ? 'sector-adjoint' : 'adjoint',
    seed: null,
    estimatorCalls: 0,
    startMilliseconds: t0,
  });
}

/** The result record of a converged run; `final` is the reported energy estimate. */
function vqeResult(
  run: Pick<LbfgsResult, 'x' | 'iterations' | 'evaluations' | 'gradientNorm'> & { reason: string },
  circuit: Circuit,
  how: {
    final: Estimate;
    backend: BackendInfo;
    gradientMethod: GradientMethod;
    seed: number | null;
    estimatorCalls: number;
    startMilliseconds: number;
  },
): VqeResult {
  return {
    energyHartree: how.final.value,
    rawEnergyHartree: how.final.rawValue ?? how.final.value,
    standardErrorHartree: how.final.standardError,
    parameters: run.x,
    iterations: run.iterations,
    optimizer: how.gradientMethod === 'spsa' ? 'spsa' : 'lbfgs',
    evaluations: run.evaluations,
    gradientNorm: run.gradientNorm,
    converged: true,
    stopReason: run.reason,
    qubits: circuit.nQubits,
    circuit: circuitStatistics(circuit),
    backend: { ...how.backend },
    gradientMethod: how.gradientMethod,
    shots: how.final.shots,
    seed: how.seed,
    estimatorCalls: how.estimatorCalls,
    wallTimeSeconds: (performance.now() - how.startMilliseconds) / 1000,
  };
}

/** Copy of `circuit` with gate k's fixed angle offset by `delta`. */
function shiftedCircuit(circuit: Circuit, k: number, delta: number): Circuit {
  const gates = circuit.gates.slice();
  const g = gates[k];
  gates[k] = { ...g, angle: g.angle + delta } as Gate;
  return { nQubits: circuit.nQubits, nParameters: circuit.nParameters, gates };
}

/** The circuits of a parameter-shift stencil, built once per circuit. */
export interface ParameterShiftStencil {
  readonly circuit: Circuit;
  /** Indices of the parametrised gates. */
  readonly gates: readonly number[];
  /** circuit, then for each parametrised gate the +π/2 and −π/2 shifted circuits. */
  readonly circuits: readonly Circuit[];
}

/** The stencil circuits of {@link parameterShiftGradient}. */
export function parameterShiftStencil(circuit: Circuit): ParameterShiftStencil {
  const gates: number[] = [];
  circuit.gates.forEach((g, k) => {
    if (g.parameter >= 0) gates.push(k);
  });
  const circuits: Circuit[] = [circuit];
  for (const k of gates) circuits.push(shiftedCircuit(circuit, k, Math.PI / 2), shiftedCircuit(circuit, k, -Math.PI / 2));
  return { circuit, gates, circuits };
}

/** Energy and gradient from one stencil evaluation. */
export interface ParameterShiftResult {
  /** E(θ) with its standard error and shots. */
  energy: Estimate;
  /** ∂E/∂θ. */
  gradient: Float64Array;
  /** Standard error of each gradient component (0 on an exact estimator). */
  gradientStandardError: Float64Array;
  /** Shots spent on the whole stencil. */
  shots: number;
}

/**
 * E(θ) and ∇E(θ) by the parameter-shift rule with ONE estimator call: the stencil's 1 + 2·(number
 * of parametrised gates) circuits go out as one batch of pubs.
 */
export async function parameterShiftGradient(
  estimator: Estimator,
  hamiltonian: PauliSumData,
  stencil: ParameterShiftStencil | Circuit,
  parameters: ArrayLike<number>,
  runOptions?: EstimatorRunOptions,
): Promise<ParameterShiftResult> {
  const s = 'circuits' in stencil ? stencil : parameterShiftStencil(stencil);
  const x = Float64Array.from(parameters);
  const results = await estimate(
    estimator,
    s.circuits.map((circuit) => ({ circuit, observable: hamiltonian, parameterSets: [x] })),
    runOptions,
  );
  const nParameters = s.circuit.nParameters;
  const gradient = new Float64Array(nParameters);
  const variance = new Float64Array(nParameters);
  let shots = 0;
  for (const r of results) shots += r.shots;
  for (let i = 0; i < s.gates.length; i++) {
    const gate = s.circuit.gates[s.gates[i]];
    const ep = results[1 + 2 * i].estimates[0];
    const em = results[2 + 2 * i].estimates[0];
    gradient[gate.parameter] += (gate.factor * (ep.value - em.value)) / 2;
    variance[gate.parameter] += ((gate.factor / 2) ** 2) * (ep.standardError ** 2 + em.standardError ** 2);
  }
  return { energy: results[0].estimates[0], gradient, gradientStandardError: variance.map(Math.sqrt), shots };
}

function estimatorSeed(estimator: Estimator): number | null {
  return estimator.seed ?? null;
}

/**
 * VQE through an {@link Estimator}: adjoint gradients when the estimator has the exact-gradient
 * capability, else parameter-shift stencils (one estimator call each). On a sampling estimator the
 * tolerances default to the shot noise (see the file header).
 *
 * @throws ConvergenceError when the optimiser does not converge.
 */
export async function vqeOnBackend(
  hamiltonian: PauliSumData,
  circuit: Circuit,
  estimator: Estimator,
  options: VqeOptions = {},
): Promise<VqeResult> {
  if (options.optimizerMethod === 'spsa') return vqeSpsa(hamiltonian, circuit, estimator, options);
  if (options.optimizerMethod !== undefined && options.optimizerMethod !== 'lbfgs') {
    throw new InputError(`VQE: unknown optimizer '${String(options.optimizerMethod)}' (use lbfgs or spsa)`);
  }
  if (hasExactGradient(estimator)) return vqeExact(hamiltonian, circuit, estimator, options);
  const t0 = performance.now();
  if (options.initialState !== undefined) {
    throw new InputError('VQE on a backend: prepare the initial state with gates, not initialState');
  }
  const stencil = parameterShiftStencil(circuit);
  const baseSeed = estimatorSeed(estimator) ?? 1;
  let shots = 0;
  let calls = 0;
  let memo = new Map<string, { value: number; gradient: Float64Array }>();
  // Common random numbers: every stencil of one L-BFGS run is sampled with the same seed.
  let stencilRun: EstimatorRunOptions = { seed: baseSeed };
  const evaluate = async (x: Float64Array): Promise<ParameterShiftResult> => {
    const r = await parameterShiftGradient(estimator, hamiltonian, stencil, x, stencilRun);
    shots += r.shots;
    calls++;
    memo.set(pointKey(x), { value: r.energy.value, gradient: r.gradient });
    return r;
  };
  let x = startParameters(circuit, options);
  const start = await evaluate(x);
  const settings = lbfgsSettings(options);
  // Tolerances below the shot noise cannot be met: default them to the noise at the start point.
  let gradientNoise = 0;
  for (const e of start.gradientStandardError) gradientNoise += e * e;
  const noisy = gradientNoise > 0 || start.energy.standardError > 0;
  if (options.gradientTolerance === undefined) settings.gradientTolerance = Math.max(settings.gradientTolerance!, 3 * Math.sqrt(gradientNoise));
  if (options.energyTolerance === undefined) settings.valueTolerance = Math.max(settings.valueTolerance!, 2 * start.energy.standardError);
  // The value criterion may fire anywhere the gradient is within its noise.
  if (noisy) Object.assign(settings, { windowGradientTolerance: settings.gradientTolerance });
  const objective = async (at: Float64Array, g: Float64Array): Promise<number> => {
    const r = await evaluate(at);
    g.set(r.gradient);
    return r.energy.value;
  };
  let run = await minimizeLbfgsAsync(objective, x, settings, memo);
  let iterations = run.iterations;
  let evaluations = run.evaluations;
  // Shot noise can leave a line search without an acceptable point: restart from the best point
  // with fresh curvature and a fresh sample of the noise.
  for (let restart = 1; noisy && !run.converged && run.reason === 'line-search-failed' && restart <= MAX_NOISY_RESTARTS; restart++) {
    x = run.x;
    memo = new Map();
    stencilRun = { seed: baseSeed + restart };
    run = await minimizeLbfgsAsync(objective, x, settings, memo);
    iterations += run.iterations;
    evaluations += run.evaluations;
  }
  run = { ...run, iterations, evaluations };
  requireConverged(`VQE on backend '${estimator.info.name}'`, run);
  // A fresh estimate at the optimum: the optimiser's own value is biased low by the selection, and
  // the stencils' seeds would replay their random numbers.
  const [final] = await estimate(estimator, [{ circuit, observable: hamiltonian, parameterSets: [run.x] }], {
    seed: derivedSeed(baseSeed, FINAL_ESTIMATE_STREAM),
    shots: options.finalShots,
  });
  calls++;
  shots += final.shots;
  return vqeResult(run, circuit, {
    final: { ...final.estimates[0], shots },
    backend: estimator.info,
    gradientMethod: 'parameter-shift',
    seed: estimatorSeed(estimator),
    estimatorCalls: calls,
    startMilliseconds: t0,
  });
}

/** L-BFGS restarts of a sampled VQE whose line search found no acceptable point. */
const MAX_NOISY_RESTARTS = 5;

/** Stream number of the seed of the final, independent energy estimate. */
const FINAL_ESTIMATE_STREAM = 1;

/**
 * VQE by SPSA through any estimator: each iteration is one estimator call with the two perturbed
 * parameter vectors as parameter sets; the energy reported is a fresh estimate (derived seed) at
 * the averaged final parameters. SPSA stops by budget, so the result counts as converged.
 */
async function vqeSpsa(hamiltonian: PauliSumData, circuit: Circuit, estimator: Estimator, options: VqeOptions): Promise<VqeResult> {
  const t0 = performance.now();
  if (options.initialState !== undefined) {
    throw new InputError('VQE with SPSA: prepare the initial state with gates, not initialState');
  }
  let calls = 0;
  const objective = async (points: readonly Float64Array[]): Promise<{ values: number[]; shots: number }> => {
    const [r] = await estimate(estimator, [{ circuit, observable: hamiltonian, parameterSets: points }]);
    calls++;
    return { values: r.estimates.map((e) => e.value), shots: r.shots };
  };
  const run = await minimizeSpsa(objective, startParameters(circuit, options), {
    maxIterations: options.maxIterations ?? 300,
    seed: options.seed,
    onIteration: options.optimizer?.onIteration,
    ...options.spsa,
  });
  const seed = estimatorSeed(estimator);
  const [final] = await estimate(estimator, [{ circuit, observable: hamiltonian, parameterSets: [run.x] }], {
    seed: derivedSeed(seed ?? 1, FINAL_ESTIMATE_STREAM),
    shots: options.finalShots,
  });
  calls++;
  return vqeResult(run, circuit, {
    final: { ...final.estimates[0], shots: run.shots + final.shots },
    backend: estimator.info,
    gradientMethod: 'spsa',
    seed,
    estimatorCalls: calls,
    startMilliseconds: t0,
  });
}

const pointKey = (x: Float64Array): string => Array.from(x, (v) => v.toString()).join(',');

/**
 * L-BFGS over an asynchronous objective. The synchronous optimiser is replayed: every evaluation
 * it requests is computed asynchronously, memoised by the point, and the optimiser is rerun from the
 * start with the memo until it needs no new point. Each rerun costs only memo look-ups, and the
 * result is bit-identical to a synchronous run.
 */
async function minimizeLbfgsAsync(
  objective: (x: Float64Array, g: Float64Array) => Promise<number>,
  x0: Float64Array,
  options: LbfgsOptions,
  memo: Map<string, { value: number; gradient: Float64Array }>,
): Promise<LbfgsResult> {
  class NeedEvaluation {
    constructor(readonly x: Float64Array) {}
  }
  for (;;) {
    let pending: NeedEvaluation | null = null;
    try {
      return minimizeLbfgs(
        (x, g) => {
          const hit = memo.get(pointKey(x));
          if (hit === undefined) throw new NeedEvaluation(Float64Array.from(x));
          g.set(hit.gradient);
          return hit.value;
        },
        x0,
        options,
      );
    } catch (e) {
      if (!(e instanceof NeedEvaluation)) throw e;
      pending = e;
    }
    const gradient = new Float64Array(x0.length);
    const value = await objective(pending.x, gradient);
    memo.set(pointKey(pending.x), { value, gradient });
  }
}
