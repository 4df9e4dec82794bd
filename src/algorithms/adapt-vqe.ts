/**
 * ADAPT-VQE (Grimsley et al., Nat. Commun. 10, 3007 (2019); qubit pool: Tang et al., PRX Quantum 2,
 * 020310 (2021)).
 *
 * Start from the Hartree–Fock state. Each step evaluates, for every pool generator exp(θA) with
 * A = −(i/2) Σ_k f_k P_k appended at θ = 0, the energy gradient
 *
 *   ∂E/∂θ|₀ = ⟨ψ|[H, A]|ψ⟩ = 2 Re⟨Hψ|A|ψ⟩ = Σ_k f_k Im⟨Hψ|P_k|ψ⟩,
 *
 * appends the generator with the largest |gradient|, and re-optimises all parameters with L-BFGS
 * (warm start: previous optimum, new parameter 0). It stops when the Euclidean norm of the pool
 * gradient falls below the threshold (converged) or when maxOperators is reached (ConvergenceError).
 *
 * Two-qubit-gate budget (`maxTwoQubitGates`): the candidates are taken in order of decreasing
 * |gradient| and the first whose addition keeps the compiled circuit (decompose, then the peephole
 * optimiser) within the budget is appended. Only operators with |gradient| ≥ threshold/√(pool size)
 * are candidates (at least the largest one is whenever the norm is above the threshold, so without
 * a budget nothing changes); on a sampled backend they must also be `significance` standard errors
 * from zero. When no candidate fits, the run stops with stoppedBy 'two-qubit-budget' (a result, not
 * an error). The result reports the compiled one-/two-qubit counts and depth, and IonQ native counts
 * when a native device is given or the backend names an Aria or Forte device.
 *
 * Pools (spin orbitals interleaved, 2p = α, 2p+1 = β; see the circuit stage's `adaptPool`):
 * - 'fermionic': spin-conserving singles and doubles occupied → virtual, exp(θ(τ − τ†));
 * - 'fermionic-generalized' (default): the same over all mode pairs; the occupied → virtual pool
 *   stalls about 0.1–0.7 mHa above full CI for H2O, the generalised one reaches it;
 * - 'singlet', 'generalized-pair': the spin-adapted generators of the circuit stage;
 * - 'qubit': the distinct single Pauli strings of the fermionic generators (each has an odd number of
 *   Y), exp(−iθP/2);
 * - 'qeb': qubit excitations (Yordanov et al., Commun. Phys. 4, 228 (2021)), simulated in their
 *   Pauli-rotation form and compiled with their 2- and 13-CNOT circuits (Jordan–Wigner only).
 *
 * Tapering (`taper` of {@link runAdaptVqe}): the Hamiltonian and the reference go to the tapered
 * register; each pool string that commutes with every Z2 symmetry is carried over (a tapered Pauli
 * string is ±1 times one string, so the rotation form survives), generators with a string that does
 * not are dropped. The QEB compact circuits do not survive (tapering removes or rewrites the
 * excitation's qubits), so a tapered QEB pool is compiled from its Pauli rotations; tapering pays on
 * the sampled route (fewer qubits to measure and to suffer noise on), while the exact route already
 * simulates only the (Nα, Nβ) sector without it.
 *
 * Backends: on the exact state vector (the estimator's exact-gradient capability) the state, H and
 * the pool live on the (Nα, Nβ) sector when every pool operator keeps it (all fermionic pools, qeb),
 * otherwise on the full register. On any other estimator each step measures the pool gradients as
 * expectation values of the commutators (−i/2)[H, Σ_k f_k P_k] in one estimator call, and the
 * re-optimisation uses parameter-shift gradients.
 */
