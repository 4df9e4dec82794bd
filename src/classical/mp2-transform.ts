/**
 * AO → MO transformation of the exchange-type block (ia|jb) from 8-fold packed AO integrals, as
 * needed by MP2 and UMP2.
 *
 * Inputs: PackedEri over n AO functions (pair index P = λ(λ+1)/2 + σ for λ ≥ σ); MO coefficient
 * matrices C1, C2, each n×nMo row-major (column = MO). (ia|jb) has i ∈ [i0, i0+ni), a ∈ [a0, a0+na)
 * MOs of C1 and j ∈ [j0, j0+nj), b ∈ [b0, b0+nb) MOs of C2.
 *
 * {@link sumOccupiedSlices} (MP2 and UMP2 energies) and {@link forEachOccupiedSlice} (the slices
 * themselves) transform the occupied index first, in blocks of i sized to a memory budget:
 *   1. (iν|P) = Σ_μ C1[μ,i] (μν|P) for every AO pair P and the i of the block, one batch of pairs at
 *      a time (≈ ni·n⁴/2 multiply–adds per block, o·n⁴/2 in all). The batches are shared out
 *      between the calling thread and worker threads (./mp2-parallel.ts): each unpacks its batch,
 *      runs a single-threaded GEMM and writes into the shared half-transformed block. The step is
 *      mostly memory traffic (unpacking, and the first touch of the block's fresh pages), which a
 *      threaded GEMM alone would leave on one core.
 *   2. per i, the symmetric (iν|λσ) is unpacked to T[λ][σ][ν] and contracted to (iν|jσ) (nj·n³),
 *      then ν → a (na·nj·n²) and σ → b (na·nj·nb·n), as single-threaded GEMMs. With `pairsUpToI`
 *      (same-spin MP2) only j ≤ i is formed, since (ia|jb) = (jb|ia): half the work.
 *      {@link forEachOccupiedSlice} hands each slice to a callback on the calling thread;
 *      {@link sumOccupiedSlices}, for the MP2 energies, shares the orbitals i among the threads
 *      (largest first), each making and summing its own slices.
 * Against transforming a virtual index first (halfTransform, ≈ n⁴·nb/2) this saves about v/o of the
 * work. Memory: 8·(ni·n·n(n+1)/2 + n³ + n²·nj + …) bytes, see {@link occupiedTransformBytes}.
 *
 * {@link halfTransform} + {@link completeTransform} are the older virtual-first pair (kept for
 * reference and tests): n(n+1)/2 × nj·nb half-transformed values plus the result.
 */
import { totalmem } from 'node:os';
import type { PackedEri } from '../integrals/index.js';
import { createGemmWorkspace, gemmRowRange, gemmRowRangeView, gemmSimdModule, sharedFloat64Array, threadBudget, type GemmWorkspace } from '../core/index.js';
import { mp2SliceSums, oppositeSpinSliceSum } from './mp2-sums.js';
import { unpackPairBatch } from './pair-unpack.js';
import { awaitWorkItems, startPairBatches, startSlices, takeWorkItems } from './mp2-parallel.js';

/** Contiguous copy of `count` MO columns starting at `start` of an n×nMo coefficient matrix. */
function columns(c: Float64Array, n: number, nMo: number, start: number, count: number): Float64Array {
  const out = new Float64Array(n * count);
  for (let mu = 0; mu < n; mu++) for (let k = 0; k < count; k++) out[mu * count + k] = c[mu * nMo + start + k];
  return out;
}

/** Half-transformed integrals (μν|jb) over AO pairs μ ≥ ν, layout [pair, j, b]. */
export interface HalfTransformed {
  readonly nBasis: number;
  readonly nj: number;
  readonly nb: number;
  readonly values: Float64Array;
}

/**
 * First half: (μν|jb) = Σ_λσ C[λ,j] (μν|λσ) C[σ,b] for every AO pair μ ≥ ν, with j ∈ [j0, j0+nj) and
 * b ∈ [b0, b0+nb) columns of c (n×nMo).
 */
