/**
 * ADAPT-VQE against independent full-CI energies (Psi4 1.3.2 detci, test/fixtures/algorithms), at
 * equilibrium and at twice the equilibrium bond lengths.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConvergenceError } from '../core/errors.js';
import { readFcidump } from '../hamiltonian/fcidump.js';
import type { MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';
import { runAdaptVqe } from './adapt-vqe.js';

const FIXTURES = new URL('../../test/fixtures/algorithms/', import.meta.url);
const references = JSON.parse(readFileSync(new URL('references.json', FIXTURES), 'utf8')).entries as Record<string, { fci: number }>;
const load = (name: string): MolecularHamiltonian => readFcidump(new URL(`${name}.fcidump`, FIXTURES).pathname);

for (const name of ['h2_r0.74', 'h2_r1.48', 'lih_r1.5949', 'lih_r3.1898', 'h2o_scale1', 'h2o_scale2']) {
  test(`ADAPT-VQE (generalised fermionic pool) on ${name} is within 0.1 mHa of full CI`, () => {
    const r = runAdaptVqe({ hamiltonian: load(name) });
    const error = r.energyHartree - references[name].fci;
    assert.ok(error > -1e-9, `below full CI by ${-error}`);
    assert.ok(error < 1e-4, `above full CI by ${error} after ${r.iterations} operators`);
    assert.equal(r.operators.length, r.iterations);
    assert.equal(r.parameters.length, r.iterations);
    assert.ok(r.poolGradientNorm < 1e-3);
    assert.ok(r.sectorRestricted);
    // Energies decrease step by step (each re-optimisation starts from the previous optimum).
    for (let k = 1; k < r.steps.length; k++) assert.ok(r.steps[k].energyHartree <= r.steps[k - 1].energyHartree + 1e-10);
  });
}

test('ADAPT-VQE with the qubit pool on H2 reaches full CI; the operator sequence is reported', () => {
  const r = runAdaptVqe({ hamiltonian: load('h2_r1.48'), pool: 'qubit' });
  assert.ok(Math.abs(r.energyHartree - references['h2_r1.48'].fci) < 1e-8);
  assert.ok(r.operators.length >= 1);
  // Every qubit-pool string has an odd number of Y.
  for (const op of r.operators) assert.equal((op.match(/Y/g) ?? []).length % 2, 1, op);
});

test('ADAPT-VQE with the occupied→virtual fermionic pool on LiH, and with BK and parity mappings', () => {
  const ham = load('lih_r1.5949');
  const jw = runAdaptVqe({ hamiltonian: ham, pool: 'fermionic' });
  assert.ok(jw.energyHartree - references['lih_r1.5949'].fci < 1e-4);
  for (const mapping of ['bravyi-kitaev', 'parity'] as const) {
    const r = runAdaptVqe({ hamiltonian: ham, pool: 'fermionic', mapping });
    assert.ok(Math.abs(r.energyHartree - jw.energyHartree) < 1e-7, `${mapping}: ${r.energyHartree} vs ${jw.energyHartree}`);
  }
});

test('ADAPT-VQE raises ConvergenceError when maxOperators is reached above the threshold', () => {
  assert.throws(() => runAdaptVqe({ hamiltonian: load('lih_r1.5949'), maxOperators: 2 }), ConvergenceError);
});
