/**
 * Worker thread of the ERI pool (./eri-parallel.ts). Receives shell-pair data once per job, then
 * takes bra pairs from a shared counter (largest first) and writes their quartets straight into the
 * shared PackedEri buffer; counts every finished item in a shared counter and notifies.
 */
import { parentPort } from 'node:worker_threads';
import { createEriScratch } from './eri-kernel.js';
import { computeEriRange, type SplitPairs } from './eri-range.js';
import type { ShellPairData } from './shell-pairs.js';

/** Message that starts a job. */
export interface EriJobMessage {
  pairs: ShellPairData;
  schwarz: Float64Array;
  threshold: number;
  /** Ungrouped pairs for the largest grouped classes, when shells were grouped. */
  split?: SplitPairs;
  /** Shared Float64Array buffer of the packed integrals. */
  values: SharedArrayBuffer;
  /** Int32Array over a SharedArrayBuffer: [next work item, finished work items]. */
  control: SharedArrayBuffer;
}

parentPort!.on('message', (job: EriJobMessage) => {
  const control = new Int32Array(job.control);
  const values = new Float64Array(job.values);
  const scratch = createEriScratch(job.pairs);
  const splitScratch = job.split ? createEriScratch(job.split.pairs) : undefined;
  const n = job.pairs.nPairs;
  for (;;) {
    const item = Atomics.add(control, 0, 1);
    if (item >= n) break;
    const x = n - 1 - item;
    computeEriRange(job.pairs, job.schwarz, job.threshold, x, x + 1, values, scratch, job.split, splitScratch);
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
  }
});
