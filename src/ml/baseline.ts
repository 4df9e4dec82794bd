/**
 * A valence-bond (Heisenberg) baseline for hydrogen clusters, built from the H₂ curves alone.
 *
 * Each pair of atoms at distance r is an H₂ whose two lowest states, the singlet E_S(r) and the
 * triplet E_T(r), are those of the spin Hamiltonian Ē(r) + J(r) S₁·S₂ with
 *   Ē(r) = (3 E_T(r) + E_S(r)) / 4,   J(r) = E_T(r) − E_S(r)   (E_S = Ē − 3J/4, E_T = Ē + J/4).
 * Summed over every pair of an n-atom cluster,
 *   E₀ = n e_H + Σ_{i<j} (Ē(r_ij) − 2 e_H) + λ_min( Σ_{i<j} J(r_ij) S_i·S_j ),
 * exact for H₂ and for far-apart H₂ units, and — the reason it is here — the spin ground state
 * pairs the electrons over the whole cluster (which atom pairs with which, resonance between
 * pairings, unpaired ends), the part of a stretched chain's energy an atom-centred model cannot
 * see. A learned model adds the local remainder E − E₀.
 *
 * The spin problem is solved in the S_z = (n mod 2)/2 sector (dimension C(n, ⌊n/2⌋), bit a of a
 * basis state set when atom a's spin is up) by Lanczos with full reorthogonalisation; forces are
 * Hellmann–Feynman: ∂E₀/∂r_ij = Ē'(r_ij) + J'(r_ij) ⟨S_i·S_j⟩. The curves are natural cubic
 * splines through the tabulated distances; beyond the last distance Ē = 2 e_H and J = 0 (the table
 * must reach the dissociation limit), before the first they continue linearly.
 * Positions in Bohr (atom a at [3a, 3a+1, 3a+2]); energies in Hartree.
 */
import { InputError, symmetricEigen } from '../core/index.js';
import { atomDistanceBohr, elementSymbol } from '../chem/index.js';

/** Settings of the baseline (plain JSON, stored in model files). */
export interface SpinPairBaselineSettings extends PairCurveTables {
  kind: 'spin-pair';
  /** The one element the baseline covers (its atoms are the spins). */
  element: number;
  /** Energy of the free atom, Hartree. */
  atomEnergyHartree: number;
}

/** Largest cluster the baseline solves (the spin space grows as C(n, n/2)). */
export const SPIN_BASELINE_MAX_ATOMS = 18;

/** Natural cubic spline coefficients: second derivatives at the knots. */
function splineSecondDerivatives(x: readonly number[], y: readonly number[]): Float64Array {
  const n = x.length;
  const m = new Float64Array(n);
  if (n < 3) return m;
  const c = new Float64Array(n);
  const d = new Float64Array(n);
  // tridiagonal system for the interior second derivatives (natural ends: m0 = m_{n−1} = 0)
  for (let i = 1; i < n - 1; i++) {
    const h0 = x[i] - x[i - 1];
    const h1 = x[i + 1] - x[i];
    const a = h0 / 6;
    const b = (h0 + h1) / 3;
    const cc = h1 / 6;
    const rhs = (y[i + 1] - y[i]) / h1 - (y[i] - y[i - 1]) / h0;
    const denom = b - a * c[i - 1];
    c[i] = cc / denom;
    d[i] = (rhs - a * d[i - 1]) / denom;
  }
  for (let i = n - 2; i >= 1; i--) m[i] = d[i] - c[i] * m[i + 1];
  return m;
}

/** A tabulated curve: value and derivative at r, into out[0], out[1]. */
export interface Curve {
  eval(r: number, out: Float64Array): void;
}

