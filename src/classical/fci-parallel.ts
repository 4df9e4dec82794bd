/**
 * Thread pool for the opposite-spin FCI kernel (the dominant part of σ = H C).
 *
 * The CI vector C and the output live in SharedArrayBuffers (the symmetry-blocked layout of
 * fci-kernels.ts / fci-symmetry.ts; one irrep is the plain [α-string × β-string] matrix). Each thread
 * takes a contiguous range of output α rows and runs the opposite-spin kernel over every β pair kl
 * for those rows only, so no two threads write the same element and every element is summed in
 * the same order as on one thread: σ, and with it every FCI energy and vector, is the same to the
 * last bit on any number of threads. (Handing out β pairs instead, each thread into its own output
 * array, summed the pairs in an order that changed from run to run.) Each thread gathers the C
 * columns of every pair itself, about 1/(α replacements per string) of the kernel's work.
 * The rows are split by their counted work ({@link sigmaRowWork}) and the split then follows each
 * thread's measured finishing time, which the result does not depend on; the α same-spin rows go
 * with the same ranges. Synchronisation is by Atomics on a small shared control array: the caller
 * bumps a generation counter, every worker computes its rows and stores the generation into its own
 * "done" slot. Workers are unref'd and terminated by {@link SigmaPool.close}, so they never keep a
 * process alive. The worker runs the very same kernels: its source text is that of
 * {@link applyOppositeSpin} and {@link applySameSpinBlocked}.
 */
import { Worker } from 'node:worker_threads';
import { waitUntilAtLeast } from '../core/index.js';
import {
  applyOppositeSpin,
  applySameSpinBlocked,
  oppositeSpinWork,
  type AlphaCoupling,
  type BlockedShape,
  type OppositeSpinWork,
  type PairLists,
  type SparseStringMatrix,
} from './fci-kernels.js';

/** Applies the opposite-spin part of H with several threads. */
export interface SigmaPool {
  /**
   * out += σ^αβ(c): all of it for parity 0, else only the lower triangle (local Iβ ≤ Iα) of a vector
   * with c^T = parity · c; when `sameOut` is given, also sameOut += F^α c (α same-spin part, all rows).
   */
  apply(c: Float64Array, out: Float64Array, parity: number, sameOut?: Float64Array): void;
  /** Threads taking part, the calling thread included. */
  readonly threads: number;
  /** Stop the workers. */
  close(): void;
}

const WORKER_SOURCE = (kernelSource: string, sameSpinSource: string): string => `
const { workerData } = require('node:worker_threads');
const applyOppositeSpin = (${kernelSource});
const applySameSpinBlocked = (${sameSpinSource});
const d = workerData;
const ctrl = new Int32Array(d.control);
const finished = new Float64Array(d.timing);
const c = new Float64Array(d.input);
const out = new Float64Array(d.output);
const sameOut = new Float64Array(d.sameOutput);
const work = {
  gathered: new Float64Array(Math.max(1, d.nAlphaStrings * d.pairs.maxLength)),
  coef: new Float64Array(d.coupling.perString + 1),
  rows: new Int32Array(d.coupling.perString + 1),
};
let seen = 0;
Atomics.store(ctrl, 192 + d.id, 1);
Atomics.notify(ctrl, 192 + d.id);
for (;;) {
  Atomics.wait(ctrl, 0, seen);
  const gen = Atomics.load(ctrl, 0);
  if (gen < 0) break;
  seen = gen;
  const parity = ctrl[1];
  const rowFrom = ctrl[64 + 2 * d.id];
  const rowTo = ctrl[65 + 2 * d.id];
  try {
    if (ctrl[2] === 1) applySameSpinBlocked(d.fRowStart, d.fColumn, d.fValue, d.shape, c, sameOut, rowFrom, rowTo);
    applyOppositeSpin(d.shape, d.coupling, d.pairs, d.g, c, out, parity !== 0, work, 0, d.nPairs, rowFrom, rowTo);
  } catch (e) {
    Atomics.store(ctrl, 3, 1);
  }
  finished[d.id] = performance.timeOrigin + performance.now();
  Atomics.store(ctrl, 128 + d.id, gen);
  Atomics.notify(ctrl, 128 + d.id);
}
`;

