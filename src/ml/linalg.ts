/**
 * Dense Cholesky factorisation for the kernel models. Matrices are row-major Float64Array n × n;
 * the factor L is lower triangular with A = L Lᵀ, stored in the lower triangle (upper left as is).
 */

/** Factor A in place; returns false when A is not positive definite to working precision. */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = a[rowJ + j];
    for (let k = 0; k < j; k++) d -= a[rowJ + k] * a[rowJ + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j];
      for (let k = 0; k < j; k++) s -= a[rowI + k] * a[rowJ + k];
      a[rowI + j] = s / ljj;
    }
  }
  return true;
}

/** Solve L Lᵀ x = b for x (b overwritten with x). */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
    b[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/** log det(A) = 2 Σ log L_ii. */
export function choleskyLogDet(l: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i]);
  return 2 * s;
}

/** A⁻¹ from its Cholesky factor (a new symmetric matrix). */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    col.fill(0);
    col[j] = 1;
    choleskySolveInPlace(l, n, col);
    for (let i = 0; i < n; i++) inv[i * n + j] = col[i];
  }
  return inv;
}

/**
 * Gradient of a sum of atomic terms with respect to positions: given G[i, f] = ∂E/∂D[i, f] (n × L)
 * and the descriptor derivatives (layout of descriptor.ts), returns ∂E/∂R (3n), into `out` when given.
 */
export function contractDescriptorGradient(g: Float64Array, derivatives: Float64Array, n: number, length: number, out?: Float64Array): Float64Array {
  const grad = out ?? new Float64Array(3 * n);
  if (out) grad.fill(0);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < length; f++) {
      const w = g[i * length + f];
      if (w === 0) continue;
      const o = (i * length + f) * n * 3;
      for (let k = 0; k < 3 * n; k++) grad[k] += w * derivatives[o + k];
    }
  }
  return grad;
}
