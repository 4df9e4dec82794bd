/**
 * Worker thread of the ERI pool (./eri-parallel.ts). Receives the shell-pair data with each job,
 * takes work items (bra pair, ket-pair range) from the cheap end of the shared list, writes their
 * quartets straight into the shared PackedEri buffer, and counts every finished item in a shared
 * counter.
 */
import { parentPort } from 'node:worker_threads';
import { setKernelGenerationThreshold } from './eri-codegen.js';
import { createEriScratch } from './eri-kernel.js';
import type { EriSymmetry } from './eri-symmetry.js';
import { ERI_CONTROL_FINISHED, computeEriRange, takeEriWorkItem, type EriWorkItems, type SplitPairs } from './eri-range.js';
import type { ShellPairData } from './shell-pairs.js';

/** Message that starts a job. */
export interface EriJobMessage {
  pairs: ShellPairData;
  schwarz: Float64Array;
  threshold: number;
  /** The work items, most expensive first; workers take them from the back. */
  items: EriWorkItems;
  /** Ungrouped pairs for the largest grouped classes, when shells were grouped. */
  split?: SplitPairs;
  /** Shared Float64Array buffer of the packed integrals. */
  values: SharedArrayBuffer;
  /** Int32Array of the counters (./eri-range.ts ERI_CONTROL_*). */
  control: SharedArrayBuffer;
  /** Uint8Array of one flag per work item, set by the thread that computes it. */
  claimed: SharedArrayBuffer;
  /** The caller's kernel-generation threshold, so that every thread picks the same kernels. */
  kernelGenerationThreshold: number;
  /** The reflection symmetry the caller uses, if any (./eri-symmetry.ts). */
  symmetry?: EriSymmetry;
}

parentPort!.on('message', (job: EriJobMessage) => {
  setKernelGenerationThreshold(job.kernelGenerationThreshold);
  const control = new Int32Array(job.control);
  const values = new Float64Array(job.values);
  const scratch = createEriScratch(job.pairs);
  const splitScratch = job.split ? createEriScratch(job.split.pairs) : undefined;
  const claimed = new Uint8Array(job.claimed);
  const items = job.items;
  for (;;) {
    const item = takeEriWorkItem(control, claimed, true);
    if (item < 0) break;
    const x = items.itemX[item];
    computeEriRange(job.pairs, job.schwarz, job.threshold, x, x + 1, values, scratch, job.split, splitScratch, items.itemY0[item], items.itemY1[item], job.symmetry);
    Atomics.add(control, ERI_CONTROL_FINISHED, 1);
    Atomics.notify(control, ERI_CONTROL_FINISHED);
  }
});
