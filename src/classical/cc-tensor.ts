/**
 * Dense tensor-contraction kernels for the perturbative and coupled-cluster rungs.
 *
 * Tensors are row-major Float64Arrays with explicit dimension lists (rank ≤ 4). A contraction is
 * written as an einsum-style spec, e.g. `'kcld,ilcd->ki'`, and executed as transpose–GEMM–transpose:
 * each operand is brought into a [free, contracted] or [contracted, free] matrix layout (no copy when
 * it already is one), multiplied by gemm (cache-blocked for large products), and the product is added into the output
 * with the output's index order. Products large enough for the blocked kernel skip the permuted
 * copies: the strided GEMM (core/gemm.ts gemmView) packs A and B straight from their stored layouts
 * and adds the product into the output's layout through per-plan offset tables. Scratch buffers live
 * in the {@link Contractor} and are reused, so steady-state iterations allocate nothing.
 *
 * Only pure contractions are supported: every index appears in exactly two of {A, B, output}.
 */
import { gemmBlocked, gemmView, gemmViewOffsets, sharedFloat64Array } from './cc-gemm.js';

/** A dense row-major tensor view: data plus its dimensions. */
export interface DenseTensor {
  readonly data: Float64Array;
  readonly dims: readonly number[];
}

/**
 * Make a zero tensor of the given dimensions (on a SharedArrayBuffer, so the threaded GEMM uses it
 * in place).
 */
export function zerosTensor(...dims: number[]): DenseTensor {
  let size = 1;
  for (const d of dims) size *= d;
  return { data: sharedFloat64Array(size), dims };
}

/** Multiply–adds below which the plain loops beat packing (measured on small CCSD contractions). */
const BLOCKED_WORK = 32 * 32 * 32;

/**
 * C[m×n] = beta·C + alpha·op(A)·op(B) with op(A) m×k and op(B) k×n; A is stored m×k (or k×m when
 * `transA`), B is stored k×n (or n×k when `transB`). Large products run the cache-blocked,
 * multithreaded kernel of cc-gemm.ts (on the thread budget from `minParallelWork` multiply–adds,
 * default core/gemm.ts's); small ones plain loops.
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  beta: number,
  c: Float64Array,
  minParallelWork?: number,
): void {
  const blocked = m > 0 && n > 0 && k > 0 && ((transA && transB) || m * n * k >= BLOCKED_WORK);
  if (beta === 0) {
    // The blocked kernel sets C itself (overwrite), without a clearing pass.
    if (!blocked) c.fill(0, 0, m * n);
  } else if (beta !== 1) for (let x = 0; x < m * n; x++) c[x] *= beta;
  if (m === 0 || n === 0 || k === 0) return;
  if (blocked) {
    gemmBlocked(transA, transB, m, n, k, alpha, a, b, c, undefined, minParallelWork, beta === 0);
    return;
  }
  gemmSimple(transA, transB, m, n, k, alpha, a, b, c);
}

/** C += alpha·op(A)·op(B) with plain loops (one operand transposed at most). */
export function gemmSimple(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
): void {
  if (!transA && !transB) {
    // Four rows of B per pass: C is loaded and stored a quarter as often.
    const k4 = k - (k % 4);
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      const ai = i * k;
      let p = 0;
      for (; p < k4; p += 4) {
        const a0 = alpha * a[ai + p];
        const a1 = alpha * a[ai + p + 1];
        const a2 = alpha * a[ai + p + 2];
        const a3 = alpha * a[ai + p + 3];
        const b0 = p * n;
        const b1 = b0 + n;
        const b2 = b1 + n;
        const b3 = b2 + n;
        for (let j = 0; j < n; j++) c[ci + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
      }
      for (; p < k; p++) {
        const av = alpha * a[ai + p];
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
      }
    }
  } else if (!transA && transB) {
    // Dot products with four independent accumulators.
    const k4 = k - (k % 4);
    for (let i = 0; i < m; i++) {
      const ai = i * k;
      const ci = i * n;
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let p = 0;
        for (; p < k4; p += 4) {
          s0 += a[ai + p] * b[bj + p];
          s1 += a[ai + p + 1] * b[bj + p + 1];
          s2 += a[ai + p + 2] * b[bj + p + 2];
          s3 += a[ai + p + 3] * b[bj + p + 3];
        }
        for (; p < k; p++) s0 += a[ai + p] * b[bj + p];
        c[ci + j] += alpha * (s0 + s1 + (s2 + s3));
      }
    }
  } else if (transA && !transB) {
    const k4 = k - (k % 4);
    let p = 0;
    for (; p < k4; p += 4) {
      const ap = p * m;
      const b0 = p * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      for (let i = 0; i < m; i++) {
        const a0 = alpha * a[ap + i];
        const a1 = alpha * a[ap + m + i];
        const a2 = alpha * a[ap + 2 * m + i];
        const a3 = alpha * a[ap + 3 * m + i];
        const ci = i * n;
        for (let j = 0; j < n; j++) c[ci + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
      }
    }
    for (; p < k; p++) {
      const ap = p * m;
      const bp = p * n;
      for (let i = 0; i < m; i++) {
        const av = alpha * a[ap + i];
        const ci = i * n;
        for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
      }
    }
  } else {
    throw new Error('gemmSimple: both operands transposed is not supported');
  }
}

