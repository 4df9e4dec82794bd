/**
 * Worker thread of the density-fitting pool (./density-fitting.ts). Two kinds of job, both split
 * into work items taken from a shared counter (control[0]) and counted when finished (control[1]):
 *   'factor': one orbital shell row of the fitted factor B per item (density-fitting-kernel.ts
 *             factorItem), written straight into the shared B;
 *   'fock':   one block of auxiliary functions per item (fockBlock), accumulated into this worker's
 *             own shared partial J and K, which it zeroes before its first item and flags as used
 *             in control[4 + id]. An exception sets control[2] and still counts the item.
 */
import { parentPort } from 'node:worker_threads';
import {
  factorItem,
  factorWork,
  fockBlock,
  fockBlockWork,
  type FockBlockJob,
  type FactorWork,
} from './density-fitting-kernel.js';
import type { ThreeCentreData } from '../integrals/index.js';

/** Message of a factor job. */
export interface FactorJobMessage {
  kind: 'factor';
  control: SharedArrayBuffer;
  data: ThreeCentreData;
  /** Orbital shells in the order the items take them. */
  shells: Int32Array;
  /** L⁻¹ as row panels (density-fitting-kernel.ts inversePanels). */
  lPanels: SharedArrayBuffer;
  b: SharedArrayBuffer;
  simd: boolean;
}

/** Message of a Fock-build job. */
export interface FockJobMessage {
  kind: 'fock';
  id: number;
  control: SharedArrayBuffer;
  n: number;
  nAux: number;
  blockSize: number;
  items: number;
  b: SharedArrayBuffer;
  dPacked: SharedArrayBuffer;
  factors: { panels: SharedArrayBuffer; r: number; sign: number; slot: number }[];
  j: SharedArrayBuffer;
  k: SharedArrayBuffer[];
  simd: boolean;
}

function take(control: Int32Array, count: number, run: (item: number) => void): void {
  for (;;) {
    const item = Atomics.add(control, 0, 1);
    if (item >= count) break;
    try {
      run(item);
    } catch {
      Atomics.store(control, 2, 1);
    }
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
  }
}

parentPort!.on('message', (msg: FactorJobMessage | FockJobMessage) => {
  const control = new Int32Array(msg.control);
  if (msg.kind === 'factor') {
    // A worker that boots after the calling thread took every item has nothing to do.
    if (Atomics.load(control, 0) >= msg.shells.length) return;
    const data = msg.data;
    const work: FactorWork = factorWork(data, new Float64Array(msg.lPanels), msg.simd);
    const b = new Float64Array(msg.b);
    take(control, msg.shells.length, (item) => factorItem(data, msg.shells[item], b, work));
    return;
  }
  const job: FockBlockJob = {
    n: msg.n,
    nAux: msg.nAux,
    blockSize: msg.blockSize,
    b: new Float64Array(msg.b),
    dPacked: new Float64Array(msg.dPacked),
    factors: msg.factors.map((f) => ({ panels: new Float64Array(f.panels), r: f.r, sign: f.sign, slot: f.slot })),
    simd: msg.simd,
  };
  const j = new Float64Array(msg.j);
  const k = msg.k.map((buf) => new Float64Array(buf));
  let work: ReturnType<typeof fockBlockWork> | undefined;
  take(control, msg.items, (item) => {
    if (!work) {
      work = fockBlockWork(job, j, k);
      j.fill(0);
      for (const x of k) x.fill(0);
      Atomics.store(control, 4 + msg.id, 1);
    }
    fockBlock(job, item, work);
  });
});
