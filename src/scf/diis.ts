/**
 * Pulay DIIS (direct inversion in the iterative subspace) for SCF.
 *
 * Stores up to `size` pairs (Fock matrices, error vector) where the error is the orbital gradient
 * e = Xᵀ(F D S − S D F)X in the orthogonal basis (one block per spin, concatenated). The
 * extrapolated Fock matrix is Σ c_i F_i with c minimising |Σ c_i e_i|² subject to Σ c_i = 1:
 *
 *   [ B  −1 ] [c]   [ 0 ]
 *   [ −1  0 ] [λ] = [ −1 ],   B_ij = e_i · e_j.
 */
import { solveLinearSystem } from '../core/linalg.js';

/** DIIS extrapolation over a sliding window of Fock matrices. */
export class Diis {
  private readonly focks: Float64Array[][] = [];
  private readonly errors: Float64Array[] = [];
  /** Overlaps e_i · e_j of the stored errors, kept incrementally. */
  private readonly overlaps: number[][] = [];

  constructor(private readonly size: number) {}

  /** Number of stored vectors. */
  get length(): number {
    return this.errors.length;
  }

  /** Add Fock matrices (one per spin, copied) and their error vector (copied). */
  push(focks: readonly Float64Array[], error: Float64Array): void {
    if (this.errors.length === this.size) {
      this.focks.shift();
      this.errors.shift();
      this.overlaps.shift();
      for (const row of this.overlaps) row.shift();
    }
    const e = error.slice();
    const row: number[] = [];
    for (let i = 0; i < this.errors.length; i++) {
      const d = dot(this.errors[i], e);
      row.push(d);
      this.overlaps[i].push(d);
    }
    row.push(dot(e, e));
    this.overlaps.push(row);
    this.errors.push(e);
    this.focks.push(focks.map((f) => f.slice()));
  }

  /**
   * Extrapolated Fock matrices written into `out` (one per spin). Falls back to the newest Fock
   * matrices when the DIIS equations are singular, dropping the oldest vectors until solvable.
   */
  extrapolate(out: Float64Array[]): void {
    while (this.errors.length > 1) {
      const m = this.errors.length;
      const dim = m + 1;
      const b = new Float64Array(dim * dim);
      // Scale B by its largest diagonal element for conditioning.
      let scale = 0;
      for (let i = 0; i < m; i++) scale = Math.max(scale, this.overlaps[i][i]);
      if (!(scale > 0)) break;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++) b[i * dim + j] = this.overlaps[i][j] / scale;
        b[i * dim + m] = -1;
        b[m * dim + i] = -1;
      }
      const rhs = new Float64Array(dim);
      rhs[m] = -1;
      const c = solveLinearSystem(b, rhs, dim);
      if (c) {
        for (let s = 0; s < out.length; s++) {
          const o = out[s];
          o.fill(0);
          for (let i = 0; i < m; i++) {
            const f = this.focks[i][s];
            const ci = c[i];
            for (let x = 0; x < o.length; x++) o[x] += ci * f[x];
          }
        }
        return;
      }
      this.focks.shift();
      this.errors.shift();
      this.overlaps.shift();
      for (const row of this.overlaps) row.shift();
    }
    const newest = this.focks[this.focks.length - 1];
    for (let s = 0; s < out.length; s++) out[s].set(newest[s]);
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
