/**
 * The circuit a noisy device runs: Pauli rotations (multi-qubit exp(−iθP/2), controlled or not)
 * are not hardware gates, so they are compiled to CNOT and one-qubit gates by the circuit stage's
 * `decompose` before noise is attached; every other gate is kept and carries the noise of its
 * qubit count (one-qubit noise for one-qubit gates, two-qubit noise for two-qubit gates).
 *
 * Gate matrices: U of a one- or two-qubit gate in the local basis |j⟩, j = b0 + 2 b1 with b0 the
 * bit of gate.qubits[0] and b1 that of gate.qubits[1], stored row-major as interleaved complex
 * numbers (m[2(4r+c)], m[2(4r+c)+1] for two qubits; 2×2 likewise). They are read off the exact
 * state-vector kernels (applyGate on each local basis state), so any gate apply.ts knows works.
 */
import { InputError } from '../../core/index.js';
import { decompose, type Circuit, type Gate } from '../../circuits/index.js';
import { applyGate } from '../apply.js';
import { StateVector } from '../statevector.js';

const compiledCache = new WeakMap<Circuit, Circuit>();

/** The circuit with every Pauli rotation decomposed; every gate acts on one or two qubits. */
export function hardwareCircuit(circuit: Circuit): Circuit {
  let out = compiledCache.get(circuit);
  if (out !== undefined) return out;
  const gates: Gate[] = [];
  for (const g of circuit.gates) {
    if (g.kind === 'pauliRotation') {
      const one = decompose({ nQubits: circuit.nQubits, nParameters: circuit.nParameters, gates: [g] });
      for (const h of one.gates) gates.push(h);
    } else {
      if (g.qubits.length < 1 || g.qubits.length > 2) {
        throw new InputError(`noisy simulation: gate ${g.kind} acts on ${g.qubits.length} qubits; only one- and two-qubit gates carry device noise`);
      }
      gates.push(g);
    }
  }
  out = { nQubits: circuit.nQubits, nParameters: circuit.nParameters, gates };
  compiledCache.set(circuit, out);
  return out;
}

/** One- and two-qubit gate counts of the circuit a noisy device runs. */
export function hardwareGateCounts(circuit: Circuit): { oneQubitGates: number; twoQubitGates: number } {
  let one = 0;
  let two = 0;
  for (const g of hardwareCircuit(circuit).gates) {
    if (g.qubits.length === 1) one++;
    else two++;
  }
  return { oneQubitGates: one, twoQubitGates: two };
}

const local1 = new StateVector(1);
const local2 = new StateVector(2);
const LOCAL_QUBITS_1 = [0];
const LOCAL_QUBITS_2 = [0, 1];

/**
 * Writes U of a one- or two-qubit gate (bound to `parameters`) into `out` (length 8 or 32, see
 * the file header) and returns the gate's qubit count.
 */
export function gateMatrix(gate: Gate, parameters: ArrayLike<number>, out: Float64Array): 1 | 2 {
  const arity = gate.qubits.length;
  // A Pauli rotation addresses qubits through its masks, not `qubits`: hardwareCircuit decomposes it.
  if ((arity !== 1 && arity !== 2) || gate.kind === 'pauliRotation') {
    throw new InputError(`noisy simulation: gate ${gate.kind} on ${arity} qubits is not a one- or two-qubit hardware gate`);
  }
  const state = arity === 1 ? local1 : local2;
  const dim = 1 << arity;
  const localGate: Gate = { ...gate, qubits: arity === 1 ? LOCAL_QUBITS_1 : LOCAL_QUBITS_2 };
  for (let c = 0; c < dim; c++) {
    state.reset(c);
    applyGate(state, localGate, parameters);
    for (let r = 0; r < dim; r++) {
      out[2 * (dim * r + c)] = state.re[r];
      out[2 * (dim * r + c) + 1] = state.im[r];
    }
  }
  return arity;
}
