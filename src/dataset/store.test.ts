import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createMolecule } from '../chem/index.js';
import { type MethodResult, resolveMethodSpec } from '../methods/index.js';
import { geometryHash, jobKey } from './keys.js';
import { type JobInput, QUANTITY_BITS, openLabelStore } from './store.js';

function scratch(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'qde-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function h2Job(r: number, quantities: number = QUANTITY_BITS.energy): JobInput {
  const molecule = createMolecule({ symbols: ['H', 'H'], positionsBohr: [0, 0, 0, 0, 0, r] });
  const spec = { method: 'hf' as const, basis: 'sto-3g', seed: 0 };
  const g = geometryHash(molecule);
  const resolved = resolveMethodSpec(spec, { kind: 'molecule', charge: 0, multiplicity: 1 });
  return { key: jobKey(g, resolved, 0), geometryHash: g, molecule, spec, seed: 0, quantities };
}

/** A stand-in result record (the store keeps whatever the method layer returned, as JSON). */
function fakeResult(energyHartree: number): MethodResult {
  return {
    method: 'hf',
    energyHartree,
    standardErrorHartree: 0,
    converged: true,
    iterations: 3,
    wallTimeSeconds: 0.01,
    provenance: { qdeVersion: 'test', spec: resolveMethodSpec({ method: 'hf', basis: 'sto-3g' }, { kind: 'molecule', charge: 0, multiplicity: 1 }), backend: null, seed: 0 },
  } as unknown as MethodResult;
}

test('an unusable database path is an InputError naming the path', () => {
  const s = scratch();
  try {
    assert.throws(() => openLabelStore(join(s.dir, 'missing', 'x.sqlite')), {
      name: 'InputError',
      message: /label database .*missing\/x\.sqlite cannot be created: directory .*missing does not exist/,
    });
    assert.throws(() => openLabelStore(s.dir), { name: 'InputError', message: /is a directory/ });
    const text = join(s.dir, 'notes.sqlite');
    writeFileSync(text, 'this is not a database, just text that is long enough to have a header '.repeat(20));
    assert.throws(() => openLabelStore(text), { name: 'InputError', message: /notes\.sqlite is not usable: file is not a database/ });
    assert.throws(() => openLabelStore(join(s.dir, 'absent.sqlite'), { readonly: true }), { name: 'InputError', message: /does not exist/ });
  } finally {
    s.remove();
  }
});

test('the store uses WAL, foreign keys, and writes a label with its job status in one transaction', () => {
  const s = scratch();
  try {
    const path = join(s.dir, 'l.sqlite');
    const store = openLabelStore(path);
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(store.db.pragma('foreign_keys', { simple: true }), 1);
    store.upsertCampaign('c', null, { any: 'config' }, 1);
    const jobs = [h2Job(1.4), h2Job(1.5), h2Job(1.4 + 1e-12)];
    assert.equal(store.addJobs('c', jobs), 2, 'a geometry equal to 1e-10 Bohr is the same job');
    store.markRunning(jobs[0]!.key);
    store.markRunning(jobs[1]!.key);
    store.writeLabel(jobs[0]!.key, { result: fakeResult(-1.1), forcesHartreePerBohr: null, dipoleAu: null, wallSeconds: 0.5, qdeVersion: 'test' });
    // a label for a job that does not exist violates the foreign key and leaves nothing behind
    assert.throws(() => store.writeLabel('0'.repeat(64), { result: fakeResult(-1), forcesHartreePerBohr: null, dipoleAu: null, wallSeconds: 0, qdeVersion: 't' }));
    store.writeFailure(jobs[1]!.key, 'ConvergenceError', 'SCF did not converge in 1 iteration');
    const st = store.status('c');
    assert.deepEqual(
      { total: st.totals.total, done: st.totals.done, failed: st.totals.failed, labels: st.labels },
      { total: 2, done: 1, failed: 1, labels: 1 },
    );
    assert.equal(st.failures[0]!.message, 'SCF did not converge in 1 iteration');
    store.close();

    const raw = new Database(path, { readonly: true });
    const orphans = raw.prepare("SELECT COUNT(*) AS n FROM labels l JOIN jobs j ON j.key = l.job WHERE j.status != 'done'").get() as { n: number };
    assert.equal(orphans.n, 0);
    raw.close();
  } finally {
    s.remove();
  }
});

