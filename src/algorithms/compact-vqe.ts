/**
 * The compact hardware ansatz: the default VQE route on noisy emulators and IonQ devices.
 *
 * The circuit is grown by QEB-ADAPT (qubit-excitation pool, Jordan–Wigner; see adapt-vqe.ts) under a
 * two-qubit-gate budget and its parameters are optimised on the exact state vector; the circuit is
 * then compiled (Pauli rotations decomposed, peephole-optimised) and that compiled circuit — the one
 * whose gate counts are reported — is measured ONCE on the backend, with the backend's error
 * mitigation, for the energy and its error bar.
 *
 * Why the parameters come from the exact simulator rather than from an optimisation on the device:
 * (1) for the active spaces a noisy device can run (≤ 12 qubits) the exact optimisation is cheap,
 * while a parameter-shift optimisation on the device costs thousands of mitigated estimates;
 * (2) measured gradients carry shot noise that L-BFGS cannot use at the mHa level;
 * (3) symmetry post-selection makes the mitigated energy a ratio whose commutator expectations are
 * not its gradients (see mitigation/mitigated-estimator.ts), so ADAPT's pool gradients measured on
 * the device need not vanish at the optimum. Device noise is incoherent here (depolarising,
 * relaxation, readout), so it moves the measured energy, not the location of the optimum, and
 * mitigation removes the move. The label's error against full CI is then the ansatz error (reported
 * as `ansatzErrorHartree` when FCI is known to the caller) plus what mitigation leaves.
 */
import {
  compileToIonqNative,
  compiledGateCounts,
  decompose,
  optimizeCircuit,
  type Circuit,
  type IonqDevice,
} from '../circuits/index.js';
import { estimate, type BackendInfo, type Estimator } from '../backends/index.js';
import { InputError } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import type { FermionMapping } from '../qubits/index.js';
import { runAdaptVqe, type AdaptStopReason } from './adapt-vqe.js';
import { mapMolecule } from './molecular-vqe.js';

/** Default two-qubit-gate budget of the compact ansatz (fits LiH 2e/3o and H2O 4e/4o QEB circuits whole). */
export const DEFAULT_COMPACT_TWO_QUBIT_GATES = 64;

/** Options of {@link runCompactVqe}. */
export interface CompactVqeOptions {
  /** The molecular Hamiltonian (frozen core / active space applied). */
  hamiltonian: MolecularHamiltonian;
  /** Where the energy is measured. */
  backend: Estimator;
  /** Largest two-qubit-gate count of the compiled circuit (default {@link DEFAULT_COMPACT_TWO_QUBIT_GATES}). */
  maxTwoQubitGates?: number;
  /** Only 'jordan-wigner' (the qubit-excitation pool needs it). */
  mapping?: FermionMapping;
  /** Native gate family whose counts are reported for an IonQ device (default: none). */
  nativeDevice?: IonqDevice;
}

/** One- and two-qubit gate counts of the circuit a backend runs. */
export interface RunGateCounts {
  oneQubitGates: number;
  twoQubitGates: number;
  depth: number;
  /** IonQ native family when the counts are of native gates (GPI/GPI2 + MS or ZZ), else null (CNOT + one-qubit gates). */
  native: IonqDevice | null;
}

/** Result of {@link runCompactVqe}. */
export interface CompactVqeResult {
  /** Measured (mitigated when the backend mitigates) energy, Hartree. */
  energyHartree: number;
  standardErrorHartree: number;
  /** The unmitigated estimate from the same shots, when the backend mitigates. */
  rawEnergyHartree: number | null;
  /** ⟨ψ(θ)|H|ψ(θ)⟩ of the compact circuit on the exact state vector, Hartree. */
  exactEnergyHartree: number;
  parameters: Float64Array;
  operators: string[];
  stoppedBy: AdaptStopReason;
  maxTwoQubitGates: number;
  /** The compiled circuit that was measured. */
  compiledCircuit: Circuit;
  /** Gate counts of the compiled circuit (CNOT + one-qubit gates). */
  compiledGates: RunGateCounts;
  /** Native counts for an IonQ device, else null. */
  nativeGates: RunGateCounts | null;
  qubits: number;
  /** ADAPT steps plus L-BFGS iterations on the exact simulator. */
  iterations: number;
  optimizerIterations: number;
  backend: BackendInfo;
  /** Shots of the measurement. */
  shots: number;
}

/**
 * Compact QEB-ADAPT circuit from the exact simulator, measured on `backend` (see the file header).
 * @throws InputError for a mapping other than Jordan–Wigner or a bad budget.
 */
export async function runCompactVqe(options: CompactVqeOptions): Promise<CompactVqeResult> {
  const mapping = options.mapping ?? 'jordan-wigner';
  if (mapping !== 'jordan-wigner') {
    throw new InputError(`the compact ansatz (qubit excitations) needs the jordan-wigner mapping, not ${mapping}`);
  }
  const budget = options.maxTwoQubitGates ?? DEFAULT_COMPACT_TWO_QUBIT_GATES;
  const ham = options.hamiltonian;
  const adapt = runAdaptVqe({ hamiltonian: ham, pool: 'qeb', mapping, maxTwoQubitGates: budget, maxOperators: 400 });
  const compiled = optimizeCircuit(decompose(adapt.finalCircuit));
  const counts = compiledGateCounts(compiled);
  let nativeGates: RunGateCounts | null = null;
  if (options.nativeDevice !== undefined) {
    const n = compiledGateCounts(compileToIonqNative(compiled, { device: options.nativeDevice, parameters: adapt.parameters }));
    nativeGates = { oneQubitGates: n.oneQubit, twoQubitGates: n.twoQubit, depth: n.depth, native: options.nativeDevice };
  }
  const { hamiltonian } = mapMolecule(ham, mapping);
  const [r] = await estimate(options.backend, [{ circuit: compiled, observable: hamiltonian, parameterSets: [adapt.parameters] }]);
  const e = r.estimates[0] as (typeof r.estimates)[0] & { rawValue?: number };
  return {
    energyHartree: e.value,
    standardErrorHartree: e.standardError,
    rawEnergyHartree: e.rawValue ?? null,
    exactEnergyHartree: adapt.energyHartree,
    parameters: adapt.parameters,
    operators: adapt.operators,
    stoppedBy: adapt.stoppedBy,
    maxTwoQubitGates: budget,
    compiledCircuit: compiled,
    compiledGates: { oneQubitGates: counts.oneQubit, twoQubitGates: counts.twoQubit, depth: counts.depth, native: null },
    nativeGates,
    qubits: adapt.qubits,
    iterations: adapt.iterations,
    optimizerIterations: adapt.optimizerIterations,
    backend: { ...options.backend.info },
    shots: r.shots,
  };
}
