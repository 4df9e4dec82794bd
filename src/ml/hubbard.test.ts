import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../core/index.js';
import { type SpinPairBaselineSettings, createSpinPairBaseline } from './baseline.js';
import { createBaseline } from './baselines.js';
import { type HubbardBaselineSettings, hubbardGroundState } from './hubbard.js';

/** Uniform hopping t on the given pairs of an n-site cluster. */
function hoppings(n: number, pairs: [number, number][], t: number): Float64Array {
  const out = new Float64Array(n * n);
  for (const [i, j] of pairs) out[i * n + j] = out[j * n + i] = t;
  return out;
}
const openChain = (n: number): [number, number][] => Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]);

test('Hubbard ground states: two sites, tight binding (U = 0) and the Heisenberg limit (U ≫ t), analytic', () => {
  // two sites, half filling: U/2 − √(U²/4 + 4t²); the bond's hopping expectation is −∂E/∂(−t)…: P = ∂E/∂t
  for (const [t, U] of [[-0.3, 0.5], [-1, 0.1], [-0.05, 2]]) {
    const g = hubbardGroundState(hoppings(2, [[0, 1]], t), U, 2, true);
    const exact = U / 2 - Math.sqrt(U * U / 4 + 4 * t * t);
    assert.ok(Math.abs(g.energy - exact) < 1e-12, `t ${t}, U ${U}: ${g.energy} vs ${exact}`);
    assert.ok(Math.abs(g.hopping![1] - (-4 * t) / Math.sqrt(U * U / 4 + 4 * t * t)) < 1e-9);
  }
  // U = 0: open chains fill the orbitals 2t cos(kπ/(n+1)), ⌈n/2⌉ up and ⌊n/2⌋ down electrons
  for (const n of [3, 6, 7, 10]) {
    const t = -0.7;
    const levels = Array.from({ length: n }, (_, k) => 2 * t * Math.cos(((k + 1) * Math.PI) / (n + 1))).sort((a, b) => a - b);
    const sum = (k: number) => levels.slice(0, k).reduce((s, v) => s + v, 0);
    const exact = sum((n + 1) >> 1) + sum(n >> 1);
    const g = hubbardGroundState(hoppings(n, openChain(n), t), 0, n, false);
    assert.ok(Math.abs(g.energy - exact) < 1e-9, `n = ${n}: ${g.energy} vs ${exact}`);
  }
  // U ≫ t: the Heisenberg chain Σ J (S_i·S_j − ¼), J = 4t²/U; open 4-site chain −(3 + 2√3)/4 J − 3J/4
  const U = 400;
  const J = 4 / U;
  const g4 = hubbardGroundState(hoppings(4, openChain(4), -1), U, 4, false);
  const heis = J * (-(3 + 2 * Math.sqrt(3)) / 4 - 0.75);
  assert.ok(Math.abs(g4.energy - heis) < 1e-3 * Math.abs(heis), `${g4.energy} vs ${heis}`);
  // hopping expectations: Σ t_ij P_ij is the kinetic energy, E − U Σ⟨n↑n↓⟩ = E at U = 0
  const pairs6 = openChain(6);
  const g6 = hubbardGroundState(hoppings(6, pairs6, -1), 0, 6, true);
  const kinetic = pairs6.reduce((s, [i, j]) => s - g6.hopping![i * 6 + j], 0);
  assert.ok(Math.abs(kinetic - g6.energy) < 1e-9);
});

/** Model curves as in baseline.test.ts: singlet −0.5 − 0.2 e^{−(r−1.4)}(2 − e^{−(r−1.4)}), triplet −0.5 + 0.3 e^{−1.2(r−1)}. */
function curves(): SpinPairBaselineSettings {
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

test('Hubbard baseline: exact for H2 at any U, the spin-pair baseline as U → ∞, forces equal central differences', () => {
  const s = curves();
  const hub = (U: number): HubbardBaselineSettings => ({ ...s, kind: 'hubbard', onSiteHartree: U });
  const k = 20;
  const r = s.distancesBohr[k];
  for (const U of [0.05, 0.5, 5]) {
    const b = createBaseline(hub(U));
    assert.ok(Math.abs(b.evaluate([1, 1], [0, 0, 0, 0, 0, r], false).energyHartree - s.singletHartree[k]) < 1e-12);
    assert.ok(Math.abs(b.evaluate([1], [0, 0, 0], false).energyHartree - s.atomEnergyHartree) < 1e-15);
  }
  const pos = [0, 0, 0, 1.5, 0.2, 0, 3.4, -0.4, 0.3, 5.0, 0.3, 0.1, 7.1, 0.0, -0.4, 8.6, 0.8, 0.2];
  const z = [1, 1, 1, 1, 1, 1];
  const heis = createSpinPairBaseline(s).evaluate(z, pos, false).energyHartree;
  const large = createBaseline(hub(1e4)).evaluate(z, pos, false).energyHartree;
  assert.ok(Math.abs(large - heis) < 1e-4, `U = 1e4: ${large} vs Heisenberg ${heis}`);
  const b = createBaseline(hub(0.4));
  const f = b.evaluate(z, pos, true).forcesHartreePerBohr!;
  const h = 1e-5;
  for (let c = 0; c < pos.length; c++) {
    const p = pos.slice();
    const m = pos.slice();
    p[c] += h;
    m[c] -= h;
    const fd = -(b.evaluate(z, p, false).energyHartree - b.evaluate(z, m, false).energyHartree) / (2 * h);
    assert.ok(Math.abs(fd - f[c]) < 1e-7, `component ${c}: ${f[c]} vs ${fd}`);
  }
  assert.throws(() => createBaseline({ ...hub(0.4), onSiteHartree: -1 }), InputError);
  assert.throws(() => b.evaluate([1, 3], [0, 0, 0, 0, 0, 3], false), (e: unknown) => e instanceof InputError && /Li \(atom 2\)/.test(e.message));
});
