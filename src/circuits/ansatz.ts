/**
 * Ansätze that need no fermion mapping: the Hartree–Fock reference as X gates and the
 * hardware-efficient ansatz (layers of one-qubit rotations and CNOT entanglers).
 */
import { InputError } from '../core/index.js';
import type { Circuit } from './circuit.js';
import { CircuitBuilder } from './builder.js';

/** Qubit indices of a basis state given as a bit mask (qubit 0 = least significant bit) or a list. */
function qubitsOfBits(nQubits: number, bits: number | Iterable<number>): number[] {
  const qubits: number[] = [];
  if (typeof bits === 'number') {
    if (!Number.isInteger(bits) || bits < 0 || bits >= 2 ** nQubits) {
      throw new InputError(`Hartree–Fock bits ${bits} outside the ${nQubits}-qubit register`);
    }
    for (let q = 0; q < nQubits; q++) if (Math.floor(bits / 2 ** q) % 2 === 1) qubits.push(q);
  } else {
    for (const q of bits) {
      if (!Number.isInteger(q) || q < 0 || q >= nQubits) throw new InputError(`Hartree–Fock qubit ${q} outside the ${nQubits}-qubit register`);
      if (!qubits.includes(q)) qubits.push(q);
    }
  }
  return qubits;
}

/**
 * X gates preparing the computational basis state |bits⟩ from |0…0⟩: `bits` is the basis index
 * (e.g. from the qubit stage's `occupationToQubitBits`) or the list of qubits to set.
 */
export function hartreeFockCircuit(nQubits: number, bits: number | Iterable<number>): Circuit {
  const b = new CircuitBuilder(nQubits);
  for (const q of qubitsOfBits(nQubits, bits)) b.x(q);
  return b.build();
}

/** Options of {@link hardwareEfficientAnsatz}. */
export interface HardwareEfficientOptions {
  /** Rotation layer: RY on every qubit, or RY then RZ on every qubit (default 'ry'). */
  rotations?: 'ry' | 'ryrz';
  /** Entangler: CNOT(q, q+1) for q = 0…n−2, plus CNOT(n−1, 0) when circular and n > 2 (default 'linear'). */
  entangler?: 'linear' | 'circular';
  /** Basis state prepared with X gates before the first layer (bit mask or qubit list; default none). */
  initialBits?: number | Iterable<number>;
}

/**
 * Hardware-efficient ansatz: `layers` repetitions of (rotation layer, entangler) followed by a final
 * rotation layer. Parameters are numbered layer by layer, qubit by qubit (RY before RZ), so there are
 * (layers + 1) · n · (1 or 2) of them. With all parameters zero only the X gates and CNOTs act, so
 * from |0…0⟩ the circuit is the identity.
 */
export function hardwareEfficientAnsatz(nQubits: number, layers: number, options: HardwareEfficientOptions = {}): Circuit {
  if (!Number.isInteger(layers) || layers < 0) throw new InputError(`hardware-efficient ansatz: layers must be a non-negative integer, got ${layers}`);
  const rotations = options.rotations ?? 'ry';
  const entangler = options.entangler ?? 'linear';
  if (rotations !== 'ry' && rotations !== 'ryrz') throw new InputError(`hardware-efficient ansatz: unknown rotations '${rotations}'`);
  if (entangler !== 'linear' && entangler !== 'circular') throw new InputError(`hardware-efficient ansatz: unknown entangler '${entangler}'`);
  const b = new CircuitBuilder(nQubits);
  if (options.initialBits !== undefined) for (const q of qubitsOfBits(nQubits, options.initialBits)) b.x(q);
  const rotationLayer = (): void => {
    for (let q = 0; q < nQubits; q++) {
      b.ry(q, { parameter: b.parameter() });
      if (rotations === 'ryrz') b.rz(q, { parameter: b.parameter() });
    }
  };
  for (let l = 0; l < layers; l++) {
    rotationLayer();
    for (let q = 0; q + 1 < nQubits; q++) b.cnot(q, q + 1);
    if (entangler === 'circular' && nQubits > 2) b.cnot(nQubits - 1, 0);
  }
  rotationLayer();
  return b.build();
}
