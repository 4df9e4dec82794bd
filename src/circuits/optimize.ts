/**
 * Peephole optimisation of the gate IR. Each gate is placed at the end of the output and, before
 * that, the output is searched backwards for a partner through gates it commutes with:
 * - inverse pairs cancel: H H, X X, Y Y, Z Z, S S†, T T†, CNOT CNOT (same control and target),
 *   CZ CZ, SWAP SWAP;
 * - rotations about the same axis on the same qubits merge: RX RX, RY RY, RZ RZ, equal Pauli
 *   rotations (same masks and control), ZZ ZZ; S S = Z, T T = S (and their inverses);
 *   parametrised angles merge when they share the parameter or one side is fixed;
 * - identities are dropped: a rotation whose angle is structurally zero (no parameter, or factor 0)
 *   with angle ≡ 0 mod 4π (2 turns for ZZ), and an uncontrolled Pauli rotation on no qubit.
 * A merged gate is placed again, so cancellations cascade (H X X H → nothing).
 *
 * Commutation is the sufficient rule "on every shared qubit both gates are functions of the same
 * Pauli operator" (CNOT: Z on the control, X on the target; CZ and ZZ: Z; RZ, S, T: Z; Pauli
 * rotations: the string's Pauli, Z on a control), plus exact commutation of two uncontrolled Pauli
 * rotations. The search stops after a bounded number of gates on the same qubits. The result
 * prepares the same state as the input for every parameter vector (up to a global phase).
 */
import { pauliStringsCommute } from '../qubits/index.js';
import type { Circuit, Gate, GateKind } from './circuit.js';
import { isRotationGate, validateCircuit } from './builder.js';

/** How far back (in gates sharing a qubit) a partner is searched. */
const SEARCH_LIMIT = 64;
const FOUR_PI = 4 * Math.PI;
const ZERO_TOLERANCE = 1e-12;

const SELF_INVERSE: ReadonlySet<GateKind> = new Set<GateKind>(['h', 'x', 'y', 'z', 'cnot', 'cz', 'swap']);
const SYMMETRIC: ReadonlySet<GateKind> = new Set<GateKind>(['cz', 'swap', 'zz']);
const INVERSE_PAIRS: Partial<Record<GateKind, GateKind>> = { s: 'sdg', sdg: 's', t: 'tdg', tdg: 't' };
const SQUARES: Partial<Record<GateKind, GateKind>> = { s: 'z', sdg: 'z', t: 's', tdg: 'sdg' };
const AXIS: Partial<Record<GateKind, 'X' | 'Y' | 'Z'>> = {
  x: 'X',
  rx: 'X',
  y: 'Y',
  ry: 'Y',
  z: 'Z',
  s: 'Z',
  sdg: 'Z',
  t: 'Z',
  tdg: 'Z',
  rz: 'Z',
  cz: 'Z',
  zz: 'Z',
};

/** Every qubit a gate touches (its control included). */
function touched(g: Gate): readonly number[] {
  return g.control === undefined ? g.qubits : [...g.qubits, g.control];
}

/** The single-qubit Pauli the gate is a function of on qubit q, or null when there is none. */
function axisOn(g: Gate, q: number): 'X' | 'Y' | 'Z' | null {
  if (g.kind === 'cnot') return q === g.qubits[0] ? 'Z' : 'X';
  if (g.kind === 'pauliRotation') {
    if (q === g.control) return 'Z';
    const x = ((g.pauliX ?? 0) >>> q) & 1;
    const z = ((g.pauliZ ?? 0) >>> q) & 1;
    return x ? (z ? 'Y' : 'X') : z ? 'Z' : null;
  }
  return AXIS[g.kind] ?? null;
}

function commute(a: Gate, b: Gate): boolean {
  if (a.kind === 'pauliRotation' && b.kind === 'pauliRotation' && a.control === undefined && b.control === undefined) {
    return pauliStringsCommute(a.pauliX ?? 0, a.pauliZ ?? 0, b.pauliX ?? 0, b.pauliZ ?? 0);
  }
  const bq = touched(b);
  for (const q of touched(a)) {
    if (!bq.includes(q)) continue;
    const axis = axisOn(a, q);
    if (axis === null || axis !== axisOn(b, q)) return false;
  }
  return true;
}

function sameQubits(a: Gate, b: Gate): boolean {
  if (a.qubits.length !== b.qubits.length) return false;
  if (a.qubits.every((q, k) => q === b.qubits[k])) return true;
  return SYMMETRIC.has(a.kind) && a.qubits.length === 2 && a.qubits[0] === b.qubits[1] && a.qubits[1] === b.qubits[0];
}

