/**
 * The blocked GEMM (./gemm.ts) on its WebAssembly SIMD macro-kernel (./gemm-wasm.ts) and on the
 * JavaScript tile, against a naive triple loop: all four transpose combinations, odd sizes and sizes
 * just across every block edge (MC 64, KC 256, NC 1024, the 512-row staging block), alpha ≠ 1,
 * accumulation into nonzero C, row sub-ranges, and the threaded path (worker threads).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import {
  closeGemmPool,
  createGemmWorkspace,
  gemmBlocked,
  gemmRowRange,
  gemmSimdModule,
  gemmWorkerSource,
  simdKernelBytes,
  simdKernelInstance,
  sharedFloat64Array,
  type GemmWorkspace,
} from './index.js';
import { Random } from './random.js';

function randomArray(length: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const x = new Float64Array(length);
  for (let i = 0; i < length; i++) x[i] = rng.uniform(-1, 1);
  return x;
}

/**
 * c += alpha · op(A) · op(B) by the definition, and the scale Σ |terms| + |c| of every element (the
 * bound for the rounding error of any summation order).
 */
function naive(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, c: Float64Array): Float64Array {
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        const x = (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
        s += x;
        t += Math.abs(x);
      }
      scale[i * n + j] = Math.abs(c[i * n + j]) + Math.abs(alpha) * t;
      c[i * n + j] += alpha * s;
    }
  return scale;
}

function assertClose(actual: Float64Array, expected: Float64Array, scale: Float64Array, label: string): void {
  let worst = 0;
  for (let x = 0; x < expected.length; x++) worst = Math.max(worst, Math.abs(actual[x] - expected[x]) / Math.max(scale[x], 1e-300));
  assert.ok(worst <= 1e-12, `${label}: relative error ${worst}`);
}

/** Sizes [m, n, k]: odd and tiny ones, and ones just across the block edges. */
const SIZES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [7, 3, 1],
  [13, 129, 5],
  [5, 13, 129],
  [129, 7, 13],
  [65, 1025, 257],
  [513, 67, 259],
  [3, 2049, 3],
];

const ws = { simd: createGemmWorkspace(gemmSimdModule()), js: createGemmWorkspace(null) };

test('this runtime runs the WebAssembly SIMD kernel (Node 20 ships f64x2)', () => {
  assert.ok(gemmSimdModule() !== null || process.env.QDE_GEMM_SIMD === '0');
  assert.ok(ws.simd.g !== null || process.env.QDE_GEMM_SIMD === '0');
  assert.equal(ws.js.g, null);
  assert.ok(simdKernelBytes().length > 100);
});

for (const [name, workspace] of Object.entries(ws) as [string, GemmWorkspace][]) {
  test(`gemmRowRange (${name}) equals a naive triple loop: four transpose combinations, odd and block-edge sizes, alpha ≠ 1, nonzero C`, () => {
    let seed = 1;
    for (const [m, n, k] of SIZES)
      for (const transA of [false, true])
        for (const transB of [false, true]) {
          const a = randomArray(m * k, seed++);
          const b = randomArray(k * n, seed++);
          const c0 = randomArray(m * n, seed++);
          const expected = c0.slice();
          const scale = naive(transA, transB, m, n, k, -1.75, a, b, expected);
          const c = c0.slice();
          gemmRowRange(transA, transB, m, n, k, -1.75, a, b, c, 0, m, workspace);
          assertClose(c, expected, scale, `${name} ${m}×${n}×${k} transA=${transA} transB=${transB}`);
        }
  });
}

test('gemmRowRange on a row sub-range writes exactly those rows (SIMD and JavaScript tiles agree)', () => {
  const [m, n, k] = [37, 41, 300];
  const a = randomArray(m * k, 91);
  const b = randomArray(k * n, 92);
  const c0 = randomArray(m * n, 93);
  const full = c0.slice();
  const scale = naive(false, true, m, n, k, 0.5, a, b, full);
  for (const workspace of [ws.simd, ws.js]) {
    const c = c0.slice();
    gemmRowRange(false, true, m, n, k, 0.5, a, b, c, 9, 30, workspace);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        const x = i * n + j;
        if (i < 9 || i >= 30) assert.equal(c[x], c0[x]);
        else assert.ok(Math.abs(c[x] - full[x]) <= 1e-12 * scale[x], `row ${i} column ${j}`);
      }
  }
});

