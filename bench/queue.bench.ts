/**
 * Campaigns through Redis: throughput with one and two `qde worker` processes (one thread each)
 * beside the local worker-thread pool with the same number of workers, on the campaign of
 * campaign.bench.ts (48 labels: H4 FCI + CCSD energies and forces, FCI's analytic, CCSD's by
 * differences). Goal: the queue costs under 10 % against the local pool.
 *
 * A throw-away redis-server runs on a free loopback port (as the queue tests do). For each worker
 * count the four runs are interleaved — local, queue, local, queue … — so that a change of machine
 * load hits both alike; the one-minute load average is recorded before each run. Workers are
 * started before their run and waited for until they announce themselves (long-lived in real use);
 * their process start-up is not counted, their thread start-up and queue discovery are. Each local
 * run starts a fresh pool (its start-up counted). Rates: labels per second over the whole run, and
 * steady state (first label to last as the coordinator stores them), and the CPU time per label
 * of every process taking part — load-independent where the rates are not: on a shared machine
 * the scheduler gives this session a fixed share of the cores, so extra CPU (Redis, BullMQ, the
 * workers' main threads) is what would cost throughput on busy cores.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchRow } from './harness.js';
import { THROUGHPUT, overheadCampaign, run as runLocal } from './campaign.bench.js';
import { buildCampaign, parseCampaignText } from '../src/dataset/campaign.js';
import { runCampaignOnQueue } from '../src/dataset/queue/coordinator.js';
import { REDIS_SERVER, type TestRedis, startTestRedis } from '../src/dataset/queue/redis-server.test-util.js';
import { existsSync, readFileSync } from 'node:fs';
import { Redis } from 'ioredis';

/** Interleaved repetitions per worker count (QDE_BENCH_QUEUE_REPEATS overrides). */
const REPEATS = Number(process.env.QDE_BENCH_QUEUE_REPEATS ?? 2);

interface Rate {
  labels: number;
  labelsPerSecond: number;
  steadyLabelsPerSecond: number;
  load: number;
  /** CPU seconds of every process taking part (this one; for the queue also the workers and Redis) during the run. */
  cpuSeconds: number;
}

