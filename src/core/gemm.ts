/**
 * Cache-blocked double-precision GEMM over row-major Float64Arrays, optionally on several threads
 * (used by the coupled-cluster contractions and the density-fitted Fock builds).
 *
 *   C[m×n] += alpha · op(A)[m×k] · op(B)[k×n],  op(A)[i,p] = transA ? a[p·m + i] : a[i·k + p],
 *                                               op(B)[p,j] = transB ? b[j·k + p] : b[p·n + j].
 *
 * Goto-style loop nest: for each KC-deep slice of k, a KC×NC block of op(B) is packed into NR-wide
 * column panels (contiguous in p), then each MC×KC block of op(A) into MR-tall row panels, and a
 * 4×4 register-tiled micro-kernel runs over panel pairs: per p it loads 4 + 4 values for 16
 * multiply–adds, all accumulators live in registers, and both packed streams are read with unit
 * stride. Packing also absorbs the transposes, so all four op combinations run the same kernel.
 * Partial panels are zero-padded. MC = 64, KC = 256, NC = 1024 (KC·NR·8 B of B stays in L1,
 * MC·KC·8 B of A in L2).
 *
 * Two kernels share that loop nest, chosen by the per-thread {@link GemmWorkspace}:
 *   - WebAssembly SIMD (./gemm-wasm.ts, the default): A and B are packed straight into the memory of
 *     a per-thread module instance, laid out as [packed A: MC·KC][packed B: KC·NC][staged C: RC·NC]
 *     doubles, RC = 512. One call of the macro-kernel g runs every panel pair of an MC×KC A block
 *     against the packed B block (about 1.7·10⁷ multiply–adds per call) and stores (first k slice)
 *     or adds (later slices) the tiles into the staged RC×NC block of C; after the last k slice the
 *     block is added, times alpha, into C. Rows are taken RC at a time, so B is packed m/RC times.
 *   - JavaScript ({@link gemmRowRangeJs}): the same tile in scalar code, writing alpha·tile straight
 *     into C; the fallback without WebAssembly SIMD (or with QDE_GEMM_SIMD=0) and the tests' twin.
 * Both sum each element of C over p in the same order within a k slice; they differ in rounding only
 * in where alpha is applied.
 *
 * Strided form ({@link gemmView}): operands and output addressed through row and column offset
 * tables, so a tensor contraction packs its operands from their stored layouts and adds the product
 * into the output's layout without permuted copies; same packing, kernel and k slices.
 *
 * Threads: large products are split by rows of C into chunks that the threads, the calling one
 * included, claim as they come free (each chunk packs its own A and B blocks), so a worker that
 * wakes late or is descheduled leaves its share to the others. Workers receive A, B and C through
 * SharedArrayBuffers and the compiled module in their start-up data, and run the very same code
 * (the source texts of {@link gemmWorkerSource}). Operands that already live on a SharedArrayBuffer
 * ({@link sharedFloat64Array}; the CC tensors do) are used in place: each such buffer is sent to
 * the workers once, under an id, and dropped by them when the calling thread's copy is collected;
 * other operands are copied into pool buffers (and C back). The calling thread waits on an Atomics
 * counter of finished chunks, so the API stays synchronous. Every wait is on the value just
 * checked, so no wake-up is lost between a check and its wait.
 */
import { Worker } from 'node:worker_threads';
import { threadBudget, waitUntilAtLeast } from './threads.js';
import { simdKernelModule } from './gemm-wasm.js';

/** Rows of the micro-tile (row ranges of the threads are multiples of it). */
const MR = 4;

/**
 * C rows [rowStart, rowEnd) += alpha · op(A) · op(B) with the 4×4 tile in JavaScript (the fallback
 * without WebAssembly SIMD, and the twin the tests compare the SIMD kernel with). Self-contained (no
 * references outside its body), so worker threads can run its source text. `packA` needs MC·KC and
 * `packB` KC·NC elements.
 */
