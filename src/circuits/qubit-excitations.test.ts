import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { expm, matVec, maxDiff, randomState, type DenseMatrix } from '../backends/dense-reference.test-util.js';
import { CircuitBuilder, pauliRotationGate } from './builder.js';
import { compiledGateCounts } from './decompose.js';
import { adaptPool, generalizedExcitations, type Excitation } from './fermionic.js';
import { qubitExcitationGates, qubitExcitationRotations } from './qubit-excitations.js';
import { runCircuit } from './random-circuit.test-util.js';

// Reference: T − T† as a dense real matrix straight from the definition T = Π Q†_c Π Q_a with
// Q = |0⟩⟨1| on each qubit: T maps |x⟩ with every annihilated qubit 1 and every created qubit 0 to
// the state with those bits flipped (coefficient 1), and annihilates every other basis state.
function denseGenerator(e: Excitation, n: number): DenseMatrix {
  const d = 2 ** n;
  const m: DenseMatrix = { d, re: new Float64Array(d * d), im: new Float64Array(d * d) };
  let aMask = 0;
  let cMask = 0;
  for (const q of e.annihilate) aMask |= 1 << q;
  for (const q of e.create) cMask |= 1 << q;
  for (let x = 0; x < d; x++) {
    if ((x & aMask) !== aMask || (x & cMask) !== 0) continue;
    const y = x ^ aMask ^ cMask;
    m.re[y * d + x] += 1; // T
    m.re[x * d + y] -= 1; // −T†
  }
  return m;
}

function scaled(m: DenseMatrix, f: number): DenseMatrix {
  return { d: m.d, re: m.re.map((v) => v * f), im: m.im.map((v) => v * f) };
}

/** The Pauli sum Σ i d_S P_S of the rotation form (factor = −2 d_S) as a dense matrix, built per basis state. */
function denseFromRotations(e: Excitation, n: number): DenseMatrix {
  const d = 2 ** n;
  const m: DenseMatrix = { d, re: new Float64Array(d * d), im: new Float64Array(d * d) };
  for (const r of qubitExcitationRotations(e)) {
    const coeff = -r.factor / 2; // A = Σ i·coeff·P
    for (let x = 0; x < d; x++) {
      // P|x⟩ = i^{#Y} (−1)^{popcount(x & z)} |x ⊕ xMask⟩
      let nY = 0;
      let zPar = 0;
      for (let q = 0; q < n; q++) {
        if (((r.x >> q) & 1) && ((r.z >> q) & 1)) nY++;
        if (((r.z >> q) & 1) && ((x >> q) & 1)) zPar ^= 1;
      }
      const sign = zPar ? -1 : 1;
      // i · coeff · i^{nY} · sign
      const phase = (nY + 1) % 4;
      const re = phase === 0 ? 1 : phase === 2 ? -1 : 0;
      const im = phase === 1 ? 1 : phase === 3 ? -1 : 0;
      const y = x ^ r.x;
      m.re[y * d + x] += coeff * sign * re;
      m.im[y * d + x] += coeff * sign * im;
    }
  }
  return m;
}

const EXCITATIONS: Excitation[] = [
  { create: [2], annihilate: [0] },
  { create: [0], annihilate: [3] },
  { create: [2, 3], annihilate: [0, 1] },
  { create: [0, 4], annihilate: [1, 3] },
  { create: [1, 2], annihilate: [4, 0] },
];

test('qubit excitation generators: the Pauli form equals T − T† (anti-Hermitian, real) and keeps Nα and Nβ', () => {
  const n = 5;
  const d = 2 ** n;
  for (const e of EXCITATIONS) {
    const ref = denseGenerator(e, n);
    const pauli = denseFromRotations(e, n);
    assert.ok(maxDiff(pauli.re, ref.re) < 1e-14 && maxDiff(pauli.im, ref.im) < 1e-14, `generator of ${e.create} <- ${e.annihilate}`);
    // Anti-Hermitian: A_ij = −conj(A_ji).
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        assert.ok(Math.abs(pauli.re[i * d + j] + pauli.re[j * d + i]) < 1e-14);
        assert.ok(Math.abs(pauli.im[i * d + j] - pauli.im[j * d + i]) < 1e-14);
      }
    }
  }
  // Spin-conserving excitations of the pool keep Nα (even qubits) and Nβ (odd qubits).
  const count = (x: number, parity: number): number => {
    let c = 0;
    for (let q = parity; q < 6; q += 2) c += (x >> q) & 1;
    return c;
  };
  for (const e of generalizedExcitations(6)) {
    const m = denseFromRotations(e, 6);
    const dd = 64;
    for (let x = 0; x < dd; x++) {
      for (let y = 0; y < dd; y++) {
        if (m.re[y * dd + x] === 0 && m.im[y * dd + x] === 0) continue;
        assert.equal(count(x, 0), count(y, 0));
        assert.equal(count(x, 1), count(y, 1));
      }
    }
  }
});

test('compact qubit-excitation circuits equal exp(θ(T − T†)) on random states, with 2 and 13 CNOTs', () => {
  const n = 5;
  const rng = new Random(11);
  for (const e of EXCITATIONS) {
    const b = new CircuitBuilder(n);
    for (const g of qubitExcitationGates(e, 0)) b.gate(g);
    const circuit = b.build();
    const rotations = new CircuitBuilder(n);
    for (const r of qubitExcitationRotations(e)) rotations.gate(pauliRotationGate(r.x, r.z, { parameter: 0, factor: r.factor }));
    const rotationCircuit = rotations.build();
    assert.equal(compiledGateCounts(circuit).twoQubit, e.create.length === 1 ? 2 : 13);
    for (const theta of [0.37, -1.21, 2.9]) {
      const u = expm(scaled(denseGenerator(e, n), theta));
      const psi = randomState(2 ** n, rng);
      const want = matVec(u, psi.re, psi.im);
      for (const c of [circuit, rotationCircuit]) {
        const got = runCircuit(c, [theta], psi);
        assert.ok(maxDiff(got.re, want.re) < 1e-12 && maxDiff(got.im, want.im) < 1e-12, `${e.create} <- ${e.annihilate} at θ = ${theta}`);
      }
    }
  }
});

test('the qeb pool: generalised spin-conserving qubit excitations, Jordan–Wigner only', () => {
  const pool = adaptPool('qeb', 3, 1, 1, 'jordan-wigner');
  assert.equal(pool.length, generalizedExcitations(6).length);
  assert.ok(pool.every((g) => g.gates !== undefined && g.label.startsWith('Q ')));
  assert.throws(() => adaptPool('qeb', 3, 1, 1, 'bravyi-kitaev'), /jordan-wigner/);
});
