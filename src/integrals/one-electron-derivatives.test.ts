/**
 * The contracted one-electron derivative integrals against central finite differences of the
 * integral matrices themselves (five-point stencil, step 1e-3 Bohr, error O(h⁴)) (S, T, V rebuilt at displaced geometries, nuclei moved with their
 * functions), contracted with fixed random symmetric matrices; s through f shells, pure and cartesian.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../core/errors.js';
import { water } from './test-helpers.test-util.js';
import { displaced, fivePoint, randomSymmetric, spdfBasis, withGBasis } from './derivative-test-basis.test-util.js';
import { kineticMatrix, nuclearAttractionMatrix, overlapMatrix } from './one-electron.js';
import { oneElectronGradientTerms } from './one-electron-derivatives.js';

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

for (const pure of [true, false]) {
  test(`one-electron derivative integrals match finite differences (s–f shells, ${pure ? 'pure' : 'cartesian'})`, () => {
    const mol = water();
    const basis = spdfBasis(mol, pure);
    const n = basis.nFunctions;
    const d = randomSymmetric(n, 11);
    const w = randomSymmetric(n, 12);
    const terms = oneElectronGradientTerms(basis, mol, d, w);
    let worst = 0;
    for (let k = 0; k < 9; k++) {
      const fd = (f: (m: typeof mol) => number): number => fivePoint((step) => f(displaced(mol, k, step)));
      const s = fd((m) => dot(w, overlapMatrix(spdfBasis(m, pure))));
      const t = fd((m) => dot(d, kineticMatrix(spdfBasis(m, pure))));
      const v = fd((m) => dot(d, nuclearAttractionMatrix(spdfBasis(m, pure), m)));
      worst = Math.max(worst, Math.abs(s - terms.overlap[k]), Math.abs(t - terms.kinetic[k]), Math.abs(v - terms.potential[k]));
      assert.ok(Math.abs(s - terms.overlap[k]) < 1e-8, `overlap ${k}: ${terms.overlap[k]} vs finite difference ${s}`);
      assert.ok(Math.abs(t - terms.kinetic[k]) < 1e-8, `kinetic ${k}: ${terms.kinetic[k]} vs finite difference ${t}`);
      assert.ok(Math.abs(v - terms.potential[k]) < 1e-8, `potential ${k}: ${terms.potential[k]} vs finite difference ${v}`);
    }
    // Translational invariance: each Cartesian component sums to zero over the atoms.
    for (const g of [terms.overlap, terms.kinetic, terms.potential]) {
      for (let x = 0; x < 3; x++) assert.ok(Math.abs(g[x] + g[3 + x] + g[6 + x]) < 1e-10);
    }
    assert.ok(worst > 0);
  });
}

test('one-electron derivative integrals refuse g shells with an InputError', () => {
  const mol = water();
  const basis = withGBasis(mol);
  const n = basis.nFunctions;
  assert.throws(() => oneElectronGradientTerms(basis, mol, new Float64Array(n * n), new Float64Array(n * n)), (e: unknown) => e instanceof InputError && /g/.test((e as Error).message) && /l ≤ 3/.test((e as Error).message));
});