export function gemmRowRangeJs(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  rowStart: number,
  rowEnd: number,
  packA: Float64Array,
  packB: Float64Array,
  overwrite = false,
): void {
  const mr = 4;
  const nr = 4;
  const mcMax = 64;
  const kcMax = 256;
  const ncMax = 1024;
  if (overwrite) c.fill(0, rowStart * n, rowEnd * n);
  for (let jc = 0; jc < n; jc += ncMax) {
    const nc = Math.min(ncMax, n - jc);
    const nPanels = (nc + 3) >> 2; // nr = 4
    for (let pc = 0; pc < k; pc += kcMax) {
      const kc = Math.min(kcMax, k - pc);
      // Pack op(B)[pc..pc+kc, jc..jc+nc] as nPanels panels of [p][nr].
      let x = 0;
      for (let jp = 0; jp < nPanels; jp++) {
        const j0 = jc + jp * nr;
        const w = Math.min(nr, jc + nc - j0);
        for (let p = pc; p < pc + kc; p++) {
          if (transB) {
            for (let q = 0; q < w; q++) packB[x + q] = b[(j0 + q) * k + p];
          } else {
            const row = p * n + j0;
            for (let q = 0; q < w; q++) packB[x + q] = b[row + q];
          }
          for (let q = w; q < nr; q++) packB[x + q] = 0;
          x += nr;
        }
      }
      for (let ic = rowStart; ic < rowEnd; ic += mcMax) {
        const mc = Math.min(mcMax, rowEnd - ic);
        const mPanels = (mc + 3) >> 2; // mr = 4
        // Pack op(A)[ic..ic+mc, pc..pc+kc] as mPanels panels of [p][mr].
        x = 0;
        for (let ip = 0; ip < mPanels; ip++) {
          const i0 = ic + ip * mr;
          const h = Math.min(mr, ic + mc - i0);
          for (let p = pc; p < pc + kc; p++) {
            if (transA) {
              const row = p * m + i0;
              for (let q = 0; q < h; q++) packA[x + q] = a[row + q];
            } else {
              for (let q = 0; q < h; q++) packA[x + q] = a[(i0 + q) * k + p];
            }
            for (let q = h; q < mr; q++) packA[x + q] = 0;
            x += mr;
          }
        }
        for (let jp = 0; jp < nPanels; jp++) {
          const j0 = jc + jp * nr;
          const w = Math.min(nr, jc + nc - j0);
          const bBase = jp * kc * nr;
          for (let ip = 0; ip < mPanels; ip++) {
            const i0 = ic + ip * mr;
            const h = Math.min(mr, ic + mc - i0);
            let pa = ip * kc * mr;
            let pb = bBase;
            let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
            let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
            let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
            let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
            for (let p = 0; p < kc; p++, pa += 4, pb += 4) {
              const a0 = packA[pa];
              const a1 = packA[pa + 1];
              const a2 = packA[pa + 2];
              const a3 = packA[pa + 3];
              const b0 = packB[pb];
              const b1 = packB[pb + 1];
              const b2 = packB[pb + 2];
              const b3 = packB[pb + 3];
              c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
              c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
              c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
              c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            let r = i0 * n + j0;
            if (h === 4 && w === 4) {
              c[r] += alpha * c00; c[r + 1] += alpha * c01; c[r + 2] += alpha * c02; c[r + 3] += alpha * c03;
              r += n;
              c[r] += alpha * c10; c[r + 1] += alpha * c11; c[r + 2] += alpha * c12; c[r + 3] += alpha * c13;
              r += n;
              c[r] += alpha * c20; c[r + 1] += alpha * c21; c[r + 2] += alpha * c22; c[r + 3] += alpha * c23;
              r += n;
              c[r] += alpha * c30; c[r + 1] += alpha * c31; c[r + 2] += alpha * c32; c[r + 3] += alpha * c33;
            } else {
              // Edge tile: write the valid h×w corner only.
              for (let q = 0; q < h; q++, r += n) {
                const v0 = q === 0 ? c00 : q === 1 ? c10 : q === 2 ? c20 : c30;
                const v1 = q === 0 ? c01 : q === 1 ? c11 : q === 2 ? c21 : c31;
                const v2 = q === 0 ? c02 : q === 1 ? c12 : q === 2 ? c22 : c32;
                const v3 = q === 0 ? c03 : q === 1 ? c13 : q === 2 ? c23 : c33;
                c[r] += alpha * v0;
                if (w > 1) c[r + 1] += alpha * v1;
                if (w > 2) c[r + 2] += alpha * v2;
                if (w > 3) c[r + 3] += alpha * v3;
              }
            }
          }
        }
      }
    }
  }
}

/**
 * C rows [rowStart, rowEnd) += alpha · op(A) · op(B) with the WebAssembly SIMD macro-kernel `g`
 * (./gemm-wasm.ts) over the memory viewed by `f` (see the file header for the layout). Self-contained
 * (no references outside its body), so worker threads can run its source text.
 */
export function gemmRowRangeSimd(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  rowStart: number,
  rowEnd: number,
  f: Float64Array,
  g: (a: number, b: number, c: number, mp: number, np: number, kc: number, ldc: number, acc: number) => void,
  overwrite = false,
): void {
  const mr = 4;
  const nr = 4;
  const mcMax = 64;
  const kcMax = 256;
  const ncMax = 1024;
  const rcMax = 512;
  const offA = 0;
  const offB = mcMax * kcMax;
  const offS = offB + kcMax * ncMax;
  for (let rc = rowStart; rc < rowEnd; rc += rcMax) {
    const rcEnd = Math.min(rowEnd, rc + rcMax);
    for (let jc = 0; jc < n; jc += ncMax) {
      const nc = Math.min(ncMax, n - jc);
      const nPanels = (nc + 3) >> 2; // nr = 4
      const ldS = nPanels * nr;
      for (let pc = 0; pc < k; pc += kcMax) {
        const kc = Math.min(kcMax, k - pc);
        const panelB = kc * nr;
        // Pack op(B)[pc..pc+kc, jc..jc+nc] as nPanels panels of [p][nr] at offB (zero-padded).
        if (transB) {
          // Four columns of op(B) (rows of b) at a time, so the panel is written in order.
          const full = nc >> 2;
          for (let jp = 0; jp < full; jp++) {
            const s0 = (jc + 4 * jp) * k + pc;
            const s1 = s0 + k;
            const s2 = s1 + k;
            const s3 = s2 + k;
            let x = offB + jp * panelB;
            for (let p = 0; p < kc; p++, x += 4) {
              f[x] = b[s0 + p];
              f[x + 1] = b[s1 + p];
              f[x + 2] = b[s2 + p];
              f[x + 3] = b[s3 + p];
            }
          }
          for (let j = 4 * full; j < nc; j++) {
            const src = (jc + j) * k + pc;
            let x = offB + (j >> 2) * panelB + (j & 3);
            for (let p = 0; p < kc; p++, x += 4) f[x] = b[src + p];
          }
        } else {
          const nFull = nc >> 2;
          for (let p = 0; p < kc; p++) {
            const row = (pc + p) * n + jc;
            let x = offB + p * 4;
            for (let jp = 0, j = row; jp < nFull; jp++, j += 4, x += panelB) {
              f[x] = b[j];
              f[x + 1] = b[j + 1];
              f[x + 2] = b[j + 2];
              f[x + 3] = b[j + 3];
            }
            for (let q = 0; q < (nc & 3); q++) f[x + q] = b[row + 4 * nFull + q];
          }
        }
        if ((nc & 3) !== 0) {
          const base = offB + (nPanels - 1) * panelB;
          for (let p = 0; p < kc; p++) for (let q = nc & 3; q < 4; q++) f[base + p * 4 + q] = 0;
        }
        for (let ic = rc; ic < rcEnd; ic += mcMax) {
          const mc = Math.min(mcMax, rcEnd - ic);
          const mPanels = (mc + 3) >> 2; // mr = 4
          const panelA = kc * mr;
          // Pack op(A)[ic..ic+mc, pc..pc+kc] as mPanels panels of [p][mr] at offA (zero-padded).
          if (transA) {
            const full = mc >> 2;
            for (let p = 0; p < kc; p++) {
              const row = (pc + p) * m + ic;
              let x = offA + p * 4;
              for (let ip = 0, i = row; ip < full; ip++, i += 4, x += panelA) {
                f[x] = a[i];
                f[x + 1] = a[i + 1];
                f[x + 2] = a[i + 2];
                f[x + 3] = a[i + 3];
              }
              for (let q = 0; q < (mc & 3); q++) f[x + q] = a[row + 4 * full + q];
            }
          } else {
            // Four rows at a time, so the panel is written in order.
            const full = mc >> 2;
            for (let ip = 0; ip < full; ip++) {
              const s0 = (ic + 4 * ip) * k + pc;
              const s1 = s0 + k;
              const s2 = s1 + k;
              const s3 = s2 + k;
              let x = offA + ip * panelA;
              for (let p = 0; p < kc; p++, x += 4) {
                f[x] = a[s0 + p];
                f[x + 1] = a[s1 + p];
                f[x + 2] = a[s2 + p];
                f[x + 3] = a[s3 + p];
              }
            }
            for (let i = 4 * full; i < mc; i++) {
              const src = (ic + i) * k + pc;
              let x = offA + (i >> 2) * panelA + (i & 3);
              for (let p = 0; p < kc; p++, x += 4) f[x] = a[src + p];
            }
          }
          if ((mc & 3) !== 0) {
            const base = offA + (mPanels - 1) * panelA;
            for (let p = 0; p < kc; p++) for (let q = mc & 3; q < 4; q++) f[base + p * 4 + q] = 0;
          }
          g(8 * offA, 8 * offB, 8 * (offS + (ic - rc) * ldS), mPanels, nPanels, kc, 8 * ldS, pc === 0 ? 0 : 1);
        }
      }
      // C[rc..rcEnd, jc..jc+nc] += alpha · the staged block (= with overwrite).
      for (let i = rc; i < rcEnd; i++) {
        const s = offS + (i - rc) * ldS;
        const r = i * n + jc;
        if (overwrite) for (let j = 0; j < nc; j++) c[r + j] = alpha * f[s + j];
        else for (let j = 0; j < nc; j++) c[r + j] += alpha * f[s + j];
      }
    }
  }
}

/**
 * Strided ("view") form of the blocked GEMM for rows [rowStart, rowEnd) of the product:
 *
 *   C[cRow[i] + cCol[j]] += alpha · Σ_p A[aRow[i] + aCol[p]] · B[bRow[p] + bCol[j]],
 *
 * with the element offsets in `off` = [aRow (m) | aCol (k) | bRow (k) | bCol (n) | cRow (m) | cCol (n)]
 * starting at `o0`. Any index permutation of the operands and of the output is such a view, so a
 * tensor contraction packs its operands straight from their stored layouts and adds the product
 * into the output's layout, with no permuted copies. Packing, kernel and k-slice order are those of
 * {@link gemmRowRangeSimd}, so each element of C gets the same sums as with permuted copies. Without
 * the SIMD kernel (`g` null) it runs plain loops with the same summation order per k slice.
 * Self-contained (worker threads run its source text).
 */
export function gemmRowRangeView(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  off: Int32Array,
  o0: number,
  rowStart: number,
  rowEnd: number,
  f: Float64Array,
  g: ((a: number, b: number, c: number, mp: number, np: number, kc: number, ldc: number, acc: number) => void) | null,
  overwrite = false,
): void {
  const mcMax = 64;
  const kcMax = 256;
  const ncMax = 1024;
  const rcMax = 512;
  const aRow = o0;
  const aCol = aRow + m;
  const bRow = aCol + k;
  const bCol = bRow + k;
  const cRow = bCol + n;
  const cCol = cRow + m;
  // Whether a column table is one contiguous run (then the inner loops index directly); no inner
  // functions, as the worker threads run this function's source text.
  let aColRun = true;
  for (let x = 1; x < k && aColRun; x++) aColRun = off[aCol + x] === off[aCol] + x;
  let bColRun = true;
  for (let x = 1; x < n && bColRun; x++) bColRun = off[bCol + x] === off[bCol] + x;
  let cColRun = true;
  for (let x = 1; x < n && cColRun; x++) cColRun = off[cCol + x] === off[cCol] + x;
  const aRowUnit = !aColRun && m > 1 && off[aRow + 1] - off[aRow] === 1;
  const bRowUnit = !bColRun && k > 1 && off[bRow + 1] - off[bRow] === 1;
  if (!g) {
    // Plain loops (no SIMD module): the same k slices, summed in order.
    const sums = new Float64Array(n);
    for (let i = rowStart; i < rowEnd; i++) {
      const ar = off[aRow + i];
      sums.fill(0);
      for (let pc = 0; pc < k; pc += kcMax) {
        const kc = Math.min(kcMax, k - pc);
        for (let j = 0; j < n; j++) {
          const bc = off[bCol + j];
          let s = 0;
          for (let p = pc; p < pc + kc; p++) s += a[ar + off[aCol + p]] * b[off[bRow + p] + bc];
          sums[j] += s;
        }
      }
      const cr = off[cRow + i];
      if (overwrite) for (let j = 0; j < n; j++) c[cr + off[cCol + j]] = alpha * sums[j];
      else for (let j = 0; j < n; j++) c[cr + off[cCol + j]] += alpha * sums[j];
    }
    return;
  }
  const offA = 0;
  const offB = mcMax * kcMax;
  const offS = offB + kcMax * ncMax;
  for (let rc = rowStart; rc < rowEnd; rc += rcMax) {
    const rcEnd = Math.min(rowEnd, rc + rcMax);
    for (let jc = 0; jc < n; jc += ncMax) {
      const nc = Math.min(ncMax, n - jc);
      const nPanels = (nc + 3) >> 2;
      const ldS = nPanels * 4;
      for (let pc = 0; pc < k; pc += kcMax) {
        const kc = Math.min(kcMax, k - pc);
        const panelB = kc * 4;
        // Pack op(B)[pc..pc+kc, jc..jc+nc] as panels of [p][4] at offB (zero-padded).
        if (bColRun) {
          const c0 = off[bCol + jc];
          for (let p = 0; p < kc; p++) {
            const row = off[bRow + pc + p] + c0;
            let x = offB + p * 4;
            let j = 0;
            for (; j + 4 <= nc; j += 4, x += panelB) {
              f[x] = b[row + j];
              f[x + 1] = b[row + j + 1];
              f[x + 2] = b[row + j + 2];
              f[x + 3] = b[row + j + 3];
            }
            for (let q = 0; j < nc; j++, q++) f[x + q] = b[row + j];
          }
        } else if (bRowUnit) {
          // Four columns at a time, so the panel is written in order.
          const full = nc >> 2;
          for (let jp = 0; jp < full; jp++) {
            const q = bCol + jc + 4 * jp;
            const c0 = off[q];
            const c1 = off[q + 1];
            const c2 = off[q + 2];
            const c3 = off[q + 3];
            let x = offB + jp * panelB;
            for (let p = 0; p < kc; p++, x += 4) {
              const row = off[bRow + pc + p];
              f[x] = b[row + c0];
              f[x + 1] = b[row + c1];
              f[x + 2] = b[row + c2];
              f[x + 3] = b[row + c3];
            }
          }
          for (let j = 4 * full; j < nc; j++) {
            const col = off[bCol + jc + j];
            let x = offB + (j >> 2) * panelB + (j & 3);
            for (let p = 0; p < kc; p++, x += 4) f[x] = b[off[bRow + pc + p] + col];
          }
        } else {
          for (let p = 0; p < kc; p++) {
            const row = off[bRow + pc + p];
            for (let j = 0; j < nc; j++) f[offB + (j >> 2) * panelB + p * 4 + (j & 3)] = b[row + off[bCol + jc + j]];
          }
        }
        if ((nc & 3) !== 0) {
          const base = offB + (nPanels - 1) * panelB;
          for (let p = 0; p < kc; p++) for (let q = nc & 3; q < 4; q++) f[base + p * 4 + q] = 0;
        }
        for (let ic = rc; ic < rcEnd; ic += mcMax) {
          const mc = Math.min(mcMax, rcEnd - ic);
          const mPanels = (mc + 3) >> 2;
          const panelA = kc * 4;
          if (aColRun) {
            // Four rows at a time, so the panel is written in order.
            const c0 = off[aCol + pc];
            const full = mc >> 2;
            for (let ip = 0; ip < full; ip++) {
              const r = aRow + ic + 4 * ip;
              const s0 = off[r] + c0;
              const s1 = off[r + 1] + c0;
              const s2 = off[r + 2] + c0;
              const s3 = off[r + 3] + c0;
              let x = offA + ip * panelA;
              for (let p = 0; p < kc; p++, x += 4) {
                f[x] = a[s0 + p];
                f[x + 1] = a[s1 + p];
                f[x + 2] = a[s2 + p];
                f[x + 3] = a[s3 + p];
              }
            }
            for (let i = 4 * full; i < mc; i++) {
              const src = off[aRow + ic + i] + c0;
              let x = offA + (i >> 2) * panelA + (i & 3);
              for (let p = 0; p < kc; p++, x += 4) f[x] = a[src + p];
            }
          } else if (aRowUnit) {
            for (let p = 0; p < kc; p++) {
              const col = off[aCol + pc + p];
              let x = offA + p * 4;
              let i = 0;
              for (; i + 4 <= mc; i += 4, x += panelA) {
                f[x] = a[off[aRow + ic + i] + col];
                f[x + 1] = a[off[aRow + ic + i + 1] + col];
                f[x + 2] = a[off[aRow + ic + i + 2] + col];
                f[x + 3] = a[off[aRow + ic + i + 3] + col];
              }
              for (let q = 0; i < mc; i++, q++) f[x + q] = a[off[aRow + ic + i] + col];
            }
          } else {
            for (let i = 0; i < mc; i++) {
              const src = off[aRow + ic + i];
              let x = offA + (i >> 2) * panelA + (i & 3);
              for (let p = 0; p < kc; p++, x += 4) f[x] = a[src + off[aCol + pc + p]];
            }
          }
          if ((mc & 3) !== 0) {
            const base = offA + (mPanels - 1) * panelA;
            for (let p = 0; p < kc; p++) for (let q = mc & 3; q < 4; q++) f[base + p * 4 + q] = 0;
          }
          g(8 * offA, 8 * offB, 8 * (offS + (ic - rc) * ldS), mPanels, nPanels, kc, 8 * ldS, pc === 0 ? 0 : 1);
        }
      }
      // C += alpha · the staged block, at the output's offsets.
      if (cColRun) {
        const c0 = off[cCol + jc];
        for (let i = rc; i < rcEnd; i++) {
          const s = offS + (i - rc) * ldS;
          const r = off[cRow + i] + c0;
          if (overwrite) for (let j = 0; j < nc; j++) c[r + j] = alpha * f[s + j];
          else for (let j = 0; j < nc; j++) c[r + j] += alpha * f[s + j];
        }
      } else {
        // 16×16 tiles, rows innermost: consecutive rows are usually neighbours in C.
        for (let i0 = rc; i0 < rcEnd; i0 += 16) {
          const i1 = Math.min(rcEnd, i0 + 16);
          for (let j0 = 0; j0 < nc; j0 += 16) {
            const j1 = Math.min(nc, j0 + 16);
            for (let j = j0; j < j1; j++) {
              const col = off[cCol + jc + j];
              if (overwrite) for (let i = i0; i < i1; i++) c[off[cRow + i] + col] = alpha * f[offS + (i - rc) * ldS + j];
              else for (let i = i0; i < i1; i++) c[off[cRow + i] + col] += alpha * f[offS + (i - rc) * ldS + j];
            }
          }
        }
      }
    }
  }
}

/** Per-thread memory of the GEMM: packed panels (and the staged C block of the SIMD kernel). */
export interface GemmWorkspace {
  /** The whole memory (the WebAssembly module's memory when `g` is set). */
  f: Float64Array;
  /** The SIMD macro-kernel (./gemm-wasm.ts), or null for the JavaScript tile. */
  g: ((a: number, b: number, c: number, mp: number, np: number, kc: number, ldc: number, acc: number) => void) | null;
  /** Packed A and B panels of the JavaScript tile (views of `f`). */
  packA: Float64Array;
  packB: Float64Array;
}

/**
 * A GEMM workspace on a new instance of the SIMD module (a compiled WebAssembly.Module from
 * ./gemm-wasm.ts simdKernelModule), or for the JavaScript tile when `module` is null or cannot be
 * instantiated. Self-contained, so worker threads can run its source text.
 */
export function createGemmWorkspace(module: object | null): GemmWorkspace {
  const packDoubles = 64 * 256 + 256 * 1024;
  const api = (globalThis as unknown as { WebAssembly?: { Instance: new (m: object, i: object) => { exports: Record<string, unknown> } } }).WebAssembly;
  if (module && api) {
    try {
      const instance = new api.Instance(module, {});
      const memory = instance.exports.m as { buffer: ArrayBuffer; grow(pages: number): number };
      const bytes = 8 * (packDoubles + 512 * 1024);
      const have = memory.buffer.byteLength / 65536;
      const pages = Math.ceil(bytes / 65536);
      if (pages > have) memory.grow(pages - have);
      const f = new Float64Array(memory.buffer);
      return { f, g: instance.exports.g as GemmWorkspace['g'], packA: f.subarray(0, 64 * 256), packB: f.subarray(64 * 256, packDoubles) };
    } catch {
      // fall through to the JavaScript tile
    }
  }
  const f = new Float64Array(packDoubles);
  return { f, g: null, packA: f.subarray(0, 64 * 256), packB: f.subarray(64 * 256, packDoubles) };
}

/**
 * C rows [rowStart, rowEnd) += alpha · op(A) · op(B) with the blocked kernel of the workspace (SIMD
 * or JavaScript; see the file header); with `overwrite` the rows are set to the product instead
 * (their previous contents are never read, so the caller need not clear them). Worker threads run
 * its source text together with those of {@link gemmRowRangeSimd}, {@link gemmRowRangeJs} and
 * {@link createGemmWorkspace} ({@link gemmWorkerSource}).
 */
export function gemmRowRange(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  rowStart: number,
  rowEnd: number,
  ws: GemmWorkspace,
  overwrite = false,
): void {
  if (rowEnd <= rowStart || n === 0) return;
  if (k === 0) {
    if (overwrite) c.fill(0, rowStart * n, rowEnd * n);
    return;
  }
  if (ws.g) gemmRowRangeSimd(transA, transB, m, n, k, alpha, a, b, c, rowStart, rowEnd, ws.f, ws.g, overwrite);
  else gemmRowRangeJs(transA, transB, m, n, k, alpha, a, b, c, rowStart, rowEnd, ws.packA, ws.packB, overwrite);
}

/**
 * JavaScript source that defines gemmRowRange, its two kernels and createGemmWorkspace in a worker
 * thread (eval'd worker code); give the worker the module of {@link gemmSimdModule} to pass to
 * createGemmWorkspace.
 */
export function gemmWorkerSource(): string {
  return `const gemmRowRangeJs = (${gemmRowRangeJs.toString()});
const gemmRowRangeSimd = (${gemmRowRangeSimd.toString()});
const gemmRowRangeView = (${gemmRowRangeView.toString()});
const gemmRowRange = (${gemmRowRange.toString()});
const createGemmWorkspace = (${createGemmWorkspace.toString()});
const warmGemmKernels = (${warmGemmKernels.toString()});
`;
}

/**
 * The compiled SIMD module the GEMM runs on (null without WebAssembly SIMD, or when the environment
 * variable QDE_GEMM_SIMD is 0, which selects the JavaScript tile everywhere).
 */
export function gemmSimdModule(): object | null {
  if (typeof process !== 'undefined' && process.env?.QDE_GEMM_SIMD === '0') return null;
  return simdKernelModule();
}

/**
 * Run the packing routines of {@link gemmRowRangeSimd} and {@link gemmRowRangeView} on small
 * products that take every branch (each transpose form; contiguous, unit-stride and scattered
 * offset tables; partial and whole panels), so that the optimising compiler sees
 * feedback for all of them before the first large product. Without it, each branch a large
 * product reached first after optimisation threw the compiled code away (seven times for the
 * strided form in one H₂O/cc-pVTZ CCSD), and the first large strided product ran uncompiled
 * (the first pass of that CCSD's integral transformation 0.19–0.23 → 0.08–0.11 s). Costs about
 * 20 ms in a fresh thread. With `plainOnly`, only the untransposed contiguous form is warmed up,
 * for threads that use no other (compiling branches that never run costs the optimising compiler
 * about as much again). Self-contained (worker threads run its source text).
 */
export function warmGemmKernels(ws: GemmWorkspace, plainOnly = false): void {
  if (!ws.g) return;
  // No inner functions: worker threads run this source text, and a transpiler may wrap them.
  const size = 3300; // the scattered layouts of the largest product below reach element 3240
  const a = new Float64Array(new SharedArrayBuffer(8 * size));
  const b = new Float64Array(new SharedArrayBuffer(8 * size));
  const c = new Float64Array(new SharedArrayBuffer(8 * size));
  for (let q = 0; q < size; q++) {
    a[q] = ((q * 7) % 11) * 0.125;
    b[q] = ((q * 5) % 13) * 0.25;
  }
  // Three passes: V8 allocates a function's feedback vector only after its first few calls. The
  // 36×12×44 products give the routines enough work to be compiled for calls before the first
  // large product, instead of running it uncompiled until a loop inside it gets compiled.
  for (const [m, n, k] of [
    [6, 7, 5],
    [8, 8, 3],
    [36, 12, 44],
    [6, 7, 5],
    [8, 8, 3],
    [36, 12, 44],
    [6, 7, 5],
    [8, 8, 3],
    [36, 12, 44],
  ]) {
    // Each form adding into C and setting it (overwrite).
    for (let form = 0; form < (plainOnly ? 2 : 8); form++) {
      const transA = !plainOnly && (form & 1) !== 0;
      const transB = !plainOnly && (form & 2) !== 0;
      const overwrite = plainOnly ? form === 1 : (form & 4) !== 0;
      gemmRowRangeSimd(transA, transB, m, n, k, 1, a, b, c, 0, m, ws.f, ws.g, overwrite);
    }
    if (plainOnly) continue;
    const off = new Int32Array(new SharedArrayBuffer(4 * 2 * (m + n + k)));
    const aRow = 0;
    const aCol = m;
    const bRow = m + k;
    const bCol = m + 2 * k;
    const cRow = m + 2 * k + n;
    const cCol = 2 * m + 2 * k + n;
    // Layouts 0: contiguous columns; 1: unit-stride rows; 2: neither.
    for (let la = 0; la < 3; la++)
      for (let lb = 0; lb < 3; lb++)
        for (let lc = 0; lc < 2; lc++) {
          for (let i = 0; i < m; i++) off[aRow + i] = la === 0 ? i * k : la === 1 ? i : 2 * i;
          for (let p = 0; p < k; p++) off[aCol + p] = la === 0 ? p : la === 1 ? p * m : p * 2 * m + 1;
          for (let p = 0; p < k; p++) off[bRow + p] = lb === 0 ? p * n : lb === 1 ? p : 2 * p;
          for (let j = 0; j < n; j++) off[bCol + j] = lb === 0 ? j : lb === 1 ? j * k : j * 2 * k + 1;
          for (let i = 0; i < m; i++) off[cRow + i] = lc === 0 ? i * n : i;
          for (let j = 0; j < n; j++) off[cCol + j] = lc === 0 ? j : j * m;
          gemmRowRangeView(m, n, k, 1, a, b, c, off, 0, 0, m, ws.f, ws.g, false);
          gemmRowRangeView(m, n, k, 1, a, b, c, off, 0, 0, m, ws.f, ws.g, true);
        }
  }
}

let workspace: GemmWorkspace | undefined;

/**
 * The calling thread's GEMM workspace (created and its kernels warmed up on first use), for callers
 * that run {@link gemmRowRange} themselves; products on this thread use it too, so it must not be
 * used by two computations at once.
 */
export function callingThreadGemmWorkspace(): GemmWorkspace {
  return mainWorkspace();
}

/** The calling thread's workspace (its kernels warmed up on first use). */
function mainWorkspace(): GemmWorkspace {
  if (!workspace) {
    workspace = createGemmWorkspace(gemmSimdModule());
    warmGemmKernels(workspace);
  }
  return workspace;
}

/** Work (multiply–adds) above which the product is split over the thread budget. */
const PARALLEL_WORK = 4e7;
/** Rows of C below which products are not cut into more chunks than threads (each chunk packs op(B) afresh). */
const MIN_CHUNK_ROWS = 128;
/** Chunks per thread at most: fine enough that a late or slow thread's share is taken by the others. */
const CHUNKS_PER_THREAD = 4;

interface GemmPool {
  workers: Worker[];
  control: Int32Array;
  generation: number;
  /** Shared operand buffers, grown on demand and re-sent to the workers when replaced. */
  a: SharedArrayBuffer;
  b: SharedArrayBuffer;
  c: SharedArrayBuffer;
  /** alpha of the current product (shared with the workers). */
  alpha: Float64Array;
  /** SharedArrayBuffers the workers hold by id (operands on them are not copied). */
  sharedIds: WeakMap<SharedArrayBuffer, number>;
  nextId: number;
  /** Buffers registered since the last message to the workers. */
  pending: [number, SharedArrayBuffer][];
  /** Tells the workers to drop a buffer once the calling thread no longer references it. */
  registry: FinalizationRegistry<number>;
}

let pool: GemmPool | undefined;
let poolFailed = false;

const WORKER_SOURCE = (kernel: string): string => `
const { workerData, parentPort } = require('node:worker_threads');
${kernel}
const chunkTag = (${chunkTag.toString()});
const claimChunk = (${claimChunk.toString()});
const ctrl = new Int32Array(workerData.control);
const id = workerData.id;
let a, b, c;
const ws = createGemmWorkspace(workerData.module);
warmGemmKernels(ws);
const buffers = new Map();
parentPort.on('message', (msg) => {
  if (msg.drop !== undefined) {
    buffers.delete(msg.drop);
    return;
  }
  if (msg.add) for (const [bid, buffer] of msg.add) buffers.set(bid, buffer);
  if (msg.a) {
    a = new Float64Array(msg.a);
    b = new Float64Array(msg.b);
    c = new Float64Array(msg.c);
  }
  Atomics.store(ctrl, 32 + id, msg.version);
  Atomics.notify(ctrl, 32 + id);
});
// Operand slot q (0 = A, 1 = B, 2 = C): a registered buffer at an element offset, or the copy.
function operand(q, copy, length) {
  const bid = ctrl[8 + 2 * q];
  return bid < 0 ? copy : new Float64Array(buffers.get(bid), 8 * ctrl[9 + 2 * q], length);
}
let seen = 0;
function loop() {
  // Wait on the doorbell (control[7]), which the calling thread rings for every generation and every
  // buffer message: a ring between this thread's checks and its wait changes the value waited on,
  // so it is never missed. Pending buffers and idle timeouts send it back to the message queue.
  for (;;) {
    const bell = Atomics.load(ctrl, 7);
    const gen = Atomics.load(ctrl, 0);
    if (gen < 0) return;
    if (Atomics.load(ctrl, 32 + id) !== Atomics.load(ctrl, 1)) { setImmediate(loop); return; }
    if (gen !== seen) {
      seen = gen;
      const f = ctrl[2];
      const alpha = new Float64Array(workerData.alpha)[0];
      const m = ctrl[3], n = ctrl[4], k = ctrl[5], chunkRows = ctrl[18], chunks = ctrl[19];
      // A claim fails once the product's chunks are gone or the calling thread has moved on (the
      // values read above may then be the next product's: nothing is computed from them).
      for (let chunk = claimChunk(ctrl, gen, chunks); chunk >= 0; chunk = claimChunk(ctrl, gen, chunks)) {
        const r0 = chunk * chunkRows, r1 = Math.min(m, r0 + chunkRows);
        try {
          if ((f & 4) !== 0) {
            const off = new Int32Array(buffers.get(ctrl[14]));
            gemmRowRangeView(m, n, k, alpha, operand(0, a, undefined), operand(1, b, undefined), operand(2, c, undefined), off, ctrl[15], r0, r1, ws.f, ws.g, (f & 8) !== 0);
          } else gemmRowRange((f & 1) !== 0, (f & 2) !== 0, m, n, k, alpha, operand(0, a, m * k), operand(1, b, k * n), operand(2, c, m * n), r0, r1, ws, (f & 8) !== 0);
        } catch (e) {
          Atomics.store(ctrl, 6, 1);
        }
        Atomics.add(ctrl, 17, 1);
        Atomics.notify(ctrl, 17);
      }
      continue;
    }
    if (Atomics.wait(ctrl, 7, bell, 20) === 'timed-out') { setImmediate(loop); return; }
  }
}
setImmediate(loop);
`;

function ensurePool(nWorkers: number, aLen: number, bLen: number, cLen: number): GemmPool | undefined {
  if (poolFailed || nWorkers < 1) return undefined;
  if (!pool) {
    const control = new SharedArrayBuffer(4 * 256);
    const alpha = new SharedArrayBuffer(8);
    const source = WORKER_SOURCE(gemmWorkerSource());
    const module = gemmSimdModule();
    const workers: Worker[] = [];
    for (let id = 0; id < nWorkers; id++) {
      const w = new Worker(source, { eval: true, workerData: { id, control, alpha, module } });
      w.unref();
      w.on('error', () => {
        poolFailed = true;
      });
      workers.push(w);
    }
    pool = {
      workers,
      control: new Int32Array(control),
      generation: 0,
      a: new SharedArrayBuffer(8),
      b: new SharedArrayBuffer(8),
      c: new SharedArrayBuffer(8),
      alpha: new Float64Array(alpha),
      sharedIds: new WeakMap(),
      nextId: 0,
      pending: [],
      registry: new FinalizationRegistry((bid: number) => {
        for (const w of workers) w.postMessage({ drop: bid });
      }),
    };
    pool.control[1] = 0;
  }
  const p = pool;
  if (p.workers.length < nWorkers) return undefined;
  if (p.a.byteLength < 8 * aLen || p.b.byteLength < 8 * bLen || p.c.byteLength < 8 * cLen || p.control[1] === 0 || p.pending.length > 0) {
    // Grow with headroom so a sequence of similar products does not re-send buffers each time.
    if (p.a.byteLength < 8 * aLen) p.a = new SharedArrayBuffer(8 * Math.ceil(aLen * 1.25));
    if (p.b.byteLength < 8 * bLen) p.b = new SharedArrayBuffer(8 * Math.ceil(bLen * 1.25));
    if (p.c.byteLength < 8 * cLen) p.c = new SharedArrayBuffer(8 * Math.ceil(cLen * 1.25));
    const version = p.control[1] + 1;
    for (const w of p.workers) w.postMessage({ a: p.a, b: p.b, c: p.c, add: p.pending, version });
    p.pending = [];
    // Posted first: a worker that sees the new version goes to its message queue and finds it there.
    Atomics.store(p.control, 1, version);
    ringWorkers(p.control);
  }
  return p;
}

/**
 * Id under which the workers hold the SharedArrayBuffer of `x` (registered on first use, sent with
 * the next buffer message), or −1 when `x` is not on a SharedArrayBuffer.
 */
function sharedId(p: GemmPool, x: Float64Array): number {
  const buffer = x.buffer;
  if (!(buffer instanceof SharedArrayBuffer)) return -1;
  return sharedIdOf(p, buffer);
}

/** Id under which the workers hold `buffer` (registered on first use). */
function sharedIdOf(p: GemmPool, buffer: SharedArrayBuffer): number {
  let bid = p.sharedIds.get(buffer);
  if (bid === undefined) {
    bid = p.nextId++;
    p.sharedIds.set(buffer, bid);
    p.pending.push([bid, buffer]);
    p.registry.register(buffer, bid);
  }
  return bid;
}

/**
 * A zero-filled Float64Array on a SharedArrayBuffer. The threaded GEMM reads and writes operands on
 * such buffers in place (the worker threads receive each buffer once), instead of copying them.
 */
export function sharedFloat64Array(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * Math.max(1, length)), 0, length);
}

