/**
 * Tests of the state-vector kernels and the adjoint gradient. The references are dense matrices
 * built by explicit Kronecker products of 2×2 Pauli matrices (independent of the bit-mask kernels)
 * and central finite differences of the energy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Gate } from '../circuits/circuit.js';
import { Random } from '../core/random.js';
import type { PauliSumData } from '../qubits/pauli-layout.js';
import { pauliMatrixElement } from './pauli-elements.js';
import { adjointGradient, createAdjointEvaluator, createEnergyEvaluator } from './adjoint.js';
import { readFcidump } from '../hamiltonian/fcidump.js';
import { buildQubitProblem } from '../algorithms/molecular-vqe.js';



export interface DenseMatrix {
  dim: number;
  re: Float64Array;
  im: Float64Array;
}

const PAULI: Record<'I' | 'X' | 'Y' | 'Z', [number[], number[]]> = {
  I: [[1, 0, 0, 1], [0, 0, 0, 0]],
  X: [[0, 1, 1, 0], [0, 0, 0, 0]],
  Y: [[0, 0, 0, 0], [0, -1, 1, 0]],
  Z: [[1, 0, 0, -1], [0, 0, 0, 0]],
};

/** Kronecker product A ⊗ B. */
function kron(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  const dim = a.dim * b.dim;
  const re = new Float64Array(dim * dim);
  const im = new Float64Array(dim * dim);
  for (let i = 0; i < a.dim; i++)
    for (let j = 0; j < a.dim; j++)
      for (let k = 0; k < b.dim; k++)
        for (let l = 0; l < b.dim; l++) {
          const ar = a.re[i * a.dim + j];
          const ai = a.im[i * a.dim + j];
          const br = b.re[k * b.dim + l];
          const bi = b.im[k * b.dim + l];
          const r = i * b.dim + k;
          const c = j * b.dim + l;
          re[r * dim + c] = ar * br - ai * bi;
          im[r * dim + c] = ar * bi + ai * br;
        }
  return { dim, re, im };
}

function small(re: number[], im: number[]): DenseMatrix {
  return { dim: 2, re: Float64Array.from(re), im: Float64Array.from(im) };
}

/** Dense matrix of the Pauli string given as letters per qubit (letters[q] for qubit q). */
function densePauli(letters: string): DenseMatrix {
  // Qubit 0 is the least significant bit, so it is the rightmost Kronecker factor.
  let m: DenseMatrix = { dim: 1, re: Float64Array.of(1), im: Float64Array.of(0) };
  for (let q = letters.length - 1; q >= 0; q--) {
    const [r, i] = PAULI[letters[q] as 'I' | 'X' | 'Y' | 'Z'];
    m = kron(m, small(r, i));
  }
  return m;
}

/** Letters of the Pauli string with masks (x, z) on n qubits. */
function lettersOf(x: number, z: number, n: number): string {
  let s = '';
  for (let q = 0; q < n; q++) {
    const bx = (x >>> q) & 1;
    const bz = (z >>> q) & 1;
    s += bx && bz ? 'Y' : bx ? 'X' : bz ? 'Z' : 'I';
  }
  return s;
}


/** y = M x. */
function matVec(m: DenseMatrix, xr: Float64Array, xi: Float64Array): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(m.dim);
  const im = new Float64Array(m.dim);
  for (let i = 0; i < m.dim; i++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < m.dim; j++) {
      const a = m.re[i * m.dim + j];
      const b = m.im[i * m.dim + j];
      sr += a * xr[j] - b * xi[j];
      si += a * xi[j] + b * xr[j];
    }
    re[i] = sr;
    im[i] = si;
  }
  return { re, im };
}


