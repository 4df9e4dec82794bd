/**
 * Worker thread of the MP2 pool (./mp2-parallel.ts): takes work items from a job's shared counter
 * and runs them with the very functions the calling thread runs (./mp2-transform.ts): batches of AO
 * pairs of the first step into the shared half-transformed block, or occupied orbitals of the
 * second step, whose MP2 sums go into a shared array.
 */
import { parentPort } from 'node:worker_threads';
import { createGemmWorkspace, gemmSimdModule } from '../core/index.js';
import { takeWorkItems } from './mp2-parallel.js';
import { createSecondStepBuffers, sumSlice, transformPairBatch, type SliceJob } from './mp2-transform.js';

/** Message that starts a first-step job. */
export interface PairBatchJob {
  type: 'pair-batches';
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

/** Message that starts a second-step job: a {@link SliceJob} with its arrays as buffers. */
export interface SliceJobMessage {
  type: 'slices';
  half: SharedArrayBuffer;
  n: number;
  nPairs: number;
  iStart: number;
  nib: number;
  cJ: SharedArrayBuffer;
  nj: number;
  cA: SharedArrayBuffer;
  na: number;
  cB: SharedArrayBuffer;
  nb: number;
  pairsUpToI: boolean;
  occupiedI: SharedArrayBuffer;
  virtualA: SharedArrayBuffer;
  occupiedJ: SharedArrayBuffer;
  virtualB: SharedArrayBuffer;
  sums: SharedArrayBuffer;
  control: SharedArrayBuffer;
}

const ws = createGemmWorkspace(gemmSimdModule());

function runPairBatches(job: PairBatchJob): void {
  const { n, batch, nBatches, nib } = job;
  const nPairs = (n * (n + 1)) / 2;
  const values = new Float64Array(job.values, job.valuesOffset, job.valuesLength);
  const cI = new Float64Array(job.cI);
  const half = new Float64Array(job.half);
  const unpacked = new Float64Array(batch * n * n);
  const product = new Float64Array(batch * n * nib);
  const transform = (b: number): void => transformPairBatch(values, n, b * batch, Math.min(batch, nPairs - b * batch), cI, nib, half, unpacked, product, ws);
  takeWorkItems(new Int32Array(job.control), nBatches, transform, true);
}

function runSlices(m: SliceJobMessage): void {
  const f = (x: SharedArrayBuffer): Float64Array => new Float64Array(x);
  const job: SliceJob = {
    half: f(m.half),
    n: m.n,
    nPairs: m.nPairs,
    iStart: m.iStart,
    nib: m.nib,
    cJ: f(m.cJ),
    nj: m.nj,
    cA: f(m.cA),
    na: m.na,
    cB: f(m.cB),
    nb: m.nb,
    pairsUpToI: m.pairsUpToI,
    energies: { occupiedI: f(m.occupiedI), virtualA: f(m.virtualA), occupiedJ: f(m.occupiedJ), virtualB: f(m.virtualB) },
    sums: f(m.sums),
  };
  const bufs = createSecondStepBuffers(m.n, m.na, m.nj, m.nb);
  takeWorkItems(new Int32Array(m.control), m.nib, (k) => sumSlice(job, k, bufs, ws), true);
}

parentPort!.on('message', (message: PairBatchJob | SliceJobMessage | 'ping') => {
  if (message === 'ping') parentPort!.postMessage('ready');
  else if (message.type === 'pair-batches') runPairBatches(message);
  else runSlices(message);
});
