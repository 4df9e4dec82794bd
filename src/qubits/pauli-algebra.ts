/**
 * Bit-level kernels of the Pauli algebra.
 *
 * A Pauli string is a pair of bit masks (x, z) over ≤ 30 qubits (qubit 0 = bit 0). Per qubit:
 * (0,0) = I, (1,0) = X, (0,1) = Z, (1,1) = Y. With Y = iXZ, the string equals
 *   P(x, z) = i^{|x∧z|} X^x Z^z,
 * where X^x Z^z = Π_k X_k^{x_k} Z_k^{z_k} and |·| is the popcount. From Z^a X^b = (−1)^{|a∧b|} X^b Z^a,
 *   P(x1,z1) P(x2,z2) = i^{|x1∧z1| + |x2∧z2| + 2|z1∧x2| − |x3∧z3|} P(x3, z3),   x3 = x1⊕x2, z3 = z1⊕z2,
 * and on a computational basis state P(x,z)|i⟩ = i^{|x∧z|} (−1)^{|z∧i|} |i ⊕ x⟩.
 * Phases are returned as an exponent k of i^k, reduced to 0..3.
 */

import { parity32, popcount32 } from '../core/index.js';

/** Exponent k (0..3) with P(x1,z1)·P(x2,z2) = i^k P(x1⊕x2, z1⊕z2). */
export function pauliProductPhase(x1: number, z1: number, x2: number, z2: number): number {
  const x3 = x1 ^ x2;
  const z3 = z1 ^ z2;
  const k = popcount32(x1 & z1) + popcount32(x2 & z2) + 2 * popcount32(z1 & x2) - popcount32(x3 & z3);
  return ((k % 4) + 4) % 4;
}

/** Whether P(x1,z1) and P(x2,z2) commute (symplectic inner product is even). */
export function pauliStringsCommute(x1: number, z1: number, x2: number, z2: number): boolean {
  return parity32((x1 & z2) ^ (z1 & x2)) === 0;
}

/** Whether P(x1,z1) and P(x2,z2) commute qubit by qubit (equal letters or an identity on every qubit). */
export function pauliStringsQubitWiseCommute(x1: number, z1: number, x2: number, z2: number): boolean {
  const common = (x1 | z1) & (x2 | z2);
  return ((x1 ^ x2) & common) === 0 && ((z1 ^ z2) & common) === 0;
}

/**
 * Open-addressing hash table from Pauli strings (x, z) to complex coefficients, used to merge
 * equal strings while building sums (products, mappings, simplification) without per-term objects.
 */
export class PauliTermAccumulator {
  private capacity: number;
  private keysX: Uint32Array;
  private keysZ: Uint32Array;
  private slotOfTerm: Int32Array;
  private slot: Int32Array; // term index + 1, 0 = empty
  private re: Float64Array;
  private im: Float64Array;
  private count = 0;

  constructor(expectedTerms = 64) {
    let cap = 16;
    while (cap < 2 * expectedTerms) cap *= 2;
    this.capacity = cap;
    this.slot = new Int32Array(cap);
    this.keysX = new Uint32Array(cap >>> 1);
    this.keysZ = new Uint32Array(cap >>> 1);
    this.re = new Float64Array(cap >>> 1);
    this.im = new Float64Array(cap >>> 1);
    this.slotOfTerm = new Int32Array(cap >>> 1);
  }

  /** Number of distinct strings seen so far. */
  get size(): number {
    return this.count;
  }

