/**
 * Hot loops of the density-fitted Fock build (./density-fitting.ts), shared by the calling thread
 * and the worker threads (./density-fitting-worker.ts). No allocation in the per-item functions.
 *
 * Layouts:
 *   B       [P][mn], mn = m(m+1)/2 + n (m ≥ n), the fitted factor, rows of nPair = n(n+1)/2;
 *   U panel [c][l][4], the factor U (n × r, D = U Uᵀ) in column panels of 4 (zero-padded), so the
 *           micro-kernel reads 4 columns of one row l with unit stride;
 *   X panel [mp][k][4], X[m][k] for m = 4·mp + (0…3): row panels of 4 over the exchange index
 *           k = (P − P₀)·r + i of a block of auxiliary functions (rows m ≥ n are zero).
 *
 * Exchange of one block of auxiliary functions (file header of ./density-fitting.ts):
 *   X^P = B^P U (n × r) for each P of the block, written into the X panels (halfTransform), then
 *   K += alpha · X Xᵀ over the block's k = (P, i), lower triangle only (syrkPanels): half the
 *   multiply–adds of a general product. Both are 4×4 register-tiled like ../core/gemm.ts.
 * Coulomb of one auxiliary function: γ_P = Σ_mn B^P_mn D̃_mn (D̃ packed with off-diagonal
 * elements doubled) and J̃ += γ_P B^P (packed), done while B^P is in cache.
 *
 * Factor build, one orbital shell A per work item (factorItem): the three-centre block T[Q][c] =
 * (Q|mn) over every auxiliary Q and the packed columns c of the rows m ∈ A (a contiguous range, see
 * ../integrals/ri-integrals.ts shellRowColumns), then B[:, c] = L⁻¹ T by row bands of the lower
 * triangular L⁻¹ (band rows [s, e) need only columns < e), written into B.
 */
import { gemmRowRange } from '../core/index.js';
import { createCoulombScratch, shellRowColumns, threeCentreShellRow, type CoulombScratch, type ThreeCentreData } from '../integrals/index.js';

/** KC-deep slices of the exchange index in {@link syrkPanels} (two 4×KC panels stay in L1). */
const KC = 256;

/**
 * Pack U (n × r row-major) as column panels [c][l][4] into `out` (length ≥ 4·ceil(r/4)·n).
 */
export function packColumnPanels(u: Float64Array, n: number, r: number, out: Float64Array): void {
  const nPanels = (r + 3) >> 2;
  for (let c = 0; c < nPanels; c++) {
    const base = c * n * 4;
    for (let l = 0; l < n; l++) {
      const o = base + l * 4;
      for (let q = 0; q < 4; q++) {
        const col = c * 4 + q;
        out[o + q] = col < r ? u[l * r + col] : 0;
      }
    }
  }
}

/**
 * X^P = B^P U for one auxiliary function: B^P is the packed row b[rowBase … rowBase + nPair), U the
 * column panels of {@link packColumnPanels} (r columns). Writes X^P[m][i] to
 * xp[mp·kTot·4 + (kOff + i)·4 + (m mod 4)] (see the file header). `rowPanel` needs 4·n values.
 */
export function halfTransform(
  b: Float64Array,
  rowBase: number,
  n: number,
  uPanels: Float64Array,
  r: number,
  xp: Float64Array,
  kTot: number,
  kOff: number,
  rowPanel: Float64Array,
): void {
  const nIp = (r + 3) >> 2;
  for (let m0 = 0, mp = 0; m0 < n; m0 += 4, mp++) {
    const h = Math.min(4, n - m0);
    // Rows m0 … m0 + 3 of the full symmetric B^P as rowPanel[l·4 + q].
    for (let q = 0; q < 4; q++) {
      const m = m0 + q;
      if (q >= h) {
        for (let l = 0; l < n; l++) rowPanel[l * 4 + q] = 0;
        continue;
      }
      const rowStart = rowBase + (m * (m + 1)) / 2;
      for (let l = 0; l <= m; l++) rowPanel[l * 4 + q] = b[rowStart + l];
    }
    for (let l = m0 + 1; l < n; l++) {
      const base = rowBase + (l * (l + 1)) / 2 + m0;
      const top = Math.min(h, l - m0);
      for (let q = 0; q < top; q++) rowPanel[l * 4 + q] = b[base + q];
    }
    const xBase = mp * kTot * 4 + kOff * 4;
    for (let ip = 0; ip < nIp; ip++) {
      let pu = ip * n * 4;
      let pa = 0;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let l = 0; l < n; l++, pa += 4, pu += 4) {
        const a0 = rowPanel[pa];
        const a1 = rowPanel[pa + 1];
        const a2 = rowPanel[pa + 2];
        const a3 = rowPanel[pa + 3];
        const b0 = uPanels[pu];
        const b1 = uPanels[pu + 1];
        const b2 = uPanels[pu + 2];
        const b3 = uPanels[pu + 3];
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      const w = Math.min(4, r - ip * 4);
      let o = xBase + ip * 16;
      xp[o] = c00; xp[o + 1] = c10; xp[o + 2] = c20; xp[o + 3] = c30;
      if (w > 1) {
        o += 4;
        xp[o] = c01; xp[o + 1] = c11; xp[o + 2] = c21; xp[o + 3] = c31;
      }
      if (w > 2) {
        o += 4;
        xp[o] = c02; xp[o + 1] = c12; xp[o + 2] = c22; xp[o + 3] = c32;
      }
      if (w > 3) {
        o += 4;
        xp[o] = c03; xp[o + 1] = c13; xp[o + 2] = c23; xp[o + 3] = c33;
      }
    }
  }
}

