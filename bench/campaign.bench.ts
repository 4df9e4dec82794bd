/**
 * Campaign runner: throughput with 1 and 2 worker threads on the same campaign (goal: ≥ 1.8× with
 * 2), and the runner's own cost per label beside the computation (goal: < 5 ms).
 *
 * Throughput campaign: 48 jobs — FCI and CCSD/STO-3G energies and finite-difference forces on 12
 * zig-zag H4 chains (24 energy evaluations per label, about 0.1–0.3 s a label). Each run starts a
 * fresh pool and store, so worker start-up is included, as a user sees it; the steady-state figure
 * counts from the first label to the last.
 *
 * Overhead: 200 H2 HF/STO-3G energies (about 1 ms each) on one worker, against a one-job run of the
 * same kind: (T₂₀₀ − T₁ − (C₂₀₀ − C₁)) / 199, with T the run's wall time and C the jobs' own
 * compute time as the workers measured it. What remains is dispatch, the worker round trip, the
 * SQLite transaction per label and the progress bookkeeping.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchRow } from './harness.js';
import { buildCampaign, parseCampaignText } from '../src/dataset/campaign.js';
import { runCampaign, type CampaignRunReport } from '../src/dataset/runner.js';

const THROUGHPUT = `name: bench-throughput
seed: 5
quantities: [energy, forces]
methods:
  - { method: fci, basis: sto-3g }
  - { method: ccsd, basis: sto-3g }
molecules:
  - chain: { atoms: 4, shape: zigzag, count: 24, bondAngstrom: [0.8, 1.3], angleDegrees: [100, 170] }
`;

function overheadCampaign(count: number): string {
  return `name: bench-overhead-${count}
seed: 5
methods:
  - { method: hf, basis: sto-3g }
molecules:
  - chain: { atoms: 2, shape: linear, count: ${count}, bondAngstrom: [0.6, 1.4] }
`;
}

/** A run's report and its steady-state rate: labels per second from the first label to the last (pool start-up excluded). */
async function run(text: string, workers: number): Promise<CampaignRunReport & { steadyLabelsPerSecond: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'qde-bench-campaign-'));
  try {
    const campaign = buildCampaign(parseCampaignText(text, 'bench.yaml'), null);
    const times: number[] = [];
    const report = await runCampaign(campaign, { dbPath: join(dir, 'bench.sqlite'), workers, onOutcome: () => times.push(performance.now()) });
    const span = (times.at(-1)! - times[0]!) / 1000;
    return { ...report, steadyLabelsPerSecond: span > 0 ? (times.length - 1) / span : Number.NaN };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmarks: Benchmark[] = [
  {
    name: 'campaign throughput',
    async run(): Promise<BenchRow[]> {
      const one = await run(THROUGHPUT, 1);
      const two = await run(THROUGHPUT, 2);
      const note = `${one.labels} labels (H4 FCI + CCSD energies and forces)`;
      return [
        { benchmark: 'campaign', metric: 'throughput, 1 worker', value: one.labelsPerSecond, unit: 'labels/s', note },
        { benchmark: 'campaign', metric: 'throughput, 2 workers', value: two.labelsPerSecond, unit: 'labels/s', note },
        { benchmark: 'campaign', metric: 'speed-up, 2 vs 1 workers', value: two.labelsPerSecond / one.labelsPerSecond, unit: '×', note: 'goal ≥ 1.8' },
        { benchmark: 'campaign', metric: 'steady-state speed-up, 2 vs 1', value: two.steadyLabelsPerSecond / one.steadyLabelsPerSecond, unit: '×', note: 'first to last label (pool start-up excluded)' },
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
