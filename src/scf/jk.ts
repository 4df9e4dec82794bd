/**
 * Coulomb and exchange matrices from 8-fold packed electron-repulsion integrals.
 *
 *   J[D]_pq = Σ_rs (pq|rs) D_rs,      K[D]_pr = Σ_qs (pq|rs) D_qs
 *
 * for symmetric densities D (n×n row-major). Each unique quartet (ij|kl), i ≥ j, k ≥ l, ij ≥ kl, is
 * read once, in storage order, and scattered to the J and K elements of all its permutational
 * partners. The value is first divided by the number of times a coincident index pair makes two of
 * the 8 permutations identical (½ for i = j, ½ for k = l, ½ for ij = kl); then the eight partner
 * contributions are accumulated into one triangle (J) or one orientation (K) and the matrices are
 * symmetrised at the end (M ← A + Aᵀ).
 *
 * Large integral sets are cut into row chunks (ranges of the first index p, about equal numbers of
 * integrals each; ./jk-parallel.ts jkRowChunks). Each chunk is scattered into its own J/K
 * accumulators and the chunks are summed in chunk order, so the chunks can run on several threads
 * (./jk-parallel.ts, when the integrals live in a SharedArrayBuffer) and the result depends only on
 * the basis size, never on the thread count. Restricted builds over large integral sets, which
 * ../integrals allocates in a WebAssembly memory, run the same scatter as a SIMD kernel
 * (./jk-wasm.ts; about 3.5× faster per integral on one thread).
 */
import type { PackedEri } from '../integrals/index.js';
import { wasmBackingOf } from '../core/index.js';
import { jkRowChunks, parallelCoulombExchange } from './jk-parallel.js';

/**
 * J[dJ] into `j` and K[dK] into `k`; when `dK2`/`k2` are given also K[dK2] into `k2`
 * (unrestricted case: J of the total density, K of each spin density, in one pass).
 */
export function buildCoulombExchange(
  eri: PackedEri,
  dJ: Float64Array,
  dK: Float64Array,
  j: Float64Array,
  k: Float64Array,
  dK2?: Float64Array,
  k2?: Float64Array,
): void {
  const n = eri.nBasis;
  const values = eri.values;
  const chunks = jkRowChunks(n);
  const nChunks = chunks.length - 1;
  const unrestricted = dK2 !== undefined && k2 !== undefined;
  // One chunk runs here in JavaScript, unless the SIMD kernel can take it (restricted, integrals in
  // a WebAssembly memory): the chunked path then runs it in this thread.
  if (nChunks === 1 && (unrestricted || !wasmBackingOf(values))) {
    j.fill(0);
    k.fill(0);
    if (unrestricted) {
      k2.fill(0);
      scatterUnrestricted(n, values, dJ, dK, dK2, j, k, k2, 0, n);
    } else {
      scatterRestricted(n, values, dJ, dK, j, k, 0, n);
    }
  } else {
    const nn = n * n;
    const nOut = unrestricted ? 3 : 2;
    // partial[(c·nOut + m)·n² …]: matrix m (J, K, K2) of chunk c.
    const partial = parallelCoulombExchange(eri, chunks, dJ, dK, unrestricted ? dK2 : undefined, scatterChunk) ?? serialChunks(eri, chunks, dJ, dK, unrestricted ? dK2 : undefined);
    const outs = unrestricted ? [j, k, k2] : [j, k];
    for (let m = 0; m < nOut; m++) {
      const o = outs[m];
      o.set(partial.subarray(m * nn, (m + 1) * nn));
      for (let c = 1; c < nChunks; c++) {
        const base = (c * nOut + m) * nn;
        for (let i = 0; i < nn; i++) o[i] += partial[base + i];
      }
    }
  }
  if (unrestricted) symmetrizeSum(k2, n);
  symmetrizeSum(j, n);
  symmetrizeSum(k, n);
}

/** Every chunk in the calling thread (integrals outside shared memory). */
function serialChunks(eri: PackedEri, chunks: Int32Array, dJ: Float64Array, dK: Float64Array, dK2?: Float64Array): Float64Array {
  const n = eri.nBasis;
  const nOut = dK2 ? 3 : 2;
  const partial = new Float64Array((chunks.length - 1) * nOut * n * n);
  for (let c = 0; c < chunks.length - 1; c++) scatterChunk(eri.values, n, chunks, c, dJ, dK, dK2, partial);
  return partial;
}

/**
 * Scatter row chunk c (rows chunks[c] … chunks[c+1]−1) into its accumulators in `partial`
 * (layout of buildCoulombExchange: matrix m of chunk c at (c·nOut + m)·n², zeroed here).
 */
export function scatterChunk(
  values: Float64Array,
  n: number,
  chunks: Int32Array,
  c: number,
  dJ: Float64Array,
  dK: Float64Array,
  dK2: Float64Array | undefined,
  partial: Float64Array,
): void {
  const nn = n * n;
  const nOut = dK2 ? 3 : 2;
  const base = c * nOut * nn;
  partial.fill(0, base, base + nOut * nn);
  const j = partial.subarray(base, base + nn);
  const k = partial.subarray(base + nn, base + 2 * nn);
  if (dK2) {
    const k2 = partial.subarray(base + 2 * nn, base + 3 * nn);
    scatterUnrestricted(n, values, dJ, dK, dK2, j, k, k2, chunks[c], chunks[c + 1]);
  } else {
    scatterRestricted(n, values, dJ, dK, j, k, chunks[c], chunks[c + 1]);
  }
}