import {
  StateVectorSimulator,
  estimate,
  hasExactGradient,
  type BackendInfo,
  type Estimator,
} from '../backends/index.js';
import type { Circuit, IonqDevice } from '../circuits/index.js';
import { circuitStatistics, compiledGateCounts, compileToIonqNative, decompose, optimizeCircuit, type CircuitStatistics } from '../circuits/index.js';
import { adaptPool, rotationGeneratorCircuit, type AdaptPoolName, type RotationGenerator } from '../circuits/index.js';
import { ConvergenceError, InputError, parity32 } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import type { FermionMapping } from '../qubits/index.js';
import { PauliSum, particleSector, taper as taperOperator, type PauliSumData, type SectorSpace } from '../qubits/index.js';
import { minimizeLbfgs, type LbfgsOptions } from './lbfgs.js';
import { basisStateEnergy, mapMolecule } from './molecular-vqe.js';
import { requireConverged, vqeOnBackend } from './vqe.js';

/** Options of {@link adaptVqe}. */
export interface AdaptVqeOptions {
  /** Stop when ‖pool gradient‖₂ falls below this (Hartree per radian, default 1e-3). */
  gradientThreshold?: number;
  /** Largest number of operators appended (default 200). */
  maxOperators?: number;
  /** Gradient tolerance of each re-optimisation (default 1e-6). */
  optimizerGradientTolerance?: number;
  /** Further L-BFGS settings. */
  optimizer?: Omit<LbfgsOptions, 'gradientTolerance'>;
  /** Symmetry sector the pool keeps; when given (and applicable) ADAPT simulates only the sector. */
  sector?: SectorSpace;
  /**
   * Sampled runs only: stop when no pool gradient is more than this many standard errors from zero
   * (default 3), since smaller measured gradients cannot tell which operator to append.
   */
  significance?: number;
  /**
   * Largest number of two-qubit gates of the compiled circuit (decompose + peephole optimiser); an
   * operator is appended only if the circuit stays within it (default: no limit).
   */
  maxTwoQubitGates?: number;
  /** Also report IonQ native gate counts for this device family (default: from the backend's device name). */
  nativeDevice?: IonqDevice;
}

/** Why an ADAPT run stopped. */
export type AdaptStopReason = 'gradient-threshold' | 'significance' | 'two-qubit-budget';

/** One- and two-qubit gate counts and depth of a compiled circuit. */
export interface CompiledGates {
  oneQubit: number;
  twoQubit: number;
  depth: number;
}

/** One ADAPT step. */
export interface AdaptStep {
  /** Label of the operator appended in this step. */
  operator: string;
  /** |∂E/∂θ| of that operator when chosen. */
  gradient: number;
  /** Pool gradient norm before the step. */
  poolGradientNorm: number;
  /** Energy after re-optimisation, Hartree. */
  energyHartree: number;
  /** L-BFGS iterations of the re-optimisation. */
  optimizerIterations: number;
}

/** Result of ADAPT-VQE. */
export interface AdaptVqeResult {
  /** Final energy ⟨ψ|H|ψ⟩ in Hartree. */
  energyHartree: number;
  /** Standard error of energyHartree (0 on an exact backend). */
  standardErrorHartree: number;
  /** Optimal parameters, one per appended operator. */
  parameters: Float64Array;
  /** Labels of the appended operators in order (an operator may appear more than once). */
  operators: string[];
  /** Per-step record. */
  steps: AdaptStep[];
  /** Number of ADAPT steps (operators appended). */
  iterations: number;
  /** Total L-BFGS iterations over all re-optimisations. */
  optimizerIterations: number;
  /** Total energy(+gradient) evaluations. */
  evaluations: number;
  /** Pool gradient norm at the final state. */
  poolGradientNorm: number;
  /** Always true (otherwise ConvergenceError). */
  converged: true;
  /**
   * 'gradient-threshold': pool gradient norm below the threshold; 'significance': no sampled gradient
   * significant; 'two-qubit-budget': no candidate operator fits within maxTwoQubitGates.
   */
  stoppedBy: AdaptStopReason;
  /** The two-qubit-gate budget in force, null when none. */
  maxTwoQubitGates: number | null;
  /** Gate counts of the final circuit after decompose and the peephole optimiser (CNOT + one-qubit gates). */
  compiledGates: CompiledGates;
  /** Gate counts after compilation to IonQ native gates (MS or ZZ + GPI/GPI2), null without a native device. */
  nativeGates: (CompiledGates & { device: IonqDevice }) | null;
  /** Number of qubits. */
  qubits: number;
  /** Size of the operator pool. */
  poolSize: number;
  /** Compiled resource counts of the final circuit. */
  circuit: CircuitStatistics;
  /** The final circuit. */
  finalCircuit: Circuit;
  /** Whether the simulation was restricted to the (Nα, Nβ) sector. */
  sectorRestricted: boolean;
  /** The backend the energies and gradients came from. */
  backend: BackendInfo;
  /** Measurement shots spent in total (0 on an exact backend). */
  shots: number;
  /** Seed of the measurement randomness, null on an exact backend. */
  seed: number | null;
  /** Estimator calls (jobs) made; 0 on the exact route. */
  estimatorCalls: number;
  /** Wall time in seconds. */
  wallTimeSeconds: number;
}

