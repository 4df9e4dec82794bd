/**
 * IonQ's JSON circuit format (the `input` of an `ionq.circuit.v1` job in IonQ's v0.4 API):
 *
 *   { "gateset": "qis" | "native", "qubits": n, "circuit": [ { "gate": …, … }, … ] }
 *
 * - `qis` gates, angles (`rotation`) in radians: x y z h s si t ti v vi (not = x), rx ry rz,
 *   cnot (`control`, `target`), swap (`targets`), xx yy zz (Ising rotations exp(−iθP⊗P/2)), and any
 *   one-qubit gate with one `control`/`controls` entry (cx, cz …). `pauliexp` is not read.
 * - `native` gates, phases and angles in turns (1 turn = 2π rad): gpi and gpi2 (`target`,
 *   `phase`), ms (`targets`, `phases` [φ0, φ1], `angle` θ, default 0.25) and zz (`targets`, `angle`),
 *   with the definitions of circuit.ts.
 * Qubit k is qubit k of the IR. Single qubits may be written `target`/`control` or one-element
 * `targets`/`controls`; the exporter writes `targets`/`controls` arrays.
 *
 * The exporter binds parameters (IonQ circuits have no symbols); Pauli rotations are written as
 * their CNOT ladder (decompose.ts). A native export writes a circuit already in native gates as it
 * is and compiles any other with compileToIonqNative (native.ts) for the chosen device.
 * The importer validates with a schema; errors name the file and the JSON path of the bad value.
 */
import { InputError, lazyZod } from '../core/index.js';
import type { Circuit, Gate, GateKind } from './circuit.js';
import { isNativeGate, validateCircuit } from './builder.js';
import { decompose } from './decompose.js';
import { compileToIonqNative, type IonqDevice } from './native.js';

/** Options of {@link toIonqJson}. */
export interface IonqJsonOptions {
  /** Write the native gate set (gpi, gpi2, ms, zz; turns) instead of qis (radians). Default false. */
  native?: boolean;
  /** Parameter values to bind; required when the circuit has parameters. */
  parameters?: ArrayLike<number>;
  /** Native export: device family the circuit is compiled for (default 'aria': MS; 'forte' also has ZZ). */
  device?: IonqDevice;
  /**
   * Native export: the final virtual-RZ frame is dropped (default, as IonQ does: same measurement
   * probabilities) or kept as GPI pulses (same state up to a global phase).
   */
  finalPhases?: 'drop' | 'keep';
}

/** One gate of IonQ's JSON circuit format. */
export interface IonqGate {
  gate: string;
  target?: number;
  targets?: number[];
  control?: number;
  controls?: number[];
  rotation?: number;
  phase?: number;
  phases?: number[];
  angle?: number;
}

/** IonQ's JSON circuit input. */
export interface IonqCircuitInput {
  gateset: 'qis' | 'native';
  qubits: number;
  circuit: IonqGate[];
}

function boundAngle(g: Gate, parameters: ArrayLike<number> | undefined): number {
  if (g.parameter < 0) return g.angle;
  if (parameters === undefined || g.parameter >= parameters.length) {
    throw new InputError(`IonQ JSON: parameter ${g.parameter} has no value (IonQ circuits need bound parameters)`);
  }
  const v = g.angle + g.factor * parameters[g.parameter];
  if (!Number.isFinite(v)) throw new InputError(`IonQ JSON: angle of a ${g.kind} gate is not finite`);
  return v;
}

const QIS_NAME: Partial<Record<GateKind, string>> = { h: 'h', x: 'x', y: 'y', z: 'z', s: 's', sdg: 'si', t: 't', tdg: 'ti' };

function qisGates(g: Gate, parameters: ArrayLike<number> | undefined, out: IonqGate[]): void {
  const name = QIS_NAME[g.kind];
  if (name !== undefined) {
    out.push({ gate: name, targets: [g.qubits[0]] });
    return;
  }
  switch (g.kind) {
    case 'rx':
    case 'ry':
    case 'rz':
      out.push({ gate: g.kind, targets: [g.qubits[0]], rotation: boundAngle(g, parameters) });
      return;
    case 'cnot':
      out.push({ gate: 'cnot', controls: [g.qubits[0]], targets: [g.qubits[1]] });
      return;
    case 'cz':
      out.push({ gate: 'z', controls: [g.qubits[0]], targets: [g.qubits[1]] });
      return;
    case 'swap':
      out.push({ gate: 'swap', targets: [g.qubits[0], g.qubits[1]] });
      return;
    case 'pauliRotation': {
      const single: Circuit = { nQubits: Math.max(...g.qubits, g.control ?? 0) + 1, nParameters: g.parameter + 1, gates: [g] };
      for (const h of decompose(single).gates) qisGates(h, parameters, out);
      return;
    }
    default:
      throw new InputError(`IonQ JSON: a native '${g.kind}' gate cannot be written in the qis gate set (export with native: true)`);
  }
}

