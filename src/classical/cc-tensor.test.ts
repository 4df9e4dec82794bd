import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { Contractor, gemm, permuteAdd, type DenseTensor } from './cc-tensor.js';

/** Brute-force einsum over every index assignment: the independent reference. */
function bruteForce(spec: string, a: DenseTensor, b: DenseTensor, outDims: number[]): Float64Array {
  const [lhs, lo] = spec.split('->');
  const [la, lb] = lhs.split(',');
  const labels = [...new Set(la + lb)];
  const dim = new Map<string, number>();
  [...la].forEach((ch, q) => dim.set(ch, a.dims[q]));
  [...lb].forEach((ch, q) => dim.set(ch, b.dims[q]));
  const out = new Float64Array(outDims.reduce((x, y) => x * y, 1));
  const value = new Map<string, number>();
  const offset = (ls: string, dims: readonly number[]): number => {
    let x = 0;
    for (let q = 0; q < ls.length; q++) x = x * dims[q] + value.get(ls[q])!;
    return x;
  };
  const visit = (level: number): void => {
    if (level === labels.length) {
      out[offset(lo, outDims)] += a.data[offset(la, a.dims)] * b.data[offset(lb, b.dims)];
      return;
    }
    for (let v = 0; v < dim.get(labels[level])!; v++) {
      value.set(labels[level], v);
      visit(level + 1);
    }
  };
  visit(0);
  return out;
}

function randomTensor(rng: Random, dims: number[]): DenseTensor {
  const data = new Float64Array(dims.reduce((x, y) => x * y, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { data, dims };
}

/** Random operands of the einsum `spec` with index extents `size`, and the output's extents. */
function randomOperands(rng: Random, spec: string, size: Record<string, number>) {
  const [lhs, lo] = spec.split('->');
  const [la, lb] = lhs.split(',');
  const a = randomTensor(rng, [...la].map((ch) => size[ch]));
  const b = randomTensor(rng, [...lb].map((ch) => size[ch]));
  return { la, lb, a, b, outDims: [...lo].map((ch) => size[ch]) };
}

test('Contractor.contract agrees with brute-force einsum for every operand layout used by CCSD', () => {
  const rng = new Random(7);
  const o = 3;
  const v = 4;
  const size: Record<string, number> = { i: o, j: o, k: o, l: o, a: v, b: v, c: v, d: v };
  const specs = [
    'kcld,ilcd->ki', // A as-is, B transposed copy
    'kcld,klad->ac',
    'kcld,ld->kc',
    'ac,ic->ia', // B as n×k (NT)
    'ki,ka->ia', // A as k×m (TN)
    'kc,kica->ia',
    'abic,jc->ijab',
    'akij,kb->ijab', // output permutation
    'kdac,ijcd->kaij',
    'ijcd,abcd->ijab',
    'akic,kjcb->ijab',
    'bkci,kjac->ijab',
    'klij,klab->ijab',
  ];
  const cx = new Contractor();
  for (const spec of specs) {
    const { la, lb, a, b, outDims } = randomOperands(rng, spec, size);
    const expected = bruteForce(spec, a, b, outDims);
    const start = randomTensor(rng, outDims);
    const c = { data: start.data.slice(), dims: outDims };
    cx.contract(spec, -0.5, a, b, 2, c);
    for (let x = 0; x < expected.length; x++) {
      assert.ok(Math.abs(c.data[x] - (2 * start.data[x] - 0.5 * expected[x])) < 1e-12, `${spec} element ${x}`);
    }
  }
  assert.throws(() => cx.contract('ij,jk->ijk', 1, randomTensor(rng, [2, 2]), randomTensor(rng, [2, 2]), 0, randomTensor(rng, [2, 2, 2])));
});

test('Contractor.contract on products large enough for the strided GEMM (no permuted copies) agrees with brute-force einsum', () => {
  const rng = new Random(19);
  const size: Record<string, number> = { i: 6, j: 5, k: 7, l: 4, a: 9, b: 8, c: 11, d: 12 };
  const specs = ['ldkc,ilda->akic', 'kcld,ilda->akci', 'akic,kjbc->ijab', 'bkci,kjac->ijab', 'akcd,id->akic', 'kcld,ijcd->klij', 'akcd,ikcd->ia'];
  const cx = new Contractor();
  for (const spec of specs) {
    const { la, lb, a, b, outDims } = randomOperands(rng, spec, size);
    const work = [...new Set(la + lb)].reduce((p, ch) => p * size[ch], 1);
    assert.ok(work >= 32 * 32 * 32, `${spec} must reach the blocked kernel`);
    const expected = bruteForce(spec, a, b, outDims);
    for (const beta of [0, 1, -0.5]) {
      const start = randomTensor(rng, outDims);
      const c = { data: start.data.slice(), dims: outDims };
      cx.contract(spec, 1.5, a, b, beta, c);
      for (let x = 0; x < expected.length; x++) {
        assert.ok(Math.abs(c.data[x] - (beta * start.data[x] + 1.5 * expected[x])) < 1e-11, `${spec} beta ${beta} element ${x}`);
      }
    }
  }
});

test('gemm matches the plain triple loop for NN, NT and TN', () => {
  const rng = new Random(3);
  const m = 3;
  const n = 5;
  const k = 6;
  const a = Float64Array.from({ length: m * k }, () => rng.normal());
  const b = Float64Array.from({ length: k * n }, () => rng.normal());
  const expected = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) expected[i * n + j] += a[i * k + p] * b[p * n + j];
  const aT = new Float64Array(k * m);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) aT[p * m + i] = a[i * k + p];
  const bT = new Float64Array(n * k);
  for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bT[j * k + p] = b[p * n + j];
  for (const [ta, tb, aa, bb] of [
    [false, false, a, b],
    [false, true, a, bT],
    [true, false, aT, b],
  ] as const) {
    const c = new Float64Array(m * n).fill(1);
    gemm(ta, tb, m, n, k, 2, aa, bb, 1, c);
    for (let x = 0; x < m * n; x++) assert.ok(Math.abs(c[x] - (1 + 2 * expected[x])) < 1e-12);
  }
});

