/**
 * Density-fitted (resolution-of-the-identity) Coulomb and exchange matrices, RI-JK.
 *
 * With the auxiliary (JKFIT) functions P, Q, the Coulomb metric V_PQ = (P|Q) = L Lᵀ (Cholesky) and
 * the three-centre integrals (Q|mn), the fitted factor is
 *
 *   B^P_mn = Σ_Q (L⁻¹)_PQ (Q|mn),      so that (mn|ls) ≈ Σ_P B^P_mn B^P_ls.
 *
 * Then for a symmetric density D (n×n):
 *   J[D]_mn = Σ_P B^P_mn γ_P,  γ_P = Σ_ls B^P_ls D_ls;
 *   K[D]_mn = Σ_P Σ_ls B^P_ml D_ls B^P_sn = Σ_P (B^P U)(B^P U)ᵀ_mn
 * with D = U Uᵀ. U comes from a pivoted Cholesky decomposition of D (n² r operations for rank r;
 * for an SCF density r is the number of occupied orbitals), stopped when the largest remaining
 * diagonal element is below 1e-12 of the largest one. A density that is not positive semidefinite
 * falls back to its eigen-decomposition D = Σ_k λ_k u_k u_kᵀ, split into the positive and the
 * negative part (eigenvalues below 1e-12·max |λ| dropped), each giving a U with sign ±1.
 *
 * Layout: B is stored [P][mn] with mn the packed lower triangle m ≥ n (index m(m+1)/2 + n), naux
 * rows of n(n+1)/2, in a SharedArrayBuffer that the worker threads read. One Fock build runs over
 * blocks of auxiliary functions (the work items, ./density-fitting-kernel.ts fockBlock): per block
 * γ_P and the packed J contribution, X^P = B^P U for each P of the block straight from the packed
 * rows (no unpacked copy of B), and K += X Xᵀ over the block's (P, i) with only the lower triangle
 * computed. The calling thread and up to (thread budget − 1) workers take blocks from a shared
 * counter, each into its own partial J and K; the partials are summed at the end.
 *
 * Factor build: the metric and its inverse Cholesky factor in the calling thread, then one work
 * item per orbital shell A: the three-centre integrals of the rows m ∈ A for all P (screened, from
 * shell-pair data prepared once and shared) and their L⁻¹ transform by row bands, written into B.
 *
 * Error: the fitting error of RHF total energies with the JKFIT sets is ~1e-5–1e-4 Hartree per
 * molecule for small molecules, growing roughly with the number of atoms (see density-fitting.test.ts
 * for the measured differences against exact integrals and the Psi4 references).
 */
import type { Worker } from 'node:worker_threads';
import {
  InputError,
  ResourceError,
  defaultMemoryLimitBytes,
  formatBytes,
  ModuleWorkerPool,
  symmetricEigen,
  threadBudget,
  waitUntilAtLeast,
} from '../core/index.js';
import type { MolecularBasis } from '../basis/index.js';
import { coulombMetric, prepareThreeCentre, shellRowColumns } from '../integrals/index.js';
import {
  factorItem,
  factorWork,
  fockBlock,
  fockBlockWork,
  inversePanels,
  packColumnPanels,
  type FockBlockJob,
} from './density-fitting-kernel.js';
import type { FactorJobMessage, FockJobMessage } from './density-fitting-worker.js';

/** The fitted three-index factor B of the file header. */
export interface DensityFittingFactor {
  readonly nBasis: number;
  readonly nAux: number;
  /** Name of the auxiliary basis (for provenance). */
  readonly auxiliaryBasisName: string;
  /** [P][mn], naux × n(n+1)/2 (see the file header). */
  readonly b: Float64Array;
}

/** Options of {@link buildDensityFittingFactor}. */
export interface DensityFittingOptions {
  /** Memory limit in bytes for the factor and its work arrays (default: 80 % of the machine). */
  maxMemoryBytes?: number;
  /** Schwarz threshold of the three-centre integrals (default 1e-12). */
  screeningThreshold?: number;
  /** Use the WebAssembly SIMD micro-kernel when the runtime has it (default true; false: JavaScript). */
  simd?: boolean;
}

/** Bytes needed by the fitted factor of `nBasis` orbital and `nAux` auxiliary functions. */
export function densityFittingBytes(nBasis: number, nAux: number): number {
  const nPair = (nBasis * (nBasis + 1)) / 2;
  return 8 * (nAux * nPair + 2 * nAux * nAux);
}

/**
 * Compute B = L⁻¹ (Q|mn) for an orbital and an auxiliary basis on the same molecule (see the file
 * header; the work is shared with the worker threads of the thread budget).
 * @throws ResourceError when the factor does not fit the memory limit.
 * @throws InputError when the Coulomb metric is not positive definite (a broken auxiliary basis).
 */
