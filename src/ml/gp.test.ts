import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { InputError, Random, solveLinearSystem } from '../core/index.js';
import { createMolecule } from '../chem/index.js';
import { runMethod } from '../methods/index.js';
import { defaultSymmetryFunctions } from './descriptors/acsf.js';
import { createDescriptor } from './descriptors/descriptor.js';
import { defaultSpinCorrelationSettings } from './descriptors/spin.js';
import { predictGp, trainGp } from './gp.js';
import type { TrainingExample } from './data.js';
import { loadModelFile, predictModel, saveModelFile, trainModel } from './model.js';

/** The STO-3G hydrogen atom (one electron: HF is exact), Szabo & Ostlund: −0.466582 Eh. */
const H_ATOM_STO3G_HARTREE = -0.466582;

test('GP with fixed per-element references: the given energies are kept, and far from the data the prediction reverts to the free atoms', async () => {
  const examples: TrainingExample[] = [];
  for (let k = 0; k < 8; k++) {
    const r = 1.2 + 0.05 * k;
    const m = createMolecule({ atomicNumbers: [1, 1], positionsBohr: [0, 0, 0, 0, 0, r] });
    examples.push({ atomicNumbers: m.atomicNumbers, positionsBohr: m.positionsBohr, energyHartree: (await runMethod(m, { method: 'fci', basis: 'sto-3g' })).energyHartree, standardErrorHartree: 0 });
  }
  const descriptor = defaultSymmetryFunctions([1], 6, 6);
  const fixed = trainGp(examples, { descriptor, referenceEnergiesHartree: { 1: H_ATOM_STO3G_HARTREE } });
  assert.deepEqual(Array.from(fixed.referenceEnergiesHartree), [H_ATOM_STO3G_HARTREE]);
  // two atoms 30 Bohr apart: no neighbour inside the cutoff, an environment unlike any H2 seen
  const apart = predictGp(fixed, [1, 1], [0, 0, 0, 0, 0, 30], false).energyHartree;
  assert.ok(Math.abs(apart - 2 * H_ATOM_STO3G_HARTREE) < 1e-6, `${apart}`);
  // the least-squares references put half an H2 on each atom instead
  const fitted = trainGp(examples, { descriptor });
  assert.ok(Math.abs(predictGp(fitted, [1, 1], [0, 0, 0, 0, 0, 30], false).energyHartree - 2 * H_ATOM_STO3G_HARTREE) > 0.05);
  // the training labels are still reproduced near the data
  const p = predictGp(fixed, [1, 1], [0, 0, 0, 0, 0, 1.4], false).energyHartree;
  assert.ok(Math.abs(p - examples[4].energyHartree) < 2e-3, `${p} vs ${examples[4].energyHartree}`);
  assert.throws(() => trainGp(examples, { descriptor, referenceEnergiesHartree: { 3: -7.3 } }), InputError);
});

/** A sum of Morse pairs (D = 0.17 Eh, a = 1 / Bohr, r0 = 1.4 Bohr): energy and analytic forces −∂E/∂R. */
function morse(positionsBohr: Float64Array): { energyHartree: number; forces: Float64Array } {
  const n = positionsBohr.length / 3;
  const forces = new Float64Array(3 * n);
  let energy = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = [0, 1, 2].map((c) => positionsBohr[3 * j + c] - positionsBohr[3 * i + c]);
      const r = Math.hypot(d[0], d[1], d[2]);
      const x = Math.exp(-(r - 1.4));
      energy += 0.17 * (1 - x) ** 2 - 0.17;
      const dVdr = 2 * 0.17 * (1 - x) * x;
      for (let c = 0; c < 3; c++) {
        forces[3 * j + c] -= (dVdr * d[c]) / r;
        forces[3 * i + c] += (dVdr * d[c]) / r;
      }
    }
  }
  return { energyHartree: energy, forces };
}

