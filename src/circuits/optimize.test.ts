import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { randomState } from '../backends/dense-reference.test-util.js';
import { CircuitBuilder } from './builder.js';
import type { Circuit } from './circuit.js';
import { compiledGateCounts, decompose } from './decompose.js';
import { optimizeCircuit } from './optimize.js';
import { overlapModulus, randomCircuit, runCircuit } from './random-circuit.test-util.js';

const kinds = (c: Circuit): string[] => c.gates.map((g) => g.kind);

test('peephole optimisation preserves the state of random circuits for random parameters', () => {
  const rng = new Random(99);
  let before = 0;
  let after = 0;
  for (let trial = 0; trial < 40; trial++) {
    const n = 2 + rng.int(3);
    const circuit = trial % 2 === 0 ? randomCircuit(n, 40, rng) : decompose(randomCircuit(n, 25, rng));
    const optimized = optimizeCircuit(circuit);
    assert.equal(optimized.nParameters, circuit.nParameters);
    before += circuit.gates.length;
    after += optimized.gates.length;
    for (let k = 0; k < 3; k++) {
      const params = [rng.uniform(-4, 4), rng.uniform(-4, 4)];
      const start = randomState(2 ** n, rng);
      const o = overlapModulus(runCircuit(optimized, params, start), runCircuit(circuit, params, start));
      assert.ok(1 - o < 1e-12, `trial ${trial}: overlap ${o}`);
    }
  }
  assert.ok(after < before, 'something was removed');
});

test('peephole rules: cancellations through commuting gates, merges, identities', () => {
  // H X X H → nothing (cascading cancellation)
  assert.deepEqual(kinds(optimizeCircuit(new CircuitBuilder(1).h(0).x(0).x(0).h(0).build())), []);
  // CNOT · RZ(control) · X(target) · CNOT → RZ, X (both commute with the CNOT)
  assert.deepEqual(kinds(optimizeCircuit(new CircuitBuilder(2).cnot(0, 1).rz(0, 0.3).x(1).cnot(0, 1).build())), ['rz', 'x']);
  // but not through an H on the target
  assert.equal(optimizeCircuit(new CircuitBuilder(2).cnot(0, 1).h(1).cnot(0, 1).build()).gates.length, 3);
  // CNOTs sharing a control commute: CNOT(0,1) CNOT(0,2) CNOT(0,1) → CNOT(0,2)
  assert.deepEqual(optimizeCircuit(new CircuitBuilder(3).cnot(0, 1).cnot(0, 2).cnot(0, 1).build()).gates.map((g) => g.qubits), [[0, 2]]);
  // S S† and T T† cancel, S S = Z, CZ is symmetric
  assert.deepEqual(kinds(optimizeCircuit(new CircuitBuilder(2).s(0).t(1).sdg(0).tdg(1).cz(0, 1).cz(1, 0).build())), []);
  assert.deepEqual(kinds(optimizeCircuit(new CircuitBuilder(1).s(0).s(0).build())), ['z']);
  // fixed rotations merge; 4π is the identity, 2π is not dropped (it is −I)
  const merged = optimizeCircuit(new CircuitBuilder(1).rx(0, 0.25).rx(0, 0.5).build());
  assert.equal(merged.gates.length, 1);
  assert.ok(Math.abs(merged.gates[0].angle - 0.75) < 1e-15);
  assert.deepEqual(kinds(optimizeCircuit(new CircuitBuilder(1).ry(0, 3 * Math.PI).ry(0, Math.PI).build())), []);
  assert.equal(optimizeCircuit(new CircuitBuilder(1).ry(0, Math.PI).ry(0, Math.PI).build()).gates.length, 1);
  // parametrised: same parameter merges (and cancels structurally), different parameters stay
  const b = new CircuitBuilder(1);
  const p = b.parameter();
  const q = b.parameter();
  b.rz(0, { parameter: p, factor: 2 }).rz(0, { parameter: p, factor: -2 }).rz(0, { parameter: q }).rz(0, { parameter: p });
  const opt = optimizeCircuit(b.build());
  assert.equal(opt.gates.length, 2);
  assert.equal(opt.nParameters, 2);
  // a Pauli rotation merges with an equal one through a commuting string
  const pr = optimizeCircuit(new CircuitBuilder(2).pauliRotation(0b11, 0, 0.2).pauliRotation(0, 0b11, 0.1).pauliRotation(0b11, 0, 0.3).build());
  assert.equal(pr.gates.length, 2);
  assert.equal(optimizeCircuit(new CircuitBuilder(2).rz(0, 0).rx(1, 4 * Math.PI).build()).gates.length, 0);
});

test('compiled gate counts of known circuits', () => {
  // GHZ on 3 qubits: H, CNOT(0,1), CNOT(1,2) → 1 one-qubit, 2 two-qubit, depth 3
  assert.deepEqual(compiledGateCounts(new CircuitBuilder(3).h(0).cnot(0, 1).cnot(1, 2).build()), { oneQubit: 1, twoQubit: 2, total: 3, depth: 3 });
  // exp(−iθ XYZ/2): H, RX(π/2), ladder of 2 CNOTs, RZ, ladder, RX(−π/2), H → 5 one-qubit, 4 CNOT, depth 7
  assert.deepEqual(compiledGateCounts(new CircuitBuilder(3).pauliRotation(0b011, 0b110, 0.3).build()), { oneQubit: 5, twoQubit: 4, total: 9, depth: 7 });
  // SWAP = 3 CNOTs, parallel one-qubit gates share a layer
  assert.deepEqual(compiledGateCounts(new CircuitBuilder(2).x(0).x(1).swap(0, 1).build()), { oneQubit: 2, twoQubit: 3, total: 5, depth: 4 });
  // native gates are counted as they are
  assert.deepEqual(compiledGateCounts(new CircuitBuilder(2).gpi2(0, 0.1).ms(0, 1, 0, 0).zz(0, 1, 0.1).build()), { oneQubit: 1, twoQubit: 2, total: 3, depth: 3 });
});
