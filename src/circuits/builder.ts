/**
 * Building circuits in the gate IR of circuit.ts: a fluent {@link CircuitBuilder} with fixed and
 * parametrised gates, plus small helpers to validate, concatenate and invert circuits.
 *
 * An angle argument is either a number (fixed angle) or an {@link AngleSpec}
 * { parameter, factor = 1, offset = 0 } meaning θ = offset + factor · parameters[parameter].
 */
import { InputError } from '../core/index.js';
import { MAX_PAULI_QUBITS } from '../qubits/index.js';
import type { Circuit, Gate, GateKind } from './circuit.js';

/** A parametrised angle θ = offset + factor · parameters[parameter]. */
export interface AngleSpec {
  readonly parameter: number;
  readonly factor?: number;
  readonly offset?: number;
}

/** A fixed angle in radians or a parametrised one. */
export type Angle = number | AngleSpec;

const ONE_QUBIT_KINDS: ReadonlySet<GateKind> = new Set<GateKind>(['h', 'x', 'y', 'z', 's', 'sdg', 't', 'tdg', 'rx', 'ry', 'rz', 'gpi', 'gpi2']);
const TWO_QUBIT_KINDS: ReadonlySet<GateKind> = new Set<GateKind>(['cnot', 'cz', 'swap', 'ms', 'zz']);
const NATIVE_KINDS: ReadonlySet<GateKind> = new Set<GateKind>(['gpi', 'gpi2', 'ms', 'zz']);
const ROTATION_KINDS: ReadonlySet<GateKind> = new Set<GateKind>(['rx', 'ry', 'rz', 'pauliRotation']);

/** True for gates acting on one qubit (h … rz, gpi, gpi2). */
export function isOneQubitGate(kind: GateKind): boolean {
  return ONE_QUBIT_KINDS.has(kind);
}

/** True for cnot, cz, swap, ms and zz. */
export function isTwoQubitGate(kind: GateKind): boolean {
  return TWO_QUBIT_KINDS.has(kind);
}

/** True for IonQ's native gates (gpi, gpi2, ms, zz), whose angles are in turns. */
export function isNativeGate(kind: GateKind): boolean {
  return NATIVE_KINDS.has(kind);
}

/** True for gates carrying an angle in radians (rx, ry, rz, pauliRotation). */
export function isRotationGate(kind: GateKind): boolean {
  return ROTATION_KINDS.has(kind);
}

function resolveAngle(angle: Angle): { angle: number; parameter: number; factor: number } {
  if (typeof angle === 'number') {
    if (!Number.isFinite(angle)) throw new InputError(`gate angle must be finite, got ${angle}`);
    return { angle, parameter: -1, factor: 0 };
  }
  const factor = angle.factor ?? 1;
  const offset = angle.offset ?? 0;
  if (!Number.isInteger(angle.parameter) || angle.parameter < 0) {
    throw new InputError(`parameter index must be a non-negative integer, got ${angle.parameter}`);
  }
  if (!Number.isFinite(factor) || !Number.isFinite(offset)) throw new InputError('parameter factor and offset must be finite');
  return { angle: offset, parameter: angle.parameter, factor };
}

/** Qubits of a Pauli string given by masks, ascending. */
export function pauliQubits(x: number, z: number): number[] {
  const m = (x | z) >>> 0;
  const out: number[] = [];
  for (let q = 0; q < MAX_PAULI_QUBITS; q++) if ((m >>> q) & 1) out.push(q);
  return out;
}

/** A Pauli-rotation gate exp(−iθP/2) for the string with masks (x, z), optionally controlled. */
export function pauliRotationGate(x: number, z: number, angle: Angle, control?: number): Gate {
  const a = resolveAngle(angle);
  const g: Gate = { kind: 'pauliRotation', qubits: pauliQubits(x, z), ...a, pauliX: x >>> 0, pauliZ: z >>> 0 };
  return control === undefined ? g : { ...g, control };
}

/**
 * Checks every gate of a circuit: qubits inside the register, distinct qubits for two-qubit gates,
 * masks inside the register, parameter indices below nParameters. Throws InputError naming the gate.
 */
