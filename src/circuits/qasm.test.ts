import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { InputError } from '../core/errors.js';
import { StateVector } from '../backends/statevector.js';
import { embedOneQubit, embedTwoQubit, matVec, randomState } from '../backends/dense-reference.test-util.js';
import { CircuitBuilder } from './builder.js';
import { toOpenQasm } from './qasm.js';
import { parseOpenQasm } from './qasm-import.js';
import { overlapModulus, randomCircuit, runCircuit } from './random-circuit.test-util.js';

test('OpenQASM 2 and 3 export → import round trips preserve the state (random circuits)', () => {
  const rng = new Random(5150);
  for (let trial = 0; trial < 20; trial++) {
    const n = 2 + rng.int(3);
    const circuit = randomCircuit(n, 30, rng);
    const params = [rng.uniform(-3, 3), rng.uniform(-3, 3)];
    const start = randomState(2 ** n, rng);
    const want = runCircuit(circuit, params, start);
    for (const version of [2, 3] as const) {
      const back = parseOpenQasm(toOpenQasm(circuit, { version, parameters: params, measure: trial % 3 === 0 }), `t${trial}.qasm`);
      assert.equal(back.version, version);
      assert.equal(back.circuit.nParameters, 0);
      assert.ok(1 - overlapModulus(runCircuit(back.circuit, [], start), want) < 1e-12, `v${version} trial ${trial}`);
    }
    // OpenQASM 3 with symbolic inputs keeps the parameters
    const symbolic = parseOpenQasm(toOpenQasm(circuit, { version: 3 }));
    assert.deepEqual(symbolic.parameterNames, ['theta_0', 'theta_1']);
    assert.ok(1 - overlapModulus(runCircuit(symbolic.circuit, params, start), want) < 1e-12, `symbolic trial ${trial}`);
  }
});

