import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  symmetricEigen,
  matMul,
  matMulTN,
  matMulNT,
  transpose,
  canonicalOrthogonalizer,
  symmetricOrthogonalizer,
  solveLinearSystem,
} from './linalg.js';
import { Random } from './random.js';

function randomSymmetric(n: number, rng: Random): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rng.normal();
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

function checkDecomposition(a: Float64Array, n: number, tol: number): void {
  const { values, vectors } = symmetricEigen(a, n);
  for (let k = 1; k < n; k++) assert.ok(values[k] >= values[k - 1], 'ascending');
  const av = matMul(a, vectors, n, n, n);
  let scale = 1;
  for (const x of values) scale = Math.max(scale, Math.abs(x));
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      assert.ok(Math.abs(av[i * n + k] - vectors[i * n + k] * values[k]) < tol * scale, `A v = λ v at ${i},${k}`);
    }
  }
  const vtv = matMulTN(vectors, vectors, n, n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) assert.ok(Math.abs(vtv[i * n + j] - (i === j ? 1 : 0)) < tol, 'VᵀV = I');
  }
}

test('symmetricEigen: A V = V Λ and VᵀV = I for random symmetric matrices', () => {
  const rng = new Random(12345);
  for (const n of [1, 2, 3, 4, 7, 16, 33, 80]) checkDecomposition(randomSymmetric(n, rng), n, 1e-12 * Math.max(1, n));
});

test('symmetricEigen: known 2×2 and 3×3 spectra', () => {
  // [[2,1],[1,2]] has eigenvalues 1 and 3 with vectors (1,-1)/√2 and (1,1)/√2.
  const r2 = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
  assert.ok(Math.abs(r2.values[0] - 1) < 1e-14 && Math.abs(r2.values[1] - 3) < 1e-14);
  assert.ok(Math.abs(Math.abs(r2.vectors[0]) - Math.SQRT1_2) < 1e-14);
  assert.ok(Math.abs(r2.vectors[0] + r2.vectors[2]) < 1e-14, 'first eigenvector ∝ (1,-1)');
  // Tridiagonal [[2,-1,0],[-1,2,-1],[0,-1,2]]: eigenvalues 2 - √2, 2, 2 + √2.
  const r3 = symmetricEigen(new Float64Array([2, -1, 0, -1, 2, -1, 0, -1, 2]), 3);
  const expected = [2 - Math.SQRT2, 2, 2 + Math.SQRT2];
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(r3.values[k] - expected[k]) < 1e-14);
  // Diagonal input with degenerate and unsorted entries.
  const rd = symmetricEigen(new Float64Array([3, 0, 0, 0, -1, 0, 0, 0, 3]), 3);
  assert.deepEqual(Array.from(rd.values), [-1, 3, 3]);
  // Zero matrix and a matrix with degenerate spectrum (all-ones 4×4: 0,0,0,4).
  checkDecomposition(new Float64Array(9), 3, 1e-15);
  const ones = new Float64Array(16).fill(1);
  const r4 = symmetricEigen(ones, 4);
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(r4.values[k]) < 1e-14);
  assert.ok(Math.abs(r4.values[3] - 4) < 1e-14);
  checkDecomposition(ones, 4, 1e-14);
});

test('matrix products and transpose agree with explicit sums', () => {
  const rng = new Random(3);
  const m = 3, k = 4, n = 5;
  const a = Float64Array.from({ length: m * k }, () => rng.normal());
  const b = Float64Array.from({ length: k * n }, () => rng.normal());
  const c = matMul(a, b, m, k, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      assert.ok(Math.abs(c[i * n + j] - s) < 1e-14);
    }
  }
  const at = transpose(a, m, k);
  const c2 = matMulTN(at, b, k, m, n);
  const bt = transpose(b, k, n);
  const c3 = matMulNT(a, bt, m, k, n);
  for (let i = 0; i < m * n; i++) {
    assert.ok(Math.abs(c2[i] - c[i]) < 1e-14);
    assert.ok(Math.abs(c3[i] - c[i]) < 1e-14);
  }
});

test('orthogonalisers give XᵀSX = 1; canonical drops near-linear dependencies', () => {
  const rng = new Random(9);
  const n = 6;
  // S = BᵀB with B having two (nearly) identical columns → one eigenvalue ≈ 0.
  const b = Float64Array.from({ length: n * n }, () => rng.normal());
  for (let i = 0; i < n; i++) b[i * n + 5] = b[i * n + 4] * (1 + 1e-6);
  const s = matMulTN(b, b, n, n, n);
  const { x, nKept } = canonicalOrthogonalizer(s, n, 1e-7);
  assert.equal(nKept, n - 1);
  const xsx = matMulTN(x, matMul(s, x, n, n, nKept), n, nKept, nKept);
  for (let i = 0; i < nKept; i++) for (let j = 0; j < nKept; j++) assert.ok(Math.abs(xsx[i * nKept + j] - (i === j ? 1 : 0)) < 1e-8);
  const s2 = new Float64Array([1, 0.5, 0.5, 1]);
  const xs = symmetricOrthogonalizer(s2, 2);
  const check = matMul(matMul(xs, s2, 2, 2, 2), xs, 2, 2, 2);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) assert.ok(Math.abs(check[i * 2 + j] - (i === j ? 1 : 0)) < 1e-14);
});

test('solveLinearSystem solves a pivoting-requiring system and reports singular ones', () => {
  const a = new Float64Array([0, 2, 1, 1, 1, 1, 2, 1, 0]);
  const xTrue = [1, -2, 3];
  const b = new Float64Array(3);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) b[i] += a[i * 3 + j] * xTrue[j];
  const x = solveLinearSystem(a, b, 3)!;
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(x[i] - xTrue[i]) < 1e-14);
  assert.equal(solveLinearSystem(new Float64Array([1, 2, 2, 4]), new Float64Array([1, 1]), 2), undefined);
});
