/**
 * The acquisition score against independent computations: the closed-form variance reduction
 * against a brute-force refit of the GP with the extra label, and the cost-aware choice between a
 * cheap noisy labeller and a precise expensive one against the analytic threshold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ANGSTROM_IN_BOHR } from '../../core/index.js';
import { chooseBatch, conditionOnLabel, varianceReduction } from './acquisition.js';
import { type Structure, featureSpace, gpPosteriorCovariance, gpVariance, structureFeatures, trainExactGp } from './gp.js';

function diatomic(z1: number, z2: number, rAngstrom: number): Structure {
  return { atomicNumbers: [z1, z2], positionsBohr: [0, 0, 0, 0, 0, rAngstrom * ANGSTROM_IN_BOHR] };
}

test('variance reduction of one more label equals the drop in summed variance after refitting the GP with it', () => {
  const pool = [0.55, 0.62, 0.7, 0.78, 0.86, 0.95, 1.05].map((r) => diatomic(1, 1, r)).concat([1.4, 1.6, 1.9].map((r) => diatomic(3, 1, r)));
  const space = featureSpace(pool, 8, 6);
  // one point per grid: the refit keeps the hyperparameters, as the closed form assumes
  const grid = { lengthScales: [0.7], signalStdHartree: [0.02], noiseFloorsHartree: [3e-4] };
  const train = [pool[1]!, pool[4]!, pool[8]!];
  const energies = [-1.13, -1.12, -7.86];
  const errors = [0.002, 0.0005, 0.001];
  const gp = trainExactGp(space, train, energies, errors, grid);
  const f = structureFeatures(space, pool);
  const m = pool.length;
  const cov = gpPosteriorCovariance(gp, f, f);
  const before = gpVariance(gp, f).reduce((s, v) => s + v, 0);
  for (const [x, se] of [
    [0, 0.003],
    [6, 0],
    [9, 0.0015],
  ] as const) {
    const score = varianceReduction(cov, m, x, se * se + 3e-4 ** 2);
    // brute force: a new GP on the labels plus (x, any energy, se)
    const refit = trainExactGp(space, [...train, pool[x]!], [...energies, -1.0], [...errors, se], grid);
    const after = gpVariance(refit, f).reduce((s, v) => s + v, 0);
    assert.ok(score > 0);
    assert.ok(Math.abs(score - (before - after)) <= 1e-9 * before, `x=${x}: closed form ${score}, refit ${before - after}`);
    // the fantasised update is the refit's covariance too
    const c2 = Float64Array.from(cov);
    conditionOnLabel(c2, m, x, se * se + 3e-4 ** 2);
    const covRefit = gpPosteriorCovariance(refit, f, f);
    for (let k = 0; k < m * m; k++) assert.ok(Math.abs(c2[k]! - covRefit[k]!) <= 1e-9 * before);
  }
});

test('cost-aware choice: the cheap labeller while its noise is below the analytic threshold, the precise one above it', () => {
  // one candidate with prior variance v: ΔV = v²/(v + σ²). Cheap (cost 1, noise σ²) beats precise
  // (cost 10, noise 0, ΔV = v) when v²/(v + σ²) > v/10, i.e. σ² < 9 v.
  const v = 4e-6;
  const cov = Float64Array.of(v);
  const pick = (noise: number) =>
    chooseBatch(cov, 1, [0], () => [
      { labeller: 0, noiseVarianceHartree2: 0, costUnits: 10 },
      { labeller: 1, noiseVarianceHartree2: noise, costUnits: 1 },
    ], 1)[0]!.labeller;
  assert.equal(pick(8.5 * v), 1);
  assert.equal(pick(9.5 * v), 0);
  assert.equal(pick(0.1 * v), 1);
  assert.equal(pick(100 * v), 0);
});

test('a batch does not pick the same candidate twice and spreads out over correlated candidates', () => {
  // two tightly correlated candidates (0, 1) and an independent one (2) of smaller variance:
  // after labelling 0 exactly, 1 is nearly known, so the second pick is 2
  const cov = Float64Array.from([1, 0.99, 0, 0.99, 1, 0, 0, 0, 0.8]);
  const batch = chooseBatch(cov, 3, [0, 1, 2], () => [{ labeller: 0, noiseVarianceHartree2: 0, costUnits: 1 }], 2);
  assert.deepEqual(batch.map((b) => b.candidate), [0, 2]);
  assert.ok(Math.abs(batch[1]!.varianceReductionHartree2 - 0.8) < 1e-12);
});
