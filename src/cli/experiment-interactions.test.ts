import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQde } from './cli.test-util.js';

test('qde experiment interactions --json (small): one row per kind and size; a bad --model is exit 2 naming the option', async () => {
  const run = await runQde(['experiment', 'interactions', '--h2h2', '3', '--h2lih', '0', '--clusters', '1', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.experiment, 'interactions');
  assert.deepEqual(report.trainingDimers, { h2h2: 3, h2lih: 0 });
  const kinds = report.rows.map((r: { kind: string }) => r.kind);
  assert.deepEqual(kinds.slice(-3), ['held-out dimers', 'trimers', 'tetramers']);
  for (const r of report.rows.slice(-2)) assert.equal(r.count, 3);
  const bad = await runQde(['experiment', 'interactions', '--model', 'svm']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /model must be 'gp' or 'nn'/);
});
