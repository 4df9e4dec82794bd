/**
 * Memory (and, where a run is long, time) estimated from the problem size before any work starts,
 * so that a calculation that cannot fit is refused at once with the numbers instead of dying in an
 * allocation failure after minutes.
 *
 * Sizes: n basis functions, a correlated (active) spatial orbitals with oA ≥ oB occupied among them
 * and v = a − oA virtuals; q qubits. Every array is Float64 (8 bytes). The estimate of a method is
 * the sum of the arrays alive at its peak (the packed AO integrals stay alive while the MO
 * Hamiltonian is built, the full MO integrals while coupled cluster runs), times a factor for
 * scratch space and the JavaScript heap, plus the process's own footprint; measured peaks lie below
 * it (H2O/cc-pVTZ CCSD: 391 MB measured against 440 MB estimated).
 */
import { totalmem } from 'node:os';
import { binomial, defaultMemoryLimitBytes, formatBytes, ResourceError } from '../core/index.js';
import { estimateFciMemoryBytes } from '../classical/index.js';
import { densityFittingBytes } from '../scf/index.js';
import { type Molecule, electronCount } from '../chem/index.js';
import { type MolecularHamiltonian, frozenCoreOrbitalCount } from '../hamiltonian/index.js';

const BYTES = 8;
/** Resident size of the process before any calculation (Node, the library, its modules). */
const PROCESS_BASE_BYTES = 150e6;
/** Scratch arrays and garbage-collector slack on top of the long-lived arrays. */
const SCRATCH_FACTOR = 1.5;
/** One long-lived array (or group of arrays) of an estimate. */
export interface MemoryPart {
  what: string;
  bytes: number;
}

/** Estimated peak memory of a calculation. */
export interface MemoryEstimate {
  /** Peak resident bytes, including scratch and the process itself. */
  bytes: number;
  /** The largest long-lived arrays, biggest first. */
  parts: MemoryPart[];
}

/** Sizes of a calculation on a molecule or a Hamiltonian. */
export interface ProblemSize {
  /** Basis functions (0 for a Hamiltonian read from a file: no AO integrals). */
  nBasis: number;
  /** Correlated spatial orbitals (after frozen core / active space). */
  nActiveOrbitals: number;
  /** Correlated α and β electrons. */
  nActiveAlpha: number;
  nActiveBeta: number;
}

/** Bytes of the 8-fold packed AO integrals (μν|λσ), μ ≥ ν, λ ≥ σ, μν ≥ λσ. */
export function packedEriBytes(nBasis: number): number {
  const pairs = (nBasis * (nBasis + 1)) / 2;
  return ((pairs * (pairs + 1)) / 2) * BYTES;
}

/** Bytes of the SCF step: packed AO integrals plus about thirty n×n matrices (Fock, density, DIIS). */
export function scfParts(nBasis: number, scfType: 'pk' | 'df' | 'direct' = 'pk'): MemoryPart[] {
  const matrices: MemoryPart = { what: 'SCF matrices', bytes: 30 * nBasis * nBasis * BYTES };
  // direct SCF recomputes its integrals in every Fock build and keeps none
  if (scfType === 'direct') return [matrices];
  if (scfType === 'df') {
    // JKFIT sets hold 3–5 auxiliary functions per orbital function; the upper end bounds the factor
    const nAux = DF_AUX_PER_BASIS_FUNCTION * nBasis;
    return [{ what: `fitted three-index factor (about ${nAux} auxiliary functions)`, bytes: densityFittingBytes(nBasis, nAux) }, matrices];
  }
  return [{ what: `AO integrals (${nBasis} functions, 8-fold packed)`, bytes: packedEriBytes(nBasis) }, matrices];
}

/** Auxiliary functions per orbital function assumed by the density-fitting estimate (JKFIT: 3–5). */
const DF_AUX_PER_BASIS_FUNCTION = 5;

/** Bytes of the MO Hamiltonian over a orbitals and of its half-transformed intermediate. */
export function moHamiltonianParts(nBasis: number, a: number): MemoryPart[] {
  const aoPairs = (nBasis * (nBasis + 1)) / 2;
  const moPairs = (a * (a + 1)) / 2;
  return [
    { what: `MO integrals (${a} orbitals)`, bytes: a ** 4 * BYTES },
    { what: 'half-transformed integrals', bytes: aoPairs * moPairs * BYTES },
  ];
}

