/**
 * The result core: every method's result extends {@link EnergyResult} — energy, standard error,
 * iterations, wall time and provenance (qde version, the resolved spec, the backend, the seed).
 *
 * Results are plain data: numbers are finite (checked before a result is returned), arrays are
 * `number[]` (never typed arrays), absent values are `null` (never `undefined`), so
 * `JSON.parse(JSON.stringify(result))` deep-equals the result. This record is what a dataset stores
 * as the label of one geometry. Energies in Hartree, times in seconds.
 */
import { requireFinite } from '../core/index.js';
import type { FermionMapping } from '../qubits/index.js';
import type { AdaptPoolName, AnsatzName } from '../algorithms/index.js';
import type { BackendInfo } from '../backends/index.js';
import type { MethodName, ResolvedMethodSpec } from './spec.js';

/** Where a result came from. */
export interface Provenance {
  qdeVersion: string;
  /** The spec with every default filled in. */
  spec: ResolvedMethodSpec;
  /** What ran the circuits (quantum methods), else null. */
  backend: BackendInfo | null;
  /** Seed of every random choice. */
  seed: number;
}

/** The fields every method's result has. */
export interface EnergyResult {
  method: MethodName;
  /** Total energy (ground state), Hartree. */
  energyHartree: number;
  /** Standard error of the energy, Hartree (0 when deterministic). */
  standardErrorHartree: number;
  /** Always true: a calculation that does not converge throws instead. */
  converged: true;
  /** Iterations of the method that produced the energy (SCF cycles for hf/uhf, 0 when not iterative). */
  iterations: number;
  /** Wall time of the whole calculation, seconds. */
  wallTimeSeconds: number;
  provenance: Provenance;
}

/** The system the energy belongs to. Molecule fields are null for a Hamiltonian input. */
export interface SystemInfo {
  /** Hill formula of the molecule, or null. */
  formula: string | null;
  /** Basis-set name as the library reports it (e.g. 'STO-3G'), or null. */
  basis: string | null;
  nBasis: number | null;
  /** All electrons of the molecule; the Hamiltonian's electrons for a Hamiltonian input. */
  nElectrons: number;
  nuclearRepulsionHartree: number | null;
  charge: number | null;
  multiplicity: number | null;
  /** The constant of a given Hamiltonian (e.g. an FCIDUMP core energy), else null. */
  coreEnergyHartree: number | null;
}

/** The mean-field reference the correlation energy is measured from. */
export interface ReferenceInfo {
  /** SCF variant, or 'determinant' for a given Hamiltonian (its lowest determinant). */
  kind: 'rhf' | 'uhf' | 'rohf' | 'determinant';
  energyHartree: number;
  /** SCF iterations (0 for 'determinant'). */
  iterations: number;
  /** ⟨S²⟩ of the SCF determinant (0 for RHF), or null for 'determinant'. */
  s2: number | null;
}

/** The correlated orbital space. */
export interface OrbitalSpace {
  /**
   * Which orbitals span it: canonical RHF or ROHF orbitals, UHF α orbitals, both UHF spin-orbital
   * sets (UMP2), or those of a given Hamiltonian.
   */
  orbitals: 'rhf' | 'rohf' | 'uhf-alpha' | 'uhf' | 'given';
  /** Doubly occupied orbitals left uncorrelated (null for a given Hamiltonian). */
  frozenOrbitals: number | null;
  activeElectrons: number;
  activeOrbitals: number;
}

/** Gate counts of a compiled circuit (CNOT + one-qubit gates). */
export interface CircuitCounts {
  depth: number;
  oneQubitGates: number;
  twoQubitGates: number;
}

/**
 * Gate counts of the circuit a backend actually runs (the noise a label suffers is the noise of
 * this circuit): CNOT + one-qubit gates after compilation, or IonQ native gates (`native` names
 * the family: GPI/GPI2 + MS on Aria, + ZZ on Forte).
 */
export interface LabelGateCounts {
  oneQubitGates: number;
  twoQubitGates: number;
  native: 'aria' | 'forte' | null;
}

/** Fields every molecular result has. */
export interface MolecularEnergyResult extends EnergyResult {
  system: SystemInfo;
  reference: ReferenceInfo;
}

/** hf (RHF) or uhf. */
export interface ScfMethodResult extends MolecularEnergyResult {
  method: 'hf' | 'uhf';
}

