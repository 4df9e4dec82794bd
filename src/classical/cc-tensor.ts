/**
 * Dense tensor-contraction kernels for the perturbative and coupled-cluster rungs.
 *
 * Tensors are row-major Float64Arrays with explicit dimension lists (rank ≤ 4). A contraction is
 * written as an einsum-style spec, e.g. `'kcld,ilcd->ki'`, and executed as transpose–GEMM–transpose:
 * each operand is brought into a [free, contracted] or [contracted, free] matrix layout (no copy when
 * it already is one), multiplied by a plain triple-loop GEMM, and the product is added into the output
 * with the output's index order. Scratch buffers live in the {@link Contractor} and are reused, so
 * steady-state iterations allocate nothing.
 *
 * Only pure contractions are supported: every index appears in exactly two of {A, B, output}.
 */

/** A dense row-major tensor view: data plus its dimensions. */
export interface DenseTensor {
  readonly data: Float64Array;
  readonly dims: readonly number[];
}

/** Make a zero tensor of the given dimensions. */
export function zerosTensor(...dims: number[]): DenseTensor {
  let size = 1;
  for (const d of dims) size *= d;
  return { data: new Float64Array(size), dims };
}

/**
 * C[m×n] = beta·C + alpha·op(A)·op(B) with op(A) m×k and op(B) k×n; A is stored m×k (or k×m when
 * `transA`), B is stored k×n (or n×k when `transB`). Both-transposed is not supported.
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
): void {
  if (beta === 0) c.fill(0, 0, m * n);
  else if (beta !== 1) for (let x = 0; x < m * n; x++) c[x] *= beta;
  if (m === 0 || n === 0 || k === 0) return;
  if (!transA && !transB) {
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      const ai = i * k;
      for (let p = 0; p < k; p++) {
        const av = alpha * a[ai + p];
        if (av === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
      }
    }
  } else if (!transA && transB) {
    for (let i = 0; i < m; i++) {
      const ai = i * k;
      const ci = i * n;
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
        c[ci + j] += alpha * s;
      }
    }
  } else if (transA && !transB) {
    for (let p = 0; p < k; p++) {
      const ap = p * m;
      const bp = p * n;
      for (let i = 0; i < m; i++) {
        const av = alpha * a[ap + i];
        if (av === 0) continue;
        const ci = i * n;
        for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
      }
    }
  } else {
    throw new Error('gemm: both operands transposed is not supported');
  }
}

/**
 * out = beta·out + alpha·permute(src): out index (o0,o1,o2,o3) takes src at the position where src
 * axis `perm[q]` equals out index q. Dimensions are padded to rank 4 with ones.
 */
