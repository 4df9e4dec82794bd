import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ANGSTROM_IN_BOHR, InputError } from '../../core/index.js';
import { type Molecule, createMolecule, hydrogenChains } from '../../chem/index.js';
import { runMethod } from '../../methods/index.js';
import { QUANTITY_BITS, computeLabel } from '../../dataset/index.js';
import { type BaselineSettings, type TrainedModel, type TrainingExample, defaultSymmetryFunctions, loadModelFile, predictModel, trainModel } from '../../ml/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GENERALISE_BASELINE_DISTANCES_BOHR,
  GENERALISE_CUTOFF_BOHR,
  GENERALISE_FORCE_FIT_FLOORS,
  UNCERTAINTY_POOL_PARENTS,
  generaliseModelOptions,
  runGeneraliseExperiment,
  testChains,
  trainingFragments,
  uncertaintyFragments,
  windowFciEnergy,
} from './generalise.js';

const bondsAngstrom = (m: Molecule): number[] => {
  const p = m.positionsBohr;
  const out: number[] = [];
  for (let a = 1; a < m.atomicNumbers.length; a++) {
    out.push(Math.hypot(p[3 * a] - p[3 * a - 3], p[3 * a + 1] - p[3 * a - 2], p[3 * a + 2] - p[3 * a - 1]) / ANGSTROM_IN_BOHR);
  }
  return out;
};

test('training fragments: alternately H4 and H6, neutral singlets, bonds of the parent range (0.8–2.0 Å), same seed same bytes', () => {
  const frags = trainingFragments(9, 3);
  assert.deepEqual(
    frags.map((m) => m.atomicNumbers.length),
    [4, 6, 4, 6, 4, 6, 4, 6, 4],
  );
  for (const m of frags) {
    assert.ok(Array.from(m.atomicNumbers).every((z) => z === 1));
    assert.equal(m.charge, 0);
    assert.equal(m.multiplicity, 1);
    for (const b of bondsAngstrom(m)) assert.ok(b >= 0.8 - 1e-12 && b <= 2.0 + 1e-12, `bond ${b} Å`);
  }
  const again = trainingFragments(9, 3);
  frags.forEach((m, k) => assert.deepEqual(Array.from(m.positionsBohr), Array.from(again[k].positionsBohr)));
  const other = trainingFragments(9, 4);
  assert.notDeepEqual(Array.from(frags[0].positionsBohr), Array.from(other[0].positionsBohr));
  // the H4 and H6 cut from one parent chain have the same bond lengths where their atom ranges
  // (read from the titles) overlap
  const range = (m: Molecule): [number, number] => {
    const hit = /atoms (\d+)–(\d+) of parent chain (\d+)/.exec(m.title ?? '');
    assert.ok(hit, m.title);
    return [Number(hit[1]), Number(hit[2])];
  };
  const many = trainingFragments(40, 5);
  let compared = 0;
  for (let k = 0; k + 1 < many.length; k += 2) {
    const [a0, a1] = range(many[k]);
    const [b0, b1] = range(many[k + 1]);
    for (let atom = Math.max(a0, b0); atom < Math.min(a1, b1); atom++) {
      assert.ok(Math.abs(bondsAngstrom(many[k])[atom - a0] - bondsAngstrom(many[k + 1])[atom - b0]) < 1e-12);
      compared++;
    }
  }
  assert.ok(compared > 0);
  assert.throws(() => trainingFragments(0, 1), InputError);
});

test('test chains: the requested sizes and counts, bonds 0.8–2.0 Å', () => {
  const chains = testChains([8, 10], [2, 3], 0);
  assert.deepEqual(
    chains.map((m) => m.atomicNumbers.length),
    [8, 8, 10, 10, 10],
  );
  for (const m of chains) for (const b of bondsAngstrom(m)) assert.ok(b >= 0.8 - 1e-12 && b <= 2.0 + 1e-12, `bond ${b} Å`);
});

test('generalise: test sizes and counts of different lengths are an InputError', async () => {
  await assert.rejects(runGeneraliseExperiment({ testSizes: [8, 10], testCounts: [1] }), InputError);
});

