import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFcidump } from '../hamiltonian/index.js';
import { runQde, scratchDirectory } from './cli.test-util.js';

// Psi4 1.3.2 reference values (geometries from examples/, units angstrom, no_com, no_reorient,
// symmetry c1, scf_type pk, e/d_convergence 1e-10, basis sto-3g):
//   RHF energy of examples/h2o.xyz: -74.96302728968574
//   FCI energy of examples/h2.xyz:  -1.1372701746571046
const PSI4_H2O_RHF_STO3G = -74.96302728968574;
const PSI4_H2_FCI_STO3G = -1.1372701746571046;
//   CCSD(T) energy of examples/h2o.xyz with freeze_core true: -75.01245846440172
const PSI4_H2O_CCSD_T_FC_STO3G = -75.01245846440172;

/**
 * Energy of the lowest-orbital determinant of an FCIDUMP Hamiltonian, evaluated directly from the
 * integrals (closed shell): E = c + 2 Σ_i h_ii + Σ_ij [2 (ii|jj) − (ij|ji)].
 */
function closedShellDeterminantEnergy(path: string): number {
  const ham = readFcidump(path);
  const n = ham.nOrbitals;
  assert.equal(ham.nAlpha, ham.nBeta);
  const g = (p: number, q: number, r: number, s: number) => ham.twoBody[((p * n + q) * n + r) * n + s]!;
  let e = ham.constantHartree;
  for (let i = 0; i < ham.nAlpha; i++) {
    e += 2 * ham.oneBody[i * n + i]!;
    for (let j = 0; j < ham.nAlpha; j++) e += 2 * g(i, i, j, j) - g(i, j, j, i);
  }
  return e;
}

test('fcidump writes a file whose reference determinant reproduces the Psi4 RHF energy', async () => {
  const dir = scratchDirectory();
  try {
    const out = join(dir.path, 'h2o.fcidump');
    const r = await runQde(['fcidump', 'examples/h2o.xyz', '--basis', 'sto-3g', '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(out));
    const j = JSON.parse(r.stdout) as Record<string, number>;
    assert.equal(j.nOrbitals, 7);
    assert.equal(j.nElectrons, 10);
    assert.ok(Math.abs(j.scfEnergyHartree! - PSI4_H2O_RHF_STO3G) < 1e-8);
    assert.ok(Math.abs(closedShellDeterminantEnergy(out) - PSI4_H2O_RHF_STO3G) < 1e-8);

    // frozen core: O 1s folded into the core energy; the determinant energy is unchanged
    const fc = join(dir.path, 'h2o-fc.fcidump');
    const rf = await runQde(['fcidump', 'examples/h2o.xyz', '--out', fc, '--frozen-core']);
    assert.equal(rf.code, 0, rf.stderr);
    const hamFc = readFcidump(fc);
    assert.equal(hamFc.nOrbitals, 6);
    assert.equal(hamFc.nAlpha, 4);
    assert.ok(Math.abs(closedShellDeterminantEnergy(fc) - PSI4_H2O_RHF_STO3G) < 1e-8);
    const cc = await runQde(['energy', '--fcidump', fc, '--method', 'ccsd(t)', '--json']);
    assert.equal(cc.code, 0, cc.stderr);
    const jc = JSON.parse(cc.stdout) as Record<string, number>;
    assert.ok(Math.abs(jc.energyHartree! - PSI4_H2O_CCSD_T_FC_STO3G) < 1e-7);
    assert.ok(Math.abs(jc.scfEnergyHartree! - PSI4_H2O_RHF_STO3G) < 1e-8);
  } finally {
    dir.remove();
  }
});

test('energy --fcidump runs FCI on a written file (Psi4 FCI of H2)', async () => {
  const dir = scratchDirectory();
  try {
    const out = join(dir.path, 'h2.fcidump');
    assert.equal((await runQde(['fcidump', 'examples/h2.xyz', '--out', out])).code, 0);
    const r = await runQde(['energy', '--fcidump', out, '--method', 'fci', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.ok(Math.abs((j.energyHartree as number) - PSI4_H2_FCI_STO3G) < 1e-8);
    assert.equal(j.basis, null);
    assert.equal(j.nElectrons, 2);
    assert.equal(j.determinants, 4);
  } finally {
    dir.remove();
  }
});

test('fcidump bad input: open shell, missing --out, unwritable path', async () => {
  const open = await runQde(['fcidump', 'examples/h2o.xyz', '--charge', '1', '--out', '/tmp/x.fcidump']);
  assert.equal(open.code, 2);
  assert.match(open.stderr, /^qde: fcidump uses RHF orbitals and needs a closed-shell singlet.*\n$/);
  const noOut = await runQde(['fcidump', 'examples/h2o.xyz']);
  assert.equal(noOut.code, 2);
  assert.match(noOut.stderr, /^qde: required option '-o, --out <file>' not specified\n$/);
  const badDir = await runQde(['fcidump', 'examples/h2.xyz', '--out', '/nonexistent-dir/h2.fcidump']);
  assert.equal(badDir.code, 2);
  assert.equal(badDir.stderr, "qde: cannot write FCIDUMP file '/nonexistent-dir/h2.fcidump': no such directory\n");
});

test('energy --fcidump on the Psi4-written H2O STO-3G FCIDUMP gives Psi4 full CI', async () => {
  // test/fixtures/fcidump/h2o-sto3g.json: Psi4 1.3.2 detci on the same integrals
  const fciHartree = (JSON.parse(readFileSync('test/fixtures/fcidump/h2o-sto3g.json', 'utf8')) as { fci_energy_hartree: number })
    .fci_energy_hartree;
  const r = await runQde(['energy', '--fcidump', 'test/fixtures/fcidump/h2o-sto3g.fcidump', '--method', 'fci', '--roots', '2', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { energyHartree: number; energies: number[]; roots: { energyHartree: number; s2: number }[] };
  assert.ok(Math.abs(j.energyHartree - fciHartree) < 1e-8, `${j.energyHartree} vs ${fciHartree}`);
  assert.equal(j.energies.length, 2);
  assert.equal(j.energies[0], j.roots[0]!.energyHartree);
  assert.ok(j.energies[1]! > j.energies[0]!);
});