/** What the ADAPT loop asks its driver for. */
type AdaptRequest =
  | { kind: 'gradients'; chosen: readonly number[]; parameters: Float64Array }
  | { kind: 'optimise'; chosen: readonly number[]; x0: Float64Array };

/** Energy and pool gradients at the current state (standard errors null when exact). */
interface GradientsAnswer {
  energy: number;
  energyStandardError: number;
  gradients: Float64Array;
  standardErrors: Float64Array | null;
}

/** A re-optimisation of all parameters. */
interface OptimiseAnswer {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
}

type AdaptAnswer = GradientsAnswer | OptimiseAnswer;

/** The outcome of the loop before the caller adds backend bookkeeping. */
interface AdaptOutcome {
  chosen: number[];
  parameters: Float64Array;
  energy: number;
  energyStandardError: number;
  norm: number;
  steps: AdaptStep[];
  optimizerIterations: number;
  evaluations: number;
  stoppedBy: AdaptStopReason;
}

/** Two-qubit gates of a circuit after decompose and the peephole optimiser. */
function optimisedCounts(circuit: Circuit): CompiledGates {
  const c = compiledGateCounts(optimizeCircuit(decompose(circuit)));
  return { oneQubit: c.oneQubit, twoQubit: c.twoQubit, depth: c.depth };
}

/** Circuit geometry the loop needs to apply a two-qubit-gate budget. */
interface BudgetContext {
  nQubits: number;
  referenceBits: number;
}

/**
 * The ADAPT loop, written once for the exact and the sampled routes: it yields what it needs
 * (pool gradients at the current parameters, a re-optimisation) and the route's driver answers.
 */
