/**
 * Electron-repulsion integrals (ij|kl) (chemists' notation, Hartree) over the basis functions of a
 * MolecularBasis, stored once per 8-fold permutation class in a PackedEri (./eri-layout.ts).
 *
 * Orchestration: shell-pair data are built once (./shell-pairs.ts); Schwarz bounds
 * Q_X = sqrt(max |(ab|ab)|) over each shell pair X are computed with the same kernel, and a shell
 * quartet (X|Y), X ≥ Y, is computed only when Q_X·Q_Y ≥ the screening threshold (integrals of
 * skipped quartets are stored as zero). The kernel (./eri-kernel.ts, McMurchie–Davidson with
 * contraction inside the kernel; unrolled per-class kernels from ./eri-codegen.ts for s/p/d
 * classes; a reflection-parity kernel for one-centre quartets and quartets whose centres share an
 * axis) always puts the pair with fewer functions in the ket, where its per-primitive-quartet
 * cost is lowest. The s and p halves of Pople SP shells, and generally contracted shells of equal
 * l (cc-pVXZ), share one set of primitive-pair data.
 * With `threads` > 1 the quartet loop is spread over a worker_threads pool (./eri-parallel.ts), by
 * default chosen from the estimated work of the whole loop rather than the basis size;
 * the quartet loop itself is ./eri-range.ts. startElectronRepulsionIntegrals hands the quartets to
 * the workers at once and lets the caller join later, so that worker start-up and the workers'
 * first (unoptimised) quartets overlap the caller's other set-up work. A one-centre basis whose shells
 * belong to such a job (an SCF guess's atoms) is copied out of it (./eri-reuse.ts).
 */
import type { MolecularBasis } from '../basis/index.js';
import { InputError } from '../core/index.js';
import { allocatePackedEriValues, type PackedEri } from './eri-layout.js';
import { oneCentreFromRecentJob, rememberEriJob } from './eri-reuse.js';
import { createEriScratch } from './eri-kernel.js';
import { buildSplitPairs, computeEriRange, estimateEriWork, schwarzBounds } from './eri-range.js';
import { findEriSymmetry, type EriSymmetry } from './eri-symmetry.js';
import { buildShellPairs, type ShellPairData } from './shell-pairs.js';
import { defaultEriThreads, finishEriParallel, startEriParallel, startEriWorkers } from './eri-parallel.js';

/**
 * Work (./eri-range.ts estimateEriWork, ≈ kernel multiply–adds) below which one thread is used even
 * when this thread's kernels are compiled already: about 0.05 s of single-thread work, where handing
 * items to a worker costs as much as it saves (H2O/cc-pVDZ: 6·10⁶).
 */
const PARALLEL_MIN_WORK = 2e7;
/**
 * Work from which even the first computation in a process uses the worker pool: about 0.5 s of
 * single-thread work. A fresh worker loads its modules and compiles its own kernels, and both
 * threads' compilations then share the cores, so a first call gains less than a warm one; the
 * worker takes the cheapest quartets first (./eri-parallel.ts) while its code is unoptimised.
 * Measured on 2 cores (whole `qde energy` processes, medians of 4–6 interleaved runs): benzene/6-31G*
 * (1.6·10⁹) 2.61 s in one thread against 2.20 s with a fresh worker; HBr/cc-pVTZ (2.8·10⁹) 1.32 s
 * against 1.15 s; H₂O/cc-pVTZ (1.5·10⁸, SCF in a process) 0.61 s against 0.66 s.
 */
const PARALLEL_FIRST_CALL_MIN_WORK = 1e9;
/**
 * Work from which a molecular job is remembered for one-centre reuse (./eri-reuse.ts): about 5 ms
 * of single-thread work (H2O/cc-pVDZ 5.9·10⁶; H2O/STO-3G 3.2·10⁵). Below it an atom's block costs
 * a millisecond or less to compute again, while remembering costs two WeakRefs, and V8 keeps a
 * WeakRef's target (the basis, the job and its integrals) alive until the current event-loop turn
 * ends: a label with finite-difference forces runs 13–19 SCFs in one turn, and their kept jobs were
 * promoted to the old generation and marked by every major collection. The integrals are the same
 * either way.
 */
const REUSE_MIN_WORK = 2e6;

