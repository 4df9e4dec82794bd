/**
 * Hot loops of the density-fitted Fock build and factor (./density-fitting.ts), shared by the
 * calling thread and the worker threads (./density-fitting-worker.ts).
 *
 * Every product runs through one 4×4 micro-kernel over packed panels in a per-thread arena (a
 * Float64Array): tile(a, b, kc, out) sets out[c·4 + q] = Σ_{p<kc} A[a + 4p + q]·B[b + 4p + c].
 * The arena is the memory of an instance of core's WebAssembly SIMD module (../core/gemm-wasm.ts,
 * its 4×4 tile k) when the runtime has it, else a plain array with the same kernel in JavaScript ({@link createArena}).
 *
 * Layouts (offsets in doubles within the arena unless stated):
 *   B       [P][mn], mn = m(m+1)/2 + n (m ≥ n), the fitted factor (shared, outside the arena);
 *   U panel [c][l][4], the factor U (n × r, D = U Uᵀ) in column panels of 4 (zero-padded);
 *   X panel [mp][k][4] with row stride kStride ≥ kTot + 4: X[m][k] for m = 4·mp + (0…3) over the
 *           exchange index k = (P − P₀)·r + i of a block of auxiliary functions (rows m ≥ n zero);
 *   L panel [ip][Q][4], Q < min(nAux, 4·ip + 4): rows 4·ip … 4·ip + 3 of L⁻¹ (exact triangle).
 *
 * Exchange of one block of auxiliary functions (file header of ./density-fitting.ts):
 *   X^P = B^P U (n × r) for each P of the block, from the packed rows of B (halfTransform), then
 *   K += alpha · X Xᵀ over the block's k = (P, i), lower triangle tiles only (syrkPanels).
 * Coulomb of one auxiliary function: γ_P = Σ_mn B^P_mn D̃_mn (D̃ packed with off-diagonal
 * elements doubled) and J̃ += γ_P B^P (packed), done while B^P is in cache.
 *
 * Factor build, one orbital shell A per work item (factorItem): the three-centre block T[Q][c] =
 * (Q|mn) over every auxiliary Q and the packed columns c of the rows m ∈ A (a contiguous range, see
 * ../integrals/ri-integrals.ts shellRowColumns), then B[:, c] = L⁻¹ T over the L panels (only
 * Q < 4·ip + 4 for row panel ip), written into B.
 */
import { createCoulombScratch, shellRowColumns, threeCentreShellRow, type CoulombScratch, type ThreeCentreData } from '../integrals/index.js';
import { simdKernelInstance } from '../core/index.js';

/** Per-thread memory and the 4×4 micro-kernel over it (see the file header). */
export interface TileArena {
  f: Float64Array;
  tile: (a: number, b: number, kc: number, out: number) => void;
  /** Whether the kernel is WebAssembly SIMD. */
  simd: boolean;
}

/** An arena of at least `doubles` values: WebAssembly SIMD when available and `simd` is not false. */
export function createArena(doubles: number, simd = true): TileArena {
  const instance = simd ? simdKernelInstance(8 * doubles) : undefined;
  if (instance) {
    const k = instance.k;
    return { f: new Float64Array(instance.memory.buffer), tile: (a, b, kc, out) => k(8 * a, 8 * b, kc, 8 * out), simd: true };
  }
  const f = new Float64Array(doubles);
  return { f, tile: (a, b, kc, out) => tileJs(f, a, b, kc, out), simd: false };
}

