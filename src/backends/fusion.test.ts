/**
 * Tests of gate fusion. The fused kernels are checked against a naive element-by-element product
 * written here; fused circuits against gate-by-gate application (whose kernels are tested against
 * dense Kronecker products in kernels.test.ts) on seeded random circuits over every gate kind, 1–12
 * qubits, random qubit orders and every block size limit; adjoint gradients against central finite
 * differences with fusion on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Circuit, Gate } from '../circuits/circuit.js';
import { hardwareEfficientAnsatz } from '../circuits/ansatz.js';
import { Random } from '../core/random.js';
import type { PauliSumData } from '../qubits/pauli-layout.js';
import { StateVector } from './statevector.js';
import { applyCircuit, applyCircuitInverse } from './apply.js';
import { createAdjointEvaluator } from './adjoint.js';
import { StateVectorSimulator } from './statevector-simulator.js';
import { kernelDiagonal, kernelMatrix1, kernelRealMatrix1, kernelMatrix2, kernelMatrix3, kernelMatrix4, kernelRealMatrix2, kernelRealMatrix3 } from './fusion-kernels.js';
import { planFusion, fusionPlanFor } from './fusion.js';

function randomState(n: number, rng: Random): StateVector {
  const s = new StateVector(n);
  let norm = 0;
  for (let i = 0; i < s.dimension; i++) {
    s.re[i] = rng.uniform(-1, 1);
    s.im[i] = rng.uniform(-1, 1);
    norm += s.re[i] ** 2 + s.im[i] ** 2;
  }
  const f = 1 / Math.sqrt(norm);
  for (let i = 0; i < s.dimension; i++) {
    s.re[i] *= f;
    s.im[i] *= f;
  }
  return s;
}

function maxDifference(a: StateVector, b: StateVector): number {
  let worst = 0;
  for (let i = 0; i < a.dimension; i++) worst = Math.max(worst, Math.abs(a.re[i] - b.re[i]), Math.abs(a.im[i] - b.im[i]));
  return worst;
}

/** Naive ψ' = Mψ for a 2^k × 2^k matrix on the given qubits (any order): local index bit j ↔ qubits[j]. */
function naiveApply(s: StateVector, qubits: number[], mRe: Float64Array, mIm: Float64Array): StateVector {
  const k = qubits.length;
  const d = 1 << k;
  const out = new StateVector(s.nQubits);
  out.re[0] = 0;
  for (let i = 0; i < s.dimension; i++) {
    let r = 0;
    let rest = i;
    for (let j = 0; j < k; j++) {
      if ((i >>> qubits[j]) & 1) r |= 1 << j;
      rest &= ~(1 << qubits[j]);
    }
    let sr = 0;
    let si = 0;
    for (let c = 0; c < d; c++) {
      let src = rest;
      for (let j = 0; j < k; j++) if ((c >>> j) & 1) src |= 1 << qubits[j];
      const a = mRe[r * d + c];
      const b = mIm[r * d + c];
      sr += a * s.re[src] - b * s.im[src];
      si += a * s.im[src] + b * s.re[src];
    }
    out.re[i] = sr;
    out.im[i] = si;
  }
  return out;
}

function randomQubits(n: number, k: number, rng: Random): number[] {
  const pool = [...Array(n).keys()];
  const chosen: number[] = [];
  for (let j = 0; j < k; j++) chosen.push(pool.splice(rng.int(pool.length), 1)[0]);
  return chosen.sort((a, b) => a - b);
}

test('dense and diagonal fused kernels equal the naive matrix product', () => {
  const rng = new Random(41);
  for (const n of [4, 5, 9]) {
    for (let k = 1; k <= 4; k++) {
      for (let trial = 0; trial < 4; trial++) {
        const qubits = randomQubits(n, k, rng);
        const d = 1 << k;
        const mRe = Float64Array.from({ length: d * d }, () => rng.uniform(-1, 1));
        const mIm = Float64Array.from({ length: d * d }, () => rng.uniform(-1, 1));
        const zero = new Float64Array(d * d);
        const s = randomState(n, rng);
        for (const real of [false, true]) {
          const im = real ? zero : mIm;
          const expected = naiveApply(s, qubits, mRe, im);
          const got = s.copy();
          if (k === 1 && real) kernelRealMatrix1(got.re, got.im, qubits[0], mRe);
          else if (k === 1) kernelMatrix1(got.re, got.im, qubits[0], mRe, im);
          else if (k === 2 && real) kernelRealMatrix2(got.re, got.im, qubits[0], qubits[1], mRe);
          else if (k === 2) kernelMatrix2(got.re, got.im, qubits[0], qubits[1], mRe, im);
          else if (k === 3 && real) kernelRealMatrix3(got.re, got.im, qubits, mRe);
          else if (k === 3) kernelMatrix3(got.re, got.im, qubits, mRe, im);
          else kernelMatrix4(got.re, got.im, qubits, mRe, real ? null : im);
          assert.ok(maxDifference(got, expected) < 1e-13, `n=${n} k=${k} qubits ${qubits} real=${real}`);
        }
        // Diagonal: the same naive product with a diagonal matrix.
        const dRe = Float64Array.from({ length: d }, () => rng.uniform(-1, 1));
        const dIm = Float64Array.from({ length: d }, () => rng.uniform(-1, 1));
        const fullRe = new Float64Array(d * d);
        const fullIm = new Float64Array(d * d);
        for (let m = 0; m < d; m++) {
          fullRe[m * d + m] = dRe[m];
          fullIm[m * d + m] = dIm[m];
        }
        const expected = naiveApply(s, qubits, fullRe, fullIm);
        const got = s.copy();
        kernelDiagonal(got.re, got.im, qubits, k, dRe, dIm);
        assert.ok(maxDifference(got, expected) < 1e-13, `diagonal n=${n} k=${k} qubits ${qubits}`);
      }
    }
  }
});

