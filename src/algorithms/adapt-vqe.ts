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
 * Pools (spin orbitals interleaved, 2p = α, 2p+1 = β):
 * - 'fermionic': spin-conserving singles and doubles occupied → virtual, exp(θ(τ − τ†)).
 * - 'fermionic-generalized': the same over all mode pairs (generalised singles and doubles).
 * - 'qubit': the distinct single Pauli strings of the fermionic generators (each has an odd number of
 *   Y), exp(−iθP/2).
 */
import type { Circuit } from '../circuits/circuit.js';
import { circuitStatistics, type CircuitStatistics } from '../circuits/decompose.js';
import { ConvergenceError, InputError } from '../core/errors.js';
import type { MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';
import { hartreeFockModes, mapHamiltonian, occupationToQubitBits, type FermionMapping } from '../qubits/mappings.js';
import type { PauliSumData } from '../qubits/pauli-layout.js';
import { createAdjointEvaluator } from './adjoint.js';
import {
  excitationGenerator,
  pauliStringLabel,
  spinOrbitalExcitations,
  type RotationGenerator,
} from './excitations.js';
import { applyPauliSumKernel, pauliMatrixElement, realInner } from './kernels.js';
import { minimizeLbfgs, type LbfgsOptions } from './lbfgs.js';
import { basisStateEnergy, generatorCircuit } from './molecular-vqe.js';
import { requireConverged } from './vqe.js';

/** Operator pools of {@link runAdaptVqe}. */
export type AdaptPoolName = 'fermionic' | 'fermionic-generalized' | 'qubit';

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
  energyHartree: number;
  /** 0: exact state-vector energies. */
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
  /** Number of qubits. */
  qubits: number;
  /** Size of the operator pool. */
  poolSize: number;
  /** Compiled resource counts of the final circuit. */
  circuit: CircuitStatistics;
  /** The final circuit. */
  finalCircuit: Circuit;
  wallTimeSeconds: number;
}

/**
 * ADAPT-VQE on a qubit Hamiltonian with a given pool, starting from the basis state `referenceBits`.
 * @throws ConvergenceError when maxOperators is reached above the threshold or a re-optimisation fails.
 */
export function adaptVqe(
  hamiltonian: PauliSumData,
  pool: readonly RotationGenerator[],
  referenceBits: number,
  options: AdaptVqeOptions = {},
): AdaptVqeResult {
  const t0 = performance.now();
  const n = hamiltonian.nQubits;
  if (pool.length === 0) throw new InputError('ADAPT-VQE: the operator pool is empty');
  const threshold = options.gradientThreshold ?? 1e-3;
  const maxOperators = options.maxOperators ?? 200;
  const dim = 2 ** n;
  const hRe = new Float64Array(dim);
  const hIm = new Float64Array(dim);
  const chosen: RotationGenerator[] = [];
  const steps: AdaptStep[] = [];
  let parameters = new Float64Array(0);
  let circuit = generatorCircuit(chosen, n, referenceBits);
  let energy = basisStateEnergy(hamiltonian, referenceBits);
  let optimizerIterations = 0;
  let evaluations = 0;
  const poolGradients = new Float64Array(pool.length);

  for (;;) {
    // Pool gradients at the current state.
    const psi = createAdjointEvaluator(circuit, hamiltonian).state(parameters);
    applyPauliSumKernel(hamiltonian, psi.re, psi.im, hRe, hIm);
    energy = realInner(psi.re, psi.im, hRe, hIm);
    let norm2 = 0;
    let best = -1;
    for (let p = 0; p < pool.length; p++) {
      let g = 0;
      for (const term of pool[p].terms) {
        g += term.factor * pauliMatrixElement(hRe, hIm, term.x, term.z, psi.re, psi.im)[1];
      }
      poolGradients[p] = g;
      norm2 += g * g;
      if (best < 0 || Math.abs(g) > Math.abs(poolGradients[best])) best = p;
    }
    const norm = Math.sqrt(norm2);
    if (norm < threshold) {
      return {
        energyHartree: energy,
        standardErrorHartree: 0,
        parameters,
        operators: chosen.map((g) => g.label),
        steps,
        iterations: chosen.length,
        optimizerIterations,
        evaluations,
        poolGradientNorm: norm,
        converged: true,
        qubits: n,
        poolSize: pool.length,
        circuit: circuitStatistics(circuit),
        finalCircuit: circuit,
        wallTimeSeconds: (performance.now() - t0) / 1000,
      };
    }
    if (chosen.length >= maxOperators) {
      throw new ConvergenceError(
        `ADAPT-VQE: ${maxOperators} operators appended but the pool gradient norm is still ` +
          `${norm.toExponential(2)} (threshold ${threshold.toExponential(2)})`,
        { lastEnergyHartree: energy, iterations: chosen.length },
      );
    }
    chosen.push(pool[best]);
    circuit = generatorCircuit(chosen, n, referenceBits);
    const x0 = new Float64Array(chosen.length);
    x0.set(parameters);
    const evaluator = createAdjointEvaluator(circuit, hamiltonian);
    const run = minimizeLbfgs((x, g) => evaluator.energyAndGradient(x, g), x0, {
      valueTolerance: 1e-12,
      ...options.optimizer,
      gradientTolerance: options.optimizerGradientTolerance ?? 1e-6,
    });
    requireConverged(`ADAPT-VQE step ${chosen.length}`, run);
    parameters = run.x;
    optimizerIterations += run.iterations;
    evaluations += run.evaluations;
    steps.push({
      operator: pool[best].label,
      gradient: Math.abs(poolGradients[best]),
      poolGradientNorm: norm,
      energyHartree: run.value,
      optimizerIterations: run.iterations,
    });
  }
}

