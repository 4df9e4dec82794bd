/** The adapt-vqe method keys 'pool: qeb' and 'maxTwoQubitGates' (energies: Psi4 RHF / FCI, test/fixtures/algorithms). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { readFcidump } from '../hamiltonian/fcidump.js';
import { runMethod } from './run-method.js';
import { resolveMethodSpec } from './spec.js';

const FIXTURES = new URL('../../test/fixtures/algorithms/', import.meta.url);
const references = JSON.parse(readFileSync(new URL('references.json', FIXTURES), 'utf8')).entries as Record<string, { fci: number; scf: number }>;

test('adapt-vqe spec: maxTwoQubitGates is validated, applies to adapt-vqe only, and is absent unless given', () => {
  const input = { kind: 'hamiltonian' } as const;
  assert.equal(resolveMethodSpec({ method: 'adapt-vqe', pool: 'qeb', maxTwoQubitGates: 40 }, input).maxTwoQubitGates, 40);
  assert.ok(!('maxTwoQubitGates' in resolveMethodSpec({ method: 'adapt-vqe' }, input)));
  assert.throws(() => resolveMethodSpec({ method: 'adapt-vqe', maxTwoQubitGates: -3 }, input), InputError);
  assert.throws(() => resolveMethodSpec({ method: 'vqe', maxTwoQubitGates: 40 }, input), /applies to adapt-vqe/);
});

test('adapt-vqe method with the qeb pool: full CI for H2, and the Hartree-Fock energy under a budget below one double', async () => {
  const ham = readFcidump(new URL('h2_r0.74.fcidump', FIXTURES).pathname);
  const full = await runMethod(ham, { method: 'adapt-vqe', pool: 'qeb' });
  assert.ok(Math.abs(full.energyHartree - references['h2_r0.74'].fci) < 1e-8);
  const capped = await runMethod(ham, { method: 'adapt-vqe', pool: 'qeb', maxTwoQubitGates: 12 });
  assert.ok(Math.abs(capped.energyHartree - references['h2_r0.74'].scf) < 1e-8);
});
