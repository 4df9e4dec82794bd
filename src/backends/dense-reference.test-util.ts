/**
 * Independent dense-matrix reference for the simulator tests: complex matrices as {re, im} arrays of
 * size d×d (row-major), built from Kronecker products of textbook 2×2 matrices — no shared code with
 * the kernels.
 */
import { Random } from '../core/random.js';

export interface DenseMatrix {
  d: number;
  re: Float64Array;
  im: Float64Array;
}

export interface Small {
  re: number[];
  im: number[];
}

const s2 = Math.SQRT1_2;

/** Textbook one-qubit matrices (row-major [m00, m01, m10, m11]). */
export function oneQubitMatrix(kind: string, theta = 0): Small {
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  switch (kind) {
    case 'i':
      return { re: [1, 0, 0, 1], im: [0, 0, 0, 0] };
    case 'h':
      return { re: [s2, s2, s2, -s2], im: [0, 0, 0, 0] };
    case 'x':
      return { re: [0, 1, 1, 0], im: [0, 0, 0, 0] };
    case 'y':
      return { re: [0, 0, 0, 0], im: [0, -1, 1, 0] };
    case 'z':
      return { re: [1, 0, 0, -1], im: [0, 0, 0, 0] };
    case 's':
      return { re: [1, 0, 0, 0], im: [0, 0, 0, 1] };
    case 'sdg':
      return { re: [1, 0, 0, 0], im: [0, 0, 0, -1] };
    case 't':
      return { re: [1, 0, 0, s2], im: [0, 0, 0, s2] };
    case 'tdg':
      return { re: [1, 0, 0, s2], im: [0, 0, 0, -s2] };
    case 'rx':
      return { re: [c, 0, 0, c], im: [0, -s, -s, 0] };
    case 'ry':
      return { re: [c, -s, s, c], im: [0, 0, 0, 0] };
    case 'rz':
      return { re: [c, 0, 0, c], im: [-s, 0, 0, s] };
    default:
      throw new Error(kind);
  }
}

/** Dense 2^n matrix of a one-qubit gate on qubit q (qubit 0 = least significant bit). */
export function embedOneQubit(n: number, q: number, u: Small): DenseMatrix {
  const d = 2 ** n;
  const m: DenseMatrix = { d, re: new Float64Array(d * d), im: new Float64Array(d * d) };
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if ((i & ~(1 << q)) !== (j & ~(1 << q))) continue;
      const bi = (i >> q) & 1;
      const bj = (j >> q) & 1;
      m.re[i * d + j] = u.re[bi * 2 + bj];
      m.im[i * d + j] = u.im[bi * 2 + bj];
    }
  }
  return m;
}

/** Dense matrix of a two-qubit gate given by its 4×4 matrix in the basis index bit_a + 2 bit_b. */
export function embedTwoQubit(n: number, a: number, b: number, u: Small): DenseMatrix {
  const d = 2 ** n;
  const m: DenseMatrix = { d, re: new Float64Array(d * d), im: new Float64Array(d * d) };
  const mask = ~((1 << a) | (1 << b));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if ((i & mask) !== (j & mask)) continue;
      const li = ((i >> a) & 1) + 2 * ((i >> b) & 1);
      const lj = ((j >> a) & 1) + 2 * ((j >> b) & 1);
      m.re[i * d + j] = u.re[li * 4 + lj];
      m.im[i * d + j] = u.im[li * 4 + lj];
    }
  }
  return m;
}

/** CNOT(control a, target b) as a 4×4 in the basis bit_a + 2 bit_b. */
export const CNOT4: Small = {
  // basis order: |a=0,b=0>, |a=1,b=0>, |a=0,b=1>, |a=1,b=1>; flips b when a = 1
  re: [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0],
  im: new Array(16).fill(0),
};
export const CZ4: Small = { re: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, -1], im: new Array(16).fill(0) };
export const SWAP4: Small = { re: [1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1], im: new Array(16).fill(0) };