/** A ← A + Aᵀ. */
function symmetrizeSum(a: Float64Array, n: number): void {
  for (let p = 0; p < n; p++) {
    const rowP = p * n;
    a[rowP + p] *= 2;
    for (let q = 0; q < p; q++) {
      const s = a[rowP + q] + a[q * n + p];
      a[rowP + q] = s;
      a[q * n + p] = s;
    }
  }
}

function scatterRestricted(
  n: number,
  values: Float64Array,
  dJ: Float64Array,
  dK: Float64Array,
  j: Float64Array,
  k: Float64Array,
  pBegin: number,
  pEnd: number,
): void {
  // Integer arithmetic for the running indices (a division would make them doubles in every
  // access); `values` is viewed from the chunk's first integral so that `index` starts at 0.
  let ij = (pBegin * (pBegin + 1)) >> 1;
  values = values.subarray((ij * (ij + 1)) / 2);
  let index = 0;
  for (let p = pBegin; p < pEnd; p++) {
    const rowP = p * n;
    for (let q = 0; q <= p; q++, ij++) {
      const rowQ = q * n;
      const fpq = p === q ? 0.5 : 1;
      const dpq2 = 2 * dJ[rowP + q];
      let jpq = 0;
      let kl = 0;
      for (let r = 0; r <= p; r++) {
        const rowR = r * n;
        const sMax = r < p ? r : q;
        const dKpr = dK[rowP + r];
        const dKqr = dK[rowQ + r];
        let kpr = 0;
        let kqr = 0;
        // s < sMax: s ≠ r and kl ≠ ij, so only the p = q factor applies. The last s (below) is
        // the only one that can have r = s or kl = ij.
        for (let s = 0; s < sMax; s++) {
          let v = values[index++];
          if (v === 0) continue;
          v *= fpq;
          // Coulomb: J_pq += 2v D_rs, J_rs += 2v D_pq.
          jpq += v * dJ[rowR + s];
          j[rowR + s] += v * dpq2;
          // Exchange: K_pr += v D_qs, K_qr += v D_ps, K_ps += v D_qr, K_qs += v D_pr.
          kpr += v * dK[rowQ + s];
          kqr += v * dK[rowP + s];
          k[rowP + s] += v * dKqr;
          k[rowQ + s] += v * dKpr;
        }
        kl += sMax;
        const s = sMax;
        let v = values[index++];
        if (v !== 0) {
          v *= fpq;
          if (r === s) v *= 0.5;
          if (kl === ij) v *= 0.5;
          jpq += v * dJ[rowR + s];
          j[rowR + s] += v * dpq2;
          kpr += v * dK[rowQ + s];
          kqr += v * dK[rowP + s];
          k[rowP + s] += v * dKqr;
          k[rowQ + s] += v * dKpr;
        }
        kl++;
        k[rowP + r] += kpr;
        k[rowQ + r] += kqr;
      }
      j[rowP + q] += 2 * jpq;
    }
  }
}

function scatterUnrestricted(
  n: number,
  values: Float64Array,
  dJ: Float64Array,
  dA: Float64Array,
  dB: Float64Array,
  j: Float64Array,
  ka: Float64Array,
  kb: Float64Array,
  pBegin: number,
  pEnd: number,
): void {
  // Integer arithmetic for the running indices (a division would make them doubles in every
  // access); `values` is viewed from the chunk's first integral so that `index` starts at 0.
  let ij = (pBegin * (pBegin + 1)) >> 1;
  values = values.subarray((ij * (ij + 1)) / 2);
  let index = 0;
  for (let p = pBegin; p < pEnd; p++) {
    const rowP = p * n;
    for (let q = 0; q <= p; q++, ij++) {
      const rowQ = q * n;
      const fpq = p === q ? 0.5 : 1;
      const dpq2 = 2 * dJ[rowP + q];
      let jpq = 0;
      let kl = 0;
      for (let r = 0; r <= p; r++) {
        const rowR = r * n;
        const sMax = r < p ? r : q;
        const aPr = dA[rowP + r];
        const aQr = dA[rowQ + r];
        const bPr = dB[rowP + r];
        const bQr = dB[rowQ + r];
        let kaPr = 0;
        let kaQr = 0;
        let kbPr = 0;
        let kbQr = 0;
        // As in scatterRestricted: only the last s can have r = s or kl = ij.
        for (let s = 0; s < sMax; s++) {
          let v = values[index++];
          if (v === 0) continue;
          v *= fpq;
          jpq += v * dJ[rowR + s];
          j[rowR + s] += v * dpq2;
          kaPr += v * dA[rowQ + s];
          kaQr += v * dA[rowP + s];
          ka[rowP + s] += v * aQr;
          ka[rowQ + s] += v * aPr;
          kbPr += v * dB[rowQ + s];
          kbQr += v * dB[rowP + s];
          kb[rowP + s] += v * bQr;
          kb[rowQ + s] += v * bPr;
        }
        kl += sMax;
        const s = sMax;
        let v = values[index++];
        if (v !== 0) {
          v *= fpq;
          if (r === s) v *= 0.5;
          if (kl === ij) v *= 0.5;
          jpq += v * dJ[rowR + s];
          j[rowR + s] += v * dpq2;
          kaPr += v * dA[rowQ + s];
          kaQr += v * dA[rowP + s];
          ka[rowP + s] += v * aQr;
          ka[rowQ + s] += v * aPr;
          kbPr += v * dB[rowQ + s];
          kbQr += v * dB[rowP + s];
          kb[rowP + s] += v * bQr;
          kb[rowQ + s] += v * bPr;
        }
        kl++;
        ka[rowP + r] += kaPr;
        ka[rowQ + r] += kaQr;
        kb[rowP + r] += kbPr;
        kb[rowQ + r] += kbQr;
      }
      j[rowP + q] += 2 * jpq;
    }
  }
}
