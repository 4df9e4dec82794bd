import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/index.js';
import type { Activation } from './autodiff.js';
import { defaultSymmetryFunctions } from './descriptors/acsf.js';
import { createDescriptor } from './descriptors/descriptor.js';
import { computeEnvironments, fitStandardisation } from './environments.js';
import { type NetworkShape, type NnModel, batchLoss, batchLossTape, initialParameters, predictNn, prepareStructure, trainNn } from './nn.js';
import { type SpinPairBaselineSettings } from './baseline.js';
import { createBaseline } from './baselines.js';
import { type TrainedModel, modelFromJson, modelToJson, predictModel } from './model.js';

const trainedModelOf = (potential: NnModel): TrainedModel => ({
  potential,
  provenance: { rung: 'fci', deltaFrom: null, lowRungSpec: null, basis: null, labelCount: 0, labelKeysSha256: null, qdeVersion: 'test', trainedAt: '', training: null },
});

/** Random structures of H, Li and O atoms (positions in a 5 Bohr box, atoms at least 1.3 Bohr apart). */
function structures(seed: number, count: number): { atomicNumbers: number[]; positionsBohr: Float64Array }[] {
  const rnd = new Random(seed);
  const out = [];
  for (let s = 0; s < count; s++) {
    const z = s % 2 === 0 ? [8, 1, 1, 3] : [1, 1, 3];
    const r = new Float64Array(3 * z.length);
    for (let a = 0; a < z.length; a++) {
      for (;;) {
        for (let c = 0; c < 3; c++) r[3 * a + c] = rnd.uniform(-2.5, 2.5);
        let ok = true;
        for (let b = 0; b < a; b++) if (Math.hypot(r[3 * a] - r[3 * b], r[3 * a + 1] - r[3 * b + 1], r[3 * a + 2] - r[3 * b + 2]) < 1.3) ok = false;
        if (ok) break;
      }
    }
    out.push({ atomicNumbers: z, positionsBohr: r });
  }
  return out;
}

const ELEMENTS = [1, 3, 8];
const SETTINGS = defaultSymmetryFunctions(ELEMENTS, 6, 4);

