import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createMolecule } from '../chem/molecule.js';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { InputError } from '../core/errors.js';
import { runRhf, runUhf } from '../scf/index.js';
import { runUmp2 } from './ump2.js';
import { runMp2 } from './mp2.js';
import { loadPsi4Reference, moleculeOfEntry } from '../../test/psi4-reference.js';

interface FixtureEntry {
  id: string;
  geometry?: [string, number, number, number][];
  geometry_angstrom?: [string, number, number, number][];
  charge: number;
  multiplicity: number;
  basis: string;
  reference?: string;
  freeze_core?: boolean;
  method: string;
  total_energy_hartree: number;
  scf_energy_hartree?: number;
  mp2_same_spin_hartree?: number;
  mp2_opposite_spin_hartree?: number;
}
const fixtures = JSON.parse(readFileSync(new URL('../../test/fixtures/classical/psi4-cc-fixtures.json', import.meta.url), 'utf8')) as {
  entries: FixtureEntry[];
};
const reference = loadPsi4Reference<FixtureEntry>();

const uhfFixtures = fixtures.entries.filter((e) => e.reference === 'uhf' && e.method === 'mp2');

test(`UMP2 matches Psi4 UHF-MP2 to 1e-8 Hartree for ${uhfFixtures.length} open-shell fixtures (doublet OH, triplet CH2, frozen core)`, () => {
  assert.ok(uhfFixtures.length >= 3);
  assert.ok(uhfFixtures.some((e) => e.multiplicity === 2) && uhfFixtures.some((e) => e.multiplicity === 3));
  assert.ok(uhfFixtures.some((e) => e.freeze_core));
  for (const fx of uhfFixtures) {
    const molecule = moleculeOfEntry(fx);
    const scf = runUhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(fx.basis)));
    assert.ok(Math.abs(scf.energyHartree - fx.scf_energy_hartree!) < 1e-8, `${fx.id}: UHF ${scf.energyHartree} vs ${fx.scf_energy_hartree}`);
    const r = runUmp2(scf, { frozenCore: fx.freeze_core });
    const error = r.energyHartree - fx.total_energy_hartree;
    assert.ok(Math.abs(error) <= 1e-8, `${fx.id}: qde ${r.energyHartree} vs Psi4 ${fx.total_energy_hartree} (${error})`);
    assert.ok(Math.abs(r.sameSpinCorrelationHartree - fx.mp2_same_spin_hartree!) <= 1e-8, `${fx.id} same-spin`);
    assert.ok(Math.abs(r.oppositeSpinCorrelationHartree - fx.mp2_opposite_spin_hartree!) <= 1e-8, `${fx.id} opposite-spin`);
    assert.equal(r.method, 'ump2');
    assert.equal(r.nFrozen, fx.freeze_core ? 1 : 0);
    // runMp2 hands a UHF result to UMP2.
    assert.equal(runMp2(scf, { frozenCore: fx.freeze_core }).energyHartree, r.energyHartree);
  }
});

test('UMP2 on a closed-shell RHF result reproduces the Psi4 RHF-MP2 energy', () => {
  const entry = reference.entries.find((e) => e.id === 'h2o_6-31g_scale1_mp2')!;
  const molecule = moleculeOfEntry(entry);
  const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(entry.basis)));
  const r = runUmp2(scf);
  assert.ok(Math.abs(r.energyHartree - entry.total_energy_hartree) <= 1e-8, `${r.energyHartree} vs ${entry.total_energy_hartree}`);
});

test('UMP2 rejects freezing more orbitals than are occupied', () => {
  const molecule = createMolecule({ symbols: ['H'], positionsAngstrom: [[0, 0, 0]], multiplicity: 2 });
  const scf = runUhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary('sto-3g')));
  assert.throws(() => runUmp2(scf, { frozenCore: 1 }), InputError);
  assert.throws(() => runUmp2(scf, { frozenCore: -1 }), InputError);
  // A single electron has no pair correlation.
  assert.ok(Math.abs(runUmp2(scf).correlationEnergyHartree) < 1e-14);
});
