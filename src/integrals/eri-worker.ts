/**
 * Worker thread of the ERI pool (./eri-parallel.ts). Receives the shell-pair data with each job,
 * takes work items (bra pair, ket-pair range) from a shared counter, writes their quartets straight
 * into the shared PackedEri buffer, and counts every finished item in a second shared counter.
 */
import { parentPort } from 'node:worker_threads';
import { createEriScratch } from './eri-kernel.js';
import { computeEriRange, type EriWorkItems, type SplitPairs } from './eri-range.js';
import type { ShellPairData } from './shell-pairs.js';

/** Message that starts a job. */
export interface EriJobMessage {
  pairs: ShellPairData;
  schwarz: Float64Array;
  threshold: number;
  /** The work items, taken in order through control[0]. */
  items: EriWorkItems;
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
  const items = job.items;
  for (;;) {
    const item = Atomics.add(control, 0, 1);
    if (item >= items.count) break;
    const x = items.itemX[item];
    computeEriRange(job.pairs, job.schwarz, job.threshold, x, x + 1, values, scratch, job.split, splitScratch, items.itemY0[item], items.itemY1[item]);
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
  }
});
