/**
 * Davidson–Liu eigensolver for the lowest eigenpairs of a large real symmetric matrix A that is
 * available only through products y = A x.
 *
 * Vectors are Float64Array of length `dimension`. The subspace basis V is kept orthonormal; the
 * projected matrix V^T A V is diagonalised with symmetricEigen. Correction vectors are the
 * diagonal-preconditioned residuals t_k = r_k / (θ_k − A_ii) (Davidson's preconditioner), optionally
 * projected (e.g. onto a symmetry sector), orthogonalised twice against V and added. When the basis
 * would exceed `maxSubspace` it is collapsed onto the current Ritz vectors (thick restart).
 *
 * Converged when, for every requested root, the residual norm ‖A x − θ x‖ ≤ residualTolerance and the
 * eigenvalue changed by at most energyTolerance since the previous iteration. Anything else — too many
 * iterations or no new search direction left — throws ConvergenceError; nothing unconverged is
 * returned.
 */
import { ConvergenceError, InputError, symmetricEigenInto } from '../core/index.js';

/** Options of {@link davidson}. */
export interface DavidsonOptions {
  /** Number of lowest eigenpairs wanted (default 1). */
  roots?: number;
  /** Maximum number of iterations, each one batch of products A x (default 100). */
  maxIterations?: number;
  /** Residual-norm threshold per root (default 1e-6; eigenvalue error is then ~1e-12). */
  residualTolerance?: number;
  /** Threshold on the eigenvalue change between iterations (default 1e-10). */
  energyTolerance?: number;
  /**
   * Largest subspace before collapse (default max(16, 8 × roots)). Davidson keeps about
   * 2 × maxSubspace + 3 × roots + 1 vectors of `dimension` doubles (2 × maxSubspace + 2 × roots + 1
   * without a general preconditioner), so a small value bounds the memory of very large problems.
   */
  maxSubspace?: number;
  /** Optional in-place projection of every new vector (symmetry sector); must commute with A. */
  project?: (v: Float64Array) => void;
  /**
   * Optional preconditioner: out = P(θ) v with P(θ) ≈ (θ − A)^-1 (default: the diagonal,
   * (θ − A_ii)^-1). Must map the projected sector into itself.
   */
  preconditioner?: (theta: number, v: Float64Array, out: Float64Array) => void;
  /** Use Olsen's improved correction vector (default true); false gives plain Davidson. */
  olsen?: boolean;
  /** Called after every iteration with the current eigenvalue estimates and residual norms. */
  onIteration?: (iteration: number, values: Float64Array, residualNorms: Float64Array) => void;
  /**
   * Checked after every unconverged iteration: returning true ends the run at once with the current
   * Ritz pairs and `stopped: true` (e.g. once they show the eigenvalues are of no interest).
   */
  stopWhen?: (iteration: number, values: Float64Array, residualNorms: Float64Array) => boolean;
}

/** Result of {@link davidson}. */
export interface DavidsonResult {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Normalised eigenvectors, one per root. */
  vectors: Float64Array[];
  /** Final residual norms. */
  residualNorms: Float64Array;
  /** Number of iterations used. */
  iterations: number;
  /** Number of products A x evaluated. */
  products: number;
  /** True when `stopWhen` ended the run before convergence. */
  stopped: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s0 = 0;
  let s1 = 0;
  const n = a.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
  }
  if (i < n) s0 += a[i] * b[i];
  return s0 + s1;
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

/**
 * Vectors of finished small runs, by length, handed to the next run. An FCI label of a small
 * molecule runs Davidson on several symmetry sectors at every displaced geometry; fresh vectors
 * there are malloc'd backing stores that V8's collector frees on its helper threads, which costs as
 * much CPU as the products themselves when every core runs a worker. Only vectors up to
 * RECYCLED_MAX_LENGTH doubles are kept, at most RECYCLED_MAX_ELEMENTS in all.
 */
const recycled = new Map<number, Float64Array[]>();
const RECYCLED_MAX_LENGTH = 1 << 16;
const RECYCLED_MAX_ELEMENTS = 1 << 21;
let recycledElements = 0;

/** A zeroed vector of length `dim`, recycled when one is at hand. */
function recycledVector(dim: number): Float64Array {
  const v = recycled.get(dim)?.pop();
  if (v === undefined) return new Float64Array(dim);
  recycledElements -= dim;
  return v.fill(0);
}

/** Keep the vectors of a finished run for later runs (within the limits above). */
function recycle(...groups: Float64Array[][]): void {
  for (const group of groups) {
    for (const v of group) {
      const dim = v.length;
      if (dim === 0 || dim > RECYCLED_MAX_LENGTH || recycledElements + dim > RECYCLED_MAX_ELEMENTS) continue;
      let list = recycled.get(dim);
      if (!list) {
        list = [];
        recycled.set(dim, list);
      }
      list.push(v);
      recycledElements += dim;
    }
  }
}