/** The micro-kernel in JavaScript (same result layout as the WebAssembly one). */
function tileJs(f: Float64Array, a: number, b: number, kc: number, out: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let pa = a, pb = b;
  for (let p = 0; p < kc; p++, pa += 4, pb += 4) {
    const a0 = f[pa];
    const a1 = f[pa + 1];
    const a2 = f[pa + 2];
    const a3 = f[pa + 3];
    const b0 = f[pb];
    const b1 = f[pb + 1];
    const b2 = f[pb + 2];
    const b3 = f[pb + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  f[out] = c00; f[out + 1] = c10; f[out + 2] = c20; f[out + 3] = c30;
  f[out + 4] = c01; f[out + 5] = c11; f[out + 6] = c21; f[out + 7] = c31;
  f[out + 8] = c02; f[out + 9] = c12; f[out + 10] = c22; f[out + 11] = c32;
  f[out + 12] = c03; f[out + 13] = c13; f[out + 14] = c23; f[out + 15] = c33;
}

/** KC-deep slices of the exchange index in {@link syrkPanels} (two 4×KC panels stay in L1). */
/** KC-deep slices of the exchange index in {@link syrkPanels}. */
const KC = 256;

/** Pack U (n × r row-major) as column panels [c][l][4] into out[offset …] (4·ceil(r/4)·n values). */
export function packColumnPanels(u: Float64Array, n: number, r: number, out: Float64Array, offset = 0): void {
  const nPanels = (r + 3) >> 2;
  for (let c = 0; c < nPanels; c++) {
    const base = offset + c * n * 4;
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
 * column panels at arena offset `u` (r columns). Writes X^P[m][i] at arena offset
 * xp + mp·kStride·4 + (kOff + i)·4 + (m mod 4) (see the file header; columns kOff + r … up to the
 * next multiple of 4 receive scratch values). `rowPanel` is an arena offset of 4·n values.
 */
export function halfTransform(
  arena: TileArena,
  b: Float64Array,
  rowBase: number,
  n: number,
  u: number,
  r: number,
  xp: number,
  kStride: number,
  kOff: number,
  rowPanel: number,
): void {
  const f = arena.f;
  const nIp = (r + 3) >> 2;
  for (let m0 = 0, mp = 0; m0 < n; m0 += 4, mp++) {
    const h = Math.min(4, n - m0);
    // Rows m0 … m0 + 3 of the full symmetric B^P as rowPanel[l·4 + q].
    for (let q = 0; q < 4; q++) {
      const m = m0 + q;
      if (q >= h) {
        for (let l = 0; l < n; l++) f[rowPanel + l * 4 + q] = 0;
        continue;
      }
      const rowStart = rowBase + (m * (m + 1)) / 2;
      for (let l = 0; l <= m; l++) f[rowPanel + l * 4 + q] = b[rowStart + l];
    }
    for (let l = m0 + 1; l < n; l++) {
      const base = rowBase + (l * (l + 1)) / 2 + m0;
      const top = Math.min(h, l - m0);
      const o = rowPanel + l * 4;
      for (let q = 0; q < top; q++) f[o + q] = b[base + q];
    }
    const xBase = xp + mp * kStride * 4 + kOff * 4;
    for (let ip = 0; ip < nIp; ip++) arena.tile(rowPanel, u + ip * n * 4, n, xBase + ip * 16);
  }
}

/**
 * K[m][l] += alpha · Σ_{k<kTot} X[m][k] X[l][k] for the tiles with l ≤ m (K row-major n × n; only
 * the lower triangle is meaningful, the upper part of the diagonal tiles receives values too), X the
 * panels at arena offset xp with row stride kStride; `tile` is an arena offset of 16 values.
 */
export function syrkPanels(arena: TileArena, xp: number, n: number, kTot: number, kStride: number, alpha: number, k: Float64Array, tile: number): void {
  const f = arena.f;
  const nMp = (n + 3) >> 2;
  for (let k0 = 0; k0 < kTot; k0 += KC) {
    const kc = Math.min(KC, kTot - k0);
    for (let ip = 0; ip < nMp; ip++) {
      const m0 = ip * 4;
      const h = Math.min(4, n - m0);
      const a = xp + ip * kStride * 4 + k0 * 4;
      for (let jp = 0; jp <= ip; jp++) {
        const l0 = jp * 4;
        arena.tile(a, xp + jp * kStride * 4 + k0 * 4, kc, tile);
        const w = Math.min(4, n - l0);
        for (let q = 0; q < h; q++) {
          const o = (m0 + q) * n + l0;
          for (let c = 0; c < w; c++) k[o + c] += alpha * f[tile + c * 4 + q];
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
  /** Use the WebAssembly SIMD kernel when available (default true). */
  simd?: boolean;
}

/** Per-thread arena offsets and partial results of {@link fockBlock}. */
export interface FockBlockWork {
  arena: TileArena;
  /** Arena offsets of each factor's U panels. */
  u: number[];
  rowPanel: number;
  xp: number;
  kStride: number;
  tile: number;
  /** Partial packed J. */
  j: Float64Array;
  /** Partial K (lower triangles), one per output slot. */
  k: Float64Array[];
}

/** The arena for `job` (U panels copied in), writing into the partial results j and k. */
export function fockBlockWork(job: FockBlockJob, j: Float64Array, k: Float64Array[]): FockBlockWork {
  const n = job.n;
  let rMax = 0;
  for (const f of job.factors) rMax = Math.max(rMax, f.r);
  const kStride = job.blockSize * Math.max(1, rMax) + 4;
  let size = 0;
  const u: number[] = [];
  for (const f of job.factors) {
    u.push(size);
    size += f.panels.length;
  }
  const rowPanel = size;
  size += 4 * n;
  const xp = size;
  size += ((n + 3) >> 2) * 4 * kStride;
  const tile = size;
  size += 16;
  const arena = createArena(size, job.simd !== false);
  job.factors.forEach((f, i) => arena.f.set(f.panels, u[i]));
  return { arena, u, rowPanel, xp, kStride, tile, j, k };
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
  job.factors.forEach((f, i) => {
    if (f.r === 0) return;
    for (let p = p0; p < p1; p++) {
      halfTransform(work.arena, b, p * nPair, n, work.u[i], f.r, work.xp, work.kStride, (p - p0) * f.r, work.rowPanel);
    }
    syrkPanels(work.arena, work.xp, n, nb * f.r, work.kStride, f.sign, work.k[f.slot], work.tile);
  });
}

/**
 * L⁻¹ (nAux × nAux lower triangular, row-major) as L panels (file header) into a new array from
 * `alloc` (e.g. shared memory); panel ip starts at 4·Σ_{i<ip} min(nAux, 4i + 4).
 */
export function inversePanels(linv: Float64Array, nAux: number, alloc: (size: number) => Float64Array = (s) => new Float64Array(s)): Float64Array {
  const nIp = (nAux + 3) >> 2;
  let size = 0;
  for (let ip = 0; ip < nIp; ip++) size += 4 * Math.min(nAux, 4 * ip + 4);
  const out = alloc(size);
  let o = 0;
  for (let ip = 0; ip < nIp; ip++) {
    const e = Math.min(nAux, 4 * ip + 4);
    for (let qq = 0; qq < e; qq++, o += 4) {
      for (let q = 0; q < 4; q++) {
        const row = 4 * ip + q;
        out[o + q] = row < nAux ? linv[row * nAux + qq] : 0;
      }
    }
  }
  return out;
}

/** Per-thread arena and work arrays of {@link factorItem}. */
export interface FactorWork {
  arena: TileArena;
  /** Arena offsets: L panels, packed T, tile. */
  l: number;
  tPack: number;
  tile: number;
  t: Float64Array;
  scratch: CoulombScratch;
}

/** Work arrays for the widest shell row of `data`, with the L panels copied into the arena. */
export function factorWork(data: ThreeCentreData, lPanels: Float64Array, simd = true): FactorWork {
  let width = 0;
  for (let a = 0; a < data.orbital.nShells; a++) width = Math.max(width, shellRowColumns(data.orbital, a).width);
  const nAux = data.aux.nFunctions;
  const tPack = lPanels.length;
  const tile = tPack + nAux * 4 * ((width + 3) >> 2);
  const arena = createArena(tile + 16, simd);
  arena.f.set(lPanels, 0);
  return { arena, l: 0, tPack, tile, t: new Float64Array(nAux * width), scratch: createCoulombScratch(data.auxShells, data.pairs) };
}

/**
 * One work item of the factor build: B[:, columns of shell row A] = L⁻¹ T (see the file header).
 * T is packed once as column panels [jp][Q][4]; row panel ip of L⁻¹ meets only Q < 4·ip + 4, so
 * each 4×4 tile of B is one kernel call over that exact length, written straight into B.
 */
export function factorItem(data: ThreeCentreData, shellA: number, b: Float64Array, work: FactorWork): void {
  const nAux = data.aux.nFunctions;
  const n = data.orbital.nFunctions;
  const nPair = (n * (n + 1)) / 2;
  const { start, width } = shellRowColumns(data.orbital, shellA);
  const { arena, t } = work;
  const f = arena.f;
  threeCentreShellRow(data, shellA, t, work.scratch);
  const nJp = (width + 3) >> 2;
  const nIp = (nAux + 3) >> 2;
  for (let jp = 0; jp < nJp; jp++) {
    const c0 = jp * 4;
    const w = Math.min(4, width - c0);
    let o = work.tPack + jp * nAux * 4;
    for (let p = 0; p < nAux; p++, o += 4) {
      const row = p * width + c0;
      for (let c = 0; c < 4; c++) f[o + c] = c < w ? t[row + c] : 0;
    }
  }
  let lOff = work.l;
  for (let ip = 0; ip < nIp; ip++) {
    const e = Math.min(nAux, 4 * ip + 4);
    const h = Math.min(4, nAux - 4 * ip);
    for (let jp = 0; jp < nJp; jp++) {
      arena.tile(lOff, work.tPack + jp * nAux * 4, e, work.tile);
      const c0 = jp * 4;
      const w = Math.min(4, width - c0);
      for (let q = 0; q < h; q++) {
        const o = (4 * ip + q) * nPair + start + c0;
        for (let c = 0; c < w; c++) b[o + c] = f[work.tile + c * 4 + q];
      }
    }
    lOff += 4 * e;
  }
}