export function buildDensityFittingFactor(
  orbital: MolecularBasis,
  aux: MolecularBasis,
  options: DensityFittingOptions = {},
): DensityFittingFactor {
  const n = orbital.nFunctions;
  const nAux = aux.nFunctions;
  const nPair = (n * (n + 1)) / 2;
  const limit = options.maxMemoryBytes ?? defaultMemoryLimitBytes();
  const need = densityFittingBytes(n, nAux);
  if (need > limit) {
    throw new ResourceError(
      `density fitting with ${aux.name} (${nAux} auxiliary functions, ${n} basis functions) needs about ` +
        `${formatBytes(need)} of memory, more than the limit of ${formatBytes(limit)}; raise the limit with --max-memory`,
      { estimateBytes: need, limitBytes: limit },
    );
  }
  const threads = Math.min(threadBudget(), orbital.nShells);
  // Workers boot (import the modules) while the metric is computed here.
  const workers = threads > 1 ? ensurePool(threads - 1) : [];
  const simd = options.simd !== false;
  const linv = inverseCholesky(coulombMetric(aux), nAux, aux.name);
  const lPanels = inversePanels(linv, nAux, (size) => new Float64Array(new SharedArrayBuffer(8 * Math.max(1, size))));
  const data = prepareThreeCentre(orbital, aux, options.screeningThreshold ?? 1e-12);
  const b = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, nAux * nPair)));
  // Widest shell rows first, so that the last items are small.
  const order = Array.from({ length: orbital.nShells }, (_, a) => a);
  order.sort((x, y) => shellRowColumns(orbital, y).width - shellRowColumns(orbital, x).width || x - y);
  const shells = Int32Array.from(order);
  const work = factorWork(data, lPanels, simd);
  runItems(
    workers,
    shells.length,
    (control): FactorJobMessage => ({
      kind: 'factor',
      control,
      data,
      shells,
      lPanels: lPanels.buffer as SharedArrayBuffer,
      b: b.buffer as SharedArrayBuffer,
      simd,
    }),
    (item) => factorItem(data, shells[item], b, work),
  );
  return { nBasis: n, nAux, auxiliaryBasisName: aux.name, b };
}

/**
 * L⁻¹ for V = L Lᵀ (V symmetric positive definite, nAux × nAux), lower triangular, row-major.
 * Both steps run over rows (unit stride): the Cholesky rows as dot products of earlier rows, the
 * inverse row i as (e_i − Σ_{k<i} L_ik X_k) / L_ii.
 * @throws InputError when V is not numerically positive definite.
 */
function inverseCholesky(v: Float64Array, n: number, name: string): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    const d = v[rowJ + j] - rowDot(l, rowJ, rowJ, j);
    if (!(d > 1e-14 * Math.abs(v[rowJ + j]))) {
      throw new InputError(`the Coulomb metric of auxiliary basis ${name} is not positive definite (function ${j}); the fitting basis is linearly dependent on this molecule`);
    }
    const ljj = Math.sqrt(d);
    l[rowJ + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      l[rowI + j] = (v[rowI + j] - rowDot(l, rowI, rowJ, j)) * inv;
    }
  }
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    x[rowI + i] = 1;
    for (let k = 0; k < i; k++) {
      const f = l[rowI + k];
      if (f === 0) continue;
      const rowK = k * n;
      for (let c = 0; c <= k; c++) x[rowI + c] -= f * x[rowK + c];
    }
    const inv = 1 / l[rowI + i];
    for (let c = 0; c <= i; c++) x[rowI + c] *= inv;
  }
  return x;
}

/** Σ_{k<len} a[i + k]·a[j + k] with four partial sums (the loop is not bound by the add latency). */
function rowDot(a: Float64Array, i: number, j: number, len: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[i + k] * a[j + k];
    s1 += a[i + k + 1] * a[j + k + 1];
    s2 += a[i + k + 2] * a[j + k + 2];
    s3 += a[i + k + 3] * a[j + k + 3];
  }
  for (; k < len; k++) s0 += a[i + k] * a[j + k];
  return s0 + s1 + (s2 + s3);
}

/**
 * Pivoted Cholesky D ≈ U Uᵀ (U n × r row-major), stopped when the largest remaining diagonal
 * element is at most 1e-12 of the largest diagonal element of D. Returns undefined when D is not
 * positive semidefinite (a remaining diagonal element below −1e-10 of that largest one).
 */
