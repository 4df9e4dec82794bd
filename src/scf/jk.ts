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
 * the basis size, never on the thread count.
 *
 * Density screening ({@link buildCoulombExchangeScreened}, restricted only): the packed integrals are
 * read in blocks — for fixed p ≥ q and r, runs of up to SCREEN_BLOCK consecutive s (aligned at
 * multiples of SCREEN_BLOCK) — and the largest |(pq|rs)| of every block is recorded (as a float32
 * rounded up) during the first such build over an integral set. A screened build skips a block when
 * that maximum times the largest density element the block's six contributions read (2|dJ_pq|,
 * |dK_pr|, |dK_qr|, and the largest |dJ_rs|, |dK_ps|, |dK_qs| over the block's s) is below the
 * threshold, so every skipped contribution to J or K is below it. Meant for the density differences
 * of incremental Fock builds, whose elements shrink as the SCF converges; skipped blocks are never
 * read. With threshold 0 only blocks of exact zeros (quartets removed by the Schwarz screening of
 * the integrals) are skipped, which changes no bit of the result. The SCF (./engine.ts) does not use
 * it: on caffeine/cc-pVDZ a threshold of 1e-13 kept 65–76 % of the integrals in most iterations (no
 * net gain over full builds), and 1e-12 let the errors of successive incremental builds move the
 * energy by 1e-9 Hartree, so the 1e-10 energy criterion was never met.
 */
import type { PackedEri } from '../integrals/index.js';
import { jkRowChunks, parallelCoulombExchange, type ChunkScreen } from './jk-parallel.js';

/** Functions s per screening block (see the file header). */
export const SCREEN_BLOCK = 32;

/** Block maxima of each integral set (see the file header), once recorded. */
const blockMaxima = new WeakMap<PackedEri, Float32Array>();

const blockOffsetsByN = new Map<number, Float64Array>();

/** blockOffsets(n)[p]: screening blocks of the rows before p (every q ≤ p', r ≤ p' of p' < p). */
export function blockOffsets(n: number): Float64Array {
  let offsets = blockOffsetsByN.get(n);
  if (offsets) return offsets;
  offsets = new Float64Array(n + 1);
  let count = 0;
  for (let p = 0; p < n; p++) {
    offsets[p] = count;
    for (let q = 0; q <= p; q++) {
      for (let r = 0; r <= p; r++) count += Math.ceil(((r < p ? r : q) + 1) / SCREEN_BLOCK);
    }
  }
  offsets[n] = count;
  blockOffsetsByN.set(n, offsets);
  return offsets;
}

/**
 * Restricted J[dJ] into `j` and K[dK] into `k`, skipping the integral blocks whose contributions
 * are all below `threshold` (see the file header). The first call over an integral set reads every
 * integral and records the block maxima. With threshold 0 (and on the first call) the result has the
 * bits of {@link buildCoulombExchange}.
 */
export function buildCoulombExchangeScreened(
  eri: PackedEri,
  dJ: Float64Array,
  dK: Float64Array,
  j: Float64Array,
  k: Float64Array,
  threshold: number,
): void {
  const n = eri.nBasis;
  let maxima = blockMaxima.get(eri);
  let screen: ChunkScreen;
  if (!maxima) {
    maxima = new Float32Array(new SharedArrayBuffer(blockOffsets(n)[n] * 4));
    screen = { mode: 1, blockMax: maxima, threshold: 0, densityMax: new Float64Array(0) };
  } else {
    // densityMax[(m·n + r)·nb + b]: largest |D_rs| over block b of s, for D = dJ (m = 0), dK (m = 1).
    const nb = Math.ceil(n / SCREEN_BLOCK);
    const densityMax = new Float64Array(2 * n * nb);
    if (threshold > 0) {
      for (let m = 0; m < 2; m++) {
        const d = m === 0 ? dJ : dK;
        for (let r = 0; r < n; r++) {
          for (let b = 0; b < nb; b++) {
            let x = 0;
            const end = Math.min(n, (b + 1) * SCREEN_BLOCK);
            for (let s = b * SCREEN_BLOCK; s < end; s++) x = Math.max(x, Math.abs(d[r * n + s]));
            densityMax[(m * n + r) * nb + b] = x;
          }
        }
      }
    }
    screen = { mode: 2, blockMax: maxima, threshold, densityMax };
  }
  buildWithScreen(eri, dJ, dK, j, k, undefined, undefined, screen);
  if (screen.mode === 1) blockMaxima.set(eri, maxima);
}

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
  buildWithScreen(eri, dJ, dK, j, k, dK2, k2, undefined);
}

