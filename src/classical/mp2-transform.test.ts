import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { createMolecule } from '../chem/index.js';
import { runRhf, runUhf } from '../scf/index.js';
import { completeTransform, forEachOccupiedSlice, halfTransform, occupiedBlockSize, sumOccupiedSlices, transformOvov, type OccupiedSliceReport } from './mp2-transform.js';
import { mp2SliceSums } from './mp2-sums.js';
import { startMp2Workers, terminateMp2Workers } from './mp2-parallel.js';
import { runMp2 } from './mp2.js';

const water = createMolecule({ symbols: ['O', 'H', 'H'], positionsAngstrom: [0, 0, 0, 0, 0.757, 0.587, 0, -0.757, 0.587] });

/** (ia|jb) by the quadruple sum over the unpacked AO integrals: the independent reference. */
function bruteForceOvov(
  n: number,
  aoEri: (m: number, v: number, l: number, s: number) => number,
  c1: Float64Array,
  c2: Float64Array,
  nMo: number,
  r: { i0: number; ni: number; a0: number; na: number; j0: number; nj: number; b0: number; nb: number },
): Float64Array {
  const out = new Float64Array(r.ni * r.na * r.nj * r.nb);
  for (let i = 0; i < r.ni; i++)
    for (let a = 0; a < r.na; a++)
      for (let j = 0; j < r.nj; j++)
        for (let b = 0; b < r.nb; b++) {
          let sum = 0;
          for (let m = 0; m < n; m++)
            for (let v = 0; v < n; v++) {
              const ca = c1[m * nMo + r.i0 + i] * c1[v * nMo + r.a0 + a];
              if (ca === 0) continue;
              for (let l = 0; l < n; l++)
                for (let s = 0; s < n; s++) sum += ca * aoEri(m, v, l, s) * c2[l * nMo + r.j0 + j] * c2[s * nMo + r.b0 + b];
            }
          out[((i * r.na + a) * r.nj + j) * r.nb + b] = sum;
        }
  return out;
}

function maxDiff(x: Float64Array, y: Float64Array): number {
  assert.equal(x.length, y.length);
  let d = 0;
  for (let q = 0; q < x.length; q++) d = Math.max(d, Math.abs(x[q] - y[q]));
  return d;
}

test('occupied-first (ia|jb) equals the AO quadruple sum and the virtual-first transform, for UHF α/β coefficient pairs', () => {
  const oh = createMolecule({ symbols: ['O', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, 0.97], multiplicity: 2 });
  const scf = runUhf(oh, buildMolecularBasis(oh, loadBasisLibrary('sto-3g')));
  const n = scf.eri.nBasis;
  const nMo = scf.nOrbitals;
  const pair = (p: number, q: number): number => (p >= q ? (p * (p + 1)) / 2 + q : (q * (q + 1)) / 2 + p);
  const aoEri = (m: number, v: number, l: number, s: number): number => {
    const p = pair(m, v);
    const q = pair(l, s);
    return scf.eri.values[p >= q ? (p * (p + 1)) / 2 + q : (q * (q + 1)) / 2 + p];
  };
  const r = { i0: 1, ni: scf.nAlpha - 1, a0: scf.nAlpha, na: nMo - scf.nAlpha, j0: 0, nj: scf.nBeta, b0: scf.nBeta, nb: nMo - scf.nBeta };
  const ca = scf.coefficientsAlpha;
  const cb = scf.coefficientsBeta;
  const reference = bruteForceOvov(n, aoEri, ca, cb, nMo, r);
  const blocked = transformOvov(scf.eri, ca, cb, nMo, r.i0, r.ni, r.a0, r.na, r.j0, r.nj, r.b0, r.nb, 1);
  const whole = transformOvov(scf.eri, ca, cb, nMo, r.i0, r.ni, r.a0, r.na, r.j0, r.nj, r.b0, r.nb, 2 ** 30);
  const virtualFirst = completeTransform(halfTransform(scf.eri, cb, nMo, r.j0, r.nj, r.b0, r.nb), ca, nMo, r.i0, r.ni, r.a0, r.na);
  assert.ok(maxDiff(blocked, reference) < 1e-12, `blocked vs brute force ${maxDiff(blocked, reference)}`);
  assert.ok(maxDiff(whole, reference) < 1e-12, `one block vs brute force ${maxDiff(whole, reference)}`);
  assert.ok(maxDiff(virtualFirst, reference) < 1e-12);
});

