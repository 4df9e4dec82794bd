import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, Random } from '../core/index.js';
import type { TrainingExample } from './data.js';
import { defaultSymmetryFunctions } from './descriptors/acsf.js';
import { type TrainedModel, modelToJson, predictModel, trainModel } from './model.js';
import { type TrainingJob, terminateTrainingWorkers, trainModels } from './train-parallel.js';

after(() => terminateTrainingWorkers());

/**
 * Bent H₄ chains labelled by a sum of Morse pairs (energy and its exact forces): any smooth labels
 * serve, since the test compares two ways of training on the same ones.
 */
function chains(count: number, seed: number): TrainingExample[] {
  const rnd = new Random(seed);
  const out: TrainingExample[] = [];
  for (let s = 0; s < count; s++) {
    const n = 4;
    const r = new Float64Array(3 * n);
    for (let a = 1; a < n; a++) {
      const bond = rnd.uniform(1.3, 3.5);
      const angle = rnd.uniform(-0.6, 0.6);
      r[3 * a] = r[3 * (a - 1)] + bond * Math.sin(angle);
      r[3 * a + 2] = r[3 * (a - 1) + 2] + bond * Math.cos(angle);
    }
    let e = 0;
    const f = new Float64Array(3 * n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < a; b++) {
        const d = [0, 1, 2].map((c) => r[3 * a + c] - r[3 * b + c]);
        const dist = Math.hypot(d[0], d[1], d[2]);
        const x = Math.exp(-1.1 * (dist - 1.4));
        e += 0.17 * (x * x - 2 * x);
        const dEdr = 0.17 * (-2.2 * x * x + 2.2 * x);
        for (let c = 0; c < 3; c++) {
          f[3 * a + c] -= (dEdr * d[c]) / dist;
          f[3 * b + c] += (dEdr * d[c]) / dist;
        }
      }
    }
    out.push({ atomicNumbers: [1, 1, 1, 1], positionsBohr: r, energyHartree: e - 2, standardErrorHartree: 0, forcesHartreePerBohr: f });
  }
  return out;
}

/** A model's file object without the training time stamp. */
function comparable(m: TrainedModel): unknown {
  const json = modelToJson(m) as { provenance: Record<string, unknown> };
  return { ...json, provenance: { ...json.provenance, trainedAt: null } };
}

const descriptor = defaultSymmetryFunctions([1], 7, 6);
const data = chains(24, 1);
const energiesOnly = data.map(({ forcesHartreePerBohr: _, ...e }) => e);
const jobs: TrainingJob[] = [
  { examples: data, options: { kind: 'nn', descriptor, hidden: [8, 8], epochs: 30, seed: 2 }, info: { rung: 'fci' } },
  { examples: energiesOnly.slice(0, 12), options: { kind: 'nn', descriptor, hidden: [6], epochs: 40, ensemble: 2, seed: 3 } },
  { examples: data, options: { kind: 'gp', descriptor, useForces: true, sparsePoints: 20 }, info: { rung: 'ccsd', basis: 'sto-3g' } },
  { examples: energiesOnly, options: { kind: 'gp', descriptor } },
];

test('models trained side by side in worker threads equal, bit for bit, the same fits in the calling thread', async () => {
  const parallel = await trainModels(jobs, 2);
  const serial = jobs.map((j) => trainModel(j.examples, j.options, j.info));
  assert.equal(parallel.length, jobs.length);
  const probe = chains(3, 9);
  for (let k = 0; k < jobs.length; k++) {
    assert.deepEqual(comparable(parallel[k]), comparable(serial[k]), `job ${k}`);
    assert.equal(parallel[k].potential.kind, jobs[k].options.kind);
    for (const s of probe) {
      const a = predictModel(parallel[k], s.atomicNumbers, s.positionsBohr, true);
      const b = predictModel(serial[k], s.atomicNumbers, s.positionsBohr, true);
      assert.equal(a.energyHartree, b.energyHartree);
      assert.deepEqual(Array.from(a.forcesHartreePerBohr!), Array.from(b.forcesHartreePerBohr!));
    }
  }
  // a budget of one trains in the calling thread, with the same result
  const one = await trainModels(jobs.slice(0, 1), 1);
  assert.deepEqual(comparable(one[0]), comparable(serial[0]));
});

test('an error of a fit in a worker reaches the caller, an InputError as an InputError', async () => {
  const bad: TrainingJob = { examples: energiesOnly, options: { kind: 'nn', descriptor, hidden: [4], epochs: 2, forceWeightBohr2: 1 } };
  await assert.rejects(trainModels([jobs[1], bad], 2), (e: unknown) => e instanceof InputError && /force training needs forces on every label/.test(e.message));
});