/** Stop the GEMM worker threads (they are unref'd, so this is only needed to free them early). */
export function closeGemmPool(): void {
  if (!pool) return;
  Atomics.store(pool.control, 0, -1);
  ringWorkers(pool.control);
  for (const w of pool.workers) void w.terminate();
  pool = undefined;
}

/** C += alpha · op(A) · op(B) split over `threads` row ranges; false when the pool is unavailable. */
function gemmParallel(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  threads: number,
  waitForStart: boolean,
  overwrite: boolean,
): boolean {
  const onShared = (x: Float64Array): boolean => x.buffer instanceof SharedArrayBuffer;
  const p = ensurePool(threads - 1, onShared(a) ? 0 : m * k, onShared(b) ? 0 : k * n, onShared(c) ? 0 : m * n);
  if (!p || (!waitForStart && !poolStarted(p, threads))) return false;
  const ids = [sharedId(p, a), sharedId(p, b), sharedId(p, c)];
  // Newly registered buffers go to the workers now (ensurePool sends them with a new version).
  if (p.pending.length > 0 && !ensurePool(threads - 1, 0, 0, 0)) return false;
  if (!workersHoldCurrentBuffers(p, threads)) return false;
  const ctrl = p.control;
  // Operands on registered SharedArrayBuffers are used in place; the others are copied.
  const operands = [a, b, c];
  const lengths = [m * k, k * n, m * n];
  const copies = [p.a, p.b, p.c];
  const views: Float64Array[] = [];
  for (let q = 0; q < 3; q++) {
    ctrl[8 + 2 * q] = ids[q];
    if (ids[q] >= 0) {
      ctrl[9 + 2 * q] = operands[q].byteOffset / 8;
      views.push(operands[q]);
    } else {
      const copy = new Float64Array(copies[q], 0, lengths[q]);
      copy.set(operands[q].subarray(0, lengths[q]));
      views.push(copy);
    }
  }
  const [aS, bS, cS] = views;
  startRows(p, threads, (transA ? 1 : 0) | (transB ? 2 : 0) | (overwrite ? 8 : 0), m, n, k, alpha);
  const ws = mainWorkspace();
  const gen = p.generation;
  const chunkRows = ctrl[18];
  const chunks = ctrl[19];
  for (let chunk = claimChunk(ctrl, gen, chunks); chunk >= 0; chunk = claimChunk(ctrl, gen, chunks)) {
    gemmRowRange(transA, transB, m, n, k, alpha, aS, bS, cS, chunk * chunkRows, Math.min(m, (chunk + 1) * chunkRows), ws, overwrite);
    Atomics.add(ctrl, 17, 1);
  }
  awaitRows(p);
  if (cS !== c) c.set(cS);
  return true;
}

