/**
 * Compilation to IonQ's native gates: GPI, GPI2 and MS (Aria) or ZZ (Forte), angles in turns
 * (conventions in circuit.ts).
 *
 * Route: bind the parameters, `decompose` to CNOT + one-qubit gates (and peephole-optimise), then
 * - every run of one-qubit gates on a qubit is multiplied into one 2×2 unitary U, written as
 *   U = e^{iδ} RZ(α) RY(β) RZ(γ) (ZYZ Euler angles) and emitted as 0, 1 or 2 pulses:
 *   β = 0 → none; β = π/2 → GPI2(¼); β = π → GPI(¼); otherwise RY(β) = RX(−π/2) RZ(β) RX(π/2)
 *   = GPI2(½) RZ(β) GPI2(0);
 * - RZ is virtual, as on IonQ's hardware: the compiler keeps a phase frame z_q per qubit with
 *   U_true = (⊗_q RZ(z_q)) U_emitted, and a later pulse with phase φ is emitted with φ − z_q / 2π
 *   (RZ(−z) σ_φ RZ(z) = σ_{φ − z/2π}); ZZ commutes with the frame;
 * - CNOT(c, t) on Aria: H_c, then MS(0, 0, ¼) = exp(−iπ/4 X⊗X), then H_c·RZ_c(−π/2) and
 *   RX_t(−π/2) (from CZ = e^{−iπ/4} RZ_c(−π/2) RZ_t(−π/2) exp(−iπ/4 Z⊗Z) and
 *   exp(−iπ/4 Z⊗Z) = H⊗H · MS(0, 0, ¼) · H⊗H); on Forte: H_t, ZZ(¼), RZ_c(−π/2) and H_t·RZ_t(−π/2).
 *   The surrounding one-qubit gates merge with the neighbouring runs.
 * The frame left at the end only multiplies basis states by phases: measurement in the computational
 * basis does not see it, and IonQ drops it. `finalPhases: 'keep'` appends RZ(z) = GPI(z/4π)·GPI(0)
 * per qubit so the native circuit prepares the same state vector up to a global phase.
 */
import { InputError } from '../core/index.js';
import type { Circuit, Gate } from './circuit.js';
import { bindParameters, isOneQubitGate, validateCircuit } from './builder.js';
import { decompose } from './decompose.js';
import { optimizeCircuit } from './optimize.js';

/** IonQ hardware generations: Aria entangles with MS, Forte with ZZ. */
export type IonqDevice = 'aria' | 'forte';

/** Options of {@link compileToIonqNative}. */
export interface IonqNativeOptions {
  /** Target device family (default 'aria'). */
  device?: IonqDevice;
  /** Parameter values; required when the circuit has parameters (native angles are numbers). */
  parameters?: ArrayLike<number>;
  /**
   * 'drop' (default, as IonQ does): the final phase frame is left out, so the native circuit gives
   * the same measurement probabilities in the computational basis; 'keep': it is applied with two
   * GPI pulses per qubit, so the state vector is the same up to a global phase.
   */
  finalPhases?: 'drop' | 'keep';
  /** Peephole-optimise the decomposed circuit first (default true). */
  optimize?: boolean;
}

const TWO_PI = 2 * Math.PI;
/** Euler angle β within this of 0, π/2 or π is taken as exactly that (rounding of the 2×2 products). */
const BETA_TOLERANCE = 1e-10;

/** A 2×2 complex matrix [[a, b], [c, d]] as (ar, ai, br, bi, cr, ci, dr, di). */
type Mat2 = Float64Array;

function identity(out: Mat2): void {
  out.fill(0);
  out[0] = 1;
  out[6] = 1;
}

