/**
 * Device noise: every channel against its analytic result, the density-matrix engine against a
 * brute-force Kraus-sum simulation written here (dense 2^n × 2^n matrices, the gates' full unitaries
 * read off the exact state-vector simulator), trajectories against the density matrix within their
 * statistical error, the noiseless preset against the exact state, readout confusion on basis
 * states, seeding, and the validation of noise-model files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Circuit, Gate } from '../../circuits/circuit.js';
import { decompose } from '../../circuits/decompose.js';
import { InputError } from '../../core/errors.js';
import { Random } from '../../core/random.js';
import { applyCircuit, applyGate } from '../apply.js';
import { StateVector } from '../statevector.js';
import { hardwareGateCounts } from './compile.js';
import { DensityMatrix, applyNoisyGate, simulateDensityMatrix } from './density-matrix.js';
import { loadNoiseModel, parseNoiseModel, type NoiseModel } from './model.js';
import { NoisySampler } from './noisy-sampler.js';
import { DEVICE_PRESETS, resolveNoiseModel } from './presets.js';
import { runTrajectory } from './trajectories.js';

const g = (kind: Gate['kind'], qubits: number[], angle = 0, extra: Partial<Gate> = {}): Gate => ({
  kind,
  qubits,
  angle,
  parameter: -1,
  factor: 0,
  ...extra,
});

function model(overrides: Partial<NoiseModel> = {}): NoiseModel {
  return {
    name: 'test',
    oneQubit: { depolarizing: 0, durationSeconds: 0 },
    twoQubit: { depolarizing: 0, durationSeconds: 0 },
    t1Seconds: null,
    t2Seconds: null,
    readout: { p1Given0: 0, p0Given1: 0 },
    ...overrides,
  };
}

const close = (a: number, b: number, tol: number, what: string): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

// ---------- channels against analytic results (density matrix) ----------

test('one-qubit depolarising on |0⟩⟨0| and |+⟩⟨+| matches (1 − r)ρ + r I/2', () => {
  const r = 0.3;
  const m = model({ oneQubit: { depolarizing: r, durationSeconds: 0 } });
  const rho = new DensityMatrix(1);
  applyNoisyGate(rho, g('z', [0]), [], m); // Z|0⟩ = |0⟩
  close(rho.getRe(0, 0), 1 - r / 2, 1e-14, 'ρ00');
  close(rho.getRe(1, 1), r / 2, 1e-14, 'ρ11');
  rho.reset();
  applyNoisyGate(rho, g('h', [0]), [], m);
  close(rho.getRe(0, 0), 0.5, 1e-14, 'ρ00 of |+⟩');
  close(rho.getRe(0, 1), (1 - r) / 2, 1e-14, 'ρ01 of |+⟩');
  close(rho.getRe(1, 0), (1 - r) / 2, 1e-14, 'ρ10 of |+⟩');
  close(rho.getIm(0, 1), 0, 1e-15, 'Im ρ01');
});

test('two-qubit depolarising on a CNOT of |00⟩ leaves 1 − 3r/4 on |00⟩ and r/4 on each other state; on a Bell state the coherence is (1 − r)/2', () => {
  const r = 0.2;
  const m = model({ twoQubit: { depolarizing: r, durationSeconds: 0 } });
  const rho = new DensityMatrix(2);
  applyNoisyGate(rho, g('cnot', [0, 1]), [], m);
  close(rho.getRe(0, 0), 1 - (3 * r) / 4, 1e-14, 'ρ00,00');
  for (let b = 1; b < 4; b++) close(rho.getRe(b, b), r / 4, 1e-14, `ρ${b}${b}`);
  rho.reset();
  applyNoisyGate(rho, g('h', [0]), [], model());
  applyNoisyGate(rho, g('cnot', [0, 1]), [], m);
  close(rho.getRe(0, 3), (1 - r) / 2, 1e-14, 'Bell coherence');
  close(rho.getRe(0, 0), (1 - r) / 2 + r / 4, 1e-14, 'Bell population');
});

test('amplitude damping leaves exp(−t/T1) in |1⟩ and dephasing leaves coherence exp(−t/T2)/2', () => {
  const t = 3e-4;
  const t1 = 1e-3;
  const damping = model({ oneQubit: { depolarizing: 0, durationSeconds: t }, t1Seconds: t1, t2Seconds: 2 * t1 });
  const rho = new DensityMatrix(1);
  applyNoisyGate(rho, g('x', [0]), [], damping);
  close(rho.getRe(1, 1), Math.exp(-t / t1), 1e-14, 'ρ11');
  close(rho.getRe(0, 0), 1 - Math.exp(-t / t1), 1e-14, 'ρ00');
  // With T2 = 2 T1 there is no pure dephasing: the coherence of |+⟩ decays as √(1 − γ) = exp(−t/2T1).
  rho.reset();
  applyNoisyGate(rho, g('h', [0]), [], damping);
  close(rho.getRe(0, 1), Math.exp(-t / (2 * t1)) / 2, 1e-14, 'ρ01 with damping only');
  const t2 = 5e-4;
  const dephasing = model({ oneQubit: { depolarizing: 0, durationSeconds: t }, t1Seconds: null, t2Seconds: t2 });
  rho.reset();
  applyNoisyGate(rho, g('h', [0]), [], dephasing);
  close(rho.getRe(0, 1), Math.exp(-t / t2) / 2, 1e-14, 'ρ01');
  close(rho.getRe(0, 0), 0.5, 1e-14, 'ρ00');
});

// ---------- brute-force Kraus reference ----------

type Dense = { re: Float64Array; im: Float64Array; d: number };

function dense(d: number): Dense {
  return { re: new Float64Array(d * d), im: new Float64Array(d * d), d };
}

/** A·B·C† for dense complex matrices (row-major). */
function sandwich(a: Dense, b: Dense, c: Dense): Dense {
  const d = a.d;
  const t = dense(d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let sr = 0;
      let si = 0;
      for (let k = 0; k < d; k++) {
        sr += a.re[i * d + k] * b.re[k * d + j] - a.im[i * d + k] * b.im[k * d + j];
        si += a.re[i * d + k] * b.im[k * d + j] + a.im[i * d + k] * b.re[k * d + j];
      }
      t.re[i * d + j] = sr;
      t.im[i * d + j] = si;
    }
  const out = dense(d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let sr = 0;
      let si = 0;
      for (let k = 0; k < d; k++) {
        // (C†)[k][j] = conj(C[j][k])
        const cr = c.re[j * d + k];
        const ci = -c.im[j * d + k];
        sr += t.re[i * d + k] * cr - t.im[i * d + k] * ci;
        si += t.re[i * d + k] * ci + t.im[i * d + k] * cr;
      }
      out.re[i * d + j] = sr;
      out.im[i * d + j] = si;
    }
  return out;
}

