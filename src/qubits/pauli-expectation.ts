/**
 * Exact expectation values ⟨ψ|H|ψ⟩ of Pauli sums on state vectors without forming H·ψ: the one
 * expectation kernel, used by the qubit stage and by the backend's exact estimator.
 *
 * Expectation of one Pauli string P(x, z) (qubit 0 = least significant bit of a basis index):
 *   ⟨ψ|P|ψ⟩ = Σ_i conj(ψ_{i⊕x}) i^nY (−1)^popcount(i & z) ψ_i   (real: P is Hermitian).
 * Pairing i (highest bit h of x clear) with j = i ⊕ x and writing a_i = conj(ψ_j) ψ_i gives
 *   nY even: ⟨P⟩ = (−1)^(nY/2)     · 2 Σ_i (−1)^popcount(i&z) Re a_i,
 *   nY odd:  ⟨P⟩ = (−1)^((nY+1)/2) · 2 Σ_i (−1)^popcount(i&z) Im a_i,
 * and for x = 0, ⟨P⟩ = Σ_i (−1)^popcount(i&z) |ψ_i|². Terms are grouped by x mask: one pass over the
 * vector per group stores the pair sums (or |ψ_i|²), and every z mask of the group is then a signed
 * sum over that buffer — a sign table for the low index bits turns it into a plain dot product. A
 * group with more z masks than log2 of the buffer length instead takes the Walsh–Hadamard transform
 * of the buffer, which yields Σ_i (−1)^popcount(i&z) v_i for every z at once. Since every ⟨P⟩ is
 * real, ⟨ψ|Σ c_t P_t|ψ⟩ has real part Σ Re(c_t)⟨P_t⟩ and imaginary part Σ Im(c_t)⟨P_t⟩.
 */
import { InputError, parity32, popcount32 } from '../core/index.js';
import type { PauliSumData } from './pauli-layout.js';

/** Terms of a Pauli sum regrouped by X mask, with the i^nY phases folded into real weights. */
interface GroupedPauliSum {
  readonly nTerms: number;
  /** Distinct X masks. */
  readonly xs: Uint32Array;
  /** Group g owns entries start[g] .. start[g+1]−1 of zs/weights/useImag. */
  readonly start: Int32Array;
  readonly zs: Uint32Array;
  /** Re(coefficient) · (−1)^⌈nY/2⌉ (times 2 for x ≠ 0). */
  readonly weights: Float64Array;
  /** The same with Im(coefficient); null when every coefficient is real. */
  readonly weightsIm: Float64Array | null;
  /** 1 when the term reads Im a_i (nY odd), 0 when it reads Re a_i. */
  readonly useImag: Uint8Array;
  /** Constant part: Σ c over identity terms. */
  readonly constant: number;
  readonly constantIm: number;
}

const groupedCache = new WeakMap<PauliSumData, GroupedPauliSum>();

function groupPauliSum(op: PauliSumData): GroupedPauliSum {
  const cached = groupedCache.get(op);
  if (cached !== undefined && cached.nTerms === op.x.length) return cached;
  const nTerms = op.x.length;
  const byX = new Map<number, number[]>();
  let constant = 0;
  let constantIm = 0;
  let complex = false;
  for (let t = 0; t < nTerms; t++) {
    const x = op.x[t];
    const z = op.z[t];
    if (x === 0 && z === 0) {
      constant += op.coeffRe[t];
      constantIm += op.coeffIm[t];
      continue;
    }
    if (op.coeffIm[t] !== 0) complex = true;
    else if (op.coeffRe[t] === 0) continue;
    let list = byX.get(x);
    if (list === undefined) {
      list = [];
      byX.set(x, list);
    }
    list.push(t);
  }
  const xsSorted = [...byX.keys()].sort((a, b) => a - b);
  const xs = new Uint32Array(xsSorted);
  const start = new Int32Array(xs.length + 1);
  let count = 0;
  for (let g = 0; g < xs.length; g++) {
    start[g] = count;
    count += byX.get(xs[g])!.length;
  }
  start[xs.length] = count;
  const zs = new Uint32Array(count);
  const weights = new Float64Array(count);
  const weightsIm = complex ? new Float64Array(count) : null;
  const useImag = new Uint8Array(count);
  for (let g = 0; g < xs.length; g++) {
    const list = byX.get(xs[g])!;
    for (let k = 0; k < list.length; k++) {
      const t = list[k];
      const e = start[g] + k;
      const nY = popcount32(op.x[t] & op.z[t]);
      const odd = nY & 1;
      const sign = ((nY + odd) / 2) % 2 === 0 ? 1 : -1;
      zs[e] = op.z[t];
      weights[e] = op.coeffRe[t] * sign * (xs[g] === 0 ? 1 : 2);
      if (weightsIm !== null) weightsIm[e] = op.coeffIm[t] * sign * (xs[g] === 0 ? 1 : 2);
      useImag[e] = odd;
    }
  }
  const grouped: GroupedPauliSum = { nTerms, xs, start, zs, weights, weightsIm, useImag, constant, constantIm };
  groupedCache.set(op, grouped);
  return grouped;
}

