import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HARTREE_IN_KCAL_PER_MOL, InputError } from '../core/index.js';
import { createMolecule } from '../chem/index.js';
import type { DatasetRecord } from '../dataset/index.js';
import { runMethod } from '../methods/index.js';
import { defaultSymmetryFunctions } from './descriptors/acsf.js';
import { defaultSoapSettings } from './descriptors/soap.js';
import { errorMetrics } from './metrics.js';
import { deltaExamples, loadModelFile, predictModel, saveModelFile, trainModel } from './model.js';

/** LiH and H2 bond scans (slightly bent off the axis), with HF and FCI / STO-3G labels from the method layer. */
async function scan(): Promise<{ hf: DatasetRecord[]; fci: DatasetRecord[] }> {
  const hf: DatasetRecord[] = [];
  const fci: DatasetRecord[] = [];
  for (let k = 0; k < 60; k++) {
    const lih = k % 2 === 0;
    const r = lih ? 1.2 + (k / 60) * 1.8 : 0.55 + (k / 60) * 1.2;
    const m = createMolecule({ symbols: lih ? ['Li', 'H'] : ['H', 'H'], positionsAngstrom: [0, 0, 0, 0.1 * Math.sin(k), 0, r] });
    for (const [method, out] of [['hf', hf], ['fci', fci]] as const) {
      const res = await runMethod(m, { method, basis: 'sto-3g' });
      out.push({
        key: `${method}-${k}`,
        geometryKey: `g${k}`,
        atomicNumbers: Array.from(m.atomicNumbers),
        positionsBohr: Array.from(m.positionsBohr),
        charge: 0,
        multiplicity: 1,
        rung: method,
        method: { method, basis: 'sto-3g' },
        basis: 'sto-3g',
        energyHartree: res.energyHartree,
        standardErrorHartree: 0,
        forcesHartreePerBohr: null,
        dipoleAu: null,
        provenance: {},
      });
    }
  }
  return { hf, fci };
}

const data = scan();
const isTest = (_: unknown, k: number): boolean => k % 3 === 1;
const isTrain = (_: unknown, k: number): boolean => k % 3 !== 1;

test('GP on a LiH/H2 FCI scan: in-distribution MAE ≤ 0.5 kcal/mol from 40 labels, with forces = −dE/dR', async () => {
  const { fci } = await data;
  const examples = fci.map((r) => ({ ...r }));
  const model = trainModel(examples.filter(isTrain), { kind: 'gp', descriptor: defaultSymmetryFunctions([1, 3], 8, 12) }, { rung: 'fci', basis: 'sto-3g' });
  const test = examples.filter(isTest);
  const pred = test.map((e) => predictModel(model, e.atomicNumbers, e.positionsBohr, false));
  const m = errorMetrics(pred.map((p) => p.energyHartree), test.map((e) => e.energyHartree), test.map((e) => e.atomicNumbers.length));
  assert.ok(m.maeKcalPerMol <= 0.5, `MAE ${m.maeKcalPerMol} kcal/mol`);
  assert.equal(m.count, 20);
  assert.ok(Math.abs(m.maeKcalPerMol - m.maeHartree * HARTREE_IN_KCAL_PER_MOL) < 1e-12);
  assert.ok(pred.every((p) => p.uncertaintyHartree! > 0 && p.uncertaintyHartree! < 0.05));
  // forces against central differences of the model's own energy
  const s = test[3];
  const f = predictModel(model, s.atomicNumbers, s.positionsBohr, true).forcesHartreePerBohr!;
  const h = 1e-5;
  let fmax = 0;
  for (const v of f) fmax = Math.max(fmax, Math.abs(v));
  for (let k = 0; k < 6; k++) {
    const rp = Float64Array.from(s.positionsBohr);
    const rm = Float64Array.from(s.positionsBohr);
    rp[k] += h;
    rm[k] -= h;
    const fd = -(predictModel(model, s.atomicNumbers, rp, false).energyHartree - predictModel(model, s.atomicNumbers, rm, false).energyHartree) / (2 * h);
    // the total energy (~ −8 Eh) limits central differences to ~1e-10 absolute
    assert.ok(Math.abs(fd - f[k]) <= 1e-6 * Math.max(Math.abs(fd), 1e-2 * fmax) + 1e-9, `component ${k}: ${f[k]} vs ${fd}`);
  }
});