test('gemmBlocked equals a naive triple loop for all transpose combinations, ragged sizes and two threads', async () => {
  const { gemmBlocked, closeGemmPool } = await import('./cc-gemm.js');
  const rng = new Random(11);
  // Sizes straddle the 4×4 tile, the 64-row, 256-deep and 1024-wide blocks; the last is above the
  // 4·10⁷ multiply–adds from which the worker threads take part.
  const shapes: [number, number, number][] = [[1, 1, 1], [5, 3, 7], [67, 1029, 9], [130, 17, 260], [403, 70, 301], [522, 300, 258]];
  for (const [m, n, k] of shapes)
    for (const transA of [false, true])
      for (const transB of [false, true])
        for (const threads of [1, 2]) {
          const a = randomTensor(rng, [m * k]).data;
          const b = randomTensor(rng, [k * n]).data;
          const c = randomTensor(rng, [m * n]).data;
          const expected = c.slice();
          for (let i = 0; i < m; i++)
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
              expected[i * n + j] += -0.5 * s;
            }
          gemmBlocked(transA, transB, m, n, k, -0.5, a, b, c, threads);
          let err = 0;
          for (let x = 0; x < m * n; x++) err = Math.max(err, Math.abs(c[x] - expected[x]));
          assert.ok(err < 1e-11 * Math.sqrt(k), `${m}×${n}×${k} tA=${transA} tB=${transB} threads=${threads}: ${err}`);
        }
  closeGemmPool();
});

test('permuteAdd (blocked for transpose-like orders) equals element-wise relabelling for all 24 orders of a rank-4 tensor', () => {
  const rng = new Random(7);
  const dims = [17, 5, 33, 20];
  const src = randomTensor(rng, dims).data;
  const perms: number[][] = [];
  for (let a = 0; a < 4; a++)
    for (let b = 0; b < 4; b++)
      for (let c = 0; c < 4; c++)
        for (let d = 0; d < 4; d++) if (new Set([a, b, c, d]).size === 4) perms.push([a, b, c, d]);
  assert.equal(perms.length, 24);
  for (const perm of perms) {
    const outDims = perm.map((p) => dims[p]);
    const start = randomTensor(rng, outDims).data;
    for (const beta of [0, 0.5]) {
      const out = start.slice();
      permuteAdd(src, dims, perm, -1.5, beta, out);
      const idx = [0, 0, 0, 0];
      let x = 0;
      for (idx[0] = 0; idx[0] < outDims[0]; idx[0]++)
        for (idx[1] = 0; idx[1] < outDims[1]; idx[1]++)
          for (idx[2] = 0; idx[2] < outDims[2]; idx[2]++)
            for (idx[3] = 0; idx[3] < outDims[3]; idx[3]++, x++) {
              const s = [0, 0, 0, 0];
              for (let q = 0; q < 4; q++) s[perm[q]] = idx[q];
              const value = src[((s[0] * dims[1] + s[1]) * dims[2] + s[2]) * dims[3] + s[3]];
              assert.equal(out[x], beta * start[x] + -1.5 * value, `perm ${perm} beta ${beta} at ${idx}`);
            }
    }
  }
});