for (const activation of ['tanh', 'softplus'] as Activation[]) {
  test(`${activation}: parameter gradients of the energy + force loss equal finite differences to 1e-6 relative`, () => {
    const d = createDescriptor(SETTINGS);
    const raw = structures(3, 3);
    const st = fitStandardisation(computeEnvironments(d, raw), ELEMENTS.length);
    const prepared = raw.map((s) => prepareStructure(SETTINGS, ELEMENTS, st, s.atomicNumbers, s.positionsBohr, true));
    const shape: NetworkShape = { inputs: d.length, hidden: [5, 4], activation };
    const rnd = new Random(5);
    const params = initialParameters(shape, ELEMENTS.length, rnd);
    // biases away from zero so that every parameter matters
    for (let p = 0; p < params.length; p++) params[p] += 0.3 * rnd.normal();
    const atoms = raw.reduce((n, s) => n + s.atomicNumbers.length, 0);
    const targets = {
      energy: Float64Array.from(raw, () => rnd.normal()),
      energyWeight: Float64Array.from(raw, () => rnd.uniform(0.5, 1.5)),
      force: Float64Array.from({ length: 3 * atoms }, () => rnd.normal()),
      forceWeight: Float64Array.from({ length: 3 * atoms }, () => rnd.uniform(0.5, 1.5)),
    };
    const grads = new Float64Array(params.length);
    batchLoss(shape, ELEMENTS.length, params, grads, prepared, st.scale, targets);
    let gmax = 0;
    for (const g of grads) gmax = Math.max(gmax, Math.abs(g));
    const h = 1e-5;
    let worst = 0;
    let nonzero = 0;
    for (let p = 0; p < params.length; p++) {
      const keep = params[p];
      params[p] = keep + h;
      const lp = batchLoss(shape, ELEMENTS.length, params, undefined, prepared, st.scale, targets);
      params[p] = keep - h;
      const lm = batchLoss(shape, ELEMENTS.length, params, undefined, prepared, st.scale, targets);
      params[p] = keep;
      const fd = (lp - lm) / (2 * h);
      if (Math.abs(fd) > 1e-8) nonzero++;
      worst = Math.max(worst, Math.abs(fd - grads[p]) / Math.max(Math.abs(fd), 1e-4 * gmax));
    }
    assert.ok(nonzero > params.length / 2, `${nonzero} of ${params.length} parameters matter`);
    assert.ok(worst < 1e-6, `worst relative deviation ${worst}`);
    // the force term contributes: without it the gradient differs
    const energyOnly = new Float64Array(params.length);
    batchLoss(shape, ELEMENTS.length, params, energyOnly, prepared, st.scale, { energy: targets.energy, energyWeight: targets.energyWeight });
    assert.ok(energyOnly.some((g, k) => Math.abs(g - grads[k]) > 1e-3 * gmax));
  });

  test(`${activation}: model forces equal minus finite differences of model energies to 1e-6 relative`, () => {
    const d = createDescriptor(SETTINGS);
    const raw = structures(9, 4);
    const st = fitStandardisation(computeEnvironments(d, raw), ELEMENTS.length);
    const rnd = new Random(2);
    const shape: NetworkShape = { inputs: d.length, hidden: [6, 5], activation };
    const model: NnModel = {
      kind: 'nn',
      descriptor: SETTINGS,
      elements: ELEMENTS,
      // zero references: large constants would only add round-off to the finite differences
      referenceEnergiesHartree: new Float64Array(3),
      standardisation: st,
      hidden: [6, 5],
      activation,
      energyScaleHartree: 0.01,
      members: [initialParameters(shape, 3, rnd), initialParameters(shape, 3, rnd)].map((p) => p.map((v) => v * 3 + 0.1)),
    };
    const s = raw[0];
    const pred = predictNn(model, s.atomicNumbers, s.positionsBohr, true);
    assert.ok(pred.uncertaintyHartree! > 0);
    // one network cannot tell how sure it is: no uncertainty rather than a zero
    assert.equal(predictNn({ ...model, members: [model.members[0]] }, s.atomicNumbers, s.positionsBohr, false).uncertaintyHartree, null);
    const h = 1e-5;
    let fmax = 0;
    for (const f of pred.forcesHartreePerBohr!) fmax = Math.max(fmax, Math.abs(f));
    for (let k = 0; k < s.positionsBohr.length; k++) {
      const rp = Float64Array.from(s.positionsBohr);
      const rm = Float64Array.from(s.positionsBohr);
      rp[k] += h;
      rm[k] -= h;
      const fd = -(predictNn(model, s.atomicNumbers, rp, false).energyHartree - predictNn(model, s.atomicNumbers, rm, false).energyHartree) / (2 * h);
      const an = pred.forcesHartreePerBohr![k];
      assert.ok(Math.abs(fd - an) <= 1e-6 * Math.max(Math.abs(fd), 1e-3 * fmax), `component ${k}: ${an} vs ${fd}`);
    }
  });
}

test('training on energies and forces of a pair potential reaches it; the ensemble spread is finite', () => {
  // Morse-like pair energies with analytic forces: an independent target
  const raw = structures(21, 40).map((s) => ({ atomicNumbers: s.atomicNumbers.map(() => 1), positionsBohr: s.positionsBohr }));
  const examples = raw.map((s) => {
    const n = s.atomicNumbers.length;
    let e = 0;
    const f = new Float64Array(3 * n);
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const dx = [0, 1, 2].map((c) => s.positionsBohr[3 * b + c] - s.positionsBohr[3 * a + c]);
        const r = Math.hypot(...dx);
        const x = Math.exp(-(r - 1.4));
        e += 0.1 * (x * x - 2 * x);
        const dEdr = 0.1 * (-2 * x * x + 2 * x);
        for (let c = 0; c < 3; c++) {
          f[3 * b + c] -= (dEdr * dx[c]) / r;
          f[3 * a + c] += (dEdr * dx[c]) / r;
        }
      }
    }
    return { ...s, energyHartree: e, standardErrorHartree: 0, forcesHartreePerBohr: f };
  });
  const model = trainNn(examples.slice(0, 30), {
    descriptor: defaultSymmetryFunctions([1], 6, 6),
    hidden: [12],
    epochs: 150,
    batchSize: 10,
    ensemble: 2,
    seed: 1,
  });
  let mae = 0;
  let spread = 0;
  let meanAbsDev = 0;
  const test = examples.slice(30);
  const mean = test.reduce((s, e) => s + e.energyHartree, 0) / test.length;
  for (const e of test) {
    const p = predictNn(model, e.atomicNumbers, e.positionsBohr, false);
    mae += Math.abs(p.energyHartree - e.energyHartree) / test.length;
    spread += p.uncertaintyHartree! / test.length;
    meanAbsDev += Math.abs(e.energyHartree - mean) / test.length;
  }
  assert.ok(mae < 0.3 * meanAbsDev, `MAE ${mae} vs spread of the data ${meanAbsDev}`);
  assert.ok(spread > 0 && Number.isFinite(spread));
});