/** Seeded bent H4 chains (bonds 1.2–2.4 Bohr) labelled with the Morse sum, energies and forces. */
function morseChains(count: number, seed: number): TrainingExample[] {
  const rnd = new Random(seed);
  const out: TrainingExample[] = [];
  for (let k = 0; k < count; k++) {
    const r = new Float64Array(12);
    for (let a = 1; a < 4; a++) {
      const bond = rnd.uniform(1.2, 2.4);
      const theta = rnd.uniform(-1, 1);
      r[3 * a] = r[3 * a - 3] + bond * Math.cos(theta);
      r[3 * a + 1] = r[3 * a - 2] + bond * Math.sin(theta);
      r[3 * a + 2] = r[3 * a - 1] + rnd.uniform(-0.3, 0.3);
    }
    const { energyHartree, forces } = morse(r);
    out.push({ atomicNumbers: [1, 1, 1, 1], positionsBohr: r, energyHartree, standardErrorHartree: 0, forcesHartreePerBohr: forces });
  }
  return out;
}

test('GP on energies and forces: the weights equal a dense solve whose force rows are central differences of the energy rows', () => {
  const examples = morseChains(5, 1);
  const descriptor = defaultSymmetryFunctions([1], 6, 5);
  const floor = 1e-3;
  const forceFloor = 2e-3;
  const model = trainGp(examples, {
    descriptor,
    useForces: true,
    sparsePoints: 100,
    lengthScales: [1],
    signalScales: [1],
    noiseFloorsHartree: [floor],
    forceNoiseFloorsHartreePerBohr: [forceFloor],
    referenceEnergiesHartree: { 1: 0 },
  });
  assert.equal(model.forceNoiseFloorHartreePerBohr, forceFloor);
  const M = model.alpha.length;
  assert.equal(M, 20);
  const d = createDescriptor(model.descriptor);
  const L = d.length;
  const g = 1 / (2 * model.lengthScale ** 2 * L);
  const s2 = model.signalVariance;
  // energy row of a structure: φ_m = s² Σ_i exp(−g |x̃_i − x̃_m|²)
  const row = (r: Float64Array): Float64Array => {
    const x = d.compute([1, 1, 1, 1], r, false).values;
    const phi = new Float64Array(M);
    for (let i = 0; i < 4; i++) {
      for (let m = 0; m < M; m++) {
        let q = 0;
        for (let f = 0; f < L; f++) {
          const t = (x[i * L + f] - model.standardisation.mean[f]) / model.standardisation.scale[f] - model.sparseFeatures[m * L + f];
          q += t * t;
        }
        phi[m] += s2 * Math.exp(-g * q);
      }
    }
    return phi;
  };
  const rows: { phi: Float64Array; y: number; w: number }[] = [];
  const h = 1e-5;
  for (const ex of examples) {
    const r0 = Float64Array.from(ex.positionsBohr);
    rows.push({ phi: row(r0), y: ex.energyHartree, w: 1 / floor ** 2 });
    for (let k = 0; k < 12; k++) {
      const rp = Float64Array.from(r0);
      const rm = Float64Array.from(r0);
      rp[k] += h;
      rm[k] -= h;
      const pp = row(rp);
      const pm = row(rm);
      rows.push({ phi: pp.map((v, m) => -(v - pm[m]) / (2 * h)), y: ex.forcesHartreePerBohr![k], w: 1 / forceFloor ** 2 });
    }
  }
  const A = new Float64Array(M * M);
  const rhs = new Float64Array(M);
  for (let p = 0; p < M; p++) {
    for (let q = 0; q < M; q++) {
      let dd = 0;
      for (let f = 0; f < L; f++) dd += (model.sparseFeatures[p * L + f] - model.sparseFeatures[q * L + f]) ** 2;
      A[p * M + q] = s2 * Math.exp(-g * dd) + (p === q ? 1e-8 * s2 : 0);
    }
  }
  for (const { phi, y, w } of rows) {
    for (let p = 0; p < M; p++) {
      rhs[p] += w * phi[p] * y;
      for (let q = 0; q < M; q++) A[p * M + q] += w * phi[p] * phi[q];
    }
  }
  const alpha = solveLinearSystem(A, rhs, M)!;
  let scale = 0;
  for (const v of alpha) scale = Math.max(scale, Math.abs(v));
  for (let m = 0; m < M; m++) assert.ok(Math.abs(model.alpha[m] - alpha[m]) <= 1e-5 * scale, `α[${m}] ${model.alpha[m]} vs ${alpha[m]}`);
});