/** Orthogonalise v against the basis (classical Gram–Schmidt, a second pass when needed) and normalise. Returns the norm after orthogonalisation. */
function orthonormalize(v: Float64Array, basis: Float64Array[]): number {
  const before = Math.sqrt(dot(v, v));
  if (before === 0) return 0;
  // Classical Gram–Schmidt, repeated once when cancellation was strong (Daniel–Gragg–Kaufman–Stewart).
  let norm = before;
  for (let pass = 0; pass < 2; pass++) {
    const previous = norm;
    for (const b of basis) axpy(-dot(b, v), b, v);
    norm = Math.sqrt(dot(v, v));
    if (norm > 0.5 * previous) break;
  }
  if (norm <= 1e-10 * before || norm === 0) return 0;
  const inv = 1 / norm;
  for (let i = 0; i < v.length; i++) v[i] *= inv;
  return norm / before;
}

/**
 * Lowest `roots` eigenpairs of A. `apply(x, y)` must overwrite y with A x. `guesses` are starting
 * vectors (at least `roots` linearly independent ones after projection).
 */
export function davidson(
  apply: (x: Float64Array, y: Float64Array) => void,
  diagonal: Float64Array,
  guesses: Float64Array[],
  options: DavidsonOptions = {},
): DavidsonResult {
  const dim = diagonal.length;
  const roots = options.roots ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const rTol = options.residualTolerance ?? 1e-6;
  const eTol = options.energyTolerance ?? 1e-10;
  const maxSubspace = Math.max(options.maxSubspace ?? Math.max(16, 8 * roots), 2 * roots + 1);
  if (!Number.isInteger(roots) || roots < 1) throw new InputError(`davidson: roots must be a positive integer, got ${roots}`);
  if (roots > dim) throw new InputError(`davidson: ${roots} roots requested in a space of dimension ${dim}`);
  const basis: Float64Array[] = [];
  const images: Float64Array[] = [];
  // Vectors dropped at a collapse are reused, so the number of live vectors stays fixed (about
  // 2 × maxSubspace + 3 × roots + 2) instead of growing with garbage the collector has not reached.
  const spare: Float64Array[] = [];
  const vector = (): Float64Array => spare.pop() ?? recycledVector(dim);
  let products = 0;
  const addVector = (v: Float64Array): boolean => {
    if (options.project) options.project(v);
    if (orthonormalize(v, basis) === 0) {
      spare.push(v);
      return false;
    }
    const av = vector();
    apply(v, av);
    products++;
    basis.push(v);
    images.push(av);
    return true;
  };
  for (const g of guesses) {
    if (basis.length >= maxSubspace - roots) break;
    addVector(Float64Array.from(g));
  }
  if (basis.length < roots) {
    throw new InputError(`davidson: only ${basis.length} independent starting vectors for ${roots} roots`);
  }
  // Projected matrix, kept across iterations (maxSubspace × maxSubspace).
  const proj = new Float64Array(maxSubspace * maxSubspace);
  const smallProjected = new Float64Array(maxSubspace * maxSubspace);
  const eigenValues = new Float64Array(maxSubspace);
  const eigenVectors = new Float64Array(maxSubspace * maxSubspace);
  let projSize = 0;
  const prevValues = new Float64Array(roots).fill(Number.NaN);
  const values = new Float64Array(roots);
  const residualNorms = new Float64Array(roots);
  const ritz: Float64Array[] = Array.from({ length: roots }, () => new Float64Array(dim));
  const ritzImages: Float64Array[] = Array.from({ length: roots }, () => new Float64Array(dim));
  // Only the general preconditioner needs the residual and P x stored; the diagonal one forms the
  // correction element by element.
  const residual = options.preconditioner ? new Float64Array(dim) : new Float64Array(0);
  const preconditionedRitz = options.preconditioner && options.olsen !== false ? new Float64Array(dim) : new Float64Array(0);
  let lastChange = Number.NaN;
  for (let iter = 1; iter <= maxIterations; iter++) {
    const m = basis.length;
    for (let j = projSize; j < m; j++) {
      for (let i = 0; i <= j; i++) {
        const v = dot(basis[i], images[j]);
        proj[i * maxSubspace + j] = v;
        proj[j * maxSubspace + i] = v;
      }
    }
    projSize = m;
    const small = smallProjected.subarray(0, m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) small[i * m + j] = proj[i * maxSubspace + j];
    const eig = symmetricEigenInto(small, m, eigenValues.subarray(0, m), eigenVectors.subarray(0, m * m));
    let converged = true;
    lastChange = 0;
    for (let k = 0; k < roots; k++) {
      const x = ritz[k];
      const ax = ritzImages[k];
      x.fill(0);
      ax.fill(0);
      for (let i = 0; i < m; i++) {
        const y = eig.vectors[i * m + k];
        axpy(y, basis[i], x);
        axpy(y, images[i], ax);
      }
      const theta = eig.values[k];
      values[k] = theta;
      let r2 = 0;
      for (let i = 0; i < dim; i++) {
        const r = ax[i] - theta * x[i];
        r2 += r * r;
      }
      residualNorms[k] = Math.sqrt(r2);
      const change = Math.abs(theta - prevValues[k]);
      lastChange = Math.max(lastChange, Number.isNaN(change) ? Infinity : change);
      if (!(residualNorms[k] <= rTol && change <= eTol)) converged = false;
    }
    options.onIteration?.(iter, values, residualNorms);
    const stopped = !converged && options.stopWhen !== undefined && options.stopWhen(iter, values, residualNorms);
    if (converged || stopped) {
      recycle(basis, images, ritzImages, spare);
      return {
        values: Float64Array.from(values),
        vectors: ritz.slice(),
        residualNorms: Float64Array.from(residualNorms),
        iterations: iter,
        products,
        stopped,
      };
    }
    prevValues.set(values);
    // New directions from the unconverged roots.
    const fresh: Float64Array[] = [];
    for (let k = 0; k < roots; k++) {
      // A root whose residual is already small only waits for its eigenvalue to settle.
      if (residualNorms[k] <= rTol) continue;
      const t = vector();
      const theta = values[k];
      const x = ritz[k];
      const ax = ritzImages[k];
      if (options.preconditioner) {
        // Olsen's correction with a general preconditioner P(θ) ≈ (θ − A)^-1:
        // t = P r − ε P x, ε = x·P r / x·P x, so that x·t = 0 to first order.
        const r = residual;
        for (let i = 0; i < dim; i++) r[i] = ax[i] - theta * x[i];
        options.preconditioner(theta, r, t);
        if (options.olsen !== false) {
          const px = preconditionedRitz;
          options.preconditioner(theta, x, px);
          const den2 = dot(x, px);
          if (den2 !== 0) axpy(-dot(x, t) / den2, px, t);
        }
      } else {
        // Olsen's correction: t = (θ − D)^-1 (r − ε x) with ε chosen so that x·t = 0.
        let num = 0;
        let den2 = 0;
        for (let i = 0; i < dim; i++) {
          let den = theta - diagonal[i];
          if (Math.abs(den) < 1e-8) den = den < 0 ? -1e-8 : 1e-8;
          const inv = 1 / den;
          const r = ax[i] - theta * x[i];
          t[i] = inv;
          num += x[i] * inv * r;
          den2 += x[i] * inv * x[i];
        }
        const eps = options.olsen === false || den2 === 0 ? 0 : num / den2;
        for (let i = 0; i < dim; i++) t[i] *= ax[i] - theta * x[i] - eps * x[i];
      }
      fresh.push(t);
    }
    if (fresh.length === 0) continue;
    if (m + fresh.length > maxSubspace) {
      // Collapse onto the current Ritz vectors (already orthonormal): their storage becomes the
      // basis and the first basis vectors' storage holds the next Ritz vectors (no copies).
      for (let k = 0; k < roots; k++) {
        const b = basis[k];
        const im = images[k];
        basis[k] = ritz[k];
        images[k] = ritzImages[k];
        ritz[k] = b;
        ritzImages[k] = im;
      }
      spare.push(...basis.splice(roots), ...images.splice(roots));
      proj.fill(0);
      for (let k = 0; k < roots; k++) proj[k * maxSubspace + k] = values[k];
      projSize = roots;
    }
    let added = 0;
    for (const t of fresh) if (addVector(t)) added++;
    if (added === 0) {
      throw new ConvergenceError(
        `Davidson stalled after ${iter} iterations: no new search direction (residual norms ${Array.from(residualNorms)
          .map((r) => r.toExponential(2))
          .join(', ')}, tolerance ${rTol})`,
        { lastEnergyChangeHartree: lastChange, lastEnergyHartree: values[0], iterations: iter },
      );
    }
  }
  throw new ConvergenceError(
    `Davidson did not converge in ${maxIterations} iterations (residual norms ${Array.from(residualNorms)
      .map((r) => r.toExponential(2))
      .join(', ')}, tolerance ${rTol})`,
    { lastEnergyChangeHartree: lastChange, lastEnergyHartree: values[0], iterations: maxIterations },
  );
}
