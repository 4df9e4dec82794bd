import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runQde } from '../../cli/cli.test-util.js';
import { type Campaign, buildCampaign, parseCampaignText } from '../campaign.js';
import type { CampaignProgress } from '../progress.js';
import type { DatasetRecord } from '../record.js';
import { runCampaign } from '../runner.js';
import { openLabelStore } from '../store.js';
import { runCampaignOnQueue } from './coordinator.js';
import { decodeFailure, encodeFailure, queueNameOf } from './protocol.js';
import { REDIS_SERVER, type TestRedis, startTestRedis } from './redis-server.test-util.js';
import { parseRedisUrl, redactRedisUrl, redisUrlFrom, scrubSecret } from './redis-url.js';

test('redactRedisUrl keeps scheme, host, port and database only', () => {
  assert.equal(redactRedisUrl('redis://alice:p%40ss@db.example.org:6380/2'), 'redis://db.example.org:6380/2');
  assert.equal(redactRedisUrl('rediss://:hunter2@10.0.0.5'), 'rediss://10.0.0.5:6379/0');
  assert.equal(redactRedisUrl('redis://u:pw@[::1]:7000'), 'redis://[::1]:7000/0');
  // not a URL: everything up to the last '@' is dropped
  assert.equal(redactRedisUrl('redis://a:b@c@[bad:1'), 'redis://[bad:1');
});

test('parseRedisUrl: credentials decoded, TLS for rediss, errors without the password', () => {
  const t = parseRedisUrl('rediss://alice:p%40ss@db.example.org:6380/2');
  assert.deepEqual(
    { host: t.host, port: t.port, db: t.db, username: t.username, password: t.password, tls: t.tls },
    { host: 'db.example.org', port: 6380, db: 2, username: 'alice', password: 'p@ss', tls: { servername: 'db.example.org' } },
  );
  assert.equal(t.display, 'rediss://db.example.org:6380/2');
  assert.throws(() => parseRedisUrl('http://u:topsecret@h:1'), (e: Error) => /scheme/.test(e.message) && !e.message.includes('topsecret'));
  assert.throws(() => parseRedisUrl('redis://u:topsecret@h:1/x'), (e: Error) => /database/.test(e.message) && !e.message.includes('topsecret'));
  assert.equal(scrubSecret('auth p@ss and p%40ss failed', t), 'auth *** and *** failed');
  assert.equal(redisUrlFrom(true, { QDE_REDIS_URL: 'redis://h:1' }), 'redis://h:1');
  assert.throws(() => redisUrlFrom(true, {}), /QDE_REDIS_URL/);
});

test('queue names and failure reasons', () => {
  assert.equal(queueNameOf('tiny'), 'qde-tiny');
  assert.match(queueNameOf('water scan:1'), /^qde-water_scan_1-[0-9a-f]{8}$/);
  assert.notEqual(queueNameOf('a b'), queueNameOf('a:b'));
  assert.deepEqual(decodeFailure(encodeFailure('ConvergenceError', 'SCF: no luck')), { errorClass: 'ConvergenceError', message: 'SCF: no luck' });
  assert.deepEqual(decodeFailure('job stalled more than allowable limit'), { errorClass: 'Error', message: 'job stalled more than allowable limit' });
});

const PASSWORD = 'Pw-q9-zebra-41';
// an H2 scan and LiH on three rungs, and one spec that fails deterministically (one SCF iteration)
const CAMPAIGN = (name: string, quantities: string) => `
name: ${name}
seed: 3
quantities: ${quantities}
methods:
  - { method: hf, basis: sto-3g }
  - { method: mp2, basis: sto-3g }
  - { method: fci, basis: sto-3g }
molecules:
  - example: h2
    scan: { coordinate: bond, atoms: [0, 1], fromAngstrom: 0.6, toAngstrom: 1.0, steps: 3 }
  - example: lih
  - example: h2
    methods: [{ method: hf, basis: sto-3g, scfMaxIterations: 1 }]
`;

function campaignOf(name: string, quantities = '[energy]'): Campaign {
  return buildCampaign(parseCampaignText(CAMPAIGN(name, quantities), `${name}.yaml`), null);
}

function labelsOf(db: string): Map<string, DatasetRecord> {
  const store = openLabelStore(db, { readonly: true });
  try {
    return new Map([...store.iterateLabels()].map((r) => [r.key, r]));
  } finally {
    store.close();
  }
}

function failuresOf(db: string): { job: string; error_class: string; message: string }[] {
  const store = openLabelStore(db, { readonly: true });
  try {
    return store.db.prepare('SELECT job, error_class, message FROM failures ORDER BY job').all() as never;
  } finally {
    store.close();
  }
}

/** Energies equal to 1e-12 Hartree on exactly the same keys as the local run. */
function assertSameLabels(actual: Map<string, DatasetRecord>, expected: Map<string, DatasetRecord>): void {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
  for (const [key, r] of expected) assert.ok(Math.abs(actual.get(key)!.energyHartree - r.energyHartree) <= 1e-12, key);
}

