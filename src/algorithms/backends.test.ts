/**
 * The quantum algorithms on interchangeable backends: the exact state vector and the shot sampler
 * with a SamplingEstimator. Shot results must agree with the exact ones within 3 standard errors
 * (seeded, so deterministic); the exact ones are checked against Psi4 full CI
 * (test/fixtures/algorithms/references.json). Parameter-shift gradients are checked against the
 * adjoint gradient and counted in estimator calls.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { adjointGradient } from '../backends/adjoint.js';
import { createEstimator } from '../backends/factory.js';
import type { Estimator } from '../backends/primitives.js';
import { ShotSamplingSimulator } from '../backends/sampling-simulator.js';
import { StateVectorSimulator } from '../backends/statevector-simulator.js';
import { Random } from '../core/random.js';
import { readFcidump } from '../hamiltonian/fcidump.js';
import type { MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';
import { runAdaptVqe } from './adapt-vqe.js';
import { buildQubitProblem, runVqe } from './molecular-vqe.js';
import { runPhaseEstimation } from './phase-estimation.js';
import { parameterShiftGradient } from './vqe.js';

const FIXTURES = new URL('../../test/fixtures/algorithms/', import.meta.url);
const references = JSON.parse(readFileSync(new URL('references.json', FIXTURES), 'utf8')).entries as Record<string, { fci: number }>;
const load = (name: string): MolecularHamiltonian => readFcidump(new URL(`${name}.fcidump`, FIXTURES).pathname);

/** Forwards run() to an estimator and counts the calls (it has no exact-gradient capability). */
function counting(inner: Estimator): Estimator & { calls: number } {
  const wrapper = {
    kind: 'estimator' as const,
    info: inner.info,
    seed: inner.seed,
    calls: 0,
    run: (...args: Parameters<Estimator['run']>) => {
      wrapper.calls++;
      return inner.run(...args);
    },
  };
  return wrapper;
}

test('a parameter-shift gradient of N parameters is one estimator call and equals the adjoint gradient', async () => {
  const rng = new Random(31);
  for (const [ansatz, layers] of [
    ['uccsd', 1],
    ['hea', 2],
  ] as const) {
    const problem = buildQubitProblem({ hamiltonian: load('h2_r1.48'), ansatz, layers });
    const n = problem.circuit.nParameters;
    assert.ok(n >= 3);
    const x = Float64Array.from({ length: n }, () => rng.uniform(-0.8, 0.8));
    const estimator = counting(new StateVectorSimulator());
    const shift = await parameterShiftGradient(estimator, problem.hamiltonian, problem.circuit, x);
    assert.equal(estimator.calls, 1, `${ansatz}: ${estimator.calls} calls`);
    const adjoint = adjointGradient(problem.circuit, problem.hamiltonian, x);
    assert.ok(Math.abs(shift.energy.value - adjoint.energy) < 1e-12);
    for (let p = 0; p < n; p++) {
      assert.ok(Math.abs(shift.gradient[p] - adjoint.gradient[p]) < 1e-8, `${ansatz} ∂E/∂θ${p}: ${shift.gradient[p]} vs ${adjoint.gradient[p]}`);
      assert.equal(shift.gradientStandardError[p], 0);
    }
  }
});

const within3 = (shot: { energyHartree: number; standardErrorHartree: number }, exact: number, what: string): void => {
  assert.ok(shot.standardErrorHartree > 0, `${what}: no standard error`);
  assert.ok(
    Math.abs(shot.energyHartree - exact) <= 3 * shot.standardErrorHartree,
    `${what}: ${shot.energyHartree} ± ${shot.standardErrorHartree} vs exact ${exact}`,
  );
};

test('VQE on H2: exact state vector and shot sampler agree within 3 standard errors', async () => {
  const ham = load('h2_r0.74');
  const exact = await runVqe({ hamiltonian: ham });
  assert.ok(Math.abs(exact.energyHartree - references['h2_r0.74'].fci) < 1e-8);
  assert.equal(exact.backend.name, 'statevector');
  assert.equal(exact.shots, 0);
  assert.equal(exact.seed, null);
  const backend = counting(createEstimator({ name: 'shots', shots: 100000, seed: 17 }));
  const shots = await runVqe({ hamiltonian: ham, backend });
  within3(shots, exact.energyHartree, 'VQE');
  assert.equal(shots.gradientMethod, 'parameter-shift');
  assert.equal(shots.backend.name, 'shots');
  assert.equal(shots.backend.shots, 100000);
  assert.equal(shots.seed, 17);
  // One estimator call per optimiser evaluation (a whole stencil each) plus the final estimate.
  assert.equal(backend.calls, shots.evaluations + 1);
  assert.ok(shots.shots >= 100000 * backend.calls * 0.99, `${shots.shots} shots`);
  const again = await runVqe({ hamiltonian: ham, backend: createEstimator({ name: 'shots', shots: 100000, seed: 17 }) });
  assert.equal(again.energyHartree, shots.energyHartree);
});

