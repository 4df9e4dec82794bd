/**
 * Z2 symmetry tapering (Bravyi, Gambetta, Mezzacapo & Temme, arXiv:1701.08213).
 *
 * Symmetries: Z-type Pauli strings τ (bit mask over qubits) that commute with every term of H,
 * i.e. parity(τ ∧ x_t) = 0 for all terms: the GF(2) null space of the matrix whose rows are the X
 * masks x_t. For molecular Hamiltonians under Jordan–Wigner, Bravyi–Kitaev and parity these are the
 * α- and β-number parities and the point-group parities. The generators are brought to reduced row
 * echelon form, so generator i has a pivot qubit q_i on which no other generator acts; X_{q_i}
 * anticommutes with τ_i only. With the Clifford U_i = (X_{q_i} + τ_i)/√2 (U_i = U_i† = U_i⁻¹,
 * U_i τ_i U_i = X_{q_i}), H' = U H U with U = Π U_i commutes with every X_{q_i}; each X_{q_i} is
 * replaced by its eigenvalue s_i = ⟨τ_i⟩ in the chosen sector and the qubit q_i is removed.
 * Per term: U_i P U_i = P if P commutes with X_{q_i}, else −P X_{q_i} τ_i.
 *
 * The sector comes from a reference basis state (the Hartree–Fock bits): s_i = (−1)^{parity(τ_i ∧ b)}.
 * The reference state maps to the basis state with the tapered bits removed (times |±⟩ on removed qubits).
 */
import { InputError } from '../core/index.js';
import { type FermionMapping, occupationToQubitBits } from './mappings.js';
import { parity32 } from '../core/index.js';
import { compressBits, pauliProductPhase } from './pauli-algebra.js';
import type { PauliSumData } from './pauli-layout.js';
import { PauliSum, pauliLabel } from './pauli-sum.js';

/** A Z-type symmetry generator and the qubit it frees. */
export interface Z2Symmetry {
  /** Qubits carrying Z in the symmetry string τ. */
  readonly zMask: number;
  /** Pivot qubit q (τ has Z on q, no other generator acts on q); partner X_q. */
  readonly qubit: number;
  /** Sparse label of τ, e.g. 'Z0 Z2'. */
  readonly label: string;
}

/**
 * Independent Z-type Z2 symmetries of an operator (generators of the group of Z strings commuting
 * with every term), in reduced row echelon form with distinct pivot qubits.
 */
export function findZ2Symmetries(op: PauliSumData): Z2Symmetry[] {
  const n = op.nQubits;
  // Row-reduce the X masks of the terms (row space of the check matrix's X block).
  const pivotRow = new Int32Array(n).fill(-1);
  const rows: number[] = [];
  for (let t = 0; t < op.x.length; t++) {
    let v = op.x[t];
    if (op.coeffRe[t] === 0 && op.coeffIm[t] === 0) continue;
    for (let b = n - 1; b >= 0 && v !== 0; b--) {
      if (((v >>> b) & 1) === 0) continue;
      if (pivotRow[b] >= 0) v = (v ^ rows[pivotRow[b]]) >>> 0;
      else {
        pivotRow[b] = rows.length;
        rows.push(v >>> 0);
        break;
      }
    }
  }
  // Reduced row echelon form: clear each pivot column from all other rows.
  for (let b = 0; b < n; b++) {
    const r = pivotRow[b];
    if (r < 0) continue;
    for (let k = 0; k < rows.length; k++) {
      if (k !== r && (rows[k] >>> b) & 1) rows[k] = (rows[k] ^ rows[r]) >>> 0;
    }
  }
  // Null space: one vector per free column f: e_f + Σ_{rows with bit f} e_pivot(row).
  const generators: number[] = [];
  for (let f = 0; f < n; f++) {
    if (pivotRow[f] >= 0) continue;
    let v = (1 << f) >>> 0;
    for (let b = 0; b < n; b++) {
      const r = pivotRow[b];
      if (r >= 0 && (rows[r] >>> f) & 1) v = (v | (1 << b)) >>> 0;
    }
    generators.push(v);
  }
  // Reduced row echelon form of the generators with pivots at their highest bits.
  const gens: number[] = [];
  const pivots: number[] = [];
  for (let v of generators) {
    for (let k = 0; k < gens.length; k++) if ((v >>> pivots[k]) & 1) v = (v ^ gens[k]) >>> 0;
    if (v === 0) continue;
    const p = 31 - Math.clz32(v);
    for (let k = 0; k < gens.length; k++) if ((gens[k] >>> p) & 1) gens[k] = (gens[k] ^ v) >>> 0;
    gens.push(v);
    pivots.push(p);
  }
  return gens.map((zMask, i) => ({ zMask, qubit: pivots[i], label: pauliLabel(0, zMask) }));
}

/** Options of {@link taper}: the sector is taken from a reference basis state. */
export interface TaperOptions {
  /** Reference basis state bits (e.g. the Hartree–Fock state in the mapped qubit basis). */
  hfBits?: number;
  /** Alternatively the occupied modes of the reference determinant, with the mapping used. */
  occupiedModes?: number[];
  mapping?: FermionMapping;
  /** Alternatively the eigenvalues ±1 of the symmetries directly (same order as findZ2Symmetries). */
  sector?: ArrayLike<number>;
  /** Use these symmetries instead of finding them (e.g. to taper several operators consistently). */
  symmetries?: Z2Symmetry[];
  /** Drop |c| below this after tapering (default 1e-12). */
  tolerance?: number;
}

