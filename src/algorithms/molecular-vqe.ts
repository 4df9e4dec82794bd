/**
 * Molecule-level VQE: MolecularHamiltonian → qubit Hamiltonian (mapping, optional tapering) →
 * ansatz circuit on the Hartree–Fock reference → {@link vqe} (exact, adjoint gradients) or
 * {@link vqeOnBackend} (any Backend).
 *
 * Ansätze (spin orbitals interleaved, 2p = α, 2p+1 = β; every excitation gate is exp(θ(τ − τ†)) as
 * commuting Pauli rotations, see excitations.ts):
 * - 'uccsd': one Trotter step of spin-orbital singles and doubles, occupied → virtual, singles first.
 * - 'kupccgsd': k layers of generalised spin-conserving singles and generalised pair doubles
 *   a†_{pα} a†_{pβ} a_{qβ} a_{qα} (Lee et al., JCTC 15, 311 (2019)), each layer with its own parameters.
 * - 'hea': hardware-efficient layers of RY·RZ on every qubit and a linear CNOT ladder on the HF state.
 */
import type { Backend } from '../backends/backend.js';
import type { Circuit, Gate } from '../circuits/circuit.js';
import { InputError } from '../core/errors.js';
import type { MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';
import {
  hartreeFockModes,
  mapHamiltonian,
  occupationToQubitBits,
  type FermionMapping,
} from '../qubits/mappings.js';
import type { PauliSumData } from '../qubits/pauli-layout.js';
import {
  basisStateGates,
  excitationGenerator,
  generatorGates,
  spinOrbitalExcitations,
  type Excitation,
  type RotationGenerator,
} from './excitations.js';
import { vqe, vqeOnBackend, type VqeOptions, type VqeResult } from './vqe.js';

/** Ansatz families of {@link runVqe}. */
export type AnsatzName = 'uccsd' | 'kupccgsd' | 'hea';

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
  /** Layers of 'kupccgsd' (k, default 1) and 'hea' (default 2). */
  layers?: number;
  /** Where to run; default: the exact state vector with adjoint gradients. */
  backend?: Backend;
}

/** Result of {@link runVqe}. */
export interface MolecularVqeResult extends VqeResult {
  ansatz: AnsatzName;
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
  hamiltonian: PauliSumData;
  circuit: Circuit;
  mapping: FermionMapping;
  nModes: number;
  /** Qubit basis state of the Hartree–Fock determinant. */
  referenceBits: number;
  tapered: boolean;
}

/** Excitations of a k-UpCCGSD layer: generalised singles and generalised pair doubles. */
function kupccgsdExcitations(nOrbitals: number): Excitation[] {
  const out: Excitation[] = [];
  for (let p = 0; p < nOrbitals; p++) {
    for (let q = p + 1; q < nOrbitals; q++) {
      out.push({ from: [2 * p], to: [2 * q] });
      out.push({ from: [2 * p + 1], to: [2 * q + 1] });
    }
  }
  for (let p = 0; p < nOrbitals; p++) {
    for (let q = p + 1; q < nOrbitals; q++) out.push({ from: [2 * p, 2 * p + 1], to: [2 * q, 2 * q + 1] });
  }
  return out;
}

/** The circuit of generators applied in order (one parameter each) after preparing `referenceBits`. */
export function generatorCircuit(generators: readonly RotationGenerator[], nQubits: number, referenceBits: number): Circuit {
  const gates: Gate[] = basisStateGates(referenceBits, nQubits);
  generators.forEach((g, k) => gates.push(...generatorGates(g, k, nQubits)));
  return { nQubits, nParameters: generators.length, gates };
}

