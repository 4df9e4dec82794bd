import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type DatasetRecord, openLabelStore, readParquetTable } from '../dataset/index.js';
import { runQde, scratchDirectory } from './cli.test-util.js';

// CODATA 2014 (ase.units' default), the constant qde uses
const EV_PER_HARTREE = 27.21138602;
const ANGSTROM_PER_BOHR = 0.52917721067;

const scratch = scratchDirectory();
const db = join(scratch.path, 'data.sqlite');
let stored: DatasetRecord[] = [];

before(async () => {
  const run = await runQde(['campaign', 'run', 'examples/campaigns/tiny.yaml', '--db', db, '--workers', '1', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const store = openLabelStore(db, { readonly: true });
  try {
    stored = [...store.iterateLabels()];
  } finally {
    store.close();
  }
  assert.ok(stored.length > 0);
});
after(() => scratch.remove());

test('qde dataset export --format extxyz: ASE reads the energies and forces stored in the database', async (t) => {
  const out = join(scratch.path, 'labels.extxyz');
  const run = await runQde(['dataset', 'export', '--db', db, '--format', 'extxyz', '--out', out, '--json']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal((JSON.parse(run.stdout) as { records: number }).records, stored.length);
  if (spawnSync('/usr/bin/python3', ['-c', 'import ase'], { encoding: 'utf8' }).status !== 0) {
    t.skip('python3-ase is not installed (apt-get install python3-ase)');
    return;
  }
  const script =
    'import json, sys\nfrom ase.io import read\n' +
    "print(json.dumps([{'key': a.info['key'], 'e': a.get_potential_energy(), 'f': a.get_forces().tolist()} for a in read(sys.argv[1], index=':')]))";
  const py = spawnSync('/usr/bin/python3', ['-c', script, out], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  const frames = JSON.parse(py.stdout) as { key: string; e: number; f: number[][] }[];
  assert.equal(frames.length, stored.length);
  const byKey = new Map(stored.map((r) => [r.key, r]));
  for (const frame of frames) {
    const r = byKey.get(frame.key)!;
    assert.ok(Math.abs(frame.e - r.energyHartree * EV_PER_HARTREE) < 1e-12 * Math.abs(frame.e));
    assert.ok(r.forcesHartreePerBohr !== null);
    frame.f.flat().forEach((x, k) => assert.ok(Math.abs(x - (r.forcesHartreePerBohr![k]! * EV_PER_HARTREE) / ANGSTROM_PER_BOHR) < 1e-11));
  }
});

test('qde dataset export --rung: parquet holds only that rung, jsonl all; unknown store and format are usage errors', async () => {
  const pq = join(scratch.path, 'fci.parquet');
  assert.equal((await runQde(['dataset', 'export', '--db', db, '--format', 'parquet', '--out', pq, '--rung', 'fci'])).code, 0);
  const table = await readParquetTable(readFileSync(pq));
  const fci = stored.filter((r) => r.rung === 'fci');
  assert.equal(table.numRows, fci.length);
  assert.deepEqual([...table.getChild('energy_hartree')!].sort(), fci.map((r) => r.energyHartree).sort());
  const jsonl = join(scratch.path, 'all.jsonl');
  assert.equal((await runQde(['dataset', 'export', '--db', db, '--format', 'jsonl', '--out', jsonl])).code, 0);
  assert.equal(readFileSync(jsonl, 'utf8').trimEnd().split('\n').length, stored.length);
  const missing = await runQde(['dataset', 'export', '--db', join(scratch.path, 'none.sqlite'), '--format', 'jsonl', '--out', jsonl]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /does not exist/);
  const bad = await runQde(['dataset', 'export', '--db', db, '--format', 'xml', '--out', jsonl]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Allowed choices are extxyz, jsonl, parquet, fcidump/);
});

test('qde dataset card: Markdown with the counts per rung and the SVG plot beside it', async () => {
  const out = join(scratch.path, 'card.md');
  const run = await runQde(['dataset', 'card', '--db', db, '--out', out]);
  assert.equal(run.code, 0, run.stderr);
  const md = readFileSync(out, 'utf8');
  for (const rung of new Set(stored.map((r) => r.rung))) {
    assert.match(md, new RegExp(`\\| ${rung} \\| ${stored.filter((r) => r.rung === rung).length} \\| sto-3g \\|`));
  }
  assert.ok(existsSync(join(scratch.path, 'card-energy.svg')));
  assert.match(readFileSync(join(scratch.path, 'card-energy.svg'), 'utf8'), /^<svg/);
});

test('qde dataset export --format fcidump: one file per geometry and a manifest', async () => {
  const out = join(scratch.path, 'fcidumps');
  const run = await runQde(['dataset', 'export', '--db', db, '--format', 'fcidump', '--out', out, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const geometries = new Set(stored.map((r) => r.geometryKey)).size;
  assert.equal((JSON.parse(run.stdout) as { files: number }).files, geometries);
  assert.equal(readFileSync(join(out, 'manifest.jsonl'), 'utf8').trimEnd().split('\n').length, geometries);
});