/** Result of {@link taper}. */
export interface TaperingResult {
  /** The tapered operator on nQubits − nQubitsRemoved qubits. */
  operator: PauliSum;
  nQubitsRemoved: number;
  symmetries: Z2Symmetry[];
  /** Eigenvalue (+1 or −1) of each symmetry in the chosen sector. */
  sector: Int8Array;
  /** Original indices of the removed qubits (ascending). */
  removedQubits: Int32Array;
  /** Apply the same transformation to another operator that commutes with the symmetries. */
  taperOther(op: PauliSumData, tolerance?: number): PauliSum;
  /** Basis state of the tapered space corresponding to a basis state in the chosen sector. */
  taperBits(bits: number): number;
}

/**
 * Apply Π U_i, fix the sector and remove the pivot qubits.
 * @throws InputError when the operator does not commute with a symmetry.
 */
function taperWith(
  op: PauliSumData,
  symmetries: Z2Symmetry[],
  sector: Int8Array,
  removedMask: number,
  tolerance: number,
): PauliSum {
  const n = op.nQubits;
  const out: { x: number; z: number; re: number; im: number }[] = [];
  for (let t = 0; t < op.x.length; t++) {
    let x = op.x[t];
    let z = op.z[t];
    let re = op.coeffRe[t];
    let im = op.coeffIm[t];
    if (re === 0 && im === 0) continue;
    for (const s of symmetries) {
      if (parity32(s.zMask & x) !== 0) {
        throw new InputError(`operator term ${pauliLabel(x, z)} does not commute with the symmetry ${s.label}`);
      }
      if (((z >>> s.qubit) & 1) === 0) continue;
      // P → −P · X_q · τ
      const xq = (1 << s.qubit) >>> 0;
      let k = pauliProductPhase(x, z, xq, 0);
      x = (x ^ xq) >>> 0;
      k += pauliProductPhase(x, z, 0, s.zMask);
      z = (z ^ s.zMask) >>> 0;
      k += 2; // the minus sign
      for (let r = 0; r < (k & 3); r++) {
        const nr = -im;
        im = re;
        re = nr;
      }
    }
    for (let i = 0; i < symmetries.length; i++) {
      const q = symmetries[i].qubit;
      if ((z >>> q) & 1) {
        throw new InputError(`operator term does not commute with the symmetry ${symmetries[i].label}`);
      }
      if ((x >>> q) & 1 && sector[i] < 0) {
        re = -re;
        im = -im;
      }
    }
    out.push({ x: compressBits(x, removedMask), z: compressBits(z, removedMask), re, im });
  }
  return PauliSum.fromTerms(n - symmetries.length, out).simplify(tolerance);
}

/**
 * Taper an operator: find its Z2 symmetries (or use given ones), choose the sector of a reference
 * state, rotate and remove one qubit per symmetry.
 * @throws InputError when no sector information is given or it does not match the symmetries.
 */
export function taper(op: PauliSum, options: TaperOptions): TaperingResult {
  const symmetries = options.symmetries ?? findZ2Symmetries(op);
  const tolerance = options.tolerance ?? 1e-12;
  const sector = new Int8Array(symmetries.length);
  let refBits: number | undefined = options.hfBits;
  if (refBits === undefined && options.occupiedModes !== undefined) {
    if (!options.mapping) throw new InputError('taper: occupiedModes needs the mapping as well');
    refBits = occupationToQubitBits(options.occupiedModes, op.nQubits, options.mapping);
  }
  if (refBits !== undefined) {
    for (let i = 0; i < symmetries.length; i++) sector[i] = parity32(symmetries[i].zMask & refBits) ? -1 : 1;
  } else if (options.sector !== undefined) {
    if (options.sector.length !== symmetries.length) {
      throw new InputError(`taper: ${options.sector.length} sector values given for ${symmetries.length} symmetries`);
    }
    for (let i = 0; i < symmetries.length; i++) {
      const s = options.sector[i];
      if (s !== 1 && s !== -1) throw new InputError(`taper: sector values must be +1 or −1, got ${s}`);
      sector[i] = s;
    }
  } else {
    throw new InputError('taper: give hfBits, occupiedModes with mapping, or sector');
  }
  let removedMask = 0;
  for (const s of symmetries) removedMask |= 1 << s.qubit;
  removedMask >>>= 0;
  const removedQubits = Int32Array.from(symmetries.map((s) => s.qubit)).sort();
  const operator = taperWith(op, symmetries, sector, removedMask, tolerance);
  return {
    operator,
    nQubitsRemoved: symmetries.length,
    symmetries,
    sector,
    removedQubits,
    taperOther: (other: PauliSumData, tol = tolerance) => {
      if (other.nQubits !== op.nQubits) {
        throw new InputError(`taperOther: operator acts on ${other.nQubits} qubits, expected ${op.nQubits}`);
      }
      return taperWith(other, symmetries, sector, removedMask, tol);
    },
    taperBits: (bits: number) => {
      for (let i = 0; i < symmetries.length; i++) {
        const s = parity32(symmetries[i].zMask & bits) ? -1 : 1;
        if (s !== sector[i]) {
          throw new InputError(`taperBits: basis state ${bits} is not in the tapered sector of ${symmetries[i].label}`);
        }
      }
      return compressBits(bits, removedMask);
    },
  };
}
