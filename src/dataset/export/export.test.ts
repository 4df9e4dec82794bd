import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readFcidump } from '../../hamiltonian/index.js';
import type { DatasetRecord } from '../record.js';
import {
  PARQUET_BATCH_ROWS,
  datasetCard,
  exportExtXyz,
  exportFcidumps,
  exportJsonLines,
  exportParquet,
  readParquetTable,
  relativeEnergyHistogram,
} from './index.js';

// conversion factors written out here, independent of the code under test
// CODATA 2014 (ase.units' default), the constant qde uses
const EV_PER_HARTREE = 27.21138602;
const ANGSTROM_PER_BOHR = 0.52917721067;

const dir = mkdtempSync(join(tmpdir(), 'qde-export-'));

/** Synthetic labels: H2 at several lengths (hf with forces and dipoles, vqe with a standard error), water without forces. */
function records(count = 6): DatasetRecord[] {
  const out: DatasetRecord[] = [];
  for (let i = 0; i < count; i++) {
    const water = i % 3 === 2;
    const r = 1.2 + 0.1 * i;
    const rung = i % 2 === 0 ? 'hf' : 'vqe';
    out.push({
      key: `job${String(i).padStart(6, '0')}`,
      geometryKey: `geom${water ? 'w' : ''}${i}`,
      atomicNumbers: water ? [8, 1, 1] : [1, 1],
      positionsBohr: water ? [0, 0, 0.2217, 0, 1.4309, -0.8867, 0, -1.4309, -0.8867 - i * 1e-3] : [0, 0, 0, 0, 0, r],
      charge: 0,
      multiplicity: 1,
      rung,
      method: { method: rung, basis: 'sto-3g', frozenCore: null, note: 'a "quoted" \\ value' },
      basis: water ? null : 'sto-3g',
      energyHartree: (water ? -74.96 : -1.117) - 1e-3 * i,
      standardErrorHartree: rung === 'vqe' ? 1.5e-4 : 0,
      forcesHartreePerBohr: water ? null : [0, 0, 0.01 * i - 0.02, 0, 0, 0.02 - 0.01 * i],
      dipoleAu: i % 2 === 0 ? [0.1, -0.2, 0.3 + i] : null,
      provenance: { qdeVersion: '0.1.0', seed: i, host: 'test-host', wallSeconds: 0.5, backend: rung === 'vqe' ? { name: 'statevector' } : null },
    });
  }
  return out;
}

test('extended XYZ: ASE reads energies (eV), forces (eV/Å), positions (Å) and the Hartree values and provenance', (t) => {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import ase'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    t.skip('python3-ase is not installed (apt-get install python3-ase)');
    return;
  }
  const recs = records();
  const path = join(dir, 'labels.extxyz');
  const summary = exportExtXyz(recs, path);
  assert.equal(summary.records, recs.length);
  const script = `
import json, sys
from ase.io import read
out = []
for a in read(sys.argv[1], index=':', format='extxyz'):
    calc = a.calc.results if a.calc is not None else {}
    out.append({
        'energy': a.get_potential_energy(),
        'forces': calc['forces'].tolist() if 'forces' in calc else None,
        'dipole': calc['dipole'].tolist() if 'dipole' in calc else None,
        'positions': a.get_positions().tolist(),
        'numbers': a.get_atomic_numbers().tolist(),
        'info': {k: (v.tolist() if hasattr(v, 'tolist') else v) for k, v in a.info.items()},
    })
print(json.dumps(out))
`;
  const run = spawnSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const frames = JSON.parse(run.stdout) as {
    energy: number;
    forces: number[][] | null;
    dipole: number[] | null;
    positions: number[][];
    numbers: number[];
    info: Record<string, unknown>;
  }[];
  assert.equal(frames.length, recs.length);
  frames.forEach((f, i) => {
    const r = recs[i]!;
    assert.ok(Math.abs(f.energy - r.energyHartree * EV_PER_HARTREE) < 1e-12 * Math.abs(f.energy));
    assert.equal(f.info.energy_hartree, r.energyHartree);
    assert.equal(f.info.energy_standard_error_hartree, r.standardErrorHartree);
    assert.equal(f.info.rung, r.rung);
    assert.equal(f.info.key, r.key);
    assert.deepEqual(JSON.parse(f.info.provenance as string), r.provenance);
    assert.deepEqual(JSON.parse(f.info.method as string), r.method);
    assert.deepEqual(f.numbers, Array.from(r.atomicNumbers));
    f.positions.flat().forEach((x, k) => assert.ok(Math.abs(x - r.positionsBohr[k]! * ANGSTROM_PER_BOHR) < 1e-11));
    if (r.forcesHartreePerBohr === null) assert.equal(f.forces, null);
    else {
      f.forces!.flat().forEach((x, k) => {
        const expected = (r.forcesHartreePerBohr![k]! * EV_PER_HARTREE) / ANGSTROM_PER_BOHR;
        assert.ok(Math.abs(x - expected) < 1e-11, `force ${x} vs ${expected}`);
      });
    }
    if (r.dipoleAu === null) assert.equal(f.dipole, null);
    else f.dipole!.forEach((x, k) => assert.ok(Math.abs(x - r.dipoleAu![k]! * ANGSTROM_PER_BOHR) < 1e-12));
  });
});