/**
 * Counted work of the opposite-spin kernel per output α row, as a running sum (length
 * nAlphaStrings + 1): for every β pair and block the row takes part in, its list of α replacements
 * and one update per replacement and β pair it writes ({@link applyOppositeSpin}; with `lowerOnly`
 * and target 0, only the pairs with local Iβ ≤ local Iα).
 */
export function sigmaRowWork(shape: BlockedShape, coupling: AlphaCoupling, pairs: PairLists, nAlphaStrings: number, lowerOnly: boolean): Float64Array {
  const n = shape.n;
  const nI = shape.irreps;
  const T = shape.target;
  const lab = shape.orbitalLabels;
  const squareLower = lowerOnly && T === 0;
  const perString = coupling.perString;
  const perRow = new Float64Array(nAlphaStrings);
  for (let kl = 0; kl < n * n; kl++) {
    const k = (kl / n) | 0;
    const sym = lab[k] ^ lab[kl - k * n];
    for (let b = 0; b < nI; b++) {
      const s0 = pairs.start[kl * nI + b];
      const len = pairs.start[kl * nI + b + 1] - s0;
      const aI = b ^ T;
      if (len === 0 || (lowerOnly && aI > b)) continue;
      const aJ = aI ^ sym;
      if (shape.alphaStart[aJ + 1] === shape.alphaStart[aJ]) continue;
      const ir0 = shape.alphaStart[aI];
      const ir1 = shape.alphaStart[aI + 1];
      let prefix = 0;
      for (let r = ir0; r < ir1; r++) {
        let width = len;
        if (squareLower) {
          while (prefix < len && pairs.source[s0 + prefix] <= r - ir0) prefix++;
          width = prefix;
          if (width === 0) continue;
        }
        perRow[r] += perString * (width + 1);
      }
    }
  }
  const cumulative = new Float64Array(nAlphaStrings + 1);
  for (let r = 0; r < nAlphaStrings; r++) cumulative[r + 1] = cumulative[r] + perRow[r];
  return cumulative;
}

/** Row boundaries (length shares.length + 1) giving thread t the share shares[t] of the counted work. */
function splitByWork(cumulative: Float64Array, shares: Float64Array, bounds: Int32Array): void {
  const rows = cumulative.length - 1;
  const total = cumulative[rows];
  let acc = 0;
  let row = 0;
  bounds[0] = 0;
  for (let t = 0; t + 1 < shares.length; t++) {
    acc += shares[t];
    const goal = acc * total;
    while (row < rows && cumulative[row + 1] <= goal) row++;
    bounds[t + 1] = row;
  }
  bounds[shares.length] = rows;
}

/**
 * Start `threads − 1` workers (the caller is the last thread) for vectors of `size` elements in the
 * blocked layout `shape`; `fAlpha` is the blocked α same-spin matrix. Returns undefined when threads ≤ 1.
 */