test('FCI on 6-atom windows: exact for H6 (one window) and for two far-apart H4 chains (FCI is size-consistent); null for odd or short chains', async () => {
  const fci = async (m: Molecule): Promise<number> => (await runMethod(m, { method: 'fci', basis: 'sto-3g' })).energyHartree;
  const h6 = testChains([6], [1], 3)[0];
  assert.ok(Math.abs((await windowFciEnergy(h6))! - (await fci(h6))) < 1e-10);
  const [a, b] = testChains([4, 4], [1, 1], 11);
  const far = Float64Array.from(b.positionsBohr);
  for (let i = 0; i < 4; i++) far[3 * i] += 60; // 60 Bohr away along x
  const pair = createMolecule({ atomicNumbers: new Array<number>(8).fill(1), positionsBohr: [...a.positionsBohr, ...far] });
  const exact = (await fci(a)) + (await fci(createMolecule({ atomicNumbers: [1, 1, 1, 1], positionsBohr: far })));
  assert.ok(Math.abs((await windowFciEnergy(pair))! - exact) < 1e-8);
  assert.equal(await windowFciEnergy(testChains([7], [1], 0)[0]), null);
  assert.equal(await windowFciEnergy(testChains([4], [1], 0)[0]), null);
});

test('baseline H2 table: increasing distances from 0.8 Bohr, ending where the FCI singlet and the triplet both equal two free atoms (STO-3G H: −0.466582 Eh, Szabo & Ostlund)', async () => {
  const r = GENERALISE_BASELINE_DISTANCES_BOHR;
  assert.equal(r[0], 0.8);
  for (let k = 1; k < r.length; k++) assert.ok(r[k] > r[k - 1]);
  const last = r[r.length - 1];
  const singlet = (await runMethod(createMolecule({ atomicNumbers: [1, 1], positionsBohr: [0, 0, 0, 0, 0, last] }), { method: 'fci', basis: 'sto-3g' })).energyHartree;
  const triplet = (await runMethod(createMolecule({ atomicNumbers: [1, 1], positionsBohr: [0, 0, 0, 0, 0, last], multiplicity: 3 }), { method: 'uhf', basis: 'sto-3g' })).energyHartree;
  assert.ok(Math.abs(singlet - 2 * -0.466582) < 5e-6, `singlet ${singlet}`);
  assert.ok(Math.abs(triplet - 2 * -0.466582) < 5e-6, `triplet ${triplet}`);
});

