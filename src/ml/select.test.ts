import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, Random } from '../core/index.js';
import { defaultSymmetryFunctions } from './descriptors/acsf.js';
import type { TrainingExample } from './data.js';
import { predictGp, trainGp } from './gp.js';
import { choleskyInPlace, choleskyInverse } from './linalg.js';
import { selectByUncertainty } from './select.js';

/** A sum of Morse pairs (D = 0.17 Eh, a = 1 / Bohr, r0 = 1.4 Bohr). */
function morse(p: ArrayLike<number>): number {
  let e = 0;
  const n = p.length / 3;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const r = Math.hypot(p[3 * i] - p[3 * j], p[3 * i + 1] - p[3 * j + 1], p[3 * i + 2] - p[3 * j + 2]);
      e += 0.17 * ((1 - Math.exp(-(r - 1.4))) ** 2 - 1);
    }
  }
  return e;
}

/** Random H3: three atoms in a box, 1–3.5 Bohr between neighbours. */
function h3(random: Random): Float64Array {
  const r1 = 1 + 2.5 * random.next();
  const r2 = 1 + 2.5 * random.next();
  const angle = Math.PI * (0.4 + 0.6 * random.next());
  return Float64Array.from([0, 0, 0, r1, 0, 0, r1 - r2 * Math.cos(angle), r2 * Math.sin(angle), 0]);
}

function setup() {
  const random = new Random(5);
  const examples: TrainingExample[] = [];
  for (let k = 0; k < 14; k++) {
    const p = h3(random);
    examples.push({ atomicNumbers: [1, 1, 1], positionsBohr: p, energyHartree: morse(p), standardErrorHartree: 0 });
  }
  const model = trainGp(examples, { descriptor: defaultSymmetryFunctions([1], 6, 6), noiseFloorsHartree: [3e-3] });
  const candidates = Array.from({ length: 25 }, () => ({ atomicNumbers: [1, 1, 1], positionsBohr: h3(random) }));
  return { model, candidates };
}

test('uncertainty selection: σ of every candidate is the GP predictive σ, and the first pick is the largest', () => {
  const { model, candidates } = setup();
  const sel = selectByUncertainty(model, candidates, 3);
  assert.equal(sel.chosen.length, 3);
  candidates.forEach((c, k) => {
    const s = predictGp(model, c.atomicNumbers, c.positionsBohr, false).uncertaintyHartree!;
    assert.ok(Math.abs(sel.initialSigmaHartree[k] - s) < 1e-9 * Math.max(1, s), `${k}: ${sel.initialSigmaHartree[k]} vs ${s}`);
  });
  const max = Math.max(...sel.initialSigmaHartree);
  assert.equal(sel.initialSigmaHartree[sel.chosen[0]], max);
  assert.equal(sel.sigmaHartree[0], max);
  assert.equal(new Set(sel.chosen).size, 3);
  assert.throws(() => selectByUncertainty(model, candidates, -1), InputError);
});

test('uncertainty selection: the second pick sees the first as labelled (variance from the updated A, inverted directly)', () => {
  const { model, candidates } = setup();
  // the most uncertain candidate twice: fantasising the first copy must lower the σ of the second
  const top = selectByUncertainty(model, candidates, 1).chosen[0];
  const withTwin = [...candidates, candidates[top]];
  const sel = selectByUncertainty(model, withTwin, 2);
  assert.equal(sel.chosen[0], top);
  // direct: A⁻¹ = V + K⁻¹; A' = A + φ_x φ_xᵀ / λ; σ'² = σ² − φᵀA⁻¹φ + φᵀA'⁻¹φ for every other candidate
  const M = model.alpha.length;
  const L = model.sparseFeatures.length / M;
  const g = 1 / (2 * model.lengthScale ** 2 * L);
  const k = new Float64Array(M * M);
  for (let p = 0; p < M; p++) {
    for (let q = 0; q < M; q++) {
      let d = 0;
      for (let f = 0; f < L; f++) d += (model.sparseFeatures[p * L + f] - model.sparseFeatures[q * L + f]) ** 2;
      k[p * M + q] = model.signalVariance * Math.exp(-d * g) + (p === q ? 1e-8 * model.signalVariance : 0);
    }
  }
  assert.ok(choleskyInPlace(k, M));
  const aInv = choleskyInverse(k, M);
  for (let t = 0; t < M * M; t++) aInv[t] += model.varianceMatrix[t];
  // A from A⁻¹, then A' and its inverse
  const a = Float64Array.from(aInv);
  assert.ok(choleskyInPlace(a, M));
  const aMat = choleskyInverse(a, M);
  const phiOf = (c: { atomicNumbers: number[]; positionsBohr: Float64Array }): Float64Array => {
    // φ through the predictor: with unit weights α the mean term equals Σ φ; do it per sparse point
    const out = new Float64Array(M);
    const probe = { ...model, alpha: new Float64Array(M), baseline: undefined, referenceEnergiesHartree: new Float64Array(model.referenceEnergiesHartree.length) };
    for (let m = 0; m < M; m++) {
      probe.alpha.fill(0);
      probe.alpha[m] = 1;
      out[m] = predictGp(probe, c.atomicNumbers, c.positionsBohr, false).energyHartree;
    }
    return out;
  };
  const fx = phiOf(withTwin[top]);
  const lambda = model.noiseFloorHartree ** 2;
  for (let p = 0; p < M; p++) for (let q = 0; q < M; q++) aMat[p * M + q] += (fx[p] * fx[q]) / lambda;
  assert.ok(choleskyInPlace(aMat, M));
  const aNewInv = choleskyInverse(aMat, M);
  const quad = (m: Float64Array, v: Float64Array): number => {
    let s = 0;
    for (let p = 0; p < M; p++) for (let q = 0; q < M; q++) s += v[p] * m[p * M + q] * v[q];
    return s;
  };
  const second = sel.chosen[1];
  const fc = phiOf(withTwin[second]);
  const expected = Math.sqrt(Math.max(0, sel.initialSigmaHartree[second] ** 2 - quad(aInv, fc) + quad(aNewInv, fc)));
  assert.ok(Math.abs(sel.sigmaHartree[1] - expected) < 1e-6 * sel.initialSigmaHartree[second] + 1e-9, `${sel.sigmaHartree[1]} vs ${expected}`);
  // and the twin, labelled in fantasy, is no longer as uncertain as it was
  const twinAfter = Math.sqrt(Math.max(0, sel.initialSigmaHartree[top] ** 2 - quad(aInv, fx) + quad(aNewInv, fx)));
  assert.ok(twinAfter < 0.9 * sel.initialSigmaHartree[top], `${twinAfter} vs ${sel.initialSigmaHartree[top]}`);
});

test('uncertainty selection: candidates of one group are taken once per batch while other groups remain', () => {
  const { model, candidates } = setup();
  const top = selectByUncertainty(model, candidates, 1).chosen[0];
  // the top candidate and its twin in group 0, everything else in its own group
  const grouped = [...candidates.map((c, k) => ({ ...c, group: k === top ? 0 : k + 1 })), { ...candidates[top], group: 0 }];
  const sel = selectByUncertainty(model, grouped, candidates.length);
  const groupsTaken = sel.chosen.map((c) => grouped[c].group);
  assert.equal(new Set(groupsTaken).size, groupsTaken.length, `${groupsTaken}`);
  assert.ok(!sel.chosen.includes(candidates.length), 'the twin of the same group was taken');
});
