import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readXyzFile } from '../chem/index.js';
import { type ProgressEvent, runMethod } from '../methods/index.js';
import { runQde } from './cli.test-util.js';

test('--progress-every 0 reports every SCF and CCSD iteration on stderr; the result on stdout is unchanged', async () => {
  const quiet = await runQde(['energy', 'examples/h2o.xyz', '--method', 'ccsd', '--json']);
  const loud = await runQde(['energy', 'examples/h2o.xyz', '--method', 'ccsd', '--json', '--progress-every', '0']);
  assert.equal(quiet.code, 0);
  assert.equal(loud.code, 0);
  // a quick run prints nothing on stderr by default
  assert.equal(quiet.stderr, '');
  assert.equal(JSON.parse(loud.stdout).energyHartree, JSON.parse(quiet.stdout).energyHartree);
  const lines = loud.stderr.trimEnd().split('\n');
  assert.ok(lines.some((l) => /^qde: scf iteration 1: energy -7\d\.\d{8} Eh, orbital gradient/.test(l)), loud.stderr);
  assert.ok(lines.some((l) => /^qde: ccsd iteration \d+: energy -7\d\.\d{8} Eh, residual/.test(l)), loud.stderr);
  const silent = await runQde(['energy', 'examples/h2o.xyz', '--method', 'ccsd', '--progress-every', '0', '--quiet']);
  assert.equal(silent.stderr, '');
});

test('progress events of FCI and VQE end at the energy of the result', async () => {
  // H8 (4,900 determinants) runs Davidson; LiH VQE runs the optimiser
  for (const [method, file] of [['fci', 'examples/h8.xyz'], ['vqe', 'examples/lih.xyz']] as const) {
    const events: ProgressEvent[] = [];
    const r = await runMethod(readXyzFile(file), { method, basis: 'sto-3g' }, { onProgress: (e) => events.push(e) });
    const own = events.filter((e) => e.step === method);
    assert.ok(own.length > 1, `${method}: ${own.length} events`);
    assert.ok(own.every((e, i) => e.iteration === i + 1));
    // FCI visits several symmetry sectors: its lowest estimate is the ground state
    const reported = method === 'fci' ? Math.min(...own.map((e) => e.energyHartree!)) : own.at(-1)!.energyHartree!;
    assert.ok(Math.abs(reported - r.energyHartree) < 1e-6, `${method}: ${reported} vs ${r.energyHartree}`);
  }
});
