/**
 * Campaign runner: throughput with 1 and 2 worker threads on the same campaign (goal: ≥ 1.8× with
 * 2), and the runner's own cost per label beside the computation (goal: < 5 ms).
 *
 * Throughput campaign: the shipped examples/campaigns/lih-h2o-scan.yaml — 188 FCI/STO-3G labels
 * with analytic forces on LiH and H2O (an FCI solve, its RDMs and the derivative integrals), the campaign
 * that made the shipped dataset. It runs from the built JavaScript (dist/, as `qde campaign run`
 * does; `npm run bench` builds first), so the worker threads load plain modules. Each run starts a
 * fresh pool and store, so worker start-up is included, as a user sees it; the steady-state figure
 * counts from the first label to the last. The 1- and 2-worker runs alternate (medians reported)
 * with the load average recorded before each; the process CPU time per label (all threads) tells
 * contention apart from a busy machine: equal CPU per label with 1 and 2 workers means the second
 * worker adds no work, so a speed-up below 2 is time the workers spent waiting for a core.
 *
 * A short campaign (48 H4 FCI and CCSD labels of 30–50 ms each, the THROUGHPUT text below, also
 * run through Redis by queue.bench.ts) is timed the same way once: there worker start-up (module
 * import and the JIT warming each worker thread's own copy of the code) is a large part of the run.
 *
 * Where the CPU goes: each thread's CPU time is read from /proc/self/task while the run goes (Linux
 * only; elsewhere the split is left out). Threads that existed before the run and are not the main
 * thread are V8's platform helpers, shared by every isolate of the process: they compile optimised
 * code (TurboFan) and mark and sweep the heaps concurrently. Threads born during the run are the
 * pool's workers. The tail is the time from the second-to-last label to the last one: with two
 * workers, the time one of them had nothing left to do.
 *
 * Warm-up: what one worker isolate pays before its code is fast, measured apart from the pool. A
 * fresh worker thread computes the shipped campaign's labels in dispatch order twice (no pool, no
 * store): the first pass cold, the second with everything optimised. First minus second, in CPU
 * seconds of that thread and of V8's helper threads, is the isolate's warm-up (running code not yet
 * optimised, TurboFan compiling it, the heap growing); the worker's module import is reported
 * beside it. Every worker of a pool pays it again, which is what keeps two workers below twice one.
 *
 * Overhead: 200 H2 HF/STO-3G energies (about 1 ms each) on one worker, against a one-job run of the
 * same kind: (T₂₀₀ − T₁ − (C₂₀₀ − C₁)) / 199, with T the run's wall time and C the jobs' own
 * compute time as the workers measured it. What remains is dispatch, the worker round trip, the
 * SQLite transaction per label and the progress bookkeeping.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchRow } from './harness.js';
import { fileURLToPath } from 'node:url';
import type { CampaignRunReport } from '../src/dataset/index.js';

type DatasetModule = typeof import('../src/dataset/index.js');
const DIST_DATASET = new URL('../dist/dataset/index.js', import.meta.url);

/** The dataset stage as users run it: the build when present, else the sources. */
async function datasetStage(): Promise<DatasetModule> {
  return existsSync(fileURLToPath(DIST_DATASET)) ? ((await import(DIST_DATASET.href)) as DatasetModule) : import('../src/dataset/index.js');
}

/** The shipped campaign timed for throughput. */
const SHIPPED_FILE = fileURLToPath(new URL('../examples/campaigns/lih-h2o-scan.yaml', import.meta.url));

/** The throughput campaign (also run through Redis by queue.bench.ts). */
export const THROUGHPUT = `name: bench-throughput
seed: 5
quantities: [energy, forces]
methods:
  - { method: fci, basis: sto-3g }
  - { method: ccsd, basis: sto-3g }
molecules:
  - chain: { atoms: 4, shape: zigzag, count: 24, bondAngstrom: [0.8, 1.3], angleDegrees: [100, 170] }
`;

/** `count` H2 HF/STO-3G energies (about 1 ms each): what a run costs besides the computation. */
export function overheadCampaign(count: number): string {
  return `name: bench-overhead-${count}
seed: 5
methods:
  - { method: hf, basis: sto-3g }
molecules:
  - chain: { atoms: 2, shape: linear, count: ${count}, bondAngstrom: [0.6, 1.4] }
`;
}