test('resume: running jobs go back to pending; a done job asked for a new quantity is pending again; failures stay unless retried', () => {
  const s = scratch();
  try {
    const store = openLabelStore(join(s.dir, 'l.sqlite'));
    store.upsertCampaign('c', null, {}, 1);
    const [a, b, c] = [h2Job(1.3), h2Job(1.4), h2Job(1.5)];
    store.addJobs('c', [a!, b!, c!]);
    store.markRunning(a!.key);
    store.writeLabel(a!.key, { result: fakeResult(-1), forcesHartreePerBohr: null, dipoleAu: null, wallSeconds: 0, qdeVersion: 't' });
    store.markRunning(b!.key);
    store.markRunning(c!.key);
    store.writeFailure(c!.key, 'Error', 'boom');
    assert.equal(store.resetRunning('c'), 1);
    assert.deepEqual(store.campaignJobs('c').map((j) => j.status), ['done', 'pending', 'failed']);
    assert.equal(store.campaignJobs('c')[1]!.attempts, 1);
    store.addJobs('c', [a!, b!, c!]);
    assert.deepEqual(store.campaignJobs('c').map((j) => j.status), ['done', 'pending', 'failed']);
    store.addJobs('c', [{ ...a!, quantities: QUANTITY_BITS.energy | QUANTITY_BITS.forces }, b!, c!], true);
    const after = store.campaignJobs('c');
    assert.deepEqual(after.map((j) => j.status), ['pending', 'pending', 'pending']);
    assert.equal(after[0]!.quantities, QUANTITY_BITS.energy | QUANTITY_BITS.forces);
    store.close();
  } finally {
    s.remove();
  }
});

test('how forces were made is kept with the label; a store of schema version 1 gains the column on opening for writing', () => {
  const s = scratch();
  try {
    const path = join(s.dir, 'v1.sqlite');
    // the labels table as schema version 1 had it, with one label with forces
    const store = openLabelStore(path);
    const jobs = [h2Job(1.4, QUANTITY_BITS.energy | QUANTITY_BITS.forces), h2Job(1.5, QUANTITY_BITS.energy | QUANTITY_BITS.forces), h2Job(1.6)];
    store.upsertCampaign('c', null, {}, 1);
    store.addJobs('c', jobs);
    store.writeLabel(jobs[0]!.key, { result: fakeResult(-1.1), forcesHartreePerBohr: [0, 0, 0.1, 0, 0, -0.1], dipoleAu: null, wallSeconds: 0.1, qdeVersion: 'test' });
    store.close();
    const raw = new Database(path);
    raw.exec('ALTER TABLE labels DROP COLUMN forces_method');
    raw.close();
    // read-only, the old file still reads: its forces have no recorded method
    const old = openLabelStore(path, { readonly: true });
    assert.deepEqual([...old.iterateLabels()].map((r) => (r.provenance as Record<string, unknown>).forcesMethod), [null]);
    old.close();
    // for writing, it gains the column; new labels record their method, labels without forces none
    const upgraded = openLabelStore(path);
    upgraded.writeLabel(jobs[1]!.key, { result: fakeResult(-1.2), forcesHartreePerBohr: [0, 0, 0.2, 0, 0, -0.2], forcesMethod: 'analytic', dipoleAu: null, wallSeconds: 0.1, qdeVersion: 'test' });
    upgraded.writeLabel(jobs[2]!.key, { result: fakeResult(-1.3), forcesHartreePerBohr: null, forcesMethod: 'analytic', dipoleAu: null, wallSeconds: 0.1, qdeVersion: 'test' });
    const byKey = new Map([...upgraded.iterateLabels()].map((r) => [r.key, r.provenance as Record<string, unknown>]));
    assert.equal(byKey.get(jobs[0]!.key)!.forcesMethod, null);
    assert.equal(byKey.get(jobs[1]!.key)!.forcesMethod, 'analytic');
    assert.equal('forcesMethod' in byKey.get(jobs[2]!.key)!, false);
    upgraded.close();
  } finally {
    s.remove();
  }
});
