/**
 * OpenQASM export (import: qasm-import.ts). The circuit is first compiled with `decompose` (CNOT + one-qubit gates), so every
 * gate maps to a standard-library gate; qubit k of the IR is q[k] (qubit 0 = least significant bit,
 * the same order Qiskit uses).
 *
 * OpenQASM 3 keeps parametrised angles symbolic as `input float[64] theta_<p>` when no parameter
 * values are given; OpenQASM 2 has no inputs and needs the values.
 */
import { InputError } from '../core/index.js';
import type { Circuit, Gate } from './circuit.js';
import { decompose } from './decompose.js';

/** Options of {@link toOpenQasm}. */
export interface OpenQasmOptions {
  /** 2 (qelib1.inc) or 3 (stdgates.inc); default 3. */
  version?: 2 | 3;
  /** Parameter values to bind; required for version 2 when the circuit has parameters. */
  parameters?: ArrayLike<number>;
  /** Append measurement of every qubit into a classical register c (default false). */
  measure?: boolean;
}

/**
 * Shortest text that reads back to the same double; an exponent gets a decimal point before it
 * ("1.0e-7"), as OpenQASM 2's real literals require.
 */
function num(v: number): string {
  if (!Number.isFinite(v)) throw new InputError(`OpenQASM: angle ${v} is not finite`);
  const s = String(v);
  return /e/.test(s) && !s.includes('.') ? s.replace('e', '.0e') : s;
}

function angleText(g: Gate, parameters: ArrayLike<number> | undefined): string {
  if (g.parameter < 0) return num(g.angle);
  if (parameters !== undefined) {
    if (g.parameter >= parameters.length) throw new InputError(`OpenQASM: parameter ${g.parameter} has no value`);
    return num(g.angle + g.factor * parameters[g.parameter]);
  }
  const term = g.factor === 1 ? `theta_${g.parameter}` : `${num(g.factor)} * theta_${g.parameter}`;
  return g.angle === 0 ? term : `${num(g.angle)} + ${term}`;
}

/** The circuit as an OpenQASM 2 or 3 program. */
export function toOpenQasm(circuit: Circuit, options: OpenQasmOptions = {}): string {
  const version = options.version ?? 3;
  if (version !== 2 && version !== 3) throw new InputError(`OpenQASM: version must be 2 or 3, got ${version as number}`);
  const parameters = options.parameters;
  if (parameters !== undefined && parameters.length < circuit.nParameters) {
    throw new InputError(`OpenQASM: circuit has ${circuit.nParameters} parameters but ${parameters.length} values were given`);
  }
  if (version === 2 && parameters === undefined && circuit.nParameters > 0) {
    throw new InputError('OpenQASM 2 cannot hold symbolic parameters: give parameter values');
  }
  const compiled = decompose(circuit);
  const n = circuit.nQubits;
  const lines: string[] = [];
  if (version === 2) {
    lines.push('OPENQASM 2.0;', 'include "qelib1.inc";', `qreg q[${n}];`);
    if (options.measure === true) lines.push(`creg c[${n}];`);
  } else {
    lines.push('OPENQASM 3.0;', 'include "stdgates.inc";');
    if (parameters === undefined) for (let p = 0; p < circuit.nParameters; p++) lines.push(`input float[64] theta_${p};`);
    lines.push(`qubit[${n}] q;`);
    if (options.measure === true) lines.push(`bit[${n}] c;`);
  }
  for (const g of compiled.gates) {
    switch (g.kind) {
      case 'cnot':
        lines.push(`cx q[${g.qubits[0]}], q[${g.qubits[1]}];`);
        break;
      case 'rx':
      case 'ry':
      case 'rz':
        lines.push(`${g.kind}(${angleText(g, parameters)}) q[${g.qubits[0]}];`);
        break;
      case 'gpi':
      case 'gpi2':
      case 'ms':
      case 'zz':
        throw new InputError(`OpenQASM: IonQ native gate '${g.kind}' has no standard-library equivalent (export the circuit before native compilation, or as IonQ JSON)`);
      default:
        lines.push(`${g.kind} q[${g.qubits[0]}];`);
    }
  }
  if (options.measure === true) {
    if (version === 2) lines.push('measure q -> c;');
    else lines.push('c = measure q;');
  }
  return lines.join('\n') + '\n';
}
