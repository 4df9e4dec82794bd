import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Diis } from './diis.js';

test('DIIS: weights cancel the errors; a full window drops its oldest entry', () => {
  const diis = new Diis(2);
  const out = [new Float64Array(2)];
  assert.equal(diis.extrapolate(out), 0);
  diis.push([Float64Array.of(10, 0)], Float64Array.of(5, 0)); // dropped when the window is full
  diis.push([Float64Array.of(0, 2)], Float64Array.of(1, 0));
  diis.push([Float64Array.of(4, 6)], Float64Array.of(-3, 0));
  // min |c1 e1 + c2 e2| with c1 + c2 = 1: c1 = 3/4, c2 = 1/4 → zero error.
  assert.equal(diis.extrapolate(out), 2);
  assert.deepEqual([...out[0]], [1, 3]);
});

test('DIIS: linearly dependent errors fall back to fewer entries, identical errors to the newest', () => {
  const diis = new Diis(4);
  const out = [new Float64Array(1), new Float64Array(1)];
  diis.push([Float64Array.of(1), Float64Array.of(-1)], Float64Array.of(1, 1));
  diis.push([Float64Array.of(2), Float64Array.of(-2)], Float64Array.of(1, 1));
  assert.equal(diis.extrapolate(out), 1);
  assert.deepEqual([[...out[0]], [...out[1]]], [[2], [-2]]);
  assert.throws(() => diis.push([Float64Array.of(1)], Float64Array.of(1, 1)), /shape/);
});

test('DIIS solves a linear fixed-point problem x = Mx + b in n + 1 steps (Krylov property)', () => {
  // Jacobi-like iteration x ← Mx + b with error e = x_new − x; DIIS over n + 1 iterates is exact.
  const n = 4;
  const m = [0.5, 0.1, 0, 0.2, -0.1, 0.3, 0.2, 0, 0, 0.2, -0.4, 0.1, 0.1, 0, 0.1, 0.6];
  const b = [1, -2, 0.5, 3];
  // Exact solution of (I − M)x = b by Gaussian elimination written out here.
  const a = Array.from({ length: n }, (_, i) => [...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0) - m[i * n + j]), b[i]]);
  for (let c = 0; c < n; c++)
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k];
    }
  const exact = a.map((row, i) => row[n] / row[i]);
  const diis = new Diis(n + 1);
  const x = new Float64Array(n);
  const next = new Float64Array(n);
  const err = new Float64Array(n);
  for (let it = 0; it < n + 1; it++) {
    for (let i = 0; i < n; i++) {
      let s = b[i];
      for (let j = 0; j < n; j++) s += m[i * n + j] * x[j];
      next[i] = s;
      err[i] = s - x[i];
    }
    diis.push([next], err);
    diis.extrapolate([x]);
  }
  for (let i = 0; i < n; i++) assert.ok(Math.abs(x[i] - exact[i]) < 1e-10, `x[${i}] = ${x[i]}, exact ${exact[i]}`);
});
