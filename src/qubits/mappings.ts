/**
 * Fermion-to-qubit mappings: Jordan–Wigner, Bravyi–Kitaev and parity, all as linear encodings over
 * GF(2) (Seeley, Richard & Love, J. Chem. Phys. 137, 224109 (2012)).
 *
 * An occupation vector f (bit j = occupation of mode j) is stored as qubit bits b = β f (mod 2):
 *   Jordan–Wigner  β = I                      (b_i = f_i)
 *   parity         β_ij = 1 for j ≤ i         (b_i = f_0 ⊕ … ⊕ f_i)
 *   Bravyi–Kitaev  Fenwick tree: b_i = f_k summed over k ∈ [i + 1 − lowbit(i + 1), i]; for n a power of
 *                  two this is the recursive BK matrix, for other n its leading n×n block.
 * With the update set U(j) = {i : β_ij = 1} (qubits flipped when f_j flips), the parity set
 * P(j) = {i : Σ_{k<j} (β⁻¹)_ki = 1} (qubits whose parity is Σ_{k<j} f_k) and the occupation set
 * R(j) = {i : (β⁻¹)_ji = 1} (qubits whose parity is f_j):
 *   a†_j = X_U Z_P (1 + Z_R)/2,    a_j = X_U Z_P (1 − Z_R)/2,
 * which for β = I is the familiar a†_j = Z_0…Z_{j−1} (X_j − iY_j)/2. Modes are spin orbitals,
 * interleaved (2p = α, 2p+1 = β); qubit 0 is the least significant bit.
 */
import { InputError } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import { forEachHamiltonianProduct, type FermionOperator } from './fermion-operator.js';
import { MAX_PAULI_QUBITS } from './pauli-layout.js';
import { I_POWER_IM, I_POWER_RE, parity32, popcount32 } from '../core/index.js';
import { PauliTermAccumulator, pauliProductPhase } from './pauli-algebra.js';
import { PauliSum } from './pauli-sum.js';

/** Name of a fermion-to-qubit mapping. */
export type FermionMapping = 'jordan-wigner' | 'bravyi-kitaev' | 'parity';

/** All supported mappings. */
export const FERMION_MAPPINGS: readonly FermionMapping[] = ['jordan-wigner', 'bravyi-kitaev', 'parity'];

function checkModes(nModes: number): void {
  if (!Number.isInteger(nModes) || nModes < 1 || nModes > MAX_PAULI_QUBITS) {
    throw new InputError(`mapping: mode count ${nModes} must be an integer in 1..${MAX_PAULI_QUBITS}`);
  }
}

function checkMapping(mapping: string): asserts mapping is FermionMapping {
  if (!FERMION_MAPPINGS.includes(mapping as FermionMapping)) {
    throw new InputError(`unknown fermion-to-qubit mapping '${mapping}' (use ${FERMION_MAPPINGS.join(', ')})`);
  }
}

/**
 * Rows of the encoding matrix β over GF(2): bit j of rows[i] is β_ij, so qubit bit
 * b_i = parity(rows[i] & f) for occupation mask f.
 */
export function encodingMatrix(nModes: number, mapping: FermionMapping): Uint32Array {
  checkModes(nModes);
  checkMapping(mapping);
  const rows = new Uint32Array(nModes);
  for (let i = 0; i < nModes; i++) {
    if (mapping === 'jordan-wigner') rows[i] = (1 << i) >>> 0;
    else if (mapping === 'parity') rows[i] = (2 ** (i + 1) - 1) >>> 0;
    else {
      const lowbit = (i + 1) & -(i + 1);
      let m = 0;
      for (let k = i + 1 - lowbit; k <= i; k++) m |= 1 << k;
      rows[i] = m >>> 0;
    }
  }
  return rows;
}

