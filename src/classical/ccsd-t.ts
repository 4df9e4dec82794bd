/**
 * Closed-shell perturbative triples correction (T) on converged RHF-CCSD amplitudes.
 *
 * For every occupied triple i ≥ j ≥ k (correlated orbitals) the connected triples
 *   W_ijk^abc = P [ Σ_d (ia|bd) t_kj^cd − Σ_l (ia|lj) t_lk^bc ]
 * are built as a dense v×v×v block [a,b,c], where P sums the six simultaneous permutations of the
 * pairs (ia), (jb), (kc); the disconnected part is X_ijk^abc = (jb|kc) t_ia + (ia|kc) t_jb + (ia|jb) t_kc.
 * The spin-adapted energy is
 *   E(T) = (1/3) Σ_ijk Σ_abc W_abc · r(W + X)_abc / D_ijk^abc,   D = ε_i + ε_j + ε_k − ε_a − ε_b − ε_c,
 *   r(Y)_abc = 4Y_abc + Y_bca + Y_cab − 2Y_cba − 2Y_acb − 2Y_bac,
 * where the inner sum is symmetric in ijk, so only i ≥ j ≥ k is visited, weighted by the number of
 * distinct orderings (6, 3 or 1); the sum over abc likewise visits a ≥ b ≥ c and takes the six
 * orderings of each set together (so W is read at six places per set, not seven per element).
 * Canonical orbitals are required. Cost o³v⁴/6 with two GEMMs per permutation; storage O(v³) per
 * thread plus transposed copies of t2 and (ia|lj). The triples are
 * handed out one at a time to worker threads (the library's thread budget; started once and
 * warmed up while CCSD iterates) and to the calling thread until the workers are ready; each
 * triple's contribution is stored and the contributions summed in order.
 */
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import type { ScfResult } from '../scf/index.js';
import { requireCanonical, type ClosedShellBlocks } from './cc-integrals.js';
import { solveCcsd, type CcsdOptions, type CcsdResult } from './ccsd.js';
import { Worker } from 'node:worker_threads';
import { callingThreadGemmWorkspace, gemmRowRange, gemmSimdModule, gemmWorkerSource, threadBudget, waitUntilAtLeast, type GemmWorkspace } from '../core/index.js';
import { requireNonzeroDenominators, sameOrbitalsExcitations } from './denominators.js';

/** Result of a CCSD(T) calculation. Energies in Hartree. */
export interface CcsdTResult extends CcsdResult {
  method: 'ccsd(t)';
  /** CCSD total energy (without the triples correction). */
  ccsdEnergyHartree: number;
  /** CCSD correlation energy. */
  ccsdCorrelationEnergyHartree: number;
  /** The (T) correction. */
  tripleCorrectionHartree: number;
}

/** Below this many multiply–adds (about o³v⁴/6·2) the triples run on the calling thread only. */
const PARALLEL_TRIPLES_WORK = 2e9;

/**
 * Energy contributions of the occupied triples `triples[3t..3t+2]` = (i, j, k), i ≥ j ≥ k, into
 * `contributions[t]` (multiplicity included). Triples are taken one at a time from `counter[0]`
 * (Atomics, shared by every thread; `counter[1]` counts the finished ones) or, without a counter, in
 * order; with `checkedIn`, no more are
 * taken once `checkedIn[0]` reaches `workers` (the calling thread then leaves the rest to them).
 * Returns how many triples this call took. Self-contained (no references
 * outside its body), so worker threads run its source text; `gemmRowRange` is core/gemm.ts's kernel
 * (with its workspace `ws`) and every thread runs the same arithmetic, so the contributions do not depend on the thread count.
 * Layouts: t2T[r,l,y,z] = t2[l,r,y,z], ooT[p,q,x,l] = (px|lq), ovvv and ovov as in cc-integrals.ts.
 */