test('GP on energies and forces: held-out Morse-chain energies improve over energies alone at the same number of structures', () => {
  const train = morseChains(12, 2);
  const held = morseChains(30, 3);
  const descriptor = defaultSymmetryFunctions([1], 6, 6);
  const mae = (useForces: boolean): number => {
    const model = trainGp(train, { descriptor, useForces, referenceEnergiesHartree: { 1: 0 }, noiseFloorsHartree: [1e-5, 1e-4, 1e-3] });
    return held.reduce((s, ex) => s + Math.abs(predictGp(model, ex.atomicNumbers, ex.positionsBohr, false).energyHartree - ex.energyHartree), 0) / held.length;
  };
  const withForces = mae(true);
  const energiesOnly = mae(false);
  assert.ok(withForces < 0.7 * energiesOnly, `with forces ${withForces}, energies only ${energiesOnly}`);
});

test('GP on the spin-correlation descriptor, trained on energies and forces: its forces equal central differences of its energies, and its file round-trips', () => {
  const distancesBohr: number[] = [];
  for (let r = 0.8; r <= 14.0001; r += 0.1) distancesBohr.push(r);
  const curves = {
    distancesBohr,
    singletHartree: distancesBohr.map((r) => -1 - 0.17 * Math.exp(-(r - 1.4)) * (2 - Math.exp(-(r - 1.4)))),
    tripletHartree: distancesBohr.map((r) => -1 + 0.3 * Math.exp(-1.2 * (r - 1))),
  };
  const model = trainGp(morseChains(30, 5), { descriptor: defaultSpinCorrelationSettings(curves, 6), sparsePoints: 60, useForces: true });
  assert.equal(model.descriptor.kind, 'spin-correlation');
  // a held-out bent H5 (odd: an unpaired spin) and H6
  for (const n of [5, 6]) {
    const r = new Float64Array(3 * n);
    for (let a = 1; a < n; a++) {
      r[3 * a] = r[3 * a - 3] + 1.5 + 0.2 * Math.sin(a);
      r[3 * a + 1] = r[3 * a - 2] + 0.4 * Math.cos(2 * a);
      r[3 * a + 2] = 0.1 * a;
    }
    const z = new Array<number>(n).fill(1);
    const f = predictGp(model, z, r, true).forcesHartreePerBohr!;
    const h = 1e-5;
    let fmax = 0;
    for (const v of f) fmax = Math.max(fmax, Math.abs(v));
    for (let k = 0; k < 3 * n; k++) {
      const p = Float64Array.from(r);
      const m = Float64Array.from(r);
      p[k] += h;
      m[k] -= h;
      const fd = -(predictGp(model, z, p, false).energyHartree - predictGp(model, z, m, false).energyHartree) / (2 * h);
      assert.ok(Math.abs(fd - f[k]) <= 1e-6 * fmax, `H${n} component ${k}: ${f[k]} vs ${fd}`);
    }
  }
  assert.throws(() => predictGp(model, [1, 8], [0, 0, 0, 0, 0, 2], false), /O \(atom 2\)/);
  // the model file keeps the descriptor's tables and weights: the same energies and forces to 1e-10
  const dir = mkdtempSync(join(tmpdir(), 'qde-spin-'));
  try {
    const trained = trainModel(morseChains(12, 6), { kind: 'gp', descriptor: defaultSpinCorrelationSettings(curves, 6), sparsePoints: 30 }, { rung: 'fci' });
    saveModelFile(join(dir, 'spin.model.json'), trained);
    const back = loadModelFile(join(dir, 'spin.model.json'));
    const r = [0, 0, 0, 1.5, 0.3, 0, 3.1, 0, 0.2, 4.4, 0.5, 0.1, 6.0, 0.2, 0];
    const a = predictModel(trained, [1, 1, 1, 1, 1], r, true);
    const b = predictModel(back, [1, 1, 1, 1, 1], r, true);
    assert.ok(Math.abs(a.energyHartree - b.energyHartree) <= 1e-10);
    for (let k = 0; k < r.length; k++) assert.ok(Math.abs(a.forcesHartreePerBohr![k] - b.forcesHartreePerBohr![k]) <= 1e-10);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