/** Buffers up to this length are kept between calls; larger ones are allocated per call and freed. */
const MAX_CACHED_SCRATCH = 2 ** 22;
let cachedA = new Float64Array(0);
let cachedB = new Float64Array(0);

function scratchA(length: number): Float64Array {
  if (length > MAX_CACHED_SCRATCH) return new Float64Array(length);
  if (cachedA.length < length) cachedA = new Float64Array(length);
  return cachedA;
}

function scratchB(length: number): Float64Array {
  if (length > MAX_CACHED_SCRATCH) return new Float64Array(length);
  if (cachedB.length < length) cachedB = new Float64Array(length);
  return cachedB;
}

/** In-place Walsh–Hadamard transform of v[0 .. m−1] (m a power of two), unnormalised. */
function walshHadamard(v: Float64Array, m: number): void {
  for (let len = 1; len < m; len *= 2) {
    for (let a = 0; a < m; a += 2 * len) {
      const end = a + len;
      for (let k = a; k < end; k++) {
        const u = v[k];
        const w = v[k + len];
        v[k] = u + w;
        v[k + len] = u - w;
      }
    }
  }
}

/** Removes bit h from a mask: bits above h move down by one. */
function compress(mask: number, h: number): number {
  const low = mask & (2 ** h - 1);
  const high = Math.floor(mask / 2 ** (h + 1));
  return low + high * 2 ** h;
}

/**
 * ⟨ψ|op|ψ⟩ of a Pauli sum on the state (re, im) without building a matrix; the state need not be
 * normalised and may have more qubits than the operator (length 2^n with n ≥ op.nQubits). The
 * grouping of terms by X mask is cached per operator object, so do not mutate an operator's arrays
 * after its first use.
 * @throws InputError when the length is not a power of two at least 2^op.nQubits.
 */
