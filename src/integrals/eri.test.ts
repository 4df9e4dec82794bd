import { test } from 'node:test';
import assert from 'node:assert/strict';
import { electronRepulsionIntegrals, startElectronRepulsionIntegrals } from './eri.js';
import { eriIndex, packedEriLength } from './eri-layout.js';
import { parseGbs } from '../basis/gbs.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { loadBasisLibrary } from '../basis/library.js';
import { rotate, translate, water } from './test-helpers.test-util.js';
import type { Molecule } from '../chem/molecule.js';

/** F_0 by Simpson's rule (independent of boys.ts). */
function f0(t: number): number {
  const n = 20000;
  const h = 1 / n;
  let s = 1 + Math.exp(-t);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * Math.exp(-t * (i * h) ** 2);
  return (s * h) / 3;
}

test('(ss|ss) over primitives matches the closed form, and → 1/R for distant charges', () => {
  const lib = parseGbs('H 0\nS 1 1.00\n 1.3 1.0\n****\nHe 0\nS 1 1.00\n 0.4 1.0\n****\nLi 0\nS 1 1.00\n 0.9 1.0\n****\n', { name: 'x' });
  const pos = [0, 0, 0, 0.3, -0.2, 1.1, 1.0, 0.5, -0.4];
  const mol = { atomicNumbers: Int32Array.from([1, 2, 3]), positionsBohr: Float64Array.from(pos), charge: 0, multiplicity: 1 };
  const basis = buildMolecularBasis(mol, lib);
  const eri = electronRepulsionIntegrals(basis, { screeningThreshold: 0 });
  const ex = [1.3, 0.4, 0.9];
  const ref = (i: number, j: number, k: number, l: number): number => {
    const c = (a: number) => [pos[3 * a], pos[3 * a + 1], pos[3 * a + 2]];
    const n = (a: number) => (2 * ex[a] / Math.PI) ** 0.75;
    const pairData = (a: number, b: number) => {
      const p = ex[a] + ex[b];
      const A = c(a), B = c(b);
      const r2 = (A[0] - B[0]) ** 2 + (A[1] - B[1]) ** 2 + (A[2] - B[2]) ** 2;
      const P = A.map((v, d) => (ex[a] * v + ex[b] * B[d]) / p);
      return { p, P, k: n(a) * n(b) * Math.exp(-(ex[a] * ex[b] / p) * r2) };
    };
    const x = pairData(i, j), y = pairData(k, l);
    const rpq2 = (x.P[0] - y.P[0]) ** 2 + (x.P[1] - y.P[1]) ** 2 + (x.P[2] - y.P[2]) ** 2;
    const alpha = (x.p * y.p) / (x.p + y.p);
    return ((2 * Math.PI ** 2.5) / (x.p * y.p * Math.sqrt(x.p + y.p))) * x.k * y.k * f0(alpha * rpq2);
  };
  for (const [i, j, k, l] of [[0, 0, 0, 0], [1, 0, 2, 1], [2, 2, 1, 0], [1, 1, 2, 2], [2, 0, 2, 0]]) {
    assert.ok(Math.abs(eri.values[eriIndex(i, j, k, l)] - ref(i, j, k, l)) < 1e-13, `(${i}${j}|${k}${l})`);
  }
  // (aa|aa) of a normalised s primitive = 2 sqrt(a/π) ... times sqrt(2) : sqrt(4a/π)
  assert.ok(Math.abs(eri.values[eriIndex(0, 0, 0, 0)] - 2 * Math.sqrt(1.3 / Math.PI)) < 1e-14);
  // Distant charge distributions: (aa|bb) → 1/R.
  const far = { ...mol, positionsBohr: Float64Array.from([0, 0, 0, 0, 0, 60, 0, 60, 0]) };
  const e2 = electronRepulsionIntegrals(buildMolecularBasis(far, lib), { screeningThreshold: 0 });
  assert.ok(Math.abs(e2.values[eriIndex(0, 0, 1, 1)] - 1 / 60) < 1e-14);
});

