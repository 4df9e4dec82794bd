/**
 * Observables on a state vector: exact Pauli-sum expectation values, inner products, probabilities
 * and seeded sampling of computational-basis measurements.
 *
 * Expectation of one Pauli string P(x, z) (see kernels.ts for the phase convention):
 *   ⟨ψ|P|ψ⟩ = Σ_i conj(ψ_{i⊕x}) i^nY (−1)^popcount(i & z) ψ_i.
 * Pairing i (highest bit h of x clear) with j = i ⊕ x and writing a_i = conj(ψ_j) ψ_i gives
 *   nY even: ⟨P⟩ = (−1)^(nY/2)     · 2 Σ_i (−1)^popcount(i&z) Re a_i,
 *   nY odd:  ⟨P⟩ = (−1)^((nY+1)/2) · 2 Σ_i (−1)^popcount(i&z) Im a_i,
 * and for x = 0, ⟨P⟩ = Σ_i (−1)^popcount(i&z) |ψ_i|². Terms are grouped by x mask, so one pass over
 * the vector serves every z mask of a group; a group with many z masks instead takes the
 * Walsh–Hadamard transform of the pair sums, which yields Σ_i (−1)^popcount(i&z) v_i for every z at
 * once in (N/2) log N operations.
 */
import { InputError } from '../core/errors.js';
import type { Random } from '../core/random.js';
import type { PauliSumData } from '../qubits/pauli-layout.js';
import type { StateVector } from './statevector.js';
import { parity32, popcount32 } from './kernels.js';

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
  /** 1 when the term reads Im a_i (nY odd), 0 when it reads Re a_i. */
  readonly useImag: Uint8Array;
  /** Constant part: Σ Re(c) over identity terms. */
  readonly constant: number;
}

const groupedCache = new WeakMap<PauliSumData, GroupedPauliSum>();

function groupPauliSum(op: PauliSumData): GroupedPauliSum {
  const cached = groupedCache.get(op);
  if (cached !== undefined && cached.nTerms === op.x.length) return cached;
  const nTerms = op.x.length;
  const byX = new Map<number, number[]>();
  let constant = 0;
  for (let t = 0; t < nTerms; t++) {
    const x = op.x[t];
    const z = op.z[t];
    if (x === 0 && z === 0) {
      constant += op.coeffRe[t];
      continue;
    }
    if (op.coeffRe[t] === 0) continue;
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
      useImag[e] = odd;
    }
  }
  const grouped: GroupedPauliSum = { nTerms, xs, start, zs, weights, useImag, constant };
  groupedCache.set(op, grouped);
  return grouped;
}

let scratchA = new Float64Array(0);
let scratchB = new Float64Array(0);

function scratch(length: number): void {
  if (scratchA.length < length) {
    scratchA = new Float64Array(length);
    scratchB = new Float64Array(length);
  }
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
 * Exact expectation value Re⟨ψ|H|ψ⟩ of a Pauli sum without building a matrix (for a Hermitian H this
 * is ⟨ψ|H|ψ⟩; imaginary coefficients contribute nothing to the real part). The state need not be
 * normalised. The grouping of terms by X mask is cached per operator object, so do not mutate an
 * operator's arrays after its first use.
 */
export function expectationPauliSum(state: StateVector, op: PauliSumData): number {
  if (op.nQubits > state.nQubits) {
    throw new InputError(`expectation: operator on ${op.nQubits} qubits but the state has ${state.nQubits}`);
  }
  const grouped = groupPauliSum(op);
  const re = state.re;
  const im = state.im;
  const n = re.length;
  const nQubits = state.nQubits;
  let total = 0;
  if (grouped.constant !== 0) total += grouped.constant * state.norm2();
  const { xs, start, zs, weights, useImag } = grouped;
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
      // Diagonal group: weights of |ψ_i|².
      if (nz > 2 + nQubits / 2) {
        scratch(n);
        const v = scratchA;
        for (let i = 0; i < n; i++) v[i] = re[i] * re[i] + im[i] * im[i];
        walshHadamard(v, n);
        for (let e = g0; e < g1; e++) total += weights[e] * v[zs[e]];
      } else {
        // One pass over the vector serves every z mask of the group.
        for (let i = 0; i < n; i++) {
          const p = re[i] * re[i] + im[i] * im[i];
          let acc = 0;
          for (let e = g0; e < g1; e++) {
            const w = weights[e];
            acc += parity32(i & zs[e]) === 0 ? w : -w;
          }
          total += acc * p;
        }
      }
      continue;
    }
    const h = 31 - Math.clz32(x);
    const sh = 2 ** h;
    const half = n / 2;
    if (nz > 2 + (nTransforms * nQubits) / 2) {
      // Many z masks: Walsh–Hadamard transform of the pair sums over the index with bit h removed.
      scratch(half);
      const vr = scratchA;
      const vi = scratchB;
      let k = 0;
      for (let base = 0; base < n; base += 2 * sh) {
        const end = base + sh;
        for (let i = base; i < end; i++) {
          const j = i ^ x;
          // a = conj(ψ_j) ψ_i
          vr[k] = re[j] * re[i] + im[j] * im[i];
          vi[k] = re[j] * im[i] - im[j] * re[i];
          k++;
        }
      }
      if (needRe) walshHadamard(vr, half);
      if (needIm) walshHadamard(vi, half);
      for (let e = g0; e < g1; e++) {
        const zc = compress(zs[e], h);
        total += weights[e] * (useImag[e] === 1 ? vi[zc] : vr[zc]);
      }
    } else {
      // One pass over the pairs serves every z mask of the group.
      let acc = 0;
      for (let base = 0; base < n; base += 2 * sh) {
        const end = base + sh;
        for (let i = base; i < end; i++) {
          const j = i ^ x;
          const ar = re[j] * re[i] + im[j] * im[i];
          const ai = re[j] * im[i] - im[j] * re[i];
          let wRe = 0;
          let wIm = 0;
          for (let e = g0; e < g1; e++) {
            const w = parity32(i & zs[e]) === 0 ? weights[e] : -weights[e];
            if (useImag[e] === 1) wIm += w;
            else wRe += w;
          }
          acc += wRe * ar + wIm * ai;
        }
      }
      total += acc;
    }
  }
  return total;
}

