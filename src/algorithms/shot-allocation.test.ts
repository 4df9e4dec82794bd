/**
 * Shot allocation of the SamplingEstimator, checked statistically against exact energies:
 * H2 (STO-3G, 1.48 Å) at the exact VQE-UCCSD optimum, whose energy is Psi4's full CI
 * (test/fixtures/algorithms/references.json), and LiH (STO-3G, 12 qubits) in a hardware-efficient
 * state whose exact energy is the state-vector expectation value (a separate code path from the
 * grouping and sampling under test). Over 100 seeds the stated standard error must cover the exact
 * energy in 60–76 % of runs at 1σ (68.3 % expected) and in ≥ 90 % at 2σ (95.4 %); the error must fall
 * as shots^−1/2; Neyman allocation must beat uniform allocation at equal shots.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { EstimatorPub } from '../backends/primitives.js';
import { allocateShots, SamplingEstimator, type ShotAllocation } from '../backends/sampling-estimator.js';
import { ShotSamplingSimulator } from '../backends/sampling-simulator.js';
import { StateVectorSimulator } from '../backends/statevector-simulator.js';
import { Random } from '../core/random.js';
import { readFcidump } from '../hamiltonian/fcidump.js';
import { buildQubitProblem, runVqe } from './molecular-vqe.js';
import { CachedExactSampler } from './sampling.test-util.js';

const FIXTURES = new URL('../../test/fixtures/algorithms/', import.meta.url);
const references = JSON.parse(readFileSync(new URL('references.json', FIXTURES), 'utf8')).entries as Record<string, { fci: number }>;
const load = (name: string) => readFcidump(new URL(`${name}.fcidump`, FIXTURES).pathname);

interface Case {
  pub: EstimatorPub;
  exact: number;
}

async function h2Case(): Promise<Case> {
  const ham = load('h2_r1.48');
  const vqe = await runVqe({ hamiltonian: ham });
  const problem = buildQubitProblem({ hamiltonian: ham });
  return { pub: { circuit: problem.circuit, observable: problem.hamiltonian, parameterSets: [vqe.parameters] }, exact: references['h2_r1.48'].fci };
}

async function lihCase(): Promise<Case> {
  const problem = buildQubitProblem({ hamiltonian: load('lih_r1.5949'), ansatz: 'hea', layers: 1 });
  const rng = new Random(5);
  const x = Float64Array.from({ length: problem.circuit.nParameters }, () => rng.uniform(-0.3, 0.3));
  const pub = { circuit: problem.circuit, observable: problem.hamiltonian, parameterSets: [x] };
  const [r] = await new StateVectorSimulator().run([pub]).result();
  return { pub, exact: r.estimates[0].value };
}

/** One estimate on the backends' shot sampler, or (cached) on the test's exact sampler with a seeded run. */
async function sampled(c: Case, shots: number, seed: number, allocation: ShotAllocation, cached?: CachedExactSampler) {
  const sampler = cached ?? new ShotSamplingSimulator({ shots, seed });
  const estimator = new SamplingEstimator(sampler, { shots, allocation });
  const [r] = await estimator.run([c.pub], cached === undefined ? {} : { seed }).result();
  return r.estimates[0];
}

async function coverage(c: Case, shots: number, allocation: ShotAllocation, what: string, cached?: CachedExactSampler): Promise<number> {
  let in1 = 0;
  let in2 = 0;
  let seSum = 0;
  for (let seed = 0; seed < 100; seed++) {
    const e = await sampled(c, shots, seed, allocation, cached);
    assert.equal(e.shots, shots, `${what}: shots spent`);
    const z = Math.abs(e.value - c.exact) / e.standardError;
    if (z <= 1) in1++;
    if (z <= 2) in2++;
    seSum += e.standardError;
  }
  assert.ok(in1 >= 60 && in1 <= 76, `${what}: 1σ covers ${in1} %`);
  assert.ok(in2 >= 90, `${what}: 2σ covers ${in2} %`);
  return seSum / 100;
}

test('allocateShots splits a budget exactly, in proportion, with a minimum per group', () => {
  assert.deepEqual(allocateShots(10, [1, 1, 2]), [3, 2, 5]);
  assert.deepEqual(allocateShots(7, [0, 0, 0], 1), [3, 2, 2]);
  assert.deepEqual(allocateShots(5, [1000, 1, 1], 1), [3, 1, 1]);
  const split = allocateShots(1000, [0.3, 2.5, 0.01, 7], 2);
  assert.equal(split.reduce((a, b) => a + b, 0), 1000);
  assert.ok(split[2] === 2 && split[3] > split[1] && split[1] > split[0]);
});

test('H2: the standard error covers full CI at the rates of a normal error (100 seeds, every allocation)', async () => {
  const c = await h2Case();
  const se: Record<string, number> = {};
  for (const allocation of ['uniform', 'weighted', 'variance-optimal'] as const) {
    se[allocation] = await coverage(c, 4000, allocation, `H2 ${allocation}`);
  }
  assert.ok(se['variance-optimal'] < se.uniform, `variance-optimal ${se['variance-optimal']} vs uniform ${se.uniform}`);
});

test('LiH: the standard error covers the exact energy at normal rates; Neyman allocation beats uniform', async () => {
  const c = await lihCase();
  // 154 measurement groups: the test's caching sampler keeps 100 seeds × 3 allocations affordable.
  const cached = new CachedExactSampler(4000, 0);
  const uniform = await coverage(c, 4000, 'uniform', 'LiH uniform', cached);
  await coverage(c, 4000, 'weighted', 'LiH weighted', cached);
  const optimal = await coverage(c, 4000, 'variance-optimal', 'LiH variance-optimal', cached);
  assert.ok(optimal < 0.9 * uniform, `variance-optimal ${optimal} vs uniform ${uniform}`);
});

test('the error falls as shots^(-1/2): fitted log-log slope of the RMS error is −0.5 ± 0.1', async () => {
  const c = await h2Case();
  const xs: number[] = [];
  const ys: number[] = [];
  for (const shots of [250, 1000, 4000, 16000]) {
    let ss = 0;
    const seeds = 60;
    for (let seed = 0; seed < seeds; seed++) {
      const e = await sampled(c, shots, 1000 + seed, 'weighted');
      ss += (e.value - c.exact) ** 2;
    }
    xs.push(Math.log(shots));
    ys.push(0.5 * Math.log(ss / seeds));
  }
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  assert.ok(Math.abs(slope + 0.5) <= 0.1, `slope ${slope}`);
});
