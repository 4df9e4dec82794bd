import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { StateVector } from '../backends/statevector.js';
import { applyGate, applyGateInverse } from '../backends/apply.js';
import { embedOneQubit, embedTwoQubit, matVec, maxDiff, randomState, type Small } from '../backends/dense-reference.test-util.js';
import { CircuitBuilder } from './builder.js';
import type { Gate } from './circuit.js';
import { compiledGateCounts } from './decompose.js';
import { compileToIonqNative } from './native.js';
import { overlapModulus, probabilityDifference, randomCircuit, runCircuit } from './random-circuit.test-util.js';

// IonQ's published matrices (native-gates guide), angles in turns. Two-qubit matrices are written
// in IonQ's basis |q_a q_b⟩ with the first target leftmost: row index 2·bit_a + bit_b.
const e = (turns: number): [number, number] => [Math.cos(2 * Math.PI * turns), Math.sin(2 * Math.PI * turns)];
const mul = (a: [number, number], b: [number, number]): [number, number] => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const MINUS_I: [number, number] = [0, -1];

function ionqGpi(phi: number): Small {
  const [cm, sm] = e(-phi);
  const [cp, sp] = e(phi);
  return { re: [0, cm, cp, 0], im: [0, sm, sp, 0] };
}

function ionqGpi2(phi: number): Small {
  const r = Math.SQRT1_2;
  const b = mul(MINUS_I, e(-phi));
  const c = mul(MINUS_I, e(phi));
  return { re: [r, r * b[0], r * c[0], r], im: [0, r * b[1], r * c[1], 0] };
}

/** A 4×4 in IonQ's |q_a q_b⟩ order converted to the test utility's order bit_a + 2·bit_b. */
function fromIonqOrder(m: { re: number[]; im: number[] }): Small {
  const perm = (i: number): number => 2 * (i & 1) + (i >> 1);
  const re = new Array<number>(16);
  const im = new Array<number>(16);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      re[r * 4 + c] = m.re[perm(r) * 4 + perm(c)];
      im[r * 4 + c] = m.im[perm(r) * 4 + perm(c)];
    }
  }
  return { re, im };
}

function ionqMs(phi0: number, phi1: number, theta: number): Small {
  const c = Math.cos(Math.PI * theta);
  const s = Math.sin(Math.PI * theta);
  const re = new Array<number>(16).fill(0);
  const im = new Array<number>(16).fill(0);
  const set = (r: number, col: number, v: [number, number]): void => {
    re[r * 4 + col] = v[0];
    im[r * 4 + col] = v[1];
  };
  for (let k = 0; k < 4; k++) set(k, k, [c, 0]);
  const scaled = (v: [number, number]): [number, number] => [s * v[0], s * v[1]];
  set(0, 3, scaled(mul(MINUS_I, e(-(phi0 + phi1)))));
  set(1, 2, scaled(mul(MINUS_I, e(-(phi0 - phi1)))));
  set(2, 1, scaled(mul(MINUS_I, e(phi0 - phi1))));
  set(3, 0, scaled(mul(MINUS_I, e(phi0 + phi1))));
  return fromIonqOrder({ re, im });
}

function ionqZz(theta: number): Small {
  const [cm, sm] = e(-theta / 2);
  const [cp, sp] = e(theta / 2);
  const re = new Array<number>(16).fill(0);
  const im = new Array<number>(16).fill(0);
  [[cm, sm], [cp, sp], [cp, sp], [cm, sm]].forEach(([r, i], k) => {
    re[k * 5] = r;
    im[k * 5] = i;
  });
  return { re, im };
}

