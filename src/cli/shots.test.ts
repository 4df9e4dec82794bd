import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQde } from './cli.test-util.js';

// Psi4 1.3.2 psi4.energy('fci') for examples/h2.xyz in STO-3G (see methods.test.ts)
const PSI4_H2_FCI = -1.1372701746571046;

test('--shots runs the quantum methods on the seeded shot backend and records it', async () => {
  const run = async (args: string[]) => {
    const r = await runQde(['energy', 'examples/h2.xyz', '--method', 'vqe', ...args, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Record<string, number>;
  };
  const exact = await run([]);
  assert.equal(exact.standardErrorHartree, 0);
  assert.equal(exact.shots, undefined, 'an exact estimate reports no shots');
  const sampled = await run(['--shots', '4000', '--seed', '3']);
  const se = sampled.standardErrorHartree!;
  assert.ok(se > 0, 'a sampled energy has a standard error');
  assert.equal((sampled as unknown as Record<string, string>).backend, 'shots');
  assert.ok(sampled.shots! >= 4000, `${sampled.shots} shots spent`);
  assert.ok(Math.abs(sampled.energyHartree! - PSI4_H2_FCI) < 4 * se + 1e-6, `${sampled.energyHartree} ± ${se}`);
  // same seed, same numbers
  assert.deepEqual({ ...(await run(['--shots', '4000', '--seed', '3'])), wallSeconds: 0 }, { ...sampled, wallSeconds: 0 });
  const fci = await runQde(['energy', 'examples/h2.xyz', '--method', 'fci', '--shots', '100']);
  assert.equal(fci.code, 2);
  assert.match(fci.stderr, /--shots applies to vqe, adapt-vqe, qpe, not fci/);
  const ladder = await runQde(['ladder', 'examples/h2.xyz', '--methods', 'hf,fci,vqe', '--shots', '4000', '--json']);
  assert.equal(ladder.code, 0, ladder.stderr);
  const rungs = (JSON.parse(ladder.stdout) as { rungs: { method: string; standardErrorHartree: number }[] }).rungs;
  assert.equal(rungs[1]!.standardErrorHartree, 0, 'classical rungs stay exact');
  assert.ok(rungs[2]!.standardErrorHartree > 0, 'the quantum rung is sampled');
});
