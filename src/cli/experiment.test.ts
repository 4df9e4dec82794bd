import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { formatXyzTrajectory } from '../chem/index.js';
import { runMethod } from '../methods/index.js';
import { testChains } from '../loop/index.js';
import { runQde, scratchDirectory } from './cli.test-util.js';

test('qde experiment generalise (small, fragments): rows per rung and size; qde predict on a saved model reproduces the evaluation to 1e-10', async () => {
  const dir = scratchDirectory();
  try {
    const models = `${dir.path}/models`;
    const run = await runQde([
      'experiment', 'generalise', '--training-labels', '16', '--test-sizes', '8', '--test-counts', '2', '--save-model', models, '--plots', `${dir.path}/plots`, '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.experiment, 'generalise');
    const names = report.rows.map((r: { kind: string; rung: string; deltaFrom: string | null }) => `${r.kind}:${r.rung}${r.deltaFrom ? `-${r.deltaFrom}` : ''}`);
    assert.deepEqual(names, ['model:fci', 'model:ccsd', 'model:mp2', 'model:hf', 'model:fci-hf', 'model:fci-mp2', 'direct:ccsd', 'direct:mp2', 'direct:fci-windows']);
    assert.equal(report.training, 'fragments');
    assert.equal(report.model, 'nn');
    assert.equal(report.baseline, 'spin-pair');
    assert.equal(report.descriptor, 'spin-correlation');
    assert.equal(report.baselineLabelsPerRung, 50);
    assert.equal(report.forces, true);
    assert.deepEqual(report.trainingAtoms, [4, 6]);
    assert.equal(report.trainingLabelsPerRung + report.droppedTrainingGeometries, 16);
    for (const r of report.rows) {
      assert.equal(r.perSize.length, 1);
      assert.equal(r.perSize[0].atoms, 8);
      assert.ok(r.perSize[0].maxHartree >= r.perSize[0].maeHartree && r.perSize[0].maeHartree >= 0);
    }
    for (const f of ['fci', 'ccsd', 'mp2', 'hf', 'fci-delta-hf', 'fci-delta-mp2']) assert.ok(existsSync(`${models}/${f}.model.json`), f);
    assert.ok(existsSync(`${dir.path}/plots/parity-fci.svg`) && existsSync(`${dir.path}/plots/learning-curve-fci.svg`));
    assert.deepEqual(report.learningCurve.map((p: { trainingLabels: number }) => p.trainingLabels), [report.trainingLabelsPerRung]);
    // on every piece the learning curve is the table's FCI-label model
    const fciErrors: number[] = report.rows[0].errorsHartree;
    assert.equal(report.learningCurve[0].maeHartree, fciErrors.reduce((s, e) => s + Math.abs(e), 0) / fciErrors.length);

    // the test chains, regenerated, through qde predict
    const chains = testChains([8], [2], 0).filter((_, k) => report.testIndices.includes(k));
    const truth = await Promise.all(chains.map(async (m) => (await runMethod(m, { method: 'fci', basis: 'sto-3g' })).energyHartree));
    truth.forEach((e, k) => assert.ok(Math.abs(e - report.testFciHartree[k]) < 1e-9));
    const xyz = dir.file('test.xyz', formatXyzTrajectory(chains));
    for (const [file, row] of [['fci', report.rows[0]], ['fci-delta-hf', report.rows[4]], ['fci-delta-mp2', report.rows[5]]]) {
      const p = await runQde(['predict', `${models}/${file}.model.json`, xyz, '--json']);
      assert.equal(p.code, 0, p.stderr);
      const frames = JSON.parse(p.stdout).frames;
      frames.forEach((f: { energyHartree: number }, k: number) => {
        assert.ok(Math.abs(f.energyHartree - row.predictedHartree[k]) <= 1e-10, `${file} frame ${k}: ${f.energyHartree} vs ${row.predictedHartree[k]}`);
      });
    }
  } finally {
    dir.remove();
  }
});

test('qde experiment generalise --descriptor acsf --no-forces: symmetry functions alone on energies alone, and qde predict reproduces the evaluation to 1e-10; without a baseline acsf is the default and spin is refused', async () => {
  const dir = scratchDirectory();
  try {
    const models = `${dir.path}/models`;
    const run = await runQde(['experiment', 'generalise', '--descriptor', 'acsf', '--no-forces', '--training-labels', '16', '--selection', 'uniform', '--test-sizes', '8', '--test-counts', '2', '--save-model', models, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.descriptor, 'acsf');
    assert.equal(report.forces, false);
    const chains = testChains([8], [2], 0).filter((_, k) => report.testIndices.includes(k));
    const xyz = dir.file('test.xyz', formatXyzTrajectory(chains));
    for (const [file, row] of [['fci', report.rows[0]], ['fci-delta-hf', report.rows[4]]]) {
      const p = await runQde(['predict', `${models}/${file}.model.json`, xyz, '--json']);
      assert.equal(p.code, 0, p.stderr);
      JSON.parse(p.stdout).frames.forEach((f: { energyHartree: number }, k: number) => {
        assert.ok(Math.abs(f.energyHartree - row.predictedHartree[k]) <= 1e-10, `${file} frame ${k}: ${f.energyHartree} vs ${row.predictedHartree[k]}`);
      });
    }
    // the text summary names the model, the descriptor and what the models were trained on (forces by default)
    const free = await runQde(['experiment', 'generalise', '--baseline', 'none', '--training-labels', '8', '--selection', 'uniform', '--test-sizes', '8', '--test-counts', '1']);
    assert.equal(free.code, 0, free.stderr);
    assert.match(free.stdout, /nn\/acsf, cutoff 6 Bohr, energies and forces, sto-3g/);
    const refused = await runQde(['experiment', 'generalise', '--descriptor', 'spin', '--baseline', 'none', '--training-labels', '8', '--test-sizes', '8', '--test-counts', '1']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /'spin' descriptor is built from the baseline's H2 curves/);
    const unknown = await runQde(['experiment', 'generalise', '--descriptor', 'mbtr', '--training-labels', '8', '--test-sizes', '8', '--test-counts', '1']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /descriptor must be 'acsf', 'soap' or 'spin', got 'mbtr'/);
  } finally {
    dir.remove();
  }
});