/** Natural cubic spline through (x, y); `tail` beyond the last knot, linear before the first. */
export function spline(x: readonly number[], y: readonly number[], tail: number): Curve {
  const m = splineSecondDerivatives(x, y);
  const n = x.length;
  const slope0 = n > 1 ? (y[1] - y[0]) / (x[1] - x[0]) - ((x[1] - x[0]) * (2 * m[0] + m[1])) / 6 : 0;
  return {
    eval(r: number, out: Float64Array): void {
      if (r >= x[n - 1]) {
        out[0] = tail;
        out[1] = 0;
        return;
      }
      if (r <= x[0]) {
        out[0] = y[0] + slope0 * (r - x[0]);
        out[1] = slope0;
        return;
      }
      let lo = 0;
      let hi = n - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (x[mid] <= r) lo = mid;
        else hi = mid;
      }
      const h = x[hi] - x[lo];
      const a = (x[hi] - r) / h;
      const b = (r - x[lo]) / h;
      out[0] = a * y[lo] + b * y[hi] + (((a * a * a - a) * m[lo] + (b * b * b - b) * m[hi]) * h * h) / 6;
      out[1] = (y[hi] - y[lo]) / h + ((-(3 * a * a - 1) * m[lo] + (3 * b * b - 1) * m[hi]) * h) / 6;
    },
  };
}

/** H₂ singlet and triplet tables, as the pair baselines hold them. */
export interface PairCurveTables {
  /** Increasing pair distances, Bohr. */
  distancesBohr: number[];
  /** Ground singlet energy of the diatomic at each distance, Hartree. */
  singletHartree: number[];
  /** Lowest triplet energy of the diatomic at each distance, Hartree. */
  tripletHartree: number[];
}

/** The exchange coupling J(r) = E_T(r) − E_S(r) of the tables, 0 beyond the last distance. */
export function couplingCurve(t: PairCurveTables): Curve {
  const r = t.distancesBohr;
  return spline(r, r.map((_, k) => t.tripletHartree[k] - t.singletHartree[k]), 0);
}

/** Check H₂ tables (distances, singlet and triplet energies); errors start with `owner`. */
export function checkPairCurves(s: PairCurveTables, owner = 'baseline'): void {
  const r = s.distancesBohr;
  if (!Array.isArray(r) || r.length < 3) throw new InputError(`${owner}: distancesBohr needs at least 3 distances`);
  if (!Array.isArray(s.singletHartree) || s.singletHartree.length !== r.length || !Array.isArray(s.tripletHartree) || s.tripletHartree.length !== r.length) {
    throw new InputError(`${owner}: singletHartree and tripletHartree need one energy per distance`);
  }
  for (let k = 0; k < r.length; k++) {
    if (!Number.isFinite(r[k]) || !Number.isFinite(s.singletHartree[k]) || !Number.isFinite(s.tripletHartree[k])) throw new InputError(`${owner}: entry ${k + 1} is not finite`);
    if (k > 0 && !(r[k] > r[k - 1])) throw new InputError(`${owner}: distancesBohr must increase`);
  }
}

/** Check the tables and the free atom's energy of a pair baseline. */
export function checkPairBaselineTables(s: PairCurveTables & { atomEnergyHartree: number }): void {
  checkPairCurves(s);
  if (!Number.isFinite(s.atomEnergyHartree)) throw new InputError('baseline: atomEnergyHartree must be finite');
}

/** Check the settings; an InputError names the problem. */
export function checkSpinPairBaseline(s: SpinPairBaselineSettings): void {
  if (s.kind !== 'spin-pair') throw new InputError(`baseline: unknown kind '${String(s.kind)}'`);
  checkPairBaselineTables(s);
}

/** Binomial coefficient C(n, k) for small n. */
function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/** Index of the pair i < j among the n(n−1)/2 pairs ordered (0,1), (0,2), …, (1,2), …. */
export function pairIndex(i: number, j: number, n: number): number {
  return i * n - (i * (i + 1)) / 2 + (j - i - 1);
}

/** Ground-state quantities of the Heisenberg model (see {@link heisenbergGroundState}). */
export interface HeisenbergGroundState {
  energy: number;
  /** ⟨S_i·S_j⟩ (n × n, symmetric; 0 on the diagonal), when asked for. */
  correlations?: Float64Array;
  /**
   * With the correlations: Σ_p a_p ∂⟨O_p⟩/∂J_q for every pair q (O_p = S_i·S_j of pair p; pairs
   * ordered by {@link pairIndex}), for pair weights a; one linear solve per call.
   */
  contractResponse?: (a: Float64Array) => Float64Array;
}