export function tripleContributions(
  o: number,
  v: number,
  t1: Float64Array,
  t2: Float64Array,
  t2T: Float64Array,
  ooT: Float64Array,
  ovvv: Float64Array,
  ovov: Float64Array,
  occupiedEnergies: Float64Array,
  virtualEnergies: Float64Array,
  triples: Int32Array,
  contributions: Float64Array,
  counter: Int32Array | null,
  checkedIn: Int32Array | null,
  workers: number,
  gemmRowRange: (
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float64Array, b: Float64Array, c: Float64Array, rowStart: number, rowEnd: number, ws: GemmWorkspace, overwrite?: boolean,
  ) => void,
  ws: GemmWorkspace,
): number {
  const v2 = v * v;
  const v3 = v2 * v;
  const w = new Float64Array(v3);
  // part[x,y][z | z']: Σ_d (px|yd) t_rq^zd of two orders with the same p side by side; second[x][y,z]:
  // −Σ_l (px|lq) t_lr^yz of one order; pair[d][z | z']: t2[q, r] beside t2[r, q].
  const part = new Float64Array(2 * v3);
  const second = new Float64Array(v3);
  const pair = new Float64Array(2 * v2);
  const mjk = new Float64Array(v2);
  const mik = new Float64Array(v2);
  const mij = new Float64Array(v2);
  const eVir = virtualEnergies;
  // Orders (i,j,k), (i,k,j), (j,i,k), (j,k,i), (k,i,j), (k,j,i): W strides of the x, y, z axes.
  const strides = [v2, v, 1, v2, 1, v, v, v2, 1, v, 1, v2, 1, v2, v, 1, v, v2];
  const nTriples = triples.length / 3;
  const perm = [0, 0, 0];
  let next = 0;
  let taken = 0;
  for (;;) {
    if (checkedIn && Atomics.load(checkedIn, 0) >= workers) break;
    const t = counter ? Atomics.add(counter, 0, 1) : next++;
    if (t >= nTriples) break;
    const i = triples[3 * t];
    const j = triples[3 * t + 1];
    const k = triples[3 * t + 2];
    w.fill(0);
    for (let order = 0; order < 6; order++) {
      // (p, q, r) is the order-th permutation of (i, j, k).
      perm[0] = order < 2 ? i : order < 4 ? j : k;
      perm[1] = order === 0 ? j : order === 1 ? k : order === 2 ? i : order === 3 ? k : order === 4 ? i : j;
      perm[2] = order === 0 ? k : order === 1 ? j : order === 2 ? k : order === 3 ? i : order === 4 ? j : i;
      const p = perm[0];
      const q = perm[1];
      const r = perm[2];
      // The order's term [x,y,z] = Σ_d (px|yd) t_rq^zd − Σ_l (px|lq) t_lr^yz; t_rq^zd = t_qr^dz, so
      // the slice t2[q, r] is already the [d, z] matrix. Orders 2m and 2m + 1 share p and swap q
      // and r: their first sums are one product with twice the columns (the GEMM runs wider
      // products faster), the even order's columns first.
      const half = order & 1;
      if (half === 0) {
        for (let d = 0; d < v; d++) {
          const qr = (q * o + r) * v2 + d * v;
          const rq = (r * o + q) * v2 + d * v;
          for (let z = 0; z < v; z++) {
            pair[2 * d * v + z] = t2[qr + z];
            pair[(2 * d + 1) * v + z] = t2[rq + z];
          }
        }
        gemmRowRange(false, false, v2, 2 * v, v, 1, ovvv.subarray(p * v3, (p + 1) * v3), pair, part, 0, v2, ws, true);
      }
      gemmRowRange(false, false, v, v2, o, -1, ooT.subarray((p * o + q) * v * o, (p * o + q + 1) * v * o), t2T.subarray(r * o * v2, (r + 1) * o * v2), second, 0, v, ws, true);
      // W += the term with the pair order restored: strides of W along the term's axes x, y, z.
      const sx = strides[3 * order];
      const sy = strides[3 * order + 1];
      const sz = strides[3 * order + 2];
      let idx = 0;
      for (let x = 0; x < v; x++)
        for (let yy = 0; yy < v; yy++) {
          const base = x * sx + yy * sy;
          const row = (x * v + yy) * 2 * v + half * v;
          for (let z = 0; z < v; z++, idx++) w[base + z * sz] += part[row + z] + second[idx];
        }
    }
    // The energy over a ≥ b ≥ c, each unordered {a,b,c} once with its six orderings together. For
    // the orderings (abc, bca, cab) ("even", sums E of Y and WE of W) and (acb, bac, cba) ("odd",
    // O and WO), Σ_σ W_σ r(Y)_σ = 3 Σ_σ W_σ Y_σ + (E − 2O)·WE + (O − 2E)·WO, where r(Y)_abc =
    // 4Y_abc + Y_bca + Y_cab − 2Y_cba − 2Y_acb − 2Y_bac. A set with two equal indices has 3
    // distinct orderings (each counted twice by σ: weight ½), with three equal indices 1 (⅙).
    // Y = W + X with X_xyz = (jy|kz) t_ix + (ix|kz) t_jy + (ix|jy) t_kz, formed on the fly from the
    // three v×v blocks of (ov|ov) copied into mjk, mik and mij.
    for (let x = 0; x < v; x++)
      for (let y = 0; y < v; y++) {
        mjk[x * v + y] = ovov[((j * v + x) * o + k) * v + y];
        mik[x * v + y] = ovov[((i * v + x) * o + k) * v + y];
        mij[x * v + y] = ovov[((i * v + x) * o + j) * v + y];
      }
    const ti = i * v;
    const tj = j * v;
    const tk = k * v;
    const eijk = occupiedEnergies[i] + occupiedEnergies[j] + occupiedEnergies[k];
    let sum = 0;
    for (let a = 0; a < v; a++)
      for (let b = 0; b <= a; b++) {
        const eijkab = eijk - eVir[a] - eVir[b];
        const ab = a * v + b;
        const ba = b * v + a;
        for (let c = 0; c <= b; c++) {
          const ac = a * v + c;
          const bc = b * v + c;
          const ca = c * v + a;
          const cb = c * v + b;
          const w1 = w[ab * v + c]; // abc
          const w2 = w[ac * v + b]; // acb
          const w3 = w[ba * v + c]; // bac
          const w4 = w[bc * v + a]; // bca
          const w5 = w[ca * v + b]; // cab
          const w6 = w[cb * v + a]; // cba
          const y1 = w1 + mjk[bc] * t1[ti + a] + mik[ac] * t1[tj + b] + mij[ab] * t1[tk + c];
          const y2 = w2 + mjk[cb] * t1[ti + a] + mik[ab] * t1[tj + c] + mij[ac] * t1[tk + b];
          const y3 = w3 + mjk[ac] * t1[ti + b] + mik[bc] * t1[tj + a] + mij[ba] * t1[tk + c];
          const y4 = w4 + mjk[ca] * t1[ti + b] + mik[ba] * t1[tj + c] + mij[bc] * t1[tk + a];
          const y5 = w5 + mjk[ab] * t1[ti + c] + mik[cb] * t1[tj + a] + mij[ca] * t1[tk + b];
          const y6 = w6 + mjk[ba] * t1[ti + c] + mik[ca] * t1[tj + b] + mij[cb] * t1[tk + a];
          const even = y1 + y4 + y5;
          const odd = y2 + y3 + y6;
          const wEven = w1 + w4 + w5;
          const wOdd = w2 + w3 + w6;
          let term = 3 * (w1 * y1 + w2 * y2 + w3 * y3 + w4 * y4 + w5 * y5 + w6 * y6) + (even - 2 * odd) * wEven + (odd - 2 * even) * wOdd;
          if (a === b || b === c) term *= a === c ? 1 / 6 : 0.5;
          sum += term / (eijkab - eVir[c]);
        }
      }
    const multiplicity = i === j && j === k ? 1 : i === j || j === k ? 3 : 6;
    contributions[t] = multiplicity * sum;
    if (counter) Atomics.add(counter, 1, 1);
    taken++;
  }
  return taken;
}