function* adaptLoop(
  pool: readonly RotationGenerator[],
  options: AdaptVqeOptions,
  context: BudgetContext,
): Generator<AdaptRequest, AdaptOutcome, AdaptAnswer> {
  if (pool.length === 0) throw new InputError('ADAPT-VQE: the operator pool is empty');
  const threshold = options.gradientThreshold ?? 1e-3;
  const maxOperators = options.maxOperators ?? 200;
  const significance = options.significance ?? 3;
  const budget = options.maxTwoQubitGates;
  if (budget !== undefined && (!Number.isInteger(budget) || budget < 0)) {
    throw new InputError(`ADAPT-VQE: maxTwoQubitGates must be a non-negative integer, got ${String(budget)}`);
  }
  const floor = threshold / Math.sqrt(pool.length);
  const chosen: number[] = [];
  const steps: AdaptStep[] = [];
  let parameters = new Float64Array(0);
  let optimizerIterations = 0;
  let evaluations = 0;
  for (;;) {
    const answer = (yield { kind: 'gradients', chosen, parameters }) as GradientsAnswer;
    const g = answer.gradients;
    let norm2 = 0;
    let best = 0;
    // Measured gradients within `significance` standard errors of zero cannot choose an operator.
    let significant = answer.standardErrors === null;
    for (let p = 0; p < pool.length; p++) {
      norm2 += g[p] * g[p];
      if (Math.abs(g[p]) > Math.abs(g[best])) best = p;
      if (answer.standardErrors !== null && Math.abs(g[p]) > significance * answer.standardErrors[p]) significant = true;
    }
    const norm = Math.sqrt(norm2);
    const stop = (stoppedBy: AdaptStopReason): AdaptOutcome => ({
      chosen,
      parameters,
      energy: answer.energy,
      energyStandardError: answer.energyStandardError,
      norm,
      steps,
      optimizerIterations,
      evaluations,
      stoppedBy,
    });
    if (norm < threshold) return stop('gradient-threshold');
    if (!significant) return stop('significance');
    if (budget !== undefined) {
      const fit = withinBudget(pool, chosen, g, answer.standardErrors, { floor, significance, budget, ...context });
      if (fit < 0) return stop('two-qubit-budget');
      best = fit;
    }
    if (chosen.length >= maxOperators) {
      throw new ConvergenceError(
        `ADAPT-VQE: ${maxOperators} operators appended but the pool gradient norm is still ` +
          `${norm.toExponential(2)} (threshold ${threshold.toExponential(2)})`,
        { lastEnergyHartree: answer.energy, iterations: chosen.length },
      );
    }
    chosen.push(best);
    const x0 = new Float64Array(chosen.length);
    x0.set(parameters);
    const run = (yield { kind: 'optimise', chosen, x0 }) as OptimiseAnswer;
    parameters = Float64Array.from(run.x);
    optimizerIterations += run.iterations;
    evaluations += run.evaluations;
    steps.push({
      operator: pool[best].label,
      gradient: Math.abs(g[best]),
      poolGradientNorm: norm,
      energyHartree: run.value,
      optimizerIterations: run.iterations,
    });
  }
}

/**
 * The pool operator with the largest |gradient| among the candidates (|g| ≥ floor, and significant
 * when standard errors are given) whose addition keeps the compiled two-qubit count within the
 * budget; −1 when none does.
 */
function withinBudget(
  pool: readonly RotationGenerator[],
  chosen: readonly number[],
  g: Float64Array,
  standardErrors: Float64Array | null,
  limits: BudgetContext & { floor: number; significance: number; budget: number },
): number {
  const candidates: number[] = [];
  for (let p = 0; p < pool.length; p++) {
    const a = Math.abs(g[p]);
    if (a < limits.floor) continue;
    if (standardErrors !== null && a <= limits.significance * standardErrors[p]) continue;
    candidates.push(p);
  }
  candidates.sort((a, b) => Math.abs(g[b]) - Math.abs(g[a]));
  const sequence = chosen.map((p) => pool[p]);
  for (const p of candidates) {
    const circuit = rotationGeneratorCircuit([...sequence, pool[p]], limits.nQubits, limits.referenceBits);
    if (optimisedCounts(circuit).twoQubit <= limits.budget) return p;
  }
  return -1;
}

/** IonQ native family named by a backend's device string ('aria-1', 'qpu.forte-1', …), if any. */
function nativeDeviceOf(device: string | null): IonqDevice | undefined {
  if (device === null) return undefined;
  if (/aria/i.test(device)) return 'aria';
  if (/forte/i.test(device)) return 'forte';
  return undefined;
}

