/**
 * Error mitigation under known noise (test/…: the test samplers of ../sampling.test-util.ts apply
 * noise whose effect is known analytically):
 * - readout: basis states under known asymmetric, uncorrelated flips — exact ⟨Z_S⟩ = ±1; the raw
 *   value follows Π_q (δ_q + λ_q z_q) (derived in readout.ts);
 * - ZNE: folding preserves the state; extrapolation formulas against hand-derived coefficients;
 *   on H2 with a shot-mixing noise that scales with the gate count (polynomially or exponentially in
 *   the scale factor) Richardson resp. exponential extrapolation recover Psi4's full CI;
 * - symmetry: on H2 with shot mixing the kept fraction matches the analytic one and the energy
 *   moves toward full CI.
 * Full-CI energies: Psi4 (test/fixtures/algorithms/references.json).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { applyCircuit } from '../../backends/apply.js';
import { expectationPauliSum } from '../../backends/observables.js';
import { NoisySampler } from '../../backends/noise/noisy-sampler.js';
import { resolveNoiseModel } from '../../backends/noise/presets.js';
import type { EstimatorPub } from '../../backends/primitives.js';
import { SamplingEstimator } from '../../backends/sampling-estimator.js';
import { ShotSamplingSimulator } from '../../backends/sampling-simulator.js';
import { StateVector } from '../../backends/statevector.js';
import type { Circuit, Gate } from '../../circuits/circuit.js';
import { readFcidump } from '../../hamiltonian/fcidump.js';
import { PauliSum } from '../../qubits/pauli-sum.js';
import { buildQubitProblem, runVqe } from '../molecular-vqe.js';
import { MixingSampler, ReadoutFlipSampler } from '../sampling.test-util.js';
import { createMitigatedEstimator, MitigatedEstimator, type MitigatedEstimate } from './mitigated-estimator.js';
import { spinMasks, symmetryFilter } from './symmetry.js';
import { extrapolateToZero, foldCircuit, richardsonCoefficients } from './zne.js';

const FIXTURES = new URL('../../../test/fixtures/algorithms/', import.meta.url);
const references = JSON.parse(readFileSync(new URL('references.json', FIXTURES), 'utf8')).entries as Record<string, { fci: number }>;
const FCI = references['h2_r0.74'].fci;

async function h2Pub(): Promise<EstimatorPub> {
  const hamiltonian = readFcidump(new URL('h2_r0.74.fcidump', FIXTURES).pathname);
  const vqe = await runVqe({ hamiltonian });
  assert.ok(Math.abs(vqe.energyHartree - FCI) < 1e-8);
  const problem = buildQubitProblem({ hamiltonian });
  return { circuit: problem.circuit, observable: problem.hamiltonian, parameterSets: [vqe.parameters] };
}

async function one(estimator: { run: MitigatedEstimator['run'] }, pub: EstimatorPub): Promise<MitigatedEstimate> {
  const [r] = await estimator.run([pub]).result();
  return r.estimates[0] as MitigatedEstimate;
}

const x = (q: number): Gate => ({ kind: 'x', qubits: [q], angle: 0, parameter: -1, factor: 0 });

test('readout mitigation recovers exact ⟨Z_S⟩ of a basis state under known asymmetric flips', async () => {
  const p01 = [0.02, 0.06, 0.1, 0.03];
  const p10 = [0.08, 0.03, 0.15, 0.12];
  const bits = 0b0101;
  const circuit: Circuit = { nQubits: 4, nParameters: 0, gates: [x(0), x(2)] };
  const sampler = new ReadoutFlipSampler(new ShotSamplingSimulator({ shots: 20000, seed: 3 }), p01, p10, 7);
  const estimator = new MitigatedEstimator(new SamplingEstimator(sampler, { shots: 20000 }), { methods: ['readout'], readout: { shots: 50000 } });
  const cal = await estimator.calibration(4);
  for (let q = 0; q < 4; q++) {
    assert.ok(Math.abs(cal.p01[q] - p01[q]) < 4 * Math.sqrt(cal.p01Variance[q]), `p01[${q}] = ${cal.p01[q]}`);
    assert.ok(Math.abs(cal.p10[q] - p10[q]) < 4 * Math.sqrt(cal.p10Variance[q]), `p10[${q}] = ${cal.p10[q]}`);
  }
  for (const label of ['Z0', 'Z1', 'Z2', 'Z3', 'Z0 Z1', 'Z1 Z2', 'Z0 Z2 Z3', 'Z0 Z1 Z2 Z3']) {
    const support = label.split(' ').map((t) => Number(t.slice(1)));
    const observable = PauliSum.fromLabel(4, label);
    const e = await one(estimator, { circuit, observable });
    // Exact ⟨Z_S⟩ of |0101⟩ and the analytic raw value Π (δ_q + λ_q z_q).
    let exact = 1;
    let raw = 1;
    for (const q of support) {
      const z = (bits >>> q) & 1 ? -1 : 1;
      exact *= z;
      raw *= p10[q] - p01[q] + (1 - p01[q] - p10[q]) * z;
    }
    assert.ok(Math.abs(e.rawValue - raw) < 4 * e.rawStandardError, `${label}: raw ${e.rawValue} vs ${raw}`);
    assert.ok(Math.abs(e.rawValue - exact) > 10 * e.rawStandardError, `${label}: raw should be biased`);
    assert.ok(Math.abs(e.value - exact) < 3 * e.standardError, `${label}: ${e.value} ± ${e.standardError} vs ${exact}`);
    assert.ok(e.mitigation.calibrationStandardError! > 0 && e.standardError > e.mitigation.calibrationStandardError!);
    assert.deepEqual(e.mitigation.applied, ['readout']);
  }
  assert.equal(estimator.info.mitigation, 'readout');
});

test('folding keeps the state; global folding triples every gate, two-qubit folding only the entanglers', () => {
  const circuit: Circuit = {
    nQubits: 3,
    nParameters: 2,
    gates: [
      { kind: 'h', qubits: [0], angle: 0, parameter: -1, factor: 0 },
      { kind: 'ry', qubits: [1], angle: 0.2, parameter: 0, factor: 1 },
      { kind: 'cnot', qubits: [0, 1], angle: 0, parameter: -1, factor: 0 },
      { kind: 's', qubits: [2], angle: 0, parameter: -1, factor: 0 },
      { kind: 'rz', qubits: [2], angle: 0, parameter: 1, factor: -2 },
      { kind: 'cz', qubits: [1, 2], angle: 0, parameter: -1, factor: 0 },
    ],
  };
  const theta = [0.7, -0.4];
  const state = (c: Circuit) => {
    const s = new StateVector(3);
    applyCircuit(s, c, theta);
    return s;
  };
  const ref = state(circuit);
  for (const method of ['global', 'local', 'local-two-qubit'] as const) {
    for (const scale of [3, 5]) {
      const folded = foldCircuit(circuit, scale, method);
      const s = state(folded);
      for (let i = 0; i < 8; i++) {
        assert.ok(Math.abs(s.re[i] - ref.re[i]) < 1e-12 && Math.abs(s.im[i] - ref.im[i]) < 1e-12, `${method} ×${scale}`);
      }
      const two = folded.gates.filter((g) => g.qubits.length === 2).length;
      assert.equal(two, 2 * scale, `${method} ×${scale}: two-qubit gates`);
      assert.equal(folded.gates.length - two, method === 'local-two-qubit' ? 4 : 4 * scale);
    }
  }
  assert.throws(() => foldCircuit(circuit, 2), /odd positive integers/);
});

test('extrapolation: exact on its model, with the propagated standard error of the coefficients', () => {
  const scales = [1, 3, 5];
  assert.deepEqual(richardsonCoefficients(scales), [15 / 8, -5 / 4, 3 / 8]);
  const quad = (l: number) => -1.1 + 0.03 * l - 0.002 * l * l;
  const r = extrapolateToZero(scales, scales.map(quad), [0.01, 0.02, 0.03], 'richardson');
  assert.ok(Math.abs(r.value - quad(0)) < 1e-14);
  assert.ok(Math.abs(r.standardError - Math.hypot((15 / 8) * 0.01, (5 / 4) * 0.02, (3 / 8) * 0.03)) < 1e-15);
  // Equal errors σ: the intercept variance of a straight line is σ² Σx² / (n Σx² − (Σx)²) = σ² 35/24.
  const lin = extrapolateToZero(scales, scales.map((l) => 0.5 - 0.1 * l), [0.02, 0.02, 0.02], 'linear');
  assert.ok(Math.abs(lin.value - 0.5) < 1e-14);
  assert.ok(Math.abs(lin.standardError - 0.02 * Math.sqrt(35 / 24)) < 1e-15);
  const expo = (l: number) => 0.3 + -1.2 * Math.exp(-0.15 * l);
  const e = extrapolateToZero(scales, scales.map(expo), [1e-3, 1e-3, 1e-3], 'exponential', 0.3);
  assert.ok(Math.abs(e.value - expo(0)) < 1e-12 && e.method === 'exponential');
  // Points on both sides of the asymptote: fall back to a line.
  assert.equal(extrapolateToZero([1, 3], [0.1, -0.1], [0.01, 0.01], 'exponential', 0).method, 'linear');
});

/** Two-qubit gates (CNOT count after decomposing Pauli rotations): the noise clock of the mixing sampler. */
function entanglers(circuit: Circuit): number {
  let n = 0;
  for (const g of circuit.gates) {
    if (g.kind === 'pauliRotation') n += 2 * Math.max(0, g.qubits.length - 1);
    else if (g.qubits.length === 2) n++;
  }
  return n;
}