/** True when the gate is the identity (up to a global phase) whatever the parameters. */
function isIdentity(g: Gate): boolean {
  if (g.kind === 'pauliRotation' && g.control === undefined && (g.pauliX ?? 0) === 0 && (g.pauliZ ?? 0) === 0) return true;
  if (!isRotationGate(g.kind) && g.kind !== 'zz') return false;
  if (g.parameter >= 0 && g.factor !== 0) return false;
  const period = g.kind === 'zz' ? 2 : FOUR_PI;
  const r = g.angle - period * Math.round(g.angle / period);
  return Math.abs(r) < ZERO_TOLERANCE * Math.max(1, Math.abs(g.angle));
}

/** Sum of two rotations about the same axis, or null when their parameters differ. */
function mergeRotations(a: Gate, b: Gate): Gate | null {
  const pa = a.factor === 0 ? -1 : a.parameter;
  const pb = b.factor === 0 ? -1 : b.parameter;
  if (pa >= 0 && pb >= 0 && pa !== pb) return null;
  const parameter = pa >= 0 ? pa : pb;
  const factor = (pa >= 0 ? a.factor : 0) + (pb >= 0 ? b.factor : 0);
  let angle = a.angle + b.angle;
  // RX(θ + 4π) = RX(θ), ZZ(θ + 2) = ZZ(θ): keep fixed angles within half a period of 0
  const period = a.kind === 'zz' ? 2 : FOUR_PI;
  if (factor === 0 && Math.abs(angle) >= period / 2) angle -= period * Math.floor(angle / period + 0.5);
  return { ...a, angle, parameter: factor === 0 ? -1 : parameter, factor };
}

/** The result of gate b placed right after gate a: 'cancel', a merged gate, or null (no rule). */
function combine(a: Gate, b: Gate): 'cancel' | Gate | null {
  if (a.control !== b.control) return null;
  if (!sameQubits(a, b)) return null;
  if (a.kind === b.kind && SELF_INVERSE.has(a.kind)) return 'cancel';
  if (INVERSE_PAIRS[a.kind] === b.kind) return 'cancel';
  if (a.kind === b.kind && SQUARES[a.kind] !== undefined) return { ...a, kind: SQUARES[a.kind]! };
  if (a.kind !== b.kind) return null;
  if (a.kind === 'rx' || a.kind === 'ry' || a.kind === 'rz' || a.kind === 'zz') return mergeRotations(a, b);
  if (a.kind === 'pauliRotation' && a.pauliX === b.pauliX && a.pauliZ === b.pauliZ) return mergeRotations(a, b);
  return null;
}

/**
 * The circuit with inverse pairs cancelled, same-axis rotations merged and identities dropped
 * (rules in the file header). Same register and parameter vector; the same state up to a global
 * phase for every parameter vector.
 */
export function optimizeCircuit(circuit: Circuit): Circuit {
  validateCircuit(circuit);
  const out: (Gate | null)[] = [];
  const onQubit: number[][] = Array.from({ length: circuit.nQubits }, () => []);

  const place = (g: Gate): void => {
    if (isIdentity(g)) return;
    const qubits = touched(g);
    const cursor = qubits.map((q) => onQubit[q].length - 1);
    for (let steps = 0; steps < SEARCH_LIMIT; steps++) {
      // the latest live gate on any of g's qubits
      let k = -1;
      for (let i = 0; i < qubits.length; i++) {
        const stack = onQubit[qubits[i]];
        while (cursor[i] >= 0 && out[stack[cursor[i]]] === null) cursor[i]--;
        if (cursor[i] >= 0 && stack[cursor[i]] > k) k = stack[cursor[i]];
      }
      if (k < 0) break;
      const prev = out[k]!;
      const result = combine(prev, g);
      if (result === 'cancel') {
        out[k] = null;
        return;
      }
      if (result !== null) {
        out[k] = null;
        place(result);
        return;
      }
      if (!commute(prev, g)) break;
      for (let i = 0; i < qubits.length; i++) if (cursor[i] >= 0 && onQubit[qubits[i]][cursor[i]] === k) cursor[i]--;
    }
    const index = out.length;
    out.push(g);
    for (const q of qubits) onQubit[q].push(index);
  };

  for (const g of circuit.gates) place(g);
  return { nQubits: circuit.nQubits, nParameters: circuit.nParameters, gates: out.filter((g): g is Gate => g !== null) };
}
