/**
 * McMurchie–Davidson building blocks shared by the one- and two-electron integrals.
 *
 * Hermite index h of (t, u, v): ordered by degree d = t+u+v, then t descending, u descending, so
 * the indices of degree ≤ L are a prefix 0 … nHermite(L)−1 for every L:
 *   h = d(d+1)(d+2)/6 + (u+v)(u+v+1)/2 + v.
 *
 * E coefficients (1D, for one coordinate): a product of two Gaussians x_A^i x_B^j exp(−α x_A²) exp(−β x_B²)
 * = exp(−μ X_AB²) Σ_t E^{ij}_t Λ_t(x; p, P). `hermiteE1d` fills E^{ij}_t without the exp factor,
 * layout out[(i·(jMax+1) + j)·(iMax+jMax+1) + t].
 *
 * Hermite Coulomb integrals R_{tuv}(α, X, Y, Z) (R^{(0)}), layout by Hermite index h, from
 *   R^{(n)}_{000} = (−2α)^n F_n(α |XYZ|²),  R^{(n)}_{t+1,u,v} = t R^{(n+1)}_{t−1,u,v} + X R^{(n+1)}_{tuv}.
 */
import { boysFunction } from './boys.js';

/** Largest Hermite degree handled (4 × g). */
export const MAX_HERMITE_DEGREE = 16;

/** Number of (t, u, v) with t+u+v ≤ L. */
export function nHermite(l: number): number {
  return ((l + 1) * (l + 2) * (l + 3)) / 6;
}

/** Hermite index of (t, u, v). */
export function hermiteIndex(t: number, u: number, v: number): number {
  const d = t + u + v;
  const uv = u + v;
  return (d * (d + 1) * (d + 2)) / 6 + (uv * (uv + 1)) / 2 + v;
}

const N_HERM_MAX = nHermite(MAX_HERMITE_DEGREE);
/** t, u, v of each Hermite index. */
export const HERM_T = new Int32Array(N_HERM_MAX);
/** u of each Hermite index. */
export const HERM_U = new Int32Array(N_HERM_MAX);
/** v of each Hermite index. */
export const HERM_V = new Int32Array(N_HERM_MAX);
/** Recursion tables: direction lowered (0 x, 1 y, 2 z), index lowered by one, by two, and the factor. */
const LOWER_DIR = new Int32Array(N_HERM_MAX);
const LOWER1 = new Int32Array(N_HERM_MAX);
const LOWER2 = new Int32Array(N_HERM_MAX);
const LOWER_COEF = new Float64Array(N_HERM_MAX);
/** (−1)^{t+u+v}. */
export const HERM_SIGN = new Float64Array(N_HERM_MAX);

for (let d = 0; d <= MAX_HERMITE_DEGREE; d++) {
  for (let t = d; t >= 0; t--) {
    for (let u = d - t; u >= 0; u--) {
      const v = d - t - u;
      const h = hermiteIndex(t, u, v);
      HERM_T[h] = t;
      HERM_U[h] = u;
      HERM_V[h] = v;
      HERM_SIGN[h] = d % 2 === 0 ? 1 : -1;
      if (d === 0) continue;
      let dir: number;
      let c: number;
      if (t > 0) {
        dir = 0;
        c = t - 1;
        LOWER1[h] = hermiteIndex(t - 1, u, v);
        LOWER2[h] = t >= 2 ? hermiteIndex(t - 2, u, v) : 0;
      } else if (u > 0) {
        dir = 1;
        c = u - 1;
        LOWER1[h] = hermiteIndex(t, u - 1, v);
        LOWER2[h] = u >= 2 ? hermiteIndex(t, u - 2, v) : 0;
      } else {
        dir = 2;
        c = v - 1;
        LOWER1[h] = hermiteIndex(t, u, v - 1);
        LOWER2[h] = v >= 2 ? hermiteIndex(t, u, v - 2) : 0;
      }
      LOWER_DIR[h] = dir;
      LOWER_COEF[h] = c;
    }
  }
}

/**
 * Fill out[0 … nHermite(L)−1] with R^{(0)}_{tuv}(α, X, Y, Z) multiplied by `scale`.
 * `boys` is scratch of length ≥ L+1. No allocation.
 */