test('packed layout: every stored value is consistent with its 8 permutations; length P(P+1)/2', () => {
  const basis = buildMolecularBasis(water(), loadBasisLibrary('6-31g*'));
  const eri = electronRepulsionIntegrals(basis);
  assert.equal(eri.nBasis, 19);
  assert.equal(eri.values.length, packedEriLength(19));
  // (ii|jj) ≥ 0 and Cauchy–Schwarz |(ij|kl)|² ≤ (ij|ij)(kl|kl) on every element.
  const n = 19;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.ok(eri.values[eriIndex(i, i, j, j)] > 0);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) for (let k = 0; k < n; k++) for (let l = 0; l <= k; l++) {
    const v = eri.values[eriIndex(i, j, k, l)];
    assert.ok(v * v <= eri.values[eriIndex(i, j, i, j)] * eri.values[eriIndex(k, l, k, l)] * (1 + 1e-12) + 1e-24);
  }
});

test('shell grouping, screening and threads do not change the integrals', () => {
  // 6-31G**: SP shells are grouped, and (sp sp|sp sp) quartets take the split path.
  const basis = buildMolecularBasis(water(), loadBasisLibrary('6-31g**'));
  const ref = electronRepulsionIntegrals(basis, { groupSharedExponents: false, screeningThreshold: 0, threads: 1 });
  const grouped = electronRepulsionIntegrals(basis, { threads: 1 });
  const parallel = electronRepulsionIntegrals(basis, { threads: 2 });
  let d1 = 0, d2 = 0;
  for (let i = 0; i < ref.values.length; i++) {
    d1 = Math.max(d1, Math.abs(ref.values[i] - grouped.values[i]));
    d2 = Math.max(d2, Math.abs(grouped.values[i] - parallel.values[i]));
  }
  assert.ok(d1 < 1e-11, `grouped/screened vs reference ${d1}`);
  assert.equal(d2, 0);
});

test('integrals started early and finished later equal the direct ones, in any thread count', () => {
  const basis = buildMolecularBasis(water(), loadBasisLibrary('6-31g**'));
  const direct = electronRepulsionIntegrals(basis, { threads: 1 });
  for (const threads of [1, 2, 3]) {
    const pending = startElectronRepulsionIntegrals(basis, { threads });
    // Work in this thread while the workers (if any) begin on the quartets.
    let busy = 0;
    for (let i = 0; i < 200000; i++) busy += Math.sqrt(i);
    assert.ok(busy > 0);
    const eri = pending.finish();
    assert.equal(pending.finish(), eri, 'finish() returns the same integrals again');
    assert.equal(eri.nBasis, basis.nFunctions);
    let d = 0;
    for (let i = 0; i < direct.values.length; i++) d = Math.max(d, Math.abs(direct.values[i] - eri.values[i]));
    assert.equal(d, 0, `threads ${threads}`);
  }
});

test('ERI sum of squares is invariant under rotation (pure cc-pVTZ, f functions)', () => {
  const lib = loadBasisLibrary('cc-pvtz');
  const m0 = water();
  const m1 = rotate(translate(m0, [1, 2, 3]), [1, 1, 0], 0.7);
  const sumSq = (m: typeof m0): number => {
    const b = buildMolecularBasis(m, lib);
    const e = electronRepulsionIntegrals(b, { threads: 1 });
    const n = b.nFunctions;
    let s = 0;
    // Full n⁴ sum from the packed values with permutation multiplicities.
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
      const ij = (i * (i + 1)) / 2 + j;
      for (let k = 0; k < n; k++) for (let l = 0; l <= k; l++) {
        const kl = (k * (k + 1)) / 2 + l;
        if (kl > ij) continue;
        const v = e.values[(ij * (ij + 1)) / 2 + kl];
        const mult = (i === j ? 1 : 2) * (k === l ? 1 : 2) * (ij === kl ? 1 : 2);
        s += mult * v * v;
      }
    }
    return s;
  };
  const s0 = sumSq(m0), s1 = sumSq(m1);
  assert.ok(Math.abs(s0 - s1) / s0 < 1e-12, `${s0} vs ${s1}`);
});