/** Flag the calling thread sets in a job's check-in count (sync[0]) once it stops counting check-ins. */
const JOB_CLOSED = 1 << 30;

/**
 * Source of a (T) worker thread. It starts once and stays (unref'd): it builds its GEMM workspace,
 * runs the kernel on a small made-up problem so that the kernel and the GEMM are compiled before the
 * first real triple (on H₂O/cc-pVTZ a cold worker spent about 250 ms on its first four triples,
 * which take 15 ms each once compiled), counts itself ready, and then serves one job per message.
 * Per job it checks in (sync[0]) before taking triples, so the caller waits only for workers that
 * may hold one, and it counts itself done in sync[1] (sync[2] set on failure). A worker that finds
 * check-in closed (JOB_CLOSED in sync[0]) leaves the job alone.
 */
const TRIPLES_WORKER = (gemmSource: string, kernelSource: string): string => `
const { workerData, parentPort } = require('node:worker_threads');
${gemmSource}
const kernel = (${kernelSource});
const f = (b) => new Float64Array(b);
let ws;
try {
  ws = createGemmWorkspace(workerData.module);
  warmGemmKernels(ws, true);
} catch (e) {
  ws = undefined;
}
try {
  // Warm-up on the code paths of a real job (shared arrays, a counter): o = 2, v = 12, smooth
  // made-up values and denominators bounded away from zero. The workers warm up while the calling
  // thread transforms the integrals and iterates CCSD on both cores, so the problem is small: with
  // v = 24 instead of 12 the H₂O/cc-pVTZ CCSD took about 0.1 s longer, and (T) no less.
  const o = 2, v = 12, v2 = v * v;
  const fill = (n, s) => {
    const x = new Float64Array(new SharedArrayBuffer(8 * n));
    for (let q = 0; q < n; q++) x[q] = Math.sin(s * (q + 1)) * 0.01;
    return x;
  };
  const eo = fill(o, 7), ev = fill(v, 8);
  eo[0] = -1.5; eo[1] = -1;
  for (let a = 0; a < v; a++) ev[a] = 0.5 + 0.1 * a;
  const triples = new Int32Array(new SharedArrayBuffer(48));
  triples.set([0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 1]);
  const t1 = fill(o * v, 1), t2 = fill(o * o * v2, 2), t2T = fill(o * o * v2, 3), ooT = fill(o * o * v * o, 4);
  const ovvv = fill(o * v * v2, 5), ovov = fill(o * v * o * v, 6), contributions = fill(4, 9);
  // Three calls, so that the kernel is compiled for calls, not only for a loop entered mid-call.
  for (let call = 0; call < 3; call++) {
    kernel(o, v, t1, t2, t2T, ooT, ovvv, ovov, eo, ev, triples, contributions, new Int32Array(new SharedArrayBuffer(8)), null, 0, gemmRowRange, ws);
  }
} catch (e) {
  // Only compilation is lost; jobs still run.
}
// Without a workspace the worker never checks in, and the calling thread does every triple.
if (ws) Atomics.add(new Int32Array(workerData.ready), 0, 1);
parentPort.on('message', (d) => {
  if (!ws) return;
  const sync = new Int32Array(d.sync);
  // Closed: the caller has stopped counting check-ins, will not wait for this worker, and its
  // triples are all taken (by threads it does wait for), so this worker must not count itself done.
  if (Atomics.add(sync, 0, 1) & ${JOB_CLOSED}) return;
  Atomics.notify(sync, 0);
  try {
    kernel(d.o, d.v, f(d.t1), f(d.t2), f(d.t2T), f(d.ooT), f(d.ovvv), f(d.ovov), f(d.eo), f(d.ev),
      new Int32Array(d.triples), f(d.contributions), new Int32Array(d.counter), null, 0, gemmRowRange, ws);
  } catch (e) {
    Atomics.store(sync, 2, 1);
  }
  Atomics.add(sync, 1, 1);
  Atomics.notify(sync, 1);
});
`;