function hardwareEfficientCircuit(nQubits: number, layers: number, referenceBits: number): Circuit {
  const gates: Gate[] = basisStateGates(referenceBits, nQubits);
  let p = 0;
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < nQubits; q++) {
      gates.push({ kind: 'ry', qubits: [q], angle: 0, parameter: p++, factor: 1 });
      gates.push({ kind: 'rz', qubits: [q], angle: 0, parameter: p++, factor: 1 });
    }
    for (let q = 0; q + 1 < nQubits; q++) gates.push({ kind: 'cnot', qubits: [q, q + 1], angle: 0, parameter: -1, factor: 0 });
  }
  return { nQubits, nParameters: p, gates };
}

/**
 * Build the qubit Hamiltonian and ansatz circuit for a molecule (no optimisation).
 * @throws InputError for an unknown ansatz or bad layer count.
 */
export function buildQubitProblem(options: RunVqeOptions): QubitProblem {
  const ham = options.hamiltonian;
  const mapping = options.mapping ?? 'jordan-wigner';
  const ansatz = options.ansatz ?? 'uccsd';
  const nModes = 2 * ham.nOrbitals;
  const qubitHamiltonian = mapHamiltonian(ham, mapping);
  const referenceBits = occupationToQubitBits(hartreeFockModes(ham.nAlpha, ham.nBeta), nModes, mapping);
  let generators: RotationGenerator[] | null = null;
  let circuit: Circuit;
  if (ansatz === 'uccsd') {
    generators = spinOrbitalExcitations(nModes, ham.nAlpha, ham.nBeta).map((e) => excitationGenerator(e, mapping, nModes));
  } else if (ansatz === 'kupccgsd') {
    const k = options.layers ?? 1;
    if (!Number.isInteger(k) || k < 1) throw new InputError(`k-UpCCGSD: layers must be a positive integer, got ${k}`);
    const layer = kupccgsdExcitations(ham.nOrbitals).map((e) => excitationGenerator(e, mapping, nModes));
    generators = [];
    for (let l = 0; l < k; l++) generators.push(...layer);
  } else if (ansatz !== 'hea') {
    throw new InputError(`unknown ansatz '${String(ansatz)}' (use uccsd, kupccgsd or hea)`);
  }
  if (options.taper) {
    throw new InputError('VQE: tapering is not available yet');
  }
  if (generators !== null) {
    circuit = generatorCircuit(generators, nModes, referenceBits);
  } else {
    const layers = options.layers ?? 2;
    if (!Number.isInteger(layers) || layers < 1) throw new InputError(`hardware-efficient ansatz: layers must be a positive integer, got ${layers}`);
    circuit = hardwareEfficientCircuit(nModes, layers, referenceBits);
  }
  return { hamiltonian: qubitHamiltonian, circuit, mapping, nModes, referenceBits, tapered: false };
}

/** ⟨b|H|b⟩ for a computational basis state: the sum of the Z-only terms with their signs. */
export function basisStateEnergy(hamiltonian: PauliSumData, bits: number): number {
  let e = 0;
  for (let t = 0; t < hamiltonian.x.length; t++) {
    if (hamiltonian.x[t] !== 0) continue;
    let v = hamiltonian.z[t] & bits;
    v ^= v >>> 16;
    v ^= v >>> 8;
    v ^= v >>> 4;
    e += (0x6996 >>> (v & 0xf)) & 1 ? -hamiltonian.coeffRe[t] : hamiltonian.coeffRe[t];
  }
  return e;
}

/**
 * VQE for a molecular Hamiltonian: map, (taper,) build the ansatz on the HF state and minimise.
 * Exact route by default; with a non-exact `backend` the energy comes from Backend.estimate and the
 * gradient from the parameter-shift rule.
 *
 * @throws ConvergenceError when the optimiser does not converge; InputError for bad options.
 */
export async function runVqe(options: RunVqeOptions): Promise<MolecularVqeResult> {
  const problem = buildQubitProblem(options);
  const result =
    options.backend === undefined || options.backend.exact
      ? vqe(problem.hamiltonian, problem.circuit, options)
      : await vqeOnBackend(problem.hamiltonian, problem.circuit, options.backend, options);
  if (options.backend !== undefined && options.backend.exact) result.backend = `${options.backend.name} (adjoint)`;
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