/** Options of {@link electronRepulsionIntegrals}. */
export interface EriOptions {
  /** Skip shell quartets whose Schwarz bound Q_X·Q_Y is below this (default 1e-12 Hartree). */
  screeningThreshold?: number;
  /** Group the s and p shells of Pople SP shells (shared exponents) in the kernel; default true. */
  groupSharedExponents?: boolean;
  /**
   * Threads for the quartet loop, the calling thread included. Default: chosen by the estimated work
   * (quartets × their kernel cost, so it holds for every angular momentum): 1 for small jobs; the
   * process thread budget (core/threads.ts: QDE_THREADS or setThreadBudget, else all cores) for
   * large ones; in between 1 for the first computation in the process (see eriThreadCount) and the
   * budget afterwards. 1 computes in the calling thread only.
   */
  threads?: number;
  /**
   * Compute one shell quartet per orbit of the molecule's reflection symmetry (the subgroup of D2h
   * whose elements are the coordinate planes and axes of the input frame; ./eri-symmetry.ts) and
   * copy the others with their signs. Default true; the integrals are the same to rounding.
   */
  symmetry?: boolean;
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

/** Whether a computation of at least PARALLEL_MIN_WORK has finished in this thread. */
let kernelsWarm = false;

/**
 * Threads (calling thread included) that {@link electronRepulsionIntegrals} uses for `work`
 * (estimateEriWork of the basis' shell pairs). Default: one for small jobs; the thread budget for
 * large ones; for mid-size jobs one for the first computation in a process and the budget
 * afterwards. Why: a fresh worker must start, load its modules and compile its own generated
 * kernels, and runs unoptimised code until then; for a mid-size job that costs more than it saves,
 * while the calling thread's compiled kernels are reused by later calls, which then gain from
 * workers.
 */
function eriThreadCount(work: number, options: EriOptions): number {
  if (options.threads !== undefined) return Math.max(1, Math.floor(options.threads));
  if (work < PARALLEL_MIN_WORK) return 1;
  if (!kernelsWarm && work < PARALLEL_FIRST_CALL_MIN_WORK) return 1;
  return defaultEriThreads();
}

/** Electron-repulsion integrals being computed; see {@link startElectronRepulsionIntegrals}. */
export interface PendingEri {
  /** Compute what is left in the calling thread, wait for the workers and return the integrals. */
  finish(): PackedEri;
}

/**
 * Start the electron-repulsion integrals of `basis` without waiting for them: with several threads
 * the worker threads boot and begin on the quartets at once, while the caller does other work (the
 * one-electron integrals, the initial guess); `finish()` then joins in and returns the same
 * integrals as {@link electronRepulsionIntegrals}. With one thread everything happens in `finish()`.
 * @throws InputError when the basis has shells above g.
 */
export function startElectronRepulsionIntegrals(basis: MolecularBasis, options: EriOptions = {}): PendingEri {
  assertSupportedAngularMomentum(basis);
  const pairs = buildShellPairs(basis, { groupSharedExponents: options.groupSharedExponents });
  const work = estimateEriWork(pairs);
  const pending = startComputation(basis, options, pairs, work);
  if (work >= REUSE_MIN_WORK) rememberEriJob(basis, options, pending);
  return pending;
}

function startComputation(basis: MolecularBasis, options: EriOptions, pairs: ShellPairData, work: number): PendingEri {
  const threshold = options.screeningThreshold ?? 1e-12;
  const symmetry = options.symmetry === false ? undefined : findEriSymmetry(basis, pairs);
  const threads = eriThreadCount(work, options);
  if (threads === 1) {
    let result: PackedEri | undefined;
    return {
      finish: () => {
        if (!result) {
          result = computeSerial(basis, pairs, threshold, symmetry);
          if (work >= PARALLEL_MIN_WORK) kernelsWarm = true;
        }
        return result;
      },
    };
  }
  startEriWorkers(threads - 1);
  const scratch = createEriScratch(pairs);
  const split = buildSplitPairs(basis, pairs);
  const schwarz = schwarzBounds(pairs, scratch, split);
  const values = allocatePackedEriValues(basis.nFunctions);
  const job = startEriParallel(pairs, schwarz, threshold, values, threads, split, symmetry);
  let result: PackedEri | undefined;
  return {
    finish: () => {
      if (!result) {
        const splitScratch = split ? createEriScratch(split.pairs) : undefined;
        finishEriParallel(job, pairs, schwarz, threshold, values, scratch, split, splitScratch, symmetry);
        kernelsWarm = true;
        result = { nBasis: basis.nFunctions, values };
      }
      return result;
    },
  };
}

/** The whole computation in the calling thread. */
function computeSerial(basis: MolecularBasis, pairs: ShellPairData, threshold: number, symmetry?: EriSymmetry): PackedEri {
  const scratch = createEriScratch(pairs);
  const split = buildSplitPairs(basis, pairs);
  const schwarz = schwarzBounds(pairs, scratch, split);
  const splitScratch = split ? createEriScratch(split.pairs) : undefined;
  // Shared memory, so that worker threads (the SCF's J/K build) can read the integrals in place.
  const values = allocatePackedEriValues(basis.nFunctions);
  computeEriRange(pairs, schwarz, threshold, 0, pairs.nPairs, values, scratch, split, splitScratch, 0, Number.MAX_SAFE_INTEGER, symmetry);
  return { nBasis: basis.nFunctions, values };
}

/**
 * All electron-repulsion integrals of `basis`, 8-fold packed.
 * @throws InputError when the basis has shells above g.
 */
export function electronRepulsionIntegrals(basis: MolecularBasis, options: EriOptions = {}): PackedEri {
  return oneCentreFromRecentJob(basis, options) ?? startElectronRepulsionIntegrals(basis, options).finish();
}