test('the fused passes give the loss and parameter gradients of the tape (1e-12 relative) for 0 to 3 hidden layers and both activations', () => {
  const d = createDescriptor(SETTINGS);
  const raw = structures(31, 5);
  const st = fitStandardisation(computeEnvironments(d, raw), ELEMENTS.length);
  const prepared = raw.map((s) => prepareStructure(SETTINGS, ELEMENTS, st, s.atomicNumbers, s.positionsBohr, true));
  const atoms = raw.reduce((n, s) => n + s.atomicNumbers.length, 0);
  const rnd = new Random(8);
  const targets = {
    energy: Float64Array.from(raw, () => rnd.normal()),
    energyWeight: Float64Array.from(raw, () => rnd.uniform(0.5, 1.5)),
    force: Float64Array.from({ length: 3 * atoms }, () => rnd.normal()),
    forceWeight: Float64Array.from({ length: 3 * atoms }, () => rnd.uniform(0.5, 1.5)),
  };
  for (const activation of ['tanh', 'softplus'] as Activation[]) {
    for (const hidden of [[], [7], [6, 5], [4, 6, 3]]) {
      const shape: NetworkShape = { inputs: d.length, hidden, activation };
      const params = initialParameters(shape, ELEMENTS.length, rnd);
      for (let p = 0; p < params.length; p++) params[p] += 0.2 * rnd.normal();
      for (const withForces of [true, false]) {
        const t = withForces ? targets : { energy: targets.energy, energyWeight: targets.energyWeight };
        const gTape = new Float64Array(params.length);
        const gFused = new Float64Array(params.length).fill(0.25);
        const lTape = batchLossTape(shape, ELEMENTS.length, params, gTape, prepared, st.scale, t);
        const lFused = batchLoss(shape, ELEMENTS.length, params, gFused, prepared, st.scale, t);
        const label = `${activation} [${hidden.join(',')}] forces ${withForces}`;
        assert.ok(Math.abs(lFused - lTape) <= 1e-12 * Math.abs(lTape), `${label}: loss ${lFused} vs ${lTape}`);
        let gmax = 0;
        for (const g of gTape) gmax = Math.max(gmax, Math.abs(g));
        assert.ok(gmax > 0);
        // fused gradients accumulate (started at 0.25)
        gTape.forEach((g, k) => assert.ok(Math.abs(gFused[k] - 0.25 - g) <= 1e-12 * gmax, `${label}: parameter ${k}: ${gFused[k] - 0.25} vs ${g}`));
      }
    }
  }
});

