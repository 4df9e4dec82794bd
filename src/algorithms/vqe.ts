/**
 * The variational quantum eigensolver on a qubit Hamiltonian: minimise E(θ) = ⟨ψ(θ)|H|ψ(θ)⟩ over the
 * parameters of a circuit.
 *
 * Two routes, one result type:
 * - {@link vqe}: exact state vector, L-BFGS with adjoint gradients (three circuit passes per gradient).
 * - {@link vqeOnBackend}: any {@link Backend}; energies from Backend.estimate and gradients by the
 *   parameter-shift rule (per gate: ∂E/∂θ_k = f_k [E(φ_k + π/2) − E(φ_k − π/2)] / 2 for a rotation
 *   exp(−iφ_k G/2) with φ_k = angle + f_k θ), which is exact for Pauli-generated gates.
 *
 * An optimiser that stops without meeting its tolerance raises ConvergenceError: an unconverged
 * energy is never returned as a result.
 */
import { estimateBatch, type Backend } from '../backends/backend.js';
import type { Circuit, Gate } from '../circuits/circuit.js';
import { ConvergenceError, InputError } from '../core/errors.js';
import { Random } from '../core/random.js';
import type { PauliSumData } from '../qubits/pauli-layout.js';
import { createEnergyEvaluator, type ComplexVector } from './adjoint.js';
import type { SectorSpace } from './sector.js';
import { circuitStatistics, type CircuitStatistics } from '../circuits/decompose.js';
import { minimizeLbfgs, type LbfgsOptions, type LbfgsResult } from './lbfgs.js';

/** Options shared by {@link vqe} and {@link vqeOnBackend}. */
export interface VqeOptions {
  /** Starting parameters (default: all zero, or random when `randomInitialScale` is set). */
  initialParameters?: ArrayLike<number>;
  /** Seed for random starting parameters (default 7). */
  seed?: number;
  /** When set (and no initialParameters), start from uniform random parameters in ±scale. */
  randomInitialScale?: number;
  /** Gradient-norm tolerance in Hartree per radian (default 1e-6). */
  gradientTolerance?: number;
  /** Energy-change tolerance in Hartree (default 1e-12). */
  energyTolerance?: number;
  /** Maximum optimiser iterations (default 2000). */
  maxIterations?: number;
  /** Further L-BFGS settings. */
  optimizer?: Omit<LbfgsOptions, 'gradientTolerance' | 'valueTolerance' | 'maxIterations'>;
  /** State the circuit acts on for the exact route (default |0…0⟩). */
  initialState?: ComplexVector;
  /**
   * Symmetry sector the circuit keeps (exact route only): simulate on the sector instead of the
   * full register when the circuit allows it (same result, much less work).
   */
  sector?: SectorSpace;
}

/** Result of a VQE optimisation. */
export interface VqeResult {
  /** Minimised ⟨H⟩ in Hartree (including the identity term of H). */
  energyHartree: number;
  /** Standard error of energyHartree (0 on an exact backend). */
  standardErrorHartree: number;
  /** Optimal parameters. */
  parameters: Float64Array;
  /** L-BFGS iterations. */
  iterations: number;
  /** Energy(+gradient) evaluations by the optimiser. */
  evaluations: number;
  /** Final gradient norm. */
  gradientNorm: number;
  /** Always true: unconverged runs throw ConvergenceError. */
  converged: true;
  /** Why the optimiser stopped ('gradient-norm' or 'value-change'). */
  stopReason: string;
  /** Number of qubits. */
  qubits: number;
  /** Compiled resource counts of the circuit. */
  circuit: CircuitStatistics;
  /** Backend name ('statevector-adjoint' for the exact route). */
  backend: string;
  /** Measurement shots spent (0 on an exact backend). */
  shots: number;
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
    const rng = new Random(options.seed ?? 7);
    for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-options.randomInitialScale, options.randomInitialScale);
  }
  return x;
}

function lbfgsSettings(options: VqeOptions): LbfgsOptions {
  return {
    ...options.optimizer,
    gradientTolerance: options.gradientTolerance ?? 1e-6,
    valueTolerance: options.energyTolerance ?? 1e-12,
    maxIterations: options.maxIterations ?? 2000,
  };
}

