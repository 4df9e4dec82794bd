/**
 * Pulay DIIS (direct inversion in the iterative subspace), shared by SCF and coupled cluster.
 *
 * Keeps a sliding window of up to `capacity` entries, each a list of value vectors (e.g. one Fock
 * matrix per spin, or one flat amplitude vector) and one error vector (the SCF orbital gradient
 * Xᵀ(FDS − SDF)X, or the amplitude update). The extrapolation is Σ c_i v_i with c minimising
 * |Σ c_i e_i|² subject to Σ c_i = 1:
 *
 *   [ B  −1 ] [c]   [ 0 ]
 *   [ −1  0 ] [λ] = [ −1 ],   B_ij = e_i · e_j  (scaled by max_i B_ii for conditioning).
 *
 * Storage is allocated on the first push and reused (a ring buffer), so iterations do not allocate
 * vectors. Entries are ordered oldest to newest in B. When the system is singular the oldest entries
 * are discarded until it is solvable; with one entry left the extrapolation is that entry.
 */
import { InputError } from './errors.js';
import { solveLinearSystem } from './linalg.js';

/** DIIS extrapolation over a sliding window of (values, error) pairs. */
export class Diis {
  private values: Float64Array[][] = [];
  private errors: Float64Array[] = [];
  /** overlaps[slotA * capacity + slotB] = e_A · e_B, kept incrementally. */
  private readonly overlaps: Float64Array;
  /** The bordered B matrix and right-hand side of the extrapolation, reused (sized for a full window). */
  private readonly system: Float64Array;
  private readonly rhs: Float64Array;
  /** Ring-buffer slot of the oldest stored entry. */
  private oldest = 0;
  private count = 0;

  /** @param capacity maximum number of stored entries (≥ 1). */
  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new InputError(`DIIS capacity must be a positive integer, got ${capacity}`);
    this.overlaps = new Float64Array(capacity * capacity);
    this.system = new Float64Array((capacity + 1) * (capacity + 1));
    this.rhs = new Float64Array(capacity + 1);
  }

  /** Number of stored entries. */
  get length(): number {
    return this.count;
  }

  /** Forget all stored entries (storage is kept). */
  reset(): void {
    this.count = 0;
    this.oldest = 0;
  }

  /**
   * Store copies of `values` and `error`, discarding the oldest entry when full. Every push must use
   * the same number of value vectors with the same lengths, and error vectors of the same length.
   */
  push(values: readonly Float64Array[], error: Float64Array): void {
    if (this.errors.length === 0) {
      this.values = Array.from({ length: this.capacity }, () => values.map((v) => new Float64Array(v.length)));
      this.errors = Array.from({ length: this.capacity }, () => new Float64Array(error.length));
    }
    const shape = this.values[0];
    if (values.length !== shape.length || error.length !== this.errors[0].length || values.some((v, k) => v.length !== shape[k].length)) {
      throw new InputError('DIIS push: the value and error vectors must keep the shape of the first push');
    }
    const cap = this.capacity;
    if (this.count === cap) {
      this.oldest = (this.oldest + 1) % cap;
      this.count--;
    }
    const slot = (this.oldest + this.count) % cap;
    const stored = this.values[slot];
    for (let k = 0; k < values.length; k++) stored[k].set(values[k]);
    const e = this.errors[slot];
    e.set(error);
    this.count++;
    for (let age = 0; age < this.count; age++) {
      const other = (this.oldest + age) % cap;
      const d = dot(this.errors[other], e);
      this.overlaps[other * cap + slot] = d;
      this.overlaps[slot * cap + other] = d;
    }
  }

  /**
   * Write the extrapolated values into `out` (same shape as the pushed values). Returns the number of
   * entries used: 0 when nothing is stored (out untouched), 1 when the newest entry was copied.
   */
  extrapolate(out: readonly Float64Array[]): number {
    const cap = this.capacity;
    while (this.count > 1) {
      const m = this.count;
      const dim = m + 1;
      const b = this.system.subarray(0, dim * dim);
      b[m * dim + m] = 0;
      let scale = 0;
      for (let i = 0; i < m; i++) {
        const si = (this.oldest + i) % cap;
        scale = Math.max(scale, Math.abs(this.overlaps[si * cap + si]));
      }
      if (!(scale > 0)) break;
      for (let i = 0; i < m; i++) {
        const si = (this.oldest + i) % cap;
        for (let j = 0; j < m; j++) b[i * dim + j] = this.overlaps[si * cap + ((this.oldest + j) % cap)] / scale;
        b[i * dim + m] = -1;
        b[m * dim + i] = -1;
      }
      const rhs = this.rhs.subarray(0, dim).fill(0);
      rhs[m] = -1;
      const c = solveLinearSystem(b, rhs, dim);
      if (c && c.every(Number.isFinite)) {
        for (let k = 0; k < out.length; k++) {
          const o = out[k];
          o.fill(0);
          for (let i = 0; i < m; i++) {
            const v = this.values[(this.oldest + i) % cap][k];
            const ci = c[i];
            for (let x = 0; x < o.length; x++) o[x] += ci * v[x];
          }
        }
        return m;
      }
      // Singular: the oldest error vectors are (nearly) linearly dependent on the newer ones.
      this.oldest = (this.oldest + 1) % cap;
      this.count--;
    }
    if (this.count === 0) return 0;
    const newest = this.values[(this.oldest + this.count - 1) % cap];
    for (let k = 0; k < out.length; k++) out[k].set(newest[k]);
    return 1;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
