/**
 * The loop tables' schema migration and run lock: a store written before test-set predictions and
 * run owners were recorded reads back (with no predictions) and gains the new columns when opened
 * for writing; a run held by a live process of this host is refused, one held by a dead process is
 * taken over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../core/index.js';
import { openLabelStore } from '../../dataset/index.js';
import { claimLoopRun, ensureLoopTables, readLoopHistory, releaseLoopRun } from './history.js';

/** The loop tables as the first released version created them. */
const OLD_SCHEMA = `
CREATE TABLE loop_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, loop TEXT NOT NULL, strategy TEXT NOT NULL, seed INTEGER NOT NULL,
  config_hash TEXT NOT NULL, config TEXT NOT NULL, status TEXT NOT NULL, stop_reason TEXT,
  created TEXT NOT NULL, updated TEXT NOT NULL, UNIQUE (loop, strategy, seed));
CREATE TABLE loop_iterations (
  run INTEGER NOT NULL REFERENCES loop_runs(id), iteration INTEGER NOT NULL, status TEXT NOT NULL,
  labels INTEGER NOT NULL, shots INTEGER NOT NULL, cost_units REAL NOT NULL, compute_seconds REAL NOT NULL,
  test_mae_hartree REAL, test_max_error_hartree REAL, error_estimate_hartree REAL, model TEXT,
  created TEXT NOT NULL, PRIMARY KEY (run, iteration));
CREATE TABLE loop_acquisitions (
  run INTEGER NOT NULL REFERENCES loop_runs(id), iteration INTEGER NOT NULL, position INTEGER NOT NULL,
  job TEXT NOT NULL REFERENCES jobs(key), geometry TEXT NOT NULL, system TEXT NOT NULL, labeller TEXT NOT NULL,
  score REAL, variance_reduction REAL, expected_cost_units REAL, PRIMARY KEY (run, iteration, position));
CREATE TABLE loop_test_sets (
  loop TEXT NOT NULL, position INTEGER NOT NULL, job TEXT NOT NULL REFERENCES jobs(key), system TEXT NOT NULL,
  PRIMARY KEY (loop, position));
INSERT INTO loop_runs (loop, strategy, seed, config_hash, config, status, created, updated)
  VALUES ('old', 'random', 1, 'h', '{}', 'done', 't', 't');
INSERT INTO loop_iterations (run, iteration, status, labels, shots, cost_units, compute_seconds, test_mae_hartree, created)
  VALUES (1, 1, 'final', 3, 0, 3, 1, 0.002, 't');
`;

test('a store from before test predictions and run owners reads back, and migrates when opened for writing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qde-loop-history-'));
  try {
    const path = join(dir, 'old.sqlite');
    const store = openLabelStore(path);
    store.db.exec(OLD_SCHEMA);
    store.close();
    const before = readLoopHistory(path);
    assert.equal(before.runs.length, 1);
    assert.equal(before.runs[0]!.iterations[0]!.testMaeHartree, 0.002);
    assert.deepEqual(before.runs[0]!.iterations[0]!.testPredictions, []);
    const w = openLabelStore(path);
    try {
      ensureLoopTables(w.db);
      ensureLoopTables(w.db); // idempotent
      const cols = (w.db.prepare('PRAGMA table_info(loop_runs)').all() as { name: string }[]).map((c) => c.name);
      assert.ok(cols.includes('owner_pid') && cols.includes('owner_host'), cols.join(','));
      assert.ok(w.db.prepare("SELECT name FROM sqlite_master WHERE name = 'loop_test_predictions'").get() !== undefined);
      assert.equal(readLoopHistory(w).runs[0]!.iterations[0]!.labels, 3);
    } finally {
      w.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run held by a live process of this host is refused; a dead holder and this process are taken over', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qde-loop-lock-'));
  try {
    const path = join(dir, 'lock.sqlite');
    const store = openLabelStore(path);
    try {
      ensureLoopTables(store.db);
      store.db.prepare("INSERT INTO loop_runs (loop, strategy, seed, config_hash, config, status, created, updated) VALUES ('l', 'uncertainty', 4, 'h', '{}', 'running', 't', 't')").run();
      const setOwner = (pid: number | null, host: string | null) => store.db.prepare('UPDATE loop_runs SET owner_pid = ?, owner_host = ?').run(pid, host);
      const ownerPid = () => (store.db.prepare('SELECT owner_pid AS p FROM loop_runs').get() as { p: number | null }).p;
      // the parent of this test process is alive and is not this process
      setOwner(process.ppid, hostname());
      assert.throws(
        () => claimLoopRun(store.db, path, 1, hostname()),
        (e: unknown) => e instanceof InputError && e.message.includes(`process ${process.ppid}`) && e.message.includes(path) && e.message.includes("loop 'l' (uncertainty, seed 4)"),
      );
      assert.equal(ownerPid(), process.ppid, 'a refused claim leaves the lock alone');
      // a process that has exited
      const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      const deadPid = Number(gone.stdout);
      assert.ok(deadPid > 0);
      setOwner(deadPid, hostname());
      claimLoopRun(store.db, path, 1, hostname());
      assert.equal(ownerPid(), process.pid);
      claimLoopRun(store.db, path, 1, hostname()); // this process again
      // a holder on another host cannot be checked: refused
      setOwner(process.ppid, 'elsewhere.example');
      assert.throws(() => claimLoopRun(store.db, path, 1, hostname()), /on host elsewhere\.example/);
      releaseLoopRun(store.db, 1);
      assert.equal(ownerPid(), process.ppid, 'release leaves another holder alone');
      setOwner(process.pid, hostname());
      releaseLoopRun(store.db, 1);
      assert.equal(ownerPid(), null);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