export function validateCircuit(circuit: Circuit): void {
  const n = circuit.nQubits;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAULI_QUBITS) throw new InputError(`circuit: bad qubit count ${n}`);
  if (!Number.isInteger(circuit.nParameters) || circuit.nParameters < 0) {
    throw new InputError(`circuit: bad parameter count ${circuit.nParameters}`);
  }
  const okQubit = (q: number): boolean => Number.isInteger(q) && q >= 0 && q < n;
  circuit.gates.forEach((g, k) => {
    const where = `circuit gate ${k} (${g.kind})`;
    if (g.parameter >= circuit.nParameters) throw new InputError(`${where}: parameter ${g.parameter} ≥ nParameters ${circuit.nParameters}`);
    if (g.kind === 'pauliRotation') {
      const limit = 2 ** n;
      const x = g.pauliX ?? 0;
      const z = g.pauliZ ?? 0;
      if (x >= limit || z >= limit) throw new InputError(`${where}: Pauli masks outside the ${n}-qubit register`);
      if (g.control !== undefined && (!okQubit(g.control) || ((x | z) >>> g.control) & 1)) {
        throw new InputError(`${where}: bad control qubit ${g.control}`);
      }
      return;
    }
    if (g.control !== undefined) throw new InputError(`${where}: only pauliRotation may carry a control`);
    if (isNativeGate(g.kind)) checkNativeGate(g, where);
    const arity = isTwoQubitGate(g.kind) ? 2 : isOneQubitGate(g.kind) ? 1 : -1;
    if (arity < 0) throw new InputError(`${where}: unknown gate kind`);
    if (g.qubits.length !== arity || !g.qubits.every(okQubit)) throw new InputError(`${where}: bad qubits [${g.qubits.join(', ')}]`);
    if (arity === 2 && g.qubits[0] === g.qubits[1]) throw new InputError(`${where}: both qubits are ${g.qubits[0]}`);
  });
}

function checkNativeGate(g: Gate, where: string): void {
  if (g.parameter >= 0) throw new InputError(`${where}: native gates take bound angles`);
  const phases = g.kind === 'ms' ? (g.phases ?? [NaN, NaN]) : [0, 0];
  if (!Number.isFinite(g.angle) || !phases.every(Number.isFinite)) throw new InputError(`${where}: angles must be finite numbers of turns`);
}

/**
 * Fluent circuit construction. Parameters are allocated with {@link CircuitBuilder.parameter}
 * (or implicitly by referring to an index; nParameters becomes one more than the largest index).
 *
 * ```ts
 * const b = new CircuitBuilder(2);
 * const t = b.parameter();
 * b.x(0).ry(1, { parameter: t }).cnot(1, 0);
 * const circuit = b.build();
 * ```
 */
export class CircuitBuilder {
  /** Register size. */
  readonly nQubits: number;
  private readonly gates: Gate[] = [];
  private nParameters = 0;

  /** An empty circuit on `nQubits` qubits. */
  constructor(nQubits: number) {
    if (!Number.isInteger(nQubits) || nQubits < 0 || nQubits > MAX_PAULI_QUBITS) {
      throw new InputError(`circuit: qubit count must be an integer in [0, ${MAX_PAULI_QUBITS}], got ${nQubits}`);
    }
    this.nQubits = nQubits;
  }

  /** Allocates a new parameter and returns its index. */
  parameter(): number {
    return this.nParameters++;
  }

  /** Number of parameters so far. */
  get parameterCount(): number {
    return this.nParameters;
  }

  private checkQubit(q: number, kind: string): void {
    if (!Number.isInteger(q) || q < 0 || q >= this.nQubits) {
      throw new InputError(`circuit: ${kind} on qubit ${q} outside the ${this.nQubits}-qubit register`);
    }
  }

  private noteParameter(p: number): void {
    if (p >= this.nParameters) this.nParameters = p + 1;
  }

