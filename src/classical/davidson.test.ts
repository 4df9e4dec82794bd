import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { ConvergenceError } from '../core/errors.js';
import { symmetricEigen } from '../core/linalg.js';
import { davidson } from './davidson.js';

function testMatrix(n: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = i * 0.3 + 0.05 * rng.normal();
    for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i] = 0.02 * rng.normal();
  }
  return a;
}

/** A dense test matrix with its reference eigen-decomposition, diagonal and matrix–vector product. */
function denseProblem(n: number, seed: number) {
  const a = testMatrix(n, seed);
  const ref = symmetricEigen(a, n);
  const diagonal = new Float64Array(n);
  for (let i = 0; i < n; i++) diagonal[i] = a[i * n + i];
  const apply = (x: Float64Array, y: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
      y[i] = s;
    }
  };
  return { a, ref, diagonal, apply };
}

test('Davidson finds the lowest eigenpairs of a dense symmetric matrix', () => {
  const n = 150;
  const { ref, diagonal, apply } = denseProblem(n, 7);
  const guesses = [0, 1, 2].map((k) => {
    const v = new Float64Array(n);
    v[k] = 1;
    return v;
  });
  const r = davidson(apply, diagonal, guesses, { roots: 3, residualTolerance: 1e-9, maxSubspace: 10 });
  for (let k = 0; k < 3; k++) {
    assert.ok(Math.abs(r.values[k] - ref.values[k]) < 1e-12, `eigenvalue ${k}: ${r.values[k]} vs ${ref.values[k]}`);
    let overlap = 0;
    for (let i = 0; i < n; i++) overlap += r.vectors[k][i] * ref.vectors[i * n + k];
    assert.ok(Math.abs(Math.abs(overlap) - 1) < 1e-9, `eigenvector ${k} overlap ${overlap}`);
    assert.ok(r.residualNorms[k] <= 1e-9);
  }
  assert.throws(
    () => davidson(apply, diagonal, guesses.slice(0, 1), { roots: 1, maxIterations: 2, olsen: false }),
    (e: unknown) => e instanceof ConvergenceError && e.iterations === 2 && Number.isFinite(e.lastEnergyHartree),
  );
});

test('Davidson with the smallest subspace (collapse every other iteration), diagonal and general preconditioner', () => {
  const n = 120;
  const { ref, diagonal, apply } = denseProblem(n, 11);
  const guess = new Float64Array(n);
  guess[0] = 1;
  const diagonalInverse = (theta: number, v: Float64Array, out: Float64Array): void => {
    for (let i = 0; i < n; i++) out[i] = v[i] / (theta - diagonal[i] || 1e-8);
  };
  for (const preconditioner of [undefined, diagonalInverse]) {
    const r = davidson(apply, diagonal, [guess], { roots: 1, residualTolerance: 1e-9, maxSubspace: 3, maxIterations: 200, preconditioner });
    assert.ok(Math.abs(r.values[0] - ref.values[0]) < 1e-12, `${r.values[0]} vs ${ref.values[0]}`);
    let overlap = 0;
    for (let i = 0; i < n; i++) overlap += r.vectors[0][i] * ref.vectors[i * n];
    assert.ok(Math.abs(Math.abs(overlap) - 1) < 1e-9, `overlap ${overlap}`);
    // The returned vector is the converged Ritz vector itself: A x = θ x to the tolerance.
    const ax = new Float64Array(n);
    apply(r.vectors[0], ax);
    let res = 0;
    for (let i = 0; i < n; i++) res += (ax[i] - r.values[0] * r.vectors[0][i]) ** 2;
    assert.ok(Math.sqrt(res) <= 1e-9, `residual ${Math.sqrt(res)}`);
    assert.ok(r.iterations > 3, 'the subspace collapsed at least once');
  }
});
