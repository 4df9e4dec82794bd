/**
 * A Hubbard baseline for hydrogen clusters, built from the H₂ curves and one on-site energy U.
 *
 * The spin-pair (Heisenberg) baseline (baseline.ts) is the U → ∞ limit of this one: it pairs the
 * electrons but never moves them, so a compact run of short bonds, where the electrons are
 * band-like (hopping t comparable to U), is outside its picture. Here every pair of atoms at
 * distance r has a hopping t(r) and every atom the on-site repulsion U; with
 *   H = Σ_{i<j} (E_T(r_ij) − 2 e_H) + Σ_{i<j} t(r_ij) Σ_σ (c†_iσ c_jσ + c†_jσ c_iσ) + U Σ_i n_i↑ n_i↓,
 *   E₀ = n e_H + λ_min(H),
 * the two-site model's triplet is E_T(r) and its singlet E_T + U/2 − √(U²/4 + 4t²), so
 *   t(r) = −½ √(J (J + U)),   J(r) = E_T(r) − E_S(r) ≥ 0
 * reproduces the H₂ singlet and triplet curves exactly for any U (t < 0: overlapping s orbitals),
 * and J_eff = 4t²/U → J as U → ∞ recovers the Heisenberg model. Between the two limits it
 * interpolates to tight binding (U → 0) for short bonds.
 *
 * The ground state is solved exactly in the sector N↑ = ⌈n/2⌉, N↓ = ⌊n/2⌋ (dimension
 * C(n, N↑) C(n, N↓); the state ψ[u, d] over occupation strings u of the up and d of the down
 * electrons, bit a set when atom a is occupied; up operators ordered before down ones, so a hop
 * carries the sign (−1)^(electrons of its spin between the two sites)) by Davidson (diagonal
 * preconditioner: the U Σ n↑n↓ part is diagonal), from a seeded start on the states without double
 * occupancy.
 * This scales as FCI does (the same dimension in a minimal basis), with one-body hops only; it is
 * limited to {@link HUBBARD_BASELINE_MAX_ATOMS} atoms.
 * Forces are Hellmann–Feynman: ∂E₀/∂r_ij = E_T'(r_ij) + t'(r_ij) P_ij with
 * P_ij = Σ_σ ⟨c†_iσ c_jσ + c†_jσ c_iσ⟩. Positions in Bohr (atom a at [3a, 3a+1, 3a+2]); energies
 * in Hartree.
 */
import { InputError } from '../core/index.js';
import { davidson } from '../classical/index.js';
import { atomDistanceBohr } from '../chem/index.js';
import { type Curve, type PairCurveTables, checkPairBaselineAtoms, checkPairBaselineTables, couplingCurve, pairForces, spline } from './baseline.js';

/** Settings of the Hubbard baseline (plain JSON, stored in model files). */
export interface HubbardBaselineSettings extends PairCurveTables {
  kind: 'hubbard';
  /** The one element the baseline covers. */
  element: number;
  /** Energy of the free atom, Hartree. */
  atomEnergyHartree: number;
  /** On-site repulsion U, Hartree (> 0). */
  onSiteHartree: number;
}

/** Largest cluster the Hubbard baseline solves (the space grows as C(n, n/2)²). */
export const HUBBARD_BASELINE_MAX_ATOMS = 14;

/** Check the settings; an InputError names the problem. */
export function checkHubbardBaseline(s: HubbardBaselineSettings): void {
  if (s.kind !== 'hubbard') throw new InputError(`baseline: unknown kind '${String(s.kind)}'`);
  checkPairBaselineTables(s);
  if (!Number.isFinite(s.onSiteHartree) || !(s.onSiteHartree > 0)) throw new InputError('baseline: onSiteHartree must be a positive number');
}