test('RHF-MP2 with a one-orbital-per-block memory budget equals the single-block transformation to 1e-12 Hartree', () => {
  const scf = runRhf(water, buildMolecularBasis(water, loadBasisLibrary('cc-pvdz')));
  const n = scf.eri.nBasis;
  const o = scf.nAlpha;
  const ranges = { i0: 0, ni: o, a0: o, na: scf.nOrbitals - o, j0: 0, nj: o, b0: o, nb: scf.nOrbitals - o };
  assert.equal(occupiedBlockSize(n, ranges, 1), 1);
  assert.equal(occupiedBlockSize(n, ranges, 2 ** 34), o);
  for (const frozenCore of [false, true]) {
    const tiny = runMp2(scf, { frozenCore, transformMemoryBytes: 1 });
    const large = runMp2(scf, { frozenCore, transformMemoryBytes: 2 ** 34 });
    assert.ok(Math.abs(tiny.correlationEnergyHartree - large.correlationEnergyHartree) < 1e-12);
    assert.ok(Math.abs(tiny.sameSpinCorrelationHartree - large.sameSpinCorrelationHartree) < 1e-12);
    assert.ok(Math.abs(tiny.oppositeSpinCorrelationHartree - large.oppositeSpinCorrelationHartree) < 1e-12);
  }
});

test('first step on two threads equals one thread bit for bit, with batches taken by the worker', async () => {
  // H2O cc-pVTZ: 58 functions, 16 batches of AO pairs with two threads.
  const scf = runRhf(water, buildMolecularBasis(water, loadBasisLibrary('cc-pvtz')));
  const o = scf.nAlpha;
  const r = { i0: 1, ni: o - 1, a0: o, na: scf.nOrbitals - o, j0: 1, nj: o - 1, b0: o, nb: scf.nOrbitals - o };
  const collect = (threads: number): { slices: Float64Array; report: OccupiedSliceReport } => {
    const slices = new Float64Array(r.ni * r.na * r.nj * r.nb);
    const c = scf.coefficientsAlpha;
    const report = forEachOccupiedSlice(scf.eri, c, c, scf.nOrbitals, r, 2 ** 30, (i, s) => slices.set(s, i * s.length), { threads });
    return { slices, report };
  };
  const serial = collect(1);
  assert.equal(serial.report.pairBatchesByWorkers, 0);
  await startMp2Workers(1);
  try {
    // The worker joins as soon as it sees the job; retry in the rare case the caller took every batch first.
    let parallel = collect(2);
    for (let attempt = 0; attempt < 5 && parallel.report.pairBatchesByWorkers === 0; attempt++) parallel = collect(2);
    assert.ok(parallel.report.pairBatches >= 8, `${parallel.report.pairBatches} batches`);
    assert.ok(parallel.report.pairBatchesByWorkers > 0, 'the worker took no batch');
    assert.deepEqual(parallel.slices, serial.slices);
  } finally {
    await terminateMp2Workers();
  }
});

