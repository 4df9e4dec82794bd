import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { StateVector } from '../backends/statevector.js';
import { applyCircuit } from '../backends/apply.js';
import { innerProduct } from '../backends/observables.js';
import { randomState } from '../backends/dense-reference.test-util.js';
import type { Circuit } from './circuit.js';
import { CircuitBuilder, pauliRotationGate } from './builder.js';
import { fromIonqJson, toIonqJson } from './ionq-json.js';

function run(circuit: Circuit, params: ArrayLike<number>, start: { re: Float64Array; im: Float64Array }): StateVector {
  const s = StateVector.fromAmplitudes(start.re, start.im);
  applyCircuit(s, circuit, params);
  return s;
}

/** A seeded random circuit over every qis-expressible gate kind, with two parameters. */
function randomCircuit(n: number, rng: Random, nGates: number): Circuit {
  const b = new CircuitBuilder(n);
  const p0 = b.parameter();
  const p1 = b.parameter();
  const ones = ['h', 'x', 'y', 'z', 's', 'sdg', 't', 'tdg'] as const;
  for (let k = 0; k < nGates; k++) {
    const a = rng.int(n);
    let c = rng.int(n - 1);
    if (c >= a) c++;
    switch (rng.int(7)) {
      case 0:
        b.gate({ kind: ones[rng.int(ones.length)], qubits: [a], angle: 0, parameter: -1, factor: 0 });
        break;
      case 1:
        b.rx(a, { parameter: p0, factor: 0.7, offset: 0.1 });
        break;
      case 2:
        b.ry(a, rng.next() * 6).rz(c, { parameter: p1 });
        break;
      case 3:
        b.cnot(a, c);
        break;
      case 4:
        b.cz(a, c).swap(c, a);
        break;
      case 5:
        b.pauliRotation((1 << a) | (1 << c), 1 << c, { parameter: p1, factor: -1.3 });
        break;
      default:
        b.gate(pauliRotationGate(1 << a, 1 << a, 0.8, c));
    }
  }
  return b.build();
}

test('IonQ qis JSON round-trips random circuits to the same state up to a global phase', () => {
  const rng = new Random(7);
  for (let trial = 0; trial < 8; trial++) {
    const n = 2 + (trial % 3);
    const circuit = randomCircuit(n, rng, 25);
    const params = [rng.next() * 2 - 1, rng.next() * 2 - 1];
    const text = JSON.stringify(toIonqJson(circuit, { parameters: params }));
    const back = fromIonqJson(text, 'trial.json');
    assert.equal(back.nQubits, n);
    assert.equal(back.nParameters, 0);
    const start = randomState(2 ** n, rng);
    const a = run(circuit, params, start);
    const b = run(back, [], start);
    const ip = innerProduct(a, b);
    assert.ok(Math.abs(Math.hypot(ip.re, ip.im) - 1) < 1e-12, `trial ${trial}: |<a|b>| = ${Math.hypot(ip.re, ip.im)}`);
  }
});

test("IonQ's documented GHZ example reads to (|000> + |111>)/sqrt 2", () => {
  const text = JSON.stringify({
    input: {
      qubits: 3,
      gateset: 'qis',
      circuit: [
        { gate: 'h', target: 0 },
        { gate: 'cnot', control: 0, target: 1 },
        { gate: 'cnot', control: 0, target: 2 },
      ],
    },
  });
  const s = new StateVector(3);
  applyCircuit(s, fromIonqJson(text, 'ghz.json'), []);
  for (let b = 0; b < 8; b++) {
    const p = s.re[b] ** 2 + s.im[b] ** 2;
    assert.ok(Math.abs(p - (b === 0 || b === 7 ? 0.5 : 0)) < 1e-14);
  }
});

test('qis xx, v and controlled z follow their analytic matrices', () => {
  // XX rotation exp(−iθ XX/2) at θ = π: |00> → −i|11>.
  const s = new StateVector(2);
  applyCircuit(s, fromIonqJson(JSON.stringify({ gateset: 'qis', qubits: 2, circuit: [{ gate: 'xx', targets: [0, 1], rotation: Math.PI }] })), []);
  assert.ok(Math.abs(s.im[3] + 1) < 1e-14 && Math.abs(s.re[3]) < 1e-14);
  // V = √X: V·V = X up to a phase, so v twice flips the qubit.
  const v = new StateVector(1);
  applyCircuit(v, fromIonqJson(JSON.stringify({ gateset: 'qis', qubits: 1, circuit: [{ gate: 'v', target: 0 }, { gate: 'v', target: 0 }] })), []);
  assert.ok(Math.abs(v.re[1] ** 2 + v.im[1] ** 2 - 1) < 1e-14);
  // Controlled z on |+>|1> gives |->|1>: the amplitude of |11> is −1/√2.
  const cz = new StateVector(2);
  const circuit = fromIonqJson(
    JSON.stringify({ gateset: 'qis', qubits: 2, circuit: [{ gate: 'x', targets: [1] }, { gate: 'h', targets: [0] }, { gate: 'z', controls: [1], targets: [0] }] }),
  );
  applyCircuit(cz, circuit, []);
  assert.ok(Math.abs(cz.re[3] + Math.SQRT1_2) < 1e-14);
});