for (const [model, extrapolation] of [
  ['polynomial', 'richardson'],
  ['exponential', 'exponential'],
] as const) {
  test(`ZNE (${extrapolation}) on H2 under ${model} gate-count noise recovers full CI better than the raw energy`, async () => {
    const pub = await h2Pub();
    const g0 = entanglers(pub.circuit);
    assert.ok(g0 > 0);
    // Signal factor 1 − q at scale λ = G/G0: polynomial 1 − 0.1λ + 0.004λ² (degree 2 < 3 points),
    // or exponential 0.9^λ.
    const mixing = (c: Circuit): number => {
      const l = entanglers(c) / g0;
      return model === 'polynomial' ? 0.1 * l - 0.004 * l * l : 1 - 0.9 ** l;
    };
    const sampler = new MixingSampler(new ShotSamplingSimulator({ shots: 40000, seed: 5 }), mixing, 11);
    const estimator = new MitigatedEstimator(new SamplingEstimator(sampler, { shots: 40000 }), {
      methods: ['zne'],
      zne: { scales: [1, 3, 5], folding: 'local-two-qubit', extrapolation },
    });
    const e = await one(estimator, pub);
    const rawError = Math.abs(e.rawValue - FCI);
    const error = Math.abs(e.value - FCI);
    assert.ok(rawError > 5 * e.rawStandardError, `raw ${e.rawValue} ± ${e.rawStandardError}`);
    assert.ok(error < 3 * e.standardError, `${e.value} ± ${e.standardError} vs ${FCI}`);
    assert.ok(error < rawError / 3, `mitigated error ${error}, raw ${rawError}`);
    assert.deepEqual(e.mitigation.zne!.scales, [1, 3, 5]);
    assert.equal(e.shots, 3 * 40000);
  });
}