/** out ← m · out (m applied after out). */
function leftMultiply(out: Mat2, m: Mat2): void {
  const [ar, ai, br, bi, cr, ci, dr, di] = m;
  const [er, ei, fr, fi, gr, gi, hr, hi] = out;
  out[0] = ar * er - ai * ei + br * gr - bi * gi;
  out[1] = ar * ei + ai * er + br * gi + bi * gr;
  out[2] = ar * fr - ai * fi + br * hr - bi * hi;
  out[3] = ar * fi + ai * fr + br * hi + bi * hr;
  out[4] = cr * er - ci * ei + dr * gr - di * gi;
  out[5] = cr * ei + ci * er + dr * gi + di * gr;
  out[6] = cr * fr - ci * fi + dr * hr - di * hi;
  out[7] = cr * fi + ci * fr + dr * hi + di * hr;
}

/** The 2×2 matrix of a bound one-qubit gate. */
function gateMatrix(g: Gate, out: Mat2): void {
  out.fill(0);
  const h = Math.SQRT1_2;
  const c = Math.cos(g.angle / 2);
  const s = Math.sin(g.angle / 2);
  switch (g.kind) {
    case 'h':
      out.set([h, 0, h, 0, h, 0, -h, 0]);
      return;
    case 'x':
      out.set([0, 0, 1, 0, 1, 0, 0, 0]);
      return;
    case 'y':
      out.set([0, 0, 0, -1, 0, 1, 0, 0]);
      return;
    case 'z':
      out.set([1, 0, 0, 0, 0, 0, -1, 0]);
      return;
    case 's':
      out.set([1, 0, 0, 0, 0, 0, 0, 1]);
      return;
    case 'sdg':
      out.set([1, 0, 0, 0, 0, 0, 0, -1]);
      return;
    case 't':
      out.set([1, 0, 0, 0, 0, 0, h, h]);
      return;
    case 'tdg':
      out.set([1, 0, 0, 0, 0, 0, h, -h]);
      return;
    case 'rx':
      out.set([c, 0, 0, -s, 0, -s, c, 0]);
      return;
    case 'ry':
      out.set([c, 0, -s, 0, s, 0, c, 0]);
      return;
    case 'rz':
      out.set([c, -s, 0, 0, 0, 0, c, s]);
      return;
    case 'gpi': {
      const p = TWO_PI * g.angle;
      out.set([0, 0, Math.cos(p), -Math.sin(p), Math.cos(p), Math.sin(p), 0, 0]);
      return;
    }
    case 'gpi2': {
      const p = TWO_PI * g.angle;
      out.set([h, 0, -h * Math.sin(p), -h * Math.cos(p), h * Math.sin(p), -h * Math.cos(p), h, 0]);
      return;
    }
    default:
      throw new InputError(`native compilation: '${g.kind}' is not a one-qubit gate`);
  }
}

/** Phase in turns reduced to [0, 1). */
function turns(phase: number): number {
  const t = phase - Math.floor(phase);
  return t === 1 ? 0 : t;
}

/** Emits native gates for one circuit, tracking the virtual-RZ frames and pending one-qubit runs. */
class NativeEmitter {
  readonly out: Gate[] = [];
  private readonly frame: Float64Array;
  private readonly pending: Mat2[];
  private readonly scratch = new Float64Array(8);

  constructor(nQubits: number) {
    this.frame = new Float64Array(nQubits);
    this.pending = Array.from({ length: nQubits }, () => {
      const m = new Float64Array(8);
      identity(m);
      return m;
    });
  }

  /** Multiplies a one-qubit gate into the pending run of its qubit. */
  oneQubit(g: Gate): void {
    gateMatrix(g, this.scratch);
    leftMultiply(this.pending[g.qubits[0]], this.scratch);
  }

  private pendingGate(kind: Gate['kind'], q: number, angle = 0): void {
    this.oneQubit({ kind, qubits: [q], angle, parameter: -1, factor: 0 });
  }

  private pulse(kind: 'gpi' | 'gpi2', q: number, phaseTurns: number): void {
    this.out.push({ kind, qubits: [q], angle: turns(phaseTurns - this.frame[q] / TWO_PI), parameter: -1, factor: 0 });
  }