test('the native gate set round-trips its gates and angles in turns', () => {
  const circuit = new CircuitBuilder(3).gpi(0, 0.125).gpi2(1, 0.75).ms(0, 2, 0.1, 0.3).ms(1, 2, 0, 0.5, 0.125).zz(0, 1, 0.2).build();
  const json = toIonqJson(circuit, { native: true });
  assert.equal(json.gateset, 'native');
  assert.deepEqual(json.circuit[2], { gate: 'ms', targets: [0, 2], phases: [0.1, 0.3], angle: 0.25 });
  const back = fromIonqJson(JSON.stringify(json), 'native.json');
  assert.deepEqual(
    back.gates.map((g) => [g.kind, g.qubits, g.angle, g.phases ?? null]),
    circuit.gates.map((g) => [g.kind, g.qubits, g.angle, g.phases ?? null]),
  );
  // MS without an angle is the fully entangling 0.25 turn.
  const ms = fromIonqJson(JSON.stringify({ gateset: 'native', qubits: 2, circuit: [{ gate: 'ms', targets: [0, 1], phases: [0, 0] }] }));
  assert.equal(ms.gates[0].angle, 0.25);
});

test('export refuses unbound parameters and native gates in a qis export', () => {
  const param = new CircuitBuilder(1);
  param.rx(0, { parameter: param.parameter() });
  assert.throws(() => toIonqJson(param.build()), /parameters; give their values/);
  assert.throws(() => toIonqJson(new CircuitBuilder(1).gpi(0, 0.1).build()), /native 'gpi' gate cannot be written in the qis gate set/);
});

test('import errors name the file and the JSON path of the bad value', () => {
  const bad = (input: unknown): string => {
    try {
      fromIonqJson(JSON.stringify(input), 'bad.json');
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };
  const gates = [{ gate: 'h', target: 0 }, { gate: 'x', target: 1 }, { gate: 'h', target: 0 }, { gate: 'swap', targets: 'a' }];
  assert.equal(bad({ gateset: 'qis', qubits: 2, circuit: gates }), 'bad.json: circuit[3].targets: expected an array of qubit indices');
  assert.equal(bad({ input: { gateset: 'qis', qubits: 2, circuit: [{ gate: 'rx', target: 0 }] } }), "bad.json: input.circuit[0]: 'rx' needs 'rotation'");
  assert.equal(bad({ gateset: 'qis', qubits: 2, circuit: [{ gate: 'foo', target: 0 }] }), "bad.json: circuit[0]: unknown qis gate 'foo'");
  assert.equal(bad({ gateset: 'qis', qubits: 2, circuit: [{ gate: 'h', target: 2 }] }), 'bad.json: circuit[0]: qubit 2 outside the 2-qubit register');
  assert.equal(bad({ gateset: 'qis', circuit: [] }), 'bad.json: qubits: expected a qubit count');
  assert.equal(bad({ gateset: 'qis', qubits: 1, circuit: [{ gate: 'h', target: 0, colour: 1 }] }).startsWith('bad.json: circuit[0]:'), true);
  assert.match(bad({ gateset: 'native', qubits: 1, circuit: [{ gate: 'gpi', target: 0, phase: 'x' }] }), /^bad\.json: circuit\[0\]\.phase: expected a phase in turns/);
  assert.throws(() => fromIonqJson('{ "qubits": 1,', 'trunc.json'), /^InputError: trunc\.json: not valid JSON|trunc\.json: not valid JSON/);
});

test('a native export of a qis circuit reproduces its state (frame kept) and its probabilities (frame dropped)', () => {
  const rng = new Random(19);
  for (let trial = 0; trial < 6; trial++) {
    const n = 2 + (trial % 3);
    const circuit = randomCircuit(n, rng, 20);
    const params = [rng.next() * 2 - 1, rng.next() * 2 - 1];
    const start = { re: new Float64Array(2 ** n), im: new Float64Array(2 ** n) };
    start.re[0] = 1;
    const a = run(circuit, params, start);
    const device = trial % 2 === 0 ? 'aria' : 'forte';
    const kept = fromIonqJson(JSON.stringify(toIonqJson(circuit, { native: true, parameters: params, device, finalPhases: 'keep' })));
    assert.ok(kept.gates.every((g) => ['gpi', 'gpi2', 'ms', 'zz'].includes(g.kind)));
    const b = run(kept, [], start);
    const ip = innerProduct(a, b);
    assert.ok(Math.abs(Math.hypot(ip.re, ip.im) - 1) < 1e-10, `trial ${trial}: |<a|b>| = ${Math.hypot(ip.re, ip.im)}`);
    const dropped = run(fromIonqJson(JSON.stringify(toIonqJson(circuit, { native: true, parameters: params, device }))), [], start);
    for (let k = 0; k < 2 ** n; k++) {
      assert.ok(Math.abs(a.re[k] ** 2 + a.im[k] ** 2 - dropped.re[k] ** 2 - dropped.im[k] ** 2) < 1e-10);
    }
  }
});
