/**
 * Molecule-level VQE: MolecularHamiltonian → qubit Hamiltonian (mapping, optional Z2 tapering) →
 * ansatz circuit on the Hartree–Fock reference (built by the circuit stage) → {@link vqeOnBackend}
 * (adjoint gradients on the exact state vector, parameter shift on any other Estimator).
 *
 * Ansätze (spin orbitals interleaved, 2p = α, 2p+1 = β):
 * - 'uccsd': one Trotter step of spin-orbital singles then doubles (occupied → virtual). Its error
 *   against full CI is that of the singles-and-doubles manifold, not of the optimiser: for N2/STO-3G
 *   with a frozen core it stays about 2.1 mHa above full CI whatever the ordering, start or number of
 *   Trotter steps (LiH, H2O, BeH2: below 0.4 mHa);
 * - 'uccsd-singlet': spin-adapted singlet generators (closed shell);
 * - 'kupccgsd': k layers of generalised pair doubles and spin-adapted generalised singles;
 * - 'hea': hardware-efficient RY·RZ layers with a linear CNOT ladder on the HF state.
 * With tapering, the Hamiltonian, the generators and the reference state are carried to the
 * tapered register and generators that break a symmetry are dropped.
 * Without tapering, the exact route simulates only the (Nα, Nβ) sector when the circuit keeps it.
 */
import { StateVectorSimulator, type Estimator } from '../backends/index.js';
import { hardwareEfficientAnsatz } from '../circuits/index.js';
import type { Circuit, Gate } from '../circuits/index.js';
import { kUpCCGSDAnsatz, uccsdAnsatz, type CircuitTapering } from '../circuits/index.js';
import { InputError } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import {
  hartreeFockModes,
  mapHamiltonian,
  occupationToQubitBits,
  type FermionMapping,
} from '../qubits/index.js';
import { parity32 } from '../core/index.js';
import { particleSector, type PauliSum, type PauliSumData, type SectorSpace } from '../qubits/index.js';
import { taper as taperOperator } from '../qubits/index.js';
import { vqeOnBackend, type VqeOptions, type VqeResult } from './vqe.js';

/** Ansatz families of {@link runVqe}. */
export type AnsatzName = 'uccsd' | 'uccsd-singlet' | 'kupccgsd' | 'hea';

/** Options of {@link runVqe}. */
export interface RunVqeOptions extends VqeOptions {
  /** The molecular Hamiltonian (frozen core / active space already applied). */
  hamiltonian: MolecularHamiltonian;
  /** Ansatz family (default 'uccsd'). */
  ansatz?: AnsatzName;
  /** Fermion-to-qubit mapping (default 'jordan-wigner'). */
  mapping?: FermionMapping;
  /** Remove qubits by Z2 symmetries (default false). */
  taper?: boolean;
  /** Layers: of 'uccsd' / 'uccsd-singlet' (k-UCC with separate amplitudes per layer, default 1), of 'kupccgsd' (k, default 1) and of 'hea' (default 2). */
  layers?: number;
  /** Where to run; default: the exact state vector (adjoint gradients). A sampling estimator gets parameter-shift gradients. */
  backend?: Estimator;
  /**
   * Simulate only the (Nα, Nβ) sector on the exact route when the circuit keeps it (default true;
   * same numbers, far less work). Set false to force the full register.
   */
  useSector?: boolean;
}

/** Result of {@link runVqe}. */
export interface MolecularVqeResult extends VqeResult {
  /** The ansatz family used. */
  ansatz: AnsatzName;
  /** The fermion-to-qubit mapping used. */
  mapping: FermionMapping;
  /** Whether the qubit Hamiltonian was tapered. */
  tapered: boolean;
  /** Qubits before tapering (2 × spatial orbitals). */
  qubitsBeforeTapering: number;
  /** Number of variational parameters. */
  parameterCount: number;
  /** ⟨HF|H|HF⟩ in Hartree (the energy at θ = 0 for the UCC ansätze). */
  referenceEnergyHartree: number;
}

/** A qubit problem ready for VQE: Hamiltonian, circuit and bookkeeping. */
export interface QubitProblem {
  /** Qubit Hamiltonian (tapered when `tapered`). */
  hamiltonian: PauliSumData;
  /** Ansatz circuit including the reference-state X gates. */
  circuit: Circuit;
  /** The fermion-to-qubit mapping used. */
  mapping: FermionMapping;
  /** Spin-orbital modes (qubits before tapering). */
  nModes: number;
  /** Qubit basis state of the Hartree–Fock determinant (on the tapered register when tapered). */
  referenceBits: number;
  tapered: boolean;
  /** The (Nα, Nβ) sector for sector simulation, or undefined when it does not apply. */
  sector?: SectorSpace;
}

/** A molecular Hamiltonian on qubits with its Hartree–Fock basis state. */
export interface MappedMolecule {
  mapping: FermionMapping;
  /** Spin-orbital modes, 2 × spatial orbitals (= qubits). */
  nModes: number;
  /** The mapped qubit Hamiltonian. */
  hamiltonian: PauliSum;
  /** Qubit basis state of the Hartree–Fock determinant. */
  referenceBits: number;
}

/** Map a molecular Hamiltonian to qubits (default Jordan–Wigner) with its Hartree–Fock basis state. */
export function mapMolecule(ham: MolecularHamiltonian, mapping: FermionMapping = 'jordan-wigner'): MappedMolecule {
  const nModes = 2 * ham.nOrbitals;
  return {
    mapping,
    nModes,
    hamiltonian: mapHamiltonian(ham, mapping),
    referenceBits: occupationToQubitBits(hartreeFockModes(ham.nAlpha, ham.nBeta), nModes, mapping),
  };
}

