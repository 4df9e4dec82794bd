/**
 * SCF dipole moments against Psi4 1.3.2 (oeprop on the SCF density, about the coordinate origin;
 * test/fixtures/gradients/psi4-gradients.json), and the origin dependence μ(O) = μ(0) − q·O of a
 * charged molecule's dipole (q the net charge) as an analytic check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { InputError } from '../core/errors.js';
import { moleculeOfEntry, type ReferenceAtom } from '../../test/psi4-reference.js';
import { runRhf, runUhf } from './scf.js';
import { runRohf } from './rohf.js';
import { dipoleFromAoDensity, scfDipole } from './dipole.js';

interface DipoleEntry {
  reference: 'rhf' | 'uhf' | 'rohf';
  molecule: string;
  basis: string;
  geometry: ReferenceAtom[];
  charge: number;
  multiplicity: number;
  dipole_au: number[];
  dipole_debye: number[];
}

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/gradients/psi4-gradients.json', import.meta.url), 'utf8')) as { entries: DipoleEntry[] };
const TIGHT = { energyConvergence: 1e-12, densityConvergence: 1e-10 };

for (const entry of fixture.entries) {
  test(`${entry.reference.toUpperCase()} dipole of ${entry.molecule} in ${entry.basis} matches Psi4 (1e-7 e·Bohr, 1e-6 Debye)`, () => {
    const mol = moleculeOfEntry(entry);
    const basis = buildMolecularBasis(mol, loadBasisLibrary(entry.basis));
    const run = entry.reference === 'rhf' ? runRhf : entry.reference === 'uhf' ? runUhf : runRohf;
    const dip = scfDipole(run(mol, basis, TIGHT));
    for (let d = 0; d < 3; d++) {
      assert.ok(Math.abs(dip.totalAu[d] - entry.dipole_au[d]) < 1e-7, `component ${d}: ${dip.totalAu[d]} vs Psi4 ${entry.dipole_au[d]}`);
      assert.ok(Math.abs(dip.totalDebye[d] - entry.dipole_debye[d]) < 1e-6, `component ${d}: ${dip.totalDebye[d]} D vs Psi4 ${entry.dipole_debye[d]} D`);
      assert.ok(Math.abs(dip.electronicAu[d] + dip.nuclearAu[d] - dip.totalAu[d]) < 1e-14);
    }
  });
}

test('dipole origin: a cation shifts by −q·O, a neutral molecule does not move', () => {
  const origin = [0.7, -1.3, 2.1];
  for (const name of ['h3o_plus', 'nh3_distorted']) {
    const entry = fixture.entries.find((e) => e.molecule === name && e.reference === 'rhf')!;
    const mol = moleculeOfEntry(entry);
    const basis = buildMolecularBasis(mol, loadBasisLibrary(entry.basis));
    const scf = runRhf(mol, basis, TIGHT);
    const at0 = scfDipole(scf);
    const atO = scfDipole(scf, basis, origin);
    for (let d = 0; d < 3; d++) {
      const expected = at0.totalAu[d] - entry.charge * origin[d];
      assert.ok(Math.abs(atO.totalAu[d] - expected) < 1e-9, `${name} component ${d}: ${atO.totalAu[d]} vs ${expected}`);
    }
  }
});

test('dipoleFromAoDensity takes any AO density and checks its size', () => {
  const entry = fixture.entries.find((e) => e.molecule === 'oh' && e.reference === 'uhf')!;
  const mol = moleculeOfEntry(entry);
  const basis = buildMolecularBasis(mol, loadBasisLibrary(entry.basis));
  const scf = runUhf(mol, basis, TIGHT);
  const n = basis.nFunctions;
  // Per-spin densities: their electronic parts add up to the Psi4 total's electronic part.
  const alpha = dipoleFromAoDensity(mol, basis, scf.densityAlpha);
  const beta = dipoleFromAoDensity(mol, basis, scf.densityBeta);
  for (let d = 0; d < 3; d++) {
    assert.ok(Math.abs(alpha.electronicAu[d] + beta.electronicAu[d] + alpha.nuclearAu[d] - entry.dipole_au[d]) < 1e-7);
  }
  assert.throws(() => dipoleFromAoDensity(mol, basis, new Float64Array(n * n - 1)), InputError);
});
