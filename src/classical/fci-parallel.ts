/**
 * Thread pool for the opposite-spin FCI kernel (the dominant part of σ = H C).
 *
 * The CI vector C and the outputs live in SharedArrayBuffers (the symmetry-blocked layout of
 * fci-kernels.ts / fci-symmetry.ts; one irrep is the plain [α-string × β-string] matrix). The β orbital
 * pairs kl of the opposite-spin kernel are handed out one at a time through an atomic counter to the
 * calling thread and the workers (the work per pair varies, above all when only the lower triangle
 * is formed); each thread writes its own output array, added up afterwards, so no two threads write
 * the same element. The α same-spin product is split by output rows and done first. Synchronisation is by Atomics on a small
 * shared control array: the caller bumps a generation counter, every worker computes its part and
 * stores the generation into its own "done" slot. Workers are unref'd and terminated by
 * {@link SigmaPool.close}, so they never keep a process alive. The worker runs the very same kernels:
 * its source text is that of {@link applyOppositeSpin} and {@link applySameSpinBlocked}.
 */
import { Worker } from 'node:worker_threads';
import { waitUntilEqual } from '../core/index.js';
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
  try {
    if (ctrl[2] === 1) {
      applySameSpinBlocked(d.fRowStart, d.fColumn, d.fValue, d.shape, c, sameOut, ctrl[64 + 2 * d.id], ctrl[65 + 2 * d.id]);
    }
    for (;;) {
      const kl = Atomics.add(ctrl, 4, 1);
      if (kl >= d.nPairs) break;
      applyOppositeSpin(d.shape, d.coupling, d.pairs, d.g, c, out, parity !== 0, work, kl, kl + 1);
    }
  } catch (e) {
    Atomics.store(ctrl, 3, 1);
  }
  Atomics.store(ctrl, 128 + d.id, gen);
  Atomics.notify(ctrl, 128 + d.id);
}
`;

/** Row boundaries splitting [0, nRows) into `parts` equal ranges. */
function splitRows(nRows: number, parts: number): number[] {
  const b = [0];
  for (let k = 1; k < parts; k++) b.push(Math.min(nRows, Math.round((nRows * k) / parts)));
  b.push(nRows);
  return b;
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
  const dim = size;
  const control = new SharedArrayBuffer(4 * 256);
  const ctrl = new Int32Array(control);
  const input = new SharedArrayBuffer(8 * dim);
  const outputs = Array.from({ length: nWorkers }, () => new SharedArrayBuffer(8 * dim));
  const outShared = outputs.map((b) => new Float64Array(b));
  const cShared = new Float64Array(input);
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
        input,
        output: outputs[id],
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
  const sameBounds = splitRows(nAlphaStrings, nWorkers + 1);
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
    threads: nWorkers + 1,
    apply(c: Float64Array, out: Float64Array, parity: number, sameOut?: Float64Array): void {
      const lowerOnly = parity !== 0;
      cShared.set(c);
      for (const o of outShared) o.fill(0);
      if (sameOut) {
        sameShared.fill(0);
        for (let id = 0; id < nWorkers; id++) {
          ctrl[64 + 2 * id] = sameBounds[id + 1];
          ctrl[65 + 2 * id] = sameBounds[id + 2];
        }
      }
      ctrl[2] = sameOut ? 1 : 0;
      ctrl[1] = parity;
      // β pairs are handed out one at a time from a shared counter (work per pair varies, above all
      // in the lower-triangle mode), after each thread's fixed share of same-spin rows.
      Atomics.store(ctrl, 4, 0);
      generation++;
      Atomics.store(ctrl, 0, generation);
      Atomics.notify(ctrl, 0);
      if (sameOut) applySameSpinBlocked(fAlpha.rowStart, fAlpha.column, fAlpha.value, shape, cShared, sameShared, sameBounds[0], sameBounds[1]);
      for (;;) {
        const kl = Atomics.add(ctrl, 4, 1);
        if (kl >= n2) break;
        applyOppositeSpin(shape, coupling, pairs, g, c, out, lowerOnly, work, kl, kl + 1);
      }
      for (let id = 0; id < nWorkers; id++) waitUntilEqual(ctrl, 128 + id, generation, 1000);
      if (Atomics.load(ctrl, 3) !== 0) {
        close();
        throw new Error('FCI worker thread failed in the opposite-spin kernel');
      }
      for (const o of outShared) for (let i = 0; i < dim; i++) out[i] += o[i];
      if (sameOut) for (let i = 0; i < dim; i++) sameOut[i] += sameShared[i];
    },
    close,
  };
}
