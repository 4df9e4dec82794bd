import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import type { Circuit, Gate, GateKind } from '../circuits/circuit.js';
import type { PauliSumData } from '../qubits/pauli-layout.js';
import { StateVector } from './statevector.js';
import { applyCircuit, applyCircuitInverse, applyGate, applyGateInverse, applyPauliString } from './apply.js';
import { expectationPauliSum, innerProduct, probabilities, sampleCounts } from './observables.js';
import { StateVectorSimulator } from './statevector-simulator.js';
import { estimate, type Estimate, type Estimator } from './primitives.js';
import { shotEstimator } from './factory.js';

/** One estimate of one circuit at one parameter vector. */
async function estimateOne(estimator: Estimator, circuit: Circuit, parameters: Float64Array, op: PauliSumData): Promise<Estimate> {
  return (await estimate(estimator, [{ circuit, observable: op, parameterSets: [parameters] }]))[0].estimates[0];
}
import {
  CNOT4,
  CZ4,
  SWAP4,
  combine,
  embedOneQubit,
  embedTwoQubit,
  identity,
  masksOf,
  matMul,
  matVec,
  maxDiff,
  oneQubitMatrix,
  pauliMatrix,
  randomState,
  type DenseMatrix,
} from './dense-reference.test-util.js';

const TOL = 1e-12;

function gate(kind: GateKind, qubits: number[], angle = 0, extra: Partial<Gate> = {}): Gate {
  return { kind, qubits, angle, parameter: -1, factor: 0, ...extra };
}

function stateFrom(v: { re: Float64Array; im: Float64Array }): StateVector {
  return StateVector.fromAmplitudes(v.re, v.im);
}

function assertMatchesDense(n: number, g: Gate, m: DenseMatrix, rng: Random, params = new Float64Array(0)): void {
  const v = randomState(2 ** n, rng);
  const s = stateFrom(v);
  applyGate(s, g, params);
  const ref = matVec(m, v.re, v.im);
  assert.ok(maxDiff(s.re, ref.re) < TOL && maxDiff(s.im, ref.im) < TOL, `${g.kind} on ${g.qubits} (n=${n})`);
  // The inverse restores the input.
  applyGateInverse(s, g, params);
  assert.ok(maxDiff(s.re, v.re) < TOL && maxDiff(s.im, v.im) < TOL, `inverse ${g.kind} on ${g.qubits}`);
}

test('one-qubit gate kernels match dense matrices on every qubit', () => {
  const rng = new Random(11);
  const kinds: GateKind[] = ['h', 'x', 'y', 'z', 's', 'sdg', 't', 'tdg', 'rx', 'ry', 'rz'];
  for (const n of [1, 3, 5]) {
    for (let q = 0; q < n; q++) {
      for (const kind of kinds) {
        const theta = kind.startsWith('r') ? rng.uniform(-4, 4) : 0;
        assertMatchesDense(n, gate(kind, [q], theta), embedOneQubit(n, q, oneQubitMatrix(kind, theta)), rng);
      }
    }
  }
});

test('parametrised angle is angle + factor * parameter', () => {
  const rng = new Random(12);
  const params = new Float64Array([0.3, -1.7]);
  const g = gate('ry', [2], 0.25, { parameter: 1, factor: -0.5 });
  const theta = 0.25 - 0.5 * -1.7;
  assertMatchesDense(4, g, embedOneQubit(4, 2, oneQubitMatrix('ry', theta)), rng, params);
  assert.throws(() => applyGate(new StateVector(3), gate('rx', [0], 0, { parameter: 2, factor: 1 }), params));
});

test('two-qubit gate kernels match dense matrices on adjacent, distant and reversed pairs', () => {
  const rng = new Random(13);
  const n = 5;
  const pairs = [
    [0, 1],
    [1, 0],
    [0, 4],
    [4, 0],
    [3, 1],
    [2, 3],
    [4, 2],
  ];
  for (const [a, b] of pairs) {
    assertMatchesDense(n, gate('cnot', [a, b]), embedTwoQubit(n, a, b, CNOT4), rng);
    assertMatchesDense(n, gate('cz', [a, b]), embedTwoQubit(n, a, b, CZ4), rng);
    assertMatchesDense(n, gate('swap', [a, b]), embedTwoQubit(n, a, b, SWAP4), rng);
  }
  assert.throws(() => applyGate(new StateVector(3), gate('cnot', [1, 1])));
  assert.throws(() => applyGate(new StateVector(3), gate('h', [3])));
});

function randomLabels(n: number, rng: Random, allowIdentity = true): string[] {
  for (;;) {
    const labels = Array.from({ length: n }, () => 'ixyz'[rng.int(4)]);
    if (allowIdentity || labels.some((l) => l !== 'i')) return labels;
  }
}

