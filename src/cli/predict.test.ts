import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMolecule, formatXyz, formatXyzTrajectory } from '../chem/index.js';
import { runMethod } from '../methods/index.js';
import { loadModelFile, predictModel } from '../ml/index.js';
import { runQde, scratchDirectory } from './cli.test-util.js';

const CAMPAIGN = `name: mltest
seed: 1
quantities: [energy, forces]
methods:
  - { method: hf, basis: sto-3g }
  - { method: fci, basis: sto-3g }
molecules:
  - example: h2
    scan: { coordinate: bond, atoms: [0, 1], fromAngstrom: 0.6, toAngstrom: 1.2, steps: 8 }
  - chain: { atoms: 4, shape: zigzag, count: 8, bondAngstrom: [0.8, 1.2], angleDegrees: [110, 170] }
`;

function h2(r: number) {
  return createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, r] });
}

test('qde train (gp, nn, Δ) from a label store and qde predict on one and several frames', async () => {
  const dir = scratchDirectory();
  try {
    const campaign = dir.file('c.yaml', CAMPAIGN);
    const db = `${dir.path}/labels.sqlite`;
    const run = await runQde(['campaign', 'run', campaign, '--db', db, '--workers', '1', '--json']);
    assert.equal(run.code, 0, run.stderr);

    const gp = await runQde(['train', '--db', db, '--rung', 'fci', '--model', 'gp', '--out', `${dir.path}/gp.json`, '--json']);
    assert.equal(gp.code, 0, gp.stderr);
    const report = JSON.parse(gp.stdout);
    assert.equal(report.labels, 16);
    assert.deepEqual(report.elements, [1]);

    const one = dir.file('one.xyz', formatXyz(h2(0.74)));
    const p1 = await runQde(['predict', `${dir.path}/gp.json`, one, '--json']);
    assert.equal(p1.code, 0, p1.stderr);
    const single = JSON.parse(p1.stdout);
    assert.deepEqual(Object.keys(single).sort(), ['energyHartree', 'forcesHartreePerBohr', 'uncertaintyHartree']);
    assert.equal(single.forcesHartreePerBohr.length, 6);
    const fci = (await runMethod(h2(0.74), { method: 'fci', basis: 'sto-3g' })).energyHartree;
    assert.ok(Math.abs(single.energyHartree - fci) < 5e-3, `${single.energyHartree} vs FCI ${fci}`);
    // the command gives what the library gives on the loaded model, exactly
    const lib = predictModel(loadModelFile(`${dir.path}/gp.json`), h2(0.74).atomicNumbers, h2(0.74).positionsBohr, true);
    assert.ok(Math.abs(lib.energyHartree - single.energyHartree) <= 1e-10);

    const many = dir.file('many.xyz', formatXyzTrajectory([h2(0.7), h2(0.9), h2(1.1)]));
    const p3 = await runQde(['predict', `${dir.path}/gp.json`, many, '--json']);
    assert.equal(p3.code, 0, p3.stderr);
    const frames = JSON.parse(p3.stdout).frames;
    assert.equal(frames.length, 3);
    // file order: beyond the minimum (0.74 Å) the H2 energy rises with the bond length
    assert.ok(frames[0].energyHartree < frames[1].energyHartree && frames[1].energyHartree < frames[2].energyHartree);

    // Δ model: the low rung is computed by predict itself
    const delta = await runQde(['train', '--db', db, '--rung', 'fci', '--delta-from', 'hf', '--model', 'nn', '--epochs', '300', '--out', `${dir.path}/d.json`, '--json']);
    assert.equal(delta.code, 0, delta.stderr);
    const pd = await runQde(['predict', `${dir.path}/d.json`, one, '--json']);
    assert.equal(pd.code, 0, pd.stderr);
    const d = JSON.parse(pd.stdout);
    const hf = (await runMethod(h2(0.74), { method: 'hf', basis: 'sto-3g' })).energyHartree;
    assert.ok(Math.abs(d.lowRungEnergyHartree - hf) < 1e-8);
    assert.ok(Math.abs(d.energyHartree - fci) < 5e-3, `${d.energyHartree} vs FCI ${fci}`);

    // an element the model never saw: exit 2 with the file and frame
    const lih = dir.file('lih.xyz', '2\n\nLi 0 0 0\nH 0 0 1.6\n');
    const bad = await runQde(['predict', `${dir.path}/gp.json`, lih]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /lih\.xyz: frame 1: .*cannot predict Li/);
    const noRung = await runQde(['train', '--db', db, '--rung', 'ccsd', '--out', `${dir.path}/x.json`]);
    assert.equal(noRung.code, 2);
    assert.match(noRung.stderr, /no labels of rung 'ccsd'/);
  } finally {
    dir.remove();
  }
});
