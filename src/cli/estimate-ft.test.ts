import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQde } from './cli.test-util.js';

test('qde estimate-ft --json gives the estimator physical counts for H2 and LiH on two presets', async () => {
  for (const [file, extra] of [
    ['examples/h2.xyz', []],
    ['examples/lih.xyz', ['--frozen-core']],
  ] as const) {
    const run = await runQde(['estimate-ft', file, ...extra, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      resolutionHartree: number;
      estimates: { preset: string; physicalQubits: number; runtimeSeconds: number; tFactories: number; raw: { physicalCounts: { physicalQubits: number } } }[];
    };
    assert.ok(report.resolutionHartree <= 1.6e-3 + 1e-12);
    assert.deepEqual(report.estimates.map((e) => e.preset), ['qubit_gate_ns_e3', 'qubit_maj_ns_e6']);
    for (const e of report.estimates) {
      assert.ok(e.physicalQubits > 0 && e.runtimeSeconds > 0 && e.tFactories > 0);
      assert.equal(e.raw.physicalCounts.physicalQubits, e.physicalQubits);
    }
    assert.notEqual(report.estimates[0].physicalQubits, report.estimates[1].physicalQubits);
  }
});

test('qde estimate-ft prints a summary, and refuses an unknown preset with exit 2 on one line', async () => {
  const ok = await runQde(['estimate-ft', 'examples/h2.xyz', '--qubit-preset', 'qubit_gate_us_e4']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /qubit_gate_us_e4 +[\d.]+k? physical qubits, runtime/);
  const bad = await runQde(['estimate-ft', 'examples/h2.xyz', '--qubit-preset', 'qubit_x']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, /unknown qubit preset 'qubit_x'/);
});
