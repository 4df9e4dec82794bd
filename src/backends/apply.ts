/**
 * Applying circuit IR gates to a state vector: angle resolution θ = angle + factor · parameters[p],
 * validation of qubit indices, and dispatch to the specialised kernels of kernels.ts.
 *
 * Every function works in place on the StateVector it is given.
 */
import { InputError } from '../core/index.js';
import type { Circuit, Gate } from '../circuits/index.js';
import type { StateVector } from './statevector.js';
import {
  kernelCNOT,
  kernelCZ,
  kernelH,
  kernelPauliRotation,
  kernelPauliString,
  kernelPhase,
  kernelRX,
  kernelRY,
  kernelRZ,
  kernelSWAP,
  kernelX,
  kernelY,
  kernelZ,
} from './kernels.js';
import { kernelGPI, kernelGPI2, kernelMS, kernelZZ } from './native-kernels.js';
import { FUSION_MIN_QUBITS, applyFusionPlan, applyFusionPlanInverse, fusionPlanFor, type FusionOptions } from './fusion.js';

const EMPTY_PARAMETERS = new Float64Array(0);

/** The rotation angle θ of a gate for the given parameter vector. */
export function gateAngle(gate: Gate, parameters: ArrayLike<number> = EMPTY_PARAMETERS): number {
  if (gate.parameter < 0) return gate.angle;
  if (gate.parameter >= parameters.length) {
    throw new InputError(`gate ${gate.kind}: parameter index ${gate.parameter} but only ${parameters.length} parameters given`);
  }
  return gate.angle + gate.factor * parameters[gate.parameter];
}

function checkQubit(state: StateVector, gate: Gate, q: number | undefined): number {
  if (q === undefined || !Number.isInteger(q) || q < 0 || q >= state.nQubits) {
    throw new InputError(`gate ${gate.kind}: qubit ${q} outside the ${state.nQubits}-qubit register`);
  }
  return q;
}

function checkPair(state: StateVector, gate: Gate): void {
  const a = checkQubit(state, gate, gate.qubits[0]);
  const b = checkQubit(state, gate, gate.qubits[1]);
  if (a === b) throw new InputError(`gate ${gate.kind}: both qubits are ${a}`);
}

function pauliMasks(state: StateVector, gate: Gate): { x: number; z: number; control: number } {
  const x = gate.pauliX ?? 0;
  const z = gate.pauliZ ?? 0;
  const limit = 2 ** state.nQubits;
  if (!Number.isInteger(x) || !Number.isInteger(z) || x < 0 || z < 0 || x >= limit || z >= limit) {
    throw new InputError(`gate pauliRotation: masks x=${x}, z=${z} outside the ${state.nQubits}-qubit register`);
  }
  let control = 0;
  if (gate.control !== undefined) {
    const c = checkQubit(state, gate, gate.control);
    control = 2 ** c;
    if (((x | z) & control) !== 0) {
      throw new InputError(`gate pauliRotation: control qubit ${c} is also in the Pauli string`);
    }
  }
  return { x, z, control };
}

/**
 * Applies U(θ) (or U(θ)† when `inverse`) of one gate in place. Shared by {@link applyGate} and
 * {@link applyGateInverse}.
 */