export function halfTransform(eri: PackedEri, c: Float64Array, nMo: number, j0: number, nj: number, b0: number, nb: number): HalfTransformed {
  const n = eri.nBasis;
  const values = eri.values;
  const nPairs = (n * (n + 1)) / 2;
  const njb = nj * nb;
  const cJ = columns(c, n, nMo, j0, nj);
  const cB = columns(c, n, nMo, b0, nb);
  const half = new Float64Array(nPairs * njb);
  const q = new Float64Array(n * n);
  const y = new Float64Array(n * nb);
  for (let p = 0; p < nPairs; p++) {
    const pBase = (p * (p + 1)) / 2;
    // Unpack the symmetric slice Q[λ,σ] = (P|λσ).
    let r = 0;
    for (let l = 0; l < n; l++) {
      for (let s = 0; s <= l; s++, r++) {
        const val = r <= p ? values[pBase + r] : values[(r * (r + 1)) / 2 + p];
        q[l * n + s] = val;
        q[s * n + l] = val;
      }
    }
    // Y[λ,b] = Σ_σ Q[λ,σ] C[σ,b]
    y.fill(0);
    for (let l = 0; l < n; l++) {
      const yl = l * nb;
      for (let s = 0; s < n; s++) {
        const qv = q[l * n + s];
        if (qv === 0) continue;
        const cs = s * nb;
        for (let b = 0; b < nb; b++) y[yl + b] += qv * cB[cs + b];
      }
    }
    // half[P, j, b] = Σ_λ C[λ,j] Y[λ,b]
    const hBase = p * njb;
    for (let l = 0; l < n; l++) {
      const yl = l * nb;
      for (let j = 0; j < nj; j++) {
        const cv = cJ[l * nj + j];
        if (cv === 0) continue;
        const hj = hBase + j * nb;
        for (let b = 0; b < nb; b++) half[hj + b] += cv * y[yl + b];
      }
    }
  }
  return { nBasis: n, nj, nb, values: half };
}

/**
 * Second half: (ia|jb) = Σ_μν C[μ,i] (μν|jb) C[ν,a], i ∈ [i0, i0+ni), a ∈ [a0, a0+na) columns of c.
 * Output layout [i, a, j, b].
 */
export function completeTransform(half: HalfTransformed, c: Float64Array, nMo: number, i0: number, ni: number, a0: number, na: number): Float64Array {
  const n = half.nBasis;
  const njb = half.nj * half.nb;
  const cI = columns(c, n, nMo, i0, ni);
  const cA = columns(c, n, nMo, a0, na);
  const out = new Float64Array(ni * na * njb);
  const m = new Float64Array(n * n);
  const z = new Float64Array(n * na);
  const hv = half.values;
  for (let jb = 0; jb < njb; jb++) {
    let pIdx = 0;
    for (let mu = 0; mu < n; mu++) {
      for (let nu = 0; nu <= mu; nu++, pIdx++) {
        const val = hv[pIdx * njb + jb];
        m[mu * n + nu] = val;
        m[nu * n + mu] = val;
      }
    }
    z.fill(0);
    for (let mu = 0; mu < n; mu++) {
      const zm = mu * na;
      for (let nu = 0; nu < n; nu++) {
        const mv = m[mu * n + nu];
        if (mv === 0) continue;
        const cn = nu * na;
        for (let a = 0; a < na; a++) z[zm + a] += mv * cA[cn + a];
      }
    }
    for (let i = 0; i < ni; i++) {
      for (let a = 0; a < na; a++) {
        let s = 0;
        for (let mu = 0; mu < n; mu++) s += cI[mu * ni + i] * z[mu * na + a];
        out[(i * na + a) * njb + jb] = s;
      }
    }
  }
  return out;
}

/** Orbital ranges of an (ia|jb) transformation; i, a are MOs of c1 and j, b MOs of c2. */
export interface OvovRanges {
  i0: number;
  ni: number;
  a0: number;
  na: number;
  j0: number;
  nj: number;
  b0: number;
  nb: number;
}

/** AO pairs unpacked per first-step GEMM (a batch holds 8·pairBatch·n² bytes). */
function pairBatch(n: number): number {
  return Math.max(1, Math.min((n * (n + 1)) / 2, Math.floor(2 ** 22 / Math.max(1, n * n))));
}

