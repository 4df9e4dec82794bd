import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../core/index.js';
import { type SpinPairBaselineSettings, createSpinPairBaseline, heisenbergGroundState } from './baseline.js';

/** Uniform couplings J on the given pairs of an n-site cluster. */
function couplings(n: number, pairs: [number, number][], J = 1): Float64Array {
  const out = new Float64Array(n * n);
  for (const [i, j] of pairs) out[i * n + j] = out[j * n + i] = J;
  return out;
}

test('Heisenberg ground states: analytic energies and spin correlations', () => {
  // two spins: the singlet, −3J/4
  assert.ok(Math.abs(heisenbergGroundState(couplings(2, [[0, 1]]), 2, false).energy + 0.75) < 1e-12);
  // open 4-site chain: −(3 + 2√3)/4 J; 4-site ring: −2J
  assert.ok(Math.abs(heisenbergGroundState(couplings(4, [[0, 1], [1, 2], [2, 3]]), 4, false).energy + (3 + 2 * Math.sqrt(3)) / 4) < 1e-10);
  assert.ok(Math.abs(heisenbergGroundState(couplings(4, [[0, 1], [1, 2], [2, 3], [3, 0]]), 4, false).energy + 2) < 1e-10);
  // the ring's singlet: ⟨S_i·S_i+1⟩ = −½, ⟨S_0·S_2⟩ = +¼ (Σ_{i<j} ⟨S_i·S_j⟩ = (S(S+1) − 3n/4)/2 = −3/2)
  const ring = heisenbergGroundState(couplings(4, [[0, 1], [1, 2], [2, 3], [3, 0]]), 4, true).correlations!;
  assert.ok(Math.abs(ring[0 * 4 + 1] + 0.5) < 1e-10 && Math.abs(ring[2 * 4 + 3] + 0.5) < 1e-10 && Math.abs(ring[0 * 4 + 2] - 0.25) < 1e-10);
  // every pair coupled: H = J/2 (S² − 3n/4), ground S = 0 (n even) or ½ (n odd), so Σ_{i<j} ⟨S_i·S_j⟩ = E/J
  for (const n of [3, 6, 9]) {
    const pairs: [number, number][] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]);
    const s = n % 2 === 0 ? 0 : 0.5;
    const g = heisenbergGroundState(couplings(n, pairs, 0.3), n, true);
    assert.ok(Math.abs(g.energy - 0.15 * (s * (s + 1) - 0.75 * n)) < 1e-10, `n = ${n}: ${g.energy}`);
    const sum = pairs.reduce((acc, [i, j]) => acc + g.correlations![i * n + j], 0);
    assert.ok(Math.abs(sum - g.energy / 0.3) < 1e-8, `n = ${n}: Σ⟨S·S⟩ ${sum}`);
  }
  // the 10-site open chain's ground state (Bethe-ansatz tables: −4.2580352 J)
  const chain: [number, number][] = [];
  for (let i = 0; i + 1 < 10; i++) chain.push([i, i + 1]);
  assert.ok(Math.abs(heisenbergGroundState(couplings(10, chain), 10, false).energy + 4.2580352) < 1e-6);
});

test('Heisenberg ground state: a repeated problem gives the same answer, and changed couplings a new one', () => {
  // open 4-site chain −(3 + 2√3)/4 J; the same array with the middle bond cut is two singlets, −3J/2
  const J = couplings(4, [[0, 1], [1, 2], [2, 3]]);
  const chain4 = -(3 + 2 * Math.sqrt(3)) / 4;
  assert.ok(Math.abs(heisenbergGroundState(J, 4, false).energy - chain4) < 1e-10);
  const first = heisenbergGroundState(J, 4, true);
  J[1 * 4 + 2] = J[2 * 4 + 1] = 0;
  const cut = heisenbergGroundState(J, 4, true);
  assert.ok(Math.abs(cut.energy + 1.5) < 1e-10, `the edited couplings are solved again: ${cut.energy}`);
  assert.ok(Math.abs(cut.correlations![1 * 4 + 2]) < 1e-10 && Math.abs(cut.correlations![0 * 4 + 1] + 0.75) < 1e-10, 'two singlets');
  J[1 * 4 + 2] = J[2 * 4 + 1] = 1;
  const again = heisenbergGroundState(J, 4, true);
  assert.equal(again.energy, first.energy);
  assert.deepEqual(Array.from(again.correlations!), Array.from(first.correlations!));
  assert.deepEqual(Array.from(again.contractResponse!(new Float64Array(6).fill(1))), Array.from(first.contractResponse!(new Float64Array(6).fill(1))));
});

