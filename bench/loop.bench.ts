/**
 * The active-learning loop: one small run (a 1-seed, cost-aware reduction of
 * examples/loops/lih-h2.yaml: LiH and H₂ in STO-3G, tapered VQE-UCCSD labels in the two-electron,
 * two-orbital space on the shot backend at 1e3 or 1e4 shots per estimate, FCI truth on 6 held-out
 * bond lengths per molecule, 30 displacements plus an 11-point scan per molecule with MD frames,
 * 20 labels) into a fresh store. Reported: wall time per iteration, split into the model phase (train
 * the GP, predict the test set, MD proposals, posterior covariance, scoring) and the labelling phase,
 * and label throughput; timings come from the loop's own progress events. Separately, the greedy
 * batch acquisition is timed on a posterior covariance of 100 and 250 candidates with 3 labellers
 * (batch 3): time per scored (candidate, labeller) option, fantasised updates included.
 * Wall times on a shared machine: the load average is in the notes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchRow } from './harness.js';
import { openLabelStore } from '../src/dataset/index.js';
import { type LabelOption, type LoopProgressEvent, buildLoop, chooseBatch, conditionOnLabel, parseLoopText, runActiveLearning } from '../src/loop/index.js';
import { Random } from '../src/core/index.js';

const ACTIVE = { nElectrons: 2, nOrbitals: 2 };
const vqe = (shots: number) => ({ method: 'vqe', basis: 'sto-3g', active: ACTIVE, taper: true, backend: { name: 'shots', shots } });
const LOOP = {
  name: 'lih-h2-bench',
  seed: 1,
  systems: [
    {
      name: 'lih',
      example: 'lih',
      candidates: [
        { scan: { coordinate: 'bond', atoms: [0, 1], fromAngstrom: 1.3, toAngstrom: 2.3, steps: 11 } },
        { displacements: { count: 30, sigmaAngstrom: 0.05 } },
        { md: { temperatureKelvin: 3000, steps: 60, timeStepFs: 0.5, every: 20 } },
      ],
      test: [{ scan: { coordinate: 'bond', atoms: [0, 1], fromAngstrom: 1.325, toAngstrom: 2.275, steps: 6 } }],
    },
    {
      name: 'h2',
      example: 'h2',
      candidates: [
        { scan: { coordinate: 'bond', atoms: [0, 1], fromAngstrom: 0.55, toAngstrom: 1.05, steps: 11 } },
        { displacements: { count: 30, sigmaAngstrom: 0.025 } },
        { md: { temperatureKelvin: 3000, steps: 60, timeStepFs: 0.25, every: 20 } },
      ],
      test: [{ scan: { coordinate: 'bond', atoms: [0, 1], fromAngstrom: 0.5625, toAngstrom: 1.0375, steps: 6 } }],
    },
  ],
  truth: { method: 'fci', basis: 'sto-3g', active: ACTIVE },
  labellers: [
    { name: 'vqe-1e4', spec: vqe(10000), cost: { perShot: 1, perLabel: 200000 } },
    { name: 'vqe-1e3', spec: vqe(1000), cost: { perShot: 1, perLabel: 200000 } },
  ],
  fixedLabeller: 'vqe-1e4',
  initial: { perSystem: 2 },
  batchSize: 3,
  budgets: { maxLabels: 20 },
  strategies: ['cost-aware'],
  targetTestErrorHartree: 0.0016,
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

const now = (): number => Number(process.hrtime.bigint()) / 1e9;

async function loopRun(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'qde-loop-bench-'));
  const load0 = loadavg()[0]!;
  try {
    const loop = buildLoop(parseLoopText(JSON.stringify(LOOP), 'loop-bench.json'), null);
    const store = openLabelStore(join(dir, 'bench.sqlite'));
    const events: { t: number; e: LoopProgressEvent }[] = [];
    const t0 = now();
    let report;
    try {
      report = await runActiveLearning(loop, { store, seed: 1, strategy: 'cost-aware', onProgress: (e) => events.push({ t: now(), e }) });
    } finally {
      store.close();
    }
    const wall = now() - t0;
    const testDone = events.filter((x) => x.e.kind === 'test-set').at(-1)?.t ?? t0;
    // iteration k: from its 'iteration' event (batch chosen) through its labels; its model phase ends at that event
    const iterTimes = events.filter((x) => x.e.kind === 'iteration').map((x) => x.t);
    const perIteration: number[] = [];
    const modelPhase: number[] = [];
    const labelPhase: number[] = [];
    let labelSeconds = 0;
    let labels = 0;
    for (let k = 0; k < iterTimes.length; k++) {
      const start = iterTimes[k]!;
      const end = iterTimes[k + 1];
      const mine = events.filter((x) => x.e.kind === 'label' && x.t >= start && (end === undefined || x.t < end));
      const lastLabel = mine.at(-1)?.t ?? start;
      if (mine.length > 0) {
        labelPhase.push(lastLabel - start);
        labelSeconds += lastLabel - start;
        labels += mine.filter((x) => x.e.kind === 'label' && !x.e.reused).length;
      }
      if (end !== undefined) {
        modelPhase.push(end - lastLabel);
        perIteration.push(end - start);
      }
    }
    const load = `load ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on 2 cores`;
    const note = `${report.labels} labels (${JSON.stringify(report.labelsByLabeller)}), ${report.iterations} iterations, final test MAE ${(1e3 * report.finalTestMaeHartree!).toFixed(2)} mEh; ${load}`;
    return [
      { benchmark: 'loop', metric: 'wall time per iteration (median)', value: median(perIteration), unit: 's', note: `model + labelling of a batch of 3; ${note}` },
      { benchmark: 'loop', metric: 'model phase per iteration (median)', value: median(modelPhase), unit: 's', note: 'train GP, predict test set, MD proposals, covariance, scoring' },
      { benchmark: 'loop', metric: 'labelling phase per iteration (median)', value: median(labelPhase), unit: 's' },
      { benchmark: 'loop', metric: 'label throughput (VQE on shots)', value: labels / labelSeconds, unit: 'labels/s', note: `${labels} labels computed in ${labelSeconds.toFixed(1)} s` },
      { benchmark: 'loop', metric: 'FCI truth labels (12)', value: testDone - t0, unit: 's' },
      { benchmark: 'loop', metric: 'whole run', value: wall, unit: 's' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A posterior-like covariance: a squared-exponential prior over m points on a line, conditioned on 8 of them. */
