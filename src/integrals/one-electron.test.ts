import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overlapMatrix, kineticMatrix, nuclearAttractionMatrix, coreHamiltonianMatrix, dipoleMatrices } from './one-electron.js';
import { nuclearRepulsionEnergy } from './nuclear-repulsion.js';
import { parseGbs } from '../basis/gbs.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { loadBasisLibrary } from '../basis/library.js';
import { symmetricEigenvalues, water, rotate, translate } from './test-helpers.test-util.js';

/** F_0 by Simpson's rule (independent of boys.ts). */
function f0(t: number): number {
  const n = 20000;
  const h = 1 / n;
  let s = 1 + Math.exp(-t);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * Math.exp(-t * (i * h) ** 2);
  return (s * h) / 3;
}

test('s-type overlap, kinetic and nuclear attraction match closed forms', () => {
  // One primitive s on H at the origin (a = 1.3) and one on He at (0, 0, 1.7) (b = 0.4).
  const lib = parseGbs('H 0\nS 1 1.00\n 1.3 1.0\n****\nHe 0\nS 1 1.00\n 0.4 1.0\n****\n', { name: 'x' });
  const mol = { atomicNumbers: Int32Array.from([1, 2]), positionsBohr: Float64Array.from([0, 0, 0, 0, 0, 1.7]), charge: 0, multiplicity: 1 };
  const basis = buildMolecularBasis(mol, lib);
  const a = 1.3, b = 0.4, r = 1.7;
  const p = a + b, mu = (a * b) / p;
  const sab = (4 * a * b / (p * p)) ** 0.75 * Math.exp(-mu * r * r);
  const S = overlapMatrix(basis);
  assert.ok(Math.abs(S[1] - sab) < 1e-15);
  assert.ok(Math.abs(S[0] - 1) < 1e-15 && Math.abs(S[3] - 1) < 1e-15);
  const T = kineticMatrix(basis);
  assert.ok(Math.abs(T[1] - mu * (3 - 2 * mu * r * r) * sab) < 1e-14);
  assert.ok(Math.abs(T[0] - 1.5 * a) < 1e-14);
  // V_ab = −Σ_C Z_C N_a N_b (2π/p) e^{−μR²} F_0(p |P − C|²)
  const na = (2 * a / Math.PI) ** 0.75, nb = (2 * b / Math.PI) ** 0.75;
  const pz = (b * r) / p;
  const vab = -na * nb * (2 * Math.PI / p) * Math.exp(-mu * r * r) * (1 * f0(p * pz * pz) + 2 * f0(p * (r - pz) ** 2));
  const V = nuclearAttractionMatrix(basis, mol);
  assert.ok(Math.abs(V[1] - vab) < 1e-12, `${V[1]} vs ${vab}`);
  // Diagonal on its own nucleus: −Z·2·sqrt(2a/π) plus the other nucleus.
  const vaa = -1 * 2 * Math.sqrt(2 * a / Math.PI) - 2 * 2 * Math.sqrt(2 * a / Math.PI) * f0(2 * a * r * r);
  assert.ok(Math.abs(V[0] - vaa) < 1e-12);
  const H = coreHamiltonianMatrix(basis, mol);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(H[i] - T[i] - V[i]) < 1e-15);
  assert.ok(Math.abs(nuclearRepulsionEnergy(mol) - 2 / 1.7) < 1e-15);
});

test('every basis function has unit norm (cartesian and pure d, f, g)', () => {
  for (const [name, pure] of [['cc-pvtz', true], ['cc-pvtz', false], ['6-31g**', false], ['aug-cc-pvdz', true], ['def2-svp', true]] as const) {
    const basis = buildMolecularBasis(water(), loadBasisLibrary(name), { pure });
    const S = overlapMatrix(basis);
    const n = basis.nFunctions;
    for (let i = 0; i < n; i++) assert.ok(Math.abs(S[i * n + i] - 1) < 1e-13, `${name} pure=${pure} function ${i}: ${S[i * n + i]}`);
  }
  // g functions: a custom basis with one g shell.
  const lib = parseGbs('O 0\nG 2 1.00\n 1.1 0.6\n 0.35 0.5\n****\n', { name: 'g-test', pure: true });
  for (const pure of [true, false]) {
    const b = buildMolecularBasis({ ...water(), atomicNumbers: Int32Array.from([8]), positionsBohr: new Float64Array(3) }, lib, { pure });
    const S = overlapMatrix(b);
    assert.equal(b.nFunctions, pure ? 9 : 15);
    for (let i = 0; i < b.nFunctions; i++) assert.ok(Math.abs(S[i * b.nFunctions + i] - 1) < 1e-13);
    if (pure) {
      // Pure functions of one shell are orthonormal.
      for (let i = 0; i < 9; i++) for (let j = 0; j < i; j++) assert.ok(Math.abs(S[i * 9 + j]) < 1e-13);
    }
  }
});

test('translation and rotation invariants (pure cc-pVTZ with f)', () => {
  const lib = loadBasisLibrary('cc-pvtz');
  const m0 = water();
  const b0 = buildMolecularBasis(m0, lib);
  const m1 = rotate(translate(m0, [0.7, -1.1, 2.3]), [0.3, -0.5, 0.8], 1.1);
  const b1 = buildMolecularBasis(m1, lib);
  const n = b0.nFunctions;
  for (const f of [overlapMatrix, kineticMatrix]) {
    const e0 = symmetricEigenvalues(f(b0), n), e1 = symmetricEigenvalues(f(b1), n);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(e0[i] - e1[i]) < 1e-10 * Math.max(1, Math.abs(e0[i])));
  }
  const v0 = symmetricEigenvalues(nuclearAttractionMatrix(b0, m0), n);
  const v1 = symmetricEigenvalues(nuclearAttractionMatrix(b1, m1), n);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(v0[i] - v1[i]) < 1e-10 * Math.max(1, Math.abs(v0[i])));
  // Pure translation leaves every matrix element unchanged.
  const b2 = buildMolecularBasis(translate(m0, [3, 4, -5]), lib);
  const S0 = overlapMatrix(b0), S2 = overlapMatrix(b2);
  for (let i = 0; i < n * n; i++) assert.ok(Math.abs(S0[i] - S2[i]) < 1e-13);
});

test('dipole integrals shift with the origin: X(O) = X(0) − O_x S', () => {
  const basis = buildMolecularBasis(water(), loadBasisLibrary('cc-pvdz'));
  const S = overlapMatrix(basis);
  const d0 = dipoleMatrices(basis);
  const o = [0.4, -1.2, 2.5];
  const d1 = dipoleMatrices(basis, o);
  for (let i = 0; i < S.length; i++) {
    assert.ok(Math.abs(d1.x[i] - (d0.x[i] - o[0] * S[i])) < 1e-13);
    assert.ok(Math.abs(d1.y[i] - (d0.y[i] - o[1] * S[i])) < 1e-13);
    assert.ok(Math.abs(d1.z[i] - (d0.z[i] - o[2] * S[i])) < 1e-13);
  }
  // ⟨s|z|s⟩ of a function centred at z0 is z0.
  const n = basis.nFunctions;
  assert.ok(Math.abs(d0.z[0] - water().positionsBohr[2]) < 1e-13);
  assert.ok(Math.abs(d0.z[(n - 1) * n + n - 1] - water().positionsBohr[8]) < 1e-12);
});