/** How often each job key was reported `done` by any worker for `queue`. */
function completions(logs: string, queue: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of logs.matchAll(new RegExp(`${queue}: \\w+ ([0-9a-f]{12}) done`, 'g'))) out.set(m[1]!, (out.get(m[1]!) ?? 0) + 1);
  return out;
}

const hasRedis = existsSync(REDIS_SERVER);

describe('campaigns through Redis and qde worker processes', { skip: hasRedis ? false : `${REDIS_SERVER} is not installed`, timeout: 180_000 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'qde-queue-'));
  let redis: TestRedis;
  const workers: ChildProcess[] = [];
  const output: string[] = [];
  let local: Map<string, DatasetRecord>;
  let localFailures: { job: string; error_class: string; message: string }[];
  const logs = () => output.join('');

  const spawnWorker = (): ChildProcess => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/entry.ts', 'worker', '--queue', redis.url, '--concurrency', '1', '--stalled-seconds', '1'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const k = output.length;
    output.push('');
    child.stdout!.on('data', (d: Buffer) => (output[k] += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output[k] += d.toString()));
    workers.push(child);
    return child;
  };
  const waitFor = async (what: () => boolean, label: string, ms = 60_000) => {
    const deadline = Date.now() + ms;
    while (!what()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}\n${logs()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  before(async () => {
    redis = await startTestRedis({ password: PASSWORD });
    spawnWorker();
    spawnWorker();
    // the reference: the same jobs on the local worker pool
    const db = join(scratch, 'local.sqlite');
    await runCampaign(campaignOf('local', '[energy, forces]'), { dbPath: db, workers: 1 });
    local = labelsOf(db);
    localFailures = failuresOf(db);
    assert.equal(local.size, 12);
    assert.equal(localFailures.length, 1);
  });

  after(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await redis?.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('two workers give the labels of a local run; a deterministic failure is recorded once', async () => {
    const db = join(scratch, 'two.sqlite');
    const report = await runCampaignOnQueue(campaignOf('two'), { dbPath: db, url: redis.url, log: (l) => output.push(`coordinator: ${l}\n`) });
    assert.equal(report.stopReason, 'complete');
    assert.equal(report.labels, 12);
    assert.equal(report.failed, 1);
    assert.deepEqual(report.hosts, [hostname()]);
    const labels = labelsOf(db);
    assertSameLabels(labels, local);
    for (const r of labels.values()) assert.equal((r.provenance as { host: string }).host, hostname());
    const failures = failuresOf(db);
    assert.deepEqual(failures.map((f) => [f.job, f.error_class]), localFailures.map((f) => [f.job, f.error_class]));
    assert.equal(failures[0]!.error_class, 'ConvergenceError');
    assert.match(failures[0]!.message, /did not converge/);
    // not retried: one attempt, one failure line
    await waitFor(() => [...completions(logs(), 'qde-two').values()].length === 12, 'worker logs');
    assert.equal(logs().split(`qde-two: hf ${failures[0]!.job.slice(0, 12)} failed`).length - 1, 1);
    assert.ok([...completions(logs(), 'qde-two').values()].every((n) => n === 1));
  });

  test('the coordinator SIGKILLed and restarted collects what finished and enqueues only what is missing', async () => {
    const db = join(scratch, 'killed.sqlite');
    const file = join(scratch, 'killed.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, CAMPAIGN('killed', '[energy, forces]'));
    const coordinator = spawn(process.execPath, ['--import', 'tsx', 'src/cli/entry.ts', 'campaign', 'run', file, '--db', db, '--queue', redis.url, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let coordinatorOut = '';
    coordinator.stdout!.on('data', (d: Buffer) => (coordinatorOut += d.toString()));
    coordinator.stderr!.on('data', (d: Buffer) => (coordinatorOut += d.toString()));
    const done = () => {
      if (!existsSync(db)) return 0;
      try {
        const s = openLabelStore(db, { readonly: true });
        try {
          return s.status().labels;
        } finally {
          s.close();
        }
      } catch {
        // the coordinator is still creating the store
        return 0;
      }
    };
    try {
      await waitFor(() => done() >= 1, 'a first label');
      coordinator.kill('SIGKILL');
      await new Promise((r) => coordinator.once('exit', r));
    } finally {
      if (coordinator.exitCode === null && coordinator.signalCode === null) coordinator.kill('SIGKILL');
      output.push(`killed coordinator: ${coordinatorOut}\n`);
    }
    const before = done();
    const report = await runCampaignOnQueue(campaignOf('killed', '[energy, forces]'), { dbPath: db, url: redis.url, log: (l) => output.push(`coordinator: ${l}\n`) });
    assert.equal(report.stopReason, 'complete');
    assert.equal(report.alreadyDone, before);
    assert.equal(report.alreadyDone + report.labels, 12);
    assertSameLabels(labelsOf(db), local);
    for (const [key, r] of labelsOf(db)) {
      const f = r.forcesHartreePerBohr!;
      Array.from(local.get(key)!.forcesHartreePerBohr!).forEach((x, k) => assert.ok(Math.abs(f[k]! - x) <= 1e-9, key));
    }
    assert.equal(failuresOf(db).length, 1);
    // every job completed exactly once over both coordinator runs: the restarted coordinator
    // collects what finished while it was away and enqueues only what Redis does not hold
    // a worker's "done" line can reach this process after the coordinator has seen the label
    await waitFor(() => completions(logs(), 'qde-killed').size === 12, 'worker logs');
    const counts = completions(logs(), 'qde-killed');
    assert.equal(counts.size, 12);
    const twice = [...counts].filter(([, n]) => n !== 1).map(([k]) => k);
    assert.deepEqual(twice, [], logs().split('\n').filter((l) => twice.some((k) => l.includes(k)) || !/qde-\w+: \w+ [0-9a-f]{12} (started|done)/.test(l)).join('\n'));
  });

  test('Redis stopped and restarted mid-campaign: every label exactly once', async () => {
    const db = join(scratch, 'restart.sqlite');
    let restarting: Promise<void> | undefined;
    const progress: CampaignProgress = {
      start() {},
      update() {
        restarting ??= (async () => {
          await redis.stop();
          await new Promise((r) => setTimeout(r, 500));
          await redis.restart();
        })();
      },
      stop() {},
    };
    const report = await runCampaignOnQueue(campaignOf('restart', '[energy, forces]'), {
      dbPath: db,
      url: redis.url,
      progress,
      reconcileSeconds: 1,
      log: (l) => output.push(`coordinator: ${l}\n`),
    });
    await restarting;
    assert.ok(restarting !== undefined);
    assert.equal(report.stopReason, 'complete');
    assert.equal(report.labels, 12);
    assertSameLabels(labelsOf(db), local);
    assert.equal(failuresOf(db).length, 1);
  });

  test('a worker SIGKILLed mid-job: the other worker completes it after the stalled interval', async () => {
    const db = join(scratch, 'stall.sqlite');
    const text = 'name: stall\nseed: 3\nquantities: [energy, forces]\nmethods: [{ method: fci, basis: sto-3g }]\nmolecules: [{ example: h2o }]\n';
    const campaign = buildCampaign(parseCampaignText(text, 'stall.yaml'), null);
    const key = campaign.jobs[0]!.key.slice(0, 12);
    const running = runCampaignOnQueue(campaign, { dbPath: db, url: redis.url });
    let victim = -1;
    await waitFor(() => (victim = output.findIndex((o) => o.includes(`qde-stall: fci ${key} started`))) >= 0, 'the job to start');
    const w = workers[victim]!;
    w.kill('SIGKILL');
    await new Promise((r) => (w.exitCode === null && w.signalCode === null ? w.once('exit', r) : r(null)));
    const report = await running;
    assert.equal(report.labels, 1);
    assert.equal(report.failed, 0);
    const labels = labelsOf(db);
    assert.equal(labels.size, 1);
    assert.ok(Number.isFinite([...labels.values()][0]!.energyHartree));
    await waitFor(() => completions(logs(), 'qde-stall').has(key), 'the surviving worker to log the job done');
    assert.equal(completions(logs(), 'qde-stall').get(key), 1);
    assert.ok(!output[victim]!.includes(`qde-stall: fci ${key} done`));
  });

  test('credentials: a wrong password or an unreachable Redis is one line and exit 2; the password is never shown or stored', async () => {
    const file = join(scratch, 'cli.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, CAMPAIGN('cli', '[energy]'));
    const wrong = await runQde(['worker', '--queue', `redis://:${PASSWORD}x@127.0.0.1:${redis.port}`]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /^qde: Redis redis:\/\/127\.0\.0\.1:\d+\/0 refused the user name or password of the URL\n$/);
    const none = await runQde(['campaign', 'run', file, '--db', join(scratch, 'cli.sqlite'), '--queue', `redis://u:${PASSWORD}@127.0.0.1:1`]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^qde: cannot reach Redis redis:\/\/127\.0\.0\.1:1\/0: .*ECONNREFUSED.*\n$/);
    output.push(wrong.stdout, wrong.stderr, none.stdout, none.stderr);
    // stop the workers so their last words are captured too
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGINT');
    await Promise.all(workers.map((w) => (w.exitCode === null && w.signalCode === null ? new Promise((r) => w.once('exit', r)) : null)));
    const everything = [logs(), ...readdirSync(scratch).map((f) => readFileSync(join(scratch, f)).toString('latin1'))].join('\n');
    assert.match(everything, /qde-two: hf [0-9a-f]{12} done/);
    assert.ok(!everything.includes(PASSWORD), 'the password leaked');
    assert.ok(!everything.includes(encodeURIComponent(PASSWORD)));
  });
});