test('mitigated error bars are honest: over 100 seeds they cover full CI at normal rates (readout with a small calibration; ZNE)', async () => {
  const pub = await h2Pub();
  const cases = {
    // 2000 calibration shots: the calibration carries about 40 % of the standard error.
    readout: (seed: number) =>
      new MitigatedEstimator(
        new SamplingEstimator(new ReadoutFlipSampler(new ShotSamplingSimulator({ shots: 4000, seed }), [0.02, 0.06, 0.1, 0.03], [0.08, 0.03, 0.15, 0.12], seed + 1000), { shots: 4000 }),
        { methods: ['readout'], readout: { shots: 2000 } },
      ),
    zne: (seed: number) =>
      new MitigatedEstimator(
        new SamplingEstimator(new MixingSampler(new ShotSamplingSimulator({ shots: 4000, seed }), (c) => 1 - 0.95 ** (c.gates.length / pub.circuit.gates.length), seed + 7), { shots: 4000 }),
        // the exponential model is exact here: the statistical error alone, without the model spread
        { methods: ['zne'], zne: { extrapolation: 'exponential', modelSpread: false } },
      ),
  };
  for (const [name, make] of Object.entries(cases)) {
    let in1 = 0;
    let in2 = 0;
    for (let seed = 0; seed < 100; seed++) {
      const e = await one(make(seed), pub);
      const z = Math.abs(e.value - FCI) / e.standardError;
      if (z <= 1) in1++;
      if (z <= 2) in2++;
    }
    assert.ok(in1 >= 60 && in1 <= 76, `${name}: 1σ covers ${in1} %`);
    assert.ok(in2 >= 90, `${name}: 2σ covers ${in2} %`);
  }
});