/** y ← (Σ_{i<j} C_ij S_i·S_j) x over the sector's states (C n × n; `diag` its diagonal). */
function applySpinOperator(C: Float64Array, diag: Float64Array, states: Int32Array, index: Int32Array, n: number, x: Float64Array, y: Float64Array): void {
  const dim = states.length;
  for (let p = 0; p < dim; p++) y[p] = diag[p] * x[p];
  for (let p = 0; p < dim; p++) {
    const s = states[p];
    const xp = x[p];
    if (xp === 0) continue;
    for (let i = 0; i < n; i++) {
      const bi = (s >> i) & 1;
      for (let j = i + 1; j < n; j++) {
        if (((s >> j) & 1) === bi) continue;
        y[index[s ^ (1 << i) ^ (1 << j)]] += 0.5 * C[i * n + j] * xp;
      }
    }
  }
}

/** Diagonal of Σ_{i<j} C_ij S_i·S_j over the sector's states. */
function spinOperatorDiagonal(C: Float64Array, states: Int32Array, n: number): Float64Array {
  const diag = new Float64Array(states.length);
  for (let p = 0; p < states.length; p++) {
    const s = states[p];
    let e = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) e += C[i * n + j] * (((s >> i) & 1) === ((s >> j) & 1) ? 0.25 : -0.25);
    diag[p] = e;
  }
  return diag;
}

/** ⟨x|S_i·S_j|y⟩ for every pair, into the upper triangle of out (n × n); x = y gives correlations. */
function pairExpectations(x: Float64Array, y: Float64Array, states: Int32Array, index: Int32Array, n: number, out: Float64Array): void {
  out.fill(0);
  for (let p = 0; p < states.length; p++) {
    const s = states[p];
    const yp = y[p];
    if (yp === 0) continue;
    for (let i = 0; i < n; i++) {
      const bi = (s >> i) & 1;
      for (let j = i + 1; j < n; j++) {
        if (((s >> j) & 1) === bi) out[i * n + j] += 0.25 * x[p] * yp;
        else out[i * n + j] += -0.25 * x[p] * yp + 0.5 * x[index[s ^ (1 << i) ^ (1 << j)]] * yp;
      }
    }
  }
}

/** The Lanczos ground state of Σ J_ij S_i·S_j and the sector it lives in. */
interface SpinGroundState {
  energy: number;
  ground: Float64Array;
  states: Int32Array;
  index: Int32Array;
  diag: Float64Array;
}

/**
 * The last problem solved, kept because a GP with the spin-correlation features over the spin-pair
 * baseline asks for the same couplings twice per structure (the result depends on J alone).
 */
let lastSpinSolve: { n: number; J: Float64Array; state: SpinGroundState } | null = null;

