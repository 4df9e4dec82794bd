/**
 * Worker-thread pool for the ERI quartet loop. Work items are (bra pair, range of ket pairs), handed
 * out largest bra pairs first through an atomic counter in a SharedArrayBuffer. startEriParallel
 * posts the job and returns at once, so workers begin while the caller does other work;
 * finishEriParallel then lets the calling thread take the remaining items and blocks in
 * Atomics.wait until every item is finished, so the public API stays synchronous (and still
 * completes when a worker has not started yet: the calling thread then takes its items).
 * Workers start on first use (tsx-compatible: the worker file has the extension of this module),
 * are unref'd so they never keep a process alive, and are reused by later calls.
 */
import type { Worker } from 'node:worker_threads';
import { ModuleWorkerPool, threadBudget } from '../core/index.js';
import type { EriScratch } from './eri-kernel.js';
import { computeEriRange, eriWorkItems, type EriWorkItems, type SplitPairs } from './eri-range.js';
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
  /** [next work item, finished work items] over a SharedArrayBuffer. */
  readonly control: Int32Array;
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
): EriParallelJob {
  const workers = ensurePool(threads - 1);
  const control = new Int32Array(new SharedArrayBuffer(8));
  const items = eriWorkItems(pairs.nPairs);
  for (const w of workers) {
    w.postMessage({ pairs, schwarz, threshold, split, items, values: values.buffer, control: control.buffer });
  }
  return { control, items };
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
): void {
  const { control, items } = job;
  const n = items.count;
  for (;;) {
    const item = Atomics.add(control, 0, 1);
    if (item >= n) break;
    const x = items.itemX[item];
    computeEriRange(pairs, schwarz, threshold, x, x + 1, values, scratch, split, splitScratch, items.itemY0[item], items.itemY1[item]);
    Atomics.add(control, 1, 1);
  }
  // Wait until every work item is finished (control[1] counts finished items). A worker that never
  // started takes no items, so it cannot block this; a stalled one is reported after a minute.
  for (;;) {
    const done = Atomics.load(control, 1);
    if (done >= n) break;
    if (Atomics.wait(control, 1, done, 60000) === 'timed-out' && Atomics.load(control, 1) === done) {
      throw new Error('ERI worker threads made no progress for 60 s');
    }
  }
}