/** Model curves: singlet −0.5 − 0.2 e^{−(r−1.4)}·(2 − e^{−(r−1.4)}), triplet −0.5 + 0.3 e^{−1.2(r − 1)} (tabulated 0.8–14 Bohr). */
function settings(): SpinPairBaselineSettings {
  const distancesBohr: number[] = [];
  for (let r = 0.8; r <= 14.0001; r += 0.05) distancesBohr.push(r);
  const eH = -0.25;
  return {
    kind: 'spin-pair',
    element: 1,
    atomEnergyHartree: eH,
    distancesBohr,
    singletHartree: distancesBohr.map((r) => 2 * eH - 0.2 * Math.exp(-(r - 1.4)) * (2 - Math.exp(-(r - 1.4)))),
    tripletHartree: distancesBohr.map((r) => 2 * eH + 0.3 * Math.exp(-1.2 * (r - 1))),
  };
}

test('spin-pair baseline: exact for H2 and for far-apart H2 units, forces equal central differences, other elements refused', () => {
  const s = settings();
  const b = createSpinPairBaseline(s);
  // at a tabulated distance the spline passes through the table: E0(H2) = E_S
  const k = 20;
  const r = s.distancesBohr[k];
  assert.ok(Math.abs(b.evaluate([1, 1], [0, 0, 0, 0, 0, r], false).energyHartree - s.singletHartree[k]) < 1e-12);
  // two H2 100 Bohr apart: the sum of their singlets; a lone atom: the free atom
  const k2 = 35;
  const pair = b.evaluate([1, 1, 1, 1], [0, 0, 0, 0, 0, r, 100, 0, 0, 100, s.distancesBohr[k2], 0], false).energyHartree;
  assert.ok(Math.abs(pair - s.singletHartree[k] - s.singletHartree[k2]) < 1e-10);
  assert.ok(Math.abs(b.evaluate([1], [0, 0, 0], false).energyHartree - s.atomEnergyHartree) < 1e-15);
  // forces of a bent H6 against central differences of the energy
  const pos = [0, 0, 0, 1.5, 0.2, 0, 3.4, -0.4, 0.3, 5.0, 0.3, 0.1, 7.1, 0.0, -0.4, 8.6, 0.8, 0.2];
  const f = b.evaluate([1, 1, 1, 1, 1, 1], pos, true).forcesHartreePerBohr!;
  const h = 1e-5;
  for (let c = 0; c < pos.length; c++) {
    const p = pos.slice();
    const m = pos.slice();
    p[c] += h;
    m[c] -= h;
    const fd = -(b.evaluate([1, 1, 1, 1, 1, 1], p, false).energyHartree - b.evaluate([1, 1, 1, 1, 1, 1], m, false).energyHartree) / (2 * h);
    assert.ok(Math.abs(fd - f[c]) < 1e-7, `component ${c}: ${f[c]} vs ${fd}`);
  }
  assert.throws(() => b.evaluate([1, 3], [0, 0, 0, 0, 0, 3], false), (e: unknown) => e instanceof InputError && /Li \(atom 2\)/.test(e.message));
  assert.throws(() => createSpinPairBaseline({ ...s, tripletHartree: s.tripletHartree.slice(1) }), InputError);
});