/** Occupation strings of n sites with k electrons, increasing, and the index of each string. */
function strings(n: number, k: number): { list: Int32Array; index: Int32Array } {
  const list: number[] = [];
  const index = new Int32Array(1 << n).fill(-1);
  for (let s = 0; s < 1 << n; s++) {
    let c = 0;
    for (let b = 0; b < n; b++) c += (s >> b) & 1;
    if (c === k) {
      index[s] = list.length;
      list.push(s);
    }
  }
  return { list: Int32Array.from(list), index };
}

/** Hops of one spin: string `from` to string `to` moves an electron across pair `pair` with sign `sign`. */
interface Hops {
  from: Int32Array;
  to: Int32Array;
  pair: Int32Array;
  sign: Float64Array;
}

function hops(n: number, k: number): { count: number; hops: Hops; list: Int32Array } {
  const { list, index } = strings(n, k);
  const from: number[] = [];
  const to: number[] = [];
  const pair: number[] = [];
  const sign: number[] = [];
  for (let p = 0; p < list.length; p++) {
    const s = list[p];
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const bi = (s >> i) & 1;
        if (bi === ((s >> j) & 1)) continue;
        // electrons strictly between i and j
        let between = 0;
        for (let b = i + 1; b < j; b++) between += (s >> b) & 1;
        from.push(p);
        to.push(index[s ^ (1 << i) ^ (1 << j)]);
        pair.push(i * n + j);
        sign.push(between % 2 === 0 ? 1 : -1);
      }
    }
  }
  return { count: list.length, list, hops: { from: Int32Array.from(from), to: Int32Array.from(to), pair: Int32Array.from(pair), sign: Float64Array.from(sign) } };
}

const hopCache = new Map<string, ReturnType<typeof hops>>();
function cachedHops(n: number, k: number): ReturnType<typeof hops> {
  const key = `${n}:${k}`;
  let h = hopCache.get(key);
  if (!h) {
    h = hops(n, k);
    hopCache.set(key, h);
  }
  return h;
}

/**
 * Ground state of the Hubbard model with hoppings t (n × n, symmetric, diagonal ignored) and
 * on-site U, with ⌈n/2⌉ up and ⌊n/2⌋ down electrons: its energy and, when asked for, the hopping
 * expectations P_ij = Σ_σ ⟨c†_iσ c_jσ + h.c.⟩ (n × n, symmetric).
 */
export function hubbardGroundState(t: Float64Array, U: number, n: number, withHopping: boolean): { energy: number; hopping?: Float64Array } {
  if (n <= 1) return { energy: 0, ...(withHopping ? { hopping: new Float64Array(n * n) } : {}) };
  const up = cachedHops(n, (n + 1) >> 1);
  const dn = cachedHops(n, n >> 1);
  const Nu = up.count;
  const Nd = dn.count;
  const dim = Nu * Nd;
  const diag = new Float64Array(dim);
  for (let a = 0; a < Nu; a++) {
    for (let b = 0; b < Nd; b++) {
      let d = up.list[a] & dn.list[b];
      let c = 0;
      while (d) {
        d &= d - 1;
        c++;
      }
      diag[a * Nd + b] = U * c;
    }
  }
  const upVal = Float64Array.from(up.hops.sign, (s, e) => s * t[up.hops.pair[e]]);
  const dnVal = Float64Array.from(dn.hops.sign, (s, e) => s * t[dn.hops.pair[e]]);
  const apply = (x: Float64Array, y: Float64Array): void => {
    for (let p = 0; p < dim; p++) y[p] = diag[p] * x[p];
    const uf = up.hops.from;
    const ut = up.hops.to;
    for (let e = 0; e < upVal.length; e++) {
      const v = upVal[e];
      if (v === 0) continue;
      const src = uf[e] * Nd;
      const dst = ut[e] * Nd;
      for (let b = 0; b < Nd; b++) y[dst + b] += v * x[src + b];
    }
    const df = dn.hops.from;
    const dt = dn.hops.to;
    for (let a = 0; a < Nu; a++) {
      const o = a * Nd;
      for (let e = 0; e < dnVal.length; e++) {
        const v = dnVal[e];
        if (v !== 0) y[o + dt[e]] += v * x[o + df[e]];
      }
    }
  };
  // start: a seeded pseudo-random vector on the states without double occupancy (the low band at
  // large U); Davidson's diagonal preconditioner then handles the stiff U part
  const start = new Float64Array(dim);
  let seed = 12345;
  for (let p = 0; p < dim; p++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    if (diag[p] === 0) start[p] = seed / 4294967296 - 0.5;
  }
  const solved = davidson(apply, diag, [start], { residualTolerance: 1e-7, energyTolerance: 1e-12, maxIterations: 1000, maxSubspace: 16 });
  const energy = solved.values[0];
  if (!withHopping) return { energy };
  const psi = solved.vectors[0];
  const hopping = new Float64Array(n * n);
  for (let e = 0; e < up.hops.from.length; e++) {
    const src = up.hops.from[e] * Nd;
    const dst = up.hops.to[e] * Nd;
    let s = 0;
    for (let b = 0; b < Nd; b++) s += psi[dst + b] * psi[src + b];
    hopping[up.hops.pair[e]] += up.hops.sign[e] * s;
  }
  for (let a = 0; a < Nu; a++) {
    const o = a * Nd;
    for (let e = 0; e < dn.hops.from.length; e++) hopping[dn.hops.pair[e]] += dn.hops.sign[e] * psi[o + dn.hops.to[e]] * psi[o + dn.hops.from[e]];
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) hopping[j * n + i] = hopping[i * n + j];
  return { energy, hopping };
}

