import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMolecule, formatXyzTrajectory } from '../chem/index.js';
import type { DatasetRecord } from '../dataset/index.js';
import { runMethod } from '../methods/index.js';
import { GENERALISE_BASELINE_DISTANCES_BOHR } from '../loop/index.js';
import { loadModelFile, predictModel } from '../ml/index.js';
import { runQde, scratchDirectory } from './cli.test-util.js';
import { spinPairBaselineFromLabels, trainFromStore } from './train.js';

const HYDROGEN = `name: h-train
seed: 3
quantities: [energy, forces]
methods:
  - { method: fci, basis: sto-3g }
molecules:
  - example: h2
    scan: { coordinate: bond, atoms: [0, 1], fromAngstrom: 0.6, toAngstrom: 1.2, steps: 8 }
  - chain: { atoms: 4, shape: zigzag, count: 10, bondAngstrom: [0.8, 1.6], angleDegrees: [110, 170] }
`;

const WITH_LITHIUM = `name: lih-energies
seed: 1
quantities: [energy]
methods:
  - { method: hf, basis: sto-3g }
molecules:
  - example: h2
  - example: lih
`;

const h2 = (rBohr: number) => createMolecule({ atomicNumbers: [1, 1], positionsBohr: [0, 0, 0, 0, 0, rBohr] });