/** Lowest eigenpair of Σ_{i<j} J_ij S_i·S_j in the S_z = (n mod 2)/2 sector (n ≥ 2). */
function spinGroundState(J: Float64Array, n: number): SpinGroundState {
  const last = lastSpinSolve;
  if (last && last.n === n && last.J.length === J.length && last.J.every((x, k) => x === J[k])) return last.state;
  const up = (n + 1) >> 1;
  const dim = binomial(n, up);
  const states = new Int32Array(dim);
  const index = new Int32Array(1 << n).fill(-1);
  for (let s = 0, k = 0; s < 1 << n; s++) {
    let c = 0;
    for (let b = 0; b < n; b++) c += (s >> b) & 1;
    if (c === up) {
      states[k] = s;
      index[s] = k++;
    }
  }
  const diag = spinOperatorDiagonal(J, states, n);
  const apply = (x: Float64Array, y: Float64Array): void => applySpinOperator(J, diag, states, index, n, x, y);
  // Lanczos with full reorthogonalisation from a fixed pseudo-random start (a uniform start would
  // lie in the fully polarised multiplet, orthogonal to the ground state)
  const maxK = Math.min(dim, 120);
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let v = new Float64Array(dim);
  let seed = 12345;
  let norm = 0;
  for (let p = 0; p < dim; p++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    v[p] = seed / 4294967296 - 0.5;
    norm += v[p] * v[p];
  }
  norm = Math.sqrt(norm);
  for (let p = 0; p < dim; p++) v[p] /= norm;
  const w = new Float64Array(dim);
  let energy = 0;
  let scale = 0;
  let ground: Float64Array | null = null;
  for (let k = 0; k < maxK; k++) {
    basis.push(v);
    apply(v, w);
    let a = 0;
    for (let p = 0; p < dim; p++) a += w[p] * v[p];
    alpha.push(a);
    for (const u of basis) {
      let d = 0;
      for (let p = 0; p < dim; p++) d += w[p] * u[p];
      for (let p = 0; p < dim; p++) w[p] -= d * u[p];
    }
    norm = 0;
    for (let p = 0; p < dim; p++) norm += w[p] * w[p];
    norm = Math.sqrt(norm);
    // Ritz pair of the tridiagonal matrix so far
    const m = alpha.length;
    const t = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      t[i * m + i] = alpha[i];
      if (i + 1 < m) t[i * m + i + 1] = t[(i + 1) * m + i] = beta[i];
    }
    const eig = symmetricEigen(t, m);
    energy = eig.values[0];
    scale = Math.max(scale, Math.abs(a), norm);
    const residual = Math.abs(norm * eig.vectors[(m - 1) * m]);
    // converged Ritz pair, or an invariant subspace (the next vector would be rounding noise)
    if (residual < 1e-12 * scale || norm < 1e-10 * scale || m === maxK) {
      ground = new Float64Array(dim);
      for (let i = 0; i < m; i++) {
        const c = eig.vectors[i * m];
        const u = basis[i];
        for (let p = 0; p < dim; p++) ground[p] += c * u[p];
      }
      break;
    }
    beta.push(norm);
    v = Float64Array.from(w, (x) => x / norm);
  }
  const state = { energy, ground: ground!, states, index, diag };
  lastSpinSolve = { n, J: Float64Array.from(J), state };
  return state;
}

/**
 * Ground state of H = Σ_{i<j} J_ij S_i·S_j (J n × n, symmetric) in the S_z = (n mod 2)/2 sector:
 * its energy and, when asked for, ⟨S_i·S_j⟩ (n × n) and their response to the couplings.
 *
 * The response is linear: for weights a over pairs, W = Σ_p a_p O_p (O_p = S_i·S_j of pair p),
 * ∂ψ/∂J_q = −(H − E)⁺ Q O_q ψ (Q = 1 − |ψ⟩⟨ψ|), so
 *   Σ_p a_p ∂⟨O_p⟩/∂J_q = −2 ⟨y|O_q|ψ⟩,   (H − E) y = (W − ⟨W⟩) ψ,  y ⊥ ψ,
 * one conjugate-gradient solve in the space orthogonal to ψ (where H − E is positive when the
 * ground state is not degenerate) for every q at once.
 */
