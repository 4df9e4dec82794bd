import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minimizeLbfgs, type ObjectiveWithGradient } from './lbfgs.js';

/** f = (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1). */
const rosenbrock: ObjectiveWithGradient = (x, g) => {
  const a = 1 - x[0];
  const b = x[1] - x[0] * x[0];
  g[0] = -2 * a - 400 * x[0] * b;
  g[1] = 200 * b;
  return a * a + 100 * b * b;
};

test('L-BFGS finds the minimum (1, 1) of the 2-D Rosenbrock function', () => {
  const result = minimizeLbfgs(
    rosenbrock,
    Float64Array.of(-1.2, 1),
    { gradientTolerance: 1e-9, valueTolerance: 0 },
  );
  assert.equal(result.converged, true);
  assert.equal(result.reason, 'gradient-norm');
  assert.ok(Math.abs(result.x[0] - 1) < 1e-8, `x0 = ${result.x[0]}`);
  assert.ok(Math.abs(result.x[1] - 1) < 1e-8, `x1 = ${result.x[1]}`);
  assert.ok(result.value < 1e-16);
  assert.ok(result.iterations < 100, `iterations ${result.iterations}`);
  assert.ok(result.evaluations >= result.iterations + 1);
});

test('L-BFGS solves a 10-D Rosenbrock chain (minimum at all ones)', () => {
  const n = 10;
  const result = minimizeLbfgs(
    (x, g) => {
      let f = 0;
      g.fill(0);
      for (let i = 0; i < n - 1; i++) {
        const a = 1 - x[i];
        const b = x[i + 1] - x[i] * x[i];
        f += a * a + 100 * b * b;
        g[i] += -2 * a - 400 * x[i] * b;
        g[i + 1] += 200 * b;
      }
      return f;
    },
    new Float64Array(n).fill(-0.5),
    { gradientTolerance: 1e-8, valueTolerance: 0, maxIterations: 500 },
  );
  assert.equal(result.converged, true);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(result.x[i] - 1) < 1e-6);
});

test('L-BFGS minimises an ill-conditioned quadratic with known minimiser', () => {
  // f(x) = ½ (x − c)ᵀ A (x − c) with A = diag(1 … 1000) rotated by a fixed orthogonal mixing.
  const n = 8;
  const c = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
  const diag = Float64Array.from({ length: n }, (_, i) => Math.pow(1000, i / (n - 1)));
  // Householder reflection Q = I − 2vvᵀ/vᵀv makes A = Q D Q dense.
  const v = Float64Array.from({ length: n }, (_, i) => 1 + 0.3 * i);
  const vv = v.reduce((s, t) => s + t * t, 0);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) {
        const qik = (i === k ? 1 : 0) - (2 * v[i] * v[k]) / vv;
        const qkj = (k === j ? 1 : 0) - (2 * v[k] * v[j]) / vv;
        s += qik * diag[k] * qkj;
      }
      A[i * n + j] = s;
    }
  const d = new Float64Array(n);
  const result = minimizeLbfgs(
    (x, g) => {
      for (let i = 0; i < n; i++) d[i] = x[i] - c[i];
      let f = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i * n + j] * d[j];
        g[i] = s;
        f += 0.5 * d[i] * s;
      }
      return f;
    },
    new Float64Array(n),
    { gradientTolerance: 1e-10, valueTolerance: 0 },
  );
  assert.equal(result.converged, true);
  assert.equal(result.reason, 'gradient-norm');
  assert.ok(result.value < 1e-20);
  // ‖x − c‖ ≤ ‖g‖ / λ_min with λ_min = 1.
  for (let i = 0; i < n; i++) assert.ok(Math.abs(result.x[i] - c[i]) < 1e-10);
});

test('L-BFGS reports non-convergence when the iteration limit is hit', () => {
  const result = minimizeLbfgs(
    rosenbrock,
    Float64Array.of(-1.2, 1),
    { maxIterations: 3 },
  );
  assert.equal(result.converged, false);
  assert.equal(result.reason, 'max-iterations');
  assert.equal(result.iterations, 3);
});

test('L-BFGS reports a stalled line search on a non-smooth function as failed', () => {
  // |x| + |y| has no gradient-norm minimum criterion reachable; the line search must give up.
  const result = minimizeLbfgs(
    (x, g) => {
      g[0] = Math.sign(x[0]) || 1;
      g[1] = Math.sign(x[1]) || 1;
      return Math.abs(x[0]) + Math.abs(x[1]);
    },
    Float64Array.of(0.7, -0.3),
    { valueTolerance: 0, maxIterations: 200 },
  );
  assert.equal(result.converged, false);
});