/** The (T) worker threads of this thread, started on demand and kept. */
const triplesWorkerPool: Worker[] = [];
/** How many of them have finished warming up (each adds one). */
const triplesWorkersReady = new Int32Array(new SharedArrayBuffer(4));

/** At least `count` (T) workers (started now if missing; they warm up on their own). */
function triplesWorkers(count: number): Worker[] {
  while (triplesWorkerPool.length < count) {
    const worker = new Worker(TRIPLES_WORKER(gemmWorkerSource(), tripleContributions.toString()), {
      eval: true,
      workerData: { module: gemmSimdModule(), ready: triplesWorkersReady.buffer },
      stdout: true,
      stderr: true,
    });
    worker.unref();
    // A worker that dies leaves the pool; jobs never wait for a worker that did not check in.
    worker.on('exit', () => {
      const x = triplesWorkerPool.indexOf(worker);
      if (x >= 0) triplesWorkerPool.splice(x, 1);
    });
    worker.on('error', () => undefined);
    triplesWorkerPool.push(worker);
  }
  return triplesWorkerPool.slice(0, count);
}

/**
 * How long the calling thread waits for the next triple to finish before it gives up on the
 * workers: a worker that dies mid-triple (out of memory, say) never counts itself done, and a
 * blocked thread cannot hear its exit event. Two minutes, or ten times one triple's
 * 12 v³ (o + v) floating-point operations at 0.2 GFLOP/s when that is longer.
 */
export function tripleStallLimitMs(o: number, v: number): number {
  return Math.max(120_000, (10 * 12 * v * v * v * (o + v)) / 2e5);
}

/** How {@link triplesCorrection} shared out its work. */
export interface TriplesReport {
  /** Occupied triples i ≥ j ≥ k. */
  triples: number;
  /** Of those, the triples worker threads took. */
  triplesByWorkers: number;
}

