import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boysFunction, boysF0 } from './boys.js';

/** F_m(T) = ∫₀¹ t^{2m} e^{−T t²} dt by composite Gauss–Legendre (independent of the table scheme). */
function boysQuadrature(m: number, t: number): number {
  // 5-point Gauss–Legendre on 400 panels.
  const x = [0, -0.5384693101056831, 0.5384693101056831, -0.906179845938664, 0.906179845938664];
  const w = [0.5688888888888889, 0.47862867049936647, 0.47862867049936647, 0.23692688505618908, 0.23692688505618908];
  const panels = 400;
  const h = 1 / panels;
  let sum = 0;
  for (let p = 0; p < panels; p++) {
    const mid = (p + 0.5) * h;
    for (let k = 0; k < 5; k++) {
      const s = mid + 0.5 * h * x[k];
      sum += w[k] * 0.5 * h * s ** (2 * m) * Math.exp(-t * s * s);
    }
  }
  return sum;
}

test('Boys function agrees with quadrature to ~1e-14 relative over m ≤ 16, T ∈ [0, 60]', () => {
  const out = new Float64Array(17);
  let worst = 0;
  for (const t of [0, 1e-9, 0.013, 0.5, 1.2345, 3.3, 7.77, 12.5, 19.99, 25.0, 33.3, 35.99, 36.0, 41.7, 60]) {
    boysFunction(16, t, out);
    for (let m = 0; m <= 16; m++) {
      const ref = boysQuadrature(m, t);
      const rel = Math.abs(out[m] - ref) / ref;
      if (rel > worst) worst = rel;
    }
    assert.ok(Math.abs(boysF0(t) - boysQuadrature(0, t)) / boysQuadrature(0, t) < 1e-14);
  }
  assert.ok(worst < 5e-14, `worst relative error ${worst}`);
});

test('Boys function closed forms: F_m(0) = 1/(2m+1), F_0(T) → ½√(π/T)', () => {
  const out = new Float64Array(9);
  boysFunction(8, 0, out);
  for (let m = 0; m <= 8; m++) assert.ok(Math.abs(out[m] - 1 / (2 * m + 1)) < 1e-16);
  assert.ok(Math.abs(boysF0(100) - 0.5 * Math.sqrt(Math.PI / 100)) < 1e-17);
});