/** Random normalised complex state of dimension dim. */
function randomState(dim: number, rng: Random): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(dim);
  const im = new Float64Array(dim);
  let norm = 0;
  for (let i = 0; i < dim; i++) {
    re[i] = rng.normal();
    im[i] = rng.normal();
    norm += re[i] * re[i] + im[i] * im[i];
  }
  const s = 1 / Math.sqrt(norm);
  for (let i = 0; i < dim; i++) {
    re[i] *= s;
    im[i] *= s;
  }
  return { re, im };
}

/** A hardware-efficient test circuit: RY/RZ layers with CNOT ladders and a few shared parameters. */
function testHardwareEfficientCircuit(n: number, layers: number): {
  nQubits: number;
  nParameters: number;
  gates: Gate[];
} {
  const gates: Gate[] = [];
  let p = 0;
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) {
      gates.push({ kind: 'ry', qubits: [q], angle: 0.1 * q, parameter: p++, factor: 1 });
      gates.push({ kind: 'rz', qubits: [q], angle: 0, parameter: p++, factor: -0.7 });
    }
    for (let q = 0; q + 1 < n; q++) gates.push({ kind: 'cnot', qubits: [q, q + 1], angle: 0, parameter: -1, factor: 0 });
  }
  // A Pauli rotation reusing parameter 0 with another factor, and an RX.
  gates.push({ kind: 'pauliRotation', qubits: [0, 1, 2], angle: 0.3, parameter: 0, factor: 2, pauliX: 0b011, pauliZ: 0b110 });
  gates.push({ kind: 'rx', qubits: [n - 1], angle: 0, parameter: p++, factor: 1 });
  gates.push({ kind: 'h', qubits: [1], angle: 0, parameter: -1, factor: 0 });
  return { nQubits: n, nParameters: p, gates };
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function randomHermitianPauliSum(n: number, nTerms: number, rng: Random): PauliSumData {
  const x = new Uint32Array(nTerms);
  const z = new Uint32Array(nTerms);
  const coeffRe = new Float64Array(nTerms);
  for (let t = 0; t < nTerms; t++) {
    x[t] = rng.int(1 << n);
    z[t] = rng.int(1 << n);
    coeffRe[t] = rng.normal();
  }
  return { nQubits: n, x, z, coeffRe, coeffIm: new Float64Array(nTerms) };
}

function denseOf(op: PauliSumData): DenseMatrix {
  const dim = 2 ** op.nQubits;
  const re = new Float64Array(dim * dim);
  const im = new Float64Array(dim * dim);
  for (let t = 0; t < op.x.length; t++) {
    const p = densePauli(lettersOf(op.x[t], op.z[t], op.nQubits));
    for (let k = 0; k < dim * dim; k++) {
      re[k] += op.coeffRe[t] * p.re[k] - op.coeffIm[t] * p.im[k];
      im[k] += op.coeffRe[t] * p.im[k] + op.coeffIm[t] * p.re[k];
    }
  }
  return { dim, re, im };
}

test('Pauli-string matrix elements ⟨a|P|b⟩ match dense Kronecker-product matrices', () => {
  const n = 4;
  const dim = 2 ** n;
  const rng = new Random(11);
  for (let trial = 0; trial < 40; trial++) {
    const x = rng.int(dim);
    const z = rng.int(dim);
    const a = randomState(dim, rng);
    const b = randomState(dim, rng);
    const pb = matVec(densePauli(lettersOf(x, z, n)), b.re, b.im);
    let er = 0;
    let ei = 0;
    for (let i = 0; i < dim; i++) {
      er += a.re[i] * pb.re[i] + a.im[i] * pb.im[i];
      ei += a.re[i] * pb.im[i] - a.im[i] * pb.re[i];
    }
    const [gr, gi] = pauliMatrixElement(a.re, a.im, x, z, b.re, b.im);
    assert.ok(Math.abs(gr - er) < 1e-13 && Math.abs(gi - ei) < 1e-13, `x=${x} z=${z}`);
  }
});