test('generalise with the network model: networks over the spin-pair baseline on energies and forces, saved models predict what the experiment scored', async () => {
  const out = mkdtempSync(join(tmpdir(), 'qde-generalise-nn-'));
  try {
    const report = await runGeneraliseExperiment({ model: 'nn', trainingLabels: 6, selection: 'uniform', testSizes: [8], testCounts: [1], saveModelDir: out });
    assert.equal(report.model, 'nn');
    assert.equal(report.baseline, 'spin-pair');
    assert.equal(report.forces, true);
    const fci = report.rows.find((r) => r.kind === 'model' && r.rung === 'fci' && r.deltaFrom === null)!;
    const model = loadModelFile(fci.modelFile!);
    assert.ok(model.potential.kind === 'nn' && model.potential.baseline?.kind === 'spin-pair');
    assert.deepEqual((model.provenance.training as { hidden: number[] }).hidden, [64, 64]);
    const chain = testChains([8], [1], 0)[0];
    assert.ok(Math.abs(predictModel(model, chain.atomicNumbers, chain.positionsBohr, false).energyHartree - fci.predictedHartree[0]!) < 1e-10);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  await assert.rejects(runGeneraliseExperiment({ baseline: 'hubbard', onSiteHartree: -1, trainingLabels: 2, testSizes: [8], testCounts: [1] }), /onSiteHartree must be a positive number/);
});

test('generalise with forces: the FCI-label GP is the GP conditioned on the FCI forces of its fragments (finite differences from the dataset label path), and follows them closer than on energies alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qde-generalise-'));
  try {
    const run = async (forces: boolean): Promise<TrainedModel> => {
      const out = join(dir, String(forces));
      const report = await runGeneraliseExperiment({ model: 'gp', trainingLabels: 6, selection: 'uniform', testSizes: [8], testCounts: [1], forces, cutoffBohr: 7, descriptor: 'acsf', saveModelDir: out });
      assert.equal(report.forces, forces);
      assert.equal(report.droppedTrainingGeometries, 0);
      return loadModelFile(join(out, 'fci.model.json'));
    };
    const withForces = await run(true);
    const energiesOnly = await run(false);
    // the fixed noise floors, not the likelihood's choice (which lets the forces rule the energies)
    const gp = withForces.potential as { forceNoiseFloorHartreePerBohr?: number; noiseFloorHartree: number; baseline?: BaselineSettings };
    assert.equal(gp.forceNoiseFloorHartreePerBohr, GENERALISE_FORCE_FIT_FLOORS.forceHartreePerBohr);
    assert.equal(gp.noiseFloorHartree, GENERALISE_FORCE_FIT_FLOORS.energyHartree);
    assert.deepEqual(GENERALISE_FORCE_FIT_FLOORS, { energyHartree: 1e-3, forceHartreePerBohr: 3e-3 });
    // the six fragments labelled here independently: FCI energies and central differences of FCI
    const frags = trainingFragments(6, 0);
    const examples: TrainingExample[] = [];
    for (const m of frags) {
      const label = await computeLabel({
        key: 'f',
        atomicNumbers: Array.from(m.atomicNumbers),
        positionsBohr: Array.from(m.positionsBohr),
        charge: 0,
        multiplicity: 1,
        spec: { method: 'fci', basis: 'sto-3g' },
        quantities: QUANTITY_BITS.energy | QUANTITY_BITS.forces,
      });
      assert.ok(label.ok);
      examples.push({ atomicNumbers: m.atomicNumbers, positionsBohr: m.positionsBohr, energyHartree: label.result.energyHartree, standardErrorHartree: 0, forcesHartreePerBohr: label.forcesHartreePerBohr! });
    }
    // the experiment's model is the GP trained on those energies and forces
    const options = generaliseModelOptions('gp', 'acsf', 7, 0, 0, gp.baseline!);
    assert.ok(options.kind === 'gp');
    const direct = trainModel(examples, {
      ...options,
      useForces: true,
      noiseFloorsHartree: [GENERALISE_FORCE_FIT_FLOORS.energyHartree],
      forceNoiseFloorsHartreePerBohr: [GENERALISE_FORCE_FIT_FLOORS.forceHartreePerBohr],
    });
    for (const m of frags) {
      const a = predictModel(withForces, m.atomicNumbers, m.positionsBohr, false).energyHartree;
      const b = predictModel(direct, m.atomicNumbers, m.positionsBohr, false).energyHartree;
      assert.ok(Math.abs(a - b) < 1e-8, `${a} vs ${b}`);
    }
    // on its own fragments, the model's forces follow the FCI forces closer than the same model's on energies alone
    const forceError = (model: TrainedModel): number => {
      let err = 0;
      for (const ex of examples) {
        const predicted = predictModel(model, ex.atomicNumbers, ex.positionsBohr, true).forcesHartreePerBohr!;
        const reference = ex.forcesHartreePerBohr!;
        for (let k = 0; k < reference.length; k++) err += Math.abs(predicted[k] - reference[k]);
      }
      return err;
    };
    assert.ok(forceError(withForces) < 0.7 * forceError(energiesOnly), `force error ${forceError(withForces)} against ${forceError(energiesOnly)} on energies alone`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('uncertainty-chosen fragments: the first half uniform, then the pool window the first GP is least sure of, contiguous 4/6-atom windows; same seed same bytes', async () => {
  const models: TrainedModel[] = [];
  const fit = (examples: Parameters<typeof trainModel>[0]): TrainedModel => {
    const m = trainModel(examples, { kind: 'gp', descriptor: defaultSymmetryFunctions([1], 7, 6), referenceEnergiesHartree: { 1: -0.466582 }, noiseFloorsHartree: [2e-3] });
    models.push(m);
    return m;
  };
  const { molecules: chosen } = await uncertaintyFragments(12, 3, 'hf', fit);
  assert.equal(chosen.length, 12);
  const uniform = trainingFragments(6, 3);
  for (let k = 0; k < 6; k++) assert.deepEqual(Array.from(chosen[k].positionsBohr), Array.from(uniform[k].positionsBohr));
  // every window of the pool parents, with the σ of the first model (trained on the uniform half)
  const parents = hydrogenChains({ kind: 'chain', atoms: 12, shape: 'bent', count: UNCERTAINTY_POOL_PARENTS, bondAngstrom: [0.8, 2.0], angleDegrees: [110, 180] }, 3 + 6007);
  const windows: Float64Array[] = [];
  for (const parent of parents) for (const size of [4, 6]) for (let a = 0; a + size <= 12; a++) windows.push(parent.positionsBohr.slice(3 * a, 3 * (a + size)));
  const key = (p: ArrayLike<number>): string => Array.from(p).join(',');
  const poolKeys = new Set(windows.map(key));
  for (const m of chosen.slice(6)) assert.ok(poolKeys.has(key(m.positionsBohr)), 'a chosen piece is not a window of a pool chain');
  const sigma = (p: Float64Array): number => predictModel(models[0], new Array<number>(p.length / 3).fill(1), p, false).uncertaintyHartree!;
  const best = windows.reduce((b, w) => (sigma(w) > sigma(b) ? w : b));
  assert.equal(key(chosen[6].positionsBohr), key(best));
  const { molecules: again } = await uncertaintyFragments(12, 3, 'hf', fit);
  assert.deepEqual(again.map((m) => key(m.positionsBohr)), chosen.map((m) => key(m.positionsBohr)));
});

test('uncertainty-chosen fragments from a pool of one parent chain in one batch: one fit, every chosen piece a window of that chain, none twice; a bad pool size is an InputError', async () => {
  let fits = 0;
  const fit = (examples: Parameters<typeof trainModel>[0]): TrainedModel => {
    fits++;
    return trainModel(examples, { kind: 'gp', descriptor: defaultSymmetryFunctions([1], 7, 6), referenceEnergiesHartree: { 1: -0.466582 }, noiseFloorsHartree: [2e-3] });
  };
  const { molecules: chosen } = await uncertaintyFragments(12, 3, 'hf', fit, () => {}, { parents: 1, batches: 1 });
  assert.equal(chosen.length, 12);
  assert.equal(fits, 1);
  // the pool is the first chain of the pool stream (the default pool's first chain too)
  const [parent] = hydrogenChains({ kind: 'chain', atoms: 12, shape: 'bent', count: 1, bondAngstrom: [0.8, 2.0], angleDegrees: [110, 180] }, 3 + 6007);
  const key = (p: ArrayLike<number>): string => Array.from(p).join(',');
  const windows = new Set<string>();
  for (const size of [4, 6]) for (let a = 0; a + size <= 12; a++) windows.add(key(parent.positionsBohr.slice(3 * a, 3 * (a + size))));
  const picked = chosen.slice(6).map((m) => key(m.positionsBohr));
  for (const k of picked) assert.ok(windows.has(k), 'a chosen piece is not a window of the one pool chain');
  assert.equal(new Set(picked).size, 6);
  await assert.rejects(uncertaintyFragments(12, 3, 'hf', fit, () => {}, { parents: 0 }), InputError);
  await assert.rejects(uncertaintyFragments(12, 3, 'hf', fit, () => {}, { batches: 1.5 }), InputError);
});

test('uncertainty-chosen fragments with forces: the selection GP is fitted on energies and forces, and the labels it computed are returned for reuse', async () => {
  const seen: number[] = [];
  const fit = (examples: Parameters<typeof trainModel>[0]): TrainedModel => {
    for (const ex of examples) seen.push(ex.forcesHartreePerBohr ? ex.forcesHartreePerBohr.length / (3 * ex.atomicNumbers.length) : 0);
    return trainModel(examples, {
      kind: 'gp',
      descriptor: defaultSymmetryFunctions([1], 7, 6),
      referenceEnergiesHartree: { 1: -0.466582 },
      noiseFloorsHartree: [2e-3],
      useForces: true,
      forceNoiseFloorsHartreePerBohr: [3e-3],
    });
  };
  const { molecules, labels } = await uncertaintyFragments(12, 3, 'hf', fit, () => {}, { parents: 1, batches: 1, forces: true });
  assert.equal(molecules.length, 12);
  // one batch: the uniform half was labelled (with forces) and fitted; the chosen half is not labelled yet
  assert.deepEqual(seen, [1, 1, 1, 1, 1, 1]);
  assert.equal(labels.length, 6);
  for (const [k, l] of labels.entries()) {
    const m = molecules[k];
    const scf = await runMethod(m, { method: 'hf', basis: 'sto-3g' });
    assert.ok(l !== null && Math.abs(l.energyHartree - scf.energyHartree) < 1e-9);
    assert.equal(l.forcesHartreePerBohr!.length, 3 * m.atomicNumbers.length);
    // forces on a free cluster sum to zero
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let a = 0; a < m.atomicNumbers.length; a++) sum += l.forcesHartreePerBohr![3 * a + c];
      assert.ok(Math.abs(sum) < 1e-6, `net force ${sum}`);
    }
  }
  // without forces the same pieces are chosen from energies alone, and the labels carry none
  const plain = await uncertaintyFragments(12, 3, 'hf', (examples) => trainModel(examples, { kind: 'gp', descriptor: defaultSymmetryFunctions([1], 7, 6), referenceEnergiesHartree: { 1: -0.466582 }, noiseFloorsHartree: [2e-3] }), () => {}, { parents: 1, batches: 1 });
  assert.ok(plain.labels.every((l) => l !== null && l.forcesHartreePerBohr === undefined));
  assert.deepEqual(plain.molecules.slice(0, 6).map((m) => Array.from(m.positionsBohr)), molecules.slice(0, 6).map((m) => Array.from(m.positionsBohr)));
});