  /** Add (re + i·im)·P(x, z). */
  add(x: number, z: number, re: number, im: number): void {
    x >>>= 0;
    z >>>= 0;
    const mask = this.capacity - 1;
    let h = (Math.imul(x ^ (x >>> 16), 0x9e3779b1) ^ Math.imul(z ^ (z >>> 15), 0x85ebca77)) >>> 0;
    h = (h ^ (h >>> 13)) & mask;
    for (;;) {
      const s = this.slot[h];
      if (s === 0) break;
      const t = s - 1;
      if (this.keysX[t] === x && this.keysZ[t] === z) {
        this.re[t] += re;
        this.im[t] += im;
        return;
      }
      h = (h + 1) & mask;
    }
    const t = this.count++;
    this.slot[h] = t + 1;
    this.slotOfTerm[t] = h;
    this.keysX[t] = x;
    this.keysZ[t] = z;
    this.re[t] = re;
    this.im[t] = im;
    if (2 * this.count >= this.capacity) this.grow();
  }

  /** Add c·i^k·P(x, z) with c = re + i·im. */
  addWithPhase(x: number, z: number, re: number, im: number, k: number): void {
    switch (k & 3) {
      case 0:
        this.add(x, z, re, im);
        break;
      case 1:
        this.add(x, z, -im, re);
        break;
      case 2:
        this.add(x, z, -re, -im);
        break;
      default:
        this.add(x, z, im, -re);
    }
  }

  private grow(): void {
    const oldCount = this.count;
    const cap = this.capacity * 2;
    const half = cap >>> 1;
    const keysX = new Uint32Array(half);
    const keysZ = new Uint32Array(half);
    const re = new Float64Array(half);
    const im = new Float64Array(half);
    keysX.set(this.keysX.subarray(0, oldCount));
    keysZ.set(this.keysZ.subarray(0, oldCount));
    re.set(this.re.subarray(0, oldCount));
    im.set(this.im.subarray(0, oldCount));
    this.keysX = keysX;
    this.keysZ = keysZ;
    this.re = re;
    this.im = im;
    this.capacity = cap;
    this.slot = new Int32Array(cap);
    this.slotOfTerm = new Int32Array(half);
    const mask = cap - 1;
    for (let t = 0; t < oldCount; t++) {
      const x = keysX[t];
      const z = keysZ[t];
      let h = (Math.imul(x ^ (x >>> 16), 0x9e3779b1) ^ Math.imul(z ^ (z >>> 15), 0x85ebca77)) >>> 0;
      h = (h ^ (h >>> 13)) & mask;
      while (this.slot[h] !== 0) h = (h + 1) & mask;
      this.slot[h] = t + 1;
      this.slotOfTerm[t] = h;
    }
  }

  /**
   * The accumulated terms with |c| ≥ tolerance (and c ≠ 0), in insertion order, as parallel arrays.
   */
  collect(tolerance: number): { x: Uint32Array; z: Uint32Array; re: Float64Array; im: Float64Array } {
    let kept = 0;
    const tol2 = tolerance * tolerance;
    for (let t = 0; t < this.count; t++) {
      const n2 = this.re[t] * this.re[t] + this.im[t] * this.im[t];
      if (n2 > 0 && n2 >= tol2) kept++;
    }
    const x = new Uint32Array(kept);
    const z = new Uint32Array(kept);
    const re = new Float64Array(kept);
    const im = new Float64Array(kept);
    let j = 0;
    for (let t = 0; t < this.count; t++) {
      const r = this.re[t];
      const i = this.im[t];
      const n2 = r * r + i * i;
      if (n2 > 0 && n2 >= tol2) {
        x[j] = this.keysX[t];
        z[j] = this.keysZ[t];
        re[j] = r;
        im[j] = i;
        j++;
      }
    }
    return { x, z, re, im };
  }
}

/**
 * Remove the bit positions set in `removed` from `mask`, shifting higher bits down
 * (qubits above a removed qubit are renumbered).
 */
export function compressBits(mask: number, removed: number): number {
  let out = 0;
  let outBit = 0;
  for (let b = 0; b < 31; b++) {
    if ((removed >>> b) & 1) continue;
    if ((mask >>> b) & 1) out |= 1 << outBit;
    outBit++;
  }
  return out >>> 0;
}