  private rotateFrame(q: number, radians: number): void {
    this.frame[q] = (this.frame[q] + radians) % (2 * TWO_PI);
  }

  /** Emits the pending run of qubit q as ZYZ Euler angles (RZ virtual) and resets it. */
  flush(q: number): void {
    const u = this.pending[q];
    const [ar, ai, br, bi, cr, ci, dr, di] = u;
    identity(u);
    // V = U / √det U is in SU(2): V = [[e^{−i(α+γ)/2} cos β/2, …], [e^{i(α−γ)/2} sin β/2, e^{i(α+γ)/2} cos β/2]]
    const detR = ar * dr - ai * di - (br * cr - bi * ci);
    const detI = ar * di + ai * dr - (br * ci + bi * cr);
    const half = Math.atan2(detI, detR) / 2;
    const cosB = Math.hypot(ar, ai);
    const sinB = Math.hypot(cr, ci);
    const beta = 2 * Math.atan2(sinB, cosB);
    const sum = cosB > 1e-14 ? 2 * (Math.atan2(di, dr) - half) : 0;
    const diff = sinB > 1e-14 ? 2 * (Math.atan2(ci, cr) - half) : 0;
    const alpha = (sum + diff) / 2;
    const gamma = (sum - diff) / 2;
    this.rotateFrame(q, gamma);
    if (beta < BETA_TOLERANCE) {
      // diagonal: frame only
    } else if (Math.abs(beta - Math.PI) < BETA_TOLERANCE) {
      this.pulse('gpi', q, 0.25);
    } else if (Math.abs(beta - Math.PI / 2) < BETA_TOLERANCE) {
      this.pulse('gpi2', q, 0.25);
    } else {
      this.pulse('gpi2', q, 0);
      this.rotateFrame(q, beta);
      this.pulse('gpi2', q, 0.5);
    }
    this.rotateFrame(q, alpha);
  }

  /** MS(φ0, φ1, θ) as a true gate: phases shifted into the current frames. */
  ms(a: number, b: number, phase0: number, phase1: number, angleTurns: number): void {
    this.flush(a);
    this.flush(b);
    let p0 = phase0 - this.frame[a] / TWO_PI;
    if (angleTurns < 0) {
      // MS(φ0, φ1, −θ) = MS(φ0 + ½, φ1, θ): keep θ ≥ 0 as IonQ expects
      p0 += 0.5;
      angleTurns = -angleTurns;
    }
    const p1 = phase1 - this.frame[b] / TWO_PI;
    this.out.push({ kind: 'ms', qubits: [a, b], angle: angleTurns, parameter: -1, factor: 0, phases: [turns(p0), turns(p1)] });
  }

  /** ZZ(θ) as a true gate (commutes with the frames). */
  zz(a: number, b: number, angleTurns: number): void {
    this.flush(a);
    this.flush(b);
    this.out.push({ kind: 'zz', qubits: [a, b], angle: angleTurns, parameter: -1, factor: 0 });
  }

  /** CNOT(c, t) with the device's entangling gate (identities in the file header). */
  cnot(c: number, t: number, device: IonqDevice): void {
    if (device === 'aria') {
      this.pendingGate('h', c);
      this.ms(c, t, 0, 0, 0.25);
      this.pendingGate('h', c);
      this.pendingGate('rz', c, -Math.PI / 2);
      this.pendingGate('rx', t, -Math.PI / 2);
    } else {
      this.pendingGate('h', t);
      this.zz(c, t, 0.25);
      this.pendingGate('rz', c, -Math.PI / 2);
      this.pendingGate('rz', t, -Math.PI / 2);
      this.pendingGate('h', t);
    }
  }