/** Wake the workers (see the worker's loop): every generation and buffer message rings control[7]. */
function ringWorkers(ctrl: Int32Array): void {
  Atomics.add(ctrl, 7, 1);
  Atomics.notify(ctrl, 7);
}

/** Whether every worker has started (acknowledged the pool's first buffers). */
function poolStarted(p: GemmPool, threads: number): boolean {
  for (let id = 0; id < threads - 1; id++) if (Atomics.load(p.control, 32 + id) < 1) return false;
  return true;
}

/** Wait (bounded) until every worker holds the pool's current buffers; false marks the pool failed. */
function workersHoldCurrentBuffers(p: GemmPool, threads: number): boolean {
  const ctrl = p.control;
  const version = ctrl[1];
  const deadline = Date.now() + 20000;
  for (let id = 0; id < threads - 1; id++) {
    for (let seen = Atomics.load(ctrl, 32 + id); seen !== version; seen = Atomics.load(ctrl, 32 + id)) {
      if (Date.now() > deadline || poolFailed) {
        poolFailed = true;
        return false;
      }
      Atomics.wait(ctrl, 32 + id, seen, 20);
    }
  }
  return true;
}

/**
 * Start a product on the pool: its rows, in chunks of a multiple of the micro-tile height, go to
 * whichever thread claims them first ({@link claimChunk}), the calling thread included, so a worker
 * that wakes late or runs slow leaves its share to the others. `mode` tells the workers the
 * operand forms.
 */