/** Loop bounds and source strides of a rank ≤ 4 permutation, padded to rank 4. */
interface PermutePlan {
  readonly dims: readonly [number, number, number, number];
  readonly strides: readonly [number, number, number, number];
}

/** Plan for reading `src` (dimensions srcDims) in the order out axis q ← src axis perm[q]. */
export function permutePlan(srcDims: readonly number[], perm: readonly number[]): PermutePlan {
  const rank = srcDims.length;
  if (rank > 4 || perm.length !== rank) throw new Error('permutePlan: rank must be ≤ 4 and match the permutation');
  const srcStrides = [0, 0, 0, 0];
  let s = 1;
  for (let q = rank - 1; q >= 0; q--) {
    srcStrides[q] = s;
    s *= srcDims[q];
  }
  const dims: [number, number, number, number] = [1, 1, 1, 1];
  const strides: [number, number, number, number] = [0, 0, 0, 0];
  const pad = 4 - rank;
  for (let q = 0; q < rank; q++) {
    dims[pad + q] = srcDims[perm[q]];
    strides[pad + q] = srcStrides[perm[q]];
  }
  return { dims, strides };
}

/** Tile edge of the blocked permutation (TILE² doubles of source and output stay in L1). */
const TILE = 16;

/**
 * out = beta·out + alpha·permute(src) following a {@link permutePlan}. When the source's contiguous
 * axis is not the output's last one (a transpose-like permutation), the two axes are walked in
 * TILE×TILE blocks, so both the strided reads and the writes stay in cache.
 */
export function applyPermute(plan: PermutePlan, src: Float64Array, alpha: number, beta: number, out: Float64Array): void {
  const [d0, d1, d2, d3] = plan.dims;
  const [s0, s1, s2, s3] = plan.strides;
  if (s3 !== 1 && d3 >= TILE) {
    // The output axis q that reads the source contiguously.
    const q = s2 === 1 && d2 >= TILE ? 2 : s1 === 1 && d1 >= TILE ? 1 : s0 === 1 && d0 >= TILE ? 0 : -1;
    if (q >= 0) {
      applyPermuteBlocked(plan, q, src, alpha, beta, out);
      return;
    }
  }
  let x = 0;
  if (beta === 0) {
    for (let i0 = 0; i0 < d0; i0++)
      for (let i1 = 0; i1 < d1; i1++)
        for (let i2 = 0; i2 < d2; i2++) {
          const base = i0 * s0 + i1 * s1 + i2 * s2;
          for (let i3 = 0; i3 < d3; i3++) out[x++] = alpha * src[base + i3 * s3];
        }
  } else {
    for (let i0 = 0; i0 < d0; i0++)
      for (let i1 = 0; i1 < d1; i1++)
        for (let i2 = 0; i2 < d2; i2++) {
          const base = i0 * s0 + i1 * s1 + i2 * s2;
          for (let i3 = 0; i3 < d3; i3++) {
            out[x] = beta * out[x] + alpha * src[base + i3 * s3];
            x++;
          }
        }
  }
}

/**
 * The blocked walk of {@link applyPermute}: output axis q (source stride 1) and output axis 3
 * (output stride 1) form a 2-D transpose for every index of the other two axes, done in tiles.
 */
