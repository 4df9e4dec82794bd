/**
 * AO → MO transformation of the exchange-type block (ia|jb) from 8-fold packed AO integrals, as
 * needed by MP2 and UMP2.
 *
 * Inputs: PackedEri over n AO functions (pair index P = λ(λ+1)/2 + σ for λ ≥ σ); MO coefficient
 * matrices C1, C2, each n×nMo row-major (column = MO). (ia|jb) has i ∈ [i0, i0+ni), a ∈ [a0, a0+na)
 * MOs of C1 and j ∈ [j0, j0+nj), b ∈ [b0, b0+nb) MOs of C2.
 *
 * {@link forEachOccupiedSlice} (the production path) transforms the occupied index first, in
 * blocks of i sized to a memory budget:
 *   1. (iν|P) = Σ_μ C1[μ,i] (μν|P) for every AO pair P and the i of the block, as GEMMs over
 *      batches of pairs (≈ ni·n⁴/2 multiply–adds per block, o·n⁴/2 in all);
 *   2. per i, the symmetric (iν|λσ) is unpacked to T[λ][σ][ν] and contracted to (iν|jσ) (nj·n³),
 *      then ν → a (na·nj·n²) and σ → b (na·nj·nb·n), all as GEMMs.
 * Against transforming a virtual index first (halfTransform, ≈ n⁴·nb/2) this saves about v/o of the
 * work. Memory: 8·(ni·n·n(n+1)/2 + n³ + n²·nj + …) bytes, see {@link occupiedTransformBytes}; the
 * GEMMs use the thread budget (cc-gemm.ts).
 *
 * {@link halfTransform} + {@link completeTransform} are the older virtual-first pair (kept for
 * reference and tests): n(n+1)/2 × nj·nb half-transformed values plus the result.
 */
import { totalmem } from 'node:os';
import type { PackedEri } from '../integrals/index.js';
import { gemm } from './cc-tensor.js';

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

/** Orbital ranges of an (ia|jb) transformation; i, a are MOs of c1 and j, b MOs of c2. */
export interface OvovRanges {
  i0: number;
  ni: number;
  a0: number;
  na: number;
  j0: number;
  nj: number;
  b0: number;
  nb: number;
}

/** AO pairs unpacked per first-step GEMM (a batch holds 8·pairBatch·n² bytes). */
function pairBatch(n: number): number {
  return Math.max(1, Math.min((n * (n + 1)) / 2, Math.floor(2 ** 22 / Math.max(1, n * n))));
}

/** Bytes of the occupied-first transformation for `ni` occupied orbitals per block. */
export function occupiedTransformBytes(n: number, r: OvovRanges, ni: number): number {
  const nPairs = (n * (n + 1)) / 2;
  const batch = pairBatch(n);
  return 8 * (ni * nPairs * n + n * n * n + n * n * r.nj + n * r.na * r.nj + r.na * r.nj * r.nb + batch * n * (n + ni));
}

/** Occupied orbitals per block that fit `memoryBytes` (at least 1, at most ni). */
export function occupiedBlockSize(n: number, r: OvovRanges, memoryBytes: number): number {
  const perOrbital = occupiedTransformBytes(n, r, 1) - occupiedTransformBytes(n, r, 0);
  const fixed = occupiedTransformBytes(n, r, 0);
  return Math.max(1, Math.min(r.ni, Math.floor((memoryBytes - fixed) / perOrbital)));
}

/**
 * Occupied-first (ia|jb) transformation (see the file header). Calls `visit(i, slice)` once per
 * i ∈ [0, ni) (relative to i0) in increasing order with slice[a, j, b] = (i0+i, a0+a | j0+j, b0+b);
 * the slice is reused after `visit` returns. Blocks of i are sized to `memoryBytes`.
 */
