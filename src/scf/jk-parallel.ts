/**
 * Row chunks of the packed-integral J/K build (./jk.ts) and the worker pool that scatters them on
 * several threads.
 *
 * Chunks: rows p of the packed array (every (pq|rs) with first index p) in ranges holding about
 * equal numbers of integrals; the plan depends only on the basis size. The calling thread and the
 * workers take chunks through an atomic counter in a SharedArrayBuffer, each chunk writes its own
 * accumulators, and ./jk.ts sums them in chunk order — so which thread ran a chunk never changes
 * a bit of the result. The calling thread blocks in Atomics.wait until every chunk is done, so the
 * API stays synchronous; a worker that has not booted yet takes no chunks (the caller does them).
 * Workers need the integrals in a SharedArrayBuffer (../integrals/eri.ts allocates them there);
 * other integrals are scattered in the calling thread only. Workers are unref'd and reused.
 *
 * Restricted builds over integrals in a WebAssembly memory (large sets; see ../integrals
 * allocatePackedEriValues) run the SIMD kernel of ./jk-wasm.ts instead of the JavaScript scatter:
 * the densities and the chunk accumulators then sit in the memory's spare region after the
 * integrals, and every thread instantiates the kernel over the same memory.
 */
import type { Worker } from 'node:worker_threads';
import { ModuleWorkerPool, threadBudget, waitUntilAtLeast, wasmBackingOf, type WasmMemory } from '../core/index.js';
import type { PackedEri } from '../integrals/index.js';
import { jkKernel } from './jk-wasm.js';

/**
 * Packed integrals from which the J/K build is cut into chunks: below it one pass costs about
 * 5 ms or less (HBr/cc-pVTZ, 57 functions: 1.4·10⁶ integrals, 8 ms), where posting the chunks to a
 * worker would gain little.
 */
const CHUNKED_MIN_VALUES = 2e6;
/** Chunks of a chunked build: several per thread, so that a late worker still gets its share. */
const CHUNK_COUNT = 8;

const chunkPlans = new Map<number, Int32Array>();

/**
 * Row boundaries of the J/K chunks for n basis functions: chunk c covers rows
 * chunks[c] … chunks[c+1]−1; one chunk [0, n] for small n.
 */
export function jkRowChunks(n: number): Int32Array {
  let plan = chunkPlans.get(n);
  if (plan) return plan;
  const pairsBefore = (p: number): number => (p * (p + 1)) / 2;
  const valuesBefore = (p: number): number => (pairsBefore(p) * (pairsBefore(p) + 1)) / 2;
  const total = valuesBefore(n);
  if (total < CHUNKED_MIN_VALUES) {
    plan = Int32Array.of(0, n);
  } else {
    const bounds = [0];
    let p = 0;
    for (let c = 1; c < CHUNK_COUNT; c++) {
      const target = (c / CHUNK_COUNT) * total;
      while (p < n && valuesBefore(p) < target) p++;
      if (p > bounds[bounds.length - 1] && p < n) bounds.push(p);
    }
    bounds.push(n);
    plan = Int32Array.from(bounds);
  }
  chunkPlans.set(n, plan);
  return plan;
}

const pool = new ModuleWorkerPool(import.meta.url, 'jk-worker', 'J/K');

/** Workers the J/K build may use: the thread budget minus the calling thread. */
function workerBudget(): number {
  return Math.min(CHUNK_COUNT - 1, threadBudget() - 1);
}

function ensurePool(size: number): Worker[] {
  return pool.ensure(size);
}

/**
 * Start the J/K workers for a basis of n functions now (when its build is chunked and the thread
 * budget allows), so that they boot while the integrals are computed.
 */
export function startCoulombExchangeWorkers(n: number): void {
  if (jkRowChunks(n).length > 2 && workerBudget() > 0) ensurePool(workerBudget());
}

/** Terminate the J/K workers (tests or long-running hosts that want the threads back). */
export async function terminateCoulombExchangeWorkers(): Promise<void> {
  await pool.terminate();
}

/** Message of one chunked build. */
export interface JkJobMessage {
  values: SharedArrayBuffer;
  valuesOffset: number;
  valuesLength: number;
  n: number;
  chunks: Int32Array;
  /** dJ, dK (and dK2) packed one after the other, n² each. */
  densities: Float64Array;
  unrestricted: boolean;
  partial: Float64Array;
  /** Int32Array over a SharedArrayBuffer: [next chunk, finished chunks]. */
  control: Int32Array;
  /**
   * The WebAssembly memory holding values, densities and partial when the chunks run the SIMD
   * kernel (restricted builds only); absent for the JavaScript scatter.
   */
  memory?: WasmMemory;
}

