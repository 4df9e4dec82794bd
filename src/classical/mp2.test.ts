import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { InputError } from '../core/errors.js';
import { runRhf } from '../scf/index.js';
import { molecularHamiltonianFromScf } from '../hamiltonian/index.js';
import { runMp2 } from './mp2.js';
import { loadPsi4Reference, moleculeOfEntry } from '../../test/psi4-reference.js';
import { rotateOrbitals } from './orbital-rotation.test-util.js';

interface Geometry {
  geometry_angstrom?: [string, number, number, number][];
  geometry?: [string, number, number, number][];
  charge: number;
  multiplicity: number;
  basis: string;
}
interface ReferenceEntry extends Geometry {
  id: string;
  method: string;
  total_energy_hartree: number;
}
const reference = loadPsi4Reference<ReferenceEntry>();
const fixtures = JSON.parse(readFileSync(new URL('../../test/fixtures/classical/psi4-cc-fixtures.json', import.meta.url), 'utf8')) as {
  entries: (Geometry & Record<string, number | string | boolean>)[];
};

const mp2Entries = reference.entries.filter((e) => e.method === 'mp2');

test(`RHF-MP2 matches Psi4 to 1e-8 Hartree for all ${mp2Entries.length} mp2 reference entries (Hamiltonian and SCF paths)`, () => {
  assert.ok(mp2Entries.length >= 20);
  for (const entry of mp2Entries) {
    const molecule = moleculeOfEntry(entry);
    const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(entry.basis)));
    const fromHamiltonian = runMp2(molecularHamiltonianFromScf(scf));
    const fromScf = runMp2(scf);
    for (const r of [fromHamiltonian, fromScf]) {
      const error = r.energyHartree - entry.total_energy_hartree;
      assert.ok(Math.abs(error) <= 1e-8, `${entry.id}: qde ${r.energyHartree} vs Psi4 ${entry.total_energy_hartree} (${error})`);
      assert.ok(Math.abs(r.sameSpinCorrelationHartree + r.oppositeSpinCorrelationHartree - r.correlationEnergyHartree) < 1e-14);
      assert.equal(r.nFrozen, 0);
    }
    assert.ok(Math.abs(fromHamiltonian.referenceEnergyHartree - scf.energyHartree) < 1e-9, entry.id);
  }
});

test('frozen-core RHF-MP2 of H2O/cc-pVDZ matches Psi4 (total, same-spin, opposite-spin) on three routes', () => {
  const fx = fixtures.entries.find((e) => e.id === 'h2o_cc-pvdz_fc_mp2')!;
  const molecule = moleculeOfEntry(fx);
  const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(fx.basis)));
  const routes = [
    runMp2(molecularHamiltonianFromScf(scf, { frozenCore: true })),
    runMp2(scf, { frozenCore: true }),
    runMp2(molecularHamiltonianFromScf(scf), { frozenOrbitals: 1 }),
  ];
  for (const r of routes) {
    assert.ok(Math.abs(r.energyHartree - (fx.total_energy_hartree as number)) <= 1e-8, `${r.energyHartree} vs ${fx.total_energy_hartree}`);
    assert.ok(Math.abs(r.sameSpinCorrelationHartree - (fx.mp2_same_spin_hartree as number)) <= 1e-8);
    assert.ok(Math.abs(r.oppositeSpinCorrelationHartree - (fx.mp2_opposite_spin_hartree as number)) <= 1e-8);
    assert.ok(Math.abs(r.referenceEnergyHartree - (fx.scf_energy_hartree as number)) <= 1e-8);
  }
  assert.equal(routes[1].nFrozen, 1);
});

test('MP2 rejects non-canonical orbitals, open-shell Hamiltonians and impossible frozen cores with InputError', () => {
  const entry = mp2Entries.find((e) => e.id === 'lih_sto-3g_r1.5949_mp2')!;
  const molecule = moleculeOfEntry(entry);
  const ham = molecularHamiltonianFromScf(runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(entry.basis))));
  // Mixing the two occupied orbitals keeps the determinant but makes the Fock matrix non-diagonal.
  const rotated = rotateOrbitals(ham, 0, 1, 0.3);
  assert.throws(() => runMp2(rotated), (e: unknown) => e instanceof InputError && /canonical/.test(e.message));
  assert.throws(() => runMp2({ ...ham, nAlpha: ham.nAlpha + 1 }), (e: unknown) => e instanceof InputError && /closed-shell/.test(e.message));
  assert.throws(() => runMp2(ham, { frozenOrbitals: 3 }), InputError);
  assert.throws(() => runMp2(ham, { frozenCore: true }), (e: unknown) => e instanceof InputError && /SCF result/.test(e.message));
});
