import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HARTREE_IN_KCAL_PER_MOL, HARTREE_IN_MEV } from '../core/index.js';
import { errorMetrics, learningCurve } from './metrics.js';

test('error metrics: hand-computed MAE, RMSE, maximum, per-atom errors and the chemical-accuracy fraction', () => {
  // errors +1 mEh (2 atoms), −3 mEh (4 atoms), +0.5 mEh (1 atom), −1.7 mEh (2 atoms)
  const reference = [-1, -2, -0.5, -1.2];
  const predicted = [-0.999, -2.003, -0.4995, -1.2017];
  const m = errorMetrics(predicted, reference, [2, 4, 1, 2]);
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
  close(m.maeMilliHartree, (1 + 3 + 0.5 + 1.7) / 4);
  close(m.rmseMilliHartree, Math.sqrt((1 + 9 + 0.25 + 2.89) / 4));
  close(m.maxMilliHartree, 3);
  close(m.maeKcalPerMol, (6.2e-3 / 4) * HARTREE_IN_KCAL_PER_MOL);
  close(m.maeMeVPerAtom, ((0.5e-3 + 0.75e-3 + 0.5e-3 + 0.85e-3) / 4) * HARTREE_IN_MEV);
  close(m.maxMeVPerAtom, 0.85e-3 * HARTREE_IN_MEV);
  assert.equal(m.fractionWithinChemicalAccuracy, 0.5);
});

test('learning curve: training-set sizes in order, errors from the fit each size gives', () => {
  // "model": predicts the mean of its training targets; test targets all 1
  const training = [1, 1, 3, 3];
  const curve = learningCurve(training, [1, 1], [2, 4], (items) => {
    const mean = items.reduce((s, v) => s + v, 0) / items.length;
    return () => mean;
  }, (v) => v, () => 1);
  assert.deepEqual(curve.map((p) => p.trainingSize), [2, 4]);
  assert.equal(curve[0].metrics.maeHartree, 0);
  assert.equal(curve[1].metrics.maeHartree, 1);
});