function pivotedCholesky(d: Float64Array, n: number): { u: Float64Array; r: number } | undefined {
  const diag = new Float64Array(n);
  let dMax = 0;
  for (let i = 0; i < n; i++) {
    diag[i] = d[i * n + i];
    dMax = Math.max(dMax, diag[i]);
  }
  for (let i = 0; i < n; i++) if (diag[i] < -1e-10 * dMax) return undefined;
  if (!(dMax > 0)) return dMax === 0 ? { u: new Float64Array(0), r: 0 } : undefined;
  // Columns of L stored as rows of `cols` (column k = cols[k·n …]), transposed at the end.
  const cols: Float64Array[] = [];
  const done = new Uint8Array(n);
  for (;;) {
    let piv = -1;
    let best = 1e-12 * dMax;
    for (let i = 0; i < n; i++) if (!done[i] && diag[i] > best) { best = diag[i]; piv = i; }
    if (piv < 0) break;
    const col = new Float64Array(n);
    const inv = 1 / Math.sqrt(diag[piv]);
    const rowP = piv * n;
    for (let i = 0; i < n; i++) {
      if (done[i]) continue;
      let s = d[rowP + i];
      for (const c of cols) s -= c[i] * c[piv];
      col[i] = s * inv;
    }
    col[piv] = Math.sqrt(diag[piv]);
    done[piv] = 1;
    for (let i = 0; i < n; i++) if (!done[i]) diag[i] -= col[i] * col[i];
    cols.push(col);
    for (let i = 0; i < n; i++) if (!done[i] && diag[i] < -1e-10 * dMax) return undefined;
    if (cols.length === n) break;
  }
  const r = cols.length;
  const u = new Float64Array(n * r);
  for (let c = 0; c < r; c++) for (let i = 0; i < n; i++) u[i * r + c] = cols[c][i];
  return { u, r };
}

/** D = Σ_sign sign · U Uᵀ: the pivoted Cholesky factor, else the eigen-decomposition split by sign. */
function densityFactors(d: Float64Array, n: number): { u: Float64Array; r: number; sign: number }[] {
  const chol = pivotedCholesky(d, n);
  if (chol) return [{ ...chol, sign: 1 }];
  const { values, vectors } = symmetricEigen(d, n);
  let maxAbs = 0;
  for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i]));
  const out: { u: Float64Array; r: number; sign: number }[] = [];
  if (maxAbs === 0) return out;
  for (const sign of [1, -1]) {
    const keep: number[] = [];
    for (let i = 0; i < n; i++) if (sign * values[i] > 1e-12 * maxAbs) keep.push(i);
    const r = keep.length;
    const u = new Float64Array(n * r);
    for (let c = 0; c < r; c++) {
      const w = Math.sqrt(Math.abs(values[keep[c]]));
      for (let m = 0; m < n; m++) u[m * r + c] = w * vectors[m * n + keep[c]];
    }
    out.push({ u, r, sign });
  }
  return out;
}

/** Exchange index length (block size × r) aimed at per work item. */
const TARGET_K = 512;

/**
 * A Coulomb/exchange builder over a fitted factor with the signature of the exact one
 * (../scf/jk.ts buildCoulombExchange): J[dJ] into j, K[dK] into k and, when given, K[dK2] into k2.
 * The work is shared with the worker threads of the thread budget (see the file header).
 * `maxMemoryBytes` is accepted for compatibility; the work arrays are a few n² per thread.
 * `options.simd` false runs the JavaScript micro-kernel instead of the WebAssembly SIMD one.
 */