export function identity(d: number): DenseMatrix {
  const m: DenseMatrix = { d, re: new Float64Array(d * d), im: new Float64Array(d * d) };
  for (let i = 0; i < d; i++) m.re[i * d + i] = 1;
  return m;
}

export function matMul(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  const d = a.d;
  const c: DenseMatrix = { d, re: new Float64Array(d * d), im: new Float64Array(d * d) };
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const ar = a.re[i * d + k];
      const ai = a.im[i * d + k];
      if (ar === 0 && ai === 0) continue;
      for (let j = 0; j < d; j++) {
        c.re[i * d + j] += ar * b.re[k * d + j] - ai * b.im[k * d + j];
        c.im[i * d + j] += ar * b.im[k * d + j] + ai * b.re[k * d + j];
      }
    }
  }
  return c;
}

/** Dense Pauli string from a label per qubit ('i','x','y','z'), labels[q] acts on qubit q. */
export function pauliMatrix(labels: string[]): DenseMatrix {
  const n = labels.length;
  let m = identity(2 ** n);
  for (let q = 0; q < n; q++) m = matMul(embedOneQubit(n, q, oneQubitMatrix(labels[q])), m);
  return m;
}

/** Masks (x, z) of a label list. */
export function masksOf(labels: string[]): { x: number; z: number } {
  let x = 0;
  let z = 0;
  labels.forEach((l, q) => {
    if (l === 'x' || l === 'y') x |= 1 << q;
    if (l === 'z' || l === 'y') z |= 1 << q;
  });
  return { x, z };
}

/** a·A + b·B for complex scalars a = (ar, ai), b = (br, bi). */
export function combine(ar: number, ai: number, a: DenseMatrix, br: number, bi: number, b: DenseMatrix): DenseMatrix {
  const d = a.d;
  const c: DenseMatrix = { d, re: new Float64Array(d * d), im: new Float64Array(d * d) };
  for (let k = 0; k < d * d; k++) {
    c.re[k] = ar * a.re[k] - ai * a.im[k] + br * b.re[k] - bi * b.im[k];
    c.im[k] = ar * a.im[k] + ai * a.re[k] + br * b.im[k] + bi * b.re[k];
  }
  return c;
}

/** Dense exp(M) by scaling and squaring with a Taylor series (reference for small matrices). */
export function expm(m: DenseMatrix): DenseMatrix {
  const d = m.d;
  let norm = 0;
  for (let k = 0; k < d * d; k++) norm = Math.max(norm, Math.hypot(m.re[k], m.im[k]));
  const squarings = Math.max(0, Math.ceil(Math.log2(norm * d + 1)) + 4);
  const scale = 2 ** -squarings;
  const a = combine(scale, 0, m, 0, 0, m);
  let result = identity(d);
  let term = identity(d);
  for (let k = 1; k <= 30; k++) {
    term = matMul(term, a);
    const f = 1 / k;
    for (let e = 0; e < d * d; e++) {
      term.re[e] *= f;
      term.im[e] *= f;
    }
    result = combine(1, 0, result, 1, 0, term);
  }
  for (let s = 0; s < squarings; s++) result = matMul(result, result);
  return result;
}

export function matVec(m: DenseMatrix, re: Float64Array, im: Float64Array): { re: Float64Array; im: Float64Array } {
  const d = m.d;
  const or = new Float64Array(d);
  const oi = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < d; j++) {
      sr += m.re[i * d + j] * re[j] - m.im[i * d + j] * im[j];
      si += m.re[i * d + j] * im[j] + m.im[i * d + j] * re[j];
    }
    or[i] = sr;
    oi[i] = si;
  }
  return { re: or, im: oi };
}

/** Random normalised complex vector of dimension d. */
export function randomState(d: number, rng: Random): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(d);
  const im = new Float64Array(d);
  let s = 0;
  for (let i = 0; i < d; i++) {
    re[i] = rng.normal();
    im[i] = rng.normal();
    s += re[i] * re[i] + im[i] * im[i];
  }
  const f = 1 / Math.sqrt(s);
  for (let i = 0; i < d; i++) {
    re[i] *= f;
    im[i] *= f;
  }
  return { re, im };
}

export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
