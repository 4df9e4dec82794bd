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
  gemmRowRangeView,
  gemmView,
  gemmViewOffsets,
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

/** {@link randomArray} on a SharedArrayBuffer (operands the GEMM threads use in place). */
function sharedRandomArray(length: number, seed: number): Float64Array {
  const x = sharedFloat64Array(length);
  x.set(randomArray(length, seed));
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

test('gemmRowRange with overwrite sets its rows to the product, bit for bit as adding into zeros, and leaves the others', () => {
  let seed = 300;
  for (const [m, n, k] of [[37, 41, 300], [13, 129, 5], [9, 6, 0]] as [number, number, number][])
    for (const [name, workspace] of Object.entries(ws) as [string, GemmWorkspace][]) {
      const a = randomArray(m * k, seed++);
      const b = randomArray(k * n, seed++);
      const garbage = randomArray(m * n, seed++);
      const added = new Float64Array(m * n);
      gemmRowRange(true, false, m, n, k, -1.25, a, b, added, 0, m, workspace);
      const c = garbage.slice();
      gemmRowRange(true, false, m, n, k, -1.25, a, b, c, 2, m - 3, workspace, true);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          const x = i * n + j;
          const want = i < 2 || i >= m - 3 ? garbage[x] : added[x] === 0 ? 0 : added[x];
          assert.ok(Object.is(c[x] + 0, want + 0), `${name} ${m}×${n}×${k} row ${i} column ${j}: ${c[x]} against ${want}`);
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
      const aBuffer = sharedRandomArray(m * k + 17, 500);
      const a = aBuffer.subarray(17, 17 + m * k);
      const b = randomArray(k * n, 501);
      const cBuffer = sharedRandomArray(m * n + 5, 502);
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

/**
 * A strided product: A stored as [p1][i][p0] (k = p1·p0 summed in the order p1, p0), B as [j][p1][p0]
 * and C as [j1][i][j0] (n = j1·j0), so every operand and the output need a permutation.
 */
function stridedCase(m: number, p1: number, p0: number, j1: number, j0: number): { off: Int32Array; k: number; n: number } {
  const k = p1 * p0;
  const n = j1 * j0;
  const off = gemmViewOffsets(m, n, k);
  let x = 0;
  for (let i = 0; i < m; i++) off[x++] = i * p0; // A rows
  for (let q = 0; q < p1; q++) for (let r = 0; r < p0; r++) off[x++] = q * m * p0 + r; // A columns
  for (let q = 0; q < p1; q++) for (let r = 0; r < p0; r++) off[x++] = q * p0 + r; // B rows
  for (let j = 0; j < n; j++) off[x++] = j * k; // B columns
  for (let i = 0; i < m; i++) off[x++] = i * j0; // C rows
  for (let u = 0; u < j1; u++) for (let w = 0; w < j0; w++) off[x++] = u * m * j0 + w; // C columns
  return { off, k, n };
}

test('gemmView (strided operands and output) equals the naive loop on the SIMD and plain paths and on two threads', () => {
  const shapes: [number, number, number, number, number][] = [
    [1, 1, 1, 1, 1],
    [7, 3, 5, 2, 9],
    [67, 13, 21, 5, 211],
    [523, 3, 131, 40, 29],
  ];
  let seed = 900;
  try {
    for (const [m, p1, p0, j1, j0] of shapes) {
      const { off, k, n } = stridedCase(m, p1, p0, j1, j0);
      const a = sharedRandomArray(m * k, seed++);
      const b = sharedRandomArray(k * n, seed++);
      const c0 = randomArray(m * n, seed++);
      // The same product on dense copies: op(A)[i,p] = A[off row i + off col p], and so on.
      const aDense = new Float64Array(m * k);
      for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) aDense[i * k + p] = a[off[i] + off[m + p]];
      const bDense = new Float64Array(k * n);
      for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bDense[p * n + j] = b[off[m + k + p] + off[m + 2 * k + j]];
      const cDense = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) cDense[i * n + j] = c0[off[m + 2 * k + n + i] + off[2 * m + 2 * k + n + j]];
      const scale = naive(false, false, m, n, k, -1.5, aDense, bDense, cDense);
      const read = (c: Float64Array): Float64Array => {
        const out = new Float64Array(m * n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = c[off[m + 2 * k + n + i] + off[2 * m + 2 * k + n + j]];
        return out;
      };
      for (const threads of [1, 2]) {
        const c = sharedFloat64Array(m * n);
        c.set(c0);
        gemmView(m, n, k, -1.5, a, b, c, off, threads);
        assertClose(read(c), cDense, scale, `gemmView ${m}×${n}×${k} threads ${threads}`);
      }
      const cJs = c0.slice();
      gemmRowRangeView(m, n, k, -1.5, a, b, cJs, off, 0, 0, m, ws.js.f, null);
      assertClose(read(cJs), cDense, scale, `plain gemmRowRangeView ${m}×${n}×${k}`);
    }
  } finally {
    closeGemmPool();
  }
});

/** Offsets of a strided GEMM on row-major A (m×k) and B (k×n), and C row-major or transposed. */
function rowMajorView(m: number, n: number, k: number, cTransposed = false): Int32Array {
  const off = gemmViewOffsets(m, n, k);
  let x = 0;
  for (let i = 0; i < m; i++) off[x++] = i * k;
  for (let p = 0; p < k; p++) off[x++] = p;
  for (let p = 0; p < k; p++) off[x++] = p * n;
  for (let j = 0; j < n; j++) off[x++] = j;
  for (let i = 0; i < m; i++) off[x++] = cTransposed ? i : i * n;
  for (let j = 0; j < n; j++) off[x++] = cTransposed ? j * m : j;
  return off;
}

test('gemmBlocked and gemmView with overwrite set C on one and two threads, bit for bit as adding into zeros', () => {
  const [m, n, k] = [301, 403, 399];
  const a = sharedRandomArray(m * k, 41);
  const b = sharedRandomArray(k * n, 42);
  const garbage = randomArray(m * n, 43);
  // C transposed: row i of the product is column i of C (the tiled write-back).
  const view = (kk: number): Int32Array => rowMajorView(m, n, kk, true);
  try {
    const expected = new Float64Array(m * n);
    gemmBlocked(false, false, m, n, k, 0.75, a, b, expected, 1);
    const transposed = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) transposed[j * m + i] = expected[i * n + j];
    for (const threads of [1, 2]) {
      const c = sharedFloat64Array(m * n);
      c.set(garbage);
      gemmBlocked(false, false, m, n, k, 0.75, a, b, c, threads, undefined, true);
      assert.deepEqual(c, expected, `gemmBlocked, ${threads} threads`);
      c.set(garbage);
      gemmView(m, n, k, 0.75, a, b, c, view(k), threads, undefined, true);
      assert.deepEqual(c, transposed, `gemmView, ${threads} threads`);
    }
    // k = 0: the product is zero, and overwrite still sets C.
    const c = sharedFloat64Array(m * n);
    c.set(garbage);
    gemmBlocked(false, false, m, n, 0, 0.75, a, b, c, 1, undefined, true);
    assert.ok(c.every((x) => x === 0));
    c.set(garbage);
    gemmView(m, n, 0, 0.75, a, b, c, view(0), 1, undefined, true);
    assert.ok(c.every((x) => x === 0));
  } finally {
    closeGemmPool();
  }
});

test('gemmView of a plain row-major product equals gemmBlocked to the last bit, on one and two threads', () => {
  const [m, n, k] = [301, 403, 399];
  const a = sharedRandomArray(m * k, 31);
  const b = sharedRandomArray(k * n, 32);
  const c0 = randomArray(m * n, 33);
  const off = rowMajorView(m, n, k);
  try {
    const expected = c0.slice();
    gemmBlocked(false, false, m, n, k, 0.75, a, b, expected, 1);
    for (const threads of [1, 2]) {
      const c = sharedFloat64Array(m * n);
      c.set(c0);
      gemmView(m, n, k, 0.75, a, b, c, off, threads);
      assert.deepEqual(c, expected);
    }
  } finally {
    closeGemmPool();
  }
});

test('hundreds of consecutive two-thread products of changing shapes equal one thread bit for bit (chunk claims across products)', () => {
  const rng = new Random(77);
  const views = [false, true];
  for (let t = 0; t < 300; t++) {
    // From two chunks (m near the threading minimum) to eight, with operands copied or shared.
    const m = 8 + Math.floor(rng.uniform(0, 1) * 2400);
    const n = 1 + Math.floor(rng.uniform(0, 1) * 40);
    const k = 1 + Math.floor(rng.uniform(0, 1) * 40);
    const shared = views[t % 2];
    const make = shared ? sharedRandomArray : randomArray;
    const a = make(m * k, 3 * t + 1);
    const b = make(k * n, 3 * t + 2);
    const c0 = make(m * n, 3 * t + 3);
    const one = Float64Array.from(c0);
    const two = shared ? sharedFloat64Array(m * n) : new Float64Array(m * n);
    two.set(c0);
    const transB = t % 3 === 0;
    gemmBlocked(false, transB, m, n, k, 0.5, a, b, one, 1);
    gemmBlocked(false, transB, m, n, k, 0.5, a, b, two, 2, 0);
    assert.deepEqual(two, one, `product ${t}: ${m}×${n}×${k}`);
  }
  closeGemmPool();
});