/** Inverse of a GF(2) matrix given as row masks (Gauss–Jordan). @throws InputError when singular. */
export function invertGf2(rows: Uint32Array): Uint32Array {
  const n = rows.length;
  const a = rows.slice();
  const inv = new Uint32Array(n);
  for (let i = 0; i < n; i++) inv[i] = (1 << i) >>> 0;
  for (let col = 0; col < n; col++) {
    let piv = -1;
    for (let r = col; r < n; r++) {
      if ((a[r] >>> col) & 1) {
        piv = r;
        break;
      }
    }
    if (piv < 0) throw new InputError('encoding matrix is singular over GF(2)');
    [a[col], a[piv]] = [a[piv], a[col]];
    [inv[col], inv[piv]] = [inv[piv], inv[col]];
    for (let r = 0; r < n; r++) {
      if (r !== col && (a[r] >>> col) & 1) {
        a[r] ^= a[col];
        inv[r] ^= inv[col];
      }
    }
  }
  return inv;
}

/** The update, parity and occupation sets (as qubit masks) of every mode under a mapping. */
export interface MappingSets {
  readonly nModes: number;
  readonly mapping: FermionMapping;
  /** Qubits flipped when the occupation of mode j flips. */
  readonly update: Uint32Array;
  /** Qubits whose joint parity is the number of occupied modes below j. */
  readonly parity: Uint32Array;
  /** Qubits whose joint parity is the occupation of mode j. */
  readonly occupation: Uint32Array;
}

/** Update / parity / occupation sets of a mapping on nModes modes. */
export function mappingSets(nModes: number, mapping: FermionMapping): MappingSets {
  const beta = encodingMatrix(nModes, mapping);
  const inv = invertGf2(beta);
  const update = new Uint32Array(nModes);
  const parity = new Uint32Array(nModes);
  const occupation = new Uint32Array(nModes);
  let below = 0;
  for (let j = 0; j < nModes; j++) {
    let u = 0;
    for (let i = 0; i < nModes; i++) if ((beta[i] >>> j) & 1) u |= 1 << i;
    update[j] = u >>> 0;
    parity[j] = below >>> 0;
    occupation[j] = inv[j];
    below ^= inv[j];
  }
  return { nModes, mapping, update, parity, occupation };
}

/**
 * Images of the ladder operators as two Pauli strings each, in flat arrays indexed by
 * 2·(2·mode + creation) + k for k = 0, 1: a = c_0 P(x, z_0) + c_1 P(x, z_1).
 */
interface LadderImages {
  x: Uint32Array;
  z: Uint32Array;
  re: Float64Array;
  im: Float64Array;
}

function ladderImages(sets: MappingSets): LadderImages {
  const n = sets.nModes;
  const x = new Uint32Array(4 * n);
  const z = new Uint32Array(4 * n);
  const re = new Float64Array(4 * n);
  const im = new Float64Array(4 * n);
  for (let j = 0; j < n; j++) {
    const u = sets.update[j];
    const p = sets.parity[j];
    const pr = (p ^ sets.occupation[j]) >>> 0;
    for (let creation = 0; creation < 2; creation++) {
      const base = 2 * (2 * j + creation);
      // X^U Z^P = i^{-|U∧P|} P(U, P); the second string carries the extra Z_R with sign ±.
      const k0 = (4 - (popcount32(u & p) & 3)) & 3;
      const k1 = (4 - (popcount32(u & pr) & 3)) & 3;
      const sign = creation ? 0.5 : -0.5;
      x[base] = u;
      z[base] = p;
      re[base] = 0.5 * I_POWER_RE[k0];
      im[base] = 0.5 * I_POWER_IM[k0];
      x[base + 1] = u;
      z[base + 1] = pr;
      re[base + 1] = sign * I_POWER_RE[k1];
      im[base + 1] = sign * I_POWER_IM[k1];
    }
  }
  return { x, z, re, im };
}

/** Mapped ladder operator a†_mode (creation = true) or a_mode as a PauliSum on nModes qubits. */
export function mappedLadderOperator(mode: number, creation: boolean, nModes: number, mapping: FermionMapping): PauliSum {
  if (!Number.isInteger(mode) || mode < 0 || mode >= nModes) {
    throw new InputError(`mode ${mode} is outside 0..${nModes - 1}`);
  }
  const img = ladderImages(mappingSets(nModes, mapping));
  const base = 2 * (2 * mode + (creation ? 1 : 0));
  return PauliSum.fromTerms(nModes, [
    { x: img.x[base], z: img.z[base], re: img.re[base], im: img.im[base] },
    { x: img.x[base + 1], z: img.z[base + 1], re: img.re[base + 1], im: img.im[base + 1] },
  ]);
}

