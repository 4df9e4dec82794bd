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
import { DensityMatrix, applyNoisyGate, applyNoisyMatrix, simulateDensityMatrix } from './density-matrix.js';
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

/** Amplitude damping γ then dephasing (total coherence factor `total`) of each qubit, as Kraus sums. */
function bruteNoise(rho: Dense, qubits: readonly number[], gamma: number, total: number): Dense {
  const n = Math.log2(rho.d);
  const pz = (1 - total / Math.sqrt(1 - gamma)) / 2;
  for (const q of qubits) {
    rho = krausSum(rho, [
      embed(n, [{ q, m: [1, 0, 0, 0, 0, 0, Math.sqrt(1 - gamma), 0] }], 1),
      embed(n, [{ q, m: [0, 0, Math.sqrt(gamma), 0, 0, 0, 0, 0] }], 1),
    ]);
    rho = krausSum(rho, [embed(n, [], Math.sqrt(1 - pz)), embed(n, [{ q, m: PAULI[3] }], Math.sqrt(pz))]);
  }
  return rho;
}

/** The IonQ-convention depolarising Kraus set on one or two qubits. */
function depolarizingKraus(n: number, qubits: readonly number[], r: number): Dense[] {
  const kraus: Dense[] = [];
  if (qubits.length === 1) {
    kraus.push(embed(n, [], Math.sqrt(1 - (3 * r) / 4)));
    for (let i = 1; i < 4; i++) kraus.push(embed(n, [{ q: qubits[0], m: PAULI[i] }], Math.sqrt(r / 4)));
  } else {
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        const scale = i === 0 && j === 0 ? Math.sqrt(1 - (15 * r) / 16) : Math.sqrt(r / 16);
        kraus.push(embed(n, [{ q: qubits[0], m: PAULI[i] }, { q: qubits[1], m: PAULI[j] }], scale));
      }
  }
  return kraus;
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
    const kraus = depolarizingKraus(n, gate.qubits, gn.depolarizing);
    const t = gn.durationSeconds;
    const gamma = m.t1Seconds === null ? 0 : 1 - Math.exp(-t / m.t1Seconds);
    const total = m.t2Seconds === null ? Math.sqrt(1 - gamma) : Math.exp(-t / m.t2Seconds);
    rho = bruteNoise(krausSum(rho, kraus), gate.qubits, gamma, total);
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


test('a dense (non-permutation) two-qubit unitary with noise matches the brute-force Kraus sum', () => {
  const rng = new Random(3);
  // Random 4×4 unitary by Gram–Schmidt on random complex columns.
  const u = new Float64Array(32);
  const cols: [Float64Array, Float64Array][] = [];
  for (let c = 0; c < 4; c++) {
    const vr = Float64Array.from({ length: 4 }, () => rng.uniform(-1, 1));
    const vi = Float64Array.from({ length: 4 }, () => rng.uniform(-1, 1));
    for (const [wr, wi] of cols) {
      let pr = 0;
      let pi = 0;
      for (let k = 0; k < 4; k++) {
        pr += wr[k] * vr[k] + wi[k] * vi[k];
        pi += wr[k] * vi[k] - wi[k] * vr[k];
      }
      for (let k = 0; k < 4; k++) {
        vr[k] -= pr * wr[k] - pi * wi[k];
        vi[k] -= pr * wi[k] + pi * wr[k];
      }
    }
    let norm = 0;
    for (let k = 0; k < 4; k++) norm += vr[k] * vr[k] + vi[k] * vi[k];
    norm = Math.sqrt(norm);
    for (let k = 0; k < 4; k++) {
      vr[k] /= norm;
      vi[k] /= norm;
      u[2 * (4 * k + c)] = vr[k];
      u[2 * (4 * k + c) + 1] = vi[k];
    }
    cols.push([vr, vi]);
  }
  const n = 3;
  const qubits = [2, 0];
  const channel = { depolarizing: 0.1, gamma: 0.05, coherence: 0.9 };
  const prep: Gate[] = [g('h', [0]), g('ry', [1], 0.7), g('cnot', [0, 2]), g('rx', [2], 1.1), g('t', [1])];
  const rho = new DensityMatrix(n);
  for (const p of prep) applyNoisyGate(rho, p, [], model());
  applyNoisyMatrix(rho, qubits, u, channel);
  let ref = dense(8);
  ref.re[0] = 1;
  for (const p of prep) {
    const full = fullUnitary(n, p);
    ref = sandwich(full, ref, full);
  }
  const full = dense(8);
  for (let r = 0; r < 8; r++)
    for (let c = 0; c < 8; c++) {
      if ((r & 2) !== (c & 2)) continue; // qubit 1 untouched
      const lr = ((r >> 2) & 1) | ((r & 1) << 1);
      const lc = ((c >> 2) & 1) | ((c & 1) << 1);
      full.re[r * 8 + c] = u[2 * (4 * lr + lc)];
      full.im[r * 8 + c] = u[2 * (4 * lr + lc) + 1];
    }
  ref = sandwich(full, ref, full);
  ref = bruteNoise(krausSum(ref, depolarizingKraus(n, qubits, channel.depolarizing)), qubits, channel.gamma, channel.coherence);
  for (let r = 0; r < 8; r++)
    for (let c = 0; c < 8; c++) {
      close(rho.getRe(r, c), ref.re[r * 8 + c], 1e-13, `Re ρ${r}${c}`);
      close(rho.getIm(r, c), ref.im[r * 8 + c], 1e-13, `Im ρ${r}${c}`);
    }
});

