/**
 * QEB-ADAPT-VQE and the two-qubit-gate budget, against independent full-CI and RHF energies (Psi4
 * 1.3.2, test/fixtures/algorithms) and the CNOT counts of the qubit-excitation circuits (2 per
 * single, 13 per double; Yordanov et al., Phys. Rev. A 102, 062612 (2020)).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { readFcidump } from '../hamiltonian/fcidump.js';
import type { MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';
import { StateVectorSimulator, createEstimator, estimate } from '../backends/index.js';
import { compiledGateCounts, decompose, optimizeCircuit } from '../circuits/index.js';
import { runAdaptVqe, type AdaptVqeResult } from './adapt-vqe.js';
import { mapMolecule } from './molecular-vqe.js';

const FIXTURES = new URL('../../test/fixtures/algorithms/', import.meta.url);
const references = JSON.parse(readFileSync(new URL('references.json', FIXTURES), 'utf8')).entries as Record<string, { fci: number; scf: number }>;
const load = (name: string): MolecularHamiltonian => readFcidump(new URL(`${name}.fcidump`, FIXTURES).pathname);

/** Upper bound on the CNOTs of a QEB circuit from the paper's counts (the optimiser may only remove gates). */
function qebCnotBound(r: AdaptVqeResult): number {
  let bound = 0;
  for (const op of r.operators) bound += op.split('<-')[1].trim().split(' ').length === 1 ? 2 : 13;
  return bound;
}

/** ⟨H⟩ of the reported final circuit at the reported parameters, on the exact simulator. */
async function finalCircuitEnergy(ham: MolecularHamiltonian, r: AdaptVqeResult): Promise<number> {
  const { hamiltonian } = mapMolecule(ham);
  const [res] = await estimate(new StateVectorSimulator(), [{ circuit: r.finalCircuit, observable: hamiltonian, parameterSets: [r.parameters] }]);
  return res.estimates[0].value;
}

for (const name of ['h2_r0.74', 'h2_r1.48', 'lih_r1.5949']) {
  test(`QEB-ADAPT on ${name} reaches full CI within 1.6 mEh with fewer CNOTs than fermionic ADAPT`, async () => {
    const ham = load(name);
    const fci = references[name].fci;
    const qeb = runAdaptVqe({ hamiltonian: ham, pool: 'qeb' });
    assert.ok(qeb.energyHartree > fci - 1e-9, `below full CI by ${fci - qeb.energyHartree}`);
    assert.ok(qeb.energyHartree - fci < 1.6e-3, `above full CI by ${qeb.energyHartree - fci}`);
    assert.equal(qeb.stoppedBy, 'gradient-threshold');
    assert.ok(qeb.sectorRestricted);
    // The compact circuits prepare the state the exact route optimised.
    assert.ok(Math.abs((await finalCircuitEnergy(ham, qeb)) - qeb.energyHartree) < 1e-9);
    assert.ok(qeb.compiledGates.twoQubit <= qebCnotBound(qeb));
    assert.ok(qeb.compiledGates.twoQubit >= 1);
    for (const pool of ['fermionic', 'fermionic-generalized'] as const) {
      const f = runAdaptVqe({ hamiltonian: ham, pool });
      assert.ok(qeb.compiledGates.twoQubit < f.compiledGates.twoQubit, `${pool}: ${f.compiledGates.twoQubit} vs qeb ${qeb.compiledGates.twoQubit}`);
    }
  });
}

test('two-qubit budget: the compiled circuit stays within it and the energy stays variational', () => {
  const name = 'lih_r1.5949';
  const fci = references[name].fci;
  for (const pool of ['qeb', 'fermionic'] as const) {
    const r = runAdaptVqe({ hamiltonian: load(name), pool, maxTwoQubitGates: 60 });
    assert.equal(r.stoppedBy, 'two-qubit-budget');
    assert.equal(r.maxTwoQubitGates, 60);
    assert.ok(r.compiledGates.twoQubit <= 60);
    assert.ok(compiledGateCounts(optimizeCircuit(decompose(r.finalCircuit))).twoQubit <= 60);
    assert.ok(r.energyHartree >= fci - 1e-9);
    assert.ok(r.energyHartree < references[name].scf - 1e-4, `${pool}: no correlation energy recovered`);
  }
  // Below one double (13 CNOTs) on H2 nothing fits: the Hartree–Fock energy, zero operators.
  const h2 = runAdaptVqe({ hamiltonian: load('h2_r0.74'), pool: 'qeb', maxTwoQubitGates: 12 });
  assert.equal(h2.iterations, 0);
  assert.equal(h2.stoppedBy, 'two-qubit-budget');
  assert.ok(Math.abs(h2.energyHartree - references['h2_r0.74'].scf) < 1e-8);
  assert.throws(() => runAdaptVqe({ hamiltonian: load('h2_r0.74'), maxTwoQubitGates: -1 }), InputError);
});

test('QEB-ADAPT on the noisy aria-1 backend completes and reports compiled and native gate counts', async () => {
  const backend = createEstimator({ name: 'noisy', device: 'aria-1', shots: 400, seed: 3 });
  const r = await runAdaptVqe({ hamiltonian: load('h2_r0.74'), pool: 'qeb', backend, maxOperators: 2, maxTwoQubitGates: 26 });
  assert.ok(Number.isFinite(r.energyHartree) && r.standardErrorHartree > 0);
  assert.ok(r.shots > 0 && r.estimatorCalls > 0);
  assert.ok(r.compiledGates.twoQubit <= 26 && r.compiledGates.twoQubit <= qebCnotBound(r));
  assert.ok(r.nativeGates !== null);
  assert.equal(r.nativeGates.device, 'aria');
  // IonQ's CNOT is one MS gate; binding the parameters can only let the optimiser remove more.
  assert.ok(r.nativeGates.twoQubit <= r.compiledGates.twoQubit);
  assert.equal(r.iterations, r.operators.length);
});

test('tapered ADAPT: fewer qubits, the same energies, full CI within 1.6 mEh', () => {
  const name = 'lih_r1.5949';
  const ham = load(name);
  const fci = references[name].fci;
  for (const pool of ['qeb', 'fermionic'] as const) {
    const plain = runAdaptVqe({ hamiltonian: ham, pool });
    const tapered = runAdaptVqe({ hamiltonian: ham, pool, taper: true });
    assert.equal(plain.qubits, 12);
    assert.ok(tapered.tapered && tapered.qubits < 12 && tapered.droppedGenerators > 0);
    assert.ok(Math.abs(tapered.energyHartree - plain.energyHartree) < 1e-6, `${pool}: ${tapered.energyHartree} vs ${plain.energyHartree}`);
  }
  const qubit = runAdaptVqe({ hamiltonian: ham, pool: 'qubit', taper: true });
  assert.ok(qubit.energyHartree > fci - 1e-9 && qubit.energyHartree - fci < 1.6e-3, `qubit pool: ${qubit.energyHartree - fci}`);
});