/**
 * Build the qubit Hamiltonian and ansatz circuit for a molecule (no optimisation).
 * @throws InputError for an unknown ansatz or bad layer count.
 */
export function buildQubitProblem(options: RunVqeOptions): QubitProblem {
  const ham = options.hamiltonian;
  const ansatz = options.ansatz ?? 'uccsd';
  const mapped = mapMolecule(ham, options.mapping);
  const { mapping, nModes } = mapped;
  let qubitHamiltonian = mapped.hamiltonian;
  let referenceBits = mapped.referenceBits;
  let tapering: CircuitTapering | undefined;
  if (options.taper === true) {
    const t = taperOperator(qubitHamiltonian, { hfBits: referenceBits });
    qubitHamiltonian = t.operator;
    referenceBits = t.taperBits(referenceBits);
    tapering = t;
  }
  const space = { nSpatialOrbitals: ham.nOrbitals, nAlpha: ham.nAlpha, nBeta: ham.nBeta, mapping, taper: tapering };
  let circuit: Circuit;
  switch (ansatz) {
    case 'uccsd':
      circuit = repeatGeneratorLayers(uccsdAnsatz(space), options.layers ?? 1);
      break;
    case 'uccsd-singlet':
      circuit = repeatGeneratorLayers(uccsdAnsatz({ ...space, spinAdapted: true }), options.layers ?? 1);
      break;
    case 'kupccgsd':
      circuit = kUpCCGSDAnsatz({ ...space, k: options.layers ?? 1 });
      break;
    case 'hea': {
      const layers = options.layers ?? 2;
      if (!Number.isInteger(layers) || layers < 1) {
        throw new InputError(`hardware-efficient ansatz: layers must be a positive integer, got ${layers}`);
      }
      circuit = hardwareEfficientAnsatz(qubitHamiltonian.nQubits, layers, { rotations: 'ryrz', initialBits: referenceBits });
      break;
    }
    default:
      throw new InputError(`unknown ansatz '${String(ansatz)}' (use uccsd, uccsd-singlet, kupccgsd or hea)`);
  }
  // Keep only the Circuit fields (the builders return richer objects).
  circuit = { nQubits: circuit.nQubits, nParameters: circuit.nParameters, gates: circuit.gates };
  const sector =
    options.useSector === false || tapering !== undefined || ansatz === 'hea'
      ? undefined
      : particleSector(nModes, ham.nAlpha, ham.nBeta, mapping);
  return { hamiltonian: qubitHamiltonian, circuit, mapping, nModes, referenceBits, tapered: tapering !== undefined, sector };
}

/**
 * k-UCC: the parametrised part of a unitary coupled-cluster circuit repeated `layers` times, each
 * layer with its own amplitudes (the fixed reference-state gates stay once, at the start). One layer
 * is the circuit itself.
 */
function repeatGeneratorLayers(circuit: Circuit, layers: number): Circuit {
  if (!Number.isInteger(layers) || layers < 1) {
    throw new InputError(`unitary coupled-cluster ansatz: layers must be a positive integer, got ${layers}`);
  }
  if (layers === 1) return circuit;
  const gates: Gate[] = [...circuit.gates];
  const layerGates = circuit.gates.filter((g) => g.parameter >= 0);
  for (let layer = 1; layer < layers; layer++) {
    const offset = layer * circuit.nParameters;
    for (const g of layerGates) gates.push({ ...g, parameter: g.parameter + offset });
  }
  return { nQubits: circuit.nQubits, nParameters: layers * circuit.nParameters, gates };
}

/** ⟨b|H|b⟩ for a computational basis state: the sum of the Z-only terms with their signs. */
export function basisStateEnergy(hamiltonian: PauliSumData, bits: number): number {
  let e = 0;
  for (let t = 0; t < hamiltonian.x.length; t++) {
    if (hamiltonian.x[t] !== 0) continue;
    e += parity32(hamiltonian.z[t] & bits) ? -hamiltonian.coeffRe[t] : hamiltonian.coeffRe[t];
  }
  return e;
}

/**
 * VQE for a molecular Hamiltonian: map, (taper,) build the ansatz on the HF state and minimise.
 * Exact state vector by default; on an estimator without exact gradients each gradient is one
 * parameter-shift stencil (one estimator call). `optimizerMethod: 'spsa'` optimises by SPSA instead
 * (any backend; meant for noisy ones). The result records the backend, shots, seed, optimiser and
 * the unmitigated energy (`rawEnergyHartree`) when the backend mitigates errors.
 *
 * @throws ConvergenceError when the optimiser does not converge; InputError for bad options.
 */
export async function runVqe(options: RunVqeOptions): Promise<MolecularVqeResult> {
  const problem = buildQubitProblem(options);
  // θ = 0 is a stationary point of the hardware-efficient ansatz on a basis state: start nearby.
  if (options.ansatz === 'hea' && options.initialParameters === undefined && options.randomInitialScale === undefined) {
    options = { ...options, randomInitialScale: 0.1 };
  }
  const backend = options.backend ?? new StateVectorSimulator();
  const result = await vqeOnBackend(problem.hamiltonian, problem.circuit, backend, { ...options, sector: problem.sector });
  return {
    ...result,
    ansatz: options.ansatz ?? 'uccsd',
    mapping: problem.mapping,
    tapered: problem.tapered,
    qubitsBeforeTapering: problem.nModes,
    parameterCount: problem.circuit.nParameters,
    referenceEnergyHartree: basisStateEnergy(problem.hamiltonian, problem.referenceBits),
  };
}
