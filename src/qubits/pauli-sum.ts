/**
 * PauliSum: a linear combination of Pauli strings with complex coefficients,
 *   O = Σ_t (coeffRe[t] + i coeffIm[t]) · P(x[t], z[t]),
 * stored as parallel typed arrays (the PauliSumData layout of pauli-layout.ts). Y is its own letter
 * (both bits set), not iXZ; products carry the phases of pauli-algebra.ts.
 *
 * Text forms: sparse labels 'X0 Z1 Y3' (letter followed by qubit index, optional spaces) or dense labels
 * 'XZIY' in which character k acts on qubit k (leftmost character = qubit 0). '' or 'I' is the identity.
 * Instances are immutable; every operation returns a new PauliSum.
 */
import { InputError } from '../core/index.js';
import { MAX_PAULI_QUBITS, type PauliSumData } from './pauli-layout.js';
import { I_POWER_IM, I_POWER_RE, parity32, popcount32 } from '../core/index.js';
import { PauliTermAccumulator, pauliProductPhase } from './pauli-algebra.js';

/** One term given by masks: (re + i·im)·P(x, z). */
export interface PauliTerm {
  x: number;
  z: number;
  re: number;
  im?: number;
}

/** A coefficient: a real number or a [re, im] pair. */
export type PauliCoefficient = number | readonly [number, number];

/** Default tolerance below which merged coefficients are dropped by {@link PauliSum.simplify}. */
export const DEFAULT_PAULI_TOLERANCE = 1e-12;

function checkQubitCount(nQubits: number): void {
  if (!Number.isInteger(nQubits) || nQubits < 0 || nQubits > MAX_PAULI_QUBITS) {
    throw new InputError(`PauliSum: qubit count ${nQubits} must be an integer in 0..${MAX_PAULI_QUBITS}`);
  }
}

/**
 * Parse a Pauli label into masks. Sparse form 'X0 Z1 Y3' (indices explicit) or dense form 'XZIY'
 * (character k acts on qubit k).
 */
export function parsePauliLabel(label: string, nQubits: number): { x: number; z: number } {
  checkQubitCount(nQubits);
  const text = label.trim();
  let x = 0;
  let z = 0;
  if (text === '' || text === 'I') return { x, z };
  if (/\d/.test(text)) {
    const re = /\s*([IXYZixyz])\s*(\d+)\s*/y;
    let pos = 0;
    let seen = 0;
    while (pos < text.length) {
      re.lastIndex = pos;
      const m = re.exec(text);
      if (!m) throw new InputError(`Pauli label '${label}': cannot read '${text.slice(pos)}'`);
      pos = re.lastIndex;
      const letter = m[1].toUpperCase();
      const q = Number(m[2]);
      if (q >= nQubits) throw new InputError(`Pauli label '${label}': qubit ${q} is outside 0..${nQubits - 1}`);
      const bit = 1 << q;
      if (seen & bit) throw new InputError(`Pauli label '${label}': qubit ${q} appears twice`);
      seen |= bit;
      if (letter === 'X' || letter === 'Y') x |= bit;
      if (letter === 'Z' || letter === 'Y') z |= bit;
    }
    return { x: x >>> 0, z: z >>> 0 };
  }
  const dense = text.replace(/\s+/g, '');
  if (!/^[IXYZixyz]+$/.test(dense)) throw new InputError(`Pauli label '${label}': only I, X, Y, Z allowed`);
  if (dense.length > nQubits) {
    throw new InputError(`Pauli label '${label}' has ${dense.length} letters for ${nQubits} qubits`);
  }
  for (let k = 0; k < dense.length; k++) {
    const letter = dense[k].toUpperCase();
    if (letter === 'X' || letter === 'Y') x |= 1 << k;
    if (letter === 'Z' || letter === 'Y') z |= 1 << k;
  }
  return { x: x >>> 0, z: z >>> 0 };
}

/** Sparse label 'X0 Z1 Y3' of the string P(x, z) ('I' for the identity). */
export function pauliLabel(x: number, z: number): string {
  const parts: string[] = [];
  for (let q = 0; q < 31; q++) {
    const xb = (x >>> q) & 1;
    const zb = (z >>> q) & 1;
    if (xb && zb) parts.push(`Y${q}`);
    else if (xb) parts.push(`X${q}`);
    else if (zb) parts.push(`Z${q}`);
  }
  return parts.length === 0 ? 'I' : parts.join(' ');
}