/** Complex inner product ⟨a|b⟩ = Σ_i conj(a_i) b_i. */
export function innerProduct(a: StateVector, b: StateVector): { re: number; im: number } {
  if (a.nQubits !== b.nQubits) {
    throw new InputError(`inner product of a ${a.nQubits}-qubit and a ${b.nQubits}-qubit state`);
  }
  const ar = a.re;
  const ai = a.im;
  const br = b.re;
  const bi = b.im;
  let sr = 0;
  let si = 0;
  for (let i = 0; i < ar.length; i++) {
    sr += ar[i] * br[i] + ai[i] * bi[i];
    si += ar[i] * bi[i] - ai[i] * br[i];
  }
  return { re: sr, im: si };
}

/** Probabilities |ψ_b|² of the computational basis states (not renormalised). */
export function probabilities(state: StateVector, out?: Float64Array): Float64Array {
  const p = out ?? new Float64Array(state.dimension);
  if (p.length !== state.dimension) {
    throw new InputError(`probabilities: output length ${p.length}, expected ${state.dimension}`);
  }
  const re = state.re;
  const im = state.im;
  for (let i = 0; i < re.length; i++) p[i] = re[i] * re[i] + im[i] * im[i];
  return p;
}

/**
 * Draws `shots` computational-basis measurement outcomes of the (normalised) state with the seeded
 * generator and returns the counts per basis index (only outcomes that occurred). Uses sorted
 * uniforms against the cumulative distribution: O(2^n + shots log shots).
 */
export function sampleCounts(state: StateVector, shots: number, rng: Random): Map<number, number> {
  if (!Number.isInteger(shots) || shots < 0) {
    throw new InputError(`sampleCounts: shots must be a non-negative integer, got ${shots}`);
  }
  const counts = new Map<number, number>();
  if (shots === 0) return counts;
  const total = state.norm2();
  if (!(total > 0)) throw new InputError('sampleCounts: the state has zero norm');
  const u = new Float64Array(shots);
  for (let s = 0; s < shots; s++) u[s] = rng.next() * total;
  u.sort();
  const re = state.re;
  const im = state.im;
  const n = re.length;
  let cumulative = 0;
  let s = 0;
  let lastNonZero = 0;
  for (let i = 0; i < n && s < shots; i++) {
    const p = re[i] * re[i] + im[i] * im[i];
    if (p === 0) continue;
    lastNonZero = i;
    cumulative += p;
    let c = 0;
    while (s < shots && u[s] < cumulative) {
      c++;
      s++;
    }
    if (c > 0) counts.set(i, c);
  }
  // Rounding can leave the last uniforms just above the final cumulative sum.
  if (s < shots) {
    for (let i = n - 1; i >= 0; i--) {
      if (re[i] !== 0 || im[i] !== 0) {
        lastNonZero = i;
        break;
      }
    }
    counts.set(lastNonZero, (counts.get(lastNonZero) ?? 0) + (shots - s));
  }
  return counts;
}