function buildWithScreen(
  eri: PackedEri,
  dJ: Float64Array,
  dK: Float64Array,
  j: Float64Array,
  k: Float64Array,
  dK2: Float64Array | undefined,
  k2: Float64Array | undefined,
  screen: ChunkScreen | undefined,
): void {
  const n = eri.nBasis;
  const values = eri.values;
  const chunks = jkRowChunks(n);
  const nChunks = chunks.length - 1;
  const unrestricted = dK2 !== undefined && k2 !== undefined;
  if (nChunks === 1) {
    j.fill(0);
    k.fill(0);
    if (unrestricted) {
      k2.fill(0);
      scatterUnrestricted(n, values, dJ, dK, dK2, j, k, k2, 0, n);
    } else {
      if (screen) (screen.mode === 1 ? scatterRestrictedRecording : scatterRestrictedScreened)(n, values, dJ, dK, j, k, 0, n, screen);
      else scatterRestricted(n, values, dJ, dK, j, k, 0, n);
    }
  } else {
    const nn = n * n;
    const nOut = unrestricted ? 3 : 2;
    // partial[(c·nOut + m)·n² …]: matrix m (J, K, K2) of chunk c.
    const partial =
      parallelCoulombExchange(eri, chunks, dJ, dK, unrestricted ? dK2 : undefined, scatterChunk, screen) ??
      serialChunks(eri, chunks, dJ, dK, unrestricted ? dK2 : undefined, screen);
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

/** Every chunk in the calling thread (no workers, or integrals outside shared memory). */
function serialChunks(
  eri: PackedEri,
  chunks: Int32Array,
  dJ: Float64Array,
  dK: Float64Array,
  dK2: Float64Array | undefined,
  screen: ChunkScreen | undefined,
): Float64Array {
  const n = eri.nBasis;
  const nOut = dK2 ? 3 : 2;
  const partial = new Float64Array((chunks.length - 1) * nOut * n * n);
  for (let c = 0; c < chunks.length - 1; c++) scatterChunk(eri.values, n, chunks, c, dJ, dK, dK2, partial, screen);
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
  screen?: ChunkScreen,
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
    if (screen) (screen.mode === 1 ? scatterRestrictedRecording : scatterRestrictedScreened)(n, values, dJ, dK, j, k, chunks[c], chunks[c + 1], screen);
    else scatterRestricted(n, values, dJ, dK, j, k, chunks[c], chunks[c + 1]);
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

/**
 * scatterRestricted by screening blocks: skips the blocks of exact zeros and those whose stored
 * maximum times the largest density element they read is below screen.threshold. The arithmetic of
 * a computed value is that of scatterRestricted.
 */
function scatterRestrictedScreened(
  n: number,
  values: Float64Array,
  dJ: Float64Array,
  dK: Float64Array,
  j: Float64Array,
  k: Float64Array,
  pBegin: number,
  pEnd: number,
  screen: ChunkScreen,
): void {
  let ij = (pBegin * (pBegin + 1)) >> 1;
  values = values.subarray((ij * (ij + 1)) / 2);
  const blockMax = screen.blockMax.subarray(blockOffsets(n)[pBegin]);
  const threshold = screen.threshold;
  const bounded = threshold > 0;
  const densityMax = screen.densityMax;
  const nb = Math.ceil(n / SCREEN_BLOCK);
  const kOffset = n * nb;
  let index = 0;
  let block = 0;
  for (let p = pBegin; p < pEnd; p++) {
    const rowP = p * n;
    for (let q = 0; q <= p; q++, ij++) {
      const rowQ = q * n;
      const fpq = p === q ? 0.5 : 1;
      const dpq2 = 2 * dJ[rowP + q];
      // The p = q factor ½ is applied to the constants and the sums, not to every value (exact: a power of 2).
      const dpq2f = dpq2 * fpq;
      const absDpq2 = Math.abs(dpq2);
      let jpq = 0;
      let kl = 0;
      for (let r = 0; r <= p; r++) {
        const rowR = r * n;
        const sMax = r < p ? r : q;
        const dKpr = dK[rowP + r];
        const dKqr = dK[rowQ + r];
        const dKprf = dKpr * fpq;
        const dKqrf = dKqr * fpq;
        const bpqr = Math.max(absDpq2, Math.abs(dKpr), Math.abs(dKqr));
        let kpr = 0;
        let kqr = 0;
        for (let s0 = 0, blk = 0; s0 <= sMax; s0 += SCREEN_BLOCK, blk++, block++) {
          const s1 = Math.min(s0 + SCREEN_BLOCK, sMax + 1);
          const blockLargest = blockMax[block];
          if (blockLargest === 0) {
            index += s1 - s0;
            continue;
          }
          if (bounded) {
            const b = Math.max(
              bpqr,
              densityMax[r * nb + blk],
              densityMax[kOffset + p * nb + blk],
              densityMax[kOffset + q * nb + blk],
            );
            if (blockLargest * b < threshold) {
              index += s1 - s0;
              continue;
            }
          }
          // s < sMax: only the p = q factor applies; the last s (s = sMax) can have r = s or kl = ij.
          const sEnd = s1 > sMax ? sMax : s1;
          for (let s = s0; s < sEnd; s++) {
            const v = values[index++];
            if (v === 0) continue;
            jpq += v * dJ[rowR + s];
            j[rowR + s] += v * dpq2f;
            kpr += v * dK[rowQ + s];
            kqr += v * dK[rowP + s];
            k[rowP + s] += v * dKqrf;
            k[rowQ + s] += v * dKprf;
          }
          if (s1 > sMax) {
            const s = sMax;
            let v = values[index++];
            if (v !== 0) {
              if (r === s) v *= 0.5;
              if (kl + sMax === ij) v *= 0.5;
              jpq += v * dJ[rowR + s];
              j[rowR + s] += v * dpq2f;
              kpr += v * dK[rowQ + s];
              kqr += v * dK[rowP + s];
              k[rowP + s] += v * dKqrf;
              k[rowQ + s] += v * dKprf;
            }
          }
        }
        kl += sMax + 1;
        k[rowP + r] += fpq * kpr;
        k[rowQ + r] += fpq * kqr;
      }
      j[rowP + q] += 2 * fpq * jpq;
    }
  }
}

/**
 * scatterRestricted that also stores the largest |value| of every screening block (rounded up to
 * float32) in screen.blockMax. The arithmetic is that of scatterRestricted.
 */
function scatterRestrictedRecording(
  n: number,
  values: Float64Array,
  dJ: Float64Array,
  dK: Float64Array,
  j: Float64Array,
  k: Float64Array,
  pBegin: number,
  pEnd: number,
  screen: ChunkScreen,
): void {
  let ij = (pBegin * (pBegin + 1)) >> 1;
  values = values.subarray((ij * (ij + 1)) / 2);
  const blockMax = screen.blockMax.subarray(blockOffsets(n)[pBegin]);
  let index = 0;
  let block = 0;
  for (let p = pBegin; p < pEnd; p++) {
    const rowP = p * n;
    for (let q = 0; q <= p; q++, ij++) {
      const rowQ = q * n;
      const fpq = p === q ? 0.5 : 1;
      const dpq2 = 2 * dJ[rowP + q];
      // The p = q factor ½ is applied to the constants and the sums, not to every value (exact: a power of 2).
      const dpq2f = dpq2 * fpq;
      let jpq = 0;
      let kl = 0;
      for (let r = 0; r <= p; r++) {
        const rowR = r * n;
        const sMax = r < p ? r : q;
        const dKpr = dK[rowP + r];
        const dKqr = dK[rowQ + r];
        const dKprf = dKpr * fpq;
        const dKqrf = dKqr * fpq;
        let kpr = 0;
        let kqr = 0;
        for (let s0 = 0; s0 <= sMax; s0 += SCREEN_BLOCK, block++) {
          const s1 = Math.min(s0 + SCREEN_BLOCK, sMax + 1);
          // s < sMax: only the p = q factor applies; the last s (s = sMax) can have r = s or kl = ij.
          const sEnd = s1 > sMax ? sMax : s1;
          let largest = 0;
          for (let s = s0; s < sEnd; s++) {
            let v = values[index++];
            if (v === 0) continue;
            largest = Math.max(largest, Math.abs(v));
            jpq += v * dJ[rowR + s];
            j[rowR + s] += v * dpq2f;
            kpr += v * dK[rowQ + s];
            kqr += v * dK[rowP + s];
            k[rowP + s] += v * dKqrf;
            k[rowQ + s] += v * dKprf;
          }
          if (s1 > sMax) {
            const s = sMax;
            let v = values[index++];
            if (v !== 0) {
              largest = Math.max(largest, Math.abs(v));
              if (r === s) v *= 0.5;
              if (kl + sMax === ij) v *= 0.5;
              jpq += v * dJ[rowR + s];
              j[rowR + s] += v * dpq2f;
              kpr += v * dK[rowQ + s];
              kqr += v * dK[rowP + s];
              k[rowP + s] += v * dKqrf;
              k[rowQ + s] += v * dKprf;
            }
          }
          {
            // Rounded up: the float32 nearest to `largest` may lie below it.
            let stored = Math.fround(largest);
            if (stored < largest) stored = Math.fround(largest * (1 + 2 ** -22));
            blockMax[block] = stored;
          }
        }
        kl += sMax + 1;
        k[rowP + r] += fpq * kpr;
        k[rowQ + r] += fpq * kqr;
      }
      j[rowP + q] += 2 * fpq * jpq;
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