test('symmetry filters: which counts a group reveals', () => {
  assert.deepEqual(spinMasks(4), { alpha: 0b0101, beta: 0b1010 });
  const group = (basisX: number) => ({ termIndices: new Int32Array(0), basisX, basisZ: 0, basisLabel: '', basisDense: '' });
  const both = symmetryFilter({ nAlpha: 1, nBeta: 1 }, group(0), 4)!;
  assert.equal(both(0b0011), true);
  assert.equal(both(0b0101), false);
  assert.equal(both(0b0111), false);
  // X on α qubit 0: only Nβ is known.
  const beta = symmetryFilter({ nAlpha: 1, nBeta: 1 }, group(0b0001), 4)!;
  assert.equal(beta(0b0100), false);
  assert.equal(beta(0b1000), true);
  assert.equal(symmetryFilter({ nAlpha: 1, nBeta: 1 }, group(0b0011), 4), null);
});

test('symmetry verification on noisy H2: the kept fraction is the analytic one and the energy moves toward full CI', async () => {
  const pub = await h2Pub();
  const q = 0.2;
  const sampler = new MixingSampler(new ShotSamplingSimulator({ shots: 40000, seed: 8 }), () => q, 13);
  const estimator = new MitigatedEstimator(new SamplingEstimator(sampler, { shots: 40000 }), {
    methods: ['symmetry'],
    symmetry: { nAlpha: 1, nBeta: 1 },
  });
  const e = await one(estimator, pub);
  // Z-basis groups: a good shot stays good; a random one has Nα = Nβ = 1 with probability ¼.
  const kept = 1 - q + q / 4;
  const selected = e.mitigation.keptFraction!;
  assert.ok(Math.abs(selected - kept) < 0.01, `kept ${selected} vs ${kept}`);
  assert.ok(Math.abs(e.value - FCI) < Math.abs(e.rawValue - FCI) / 2, `${e.value} (raw ${e.rawValue}) vs ${FCI}`);
  assert.ok(e.value - FCI > -3 * e.standardError);
});

/**
 * A compact H2 circuit (3 CNOTs): cos(θ/2)|0011⟩ + sin(θ/2)|1100⟩ — RY on qubit 2, CNOT 2→3, X on
 * 0 and 1, CNOTs 2→0 and 3→1 — with θ minimised on the exact state by ternary search; its energy
 * is Psi4's full CI (the minimal-basis ground state has exactly this form).
 */