/**
 * Bytes of the occupied-first transformation for `ni` occupied orbitals per block: the shared
 * half-transformed block, and each of `threads` threads' first-step batch and second-step buffers.
 */
export function occupiedTransformBytes(n: number, r: OvovRanges, ni: number, threads = 1): number {
  const nPairs = (n * (n + 1)) / 2;
  const batch = pairBatch(n);
  const perThread = batch * n * (n + ni) + n * n * n + n * n * r.nj + n * r.na * r.nj + r.na * r.nj * r.nb;
  return 8 * (ni * nPairs * n + threads * perThread);
}

/** Occupied orbitals per block that fit `memoryBytes` (at least 1, at most ni). */
export function occupiedBlockSize(n: number, r: OvovRanges, memoryBytes: number, threads = 1): number {
  const perOrbital = occupiedTransformBytes(n, r, 1, threads) - occupiedTransformBytes(n, r, 0, threads);
  const fixed = occupiedTransformBytes(n, r, 0, threads);
  // Offsets into the half-transformed block stay below 2³¹ elements.
  const addressable = Math.floor((2 ** 31 - 1) / ((n * (n + 1) * n) / 2));
  return Math.max(1, Math.min(r.ni, addressable, Math.floor((memoryBytes - fixed) / perOrbital)));
}

/**
 * First step for the AO pairs [p0, p0 + nbat): half[i][P][ν] = (iν|P) = Σ_μ C[μ,i] (μν|P) for the nib
 * occupied orbitals of cI (n×nib). `unpacked` (nbat·n² values) and `product` (nbat·n·nib) are the
 * calling thread's scratch, `ws` its GEMM workspace. Every thread runs this same function on its
 * own batches (./mp2-worker.ts), so the result does not depend on which thread took a batch.
 */
export function transformPairBatch(
  values: Float64Array,
  n: number,
  p0: number,
  nbat: number,
  cI: Float64Array,
  nib: number,
  half: Float64Array,
  unpacked: Float64Array,
  product: Float64Array,
  ws: GemmWorkspace,
): void {
  const nPairs = (n * (n + 1)) / 2;
  // unpacked[μ][ν][P − p0] = (μν|P)
  unpackPairBatch(values, n, p0, nbat, unpacked);
  // product[(ν, P)][i] = Σ_μ unpacked[μ][(ν, P)] C1[μ, i]
  const m = n * nbat;
  product.fill(0, 0, m * nib);
  gemmRowRange(true, false, m, nib, n, 1, unpacked, cI, product, 0, m, ws);
  for (let i = 0; i < nib; i++) {
    const dst = (i * nPairs + p0) * n;
    for (let nu = 0; nu < n; nu++) {
      for (let pp = 0; pp < nbat; pp++) half[dst + pp * n + nu] = product[(nu * nbat + pp) * nib + i];
    }
  }
}

/** Options of {@link forEachOccupiedSlice}. */
export interface OccupiedSliceOptions {
  /**
   * Only the pairs j ≤ i: `visit(i, slice)` gets slice[a, j, b] for j ∈ [0, i] (relative to j0), i + 1
   * of them. Needs the same coefficients and ranges for (ia| and |jb), where (ia|jb) = (jb|ia) makes
   * the rest redundant; halves the second step.
   */
  pairsUpToI?: boolean;
  /** Threads (default: the thread budget). */
  threads?: number;
}

/** How {@link forEachOccupiedSlice} or {@link sumOccupiedSlices} shared out their work. */
export interface OccupiedSliceReport {
  /** Batches of AO pairs transformed, over all blocks of i. */
  pairBatches: number;
  /** Of those, the batches worker threads took. */
  pairBatchesByWorkers: number;
  /** Blocks of occupied orbitals (passes over the AO integrals). */
  blocks: number;
  /** Slices the worker threads made and summed ({@link sumOccupiedSlices}; 0 for the visiting path). */
  slicesByWorkers: number;
}

let callerWorkspace: GemmWorkspace | undefined;