function startRows(p: GemmPool, threads: number, mode: number, m: number, n: number, k: number, alpha: number): void {
  const ctrl = p.control;
  const chunks = Math.min(threads * CHUNKS_PER_THREAD, Math.max(threads, Math.floor(m / MIN_CHUNK_ROWS)));
  const chunkRows = Math.ceil(m / chunks / MR) * MR;
  ctrl[2] = mode;
  ctrl[3] = m;
  ctrl[4] = n;
  ctrl[5] = k;
  ctrl[6] = 0;
  ctrl[17] = 0;
  ctrl[18] = chunkRows;
  ctrl[19] = Math.ceil(m / chunkRows);
  p.alpha[0] = alpha;
  p.generation++;
  Atomics.store(ctrl, 16, chunkTag(p.generation));
  Atomics.store(ctrl, 0, p.generation);
  ringWorkers(ctrl);
}

/**
 * Next unclaimed chunk of generation `gen`'s product, or −1 when none is left or another product
 * has started. control[16] holds the generation's low 20 bits above an 11-bit chunk counter; the
 * calling thread closes it (counter 0x7ff) before it changes any parameter of the next product, so
 * a claim never pairs one product's tag with another's chunk count.
 */
function claimChunk(ctrl: Int32Array, gen: number, chunks: number): number {
  const tag = chunkTag(gen);
  for (;;) {
    const claim = Atomics.load(ctrl, 16);
    const chunk = claim & 0x7ff;
    if (claim - chunk !== tag || chunk >= chunks) return -1;
    if (Atomics.compareExchange(ctrl, 16, claim, claim + 1) === claim) return chunk;
  }
}