test('qde train --baseline spin-pair --forces: curves computed when the store lacks them, recorded in the model, applied by qde predict', async () => {
  const dir = scratchDirectory();
  try {
    const db = `${dir.path}/h.sqlite`;
    const run = await runQde(['campaign', 'run', dir.file('h.yaml', HYDROGEN), '--db', db, '--workers', '1', '--json']);
    assert.equal(run.code, 0, run.stderr);

    const lines: string[] = [];
    const out = `${dir.path}/spin.json`;
    const options = { db, rung: 'fci', model: 'gp', out, descriptor: 'acsf', cutoff: 8, seed: 0, baseline: 'spin-pair', forces: true };
    const { report, model } = await trainFromStore(options, (l) => lines.push(l));
    assert.equal(report.baseline, 'spin-pair');
    assert.equal(report.labels, 18);
    assert.equal(report.forceLabels, 18);
    // the scan's distances are not the table's: every curve point and the atom are computed, and the user is told
    const n = GENERALISE_BASELINE_DISTANCES_BOHR.length;
    assert.equal(report.baselineLabelsFromStore, 0);
    assert.equal(report.baselineLabelsComputed, 2 * n + 1);
    assert.match(lines.join('\n'), new RegExp(`lacks ${2 * n + 1} of the ${2 * n + 1} baseline labels: computing ${n} H2 singlets with .*"fci".*${n} H2 triplets with .*"uhf"`));

    // the model file records the baseline; an exact H2 singlet (FCI, independent of the model code) is in its table
    const file = loadModelFile(out);
    assert.equal(file.potential.kind, 'gp');
    const b = file.potential.kind === 'gp' ? file.potential.baseline! : null;
    assert.ok(b);
    assert.equal(b.element, 1);
    const k = b.distancesBohr.findIndex((d) => Math.abs(d - 1.55) < 1e-9);
    assert.ok(k >= 0);
    assert.ok(Math.abs(b.singletHartree[k] - (await runMethod(h2(1.55), { method: 'fci', basis: 'sto-3g' })).energyHartree) < 1e-9);
    assert.ok(file.potential.kind === 'gp' && file.potential.forceNoiseFloorHartreePerBohr !== undefined, 'trained on forces');

    // qde predict applies the baseline: equal to the model as trained, energies and forces, to 1e-10
    const far = h2(5.6);
    const h4 = createMolecule({ atomicNumbers: [1, 1, 1, 1], positionsBohr: [0, 0, 0, 1.7, 0.9, 0, 3.6, 0, 0.2, 5.3, 1.0, 0.1] });
    const geom = dir.file('frames.xyz', formatXyzTrajectory([far, h4]));
    const p = await runQde(['predict', out, geom, '--json']);
    assert.equal(p.code, 0, p.stderr);
    const frames = JSON.parse(p.stdout).frames as { energyHartree: number; forcesHartreePerBohr: number[] }[];
    for (const [f, m] of [far, h4].entries()) {
      const t = predictModel(model, m.atomicNumbers, m.positionsBohr, true);
      assert.ok(Math.abs(frames[f].energyHartree - t.energyHartree) <= 1e-10, `frame ${f + 1}: ${frames[f].energyHartree} vs ${t.energyHartree}`);
      frames[f].forcesHartreePerBohr.forEach((v, c) => assert.ok(Math.abs(v - t.forcesHartreePerBohr![c]) <= 1e-10));
    }
    // and on the H4 chain: FCI (independent) within the accuracy of an 18-label model
    const fciH4 = (await runMethod(h4, { method: 'fci', basis: 'sto-3g' })).energyHartree;
    assert.ok(Math.abs(frames[1].energyHartree - fciH4) < 5e-3, `H4: ${frames[1].energyHartree} vs FCI ${fciH4}`);

    // through the command line, energies only: far outside the scan (0.6–1.2 Å) the baseline carries
    // the model to the FCI curve; without it the GP cannot
    const cli = await runQde(['train', '--db', db, '--rung', 'fci', '--baseline', 'spin-pair', '--out', `${dir.path}/cli.json`]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /over the spin-pair baseline/);
    assert.match(cli.stderr, /through the method layer/);
    // the defaults, reported and in the model file: symmetry functions at 8 Bohr
    assert.match(cli.stdout, /descriptor +acsf, cutoff 8 Bohr/);
    const cliFile = loadModelFile(`${dir.path}/cli.json`);
    assert.equal(cliFile.potential.descriptor.kind, 'acsf');
    assert.equal(cliFile.potential.descriptor.kind === 'acsf' ? cliFile.potential.descriptor.cutoffBohr : null, 8);
    const plain = await runQde(['train', '--db', db, '--rung', 'fci', '--out', `${dir.path}/plain.json`, '--json']);
    assert.equal(plain.code, 0, plain.stderr);
    const plainReport = JSON.parse(plain.stdout);
    assert.equal(plainReport.baseline, 'none');
    assert.deepEqual([plainReport.descriptor, plainReport.cutoffBohr], ['acsf', 8]);
    assert.equal(loadModelFile(`${dir.path}/plain.json`).potential.descriptor.kind, 'acsf');
    const fciFar = (await runMethod(far, { method: 'fci', basis: 'sto-3g' })).energyHartree;
    const farOf = async (file: string): Promise<number> => JSON.parse((await runQde(['predict', file, geom, '--json'])).stdout).frames[0].energyHartree;
    const withBaseline = await farOf(`${dir.path}/cli.json`);
    const without = await farOf(`${dir.path}/plain.json`);
    assert.ok(Math.abs(withBaseline - fciFar) < 2e-3, `H2 at 5.6 Bohr: ${withBaseline} vs FCI ${fciFar}`);
    assert.ok(Math.abs(without - fciFar) > 10 * Math.abs(withBaseline - fciFar), `without the baseline ${without} vs FCI ${fciFar}`);
    // the networks take the same baseline, and the model file carries it to qde predict
    const nn = await runQde(['train', '--db', db, '--rung', 'fci', '--model', 'nn', '--baseline', 'spin-pair', '--epochs', '50', '--out', `${dir.path}/nn.json`]);
    assert.equal(nn.code, 0, nn.stderr);
    const nnModel = loadModelFile(`${dir.path}/nn.json`);
    assert.equal(nnModel.potential.baseline?.kind, 'spin-pair');
    assert.ok(Math.abs((await farOf(`${dir.path}/nn.json`)) - predictModel(nnModel, [1, 1], far.positionsBohr, false).energyHartree) < 1e-10);
    // one network has no uncertainty: null in JSON, n/a in the table
    const nnJson = JSON.parse((await runQde(['predict', `${dir.path}/nn.json`, geom, '--json'])).stdout);
    assert.equal(nnJson.frames[0].uncertaintyHartree, null);
    assert.match((await runQde(['predict', `${dir.path}/nn.json`, geom])).stdout, /^ +1 +-?\d+\.\d{10} +n\/a +/m);
    const bad = await runQde(['train', '--db', db, '--rung', 'fci', '--baseline', 'heisenberg', '--out', `${dir.path}/x.json`]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--baseline must be spin-pair or none/);

    // spin-correlation features on the same store, trained on forces too: qde predict equals the
    // model as trained (energies and forces, 1e-10)
    const spinOut = `${dir.path}/spin-features.json`;
    const spin = await trainFromStore({ ...options, out: spinOut, descriptor: 'spin' });
    assert.equal(spin.model.potential.descriptor.kind, 'spin-correlation');
    const ps = await runQde(['predict', spinOut, geom, '--json']);
    assert.equal(ps.code, 0, ps.stderr);
    const spinFrames = JSON.parse(ps.stdout).frames as { energyHartree: number; forcesHartreePerBohr: number[] }[];
    for (const [f, m] of [far, h4].entries()) {
      const t = predictModel(spin.model, m.atomicNumbers, m.positionsBohr, true);
      assert.ok(Math.abs(spinFrames[f].energyHartree - t.energyHartree) <= 1e-10);
      spinFrames[f].forcesHartreePerBohr.forEach((v, c) => assert.ok(Math.abs(v - t.forcesHartreePerBohr![c]) <= 1e-10));
    }
    const noBaseline = await runQde(['train', '--db', db, '--rung', 'fci', '--descriptor', 'spin', '--out', `${dir.path}/x.json`]);
    assert.equal(noBaseline.code, 2);
    assert.match(noBaseline.stderr, /--descriptor spin .* use it with --baseline spin-pair/);
  } finally {
    dir.remove();
  }
});

