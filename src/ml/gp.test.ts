import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../core/index.js';
import { createMolecule } from '../chem/index.js';
import { runMethod } from '../methods/index.js';
import { defaultSymmetryFunctions } from './descriptors/acsf.js';
import { predictGp, trainGp } from './gp.js';
import type { TrainingExample } from './data.js';

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
