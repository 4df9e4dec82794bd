import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { InputError } from './errors.js';
import { setThreadBudget, threadBudget } from './threads.js';

test('thread budget: setter over QDE_THREADS over the core count; bad values refused', () => {
  const saved = process.env.QDE_THREADS;
  try {
    delete process.env.QDE_THREADS;
    setThreadBudget(undefined);
    assert.equal(threadBudget(), availableParallelism());
    process.env.QDE_THREADS = '3';
    assert.equal(threadBudget(), 3);
    setThreadBudget(1);
    assert.equal(threadBudget(), 1);
    setThreadBudget(undefined);
    assert.equal(threadBudget(), 3);
    process.env.QDE_THREADS = 'two';
    assert.throws(() => threadBudget(), InputError);
    process.env.QDE_THREADS = '0';
    assert.throws(() => threadBudget(), InputError);
    assert.throws(() => setThreadBudget(0), InputError);
    assert.throws(() => setThreadBudget(1.5), InputError);
  } finally {
    if (saved === undefined) delete process.env.QDE_THREADS;
    else process.env.QDE_THREADS = saved;
    setThreadBudget(undefined);
  }
});