export function forEachOccupiedSlice(
  eri: PackedEri,
  c1: Float64Array,
  c2: Float64Array,
  nMo: number,
  r: OvovRanges,
  memoryBytes: number,
  visit: (i: number, slice: Float64Array) => void,
): void {
  const n = eri.nBasis;
  const values = eri.values;
  const nPairs = (n * (n + 1)) / 2;
  const { ni, na, nj, nb } = r;
  if (ni === 0 || na === 0 || nj === 0 || nb === 0) {
    const empty = new Float64Array(na * nj * nb);
    for (let i = 0; i < ni; i++) visit(i, empty);
    return;
  }
  const cA = columns(c1, n, nMo, r.a0, na);
  const cJ = columns(c2, n, nMo, r.j0, nj);
  const cB = columns(c2, n, nMo, r.b0, nb);
  const block = occupiedBlockSize(n, r, memoryBytes);
  const batch = pairBatch(n);
  const half = new Float64Array(block * nPairs * n); // [i][P][ν]
  const unpacked = new Float64Array(batch * n * n); // [μ][ν][P − p0]
  const product = new Float64Array(batch * n * block); // [(ν, P − p0)][i]
  const t = new Float64Array(n * n * n); // [λ][σ][ν]
  const w1 = new Float64Array(n * n * nj); // [σ][ν][j]
  const z = new Float64Array(n * na * nj); // [σ][a][j]
  const slice = new Float64Array(na * nj * nb); // [a][j][b]
  for (let iStart = 0; iStart < ni; iStart += block) {
    const nib = Math.min(block, ni - iStart);
    const cI = columns(c1, n, nMo, r.i0 + iStart, nib);
    // Step 1: (iν|P) for every pair P, a batch of pairs per GEMM.
    for (let p0 = 0; p0 < nPairs; p0 += batch) {
      const nbat = Math.min(batch, nPairs - p0);
      // unpacked[μ][ν][P − p0] = (μν|P), symmetric in μν. Walking the AO pairs q = (μ ≥ ν) in order
      // with the batch's P innermost reads (q|P) for q > P as one contiguous run per q, and (P|q) for
      // q ≤ P as nbat row streams that advance together; every write is a contiguous run of nbat.
      let q = 0;
      for (let mu = 0; mu < n; mu++) {
        for (let nu = 0; nu <= mu; nu++, q++) {
          const qBase = (q * (q + 1)) / 2;
          const x1 = (mu * n + nu) * nbat;
          const x2 = (nu * n + mu) * nbat;
          // P < q: (q|P) lies in row q, contiguous in P.
          const split = Math.min(nbat, Math.max(0, q - p0));
          for (let pp = 0; pp < split; pp++) {
            const v = values[qBase + p0 + pp];
            unpacked[x1 + pp] = v;
            unpacked[x2 + pp] = v;
          }
          // P ≥ q: (P|q) lies in row P.
          for (let pp = split; pp < nbat; pp++) {
            const p = p0 + pp;
            const v = values[(p * (p + 1)) / 2 + q];
            unpacked[x1 + pp] = v;
            unpacked[x2 + pp] = v;
          }
        }
      }
      // product[(ν, P)][i] = Σ_μ unpacked[μ][(ν, P)] C1[μ, i]
      gemm(true, false, n * nbat, nib, n, 1, unpacked, cI, 0, product);
      for (let i = 0; i < nib; i++) {
        const dst = (i * nPairs + p0) * n;
        for (let nu = 0; nu < n; nu++) {
          for (let pp = 0; pp < nbat; pp++) half[dst + pp * n + nu] = product[(nu * nbat + pp) * nib + i];
        }
      }
    }
    // Step 2, per i: unpack T[λ][σ][ν] = (iν|λσ), then λ → j, ν → a, σ → b.
    for (let i = 0; i < nib; i++) {
      const hi = i * nPairs * n;
      let p = 0;
      for (let l = 0; l < n; l++)
        for (let s = 0; s <= l; s++, p++) {
          const src = half.subarray(hi + p * n, hi + (p + 1) * n);
          t.set(src, (l * n + s) * n);
          if (s !== l) t.set(src, (s * n + l) * n);
        }
      // w1[σν][j] = Σ_λ T[λ][σν] C2[λ, j]
      gemm(true, false, n * n, nj, n, 1, t, cJ, 0, w1);
      // z[σ][a][j] = Σ_ν C1[ν, a] w1[σ][ν][j]
      for (let s = 0; s < n; s++) {
        gemm(true, false, na, nj, n, 1, cA, w1.subarray(s * n * nj, (s + 1) * n * nj), 0, z.subarray(s * na * nj, (s + 1) * na * nj));
      }
      // slice[a j][b] = Σ_σ z[σ][a j] C2[σ, b]
      gemm(true, false, na * nj, nb, n, 1, z, cB, 0, slice);
      visit(iStart + i, slice);
    }
  }
}

/** Default memory for the MP2 transformation buffers: a quarter of the machine, at most 4 GiB. */
export function defaultTransformMemoryBytes(): number {
  return Math.min(4 * 2 ** 30, Math.floor(totalmem() / 4));
}

/**
 * (ia|jb) with i, a MOs of c1 and j, b MOs of c2, as a dense ovov[i,a,j,b] array (occupied-first,
 * see the file header).
 */
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
  memoryBytes = defaultTransformMemoryBytes(),
): Float64Array {
  const out = new Float64Array(ni * na * nj * nb);
  const r = { i0, ni, a0, na, j0, nj, b0, nb };
  forEachOccupiedSlice(eri, c1, c2, nMo, r, memoryBytes, (i, slice) => out.set(slice, i * slice.length));
  return out;
}