// ---------- sampler statistics ----------

/** Asserts counts of `outcome` are within `k` standard errors of shots·p. */
function withinSigma(count: number, shots: number, p: number, k: number, what: string): void {
  const sigma = Math.sqrt(shots * p * (1 - p));
  assert.ok(Math.abs(count - shots * p) <= k * Math.max(sigma, 1), `${what}: ${count} of ${shots}, expected ${(shots * p).toFixed(1)} ± ${sigma.toFixed(1)}`);
}

test('channels sampled by both engines: damping exp(−t/T1), dephasing (1 + e^{−t/T2})/2, depolarising twice', async () => {
  const shots = 20000;
  const t = 1e-3;
  const cases: { m: NoiseModel; circuit: Circuit; p1: number; what: string }[] = [
    {
      what: 'amplitude damping',
      m: model({ oneQubit: { depolarizing: 0, durationSeconds: t }, t1Seconds: 2e-3, t2Seconds: 4e-3 }),
      circuit: { nQubits: 1, nParameters: 0, gates: [g('x', [0])] },
      p1: Math.exp(-0.5),
    },
    {
      what: 'dephasing',
      m: model({ oneQubit: { depolarizing: 0, durationSeconds: t }, t2Seconds: 1.5e-3 }),
      circuit: { nQubits: 1, nParameters: 0, gates: [g('h', [0]), g('h', [0])] },
      p1: (1 - Math.exp(-t / 1.5e-3)) / 2,
    },
    {
      what: 'depolarising',
      m: model({ oneQubit: { depolarizing: 0.2, durationSeconds: 0 } }),
      circuit: { nQubits: 1, nParameters: 0, gates: [g('h', [0]), g('h', [0])] },
      p1: (1 - 0.8 * 0.8) / 2,
    },
  ];
  for (const c of cases) {
    for (const engine of ['density-matrix', 'trajectories'] as const) {
      const sampler = new NoisySampler({ noise: c.m, shots, seed: 11, engine });
      const [res] = await sampler.run([{ circuit: c.circuit }]).result();
      withinSigma(res.counts[0].get(1) ?? 0, shots, c.p1, 4, `${c.what} (${engine})`);
    }
    const exact = new NoisySampler({ noise: c.m }).exactProbabilities(c.circuit);
    close(exact[1], c.p1, 1e-13, `${c.what} exact`);
  }
});