function applyPermuteBlocked(plan: PermutePlan, q: number, src: Float64Array, alpha: number, beta: number, out: Float64Array): void {
  const dims = plan.dims;
  const strides = plan.strides;
  const outStrides = [dims[1] * dims[2] * dims[3], dims[2] * dims[3], dims[3], 1];
  // The two other axes among 0…2, in output order.
  const u = q === 0 ? 1 : 0;
  const w = q === 2 ? 1 : 2;
  const du = dims[u];
  const dw = dims[w];
  const su = strides[u];
  const sw = strides[w];
  const ou = outStrides[u];
  const ow = outStrides[w];
  const dq = dims[q];
  const oq = outStrides[q];
  const d3 = dims[3];
  const s3 = strides[3];
  for (let iu = 0; iu < du; iu++)
    for (let iw = 0; iw < dw; iw++) {
      const sBase = iu * su + iw * sw;
      const oBase = iu * ou + iw * ow;
      for (let q0 = 0; q0 < dq; q0 += TILE) {
        const q1 = Math.min(dq, q0 + TILE);
        for (let j0 = 0; j0 < d3; j0 += TILE) {
          const j1 = Math.min(d3, j0 + TILE);
          for (let iq = q0; iq < q1; iq++) {
            const o = oBase + iq * oq;
            const sq = sBase + iq;
            if (beta === 0) for (let j = j0; j < j1; j++) out[o + j] = alpha * src[sq + j * s3];
            else for (let j = j0; j < j1; j++) out[o + j] = beta * out[o + j] + alpha * src[sq + j * s3];
          }
        }
      }
    }
}

/**
 * out = beta·out + alpha·permute(src): out index (o0,o1,…) takes src at the position where src axis
 * `perm[q]` equals out index q.
 */
export function permuteAdd(
  src: Float64Array,
  srcDims: readonly number[],
  perm: readonly number[],
  alpha: number,
  beta: number,
  out: Float64Array,
): void {
  applyPermute(permutePlan(srcDims, perm), src, alpha, beta, out);
}

/** Tensors from this many elements up warm the permutation routines up first ({@link warmPermutes}). */
const WARM_PERMUTE_SIZE = 65536;
let permutesWarm = false;

/**
 * Run {@link applyPermute} three times over small tensors along each of its paths (plain and
 * blocked on every contiguous axis, with beta 0 and 1), so that V8 compiles it for calls before the
 * first large permutation; run first on a large tensor, it is compiled only for the loop it is in,
 * and its next calls start uncompiled again (as core/gemm.ts warmGemmKernels does for the GEMM).
 */
function warmPermutes(): void {
  permutesWarm = true;
  const dims = [4, 16, 4, 16];
  const src = new Float64Array(4096);
  const out = new Float64Array(4096);
  for (let x = 0; x < src.length; x++) src[x] = (x % 17) * 0.125;
  const perms = [
    [0, 1, 2, 3],
    [1, 0, 3, 2],
    [0, 3, 2, 1],
    [0, 2, 3, 1],
    [3, 0, 2, 1],
  ];
  for (let pass = 0; pass < 3; pass++)
    for (const perm of perms) {
      const plan = permutePlan(dims, perm);
      applyPermute(plan, src, 1, 0, out);
      applyPermute(plan, src, -0.5, 1, out);
    }
}

/** Everything a contraction needs, worked out once per spec and operand shapes. */
interface ContractionPlan {
  aDims: readonly number[];
  bDims: readonly number[];
  cDims: readonly number[];
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  /** Copy of A into [freeA, summed] when its layout fits neither GEMM form. */
  aPermute?: PermutePlan;
  /** Copy of B into [summed, freeB] when its layout fits neither GEMM form. */
  bPermute?: PermutePlan;
  /** Scatter of the [freeA, freeB] product into the output order, unless they coincide. */
  outPermute?: PermutePlan;
  /**
   * Offset tables of the strided GEMM (gemmView) that reads A and B and writes C in their stored
   * layouts, for products large enough for the blocked kernel that would otherwise need a permuted
   * copy.
   */
  view?: Int32Array;
}

/** Element offsets of a row-major multi-index over `labels` (last fastest) with the given strides. */
function fillOffsets(out: Int32Array, at: number, labels: string[], dim: Map<string, number>, stride: Map<string, number>): void {
  let count = 1;
  out[at] = 0;
  for (let q = labels.length - 1; q >= 0; q--) {
    const d = dim.get(labels[q])!;
    const s = stride.get(labels[q])!;
    // Existing entries [0, count) are the offsets of the faster labels; repeat them d times.
    for (let x = d - 1; x >= 0; x--) for (let y = 0; y < count; y++) out[at + x * count + y] = out[at + y] + x * s;
    count *= d;
  }
}

function strides(labels: string, dims: readonly number[]): Map<string, number> {
  const out = new Map<string, number>();
  let s = 1;
  for (let q = labels.length - 1; q >= 0; q--) {
    out.set(labels[q], s);
    s *= dims[q];
  }
  return out;
}