test('Δ-learning FCI − HF: predicting HF + Δ beats learning FCI directly on the same small training set', async () => {
  const { hf, fci } = await data;
  const trainDelta = deltaExamples(fci.filter(isTrain).slice(0, 12), hf.filter(isTrain));
  assert.equal(trainDelta.length, 12);
  assert.ok(Math.abs(trainDelta[0].energyHartree - (fci[0].energyHartree - hf[0].energyHartree)) < 1e-15);
  const descriptor = defaultSoapSettings([1, 3], 8, 5, 2);
  const delta = trainModel(trainDelta, { kind: 'gp', descriptor }, { rung: 'fci', deltaFrom: 'hf', lowRungSpec: { method: 'hf', basis: 'sto-3g' } });
  const direct = trainModel(fci.filter(isTrain).slice(0, 12), { kind: 'gp', descriptor }, { rung: 'fci' });
  const testHigh = fci.filter(isTest);
  const testLow = hf.filter(isTest);
  const viaDelta = testHigh.map((e, k) => testLow[k].energyHartree + predictModel(delta, e.atomicNumbers, e.positionsBohr, false).energyHartree);
  const viaDirect = testHigh.map((e) => predictModel(direct, e.atomicNumbers, e.positionsBohr, false).energyHartree);
  const atoms = testHigh.map(() => 2);
  const md = errorMetrics(viaDelta, testHigh.map((e) => e.energyHartree), atoms);
  const mf = errorMetrics(viaDirect, testHigh.map((e) => e.energyHartree), atoms);
  assert.ok(md.maeHartree < mf.maeHartree, `Δ ${md.maeHartree} vs direct ${mf.maeHartree}`);
  assert.equal(delta.provenance.deltaFrom, 'hf');
});

test('model files round-trip (GP and network ensemble) to 1e-10, and an unseen element is refused', async () => {
  const { fci } = await data;
  const dir = mkdtempSync(join(tmpdir(), 'qde-ml-'));
  try {
    const train = fci.filter(isTrain);
    const models = [
      trainModel(train, { kind: 'gp', descriptor: defaultSymmetryFunctions([1, 3], 8, 6), sparsePoints: 30 }, { rung: 'fci' }),
      trainModel(train, { kind: 'nn', descriptor: defaultSymmetryFunctions([1, 3], 8, 6), hidden: [8], epochs: 5, ensemble: 2, seed: 3 }, { rung: 'fci' }),
    ];
    for (const model of models) {
      const path = join(dir, `${model.potential.kind}.model.json`);
      saveModelFile(path, model);
      const back = loadModelFile(path);
      assert.equal(back.provenance.labelCount, 40);
      assert.match(back.provenance.labelKeysSha256 ?? '', /^[0-9a-f]{64}$/);
      for (const e of fci.filter(isTest).slice(0, 6)) {
        const a = predictModel(model, e.atomicNumbers, e.positionsBohr, true);
        const b = predictModel(back, e.atomicNumbers, e.positionsBohr, true);
        assert.ok(Math.abs(a.energyHartree - b.energyHartree) <= 1e-10);
        assert.equal(a.uncertaintyHartree === null, b.uncertaintyHartree === null);
        assert.ok(Math.abs((a.uncertaintyHartree ?? 0) - (b.uncertaintyHartree ?? 0)) <= 1e-10);
        for (let k = 0; k < 6; k++) assert.ok(Math.abs(a.forcesHartreePerBohr![k] - b.forcesHartreePerBohr![k]) <= 1e-10);
      }
      assert.throws(
        () => predictModel(back, [3, 8], [0, 0, 0, 0, 0, 3], false),
        (e: unknown) => e instanceof InputError && /trained on H, Li only .* O \(atom 2\)/.test(e.message),
      );
    }
    const hOnly = trainModel(train.filter((r) => r.atomicNumbers[0] === 1), { kind: 'gp', descriptor: defaultSymmetryFunctions([1], 8, 6) });
    assert.throws(() => predictModel(hOnly, [3, 1], [0, 0, 0, 0, 0, 3], false), /cannot predict Li \(atom 1\)/);
    assert.throws(() => loadModelFile(join(dir, 'missing.json')), InputError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