/** The calling thread's GEMM workspace (single-threaded products of both steps). */
function callerGemmWorkspace(): GemmWorkspace {
  callerWorkspace ??= createGemmWorkspace(gemmSimdModule());
  return callerWorkspace;
}

/** One thread's buffers for the second step ({@link secondStepSlice}). */
export interface SecondStepBuffers {
  /** [λ][σ][ν] = (iν|λσ). */
  t: Float64Array;
  /** The first nje columns of C2's j block. */
  cJi: Float64Array;
  /** [σ][ν][j]. */
  w1: Float64Array;
  /** [σ][a][j]. */
  z: Float64Array;
  /** Offsets of the strided ν → a product. */
  zView: Int32Array;
  /** [a][j][b]. */
  slice: Float64Array;
}

/** Second-step buffers for n AO functions and the given block sizes. */
export function createSecondStepBuffers(n: number, na: number, nj: number, nb: number): SecondStepBuffers {
  return {
    t: new Float64Array(n * n * n),
    cJi: new Float64Array(n * nj),
    w1: new Float64Array(n * n * nj),
    z: new Float64Array(n * na * nj),
    zView: new Int32Array(2 * (na + n * nj + n)),
    slice: new Float64Array(na * nj * nb),
  };
}

/**
 * Second step for one occupied orbital: from its half-transformed block half[hi …] = (iν|P), the
 * slice [a][j][b] = (ia|jb) for the first `nje` of the nj columns of cJ, with single-threaded
 * products on `ws`. cJ, cA, cB are n×nj, n×na, n×nb. Returns a view of `bufs.slice`. Every thread
 * runs this same function (./mp2-worker.ts), so a slice does not depend on which thread made it.
 */
export function secondStepSlice(
  half: Float64Array,
  hi: number,
  n: number,
  nje: number,
  cJ: Float64Array,
  nj: number,
  cA: Float64Array,
  na: number,
  cB: Float64Array,
  nb: number,
  bufs: SecondStepBuffers,
  ws: GemmWorkspace,
): Float64Array {
  const { t, w1, z, zView, slice } = bufs;
  // T[λ][σ][ν] = (iν|λσ), symmetric in λσ.
  let p = 0;
  for (let l = 0; l < n; l++)
    for (let s = 0; s <= l; s++, p++) {
      const src = half.subarray(hi + p * n, hi + (p + 1) * n);
      t.set(src, (l * n + s) * n);
      if (s !== l) t.set(src, (s * n + l) * n);
    }
  let cJi = cJ;
  if (nje < nj) {
    cJi = bufs.cJi;
    for (let l = 0; l < n; l++) for (let j = 0; j < nje; j++) cJi[l * nje + j] = cJ[l * nj + j];
  }
  // w1[σν][j] = Σ_λ T[λ][σν] C2[λ, j]
  const nn = n * n;
  w1.fill(0, 0, nn * nje);
  gemmRowRange(true, false, nn, nje, n, 1, t, cJi, w1, 0, nn, ws);
  // z[σ][a][j] = Σ_ν C1[ν, a] w1[σ][ν][j]: one strided product with rows a and columns (σ, j).
  const cols = n * nje;
  let o = 0;
  for (let a = 0; a < na; a++) zView[o++] = a;
  for (let nu = 0; nu < n; nu++) zView[o++] = nu * na;
  for (let nu = 0; nu < n; nu++) zView[o++] = nu * nje;
  for (let s = 0; s < n; s++) for (let j = 0; j < nje; j++) zView[o++] = s * n * nje + j;
  for (let a = 0; a < na; a++) zView[o++] = a * nje;
  for (let s = 0; s < n; s++) for (let j = 0; j < nje; j++) zView[o++] = s * na * nje + j;
  z.fill(0, 0, n * na * nje);
  gemmRowRangeView(na, cols, n, 1, cA, w1, z, zView, 0, 0, na, ws.f, ws.g);
  // slice[a j][b] = Σ_σ z[σ][a j] C2[σ, b]
  const rows = na * nje;
  slice.fill(0, 0, rows * nb);
  gemmRowRange(true, false, rows, nb, n, 1, z, cB, slice, 0, rows, ws);
  return nje === nj ? slice : slice.subarray(0, rows * nb);
}