test('qde train refuses the baseline for other elements and --forces without force labels', async () => {
  const dir = scratchDirectory();
  try {
    const db = `${dir.path}/lih.sqlite`;
    const run = await runQde(['campaign', 'run', dir.file('l.yaml', WITH_LITHIUM), '--db', db, '--workers', '1', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const li = await runQde(['train', '--db', db, '--rung', 'hf', '--baseline', 'spin-pair', '--out', `${dir.path}/x.json`]);
    assert.equal(li.code, 2);
    assert.match(li.stderr, /--baseline spin-pair covers hydrogen only; the labels of rung 'hf' contain Li/);
    const nf = await runQde(['train', '--db', db, '--rung', 'hf', '--forces', '--out', `${dir.path}/x.json`]);
    assert.equal(nf.code, 2);
    assert.match(nf.stderr, /--forces: no label of rung 'hf' has forces/);
  } finally {
    dir.remove();
  }
});

test('the baseline tables come from the store where it has them', async () => {
  const distances = GENERALISE_BASELINE_DISTANCES_BOHR;
  const record = (rung: string, multiplicity: number, r: number, energyHartree: number, atoms = 2): DatasetRecord => ({
    key: `${rung}-${multiplicity}-${r}`,
    geometryKey: `${multiplicity}-${r}`,
    atomicNumbers: atoms === 2 ? [1, 1] : [1],
    positionsBohr: atoms === 2 ? [0.5, 0, 0, 0.5, r, 0] : [0, 0, 0],
    charge: 0,
    multiplicity,
    rung,
    method: { method: rung, basis: 'sto-3g' },
    basis: 'sto-3g',
    energyHartree,
    standardErrorHartree: 0,
    forcesHartreePerBohr: null,
    dipoleAu: null,
    provenance: {},
  });
  // made-up energies: the test checks where the table entries come from
  const records = [
    ...distances.map((r) => record('ccsd', 1, r, -1 - r / 100)),
    ...distances.map((r) => record('uhf', 3, r, -0.9 + r / 1000)),
    ...distances.map((r) => record('ccsd', 1, r, 5, 2)).map((x) => ({ ...x, basis: '6-31g' })),
    record('uhf', 2, 0, -0.4666, 1),
  ];
  const found = await spinPairBaselineFromLabels(records, 'ccsd', { method: 'ccsd', basis: 'sto-3g' }, 'sto-3g');
  assert.equal(found.fromStore, 2 * distances.length + 1);
  assert.equal(found.computed, 0);
  assert.deepEqual(found.settings.distancesBohr, [...distances]);
  assert.deepEqual(found.settings.singletHartree, distances.map((r) => -1 - r / 100));
  assert.deepEqual(found.settings.tripletHartree, distances.map((r) => -0.9 + r / 1000));
  assert.equal(found.settings.atomEnergyHartree, -0.4666);
  // one singlet missing: computed (CCSD on H2 is FCI in a minimal basis: an independent check of the spec used)
  const missing = await spinPairBaselineFromLabels(records.filter((x) => x.key !== `ccsd-1-${distances[2]}`), 'ccsd', { method: 'ccsd', basis: 'sto-3g' }, 'sto-3g');
  assert.equal(missing.computed, 1);
  const fci = (await runMethod(h2(distances[2]), { method: 'fci', basis: 'sto-3g' })).energyHartree;
  assert.ok(Math.abs(missing.settings.singletHartree[2] - fci) < 1e-8);
});
