/**
 * Long runs must not pile listeners onto the process streams: FCI runs back to back (each with its
 * own σ worker threads) and campaign progress bars made and stopped phase after phase leave the
 * 'error' listener counts of stdout and stderr, and the SIGINT/SIGTERM handlers, as they found them.
 * Node prints MaxListenersExceededWarning once more than ten pile up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { readXyzFile } from '../chem/index.js';
import { runFci } from '../classical/index.js';
import { terminalProgress } from '../dataset/index.js';
import { buildMolecularHamiltonian } from '../methods/index.js';

function streamListeners(): number[] {
  return [process.stdout.listenerCount('error'), process.stderr.listenerCount('error'), process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
}

test('twelve threaded FCI runs in one turn of the event loop add no listeners to stdout or stderr', () => {
  const { ham } = buildMolecularHamiltonian(readXyzFile('examples/h6.xyz'), { basis: 'sto-3g' });
  const before = streamListeners();
  let threads = 0;
  // no await between the runs: the event loop never turns, as in an experiment's labelling loop
  for (let k = 0; k < 12; k++) threads = Math.max(threads, runFci(ham, { threads: 2 }).threads);
  assert.equal(threads, 2, 'the σ products ran on a worker thread');
  assert.deepEqual(streamListeners(), before);
});

test('forty progress phases on a terminal leave the stream and the process handlers as they were', () => {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 100 }) as unknown as NodeJS.WriteStream;
  stream.on('data', () => {});
  const before = [...streamListeners(), stream.listenerCount('error')];
  for (let phase = 0; phase < 40; phase++) {
    const progress = terminalProgress(stream);
    progress.start(new Map([['hf', { total: 3, done: 0 }], ['fci', { total: 2, done: 1 }]]));
    progress.update('hf', 1, 0);
    progress.update('fci', 2, 1);
    progress.stop();
  }
  assert.deepEqual([...streamListeners(), stream.listenerCount('error')], before);
});