function finish(parts: MemoryPart[]): MemoryEstimate {
  const kept = parts.filter((p) => p.bytes > 0).sort((x, y) => y.bytes - x.bytes);
  const arrays = kept.reduce((s, p) => s + p.bytes, 0);
  return { bytes: PROCESS_BASE_BYTES + SCRATCH_FACTOR * arrays, parts: kept };
}

/** Correlated-method parts on top of the MO Hamiltonian. */
function correlatedParts(method: string, size: ProblemSize, options: QuantumSizeOptions): MemoryPart[] {
  const a = size.nActiveOrbitals;
  const o = Math.max(size.nActiveAlpha, size.nActiveBeta);
  const v = a - Math.min(size.nActiveAlpha, size.nActiveBeta);
  const openShell = size.nActiveAlpha !== size.nActiveBeta;
  switch (method) {
    case 'mp2':
      return [{ what: 'MP2 (ia|jb) and half-transformed integrals', bytes: (o * v) ** 2 * BYTES * 2 }];
    case 'ccsd':
    case 'ccsd(t)': {
      if (openShell) {
        // spin-orbital amplitudes and ⟨pq||rs⟩ blocks over 2a spin orbitals
        const so = 2 * o;
        const sv = 2 * v;
        return [
          { what: 'spin-orbital ⟨ab||cd⟩', bytes: sv ** 4 * BYTES },
          { what: 'spin-orbital ⟨ia||bc⟩ and amplitudes', bytes: (so * sv ** 3 + 12 * (so * sv) ** 2) * BYTES },
        ];
      }
      const parts = [
        { what: 'CCSD (ac|bd) block', bytes: v ** 4 * BYTES },
        { what: 'CCSD (ia|bc) block', bytes: o * v ** 3 * BYTES },
        { what: 'CCSD amplitudes and intermediates', bytes: 12 * (o * v) ** 2 * BYTES },
      ];
      if (method === 'ccsd(t)') parts.push({ what: '(T) intermediates', bytes: (2 * o ** 3 * v + 4 * v ** 3) * BYTES });
      return parts;
    }
    case 'fci':
      return [];
    case 'vqe':
    case 'adapt-vqe':
    case 'qpe':
      return quantumParts(method, size, options);
    default:
      return [];
  }
}

/** Quantum-method settings that change the estimate. */
export interface QuantumSizeOptions {
  ansatz?: string | null;
  layers?: number | null;
  pool?: string | null;
  /** Vectors of the simulated register kept at once (state, adjoint, work). */
  vectors?: number;
}

/** Qubits a quantum method simulates before tapering (two per spatial orbital). */
export function quantumQubitCount(size: ProblemSize): number {
  return 2 * size.nActiveOrbitals;
}

/** Number of gates of one UCCSD layer: 8 Pauli rotations per double, 2 per single (spin orbitals). */
function uccsdGates(size: ProblemSize): number {
  const o = size.nActiveAlpha + size.nActiveBeta;
  const v = 2 * size.nActiveOrbitals - o;
  return 2 * o * v + 8 * ((o * (o - 1)) / 2) * ((v * (v - 1)) / 2);
}

function quantumParts(method: string, size: ProblemSize, options: QuantumSizeOptions): MemoryPart[] {
  const qubits = quantumQubitCount(size);
  const a = size.nActiveOrbitals;
  // The particle-conserving circuits run on the (Nα, Nβ) sector; the hardware-efficient ansatz,
  // the qubit pool and phase estimation on the whole register.
  const fullRegister = options.ansatz === 'hea' || options.pool === 'qubit' || method === 'qpe';
  const dimension = fullRegister
    ? 2 ** (qubits + (method === 'qpe' ? 1 : 0))
    : binomial(a, size.nActiveAlpha) * binomial(a, size.nActiveBeta);
  const vectors = options.vectors ?? 4;
  const pauliTerms = Math.min(qubits ** 4, 2 ** (2 * qubits));
  const layers = options.layers ?? 1;
  const gates = method === 'vqe' ? uccsdGates(size) * layers : uccsdGates(size);
  // the sector's index maps every register state to its position (4 bytes per state of the register)
  const index = fullRegister ? 0 : 4 * 2 ** qubits;
  return [
    { what: `${vectors} complex vectors of ${dimension.toExponential(2)} amplitudes`, bytes: vectors * 2 * dimension * BYTES },
    { what: `sector index over 2^${qubits} register states`, bytes: index },
    { what: 'qubit Hamiltonian', bytes: pauliTerms * 4 * BYTES },
    // each gate: an object of a few fields plus its Pauli masks (about 100 bytes in V8)
    { what: `circuit (${gates.toExponential(2)} gates)`, bytes: gates * 100 },
  ];
}

