import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { matMul } from '../core/linalg.js';
import { runRhf } from './scf.js';
import { runRohf } from './rohf.js';
import { moleculeOfEntry, type ReferenceAtom } from '../../test/psi4-reference.js';

interface Entry {
  kind: string;
  molecule: string;
  basis: string;
  charge: number;
  multiplicity: number;
  geometry: ReferenceAtom[];
  n_basis_functions?: number;
  rohf_energy_hartree: number;
  orbital_energies_hartree?: number[];
}
const doc = JSON.parse(readFileSync(new URL('../../test/fixtures/open-shell/psi4-open-shell.json', import.meta.url), 'utf8')) as { entries: Entry[] };

for (const entry of doc.entries.filter((e) => e.kind === 'rohf')) {
  test(`ROHF ${entry.molecule}/${entry.basis}: energy (1e-8) and orbital energies (1e-6) match Psi4`, () => {
    const molecule = moleculeOfEntry(entry);
    const basis = buildMolecularBasis(molecule, loadBasisLibrary(entry.basis));
    const r = runRohf(molecule, basis);
    assert.equal(r.method, 'rohf');
    assert.equal(r.nBasis, entry.n_basis_functions);
    assert.equal(r.nAlpha - r.nBeta, entry.multiplicity - 1);
    const error = r.energyHartree - entry.rohf_energy_hartree;
    assert.ok(Math.abs(error) <= 1e-8, `qde ${r.energyHartree} vs Psi4 ${entry.rohf_energy_hartree} (${error})`);
    // The canonicalisation (diagonal blocks of the effective Fock matrix) is Psi4's: same eigenvalues.
    const eps = entry.orbital_energies_hartree ?? [];
    assert.equal(r.orbitalEnergiesAlpha.length, eps.length);
    for (let k = 0; k < eps.length; k++) {
      assert.ok(Math.abs(r.orbitalEnergiesAlpha[k] - eps[k]) <= 1e-6, `orbital ${k}: qde ${r.orbitalEnergiesAlpha[k]} vs Psi4 ${eps[k]}`);
    }
    // One set of orbitals; the densities hold nAlpha and nBeta electrons; ⟨S²⟩ = S(S+1).
    assert.equal(r.coefficientsAlpha, r.coefficientsBeta);
    const n = r.nBasis;
    const trace = (d: Float64Array): number => {
      const ds = matMul(d, r.overlap, n, n, n);
      let t = 0;
      for (let i = 0; i < n; i++) t += ds[i * n + i];
      return t;
    };
    assert.ok(Math.abs(trace(r.densityAlpha) - r.nAlpha) < 1e-10);
    assert.ok(Math.abs(trace(r.densityBeta) - r.nBeta) < 1e-10);
    const s = 0.5 * (entry.multiplicity - 1);
    assert.equal(r.s2, s * (s + 1));
  });
}

test('ROHF of a closed-shell singlet equals RHF (1e-9)', () => {
  const molecule = moleculeOfEntry({ geometry: [['O', 0, 0, 0], ['H', 0, 0.757, 0.587], ['H', 0, -0.757, 0.587]] });
  const basis = buildMolecularBasis(molecule, loadBasisLibrary('6-31g'));
  const rohf = runRohf(molecule, basis);
  const rhf = runRhf(molecule, basis);
  assert.ok(Math.abs(rohf.energyHartree - rhf.energyHartree) < 1e-9, `${rohf.energyHartree} vs ${rhf.energyHartree}`);
  for (let k = 0; k < rhf.nOrbitals; k++) assert.ok(Math.abs(rohf.orbitalEnergiesAlpha[k] - rhf.orbitalEnergiesAlpha[k]) < 1e-7);
});