/** The result record from a finished loop. */
function adaptResult(
  outcome: AdaptOutcome,
  pool: readonly RotationGenerator[],
  nQubits: number,
  referenceBits: number,
  how: { sectorRestricted: boolean; backend: BackendInfo; shots: number; seed: number | null; estimatorCalls: number; t0: number },
  options: AdaptVqeOptions,
): AdaptVqeResult {
  const circuit = rotationGeneratorCircuit(
    outcome.chosen.map((p) => pool[p]),
    nQubits,
    referenceBits,
  );
  const device = options.nativeDevice ?? nativeDeviceOf(how.backend.device);
  let nativeGates: AdaptVqeResult['nativeGates'] = null;
  if (device !== undefined) {
    const c = compiledGateCounts(compileToIonqNative(circuit, { device, parameters: outcome.parameters }));
    nativeGates = { device, oneQubit: c.oneQubit, twoQubit: c.twoQubit, depth: c.depth };
  }
  return {
    energyHartree: outcome.energy,
    standardErrorHartree: outcome.energyStandardError,
    parameters: outcome.parameters,
    operators: outcome.chosen.map((p) => pool[p].label),
    steps: outcome.steps,
    iterations: outcome.chosen.length,
    optimizerIterations: outcome.optimizerIterations,
    evaluations: outcome.evaluations,
    poolGradientNorm: outcome.norm,
    converged: true,
    stoppedBy: outcome.stoppedBy,
    maxTwoQubitGates: options.maxTwoQubitGates ?? null,
    compiledGates: optimisedCounts(circuit),
    nativeGates,
    qubits: nQubits,
    poolSize: pool.length,
    circuit: circuitStatistics(circuit),
    finalCircuit: circuit,
    sectorRestricted: how.sectorRestricted,
    backend: { ...how.backend },
    shots: how.shots,
    seed: how.seed,
    estimatorCalls: how.estimatorCalls,
    wallTimeSeconds: (performance.now() - how.t0) / 1000,
  };
}

/**
 * ADAPT-VQE on the exact state vector (adjoint gradients, sector simulation when `sector` applies),
 * for a qubit Hamiltonian and pool, from the basis state `referenceBits`.
 * @throws ConvergenceError when maxOperators is reached above the threshold or a re-optimisation fails.
 */
export function adaptVqe(
  hamiltonian: PauliSumData,
  pool: readonly RotationGenerator[],
  referenceBits: number,
  options: AdaptVqeOptions = {},
  estimator: Estimator & Pick<StateVectorSimulator, 'generatorSpace'> = new StateVectorSimulator(),
): AdaptVqeResult {
  const t0 = performance.now();
  const space = estimator.generatorSpace(hamiltonian, pool, referenceBits, options.sector);
  const loop = adaptLoop(pool, options, { nQubits: hamiltonian.nQubits, referenceBits });
  let request = loop.next();
  while (!request.done) {
    const r = request.value;
    if (r.kind === 'gradients') {
      const energy = space.prepare(r.chosen, r.parameters);
      const gradients = new Float64Array(pool.length);
      for (let p = 0; p < pool.length; p++) gradients[p] = space.poolGradient(p);
      request = loop.next({ energy, energyStandardError: 0, gradients, standardErrors: null });
    } else {
      const evaluator = space.evaluator(r.chosen);
      const run = minimizeLbfgs((x, g) => evaluator.energyAndGradient(x, g), r.x0, {
        valueTolerance: 1e-12,
        maxIterations: 5000,
        ...options.optimizer,
        gradientTolerance: options.optimizerGradientTolerance ?? 1e-6,
      });
      requireConverged(`ADAPT-VQE step ${r.chosen.length}`, run);
      request = loop.next(run);
    }
  }
  return adaptResult(request.value, pool, hamiltonian.nQubits, referenceBits, {
    sectorRestricted: space.sectorRestricted,
    backend: estimator.info,
    shots: 0,
    seed: null,
    estimatorCalls: 0,
    t0,
  }, options);
}

/**
 * The pool-gradient observables G_p = (−i/2)[H, Σ_k f_k P_k]: ⟨ψ|G_p|ψ⟩ is the energy gradient of
 * pool operator p appended at θ = 0 (see the file header).
 */
export function poolGradientObservables(hamiltonian: PauliSumData, pool: readonly RotationGenerator[]): PauliSum[] {
  const n = hamiltonian.nQubits;
  const h = new PauliSum(n, hamiltonian.x, hamiltonian.z, hamiltonian.coeffRe, hamiltonian.coeffIm);
  return pool.map((g) => {
    const a = PauliSum.fromTerms(
      n,
      g.terms.map((t) => ({ x: t.x, z: t.z, re: t.factor })),
    );
    return h.commutator(a).scale(0, -0.5).simplify().realPart();
  });
}

