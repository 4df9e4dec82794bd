/**
 * Electron-repulsion integrals (ij|kl) (chemists' notation, Hartree) over the basis functions of a
 * MolecularBasis, stored once per 8-fold permutation class in a PackedEri (./eri-layout.ts).
 *
 * Orchestration: shell-pair data are built once (./shell-pairs.ts); Schwarz bounds
 * Q_X = sqrt(max |(ab|ab)|) over each shell pair X are computed with the same kernel, and a shell
 * quartet (X|Y), X ≥ Y, is computed only when Q_X·Q_Y ≥ the screening threshold (integrals of
 * skipped quartets are stored as zero). The kernel (./eri-kernel.ts) always puts the pair with
 * fewer functions in the ket, where its per-primitive-quartet cost is lowest.
 * With `threads` > 1 the quartet loop is spread over a worker_threads pool (./eri-parallel.ts).
 */
import type { MolecularBasis } from '../basis/molecular-basis.js';
import { type PackedEri, packedEriLength } from './eri-layout.js';
import { computeQuartet, createEriScratch, type EriScratch } from './eri-kernel.js';
import { buildShellPairs, type ShellPairData } from './shell-pairs.js';
import { computeEriParallel, defaultEriThreads } from './eri-parallel.js';

/** Below this many basis functions the default is a single thread (worker start-up would dominate). */
const PARALLEL_MIN_FUNCTIONS = 40;

/** Options of {@link electronRepulsionIntegrals}. */
export interface EriOptions {
  /** Skip shell quartets whose Schwarz bound Q_X·Q_Y is below this (default 1e-12 Hartree). */
  screeningThreshold?: number;
  /** Group shells of one atom that share exponents (SP shells, general contractions); default true. */
  groupSharedExponents?: boolean;
  /**
   * Threads for the quartet loop, the calling thread included (default: 1 for small bases, else
   * os.availableParallelism()). 1 computes in the calling thread only.
   */
  threads?: number;
}

/** Schwarz bound sqrt(max_ab |(ab|ab)|) of every shell pair. */
export function schwarzBounds(pairs: ShellPairData, scratch: EriScratch): Float64Array {
  const q = new Float64Array(pairs.nPairs);
  for (let x = 0; x < pairs.nPairs; x++) {
    const nx = pairs.pairNA[x] * pairs.pairNB[x];
    computeQuartet(pairs, x, x, scratch);
    let m = 0;
    for (let ab = 0; ab < nx; ab++) {
      const v = Math.abs(scratch.out[ab * nx + ab]);
      if (v > m) m = v;
    }
    q[x] = Math.sqrt(m);
  }
  return q;
}

/**
 * Compute and store all quartets (X|Y) with X in [xBegin, xEnd), Y ≤ X, passing the Schwarz test.
 * Returns the number of shell quartets computed.
 */
export function computeEriRange(
  pairs: ShellPairData,
  schwarz: Float64Array,
  threshold: number,
  xBegin: number,
  xEnd: number,
  values: Float64Array,
  scratch: EriScratch,
): number {
  const first = pairs.groupFirstFunction;
  let count = 0;
  for (let x = xBegin; x < xEnd; x++) {
    const qx = schwarz[x];
    if (qx === 0) continue;
    const nX = pairs.pairNA[x] * pairs.pairNB[x];
    for (let y = 0; y <= x; y++) {
      if (qx * schwarz[y] < threshold) continue;
      const nY = pairs.pairNA[y] * pairs.pairNB[y];
      // Smaller pair in the ket.
      const swap = nY > nX;
      const bra = swap ? y : x;
      const ket = swap ? x : y;
      computeQuartet(pairs, bra, ket, scratch);
      count++;
      const out = scratch.out;
      const fa = first[pairs.pairA[bra]], fb = first[pairs.pairB[bra]];
      const fc = first[pairs.pairA[ket]], fd = first[pairs.pairB[ket]];
      const na = pairs.pairNA[bra], nb = pairs.pairNB[bra];
      const nc = pairs.pairNA[ket], nd = pairs.pairNB[ket];
      const nKet = nc * nd;
      let o = 0;
      for (let a = 0; a < na; a++) {
        const i = fa + a;
        for (let b = 0; b < nb; b++) {
          const j = fb + b;
          const ij = i >= j ? (i * (i + 1)) / 2 + j : (j * (j + 1)) / 2 + i;
          for (let c = 0; c < nc; c++) {
            const k = fc + c;
            for (let d = 0; d < nd; d++) {
              const l = fd + d;
              const kl = k >= l ? (k * (k + 1)) / 2 + l : (l * (l + 1)) / 2 + k;
              const idx = ij >= kl ? (ij * (ij + 1)) / 2 + kl : (kl * (kl + 1)) / 2 + ij;
              values[idx] = out[o + c * nd + d];
            }
          }
          o += nKet;
        }
      }
    }
  }
  return count;
}

/**
 * All electron-repulsion integrals of `basis`, 8-fold packed.
 */
export function electronRepulsionIntegrals(basis: MolecularBasis, options: EriOptions = {}): PackedEri {
  const threshold = options.screeningThreshold ?? 1e-12;
  const pairs = buildShellPairs(basis, { groupSharedExponents: options.groupSharedExponents });
  const scratch = createEriScratch(pairs);
  const schwarz = schwarzBounds(pairs, scratch);
  const length = packedEriLength(basis.nFunctions);
  const threads = Math.max(1, Math.floor(options.threads ?? (basis.nFunctions >= PARALLEL_MIN_FUNCTIONS ? defaultEriThreads() : 1)));
  if (threads === 1) {
    const values = new Float64Array(length);
    computeEriRange(pairs, schwarz, threshold, 0, pairs.nPairs, values, scratch);
    return { nBasis: basis.nFunctions, values };
  }
  const values = new Float64Array(new SharedArrayBuffer(length * 8));
  computeEriParallel(pairs, schwarz, threshold, values, scratch, threads);
  return { nBasis: basis.nFunctions, values };
}
