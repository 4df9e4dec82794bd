/**
 * Rotation kernels on registers larger than the sign table (several table blocks per pair block),
 * with the unrolled loops, the short-block fallbacks and all four coupling phases, against a
 * per-amplitude reference that tests bits one at a time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { kernelPauliRotation, kernelRX, kernelRY, kernelRZ } from './kernels.js';

const TOL = 1e-12;

function randomAmplitudes(d: number, rng: Random): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(d);
  const im = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    re[i] = rng.uniform(-1, 1);
    im[i] = rng.uniform(-1, 1);
  }
  return { re, im };
}

function bitCount(v: number): number {
  let k = 0;
  for (let b = 0; b < 31; b++) if ((v >> b) & 1) k++;
  return k;
}

/** exp(−iθP/2)ψ = cψ − i s Pψ with (Pψ)_{i⊕x} = i^nY (−1)^popcount(i&z) ψ_i, one amplitude at a time. */
function referencePauliRotation(re: Float64Array, im: Float64Array, x: number, z: number, theta: number) {
  const d = re.length;
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  const nY = bitCount(x & z) % 4;
  const outRe = new Float64Array(d);
  const outIm = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    // i^nY (−1)^popcount(i & z) as a unit complex number.
    const sign = bitCount(i & z) % 2 === 0 ? 1 : -1;
    const pr = sign * [1, 0, -1, 0][nY];
    const pi = sign * [0, 1, 0, -1][nY];
    const qr = pr * re[i] - pi * im[i];
    const qi = pr * im[i] + pi * re[i];
    const j = i ^ x;
    // −i s (Pψ)_j
    outRe[j] += s * qi;
    outIm[j] += -s * qr;
  }
  for (let i = 0; i < d; i++) {
    outRe[i] += c * re[i];
    outIm[i] += c * im[i];
  }
  return { re: outRe, im: outIm };
}

/** The 2×2 matrix (row-major re/im) applied to qubit q, testing the bit of each index. */
function referenceOneQubit(re: Float64Array, im: Float64Array, q: number, mRe: number[], mIm: number[]) {
  const d = re.length;
  const outRe = new Float64Array(d);
  const outIm = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const row = (i >> q) & 1;
    const i0 = i & ~(1 << q);
    const i1 = i0 | (1 << q);
    for (const [col, k] of [
      [0, i0],
      [1, i1],
    ]) {
      const ar = mRe[2 * row + col];
      const ai = mIm[2 * row + col];
      outRe[i] += ar * re[k] - ai * im[k];
      outIm[i] += ar * im[k] + ai * re[k];
    }
  }
  return { re: outRe, im: outIm };
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('Pauli rotation kernel on 12 qubits matches the per-amplitude reference', () => {
  const rng = new Random(2024);
  const n = 12;
  const d = 2 ** n;
  const all = d - 1;
  const cases: Array<[number, number]> = [
    [0, 0], // global phase
    [0, all], // Z on every qubit (odd z)
    [0, 0b101010100100], // even z, several table blocks
    [0, 0b100000000010], // lowest z bit 1, high bit beyond the table
    [1, 0], // X0: pair blocks of one amplitude
    [0b11, 0b10], // X0 Y1: blocks of two
    [0b100100, 0b111000], // X2 Z3 Z4 Y5: one Y (real coupling)
    [0b1111, 0b0011], // Y0 Y1 X2 X3: two Y (imaginary coupling)
    [0b111, 0b111], // three Y (real coupling, opposite sign)
    [0b100000001011, 0b100000001011], // four Y (imaginary coupling) with a block beyond the table
    [0b100000000001, 0b011111111111], // X on the top qubit: blocks of 2048 > table size
    [0b010000000110, 0b110011001101], // random-looking mixed string
  ];
  for (let r = 0; r < 6; r++) cases.push([rng.int(d), rng.int(d)]);
  for (const [x, z] of cases) {
    const theta = rng.uniform(-4, 4);
    const v = randomAmplitudes(d, rng);
    const want = referencePauliRotation(v.re, v.im, x, z, theta);
    kernelPauliRotation(v.re, v.im, x, z, theta);
    const err = Math.max(maxDiff(v.re, want.re), maxDiff(v.im, want.im));
    assert.ok(err < TOL, `x=${x.toString(2)} z=${z.toString(2)}: error ${err}`);
  }
});

test('RX, RY, RZ kernels on 11 qubits match 2×2 matrices on every qubit', () => {
  const rng = new Random(77);
  const n = 11;
  const d = 2 ** n;
  for (let q = 0; q < n; q++) {
    const theta = rng.uniform(-4, 4);
    const c = Math.cos(theta / 2);
    const s = Math.sin(theta / 2);
    const gates: Array<[string, typeof kernelRX, number[], number[]]> = [
      ['RX', kernelRX, [c, 0, 0, c], [0, -s, -s, 0]],
      ['RY', kernelRY, [c, -s, s, c], [0, 0, 0, 0]],
      ['RZ', kernelRZ, [c, 0, 0, c], [-s, 0, 0, s]],
    ];
    for (const [name, kernel, mRe, mIm] of gates) {
      const v = randomAmplitudes(d, rng);
      const want = referenceOneQubit(v.re, v.im, q, mRe, mIm);
      kernel(v.re, v.im, q, theta);
      const err = Math.max(maxDiff(v.re, want.re), maxDiff(v.im, want.im));
      assert.ok(err < TOL, `${name} q${q}: error ${err}`);
    }
  }
});
