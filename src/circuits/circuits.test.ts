import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { StateVector } from '../backends/statevector.js';
import { applyCircuit } from '../backends/apply.js';
import { innerProduct } from '../backends/observables.js';
import type { Circuit } from './circuit.js';
import { CircuitBuilder, concatenateCircuits, inverseCircuit, validateCircuit } from './builder.js';
import { circuitStatistics, decompose } from './decompose.js';
import { hardwareEfficientAnsatz, hartreeFockCircuit } from './ansatz.js';
import { embedOneQubit, matVec, maxDiff, oneQubitMatrix, randomState } from '../backends/dense-reference.test-util.js';

/** |⟨a|b⟩| for normalised states: 1 when equal up to a global phase. */
function overlapModulus(a: StateVector, b: StateVector): number {
  const ip = innerProduct(a, b);
  return Math.hypot(ip.re, ip.im);
}

function run(circuit: Circuit, params: Float64Array, start: { re: Float64Array; im: Float64Array }): StateVector {
  const s = StateVector.fromAmplitudes(start.re, start.im);
  applyCircuit(s, circuit, params);
  return s;
}

function randomCircuit(n: number, rng: Random, nGates: number): Circuit {
  const b = new CircuitBuilder(n);
  const p0 = b.parameter();
  const p1 = b.parameter();
  for (let k = 0; k < nGates; k++) {
    const a = rng.int(n);
    let c = rng.int(n - 1);
    if (c >= a) c++;
    switch (rng.int(8)) {
      case 0:
        b.h(a).t(c).sdg(a);
        break;
      case 1:
        b.rx(a, { parameter: p0, factor: 0.7, offset: 0.2 }).cz(a, c);
        break;
      case 2:
        b.swap(a, c).ry(c, 1.1);
        break;
      case 3:
        b.cnot(a, c).rz(a, { parameter: p1 });
        break;
      default: {
        let x = 0;
        let z = 0;
        while ((x | z) === 0) {
          x = rng.int(2 ** n);
          z = rng.int(2 ** n);
        }
        if (rng.int(3) === 0) {
          // Controlled: pick a control outside the string when there is one.
          const free = [...Array(n).keys()].filter((q) => (((x | z) >>> q) & 1) === 0);
          if (free.length > 0) {
            b.controlledPauliRotation(free[rng.int(free.length)], x, z, { parameter: p0, factor: -1.3 });
            break;
          }
        }
        b.pauliRotation(x, z, { parameter: p1, factor: 2, offset: -0.4 });
      }
    }
  }
  return b.build();
}

test('decompose gives CNOT + one-qubit gates preparing the same state', () => {
  const rng = new Random(31);
  for (const n of [2, 3, 5]) {
    for (let rep = 0; rep < 6; rep++) {
      const c = randomCircuit(n, rng, 12);
      const d = decompose(c);
      assert.ok(d.gates.every((g) => g.kind === 'cnot' || g.qubits.length === 1));
      assert.ok(d.gates.every((g) => g.kind !== 'pauliRotation' && g.kind !== 'cz' && g.kind !== 'swap'));
      const params = new Float64Array([rng.uniform(-3, 3), rng.uniform(-3, 3)]);
      const start = randomState(2 ** n, rng);
      const a = run(c, params, start);
      const b = run(d, params, start);
      assert.ok(Math.abs(overlapModulus(a, b) - 1) < 1e-12, `n=${n} rep=${rep}`);
    }
  }
  // Controlled identity rotation = relative phase on the control: a real effect, kept.
  const ci = new CircuitBuilder(2).h(1).controlledPauliRotation(1, 0, 0, 0.9).h(1).build();
  const v = randomState(4, rng);
  const s1 = run(ci, new Float64Array(0), v);
  const s2 = run(decompose(ci), new Float64Array(0), v);
  assert.equal(decompose(ci).gates.length, 3);
  assert.ok(Math.abs(overlapModulus(s1, s2) - 1) < 1e-12);
  assert.ok(overlapModulus(s1, StateVector.fromAmplitudes(v.re, v.im)) < 0.9999);
});

test('decomposition gate counts of known circuits', () => {
  const zzz = new CircuitBuilder(3).pauliRotation(0, 0b111, 0.3).build();
  const st = circuitStatistics(zzz);
  assert.deepEqual(
    { one: st.oneQubitGates, two: st.twoQubitGates, depth: st.depth, qubits: st.qubits },
    { one: 1, two: 4, depth: 5, qubits: 3 },
  );
  // YYY: 3 RX before and after, 4 CNOTs, 1 RZ; depth = 1 + 2 + 1 + 2 + 1.
  const yyy = circuitStatistics(new CircuitBuilder(3).pauliRotation(0b111, 0b111, 0.3).build());
  assert.equal(yyy.twoQubitGates, 4);
  assert.equal(yyy.oneQubitGates, 7);
  assert.equal(yyy.depth, 7);
  // SWAP = 3 CNOT, CZ = H CNOT H.
  const sw = circuitStatistics(new CircuitBuilder(2).swap(0, 1).build());
  assert.equal(sw.twoQubitGates, 3);
  assert.equal(sw.depth, 3);
  const cz = circuitStatistics(new CircuitBuilder(2).cz(0, 1).build());
  assert.deepEqual([cz.oneQubitGates, cz.twoQubitGates, cz.depth], [2, 1, 3]);
  // Controlled XZ rotation on (q1,q3) with control q0: 2(2−1)+2 = 4 CNOTs, 2 RZ + 2 H.
  const cp = circuitStatistics(new CircuitBuilder(4).controlledPauliRotation(0, 0b0010, 0b1000, 0.5).build());
  assert.deepEqual([cp.oneQubitGates, cp.twoQubitGates], [4, 4]);
  // Parallel gates on disjoint qubits share a layer.
  const par = circuitStatistics(new CircuitBuilder(4).h(0).h(1).cnot(2, 3).cnot(0, 1).build());
  assert.equal(par.depth, 2);
  // Weight-1 rotation is one gate; identity rotation none.
  assert.equal(circuitStatistics(new CircuitBuilder(2).pauliRotation(2, 2, 1).build()).oneQubitGates, 1);
  assert.equal(decompose(new CircuitBuilder(2).pauliRotation(0, 0, 1).build()).gates.length, 0);
});