/** Shared buffers of one integral set, reused by every build over it. */
interface SharedJk {
  densities: Float64Array;
  partial: Float64Array;
  unrestricted: boolean;
}
const sharedByEri = new WeakMap<PackedEri, SharedJk>();

/**
 * Scatter every chunk of `chunks` (by `scatter`, or by the SIMD kernel for restricted builds over
 * integrals in a WebAssembly memory) with the help of the workers the thread budget allows, and
 * return the per-chunk accumulators (layout of ./jk.ts); undefined when the integrals are not in
 * shared memory (the caller then runs the chunks itself, with the same result).
 */
export function parallelCoulombExchange(
  eri: PackedEri,
  chunks: Int32Array,
  dJ: Float64Array,
  dK: Float64Array,
  dK2: Float64Array | undefined,
  scatter: ScatterChunk,
): Float64Array | undefined {
  if (!(eri.values.buffer instanceof SharedArrayBuffer)) return undefined;
  const n = eri.nBasis;
  const nn = n * n;
  const nChunks = chunks.length - 1;
  const budget = workerBudget();
  const workers = budget > 0 && nChunks > 1 ? ensurePool(budget) : [];
  const unrestricted = dK2 !== undefined;
  const nOut = unrestricted ? 3 : 2;
  const backing = unrestricted ? undefined : wasmBackingOf(eri.values);
  const memory = backing && (2 + nOut * nChunks) * nn * 8 <= backing.spareBytes && jkKernel(backing.memory) ? backing.memory : undefined;
  let densities: Float64Array;
  let partial: Float64Array;
  if (backing && memory) {
    densities = new Float64Array(eri.values.buffer, backing.spareOffset, 2 * nn);
    partial = new Float64Array(eri.values.buffer, backing.spareOffset + 2 * nn * 8, nChunks * nOut * nn);
  } else {
    let shared = sharedByEri.get(eri);
    if (!shared || shared.unrestricted !== unrestricted) {
      shared = {
        densities: new Float64Array(new SharedArrayBuffer(nOut * nn * 8)),
        partial: new Float64Array(new SharedArrayBuffer(nChunks * nOut * nn * 8)),
        unrestricted,
      };
      sharedByEri.set(eri, shared);
    }
    ({ densities, partial } = shared);
  }
  densities.set(dJ, 0);
  densities.set(dK, nn);
  if (dK2) densities.set(dK2, 2 * nn);
  const control = new Int32Array(new SharedArrayBuffer(8));
  const message: JkJobMessage = {
    values: eri.values.buffer as SharedArrayBuffer,
    valuesOffset: eri.values.byteOffset,
    valuesLength: eri.values.length,
    n,
    chunks,
    densities,
    unrestricted,
    partial,
    control,
    memory,
  };
  for (const w of workers) w.postMessage(message);
  runChunks(message, scatter);
  if (!waitUntilAtLeast(control, 1, nChunks, control, 1, 60000)) throw new Error('J/K worker threads made no progress for 60 s');
  return partial;
}

/** The chunk scatter of ./jk.ts (passed in, so that this module does not import it). */
export type ScatterChunk = (
  values: Float64Array, n: number, chunks: Int32Array, c: number,
  dJ: Float64Array, dK: Float64Array, dK2: Float64Array | undefined, partial: Float64Array,
) => void;

/** Take chunks of `job` until none is left (calling thread and workers alike). */
export function runChunks(job: JkJobMessage, scatter: ScatterChunk): void {
  const { n, chunks, densities, partial, control } = job;
  const nn = n * n;
  const kernel = job.memory ? jkKernel(job.memory) : undefined;
  if (job.memory && !kernel) throw new Error('the J/K WebAssembly kernel is not available in this thread');
  const values = new Float64Array(job.values, job.valuesOffset, job.valuesLength);
  const dJ = densities.subarray(0, nn);
  const dK = densities.subarray(nn, 2 * nn);
  const dK2 = job.unrestricted ? densities.subarray(2 * nn, 3 * nn) : undefined;
  const nChunks = chunks.length - 1;
  for (;;) {
    const c = Atomics.add(control, 0, 1);
    if (c >= nChunks) break;
    if (kernel) {
      // chunk c's J and K accumulators, zeroed; the kernel starts at the chunk's first integral
      const base = 2 * c * nn;
      partial.fill(0, base, base + 2 * nn);
      const pBegin = chunks[c];
      const pairsBefore = (pBegin * (pBegin + 1)) / 2;
      const first = job.valuesOffset + 8 * ((pairsBefore * (pairsBefore + 1)) / 2);
      const j = partial.byteOffset + base * 8;
      kernel(first, pBegin, chunks[c + 1], n, densities.byteOffset, densities.byteOffset + nn * 8, j, j + nn * 8);
    } else {
      scatter(values, n, chunks, c, dJ, dK, dK2, partial);
    }
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
  }
}
