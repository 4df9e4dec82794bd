/**
 * Dense real linear algebra on Float64Array.
 *
 * Layout: every matrix is row-major with explicit dimensions; an m×n matrix A has A[i,j] at
 * a[i*n + j]. Eigenvectors are returned as columns (column k = eigenvector k), the LAPACK / numpy
 * convention.
 *
 * The symmetric eigensolver is Householder tridiagonalisation followed by the implicit QL method
 * with Wilkinson-like shifts (tred2 + tql2 of EISPACK, in the formulation of JAMA). Internally the
 * accumulated transformation is kept transposed so that every inner loop runs over contiguous
 * memory; the result is transposed once at the end.
 */
import { InputError } from './errors.js';

/** Eigen-decomposition of a real symmetric matrix. */
export interface SymmetricEigenResult {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** n×n row-major; column k is the normalised eigenvector of values[k]. */
  vectors: Float64Array;
}

/** √(a² + b²) without overflow or underflow; Math.hypot allocates for its variadic arguments. */
function hypot2(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  const big = x > y ? x : y;
  if (big === 0 || big === Infinity) return big;
  const small = x > y ? y : x;
  const q = small / big;
  return big * Math.sqrt(1 + q * q);
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of the symmetric n×n matrix `a`
 * (row-major; only symmetric input is meaningful, the lower triangle is what is read).
 * The input is not modified.
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigenResult {
  return symmetricEigenInto(a, n, new Float64Array(n), new Float64Array(n * n));
}

/**
 * {@link symmetricEigen} written into `sortedValues` (n) and `vectors` (n×n), for callers that
 * diagonalise in a loop; neither may be `a`. Returns them.
 */
export function symmetricEigenInto(a: Float64Array, n: number, sortedValues: Float64Array, vectors: Float64Array): SymmetricEigenResult {
  if (a.length < n * n) throw new InputError(`symmetricEigen: matrix has ${a.length} entries, expected ${n * n}`);
  if (n === 0) return { values: sortedValues, vectors };
  const small = n * n <= SMALL_SCRATCH_ELEMENTS;
  // w is the transpose of the working matrix V of tred2/tql2: w[j*n + k] = V[k][j].
  // For symmetric input V = A = Aᵀ, so a copy suffices.
  const w = small ? scratchOf(0, n * n) : new Float64Array(n * n);
  // an element loop: a.subarray would move a small (on-heap) input to a backing store of its own
  for (let i = 0; i < n * n; i++) w[i] = a[i];
  const values = small ? scratchOf(1, n).fill(0) : new Float64Array(n);
  const e = small ? scratchOf(2, n).fill(0) : new Float64Array(n);
  tridiagonalize(w, values, e, n);
  diagonalizeTridiagonal(w, values, e, n);
  // Rows of w are eigenvectors; sort ascending (stable: equal values keep their order) and write
  // them as columns.
  const order = small && n <= orderScratch.length ? orderScratch : new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const v = values[k];
    let at = k;
    while (at > 0 && values[order[at - 1]] > v) {
      order[at] = order[at - 1];
      at--;
    }
    order[at] = k;
  }
  for (let k = 0; k < n; k++) {
    const src = order[k];
    sortedValues[k] = values[src];
    const row = src * n;
    for (let i = 0; i < n; i++) vectors[i * n + k] = w[row + i];
  }
  return { values: sortedValues, vectors };
}

/**
 * Matrices of at most this many elements use this module's reused work arrays instead of fresh
 * ones. SCF and Davidson on small molecules call the dense routines tens of thousands of times a
 * minute; every fresh array beyond 64 bytes is a malloc'd backing store that V8's collector later
 * frees on its helper threads, which on a machine whose cores all run workers costs as much CPU as
 * the arithmetic. Larger matrices allocate (their arithmetic dominates, and a cached buffer of
 * their size would be held for the life of the process).
 */
const SMALL_SCRATCH_ELEMENTS = 16384;
const SMALL_SCRATCH_ORDER = Math.floor(Math.sqrt(SMALL_SCRATCH_ELEMENTS));
// Allocated at full size once: growing them on demand was a branch first taken after V8 had
// compiled the eigensolver (a molecule's matrix after the smaller ones of its SAD atoms), which
// threw the compiled code away.
const scratch: Float64Array[] = [
  new Float64Array(SMALL_SCRATCH_ELEMENTS),
  new Float64Array(SMALL_SCRATCH_ORDER),
  new Float64Array(SMALL_SCRATCH_ORDER),
  new Float64Array(SMALL_SCRATCH_ELEMENTS),
];
const orderScratch = new Int32Array(SMALL_SCRATCH_ORDER);

