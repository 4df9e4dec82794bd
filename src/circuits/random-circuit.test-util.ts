/**
 * Seeded random circuits over every IR gate kind, and state-vector comparison up to a global phase,
 * for the compilation and format tests.
 */
import { Random } from '../core/random.js';
import { StateVector } from '../backends/statevector.js';
import { applyCircuit } from '../backends/apply.js';
import { innerProduct } from '../backends/observables.js';
import type { Circuit } from './circuit.js';
import { CircuitBuilder } from './builder.js';

/**
 * A random circuit on n ≥ 2 qubits: fixed and parametrised rotations, Clifford+T gates, CNOT, CZ,
 * SWAP and (controlled) Pauli rotations, with `nParameters` parameters; `repeats` makes adjacent
 * same-qubit gates likely so that peephole rules fire.
 */
export function randomCircuit(n: number, nGates: number, rng: Random, nParameters = 2, options: { pauli?: boolean } = {}): Circuit {
  const b = new CircuitBuilder(n);
  for (let p = 0; p < nParameters; p++) b.parameter();
  const one = ['h', 'x', 'y', 'z', 's', 'sdg', 't', 'tdg'] as const;
  for (let k = 0; k < nGates; k++) {
    const a = rng.int(n);
    let c = rng.int(n - 1);
    if (c >= a) c++;
    const angle = (): number | { parameter: number; factor: number; offset: number } =>
      nParameters > 0 && rng.int(2) === 0
        ? { parameter: rng.int(nParameters), factor: rng.uniform(-2, 2), offset: rng.uniform(-1, 1) }
        : rng.int(4) === 0
          ? (Math.PI / 2) * (rng.int(9) - 4)
          : rng.uniform(-4, 4);
    const choice = rng.int(options.pauli === false ? 8 : 10);
    switch (choice) {
      case 0:
      case 1:
        b.gate({ kind: one[rng.int(one.length)], qubits: [a], angle: 0, parameter: -1, factor: 0 });
        break;
      case 2:
        b.rx(a, angle());
        break;
      case 3:
        b.ry(a, angle());
        break;
      case 4:
        b.rz(a, angle());
        break;
      case 5:
        b.cnot(a, c);
        break;
      case 6:
        if (rng.int(2) === 0) b.cz(a, c);
        else b.swap(a, c);
        break;
      case 7: {
        // an adjacent repeat or inverse of the last gate
        const built = b.build().gates;
        if (built.length > 0) b.gate(built[built.length - 1]);
        break;
      }
      case 8:
      case 9: {
        const x = rng.int(2 ** n);
        const z = rng.int(2 ** n);
        if ((x | z) === 0) break;
        const free = [...Array(n).keys()].filter((q) => !(((x | z) >>> q) & 1));
        if (choice === 9 && free.length > 0) b.controlledPauliRotation(free[rng.int(free.length)], x, z, angle());
        else b.pauliRotation(x, z, angle());
        break;
      }
    }
  }
  return b.build();
}

/** The state U(θ)|start⟩ (|0…0⟩ by default). */
export function runCircuit(circuit: Circuit, parameters: ArrayLike<number> = [], start?: { re: Float64Array; im: Float64Array }): StateVector {
  const s = start === undefined ? new StateVector(circuit.nQubits) : StateVector.fromAmplitudes(start.re.slice(), start.im.slice());
  applyCircuit(s, circuit, parameters);
  return s;
}

/** |⟨a|b⟩| of normalised states: 1 exactly when they are equal up to a global phase. */
export function overlapModulus(a: StateVector, b: StateVector): number {
  const ip = innerProduct(a, b);
  return Math.hypot(ip.re, ip.im);
}

/** Largest difference of basis-state probabilities. */
export function probabilityDifference(a: StateVector, b: StateVector): number {
  let worst = 0;
  for (let i = 0; i < a.re.length; i++) {
    worst = Math.max(worst, Math.abs(a.re[i] ** 2 + a.im[i] ** 2 - b.re[i] ** 2 - b.im[i] ** 2));
  }
  return worst;
}