test('readout error on basis states follows the confusion matrix p(1|0) ≠ p(0|1)', async () => {
  const shots = 40000;
  const m = model({ readout: { p1Given0: 0.04, p0Given1: 0.13 } });
  const circuit: Circuit = { nQubits: 2, nParameters: 0, gates: [g('x', [0])] }; // |01⟩: qubit 0 is 1
  for (const engine of ['density-matrix', 'trajectories'] as const) {
    const [res] = await new NoisySampler({ noise: m, shots, seed: 5, engine }).run([{ circuit }]).result();
    const q0 = [0.13, 0.87]; // qubit 0 in |1⟩ reads 0, 1
    const q1 = [0.96, 0.04]; // qubit 1 in |0⟩ reads 0, 1
    for (let b = 0; b < 4; b++) withinSigma(res.counts[0].get(b) ?? 0, shots, q0[b & 1] * q1[b >> 1], 4, `${engine} outcome ${b}`);
  }
});

function ghzRotations(n: number): Circuit {
  const gates: Gate[] = [g('h', [0])];
  for (let q = 1; q < n; q++) gates.push(g('cnot', [q - 1, q]));
  for (let q = 0; q < n; q++) gates.push(g('ry', [q], 0.3 + 0.2 * q));
  gates.push(g('pauliRotation', [0, 2, 4], 0.9, { pauliX: 0b10101, pauliZ: 0b00100 }));
  for (let q = 0; q < n; q++) gates.push(g('rx', [q], -0.4 + 0.1 * q));
  gates.push(g('cz', [1, 4]));
  return { nQubits: n, nParameters: 0, gates };
}

test('trajectories agree with the density matrix on a 6-qubit circuit within their statistical error', () => {
  const n = 6;
  const circuit = ghzRotations(n);
  // Noise well above the presets so the comparison tests every branch.
  const m = model({
    oneQubit: { depolarizing: 0.02, durationSeconds: 1e-4 },
    twoQubit: { depolarizing: 0.08, durationSeconds: 4e-4 },
    t1Seconds: 4e-3,
    t2Seconds: 2e-3,
  });
  const exact = simulateDensityMatrix(circuit, [], m).probabilities();
  const rng = new Random(2024);
  const state = new StateVector(n);
  const trajectories = 3000;
  const sum = new Float64Array(1 << n);
  const sumSq = new Float64Array(1 << n);
  // ⟨Z0 Z1⟩ per trajectory as an observable as well.
  let zz = 0;
  let zzSq = 0;
  for (let t = 0; t < trajectories; t++) {
    runTrajectory(state, circuit, [], m, rng);
    let z = 0;
    for (let b = 0; b < state.dimension; b++) {
      const p = state.re[b] ** 2 + state.im[b] ** 2;
      sum[b] += p;
      sumSq[b] += p * p;
      z += (((b ^ (b >> 1)) & 1) === 0 ? 1 : -1) * p;
    }
    zz += z;
    zzSq += z * z;
  }
  let worst = 0;
  for (let b = 0; b < sum.length; b++) {
    const mean = sum[b] / trajectories;
    const se = Math.sqrt(Math.max(sumSq[b] / trajectories - mean * mean, 0) / (trajectories - 1));
    const z = Math.abs(mean - exact[b]) / Math.max(se, 1e-6);
    worst = Math.max(worst, z);
  }
  assert.ok(worst < 4.5, `largest deviation ${worst.toFixed(2)} standard errors over 64 outcomes`);
  let zzExact = 0;
  for (let b = 0; b < exact.length; b++) zzExact += (((b ^ (b >> 1)) & 1) === 0 ? 1 : -1) * exact[b];
  const zzMean = zz / trajectories;
  const zzSe = Math.sqrt((zzSq / trajectories - zzMean * zzMean) / (trajectories - 1));
  assert.ok(Math.abs(zzMean - zzExact) < 4 * zzSe, `⟨Z0Z1⟩ ${zzMean} ± ${zzSe} vs ${zzExact}`);
  // The noise must matter here, or the comparison would be vacuous.
  const ideal = simulateDensityMatrix(circuit, [], model()).probabilities();
  let tv = 0;
  for (let b = 0; b < ideal.length; b++) tv += Math.abs(ideal[b] - exact[b]) / 2;
  assert.ok(tv > 0.05, `noise moves the distribution by ${tv}`);
});

