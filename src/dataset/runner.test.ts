import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { loadCampaignFile } from './campaign.js';
import { runCampaign } from './runner.js';

/** 20 jobs: an H2 scan (8 points) and a LiH scan (2 points), HF and FCI, energies and forces. */
const CAMPAIGN = `name: resume
seed: 11
quantities: [energy, forces]
methods:
  - { method: hf, basis: sto-3g }
  - { method: fci, basis: sto-3g }
molecules:
  - example: h2
    scan: { coordinate: bond, atoms: [0, 1], fromAngstrom: 0.5, toAngstrom: 1.6, steps: 8 }
  - example: lih
    scan: { coordinate: bond, atoms: [0, 1], fromAngstrom: 1.4, toAngstrom: 1.8, steps: 2 }
`;

interface LabelRow {
  job: string;
  energy: number;
  forces: string | null;
  created: string;
}

function labels(db: string): Map<string, LabelRow> {
  const d = new Database(db, { readonly: true });
  try {
    const rows = d
      .prepare('SELECT job, energy_hartree AS energy, forces_hartree_per_bohr AS forces, created FROM labels ORDER BY job')
      .all() as LabelRow[];
    return new Map(rows.map((r) => [r.job, r]));
  } finally {
    d.close();
  }
}

function labelCount(db: string): number {
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (d.prepare('SELECT COUNT(*) AS n FROM labels').get() as { n: number }).n;
    } finally {
      d.close();
    }
  } catch {
    return 0; // not created yet
  }
}

function assertSameLabels(a: Map<string, LabelRow>, b: Map<string, LabelRow>, what: string): void {
  assert.deepEqual([...a.keys()], [...b.keys()], `${what}: the same jobs`);
  for (const [key, ra] of a) {
    const rb = b.get(key)!;
    assert.ok(Math.abs(ra.energy - rb.energy) <= 1e-12, `${what}: energy of ${key}: ${ra.energy} vs ${rb.energy}`);
    const fa = JSON.parse(ra.forces!) as number[];
    const fb = JSON.parse(rb.forces!) as number[];
    fa.forEach((f, i) => assert.ok(Math.abs(f - fb[i]!) <= 1e-10, `${what}: force ${i} of ${key}`));
  }
}

