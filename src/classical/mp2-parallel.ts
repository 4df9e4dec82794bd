/**
 * Worker threads for the occupied-first MP2 transformation (./mp2-transform.ts). Work items are
 * handed out through a shared counter to the calling thread and the workers:
 *   - first step: batches of AO pairs; each thread unpacks its batch, runs its own single-threaded
 *     GEMM and writes (iν|P) into the shared half-transformed block. That step is mostly memory
 *     traffic (unpacking the packed integrals, the first touch of gigabytes of fresh pages), which a
 *     threaded GEMM alone would leave on one core;
 *   - second step, when only MP2 sums are wanted: occupied orbitals; each thread makes an orbital's
 *     slice with single-threaded products and writes its two sums into a shared array.
 *
 * {@link startPairBatches} and {@link startSlices} post a job and return at once; the caller takes
 * items itself ({@link takeWorkItems}) and then blocks in {@link awaitWorkItems} until the items the
 * workers took are done, so the API stays synchronous and still completes when no worker has started
 * yet. Workers start on first use, are unref'd and are reused by later calls.
 */
import { ModuleWorkerPool, waitUntilAtLeast } from '../core/index.js';
import type { SliceJob } from './mp2-transform.js';
import type { PairBatchJob, SliceJobMessage } from './mp2-worker.js';

/** Index in the control array of the next item to take. */
const ITEM_NEXT = 0;
/** Index in the control array of the number of items finished. */
const ITEM_DONE = 1;
/** Index in the control array of the number of items the workers took. */
const ITEM_BY_WORKERS = 2;
const CONTROL_LENGTH = 3;

const pool = new ModuleWorkerPool(import.meta.url, 'mp2-worker', 'MP2');

/**
 * Start `count` workers (if not yet running) and resolve once each has loaded its code. Callers do
 * not need it (a job proceeds without workers); it lets a host start them ahead of time.
 */
export function startMp2Workers(count: number): Promise<void> {
  const workers = pool.ensure(count);
  return Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          const onMessage = (m: unknown): void => {
            if (m === 'ready') {
              w.off('message', onMessage);
              resolve();
            }
          };
          w.on('message', onMessage);
          w.postMessage('ping');
        }),
    ),
  ).then(() => undefined);
}

/** Terminate the workers (tests or long-running hosts that want the threads back). */
export async function terminateMp2Workers(): Promise<void> {
  await pool.terminate();
}

/** Post a first-step job to `workers` workers; returns its control array (SharedArrayBuffer). */
export function startPairBatches(
  values: Float64Array,
  n: number,
  batch: number,
  nBatches: number,
  cI: Float64Array,
  nib: number,
  half: Float64Array,
  workers: number,
): Int32Array {
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_LENGTH));
  const job: PairBatchJob = {
    type: 'pair-batches',
    values: values.buffer as SharedArrayBuffer,
    valuesOffset: values.byteOffset,
    valuesLength: values.length,
    n,
    batch,
    nBatches,
    cI: cI.buffer as SharedArrayBuffer,
    nib,
    half: half.buffer as SharedArrayBuffer,
    control: control.buffer as SharedArrayBuffer,
  };
  for (const w of pool.ensure(workers)) w.postMessage(job);
  return control;
}

/** Post a second-step job (./mp2-transform.ts sumOccupiedSlices) to `workers` workers; returns its control array. */
export function startSlices(job: SliceJob, workers: number): Int32Array {
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_LENGTH));
  const buffer = (x: Float64Array): SharedArrayBuffer => x.buffer as SharedArrayBuffer;
  const message: SliceJobMessage = {
    type: 'slices',
    half: buffer(job.half),
    n: job.n,
    nPairs: job.nPairs,
    iStart: job.iStart,
    nib: job.nib,
    cJ: buffer(job.cJ),
    nj: job.nj,
    cA: buffer(job.cA),
    na: job.na,
    cB: buffer(job.cB),
    nb: job.nb,
    pairsUpToI: job.pairsUpToI,
    occupiedI: buffer(job.energies.occupiedI),
    virtualA: buffer(job.energies.virtualA),
    occupiedJ: buffer(job.energies.occupiedJ),
    virtualB: buffer(job.energies.virtualB),
    sums: buffer(job.sums),
    control: control.buffer as SharedArrayBuffer,
  };
  for (const w of pool.ensure(workers)) w.postMessage(message);
  return control;
}

/** Block until all `count` items of the job are finished; returns how many the workers took. */
export function awaitWorkItems(control: Int32Array, count: number): number {
  // A worker that never started takes no items, so only a stalled one can keep this waiting.
  if (!waitUntilAtLeast(control, ITEM_DONE, count, control, ITEM_DONE, 60000)) throw new Error('MP2 worker threads made no progress for 60 s');
  return Atomics.load(control, ITEM_BY_WORKERS);
}

/** Take and run items of a job until none is left; `byWorker` counts them as the workers'. */
export function takeWorkItems(control: Int32Array, count: number, run: (item: number) => void, byWorker: boolean): void {
  for (;;) {
    const item = Atomics.add(control, ITEM_NEXT, 1);
    if (item >= count) return;
    run(item);
    if (byWorker) Atomics.add(control, ITEM_BY_WORKERS, 1);
    Atomics.add(control, ITEM_DONE, 1);
    Atomics.notify(control, ITEM_DONE);
  }
}
