import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMolecule } from '../chem/index.js';
import { readFcidump } from '../hamiltonian/index.js';
import { loadPsi4Reference, moleculeOfEntry, type ReferenceAtom } from '../../test/psi4-reference.js';
import { runMethod, runScfStage } from './run-method.js';
import { type MethodName, resolveMethodSpec } from './spec.js';

interface Entry {
  molecule: string;
  basis: string;
  method: string;
  reference: string;
  frozen_core: string;
  geometry_angstrom: ReferenceAtom[];
  charge: number;
  multiplicity: number;
  total_energy_hartree: number;
}

const psi4 = loadPsi4Reference<Entry>().entries;

function entry(molecule: string, basis: string, method: string): Entry {
  const e = psi4.find((x) => x.molecule === molecule && x.basis === basis && x.method === method && x.frozen_core.startsWith('none'));
  assert.ok(e, `no Psi4 entry ${molecule} ${basis} ${method}`);
  return e;
}

test('runMethod reproduces Psi4 energies of the reference set (H2O and LiH, several rungs)', async () => {
  const cases: [string, string, string, MethodName, number][] = [
    ['H2O', 'sto-3g', 'scf', 'hf', 1e-8],
    ['H2O', '6-31g', 'mp2', 'mp2', 1e-8],
    ['H2O', 'sto-3g', 'ccsd(t)', 'ccsd(t)', 1e-7],
    ['LiH', 'sto-3g', 'ccsd', 'ccsd', 1e-7],
    ['H2O', 'sto-3g', 'fci', 'fci', 1e-8],
  ];
  for (const [name, basis, psi4Method, method, tolerance] of cases) {
    const e = entry(name, basis, psi4Method);
    const result = await runMethod(moleculeOfEntry(e), { method, basis });
    assert.ok(
      Math.abs(result.energyHartree - e.total_energy_hartree) < tolerance,
      `${name} ${basis} ${method}: ${result.energyHartree} vs Psi4 ${e.total_energy_hartree}`,
    );
    assert.equal(result.provenance.spec.method, method);
    assert.equal(result.standardErrorHartree, 0);
  }
});

test('a VQE on LiH lands within chemical accuracy of the Psi4 FCI energy, with the FCI as its reference', async () => {
  const e = entry('LiH', 'sto-3g', 'fci');
  const r = await runMethod(moleculeOfEntry(e), { method: 'vqe', basis: 'sto-3g', active: { nElectrons: 2, nOrbitals: 5 } });
  assert.equal(r.method, 'vqe');
  if (r.method !== 'vqe') return;
  assert.ok(r.referenceFciHartree !== null && r.referenceFciHartree > e.total_energy_hartree, 'active-space FCI lies above the full FCI');
  assert.ok(r.energyHartree - r.referenceFciHartree! > -1e-9 && r.energyHartree - r.referenceFciHartree! < 1.6e-3);
  assert.equal(r.provenance.backend?.name, 'statevector');
  assert.equal(r.provenance.spec.mapping, 'jordan-wigner');
});

test('a Hamiltonian input (a Psi4-written FCIDUMP) goes straight to the method: Psi4 FCI of H2O', async () => {
  const dir = join('test', 'fixtures', 'fcidump');
  const expected = JSON.parse(readFileSync(join(dir, 'h2o-sto3g.json'), 'utf8')) as { fci_energy_hartree: number; rhf_energy_hartree: number };
  const ham = readFcidump(join(dir, 'h2o-sto3g.fcidump'));
  const r = await runMethod(ham, { method: 'fci' });
  assert.ok(Math.abs(r.energyHartree - expected.fci_energy_hartree) < 1e-8);
  // the lowest determinant of canonical RHF orbitals is the RHF energy
  assert.ok(Math.abs(r.reference.energyHartree - expected.rhf_energy_hartree) < 1e-8);
  assert.equal(r.reference.kind, 'determinant');
  assert.equal(r.system.basis, null);
  assert.equal(r.provenance.spec.basis, null);
  await assert.rejects(runMethod(ham, { method: 'hf' }), /needs a correlated method/);
  await assert.rejects(runMethod(ham, { method: 'fci', frozenCore: true }), /'frozenCore' does not apply to a Hamiltonian input/);
});