test('Pauli rotation equals cos(θ/2) I − i sin(θ/2) P', () => {
  const rng = new Random(14);
  for (const n of [1, 2, 4, 5]) {
    for (let rep = 0; rep < 12; rep++) {
      const labels = randomLabels(n, rng);
      const { x, z } = masksOf(labels);
      const theta = rng.uniform(-5, 5);
      const p = pauliMatrix(labels);
      const u = combine(Math.cos(theta / 2), 0, identity(2 ** n), 0, -Math.sin(theta / 2), p);
      const qubits = labels.flatMap((l, q) => (l === 'i' ? [] : [q]));
      assertMatchesDense(n, gate('pauliRotation', qubits, theta, { pauliX: x, pauliZ: z }), u, rng);
    }
  }
});

test('controlled Pauli rotation acts only on the control-set subspace', () => {
  const rng = new Random(15);
  const n = 5;
  for (let rep = 0; rep < 16; rep++) {
    const control = rng.int(n);
    const labels = randomLabels(n, rng);
    labels[control] = 'i';
    const { x, z } = masksOf(labels);
    const theta = rng.uniform(-5, 5);
    const d = 2 ** n;
    const p = pauliMatrix(labels);
    const r = combine(Math.cos(theta / 2), 0, identity(d), 0, -Math.sin(theta / 2), p);
    // |0⟩⟨0|_c ⊗ I + |1⟩⟨1|_c ⊗ R
    const p0 = embedOneQubit(n, control, { re: [1, 0, 0, 0], im: [0, 0, 0, 0] });
    const p1 = embedOneQubit(n, control, { re: [0, 0, 0, 1], im: [0, 0, 0, 0] });
    const u = combine(1, 0, p0, 1, 0, matMul(p1, r));
    assertMatchesDense(n, gate('pauliRotation', [], theta, { pauliX: x, pauliZ: z, control }), u, rng);
  }
  assert.throws(() => applyGate(new StateVector(3), gate('pauliRotation', [0], 1, { pauliX: 1, pauliZ: 0, control: 0 })));
});

test('applyPauliString matches the dense Pauli matrix', () => {
  const rng = new Random(16);
  const n = 5;
  for (let rep = 0; rep < 20; rep++) {
    const labels = randomLabels(n, rng);
    const { x, z } = masksOf(labels);
    const v = randomState(2 ** n, rng);
    const s = stateFrom(v);
    applyPauliString(s, x, z);
    const ref = matVec(pauliMatrix(labels), v.re, v.im);
    assert.ok(maxDiff(s.re, ref.re) < TOL && maxDiff(s.im, ref.im) < TOL, labels.join(''));
  }
});

function randomPauliSum(n: number, labelsList: string[][], rng: Random): PauliSumData {
  const t = labelsList.length;
  const x = new Uint32Array(t);
  const z = new Uint32Array(t);
  const coeffRe = new Float64Array(t);
  const coeffIm = new Float64Array(t);
  labelsList.forEach((labels, k) => {
    const m = masksOf(labels);
    x[k] = m.x;
    z[k] = m.z;
    coeffRe[k] = rng.uniform(-1, 1);
  });
  return { nQubits: n, x, z, coeffRe, coeffIm };
}

function denseExpectation(labelsList: string[][], op: PauliSumData, v: { re: Float64Array; im: Float64Array }): number {
  let e = 0;
  labelsList.forEach((labels, k) => {
    const pv = matVec(pauliMatrix(labels), v.re, v.im);
    let s = 0;
    for (let i = 0; i < v.re.length; i++) s += v.re[i] * pv.re[i] + v.im[i] * pv.im[i];
    e += op.coeffRe[k] * s;
  });
  return e;
}

test('expectationPauliSum equals dense <psi|H|psi> (sparse and dense operators)', () => {
  const rng = new Random(17);
  for (const n of [1, 3, 4, 5]) {
    // Sparse random sum (direct path) ...
    const sparse = Array.from({ length: 12 }, () => randomLabels(n, rng));
    // ... and every Pauli string (each X group full of Z masks: transform path).
    const all: string[][] = [];
    for (let code = 0; code < 4 ** n; code++) {
      all.push(Array.from({ length: n }, (_, q) => 'ixyz'[Math.floor(code / 4 ** q) % 4]));
    }
    for (const list of [sparse, all]) {
      const op = randomPauliSum(n, list, rng);
      const v = randomState(2 ** n, rng);
      const got = expectationPauliSum(stateFrom(v), op);
      const want = denseExpectation(list, op, v);
      assert.ok(Math.abs(got - want) < 1e-11, `n=${n} terms=${list.length}: ${got} vs ${want}`);
      // Second call uses the cached grouping.
      assert.ok(Math.abs(expectationPauliSum(stateFrom(v), op) - want) < 1e-11);
    }
  }
});