/**
 * Worker threads (T) uses for o occupied and v virtual orbitals: 0 when it runs on the calling
 * thread alone (one thread, or fewer than `minParallelWork` multiply–adds), else the thread budget
 * (at most one per triple, at most 16).
 */
function triplesWorkerCount(o: number, v: number, threads: number, minParallelWork: number): number {
  const nTriples = (o * (o + 1) * (o + 2)) / 6;
  const nThreads = Math.max(1, Math.min(threads, nTriples, 16));
  const work = 2 * nTriples * 6 * v * v * v * (v + o);
  return nThreads > 1 && work >= minParallelWork ? nThreads : 0;
}

/**
 * Start the worker threads {@link triplesCorrection} will use for o occupied and v virtual
 * orbitals, so that they start and warm up while CCSD iterates (none when (T) will run on the
 * calling thread alone).
 */
export function prestartTriplesWorkers(o: number, v: number, threads = threadBudget(), minParallelWork = PARALLEL_TRIPLES_WORK): void {
  const count = triplesWorkerCount(o, v, threads, minParallelWork);
  if (count > 0) triplesWorkers(count);
}

/** `x` in shared memory: its own buffer when `x` already fills a SharedArrayBuffer, else a copy. */
function shared(x: Float64Array | Int32Array): SharedArrayBuffer {
  // Arrays that already fill a SharedArrayBuffer of their own (the transformed integral blocks) go as they are.
  if (x.buffer instanceof SharedArrayBuffer && x.byteOffset === 0 && x.byteLength === x.buffer.byteLength && x.byteLength > 0) return x.buffer;
  const buffer = new SharedArrayBuffer(Math.max(8, x.byteLength));
  if (x instanceof Float64Array) new Float64Array(buffer).set(x);
  else new Int32Array(buffer).set(x);
  return buffer;
}

/**
 * The (T) energy from converged amplitudes t1[i,a], t2[i,j,a,b], the integral blocks and canonical
 * orbital energies of the correlated occupied and virtual orbitals. Large cases spread the occupied
 * triples over as many worker threads as the thread budget allows (kept between calls, see
 * {@link prestartTriplesWorkers}); the calling thread takes triples until they have all checked in
 * and then waits. The per-triple contributions are summed in a fixed order, so the energy is the
 * same for any number of threads. `threads` (default the thread budget) and `minParallelWork`
 * (multiply–adds below which only the calling thread works) tune that; `report` receives how the
 * triples were shared out.
 */