export function hermiteCoulomb(
  l: number,
  alpha: number,
  x: number,
  y: number,
  z: number,
  scale: number,
  boys: Float64Array,
  out: Float64Array,
): void {
  const t = alpha * (x * x + y * y + z * z);
  boysFunction(l, t, boys);
  if (l === 0) {
    out[0] = scale * boys[0];
    return;
  }
  const m2a = -2 * alpha;
  // (−2α)^n · scale for n = L at the start, divided down as n decreases.
  let factor = scale;
  for (let n = 0; n < l; n++) factor *= m2a;
  out[0] = factor * boys[l];
  const inv = 1 / m2a;
  for (let n = l - 1; n >= 0; n--) {
    const top = nHermite(l - n);
    for (let h = top - 1; h >= 1; h--) {
      const dir = LOWER_DIR[h];
      const xyz = dir === 0 ? x : dir === 1 ? y : z;
      out[h] = LOWER_COEF[h] * out[LOWER2[h]] + xyz * out[LOWER1[h]];
    }
    factor *= inv;
    out[0] = factor * boys[n];
  }
}

/**
 * 1D Hermite expansion coefficients E^{ij}_t for i ≤ iMax, j ≤ jMax (without exp(−μX²)).
 * p = α + β, xpa = P − A, xpb = P − B. out length ≥ (iMax+1)(jMax+1)(iMax+jMax+1).
 */
export function hermiteE1d(iMax: number, jMax: number, p: number, xpa: number, xpb: number, out: Float64Array): void {
  const tn = iMax + jMax + 1;
  const jn = jMax + 1;
  const oo2p = 0.5 / p;
  out.fill(0, 0, (iMax + 1) * jn * tn);
  out[0] = 1;
  // Raise i with j = 0.
  for (let i = 0; i < iMax; i++) {
    const src = i * jn * tn;
    const dst = (i + 1) * jn * tn;
    for (let t = 0; t <= i + 1; t++) {
      let v = 0;
      if (t > 0) v += oo2p * out[src + t - 1];
      if (t <= i) v += xpa * out[src + t];
      if (t + 1 <= i) v += (t + 1) * out[src + t + 1];
      out[dst + t] = v;
    }
  }
  // Raise j for each i.
  for (let i = 0; i <= iMax; i++) {
    for (let j = 0; j < jMax; j++) {
      const src = (i * jn + j) * tn;
      const dst = src + tn;
      const top = i + j;
      for (let t = 0; t <= top + 1; t++) {
        let v = 0;
        if (t > 0) v += oo2p * out[src + t - 1];
        if (t <= top) v += xpb * out[src + t];
        if (t + 1 <= top) v += (t + 1) * out[src + t + 1];
        out[dst + t] = v;
      }
    }
  }
}

/**
 * Recursion of {@link hermiteCoulomb} restricted, per axis mask m (bit i: the four centres share
 * coordinate i, so (P − Q)_i = 0), to the indices h with even components on the masked axes — the
 * only R_{tuv} that do not vanish there, and a set closed under the recursion (lowering along an
 * unmasked axis keeps the parity; along a masked one the X term is zero and the two-step lowering
 * keeps it). PARITY_OPS[m]: for those h ≥ 1 in ascending order, four integers each — h, the
 * twice-lowered index, the once-lowered index (0, whose value is finite and meets a zero
 * coordinate, when lowering along a masked axis) and the direction lowered — and PARITY_COEF[m]
 * the factor of the twice-lowered term: one sequential read per step instead of lookups through h.
 * PARITY_COUNT[m][d]: how many of them have degree ≤ d.
 */
const PARITY_OPS: Int32Array[] = [];
const PARITY_COEF: Float64Array[] = [];
const PARITY_COUNT: Int32Array[] = [];
for (let m = 0; m < 8; m++) {
  const ops: number[] = [];
  const coef: number[] = [];
  const count = new Int32Array(MAX_HERMITE_DEGREE + 1);
  for (let h = 1; h < N_HERM_MAX; h++) {
    const odd = (HERM_T[h] & 1) | ((HERM_U[h] & 1) << 1) | ((HERM_V[h] & 1) << 2);
    if ((odd & m) !== 0) continue;
    ops.push(h, LOWER2[h], (m >> LOWER_DIR[h]) & 1 ? 0 : LOWER1[h], LOWER_DIR[h]);
    coef.push(LOWER_COEF[h]);
  }
  for (let d = 0; d <= MAX_HERMITE_DEGREE; d++) {
    let c = 0;
    while (c < coef.length && ops[4 * c] < nHermite(d)) c++;
    count[d] = c;
  }
  PARITY_OPS.push(Int32Array.from(ops));
  PARITY_COEF.push(Float64Array.from(coef));
  PARITY_COUNT.push(count);
}
/** x, y, z of the current {@link hermiteCoulombParity} call, indexed by direction. */
const PQ = new Float64Array(3);