test('hardware-efficient ansatz structure and parameters', () => {
  const c = hardwareEfficientAnsatz(4, 2, { rotations: 'ryrz', entangler: 'circular' });
  assert.equal(c.nParameters, 3 * 4 * 2);
  const st = circuitStatistics(c);
  assert.equal(st.twoQubitGates, 2 * 4);
  assert.equal(st.oneQubitGates, 24);
  const lin = hardwareEfficientAnsatz(3, 1);
  assert.equal(lin.nParameters, 6);
  assert.equal(circuitStatistics(lin).twoQubitGates, 2);
  // Zero parameters: only the X gates and CNOT ladder act; |0001⟩ → CNOT(0,1) CNOT(1,2) CNOT(2,3) → |1111⟩.
  const hf = hardwareEfficientAnsatz(4, 1, { initialBits: 0b0001 });
  const s = new StateVector(4);
  applyCircuit(s, hf, new Float64Array(hf.nParameters));
  assert.ok(Math.abs(s.re[0b1111] - 1) < 1e-14);
  // One RY(θ) on a single qubit with zero layers: amplitudes cos, sin.
  const single = hardwareEfficientAnsatz(1, 0);
  const t = new StateVector(1);
  applyCircuit(t, single, new Float64Array([0.8]));
  assert.ok(Math.abs(t.re[0] - Math.cos(0.4)) < 1e-15 && Math.abs(t.re[1] - Math.sin(0.4)) < 1e-15);
  assert.throws(() => hardwareEfficientAnsatz(3, -1));
});

test('Hartree–Fock circuit, builder helpers, inverse and concatenation', () => {
  const hf = hartreeFockCircuit(6, 0b001111);
  const s = new StateVector(6);
  applyCircuit(s, hf);
  assert.equal(s.re[0b001111], 1);
  assert.deepEqual(hartreeFockCircuit(4, [0, 2]).gates.map((g) => g.qubits[0]), [0, 2]);
  assert.throws(() => hartreeFockCircuit(3, 8));
  const rng = new Random(32);
  const c = randomCircuit(3, rng, 10);
  const params = new Float64Array([0.4, -1.2]);
  const start = randomState(8, rng);
  const back = run(inverseCircuit(c), params, { re: run(c, params, start).re, im: run(c, params, start).im });
  assert.ok(maxDiff(back.re, start.re) < 1e-12 && maxDiff(back.im, start.im) < 1e-12);
  const both = concatenateCircuits(c, c);
  assert.equal(both.nParameters, 4);
  assert.equal(both.gates.length, 2 * c.gates.length);
  const twice = run(both, new Float64Array([0.4, -1.2, 0.4, -1.2]), start);
  const ref = run(c, params, { re: run(c, params, start).re, im: run(c, params, start).im });
  assert.ok(maxDiff(twice.re, ref.re) < 1e-12);
  // Builder: parametrised rotation against the dense matrix; validation errors.
  const b = new CircuitBuilder(2);
  b.rx(1, { parameter: b.parameter(), factor: 2, offset: 0.1 });
  const v = randomState(4, rng);
  const out = run(b.build(), new Float64Array([0.3]), v);
  const want = matVec(embedOneQubit(2, 1, oneQubitMatrix('rx', 0.7)), v.re, v.im);
  assert.ok(maxDiff(out.re, want.re) < 1e-14 && maxDiff(out.im, want.im) < 1e-14);
  assert.throws(() => new CircuitBuilder(2).cnot(0, 0));
  assert.throws(() => new CircuitBuilder(2).h(2));
  assert.throws(() => new CircuitBuilder(2).controlledPauliRotation(0, 1, 0, 0.1));
  assert.throws(() => validateCircuit({ nQubits: 2, nParameters: 0, gates: [{ kind: 'rx', qubits: [0], angle: 0, parameter: 0, factor: 1 }] }));
});

test('OpenQASM export of a small circuit', async () => {
  const { toOpenQasm } = await import('./qasm.js');
  const b = new CircuitBuilder(2);
  b.h(0).cz(0, 1).ry(1, { parameter: b.parameter(), factor: 2, offset: 0.5 });
  const c = b.build();
  assert.equal(
    toOpenQasm(c),
    [
      'OPENQASM 3.0;',
      'include "stdgates.inc";',
      'input float[64] theta_0;',
      'qubit[2] q;',
      'h q[0];',
      'h q[1];',
      'cx q[0], q[1];',
      'h q[1];',
      'ry(0.5 + 2 * theta_0) q[1];',
      '',
    ].join('\n'),
  );
  const q2 = toOpenQasm(c, { version: 2, parameters: [0.25], measure: true });
  assert.ok(q2.startsWith('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\n'));
  assert.ok(q2.includes('ry(1) q[1];') && q2.endsWith('measure q -> c;\n'));
  assert.throws(() => toOpenQasm(c, { version: 2 }));
});