/**
 * The ADAPT operator pool for nModes spin orbitals under a mapping.
 * @throws InputError for an unknown pool name.
 */
export function adaptPool(
  name: AdaptPoolName,
  nModes: number,
  nAlpha: number,
  nBeta: number,
  mapping: FermionMapping,
): RotationGenerator[] {
  if (name !== 'fermionic' && name !== 'fermionic-generalized' && name !== 'qubit') {
    throw new InputError(`unknown ADAPT pool '${String(name)}' (use fermionic, fermionic-generalized or qubit)`);
  }
  const excitations = spinOrbitalExcitations(nModes, nAlpha, nBeta, { generalized: name === 'fermionic-generalized' });
  const fermionic = excitations.map((e) => excitationGenerator(e, mapping, nModes));
  if (name !== 'qubit') return fermionic;
  const seen = new Set<string>();
  const out: RotationGenerator[] = [];
  for (const g of fermionic) {
    for (const t of g.terms) {
      const key = `${t.x},${t.z}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // The sign of the factor only flips the parameter; use +1.
      out.push({ label: pauliStringLabel(t.x, t.z), terms: [{ x: t.x, z: t.z, factor: 1 }] });
    }
  }
  return out;
}

/** Options of {@link runAdaptVqe}. */
export interface RunAdaptVqeOptions extends AdaptVqeOptions {
  /** The molecular Hamiltonian (frozen core / active space already applied). */
  hamiltonian: MolecularHamiltonian;
  /** Pool (default 'fermionic'). */
  pool?: AdaptPoolName;
  /** Fermion-to-qubit mapping (default 'jordan-wigner'). */
  mapping?: FermionMapping;
}

/** Result of {@link runAdaptVqe}. */
export interface MolecularAdaptVqeResult extends AdaptVqeResult {
  pool: AdaptPoolName;
  mapping: FermionMapping;
  /** ⟨HF|H|HF⟩ in Hartree. */
  referenceEnergyHartree: number;
}

/**
 * ADAPT-VQE for a molecular Hamiltonian on the exact state vector.
 * @throws ConvergenceError when the threshold is not reached within maxOperators.
 */
export function runAdaptVqe(options: RunAdaptVqeOptions): MolecularAdaptVqeResult {
  const ham = options.hamiltonian;
  const mapping = options.mapping ?? 'jordan-wigner';
  const poolName = options.pool ?? 'fermionic';
  const nModes = 2 * ham.nOrbitals;
  const qubitHamiltonian = mapHamiltonian(ham, mapping);
  const referenceBits = occupationToQubitBits(hartreeFockModes(ham.nAlpha, ham.nBeta), nModes, mapping);
  const pool = adaptPool(poolName, nModes, ham.nAlpha, ham.nBeta, mapping);
  const result = adaptVqe(qubitHamiltonian, pool, referenceBits, options);
  return {
    ...result,
    pool: poolName,
    mapping,
    referenceEnergyHartree: basisStateEnergy(qubitHamiltonian, referenceBits),
  };
}