/** What one run measured besides its report. */
export interface RunMeasures {
  /** Labels per second from the first label to the last (pool start-up excluded). */
  steadyLabelsPerSecond: number;
  /** Seconds from the start of the run to its first label (pool start-up and the first job). */
  firstLabelSeconds: number;
  /** CPU seconds of the whole process (all threads: workers, main thread, V8's helpers) during the run. */
  cpuSeconds: number;
  /** One-minute load average when the run started. */
  load: number;
  /** CPU seconds of V8's platform helper threads (compilation, concurrent GC) during the run; NaN off Linux. */
  helperCpuSeconds: number;
  /** CPU seconds of the pool's worker threads during the run; NaN off Linux. */
  workerCpuSeconds: number;
  /** Seconds from the second-to-last label to the last. */
  tailSeconds: number;
}

/** CPU seconds of each thread of this process (Linux /proc; empty elsewhere). */
function threadCpu(): Map<number, number> {
  const out = new Map<number, number>();
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(t), (Number(f[11]) + Number(f[12])) / 100); // utime + stime, clock ticks of 10 ms
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/** A run's report and its measures. */
export async function run(text: string, workers: number, file = 'bench.yaml'): Promise<CampaignRunReport & RunMeasures> {
  const { buildCampaign, parseCampaignText, runCampaign } = await datasetStage();
  const dir = mkdtempSync(join(tmpdir(), 'qde-bench-campaign-'));
  try {
    const campaign = buildCampaign(parseCampaignText(text, file), file === 'bench.yaml' ? null : file);
    const times: number[] = [];
    const load = loadavg()[0]!;
    // a worker's CPU is readable only while it lives: sample at every label and at the end
    const before = threadCpu();
    const last = new Map(before);
    const sample = () => {
      for (const [t, c] of threadCpu()) last.set(t, c);
    };
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const report = await runCampaign(campaign, {
      dbPath: join(dir, 'bench.sqlite'),
      workers,
      onOutcome: () => {
        times.push(performance.now());
        sample();
      },
    });
    const cpu = process.cpuUsage(cpu0);
    let helperCpuSeconds = before.size > 0 ? 0 : Number.NaN;
    let workerCpuSeconds = before.size > 0 ? 0 : Number.NaN;
    for (const [t, c] of last) {
      if (t === process.pid) continue;
      if (before.has(t)) helperCpuSeconds += c - before.get(t)!;
      else workerCpuSeconds += c;
    }
    const span = (times.at(-1)! - times[0]!) / 1000;
    return {
      helperCpuSeconds,
      workerCpuSeconds,
      tailSeconds: times.length > 1 ? (times.at(-1)! - times.at(-2)!) / 1000 : Number.NaN,
      ...report,
      steadyLabelsPerSecond: span > 0 ? (times.length - 1) / span : Number.NaN,
      firstLabelSeconds: (times[0]! - t0) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      load,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The warm-up thread (see the file header): posts its own CPU per pass and waits for the main thread to sample the helpers. */
const WARMUP_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync, readlinkSync } = require('node:fs');
const ownCpu = () => {
  const stat = readFileSync('/proc/thread-self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const flag = new Int32Array(workerData.flag);
const handshake = (message) => {
  Atomics.store(flag, 0, 0);
  parentPort.postMessage(message);
  Atomics.wait(flag, 0, 0);
};
(async () => {
  const c0 = ownCpu();
  const t0 = performance.now();
  const core = await import(workerData.dist + 'core/index.js');
  core.setThreadBudget(1);
  const ds = await import(workerData.dist + 'dataset/index.js');
  const { longestFirstOrder } = await import(workerData.dist + 'dataset/job-cost.js');
  const importCpu = ownCpu() - c0;
  const importSeconds = (performance.now() - t0) / 1000;
  const campaign = ds.buildCampaign(ds.parseCampaignText(readFileSync(workerData.file, 'utf8'), workerData.file), workerData.file);
  const tasks = campaign.jobs.map((j) => ({
    key: j.key, atomicNumbers: Array.from(j.molecule.atomicNumbers), positionsBohr: Array.from(j.molecule.positionsBohr),
    charge: j.molecule.charge, multiplicity: j.molecule.multiplicity, spec: j.spec, quantities: j.quantities,
  }));
  const ordered = longestFirstOrder(tasks).map((i) => tasks[i]);
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  const passes = [];
  for (let pass = 0; pass < 2; pass++) {
    handshake({ type: 'before', tid });
    const c = ownCpu();
    const t = performance.now();
    for (const task of ordered) {
      const outcome = await ds.computeLabel(task);
      if (!outcome.ok) throw new Error(outcome.message);
    }
    passes.push({ cpu: ownCpu() - c, wall: (performance.now() - t) / 1000 });
    handshake({ type: 'after', tid });
  }
  parentPort.postMessage({ type: 'done', importCpu, importSeconds, passes, labels: ordered.length });
})();
`;

/** Cold and warm pass of one isolate over the shipped campaign (see the file header); null off Linux or without the build. */
async function warmup(): Promise<{ importCpu: number; importSeconds: number; labels: number; load: number; passes: { cpu: number; wall: number; helperCpu: number }[] } | null> {
  if (!existsSync('/proc/thread-self/stat') || !existsSync(fileURLToPath(DIST_DATASET))) return null;
  const flag = new SharedArrayBuffer(4);
  const flags = new Int32Array(flag);
  const load = loadavg()[0]!;
  const worker = new Worker(WARMUP_WORKER, {
    eval: true,
    workerData: { flag, dist: new URL('../dist/', import.meta.url).href, file: SHIPPED_FILE },
  });
  // helper threads: every thread of the process but this one and the warm-up thread
  const helpers = (tid: number) => {
    let sum = 0;
    for (const [t, c] of threadCpu()) if (t !== process.pid && t !== tid) sum += c;
    return sum;
  };
  const helperCpu: number[] = [];
  let before = 0;
  return new Promise((resolve, reject) => {
    worker.on('message', (m: { type: string; tid?: number; importCpu: number; importSeconds: number; labels: number; passes: { cpu: number; wall: number }[] }) => {
      if (m.type === 'before') before = helpers(m.tid!);
      if (m.type === 'after') helperCpu.push(helpers(m.tid!) - before);
      if (m.type === 'done') {
        void worker.terminate();
        resolve({ ...m, load, passes: m.passes.map((p, i) => ({ ...p, helperCpu: helperCpu[i]! })) });
        return;
      }
      Atomics.store(flags, 0, 1);
      Atomics.notify(flags, 0);
    });
    worker.on('error', reject);
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Interleaved repetitions of the 1- and 2-worker throughput runs (QDE_BENCH_CAMPAIGN_REPEATS overrides). */
const REPEATS = Number(process.env.QDE_BENCH_CAMPAIGN_REPEATS ?? 2);

export const benchmarks: Benchmark[] = [
  {
    name: 'campaign throughput',
    async run(): Promise<BenchRow[]> {
      // 1, 2, 1, 2, …: a change of machine load hits both alike
      const one: Awaited<ReturnType<typeof run>>[] = [];
      const two: Awaited<ReturnType<typeof run>>[] = [];
      const shipped = readFileSync(SHIPPED_FILE, 'utf8');
      for (let r = 0; r < REPEATS; r++) {
        one.push(await run(shipped, 1, SHIPPED_FILE));
        two.push(await run(shipped, 2, SHIPPED_FILE));
      }
      const shortOne = await run(THROUGHPUT, 1);
      const shortTwo = await run(THROUGHPUT, 2);
      const rate = (xs: typeof one, f: (x: (typeof one)[number]) => number) => median(xs.map(f));
      const loads = [...one, ...two].map((x) => x.load.toFixed(1)).join(', ');
      const note = `lih-h2o-scan.yaml: ${one[0]!.labels} FCI labels with forces, median of ${REPEATS} interleaved; load ${loads}`;
      const cpuPerLabel = (x: (typeof one)[number]) => (x.cpuSeconds / x.labels) * 1000;
      return [
        { benchmark: 'campaign', metric: 'throughput, 1 worker', value: rate(one, (x) => x.labelsPerSecond), unit: 'labels/s', note },
        { benchmark: 'campaign', metric: 'throughput, 2 workers', value: rate(two, (x) => x.labelsPerSecond), unit: 'labels/s', note },
        { benchmark: 'campaign', metric: 'speed-up, 2 vs 1 workers', value: rate(two, (x) => x.labelsPerSecond) / rate(one, (x) => x.labelsPerSecond), unit: '×', note: 'goal ≥ 1.8' },
        {
          benchmark: 'campaign',
          metric: 'steady-state speed-up, 2 vs 1',
          value: rate(two, (x) => x.steadyLabelsPerSecond) / rate(one, (x) => x.steadyLabelsPerSecond),
          unit: '×',
          note: 'first to last label (pool start-up excluded)',
        },
        { benchmark: 'campaign', metric: 'start to first label, 1 / 2 workers', value: rate(one, (x) => x.firstLabelSeconds), unit: 's', note: `2 workers: ${rate(two, (x) => x.firstLabelSeconds).toFixed(2)} s` },
        {
          benchmark: 'campaign',
          metric: 'process CPU per label, 1 worker',
          value: rate(one, cpuPerLabel),
          unit: 'ms',
          note: `2 workers: ${rate(two, cpuPerLabel).toFixed(0)} ms (equal when nothing is oversubscribed or contended)`,
        },
        {
          benchmark: 'campaign',
          metric: 'job wall time per label, 1 worker',
          value: rate(one, (x) => (x.computeSeconds / x.labels) * 1000),
          unit: 'ms',
          note: `2 workers: ${rate(two, (x) => (x.computeSeconds / x.labels) * 1000).toFixed(0)} ms (longer with 2: the workers slow each other or wait for a core)`,
        },
        {
          benchmark: 'campaign',
          metric: 'cores kept busy, 2 workers',
          value: rate(two, (x) => x.cpuSeconds / x.wallSeconds),
          unit: 'cores',
          note: `CPU / wall; 1 worker: ${rate(one, (x) => x.cpuSeconds / x.wallSeconds).toFixed(2)} (below 2 and 1: the machine was busy)`,
        },
        {
          benchmark: 'campaign',
          metric: "V8 helper threads' share of CPU, 1 worker",
          value: rate(one, (x) => (100 * x.helperCpuSeconds) / x.cpuSeconds),
          unit: '%',
          note: `TurboFan compilation and concurrent GC, all isolates; 2 workers: ${rate(two, (x) => (100 * x.helperCpuSeconds) / x.cpuSeconds).toFixed(1)} %; worker threads ${rate(one, (x) => (100 * x.workerCpuSeconds) / x.cpuSeconds).toFixed(1)} / ${rate(two, (x) => (100 * x.workerCpuSeconds) / x.cpuSeconds).toFixed(1)} %`,
        },
        {
          benchmark: 'campaign',
          metric: 'tail, 2 workers',
          value: rate(two, (x) => x.tailSeconds),
          unit: 's',
          note: `second-to-last to last label (one worker idle); 1 worker: ${rate(one, (x) => x.tailSeconds).toFixed(3)} s`,
        },
        {
          benchmark: 'campaign',
          metric: 'short campaign speed-up, 2 vs 1',
          value: shortTwo.labelsPerSecond / shortOne.labelsPerSecond,
          unit: '×',
          note:
            `${shortOne.labels} H4 FCI + CCSD labels: ${shortOne.labelsPerSecond.toFixed(1)} and ${shortTwo.labelsPerSecond.toFixed(1)} labels/s, ` +
            `first label after ${shortOne.firstLabelSeconds.toFixed(2)} / ${shortTwo.firstLabelSeconds.toFixed(2)} s (worker start-up); load ${shortOne.load.toFixed(1)}, ${shortTwo.load.toFixed(1)}`,
        },
      ];
    },
  },
  {
    name: 'campaign warm-up',
    async run(): Promise<BenchRow[]> {
      const w = await warmup();
      if (w === null) return [];
      const [cold, warm] = w.passes as [(typeof w.passes)[number], (typeof w.passes)[number]];
      const note = `${w.labels} labels in one fresh worker thread, cold then warm; load ${w.load.toFixed(1)}`;
      return [
        { benchmark: 'campaign', metric: 'worker warm-up, computing thread', value: cold.cpu - warm.cpu, unit: 'CPU-s', note: `${note}; passes ${cold.cpu.toFixed(2)} / ${warm.cpu.toFixed(2)} CPU-s, ${cold.wall.toFixed(2)} / ${warm.wall.toFixed(2)} s` },
        { benchmark: 'campaign', metric: "worker warm-up, V8 helper threads", value: cold.helperCpu - warm.helperCpu, unit: 'CPU-s', note: `TurboFan compilation (concurrent GC cancels out); passes ${cold.helperCpu.toFixed(2)} / ${warm.helperCpu.toFixed(2)} CPU-s` },
        { benchmark: 'campaign', metric: 'worker module import', value: w.importCpu, unit: 'CPU-s', note: `${w.importSeconds.toFixed(2)} s wall; the dataset stage (the quantum stages load during the first label, in the warm-up)` },
      ];
    },
  },
  {
    name: 'campaign overhead',
    async run(): Promise<BenchRow[]> {
      const single = await run(overheadCampaign(1), 1);
      const many = await run(overheadCampaign(200), 1);
      const n = many.labels;
      const perLabel = (many.wallSeconds - single.wallSeconds - (many.computeSeconds - single.computeSeconds)) / (n - 1);
      return [
        { benchmark: 'campaign', metric: 'runner overhead per label', value: perLabel * 1000, unit: 'ms', note: `${n} H2 HF labels, 1 worker; goal < 5` },
        { benchmark: 'campaign', metric: 'compute per label (H2 HF)', value: (many.computeSeconds / n) * 1000, unit: 'ms' },
      ];
    },
  },
];
