import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binomial } from './combinatorics.js';

/** Pascal's triangle in BigInt: the independent reference. */
function pascalRow(n: number): bigint[] {
  let row = [1n];
  for (let m = 1; m <= n; m++) {
    const next = [1n];
    for (let k = 1; k < m; k++) next.push(row[k - 1] + row[k]);
    next.push(1n);
    row = next;
  }
  return row;
}

test('binomial equals Pascal’s triangle exactly wherever the value is below 2^53', () => {
  for (const n of [0, 1, 5, 12, 30, 57, 62, 66]) {
    const row = pascalRow(n);
    for (let k = 0; k <= n; k++) {
      if (row[k] > BigInt(Number.MAX_SAFE_INTEGER)) continue;
      assert.equal(BigInt(binomial(n, k)), row[k], `C(${n}, ${k})`);
    }
  }
  // The largest central coefficients below 2^53, where a naive product would overflow.
  assert.equal(BigInt(binomial(56, 28)), pascalRow(56)[28]);
  assert.equal(binomial(5, -1), 0);
  assert.equal(binomial(5, 6), 0);
  // Above 2^53 a close floating-point value (relative error ~1e-15).
  const big = Number(pascalRow(100)[50]);
  assert.ok(Math.abs(binomial(100, 50) / big - 1) < 1e-13);
  assert.throws(() => binomial(4.5, 2), RangeError);
});
