import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LBFGS_DEFAULTS, minimizeLbfgs, type ObjectiveWithGradient } from './lbfgs.js';

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

/** Deterministic pseudo-noise in [−1, 1) from the bits of x (the same x always gives the same value). */
function hashNoise(x: Float64Array, salt: number): number {
  let h = salt | 0;
  const words = new Uint32Array(x.buffer, x.byteOffset, 2 * x.length);
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x9e3779b1) ^ (h >>> 15);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return ((h >>> 0) / 2 ** 32) * 2 - 1;
}

/**
 * f = E₀ + ½ Σ λ_i (x_i − c_i)² + 1e-11·noise(x): minimum E₀ (≈ a molecular energy) known only to
 * ~1e-11; the gradient carries 2e-6 noise per component, so ‖g‖ never falls below ~1e-5, as in an
 * over-parametrised VQE at the round-off floor.
 */
function noisyBowl(n: number): { f: (x: Float64Array, g: Float64Array) => number; minimum: number; centre: Float64Array } {
  const minimum = -107.5;
  const lambda = Float64Array.from({ length: n }, (_, i) => Math.pow(10, -2 + (2 * i) / (n - 1)));
  const centre = Float64Array.from({ length: n }, (_, i) => 0.3 * Math.cos(i));
  const f = (x: Float64Array, g: Float64Array): number => {
    let value = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i] - centre[i];
      value += 0.5 * lambda[i] * d * d;
      g[i] = lambda[i] * d + 2e-6 * hashNoise(x, 1000 + i);
    }
    return minimum + value + 1e-11 * hashNoise(x, 7);
  };
  return { f, minimum, centre };
}

test('L-BFGS accepts a minimum known to ~1e-11 by the energy-window rule when the gradient cannot reach 1e-6', () => {
  const n = 40;
  const { f, minimum, centre } = noisyBowl(n);
  const result = minimizeLbfgs(f, new Float64Array(n), { maxIterations: 3000 });
  assert.equal(result.converged, true, `${result.reason} after ${result.iterations} iterations, ‖g‖ = ${result.gradientNorm}`);
  assert.equal(result.reason, 'value-change');
  assert.ok(result.gradientNorm > LBFGS_DEFAULTS.gradientTolerance, 'the gradient criterion alone is unreachable here');
  assert.ok(result.gradientNorm <= LBFGS_DEFAULTS.windowGradientTolerance);
  assert.ok(result.windowSteps === LBFGS_DEFAULTS.valueWindow && result.windowValueChange <= LBFGS_DEFAULTS.valueTolerance);
  // f − f* = ½ Σ λ d² ≤ ‖g‖²/(2 λ_min) for the noise-free part; 1e-8 Hartree is far below any chemical use.
  assert.ok(result.value - minimum < 1e-8, `f − f* = ${result.value - minimum}`);
  assert.ok(result.value - minimum > -2e-11);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(result.x[i] - centre[i]) < 1e-3, `x[${i}] off by ${result.x[i] - centre[i]}`);
});

test('L-BFGS without the value criterion reports the same noisy problem as not converged (never a silent stop)', () => {
  const n = 40;
  const { f } = noisyBowl(n);
  const result = minimizeLbfgs(f, new Float64Array(n), { valueTolerance: 0, maxIterations: 3000 });
  assert.equal(result.converged, false);
  assert.ok(['line-search-failed', 'max-iterations', 'max-evaluations'].includes(result.reason), result.reason);
});

test('L-BFGS with the default deep memory solves a 200-parameter quadratic with eigenvalues from 1e-4 to 1', () => {
  // f = ½ Σ λ_i (x_i − c_i)² in a rotated basis (product of Householder reflections keeps it dense).
  const n = 200;
  const lambda = Float64Array.from({ length: n }, (_, i) => Math.pow(10, -4 + (4 * i) / (n - 1)));
  const c = Float64Array.from({ length: n }, (_, i) => Math.sin(0.7 * i));
  const v1 = Float64Array.from({ length: n }, (_, i) => 1 + Math.cos(i));
  const v2 = Float64Array.from({ length: n }, (_, i) => Math.sin(3 * i + 1));
  const reflect = (v: Float64Array, a: Float64Array): void => {
    let vv = 0;
    let va = 0;
    for (let i = 0; i < n; i++) {
      vv += v[i] * v[i];
      va += v[i] * a[i];
    }
    for (let i = 0; i < n; i++) a[i] -= (2 * va * v[i]) / vv;
  };
  const y = new Float64Array(n);
  const result = minimizeLbfgs(
    (x, g) => {
      // y = Q(x − c) with Q = R₂R₁; ∇f = Qᵀ Λ y = R₁R₂ Λ y.
      for (let i = 0; i < n; i++) y[i] = x[i] - c[i];
      reflect(v1, y);
      reflect(v2, y);
      let f = 0;
      for (let i = 0; i < n; i++) {
        f += 0.5 * lambda[i] * y[i] * y[i];
        g[i] = lambda[i] * y[i];
      }
      reflect(v2, g);
      reflect(v1, g);
      return f;
    },
    new Float64Array(n),
    { gradientTolerance: 1e-10, valueTolerance: 0, maxIterations: 5000 },
  );
  assert.equal(result.converged, true, `${result.reason} after ${result.iterations} iterations`);
  // ‖x − c‖ ≤ ‖g‖ / λ_min.
  let err = 0;
  for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(result.x[i] - c[i]));
  assert.ok(err <= 1e-10 / 1e-4, `max |x − c| = ${err}`);
});