/**
 * Accumulate c·Π_k image(ops[k]) into acc by expanding the 2^len products of two-string images.
 * ops are encoded ladder operators (2·mode + creation).
 */
function accumulateLadderProduct(
  ops: ArrayLike<number>,
  len: number,
  cRe: number,
  cIm: number,
  img: LadderImages,
  acc: PauliTermAccumulator,
): void {
  const combos = 1 << len;
  for (let c = 0; c < combos; c++) {
    let x = 0;
    let z = 0;
    let re = cRe;
    let im = cIm;
    let phase = 0;
    for (let k = 0; k < len; k++) {
      const idx = 2 * ops[k] + ((c >>> k) & 1);
      const xb = img.x[idx];
      const zb = img.z[idx];
      phase += pauliProductPhase(x, z, xb, zb);
      x ^= xb;
      z ^= zb;
      const br = img.re[idx];
      const bi = img.im[idx];
      const nr = re * br - im * bi;
      im = re * bi + im * br;
      re = nr;
    }
    acc.addWithPhase(x, z, re, im, phase & 3);
  }
}

/**
 * Map a fermion operator to qubits: every ladder operator replaced by its image, products expanded,
 * equal strings merged and |c| < tolerance dropped. Coefficients stay complex (the operator need not
 * be Hermitian).
 * @throws InputError when the operator uses a mode ≥ nModes.
 */
export function mapFermionOperator(
  op: FermionOperator,
  mapping: FermionMapping,
  nModes: number,
  tolerance = 1e-12,
): PauliSum {
  checkModes(nModes);
  if (op.modeCount() > nModes) {
    throw new InputError(`fermion operator uses mode ${op.modeCount() - 1} but only ${nModes} modes were given`);
  }
  const img = ladderImages(mappingSets(nModes, mapping));
  const acc = new PauliTermAccumulator(op.nTerms * 4);
  for (const t of op.encodedTerms()) accumulateLadderProduct(t.ops, t.ops.length, t.re, t.im, img, acc);
  return PauliSum.fromAccumulator(nModes, acc, tolerance);
}

/**
 * Map a molecular Hamiltonian directly (no intermediate FermionOperator) over 2n interleaved spin
 * orbitals:
 *   H = constant + Σ_pqσ h_pq a†_pσ a_qσ + ½ Σ_pqrs Σ_στ (pq|rs) a†_pσ a†_rτ a_sτ a_qσ.
 * The result is simplified, with real coefficients (|c| < 1e-12 dropped).
 * @throws InputError when 2n exceeds MAX_PAULI_QUBITS.
 */
export function mapHamiltonian(ham: MolecularHamiltonian, mapping: FermionMapping, tolerance = 1e-12): PauliSum {
  const n = ham.nOrbitals;
  const nModes = 2 * n;
  if (nModes > MAX_PAULI_QUBITS) {
    throw new InputError(`${n} spatial orbitals need ${nModes} qubits; at most ${MAX_PAULI_QUBITS} are supported`);
  }
  checkModes(nModes);
  const img = ladderImages(mappingSets(nModes, mapping));
  const acc = new PauliTermAccumulator(4 * nModes ** 4 > 1 << 20 ? 1 << 20 : 4 * nModes ** 4);
  if (ham.constantHartree !== 0) acc.add(0, 0, ham.constantHartree, 0);
  forEachHamiltonianProduct(ham, (ops, length, coefficient) => accumulateLadderProduct(ops, length, coefficient, 0, img, acc));
  const result = PauliSum.fromAccumulator(nModes, acc, tolerance);
  let maxIm = 0;
  let scale = 1;
  for (let t = 0; t < result.nTerms; t++) {
    maxIm = Math.max(maxIm, Math.abs(result.coeffIm[t]));
    scale = Math.max(scale, Math.abs(result.coeffRe[t]));
  }
  if (maxIm > 1e-9 * scale) {
    throw new InputError(`mapped Hamiltonian has imaginary coefficients up to ${maxIm}: integrals are not symmetric`);
  }
  return result.realPart().simplify(tolerance);
}

