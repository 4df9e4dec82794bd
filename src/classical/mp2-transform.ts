/**
 * AO → MO transformation of the exchange-type block (ia|jb) from 8-fold packed AO integrals, as
 * needed by MP2 and UMP2.
 *
 * Inputs: PackedEri over n AO functions; MO coefficient matrices C1, C2, each n×nMo row-major
 * (column = MO). Output: dense ovov[i,a,j,b] = (ia|jb) with i ∈ [i0, i0+ni), a ∈ [a0, a0+na) MOs of C1
 * and j ∈ [j0, j0+nj), b ∈ [b0, b0+nb) MOs of C2.
 *
 * Two half transformations over the packed AO integrals: first, for each AO pair μ ≥ ν, the symmetric
 * slice (μν|λσ) is contracted to (μν|jb) (≈ n⁴·nb/2 multiply–adds); then, for each jb, the symmetric
 * (μν|jb) matrix is contracted to (ia|jb) (≈ nj·nb·n²·na). Memory: n(n+1)/2 × nj·nb half-transformed
 * values plus the result.
 */
import type { PackedEri } from '../integrals/index.js';

/** Contiguous copy of `count` MO columns starting at `start` of an n×nMo coefficient matrix. */
function columns(c: Float64Array, n: number, nMo: number, start: number, count: number): Float64Array {
  const out = new Float64Array(n * count);
  for (let mu = 0; mu < n; mu++) for (let k = 0; k < count; k++) out[mu * count + k] = c[mu * nMo + start + k];
  return out;
}

/** Half-transformed integrals (μν|jb) over AO pairs μ ≥ ν, layout [pair, j, b]. */
export interface HalfTransformed {
  readonly nBasis: number;
  readonly nj: number;
  readonly nb: number;
  readonly values: Float64Array;
}

/**
 * First half: (μν|jb) = Σ_λσ C[λ,j] (μν|λσ) C[σ,b] for every AO pair μ ≥ ν, with j ∈ [j0, j0+nj) and
 * b ∈ [b0, b0+nb) columns of c (n×nMo).
 */
export function halfTransform(eri: PackedEri, c: Float64Array, nMo: number, j0: number, nj: number, b0: number, nb: number): HalfTransformed {
  const n = eri.nBasis;
  const values = eri.values;
  const nPairs = (n * (n + 1)) / 2;
  const njb = nj * nb;
  const cJ = columns(c, n, nMo, j0, nj);
  const cB = columns(c, n, nMo, b0, nb);
  const half = new Float64Array(nPairs * njb);
  const q = new Float64Array(n * n);
  const y = new Float64Array(n * nb);
  for (let p = 0; p < nPairs; p++) {
    const pBase = (p * (p + 1)) / 2;
    // Unpack the symmetric slice Q[λ,σ] = (P|λσ).
    let r = 0;
    for (let l = 0; l < n; l++) {
      for (let s = 0; s <= l; s++, r++) {
        const val = r <= p ? values[pBase + r] : values[(r * (r + 1)) / 2 + p];
        q[l * n + s] = val;
        q[s * n + l] = val;
      }
    }
    // Y[λ,b] = Σ_σ Q[λ,σ] C[σ,b]
    y.fill(0);
    for (let l = 0; l < n; l++) {
      const yl = l * nb;
      for (let s = 0; s < n; s++) {
        const qv = q[l * n + s];
        if (qv === 0) continue;
        const cs = s * nb;
        for (let b = 0; b < nb; b++) y[yl + b] += qv * cB[cs + b];
      }
    }
    // half[P, j, b] = Σ_λ C[λ,j] Y[λ,b]
    const hBase = p * njb;
    for (let l = 0; l < n; l++) {
      const yl = l * nb;
      for (let j = 0; j < nj; j++) {
        const cv = cJ[l * nj + j];
        if (cv === 0) continue;
        const hj = hBase + j * nb;
        for (let b = 0; b < nb; b++) half[hj + b] += cv * y[yl + b];
      }
    }
  }
  return { nBasis: n, nj, nb, values: half };
}

/**
 * Second half: (ia|jb) = Σ_μν C[μ,i] (μν|jb) C[ν,a], i ∈ [i0, i0+ni), a ∈ [a0, a0+na) columns of c.
 * Output layout [i, a, j, b].
 */
export function completeTransform(half: HalfTransformed, c: Float64Array, nMo: number, i0: number, ni: number, a0: number, na: number): Float64Array {
  const n = half.nBasis;
  const njb = half.nj * half.nb;
  const cI = columns(c, n, nMo, i0, ni);
  const cA = columns(c, n, nMo, a0, na);
  const out = new Float64Array(ni * na * njb);
  const m = new Float64Array(n * n);
  const z = new Float64Array(n * na);
  const hv = half.values;
  for (let jb = 0; jb < njb; jb++) {
    let pIdx = 0;
    for (let mu = 0; mu < n; mu++) {
      for (let nu = 0; nu <= mu; nu++, pIdx++) {
        const val = hv[pIdx * njb + jb];
        m[mu * n + nu] = val;
        m[nu * n + mu] = val;
      }
    }
    z.fill(0);
    for (let mu = 0; mu < n; mu++) {
      const zm = mu * na;
      for (let nu = 0; nu < n; nu++) {
        const mv = m[mu * n + nu];
        if (mv === 0) continue;
        const cn = nu * na;
        for (let a = 0; a < na; a++) z[zm + a] += mv * cA[cn + a];
      }
    }
    for (let i = 0; i < ni; i++) {
      for (let a = 0; a < na; a++) {
        let s = 0;
        for (let mu = 0; mu < n; mu++) s += cI[mu * ni + i] * z[mu * na + a];
        out[(i * na + a) * njb + jb] = s;
      }
    }
  }
  return out;
}

/** (ia|jb) with i, a MOs of c1 and j, b MOs of c2 (see the file header). */
export function transformOvov(
  eri: PackedEri,
  c1: Float64Array,
  c2: Float64Array,
  nMo: number,
  i0: number,
  ni: number,
  a0: number,
  na: number,
  j0: number,
  nj: number,
  b0: number,
  nb: number,
): Float64Array {
  return completeTransform(halfTransform(eri, c2, nMo, j0, nj, b0, nb), c1, nMo, i0, ni, a0, na);
}
