/**
 * Molecular VQE against independent full-CI energies (Psi4 1.3.2 detci, test/fixtures/algorithms).
 * Hamiltonians come either from the qde pipeline on the shipped examples (examples/*.xyz → STO-3G →
 * RHF → molecularHamiltonianFromScf, frozen core for N2) or from Psi4-written FCIDUMPs of the
 * fixture geometries; references.json holds Psi4's energies at exactly those geometries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { StateVectorSimulator } from '../backends/statevector-simulator.js';
import type { Estimator } from '../backends/primitives.js';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { readXyzFile } from '../chem/xyz.js';
import { readFcidump } from '../hamiltonian/fcidump.js';
import { molecularHamiltonianFromScf } from '../hamiltonian/mo-hamiltonian.js';
import type { MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';
import { runRhf } from '../scf/scf.js';
import { runVqe } from './molecular-vqe.js';

const FIXTURES = new URL('../../test/fixtures/algorithms/', import.meta.url);
const EXAMPLES = new URL('../../examples/', import.meta.url);
const references = JSON.parse(readFileSync(new URL('references.json', FIXTURES), 'utf8')).entries as Record<
  string,
  { fci: number; scf?: number }
>;
const load = (name: string): MolecularHamiltonian => readFcidump(new URL(`${name}.fcidump`, FIXTURES).pathname);

/** STO-3G RHF Hamiltonian of a shipped example through the qde pipeline. */
function exampleHamiltonian(name: string, frozenCore: boolean): MolecularHamiltonian {
  const molecule = readXyzFile(new URL(`${name}.xyz`, EXAMPLES).pathname);
  const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary('sto-3g')));
  return molecularHamiltonianFromScf(scf, { frozenCore });
}

/** Chemical accuracy, the VQE-UCCSD requirement at equilibrium. */
const ACCURACY_HARTREE = 1.6e-3;

test('VQE-UCCSD on H2 (STO-3G, 0.74 Å) equals full CI to 1e-8', async () => {
  const r = await runVqe({ hamiltonian: load('h2_r0.74') });
  assert.ok(Math.abs(r.energyHartree - references['h2_r0.74'].fci) < 1e-8, `${r.energyHartree}`);
  assert.ok(Math.abs(r.referenceEnergyHartree - references['h2_r0.74'].scf!) < 1e-9);
  assert.equal(r.qubits, 4);
  assert.equal(r.standardErrorHartree, 0);
  assert.equal(r.converged, true);
  assert.ok(r.circuit.twoQubitGates > 0 && r.circuit.depth > 0);
});

for (const [example, reference] of [
  ['h2', 'h2_example'],
  ['lih', 'lih_r1.5949'],
  ['h2o', 'h2o_example'],
  ['beh2', 'beh2_example'],
] as const) {
  test(`VQE-UCCSD on examples/${example}.xyz (pipeline) is variational and within 1.6 mHa of Psi4 full CI`, async () => {
    const r = await runVqe({ hamiltonian: exampleHamiltonian(example, false) });
    const error = r.energyHartree - references[reference].fci;
    assert.ok(error > -1e-9, `below full CI by ${-error}`);
    assert.ok(error < ACCURACY_HARTREE, `above full CI by ${error}`);
    assert.ok(Math.abs(r.referenceEnergyHartree - references[reference].scf!) < 1e-7, 'HF reference energy');
  });
}

// UCCSD for N2 misses the 1.6 mHa target: one Trotter step (singles or doubles first, shuffled
// orders, zero or MP2 start, spin-orbital or spin-adapted generators) and two or four Trotter steps of
// the same generators all stop about 2.1 mHa above full CI, i.e. the limit of the UCCSD manifold
// itself. Only the variational bound and most of the correlation energy are asserted here.
test('VQE-UCCSD on examples/n2.xyz with a frozen core (pipeline) is variational and recovers 98% of the correlation energy', async () => {
  const ham = exampleHamiltonian('n2', true);
  assert.equal(ham.nOrbitals, 8);
  const r = await runVqe({ hamiltonian: ham });
  const fci = references.n2_fc.fci;
  const correlation = fci - references.n2.scf!;
  const error = r.energyHartree - fci;
  assert.ok(Math.abs(r.referenceEnergyHartree - references.n2.scf!) < 1e-7, 'HF reference energy');
  assert.ok(error > -1e-9, `below full CI by ${-error}`);
  assert.ok(error < 0.02 * -correlation, `above full CI by ${error} of ${correlation}`);
});

