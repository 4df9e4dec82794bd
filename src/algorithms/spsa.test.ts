/**
 * SPSA: convergence on a noisy quadratic with a known minimiser, the budget stopping rules, and
 * sampled VQE on H2 (STO-3G, 0.74 Å) against Psi4's full CI (test/fixtures/algorithms).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createEstimator } from '../backends/factory.js';
import { StateVectorSimulator } from '../backends/statevector-simulator.js';
import { Random } from '../core/random.js';
import { readFcidump } from '../hamiltonian/fcidump.js';
import { buildQubitProblem, runVqe } from './molecular-vqe.js';
import { derivedSeed, minimizeSpsa } from './spsa.js';

const FIXTURES = new URL('../../test/fixtures/algorithms/', import.meta.url);
const references = JSON.parse(readFileSync(new URL('references.json', FIXTURES), 'utf8')).entries as Record<string, { fci: number }>;

const TARGET = [0.3, -0.7, 1.1, 0.05];

/** f(x) = Σ w_i (x_i − t_i)² plus Gaussian noise of standard deviation sigma; 100 "shots" per point. */
function noisyQuadratic(sigma: number, seed: number) {
  const rng = new Random(seed);
  return async (points: readonly Float64Array[]) => ({
    values: points.map((x) => {
      let f = 0;
      for (let i = 0; i < x.length; i++) f += (i + 1) * (x[i] - TARGET[i]) ** 2;
      return f + sigma * rng.normal();
    }),
    shots: 100 * points.length,
  });
}

test('SPSA finds the minimiser of a noisy quadratic (averaged iterates) and is reproducible by seed', async () => {
  const run = () => minimizeSpsa(noisyQuadratic(0.01, 3), new Float64Array(4), { maxIterations: 1000, seed: 9, c: 0.2 });
  const r = await run();
  assert.equal(r.reason, 'max-iterations');
  assert.equal(r.iterations, 1000);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(r.x[i] - TARGET[i]) < 0.02, `x${i} = ${r.x[i]}`);
  const again = await run();
  assert.deepEqual(Array.from(again.x), Array.from(r.x));
});

test('SPSA stops before an iteration would exceed the shot budget; calibration counts', async () => {
  // Calibration: 5 perturbations × 2 points × 100 shots = 1000; each iteration 200 more.
  const r = await minimizeSpsa(noisyQuadratic(0.01, 4), new Float64Array(4), { maxShots: 10_000, maxIterations: 1000 });
  assert.equal(r.reason, 'shot-budget');
  assert.equal(r.iterations, 45);
  assert.equal(r.shots, 10_000);
  assert.equal(r.evaluations, 10 + 90);
  await assert.rejects(minimizeSpsa(noisyQuadratic(0, 1), [0], { c: -1 }), /c must be a positive/);
});

test('derived seeds are distinct per stream and differ from the base seed', () => {
  const seeds = new Set([5, derivedSeed(5, 0), derivedSeed(5, 1), derivedSeed(5, 2), derivedSeed(6, 1)]);
  assert.equal(seeds.size, 5);
});

test('VQE with SPSA on H2 with shots reaches full CI within 3 standard errors + a 1.6 mEh bias bound', async () => {
  const hamiltonian = readFcidump(new URL('h2_r0.74.fcidump', FIXTURES).pathname);
  const backend = createEstimator({ name: 'shots', shots: 4000, seed: 21 });
  const r = await runVqe({ hamiltonian, backend, optimizerMethod: 'spsa', spsa: { maxIterations: 150 }, finalShots: 200_000 });
  const fci = references['h2_r0.74'].fci;
  assert.equal(r.optimizer, 'spsa');
  assert.equal(r.gradientMethod, 'spsa');
  assert.ok(r.standardErrorHartree > 0 && r.standardErrorHartree < 2e-3, `${r.standardErrorHartree}`);
  assert.ok(
    Math.abs(r.energyHartree - fci) <= 3 * r.standardErrorHartree + 1.6e-3,
    `${r.energyHartree} ± ${r.standardErrorHartree} vs ${fci}`,
  );
  // The bias alone: the exact energy at SPSA's parameters is within chemical accuracy of full CI.
  const problem = buildQubitProblem({ hamiltonian });
  const [exact] = await new StateVectorSimulator().run([{ circuit: problem.circuit, observable: problem.hamiltonian, parameterSets: [r.parameters] }]).result();
  const bias = exact.estimates[0].value - fci;
  assert.ok(bias > -1e-9 && bias < 1.6e-3, `bias ${bias}`);
  // 150 iterations of 2 energies + 5 calibration pairs at 4000 shots, then the final estimate.
  assert.equal(r.shots, (2 * 150 + 10) * 4000 + 200_000);
  assert.equal(r.estimatorCalls, 150 + 1 + 1);
  assert.equal(r.rawEnergyHartree, r.energyHartree);
});