/** CPU seconds (user + system) of a child process so far, from /proc (NaN where there is none). */
function childCpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds Redis has used so far (INFO cpu). */
async function redisCpuSeconds(url: string): Promise<number> {
  const client = new Redis(url);
  try {
    const info = await client.info('cpu');
    const get = (k: string) => Number(new RegExp(`^${k}:([0-9.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
    return get('used_cpu_user') + get('used_cpu_sys');
  } finally {
    client.disconnect();
  }
}

let serial = 0;

/** `count` qde worker processes on `url`, resolved once each has announced itself. */
async function startWorkers(url: string, count: number): Promise<ChildProcess[]> {
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/entry.ts', 'worker', '--queue', url, '--concurrency', '1'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: new URL('..', import.meta.url).pathname,
    });
    children.push(child);
    ready.push(
      new Promise((resolve, reject) => {
        let text = '';
        child.stderr!.on('data', (d: Buffer) => {
          text += d.toString();
          if (text.includes('worker on ')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`qde worker exited with ${code}: ${text}`)));
      }),
    );
  }
  await Promise.all(ready);
  return children;
}

async function stopWorkers(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
}

async function queueRun(redis: TestRedis, workers: number, text = THROUGHPUT): Promise<Rate & { wallSeconds: number }> {
  const name = `bench-queue-${process.pid}-${++serial}`;
  const campaign = buildCampaign(parseCampaignText(text.replace(/^name: .*$/m, `name: ${name}`), 'bench.yaml'), null);
  const dir = mkdtempSync(join(tmpdir(), 'qde-bench-queue-'));
  const children = await startWorkers(redis.url, workers);
  try {
    const load = loadavg()[0]!;
    const times: number[] = [];
    const cpuOf = async () => {
      const own = process.cpuUsage();
      return (own.user + own.system) / 1e6 + (await redisCpuSeconds(redis.url)) + children.reduce((a, c) => a + childCpuSeconds(c.pid), 0);
    };
    const cpu0 = await cpuOf();
    const report = await runCampaignOnQueue(campaign, {
      dbPath: join(dir, 'bench.sqlite'),
      url: redis.url,
      progress: { start() {}, update: () => times.push(performance.now()), stop() {} },
    });
    const cpuSeconds = (await cpuOf()) - cpu0;
    const span = (times.at(-1)! - times[0]!) / 1000;
    return { labels: report.labels, labelsPerSecond: report.labelsPerSecond, steadyLabelsPerSecond: (times.length - 1) / span, load, wallSeconds: report.wallSeconds, cpuSeconds };
  } finally {
    await stopWorkers(children);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function localRun(workers: number): Promise<Rate> {
  const load = loadavg()[0]!;
  const r = await runLocal(THROUGHPUT, workers);
  return { labels: r.labels, labelsPerSecond: r.labelsPerSecond, steadyLabelsPerSecond: r.steadyLabelsPerSecond, load, cpuSeconds: r.cpuSeconds };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const benchmarks: Benchmark[] = [
  {
    name: 'queue throughput',
    async run(): Promise<BenchRow[]> {
      if (!existsSync(REDIS_SERVER)) return [];
      const redis = await startTestRedis();
      const rows: BenchRow[] = [];
      try {
        for (const workers of [1, 2]) {
          const local: Rate[] = [];
          const queue: Rate[] = [];
          for (let r = 0; r < REPEATS; r++) {
            local.push(await localRun(workers));
            queue.push(await queueRun(redis, workers));
          }
          const loads = [...local, ...queue].map((x) => x.load.toFixed(1)).join(', ');
          const l = median(local.map((x) => x.labelsPerSecond));
          const q = median(queue.map((x) => x.labelsPerSecond));
          const ls = median(local.map((x) => x.steadyLabelsPerSecond));
          const qs = median(queue.map((x) => x.steadyLabelsPerSecond));
          const note = `${local[0]!.labels} labels, median of ${REPEATS} interleaved; load ${loads}`;
          const w = `${workers} worker${workers > 1 ? 's' : ''}`;
          rows.push(
            { benchmark: 'queue', metric: `local pool, ${w}`, value: l, unit: 'labels/s', note },
            { benchmark: 'queue', metric: `Redis + qde worker, ${w}`, value: q, unit: 'labels/s', note },
            { benchmark: 'queue', metric: `queue / local, ${w}`, value: q / l, unit: '×', note: 'goal ≥ 0.9' },
            { benchmark: 'queue', metric: `queue / local steady state, ${w}`, value: qs / ls, unit: '×', note: `first to last label: ${qs.toFixed(2)} vs ${ls.toFixed(2)} labels/s` },
            {
              benchmark: 'queue',
              metric: `CPU per label, queue / local, ${w}`,
              value: median(queue.map((x) => x.cpuSeconds / x.labels)) / median(local.map((x) => x.cpuSeconds / x.labels)),
              unit: '×',
              note: `all processes (queue: coordinator, workers, Redis; workers' process start excluded, pool start included): ${(median(queue.map((x) => x.cpuSeconds / x.labels)) * 1000).toFixed(0)} vs ${(median(local.map((x) => x.cpuSeconds / x.labels)) * 1000).toFixed(0)} ms`,
            },
          );
        }
        // what the queue adds per label: per-label wall time (T₂₀₀ − T₁) / 199 of 1-millisecond labels
        // (H2 HF) through Redis and through the local pool, one worker each, start-up cancelling in
        // the difference; median of 3 interleaved
        const perLabel: number[] = [];
        const localPer: number[] = [];
        for (let r = 0; r < 3; r++) {
          const l = ((await runLocal(overheadCampaign(200), 1)).wallSeconds - (await runLocal(overheadCampaign(1), 1)).wallSeconds) / 199;
          const q = ((await queueRun(redis, 1, overheadCampaign(200))).wallSeconds - (await queueRun(redis, 1, overheadCampaign(1))).wallSeconds) / 199;
          perLabel.push((q - l) * 1000);
          localPer.push(l * 1000);
        }
        rows.push({ benchmark: 'queue', metric: 'queue cost per label beyond the local pool', value: median(perLabel), unit: 'ms', note: `200 H2 HF labels, 1 worker; local pool ${median(localPer).toFixed(1)} ms per label in all` });
      } finally {
        await redis.remove();
      }
      return rows;
    },
  },
];