/** control[16] for the first chunk of generation `gen` (see {@link claimChunk}). */
function chunkTag(gen: number): number {
  return (gen & 0xfffff) << 11;
}

/**
 * How long the calling thread waits for the next chunk of a product before it gives up on the
 * workers: a worker that dies mid-chunk never reports it done, and a blocked thread cannot hear its
 * exit event. A chunk is at most a few seconds of work.
 */
const GEMM_STALL_LIMIT_MS = 120_000;

/** Wait until every chunk of the product started by {@link startRows} is done, then close its claims. */
function awaitRows(p: GemmPool): void {
  const ctrl = p.control;
  const chunks = ctrl[19];
  if (!waitUntilAtLeast(ctrl, 17, chunks, ctrl, 17, GEMM_STALL_LIMIT_MS)) {
    Atomics.store(ctrl, 16, chunkTag(p.generation) | 0x7ff);
    // later products run on the calling thread rather than wait on this pool again
    poolFailed = true;
    throw new Error(`GEMM worker threads finished no chunk for ${GEMM_STALL_LIMIT_MS / 1000} s: a worker thread stopped mid-product`);
  }
  Atomics.store(ctrl, 16, chunkTag(p.generation) | 0x7ff);
  if (Atomics.load(ctrl, 6) !== 0) throw new Error('GEMM worker thread failed');
}

