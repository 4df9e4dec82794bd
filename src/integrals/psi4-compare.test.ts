/**
 * Element-wise comparison with Psi4 1.3.2 MintsHelper integrals (fixtures made by
 * test/fixtures/integrals/make_fixtures.py): H2O in cc-pVDZ (pure d), cc-pVTZ (pure d and f) and
 * 6-31G* (cartesian d, SP shells).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { overlapMatrix, kineticMatrix, nuclearAttractionMatrix, dipoleMatrices } from './one-electron.js';
import { electronRepulsionIntegrals } from './eri.js';
import { eriIndex } from './eri-layout.js';
import { nuclearRepulsionEnergy } from './nuclear-repulsion.js';

interface Fixture {
  basis: string;
  puream: boolean;
  atomicNumbers: number[];
  positionsBohr: number[];
  nBasis: number;
  nuclearRepulsion: number;
  overlap: number[];
  kinetic: number[];
  potential: number[];
  dipoleX: number[];
  dipoleY: number[];
  dipoleZ: number[];
  eriSamples: [number, number, number, number, number][];
  eriSumOfSquares: number;
}

const TOL = 1e-10;

function maxDiff(a: ArrayLike<number>, b: number[]): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

for (const name of ['h2o-cc-pvdz', 'h2o-cc-pvtz', 'h2o-6-31gs']) {
  test(`integrals match Psi4 element-wise: ${name}`, () => {
    const path = fileURLToPath(new URL(`../../test/fixtures/integrals/psi4-${name}.json`, import.meta.url));
    const f = JSON.parse(readFileSync(path, 'utf8')) as Fixture;
    const mol = {
      atomicNumbers: Int32Array.from(f.atomicNumbers),
      positionsBohr: Float64Array.from(f.positionsBohr),
      charge: 0,
      multiplicity: 1,
    };
    const basis = buildMolecularBasis(mol, loadBasisLibrary(f.basis));
    assert.equal(basis.pure, f.puream);
    assert.equal(basis.nFunctions, f.nBasis);
    assert.ok(Math.abs(nuclearRepulsionEnergy(mol) - f.nuclearRepulsion) < 1e-12);
    assert.ok(maxDiff(overlapMatrix(basis), f.overlap) < TOL, 'overlap');
    assert.ok(maxDiff(kineticMatrix(basis), f.kinetic) < TOL, 'kinetic');
    assert.ok(maxDiff(nuclearAttractionMatrix(basis, mol), f.potential) < TOL, 'potential');
    const d = dipoleMatrices(basis);
    assert.ok(maxDiff(d.x, f.dipoleX) < TOL && maxDiff(d.y, f.dipoleY) < TOL && maxDiff(d.z, f.dipoleZ) < TOL, 'dipole');
    const eri = electronRepulsionIntegrals(basis, { threads: 1 });
    let worst = 0;
    for (const [i, j, k, l, v] of f.eriSamples) worst = Math.max(worst, Math.abs(eri.values[eriIndex(i, j, k, l)] - v));
    assert.ok(worst < TOL, `eri samples ${worst}`);
    // Whole tensor: Σ (ij|kl)² over all n⁴ index combinations.
    const n = basis.nFunctions;
    let s = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) for (let l = 0; l < n; l++) {
      const v = eri.values[eriIndex(i, j, k, l)];
      s += v * v;
    }
    assert.ok(Math.abs(s - f.eriSumOfSquares) / f.eriSumOfSquares < 1e-11, `eri sum of squares ${s} vs ${f.eriSumOfSquares}`);
  });
}