test('OpenQASM import of the standard gates against their textbook matrices', () => {
  const rng = new Random(8);
  const c = (x: number, y: number) => ({ re: x, im: y });
  const e = (a: number) => c(Math.cos(a), Math.sin(a));
  const m2 = (v: { re: number; im: number }[]) => ({ re: v.map((z) => z.re), im: v.map((z) => z.im) });
  const [th, ph, la] = [0.7, -1.3, 2.1];
  const u3 = m2([c(Math.cos(th / 2), 0), { re: -e(la).re * Math.sin(th / 2), im: -e(la).im * Math.sin(th / 2) },
    { re: e(ph).re * Math.sin(th / 2), im: e(ph).im * Math.sin(th / 2) }, { re: e(ph + la).re * Math.cos(th / 2), im: e(ph + la).im * Math.cos(th / 2) }]);
  const diag4 = (d: { re: number; im: number }[]) => {
    const re = new Array<number>(16).fill(0);
    const im = new Array<number>(16).fill(0);
    d.forEach((z, k) => { re[k * 5] = z.re; im[k * 5] = z.im; });
    return { re, im };
  };
  const cases: [string, ReturnType<typeof embedOneQubit>][] = [
    [`u3(${th}, ${ph}, ${la}) q[1];`, embedOneQubit(3, 1, u3)],
    [`U(0.7, -1.3, 2.1) q[1];`, embedOneQubit(3, 1, u3)],
    [`u2(-1.3, 2.1) q[2];`, embedOneQubit(3, 2, m2([c(Math.SQRT1_2, 0), { re: -e(la).re * Math.SQRT1_2, im: -e(la).im * Math.SQRT1_2 },
      { re: e(ph).re * Math.SQRT1_2, im: e(ph).im * Math.SQRT1_2 }, { re: e(ph + la).re * Math.SQRT1_2, im: e(ph + la).im * Math.SQRT1_2 }]))],
    [`u1(pi/3) q[0];`, embedOneQubit(3, 0, m2([c(1, 0), c(0, 0), c(0, 0), e(Math.PI / 3)]))],
    [`sx q[0];`, embedOneQubit(3, 0, m2([c(0.5, 0.5), c(0.5, -0.5), c(0.5, -0.5), c(0.5, 0.5)]))],
    // basis bit_a + 2 bit_b with a = control: |11⟩ is index 3
    [`cu1(0.9) q[0], q[2];`, embedTwoQubit(3, 0, 2, diag4([c(1, 0), c(1, 0), c(1, 0), e(0.9)]))],
    [`rzz(0.4) q[2], q[1];`, embedTwoQubit(3, 2, 1, diag4([e(-0.2), e(0.2), e(0.2), e(-0.2)]))],
    [`crz(0.6) q[1], q[0];`, embedTwoQubit(3, 1, 0, diag4([c(1, 0), e(-0.3), c(1, 0), e(0.3)]))],
  ];
  for (const [line, dense] of cases) {
    for (const header of ['OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\n', 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[3] q;\n']) {
      const { circuit } = parseOpenQasm(header + line + '\n');
      const v = randomState(8, rng);
      const got = runCircuit(circuit, [], v);
      const want = matVec(dense, v.re, v.im);
      assert.ok(1 - overlapModulus(got, StateVector.fromAmplitudes(want.re, want.im)) < 1e-13, line);
    }
  }
  // registers laid end to end, broadcast, comments, measurement and inputs in expressions
  const prog = parseOpenQasm(
    'OPENQASM 3;\ninclude "stdgates.inc";\n/* two\nregisters */ input float[64] a;\nqubit[2] q;\nqubit r; bit[3] c;\nh q; // both\ncx q[1], r;\nrz(2*a - pi/2) r;\nbarrier q, r;\nc[0] = measure q[0];\n',
  );
  assert.equal(prog.circuit.nQubits, 3);
  assert.deepEqual(prog.parameterNames, ['a']);
  assert.equal(prog.measured, true);
  assert.deepEqual(prog.circuit.gates.map((g) => [g.kind, ...g.qubits]), [['h', 0], ['h', 1], ['cnot', 1, 2], ['rz', 2]]);
  assert.equal(prog.circuit.gates[3].factor, 2);
  assert.ok(Math.abs(prog.circuit.gates[3].angle + Math.PI / 2) < 1e-15);
});

test('OpenQASM import errors name file:line:column', () => {
  const bad: [string, RegExp][] = [
    ['OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n\nfoo q[0];\n', /^bad\.qasm:5:1: unknown gate 'foo'$/],
    ['OPENQASM 2.0;\nqreg q[2];\nh q[2];\n', /^bad\.qasm:3:5: index 2 outside register 'q' of size 2$/],
    ['OPENQASM 2.0;\nqreg q[2];\ncx q[0];\n', /^bad\.qasm:3:1: gate 'cx' acts on 2 qubits, got 1$/],
    ['OPENQASM 2.0;\nqreg q[2];\nrx(theta) q[0];\n', /^bad\.qasm:3:4: unknown identifier 'theta'$/],
    ['OPENQASM 4.0;\n', /^bad\.qasm:1:10: unsupported OpenQASM version/],
    ['OPENQASM 2.0;\nqreg q[2];\nh q[0]\nh q[1];\n', /^bad\.qasm:4:1: expected ';', found 'h'$/],
    ['OPENQASM 3;\nqubit[1] q;\ninput float x;\nrx(x*x) q[0];\n', /^bad\.qasm:4:5: an angle must be linear/],
    ['OPENQASM 2.0;\ninclude "other.inc";\n', /^bad\.qasm:2:9: cannot include 'other.inc'/],
    ['OPENQASM 2.0;\nqreg q[1];\ngate g a { h a; }\n', /^bad\.qasm:3:1: gate definitions are not supported$/],
    ['OPENQASM 2.0;\nqreg q[1];\nh q[0]; # x\n', /^bad\.qasm:3:9: unexpected character '#'$/],
  ];
  for (const [text, pattern] of bad) {
    assert.throws(() => parseOpenQasm(text, 'bad.qasm'), (e: unknown) => e instanceof InputError && pattern.test(e.message), text);
  }
  assert.throws(() => toOpenQasm(new CircuitBuilder(1).gpi(0, 0.1).build()), /native gate 'gpi'/);
});