/** Full-register unitary of one gate, column by column from the exact state-vector simulator. */
function fullUnitary(n: number, gate: Gate): Dense {
  const d = 1 << n;
  const u = dense(d);
  const s = new StateVector(n);
  for (let c = 0; c < d; c++) {
    s.reset(c);
    applyGate(s, gate);
    for (let r = 0; r < d; r++) {
      u.re[r * d + c] = s.re[r];
      u.im[r * d + c] = s.im[r];
    }
  }
  return u;
}

const PAULI: [number, number, number, number, number, number, number, number][] = [
  [1, 0, 0, 0, 0, 0, 1, 0], // I: [[1,0],[0,1]] as re/im pairs row-major
  [0, 0, 1, 0, 1, 0, 0, 0], // X
  [0, 0, 0, -1, 0, 1, 0, 0], // Y
  [1, 0, 0, 0, 0, 0, -1, 0], // Z
];

/** Embeds 2×2 operators (re/im pairs row-major) on the given qubits into the n-qubit space, scaled. */
function embed(n: number, ops: { q: number; m: readonly number[] }[], scale: number): Dense {
  const d = 1 << n;
  const out = dense(d);
  for (let r = 0; r < d; r++)
    for (let c = 0; c < d; c++) {
      let vr = scale;
      let vi = 0;
      let zero = false;
      for (let q = 0; q < n; q++) {
        const op = ops.find((o) => o.q === q);
        const rb = (r >> q) & 1;
        const cb = (c >> q) & 1;
        let er: number;
        let ei: number;
        if (op === undefined) {
          er = rb === cb ? 1 : 0;
          ei = 0;
        } else {
          er = op.m[2 * (2 * rb + cb)];
          ei = op.m[2 * (2 * rb + cb) + 1];
        }
        if (er === 0 && ei === 0) {
          zero = true;
          break;
        }
        const nr = vr * er - vi * ei;
        vi = vr * ei + vi * er;
        vr = nr;
      }
      if (!zero) {
        out.re[r * d + c] = vr;
        out.im[r * d + c] = vi;
      }
    }
  return out;
}

function krausSum(rho: Dense, kraus: Dense[]): Dense {
  const out = dense(rho.d);
  for (const k of kraus) {
    const t = sandwich(k, rho, k);
    for (let i = 0; i < out.re.length; i++) {
      out.re[i] += t.re[i];
      out.im[i] += t.im[i];
    }
  }
  return out;
}

