/**
 * The shipped LiH/H2O scan dataset (examples/datasets/lih-h2o-scan.jsonl, FCI/STO-3G energies and
 * forces made by examples/campaigns/lih-h2o-scan.yaml): its labels agree with Psi4's full CI, its
 * forces are minus the slope of its energies, and an atomic network trained on 141 of its labels
 * (energies and forces) predicts the 47 held-out frames within 0.5 kcal/mol MAE of the shipped labels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BOHR_IN_ANGSTROM } from '../core/index.js';
import { loadPsi4Reference } from '../../test/psi4-reference.js';
import { defaultSymmetryFunctions } from './descriptors/acsf.js';
import type { TrainingExample } from './data.js';
import { predictModel, trainModel } from './model.js';

const KCAL_PER_HARTREE = 627.5094740631;

interface Row {
  atomicNumbers: number[];
  positionsBohr: number[];
  rung: string;
  basis: string;
  energyHartree: number;
  standardErrorHartree: number;
  forcesHartreePerBohr: number[];
}

const rows: Row[] = readFileSync(fileURLToPath(new URL('../../examples/datasets/lih-h2o-scan.jsonl', import.meta.url)), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Row);

function distanceBohr(r: Row, a: number, b: number): number {
  const p = r.positionsBohr;
  return Math.hypot(p[3 * a] - p[3 * b], p[3 * a + 1] - p[3 * b + 1], p[3 * a + 2] - p[3 * b + 2]);
}

test('shipped dataset: 188 FCI/STO-3G frames with forces; LiH at 1.2 Å equals Psi4 full CI; forces are minus the scan slope', () => {
  assert.equal(rows.length, 188);
  for (const r of rows) {
    assert.equal(r.rung, 'fci');
    assert.equal(r.basis, 'sto-3g');
    assert.equal(r.forcesHartreePerBohr.length, r.positionsBohr.length);
  }
  const lih = rows.filter((r) => r.atomicNumbers.length === 2).sort((a, b) => distanceBohr(a, 0, 1) - distanceBohr(b, 0, 1));
  assert.equal(lih.length, 48);
  assert.equal(rows.filter((r) => r.atomicNumbers.length === 3).length, 140);
  // Psi4 1.3.2 detci, LiH/STO-3G at r = 1.2 Å (test/fixtures/reference/psi4-public.json, lih_sto-3g_r1.2_fci)
  const first = lih[0];
  assert.ok(Math.abs(distanceBohr(first, 0, 1) * BOHR_IN_ANGSTROM - 1.2) < 1e-9);
  const ref = loadPsi4Reference<{ id: string; total_energy_hartree: number }>().entries.find((e) => e.id === 'lih_sto-3g_r1.2_fci')!.total_energy_hartree;
  assert.ok(Math.abs(first.energyHartree - ref) < 1e-6, `${first.energyHartree} vs Psi4 ${ref}`);
  // along the LiH scan (uniform in r), the force on H along the bond equals −dE/dr by the five-point
  // stencil of the neighbouring frames (error O(h⁴))
  const h = distanceBohr(lih[1], 0, 1) - distanceBohr(lih[0], 0, 1);
  for (let k = 2; k + 2 < lih.length; k++) {
    const e = (j: number): number => lih[k + j].energyHartree;
    const slope = (e(-2) - 8 * e(-1) + 8 * e(1) - e(2)) / (12 * h);
    const b = lih[k];
    const p = b.positionsBohr;
    const r = distanceBohr(b, 0, 1);
    const fAlong = [0, 1, 2].reduce((s, x) => s + (b.forcesHartreePerBohr[3 + x] * (p[3 + x] - p[x])) / r, 0);
    assert.ok(Math.abs(fAlong + slope) < 1e-4 * Math.abs(slope) + 2e-6, `frame ${k}: force ${fAlong} vs −dE/dr ${-slope}`);
  }
});

test('shipped dataset: a network trained on 141 labels (energies and forces) predicts 47 held-out frames within 0.5 kcal/mol MAE', () => {
  const examples: TrainingExample[] = rows.map((r) => ({
    atomicNumbers: r.atomicNumbers,
    positionsBohr: r.positionsBohr,
    energyHartree: r.energyHartree,
    standardErrorHartree: r.standardErrorHartree,
    forcesHartreePerBohr: r.forcesHartreePerBohr,
  }));
  // every fourth frame of the file (ordered by content hash, so a seeded-random quarter) is held out
  const train = examples.filter((_, k) => k % 4 !== 3);
  const held = examples.filter((_, k) => k % 4 === 3);
  assert.ok(train.length <= 200);
  const model = trainModel(train, { kind: 'nn', descriptor: defaultSymmetryFunctions([1, 3, 8], 6), hidden: [24, 24], epochs: 300, batchSize: 8, seed: 0 });
  let mae = 0;
  let max = 0;
  for (const e of held) {
    const err = Math.abs(predictModel(model, e.atomicNumbers, e.positionsBohr, false).energyHartree - e.energyHartree);
    mae += err / held.length;
    max = Math.max(max, err);
  }
  const maeKcal = mae * KCAL_PER_HARTREE;
  assert.ok(Number.isFinite(maeKcal) && maeKcal <= 0.5, `held-out MAE ${maeKcal} kcal/mol (max ${max * KCAL_PER_HARTREE})`);
});
