import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Circuit } from '../circuits/circuit.js';
import { ConvergenceError } from '../core/errors.js';
import { StateVectorSimulator } from '../backends/statevector-simulator.js';
import type { Estimator } from '../backends/primitives.js';
import type { PauliSumData } from '../qubits/pauli-layout.js';
import { vqe, vqeOnBackend } from './vqe.js';

// H = a Z0 + b Z1 + c Z0Z1 + d X0X1 + e Y0Y1 + f. In the one-excitation block {|01⟩, |10⟩}
// (index 1 = qubit 0 set, index 2 = qubit 1 set) H = [[f − a + b − c, d + e], [d + e, f + a − b − c]],
// so the lowest eigenvalue there is f − c − sqrt((a − b)² + (d + e)²).
const [a, b, c, d, e, f] = [0.35, -0.21, 0.17, 0.09, 0.06, -0.4];
const toy: PauliSumData = {
  nQubits: 2,
  x: Uint32Array.of(0, 0, 0, 3, 3, 0),
  z: Uint32Array.of(1, 2, 3, 0, 3, 0),
  coeffRe: Float64Array.of(a, b, c, d, e, f),
  coeffIm: new Float64Array(6),
};
const exactBlockMinimum = f - c - Math.sqrt((a - b) ** 2 + (d + e) ** 2);
// X on qubit 0 prepares |01⟩; exp(−iθ X0Y1 / 2) rotates within the block.
const ansatz: Circuit = {
  nQubits: 2,
  nParameters: 1,
  gates: [
    { kind: 'x', qubits: [0], angle: 0, parameter: -1, factor: 0 },
    { kind: 'pauliRotation', qubits: [0, 1], angle: 0, parameter: 0, factor: 1, pauliX: 3, pauliZ: 2 },
  ],
};

test('exact VQE reaches the analytic ground energy of a two-qubit block Hamiltonian', () => {
  const r = vqe(toy, ansatz, { initialParameters: [0.1], gradientTolerance: 1e-10 });
  assert.ok(Math.abs(r.energyHartree - exactBlockMinimum) < 1e-12, `${r.energyHartree} vs ${exactBlockMinimum}`);
  assert.equal(r.converged, true);
  assert.equal(r.standardErrorHartree, 0);
  assert.equal(r.qubits, 2);
  assert.deepEqual(
    { depth: r.circuit.depth, one: r.circuit.oneQubitGates, two: r.circuit.twoQubitGates },
    // X on 0 ∥ basis change on 1; basis change on 0; CNOT; RZ; CNOT; basis changes back.
    { depth: 6, one: 6, two: 2 },
  );
});

test('VQE through the state-vector Estimator (parameter shift) agrees with the adjoint route', async () => {
  const simulator = new StateVectorSimulator();
  // Forwarding run() only hides the exact-gradient capability, so the parameter-shift route runs.
  const backend: Estimator = { kind: 'estimator', info: simulator.info, run: (pubs) => simulator.run(pubs) };
  const r = await vqeOnBackend(toy, ansatz, backend, { initialParameters: [0.1], gradientTolerance: 1e-10 });
  assert.ok(Math.abs(r.energyHartree - exactBlockMinimum) < 1e-12);
  assert.equal(r.gradientMethod, 'parameter-shift');
  assert.equal(r.backend.name, 'statevector');
  assert.equal(r.standardErrorHartree, 0);
});

test('VQE raises ConvergenceError when the iteration limit is too small', () => {
  // Start far away and allow a single iteration on a 1e-14 gradient tolerance.
  assert.throws(
    () => vqe(toy, ansatz, { initialParameters: [2.5], maxIterations: 1, gradientTolerance: 1e-14, energyTolerance: 0 }),
    ConvergenceError,
  );
});
