/**
 * `qde loop run`: the --json object, errors naming the file and key path (exit 2), the guard that
 * refuses a second process on a run another live process holds (and takes over a dead one's), and a loop
 * killed with SIGKILL that resumes without computing an acquired label twice and ends in the
 * state of an uninterrupted run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runQde, scratchDirectory } from './cli.test-util.js';

const H2 = { nElectrons: 2, nOrbitals: 2 };
const LOOP = {
  name: 'h2-shots',
  seed: 5,
  systems: [
    {
      name: 'h2',
      example: 'h2',
      candidates: [
        { scan: { coordinate: 'bond', atoms: [0, 1], fromAngstrom: 0.5, toAngstrom: 1.3, steps: 17 } },
        { displacements: { count: 8, sigmaAngstrom: 0.03 } },
        { md: { temperatureKelvin: 2000, steps: 40, timeStepFs: 0.25, every: 10 } },
      ],
      test: [{ scan: { coordinate: 'bond', atoms: [0, 1], fromAngstrom: 0.525, toAngstrom: 1.275, steps: 5 } }],
    },
  ],
  truth: { method: 'fci', basis: 'sto-3g' },
  labellers: [
    { name: 'exact', spec: { method: 'vqe', basis: 'sto-3g' }, cost: { perLabel: 2e6 } },
    { name: 'shots', spec: { method: 'vqe', basis: 'sto-3g', active: H2, taper: true, backend: { name: 'shots', shots: 10000 } }, cost: { perShot: 1, perLabel: 1e5 } },
  ],
  fixedLabeller: 'exact',
  model: { lengthScales: [0.5, 1, 2], signalStdHartree: [0.03, 0.1], noiseFloorsHartree: [1e-5, 1e-4] },
  initial: { perSystem: 1 },
  batchSize: 2,
  budgets: { maxLabels: 14 },
  strategies: ['cost-aware'],
};

function dbRows(path: string): { acq: unknown[]; iters: unknown[]; preds: unknown[]; perKey: { job: string; labels: number; attempts: number }[] } {
  const d = new Database(path, { readonly: true });
  try {
    const acq = d.prepare('SELECT iteration, position, job, labeller, score FROM loop_acquisitions ORDER BY run, iteration, position').all();
    const iters = d.prepare('SELECT iteration, status, labels, shots, cost_units, test_mae_hartree, error_estimate_hartree, model FROM loop_iterations ORDER BY run, iteration').all();
    const preds = d.prepare('SELECT iteration, position, predicted_hartree, sigma_hartree FROM loop_test_predictions ORDER BY run, iteration, position').all();
    const perKey = d
      .prepare(`SELECT a.job AS job, (SELECT COUNT(*) FROM labels l WHERE l.job = a.job) AS labels, j.attempts AS attempts
        FROM loop_acquisitions a JOIN jobs j ON j.key = a.job`)
      .all() as { job: string; labels: number; attempts: number }[];
    return { acq, iters, preds, perKey };
  } finally {
    d.close();
  }
}

function iterationCount(path: string): number {
  try {
    const d = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return (d.prepare("SELECT COUNT(*) AS n FROM loop_iterations WHERE status = 'done'").get() as { n: number }).n;
    } finally {
      d.close();
    }
  } catch {
    return 0;
  }
}

test('qde loop run --json ends with one object: per strategy and seed the labels, shots and final test error, medians and ratios', async () => {
  const dir = scratchDirectory();
  try {
    const file = dir.file('loop.json', JSON.stringify({ ...LOOP, budgets: { maxLabels: 6 }, strategies: ['cost-aware', 'uncertainty', 'random'] }));
    const run = await runQde(['loop', 'run', file, '--db', join(dir.path, 'a.sqlite'), '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const out = JSON.parse(run.stdout) as {
      loop: string;
      seeds: number[];
      targetTestErrorHartree: number;
      strategies: { strategy: string; runs: { seed: number; labels: number; quantumLabels: number; shots: number; finalTestMaeHartree: number; stopReason: string }[]; medianQuantumLabelsToTarget: number | null }[];
      ratios: Record<string, number | null>;
    };
    assert.equal(out.loop, 'h2-shots');
    assert.deepEqual(out.seeds, [5]);
    assert.deepEqual(out.strategies.map((s) => s.strategy), ['cost-aware', 'uncertainty', 'random']);
    for (const s of out.strategies) {
      assert.equal(s.runs.length, 1);
      const r = s.runs[0]!;
      assert.equal(r.labels, 6);
      assert.equal(r.quantumLabels, 6);
      assert.equal(r.stopReason, 'maxLabels');
      assert.ok(r.finalTestMaeHartree > 0 && r.finalTestMaeHartree < 0.05);
      assert.ok(Number.isInteger(r.shots) && r.shots >= 0);
    }
    // the fixed labeller is the exact state vector: no shots without the cost-aware strategy
    assert.equal(out.strategies[2]!.runs[0]!.shots, 0);
    assert.ok(out.strategies[0]!.runs[0]!.shots > 0, 'the cost-aware run used the shot labeller');
    assert.deepEqual(Object.keys(out.ratios).sort(), ['labelsRandomOverCostAware', 'labelsRandomOverUncertainty', 'labelsRandomOverUncertaintyAtLeast', 'shotsFixedOverCostAware']);
  } finally {
    dir.remove();
  }
});

test('a bad loop file is one line naming the file and the key path, exit 2', async () => {
  const dir = scratchDirectory();
  try {
    const file = dir.file('bad.json', JSON.stringify({ ...LOOP, budgets: { maxLabels: 0 } }));
    const run = await runQde(['loop', 'run', file, '--db', join(dir.path, 'b.sqlite')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /bad\.json: budgets\.maxLabels: expected a positive integer/);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  } finally {
    dir.remove();
  }
});

test('a loop killed with SIGKILL resumes from its last iteration, computes no acquired label twice and ends as an uninterrupted run', async () => {
  const dir = scratchDirectory();
  try {
    const file = dir.file('loop.json', JSON.stringify(LOOP));
    const reference = join(dir.path, 'reference.sqlite');
    const ok = await runQde(['loop', 'run', file, '--db', reference, '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    const killed = join(dir.path, 'killed.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/entry.ts', 'loop', 'run', file, '--db', killed], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    for (let i = 0; i < 2400 && iterationCount(killed) < 3; i++) await sleep(25);
    child.kill('SIGKILL');
    await exited;
    const before = dbRows(killed);
    const final = (before.iters as { status: string }[]).some((it) => it.status === 'final');
    assert.ok(!final && before.acq.length >= 3, `killed mid-run (${before.acq.length} acquisitions recorded)`);
    const labelledBefore = new Set(before.perKey.filter((k) => k.labels > 0).map((k) => k.job));

    const resumed = await runQde(['loop', 'run', file, '--db', killed, '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const after = dbRows(killed);
    const ref = dbRows(reference);
    assert.deepEqual(after.acq, ref.acq, 'the same batches, in the same order, with the same labellers and scores');
    assert.deepEqual(after.iters, ref.iters, 'the same models, test errors and spending at every iteration');
    assert.deepEqual(after.preds, ref.preds, 'the same test-set predictions at every iteration');
    assert.ok(ref.preds.length > 0);
    assert.equal(after.perKey.length, 14);
    assert.equal(new Set(after.perKey.map((k) => k.job)).size, 14, 'no label acquired twice');
    for (const k of after.perKey) {
      assert.equal(k.labels, 1);
      // a label stored before the kill was not computed again; only the one in flight may have run twice
      if (labelledBefore.has(k.job)) assert.equal(k.attempts, 1);
      else assert.ok(k.attempts <= 2);
    }
    assert.ok(after.perKey.filter((k) => k.attempts === 2).length <= 1);
    assert.deepEqual(JSON.parse(resumed.stdout).strategies[0].runs[0].labels, 14);
  } finally {
    dir.remove();
  }
});

function owner(path: string): { pid: number | null; status: string } | undefined {
  const d = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return d.prepare('SELECT owner_pid AS pid, status FROM loop_runs').get() as { pid: number | null; status: string } | undefined;
  } finally {
    d.close();
  }
}

test('a second process on the same loop run and database is refused in one line (exit 2); a SIGKILLed holder is taken over', async () => {
  const dir = scratchDirectory();
  try {
    const file = dir.file('loop.json', JSON.stringify(LOOP));
    const db = join(dir.path, 'shared.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/entry.ts', 'loop', 'run', file, '--db', db], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    for (let i = 0; i < 2400 && iterationCount(db) < 1; i++) await sleep(25);
    const held = owner(db);
    assert.ok(held !== undefined && held.pid === child.pid && held.status === 'running', `the first process holds the run (${JSON.stringify(held)})`);

    const second = await runQde(['loop', 'run', file, '--db', db, '--json']);
    const stillRunning = owner(db)!.status === 'running';
    child.kill('SIGKILL');
    await exited;
    assert.ok(stillRunning, 'the first process was still running when the second was refused');
    assert.equal(second.code, 2, second.stderr);
    assert.equal(second.stdout, '');
    const lines = second.stderr.trim().split('\n');
    assert.equal(lines.length, 1, second.stderr);
    assert.ok(lines[0]!.includes(db), 'names the database');
    assert.match(lines[0]!, /loop 'h2-shots' \(cost-aware, seed 5\)/);
    assert.match(lines[0]!, new RegExp(`process ${child.pid}\\b.*kill ${child.pid}.*run again to resume`));

    // the holder died without releasing its lock: the next run takes it over and finishes
    assert.equal(owner(db)!.pid, child.pid);
    const resumed = await runQde(['loop', 'run', file, '--db', db, '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(JSON.parse(resumed.stdout).strategies[0].runs[0].labels, 14);
    assert.deepEqual(owner(db), { pid: null, status: 'done' }, 'the lock is released at the end');
  } finally {
    dir.remove();
  }
});