test('ADAPT-VQE on H2: exact and measured pool gradients agree within 3 standard errors', async () => {
  const ham = load('h2_r0.74');
  const exact = runAdaptVqe({ hamiltonian: ham, pool: 'fermionic' });
  assert.ok(Math.abs(exact.energyHartree - references['h2_r0.74'].fci) < 1e-7);
  assert.equal(exact.backend.name, 'statevector');
  const backend = createEstimator({ name: 'shots', shots: 20000, seed: 23 });
  const shots = await runAdaptVqe({ hamiltonian: ham, pool: 'fermionic', backend });
  within3(shots, exact.energyHartree, 'ADAPT-VQE');
  // The double excitation carries the correlation; the singles have zero gradient by symmetry.
  assert.deepEqual(shots.operators, exact.operators);
  assert.equal(shots.backend.name, 'shots');
  assert.equal(shots.seed, 23);
  assert.ok(shots.shots > 0 && shots.estimatorCalls > 0);
  assert.equal(shots.sectorRestricted, false);
});

test('phase estimation on H2: sampled rounds give the exact bits; the bit count follows the target resolution', async () => {
  const ham = load('h2_r0.74');
  const fci = references['h2_r0.74'].fci;
  const exact = runPhaseEstimation({ hamiltonian: ham, bits: 8 });
  assert.ok(Math.abs(exact.energyHartree - fci) <= exact.resolutionHartree);
  assert.equal(exact.backend.name, 'statevector');
  assert.equal(exact.targetResolutionHartree, null);
  // A simulator of the exact state samples a one-qubit circuit with each round's ancilla distribution.
  const sampler = new ShotSamplingSimulator({ shots: 200, seed: 5 });
  const sampled = await runPhaseEstimation({ hamiltonian: ham, bits: 8, backend: sampler });
  // Each bit is a majority over 200 shots; the HF state of H2 overlaps the ground state by ~0.99,
  // so every round's majority is the exact simulation's more probable outcome.
  assert.deepEqual(sampled.phaseBits, exact.phaseBits);
  assert.equal(sampled.energyHartree, exact.energyHartree);
  assert.equal(sampled.shots, 8 * 200);
  assert.equal(sampled.seed, 5);
  assert.equal(sampled.backend.name, 'shots');
  // Any other sampler gets the gate-level round circuits (controlled Trotter steps on 4 + 1 qubits).
  const gateLevel = { kind: 'sampler' as const, info: sampler.info, seed: 6, run: new ShotSamplingSimulator({ shots: 400, seed: 6 }).run.bind(new ShotSamplingSimulator({ shots: 400, seed: 6 })) };
  const viaGates = await runPhaseEstimation({ hamiltonian: ham, bits: 8, backend: gateLevel });
  assert.deepEqual(viaGates.phaseBits, exact.phaseBits);
  // Fresh-state round frequencies against the exact (collapsed) probabilities: the HF state is
  // nearly an eigenstate, so they agree within shot noise (binomial σ ≤ 0.025 at 400 shots).
  viaGates.bitProbabilities.forEach((p, k) => assert.ok(Math.abs(p - exact.bitProbabilities[k]) < 0.1, `bit ${k + 1}: ${p} vs ${exact.bitProbabilities[k]}`));
  // The shot estimator's own sampler runs the rounds.
  const viaEstimator = await runPhaseEstimation({ hamiltonian: ham, bits: 8, backend: createEstimator({ name: 'shots', shots: 200, seed: 5 }) });
  assert.deepEqual(viaEstimator.phaseBits, exact.phaseBits);
  // LiH at the default resolution on the shot sampler: within the stated resolution of full CI.
  const lih = await runPhaseEstimation({ hamiltonian: load('lih_r1.5949'), backend: new ShotSamplingSimulator({ shots: 500, seed: 8 }) });
  assert.ok(Math.abs(lih.energyHartree - references['lih_r1.5949'].fci) <= lih.resolutionHartree, `${lih.energyHartree - references['lih_r1.5949'].fci} vs ${lih.resolutionHartree}`);
  // Default: the fewest bits whose stated resolution reaches 1.6 mEh.
  const chosen = runPhaseEstimation({ hamiltonian: ham });
  assert.equal(chosen.targetResolutionHartree, 1.6e-3);
  assert.ok(chosen.resolutionHartree <= 1.6e-3, `${chosen.resolutionHartree}`);
  const fewer = runPhaseEstimation({ hamiltonian: ham, bits: chosen.bits - 1 });
  assert.ok(1.25 * fewer.bitResolutionHartree > 1.6e-3);
  assert.ok(Math.abs(chosen.energyHartree - fci) <= chosen.resolutionHartree);
});