/** The baseline bound to its settings (same interface as the spin-pair baseline). */
export function createHubbardBaseline(settings: HubbardBaselineSettings): {
  readonly settings: HubbardBaselineSettings;
  evaluate(atomicNumbers: ArrayLike<number>, positionsBohr: ArrayLike<number>, withForces: boolean): { energyHartree: number; forcesHartreePerBohr?: Float64Array };
} {
  checkHubbardBaseline(settings);
  const r = settings.distancesBohr;
  const eH = settings.atomEnergyHartree;
  const U = settings.onSiteHartree;
  const triplet: Curve = spline(r, settings.tripletHartree, 2 * eH);
  const coupling: Curve = couplingCurve(settings);
  const va = new Float64Array(2);
  const vb = new Float64Array(2);
  return {
    settings,
    evaluate(atomicNumbers, positionsBohr, withForces) {
      checkPairBaselineAtoms('Hubbard', settings.element, HUBBARD_BASELINE_MAX_ATOMS, atomicNumbers);
      const n = atomicNumbers.length;
      const t = new Float64Array(n * n);
      const dt = new Float64Array(n * n);
      const dPair = new Float64Array(n * n);
      const dist = new Float64Array(n * n);
      let energy = n * eH;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const d = atomDistanceBohr(positionsBohr, i, j);
          triplet.eval(d, va);
          coupling.eval(d, vb);
          energy += va[0] - 2 * eH;
          dPair[i * n + j] = va[1];
          dist[i * n + j] = d;
          const J = vb[0];
          if (J > 0) {
            const root = Math.sqrt(J * (J + U));
            t[i * n + j] = t[j * n + i] = -0.5 * root;
            // dt/dr = −(2J + U) J' / (4 √(J (J + U)))
            dt[i * n + j] = (-(2 * J + U) * vb[1]) / (4 * root);
          }
        }
      }
      const g = hubbardGroundState(t, U, n, withForces);
      energy += g.energy;
      if (!withForces) return { energyHartree: energy };
      // ∂E/∂r_ij = E_T'(r) + t'(r)·⟨hopping_ij⟩ (Hellmann–Feynman), gathered in dPair
      const P = g.hopping!;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) dPair[i * n + j] += dt[i * n + j] * P[i * n + j];
      return { energyHartree: energy, forcesHartreePerBohr: pairForces(positionsBohr, dist, dPair, n) };
    },
  };
}
