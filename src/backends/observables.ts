/**
 * Observables on a state vector: exact Pauli-sum expectation values (the qubit stage's
 * pauliSumExpectation on the state's amplitudes), inner products, probabilities and seeded sampling
 * of computational-basis measurements.
 */
import { InputError } from '../core/index.js';
import type { Random } from '../core/index.js';
import { pauliSumExpectation, type PauliSumData } from '../qubits/index.js';
import type { StateVector } from './statevector.js';

/**
 * Exact expectation value Re⟨ψ|H|ψ⟩ of a Pauli sum (for a Hermitian H this is ⟨ψ|H|ψ⟩). The state
 * need not be normalised. See the qubit stage's pauliSumExpectation.
 */
export function expectationPauliSum(state: StateVector, op: PauliSumData): number {
  if (op.nQubits > state.nQubits) {
    throw new InputError(`expectation: operator on ${op.nQubits} qubits but the state has ${state.nQubits}`);
  }
  return pauliSumExpectation(op, state.re, state.im).re;
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
 * generator and returns the counts per basis index (only outcomes that occurred). Each uniform u is
 * mapped to the first index whose cumulative probability exceeds it (inverse CDF, by bisection):
 * O(2^n + shots·n), and the same uniforms give the same outcomes as any other inverse-CDF order.
 */
export function sampleCounts(state: StateVector, shots: number, rng: Random): Map<number, number> {
  if (!Number.isInteger(shots) || shots < 0) {
    throw new InputError(`sampleCounts: shots must be a non-negative integer, got ${shots}`);
  }
  const counts = new Map<number, number>();
  if (shots === 0) return counts;
  const total = state.norm2();
  if (!(total > 0)) throw new InputError('sampleCounts: the state has zero norm');
  const re = state.re;
  const im = state.im;
  const n = re.length;
  const cumulative = new Float64Array(n);
  let sum = 0;
  let lastNonZero = 0;
  for (let i = 0; i < n; i++) {
    const p = re[i] * re[i] + im[i] * im[i];
    if (p !== 0) lastNonZero = i;
    sum += p;
    cumulative[i] = sum;
  }
  const tally = new Uint32Array(n);
  for (let s = 0; s < shots; s++) {
    const u = rng.next() * total;
    // Rounding can leave u just above the final cumulative sum: it belongs to the last outcome.
    if (u >= sum) {
      tally[lastNonZero]++;
      continue;
    }
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u < cumulative[mid]) hi = mid;
      else lo = mid + 1;
    }
    tally[lo]++;
  }
  for (let i = 0; i < n; i++) if (tally[i] !== 0) counts.set(i, tally[i]);
  return counts;
}