function apply(state: StateVector, gate: Gate, parameters: ArrayLike<number>, inverse: boolean): void {
  const re = state.re;
  const im = state.im;
  if (gate.control !== undefined && gate.kind !== 'pauliRotation') {
    throw new InputError(`gate ${gate.kind}: only pauliRotation gates may carry a control qubit`);
  }
  switch (gate.kind) {
    case 'h':
      kernelH(re, im, checkQubit(state, gate, gate.qubits[0]));
      return;
    case 'x':
      kernelX(re, im, checkQubit(state, gate, gate.qubits[0]));
      return;
    case 'y':
      kernelY(re, im, checkQubit(state, gate, gate.qubits[0]));
      return;
    case 'z':
      kernelZ(re, im, checkQubit(state, gate, gate.qubits[0]));
      return;
    case 's':
      kernelPhase(re, im, checkQubit(state, gate, gate.qubits[0]), 0, inverse ? -1 : 1);
      return;
    case 'sdg':
      kernelPhase(re, im, checkQubit(state, gate, gate.qubits[0]), 0, inverse ? 1 : -1);
      return;
    case 't':
      kernelPhase(re, im, checkQubit(state, gate, gate.qubits[0]), Math.SQRT1_2, inverse ? -Math.SQRT1_2 : Math.SQRT1_2);
      return;
    case 'tdg':
      kernelPhase(re, im, checkQubit(state, gate, gate.qubits[0]), Math.SQRT1_2, inverse ? Math.SQRT1_2 : -Math.SQRT1_2);
      return;
    case 'rx': {
      const theta = gateAngle(gate, parameters);
      kernelRX(re, im, checkQubit(state, gate, gate.qubits[0]), inverse ? -theta : theta);
      return;
    }
    case 'ry': {
      const theta = gateAngle(gate, parameters);
      kernelRY(re, im, checkQubit(state, gate, gate.qubits[0]), inverse ? -theta : theta);
      return;
    }
    case 'rz': {
      const theta = gateAngle(gate, parameters);
      kernelRZ(re, im, checkQubit(state, gate, gate.qubits[0]), inverse ? -theta : theta);
      return;
    }
    case 'cnot':
      checkPair(state, gate);
      kernelCNOT(re, im, gate.qubits[0], gate.qubits[1]);
      return;
    case 'cz':
      checkPair(state, gate);
      kernelCZ(re, im, gate.qubits[0], gate.qubits[1]);
      return;
    case 'swap':
      checkPair(state, gate);
      kernelSWAP(re, im, gate.qubits[0], gate.qubits[1]);
      return;
    case 'pauliRotation': {
      const { x, z, control } = pauliMasks(state, gate);
      const theta = gateAngle(gate, parameters);
      kernelPauliRotation(re, im, x, z, inverse ? -theta : theta, control);
      return;
    }
    // IonQ native gates (turns); inverses: GPI self-inverse, GPI2(φ)† = GPI2(φ + ½), MS/ZZ(θ)† = MS/ZZ(−θ)
    case 'gpi':
      kernelGPI(re, im, checkQubit(state, gate, gate.qubits[0]), gate.angle);
      return;
    case 'gpi2':
      kernelGPI2(re, im, checkQubit(state, gate, gate.qubits[0]), inverse ? gate.angle + 0.5 : gate.angle);
      return;
    case 'ms':
      checkPair(state, gate);
      kernelMS(re, im, gate.qubits[0], gate.qubits[1], gate.phases?.[0] ?? 0, gate.phases?.[1] ?? 0, inverse ? -gate.angle : gate.angle);
      return;
    case 'zz':
      checkPair(state, gate);
      kernelZZ(re, im, gate.qubits[0], gate.qubits[1], inverse ? -gate.angle : gate.angle);
      return;
    default:
      throw new InputError(`unknown gate kind '${(gate as Gate).kind}'`);
  }
}

/** Applies one gate in place: ψ ← U(θ) ψ with θ = angle + factor · parameters[parameter]. */
export function applyGate(state: StateVector, gate: Gate, parameters: ArrayLike<number> = EMPTY_PARAMETERS): void {
  apply(state, gate, parameters, false);
}

/** Applies the inverse of one gate in place: ψ ← U(θ)† ψ. */
export function applyGateInverse(state: StateVector, gate: Gate, parameters: ArrayLike<number> = EMPTY_PARAMETERS): void {
  apply(state, gate, parameters, true);
}