interface OpenShellEntry {
  kind: string;
  molecule: string;
  freeze_core: boolean;
  geometry: ReferenceAtom[];
  charge: number;
  multiplicity: number;
  basis: string;
  rohf_energy_hartree: number;
  fci_energy_hartree?: number;
  ccsd_t_energy_hartree?: number;
}

test('open shells: frozen-core FCI on ROHF orbitals by default and ROHF-CCSD(T) on request, as Psi4', async () => {
  const file = join('test', 'fixtures', 'open-shell', 'psi4-open-shell.json');
  const entries = (JSON.parse(readFileSync(file, 'utf8')) as { entries: OpenShellEntry[] }).entries;
  const fci = entries.find((x) => x.kind === 'fci' && x.molecule === 'oh' && x.freeze_core)!;
  const oh = moleculeOfEntry(fci);
  const r = await runMethod(oh, { method: 'fci', basis: fci.basis, frozenCore: true });
  assert.equal(r.reference.kind, 'rohf');
  assert.equal(r.provenance.spec.reference, 'rohf');
  assert.ok(Math.abs(r.reference.energyHartree - fci.rohf_energy_hartree) < 1e-8);
  assert.ok(Math.abs(r.energyHartree - fci.fci_energy_hartree!) < 1e-8, `${r.energyHartree} vs Psi4 ${fci.fci_energy_hartree}`);
  // UHF α orbitals on request: the frozen orbital differs, so does the energy
  const uhf = await runMethod(oh, { method: 'fci', basis: fci.basis, frozenCore: true, reference: 'uhf' });
  assert.equal(uhf.reference.kind, 'uhf');
  assert.ok(Math.abs(uhf.energyHartree - fci.fci_energy_hartree!) > 1e-7);

  const cc = entries.find((x) => x.kind === 'ccsd(t)' && x.molecule === 'oh' && !x.freeze_core)!;
  // open-shell coupled cluster is ROHF-based by default, as in Psi4
  const t = await runMethod(oh, { method: 'ccsd(t)', basis: cc.basis });
  assert.equal(t.reference.kind, 'rohf');
  assert.ok(Math.abs(t.energyHartree - cc.ccsd_t_energy_hartree!) < 1e-7, `${t.energyHartree} vs Psi4 ${cc.ccsd_t_energy_hartree}`);
  await assert.rejects(runMethod(oh, { method: 'hf', basis: cc.basis }), /closed-shell singlet.*'reference' rohf/);
  const rohf = await runMethod(oh, { method: 'hf', basis: cc.basis, reference: 'rohf' });
  assert.ok(Math.abs(rohf.energyHartree - cc.rohf_energy_hartree) < 1e-8);
  await assert.rejects(runMethod(oh, { method: 'ccsd', basis: cc.basis, reference: 'uhf' }), /'reference' uhf applies to mp2, fci/);
});

test('the SCF runs on the molecule moved to its centroid (energies are translation-invariant)', () => {
  const shift = 3e4;
  const psi4Water = entry('H2O', 'sto-3g', 'scf');
  const far = createMolecule({
    symbols: psi4Water.geometry_angstrom.map((a) => a[0]),
    positionsAngstrom: psi4Water.geometry_angstrom.map((a) => [a[1] + shift, a[2] + shift, a[3] + shift]),
  });
  const spec = resolveMethodSpec({ method: 'hf', basis: 'sto-3g' }, { kind: 'molecule', charge: 0, multiplicity: 1 });
  const stage = runScfStage(far, spec, { scf: 'rhf', orbitals: null });
  for (let k = 0; k < 3; k++) {
    const centroid = (stage.molecule.positionsBohr[k]! + stage.molecule.positionsBohr[3 + k]! + stage.molecule.positionsBohr[6 + k]!) / 3;
    assert.ok(Math.abs(centroid) < 1e-9, `centroid component ${k}: ${centroid}`);
  }
  assert.ok(Math.abs(stage.scf.energyHartree - psi4Water.total_energy_hartree) < 1e-8);
});