/**
 * Estimated peak memory of `method` on a problem of the given size (see the file header). For FCI
 * the solver's own estimate of its vectors is added when `hamiltonian` is given.
 */
export function estimateMethodMemory(
  method: string,
  size: ProblemSize,
  options: QuantumSizeOptions & { roots?: number; hamiltonian?: MolecularHamiltonian; scfType?: 'pk' | 'df' | 'direct' } = {},
): MemoryEstimate {
  // correlated methods read the exact AO integrals after any kind of SCF
  const scfOnly = method === 'hf' || method === 'uhf' || method === 'rohf';
  const parts: MemoryPart[] = size.nBasis > 0 ? scfParts(size.nBasis, scfOnly ? options.scfType : 'pk') : [];
  if (scfOnly) return finish(parts);
  const mp2Direct = method === 'mp2' && size.nBasis > 0;
  if (!mp2Direct) parts.push(...moHamiltonianParts(size.nBasis, size.nActiveOrbitals));
  parts.push(...correlatedParts(method, size, options));
  // Full CI needs the integrals to know its symmetry sectors: its vectors are counted when the
  // Hamiltonian is at hand (the solver checks them again itself before allocating).
  if (method === 'fci' && options.hamiltonian !== undefined) {
    parts.push({ what: 'full CI vectors', bytes: estimateFciMemoryBytes(options.hamiltonian, { roots: options.roots ?? 1 }) });
  }
  return finish(parts);
}

/**
 * Refuse a calculation whose estimate exceeds the limit, with the estimate, its largest part and
 * the machine's memory in the message.
 * @throws ResourceError when `estimate.bytes > limitBytes`.
 */
export function requireMemory(what: string, estimate: MemoryEstimate, limitBytes: number = defaultMemoryLimitBytes()): void {
  if (estimate.bytes <= limitBytes) return;
  const largest = estimate.parts[0];
  throw new ResourceError(
    `${what} needs about ${formatBytes(estimate.bytes)} of memory` +
      (largest ? ` (${largest.what}: ${formatBytes(largest.bytes)})` : '') +
      `, more than the limit of ${formatBytes(limitBytes)} (this machine has ${formatBytes(totalmem())}; ` +
      'raise the limit with --max-memory, or choose a smaller basis, a frozen core or an active space)',
    { estimateBytes: estimate.bytes, limitBytes },
  );
}

/**
 * The size of `method` on `molecule` in `nBasis` functions with the spec's frozen core or active
 * space, known before any SCF (the orbital count assumes no linear dependencies are dropped, an
 * upper bound).
 */
export function molecularProblemSize(
  molecule: Molecule,
  nBasis: number,
  space: { frozenCore: boolean; active: { nElectrons: number; nOrbitals: number } | null },
): ProblemSize {
  const n = electronCount(molecule);
  const nAlpha = (n + molecule.multiplicity - 1) / 2;
  const nBeta = n - nAlpha;
  if (space.active !== null) {
    const frozen = Math.max(0, (n - space.active.nElectrons) / 2);
    return { nBasis, nActiveOrbitals: space.active.nOrbitals, nActiveAlpha: nAlpha - frozen, nActiveBeta: nBeta - frozen };
  }
  const frozen = space.frozenCore ? frozenCoreOrbitalCount(molecule) : 0;
  return { nBasis, nActiveOrbitals: nBasis - frozen, nActiveAlpha: nAlpha - frozen, nActiveBeta: nBeta - frozen };
}

/** The size of a method on a given Hamiltonian (no AO integrals). */
export function hamiltonianProblemSize(ham: MolecularHamiltonian): ProblemSize {
  return { nBasis: 0, nActiveOrbitals: ham.nOrbitals, nActiveAlpha: ham.nAlpha, nActiveBeta: ham.nBeta };
}