/** What the first step needs besides the block of i: shared by the visiting and the summing paths. */
interface OccupiedPlan {
  n: number;
  nPairs: number;
  threads: number;
  block: number;
  batch: number;
  nBatches: number;
  half: Float64Array;
  unpacked: Float64Array;
  product: Float64Array;
}

function checkPairsUpToI(c1: Float64Array, c2: Float64Array, r: OvovRanges, pairsUpToI: boolean): void {
  if (pairsUpToI && (c1 !== c2 || r.i0 !== r.j0 || r.ni !== r.nj || r.a0 !== r.b0 || r.na !== r.nb)) {
    throw new Error('pairsUpToI needs the same coefficients and ranges for (ia| and |jb)');
  }
}

function planOccupied(eri: PackedEri, r: OvovRanges, memoryBytes: number, threadOption: number | undefined): OccupiedPlan {
  const n = eri.nBasis;
  const nPairs = (n * (n + 1)) / 2;
  const shared = eri.values.buffer instanceof SharedArrayBuffer;
  const threads = shared ? Math.max(1, Math.min(threadOption ?? threadBudget(), 16)) : 1;
  const block = occupiedBlockSize(n, r, memoryBytes, threads);
  // Enough batches for the threads to share them evenly; the batch size does not change any sum.
  const batch = threads > 1 ? Math.max(1, Math.min(pairBatch(n), Math.ceil(nPairs / (8 * threads)))) : pairBatch(n);
  const halfLength = block * nPairs * n;
  return {
    n,
    nPairs,
    threads,
    block,
    batch,
    nBatches: Math.ceil(nPairs / batch),
    half: threads > 1 ? new Float64Array(new SharedArrayBuffer(8 * halfLength)) : new Float64Array(halfLength), // [i][P][ν]
    unpacked: new Float64Array(batch * n * n), // [μ][ν][P − p0]
    product: new Float64Array(batch * n * block), // [(ν, P − p0)][i]
  };
}

/** Step 1 for the block i ∈ [iStart, iStart + nib): (iν|P) for every pair P into plan.half, on every thread. */
function firstStep(eri: PackedEri, c1: Float64Array, nMo: number, r: OvovRanges, plan: OccupiedPlan, iStart: number, nib: number, report: OccupiedSliceReport): void {
  const { n, nPairs, batch, nBatches, half, unpacked, product } = plan;
  const values = eri.values;
  const ws = callerGemmWorkspace();
  report.blocks++;
  report.pairBatches += nBatches;
  if (plan.threads > 1) {
    const cI = sharedFloat64Array(n * nib);
    cI.set(columns(c1, n, nMo, r.i0 + iStart, nib));
    const control = startPairBatches(values, n, batch, nBatches, cI, nib, half, plan.threads - 1);
    const transform = (b: number): void => transformPairBatch(values, n, b * batch, Math.min(batch, nPairs - b * batch), cI, nib, half, unpacked, product, ws);
    takeWorkItems(control, nBatches, transform, false);
    report.pairBatchesByWorkers += awaitWorkItems(control, nBatches);
  } else {
    const cI = columns(c1, n, nMo, r.i0 + iStart, nib);
    for (let b = 0; b < nBatches; b++) transformPairBatch(values, n, b * batch, Math.min(batch, nPairs - b * batch), cI, nib, half, unpacked, product, ws);
  }
}

/**
 * Occupied-first (ia|jb) transformation (see the file header). Calls `visit(i, slice)` once per
 * i ∈ [0, ni) (relative to i0) in increasing order with slice[a, j, b] = (i0+i, a0+a | j0+j, b0+b)
 * (j ≤ i only with `pairsUpToI`); the slice is reused after `visit` returns. Blocks of i are sized to
 * `memoryBytes`. The second step runs on the calling thread; {@link sumOccupiedSlices} runs it on
 * every thread when only MP2 sums are wanted.
 */