/**
 * K[m][l] += alpha · Σ_k X[m][k] X[l][k] for l ≤ m (K row-major n × n; only the lower triangle
 * is meaningful, the upper part of the diagonal tiles receives values too), X the row panels of the
 * file header with kTot columns.
 */
export function syrkPanels(xp: Float64Array, n: number, kTot: number, alpha: number, k: Float64Array): void {
  const nMp = (n + 3) >> 2;
  const stride = kTot * 4;
  for (let k0 = 0; k0 < kTot; k0 += KC) {
    const kc = Math.min(KC, kTot - k0);
    for (let ip = 0; ip < nMp; ip++) {
      const m0 = ip * 4;
      const h = Math.min(4, n - m0);
      const aStart = ip * stride + k0 * 4;
      for (let jp = 0; jp <= ip; jp++) {
        const l0 = jp * 4;
        let pa = aStart;
        let pb = jp * stride + k0 * 4;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let p = 0; p < kc; p++, pa += 4, pb += 4) {
          const a0 = xp[pa];
          const a1 = xp[pa + 1];
          const a2 = xp[pa + 2];
          const a3 = xp[pa + 3];
          const b0 = xp[pb];
          const b1 = xp[pb + 1];
          const b2 = xp[pb + 2];
          const b3 = xp[pb + 3];
          c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
          c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
          c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
          c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        const w = Math.min(4, n - l0);
        let o = m0 * n + l0;
        if (h === 4 && w === 4) {
          k[o] += alpha * c00; k[o + 1] += alpha * c01; k[o + 2] += alpha * c02; k[o + 3] += alpha * c03;
          o += n;
          k[o] += alpha * c10; k[o + 1] += alpha * c11; k[o + 2] += alpha * c12; k[o + 3] += alpha * c13;
          o += n;
          k[o] += alpha * c20; k[o + 1] += alpha * c21; k[o + 2] += alpha * c22; k[o + 3] += alpha * c23;
          o += n;
          k[o] += alpha * c30; k[o + 1] += alpha * c31; k[o + 2] += alpha * c32; k[o + 3] += alpha * c33;
        } else {
          for (let q = 0; q < h; q++, o += n) {
            const v0 = q === 0 ? c00 : q === 1 ? c10 : q === 2 ? c20 : c30;
            const v1 = q === 0 ? c01 : q === 1 ? c11 : q === 2 ? c21 : c31;
            const v2 = q === 0 ? c02 : q === 1 ? c12 : q === 2 ? c22 : c32;
            const v3 = q === 0 ? c03 : q === 1 ? c13 : q === 2 ? c23 : c33;
            k[o] += alpha * v0;
            if (w > 1) k[o + 1] += alpha * v1;
            if (w > 2) k[o + 2] += alpha * v2;
            if (w > 3) k[o + 3] += alpha * v3;
          }
        }
      }
    }
  }
}

/** γ = Σ_mn b[rowBase + mn] d̃[mn] over one packed row. */
export function packedDot(b: Float64Array, rowBase: number, nPair: number, dPacked: Float64Array): number {
  let s0 = 0, s1 = 0;
  let mn = 0;
  for (; mn + 1 < nPair; mn += 2) {
    s0 += b[rowBase + mn] * dPacked[mn];
    s1 += b[rowBase + mn + 1] * dPacked[mn + 1];
  }
  if (mn < nPair) s0 += b[rowBase + mn] * dPacked[mn];
  return s0 + s1;
}

/** j̃[mn] += g · b[rowBase + mn] over one packed row. */
export function packedAxpy(b: Float64Array, rowBase: number, nPair: number, g: number, jPacked: Float64Array): void {
  for (let mn = 0; mn < nPair; mn++) jPacked[mn] += g * b[rowBase + mn];
}

/** Shared description of one Fock build, read by the calling thread and the workers. */
export interface FockBlockJob {
  n: number;
  nAux: number;
  /** Auxiliary functions per work item. */
  blockSize: number;
  b: Float64Array;
  /** Packed J density (off-diagonal doubled), or empty for no J. */
  dPacked: Float64Array;
  /** U panels of each exchange factor, its column count r, sign and output slot (0 or 1). */
  factors: { panels: Float64Array; r: number; sign: number; slot: number }[];
}