/**
 * C += alpha · op(A) · op(B) with the blocked kernel; products of at least `minParallelWork`
 * multiply–adds (default 4·10⁷) use the thread budget (see the file header); until the worker
 * threads have started (the first such product starts them), products run on the calling thread.
 * `threads` overrides the budget (1 = calling thread only) and waits for the workers to start.
 * With `overwrite`, C = alpha · op(A) · op(B) instead (C is never read; the caller need not clear it).
 */
export function gemmBlocked(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  threads?: number,
  minParallelWork = PARALLEL_WORK,
  overwrite = false,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0 || alpha === 0) {
    if (overwrite) c.fill(0, 0, m * n);
    return;
  }
  const budget = Math.min(threads ?? threadBudget(), Math.max(1, Math.floor(m / (2 * MR))), 16);
  if (budget > 1 && m * n * k >= minParallelWork && gemmParallel(transA, transB, m, n, k, alpha, a, b, c, budget, threads !== undefined, overwrite)) return;
  gemmRowRange(transA, transB, m, n, k, alpha, a, b, c, 0, m, mainWorkspace(), overwrite);
}

/** The thread pool's part of {@link gemmView}: false when the pool is unavailable. */
function gemmViewParallel(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  off: Int32Array,
  threads: number,
  waitForStart: boolean,
  overwrite: boolean,
): boolean {
  const p = ensurePool(threads - 1, 0, 0, 0);
  if (!p || (!waitForStart && !poolStarted(p, threads))) return false;
  const ids = [sharedId(p, a), sharedId(p, b), sharedId(p, c)];
  const tableId = sharedIdOf(p, off.buffer as SharedArrayBuffer);
  if (p.pending.length > 0 && !ensurePool(threads - 1, 0, 0, 0)) return false;
  if (!workersHoldCurrentBuffers(p, threads)) return false;
  const ctrl = p.control;
  const operands = [a, b, c];
  for (let q = 0; q < 3; q++) {
    ctrl[8 + 2 * q] = ids[q];
    ctrl[9 + 2 * q] = operands[q].byteOffset / 8;
  }
  ctrl[14] = tableId;
  ctrl[15] = off.byteOffset / 4;
  startRows(p, threads, 4 | (overwrite ? 8 : 0), m, n, k, alpha);
  const ws = mainWorkspace();
  const gen = p.generation;
  const chunkRows = ctrl[18];
  const chunks = ctrl[19];
  for (let chunk = claimChunk(ctrl, gen, chunks); chunk >= 0; chunk = claimChunk(ctrl, gen, chunks)) {
    gemmRowRangeView(m, n, k, alpha, a, b, c, off, 0, chunk * chunkRows, Math.min(m, (chunk + 1) * chunkRows), ws.f, ws.g, overwrite);
    Atomics.add(ctrl, 17, 1);
  }
  awaitRows(p);
  return true;
}