test('inner product, probabilities, copy and reset', () => {
  const rng = new Random(18);
  const a = stateFrom(randomState(8, rng));
  const b = stateFrom(randomState(8, rng));
  let sr = 0;
  let si = 0;
  for (let i = 0; i < 8; i++) {
    sr += a.re[i] * b.re[i] + a.im[i] * b.im[i];
    si += a.re[i] * b.im[i] - a.im[i] * b.re[i];
  }
  const ip = innerProduct(a, b);
  assert.ok(Math.abs(ip.re - sr) < TOL && Math.abs(ip.im - si) < TOL);
  const p = probabilities(a);
  assert.ok(Math.abs(p.reduce((x, y) => x + y, 0) - 1) < TOL);
  const c = a.copy();
  c.re[0] += 1;
  assert.notEqual(c.re[0], a.re[0]);
  c.reset(5);
  assert.equal(c.re[5], 1);
  assert.equal(c.norm2(), 1);
  assert.throws(() => c.reset(8));
  assert.throws(() => new StateVector(31));
});

test('sampleCounts reproduces the Born probabilities (chi-square bound, seeded)', () => {
  const rng = new Random(19);
  const s = stateFrom(randomState(8, rng));
  const p = probabilities(s);
  const shots = 20000;
  const counts = sampleCounts(s, shots, new Random(99));
  let total = 0;
  let chi2 = 0;
  for (let i = 0; i < 8; i++) {
    const c = counts.get(i) ?? 0;
    total += c;
    chi2 += (c - shots * p[i]) ** 2 / (shots * p[i]);
  }
  assert.equal(total, shots);
  // 7 degrees of freedom: P(χ² > 24.3) ≈ 0.001.
  assert.ok(chi2 < 24.3, `chi2 = ${chi2}`);
  // Same seed, same counts; a basis state always yields itself.
  assert.deepEqual([...sampleCounts(s, 500, new Random(5))], [...sampleCounts(s, 500, new Random(5))]);
  assert.deepEqual([...sampleCounts(new StateVector(3, 6), 10, new Random(1))], [[6, 10]]);
});

test('StateVectorSimulator estimate equals the dense expectation of the prepared state', async () => {
  const rng = new Random(20);
  const n = 3;
  const circuit = {
    nQubits: n,
    nParameters: 2,
    gates: [
      gate('h', [0]),
      gate('ry', [1], 0.1, { parameter: 0, factor: 1 }),
      gate('cnot', [0, 2]),
      gate('pauliRotation', [0, 1, 2], 0, { parameter: 1, factor: -2, pauliX: 0b011, pauliZ: 0b110 }),
    ],
  };
  const params = new Float64Array([0.7, -0.4]);
  const list = Array.from({ length: 10 }, () => randomLabels(n, rng));
  const op = randomPauliSum(n, list, rng);
  // Dense reference: multiply the gate matrices.
  let u = identity(8);
  u = matMul(embedOneQubit(n, 0, oneQubitMatrix('h')), u);
  u = matMul(embedOneQubit(n, 1, oneQubitMatrix('ry', 0.1 + 0.7)), u);
  u = matMul(embedTwoQubit(n, 0, 2, CNOT4), u);
  const pr = pauliMatrix(['x', 'y', 'z']);
  const th = -2 * -0.4;
  u = matMul(combine(Math.cos(th / 2), 0, identity(8), 0, -Math.sin(th / 2), pr), u);
  const e0 = new Float64Array(8);
  e0[0] = 1;
  const psi = matVec(u, e0, new Float64Array(8));
  const want = denseExpectation(list, op, psi);
  const sim = new StateVectorSimulator();
  const est = await estimateOne(sim, circuit, params, op);
  assert.ok(Math.abs(est.value - want) < 1e-12);
  assert.equal(est.standardError, 0);
  assert.equal(est.shots, 0);
  const [batch] = await estimate(sim, [{ circuit, observable: op, parameterSets: [params, new Float64Array([0, 0])] }]);
  assert.ok(Math.abs(batch.estimates[0].value - want) < 1e-12);
  // applyCircuitInverse undoes the circuit.
  const s = sim.prepare(circuit, params).copy();
  applyCircuitInverse(s, circuit, params);
  assert.ok(Math.abs(s.re[0] - 1) < TOL && s.norm2() - 1 < TOL);
  const t = new StateVector(n);
  applyCircuit(t, circuit, params);
  assert.ok(maxDiff(t.re, psi.re) < TOL && maxDiff(t.im, psi.im) < TOL);
});

