/**
 * Davidson start for full CI: the "H0 block" of the lowest-diagonal determinants of a sector (its
 * matrix elements by the Slater–Condon rules in the string formulation), whose lowest eigenvectors
 * are the starting vectors and whose exact inverse preconditions Davidson, and the spin-adapted unit
 * basis used by the dense solver. Vectors are in the blocked sector layout of fci-sigma.ts.
 */
import { symmetricEigen } from '../core/index.js';
import type { SparseStringMatrix } from './fci-kernels.js';
import type { StringSpace } from './fci-strings.js';
import type { FciOperator, SectorOperator } from './fci-sigma.js';

/** Indices of the `k` smallest entries of `d` (ascending, ties by index). */
function lowestIndices(d: Float64Array, k: number, accept: (i: number) => boolean): number[] {
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < d.length; i++) {
    if (idx.length === k && d[i] >= val[k - 1]) continue;
    if (!accept(i)) continue;
    let pos = idx.length;
    while (pos > 0 && val[pos - 1] > d[i]) pos--;
    idx.splice(pos, 0, i);
    val.splice(pos, 0, d[i]);
    if (idx.length > k) {
      idx.pop();
      val.pop();
    }
  }
  return idx;
}

/** Position of `col` in CSR row `row` of a sparse string matrix, or −1. */
function sparseLookup(f: SparseStringMatrix, row: number, col: number): number {
  let lo = f.rowStart[row];
  let hi = f.rowStart[row + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = f.column[mid];
    if (c === col) return f.value[mid];
    if (c < col) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/**
 * For strings I, J of one spin differing by one replacement (|I⟩ = ± E_ij |J⟩), return
 * 2·(i·n + j) + (sign < 0 ? 1 : 0) with sign = ⟨I|E_ij|J⟩ (one number: this runs for every pair of
 * the H0 block, so no array is built); −1 when they differ by more.
 */
function singleDifference(space: StringSpace, I: number, J: number): number {
  const n = space.nOrbitals;
  const oi = space.occupation;
  let i = -1;
  let j = -1;
  for (let p = 0; p < n; p++) {
    const a = oi[I * n + p];
    const b = oi[J * n + p];
    if (a === b) continue;
    if (a === 1) {
      if (i >= 0) return -1;
      i = p;
    } else {
      if (j >= 0) return -1;
      j = p;
    }
  }
  if (i < 0 || j < 0) return -1;
  let between = 0;
  for (let p = Math.min(i, j) + 1; p < Math.max(i, j); p++) between += oi[J * n + p];
  return 2 * (i * n + j) + (between & 1);
}

/** The orbital pair index i·n + j of a {@link singleDifference} code. */
const pairOf = (code: number): number => code >> 1;
/** The sign of a {@link singleDifference} code. */
const signOf = (code: number): number => ((code & 1) === 1 ? -1 : 1);

/** ⟨Iα Iβ|H − constant|Jα Jβ⟩ by the Slater–Condon rules in the string formulation. */
function matrixElement(op: FciOperator, ia: number, ib: number, ja: number, jb: number): number {
  const nb = op.beta.count;
  if (ia === ja && ib === jb) return op.diagonal[ia * nb + ib];
  const n = op.n;
  const n2 = n * n;
  const g = op.g;
  if (ia === ja) {
    let v = sparseLookup(op.fBeta, ib, jb);
    const d = singleDifference(op.beta, ib, jb);
    if (d >= 0) {
      const kl = pairOf(d);
      const sign = signOf(d);
      for (let t = 0; t < op.alpha.nElectrons; t++) {
        const a = op.alpha.occupied[ia * op.alpha.nElectrons + t];
        v += sign * g[(a * n + a) * n2 + kl];
      }
    }
    return v;
  }
  if (ib === jb) {
    let v = sparseLookup(op.fAlpha, ia, ja);
    const d = singleDifference(op.alpha, ia, ja);
    if (d >= 0) {
      const ij = pairOf(d);
      const sign = signOf(d);
      for (let t = 0; t < op.beta.nElectrons; t++) {
        const b = op.beta.occupied[ib * op.beta.nElectrons + t];
        v += sign * g[ij * n2 + b * n + b];
      }
    }
    return v;
  }
  const da = singleDifference(op.alpha, ia, ja);
  if (da < 0) return 0;
  const db = singleDifference(op.beta, ib, jb);
  if (db < 0) return 0;
  return signOf(da) * signOf(db) * g[pairOf(da) * n2 + pairOf(db)];
}

/**
 * The H0 block: `index` lists its determinants (sector positions), `vectors` (index.length × columns,
 * row-major) the eigenvectors of H on it with eigenvalues `values`. With a spin-flip parity only the
 * eigenvectors of that parity are kept: the block is closed under the flip and H commutes with it, so
 * the two parities decouple and vectors of the chosen parity never touch the others.
 */
export interface H0Block {
  index: number[];
  values: Float64Array;
  vectors: Float64Array;
  columns: number;
}

/**
 * Davidson starting vectors: the lowest eigenvectors of H in the block of the `blockSize` lowest
 * diagonal determinants of the sector (closed under the spin flip in symmetric modes and diagonalised
 * in its spin-adapted combinations (e_i + t e_flip(i))/√2, half the size), falling back to single
 * determinants when the block gives too few.
 */
export function startingVectors(
  sop: SectorOperator,
  roots: number,
  blockSize: number,
  count: number,
): { guesses: Float64Array[]; block?: H0Block } {
  const nb = sop.op.beta.count;
  const dim = sop.layout.size;
  const toFull = sop.layout.toFull;
  const { parity, flip } = sop;
  const want = Math.max(roots, count);
  const guesses: Float64Array[] = [];
  let block: H0Block | undefined;
  if (blockSize > 0) {
    const picked = lowestIndices(sop.diagonal, Math.min(blockSize, dim), () => true);
    if (flip) {
      const have = new Set(picked);
      for (const i of [...picked]) {
        const t = flip[i];
        if (!have.has(t)) {
          have.add(t);
          picked.push(t);
        }
      }
    }
    const m = picked.length;
    const hb = new Float64Array(m * m);
    for (let x = 0; x < m; x++) {
      const fx = toFull[picked[x]];
      const ia = Math.floor(fx / nb);
      const ib = fx - ia * nb;
      for (let y = 0; y <= x; y++) {
        const fy = toFull[picked[y]];
        const ja = Math.floor(fy / nb);
        const jb = fy - ja * nb;
        hb[x * m + y] = hb[y * m + x] = matrixElement(sop.op, ia, ib, ja, jb);
      }
    }
    // Adapted basis over block positions: element a = c0[a] e_{p0[a]} + c1[a] e_{p1[a]}.
    const p0: number[] = [];
    const p1: number[] = [];
    const c0: number[] = [];
    const c1: number[] = [];
    const add = (x: number, y: number, cx: number, cy: number): void => {
      p0.push(x);
      p1.push(y);
      c0.push(cx);
      c1.push(cy);
    };
    if (flip) {
      const positionOf = new Map<number, number>();
      picked.forEach((i, x) => positionOf.set(i, x));
      for (let x = 0; x < m; x++) {
        const y = positionOf.get(flip[picked[x]])!;
        // A determinant that is its own flip (Iα = Iβ) has even parity.
        if (y === x && parity > 0) add(x, x, 1, 0);
        else if (y > x) add(x, y, Math.SQRT1_2, parity * Math.SQRT1_2);
      }
    } else for (let x = 0; x < m; x++) add(x, x, 1, 0);
    const ma = p0.length;
    const ha = new Float64Array(ma * ma);
    for (let a = 0; a < ma; a++) {
      for (let b = 0; b <= a; b++) {
        const v =
          c0[a] * (c0[b] * hb[p0[a] * m + p0[b]] + c1[b] * hb[p0[a] * m + p1[b]]) +
          c1[a] * (c0[b] * hb[p1[a] * m + p0[b]] + c1[b] * hb[p1[a] * m + p1[b]]);
        ha[a * ma + b] = ha[b * ma + a] = v;
      }
    }
    const eig = symmetricEigen(ha, ma);
    const vectors = new Float64Array(m * ma);
    for (let a = 0; a < ma; a++) {
      for (let k = 0; k < ma; k++) {
        const u = eig.vectors[a * ma + k];
        vectors[p0[a] * ma + k] += c0[a] * u;
        vectors[p1[a] * ma + k] += c1[a] * u;
      }
    }
    block = { index: picked, values: eig.values, vectors, columns: ma };
    for (let k = 0; k < ma && guesses.length < want; k++) {
      const v = new Float64Array(dim);
      for (let x = 0; x < m; x++) v[picked[x]] = vectors[x * ma + k];
      guesses.push(v);
    }
  }
  if (guesses.length < want) {
    const picks = lowestIndices(sop.diagonal, want, (i) => {
      if (!flip) return true;
      return parity > 0 ? flip[i] <= i : flip[i] < i;
    });
    for (const i of picks) {
      if (guesses.length >= want) break;
      const v = new Float64Array(dim);
      v[i] = 1;
      if (flip) v[flip[i]] += parity;
      guesses.push(v);
    }
  }
  return { guesses, block };
}

/**
 * H0-block preconditioner: out = (θ − H_PP)^-1 v on the block P of the starting-vector block (exact,
 * through its eigenvectors; for vectors of the block's parity) and (θ − H_ii)^-1 v_i elsewhere.
 */
export function blockPreconditioner(diagonal: Float64Array, block: H0Block): (theta: number, v: Float64Array, out: Float64Array) => void {
  const m = block.index.length;
  const nv = block.columns;
  const idx = Int32Array.from(block.index);
  // the returned function reads locals, not the block: its optimised code then depends on no
  // object shape (it had been thrown away when H0 blocks with index arrays of another kind came)
  const vectors = block.vectors;
  const values = block.values;
  const y = new Float64Array(nv);
  const guard = (d: number): number => (Math.abs(d) < 1e-8 ? (d < 0 ? -1e-8 : 1e-8) : d);
  return (theta, v, out) => {
    for (let i = 0; i < v.length; i++) out[i] = v[i] / guard(theta - diagonal[i]);
    y.fill(0);
    for (let a = 0; a < m; a++) {
      const va = v[idx[a]];
      if (va === 0) continue;
      const row = a * nv;
      for (let k = 0; k < nv; k++) y[k] += vectors[row + k] * va;
    }
    for (let k = 0; k < nv; k++) y[k] /= guard(theta - values[k]);
    for (let a = 0; a < m; a++) {
      const row = a * nv;
      let s = 0;
      for (let k = 0; k < nv; k++) s += vectors[row + k] * y[k];
      out[idx[a]] = s;
    }
  };
}

/** Number of elements of {@link adaptedBasis} (without building it: a large sector's basis takes gigabytes). */
export function adaptedBasisSize(size: number, flip: Int32Array | undefined, parity: number): number {
  if (!flip) return size;
  let count = 0;
  for (let i = 0; i < size; i++) if (flip[i] === i ? parity > 0 : flip[i] < i) count++;
  return count;
}

/** Symmetry-adapted unit basis of a sector: each element a pair of (index, coefficient); typed arrays, as a sector can hold more elements than a JS array may. */
export function adaptedBasis(size: number, flip: Int32Array | undefined, parity: number): { index: Int32Array; coef: Float64Array; size: number } {
  const kept = (i: number): boolean => !flip || (flip[i] === i ? parity > 0 : flip[i] < i);
  const count = adaptedBasisSize(size, flip, parity);
  const index = new Int32Array(count * 2);
  const coef = new Float64Array(count * 2);
  const r = Math.SQRT1_2;
  let k = 0;
  for (let i = 0; i < size; i++) {
    if (!kept(i)) continue;
    if (!flip || flip[i] === i) {
      index[2 * k] = i;
      coef[2 * k] = 1;
      index[2 * k + 1] = i;
      coef[2 * k + 1] = 0;
    } else {
      index[2 * k] = i;
      coef[2 * k] = r;
      index[2 * k + 1] = flip[i];
      coef[2 * k + 1] = parity * r;
    }
    k++;
  }
  return { index, coef, size: count };
}