/**
 * ADAPT-VQE through any {@link Estimator}. With the exact-gradient capability it is {@link adaptVqe};
 * otherwise each step measures every pool gradient ⟨ψ|G_p|ψ⟩ (commutator observables, see
 * {@link poolGradientObservables}) together with the energy in ONE estimator call, and each
 * re-optimisation is a parameter-shift VQE. A sampled run stops when the gradient norm is below the
 * threshold or no pool gradient is more than `significance` standard errors from zero.
 * @throws ConvergenceError when maxOperators is reached or a re-optimisation fails.
 */
export async function adaptVqeOnBackend(
  hamiltonian: PauliSumData,
  pool: readonly RotationGenerator[],
  referenceBits: number,
  estimator: Estimator,
  options: AdaptVqeOptions = {},
): Promise<AdaptVqeResult> {
  if (hasExactGradient(estimator)) return adaptVqe(hamiltonian, pool, referenceBits, options, estimator);
  const t0 = performance.now();
  const n = hamiltonian.nQubits;
  const observables = poolGradientObservables(hamiltonian, pool);
  let shots = 0;
  let calls = 0;
  const loop = adaptLoop(pool, options, { nQubits: n, referenceBits });
  let request = loop.next();
  while (!request.done) {
    const r = request.value;
    const circuit = rotationGeneratorCircuit(
      r.chosen.map((p) => pool[p]),
      n,
      referenceBits,
    );
    if (r.kind === 'gradients') {
      const parameterSets = [r.parameters];
      const results = await estimate(estimator, [
        { circuit, observable: hamiltonian, parameterSets },
        ...observables.map((observable) => ({ circuit, observable, parameterSets })),
      ]);
      calls++;
      for (const x of results) shots += x.shots;
      const gradients = Float64Array.from(results.slice(1), (x) => x.estimates[0].value);
      const standardErrors = Float64Array.from(results.slice(1), (x) => x.estimates[0].standardError);
      const e = results[0].estimates[0];
      request = loop.next({ energy: e.value, energyStandardError: e.standardError, gradients, standardErrors });
    } else {
      const run = await vqeOnBackend(hamiltonian, circuit, estimator, {
        initialParameters: r.x0,
        gradientTolerance: options.optimizerGradientTolerance,
        optimizer: options.optimizer,
      });
      shots += run.shots;
      calls += run.estimatorCalls;
      request = loop.next({ x: run.parameters, value: run.energyHartree, iterations: run.iterations, evaluations: run.evaluations });
    }
  }
  return adaptResult(request.value, pool, n, referenceBits, {
    sectorRestricted: false,
    backend: estimator.info,
    shots,
    seed: estimator.seed ?? null,
    estimatorCalls: calls,
    t0,
  }, options);
}

/** Options of {@link runAdaptVqe}. */
export interface RunAdaptVqeOptions extends AdaptVqeOptions {
  /** The molecular Hamiltonian (frozen core / active space already applied). */
  hamiltonian: MolecularHamiltonian;
  /** Pool (default 'fermionic-generalized', the one that reaches full CI in our tests). */
  pool?: AdaptPoolName;
  /** Fermion-to-qubit mapping (default 'jordan-wigner'). */
  mapping?: FermionMapping;
  /** Simulate only the (Nα, Nβ) sector (default true; same numbers, far less work). */
  useSector?: boolean;
  /** Remove qubits by the Hamiltonian's Z2 symmetries (default false; see the file header). */
  taper?: boolean;
  /** Where to run; default: the exact state vector. */
  backend?: Estimator;
}