export function heisenbergGroundState(J: Float64Array, n: number, withCorrelations: boolean): HeisenbergGroundState {
  if (n <= 1) {
    return { energy: 0, ...(withCorrelations ? { correlations: new Float64Array(n * n), contractResponse: () => new Float64Array(0) } : {}) };
  }
  const { energy, ground: g, states, index, diag } = spinGroundState(J, n);
  if (!withCorrelations) return { energy };
  const dim = states.length;
  const apply = (x: Float64Array, y: Float64Array): void => applySpinOperator(J, diag, states, index, n, x, y);
  const corr = new Float64Array(n * n);
  pairExpectations(g, g, states, index, n, corr);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) corr[j * n + i] = corr[i * n + j];
  const contractResponse = (a: Float64Array): Float64Array => {
    // right-hand side (W − ⟨W⟩) ψ
    const C = new Float64Array(n * n);
    let mean = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        C[i * n + j] = a[pairIndex(i, j, n)];
        mean += C[i * n + j] * corr[i * n + j];
      }
    }
    const rhs = new Float64Array(dim);
    applySpinOperator(C, spinOperatorDiagonal(C, states, n), states, index, n, g, rhs);
    for (let p = 0; p < dim; p++) rhs[p] -= mean * g[p];
    let size = 0;
    for (let k = 0; k < a.length; k++) size += Math.abs(a[k]);
    const y = solveOrthogonal(apply, energy, g, rhs, size);
    // a degenerate ground state has no response: the solve finds no positive curvature along the
    // partner state, or y lies along it, where ⟨y|H − E|y⟩ / ⟨y|y⟩ vanishes instead of being at least the gap
    const alongPartner = (v: Float64Array): boolean => {
      let vv = 0;
      for (let p = 0; p < dim; p++) vv += v[p] * v[p];
      if (vv === 0) return false;
      const hv = new Float64Array(dim);
      apply(v, hv);
      let vhv = 0;
      for (let p = 0; p < dim; p++) vhv += v[p] * (hv[p] - energy * v[p]);
      let couplingScale = 0;
      for (let k = 0; k < n * n; k++) couplingScale = Math.max(couplingScale, Math.abs(J[k]));
      return !(vhv > 1e-8 * couplingScale * vv);
    };
    if (y === null || alongPartner(y)) {
      throw new InputError('the spin ground state is degenerate at this geometry (as for an equilateral H3), so its correlations have no derivative');
    }
    const expectations = new Float64Array(n * n);
    pairExpectations(y, g, states, index, n, expectations);
    const out = new Float64Array((n * (n - 1)) / 2);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out[pairIndex(i, j, n)] = -2 * expectations[i * n + j];
    return out;
  };
  return { energy, correlations: corr, contractResponse };
}

/**
 * Solve (H − E) y = b for y ⊥ ψ by conjugate gradients (b ⊥ ψ; H − E positive on that space),
 * to a residual of 1e-10 relative, or 1e-9 of `size` (a bound on ‖b‖ for a unit ψ): a b at the
 * level of ψ's own error (ψ nearly an eigenstate of the operator) gives y = 0, not noise amplified.
 * Null when H − E is not positive along a search direction or the residual does not get there
 * (a degenerate ground state, or a gap below about 1e-6 of the couplings).
 */
function solveOrthogonal(apply: (x: Float64Array, y: Float64Array) => void, energy: number, psi: Float64Array, b: Float64Array, size: number): Float64Array | null {
  const dim = b.length;
  const x = new Float64Array(dim);
  const r = Float64Array.from(b);
  const d = Float64Array.from(b);
  const hd = new Float64Array(dim);
  let rr = 0;
  for (let p = 0; p < dim; p++) rr += r[p] * r[p];
  const target = Math.max(1e-20 * rr, 1e-18 * size * size);
  const maxIterations = Math.max(100, 4 * dim);
  for (let it = 0; it < maxIterations && rr > target; it++) {
    apply(d, hd);
    let overlap = 0;
    for (let p = 0; p < dim; p++) {
      hd[p] -= energy * d[p];
      overlap += hd[p] * psi[p];
    }
    let dhd = 0;
    for (let p = 0; p < dim; p++) {
      hd[p] -= overlap * psi[p];
      dhd += d[p] * hd[p];
    }
    if (!(dhd > 0)) return null;
    const step = rr / dhd;
    // keep the residual orthogonal to ψ: rounding would otherwise grow a component along ψ, where
    // the projected operator is zero and the steps diverge
    let along = 0;
    for (let p = 0; p < dim; p++) {
      x[p] += step * d[p];
      r[p] -= step * hd[p];
      along += r[p] * psi[p];
    }
    let next = 0;
    for (let p = 0; p < dim; p++) {
      r[p] -= along * psi[p];
      next += r[p] * r[p];
    }
    const beta = next / rr;
    rr = next;
    for (let p = 0; p < dim; p++) d[p] = r[p] + beta * d[p];
  }
  return rr > target ? null : x;
}

