import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { InputError } from './errors.js';
import { Worker } from 'node:worker_threads';
import { setThreadBudget, threadBudget, waitUntilAtLeast } from './threads.js';

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

test('waitUntilAtLeast: every handshake with a worker thread ends without a wait running out its limit', async () => {
  const cells = new Int32Array(new SharedArrayBuffer(8));
  // The worker echoes each generation of cell 0 into cell 1, storing then notifying, as pool workers do.
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
const cells = new Int32Array(workerData);
for (let seen = 0; ; ) {
  Atomics.wait(cells, 0, seen);
  const g = Atomics.load(cells, 0);
  if (g < 0) break;
  seen = g;
  Atomics.store(cells, 1, g);
  Atomics.notify(cells, 1);
}`,
    { eval: true, workerData: cells.buffer },
  );
  const limitMs = 60000;
  const handshakes = 5000;
  try {
    assert.equal(waitUntilAtLeast(cells, 1, 0, cells, 1, limitMs), true); // already reached: returns at once
    const t0 = performance.now();
    for (let g = 1; g <= handshakes; g++) {
      Atomics.store(cells, 0, g);
      Atomics.notify(cells, 0);
      assert.equal(waitUntilAtLeast(cells, 1, g, cells, 1, limitMs), true);
      assert.equal(Atomics.load(cells, 1), g);
    }
    // A lost wake-up would sleep a whole limit; 5000 handshakes take well under a second.
    assert.ok(performance.now() - t0 < limitMs, 'a wait ran out its limit: a wake-up was lost');
  } finally {
    Atomics.store(cells, 0, -1);
    Atomics.notify(cells, 0);
    await worker.terminate();
  }
});

test('waitUntilAtLeast gives up when no work item finishes for the limit, and not while items keep finishing', async () => {
  // one worker counted in, then stopped: nothing moves
  const stalled = new Int32Array(new SharedArrayBuffer(8));
  const t0 = performance.now();
  assert.equal(waitUntilAtLeast(stalled, 0, 1, stalled, 1, 300), false);
  assert.ok(performance.now() - t0 >= 300);
  // a slow worker: an item every 100 ms for 2.5 s, far past the 1 s limit, then done (its items do
  // not wake the wait, which looks at them when each 1 s wait runs out)
  const cells = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const cells = new Int32Array(workerData.cells);
     const pause = new Int32Array(new SharedArrayBuffer(4));
     for (let t = 0; t < 25; t++) { Atomics.wait(pause, 0, 0, 100); Atomics.add(cells, 1, 1); }
     Atomics.add(cells, 0, 1); Atomics.notify(cells, 0);`,
    { eval: true, workerData: { cells: cells.buffer } },
  );
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  await new Promise((resolve) => worker.once('online', resolve));
  const t1 = performance.now();
  assert.equal(waitUntilAtLeast(cells, 0, 1, cells, 1, 1000), true);
  assert.ok(performance.now() - t1 >= 2000, 'the wait outlasted the limit because items kept finishing');
  assert.equal(Atomics.load(cells, 1), 25);
  await exited;
  // a target already reached returns at once
  assert.equal(waitUntilAtLeast(cells, 0, 1, stalled, 1, 300), true);
});
