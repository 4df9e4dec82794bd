/**
 * Compilation of the gate IR to CNOT + one-qubit gates, and resource counts of the result.
 *
 * Rules (the textbook Pauli-gadget construction):
 * - one-qubit gates and CNOT stay; CZ(a,b) = H(b) CNOT(a,b) H(b); SWAP(a,b) = 3 CNOTs.
 * - Pauli rotation exp(−iθP/2) on qubits q_0 < … < q_{k−1}: basis change (H for X, RX(π/2) for Y:
 *   RX(−π/2) Z RX(π/2) = Y), CNOT ladder q_0→q_1→…→q_{k−1} (k−1 CNOTs), RZ(θ) on q_{k−1}, the ladder
 *   reversed and the basis change undone: 2(k−1) CNOTs. A weight-1 rotation is the one-qubit
 *   RX/RY/RZ itself; weight 0 is a global phase and is dropped.
 * - Controlled Pauli rotation: the same with RZ(θ) replaced by a controlled RZ,
 *   CRZ(θ) = RZ(θ/2)_t CNOT(c,t) RZ(−θ/2)_t CNOT(c,t): 2(k−1) + 2 CNOTs. Weight 0 with a control is
 *   the phase diag(1, e^{−iθ/2}) on the control = RZ(−θ/2) up to a global phase.
 * - IonQ's native gates (gpi, gpi2, ms, zz) are hardware gates already and stay.
 * Parametrised angles stay parametrised (angle and factor scaled together), so the compiled circuit
 * takes the same parameter vector and prepares the same state up to a global phase.
 */
import type { Circuit, Gate } from './circuit.js';
import { isNativeGate, isOneQubitGate, pauliQubits, validateCircuit } from './builder.js';

function fixedGate(kind: Gate['kind'], qubits: number[], angle = 0): Gate {
  return { kind, qubits, angle, parameter: -1, factor: 0 };
}

/** A one-qubit rotation carrying `scale` times the angle of gate g (parameter shared). */
function scaledRotation(kind: 'rx' | 'ry' | 'rz', q: number, g: Gate, scale: number): Gate {
  return { kind, qubits: [q], angle: scale * g.angle, parameter: g.parameter, factor: g.parameter >= 0 ? scale * g.factor : 0 };
}

function decomposePauliRotation(g: Gate, out: Gate[]): void {
  const x = g.pauliX ?? 0;
  const z = g.pauliZ ?? 0;
  const qubits = pauliQubits(x, z);
  const control = g.control;
  if (qubits.length === 0) {
    if (control !== undefined) out.push(scaledRotation('rz', control, g, -0.5));
    return;
  }
  const bitX = (q: number): number => (x >>> q) & 1;
  const bitZ = (q: number): number => (z >>> q) & 1;
  if (qubits.length === 1 && control === undefined) {
    const q = qubits[0];
    out.push(scaledRotation(bitX(q) ? (bitZ(q) ? 'ry' : 'rx') : 'rz', q, g, 1));
    return;
  }
  for (const q of qubits) {
    if (bitX(q) && bitZ(q)) out.push(fixedGate('rx', [q], Math.PI / 2));
    else if (bitX(q)) out.push(fixedGate('h', [q]));
  }
  for (let k = 0; k + 1 < qubits.length; k++) out.push(fixedGate('cnot', [qubits[k], qubits[k + 1]]));
  const target = qubits[qubits.length - 1];
  if (control === undefined) {
    out.push(scaledRotation('rz', target, g, 1));
  } else {
    out.push(scaledRotation('rz', target, g, 0.5));
    out.push(fixedGate('cnot', [control, target]));
    out.push(scaledRotation('rz', target, g, -0.5));
    out.push(fixedGate('cnot', [control, target]));
  }
  for (let k = qubits.length - 2; k >= 0; k--) out.push(fixedGate('cnot', [qubits[k], qubits[k + 1]]));
  for (const q of qubits) {
    if (bitX(q) && bitZ(q)) out.push(fixedGate('rx', [q], -Math.PI / 2));
    else if (bitX(q)) out.push(fixedGate('h', [q]));
  }
}

/**
 * The circuit compiled to CNOT and one-qubit gates (h, x, y, z, s, sdg, t, tdg, rx, ry, rz) by the
 * rules in the file header. Same register and parameter vector; same state up to a global phase.
 */
export function decompose(circuit: Circuit): Circuit {
  validateCircuit(circuit);
  const out: Gate[] = [];
  for (const g of circuit.gates) {
    if (isOneQubitGate(g.kind) || g.kind === 'cnot' || isNativeGate(g.kind)) {
      out.push(g);
    } else if (g.kind === 'cz') {
      const [a, b] = g.qubits;
      out.push(fixedGate('h', [b]), fixedGate('cnot', [a, b]), fixedGate('h', [b]));
    } else if (g.kind === 'swap') {
      const [a, b] = g.qubits;
      out.push(fixedGate('cnot', [a, b]), fixedGate('cnot', [b, a]), fixedGate('cnot', [a, b]));
    } else {
      decomposePauliRotation(g, out);
    }
  }
  return { nQubits: circuit.nQubits, nParameters: circuit.nParameters, gates: out };
}

/** Resource counts of a circuit compiled with {@link decompose}. */
export interface CircuitStatistics {
  /** Register size. */
  qubits: number;
  /** Critical-path length of the compiled circuit (every gate counts 1). */
  depth: number;
  /** One-qubit gates after compilation. */
  oneQubitGates: number;
  /** CNOTs after compilation. */
  twoQubitGates: number;
  /** Variational parameters (circuit.nParameters). */
  parameters: number;
  /** Gates of the IR before compilation. */
  irGates: number;
}

/** One- and two-qubit gate counts and depth of a compiled circuit. */
export interface CompiledGateCounts {
  /** One-qubit gates. */
  oneQubit: number;
  /** Two-qubit gates (CNOT, or MS / ZZ in a native circuit). */
  twoQubit: number;
  /** oneQubit + twoQubit. */
  total: number;
  /** Critical-path length (every gate counts 1). */
  depth: number;
}

/**
 * Gate counts and depth of `circuit` after {@link decompose} (CNOT + one-qubit gates; a native
 * circuit from `compileToIonqNative` is counted as it is).
 */
export function compiledGateCounts(circuit: Circuit): CompiledGateCounts {
  const compiled = decompose(circuit);
  const level = new Int32Array(Math.max(1, circuit.nQubits));
  let one = 0;
  let two = 0;
  let depth = 0;
  for (const g of compiled.gates) {
    let t = 0;
    for (const q of g.qubits) t = Math.max(t, level[q]);
    t++;
    for (const q of g.qubits) level[q] = t;
    if (g.qubits.length === 1) one++;
    else two++;
    if (t > depth) depth = t;
  }
  return { oneQubit: one, twoQubit: two, total: one + two, depth };
}

/** Gate counts and depth of `circuit` after {@link decompose}. */
export function circuitStatistics(circuit: Circuit): CircuitStatistics {
  const counts = compiledGateCounts(circuit);
  return {
    qubits: circuit.nQubits,
    depth: counts.depth,
    oneQubitGates: counts.oneQubit,
    twoQubitGates: counts.twoQubit,
    parameters: circuit.nParameters,
    irGates: circuit.gates.length,
  };
}