  /** Appends an already formed gate (validated against the register). */
  gate(g: Gate): this {
    if (g.kind === 'pauliRotation') {
      const limit = 2 ** this.nQubits;
      if ((g.pauliX ?? 0) >= limit || (g.pauliZ ?? 0) >= limit) {
        throw new InputError(`circuit: Pauli rotation masks outside the ${this.nQubits}-qubit register`);
      }
      if (g.control !== undefined) {
        this.checkQubit(g.control, 'control');
        if ((((g.pauliX ?? 0) | (g.pauliZ ?? 0)) >>> g.control) & 1) {
          throw new InputError(`circuit: control qubit ${g.control} is part of the Pauli string`);
        }
      }
    } else {
      if (isNativeGate(g.kind)) checkNativeGate(g, `circuit: ${g.kind}`);
      for (const q of g.qubits) this.checkQubit(q, g.kind);
      if (isTwoQubitGate(g.kind) && g.qubits[0] === g.qubits[1]) throw new InputError(`circuit: ${g.kind} on qubit ${g.qubits[0]} twice`);
    }
    if (g.parameter >= 0) this.noteParameter(g.parameter);
    this.gates.push(g);
    return this;
  }

  private fixed(kind: GateKind, qubits: number[]): this {
    return this.gate({ kind, qubits, angle: 0, parameter: -1, factor: 0 });
  }

  private rotation(kind: GateKind, q: number, angle: Angle): this {
    return this.gate({ kind, qubits: [q], ...resolveAngle(angle) });
  }

  /** Hadamard. */
  h(q: number): this {
    return this.fixed('h', [q]);
  }
  /** Pauli X. */
  x(q: number): this {
    return this.fixed('x', [q]);
  }
  /** Pauli Y. */
  y(q: number): this {
    return this.fixed('y', [q]);
  }
  /** Pauli Z. */
  z(q: number): this {
    return this.fixed('z', [q]);
  }
  /** S = diag(1, i). */
  s(q: number): this {
    return this.fixed('s', [q]);
  }
  /** S† = diag(1, −i). */
  sdg(q: number): this {
    return this.fixed('sdg', [q]);
  }
  /** T = diag(1, e^{iπ/4}). */
  t(q: number): this {
    return this.fixed('t', [q]);
  }
  /** T† = diag(1, e^{−iπ/4}). */
  tdg(q: number): this {
    return this.fixed('tdg', [q]);
  }
  /** RX(θ) = exp(−iθX/2). */
  rx(q: number, angle: Angle): this {
    return this.rotation('rx', q, angle);
  }
  /** RY(θ) = exp(−iθY/2). */
  ry(q: number, angle: Angle): this {
    return this.rotation('ry', q, angle);
  }
  /** RZ(θ) = exp(−iθZ/2). */
  rz(q: number, angle: Angle): this {
    return this.rotation('rz', q, angle);
  }
  /** CNOT: flips `target` where `control` is |1⟩. */
  cnot(control: number, target: number): this {
    return this.fixed('cnot', [control, target]);
  }
  /** Controlled Z (symmetric in its qubits). */
  cz(a: number, b: number): this {
    return this.fixed('cz', [a, b]);
  }
  /** Exchanges two qubits. */
  swap(a: number, b: number): this {
    return this.fixed('swap', [a, b]);
  }
  /** IonQ GPI(φ) = [[0, e^{−2πiφ}], [e^{2πiφ}, 0]], φ in turns. */
  gpi(q: number, phaseTurns: number): this {
    return this.gate({ kind: 'gpi', qubits: [q], angle: phaseTurns, parameter: -1, factor: 0 });
  }
  /** IonQ GPI2(φ) = (I − iσ_φ)/√2, φ in turns. */
  gpi2(q: number, phaseTurns: number): this {
    return this.gate({ kind: 'gpi2', qubits: [q], angle: phaseTurns, parameter: -1, factor: 0 });
  }
  /** IonQ MS(φ0, φ1, θ) = exp(−iπθ σ_φ0 ⊗ σ_φ1) on (a, b), all in turns; θ = 0.25 is fully entangling. */
  ms(a: number, b: number, phase0Turns: number, phase1Turns: number, angleTurns = 0.25): this {
    return this.gate({ kind: 'ms', qubits: [a, b], angle: angleTurns, parameter: -1, factor: 0, phases: [phase0Turns, phase1Turns] });
  }
  /** IonQ ZZ(θ) = exp(−iπθ Z ⊗ Z), θ in turns. */
  zz(a: number, b: number, angleTurns: number): this {
    return this.gate({ kind: 'zz', qubits: [a, b], angle: angleTurns, parameter: -1, factor: 0 });
  }
  /** exp(−iθP/2) for the Pauli string with masks (x, z) (Y where both bits are set). */
  pauliRotation(x: number, z: number, angle: Angle): this {
    return this.gate(pauliRotationGate(x, z, angle));
  }
  /** Controlled exp(−iθP/2): applied only where the control qubit is |1⟩. */
  controlledPauliRotation(control: number, x: number, z: number, angle: Angle): this {
    return this.gate(pauliRotationGate(x, z, angle, control));
  }

