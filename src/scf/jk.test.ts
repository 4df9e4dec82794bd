/**
 * The packed-integral J/K build (./jk.ts) against the definitions
 *   J_pq = Σ_rs (pq|rs) D_rs,   K_pr = Σ_qs (pq|rs) D_qs
 * summed over all n⁴ index quadruples of a seeded random 8-fold symmetric tensor, for a basis size
 * whose build is cut into row chunks; and the chunked build on one thread and on a worker pool
 * gives the same bits — for integrals in a plain SharedArrayBuffer (the JavaScript scatter) and in
 * a WebAssembly memory (the SIMD kernel for restricted builds), which agree with each other.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { setThreadBudget } from '../core/threads.js';
import { wasmBackingOf } from '../core/wasm-memory.js';
import { allocatePackedEriValues, eriIndex, packedEriLength, type PackedEri } from '../integrals/eri-layout.js';
import { buildCoulombExchange } from './jk.js';
import { jkRowChunks, startCoulombExchangeWorkers, terminateCoulombExchangeWorkers } from './jk-parallel.js';

after(async () => {
  setThreadBudget(undefined);
  await terminateCoulombExchangeWorkers();
});

function randomSymmetric(rng: Random, n: number): Float64Array {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rng.uniform(-1, 1);
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  }
  return d;
}

/** Random packed integrals in shared memory, with some exact zeros (as screening leaves). */
function randomEri(rng: Random, n: number, storage: 'shared' | 'wasm'): PackedEri {
  const values = storage === 'wasm' ? allocatePackedEriValues(n) : new Float64Array(new SharedArrayBuffer(packedEriLength(n) * 8));
  assert.equal(wasmBackingOf(values) !== undefined, storage === 'wasm', `${storage} storage`);
  for (let i = 0; i < values.length; i++) values[i] = rng.next() < 0.3 ? 0 : rng.uniform(-1, 1);
  return { nBasis: n, values };
}

function referenceJk(eri: PackedEri, d: Float64Array): { j: Float64Array; k: Float64Array } {
  const n = eri.nBasis;
  const j = new Float64Array(n * n);
  const k = new Float64Array(n * n);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      for (let r = 0; r < n; r++) {
        for (let s = 0; s < n; s++) {
          const v = eri.values[eriIndex(p, q, r, s)];
          j[p * n + q] += v * d[r * n + s];
          k[p * n + r] += v * d[q * n + s];
        }
      }
    }
  }
  return { j, k };
}

function maxDifference(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** J, K; J, K_A, K_B (unrestricted) of the same random problem for thread counts 1, 2, 1, 2, checked against the definition. */
async function chunkedRuns(storage: 'shared' | 'wasm', n = 64): Promise<Float64Array[][]> {
  // n = 64: 2.2·10⁶ packed integrals, above the chunking threshold
  assert.equal(jkRowChunks(n).length > 2, n === 64, 'the build is chunked for this size');
  const rng = new Random(424242);
  const eri = randomEri(rng, n, storage);
  const dA = randomSymmetric(rng, n);
  const dB = randomSymmetric(rng, n);
  const ref = referenceJk(eri, dA);
  const refB = referenceJk(eri, dB);
  // Boot the worker first, so that the two-thread runs share the chunks.
  setThreadBudget(2);
  startCoulombExchangeWorkers(n);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const results: Float64Array[][] = [];
  for (const threads of [1, 2, 1, 2]) {
    setThreadBudget(threads);
    const j = new Float64Array(n * n), k = new Float64Array(n * n);
    buildCoulombExchange(eri, dA, dA, j, k);
    const ju = new Float64Array(n * n), ka = new Float64Array(n * n), kb = new Float64Array(n * n);
    buildCoulombExchange(eri, dA, dA, ju, ka, dB, kb);
    assert.ok(maxDifference(j, ref.j) < 1e-9, `${storage}: J, ${threads} threads: ${maxDifference(j, ref.j)}`);
    assert.ok(maxDifference(k, ref.k) < 1e-9, `${storage}: K, ${threads} threads: ${maxDifference(k, ref.k)}`);
    assert.ok(maxDifference(kb, refB.k) < 1e-9, `${storage}: K of the second density, ${threads} threads`);
    results.push([j, k, ju, ka, kb]);
  }
  for (let r = 1; r < results.length; r++) {
    for (let m = 0; m < 5; m++) assert.deepEqual(results[r][m], results[0][m], `${storage}: run ${r}, matrix ${m}: same bits for every thread count`);
  }
  return results;
}

test('chunked J/K equals the definition and does not depend on the thread count, in JavaScript and in the WebAssembly kernel', async () => {
  const js = await chunkedRuns('shared');
  const simd = await chunkedRuns('wasm');
  // Same integrals and densities: the restricted SIMD build agrees with the JavaScript one to
  // rounding (its sums run in two lanes); the unrestricted build takes the JavaScript path in both.
  assert.ok(maxDifference(simd[0][0], js[0][0]) < 1e-12, `J: ${maxDifference(simd[0][0], js[0][0])}`);
  assert.ok(maxDifference(simd[0][1], js[0][1]) < 1e-12, `K: ${maxDifference(simd[0][1], js[0][1])}`);
  assert.notDeepEqual(simd[0][1], js[0][1], 'the restricted build ran the SIMD kernel');
  for (let m = 2; m < 5; m++) assert.deepEqual(simd[0][m], js[0][m], `unrestricted matrix ${m}`);
});

test('a J/K build of one chunk over integrals in a WebAssembly memory runs the SIMD kernel in the calling thread', async () => {
  // n = 54: 1.1·10⁶ packed integrals, in a WebAssembly memory but below the chunking threshold
  const js = await chunkedRuns('shared', 54);
  const simd = await chunkedRuns('wasm', 54);
  assert.ok(maxDifference(simd[0][0], js[0][0]) < 1e-12 && maxDifference(simd[0][1], js[0][1]) < 1e-12);
  assert.notDeepEqual(simd[0][1], js[0][1], 'the restricted build ran the SIMD kernel');
});