test('pairsUpToI visits (ia|jb) for j ≤ i only, equal to the full slices', () => {
  const scf = runRhf(water, buildMolecularBasis(water, loadBasisLibrary('cc-pvdz')));
  const o = scf.nAlpha;
  const v = scf.nOrbitals - o;
  const r = { i0: 0, ni: o, a0: o, na: v, j0: 0, nj: o, b0: o, nb: v };
  const c = scf.coefficientsAlpha;
  const full = transformOvov(scf.eri, c, c, scf.nOrbitals, 0, o, o, v, 0, o, o, v);
  let visited = 0;
  forEachOccupiedSlice(
    scf.eri,
    c,
    c,
    scf.nOrbitals,
    r,
    2 ** 30,
    (i, slice) => {
      assert.equal(i, visited++);
      assert.equal(slice.length, v * (i + 1) * v);
      let d = 0;
      for (let a = 0; a < v; a++)
        for (let j = 0; j <= i; j++)
          for (let b = 0; b < v; b++) d = Math.max(d, Math.abs(slice[(a * (i + 1) + j) * v + b] - full[((i * v + a) * o + j) * v + b]));
      assert.ok(d < 1e-13, `orbital ${i}: ${d}`);
    },
    { pairsUpToI: true },
  );
  assert.equal(visited, o);
  assert.throws(() => forEachOccupiedSlice(scf.eri, c, scf.coefficientsAlpha.slice(), scf.nOrbitals, r, 2 ** 30, () => {}, { pairsUpToI: true }), /same coefficients/);
});

test('MP2 sums of the slices: two threads equal one bit for bit, with slices made by the worker, and equal the sums over the visited slices', async () => {
  const scf = runRhf(water, buildMolecularBasis(water, loadBasisLibrary('cc-pvtz')));
  const o = scf.nAlpha;
  const v = scf.nOrbitals - o;
  const r = { i0: 0, ni: o, a0: o, na: v, j0: 0, nj: o, b0: o, nb: v };
  const c = scf.coefficientsAlpha;
  const eps = scf.orbitalEnergiesAlpha;
  const energies = { occupiedI: eps.slice(0, o), virtualA: eps.slice(o), occupiedJ: eps.slice(0, o), virtualB: eps.slice(o) };
  const visited = new Float64Array(2 * o);
  forEachOccupiedSlice(scf.eri, c, c, scf.nOrbitals, r, 2 ** 30, (i, slice) => {
    const s = mp2SliceSums(slice, energies.occupiedI[i], energies.occupiedI, energies.virtualA, i);
    visited[2 * i] = s.sameSpin;
    visited[2 * i + 1] = s.oppositeSpin;
  }, { pairsUpToI: true, threads: 1 });
  const transform = { eri: scf.eri, c1: c, c2: c, nMo: scf.nOrbitals, ranges: r, memoryBytes: 2 ** 30 };
  for (const pairsUpToI of [true, false]) {
    const serial = sumOccupiedSlices(transform, energies, { pairsUpToI, threads: 1 });
    assert.equal(serial.report.slicesByWorkers, 0);
    if (pairsUpToI) for (let x = 0; x < 2 * o; x++) assert.ok(Math.abs(serial.sums[x] - visited[x]) < 1e-15, `sum ${x}`);
    else {
      // Σ_jab (ia|jb)²/D over all j equals the opposite-spin pair sums with j < i counted twice.
      const total = (xs: Float64Array, k: number): number => xs.reduce((acc, y, x) => (x % 2 === k ? acc + y : acc), 0);
      assert.ok(Math.abs(total(serial.sums, 1) - total(visited, 1)) < 1e-14);
    }
    await startMp2Workers(1);
    try {
      let parallel = sumOccupiedSlices(transform, energies, { pairsUpToI, threads: 2 });
      // Under load the calling thread can take every slice before the worker wakes: try again,
      // leaving the worker's event loop a moment between attempts.
      for (let attempt = 0; attempt < 30 && parallel.report.slicesByWorkers === 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        parallel = sumOccupiedSlices(transform, energies, { pairsUpToI, threads: 2 });
      }
      assert.ok(parallel.report.slicesByWorkers > 0, 'the worker made no slice');
      assert.deepEqual(parallel.sums, serial.sums);
    } finally {
      await terminateMp2Workers();
    }
  }
});