function nativeGate(g: Gate): IonqGate {
  switch (g.kind) {
    case 'gpi':
    case 'gpi2':
      return { gate: g.kind, targets: [g.qubits[0]], phase: g.angle };
    case 'ms':
      return { gate: 'ms', targets: [g.qubits[0], g.qubits[1]], phases: [g.phases?.[0] ?? 0, g.phases?.[1] ?? 0], angle: g.angle };
    case 'zz':
      return { gate: 'zz', targets: [g.qubits[0], g.qubits[1]], angle: g.angle };
    default:
      throw new InputError(`IonQ JSON: the native gate set has no '${g.kind}' gate; compile the circuit to native gates (gpi, gpi2, ms, zz) first`);
  }
}

/**
 * The circuit as IonQ JSON input (an object; `JSON.stringify` it for a file or a job payload).
 * @throws InputError for missing parameter values, a native gate in a qis export, or a non-native
 *   gate in a native export.
 */
export function toIonqJson(circuit: Circuit, options: IonqJsonOptions = {}): IonqCircuitInput {
  validateCircuit(circuit);
  if (circuit.nParameters > 0 && (options.parameters === undefined || options.parameters.length < circuit.nParameters)) {
    throw new InputError(`IonQ JSON: the circuit has ${circuit.nParameters} parameters; give their values`);
  }
  const gates: IonqGate[] = [];
  if (options.native === true) {
    const native = isIonqNativeCircuit(circuit)
      ? circuit
      : compileToIonqNative(circuit, { device: options.device ?? 'aria', parameters: options.parameters, finalPhases: options.finalPhases ?? 'drop' });
    for (const g of native.gates) gates.push(nativeGate(g));
  } else {
    for (const g of circuit.gates) qisGates(g, options.parameters, gates);
  }
  return { gateset: options.native === true ? 'native' : 'qis', qubits: Math.max(1, circuit.nQubits), circuit: gates };
}

// ---- import ---------------------------------------------------------------------------------

/** The IonQ circuit-input schema, built on first use (see core/lazy-zod.ts). */
function buildInputSchema() {
  const z = lazyZod();
  const qubitIndex = z.number({ error: 'expected a qubit index' }).int('expected an integer qubit index').min(0, 'expected a non-negative qubit index');
  const qubitList = z.array(qubitIndex, { error: 'expected an array of qubit indices' }).min(1, 'expected at least one qubit index');
  const finite = (what: string) => z.number({ error: `expected ${what}` }).finite(`expected ${what} (finite)`);

  const gateSchema = z
    .object({
      gate: z.string({ error: 'expected a gate name' }),
      target: qubitIndex.optional(),
      targets: qubitList.optional(),
      control: qubitIndex.optional(),
      controls: qubitList.optional(),
      rotation: finite('a rotation angle in radians').optional(),
      phase: finite('a phase in turns').optional(),
      phases: z.array(finite('a phase in turns'), { error: 'expected an array of two phases in turns' }).length(2, 'expected two phases').optional(),
      angle: finite('an angle in turns').optional(),
    })
    .strict();

  return z
    .object({
      gateset: z.enum(['qis', 'native'], { error: "expected 'qis' or 'native'" }).optional(),
      qubits: z.number({ error: 'expected a qubit count' }).int('expected an integer qubit count').min(1, 'expected at least one qubit'),
      circuit: z.array(gateSchema, { error: 'expected an array of gates' }),
      format: z.string().optional(),
      name: z.string().optional(),
    })
    .strict();
}

let inputSchema: ReturnType<typeof buildInputSchema> | undefined;

function issuePath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? String(p) : `.${String(p)}`;
  return s === '' ? '(top level)' : s;
}

const ONE_QUBIT_QIS: Record<string, GateKind> = { x: 'x', not: 'x', y: 'y', z: 'z', h: 'h', s: 's', si: 'sdg', t: 't', ti: 'tdg' };
const PAULI_BIT = { x: [1, 0], y: [1, 1], z: [0, 1] } as const;

function fixed(kind: GateKind, qubits: number[], angle = 0): Gate {
  return { kind, qubits, angle, parameter: -1, factor: 0 };
}

/**
 * Reads IonQ JSON circuit input: the input object itself, or a job payload / wrapper carrying it
 * under `input`. `file` names the source in error messages.
 * @throws InputError naming the file and the JSON path of the first bad value.
 */