export function pauliSumExpectation(op: PauliSumData, re: Float64Array, im: Float64Array): { re: number; im: number } {
  const n = re.length;
  if (im.length !== n || n < 2 ** op.nQubits || (n & (n - 1)) !== 0) {
    throw new InputError(`expectation: state of length ${n} (imaginary ${im.length}) for an operator on ${op.nQubits} qubits`);
  }
  const grouped = groupPauliSum(op);
  let total = 0;
  let totalIm = 0;
  if (grouped.constant !== 0 || grouped.constantIm !== 0) {
    let norm2 = 0;
    for (let i = 0; i < n; i++) norm2 += re[i] * re[i] + im[i] * im[i];
    total += grouped.constant * norm2;
    totalIm += grouped.constantIm * norm2;
  }
  const { xs, start, zs, weights, weightsIm, useImag } = grouped;
  let bufRe: Float64Array = new Float64Array(0);
  let bufIm: Float64Array = new Float64Array(0);
  for (let g = 0; g < xs.length; g++) {
    const x = xs[g];
    const g0 = start[g];
    const g1 = start[g + 1];
    const nz = g1 - g0;
    let needRe = false;
    let needIm = false;
    for (let e = g0; e < g1; e++) {
      if (useImag[e] === 1) needIm = true;
      else needRe = true;
    }
    const nTransforms = (needRe ? 1 : 0) + (needIm ? 1 : 0);
    if (x === 0) {
      // Diagonal group: signed sums of |ψ_i|².
      const v = scratchA(n);
      for (let i = 0; i < n; i++) v[i] = re[i] * re[i] + im[i] * im[i];
      if (nz > Math.log2(n)) {
        walshHadamard(v, n);
        for (let e = g0; e < g1; e++) {
          const p = v[zs[e]];
          total += weights[e] * p;
          if (weightsIm !== null) totalIm += weightsIm[e] * p;
        }
      } else {
        for (let e = g0; e < g1; e++) {
          const p = signedSum(v, n, zs[e]);
          total += weights[e] * p;
          if (weightsIm !== null) totalIm += weightsIm[e] * p;
        }
      }
      continue;
    }
    // Pair sums a_i = conj(ψ_{i⊕x}) ψ_i over i with bit h clear, stored at the index with bit h removed.
    const h = 31 - Math.clz32(x);
    const sh = 2 ** h;
    const half = n / 2;
    if (g === 0 || xs[g - 1] === 0) {
      bufRe = scratchA(half);
      bufIm = scratchB(half);
    }
    const vr = bufRe;
    const vi = bufIm;
    // Real Hamiltonians only need Re a_i (every term has an even number of Y).
    let k = 0;
    for (let base = 0; base < n; base += 2 * sh) {
      const end = base + sh;
      if (needRe && needIm) {
        for (let i = base; i < end; i++, k++) {
          const j = i ^ x;
          vr[k] = re[j] * re[i] + im[j] * im[i];
          vi[k] = re[j] * im[i] - im[j] * re[i];
        }
      } else if (needRe) {
        for (let i = base; i < end; i++, k++) {
          const j = i ^ x;
          vr[k] = re[j] * re[i] + im[j] * im[i];
        }
      } else {
        for (let i = base; i < end; i++, k++) {
          const j = i ^ x;
          vi[k] = re[j] * im[i] - im[j] * re[i];
        }
      }
    }
    if (nz > nTransforms * Math.log2(half)) {
      // Many z masks: one Walsh–Hadamard transform gives every signed sum at once.
      if (needRe) walshHadamard(vr, half);
      if (needIm) walshHadamard(vi, half);
      for (let e = g0; e < g1; e++) {
        const zc = compress(zs[e], h);
        const p = useImag[e] === 1 ? vi[zc] : vr[zc];
        total += weights[e] * p;
        if (weightsIm !== null) totalIm += weightsIm[e] * p;
      }
    } else {
      for (let e = g0; e < g1; e++) {
        const p = signedSum(useImag[e] === 1 ? vi : vr, half, compress(zs[e], h));
        total += weights[e] * p;
        if (weightsIm !== null) totalIm += weightsIm[e] * p;
      }
    }
  }
  return { re: total, im: totalIm };
}

const SIGNED_SUM_BLOCK = 256;
const signedSumTable = new Float64Array(SIGNED_SUM_BLOCK);

/**
 * Σ_{k<m} (−1)^popcount(k & z) v[k] (m a power of two): a sign table for the low bits times the
 * parity of the block start, so the inner loop is a plain dot product.
 */
function signedSum(v: Float64Array, m: number, z: number): number {
  const len = m < SIGNED_SUM_BLOCK ? m : SIGNED_SUM_BLOCK;
  const t = signedSumTable;
  t[0] = 1;
  for (let half = 1; half < len; half *= 2) {
    const f = (z & half) !== 0 ? -1 : 1;
    for (let k = 0; k < half; k++) t[half + k] = f * t[k];
  }
  let acc = 0;
  for (let mid = 0; mid < m; mid += len) {
    let a = 0;
    for (let k = 0; k < len; k++) a += t[k] * v[mid + k];
    acc += parity32(mid & z) === 0 ? a : -a;
  }
  return acc;
}