test('native gate kernels match IonQ’s published matrices, and their inverses undo them', () => {
  const rng = new Random(71);
  const n = 3;
  for (let trial = 0; trial < 6; trial++) {
    const phi0 = rng.uniform(-1, 1);
    const phi1 = rng.uniform(-1, 1);
    const theta = rng.uniform(-0.3, 0.3);
    const a = rng.int(n);
    let b = rng.int(n - 1);
    if (b >= a) b++;
    const cases: [Gate, ReturnType<typeof embedOneQubit>][] = [
      [{ kind: 'gpi', qubits: [a], angle: phi0, parameter: -1, factor: 0 }, embedOneQubit(n, a, ionqGpi(phi0))],
      [{ kind: 'gpi2', qubits: [a], angle: phi0, parameter: -1, factor: 0 }, embedOneQubit(n, a, ionqGpi2(phi0))],
      [{ kind: 'ms', qubits: [a, b], angle: theta, parameter: -1, factor: 0, phases: [phi0, phi1] }, embedTwoQubit(n, a, b, ionqMs(phi0, phi1, theta))],
      [{ kind: 'zz', qubits: [a, b], angle: theta, parameter: -1, factor: 0 }, embedTwoQubit(n, a, b, ionqZz(theta))],
    ];
    for (const [gate, dense] of cases) {
      const v = randomState(2 ** n, rng);
      const s = StateVector.fromAmplitudes(v.re, v.im);
      applyGate(s, gate);
      const want = matVec(dense, v.re, v.im);
      assert.ok(maxDiff(s.re, want.re) < 1e-14 && maxDiff(s.im, want.im) < 1e-14, `${gate.kind} on ${gate.qubits}`);
      applyGateInverse(s, gate);
      assert.ok(maxDiff(s.re, v.re) < 1e-14 && maxDiff(s.im, v.im) < 1e-14, `${gate.kind} inverse`);
    }
  }
  // fully entangling MS(0, 0) on |00⟩: (|00⟩ − i|11⟩)/√2
  const bell = runCircuit(new CircuitBuilder(2).ms(0, 1, 0, 0).build());
  assert.ok(Math.abs(bell.re[0] - Math.SQRT1_2) < 1e-15 && Math.abs(bell.im[3] + Math.SQRT1_2) < 1e-15);
});

test('native compilation prepares the same state on random circuits (Aria and Forte)', () => {
  const rng = new Random(2024);
  for (let trial = 0; trial < 24; trial++) {
    const n = 2 + rng.int(3);
    const circuit = randomCircuit(n, 30, rng);
    const params = [rng.uniform(-3, 3), rng.uniform(-3, 3)];
    const start = randomState(2 ** n, rng);
    const want = runCircuit(circuit, params, start);
    for (const device of ['aria', 'forte'] as const) {
      const exact = compileToIonqNative(circuit, { device, parameters: params, finalPhases: 'keep', optimize: trial % 2 === 0 });
      const allowed = device === 'aria' ? ['gpi', 'gpi2', 'ms'] : ['gpi', 'gpi2', 'zz'];
      assert.ok(exact.gates.every((g) => allowed.includes(g.kind)), `${device}: only ${allowed.join(', ')}`);
      assert.equal(exact.nParameters, 0);
      assert.ok(1 - overlapModulus(runCircuit(exact, [], start), want) < 1e-12, `${device} trial ${trial}: same state`);
      for (const g of exact.gates) {
        assert.ok(g.angle >= 0 && g.angle <= 1 && (g.phases ?? [0, 0]).every((p) => p >= 0 && p < 1), 'phases in [0, 1)');
      }
      const dropped = compileToIonqNative(circuit, { device, parameters: params });
      assert.ok(probabilityDifference(runCircuit(dropped, [], start), want) < 1e-12, `${device} trial ${trial}: same probabilities`);
    }
  }
});

test('native compilation gate counts: virtual RZ, one pulse where one suffices, one MS per CNOT', () => {
  const count = (b: CircuitBuilder, device: 'aria' | 'forte' = 'aria'): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const g of compileToIonqNative(b.build(), { device }).gates) counts[g.kind] = (counts[g.kind] ?? 0) + 1;
    return counts;
  };
  assert.deepEqual(count(new CircuitBuilder(1).rz(0, 0.3).t(0).s(0)), {});
  assert.deepEqual(count(new CircuitBuilder(1).x(0)), { gpi: 1 });
  assert.deepEqual(count(new CircuitBuilder(1).h(0)), { gpi2: 1 });
  assert.deepEqual(count(new CircuitBuilder(1).rz(0, 0.4).ry(0, 0.7)), { gpi2: 2 });
  assert.deepEqual(count(new CircuitBuilder(2).cnot(0, 1)).ms, 1);
  assert.deepEqual(count(new CircuitBuilder(2).cnot(0, 1), 'forte').zz, 1);
  // a Bell pair: H then CNOT needs one MS and at most one pulse per qubit around it
  const bell = compileToIonqNative(new CircuitBuilder(2).h(0).cnot(0, 1).build(), { finalPhases: 'keep' });
  const c = compiledGateCounts(bell);
  assert.equal(c.twoQubit, 1);
  assert.ok(c.oneQubit <= 4);
  assert.throws(() => compileToIonqNative(new CircuitBuilder(1).rx(0, { parameter: 0 }).build()), /parameters/);
  assert.throws(() => compileToIonqNative(new CircuitBuilder(1).build(), { device: 'harmony' as 'aria' }), /device/);
});