export function forEachOccupiedSlice(
  eri: PackedEri,
  c1: Float64Array,
  c2: Float64Array,
  nMo: number,
  r: OvovRanges,
  memoryBytes: number,
  visit: (i: number, slice: Float64Array) => void,
  options: OccupiedSliceOptions = {},
): OccupiedSliceReport {
  const { ni, na, nj, nb } = r;
  const pairsUpToI = options.pairsUpToI ?? false;
  checkPairsUpToI(c1, c2, r, pairsUpToI);
  const report: OccupiedSliceReport = { pairBatches: 0, pairBatchesByWorkers: 0, blocks: 0, slicesByWorkers: 0 };
  if (ni === 0 || na === 0 || nj === 0 || nb === 0) {
    const empty = new Float64Array(na * nj * nb);
    for (let i = 0; i < ni; i++) visit(i, pairsUpToI ? empty.subarray(0, na * (i + 1) * nb) : empty);
    return report;
  }
  const plan = planOccupied(eri, r, memoryBytes, options.threads);
  const { n, nPairs } = plan;
  const cA = columns(c1, n, nMo, r.a0, na);
  const cJ = columns(c2, n, nMo, r.j0, nj);
  const cB = columns(c2, n, nMo, r.b0, nb);
  const bufs = createSecondStepBuffers(n, na, nj, nb);
  const ws = callerGemmWorkspace();
  for (let iStart = 0; iStart < ni; iStart += plan.block) {
    const nib = Math.min(plan.block, ni - iStart);
    firstStep(eri, c1, nMo, r, plan, iStart, nib, report);
    for (let i = 0; i < nib; i++) {
      const nje = pairsUpToI ? iStart + i + 1 : nj;
      visit(iStart + i, secondStepSlice(plan.half, i * nPairs * n, n, nje, cJ, nj, cA, na, cB, nb, bufs, ws));
    }
  }
  return report;
}

/** Orbital energies of an MP2 sum over (ia|jb): i, a of the first coefficients, j, b of the second. */
export interface SliceEnergies {
  occupiedI: Float64Array;
  virtualA: Float64Array;
  occupiedJ: Float64Array;
  virtualB: Float64Array;
}

/** The integrals, coefficients, ranges and memory budget of an occupied-first transformation. */
export interface OccupiedTransform {
  eri: PackedEri;
  /** n×nMo coefficients of i and a, and of j and b. */
  c1: Float64Array;
  c2: Float64Array;
  nMo: number;
  ranges: OvovRanges;
  memoryBytes: number;
}

/**
 * MP2 sums of every occupied orbital i's slice, the second step on every thread. With `pairsUpToI`
 * (same orbitals on both sides) sums[2i], sums[2i+1] are the same- and opposite-spin sums of the
 * pairs j ≤ i ({@link mp2SliceSums}, j < i counted twice); without it sums[2i+1] is the
 * opposite-spin sum Σ (ia|jb)²/D over all j ({@link oppositeSpinSliceSum}) and sums[2i] is 0.
 * Each slice is made and summed by one thread with the same code, and the caller adds the sums in
 * order of i, so the result does not depend on the thread count.
 */