  /**
   * Appends all gates of another circuit on the same register, shifting its parameter indices by
   * `parameterOffset` (default: after this builder's parameters, so they are fresh).
   */
  append(circuit: Circuit, parameterOffset = this.nParameters): this {
    if (circuit.nQubits > this.nQubits) {
      throw new InputError(`circuit: cannot append a ${circuit.nQubits}-qubit circuit to ${this.nQubits} qubits`);
    }
    for (const g of circuit.gates) {
      this.gate(g.parameter >= 0 ? { ...g, parameter: g.parameter + parameterOffset } : g);
    }
    this.noteParameter(parameterOffset + circuit.nParameters - 1);
    return this;
  }

  /** The circuit built so far (a snapshot; the builder may continue). */
  build(): Circuit {
    return { nQubits: this.nQubits, nParameters: this.nParameters, gates: this.gates.slice() };
  }
}

/** Concatenation: gates of `first` then gates of `second`, parameter vectors laid end to end. */
export function concatenateCircuits(first: Circuit, second: Circuit): Circuit {
  const n = Math.max(first.nQubits, second.nQubits);
  return new CircuitBuilder(n).append(first, 0).append(second, first.nParameters).build();
}

const INVERSE_KIND: Partial<Record<GateKind, GateKind>> = { s: 'sdg', sdg: 's', t: 'tdg', tdg: 't' };

/**
 * The circuit with every parametrised angle replaced by its value θ = angle + factor · parameters[p]
 * (nParameters becomes 0). Throws InputError when too few values are given.
 */
export function bindParameters(circuit: Circuit, parameters: ArrayLike<number>): Circuit {
  if (parameters.length < circuit.nParameters) {
    throw new InputError(`circuit has ${circuit.nParameters} parameters but ${parameters.length} values were given`);
  }
  const gates = circuit.gates.map((g): Gate => {
    if (g.parameter < 0) return g;
    const theta = g.angle + g.factor * parameters[g.parameter];
    if (!Number.isFinite(theta)) throw new InputError(`parameter ${g.parameter}: value ${parameters[g.parameter]} is not finite`);
    return { ...g, angle: theta, parameter: -1, factor: 0 };
  });
  return { nQubits: circuit.nQubits, nParameters: 0, gates };
}

/** The inverse of one gate (same parameter vector). */
export function inverseGate(g: Gate): Gate {
  if (isRotationGate(g.kind) || g.kind === 'zz') return { ...g, angle: -g.angle, factor: -g.factor };
  // GPI2(φ)† = GPI2(φ + ½) and MS(φ0, φ1, θ)† = MS(φ0 + ½, φ1, θ), since σ_{φ+½} = −σ_φ.
  if (g.kind === 'gpi2') return { ...g, angle: g.angle + 0.5 };
  if (g.kind === 'ms') return { ...g, phases: [(g.phases?.[0] ?? 0) + 0.5, g.phases?.[1] ?? 0] };
  return { ...g, kind: INVERSE_KIND[g.kind] ?? g.kind };
}

/** The inverse circuit U†: gates reversed, rotations negated (same parameter vector). */
export function inverseCircuit(circuit: Circuit): Circuit {
  const gates: Gate[] = [];
  for (let k = circuit.gates.length - 1; k >= 0; k--) {
    const g = circuit.gates[k];
    gates.push(inverseGate(g));
  }
  return { nQubits: circuit.nQubits, nParameters: circuit.nParameters, gates };
}