const ONE: Gate['kind'][] = ['h', 'x', 'y', 'z', 's', 'sdg', 't', 'tdg', 'gpi', 'gpi2'];

/** A random circuit over every IR gate kind on n ≥ 1 qubits, in random qubit orders. */
function randomAllKinds(n: number, nGates: number, nParameters: number, rng: Random): Circuit {
  const gates: Gate[] = [];
  const angle = (): { angle: number; parameter: number; factor: number } =>
    nParameters > 0 && rng.int(2) === 0
      ? { angle: rng.uniform(-1, 1), parameter: rng.int(nParameters), factor: rng.uniform(-2, 2) }
      : { angle: rng.uniform(-4, 4), parameter: -1, factor: 0 };
  for (let g = 0; g < nGates; g++) {
    const a = rng.int(n);
    let b = n > 1 ? rng.int(n - 1) : 0;
    if (b >= a) b++;
    const choice = rng.int(n > 1 ? 12 : 6);
    if (choice === 0) gates.push({ kind: ONE[rng.int(ONE.length)], qubits: [a], angle: rng.uniform(-1, 1), parameter: -1, factor: 0 });
    else if (choice <= 3) gates.push({ kind: (['rx', 'ry', 'rz'] as const)[choice - 1], qubits: [a], ...angle() });
    else if (choice <= 5) {
      // Pauli rotation on 1 to min(n, 5) qubits (wider ones are not fused and act as barriers).
      const width = 1 + rng.int(Math.min(n, 5));
      const qs = randomQubits(n, width, rng);
      let x = 0;
      let z = 0;
      for (const q of qs) {
        const p = 1 + rng.int(3);
        if (p & 1) x |= 1 << q;
        if (p & 2) z |= 1 << q;
      }
      const free = [...Array(n).keys()].filter((q) => !qs.includes(q));
      const control = free.length > 0 && rng.int(4) === 0 ? { control: free[rng.int(free.length)] } : {};
      gates.push({ kind: 'pauliRotation', qubits: qs, pauliX: x, pauliZ: z, ...angle(), ...control });
    } else if (choice <= 7) gates.push({ kind: 'cnot', qubits: [a, b], angle: 0, parameter: -1, factor: 0 });
    else if (choice === 8) gates.push({ kind: rng.int(2) === 0 ? 'cz' : 'swap', qubits: [a, b], angle: 0, parameter: -1, factor: 0 });
    else if (choice === 9) gates.push({ kind: 'ms', qubits: [a, b], angle: rng.uniform(-0.5, 0.5), phases: [rng.uniform(-1, 1), rng.uniform(-1, 1)], parameter: -1, factor: 0 });
    else if (choice === 10) gates.push({ kind: 'zz', qubits: [a, b], angle: rng.uniform(-0.5, 0.5), parameter: -1, factor: 0 });
    else if (gates.length > 0) gates.push(gates[rng.int(gates.length)]);
  }
  return { nQubits: n, nParameters, gates };
}

test('fused circuits give the gate-by-gate state to 1e-12 (every gate kind, 1–12 qubits, block limits 1–4)', () => {
  const rng = new Random(2027);
  let fusedBlocks = 0;
  for (let n = 1; n <= 12; n++) {
    for (let trial = 0; trial < (n <= 8 ? 4 : 2); trial++) {
      const nParameters = 3;
      const circuit = randomAllKinds(n, 20 + 6 * n, nParameters, rng);
      const theta = Float64Array.from({ length: nParameters }, () => rng.uniform(-3, 3));
      const start = randomState(n, rng);
      const reference = start.copy();
      applyCircuit(reference, circuit, theta, { fusion: false });
      for (let k = 1; k <= 4; k++) {
        const plan = planFusion(circuit, { maxQubits: k });
        fusedBlocks += plan.steps.filter((s) => s.block !== undefined).length;
        assert.ok(plan.fusedCost <= plan.unfusedCost + 1e-9);
        const got = start.copy();
        applyCircuit(got, circuit, theta, { fusion: { maxQubits: k } });
        assert.ok(maxDifference(got, reference) < 1e-12, `n=${n} trial ${trial} k=${k}: ${maxDifference(got, reference)}`);
        // Inverse: U† U ψ = ψ.
        applyCircuitInverse(got, circuit, theta, { fusion: { maxQubits: k } });
        assert.ok(maxDifference(got, start) < 1e-12, `inverse n=${n} trial ${trial} k=${k}`);
      }
    }
  }
  assert.ok(fusedBlocks > 100, `only ${fusedBlocks} fused blocks: the test would not exercise fusion`);
});

