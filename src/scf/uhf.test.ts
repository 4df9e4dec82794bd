import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createMolecule } from '../chem/molecule.js';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { matMul } from '../core/linalg.js';
import { runRhf, runUhf } from './scf.js';
import { moleculeOfEntry } from '../../test/psi4-reference.js';

interface UhfEntry {
  id: string;
  basis: string;
  charge: number;
  multiplicity: number;
  guess_mix: boolean;
  geometry_angstrom: [string, number, number, number][];
  n_basis_functions: number;
  nuclear_repulsion_hartree: number;
  uhf_energy_hartree: number;
  s2: number;
}
const entries = JSON.parse(readFileSync('test/fixtures/scf/uhf-psi4.json', 'utf8')) as UhfEntry[];

for (const entry of entries) {
  test(`UHF ${entry.id}: energy (1e-8) and ⟨S²⟩ (1e-6) match Psi4`, () => {
    const molecule = moleculeOfEntry(entry);
    const basis = buildMolecularBasis(molecule, loadBasisLibrary(entry.basis));
    const r = runUhf(molecule, basis, { guessMix: entry.guess_mix });
    assert.equal(r.method, 'uhf');
    assert.equal(r.nBasis, entry.n_basis_functions);
    assert.equal(r.nAlpha - r.nBeta, entry.multiplicity - 1);
    const error = r.energyHartree - entry.uhf_energy_hartree;
    assert.ok(Math.abs(error) <= 1e-8, `qde ${r.energyHartree} vs Psi4 ${entry.uhf_energy_hartree} (${error})`);
    assert.ok(Math.abs(r.s2 - entry.s2) <= 1e-6, `⟨S²⟩ qde ${r.s2} vs Psi4 ${entry.s2}`);
    // Per-spin densities hold nAlpha and nBeta electrons.
    const n = r.nBasis;
    const traceOf = (d: Float64Array): number => {
      const ds = matMul(d, r.overlap, n, n, n);
      let t = 0;
      for (let i = 0; i < n; i++) t += ds[i * n + i];
      return t;
    };
    assert.ok(Math.abs(traceOf(r.densityAlpha) - r.nAlpha) < 1e-10);
    assert.ok(Math.abs(traceOf(r.densityBeta) - r.nBeta) < 1e-10);
  });
}

test('UHF of a closed-shell molecule reproduces RHF with ⟨S²⟩ = 0; guess mixing finds a lower broken-symmetry state', () => {
  const water = createMolecule({ symbols: ['O', 'H', 'H'], positionsAngstrom: [0, 0, 0, 0, 0.757, 0.587, 0, -0.757, 0.587] });
  const basis = buildMolecularBasis(water, loadBasisLibrary('6-31g'));
  const rhf = runRhf(water, basis);
  const uhf = runUhf(water, basis, { eri: rhf.eri });
  assert.ok(Math.abs(uhf.energyHartree - -75.98394849809885) <= 1e-8); // Psi4 RHF, h2o_6-31g_scale1_scf
  assert.ok(Math.abs(uhf.s2) < 1e-8);
  const broken = entries.find((e) => e.id === 'h2_r3_broken_6-31g')!;
  const h2 = moleculeOfEntry(broken);
  const h2Basis = buildMolecularBasis(h2, loadBasisLibrary('6-31g'));
  const symmetric = runUhf(h2, h2Basis);
  assert.ok(Math.abs(symmetric.energyHartree - -0.8155917721748761) <= 1e-8, 'without mixing: the RHF solution (Psi4 h2_6-31g_r3_scf)');
  assert.ok(symmetric.s2 < 1e-8);
  const mixed = runUhf(h2, h2Basis, { guessMix: true });
  assert.ok(mixed.energyHartree < symmetric.energyHartree - 0.1);
});

test('followInstabilities: broken-symmetry N2 at 2 Å reaches the lowest UHF solution (PySCF stability-followed)', () => {
  const reference = (
    JSON.parse(readFileSync('test/fixtures/scf/uhf-pyscf-stability.json', 'utf8')) as { uhf_energy_hartree: number; s2: number }[]
  )[0];
  const n2 = createMolecule({ symbols: ['N', 'N'], positionsAngstrom: [0, 0, 0, 0, 0, 2.0] });
  const basis = buildMolecularBasis(n2, loadBasisLibrary('cc-pvdz'));
  const plain = runUhf(n2, basis);
  assert.ok(plain.s2 < 1e-8, 'without following, UHF stays on the spin-restricted solution');
  const followed = runUhf(n2, basis, { followInstabilities: true, eri: plain.eri });
  assert.ok(Math.abs(followed.energyHartree - reference.uhf_energy_hartree) < 1e-7, `${followed.energyHartree} vs PySCF ${reference.uhf_energy_hartree}`);
  assert.ok(Math.abs(followed.s2 - reference.s2) < 1e-4);
  assert.ok(followed.iterations > plain.iterations);
  // A stable solution is left unchanged.
  const oh = entries.find((e) => e.id === 'oh_6-31g')!;
  const ohMolecule = moleculeOfEntry(oh);
  const ohResult = runUhf(ohMolecule, buildMolecularBasis(ohMolecule, loadBasisLibrary('6-31g')), { followInstabilities: true });
  assert.ok(Math.abs(ohResult.energyHartree - oh.uhf_energy_hartree) <= 1e-8);
});