test('gemmBlocked on two threads (workers on the SIMD kernel) equals the naive loop for all transpose combinations', () => {
  // m·n·k above the 4·10⁷ threshold of the threaded path, odd sizes.
  const [m, n, k] = [301, 403, 399];
  let seed = 200;
  try {
    for (const transA of [false, true])
      for (const transB of [false, true]) {
        const a = randomArray(m * k, seed++);
        const b = randomArray(k * n, seed++);
        const c0 = randomArray(m * n, seed++);
        const expected = c0.slice();
        const scale = naive(transA, transB, m, n, k, 2.5, a, b, expected);
        const c = c0.slice();
        gemmBlocked(transA, transB, m, n, k, 2.5, a, b, c, 2);
        assertClose(c, expected, scale, `threads ${m}×${n}×${k} transA=${transA} transB=${transB}`);
      }
  } finally {
    closeGemmPool();
  }
});

test('gemmBlocked on two threads reads and writes operands on SharedArrayBuffers in place (views at offsets)', () => {
  const [m, n, k] = [203, 305, 707];
  try {
    for (const transA of [false, true]) {
      // A and C are views at an offset into shared buffers; B is a plain array (copied).
      const aBuffer = sharedFloat64Array(m * k + 17);
      aBuffer.set(randomArray(m * k + 17, 500));
      const a = aBuffer.subarray(17, 17 + m * k);
      const b = randomArray(k * n, 501);
      const cBuffer = sharedFloat64Array(m * n + 5);
      cBuffer.set(randomArray(m * n + 5, 502));
      const c = cBuffer.subarray(5);
      const before = cBuffer.slice(0, 5);
      const expected = c.slice();
      const scale = naive(transA, false, m, n, k, -0.25, a, b, expected);
      gemmBlocked(transA, false, m, n, k, -0.25, a, b, c, 2);
      assertClose(c, expected, scale, `shared transA=${transA}`);
      assert.deepEqual(cBuffer.slice(0, 5), before);
      // The same buffers again (already held by the workers), with B on one too.
      const bShared = sharedFloat64Array(k * n);
      bShared.set(b);
      const again = c.slice();
      const scale2 = naive(transA, false, m, n, k, 0.5, a, b, again);
      gemmBlocked(transA, false, m, n, k, 0.5, a, bShared, c, 2);
      assertClose(c, again, scale2, `shared again transA=${transA}`);
    }
  } finally {
    closeGemmPool();
  }
});

test('worker-thread source builds a SIMD workspace and computes the same product', async () => {
  const module = gemmSimdModule();
  const [m, n, k] = [19, 23, 29];
  const a = randomArray(m * k, 300);
  const b = randomArray(k * n, 301);
  const c0 = randomArray(m * n, 302);
  const source = `const { workerData: d, parentPort } = require('node:worker_threads');
${gemmWorkerSource()}
const ws = createGemmWorkspace(d.module);
const c = Float64Array.from(d.c);
gemmRowRange(true, false, d.m, d.n, d.k, 1.25, Float64Array.from(d.a), Float64Array.from(d.b), c, 0, d.m, ws);
parentPort.postMessage({ simd: ws.g !== null, c });`;
  const worker = new Worker(source, { eval: true, workerData: { module, m, n, k, a, b, c: c0 } });
  const reply = await new Promise<{ simd: boolean; c: Float64Array }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.equal(reply.simd, module !== null);
  const expected = c0.slice();
  const scale = naive(true, false, m, n, k, 1.25, a, b, expected);
  assertClose(reply.c, expected, scale, 'worker');
});

test('the 4×4 tile k of the module sums column panels (layout of the density-fitting code)', () => {
  const instance = simdKernelInstance(8 * 4096);
  if (!instance) return;
  const f = new Float64Array(instance.memory.buffer);
  const kc = 37;
  const a = randomArray(4 * kc, 400);
  const b = randomArray(4 * kc, 401);
  f.set(a, 0);
  f.set(b, 512);
  instance.k(0, 8 * 512, kc, 8 * 1024);
  for (let q = 0; q < 4; q++)
    for (let c = 0; c < 4; c++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < kc; p++) {
        s += a[p * 4 + q] * b[p * 4 + c];
        t += Math.abs(a[p * 4 + q] * b[p * 4 + c]);
      }
      assert.ok(Math.abs(f[1024 + c * 4 + q] - s) <= 1e-12 * t);
    }
});