test('Heisenberg ground state: the linear response ∂⟨S_i·S_j⟩/∂J_kl equals central differences', () => {
  // a bent H4 whose ground state is nearly a product of singlets on (0,1) and (2,3): the
  // operator S_2·S_3 barely moves ψ, and its response must not be rounding noise amplified
  const nearlyPaired = [0.32418, 0.20185, 0.06293, 0.32669, 0.17977, 0.37129];
  for (const n of [4, 5, 6]) {
    // distinct couplings decaying with |i − j| (a bent chain's pattern), every pair coupled
    const J = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) J[i * n + j] = J[j * n + i] = n === 4 ? nearlyPaired[i * n - (i * (i + 1)) / 2 + j - i - 1] : (0.4 + 0.1 * Math.sin(3 * i + 7 * j)) * Math.exp(-1.1 * (j - i - 1));
    }
    const g = heisenbergGroundState(J, n, true);
    const P = (n * (n - 1)) / 2;
    // row p of the Jacobian: the response contracted with the unit weight on pair p
    const rows = Array.from({ length: P }, (_, p) => g.contractResponse!(Float64Array.from({ length: P }, (_, k) => (k === p ? 1 : 0))));
    const h = 1e-5;
    let q = 0;
    for (let k = 0; k < n; k++) {
      for (let l = k + 1; l < n; l++, q++) {
        const plus = Float64Array.from(J);
        const minus = Float64Array.from(J);
        plus[k * n + l] = plus[l * n + k] = J[k * n + l] + h;
        minus[k * n + l] = minus[l * n + k] = J[k * n + l] - h;
        const cp = heisenbergGroundState(plus, n, true).correlations!;
        const cm = heisenbergGroundState(minus, n, true).correlations!;
        let p = 0;
        for (let i = 0; i < n; i++) {
          for (let j = i + 1; j < n; j++, p++) {
            const fd = (cp[i * n + j] - cm[i * n + j]) / (2 * h);
            const an = rows[p][q];
            assert.ok(Math.abs(fd - an) < 1e-6 * Math.max(1, Math.abs(fd)), `n = ${n}, ⟨S${i}·S${j}⟩ by J${k}${l}: ${an} vs ${fd}`);
          }
        }
      }
    }
  }
});

test('Heisenberg ground state: a degenerate ground state has no response, and says so', () => {
  // three equal couplings: the two S = ½ doublets are degenerate
  const g = heisenbergGroundState(couplings(3, [[0, 1], [0, 2], [1, 2]], 0.3), 3, true);
  assert.throws(() => g.contractResponse!(Float64Array.from([1, 0, 0])), (e: unknown) => e instanceof InputError && /degenerate/.test(e.message));
  // split them slightly: a gap of 1.8e-4 of the couplings, a large but finite response equal to central differences
  const J = couplings(3, [[0, 1]], 0.3);
  J[2] = J[6] = J[5] = J[7] = 0.3 - 1.8e-4;
  const split = heisenbergGroundState(J, 3, true);
  const response = split.contractResponse!(Float64Array.from([0, 1, 0]));
  const h = 1e-7;
  for (const [q, i, j] of [[0, 0, 1], [1, 0, 2], [2, 1, 2]]) {
    const plus = Float64Array.from(J);
    const minus = Float64Array.from(J);
    plus[i * 3 + j] = plus[j * 3 + i] += h;
    minus[i * 3 + j] = minus[j * 3 + i] -= h;
    const fd = (heisenbergGroundState(plus, 3, true).correlations![2] - heisenbergGroundState(minus, 3, true).correlations![2]) / (2 * h);
    assert.ok(Math.abs(fd - response[q]) < 1e-5 * Math.max(1, Math.abs(fd)), `J${i}${j}: ${response[q]} vs ${fd}`);
  }
});