  /** A native two-qubit gate of the other device family, rewritten for `device`. */
  nativeTwoQubit(g: Gate, device: IonqDevice): void {
    const [a, b] = g.qubits;
    if (g.kind === 'ms' && device === 'aria') {
      this.ms(a, b, g.phases?.[0] ?? 0, g.phases?.[1] ?? 0, g.angle);
    } else if (g.kind === 'zz' && device === 'forte') {
      this.zz(a, b, g.angle);
    } else if (g.kind === 'zz') {
      // exp(−iπθ Z⊗Z) = H⊗H · MS(0, 0, θ) · H⊗H
      this.pendingGate('h', a);
      this.pendingGate('h', b);
      this.ms(a, b, 0, 0, g.angle);
      this.pendingGate('h', a);
      this.pendingGate('h', b);
    } else {
      // σ_φ = W Z W† with W = RZ(2πφ) RY(π/2), so MS(φ0, φ1, θ) = (W0 ⊗ W1) ZZ(θ) (W0 ⊗ W1)†
      const phis = [g.phases?.[0] ?? 0, g.phases?.[1] ?? 0];
      [a, b].forEach((q, k) => {
        this.pendingGate('rz', q, -TWO_PI * phis[k]);
        this.pendingGate('ry', q, -Math.PI / 2);
      });
      this.zz(a, b, g.angle);
      [a, b].forEach((q, k) => {
        this.pendingGate('ry', q, Math.PI / 2);
        this.pendingGate('rz', q, TWO_PI * phis[k]);
      });
    }
  }

  /** Flushes every qubit; with `keep`, applies the remaining frames as RZ(z) = GPI(z/4π)·GPI(0). */
  finish(keep: boolean): void {
    for (let q = 0; q < this.frame.length; q++) {
      this.flush(q);
      if (!keep) continue;
      const z = this.frame[q];
      // RZ(2πk) = ±I is a phase of the whole state
      const offset = Math.abs(z / TWO_PI - Math.round(z / TWO_PI));
      if (offset < 1e-14) continue;
      this.out.push({ kind: 'gpi', qubits: [q], angle: 0, parameter: -1, factor: 0 });
      this.out.push({ kind: 'gpi', qubits: [q], angle: turns(z / (2 * TWO_PI)), parameter: -1, factor: 0 });
    }
  }
}

/**
 * The circuit compiled to IonQ's native gates: GPI/GPI2 and MS for Aria, GPI/GPI2 and ZZ for Forte
 * (rules in the file header). The result has no parameters; it prepares the same state up to a
 * global phase and per-qubit Z phases at the end (exactly the same state with `finalPhases: 'keep'`).
 * @throws InputError when the circuit has parameters and no values are given.
 */
export function compileToIonqNative(circuit: Circuit, options: IonqNativeOptions = {}): Circuit {
  validateCircuit(circuit);
  const device = options.device ?? 'aria';
  if (device !== 'aria' && device !== 'forte') throw new InputError(`native compilation: unknown device '${String(device)}' (use aria or forte)`);
  if (circuit.nParameters > 0 && options.parameters === undefined) {
    throw new InputError(`native compilation: the circuit has ${circuit.nParameters} parameters; give their values`);
  }
  let compiled = decompose(bindParameters(circuit, options.parameters ?? []));
  if (options.optimize !== false) compiled = optimizeCircuit(compiled);
  const emitter = new NativeEmitter(circuit.nQubits);
  for (const g of compiled.gates) {
    if (isOneQubitGate(g.kind)) emitter.oneQubit(g);
    else if (g.kind === 'cnot') emitter.cnot(g.qubits[0], g.qubits[1], device);
    else if (g.kind === 'ms' || g.kind === 'zz') emitter.nativeTwoQubit(g, device);
    else throw new InputError(`native compilation: unexpected gate '${g.kind}' after decomposition`);
  }
  emitter.finish(options.finalPhases === 'keep');
  return { nQubits: circuit.nQubits, nParameters: 0, gates: emitter.out };
}