export function sumOccupiedSlices(
  transform: OccupiedTransform,
  energies: SliceEnergies,
  options: OccupiedSliceOptions = {},
): { sums: Float64Array; report: OccupiedSliceReport } {
  const { eri, c1, c2, nMo, ranges: r, memoryBytes } = transform;
  const { ni, na, nj, nb } = r;
  const pairsUpToI = options.pairsUpToI ?? false;
  checkPairsUpToI(c1, c2, r, pairsUpToI);
  const sums = new Float64Array(2 * ni);
  const report: OccupiedSliceReport = { pairBatches: 0, pairBatchesByWorkers: 0, blocks: 0, slicesByWorkers: 0 };
  if (ni === 0 || na === 0 || nj === 0 || nb === 0) return { sums, report };
  const plan = planOccupied(eri, r, memoryBytes, options.threads);
  const { n, nPairs } = plan;
  const shareable = (x: Float64Array): Float64Array => {
    if (plan.threads === 1) return x;
    const y = sharedFloat64Array(x.length);
    y.set(x);
    return y;
  };
  const cA = shareable(columns(c1, n, nMo, r.a0, na));
  const cJ = shareable(columns(c2, n, nMo, r.j0, nj));
  const cB = shareable(columns(c2, n, nMo, r.b0, nb));
  const e = {
    occupiedI: shareable(energies.occupiedI),
    virtualA: shareable(energies.virtualA),
    occupiedJ: shareable(energies.occupiedJ),
    virtualB: shareable(energies.virtualB),
  };
  const bufs = createSecondStepBuffers(n, na, nj, nb);
  const ws = callerGemmWorkspace();
  for (let iStart = 0; iStart < ni; iStart += plan.block) {
    const nib = Math.min(plan.block, ni - iStart);
    firstStep(eri, c1, nMo, r, plan, iStart, nib, report);
    const blockSums = plan.threads > 1 ? sharedFloat64Array(2 * nib) : sums.subarray(2 * iStart, 2 * (iStart + nib));
    const job: SliceJob = { half: plan.half, n, nPairs, iStart, nib, cJ, nj, cA, na, cB, nb, pairsUpToI, energies: e, sums: blockSums };
    if (plan.threads > 1) {
      const control = startSlices(job, plan.threads - 1);
      takeWorkItems(control, nib, (k) => sumSlice(job, k, bufs, ws), false);
      report.slicesByWorkers += awaitWorkItems(control, nib);
      sums.set(blockSums, 2 * iStart);
    } else {
      for (let k = 0; k < nib; k++) sumSlice(job, k, bufs, ws);
    }
  }
  return { sums, report };
}

/** A block's second step as the summing threads share it (./mp2-parallel.ts). */
export interface SliceJob {
  half: Float64Array;
  n: number;
  nPairs: number;
  /** First i of the block (relative to i0) and its size. */
  iStart: number;
  nib: number;
  cJ: Float64Array;
  nj: number;
  cA: Float64Array;
  na: number;
  cB: Float64Array;
  nb: number;
  pairsUpToI: boolean;
  energies: SliceEnergies;
  /** 2 per i of the block. */
  sums: Float64Array;
}

/**
 * The k-th slice of a block's job, largest first (with `pairsUpToI` the work grows with i), made
 * and summed into job.sums.
 */
export function sumSlice(job: SliceJob, k: number, bufs: SecondStepBuffers, ws: GemmWorkspace): void {
  const i = job.nib - 1 - k;
  const iRel = job.iStart + i;
  const nje = job.pairsUpToI ? iRel + 1 : job.nj;
  const slice = secondStepSlice(job.half, i * job.nPairs * job.n, job.n, nje, job.cJ, job.nj, job.cA, job.na, job.cB, job.nb, bufs, ws);
  const e = job.energies;
  if (job.pairsUpToI) {
    const s = mp2SliceSums(slice, e.occupiedI[iRel], e.occupiedI, e.virtualA, iRel);
    job.sums[2 * i] = s.sameSpin;
    job.sums[2 * i + 1] = s.oppositeSpin;
  } else {
    job.sums[2 * i] = 0;
    job.sums[2 * i + 1] = oppositeSpinSliceSum(slice, e.occupiedI[iRel], e.virtualA, e.occupiedJ, e.virtualB);
  }
}

/** Default memory for the MP2 transformation buffers: a quarter of the machine, at most 4 GiB. */
export function defaultTransformMemoryBytes(): number {
  return Math.min(4 * 2 ** 30, Math.floor(totalmem() / 4));
}

/**
 * (ia|jb) with i, a MOs of c1 and j, b MOs of c2, as a dense ovov[i,a,j,b] array (occupied-first,
 * see the file header).
 */
export function transformOvov(
  eri: PackedEri,
  c1: Float64Array,
  c2: Float64Array,
  nMo: number,
  i0: number,
  ni: number,
  a0: number,
  na: number,
  j0: number,
  nj: number,
  b0: number,
  nb: number,
  memoryBytes = defaultTransformMemoryBytes(),
): Float64Array {
  const out = new Float64Array(ni * na * nj * nb);
  const r = { i0, ni, a0, na, j0, nj, b0, nb };
  forEachOccupiedSlice(eri, c1, c2, nMo, r, memoryBytes, (i, slice) => out.set(slice, i * slice.length));
  return out;
}
