import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { createMolecule } from '../chem/index.js';
import { runRhf, runUhf } from '../scf/index.js';
import { completeTransform, halfTransform, occupiedBlockSize, transformOvov } from './mp2-transform.js';
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
