import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from './random.js';

test('same seed gives the same sequence, different seeds differ', () => {
  const a = new Random(42);
  const b = new Random(42);
  const c = new Random(43);
  const sa = Array.from({ length: 8 }, () => a.next());
  const sb = Array.from({ length: 8 }, () => b.next());
  const sc = Array.from({ length: 8 }, () => c.next());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
  for (const v of sa) assert.ok(v >= 0 && v < 1);
});

test('uniform deviates have mean 1/2 and normal deviates unit variance', () => {
  const r = new Random(7);
  let sum = 0;
  let sumSq = 0;
  const n = 200000;
  for (let i = 0; i < n; i++) sum += r.next();
  assert.ok(Math.abs(sum / n - 0.5) < 0.005);
  sum = 0;
  for (let i = 0; i < n; i++) {
    const g = r.normal();
    sum += g;
    sumSq += g * g;
  }
  assert.ok(Math.abs(sum / n) < 0.01);
  assert.ok(Math.abs(sumSq / n - 1) < 0.02);
});