/** Jordan–Wigner image of a molecular Hamiltonian (2n qubits, real coefficients, simplified). */
export function jordanWigner(ham: MolecularHamiltonian): PauliSum {
  return mapHamiltonian(ham, 'jordan-wigner');
}

/** Bravyi–Kitaev image of a molecular Hamiltonian (2n qubits, real coefficients, simplified). */
export function bravyiKitaev(ham: MolecularHamiltonian): PauliSum {
  return mapHamiltonian(ham, 'bravyi-kitaev');
}

/** Parity-mapping image of a molecular Hamiltonian (2n qubits, real coefficients, simplified). */
export function parityMapping(ham: MolecularHamiltonian): PauliSum {
  return mapHamiltonian(ham, 'parity');
}

/** Occupation mask of a list of occupied modes. @throws InputError for modes outside 0..nModes−1 or repeats. */
export function occupationMask(occupiedModes: Iterable<number>, nModes: number): number {
  let f = 0;
  for (const m of occupiedModes) {
    if (!Number.isInteger(m) || m < 0 || m >= nModes) throw new InputError(`occupied mode ${m} is outside 0..${nModes - 1}`);
    if ((f >>> m) & 1) throw new InputError(`occupied mode ${m} is listed twice`);
    f |= 1 << m;
  }
  return f >>> 0;
}

/**
 * Qubit basis state (bit i = qubit i) that encodes the determinant with the given occupied modes,
 * e.g. the Hartree–Fock state [0, 1, …, nElectrons − 1] in interleaved spin orbitals.
 */
export function occupationToQubitBits(occupiedModes: Iterable<number>, nModes: number, mapping: FermionMapping): number {
  const f = occupationMask(occupiedModes, nModes);
  const beta = encodingMatrix(nModes, mapping);
  let b = 0;
  for (let i = 0; i < nModes; i++) if (parity32(beta[i] & f)) b |= 1 << i;
  return b >>> 0;
}

/** Inverse of {@link occupationToQubitBits}: the occupation mask encoded by qubit bits. */
export function qubitBitsToOccupation(bits: number, nModes: number, mapping: FermionMapping): number {
  const inv = invertGf2(encodingMatrix(nModes, mapping));
  let f = 0;
  for (let j = 0; j < nModes; j++) if (parity32(inv[j] & bits)) f |= 1 << j;
  return f >>> 0;
}

/** Interleaved Hartree–Fock occupied modes: α and β of the lowest orbitals (2p = α, 2p+1 = β). */
export function hartreeFockModes(nAlpha: number, nBeta: number): number[] {
  const modes: number[] = [];
  for (let p = 0; p < nAlpha; p++) modes.push(2 * p);
  for (let p = 0; p < nBeta; p++) modes.push(2 * p + 1);
  return modes.sort((a, b) => a - b);
}

/** Mapped number operator N̂ = Σ_j n_j with n_j = (1 − Z_{R(j)})/2, over the given modes (default all). */
export function numberOperator(nModes: number, mapping: FermionMapping, modes?: Iterable<number>): PauliSum {
  const sets = mappingSets(nModes, mapping);
  const acc = new PauliTermAccumulator(nModes + 1);
  for (const j of modes ?? Array.from({ length: nModes }, (_, k) => k)) {
    acc.add(0, 0, 0.5, 0);
    acc.add(0, sets.occupation[j], -0.5, 0);
  }
  return PauliSum.fromAccumulator(nModes, acc, 1e-15);
}

/** Mapped Ŝz = ½ Σ_p (n_{2p} − n_{2p+1}) over interleaved spin orbitals (nModes even). */
export function szOperator(nModes: number, mapping: FermionMapping): PauliSum {
  if (nModes % 2 !== 0) throw new InputError(`Sz needs an even number of spin-orbital modes, got ${nModes}`);
  const sets = mappingSets(nModes, mapping);
  const acc = new PauliTermAccumulator(nModes + 1);
  for (let j = 0; j < nModes; j++) {
    // ±½ n_j = ±¼ (1 − Z_R)
    const s = j % 2 === 0 ? 0.25 : -0.25;
    acc.add(0, 0, s, 0);
    acc.add(0, sets.occupation[j], -s, 0);
  }
  return PauliSum.fromAccumulator(nModes, acc, 1e-15);
}