export function createSigmaPool(
  shape: BlockedShape,
  size: number,
  nAlphaStrings: number,
  coupling: AlphaCoupling,
  pairs: PairLists,
  g: Float64Array,
  fAlpha: SparseStringMatrix,
  threads: number,
): SigmaPool | undefined {
  const nWorkers = Math.min(threads - 1, 30);
  if (nWorkers < 1) return undefined;
  const nThreads = nWorkers + 1;
  const dim = size;
  const control = new SharedArrayBuffer(4 * 256);
  const ctrl = new Int32Array(control);
  const timing = new SharedArrayBuffer(8 * nWorkers);
  const finished = new Float64Array(timing);
  const input = new SharedArrayBuffer(8 * dim);
  const output = new SharedArrayBuffer(8 * dim);
  const cShared = new Float64Array(input);
  const outShared = new Float64Array(output);
  const sameOutput = new SharedArrayBuffer(8 * dim);
  const sameShared = new Float64Array(sameOutput);
  const source = WORKER_SOURCE(applyOppositeSpin.toString(), applySameSpinBlocked.toString());
  const workers: Worker[] = [];
  for (let id = 0; id < nWorkers; id++) {
    const w = new Worker(source, {
      eval: true,
      // Not piped to process.stdout/stderr (the kernels print nothing): a pipe leaves 'error' listeners
      // on the process streams until the event loop turns, and FCI runs back to back in one turn
      // pile them up (MaxListenersExceededWarning).
      stdout: true,
      stderr: true,
      workerData: {
        id,
        control,
        timing,
        input,
        output,
        sameOutput,
        fRowStart: fAlpha.rowStart,
        fColumn: fAlpha.column,
        fValue: fAlpha.value,
        shape,
        coupling,
        pairs,
        nAlphaStrings,
        nPairs: shape.n * shape.n,
        g,
      },
    });
    w.unref();
    workers.push(w);
  }
  const work: OppositeSpinWork = oppositeSpinWork(nAlphaStrings, pairs, coupling);
  const n2 = shape.n * shape.n;
  // per mode (full, lower triangle): counted work per row and each thread's share, moved after every
  // product towards equal finishing times
  const rowWork = [sigmaRowWork(shape, coupling, pairs, nAlphaStrings, false), sigmaRowWork(shape, coupling, pairs, nAlphaStrings, true)];
  const shares = [new Float64Array(nThreads).fill(1 / nThreads), new Float64Array(nThreads).fill(1 / nThreads)];
  const bounds = new Int32Array(nThreads + 1);
  const finish = new Float64Array(nThreads);
  let generation = 0;
  const close = (): void => {
    Atomics.store(ctrl, 0, -1);
    Atomics.notify(ctrl, 0);
    for (const w of workers) void w.terminate();
  };
  // Wait (bounded) until every worker runs; otherwise give up on threads.
  const deadline = Date.now() + 20000;
  for (let id = 0; id < nWorkers; id++) {
    while (Atomics.load(ctrl, 192 + id) !== 1) {
      if (Date.now() > deadline) {
        close();
        return undefined;
      }
      Atomics.wait(ctrl, 192 + id, 0, 50);
    }
  }
  return {
    threads: nThreads,
    apply(c: Float64Array, out: Float64Array, parity: number, sameOut?: Float64Array): void {
      const lowerOnly = parity !== 0;
      const mode = lowerOnly ? 1 : 0;
      const share = shares[mode];
      splitByWork(rowWork[mode], share, bounds);
      cShared.set(c);
      outShared.set(out);
      if (sameOut) sameShared.set(sameOut);
      for (let id = 0; id < nWorkers; id++) {
        ctrl[64 + 2 * id] = bounds[id];
        ctrl[65 + 2 * id] = bounds[id + 1];
      }
      ctrl[2] = sameOut ? 1 : 0;
      ctrl[1] = parity;
      const start = performance.timeOrigin + performance.now();
      generation++;
      Atomics.store(ctrl, 0, generation);
      Atomics.notify(ctrl, 0);
      const rowFrom = bounds[nWorkers];
      const rowTo = bounds[nThreads];
      if (sameOut) applySameSpinBlocked(fAlpha.rowStart, fAlpha.column, fAlpha.value, shape, cShared, sameShared, rowFrom, rowTo);
      applyOppositeSpin(shape, coupling, pairs, g, cShared, outShared, lowerOnly, work, 0, n2, rowFrom, rowTo);
      finish[nWorkers] = performance.timeOrigin + performance.now() - start;
      // Each worker's share takes about as long as the calling thread's: one that has not finished
      // in fifty times that (and two minutes) has stopped, and a blocked thread cannot hear its exit.
      const stallLimitMs = Math.max(120_000, 50 * finish[nWorkers]);
      for (let id = 0; id < nWorkers; id++) {
        if (!waitUntilAtLeast(ctrl, 128 + id, generation, ctrl, 128 + id, stallLimitMs)) {
          close();
          throw new Error(`FCI worker thread ${id + 1} did not finish its share of σ in ${Math.round(stallLimitMs / 1000)} s: it stopped mid-job`);
        }
      }
      if (Atomics.load(ctrl, 3) !== 0) {
        close();
        throw new Error('FCI worker thread failed in the opposite-spin kernel');
      }
      out.set(outShared);
      if (sameOut) sameOut.set(sameShared);
      // Next split: each thread's share in proportion to its measured speed (share per millisecond),
      // half-way from the current one. The result does not depend on the split.
      for (let id = 0; id < nWorkers; id++) finish[id] = finished[id] - start;
      let speedSum = 0;
      for (let t = 0; t < nThreads; t++) speedSum += share[t] / Math.max(finish[t], 1e-3);
      let sum = 0;
      for (let t = 0; t < nThreads; t++) {
        share[t] = Math.max(0.02, 0.5 * share[t] + (0.5 * share[t]) / Math.max(finish[t], 1e-3) / speedSum);
        sum += share[t];
      }
      for (let t = 0; t < nThreads; t++) share[t] /= sum;
    },
    close,
  };
}