test('JSON lines: every field of every record round-trips', () => {
  const recs = records();
  const path = join(dir, 'labels.jsonl');
  assert.equal(exportJsonLines(recs, path).records, recs.length);
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, recs.length);
  lines.forEach((line, i) => {
    const back = JSON.parse(line) as Record<string, unknown>;
    const r = recs[i]!;
    for (const key of ['key', 'geometryKey', 'atomicNumbers', 'positionsBohr', 'charge', 'multiplicity', 'rung', 'basis', 'energyHartree', 'standardErrorHartree', 'forcesHartreePerBohr', 'dipoleAu', 'method', 'provenance'] as const) {
      assert.deepEqual(back[key], r[key], key);
    }
  });
});

test('Parquet: read back with Arrow, several record batches, nulls where not computed', async () => {
  const n = PARQUET_BATCH_ROWS + 1000;
  const recs = records(n);
  const path = join(dir, 'labels.parquet');
  assert.equal((await exportParquet(recs, path)).records, n);
  const table = await readParquetTable(readFileSync(path));
  assert.equal(table.numRows, n);
  for (const i of [0, 1, 2, 5, PARQUET_BATCH_ROWS - 1, PARQUET_BATCH_ROWS, n - 1]) {
    const row = table.get(i)!.toJSON() as Record<string, unknown>;
    const r = recs[i]!;
    assert.equal(row.key, r.key);
    assert.equal(row.rung, r.rung);
    assert.equal(row.basis, r.basis);
    assert.equal(row.energy_hartree, r.energyHartree);
    assert.equal(row.standard_error_hartree, r.standardErrorHartree);
    assert.equal(row.n_atoms, r.atomicNumbers.length);
    const list = (v: unknown): number[] | null => (v === null ? null : Array.from(v as Iterable<number>));
    assert.deepEqual(list(row.atomic_numbers), Array.from(r.atomicNumbers));
    assert.deepEqual(list(row.positions_bohr), Array.from(r.positionsBohr));
    assert.deepEqual(list(row.forces_hartree_per_bohr), r.forcesHartreePerBohr === null ? null : Array.from(r.forcesHartreePerBohr));
    assert.deepEqual(list(row.dipole_au), r.dipoleAu === null ? null : Array.from(r.dipoleAu));
    assert.deepEqual(JSON.parse(row.provenance as string), r.provenance);
  }
  // an empty export still has the columns
  await exportParquet([], join(dir, 'empty.parquet'));
  const empty = await readParquetTable(readFileSync(join(dir, 'empty.parquet')));
  assert.equal(empty.numRows, 0);
  assert.ok(empty.schema.fields.some((f) => f.name === 'energy_hartree'));
});