test('g shells: ERI sum of squares and overlap eigenvalues are rotation invariant; h shells are rejected', () => {
  const lib = parseGbs('O 0\nG 1 1.00\n 0.9 1.0\nD 1 1.00\n 0.5 1.0\n****\nH 0\nS 1 1.00\n 0.7 1.0\nP 1 1.00\n 1.1 1.0\n****\n', { name: 'g-test', pure: true });
  const base: Molecule = { atomicNumbers: Int32Array.from([8, 1]), positionsBohr: Float64Array.from([0.1, -0.2, 0.3, 0.9, 1.1, -0.8]), charge: 0, multiplicity: 1 };
  const sumSq = (m: Molecule): number => {
    const b = buildMolecularBasis(m, lib);
    const e = electronRepulsionIntegrals(b, { threads: 1, screeningThreshold: 0 });
    const n = b.nFunctions;
    let s = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) for (let l = 0; l < n; l++) {
      s += e.values[eriIndex(i, j, k, l)] ** 2;
    }
    return s;
  };
  const s0 = sumSq(base);
  const s1 = sumSq(rotate(base, [0.2, 1, -0.4], 2.1));
  assert.ok(Math.abs(s0 - s1) / s0 < 1e-12, `${s0} vs ${s1}`);
  const hLib = parseGbs('O 0\nH 1 1.00\n 0.9 1.0\n****\n', { name: 'h-test', pure: true });
  const hBasis = buildMolecularBasis({ ...base, atomicNumbers: Int32Array.from([8]), positionsBohr: new Float64Array(3) }, hLib);
  assert.throws(() => electronRepulsionIntegrals(hBasis), /support s, p, d, f and g/);
});

test('the work estimate that chooses the thread count tracks the per-quartet kernel cost (H2O cc-pVTZ, f shells)', async () => {
  const { buildShellPairs } = await import('./shell-pairs.js');
  const { estimateEriWork } = await import('./eri-range.js');
  const pairs = buildShellPairs(buildMolecularBasis(water(), loadBasisLibrary('cc-pvtz')));
  // Brute force over every quartet X ≥ Y of the kernel's operation count, with the pair of more
  // functions in the bra: R recursion and W = R·E_ket per primitive quartet, bra contraction per
  // bra primitive pair.
  const nh = (l: number): number => ((l + 1) * (l + 2) * (l + 3)) / 6;
  let exact = 0;
  for (let x = 0; x < pairs.nPairs; x++) {
    for (let y = 0; y <= x; y++) {
      const swap = pairs.pairNA[y] * pairs.pairNB[y] > pairs.pairNA[x] * pairs.pairNB[x];
      const b = swap ? y : x;
      const k = swap ? x : y;
      const np = pairs.primStart[b + 1] - pairs.primStart[b];
      const nq = pairs.primStart[k + 1] - pairs.primStart[k];
      const lb = pairs.pairL[b], lk = pairs.pairL[k];
      const nB = pairs.pairNA[b] * pairs.pairNB[b];
      const nK = pairs.pairNA[k] * pairs.pairNB[k];
      exact += np * nq * (nh(lb + lk) * (lb + lk) + nh(lb) * nh(lk) * nK) + np * nB * nh(lb) * nK;
    }
  }
  const estimate = estimateEriWork(pairs);
  assert.ok(estimate > exact / 1.35 && estimate < exact * 1.35, `estimate ${estimate} vs brute force ${exact}`);
});

test('one-centre integrals copied from a pending molecular job equal those computed on their own (O and H of H2O cc-pVTZ)', async () => {
  const { oneCentreFromRecentJob } = await import('./eri-reuse.js');
  const molecule = water();
  const lib = loadBasisLibrary('cc-pvtz');
  const atoms = [0, 2].map((a) => ({
    atomicNumbers: Int32Array.of(molecule.atomicNumbers[a]),
    positionsBohr: molecule.positionsBohr.slice(3 * a, 3 * a + 3),
    charge: 0,
    multiplicity: 1,
  }));
  const subs = atoms.map((m) => buildMolecularBasis(m, lib));
  // Computed on their own before any molecular job exists.
  const alone = subs.map((b) => electronRepulsionIntegrals(b, { threads: 1 }));
  const pending = startElectronRepulsionIntegrals(buildMolecularBasis(molecule, lib));
  for (let i = 0; i < subs.length; i++) {
    const copied = oneCentreFromRecentJob(subs[i], {});
    assert.ok(copied, 'the one-centre block is found in the pending job');
    assert.equal(copied.nBasis, subs[i].nFunctions);
    assert.deepEqual(copied.values, alone[i].values);
  }
  // A different screening threshold means different quartets: no reuse.
  assert.equal(oneCentreFromRecentJob(subs[0], { screeningThreshold: 1e-10 }), undefined);
  pending.finish();
});
