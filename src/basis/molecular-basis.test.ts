import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMolecularBasis } from './molecular-basis.js';
import { loadBasisLibrary } from './library.js';
import { cartesianExponents, shellTransform } from './shell-functions.js';
import { InputError } from '../core/errors.js';

const water = {
  atomicNumbers: Int32Array.from([8, 1, 1]),
  positionsBohr: Float64Array.from([0, 0, 0.2217, 0, 1.4309, -0.8867, 0, -1.4309, -0.8867]),
  charge: 0,
  multiplicity: 1,
};

test('function counts follow pure/cartesian conventions (Psi4 nbf)', () => {
  // Psi4: H2O cc-pVDZ 24, 6-31G* (6d) 19, cc-pVTZ 58, STO-3G 7, 6-31G** 25.
  assert.equal(buildMolecularBasis(water, loadBasisLibrary('cc-pvdz')).nFunctions, 24);
  assert.equal(buildMolecularBasis(water, loadBasisLibrary('6-31g*')).nFunctions, 19);
  assert.equal(buildMolecularBasis(water, loadBasisLibrary('6-31g**')).nFunctions, 25);
  assert.equal(buildMolecularBasis(water, loadBasisLibrary('cc-pvtz')).nFunctions, 58);
  assert.equal(buildMolecularBasis(water, loadBasisLibrary('sto-3g')).nFunctions, 7);
  assert.equal(buildMolecularBasis(water, loadBasisLibrary('cc-pvdz'), { pure: false }).nFunctions, 25);
});

test('shell offsets and function-to-atom map are consistent', () => {
  const b = buildMolecularBasis(water, loadBasisLibrary('cc-pvdz'));
  assert.equal(b.name, 'cc-pVDZ');
  assert.equal(b.pure, true);
  let f = 0;
  for (let s = 0; s < b.nShells; s++) {
    assert.equal(b.shellFirstFunction[s], f);
    assert.equal(b.shellFunctionCount[s], 2 * b.shellL[s] + 1);
    for (let k = 0; k < b.shellFunctionCount[s]; k++) assert.equal(b.functionToAtom[f + k], b.shellAtom[s]);
    f += b.shellFunctionCount[s];
  }
  assert.equal(f, b.nFunctions);
  assert.deepEqual([...b.functionToAtom.slice(0, 14)], new Array(14).fill(0));
});

test('missing element throws InputError naming basis and element', () => {
  // The shipped cc-pVDZ file has no potassium.
  const k = { atomicNumbers: Int32Array.from([1, 19]), positionsBohr: Float64Array.from([0, 0, 0, 0, 0, 4]), charge: 0, multiplicity: 1 };
  assert.throws(() => buildMolecularBasis(k, loadBasisLibrary('cc-pvdz')), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /basis cc-pVDZ has no functions for element K$/);
    return true;
  });
  // def2-SVP uses an ECP for Rb.
  const rb = { atomicNumbers: Int32Array.from([37]), positionsBohr: new Float64Array(3), charge: 0, multiplicity: 1 };
  assert.throws(() => buildMolecularBasis(rb, loadBasisLibrary('def2-svp')), /effective core potential for element Rb/);
});

test('cartesian order is xx, xy, xz, yy, yz, zz', () => {
  assert.deepEqual([...cartesianExponents(2)], [2, 0, 0, 1, 1, 0, 1, 0, 1, 0, 2, 0, 0, 1, 1, 0, 0, 2]);
});

test('pure d transform: d0 ∝ 2zz − xx − yy, d+2 ∝ xx − yy, d−2 ∝ xy (analytic forms)', () => {
  const t = shellTransform(2, true);
  const row = (k: number) => [...t.matrix.slice(6 * k, 6 * k + 6)];
  const [xx, xy, xz, yy, yz, zz] = [0, 1, 2, 3, 4, 5];
  const d0 = row(0);
  assert.ok(Math.abs(d0[zz] + 2 * d0[xx]) < 1e-15 && Math.abs(d0[xx] - d0[yy]) < 1e-15 && d0[xy] === 0);
  const d1p = row(1);
  assert.ok(d1p[xz] > 0 && d1p.every((v, i) => i === xz || v === 0));
  const d1m = row(2);
  assert.ok(d1m[yz] > 0 && d1m.every((v, i) => i === yz || v === 0));
  const d2p = row(3);
  assert.ok(Math.abs(d2p[xx] + d2p[yy]) < 1e-15 && d2p[xx] > 0);
  const d2m = row(4);
  assert.ok(d2m[xy] > 0 && d2m.every((v, i) => i === xy || v === 0));
  // Unit norm with the monomial metric: with shell-normalised components, xy has norm 1/3 of xx.
  assert.ok(Math.abs(d2m[xy] - Math.sqrt(3)) < 1e-14);
});