test('the noiseless preset reproduces the exact state-vector probabilities (1e-12) and its counts are within shot noise', async () => {
  const rng = new Random(99);
  const n = 5;
  const circuit = randomCircuit(n, 40, rng);
  const state = new StateVector(n);
  applyCircuit(state, circuit);
  const sampler = new NoisySampler({ noise: resolveNoiseModel('noiseless'), shots: 50000, seed: 4 });
  const p = sampler.exactProbabilities(circuit);
  for (let b = 0; b < state.dimension; b++) close(p[b], state.re[b] ** 2 + state.im[b] ** 2, 1e-12, `p(${b})`);
  const exact = Float64Array.from(p);
  const [res] = await sampler.run([{ circuit }]).result();
  for (let b = 0; b < exact.length; b++) withinSigma(res.counts[0].get(b) ?? 0, 50000, exact[b], 4.5, `outcome ${b}`);
});

test('same seed gives the same counts on both engines; engine choice is automatic and overridable', async () => {
  const circuit = ghzRotations(5);
  for (const engine of ['density-matrix', 'trajectories'] as const) {
    const run = async (seed: number) => (await new NoisySampler({ noise: resolveNoiseModel('aria-1'), shots: 300, seed, engine }).run([{ circuit }]).result())[0].counts[0];
    const a = await run(8);
    const b = await run(8);
    const c = await run(9);
    assert.deepEqual([...a.entries()].sort(), [...b.entries()].sort(), engine);
    assert.notDeepEqual([...a.entries()].sort(), [...c.entries()].sort(), engine);
  }
  const sampler = new NoisySampler({ noise: resolveNoiseModel('forte-1') });
  assert.equal(sampler.engineFor(12), 'density-matrix');
  assert.equal(sampler.engineFor(13), 'trajectories');
  assert.throws(() => new NoisySampler({ noise: resolveNoiseModel('forte-1'), engine: 'density-matrix' }).engineFor(13), InputError);
  assert.equal(new NoisySampler({ noise: resolveNoiseModel('forte-1'), engine: 'trajectories' }).engineFor(3), 'trajectories');
});

test('Pauli rotations are compiled before noise: a weight-3 rotation carries four two-qubit errors', () => {
  const rot: Circuit = { nQubits: 3, nParameters: 0, gates: [g('pauliRotation', [0, 1, 2], 0.5, { pauliX: 0, pauliZ: 7 })] };
  assert.deepEqual(hardwareGateCounts(rot), { oneQubitGates: 1, twoQubitGates: 4 });
  // Z-only rotation on |000⟩ leaves |000⟩; with two-qubit depolarising r the population of |000⟩
  // after four CNOT errors on the pairs (0,1), (1,2), (1,2), (0,1): each error leaves a pair in
  // |00⟩ with probability 1 − 3r/4 (only I/Z Paulis keep it), independently of the other pair.
  const r = 0.1;
  const p = new NoisySampler({ noise: model({ twoQubit: { depolarizing: r, durationSeconds: 0 } }) }).exactProbabilities(rot);
  assert.ok(p[0] < 1 - r, `p(000) = ${p[0]}`);
  assert.ok(p[0] > (1 - (3 * r) / 4) ** 4 - 1e-12, `p(000) = ${p[0]}`);
});

// ---------- presets and noise-model files ----------

