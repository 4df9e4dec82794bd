import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQde } from './cli.test-util.js';

function oneLine(stderr: string): string {
  assert.equal(stderr.split('\n').length, 2, `expected one line, got ${JSON.stringify(stderr)}`);
  return stderr.trimEnd();
}

test('qde energy refuses full CI of H2O in cc-pVDZ at once, with the estimate and the limit (exit 2)', async () => {
  const r = await runQde(['energy', 'examples/h2o.xyz', '--basis', 'cc-pvdz', '--method', 'fci']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  const line = oneLine(r.stderr);
  assert.match(line, /needs about [\d.]+ (GB|TB)/);
  assert.match(line, /limit of [\d.]+ GB/);
  assert.match(line, /--max-memory/);
});

test('--max-memory sets the limit for qde energy and qde ladder', async () => {
  const energy = await runQde(['energy', 'examples/h2o.xyz', '--method', 'ccsd', '--max-memory', '1MB']);
  assert.equal(energy.code, 2);
  assert.match(oneLine(energy.stderr), /CCSD needs about .* limit of 1\.0 MB/);
  const fits = await runQde(['energy', 'examples/h2o.xyz', '--method', 'ccsd', '--max-memory', '2GiB', '--json']);
  assert.equal(fits.code, 0, fits.stderr);
  assert.ok(JSON.parse(fits.stdout).energyHartree < -74.9);
  const ladder = await runQde(['ladder', 'examples/h2.xyz', '--methods', 'hf,fci', '--max-memory', '1kB']);
  assert.equal(ladder.code, 2);
  assert.match(oneLine(ladder.stderr), /needs about/);
  const bad = await runQde(['energy', 'examples/h2.xyz', '--max-memory', 'lots']);
  assert.equal(bad.code, 2);
  assert.match(oneLine(bad.stderr), /--max-memory/);
});