async function compactH2Pub(): Promise<EstimatorPub> {
  const gate = (kind: Gate['kind'], qubits: number[], parameter = -1): Gate => ({ kind, qubits, angle: 0, parameter, factor: parameter >= 0 ? 1 : 0 });
  const circuit: Circuit = {
    nQubits: 4,
    nParameters: 1,
    gates: [gate('ry', [2], 0), gate('cnot', [2, 3]), x(0), x(1), gate('cnot', [2, 0]), gate('cnot', [3, 1])],
  };
  const observable = buildQubitProblem({ hamiltonian: readFcidump(new URL('h2_r0.74.fcidump', FIXTURES).pathname) }).hamiltonian;
  const energy = (t: number): number => {
    const s = new StateVector(4);
    applyCircuit(s, circuit, [t]);
    return expectationPauliSum(s, observable);
  };
  let lo = -Math.PI / 2;
  let hi = Math.PI / 2;
  for (let i = 0; i < 100; i++) {
    const a = lo + (hi - lo) / 3;
    const b = hi - (hi - lo) / 3;
    if (energy(a) < energy(b)) hi = b;
    else lo = a;
  }
  const theta = (lo + hi) / 2;
  assert.ok(Math.abs(energy(theta) - FCI) < 1e-9);
  return { circuit, observable, parameterSets: [[theta]] };
}

test('the device preset aria-1: readout + ZNE + symmetry cut the H2 error at least 3× and the error bar covers full CI', async () => {
  const pub = await compactH2Pub();
  for (const seed of [4, 5]) {
    const sampler = new NoisySampler({ noise: resolveNoiseModel('aria-1'), device: 'aria-1', shots: 20000, seed });
    const estimator = new MitigatedEstimator(new SamplingEstimator(sampler, { shots: 20000 }), {
      methods: ['readout', 'zne', 'symmetry'],
      zne: { extrapolation: 'exponential' },
      symmetry: { nAlpha: 1, nBeta: 1 },
    });
    const e = await one(estimator, pub);
    const error = Math.abs(e.value - FCI);
    const rawError = Math.abs(e.rawValue - FCI);
    assert.ok(rawError > 3 * e.rawStandardError, `raw ${e.rawValue} ± ${e.rawStandardError}`);
    assert.ok(error < 2 * e.standardError, `${e.value} ± ${e.standardError} vs ${FCI}`);
    assert.ok(error < rawError / 3, `mitigated ${e.value}, raw ${e.rawValue}`);
    assert.ok(e.mitigation.keptFraction! > 0.8 && e.mitigation.keptFraction! < 1);
    assert.equal(estimator.info.mitigation, 'readout,zne,symmetry');
  }
});

test('createMitigatedEstimator builds mitigation and allocation from a spec; VQE records the raw energy', async () => {
  const est = createMitigatedEstimator({ name: 'shots', shots: 2000, seed: 2, mitigation: ['readout', 'symmetry'], allocation: 'uniform' }, { nAlpha: 1, nBeta: 1 });
  assert.ok(est instanceof MitigatedEstimator);
  assert.equal(est.info.mitigation, 'readout,symmetry');
  assert.equal(est.inner.allocation, 'uniform');
  assert.ok(!(createMitigatedEstimator({ name: 'shots', shots: 10 }) instanceof MitigatedEstimator));
  assert.throws(() => createMitigatedEstimator({ name: 'shots', shots: 10, mitigation: ['symmetry'] }), /electron counts/);
  assert.throws(() => createMitigatedEstimator({ name: 'shots', shots: 10, mitigation: ['zne', 'magic' as 'zne'] }), /unknown method 'magic'/);

  const hamiltonian = readFcidump(new URL('h2_r0.74.fcidump', FIXTURES).pathname);
  const flips = new ReadoutFlipSampler(new ShotSamplingSimulator({ shots: 4000, seed: 1 }), [0.05, 0.05, 0.05, 0.05], [0.1, 0.1, 0.1, 0.1], 2);
  const backend = new MitigatedEstimator(new SamplingEstimator(flips, { shots: 4000 }), { methods: ['readout'], readout: { shots: 40000 } });
  const r = await runVqe({ hamiltonian, backend, optimizerMethod: 'spsa', spsa: { maxIterations: 60 }, finalShots: 100_000 });
  assert.equal(r.backend.mitigation, 'readout');
  assert.ok(Math.abs(r.rawEnergyHartree - r.energyHartree) > 0.02, `raw ${r.rawEnergyHartree}, mitigated ${r.energyHartree}`);
  assert.ok(Math.abs(r.energyHartree - FCI) < Math.abs(r.rawEnergyHartree - FCI));
});
