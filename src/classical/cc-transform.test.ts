import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { InputError } from '../core/errors.js';
import { runRhf, runUhf } from '../scf/index.js';
import { molecularHamiltonianFromScf } from '../hamiltonian/index.js';
import { runCcsd, runCcsdT } from './cc.js';
import { closedShellBlocks, closedShellReference } from './cc-integrals.js';
import { closedShellBlocksFromAo, closedShellReferenceFromScf } from './cc-transform.js';
import { type Psi4CcEntry, loadCcFixtures, loadPsi4Reference, moleculeOfEntry } from '../../test/psi4-reference.js';

type Entry = Psi4CcEntry;
const reference = loadPsi4Reference<Entry>();
const fixtures = loadCcFixtures<Entry>();

function rhfOf(entry: Entry) {
  const molecule = moleculeOfEntry(entry);
  return runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(entry.basis)));
}

test('CCSD and CCSD(T) from an RHF result (AO→MO blocks) match Psi4 to 1e-7 Hartree on every reference entry', () => {
  const ccsd = reference.entries.filter((e) => e.method === 'ccsd');
  const ccsdT = reference.entries.filter((e) => e.method === 'ccsd(t)');
  assert.ok(ccsd.length >= 20 && ccsdT.length >= 10);
  for (const entry of ccsd) {
    const r = runCcsd(rhfOf(entry));
    assert.ok(Math.abs(r.energyHartree - entry.total_energy_hartree) <= 1e-7, `${entry.id}: ${r.energyHartree} vs Psi4 ${entry.total_energy_hartree}`);
  }
  for (const entry of ccsdT) {
    const r = runCcsdT(rhfOf(entry));
    assert.ok(Math.abs(r.energyHartree - entry.total_energy_hartree) <= 1e-7, `${entry.id}: ${r.energyHartree} vs Psi4 ${entry.total_energy_hartree}`);
    assert.ok(Math.abs(r.ccsdEnergyHartree - entry.ccsd_energy_hartree!) <= 1e-7, `${entry.id} CCSD part`);
  }
});

test('frozen-core CCSD(T) of H2O/cc-pVDZ from the RHF result with frozenOrbitals matches Psi4', () => {
  const fx = fixtures.entries.find((e) => e.id === 'h2o_cc-pvdz_fc_ccsd(t)')!;
  const r = runCcsdT(rhfOf(fx), { frozenOrbitals: 1 });
  assert.ok(Math.abs(r.energyHartree - fx.total_energy_hartree) <= 1e-7, `${r.energyHartree} vs ${fx.total_energy_hartree}`);
  assert.ok(Math.abs(r.ccsdEnergyHartree - fx.ccsd_total_energy_hartree!) <= 1e-7);
  assert.ok(Math.abs(r.tripleCorrectionHartree - fx.ccsd_t_correction_hartree!) <= 1e-8);
  assert.equal(r.nFrozen, 1);
});

test('AO→MO blocks and Fock matrix equal those of the MO Hamiltonian, also when the memory budget splits the transformation', () => {
  // H2O/cc-pVDZ: s, p and pure d functions.
  const scf = rhfOf(fixtures.entries.find((e) => e.id === 'h2o_cc-pvdz_fc_ccsd(t)')!);
  const ham = molecularHamiltonianFromScf(scf);
  for (const [frozen, memoryBytes] of [[0, 1e9], [1, 1e9], [1, 3e4]] as const) {
    const fromHam = closedShellReference(ham, frozen, 'CCSD');
    const fromScf = closedShellReferenceFromScf(scf, frozen, 'CCSD');
    assert.ok(Math.abs(fromHam.referenceEnergyHartree - fromScf.referenceEnergyHartree) < 1e-10);
    for (let x = 0; x < fromHam.fock.length; x++) assert.ok(Math.abs(fromHam.fock[x] - fromScf.fock[x]) < 1e-10);
    const expected = closedShellBlocks(ham, fromHam);
    const actual = closedShellBlocksFromAo(scf.eri, scf.coefficientsAlpha, scf.nOrbitals, frozen, fromHam.nActiveOccupied, fromHam.nVirtual, memoryBytes);
    for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
      assert.equal(actual[key].length, expected[key].length, key);
      let worst = 0;
      let largest = 0;
      for (let x = 0; x < expected[key].length; x++) {
        worst = Math.max(worst, Math.abs(actual[key][x] - expected[key][x]));
        largest = Math.max(largest, Math.abs(expected[key][x]));
      }
      assert.ok(worst < 1e-12 && largest > 1e-3, `${key}: worst difference ${worst}, largest ${largest} (frozen ${frozen}, budget ${memoryBytes})`);
    }
  }
  const e1 = runCcsd(ham).energyHartree;
  const e2 = runCcsd(scf, { transformMemoryBytes: 3e4 }).energyHartree;
  assert.ok(Math.abs(e1 - e2) < 1e-10, `${e1} vs ${e2}`);
});

test('an open-shell SCF result goes to the spin-orbital code; bad budgets are refused', () => {
  const fx = reference.entries.find((e) => e.method === 'ccsd' && e.multiplicity === 1)!;
  assert.throws(() => runCcsd(rhfOf(fx), { transformMemoryBytes: 0 }), InputError);
  const molecule = moleculeOfEntry({ ...fx, geometry_angstrom: [['H', 0, 0, 0], ['H', 0, 0, 0.74], ['H', 0, 0, 2.0]], charge: 0, multiplicity: 2 });
  const uhf = runUhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary('sto-3g')));
  const r = runCcsd(uhf);
  const viaHamiltonian = runCcsd(molecularHamiltonianFromScf(uhf));
  assert.ok(Math.abs(r.energyHartree - viaHamiltonian.energyHartree) < 1e-12);
});