function isIdentity(perm: readonly number[]): boolean {
  for (let q = 0; q < perm.length; q++) if (perm[q] !== q) return false;
  return true;
}

function sameDims(x: readonly number[], y: readonly number[]): boolean {
  if (x.length !== y.length) return false;
  for (let q = 0; q < x.length; q++) if (x[q] !== y[q]) return false;
  return true;
}

function planContraction(spec: string, aDims: readonly number[], bDims: readonly number[], cDims: readonly number[]): ContractionPlan {
  const parsed = /^([a-z]+),([a-z]+)->([a-z]*)$/.exec(spec);
  if (!parsed) throw new Error(`contract: bad spec '${spec}'`);
  const [, la, lb, lo] = parsed;
  for (const ch of la + lb + lo) {
    const count = (la.includes(ch) ? 1 : 0) + (lb.includes(ch) ? 1 : 0) + (lo.includes(ch) ? 1 : 0);
    if (count !== 2) throw new Error(`contract: index '${ch}' in '${spec}' must appear in exactly two places`);
  }
  if (la.length !== aDims.length || lb.length !== bDims.length || lo.length !== cDims.length) {
    throw new Error(`contract: operand ranks do not match '${spec}'`);
  }
  const dim = new Map<string, number>();
  for (let q = 0; q < la.length; q++) dim.set(la[q], aDims[q]);
  for (let q = 0; q < lb.length; q++) {
    const d = dim.get(lb[q]);
    if (d !== undefined && d !== bDims[q]) throw new Error(`contract: dimension mismatch for '${lb[q]}' in '${spec}'`);
    dim.set(lb[q], bDims[q]);
  }
  for (let q = 0; q < lo.length; q++) {
    if (dim.get(lo[q]) !== cDims[q]) throw new Error(`contract: output dimension mismatch for '${lo[q]}' in '${spec}'`);
  }
  // Free indices of A and B in output order; summed indices in A's order.
  const freeA: string[] = [];
  const freeB: string[] = [];
  for (const ch of lo) (la.includes(ch) ? freeA : freeB).push(ch);
  const summed: string[] = [];
  for (const ch of la) if (lb.includes(ch)) summed.push(ch);
  const size = (labels: string[]): number => labels.reduce((p, ch) => p * dim.get(ch)!, 1);
  const plan: ContractionPlan = {
    aDims: [...aDims],
    bDims: [...bDims],
    cDims: [...cDims],
    m: size(freeA),
    n: size(freeB),
    k: size(summed),
    transA: false,
    transB: false,
  };
  // A as m×k ([freeA, summed]) or k×m ([summed, freeA]).
  const aOrderFK = [...freeA, ...summed].map((ch) => la.indexOf(ch));
  const aOrderKF = [...summed, ...freeA].map((ch) => la.indexOf(ch));
  if (!isIdentity(aOrderFK)) {
    if (isIdentity(aOrderKF)) plan.transA = true;
    else plan.aPermute = permutePlan(aDims, aOrderFK);
  }
  // B as k×n ([summed, freeB]) or n×k ([freeB, summed]); gemm has no both-transposed form.
  const bOrderKF = [...summed, ...freeB].map((ch) => lb.indexOf(ch));
  const bOrderFK = [...freeB, ...summed].map((ch) => lb.indexOf(ch));
  if (!isIdentity(bOrderKF)) {
    if (isIdentity(bOrderFK) && !plan.transA) plan.transB = true;
    else plan.bPermute = permutePlan(bDims, bOrderKF);
  }
  const productOrder = [...freeA, ...freeB];
  if (productOrder.join('') !== lo) {
    plan.outPermute = permutePlan(
      productOrder.map((ch) => dim.get(ch)!),
      [...lo].map((ch) => productOrder.indexOf(ch)),
    );
  }
  const { m, n, k } = plan;
  if ((plan.aPermute || plan.bPermute || plan.outPermute) && m * n * k >= BLOCKED_WORK) {
    const sa = strides(la, aDims);
    const sb = strides(lb, bDims);
    const sc = strides(lo, cDims);
    // Free indices in each operand's own order (the rows of A and columns of B are then read as
    // contiguously as their layouts allow; the output takes any order through its offsets). The
    // summed order stays A's, so every element gets the same sums as with permuted copies.
    const rowsA = [...la].filter((ch) => freeA.includes(ch));
    const colsB = [...lb].filter((ch) => freeB.includes(ch));
    const off = gemmViewOffsets(m, n, k);
    fillOffsets(off, 0, rowsA, dim, sa);
    fillOffsets(off, m, summed, dim, sa);
    fillOffsets(off, m + k, summed, dim, sb);
    fillOffsets(off, m + 2 * k, colsB, dim, sb);
    fillOffsets(off, m + 2 * k + n, rowsA, dim, sc);
    fillOffsets(off, 2 * m + 2 * k + n, colsB, dim, sc);
    plan.view = off;
  }
  return plan;
}