/** Brute-force noisy circuit: U, then the IonQ-convention depolarising Kraus set, then damping and dephasing per qubit. */
function bruteForce(circuit: Circuit, m: NoiseModel): Dense {
  const n = circuit.nQubits;
  const d = 1 << n;
  let rho = dense(d);
  rho.re[0] = 1;
  // Pauli rotations are compiled to CNOT ladders; CZ and SWAP stay single two-qubit gates.
  const gates = circuit.gates.flatMap((gate) => (gate.kind === 'pauliRotation' ? decompose({ ...circuit, gates: [gate] }).gates : [gate]));
  for (const gate of gates) {
    const u = fullUnitary(n, gate);
    rho = sandwich(u, rho, u);
    const arity = gate.qubits.length;
    const gn = arity === 1 ? m.oneQubit : m.twoQubit;
    const r = gn.depolarizing;
    const kraus: Dense[] = [];
    if (arity === 1) {
      kraus.push(embed(n, [], Math.sqrt(1 - (3 * r) / 4)));
      for (let i = 1; i < 4; i++) kraus.push(embed(n, [{ q: gate.qubits[0], m: PAULI[i] }], Math.sqrt(r / 4)));
    } else {
      for (let i = 0; i < 4; i++)
        for (let j = 0; j < 4; j++) {
          const scale = i === 0 && j === 0 ? Math.sqrt(1 - (15 * r) / 16) : Math.sqrt(r / 16);
          kraus.push(embed(n, [{ q: gate.qubits[0], m: PAULI[i] }, { q: gate.qubits[1], m: PAULI[j] }], scale));
        }
    }
    rho = krausSum(rho, kraus);
    const t = gn.durationSeconds;
    const gamma = m.t1Seconds === null ? 0 : 1 - Math.exp(-t / m.t1Seconds);
    const total = m.t2Seconds === null ? Math.sqrt(1 - gamma) : Math.exp(-t / m.t2Seconds);
    const pz = (1 - total / Math.sqrt(1 - gamma)) / 2;
    for (const q of gate.qubits) {
      rho = krausSum(rho, [
        embed(n, [{ q, m: [1, 0, 0, 0, 0, 0, Math.sqrt(1 - gamma), 0] }], 1),
        embed(n, [{ q, m: [0, 0, Math.sqrt(gamma), 0, 0, 0, 0, 0] }], 1),
      ]);
      rho = krausSum(rho, [embed(n, [], Math.sqrt(1 - pz)), embed(n, [{ q, m: PAULI[3] }], Math.sqrt(pz))]);
    }
  }
  return rho;
}

function randomCircuit(n: number, nGates: number, rng: Random): Circuit {
  const gates: Gate[] = [];
  const one: Gate['kind'][] = ['h', 'x', 'y', 'z', 's', 'sdg', 't', 'tdg', 'rx', 'ry', 'rz'];
  const two: Gate['kind'][] = ['cnot', 'cz', 'swap'];
  for (let k = 0; k < nGates; k++) {
    const a = Math.floor(rng.next() * n);
    let b = Math.floor(rng.next() * (n - 1));
    if (b >= a) b++;
    const u = rng.next();
    if (u < 0.5) gates.push(g(one[Math.floor(rng.next() * one.length)], [a], rng.uniform(-3, 3)));
    else if (u < 0.8) gates.push(g(two[Math.floor(rng.next() * two.length)], [a, b]));
    else {
      // A weight-2 or weight-3 Pauli rotation (decomposed before noise).
      let x = 0;
      let z = 0;
      const qs = new Set([a, b, Math.floor(rng.next() * n)]);
      for (const q of qs) {
        const p = 1 + Math.floor(rng.next() * 3);
        if (p & 1) x |= 1 << q;
        if (p & 2) z |= 1 << q;
      }
      gates.push(g('pauliRotation', [...qs].sort((p, q) => p - q), rng.uniform(-3, 3), { pauliX: x, pauliZ: z }));
    }
  }
  return { nQubits: n, nParameters: 0, gates };
}

const BRUTE_MODELS: NoiseModel[] = [
  model(),
  model({ oneQubit: { depolarizing: 0.04, durationSeconds: 0 }, twoQubit: { depolarizing: 0.11, durationSeconds: 0 } }),
  model({ oneQubit: { depolarizing: 0, durationSeconds: 2e-5 }, twoQubit: { depolarizing: 0, durationSeconds: 7e-5 }, t1Seconds: 4e-4, t2Seconds: null }),
  model({ oneQubit: { depolarizing: 0, durationSeconds: 2e-5 }, twoQubit: { depolarizing: 0, durationSeconds: 7e-5 }, t1Seconds: null, t2Seconds: 3e-4 }),
  model({
    oneQubit: { depolarizing: 0.04, durationSeconds: 2e-5 },
    twoQubit: { depolarizing: 0.11, durationSeconds: 7e-5 },
    t1Seconds: 4e-4,
    t2Seconds: 3e-4,
  }),
];

test('density matrix equals a brute-force Kraus-sum simulation on random 3-qubit circuits with every channel', () => {
  const rng = new Random(7);
  for (let trial = 0; trial < 10; trial++) {
    const m = BRUTE_MODELS[trial % BRUTE_MODELS.length];
    const circuit = randomCircuit(3, 14, rng);
    const rho = simulateDensityMatrix(circuit, [], m);
    const ref = bruteForce(circuit, m);
    let worst = 0;
    for (let r = 0; r < 8; r++)
      for (let c = 0; c < 8; c++) {
        worst = Math.max(worst, Math.abs(rho.getRe(r, c) - ref.re[r * 8 + c]), Math.abs(rho.getIm(r, c) - ref.im[r * 8 + c]));
      }
    assert.ok(worst < 1e-12, `trial ${trial} (model ${trial % BRUTE_MODELS.length}): max |Δρ| = ${worst}`);
    close(rho.trace(), 1, 1e-12, 'trace');
  }
});