test('12-qubit register: Pauli kernels agree with one-qubit gate sequences and decompositions', async () => {
  const { decompose } = await import('../circuits/decompose.js');
  const rng = new Random(21);
  const n = 12;
  const d = 2 ** n;
  const labelsList: string[][] = [];
  for (let rep = 0; rep < 40; rep++) {
    const labels = randomLabels(n, rng);
    // Some strings with high qubits and long Z chains.
    if (rep % 3 === 0) for (let q = 3; q < 11; q++) labels[q] = 'z';
    if (rep % 4 === 0) labels[n - 1] = 'x';
    labelsList.push(labels);
  }
  // All Z strings on the top 6 qubits with X on qubit 0 (a big X group: transform path).
  for (let m = 0; m < 64; m++) labelsList.push(Array.from({ length: n }, (_, q) => (q === 0 ? 'x' : q >= 6 && (m >> (q - 6)) & 1 ? 'z' : 'i')));
  const v = randomState(d, rng);
  for (const labels of labelsList.slice(0, 40)) {
    const { x, z } = masksOf(labels);
    // P as one-qubit Pauli gates.
    const s = stateFrom(v);
    applyPauliString(s, x, z);
    const t = stateFrom(v);
    labels.forEach((l, q) => {
      if (l !== 'i') applyGate(t, gate(l as GateKind, [q]));
    });
    assert.ok(maxDiff(s.re, t.re) < TOL && maxDiff(s.im, t.im) < TOL, `P ${labels.join('')}`);
    // Rotation against its CNOT-ladder decomposition.
    const theta = rng.uniform(-3, 3);
    const circuit = { nQubits: n, nParameters: 0, gates: [gate('pauliRotation', [], theta, { pauliX: x, pauliZ: z })] };
    const a = stateFrom(v);
    applyCircuit(a, circuit);
    const b = stateFrom(v);
    applyCircuit(b, decompose(circuit));
    const ip = innerProduct(a, b);
    assert.ok(Math.abs(Math.hypot(ip.re, ip.im) - 1) < 1e-12, `R ${labels.join('')}`);
  }
  // Expectation against Σ_k c_k ⟨ψ|P_k ψ⟩ with P_k applied as one-qubit gates.
  const op = randomPauliSum(n, labelsList, rng);
  let want = 0;
  labelsList.forEach((labels, k) => {
    const t = stateFrom(v);
    labels.forEach((l, q) => {
      if (l !== 'i') applyGate(t, gate(l as GateKind, [q]));
    });
    want += op.coeffRe[k] * innerProduct(stateFrom(v), t).re;
  });
  assert.ok(Math.abs(expectationPauliSum(stateFrom(v), op) - want) < 1e-12);
});

test('shot estimator (SamplingEstimator on ShotSamplingSimulator): unbiased within its standard error, error bars match the spread', async () => {
  const rng = new Random(22);
  const n = 3;
  const circuit = {
    nQubits: n,
    nParameters: 1,
    gates: [
      gate('h', [0]),
      gate('ry', [1], 0.9),
      gate('cnot', [0, 2]),
      gate('rx', [2], 0.7),
      gate('s', [0]),
      gate('pauliRotation', [0, 1, 2], 0, { parameter: 0, factor: 1, pauliX: 0b011, pauliZ: 0b110 }),
    ],
  };
  const params = new Float64Array([0.6]);
  const list = Array.from({ length: 12 }, () => randomLabels(n, rng));
  list.push(['i', 'i', 'i']);
  const op = randomPauliSum(n, list, rng);
  const exact = await estimateOne(new StateVectorSimulator(), circuit, params, op);
  const values: number[] = [];
  const errors: number[] = [];
  for (let seed = 1; seed <= 40; seed++) {
    const e = await estimateOne(shotEstimator({ shots: 4000, seed }), circuit, params, op);
    assert.ok(e.shots >= 3900 && e.shots <= 4100);
    values.push(e.value);
    errors.push(e.standardError);
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const spread = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  const meanError = errors.reduce((a, b) => a + b, 0) / errors.length;
  // Mean of 40 estimates within 4 standard errors of the mean; reported error ≈ observed spread.
  assert.ok(Math.abs(mean - exact.value) < (4 * meanError) / Math.sqrt(40), `${mean} vs ${exact.value}`);
  assert.ok(spread > 0.7 * meanError && spread < 1.3 * meanError, `spread ${spread} vs error ${meanError}`);
  // Same seed, same estimate.
  const a = await estimateOne(shotEstimator({ shots: 500, seed: 7 }), circuit, params, op);
  const b = await estimateOne(shotEstimator({ shots: 500, seed: 7 }), circuit, params, op);
  assert.deepEqual(a, b);
});