/**
 * Offsets of a strided GEMM ({@link gemmView}) on a SharedArrayBuffer: room for
 * [aRow (m) | aCol (k) | bRow (k) | bCol (n) | cRow (m) | cCol (n)].
 */
export function gemmViewOffsets(m: number, n: number, k: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Math.max(1, 2 * (m + n + k))));
}

/**
 * Strided GEMM: C[cRow[i] + cCol[j]] += alpha · Σ_p A[aRow[i] + aCol[p]] · B[bRow[p] + bCol[j]], the
 * offset tables laid out in `off` as {@link gemmViewOffsets} describes (see
 * {@link gemmRowRangeView}). Operands are read and written in place; products of at least
 * `minParallelWork` multiply–adds (default 4·10⁷) use the thread budget when A, B, C and `off` all
 * live on SharedArrayBuffers (once the workers have started, or waiting for them when `threads` is
 * given, as for {@link gemmBlocked}). The
 * row split does not change any element's arithmetic, so results do not depend on the thread count.
 * With `overwrite`, the addressed elements of C are set to the product instead of added to.
 */
export function gemmView(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  off: Int32Array,
  threads?: number,
  minParallelWork = PARALLEL_WORK,
  overwrite = false,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0 || alpha === 0) {
    if (overwrite) {
      const cRow = m + 2 * k + n; // the offset tables' layout: aRow | aCol | bRow | bCol | cRow | cCol
      const cCol = cRow + m;
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[off[cRow + i] + off[cCol + j]] = 0;
    }
    return;
  }
  const shared = (x: ArrayBufferView): boolean => x.buffer instanceof SharedArrayBuffer;
  const budget = Math.min(threads ?? threadBudget(), Math.max(1, Math.floor(m / (2 * MR))), 16);
  if (budget > 1 && m * n * k >= minParallelWork && shared(a) && shared(b) && shared(c) && shared(off)) {
    if (gemmViewParallel(m, n, k, alpha, a, b, c, off, budget, threads !== undefined, overwrite)) return;
  }
  const ws = mainWorkspace();
  gemmRowRangeView(m, n, k, alpha, a, b, c, off, 0, 0, m, ws.f, ws.g, overwrite);
}