test('over a spin-pair baseline the networks learn E − E₀ and F − F₀ and predictions add E₀ back; forces equal differences; the model file keeps it', () => {
  // model H₂ curves (singlet Morse-like, triplet repulsive), tabulated 0.8–14 Bohr
  const distancesBohr: number[] = [];
  for (let r = 0.8; r <= 14.0001; r += 0.05) distancesBohr.push(r);
  const baseline: SpinPairBaselineSettings = {
    kind: 'spin-pair',
    element: 1,
    atomEnergyHartree: -0.25,
    distancesBohr,
    singletHartree: distancesBohr.map((r) => -0.5 - 0.2 * Math.exp(-(r - 1.4)) * (2 - Math.exp(-(r - 1.4)))),
    tripletHartree: distancesBohr.map((r) => -0.5 + 0.3 * Math.exp(-1.2 * (r - 1))),
  };
  const b = createBaseline(baseline);
  // labels: the baseline plus a smooth three-body term, with its forces by central differences of the whole
  const extra = (p: ArrayLike<number>): number => {
    let e = 0;
    for (let a = 0; a + 2 < p.length / 3; a++) e += 0.01 * Math.exp(-0.2 * Math.hypot(p[3 * a] - p[3 * a + 6], p[3 * a + 1] - p[3 * a + 7], p[3 * a + 2] - p[3 * a + 8]));
    return e;
  };
  const total = (p: ArrayLike<number>): number => b.evaluate([1, 1, 1, 1], p, false).energyHartree + extra(p);
  // four-atom structures (every other one of the generator), as hydrogen
  const examples = structures(23, 24).filter((s) => s.atomicNumbers.length === 4).map((s) => {
    const p = Float64Array.from(s.positionsBohr);
    const f = new Float64Array(12);
    for (let k = 0; k < 12; k++) {
      const pp = Float64Array.from(p);
      const pm = Float64Array.from(p);
      pp[k] += 1e-4;
      pm[k] -= 1e-4;
      f[k] = -(total(pp) - total(pm)) / 2e-4;
    }
    return { atomicNumbers: [1, 1, 1, 1], positionsBohr: p, energyHartree: total(p), standardErrorHartree: 0, forcesHartreePerBohr: f };
  });
  const options = { descriptor: defaultSymmetryFunctions([1], 6, 6), hidden: [8], epochs: 20, batchSize: 4, seed: 2 };
  const over = trainNn(examples, { ...options, baseline });
  // the same networks trained on the remainder the test computes itself
  const remainder = examples.map((ex) => {
    const e0 = b.evaluate(ex.atomicNumbers, ex.positionsBohr, true);
    return { ...ex, energyHartree: ex.energyHartree - e0.energyHartree, forcesHartreePerBohr: ex.forcesHartreePerBohr.map((x, k) => x - e0.forcesHartreePerBohr![k]) };
  });
  const plain = trainNn(remainder, options);
  assert.deepEqual(over.baseline, baseline);
  for (let m = 0; m < over.members.length; m++) assert.deepEqual(Array.from(over.members[m]), Array.from(plain.members[m]));
  const probe = examples[0];
  const withBase = predictNn(over, probe.atomicNumbers, probe.positionsBohr, true);
  const alone = predictNn(plain, probe.atomicNumbers, probe.positionsBohr, true);
  const e0 = b.evaluate(probe.atomicNumbers, probe.positionsBohr, true);
  assert.ok(Math.abs(withBase.energyHartree - alone.energyHartree - e0.energyHartree) < 1e-12);
  for (let k = 0; k < 12; k++) assert.ok(Math.abs(withBase.forcesHartreePerBohr![k] - alone.forcesHartreePerBohr![k] - e0.forcesHartreePerBohr![k]) < 1e-12);
  // forces of the whole model equal central differences of its energies
  const h = 1e-4;
  for (let k = 0; k < 12; k++) {
    const pp = Float64Array.from(probe.positionsBohr);
    const pm = Float64Array.from(probe.positionsBohr);
    pp[k] += h;
    pm[k] -= h;
    const fd = -(predictNn(over, probe.atomicNumbers, pp, false).energyHartree - predictNn(over, probe.atomicNumbers, pm, false).energyHartree) / (2 * h);
    assert.ok(Math.abs(fd - withBase.forcesHartreePerBohr![k]) <= 1e-6 * Math.max(Math.abs(fd), 1e-3), `component ${k}`);
  }
  // the model file carries the baseline: the same energy after a round trip
  const back = modelFromJson(JSON.parse(JSON.stringify(modelToJson(trainedModelOf(over)))));
  assert.equal(predictModel(back, probe.atomicNumbers, probe.positionsBohr, false).energyHartree, withBase.energyHartree);
});