export function densityFittedCoulombExchange(
  factor: DensityFittingFactor,
  _maxMemoryBytes = 256e6,
  options: { simd?: boolean } = {},
): (dJ: Float64Array, dK: Float64Array, j: Float64Array, k: Float64Array, dK2?: Float64Array, k2?: Float64Array) => void {
  const n = factor.nBasis;
  const nn = n * n;
  const nPair = (n * (n + 1)) / 2;
  const nAux = factor.nAux;
  if (factor.b.length !== nAux * nPair) throw new InputError('density-fitting factor has the wrong size');
  // The workers read B from shared memory; a factor built elsewhere is copied there once.
  let b = factor.b;
  if (!(b.buffer instanceof SharedArrayBuffer)) {
    b = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, b.length)));
    b.set(factor.b);
  }
  const shared = (size: number): Float64Array => new Float64Array(new SharedArrayBuffer(8 * Math.max(1, size)));
  const dPacked = shared(nPair);
  const jMain = new Float64Array(nPair);
  const kMain = [new Float64Array(nn), new Float64Array(nn)];
  const partials: { j: Float64Array; k: Float64Array[] }[] = [];
  return (dJ, dK, j, k, dK2, k2) => {
    for (let m = 0, mn = 0; m < n; m++) {
      for (let l = 0; l < m; l++, mn++) dPacked[mn] = 2 * dJ[m * n + l];
      dPacked[mn++] = dJ[m * n + m];
    }
    const factors: FockBlockJob['factors'] = [];
    const slots = dK2 && k2 ? 2 : 1;
    for (let slot = 0; slot < slots; slot++) {
      for (const f of densityFactors(slot === 0 ? dK : dK2!, n)) {
        if (f.r === 0) continue;
        const panels = shared(4 * ((f.r + 3) >> 2) * n);
        packColumnPanels(f.u, n, f.r, panels);
        factors.push({ panels, r: f.r, sign: f.sign, slot });
      }
    }
    let rMax = 1;
    for (const f of factors) rMax = Math.max(rMax, f.r);
    const blockSize = Math.max(1, Math.min(64, Math.ceil(TARGET_K / rMax)));
    const items = Math.ceil(nAux / blockSize);
    const simd = options.simd !== false;
    const job: FockBlockJob = { n, nAux, blockSize, b, dPacked, factors, simd };
    const threads = Math.min(threadBudget(), items);
    const workers = threads > 1 ? ensurePool(threads - 1) : [];
    while (partials.length < workers.length) partials.push({ j: shared(nPair), k: [shared(nn), shared(nn)] });
    jMain.fill(0);
    for (let s = 0; s < slots; s++) kMain[s].fill(0);
    const work = fockBlockWork(job, jMain, kMain);
    const control = runItems(
      workers,
      items,
      (control, id): FockJobMessage => ({
        kind: 'fock',
        id,
        control,
        n,
        nAux,
        blockSize,
        items,
        b: b.buffer as SharedArrayBuffer,
        dPacked: dPacked.buffer as SharedArrayBuffer,
        factors: factors.map((f) => ({ panels: f.panels.buffer as SharedArrayBuffer, r: f.r, sign: f.sign, slot: f.slot })),
        j: partials[id].j.buffer as SharedArrayBuffer,
        k: partials[id].k.map((x) => x.buffer as SharedArrayBuffer),
        simd,
      }),
      (item) => fockBlock(job, item, work),
    );
    for (let id = 0; id < workers.length; id++) {
      if (Atomics.load(control, 4 + id) !== 1) continue;
      const p = partials[id];
      for (let mn = 0; mn < nPair; mn++) jMain[mn] += p.j[mn];
      for (let s = 0; s < slots; s++) {
        const src = p.k[s], dst = kMain[s];
        for (let m = 0; m < n; m++) for (let l = 0, o = m * n; l <= m; l++) dst[o + l] += src[o + l];
      }
    }
    for (let m = 0, mn = 0; m < n; m++) {
      for (let l = 0; l <= m; l++, mn++) {
        j[m * n + l] = jMain[mn];
        j[l * n + m] = jMain[mn];
      }
    }
    for (let s = 0; s < slots; s++) {
      const src = kMain[s], dst = s === 0 ? k : k2!;
      for (let m = 0; m < n; m++) {
        for (let l = 0; l <= m; l++) {
          const v = src[m * n + l];
          dst[m * n + l] = v;
          dst[l * n + m] = v;
        }
      }
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Worker pool (core/module-worker.ts): started on first use, unref'd, reused; the
// calling thread takes work items too, so a job completes even before any worker has booted.

const pool = new ModuleWorkerPool(import.meta.url, 'density-fitting-worker', 'density-fitting');

function ensurePool(size: number): Worker[] {
  return pool.ensure(size);
}

/** Terminate the density-fitting worker threads (they are unref'd; this frees them early). */
export async function terminateDensityFittingWorkers(): Promise<void> {
  await pool.terminate();
}

/**
 * Run `count` work items: post one message per worker (built by `message` with the shared control
 * array and the worker's index), take items in this thread with `local`, then wait until all are
 * finished. Control: [next item, finished items, error flag, −, used flag per worker …].
 */
function runItems(
  workers: Worker[],
  count: number,
  message: (control: SharedArrayBuffer, id: number) => object,
  local: (item: number) => void,
): Int32Array {
  const control = new Int32Array(new SharedArrayBuffer(4 * (4 + Math.max(1, workers.length))));
  workers.forEach((w, id) => w.postMessage(message(control.buffer as SharedArrayBuffer, id)));
  for (;;) {
    const item = Atomics.add(control, 0, 1);
    if (item >= count) break;
    local(item);
    Atomics.add(control, 1, 1);
  }
  if (!waitUntilAtLeast(control, 1, count, control, 1, 120000)) throw new Error('density-fitting worker threads made no progress for 120 s');
  if (Atomics.load(control, 2) !== 0) throw new Error('a density-fitting worker thread failed');
  return control;
}