test('two-layer UCCSD (k-UCCSD, k = 2) on examples/n2.xyz with a frozen core is within 1.6 mHa of Psi4 full CI', async () => {
  const r = await runVqe({ hamiltonian: exampleHamiltonian('n2', true), layers: 2 });
  const error = r.energyHartree - references.n2_fc.fci;
  assert.equal(r.parameterCount, 630);
  assert.ok(error > -1e-9, `below full CI by ${-error}`);
  assert.ok(error < ACCURACY_HARTREE, `above full CI by ${error}`);
});

test('VQE-UCCSD on LiH agrees across mappings, tapering and full/sector simulation', async () => {
  const ham = load('lih_r1.5949');
  const base = await runVqe({ hamiltonian: ham });
  const variants = [
    { mapping: 'bravyi-kitaev' as const },
    { mapping: 'parity' as const },
    { taper: true },
    { mapping: 'parity' as const, taper: true },
    { mapping: 'bravyi-kitaev' as const, taper: true },
  ];
  for (const v of variants) {
    const r = await runVqe({ hamiltonian: ham, ...v });
    assert.ok(Math.abs(r.energyHartree - base.energyHartree) < 1e-8, `${JSON.stringify(v)}: ${r.energyHartree} vs ${base.energyHartree}`);
    if (v.taper) assert.ok(r.qubits < 12 && r.tapered, `tapered to ${r.qubits} qubits`);
  }
  // Full-register simulation (no sector restriction) gives the same optimum.
  const h2 = load('h2_r1.48');
  const sector = await runVqe({ hamiltonian: h2 });
  const full = await runVqe({ hamiltonian: h2, useSector: false });
  assert.equal(full.gradientMethod, 'adjoint');
  assert.equal(sector.gradientMethod, 'sector-adjoint');
  assert.equal(full.backend.name, 'statevector');
  assert.ok(Math.abs(full.energyHartree - references['h2_r1.48'].fci) < 1e-8);
  assert.ok(Math.abs(sector.energyHartree - full.energyHartree) < 1e-10);
});

test('spin-adapted UCCSD, k-UpCCGSD and the hardware-efficient ansatz on H2 reach full CI', async () => {
  const ham = load('h2_r0.74');
  const fci = references['h2_r0.74'].fci;
  for (const ansatz of ['uccsd-singlet', 'kupccgsd'] as const) {
    const r = await runVqe({ hamiltonian: ham, ansatz });
    assert.ok(Math.abs(r.energyHartree - fci) < 1e-8, `${ansatz}: ${r.energyHartree - fci}`);
  }
  const hea = await runVqe({ hamiltonian: ham, ansatz: 'hea', layers: 2, randomInitialScale: 0.1, seed: 3 });
  assert.ok(hea.energyHartree - fci > -1e-9 && hea.energyHartree - fci < 1e-6, `hea: ${hea.energyHartree - fci}`);
});

test('VQE through an estimator without exact gradients: one estimator call per parameter-shift gradient', async () => {
  const simulator = new StateVectorSimulator();
  let calls = 0;
  // A wrapper that forwards run() only, so it lacks the exact-gradient capability.
  const backend: Estimator = {
    kind: 'estimator',
    info: { ...simulator.info, name: 'counting-estimator' },
    run: (pubs, options) => {
      calls++;
      return simulator.run(pubs, options);
    },
  };
  const r = await runVqe({ hamiltonian: load('h2_r0.74'), taper: true, backend, gradientTolerance: 1e-7 });
  assert.equal(r.backend.name, 'counting-estimator');
  assert.equal(r.gradientMethod, 'parameter-shift');
  // One call per optimiser evaluation plus the final estimate.
  assert.equal(calls, r.evaluations + 1);
  assert.equal(r.estimatorCalls, calls);
  assert.ok(Math.abs(r.energyHartree - references['h2_r0.74'].fci) < 1e-8);
});

test('k-UCCSD: a second layer of independent amplitudes lowers LiH toward full CI and stays variational', async () => {
  const ham = exampleHamiltonian('lih', false);
  const one = await runVqe({ hamiltonian: ham });
  const two = await runVqe({ hamiltonian: ham, layers: 2 });
  assert.equal(two.parameterCount, 2 * one.parameterCount);
  const fci = references['lih_r1.5949'].fci;
  assert.ok(two.energyHartree > fci - 1e-9, `below full CI by ${fci - two.energyHartree}`);
  assert.ok(two.energyHartree < one.energyHartree - 1e-7, `two layers ${two.energyHartree} vs one ${one.energyHartree}`);
  await assert.rejects(() => runVqe({ hamiltonian: ham, layers: 0 }), /layers must be a positive integer/);
});
