/**
 * A small loop end to end: the test error falls as labels arrive, every acquired label is stored
 * once with its provenance, the history reads back, and a finished run is not run again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLabelStore } from '../../dataset/index.js';
import { buildLoop, parseLoopText } from './config.js';
import { readLoopHistory } from './history.js';
import { runActiveLearning, runLoop } from './run.js';

export const SMALL_LOOP = {
  name: 'h2-small',
  seed: 3,
  systems: [
    {
      name: 'h2',
      example: 'h2',
      candidates: [
        { scan: { coordinate: 'bond', atoms: [0, 1], fromAngstrom: 0.5, toAngstrom: 1.3, steps: 17 } },
        { md: { temperatureKelvin: 2000, steps: 40, timeStepFs: 0.25, every: 10 } },
      ],
      test: [{ scan: { coordinate: 'bond', atoms: [0, 1], fromAngstrom: 0.525, toAngstrom: 1.275, steps: 6 } }],
    },
  ],
  truth: { method: 'fci', basis: 'sto-3g' },
  labellers: [{ name: 'vqe', spec: { method: 'vqe', basis: 'sto-3g' }, cost: { perLabel: 1 } }],
  model: { lengthScales: [0.5, 1, 2], signalStdHartree: [0.03, 0.1], noiseFloorsHartree: [1e-5, 1e-4] },
  initial: { perSystem: 1 },
  batchSize: 1,
  budgets: { maxLabels: 7 },
};

test('a small loop lowers the test error, stores each label once and records every iteration', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qde-loop-'));
  try {
    const loop = buildLoop(parseLoopText(JSON.stringify(SMALL_LOOP), 'small.json'), 'small.json');
    const store = openLabelStore(join(dir, 'l.sqlite'));
    try {
      const report = await runActiveLearning(loop, { store, seed: 3, strategy: 'uncertainty' });
      assert.equal(report.stopReason, 'maxLabels');
      assert.equal(report.labels, 7);
      assert.equal(report.labelsComputed, 7);
      const first = report.curve[0]!.testMaeHartree!;
      const last = report.finalTestMaeHartree!;
      // one label of a 0.8 Å-wide curve leaves errors of tens of mEh; seven well-placed exact labels leave far less
      assert.ok(first > 5e-3, `first ${first}`);
      assert.ok(last < first / 10, `first ${first}, last ${last}`);
      const history = readLoopHistory(store, { loop: 'h2-small' });
      assert.equal(history.runs.length, 1);
      assert.equal(history.testSets.length, 6);
      const run = history.runs[0]!;
      assert.equal(run.status, 'done');
      assert.equal(run.iterations[run.iterations.length - 1]!.status, 'final');
      // every trained model's test-set predictions are recorded: the truth of each test geometry, and the MAE they give is the recorded one
      assert.deepEqual(run.iterations[0]!.testPredictions, []);
      for (const it of run.iterations.slice(1)) {
        assert.deepEqual(it.testPredictions.map((p) => p.position), [0, 1, 2, 3, 4, 5]);
        assert.deepEqual(it.testPredictions.map((p) => p.truthHartree), history.testSets.map((t) => t.energyHartree));
        const mae = it.testPredictions.reduce((s, p) => s + Math.abs(p.predictedHartree - p.truthHartree!), 0) / 6;
        assert.ok(Math.abs(mae - it.testMaeHartree!) < 1e-12, `iteration ${it.iteration}: ${mae} against ${it.testMaeHartree}`);
        assert.ok(it.testPredictions.every((p) => p.system === 'h2' && Number.isFinite(p.sigmaHartree) && p.sigmaHartree >= 0));
      }
      const keys = run.iterations.flatMap((it) => it.acquisitions.map((a) => a.jobKey));
      assert.equal(new Set(keys).size, 7);
      for (const it of run.iterations.slice(1, -1)) assert.ok(it.acquisitions[0]!.varianceReductionHartree2! > 0);
      const rows = store.db.prepare(`SELECT job, COUNT(*) AS n FROM labels WHERE job IN (${keys.map(() => '?').join(',')}) GROUP BY job`).all(...keys) as { n: number }[];
      assert.equal(rows.length, 7);
      assert.ok(rows.every((r) => r.n === 1));
      const result = store.labelResult(keys[0]!)!;
      assert.equal(result.provenance.spec.method, 'vqe');
      // a finished run returns its report without computing anything
      const again = await runActiveLearning(loop, { store, seed: 3, strategy: 'uncertainty' });
      assert.equal(again.labelsComputed, 0);
      assert.deepEqual(again.curve, report.curve);
      // random acquisition shares the truth labels and the initial label of the same seed
      const summary = await runLoop(loop, { store, seeds: [3], strategies: ['uncertainty', 'random'] });
      const random = summary.strategies.find((s) => s.strategy === 'random')!.runs[0]!;
      assert.equal(random.labels, 7);
      assert.ok(random.labelsComputed <= 6);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