/** Throw ConvergenceError for an optimiser run that did not meet its tolerance. */
export function requireConverged(what: string, run: LbfgsResult): void {
  if (run.converged) return;
  throw new ConvergenceError(
    `${what}: the optimiser stopped (${run.reason}) after ${run.iterations} iterations with gradient norm ` +
      `${run.gradientNorm.toExponential(2)}`,
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
  const t0 = performance.now();
  const evaluator = createEnergyEvaluator(circuit, hamiltonian, {
    initialState: options.initialState,
    sector: options.sector,
  });
  const x0 = startParameters(circuit, options);
  const run = minimizeLbfgs((x, g) => evaluator.energyAndGradient(x, g), x0, lbfgsSettings(options));
  requireConverged('VQE', run);
  const backend = evaluator.sectorRestricted ? 'statevector-sector-adjoint' : 'statevector-adjoint';
  return vqeResult(run, circuit, { value: run.value, standardError: 0, shots: 0 }, backend, t0);
}

/** The result record of a converged run; `final` is the reported energy estimate. */
function vqeResult(
  run: LbfgsResult,
  circuit: Circuit,
  final: { value: number; standardError: number; shots: number },
  backend: string,
  startMilliseconds: number,
): VqeResult {
  return {
    energyHartree: final.value,
    standardErrorHartree: final.standardError,
    parameters: run.x,
    iterations: run.iterations,
    evaluations: run.evaluations,
    gradientNorm: run.gradientNorm,
    converged: true,
    stopReason: run.reason,
    qubits: circuit.nQubits,
    circuit: circuitStatistics(circuit),
    backend,
    shots: final.shots,
    wallTimeSeconds: (performance.now() - startMilliseconds) / 1000,
  };
}

/** Copy of `circuit` with gate k's fixed angle offset by `delta`. */
function shiftedCircuit(circuit: Circuit, k: number, delta: number): Circuit {
  const gates = circuit.gates.slice();
  const g = gates[k];
  gates[k] = { ...g, angle: g.angle + delta } as Gate;
  return { nQubits: circuit.nQubits, nParameters: circuit.nParameters, gates };
}

/**
 * VQE through a {@link Backend}: energies from Backend.estimate, gradients by the parameter-shift
 * rule (two estimates per parametrised gate). On an exact backend this converges like {@link vqe};
 * on a sampling backend choose tolerances above the shot noise.
 *
 * @throws ConvergenceError when the optimiser does not converge.
 */
export async function vqeOnBackend(
  hamiltonian: PauliSumData,
  circuit: Circuit,
  backend: Backend,
  options: VqeOptions = {},
): Promise<VqeResult> {
  const t0 = performance.now();
  if (options.initialState !== undefined) {
    throw new InputError('VQE on a backend: prepare the initial state with gates, not initialState');
  }
  const parametrised: number[] = [];
  circuit.gates.forEach((g, k) => {
    if (g.parameter >= 0) parametrised.push(k);
  });
  const plus = parametrised.map((k) => shiftedCircuit(circuit, k, Math.PI / 2));
  const minus = parametrised.map((k) => shiftedCircuit(circuit, k, -Math.PI / 2));
  let shots = 0;
  const evaluate = async (x: Float64Array, g: Float64Array): Promise<number> => {
    const [center] = await estimateBatch(backend, circuit, [x], hamiltonian);
    shots += center.shots;
    g.fill(0);
    for (let i = 0; i < parametrised.length; i++) {
      const gate = circuit.gates[parametrised[i]];
      const [ep] = await estimateBatch(backend, plus[i], [x], hamiltonian);
      const [em] = await estimateBatch(backend, minus[i], [x], hamiltonian);
      shots += ep.shots + em.shots;
      g[gate.parameter] += (gate.factor * (ep.value - em.value)) / 2;
    }
    return center.value;
  };
  const run = await minimizeLbfgsAsync(evaluate, startParameters(circuit, options), lbfgsSettings(options));
  requireConverged(`VQE on backend '${backend.name}'`, run);
  const final = await backend.estimate(circuit, run.x, hamiltonian);
  shots += final.shots;
  return vqeResult(run, circuit, { value: final.value, standardError: final.standardError, shots }, backend.name, t0);
}

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
): Promise<LbfgsResult> {
  const memo = new Map<string, { value: number; gradient: Float64Array }>();
  const key = (x: Float64Array): string => Array.from(x, (v) => v.toString()).join(',');
  class NeedEvaluation {
    constructor(readonly x: Float64Array) {}
  }
  for (;;) {
    let pending: NeedEvaluation | null = null;
    try {
      const result = minimizeLbfgs(
        (x, g) => {
          const hit = memo.get(key(x));
          if (hit === undefined) throw new NeedEvaluation(Float64Array.from(x));
          g.set(hit.gradient);
          return hit.value;
        },
        x0,
        options,
      );
      return result;
    } catch (e) {
      if (!(e instanceof NeedEvaluation)) throw e;
      pending = e;
    }
    const gradient = new Float64Array(x0.length);
    const value = await objective(pending.x, gradient);
    memo.set(key(pending.x), { value, gradient });
  }
}
