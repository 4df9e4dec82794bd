import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from './main.js';

async function runWithFailingStdout(): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await main(['energy', 'examples/h2.xyz'], {
    stdout: () => {
      throw new Error('stdout closed');
    },
    stderr: (s) => {
      stderr += s;
    },
  });
  return { code, stderr };
}

test('an unexpected error → exit 1, one line without a stack trace; the stack only with QDE_DEBUG=1', async () => {
  const saved = process.env.QDE_DEBUG;
  try {
    delete process.env.QDE_DEBUG;
    const quiet = await runWithFailingStdout();
    assert.equal(quiet.code, 1);
    assert.equal(quiet.stderr, 'qde: internal error: stdout closed (set QDE_DEBUG=1 for details)\n');
    process.env.QDE_DEBUG = '1';
    const debug = await runWithFailingStdout();
    assert.equal(debug.code, 1);
    assert.match(debug.stderr, /^qde: internal error: stdout closed\n/);
    assert.match(debug.stderr, /\n\s+at /);
  } finally {
    if (saved === undefined) delete process.env.QDE_DEBUG;
    else process.env.QDE_DEBUG = saved;
  }
});
