/**
 * Iterative phase estimation against independent full-CI energies (Psi4 1.3.2 detci,
 * test/fixtures/algorithms): the estimate must lie within its own stated resolution.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { readFcidump } from '../hamiltonian/fcidump.js';
import type { MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';
import { createEnergyEvaluator } from '../backends/adjoint.js';
import { StateVector } from '../backends/statevector.js';
import { buildQubitProblem, runVqe } from './molecular-vqe.js';
import { runPhaseEstimation } from './phase-estimation.js';

const FIXTURES = new URL('../../test/fixtures/algorithms/', import.meta.url);
const references = JSON.parse(readFileSync(new URL('references.json', FIXTURES), 'utf8')).entries as Record<string, { fci: number }>;
const load = (name: string): MolecularHamiltonian => readFcidump(new URL(`${name}.fcidump`, FIXTURES).pathname);

for (const [name, bits] of [
  ['h2_r0.74', 12],
  ['h2_r1.48', 12],
  ['lih_r1.5949', 10],
  ['lih_r1.5949', 14],
] as const) {
  test(`phase estimation on ${name} (${bits} bits, HF initial state) returns full CI within its resolution`, () => {
    const r = runPhaseEstimation({ hamiltonian: load(name), bits });
    const fci = references[name].fci;
    assert.ok(Math.abs(r.energyHartree - fci) <= r.resolutionHartree, `|E − FCI| = ${Math.abs(r.energyHartree - fci)} > ${r.resolutionHartree}`);
    // The window contains the ground state, so the phase does not wrap.
    assert.ok(r.spectrumBoundsHartree[0] <= fci && fci <= r.spectrumBoundsHartree[1]);
    assert.ok(r.phase >= 0 && r.phase < 1);
    assert.ok(r.trotterErrorHartree < r.bitResolutionHartree, `Trotter ${r.trotterErrorHartree} vs bit ${r.bitResolutionHartree} steps ${r.trotterSteps}`);
    // Bounded by the squared overlap of the HF state with the ground state (about 0.73 for stretched H2).
    assert.ok(r.successProbability > 0.25 && r.successProbability <= 1, `success probability ${r.successProbability}`);
    assert.equal(r.phaseBits.length, bits);
    assert.ok(r.controlledStepCircuit.twoQubitGates > 0);
  });
}

test('phase estimation from a VQE state succeeds with higher probability than from Hartree–Fock', async () => {
  const ham = load('h2_r1.48');
  const vqe = await runVqe({ hamiltonian: ham });
  const problem = buildQubitProblem({ hamiltonian: ham });
  const state = createEnergyEvaluator(problem.circuit, problem.hamiltonian).state(vqe.parameters);
  const fromVqe = runPhaseEstimation({ hamiltonian: ham, bits: 10, initialState: state });
  const fromHf = runPhaseEstimation({ hamiltonian: ham, bits: 10 });
  const fci = references['h2_r1.48'].fci;
  assert.ok(Math.abs(fromVqe.energyHartree - fci) <= fromVqe.resolutionHartree);
  assert.ok(fromVqe.successProbability > fromHf.successProbability);
  assert.ok(fromVqe.initialStateReturnAmplitude > 0.999999);
});

test('repeated Trotter evolution and dense repeated squaring give the same phase bits', () => {
  const ham = load('h2_r1.48');
  const a = runPhaseEstimation({ hamiltonian: ham, bits: 11, powerMethod: 'repeated' });
  const b = runPhaseEstimation({ hamiltonian: ham, bits: 11, powerMethod: 'squaring' });
  assert.deepEqual(a.phaseBits, b.phaseBits);
  assert.ok(Math.abs(a.successProbability - b.successProbability) < 1e-9);
});

test('phase estimation rejects an initial state outside the particle-number sector', () => {
  const ham = load('h2_r0.74');
  const re = new Float64Array(16);
  re[0b0111] = 1; // three electrons
  assert.throws(() => runPhaseEstimation({ hamiltonian: ham, initialState: StateVector.fromAmplitudes(re) }), InputError);
});