/** Work array `slot` (a view of its first `length` ≤ its size); contents undefined. */
function scratchOf(slot: number, length: number): Float64Array {
  return scratch[slot].subarray(0, length);
}

/**
 * Householder reduction to tridiagonal form (tred2). On return d holds the diagonal, e[1..n-1]
 * the sub-diagonal, and w (transposed storage) the accumulated orthogonal transformation.
 */
function tridiagonalize(w: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  // V[i][j] == w[j*n + i]
  for (let j = 0; j < n; j++) d[j] = w[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + i - 1];
        w[j * n + i] = 0;
        w[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        const rowJ = j * n;
        f = d[j];
        w[i * n + j] = f;
        g = e[j] + w[rowJ + j] * f;
        for (let k = j + 1; k < i; k++) {
          const v = w[rowJ + k];
          g += v * d[k];
          e[k] += v * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        const rowJ = j * n;
        f = d[j];
        g = e[j];
        for (let k = j; k < i; k++) w[rowJ + k] -= f * e[k] + g * d[k];
        d[j] = w[rowJ + i - 1];
        w[rowJ + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    const rowI = i * n;
    const rowNext = (i + 1) * n;
    w[rowI + n - 1] = w[rowI + i];
    w[rowI + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = w[rowNext + k] / h;
      for (let j = 0; j <= i; j++) {
        const rowJ = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += w[rowNext + k] * w[rowJ + k];
        for (let k = 0; k <= i; k++) w[rowJ + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) w[rowNext + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = w[j * n + n - 1];
    w[j * n + n - 1] = 0;
  }
  w[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iterations on the tridiagonal matrix (tql2); rotations applied to rows of w. */
function diagonalizeTridiagonal(w: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > 60) throw new Error('symmetricEigen: QL iteration did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot2(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot2(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const rowI = i * n;
          const rowNext = rowI + n;
          for (let k = 0; k < n; k++) {
            const vNext = w[rowNext + k];
            const vI = w[rowI + k];
            w[rowNext + k] = s * vI + c * vNext;
            w[rowI + k] = c * vI - s * vNext;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/** C = A·B with A m×k and B k×n (all row-major). */
export function matMul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  return matMulInto(new Float64Array(m * n), a, b, m, k, n);
}

/** C = A·B written into `c` (m×n; overwritten, so it may hold anything but A or B); returns c. */
export function matMulInto(c: Float64Array, a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const rowC = i * n;
    const rowA = i * k;
    for (let p = 0; p < k; p++) {
      const aip = a[rowA + p];
      if (aip === 0) continue;
      const rowB = p * n;
      for (let j = 0; j < n; j++) c[rowC + j] += aip * b[rowB + j];
    }
  }
  return c;
}

/** C = Aᵀ·B with A k×m and B k×n (all row-major); C is m×n. */
export function matMulTN(a: Float64Array, b: Float64Array, k: number, m: number, n: number): Float64Array {
  return matMulTNInto(new Float64Array(m * n), a, b, k, m, n);
}

/** C = Aᵀ·B written into `c` (m×n; overwritten, so it may hold anything but A or B); returns c. */
export function matMulTNInto(c: Float64Array, a: Float64Array, b: Float64Array, k: number, m: number, n: number): Float64Array {
  c.fill(0, 0, m * n);
  for (let p = 0; p < k; p++) {
    const rowA = p * m;
    const rowB = p * n;
    for (let i = 0; i < m; i++) {
      const api = a[rowA + i];
      if (api === 0) continue;
      const rowC = i * n;
      for (let j = 0; j < n; j++) c[rowC + j] += api * b[rowB + j];
    }
  }
  return c;
}

/** C = A·Bᵀ with A m×k and B n×k (all row-major); C is m×n. */
export function matMulNT(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const rowA = i * k;
    for (let j = 0; j < n; j++) {
      const rowB = j * k;
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[rowA + p] * b[rowB + p];
      c[i * n + j] = sum;
    }
  }
  return c;
}

/** Transpose of the m×n matrix a (result n×m). */
export function transpose(a: Float64Array, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
  return t;
}

/**
 * Similarity transform Xᵀ·A·X with A n×n and X n×m; result m×m.
 */
export function transformCongruent(a: Float64Array, x: Float64Array, n: number, m: number): Float64Array {
  const ax = matMul(a, x, n, n, m);
  return matMulTN(x, ax, n, m, m);
}

/**
 * X·A·Xᵀ with A m×m and X n×m; result n×n (back-transformation from an orthogonal basis).
 */
export function transformBack(a: Float64Array, x: Float64Array, n: number, m: number): Float64Array {
  const xa = matMul(x, a, n, m, m);
  return matMulNT(xa, x, n, m, n);
}

/** Symmetrise in place: A ← (A + Aᵀ)/2. */
export function symmetrize(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (a[i * n + j] + a[j * n + i]);
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
}

/**
 * f(A) = V f(Λ) Vᵀ for a symmetric matrix A (e.g. f = x^{-1/2} for symmetric orthogonalisation).
 */
export function symmetricMatrixFunction(a: Float64Array, n: number, f: (eigenvalue: number) => number): Float64Array {
  const { values, vectors } = symmetricEigen(a, n);
  const scaled = new Float64Array(n * n);
  const fv = new Float64Array(n);
  for (let k = 0; k < n; k++) fv[k] = f(values[k]);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) scaled[i * n + k] = vectors[i * n + k] * fv[k];
  return matMulNT(scaled, vectors, n, n, n);
}

/**
 * Symmetric (Löwdin) orthogonaliser S^{-1/2} of a positive-definite overlap matrix.
 * @throws InputError when S has an eigenvalue ≤ `threshold` (use {@link canonicalOrthogonalizer}).
 */
export function symmetricOrthogonalizer(s: Float64Array, n: number, threshold = 0): Float64Array {
  const { values } = symmetricEigen(s, n);
  if (n > 0 && values[0] <= threshold) {
    throw new InputError(`overlap matrix is (nearly) singular: smallest eigenvalue ${values[0]}`);
  }
  return symmetricMatrixFunction(s, n, (x) => 1 / Math.sqrt(x));
}

/** Result of {@link canonicalOrthogonalizer}. */
export interface CanonicalOrthogonalizer {
  /** n×m row-major, XᵀSX = 1. */
  x: Float64Array;
  /** Number of kept combinations m (n minus the dropped near-linear dependencies). */
  nKept: number;
  /** Eigenvalues of S, ascending. */
  overlapEigenvalues: Float64Array;
}

/**
 * Canonical orthogonalisation: X = U_kept s_kept^{-1/2}, dropping eigenvectors of S whose eigenvalue
 * is below `threshold` (near-linear dependencies of the basis).
 */
export function canonicalOrthogonalizer(s: Float64Array, n: number, threshold = 1e-7): CanonicalOrthogonalizer {
  const { values, vectors } = symmetricEigen(s, n);
  let first = 0;
  while (first < n && values[first] < threshold) first++;
  const m = n - first;
  const x = new Float64Array(n * m);
  for (let k = 0; k < m; k++) {
    const scale = 1 / Math.sqrt(values[first + k]);
    for (let i = 0; i < n; i++) x[i * m + k] = vectors[i * n + first + k] * scale;
  }
  return { x, nKept: m, overlapEigenvalues: values };
}

/**
 * Solve the dense linear system A·x = b (A n×n row-major) by Gaussian elimination with partial
 * pivoting. Returns undefined when A is singular to working precision.
 */
export function solveLinearSystem(a: Float64Array, b: Float64Array, n: number): Float64Array | undefined {
  const m = n * n <= SMALL_SCRATCH_ELEMENTS ? scratchOf(3, n * n) : new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) m[i] = a[i];
  const x = b.slice(0, n);
  let maxAbs = 0;
  for (let i = 0; i < n * n; i++) maxAbs = Math.max(maxAbs, Math.abs(m[i]));
  const tiny = maxAbs * 1e-14 * n;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]) > Math.abs(m[pivot * n + col])) pivot = r;
    if (!(Math.abs(m[pivot * n + col]) > tiny)) return undefined;
    if (pivot !== col) {
      for (let j = 0; j < n; j++) {
        const t = m[col * n + j];
        m[col * n + j] = m[pivot * n + j];
        m[pivot * n + j] = t;
      }
      const t = x[col];
      x[col] = x[pivot];
      x[pivot] = t;
    }
    const inv = 1 / m[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const factor = m[r * n + col] * inv;
      if (factor === 0) continue;
      for (let j = col; j < n; j++) m[r * n + j] -= factor * m[col * n + j];
      x[r] -= factor * x[col];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let sum = x[r];
    for (let j = r + 1; j < n; j++) sum -= m[r * n + j] * x[j];
    x[r] = sum / m[r * n + r];
  }
  return x;
}

/** Trace of A·B for n×n matrices (Σ_ij A_ij B_ji). */
export function traceOfProduct(a: Float64Array, b: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sum += a[i * n + j] * b[j * n + i];
  return sum;
}
