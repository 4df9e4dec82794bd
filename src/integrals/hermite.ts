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