function posterior(m: number): Float64Array {
  const r = new Random(7);
  const x = Array.from({ length: m }, () => r.next() * 4);
  const cov = new Float64Array(m * m);
  for (let p = 0; p < m; p++) for (let q = 0; q < m; q++) cov[p * m + q] = 1e-2 * Math.exp(-0.5 * ((x[p]! - x[q]!) / 0.3) ** 2);
  for (let k = 0; k < 8; k++) conditionOnLabel(cov, m, (k * 37) % m, 1e-6);
  return cov;
}

function scoring(m: number): BenchRow {
  const cov = posterior(m);
  const eligible = Array.from({ length: m }, (_, k) => k);
  const opts: LabelOption[] = [
    { labeller: 0, noiseVarianceHartree2: 1e-6, costUnits: 1.2e6 },
    { labeller: 1, noiseVarianceHartree2: 1e-5, costUnits: 3e5 },
    { labeller: 2, noiseVarianceHartree2: 1e-4, costUnits: 2.1e5 },
  ];
  const batch = 3;
  const times: number[] = [];
  chooseBatch(cov, m, eligible, () => opts, batch);
  for (let rep = 0; rep < 25; rep++) {
    const t = now();
    chooseBatch(cov, m, eligible, () => opts, batch);
    times.push(now() - t);
  }
  const call = median(times);
  return {
    benchmark: 'loop',
    metric: `acquisition scoring, ${m} candidates × 3 labellers`,
    value: (call / (m * opts.length * batch)) * 1e9,
    unit: 'ns per option',
    note: `greedy batch of ${batch} with fantasised updates: ${(call * 1e3).toFixed(2)} ms a call (median of 25, fastest ${(Math.min(...times) * 1e3).toFixed(2)} ms); load ${loadavg()[0]!.toFixed(1)}`,
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'loop',
    async run() {
      const rows = [scoring(100), scoring(250)];
      return [...(await loopRun()), ...rows];
    },
  },
];
