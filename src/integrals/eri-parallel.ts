/**
 * Worker-thread pool for the ERI quartet loop. Work items are (bra pair, range of ket pairs), ordered
 * by estimated cost; the calling thread takes them from the expensive end and the workers from the
 * cheap end (./eri-range.ts takeEriWorkItem), so a worker still running unoptimised code starts on
 * the cheapest quartets. startEriParallel posts the job and returns at once, so workers begin
 * while the caller does other work;
 * finishEriParallel then lets the calling thread take the remaining items and blocks in
 * Atomics.wait until every item is finished, so the public API stays synchronous (and still
 * completes when a worker has not started yet: the calling thread then takes its items).
 * Workers start on first use (tsx-compatible: the worker file has the extension of this module),
 * are unref'd so they never keep a process alive, and are reused by later calls.
 */
import type { Worker } from 'node:worker_threads';
import { ModuleWorkerPool, threadBudget, waitUntilAtLeast } from '../core/index.js';
import { kernelGenerationThreshold } from './eri-codegen.js';
import type { EriScratch } from './eri-kernel.js';
import type { EriSymmetry } from './eri-symmetry.js';
import type { EriJobMessage } from './eri-worker.js';
import {
  ERI_CONTROL_FINISHED,
  ERI_CONTROL_LENGTH,
  computeEriRange,
  eriWorkItems,
  takeEriWorkItem,
  type EriWorkItems,
  type SplitPairs,
} from './eri-range.js';
import type { ShellPairData } from './shell-pairs.js';

const pool = new ModuleWorkerPool(import.meta.url, 'eri-worker', 'ERI');

function ensurePool(size: number): Worker[] {
  return pool.ensure(size);
}

/** Start (or keep) `count` workers now, so they boot while the caller prepares the job. */
export function startEriWorkers(count: number): void {
  ensurePool(count);
}

/** Number of threads used by default: the process thread budget (core/threads.ts). */
export function defaultEriThreads(): number {
  return threadBudget();
}

/** Workers currently in the pool (0 when every computation so far ran in the calling thread). */
export function eriWorkerCount(): number {
  return pool.size;
}

/** Terminate the pool (tests or long-running hosts that want the threads back). */
export async function terminateEriWorkers(): Promise<void> {
  await pool.terminate();
}

/** A job handed to the workers by {@link startEriParallel}, finished by {@link finishEriParallel}. */
export interface EriParallelJob {
  /** Counters over a SharedArrayBuffer (./eri-range.ts ERI_CONTROL_*). */
  readonly control: Int32Array;
  /** One flag per work item, set by the thread that computes it (SharedArrayBuffer). */
  readonly claimed: Uint8Array;
  readonly items: EriWorkItems;
}

/**
 * Hand the quartet loop to `threads` − 1 workers without waiting: each worker takes work items as
 * soon as it has booted. The calling thread joins in {@link finishEriParallel}.
 */
export function startEriParallel(
  pairs: ShellPairData,
  schwarz: Float64Array,
  threshold: number,
  values: Float64Array,
  threads: number,
  split?: SplitPairs,
  symmetry?: EriSymmetry,
): EriParallelJob {
  const workers = ensurePool(threads - 1);
  const control = new Int32Array(new SharedArrayBuffer(4 * ERI_CONTROL_LENGTH));
  const items = eriWorkItems(pairs);
  const claimed = new Uint8Array(new SharedArrayBuffer(items.count));
  for (const w of workers) {
    const message: EriJobMessage = {
      pairs,
      schwarz,
      threshold,
      split,
      items,
      values: values.buffer as SharedArrayBuffer,
      control: control.buffer as SharedArrayBuffer,
      claimed: claimed.buffer as SharedArrayBuffer,
      kernelGenerationThreshold: kernelGenerationThreshold(),
      symmetry,
    };
    w.postMessage(message);
  }
  return { control, claimed, items };
}

/**
 * Take the remaining work items of `job` in the calling thread, then block until the workers have
 * finished theirs.
 */
export function finishEriParallel(
  job: EriParallelJob,
  pairs: ShellPairData,
  schwarz: Float64Array,
  threshold: number,
  values: Float64Array,
  scratch: EriScratch,
  split?: SplitPairs,
  splitScratch?: EriScratch,
  symmetry?: EriSymmetry,
): void {
  const { control, claimed, items } = job;
  const n = items.count;
  for (;;) {
    const item = takeEriWorkItem(control, claimed, false);
    if (item < 0) break;
    const x = items.itemX[item];
    computeEriRange(pairs, schwarz, threshold, x, x + 1, values, scratch, split, splitScratch, items.itemY0[item], items.itemY1[item], symmetry);
    Atomics.add(control, ERI_CONTROL_FINISHED, 1);
  }
  // Wait until every work item is finished. A worker that never started takes no items, so it cannot
  // block this (the front then runs to the end); a stalled one is reported after a minute.
  if (!waitUntilAtLeast(control, ERI_CONTROL_FINISHED, n, control, ERI_CONTROL_FINISHED, 60000)) {
    throw new Error('ERI worker threads made no progress for 60 s');
  }
}