test('adjoint gradient of a hardware-efficient circuit equals central finite differences to 1e-7', () => {
  const rng = new Random(2024);
  const n = 5;
  const circuit = testHardwareEfficientCircuit(n, 3);
  const hamiltonian = randomHermitianPauliSum(n, 40, rng);
  const params = Float64Array.from({ length: circuit.nParameters }, () => rng.uniform(-Math.PI, Math.PI));
  const { energy, gradient } = adjointGradient(circuit, hamiltonian, params);
  // Energy against ψ†Hψ with the dense Hamiltonian matrix.
  const evaluator = createAdjointEvaluator(circuit, hamiltonian);
  const psi = evaluator.state(params);
  const hpsi = matVec(denseOf(hamiltonian), psi.re, psi.im);
  let e = 0;
  for (let i = 0; i < psi.re.length; i++) e += psi.re[i] * hpsi.re[i] + psi.im[i] * hpsi.im[i];
  assert.ok(Math.abs(e - energy) < 1e-12);
  const h = 1e-5;
  for (let k = 0; k < circuit.nParameters; k++) {
    const plus = Float64Array.from(params);
    const minus = Float64Array.from(params);
    plus[k] += h;
    minus[k] -= h;
    const fd = (evaluator.energy(plus) - evaluator.energy(minus)) / (2 * h);
    assert.ok(Math.abs(fd - gradient[k]) < 1e-7, `parameter ${k}: adjoint ${gradient[k]} vs FD ${fd}`);
  }
});

function checkAgainstFiniteDifferences(
  evaluator: { energy(p: ArrayLike<number>): number; energyAndGradient(p: ArrayLike<number>, g: Float64Array): number },
  params: Float64Array,
  label: string,
  stride = 1,
): void {
  const gradient = new Float64Array(params.length);
  evaluator.energyAndGradient(params, gradient);
  const h = 1e-5;
  for (let k = 0; k < params.length; k += stride) {
    const plus = Float64Array.from(params);
    const minus = Float64Array.from(params);
    plus[k] += h;
    minus[k] -= h;
    const fd = (evaluator.energy(plus) - evaluator.energy(minus)) / (2 * h);
    assert.ok(Math.abs(fd - gradient[k]) < 1e-7, `${label} parameter ${k}: adjoint ${gradient[k]} vs FD ${fd}`);
  }
}

const FIXTURES = new URL('../../test/fixtures/algorithms/', import.meta.url);

test('adjoint gradients of UCCSD (H2, LiH) and a hardware-efficient ansatz (H2) equal finite differences to 1e-7', () => {
  const rng = new Random(99);
  for (const [name, ansatz] of [
    ['h2_r0.74', 'uccsd'],
    ['lih_r1.5949', 'uccsd'],
    ['h2_r0.74', 'hea'],
  ] as const) {
    const hamiltonian = readFcidump(new URL(`${name}.fcidump`, FIXTURES).pathname);
    const problem = buildQubitProblem({ hamiltonian, ansatz, layers: 2 });
    const params = Float64Array.from({ length: problem.circuit.nParameters }, () => rng.uniform(-0.5, 0.5));
    const full = createEnergyEvaluator(problem.circuit, problem.hamiltonian);
    assert.equal(full.sectorRestricted, false);
    // Every parameter on the sector route; every 5th on the (slower) full register.
    checkAgainstFiniteDifferences(full, params, `${name} ${ansatz} full register`, problem.sector ? 5 : 1);
    if (problem.sector !== undefined) {
      const sector = createEnergyEvaluator(problem.circuit, problem.hamiltonian, { sector: problem.sector });
      assert.equal(sector.sectorRestricted, true);
      checkAgainstFiniteDifferences(sector, params, `${name} ${ansatz} sector`);
      // Same energy and state on both routes.
      assert.ok(Math.abs(sector.energy(params) - full.energy(params)) < 1e-12);
      const a = sector.state(params);
      const b = full.state(params);
      assert.ok(maxDiff(a.re, b.re) < 1e-12 && maxDiff(a.im, b.im) < 1e-12);
    }
  }
});