/** Dense label of P(x, z) on nQubits qubits: character k is the letter on qubit k. */
export function densePauliLabel(x: number, z: number, nQubits: number): string {
  let s = '';
  for (let q = 0; q < nQubits; q++) {
    const xb = (x >>> q) & 1;
    const zb = (z >>> q) & 1;
    s += xb && zb ? 'Y' : xb ? 'X' : zb ? 'Z' : 'I';
  }
  return s;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(Number(v.toPrecision(12)));
}

/** A sum of Pauli strings with complex coefficients (see the module header for the layout). */
export class PauliSum implements PauliSumData {
  readonly nQubits: number;
  readonly x: Uint32Array;
  readonly z: Uint32Array;
  readonly coeffRe: Float64Array;
  readonly coeffIm: Float64Array;

  /**
   * Wrap parallel arrays (taken over, not copied). Terms are not merged; call {@link simplify}.
   * @throws InputError when lengths differ or a mask addresses a qubit ≥ nQubits.
   */
  constructor(nQubits: number, x: Uint32Array, z: Uint32Array, coeffRe: Float64Array, coeffIm?: Float64Array) {
    checkQubitCount(nQubits);
    const n = x.length;
    const im = coeffIm ?? new Float64Array(n);
    if (z.length !== n || coeffRe.length !== n || im.length !== n) {
      throw new InputError('PauliSum: x, z, coeffRe and coeffIm must have the same length');
    }
    const outside = nQubits >= 32 ? 0 : ~((1 << nQubits) - 1) >>> 0;
    for (let t = 0; t < n; t++) {
      if ((x[t] | z[t]) & outside) {
        throw new InputError(`PauliSum: term ${t} acts on a qubit ≥ ${nQubits}`);
      }
    }
    this.nQubits = nQubits;
    this.x = x;
    this.z = z;
    this.coeffRe = coeffRe;
    this.coeffIm = im;
  }

  /** Number of stored terms. */
  get nTerms(): number {
    return this.x.length;
  }

  /** The zero operator on nQubits qubits. */
  static zero(nQubits: number): PauliSum {
    return new PauliSum(nQubits, new Uint32Array(0), new Uint32Array(0), new Float64Array(0), new Float64Array(0));
  }

  /** c·I on nQubits qubits. */
  static identity(nQubits: number, re = 1, im = 0): PauliSum {
    return new PauliSum(nQubits, new Uint32Array(1), new Uint32Array(1), Float64Array.of(re), Float64Array.of(im));
  }

  /** A sum of terms given by masks (equal strings are merged, exact zeros dropped). */
  static fromTerms(nQubits: number, terms: Iterable<PauliTerm>): PauliSum {
    checkQubitCount(nQubits);
    const acc = new PauliTermAccumulator();
    for (const t of terms) acc.add(t.x, t.z, t.re, t.im ?? 0);
    return PauliSum.fromAccumulator(nQubits, acc, 0);
  }

  /** A single string c·P from a label ('X0 Z1 Y3' or 'XZIY'). */
  static fromLabel(nQubits: number, label: string, re = 1, im = 0): PauliSum {
    const { x, z } = parsePauliLabel(label, nQubits);
    return new PauliSum(nQubits, Uint32Array.of(x), Uint32Array.of(z), Float64Array.of(re), Float64Array.of(im));
  }

  /** A sum from [label, coefficient] pairs, e.g. [['Z0', 0.17], ['X0 X1 Y2 Y3', [0, 0.5]]]. */
  static fromLabels(nQubits: number, entries: Iterable<readonly [string, PauliCoefficient]>): PauliSum {
    const acc = new PauliTermAccumulator();
    for (const [label, c] of entries) {
      const { x, z } = parsePauliLabel(label, nQubits);
      if (typeof c === 'number') acc.add(x, z, c, 0);
      else acc.add(x, z, c[0], c[1]);
    }
    return PauliSum.fromAccumulator(nQubits, acc, 0);
  }

  /** Build from an accumulator, dropping |c| < tolerance. */
  static fromAccumulator(nQubits: number, acc: PauliTermAccumulator, tolerance = DEFAULT_PAULI_TOLERANCE): PauliSum {
    const { x, z, re, im } = acc.collect(tolerance);
    return new PauliSum(nQubits, x, z, re, im);
  }