/**
 * Executes einsum-style contractions of two dense tensors with reusable scratch space.
 * `contract('kcld,ilcd->ki', alpha, A, B, beta, C)` computes C = beta·C + alpha·Σ A·B.
 * Plans are cached per spec, so repeated calls with the same shapes allocate nothing.
 */
export class Contractor {
  /**
   * `minParallelWork`: multiply–adds from which a contraction runs on the thread budget (default
   * core/gemm.ts's threshold).
   */
  constructor(private readonly minParallelWork?: number) {}

  private scratchA: Float64Array = sharedFloat64Array(0);
  private scratchB: Float64Array = sharedFloat64Array(0);
  private scratchC: Float64Array = sharedFloat64Array(0);
  private readonly plans = new Map<string, ContractionPlan>();
  private readonly transposes = new Map<string, { srcDims: readonly number[]; plan: PermutePlan }>();

  /** C = beta·C + alpha·contraction(A, B) following `spec`. */
  contract(spec: string, alpha: number, a: DenseTensor, b: DenseTensor, beta: number, c: DenseTensor): void {
    let plan = this.plans.get(spec);
    if (!plan || !sameDims(plan.aDims, a.dims) || !sameDims(plan.bDims, b.dims) || !sameDims(plan.cDims, c.dims)) {
      plan = planContraction(spec, a.dims, b.dims, c.dims);
      this.plans.set(spec, plan);
    }
    const { m, n, k } = plan;
    if (plan.view) {
      const cd = c.data;
      // The view covers every element of C, so with beta = 0 it sets them (overwrite).
      if (beta !== 0 && beta !== 1) for (let x = 0; x < m * n; x++) cd[x] *= beta;
      gemmView(m, n, k, alpha, a.data, b.data, cd, plan.view, undefined, this.minParallelWork, beta === 0);
      return;
    }
    let aMat = a.data;
    if (plan.aPermute) {
      if (this.scratchA.length < m * k) this.scratchA = sharedFloat64Array(m * k);
      aMat = this.scratchA;
      applyPermute(plan.aPermute, a.data, 1, 0, aMat);
    }
    let bMat = b.data;
    if (plan.bPermute) {
      if (this.scratchB.length < k * n) this.scratchB = sharedFloat64Array(k * n);
      bMat = this.scratchB;
      applyPermute(plan.bPermute, b.data, 1, 0, bMat);
    }
    if (!plan.outPermute) {
      gemm(plan.transA, plan.transB, m, n, k, alpha, aMat, bMat, beta, c.data, this.minParallelWork);
      return;
    }
    if (this.scratchC.length < m * n) this.scratchC = sharedFloat64Array(m * n);
    gemm(plan.transA, plan.transB, m, n, k, 1, aMat, bMat, 0, this.scratchC, this.minParallelWork);
    applyPermute(plan.outPermute, this.scratchC, alpha, beta, c.data);
  }

  /**
   * out = beta·out + alpha·src with indices relabelled by `spec`, e.g. `'kcia->akic'` sets
   * out[a,k,i,c] from src[k,c,i,a].
   */
  transpose(spec: string, alpha: number, src: DenseTensor, beta: number, out: DenseTensor): void {
    let cached = this.transposes.get(spec);
    if (!cached || !sameDims(cached.srcDims, src.dims)) {
      const m = /^([a-z]+)->([a-z]+)$/.exec(spec);
      if (!m || m[1].length !== m[2].length || m[1].length !== src.dims.length) throw new Error(`transpose: bad spec '${spec}'`);
      const perm = [...m[2]].map((ch) => m[1].indexOf(ch));
      for (let q = 0; q < perm.length; q++) {
        if (perm[q] < 0 || src.dims[perm[q]] !== out.dims[q]) throw new Error(`transpose: index mismatch in '${spec}'`);
      }
      cached = { srcDims: [...src.dims], plan: permutePlan(src.dims, perm) };
      this.transposes.set(spec, cached);
    }
    if (!permutesWarm && src.data.length >= WARM_PERMUTE_SIZE) warmPermutes();
    applyPermute(cached.plan, src.data, alpha, beta, out.data);
  }
}