/** Result of {@link runAdaptVqe}. */
export interface MolecularAdaptVqeResult extends AdaptVqeResult {
  /** The operator pool used. */
  pool: AdaptPoolName;
  /** The fermion-to-qubit mapping used. */
  mapping: FermionMapping;
  /** ⟨HF|H|HF⟩ in Hartree. */
  referenceEnergyHartree: number;
  /** Whether the register was tapered (qubits then counts the tapered register). */
  tapered: boolean;
  /** Pool generators dropped because they break a tapering symmetry (0 without tapering). */
  droppedGenerators: number;
}

/** The pool on a tapered register: symmetry-breaking generators dropped, compact circuits dropped. */
function taperPool(
  pool: readonly RotationGenerator[],
  t: ReturnType<typeof taperOperator>,
  nQubits: number,
): RotationGenerator[] {
  const out: RotationGenerator[] = [];
  for (const g of pool) {
    if (!g.terms.every((term) => t.symmetries.every((sym) => parity32(term.x & sym.zMask) === 0))) continue;
    const terms = g.terms.map((term) => {
      const one = t.taperOther(PauliSum.fromTerms(nQubits, [{ x: term.x, z: term.z, re: term.factor }]));
      // A tapered string is ±(one string): the sign goes into the factor.
      if (one.x.length !== 1 || Math.abs(one.coeffIm[0]) > 1e-12) throw new InputError(`ADAPT-VQE: pool string of ${g.label} did not taper to one string`);
      return { x: one.x[0], z: one.z[0], factor: one.coeffRe[0] };
    });
    out.push({ label: g.label, terms });
  }
  return out;
}

/**
 * ADAPT-VQE for a molecular Hamiltonian. Without `backend` it runs on the exact state vector and
 * returns the result directly; with a backend it returns a promise (exact gradients when the backend
 * has them, measured commutator gradients and parameter-shift re-optimisation otherwise).
 * @throws ConvergenceError when the threshold is not reached within maxOperators.
 */
export function runAdaptVqe(options: RunAdaptVqeOptions & { backend?: undefined }): MolecularAdaptVqeResult;
export function runAdaptVqe(options: RunAdaptVqeOptions & { backend: Estimator }): Promise<MolecularAdaptVqeResult>;
export function runAdaptVqe(options: RunAdaptVqeOptions): MolecularAdaptVqeResult | Promise<MolecularAdaptVqeResult>;
export function runAdaptVqe(options: RunAdaptVqeOptions): MolecularAdaptVqeResult | Promise<MolecularAdaptVqeResult> {
  const ham = options.hamiltonian;
  const poolName = options.pool ?? 'fermionic-generalized';
  const mapped = mapMolecule(ham, options.mapping);
  const { mapping, nModes } = mapped;
  let qubitHamiltonian: PauliSum = mapped.hamiltonian;
  let referenceBits = mapped.referenceBits;
  const fullPool = adaptPool(poolName, ham.nOrbitals, ham.nAlpha, ham.nBeta, mapping);
  let pool = fullPool;
  let sector = options.useSector === false ? undefined : particleSector(nModes, ham.nAlpha, ham.nBeta, mapping);
  if (options.taper === true) {
    const t = taperOperator(qubitHamiltonian, { hfBits: referenceBits });
    pool = taperPool(fullPool, t, nModes);
    qubitHamiltonian = t.operator;
    referenceBits = t.taperBits(referenceBits);
    sector = undefined;
  }
  const finish = (result: AdaptVqeResult): MolecularAdaptVqeResult => ({
    ...result,
    pool: poolName,
    mapping,
    referenceEnergyHartree: basisStateEnergy(qubitHamiltonian, referenceBits),
    tapered: options.taper === true,
    droppedGenerators: fullPool.length - pool.length,
  });
  const adaptOptions = { ...options, sector };
  if (options.backend === undefined) return finish(adaptVqe(qubitHamiltonian, pool, referenceBits, adaptOptions));
  return adaptVqeOnBackend(qubitHamiltonian, pool, referenceBits, options.backend, adaptOptions).then(finish);
}