function checkCircuit(state: StateVector, circuit: Circuit, parameters: ArrayLike<number>): void {
  if (circuit.nQubits !== state.nQubits) {
    throw new InputError(`circuit has ${circuit.nQubits} qubits but the state has ${state.nQubits}`);
  }
  if (parameters.length < circuit.nParameters) {
    throw new InputError(`circuit has ${circuit.nParameters} parameters but ${parameters.length} were given`);
  }
}

/** How a whole circuit is applied. */
export interface ApplyCircuitOptions {
  /**
   * Gate fusion (fusion.ts): `false` applies gate by gate; `true` or options fuse at any register
   * size; absent (the default) fuses from {@link FUSION_MIN_QUBITS} qubits up when the plan's
   * estimated cost is at most {@link FUSION_MIN_GAIN} of the unfused one (circuits of wide Pauli
   * rotations, such as UCCSD before compilation, have nothing to fuse and run gate by gate). The
   * state is the same either way to round-off (about 1e-15 per gate).
   */
  fusion?: boolean | FusionOptions;
}

/** Automatic fusion is used only when the plan's estimated cost is at most this share of the unfused cost. */
export const FUSION_MIN_GAIN = 0.95;

/** The fusion options in force for a register of n qubits, or undefined for gate by gate. */
export function fusionInForce(nQubits: number, fusion: boolean | FusionOptions | undefined): FusionOptions | undefined {
  if (fusion === false) return undefined;
  if (fusion === undefined) return nQubits >= FUSION_MIN_QUBITS ? {} : undefined;
  return fusion === true ? {} : fusion;
}

/**
 * Applies every gate of the circuit in order, in place: ψ ← U_last ⋯ U_1 ψ. On registers of
 * {@link FUSION_MIN_QUBITS} qubits or more, runs of gates on few qubits are fused into one pass
 * (see {@link ApplyCircuitOptions}).
 */
export function applyCircuit(
  state: StateVector,
  circuit: Circuit,
  parameters: ArrayLike<number> = EMPTY_PARAMETERS,
  options: ApplyCircuitOptions = {},
): void {
  checkCircuit(state, circuit, parameters);
  const fusion = fusionInForce(state.nQubits, options.fusion);
  if (fusion !== undefined) {
    const plan = fusionPlanFor(circuit, fusion);
    if (options.fusion !== undefined || plan.fusedCost <= FUSION_MIN_GAIN * plan.unfusedCost) {
      applyFusionPlan(state, circuit, plan, parameters);
      return;
    }
  }
  const gates = circuit.gates;
  for (let g = 0; g < gates.length; g++) apply(state, gates[g], parameters, false);
}

/** Applies the inverse circuit in place: ψ ← U_1† ⋯ U_last† ψ (fused as {@link applyCircuit}). */
export function applyCircuitInverse(
  state: StateVector,
  circuit: Circuit,
  parameters: ArrayLike<number> = EMPTY_PARAMETERS,
  options: ApplyCircuitOptions = {},
): void {
  checkCircuit(state, circuit, parameters);
  const fusion = fusionInForce(state.nQubits, options.fusion);
  if (fusion !== undefined) {
    const plan = fusionPlanFor(circuit, fusion);
    if (options.fusion !== undefined || plan.fusedCost <= FUSION_MIN_GAIN * plan.unfusedCost) {
      applyFusionPlanInverse(state, circuit, plan, parameters);
      return;
    }
  }
  const gates = circuit.gates;
  for (let g = gates.length - 1; g >= 0; g--) apply(state, gates[g], parameters, true);
}

/** ψ ← Pψ in place for the Pauli string with masks (x, z) (Y where both bits are set). */
export function applyPauliString(state: StateVector, x: number, z: number): void {
  const limit = 2 ** state.nQubits;
  if (!Number.isInteger(x) || !Number.isInteger(z) || x < 0 || z < 0 || x >= limit || z >= limit) {
    throw new InputError(`Pauli string masks x=${x}, z=${z} outside the ${state.nQubits}-qubit register`);
  }
  kernelPauliString(state.re, state.im, x, z);
}