export function permuteAdd(
  src: Float64Array,
  srcDims: readonly number[],
  perm: readonly number[],
  alpha: number,
  beta: number,
  out: Float64Array,
): void {
  const rank = srcDims.length;
  const srcStrides = [0, 0, 0, 0];
  let s = 1;
  for (let q = rank - 1; q >= 0; q--) {
    srcStrides[q] = s;
    s *= srcDims[q];
  }
  const od = [1, 1, 1, 1];
  const st = [0, 0, 0, 0];
  const pad = 4 - rank;
  for (let q = 0; q < rank; q++) {
    od[pad + q] = srcDims[perm[q]];
    st[pad + q] = srcStrides[perm[q]];
  }
  const [d0, d1, d2, d3] = od;
  const [s0, s1, s2, s3] = st;
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

interface ParsedSpec {
  a: string;
  b: string;
  out: string;
}

function isIdentity(perm: readonly number[]): boolean {
  for (let q = 0; q < perm.length; q++) if (perm[q] !== q) return false;
  return true;
}

/**
 * Executes einsum-style contractions of two dense tensors with reusable scratch space.
 * `contract('kcld,ilcd->ki', alpha, A, B, beta, C)` computes C = beta·C + alpha·Σ A·B.
 */
export class Contractor {
  private scratchA = new Float64Array(0);
  private scratchB = new Float64Array(0);
  private scratchC = new Float64Array(0);
  private readonly specs = new Map<string, ParsedSpec>();

  private grow(which: 'A' | 'B' | 'C', size: number): Float64Array {
    if (which === 'A') {
      if (this.scratchA.length < size) this.scratchA = new Float64Array(size);
      return this.scratchA;
    }
    if (which === 'B') {
      if (this.scratchB.length < size) this.scratchB = new Float64Array(size);
      return this.scratchB;
    }
    if (this.scratchC.length < size) this.scratchC = new Float64Array(size);
    return this.scratchC;
  }

  private parse(spec: string): ParsedSpec {
    let parsed = this.specs.get(spec);
    if (!parsed) {
      const m = /^([a-z]+),([a-z]+)->([a-z]*)$/.exec(spec);
      if (!m) throw new Error(`contract: bad spec '${spec}'`);
      parsed = { a: m[1], b: m[2], out: m[3] };
      for (const ch of parsed.a + parsed.b + parsed.out) {
        const count = (parsed.a.includes(ch) ? 1 : 0) + (parsed.b.includes(ch) ? 1 : 0) + (parsed.out.includes(ch) ? 1 : 0);
        if (count !== 2) throw new Error(`contract: index '${ch}' in '${spec}' must appear in exactly two places`);
      }
      this.specs.set(spec, parsed);
    }
    return parsed;
  }

  /** C = beta·C + alpha·contraction(A, B) following `spec`. */
  contract(spec: string, alpha: number, a: DenseTensor, b: DenseTensor, beta: number, c: DenseTensor): void {
    const { a: la, b: lb, out: lo } = this.parse(spec);
    const dim = new Map<string, number>();
    for (let q = 0; q < la.length; q++) dim.set(la[q], a.dims[q]);
    for (let q = 0; q < lb.length; q++) {
      const d = dim.get(lb[q]);
      if (d !== undefined && d !== b.dims[q]) throw new Error(`contract: dimension mismatch for '${lb[q]}' in '${spec}'`);
      dim.set(lb[q], b.dims[q]);
    }
    for (let q = 0; q < lo.length; q++) {
      if (dim.get(lo[q]) !== c.dims[q]) throw new Error(`contract: output dimension mismatch for '${lo[q]}' in '${spec}'`);
    }
    // Free indices of A and B in output order; contracted indices in A's order.
    const freeA: string[] = [];
    const freeB: string[] = [];
    for (const ch of lo) (la.includes(ch) ? freeA : freeB).push(ch);
    const summed: string[] = [];
    for (const ch of la) if (lb.includes(ch)) summed.push(ch);
    let m = 1;
    let n = 1;
    let k = 1;
    for (const ch of freeA) m *= dim.get(ch)!;
    for (const ch of freeB) n *= dim.get(ch)!;
    for (const ch of summed) k *= dim.get(ch)!;

    // A as m×k ([freeA, summed]) or k×m ([summed, freeA]).
    let aMat: Float64Array;
    let transA = false;
    const aOrderFK = [...freeA, ...summed].map((ch) => la.indexOf(ch));
    const aOrderKF = [...summed, ...freeA].map((ch) => la.indexOf(ch));
    if (isIdentity(aOrderFK)) aMat = a.data;
    else if (isIdentity(aOrderKF)) {
      aMat = a.data;
      transA = true;
    } else {
      aMat = this.grow('A', m * k);
      permuteAdd(a.data, a.dims, aOrderFK, 1, 0, aMat);
    }
    // B as k×n ([summed, freeB]) or n×k ([freeB, summed]).
    let bMat: Float64Array;
    let transB = false;
    const bOrderKF = [...summed, ...freeB].map((ch) => lb.indexOf(ch));
    const bOrderFK = [...freeB, ...summed].map((ch) => lb.indexOf(ch));
    if (isIdentity(bOrderKF)) bMat = b.data;
    else if (isIdentity(bOrderFK) && !transA) {
      bMat = b.data;
      transB = true;
    } else {
      bMat = this.grow('B', k * n);
      permuteAdd(b.data, b.dims, bOrderKF, 1, 0, bMat);
    }
    // The product is [freeA, freeB], which is already output order when freeA precedes freeB in it.
    const productOrder = [...freeA, ...freeB];
    if (productOrder.join('') === lo) {
      gemm(transA, transB, m, n, k, alpha, aMat, bMat, beta, c.data);
      return;
    }
    const prod = this.grow('C', m * n);
    gemm(transA, transB, m, n, k, 1, aMat, bMat, 0, prod);
    const prodDims = productOrder.map((ch) => dim.get(ch)!);
    const perm = [...lo].map((ch) => productOrder.indexOf(ch));
    permuteAdd(prod, prodDims, perm, alpha, beta, c.data);
  }

  /**
   * out = beta·out + alpha·src with indices relabelled by `spec`, e.g. `'kcia->akic'` sets
   * out[a,k,i,c] from src[k,c,i,a].
   */
  transpose(spec: string, alpha: number, src: DenseTensor, beta: number, out: DenseTensor): void {
    const m = /^([a-z]+)->([a-z]+)$/.exec(spec);
    if (!m || m[1].length !== m[2].length || m[1].length !== src.dims.length) throw new Error(`transpose: bad spec '${spec}'`);
    const perm = [...m[2]].map((ch) => m[1].indexOf(ch));
    for (let q = 0; q < perm.length; q++) {
      if (perm[q] < 0 || src.dims[perm[q]] !== out.dims[q]) throw new Error(`transpose: index mismatch in '${spec}'`);
    }
    permuteAdd(src.data, src.dims, perm, alpha, beta, out.data);
  }
}