export function triplesCorrection(
  t1: Float64Array,
  t2: Float64Array,
  blocks: ClosedShellBlocks,
  occupiedEnergies: Float64Array,
  virtualEnergies: Float64Array,
  threads = threadBudget(),
  minParallelWork = PARALLEL_TRIPLES_WORK,
  report?: TriplesReport,
): number {
  const o = occupiedEnergies.length;
  const v = virtualEnergies.length;
  if (report) {
    report.triples = 0;
    report.triplesByWorkers = 0;
  }
  if (o === 0 || v === 0) return 0;
  const v2 = v * v;
  const { ovvv, ovoo, ovov } = blocks;
  // t2T[r, l, y, z] = t2[l, r, y, z]: the occupied index l becomes the GEMM row.
  const t2T = new Float64Array(o * o * v2);
  for (let l = 0; l < o; l++)
    for (let r = 0; r < o; r++) t2T.set(t2.subarray((l * o + r) * v2, (l * o + r + 1) * v2), (r * o + l) * v2);
  // ooT[p, q, x, l] = (px|lq)
  const ooT = new Float64Array(o * o * v * o);
  for (let p = 0; p < o; p++)
    for (let x = 0; x < v; x++)
      for (let l = 0; l < o; l++)
        for (let q = 0; q < o; q++) ooT[((p * o + q) * v + x) * o + l] = ovoo[((p * v + x) * o + l) * o + q];
  const list: number[] = [];
  for (let i = 0; i < o; i++) for (let j = 0; j <= i; j++) for (let k = 0; k <= j; k++) list.push(i, j, k);
  const triples = Int32Array.from(list);
  const nTriples = triples.length / 3;
  const ws = callingThreadGemmWorkspace();
  const workerCount = triplesWorkerCount(o, v, threads, minParallelWork);
  let contributions: Float64Array;
  let byWorkers = 0;
  if (workerCount === 0) {
    contributions = new Float64Array(nTriples);
    tripleContributions(o, v, t1, t2, t2T, ooT, ovvv, ovov, occupiedEnergies, virtualEnergies, triples, contributions, null, null, 0, gemmRowRange, ws);
  } else {
    const data = {
      o,
      v,
      t1: shared(t1),
      t2: shared(t2),
      t2T: shared(t2T),
      ooT: shared(ooT),
      ovvv: shared(ovvv),
      ovov: shared(ovov),
      eo: shared(occupiedEnergies),
      ev: shared(virtualEnergies),
      triples: shared(triples),
      contributions: new SharedArrayBuffer(8 * nTriples),
      counter: new SharedArrayBuffer(8),
      sync: new SharedArrayBuffer(12),
    };
    const workers = triplesWorkers(workerCount);
    for (const worker of workers) worker.postMessage(data);
    const f = (b: SharedArrayBuffer): Float64Array => new Float64Array(b);
    contributions = f(data.contributions);
    const sync = new Int32Array(data.sync);
    // Workers that have warmed up check in within a millisecond: the calling thread then leaves
    // every triple to them (its own code may be cold, and a third thread on two cores slows all).
    // Otherwise it takes triples until every worker has checked in, so that triples get done
    // while workers start (or if one never does).
    if (Atomics.load(triplesWorkersReady, 0) >= workers.length) {
      const deadline = performance.now() + 1000;
      for (let n = Atomics.load(sync, 0); n < workers.length && performance.now() < deadline; n = Atomics.load(sync, 0)) Atomics.wait(sync, 0, n, 10);
    }
    const own = tripleContributions(o, v, f(data.t1), f(data.t2), f(data.t2T), f(data.ooT), f(data.ovvv), f(data.ovov), f(data.eo), f(data.ev),
      triples, contributions, new Int32Array(data.counter), sync, workers.length, gemmRowRange, ws);
    // Close check-in and wait for exactly the workers that checked in before: they take every triple
    // left. A worker checking in later sees the flag and neither takes triples nor counts itself done;
    // were it counted in sync[1], it could end the wait while an earlier worker still computes a triple
    // whose contribution would then be summed as zero.
    const started = Atomics.or(sync, 0, JOB_CLOSED);
    const limit = tripleStallLimitMs(o, v);
    if (!waitUntilAtLeast(sync, 1, started, new Int32Array(data.counter), 1, limit)) {
      throw new Error(`(T) worker threads finished no triple for ${Math.round(limit / 1000)} s: a worker thread stopped mid-job`);
    }
    if (Atomics.load(sync, 2) !== 0) throw new Error('(T) worker thread failed');
    byWorkers = nTriples - own;
  }
  if (report) {
    report.triples = nTriples;
    report.triplesByWorkers = byWorkers;
  }
  let total = 0;
  for (let t = 0; t < nTriples; t++) total += contributions[t];
  return total / 3;
}

/**
 * Closed-shell CCSD(T) energy on a Hamiltonian in the canonical RHF MO basis (occupied = the lowest
 * nAlpha orbitals) or on an RHF result (only the blocks CC needs are transformed). Frozen core: a
 * frozen-core Hamiltonian or `frozenOrbitals`.
 * @throws InputError for an open-shell Hamiltonian or non-canonical orbitals.
 * @throws ConvergenceError when CCSD diverges or does not converge.
 */
export function runCcsdT(input: MolecularHamiltonian | ScfResult, options: CcsdOptions = {}): CcsdTResult {
  // Fail before the integral transformation and the CCSD iterations when (T) cannot apply.
  const { result, reference, blocks } = solveCcsd(input, options, 'CCSD(T)', (ref) => {
    requireCanonical(ref, options.canonicalTolerance ?? 1e-6, 'CCSD(T)');
    prestartTriplesWorkers(ref.occupiedEnergies.length, ref.virtualEnergies.length);
  });
  requireNonzeroDenominators('CCSD(T)', sameOrbitalsExcitations(reference.occupiedEnergies, reference.virtualEnergies, reference.nFrozen, reference.nOccupied, 3));
  const et = triplesCorrection(
    result.amplitudes.t1,
    result.amplitudes.t2,
    blocks,
    reference.occupiedEnergies,
    reference.virtualEnergies,
  );
  return {
    ...result,
    method: 'ccsd(t)',
    energyHartree: result.energyHartree + et,
    correlationEnergyHartree: result.correlationEnergyHartree + et,
    ccsdEnergyHartree: result.energyHartree,
    ccsdCorrelationEnergyHartree: result.correlationEnergyHartree,
    tripleCorrectionHartree: et,
  };
}