  /** The same operator regarded as acting on more qubits. */
  withQubitCount(nQubits: number): PauliSum {
    if (nQubits < this.nQubits) {
      return new PauliSum(nQubits, this.x.slice(), this.z.slice(), this.coeffRe.slice(), this.coeffIm.slice());
    }
    checkQubitCount(nQubits);
    return new PauliSum(nQubits, this.x, this.z, this.coeffRe, this.coeffIm);
  }

  private sameSpace(other: PauliSumData): number {
    return Math.max(this.nQubits, other.nQubits);
  }

  /** this + other, merged. */
  add(other: PauliSumData): PauliSum {
    const acc = new PauliTermAccumulator(this.nTerms + other.x.length);
    for (let t = 0; t < this.nTerms; t++) acc.add(this.x[t], this.z[t], this.coeffRe[t], this.coeffIm[t]);
    for (let t = 0; t < other.x.length; t++) acc.add(other.x[t], other.z[t], other.coeffRe[t], other.coeffIm[t]);
    return PauliSum.fromAccumulator(this.sameSpace(other), acc, 0);
  }

  /** this − other, merged. */
  subtract(other: PauliSumData): PauliSum {
    const acc = new PauliTermAccumulator(this.nTerms + other.x.length);
    for (let t = 0; t < this.nTerms; t++) acc.add(this.x[t], this.z[t], this.coeffRe[t], this.coeffIm[t]);
    for (let t = 0; t < other.x.length; t++) acc.add(other.x[t], other.z[t], -other.coeffRe[t], -other.coeffIm[t]);
    return PauliSum.fromAccumulator(this.sameSpace(other), acc, 0);
  }

