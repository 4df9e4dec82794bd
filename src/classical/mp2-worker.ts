/**
 * Worker thread of the MP2 first-step pool (./mp2-parallel.ts): takes batches of AO pairs from the
 * shared counter and writes their (iν|P) into the shared half-transformed block, with the very
 * function the calling thread runs (./mp2-transform.ts transformPairBatch).
 */
import { parentPort } from 'node:worker_threads';
import { createGemmWorkspace, gemmSimdModule } from '../core/index.js';
import { takePairBatches } from './mp2-parallel.js';
import { transformPairBatch } from './mp2-transform.js';

/** Message that starts a job. */
export interface PairBatchJob {
  /** Buffer of the packed AO integrals, with the byte offset and length of their Float64Array. */
  values: SharedArrayBuffer;
  valuesOffset: number;
  valuesLength: number;
  /** AO functions. */
  n: number;
  /** AO pairs per batch, and the number of batches. */
  batch: number;
  nBatches: number;
  /** n×nib occupied coefficients. */
  cI: SharedArrayBuffer;
  nib: number;
  /** The half-transformed block [i][P][ν]. */
  half: SharedArrayBuffer;
  /** Int32Array counters (./mp2-parallel.ts). */
  control: SharedArrayBuffer;
}

const ws = createGemmWorkspace(gemmSimdModule());

parentPort!.on('message', (job: PairBatchJob | 'ping') => {
  if (job === 'ping') {
    parentPort!.postMessage('ready');
    return;
  }
  const { n, batch, nBatches, nib } = job;
  const nPairs = (n * (n + 1)) / 2;
  const values = new Float64Array(job.values, job.valuesOffset, job.valuesLength);
  const cI = new Float64Array(job.cI);
  const half = new Float64Array(job.half);
  const unpacked = new Float64Array(batch * n * n);
  const product = new Float64Array(batch * n * nib);
  takePairBatches(
    new Int32Array(job.control),
    nBatches,
    (b) => transformPairBatch(values, n, b * batch, Math.min(batch, nPairs - b * batch), cI, nib, half, unpacked, product, ws),
    true,
  );
});