export function fromIonqJson(text: string, file = 'IonQ JSON'): Circuit {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON (${(e as Error).message})`, { file });
  }
  let prefix = '';
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && 'input' in data) {
    data = (data as { input: unknown }).input;
    prefix = 'input.';
  }
  if (data !== null && typeof data === 'object' && 'circuits' in data) {
    throw new InputError(`${prefix}circuits: multi-circuit input holds several circuits; give one circuit`, { file });
  }
  inputSchema ??= buildInputSchema();
  const parsed = inputSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${prefix}${issuePath(issue.path)}: ${issue.message}`, { file });
  }
  const input = parsed.data;
  const gateset = input.gateset ?? 'qis';
  const n = input.qubits;
  const gates: Gate[] = [];
  input.circuit.forEach((raw, i) => {
    const at = `${prefix}circuit[${i}]`;
    const fail = (problem: string): never => {
      throw new InputError(`${at}: ${problem}`, { file });
    };
    const targets = raw.targets ?? (raw.target !== undefined ? [raw.target] : []);
    const controls = raw.controls ?? (raw.control !== undefined ? [raw.control] : []);
    if (raw.targets !== undefined && raw.target !== undefined) fail("give 'target' or 'targets', not both");
    if (raw.controls !== undefined && raw.control !== undefined) fail("give 'control' or 'controls', not both");
    for (const q of [...targets, ...controls]) if (q >= n) fail(`qubit ${q} outside the ${n}-qubit register`);
    if (new Set([...targets, ...controls]).size !== targets.length + controls.length) fail('a qubit appears twice');
    const need = (count: number): void => {
      if (targets.length !== count) fail(`'${raw.gate}' needs ${count} target${count === 1 ? '' : 's'}, got ${targets.length}`);
    };
    const value = (key: 'rotation' | 'phase' | 'angle', fallback?: number): number => {
      const v = raw[key] ?? fallback;
      if (v === undefined) fail(`'${raw.gate}' needs '${key}'`);
      return v as number;
    };
    if (gateset === 'native') {
      if (controls.length > 0) fail('native gates take no controls');
      switch (raw.gate) {
        case 'gpi':
        case 'gpi2':
          need(1);
          gates.push(fixed(raw.gate, targets, value('phase')));
          return;
        case 'ms': {
          need(2);
          if (raw.phases === undefined) fail("'ms' needs 'phases'");
          gates.push({ ...fixed('ms', targets, value('angle', 0.25)), phases: [raw.phases![0], raw.phases![1]] });
          return;
        }
        case 'zz':
          need(2);
          gates.push(fixed('zz', targets, value('angle')));
          return;
        default:
          fail(`unknown native gate '${raw.gate}' (gpi, gpi2, ms, zz)`);
      }
      return;
    }
    const one = ONE_QUBIT_QIS[raw.gate];
    if (one !== undefined || raw.gate === 'rx' || raw.gate === 'ry' || raw.gate === 'rz' || raw.gate === 'v' || raw.gate === 'vi') {
      need(1);
      if (controls.length > 1) fail('more than one control is not supported');
      const q = targets[0];
      if (controls.length === 1) {
        if (one === 'x') gates.push(fixed('cnot', [controls[0], q]));
        else if (one === 'z') gates.push(fixed('cz', [controls[0], q]));
        else fail(`a controlled '${raw.gate}' is not supported (only controlled x and z)`);
        return;
      }
      if (one !== undefined) gates.push(fixed(one, [q]));
      // V = √X = e^{iπ/4} RX(π/2): equal up to a global phase.
      else if (raw.gate === 'v') gates.push(fixed('rx', [q], Math.PI / 2));
      else if (raw.gate === 'vi') gates.push(fixed('rx', [q], -Math.PI / 2));
      else gates.push(fixed(raw.gate as GateKind, [q], value('rotation')));
      return;
    }
    switch (raw.gate) {
      case 'cnot':
        need(1);
        if (controls.length !== 1) fail(`'cnot' needs one control, got ${controls.length}`);
        gates.push(fixed('cnot', [controls[0], targets[0]]));
        return;
      case 'swap':
        if (controls.length > 0) fail('a controlled swap is not supported');
        need(2);
        gates.push(fixed('swap', targets));
        return;
      case 'xx':
      case 'yy':
      case 'zz': {
        if (controls.length > 0) fail(`a controlled '${raw.gate}' is not supported`);
        need(2);
        const [bx, bz] = PAULI_BIT[raw.gate[0] as 'x' | 'y' | 'z'];
        const mask = (1 << targets[0]) | (1 << targets[1]);
        gates.push({
          kind: 'pauliRotation',
          qubits: targets.slice().sort((a, b) => a - b),
          angle: value('rotation'),
          parameter: -1,
          factor: 0,
          pauliX: bx ? mask : 0,
          pauliZ: bz ? mask : 0,
        });
        return;
      }
      default:
        fail(`unknown qis gate '${raw.gate}'`);
    }
  });
  const circuit: Circuit = { nQubits: n, nParameters: 0, gates };
  validateCircuit(circuit);
  return circuit;
}

/** True when a circuit uses only IonQ's native gates (and can be exported with native: true). */
export function isIonqNativeCircuit(circuit: Circuit): boolean {
  return circuit.gates.every((g) => isNativeGate(g.kind));
}