/** A baseline bound to its settings. */
export interface Baseline {
  readonly settings: SpinPairBaselineSettings;
  /** E₀ and, when asked for, its forces −∂E₀/∂R (Hartree/Bohr). */
  evaluate(atomicNumbers: ArrayLike<number>, positionsBohr: ArrayLike<number>, withForces: boolean): { energyHartree: number; forcesHartreePerBohr?: Float64Array };
}

/**
 * Refuse atoms a pair baseline does not cover: every atom must be `element`, at most `maxAtoms`.
 * `name` names the baseline in the error.
 */
export function checkPairBaselineAtoms(name: string, element: number, maxAtoms: number, atomicNumbers: ArrayLike<number>): void {
  const n = atomicNumbers.length;
  for (let a = 0; a < n; a++) {
    if (atomicNumbers[a] !== element) {
      throw new InputError(`the ${name} baseline covers ${elementSymbol(element)} only and cannot take ${elementSymbol(atomicNumbers[a])} (atom ${a + 1})`);
    }
  }
  if (n > maxAtoms) throw new InputError(`the ${name} baseline solves at most ${maxAtoms} atoms, got ${n}`);
}

/**
 * Forces −∂E/∂R of an energy that depends on the geometry through pair distances only:
 * `dEdr[i·n + j]` is ∂E/∂r_ij and `dist[i·n + j]` is r_ij (i < j).
 */
export function pairForces(positionsBohr: ArrayLike<number>, dist: Float64Array, dEdr: Float64Array, n: number): Float64Array {
  const forces = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const g = dEdr[i * n + j] / dist[i * n + j];
      for (let c = 0; c < 3; c++) {
        const f = g * (positionsBohr[3 * j + c] - positionsBohr[3 * i + c]);
        forces[3 * j + c] -= f;
        forces[3 * i + c] += f;
      }
    }
  }
  return forces;
}

/** Check the settings and build the baseline (see the file header). */
export function createSpinPairBaseline(settings: SpinPairBaselineSettings): Baseline {
  checkSpinPairBaseline(settings);
  const r = settings.distancesBohr;
  const eH = settings.atomEnergyHartree;
  const mean = spline(r, r.map((_, k) => (3 * settings.tripletHartree[k] + settings.singletHartree[k]) / 4), 2 * eH);
  const coupling = couplingCurve(settings);
  const va = new Float64Array(2);
  const vb = new Float64Array(2);
  return {
    settings,
    evaluate(atomicNumbers, positionsBohr, withForces) {
      checkPairBaselineAtoms('spin-pair', settings.element, SPIN_BASELINE_MAX_ATOMS, atomicNumbers);
      const n = atomicNumbers.length;
      const J = new Float64Array(n * n);
      const dJ = new Float64Array(n * n);
      const dMean = new Float64Array(n * n);
      const dist = new Float64Array(n * n);
      let energy = n * eH;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const d = atomDistanceBohr(positionsBohr, i, j);
          mean.eval(d, va);
          coupling.eval(d, vb);
          energy += va[0] - 2 * eH;
          J[i * n + j] = J[j * n + i] = vb[0];
          dJ[i * n + j] = vb[1];
          dMean[i * n + j] = va[1];
          dist[i * n + j] = d;
        }
      }
      const spin = heisenbergGroundState(J, n, withForces);
      energy += spin.energy;
      if (!withForces) return { energyHartree: energy };
      // ∂E/∂r_ij = Ē'(r) + J'(r)·⟨S_i·S_j⟩ (Hellmann–Feynman), gathered in dMean
      const corr = spin.correlations!;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) dMean[i * n + j] += dJ[i * n + j] * corr[i * n + j];
      return { energyHartree: energy, forcesHartreePerBohr: pairForces(positionsBohr, dist, dMean, n) };
    },
  };
}