test('FCIDUMP per geometry: one file per distinct geometry, core energy = nuclear repulsion 1/R, unbuildable ones skipped', () => {
  const recs = records(4); // H2 at 1.2, 1.3, 1.5 Bohr (job 2 is water without a basis)
  recs.push({ ...recs[0]!, key: 'job-again', rung: 'fci' }); // same geometry on another rung: no new file
  const out = join(dir, 'fcidump');
  const summary = exportFcidumps(recs, out);
  assert.equal(summary.records, 5);
  assert.equal(summary.files, 3);
  assert.equal(summary.skipped.length, 1);
  assert.match(summary.skipped[0]!.reason, /no basis/);
  const manifest = readFileSync(join(out, 'manifest.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { file: string; positionsBohr: number[] });
  assert.equal(manifest.length, 3);
  assert.equal(readdirSync(out).filter((f) => f.endsWith('.fcidump')).length, 3);
  for (const m of manifest) {
    const ham = readFcidump(join(out, m.file));
    const r = m.positionsBohr[5]!;
    assert.equal(ham.nOrbitals, 2);
    assert.equal(ham.nAlpha + ham.nBeta, 2);
    assert.ok(Math.abs(ham.constantHartree - 1 / r) < 1e-12, `${ham.constantHartree} vs ${1 / r}`);
  }
});

test('dataset card: counts, rungs and ranges, provenance, and an SVG energy histogram', async () => {
  const recs = records(9);
  const card = await datasetCard(recs, { title: 'test set', source: 'data.sqlite' });
  const s = card.summary;
  assert.equal(s.labels, 9);
  assert.equal(s.geometries, 9);
  assert.deepEqual(s.formulas.map((f) => [f.formula, f.labels]), [['H2', 6], ['H2O', 3]]);
  assert.deepEqual(s.rungs.map((r) => [r.rung, r.labels]), [['hf', 5], ['vqe', 4]]);
  const hf = s.rungs[0]!;
  const hfEnergies = recs.filter((r) => r.rung === 'hf').map((r) => r.energyHartree);
  assert.equal(hf.minEnergyHartree, Math.min(...hfEnergies));
  assert.equal(hf.maxEnergyHartree, Math.max(...hfEnergies));
  assert.equal(hf.forces, recs.filter((r) => r.rung === 'hf' && r.forcesHartreePerBohr !== null).length);
  assert.equal(s.rungs[1]!.maxStandardErrorHartree, 1.5e-4);
  assert.deepEqual(s.backends, ['statevector']);
  assert.equal(s.wallSeconds, 4.5);
  assert.match(card.markdown, /^# test set/);
  assert.match(card.markdown, /\| hf \| 5 \| sto-3g \|/);
  assert.match(card.markdown, /!\[Energy distribution per rung\]\(energy-distribution\.svg\)/);
  assert.match(card.svg, /^<svg[^>]*>/);
  assert.match(card.svg, /E − E_min \(mEh\)/);
  // one bar per non-empty histogram bin
  assert.ok((card.svg.match(/aria-roledescription="bar"/g) ?? []).length >= 2);
  writeFileSync(join(dir, 'card.svg'), card.svg);
  // the histogram against a direct count: 2 rungs, 4 H2 + 1 H2O in hf
  const energies = new Map<string, number[]>([['hf\u0000H2', [-1.0, -1.0025, -1.004]], ['hf\u0000H2O', [-75, -75.004]], ['vqe\u0000H2', [-1.001]]]);
  const rows = relativeEnergyHistogram(energies, 4);
  // E − E_min in mEh: hf {4, 1.5, 0, 4, 0}, vqe {0}; bins of width 1 mEh up to 4 (the top value joins the last bin)
  assert.deepEqual(rows.map((r) => [r.rung, Math.round(r.loMilliHartree * 1e6) / 1e6, r.count]), [['hf', 0, 2], ['hf', 1, 1], ['hf', 3, 2], ['vqe', 0, 1]]);
});
