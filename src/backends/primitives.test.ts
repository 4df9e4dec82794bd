/**
 * The Sampler and Estimator primitives: counts of the shot sampler against the Born probabilities of
 * a state computed in the test from 2×2 matrices, seeding, batching, and the backend specs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Circuit, Gate } from '../circuits/circuit.js';
import { InputError } from '../core/errors.js';
import type { PauliSumData } from '../qubits/pauli-layout.js';
import { createEstimator, shotEstimator } from './factory.js';
import { estimate, hasExactGradient, type Estimator } from './primitives.js';
import { SamplingEstimator } from './sampling-estimator.js';
import { ShotSamplingSimulator } from './sampling-simulator.js';
import { StateVectorSimulator } from './statevector-simulator.js';

const gate = (kind: Gate['kind'], qubits: number[], angle = 0, parameter = -1): Gate => ({
  kind,
  qubits,
  angle,
  parameter,
  factor: parameter >= 0 ? 1 : 0,
});

// RY(a) on qubit 0 and RY(b) on qubit 1 of |00⟩: a product state whose Born probabilities are
// products of cos²(θ/2) and sin²(θ/2).
const productCircuit: Circuit = { nQubits: 2, nParameters: 2, gates: [gate('ry', [0], 0, 0), gate('ry', [1], 0, 1)] };
function productProbabilities(a: number, b: number): number[] {
  const p0 = [Math.cos(a / 2) ** 2, Math.sin(a / 2) ** 2];
  const p1 = [Math.cos(b / 2) ** 2, Math.sin(b / 2) ** 2];
  // index = bit0 + 2·bit1
  return [p0[0] * p1[0], p0[1] * p1[0], p0[0] * p1[1], p0[1] * p1[1]];
}

test('shot sampler: counts sum to the shots, follow the Born probabilities (chi-square), and repeat with the seed', async () => {
  const parameterSets = [Float64Array.of(0.9, 2.1), Float64Array.of(-1.3, 0.4)];
  const shots = 20000;
  const run = async (seed: number) =>
    (await new ShotSamplingSimulator({ shots, seed }).run([{ circuit: productCircuit, parameterSets }]).result())[0];
  const r = await run(11);
  assert.equal(r.nQubits, 2);
  assert.equal(r.counts.length, 2);
  for (let s = 0; s < parameterSets.length; s++) {
    const counts = r.counts[s];
    let total = 0;
    for (const c of counts.values()) total += c;
    assert.equal(total, shots);
    const p = productProbabilities(parameterSets[s][0], parameterSets[s][1]);
    let chi2 = 0;
    for (let i = 0; i < 4; i++) chi2 += ((counts.get(i) ?? 0) - shots * p[i]) ** 2 / (shots * p[i]);
    // 3 degrees of freedom: P(χ² > 16.27) = 0.001.
    assert.ok(chi2 < 16.27, `chi-square ${chi2} for parameter set ${s}`);
  }
  const again = await run(11);
  assert.deepEqual([...again.counts[0]], [...r.counts[0]]);
  assert.deepEqual([...again.counts[1]], [...r.counts[1]]);
  const other = await run(12);
  assert.notDeepEqual([...other.counts[0]], [...r.counts[0]]);
  // A run seed overrides the stream: the same counts whatever ran before.
  const sampler = new ShotSamplingSimulator({ shots: 100, seed: 3 });
  const first = await sampler.run([{ circuit: productCircuit, parameterSets }], { seed: 99 }).result();
  await sampler.run([{ circuit: productCircuit, parameterSets }]).result();
  const second = await sampler.run([{ circuit: productCircuit, parameterSets }], { seed: 99 }).result();
  assert.deepEqual([...first[0].counts[0]], [...second[0].counts[0]]);
});

// H = 0.4 Z0 − 0.3 X1 + 0.2 Z0 Z1 + 0.25 X0 X1 − 0.7: on the product state ⟨Z⟩ = cos θ, ⟨X⟩ = sin θ.
const observable: PauliSumData = {
  nQubits: 2,
  x: Uint32Array.of(0, 2, 0, 3, 0),
  z: Uint32Array.of(1, 0, 3, 0, 0),
  coeffRe: Float64Array.of(0.4, -0.3, 0.2, 0.25, -0.7),
  coeffIm: new Float64Array(5),
};
const analytic = (a: number, b: number): number =>
  0.4 * Math.cos(a) - 0.3 * Math.sin(b) + 0.2 * Math.cos(a) * Math.cos(b) + 0.25 * Math.sin(a) * Math.sin(b) - 0.7;

test('exact and sampling estimators agree with the analytic expectation; one estimator call is one sampler job', async () => {
  const parameterSets = [Float64Array.of(0.9, 2.1), Float64Array.of(-1.3, 0.4), Float64Array.of(0, 0)];
  const exact = await estimate(createEstimator({ name: 'statevector' }), [{ circuit: productCircuit, observable, parameterSets }]);
  parameterSets.forEach((p, s) => {
    assert.ok(Math.abs(exact[0].estimates[s].value - analytic(p[0], p[1])) < 1e-12);
    assert.equal(exact[0].estimates[s].standardError, 0);
  });
  const sampler = new ShotSamplingSimulator({ seed: 5 });
  let jobs = 0;
  const counting = { kind: 'sampler' as const, info: sampler.info, run: (...args: Parameters<typeof sampler.run>) => (jobs++, sampler.run(...args)) };
  const shots = 40000;
  const estimator = new SamplingEstimator(counting, { shots });
  const sampled = await estimate(estimator, [
    { circuit: productCircuit, observable, parameterSets },
    { circuit: productCircuit, observable, parameterSets: [parameterSets[0]] },
  ]);
  assert.equal(jobs, 1);
  assert.equal(sampled.length, 2);
  assert.equal(sampled[0].estimates.length, 3);
  for (const [pub, sets] of [[0, parameterSets], [1, [parameterSets[0]]]] as const) {
    sets.forEach((p, s) => {
      const e = sampled[pub].estimates[s];
      assert.ok(Math.abs(e.value - analytic(p[0], p[1])) < 3 * e.standardError + 1e-12, `${e.value} ± ${e.standardError} vs ${analytic(p[0], p[1])}`);
      // Groups: {Z0, Z0Z1} and {X1, X0X1} (the identity needs no measurement); shots split by weight.
      assert.equal(e.groups?.length, 2);
      assert.ok(Math.abs(e.shots - shots) <= 2);
      const sumSq = e.groups!.reduce((a, g) => a + g.standardError ** 2, 0);
      assert.ok(Math.abs(Math.sqrt(sumSq) - e.standardError) < 1e-15);
    });
  }
  // At θ = 0 the state is |00⟩: the Z group is deterministic (zero variance).
  const zGroup = sampled[0].estimates[2].groups!.find((g) => Math.abs(g.value - 0.6) < 1e-12);
  assert.ok(zGroup !== undefined && zGroup.standardError === 0);
});

test('backend specs: createEstimator builds the exact and the shot estimator, and rejects bad specs', () => {
  const exact = createEstimator({ name: 'statevector' });
  assert.ok(hasExactGradient(exact));
  assert.deepEqual(exact.info, { name: 'statevector', version: exact.info.version, device: null, noiseModel: null, shots: null, mitigation: null });
  const shots: Estimator = createEstimator({ name: 'shots', shots: 1000, seed: 4 });
  assert.ok(!hasExactGradient(shots));
  assert.equal(shots.info.name, 'shots');
  assert.equal(shots.info.shots, 1000);
  assert.equal((shots as SamplingEstimator).seed, 4);
  assert.ok(shotEstimator({ shots: 10 }) instanceof SamplingEstimator);
  assert.ok(new StateVectorSimulator() instanceof StateVectorSimulator);
  assert.throws(() => createEstimator({ name: 'shots', shots: 0 }), InputError);
  assert.throws(() => createEstimator({ name: 'shots', shots: 10, seed: 1.5 }), /seed/);
  assert.throws(() => createEstimator({ name: 'qpu' } as never), /unknown backend 'qpu'/);
});
