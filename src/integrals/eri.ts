/**
 * Electron-repulsion integrals (ij|kl) (chemists' notation, Hartree) over the basis functions of a
 * MolecularBasis, stored once per 8-fold permutation class in a PackedEri (./eri-layout.ts).
 *
 * Orchestration: shell-pair data are built once (./shell-pairs.ts); Schwarz bounds
 * Q_X = sqrt(max |(ab|ab)|) over each shell pair X are computed with the same kernel, and a shell
 * quartet (X|Y), X ≥ Y, is computed only when Q_X·Q_Y ≥ the screening threshold (integrals of
 * skipped quartets are stored as zero). The kernel (./eri-kernel.ts, McMurchie–Davidson with
 * contraction inside the kernel; unrolled per-class kernels from ./eri-codegen.ts for s/p/d
 * classes) always puts the pair with fewer functions in the ket, where its per-primitive-quartet
 * cost is lowest. The s and p halves of Pople SP shells share one set of primitive-pair data.
 * With `threads` > 1 the quartet loop is spread over a worker_threads pool (./eri-parallel.ts);
 * the quartet loop itself is ./eri-range.ts.
 */
import type { MolecularBasis } from '../basis/molecular-basis.js';
import { InputError } from '../core/errors.js';
import { type PackedEri, packedEriLength } from './eri-layout.js';
import { createEriScratch } from './eri-kernel.js';
import { buildSplitPairs, computeEriRange, schwarzBounds } from './eri-range.js';
import { buildShellPairs } from './shell-pairs.js';
import { computeEriParallel, defaultEriThreads, startEriWorkers } from './eri-parallel.js';

/** Below this many basis functions the default is a single thread (worker start-up would dominate). */
const PARALLEL_MIN_FUNCTIONS = 40;

/** Options of {@link electronRepulsionIntegrals}. */
export interface EriOptions {
  /** Skip shell quartets whose Schwarz bound Q_X·Q_Y is below this (default 1e-12 Hartree). */
  screeningThreshold?: number;
  /** Group the s and p shells of Pople SP shells (shared exponents) in the kernel; default true. */
  groupSharedExponents?: boolean;
  /**
   * Threads for the quartet loop, the calling thread included (default: 1 for small bases, else
   * os.availableParallelism()). 1 computes in the calling thread only.
   */
  threads?: number;
}

/** Highest shell angular momentum the integral code handles (g). */
export const MAX_SUPPORTED_L = 4;

/**
 * @throws InputError when the basis has shells above g (the Hermite tables stop there).
 */
export function assertSupportedAngularMomentum(basis: MolecularBasis): void {
  if (basis.maxL > MAX_SUPPORTED_L) {
    throw new InputError(
      `basis ${basis.name} has shells with l = ${basis.maxL}; qde's integrals support s, p, d, f and g shells (l ≤ ${MAX_SUPPORTED_L})`,
    );
  }
}

/**
 * All electron-repulsion integrals of `basis`, 8-fold packed.
 */
export function electronRepulsionIntegrals(basis: MolecularBasis, options: EriOptions = {}): PackedEri {
  assertSupportedAngularMomentum(basis);
  const threshold = options.screeningThreshold ?? 1e-12;
  const threads = Math.max(1, Math.floor(options.threads ?? (basis.nFunctions >= PARALLEL_MIN_FUNCTIONS ? defaultEriThreads() : 1)));
  if (threads > 1) startEriWorkers(threads - 1);
  const pairs = buildShellPairs(basis, { groupSharedExponents: options.groupSharedExponents });
  const scratch = createEriScratch(pairs);
  const schwarz = schwarzBounds(pairs, scratch);
  const split = buildSplitPairs(basis, pairs);
  const splitScratch = split ? createEriScratch(split.pairs) : undefined;
  const length = packedEriLength(basis.nFunctions);
  if (threads === 1) {
    const values = new Float64Array(length);
    computeEriRange(pairs, schwarz, threshold, 0, pairs.nPairs, values, scratch, split, splitScratch);
    return { nBasis: basis.nFunctions, values };
  }
  const values = new Float64Array(new SharedArrayBuffer(length * 8));
  computeEriParallel(pairs, schwarz, threshold, values, scratch, threads, split, splitScratch);
  return { nBasis: basis.nFunctions, values };
}