/** Per-thread work arrays and partial results of {@link fockBlock}. */
export interface FockBlockWork {
  rowPanel: Float64Array;
  xp: Float64Array;
  /** Partial packed J. */
  j: Float64Array;
  /** Partial K (lower triangles), one per output slot. */
  k: Float64Array[];
}

/** Work arrays large enough for `job`. */
export function fockBlockWork(job: FockBlockJob, j: Float64Array, k: Float64Array[]): FockBlockWork {
  let rMax = 0;
  for (const f of job.factors) rMax = Math.max(rMax, f.r);
  return {
    rowPanel: new Float64Array(4 * job.n),
    xp: new Float64Array(((job.n + 3) >> 2) * 4 * job.blockSize * Math.max(1, rMax)),
    j,
    k,
  };
}

/** One work item: the J and K contributions of auxiliary functions [p0, p0 + blockSize). */
export function fockBlock(job: FockBlockJob, item: number, work: FockBlockWork): void {
  const { n, b, dPacked } = job;
  const nPair = (n * (n + 1)) / 2;
  const p0 = item * job.blockSize;
  const p1 = Math.min(job.nAux, p0 + job.blockSize);
  const nb = p1 - p0;
  if (dPacked.length === nPair) {
    for (let p = p0; p < p1; p++) {
      const g = packedDot(b, p * nPair, nPair, dPacked);
      if (g !== 0) packedAxpy(b, p * nPair, nPair, g, work.j);
    }
  }
  for (const f of job.factors) {
    if (f.r === 0) continue;
    const kTot = nb * f.r;
    for (let p = p0; p < p1; p++) halfTransform(b, p * nPair, n, f.panels, f.r, work.xp, kTot, (p - p0) * f.r, work.rowPanel);
    syrkPanels(work.xp, n, kTot, f.sign, work.k[f.slot]);
  }
}

/** Row bands of L⁻¹: band t covers rows [start[t], end[t]) and stores columns < end[t]. */
export interface InverseBands {
  start: Int32Array;
  end: Int32Array;
  /** Offset of band t in `values` ([row − start][column], row length end[t]). */
  offset: Float64Array;
  values: Float64Array;
}

/** Split L⁻¹ (nAux × nAux lower triangular, row-major) into row bands of `height` rows. */
export function inverseBands(linv: Float64Array, nAux: number, height: number, values?: (size: number) => Float64Array): InverseBands {
  const nBands = Math.ceil(nAux / height);
  const start = new Int32Array(nBands), end = new Int32Array(nBands), offset = new Float64Array(nBands);
  let size = 0;
  for (let t = 0; t < nBands; t++) {
    start[t] = t * height;
    end[t] = Math.min(nAux, (t + 1) * height);
    offset[t] = size;
    size += (end[t] - start[t]) * end[t];
  }
  const v = values ? values(size) : new Float64Array(size);
  for (let t = 0; t < nBands; t++) {
    const e = end[t];
    for (let r = start[t]; r < e; r++) v.set(linv.subarray(r * nAux, r * nAux + e), offset[t] + (r - start[t]) * e);
  }
  return { start, end, offset, values: v };
}

/** Per-thread work arrays of {@link factorItem}. */
export interface FactorWork {
  t: Float64Array;
  out: Float64Array;
  packA: Float64Array;
  packB: Float64Array;
  scratch: CoulombScratch;
}

/** Work arrays for the widest shell row of `data`. */
export function factorWork(data: ThreeCentreData): FactorWork {
  let width = 0;
  for (let a = 0; a < data.orbital.nShells; a++) width = Math.max(width, shellRowColumns(data.orbital, a).width);
  const size = data.aux.nFunctions * width;
  return {
    t: new Float64Array(size),
    out: new Float64Array(size),
    packA: new Float64Array(64 * 256),
    packB: new Float64Array(256 * 1024),
    scratch: createCoulombScratch(data.auxShells, data.pairs),
  };
}

/** One work item of the factor build: B[:, columns of shell row A] (see the file header). */
export function factorItem(data: ThreeCentreData, shellA: number, bands: InverseBands, b: Float64Array, work: FactorWork): void {
  const nAux = data.aux.nFunctions;
  const n = data.orbital.nFunctions;
  const nPair = (n * (n + 1)) / 2;
  const { start, width } = shellRowColumns(data.orbital, shellA);
  const t = work.t, out = work.out;
  threeCentreShellRow(data, shellA, t, work.scratch);
  out.fill(0, 0, nAux * width);
  for (let k = 0; k < bands.start.length; k++) {
    const s = bands.start[k], e = bands.end[k];
    const l = bands.values.subarray(bands.offset[k], bands.offset[k] + (e - s) * e);
    gemmRowRange(false, false, e - s, width, e, 1, l, t, out.subarray(s * width, e * width), 0, e - s, work.packA, work.packB);
  }
  for (let p = 0; p < nAux; p++) b.set(out.subarray(p * width, (p + 1) * width), p * nPair + start);
}
