import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { InputError, ResourceError } from '../core/errors.js';
import { runRhf, runRohf, type ScfResult } from '../scf/index.js';
import { molecularHamiltonianFromScf, type MolecularHamiltonian } from '../hamiltonian/index.js';
import { runCcsd, runCcsdT } from './cc.js';
import { runCcsd as runClosedShellCcsd } from './ccsd.js';
import { runCcsdT as runClosedShellCcsdT } from './ccsd-t.js';
import { runSpinOrbitalCcsd, runSpinOrbitalCcsdT } from './so-ccsd.js';
import { runFci } from './fci.js';
import { moleculeOfEntry, type ReferenceAtom } from '../../test/psi4-reference.js';

interface Entry {
  kind: 'rohf' | 'ccsd' | 'ccsd(t)' | 'fci';
  molecule: string;
  basis: string;
  freeze_core: boolean;
  charge: number;
  multiplicity: number;
  geometry: ReferenceAtom[];
  rohf_energy_hartree: number;
  ccsd_energy_hartree?: number;
  ccsd_t_energy_hartree?: number;
  triples_correction_hartree?: number;
  fci_energy_hartree?: number;
}
const doc = JSON.parse(readFileSync(new URL('../../test/fixtures/open-shell/psi4-open-shell.json', import.meta.url), 'utf8')) as { entries: Entry[] };
const find = (kind: Entry['kind'], molecule: string, frozen: boolean): Entry => {
  const entry = doc.entries.find((e) => e.kind === kind && e.molecule === molecule && e.basis === '6-31g' && e.freeze_core === frozen);
  if (!entry) throw new Error(`no ${kind} reference for ${molecule}`);
  return entry;
};
const rohfCache = new Map<string, ScfResult>();
const rohfOf = (entry: Entry): ScfResult => {
  let scf = rohfCache.get(entry.molecule);
  if (!scf) {
    const molecule = moleculeOfEntry(entry);
    scf = runRohf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(entry.basis)));
    rohfCache.set(entry.molecule, scf);
  }
  assert.ok(Math.abs(scf.energyHartree - entry.rohf_energy_hartree) < 1e-8);
  return scf;
};
const close = (actual: number, expected: number | undefined, tolerance: number, what: string): void => {
  assert.ok(expected !== undefined, `${what}: reference missing`);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: qde ${actual} vs Psi4 ${expected} (${actual - expected})`);
};

for (const name of ['oh', 'ch3', 'nh2']) {
  test(`ROHF-CCSD and ROHF-CCSD(T) ${name}/6-31G, all electrons, match Psi4 (1e-7)`, () => {
    const ccsdRef = find('ccsd', name, false);
    const ham = molecularHamiltonianFromScf(rohfOf(ccsdRef));
    assert.notEqual(ham.nAlpha, ham.nBeta);
    close(runCcsd(ham).energyHartree, ccsdRef.ccsd_energy_hartree, 1e-7, 'CCSD');
    const tRef = find('ccsd(t)', name, false);
    const t = runCcsdT(ham);
    close(t.ccsdEnergyHartree, tRef.ccsd_energy_hartree, 1e-7, 'CCSD (semicanonical)');
    close(t.tripleCorrectionHartree, tRef.triples_correction_hartree, 1e-7, '(T)');
    close(t.energyHartree, tRef.ccsd_t_energy_hartree, 1e-7, 'CCSD(T)');
  });
}

test('ROHF-CCSD and ROHF-CCSD(T) triplet O2/6-31G with a frozen core match Psi4 (1e-7)', () => {
  const ccsdRef = find('ccsd', 'o2_triplet', true);
  const scf = rohfOf(ccsdRef);
  // Psi4's ROHF-CCSD freezes the ROHF core orbitals: a frozen-core Hamiltonian gives the same.
  const frozenHam = molecularHamiltonianFromScf(scf, { frozenCore: true });
  close(runCcsd(frozenHam).energyHartree, ccsdRef.ccsd_energy_hartree, 1e-7, 'CCSD, frozen-core Hamiltonian');
  // Psi4's ROHF-CCSD(T) semicanonicalises all occupied orbitals, then freezes the lowest α and β
  // ones: frozenOrbitals on the full Hamiltonian.
  const tRef = find('ccsd(t)', 'o2_triplet', true);
  const t = runCcsdT(molecularHamiltonianFromScf(scf), { frozenOrbitals: 2 });
  assert.equal(t.nFrozen, 2);
  close(t.ccsdEnergyHartree, tRef.ccsd_energy_hartree, 1e-7, 'CCSD (semicanonical core)');
  close(t.energyHartree, tRef.ccsd_t_energy_hartree, 1e-7, 'CCSD(T)');
});

test('ROHF-CCSD(T) triplet O2/6-31G, all electrons, matches Psi4 (1e-7)', () => {
  const tRef = find('ccsd(t)', 'o2_triplet', false);
  const t = runCcsdT(molecularHamiltonianFromScf(rohfOf(tRef)));
  close(t.ccsdEnergyHartree, tRef.ccsd_energy_hartree, 1e-7, 'CCSD');
  close(t.energyHartree, tRef.ccsd_t_energy_hartree, 1e-7, 'CCSD(T)');
});

for (const name of ['ch2_triplet', 'oh']) {
  test(`frozen-core FCI on ROHF orbitals, ${name}/6-31G, matches Psi4 detci (1e-8)`, () => {
    const ref = find('fci', name, true);
    const ham = molecularHamiltonianFromScf(rohfOf(ref), { frozenCore: true });
    close(runFci(ham).energyHartree, ref.fci_energy_hartree, 1e-8, 'FCI');
  });
}

test('closed shell: spin-orbital CCSD and CCSD(T) equal the spin-adapted code (1e-9)', () => {
  const molecule = moleculeOfEntry({ geometry: [['O', 0, 0, 0], ['H', 0, 0.757, 0.587], ['H', 0, -0.757, 0.587]] });
  const ham = molecularHamiltonianFromScf(runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary('6-31g'))));
  const spinOrbital = runSpinOrbitalCcsd(ham, { frozenOrbitals: 1 });
  const adapted = runClosedShellCcsd(ham, { frozenOrbitals: 1 });
  assert.ok(Math.abs(spinOrbital.energyHartree - adapted.energyHartree) < 1e-9, `${spinOrbital.energyHartree} vs ${adapted.energyHartree}`);
  assert.ok(Math.abs(spinOrbital.t1Diagnostic - adapted.t1Diagnostic) < 1e-7);
  const soT = runSpinOrbitalCcsdT(ham);
  const adT = runClosedShellCcsdT(ham);
  assert.ok(Math.abs(soT.tripleCorrectionHartree - adT.tripleCorrectionHartree) < 1e-9, `${soT.tripleCorrectionHartree} vs ${adT.tripleCorrectionHartree}`);
  assert.ok(Math.abs(soT.energyHartree - adT.energyHartree) < 1e-9);
  // The dispatcher keeps the spin-adapted code for closed shells.
  assert.equal(runCcsd(ham, { frozenOrbitals: 1 }).amplitudes.nOccupied, adapted.amplitudes.nOccupied);
});

test('spin-orbital CCSD refuses a problem larger than the memory', () => {
  const n = 2000;
  const ham: MolecularHamiltonian = {
    nOrbitals: n,
    nAlpha: 6,
    nBeta: 5,
    constantHartree: 0,
    oneBody: new Float64Array(1),
    twoBody: new Float64Array(1),
  };
  assert.throws(() => runCcsd(ham), (e: unknown) => e instanceof ResourceError && /GB/.test(e.message));
});

test('spin-orbital CCSD refuses a zero energy denominator, naming the orbitals', () => {
  // Two degenerate orbitals without interaction, one α electron: ε_occ = ε_vir.
  const ham: MolecularHamiltonian = {
    nOrbitals: 2,
    nAlpha: 1,
    nBeta: 0,
    constantHartree: 0,
    oneBody: new Float64Array([-0.5, 0, 0, -0.5]),
    twoBody: new Float64Array(16),
  };
  assert.throws(() => runCcsd(ham), (e: unknown) => e instanceof InputError && /1α/.test(e.message) && /2α/.test(e.message));
});