/** Fields of every correlated method. */
export interface CorrelatedResult extends MolecularEnergyResult {
  space: OrbitalSpace;
  /** Energy minus the reference energy, Hartree. */
  correlationEnergyHartree: number;
}

export interface Mp2MethodResult extends CorrelatedResult {
  method: 'mp2';
  /** 'rmp2' on RHF orbitals, 'ump2' on UHF spin orbitals. */
  variant: 'rmp2' | 'ump2';
  sameSpinCorrelationHartree: number;
  oppositeSpinCorrelationHartree: number;
}

export interface CcsdMethodResult extends CorrelatedResult {
  method: 'ccsd';
  t1Diagnostic: number;
}

export interface CcsdTMethodResult extends CorrelatedResult {
  method: 'ccsd(t)';
  ccsdEnergyHartree: number;
  triplesCorrectionHartree: number;
  t1Diagnostic: number;
}

/** One FCI state. */
export interface FciRoot {
  root: number;
  energyHartree: number;
  s2: number;
  /** Orbital-symmetry label of the state (XOR of orbital labels; 0 without symmetry). */
  symmetry: number;
}

export interface FciMethodResult extends CorrelatedResult {
  method: 'fci';
  /** ⟨S²⟩ of the ground state. */
  s2: number;
  /** Determinants of the whole (Nα, Nβ) space. */
  determinants: number;
  /** Determinants solved for after orbital-symmetry blocking. */
  symmetryDeterminants: number;
  orbitalSymmetry: { source: 'orbsym' | 'detected' | 'none'; irreps: number };
  /** Every requested root, ascending. */
  roots: FciRoot[];
}

/** Fields of every quantum method. */
export interface QuantumResult extends CorrelatedResult {
  mapping: FermionMapping;
  /** FCI energy of the same orbital space (null above the FCI limit), Hartree. */
  referenceFciHartree: number | null;
  /** Qubits of the register the algorithm runs on. */
  qubits: number;
  parameters: number;
  tapered: boolean;
  circuit: CircuitCounts;
  /** Gate counts of the circuit run on the backend (see {@link LabelGateCounts}). */
  compiledGates: LabelGateCounts;
  /** Why ADAPT stopped ('gradient-threshold', 'significance', 'two-qubit-budget'); null for other methods. */
  stoppedBy: string | null;
  /** Measurement shots spent in total (0 on the exact state vector). */
  shots: number;
  /** The energy before error mitigation, Hartree (present when mitigation was applied). */
  rawEnergyHartree?: number;
}

export interface VqeMethodResult extends QuantumResult {
  method: 'vqe';
  ansatz: AnsatzName | 'compact';
  /** 'compact': the QEB operators of the circuit, in order. */
  operators?: string[];
  /** 'compact': ⟨ψ|H|ψ⟩ of the circuit on the exact simulator (the ansatz's own energy), Hartree. */
  exactEnergyHartree?: number;
}

export interface AdaptVqeMethodResult extends QuantumResult {
  method: 'adapt-vqe';
  pool: AdaptPoolName;
  /** Labels of the appended operators, in order. */
  operators: string[];
  /** L-BFGS iterations over all re-optimisations (`iterations` counts ADAPT steps). */
  optimizerIterations: number;
}

export interface QpeMethodResult extends QuantumResult {
  method: 'qpe';
  /** System qubits (`qubits` includes the phase ancilla). */
  systemQubits: number;
  /** Stated accuracy of the energy, Hartree. */
  resolutionHartree: number;
  phaseBits: number;
  trotterSteps: number;
  successProbability: number;
}

/** The result of any method. `circuit` of qpe counts one controlled Trotter step. */
export type MethodResult =
  | ScfMethodResult
  | Mp2MethodResult
  | CcsdMethodResult
  | CcsdTMethodResult
  | FciMethodResult
  | VqeMethodResult
  | AdaptVqeMethodResult
  | QpeMethodResult;

/**
 * Throw unless every number in `value` (recursively) is finite and no value is `undefined`: the last
 * line of defence before a result leaves the method layer.
 * @throws ConvergenceError naming the field of a non-finite number
 */
export function requirePlainFiniteData(value: unknown, path: string): void {
  if (typeof value === 'number') {
    requireFinite(value, path);
  } else if (value === undefined) {
    throw new TypeError(`${path} is undefined in a result`);
  } else if (ArrayBuffer.isView(value)) {
    throw new TypeError(`${path} is a typed array in a result`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => requirePlainFiniteData(v, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) requirePlainFiniteData(v, `${path}.${k}`);
  }
}