  /** (re + i·im)·this. */
  scale(re: number, im = 0): PauliSum {
    const n = this.nTerms;
    const outRe = new Float64Array(n);
    const outIm = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const a = this.coeffRe[t];
      const b = this.coeffIm[t];
      outRe[t] = a * re - b * im;
      outIm[t] = a * im + b * re;
    }
    return new PauliSum(this.nQubits, this.x.slice(), this.z.slice(), outRe, outIm);
  }

  /** The operator product this·other with the phases of the Pauli algebra, merged. */
  multiply(other: PauliSumData): PauliSum {
    const acc = new PauliTermAccumulator(Math.min(1 << 20, this.nTerms * other.x.length));
    for (let a = 0; a < this.nTerms; a++) {
      const xa = this.x[a];
      const za = this.z[a];
      const ra = this.coeffRe[a];
      const ia = this.coeffIm[a];
      for (let b = 0; b < other.x.length; b++) {
        const xb = other.x[b];
        const zb = other.z[b];
        const rb = other.coeffRe[b];
        const ib = other.coeffIm[b];
        const k = pauliProductPhase(xa, za, xb, zb);
        acc.addWithPhase(xa ^ xb, za ^ zb, ra * rb - ia * ib, ra * ib + ia * rb, k);
      }
    }
    return PauliSum.fromAccumulator(this.sameSpace(other), acc, 0);
  }

  /** The commutator [this, other] = this·other − other·this (only anticommuting string pairs contribute). */
  commutator(other: PauliSumData): PauliSum {
    const acc = new PauliTermAccumulator();
    for (let a = 0; a < this.nTerms; a++) {
      const xa = this.x[a];
      const za = this.z[a];
      for (let b = 0; b < other.x.length; b++) {
        const xb = other.x[b];
        const zb = other.z[b];
        // P_a P_b − P_b P_a = 2 P_a P_b when they anticommute, 0 otherwise.
        if (parity32((xa & zb) ^ (za & xb)) === 0) continue;
        const ra = this.coeffRe[a];
        const ia = this.coeffIm[a];
        const rb = other.coeffRe[b];
        const ib = other.coeffIm[b];
        const k = pauliProductPhase(xa, za, xb, zb);
        acc.addWithPhase(xa ^ xb, za ^ zb, 2 * (ra * rb - ia * ib), 2 * (ra * ib + ia * rb), k);
      }
    }
    return PauliSum.fromAccumulator(this.sameSpace(other), acc, 0);
  }

  /** The Hermitian adjoint (Pauli strings are Hermitian, so coefficients are conjugated). */
  adjoint(): PauliSum {
    const im = new Float64Array(this.nTerms);
    for (let t = 0; t < this.nTerms; t++) im[t] = this.coeffIm[t] === 0 ? 0 : -this.coeffIm[t];
    return new PauliSum(this.nQubits, this.x.slice(), this.z.slice(), this.coeffRe.slice(), im);
  }

  /** Merge equal strings and drop terms with |c| < tolerance. */
  simplify(tolerance = DEFAULT_PAULI_TOLERANCE): PauliSum {
    const acc = new PauliTermAccumulator(this.nTerms);
    for (let t = 0; t < this.nTerms; t++) acc.add(this.x[t], this.z[t], this.coeffRe[t], this.coeffIm[t]);
    return PauliSum.fromAccumulator(this.nQubits, acc, tolerance);
  }

  /** Coefficient of the identity string (summed over duplicates). */
  identityCoefficient(): { re: number; im: number } {
    let re = 0;
    let im = 0;
    for (let t = 0; t < this.nTerms; t++) {
      if (this.x[t] === 0 && this.z[t] === 0) {
        re += this.coeffRe[t];
        im += this.coeffIm[t];
      }
    }
    return { re, im };
  }

  /** Coefficient of one string given by masks or label (summed over duplicates; 0 when absent). */
  coefficientOf(string: string | { x: number; z: number }): { re: number; im: number } {
    const { x, z } = typeof string === 'string' ? parsePauliLabel(string, this.nQubits) : string;
    let re = 0;
    let im = 0;
    for (let t = 0; t < this.nTerms; t++) {
      if (this.x[t] === x >>> 0 && this.z[t] === z >>> 0) {
        re += this.coeffRe[t];
        im += this.coeffIm[t];
      }
    }
    return { re, im };
  }

  /** Whether this and other are the same operator, coefficient by coefficient within tolerance. */
  equals(other: PauliSumData, tolerance = 1e-10): boolean {
    const diff = this.subtract(other);
    for (let t = 0; t < diff.nTerms; t++) {
      if (Math.hypot(diff.coeffRe[t], diff.coeffIm[t]) > tolerance) return false;
    }
    return true;
  }

  /** Whether the operator is Hermitian: after merging, every coefficient is real within tolerance. */
  isHermitian(tolerance = 1e-10): boolean {
    const s = this.simplify(0);
    for (let t = 0; t < s.nTerms; t++) if (Math.abs(s.coeffIm[t]) > tolerance) return false;
    return true;
  }

  /** Largest |Im c| over the terms (after merging). */
  maxImaginaryCoefficient(): number {
    const s = this.simplify(0);
    let m = 0;
    for (let t = 0; t < s.nTerms; t++) m = Math.max(m, Math.abs(s.coeffIm[t]));
    return m;
  }

  /** Copy with imaginary parts set to zero (for operators known to be Hermitian). */
  realPart(): PauliSum {
    return new PauliSum(this.nQubits, this.x.slice(), this.z.slice(), this.coeffRe.slice(), new Float64Array(this.nTerms));
  }

  /** Σ_t |c_t| (an upper bound of the spectral norm). */
  oneNorm(): number {
    let s = 0;
    for (let t = 0; t < this.nTerms; t++) s += Math.hypot(this.coeffRe[t], this.coeffIm[t]);
    return s;
  }

  /** Sparse label of term t. */
  termLabel(t: number): string {
    return pauliLabel(this.x[t], this.z[t]);
  }

  /** Number of qubits on which term t is not the identity. */
  termWeight(t: number): number {
    return popcount32(this.x[t] | this.z[t]);
  }

  /** One line per term, 'c [X0 Z1]', terms joined with ' +'. */
  toString(): string {
    if (this.nTerms === 0) return '0';
    const lines: string[] = [];
    for (let t = 0; t < this.nTerms; t++) {
      const re = this.coeffRe[t];
      const im = this.coeffIm[t];
      const c =
        im === 0 ? formatNumber(re) : `(${formatNumber(re)}${im < 0 ? '-' : '+'}${formatNumber(Math.abs(im))}j)`;
      const label = this.x[t] === 0 && this.z[t] === 0 ? '' : pauliLabel(this.x[t], this.z[t]);
      lines.push(`${c} [${label}]`);
    }
    return lines.join(' +\n');
  }

  /** Effective coefficient c·i^{|x∧z|} of term t, so that P|i⟩ = (−1)^{|z∧i|} |i ⊕ x⟩ times it. */
  basisActionCoefficient(t: number): { re: number; im: number } {
    const k = popcount32(this.x[t] & this.z[t]) & 3;
    const pr = I_POWER_RE[k];
    const pi = I_POWER_IM[k];
    const a = this.coeffRe[t];
    const b = this.coeffIm[t];
    return { re: a * pr - b * pi, im: a * pi + b * pr };
  }
}