test('generalise: an unknown selection, or uncertainty selection over whole training chains, is an InputError', async () => {
  await assert.rejects(runGeneraliseExperiment({ selection: 'bogus' as 'uniform', trainingLabels: 2, testSizes: [8], testCounts: [1] }), InputError);
  await assert.rejects(runGeneraliseExperiment({ selection: 'uncertainty', training: 'chains', trainingLabels: 2, testSizes: [8], testCounts: [1] }), /needs training 'fragments'/);
});

test('default cutoff: the environments of long chains of the test family fit in six consecutive atoms (what a training piece holds) for all but a few percent of atoms; at 7 Bohr they do not', () => {
  const chains = testChains([12], [200], 4321);
  /** Fraction of atoms whose neighbours inside rc span more than six consecutive atoms of their chain. */
  const beyondSix = (rc: number): number => {
    let wide = 0;
    let total = 0;
    for (const m of chains) {
      const p = m.positionsBohr;
      const n = m.atomicNumbers.length;
      for (let i = 0; i < n; i++) {
        let lo = i;
        let hi = i;
        for (let j = 0; j < n; j++) {
          if (Math.hypot(p[3 * j] - p[3 * i], p[3 * j + 1] - p[3 * i + 1], p[3 * j + 2] - p[3 * i + 2]) < rc) {
            lo = Math.min(lo, j);
            hi = Math.max(hi, j);
          }
        }
        total++;
        if (hi - lo + 1 > 6) wide++;
      }
    }
    return wide / total;
  };
  assert.ok(beyondSix(GENERALISE_CUTOFF_BOHR) < 0.05, `${beyondSix(GENERALISE_CUTOFF_BOHR)} at the default cutoff`);
  assert.ok(beyondSix(7) > 0.1, `${beyondSix(7)} at 7 Bohr`);
});