/**
 * {@link hermiteCoulomb} for a quartet whose four centres share the coordinates of the axes in
 * `mask` (bits 1, 2, 4 for x, y, z; mask ≠ 0; 7 runs {@link hermiteCoulombOneCentre}): fills
 * out[h] only for the h with even components on the masked axes (the others vanish and are left
 * untouched). The components of P − Q along masked axes are taken as exactly zero.
 */
export function hermiteCoulombParity(
  l: number,
  mask: number,
  alpha: number,
  x: number,
  y: number,
  z: number,
  scale: number,
  boys: Float64Array,
  out: Float64Array,
): void {
  if (mask === 7) {
    hermiteCoulombOneCentre(l, alpha, scale, boys, out);
    return;
  }
  if (mask & 1) x = 0;
  if (mask & 2) y = 0;
  if (mask & 4) z = 0;
  const t = alpha * (x * x + y * y + z * z);
  boysFunction(l, t, boys);
  if (l === 0) {
    out[0] = scale * boys[0];
    return;
  }
  const ops = PARITY_OPS[mask];
  const coef = PARITY_COEF[mask];
  const count = PARITY_COUNT[mask];
  PQ[0] = x;
  PQ[1] = y;
  PQ[2] = z;
  const m2a = -2 * alpha;
  let factor = scale;
  for (let n = 0; n < l; n++) factor *= m2a;
  out[0] = factor * boys[l];
  const inv = 1 / m2a;
  for (let n = l - 1; n >= 0; n--) {
    for (let i = count[l - n] - 1; i >= 0; i--) {
      const o = 4 * i;
      out[ops[o]] = coef[i] * out[ops[o + 1]] + PQ[ops[o + 3]] * out[ops[o + 2]];
    }
    factor *= inv;
    out[0] = factor * boys[n];
  }
}

/** All-even Hermite indices h ≥ 0 in ascending order, their n = degree/2 and C_h = (t−1)!!(u−1)!!(v−1)!!. */
const EVEN_H: Int32Array = (() => {
  const hs: number[] = [];
  for (let h = 0; h < N_HERM_MAX; h++) if (((HERM_T[h] | HERM_U[h] | HERM_V[h]) & 1) === 0) hs.push(h);
  return Int32Array.from(hs);
})();
const EVEN_N = Int32Array.from(EVEN_H, (h) => (HERM_T[h] + HERM_U[h] + HERM_V[h]) / 2);
const doubleFactorialOdd = (t: number): number => {
  let f = 1;
  for (let k = t - 1; k > 1; k -= 2) f *= k;
  return f;
};
const EVEN_C = Float64Array.from(EVEN_H, (h) => doubleFactorialOdd(HERM_T[h]) * doubleFactorialOdd(HERM_U[h]) * doubleFactorialOdd(HERM_V[h]));
/** EVEN_COUNT[d]: number of all-even h of degree ≤ d. */
const EVEN_COUNT = Int32Array.from({ length: MAX_HERMITE_DEGREE + 1 }, (_, d) => EVEN_H.filter((h) => h < nHermite(d)).length);

/**
 * {@link hermiteCoulomb} at P = Q (one-centre quartets): only R with all components even survive,
 *   R_{2i,2j,2k} = (2i−1)!!(2j−1)!!(2k−1)!! (−2α)^n F_n(0),  n = i + j + k,  F_n(0) = 1/(2n+1),
 * (from R^{(n)}_{t+1} = t R^{(n+1)}_{t−1} at zero distance). Fills out[h] for those h only;
 * `g` is scratch of length ≥ l/2 + 1.
 */
export function hermiteCoulombOneCentre(l: number, alpha: number, scale: number, g: Float64Array, out: Float64Array): void {
  const m2a = -2 * alpha;
  const nMax = l >> 1;
  let f = scale;
  for (let n = 0; n <= nMax; n++) {
    g[n] = f / (2 * n + 1);
    f *= m2a;
  }
  const cnt = EVEN_COUNT[l];
  for (let i = 0; i < cnt; i++) out[EVEN_H[i]] = EVEN_C[i] * g[EVEN_N[i]];
}