test('a cached plan follows parameter changes, also of a single parameter', () => {
  const circuit = hardwareEfficientAnsatz(6, 2, { rotations: 'ryrz' });
  const plan = fusionPlanFor(circuit, {});
  assert.equal(fusionPlanFor(circuit, {}), plan);
  assert.ok(plan.steps.some((s) => s.block !== undefined));
  const rng = new Random(5);
  let theta = new Float64Array(circuit.nParameters);
  for (let round = 0; round < 3 + circuit.nParameters; round++) {
    if (round < 3) theta = Float64Array.from({ length: circuit.nParameters }, () => rng.uniform(-2, 2));
    else theta[round - 3] += 0.5; // one parameter at a time
    const a = new StateVector(6);
    const b = new StateVector(6);
    applyCircuit(a, circuit, theta, { fusion: true });
    applyCircuit(b, circuit, theta, { fusion: false });
    assert.ok(maxDifference(a, b) < 1e-12, `round ${round}`);
  }
});

test('fusion follows the options: off, forced, automatic from the size threshold', () => {
  const circuit = hardwareEfficientAnsatz(4, 1);
  const theta = Float64Array.from({ length: circuit.nParameters }, (_, i) => 0.1 * (i + 1));
  const on = new StateVectorSimulator({ fusion: true }).prepare(circuit, theta).copy();
  const off = new StateVectorSimulator({ fusion: false }).prepare(circuit, theta).copy();
  assert.ok(maxDifference(on, off) < 1e-13);
  assert.throws(() => planFusion(circuit, { maxQubits: 5 }), /maxQubits/);
});

test('adjoint gradients with fusion equal central finite differences', () => {
  const rng = new Random(77);
  const n = 6;
  // Random Hermitian Pauli sum (real coefficients on Pauli strings).
  const terms = 12;
  const hamiltonian: PauliSumData = {
    nQubits: n,
    x: Uint32Array.from({ length: terms }, () => rng.int(1 << n)),
    z: Uint32Array.from({ length: terms }, () => rng.int(1 << n)),
    coeffRe: Float64Array.from({ length: terms }, () => rng.uniform(-1, 1)),
    coeffIm: new Float64Array(terms),
  };
  // Hermitian: a term i^{|x∧z|} X^x Z^z is Hermitian, so real coefficients suffice.
  // Parametrised controlled rotations have no adjoint gradient: drop their controls.
  const random = randomAllKinds(n, 80, 5, rng);
  const uncontrolled: Circuit = {
    ...random,
    gates: random.gates.map((g) => (g.parameter >= 0 && g.control !== undefined ? { ...g, control: undefined } : g)),
  };
  const kinds = new Set(uncontrolled.gates.filter((g) => g.parameter >= 0).map((g) => g.kind));
  for (const kind of ['rx', 'ry', 'rz', 'pauliRotation']) assert.ok(kinds.has(kind as Gate['kind']), `no parametrised ${kind}`);
  for (const circuit of [hardwareEfficientAnsatz(n, 2, { rotations: 'ryrz', entangler: 'circular' }), uncontrolled]) {
    const theta = Float64Array.from({ length: circuit.nParameters }, () => rng.uniform(-2, 2));
    const fused = createAdjointEvaluator(circuit, hamiltonian, { fusion: true });
    const grad = new Float64Array(circuit.nParameters);
    const energy = fused.energyAndGradient(theta, grad);
    const plain = createAdjointEvaluator(circuit, hamiltonian, { fusion: false });
    const plainGrad = new Float64Array(circuit.nParameters);
    assert.ok(Math.abs(plain.energyAndGradient(theta, plainGrad) - energy) < 1e-12);
    for (let p = 0; p < circuit.nParameters; p++) assert.ok(Math.abs(plainGrad[p] - grad[p]) < 1e-11, `parameter ${p}: fused ${grad[p]}, gate by gate ${plainGrad[p]}`);
    const h = 1e-5;
    for (let p = 0; p < circuit.nParameters; p++) {
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[p] += h;
      minus[p] -= h;
      const fd = (fused.energy(plus) - fused.energy(minus)) / (2 * h);
      assert.ok(Math.abs(fd - grad[p]) < 1e-8, `parameter ${p}: adjoint ${grad[p]}, central difference ${fd}`);
    }
  }
});
