/**
 * Worker threads for the first step of the occupied-first MP2 transformation (./mp2-transform.ts):
 * batches of AO pairs are handed out through a shared counter to the calling thread and the
 * workers, and each thread unpacks its batch, runs its own single-threaded GEMM and writes (iν|P)
 * into the shared half-transformed block. That step is mostly memory traffic — unpacking the packed
 * integrals and the first touch of gigabytes of fresh pages — which a threaded GEMM alone would
 * leave on one core.
 *
 * {@link startPairBatches} posts the job and returns at once; the caller takes batches itself and
 * then blocks in {@link awaitPairBatches} until the batches the workers took are done, so the API
 * stays synchronous and still completes when no worker has started yet. Workers start on first use,
 * are unref'd and are reused by later calls.
 */
import { ModuleWorkerPool } from '../core/index.js';
import type { PairBatchJob } from './mp2-worker.js';

/** Index in the control array of the next batch to take. */
const PAIR_BATCH_NEXT = 0;
/** Index in the control array of the number of batches finished. */
const PAIR_BATCH_DONE = 1;
/** Index in the control array of the number of batches the workers took. */
const PAIR_BATCH_BY_WORKERS = 2;
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

/** Block until all `nBatches` batches of the job are finished; returns how many the workers took. */
export function awaitPairBatches(control: Int32Array, nBatches: number): number {
  for (;;) {
    const done = Atomics.load(control, PAIR_BATCH_DONE);
    if (done >= nBatches) break;
    // A worker that never started takes no batches, so only a stalled one can keep this waiting.
    if (Atomics.wait(control, PAIR_BATCH_DONE, done, 60000) === 'timed-out' && Atomics.load(control, PAIR_BATCH_DONE) === done) {
      throw new Error('MP2 worker threads made no progress for 60 s');
    }
  }
  return Atomics.load(control, PAIR_BATCH_BY_WORKERS);
}

/** Take and transform batches of a job until none is left; `byWorker` counts them as the workers'. */
export function takePairBatches(control: Int32Array, nBatches: number, transform: (b: number) => void, byWorker: boolean): void {
  for (;;) {
    const b = Atomics.add(control, PAIR_BATCH_NEXT, 1);
    if (b >= nBatches) return;
    transform(b);
    if (byWorker) Atomics.add(control, PAIR_BATCH_BY_WORKERS, 1);
    Atomics.add(control, PAIR_BATCH_DONE, 1);
    Atomics.notify(control, PAIR_BATCH_DONE);
  }
}
