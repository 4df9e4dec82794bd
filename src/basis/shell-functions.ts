/**
 * Basis functions within a shell: cartesian component order and the cartesian → output transform.
 *
 * Ordering (the same as Psi4's):
 *   cartesian, angular momentum l: x^lx y^ly z^lz with lx descending, then ly descending:
 *     p: x, y, z;  d: xx, xy, xz, yy, yz, zz;  f: xxx, xxy, xxz, xyy, xyz, xzz, yyy, yyz, yzz, zzz.
 *   pure (real solid harmonics), l ≥ 1: m = 0, +1, −1, +2, −2, …, +l, −l
 *     (so a p shell of a pure basis is ordered z, x, y, as in Psi4; in a cartesian basis x, y, z).
 *
 * Normalisation: the integral code works with "shell-normalised" cartesian components
 * g_c = N x^lx y^ly z^lz exp(−α r²) that all share the normalisation constant N of x^l. The rows of
 * {@link shellTransform} turn them into output functions, each of unit norm:
 *   cartesian: g_c · sqrt((2l−1)!! / ((2lx−1)!!(2ly−1)!!(2lz−1)!!));
 *   pure: S_lm of Helgaker, Jørgensen & Olsen (eq. 6.4.47–6.4.52), the real solid harmonics
 *   Psi4 uses, normalised to one.
 */
import { binomial } from '../core/index.js';

/** (n)!! with (−1)!! = (0)!! = 1. */
export function doubleFactorial(n: number): number {
  let r = 1;
  for (let k = n; k > 1; k -= 2) r *= k;
  return r;
}

function factorial(n: number): number {
  let r = 1;
  for (let i = 2; i <= n; i++) r *= i;
  return r;
}

/** Number of cartesian components of angular momentum l. */
export function cartesianCount(l: number): number {
  return ((l + 1) * (l + 2)) / 2;
}

const exponentCache: Int32Array[] = [];

/**
 * Cartesian exponents (lx, ly, lz) of shell l in qde/Psi4 order, flat Int32Array of length 3·ncart.
 * The array is cached and shared: do not modify it.
 */
export function cartesianExponents(l: number): Int32Array {
  const hit = exponentCache[l];
  if (hit) return hit;
  const out = new Int32Array(3 * cartesianCount(l));
  let c = 0;
  for (let ii = 0; ii <= l; ii++) {
    const lx = l - ii;
    for (let jj = 0; jj <= ii; jj++) {
      out[3 * c] = lx;
      out[3 * c + 1] = ii - jj;
      out[3 * c + 2] = jj;
      c++;
    }
  }
  exponentCache[l] = out;
  return out;
}

/** Index of cartesian component (lx, ly, lz) in the order of {@link cartesianExponents} (lx = l − ly − lz). */
export function cartesianIndex(_lx: number, ly: number, lz: number): number {
  const ii = ly + lz;
  return (ii * (ii + 1)) / 2 + lz;
}

/** Overlap of two shell-normalised components of the same shell (relative to x^l with itself). */
function componentMetric(a: Int32Array, i: number, j: number, l: number): number {
  const sx = a[3 * i] + a[3 * j];
  const sy = a[3 * i + 1] + a[3 * j + 1];
  const sz = a[3 * i + 2] + a[3 * j + 2];
  if (sx % 2 || sy % 2 || sz % 2) return 0;
  return (doubleFactorial(sx - 1) * doubleFactorial(sy - 1) * doubleFactorial(sz - 1)) / doubleFactorial(2 * l - 1);
}

/** Transform from shell-normalised cartesian components to output functions. */
export interface ShellTransform {
  readonly l: number;
  readonly pure: boolean;
  /** Number of output functions (2l+1 pure, (l+1)(l+2)/2 cartesian). */
  readonly nFunctions: number;
  /** Number of cartesian components. */
  readonly nCartesian: number;
  /** nFunctions × nCartesian, row-major: function k = Σ_c matrix[k·nCartesian + c] g_c. */
  readonly matrix: Float64Array;
}

/** Transforms by 2·l + (pure ? 1 : 0): asked for in inner loops, so no key string is built. */
const transformCache: (ShellTransform | undefined)[] = [];

/** Cartesian → output transform of a shell (pure applies for l ≥ 1; s is the same either way). */
export function shellTransform(l: number, pure: boolean): ShellTransform {
  const usePure = pure && l >= 1;
  const key = 2 * l + (usePure ? 1 : 0);
  const hit = transformCache[key];
  if (hit) return hit;
  const nCart = cartesianCount(l);
  const exps = cartesianExponents(l);
  let nFunctions: number;
  let matrix: Float64Array;
  if (!usePure) {
    nFunctions = nCart;
    matrix = new Float64Array(nCart * nCart);
    for (let c = 0; c < nCart; c++) matrix[c * nCart + c] = 1 / Math.sqrt(componentMetric(exps, c, c, l));
  } else {
    nFunctions = 2 * l + 1;
    matrix = new Float64Array(nFunctions * nCart);
    for (let k = 0; k < nFunctions; k++) {
      const m = k === 0 ? 0 : k % 2 === 1 ? (k + 1) / 2 : -(k / 2);
      const am = Math.abs(m);
      // HJO eq. 6.4.48: S_lm = N_lm Σ_t Σ_u Σ_v C x^{2t+|m|−2(u+v)} y^{2(u+v)} z^{l−2t−|m|}, v ∈ vm + ℕ.
      const vm = m < 0 ? 0.5 : 0;
      const nlm = (1 / (2 ** am * factorial(l))) * Math.sqrt((2 * factorial(l + am) * factorial(l - am)) / (m === 0 ? 2 : 1));
      for (let t = 0; t <= Math.floor((l - am) / 2); t++) {
        for (let u = 0; u <= t; u++) {
          for (let v = vm; v <= Math.floor(am / 2 - vm) + vm + 1e-9; v += 1) {
            const c =
              (-1) ** (t + v - vm) *
              0.25 ** t *
              binomial(l, t) *
              binomial(l - t, am + t) *
              binomial(t, u) *
              binomial(am, Math.round(2 * v));
            const lx = 2 * t + am - Math.round(2 * (u + v));
            const ly = Math.round(2 * (u + v));
            const lz = l - 2 * t - am;
            matrix[k * nCart + cartesianIndex(lx, ly, lz)] += nlm * c;
          }
        }
      }
    }
    // Normalise each pure function exactly in the shell-normalised metric.
    for (let k = 0; k < nFunctions; k++) {
      let norm = 0;
      for (let i = 0; i < nCart; i++) {
        const ci = matrix[k * nCart + i];
        if (ci === 0) continue;
        for (let j = 0; j < nCart; j++) norm += ci * matrix[k * nCart + j] * componentMetric(exps, i, j, l);
      }
      const s = 1 / Math.sqrt(norm);
      for (let i = 0; i < nCart; i++) matrix[k * nCart + i] *= s;
    }
  }
  const result: ShellTransform = { l, pure: usePure, nFunctions, nCartesian: nCart, matrix };
  transformCache[key] = result;
  return result;
}