test('a campaign killed with SIGKILL resumes with every job done exactly once and the labels of an uninterrupted run; 1 and 2 workers agree', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qde-runner-'));
  try {
    const file = join(dir, 'resume.yaml');
    writeFileSync(file, CAMPAIGN);
    const campaign = loadCampaignFile(file);
    assert.equal(campaign.jobs.length, 20);

    const one = join(dir, 'one.sqlite');
    const two = join(dir, 'two.sqlite');
    const r1 = await runCampaign(campaign, { dbPath: one, workers: 1 });
    const r2 = await runCampaign(campaign, { dbPath: two, workers: 2 });
    assert.deepEqual([r1.labels, r1.failed, r1.stopReason, r2.labels, r2.failed], [20, 0, 'complete', 20, 0]);
    const reference = labels(one);
    // identical, not just close: each job runs single-threaded with the same inputs
    assert.deepEqual(
      [...labels(two).values()].map((r) => [r.job, r.energy, r.forces]),
      [...reference.values()].map((r) => [r.job, r.energy, r.forces]),
    );

    const killed = join(dir, 'killed.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/entry.ts', 'campaign', 'run', file, '--db', killed, '--workers', '2'], {
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stored = 0;
    for (let i = 0; i < 1200 && stored < 3; i++) {
      await sleep(50);
      stored = labelCount(killed);
    }
    child.kill('SIGKILL');
    await exited;
    const beforeResume = labels(killed);
    assert.ok(beforeResume.size >= 3 && beforeResume.size < 20, `killed mid-campaign after ${beforeResume.size} labels`);

    const resumed = await runCampaign(campaign, { dbPath: killed, workers: 2 });
    assert.equal(resumed.stopReason, 'complete');
    assert.equal(resumed.alreadyDone, beforeResume.size);
    assert.equal(resumed.labels, 20 - beforeResume.size, 'only the missing labels were computed');
    const after = labels(killed);
    // labels stored before the kill were not recomputed
    for (const [key, row] of beforeResume) assert.deepEqual(after.get(key), row);
    assertSameLabels(after, reference, 'resumed vs uninterrupted');

    const d = new Database(killed, { readonly: true });
    const counts = d
      .prepare(`SELECT (SELECT COUNT(*) FROM jobs) AS jobs, (SELECT COUNT(*) FROM jobs WHERE status = 'done') AS done,
          (SELECT COUNT(*) FROM labels) AS labels, (SELECT COUNT(*) FROM failures) AS failures,
          (SELECT COUNT(*) FROM labels l JOIN jobs j ON j.key = l.job WHERE j.status = 'done') AS paired`)
      .get();
    d.close();
    assert.deepEqual(counts, { jobs: 20, done: 20, labels: 20, failures: 0, paired: 20 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('jobs go out longest first; the order changes no label: file order on 1 worker and longest first on 1 and 2 give the same bytes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qde-runner-'));
  try {
    const file = join(dir, 'order.yaml');
    // file order: H2 HF energy; LiH FCI with forces (analytic FCI gradient, 6 functions); H2O HF with
    // forces (analytic SCF gradient); H2O FCI with forces (analytic FCI gradient, 7 functions)
    writeFileSync(
      file,
      `name: order
seed: 4
quantities: [energy]
methods:
  - { method: hf, basis: sto-3g }
molecules:
  - example: h2
  - example: lih
    quantities: [energy, forces]
    methods: [{ method: fci, basis: sto-3g }]
  - example: h2o
    quantities: [energy, forces]
    methods: [{ method: hf, basis: sto-3g }, { method: fci, basis: sto-3g }]
`,
    );
    const campaign = loadCampaignFile(file);
    const kind = new Map(campaign.jobs.map((j) => [j.key, `${j.molecule.atomicNumbers.length} atoms ${j.spec.method}`]));
    assert.deepEqual([...kind.values()], ['2 atoms hf', '2 atoms fci', '3 atoms hf', '3 atoms fci']);
    const run = async (name: string, workers: number, order?: 'file' | 'longest-first') => {
      const seen: string[] = [];
      const db = join(dir, `${name}.sqlite`);
      const r = await runCampaign(campaign, { dbPath: db, workers, order, onOutcome: (o) => seen.push(kind.get(o.key)!) });
      assert.deepEqual([r.labels, r.failed, r.stopReason], [4, 0, 'complete']);
      return { seen, rows: [...labels(db).values()].map((x) => [x.job, x.energy, x.forces]) };
    };
    const inFileOrder = await run('file', 1, 'file');
    const longestFirst = await run('longest', 1);
    const twoWorkers = await run('two', 2);
    // one worker computes the jobs in the order they were dispatched
    assert.deepEqual(inFileOrder.seen, ['2 atoms hf', '2 atoms fci', '3 atoms hf', '3 atoms fci']);
    assert.deepEqual(longestFirst.seen, ['3 atoms fci', '2 atoms fci', '3 atoms hf', '2 atoms hf']);
    // the same bytes whatever the order and the worker count
    assert.deepEqual(longestFirst.rows, inFileOrder.rows);
    assert.deepEqual(twoWorkers.rows, inFileOrder.rows);
    // every label says how its forces were made
    const d = new Database(join(dir, 'two.sqlite'), { readonly: true });
    try {
      const methods = d.prepare('SELECT forces_method AS m FROM labels ORDER BY job').all().map((r) => (r as { m: string | null }).m);
      assert.deepEqual([...methods].sort(), ['analytic', 'analytic', 'analytic', null]);
    } finally {
      d.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failing job is recorded with its reason and the campaign goes on; a label budget stops cleanly and resumes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qde-runner-'));
  try {
    const file = join(dir, 'fail.yaml');
    writeFileSync(
      file,
      `name: fail
seed: 2
budgets: { maxLabels: 2 }
methods:
  - { method: hf, basis: sto-3g, scfMaxIterations: 2 }
  - { method: hf, basis: sto-3g }
molecules:
  - example: h2o
  - example: h2
  - example: lih
`,
    );
    const db = join(dir, 'fail.sqlite');
    const first = await runCampaign(loadCampaignFile(file), { dbPath: db, workers: 2 });
    assert.equal(first.stopReason, 'maxLabels');
    assert.equal(first.labels, 2);
    assert.ok(first.pending > 0);

    writeFileSync(file, readFileSync(file, 'utf8').replace('maxLabels: 2', 'maxLabels: 100'));
    const second = await runCampaign(loadCampaignFile(file), { dbPath: db, workers: 2 });
    assert.equal(second.stopReason, 'complete');
    const d = new Database(db, { readonly: true });
    const failures = d.prepare('SELECT f.error_class AS cls, f.message AS message FROM failures f').all() as { cls: string; message: string }[];
    const statuses = d.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status ORDER BY status').all();
    d.close();
    // H2O's SCF needs more than 2 iterations; H2 and LiH may or may not: whatever failed is recorded with its reason
    assert.ok(failures.length >= 1);
    for (const f of failures) {
      assert.equal(f.cls, 'ConvergenceError');
      assert.match(f.message, /did not converge in 2 iterations/);
    }
    const done = first.labels + second.labels;
    assert.deepEqual(statuses, [
      { status: 'done', n: done },
      { status: 'failed', n: failures.length },
    ]);
    assert.equal(done + failures.length, 6);
    assert.ok(done >= 3, 'every unlimited-iteration job has a label');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a shot budget stops dispatching once the stored labels have spent it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qde-runner-'));
  try {
    const file = join(dir, 'shots.yaml');
    writeFileSync(
      file,
      `name: shots
seed: 3
budgets: { maxShots: 1 }
methods:
  - { method: vqe, basis: sto-3g, backend: { name: shots, shots: 1000 } }
molecules:
  - example: h2
    scan: { coordinate: bond, atoms: [0, 1], fromAngstrom: 0.6, toAngstrom: 1.0, steps: 4 }
`,
    );
    const db = join(dir, 'shots.sqlite');
    // one worker: the first label spends more than one shot, so nothing else is dispatched
    const r = await runCampaign(loadCampaignFile(file), { dbPath: db, workers: 1 });
    assert.deepEqual([r.stopReason, r.labels, r.pending], ['maxShots', 1, 3]);
    const d = new Database(db, { readonly: true });
    const row = d.prepare('SELECT shots, result FROM labels').get() as { shots: number; result: string };
    d.close();
    assert.ok(row.shots >= 1000);
    assert.equal(row.shots, (JSON.parse(row.result) as { shots: number }).shots);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