test('presets carry the published IonQ depolarising rates', () => {
  assert.equal(DEVICE_PRESETS['aria-1'].oneQubit.depolarizing, 5.0e-4);
  assert.equal(DEVICE_PRESETS['aria-1'].twoQubit.depolarizing, 1.33e-2);
  assert.ok(Math.abs(DEVICE_PRESETS['forte-1'].oneQubit.depolarizing - 2.7e-4) < 1e-5);
  assert.ok(Math.abs(DEVICE_PRESETS['forte-1'].twoQubit.depolarizing - 4.9e-3) < 1e-4);
  assert.ok(DEVICE_PRESETS['aria-2'].twoQubit.depolarizing > DEVICE_PRESETS['aria-1'].twoQubit.depolarizing);
  const ro = DEVICE_PRESETS['aria-1'].readout;
  assert.notEqual(ro.p1Given0, ro.p0Given1);
  close((ro.p1Given0 + ro.p0Given1) / 2, 1 - 0.9961, 1e-15, 'mean readout error = SPAM error');
  assert.throws(() => resolveNoiseModel('aria-9'), (e: unknown) => e instanceof InputError && /unknown device 'aria-9'/.test(e.message));
});

const GOOD = {
  name: 'lab',
  oneQubit: { depolarizing: 0.001, durationSeconds: 1e-5 },
  twoQubit: { depolarizing: 0.01, durationSeconds: 2e-4 },
  t1Seconds: 1,
  t2Seconds: 0.5,
  readout: { p1Given0: 0.01, p0Given1: 0.02 },
};

test('a JSON noise model loads, and bad files fail with the file, the key path and the problem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qde-noise-'));
  const file = join(dir, 'noise.json');
  writeFileSync(file, JSON.stringify(GOOD));
  const m = loadNoiseModel(file);
  assert.equal(m.name, 'lab');
  assert.equal(resolveNoiseModel(file).twoQubit.depolarizing, 0.01);
  const { name: _omit, ...unnamed } = GOOD;
  assert.equal(parseNoiseModel(unnamed, '/x/my-device.json').name, 'my-device');
  const cases: [unknown, RegExp][] = [
    [{ ...GOOD, oneQubit: { durationSeconds: 1e-5 } }, /^noise\.json: oneQubit\.depolarizing: missing$/],
    [{ ...GOOD, readout: undefined }, /^noise\.json: readout: missing$/],
    [{ ...GOOD, twoQubit: { depolarizing: '0.01', durationSeconds: 1 } }, /^noise\.json: twoQubit\.depolarizing: must be a number in \[0, 1\]$/],
    [{ ...GOOD, oneQubit: { depolarizing: 1.5, durationSeconds: 1 } }, /^noise\.json: oneQubit\.depolarizing: must be a number in \[0, 1\]$/],
    [{ ...GOOD, readout: { p1Given0: -0.1, p0Given1: 0 } }, /^noise\.json: readout\.p1Given0: must be a number in \[0, 0\.5\]$/],
    [{ ...GOOD, t1Seconds: 0 }, /^noise\.json: t1Seconds: must be a positive number of seconds or null$/],
    [{ ...GOOD, t2Seconds: 3 }, /^noise\.json: t2Seconds: must not exceed 2 × t1Seconds/],
    [{ ...GOOD, readout: { ...GOOD.readout, p2: 0 } }, /^noise\.json: readout\.p2: unknown key$/],
    [[1, 2], /^noise\.json: must be a JSON object$/],
  ];
  for (const [data, pattern] of cases) {
    assert.throws(() => parseNoiseModel(data, 'noise.json'), (e: unknown) => e instanceof InputError && pattern.test(e.message), JSON.stringify(data));
  }
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ ...GOOD, oneQubit: { depolarizing: 2, durationSeconds: 0 } }));
  assert.throws(
    () => loadNoiseModel(bad),
    (e: unknown) => e instanceof InputError && e.message === `${bad}: oneQubit.depolarizing: must be a number in [0, 1]` && e.file === bad,
  );
  writeFileSync(bad, '{ "oneQubit": ');
  assert.throws(() => loadNoiseModel(bad), (e: unknown) => e instanceof InputError && e.message.startsWith(`${bad}: not valid JSON`));
  assert.throws(() => loadNoiseModel(join(dir, 'missing.json')), (e: unknown) => e instanceof InputError && e.message.startsWith(`${join(dir, 'missing.json')}: cannot read`));
});
