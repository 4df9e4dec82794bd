/**
 * The state vector of an n-qubit register.
 *
 * Layout: amplitude of basis state |b⟩ is (re[b], im[b]) with b = Σ_k bit_k 2^k, so qubit 0 is the
 * least significant bit of the index. Real and imaginary parts live in two separate Float64Arrays
 * of length 2^n (26 qubits: 2 × 512 MiB; 30 qubits: 2 × 8 GiB).
 */
import { InputError } from '../core/index.js';
import { MAX_PAULI_QUBITS } from '../qubits/index.js';

/**
 * Largest register the simulator accepts: the qubit limit of every stage (bit-mask Pauli strings,
 * {@link MAX_PAULI_QUBITS}). Memory decides below it: 2^n complex doubles are 16 GiB at 30 qubits,
 * and the method layer refuses runs whose vectors do not fit.
 */
export const MAX_STATE_VECTOR_QUBITS = MAX_PAULI_QUBITS;

/** A complex state vector of `nQubits` qubits stored as separate real and imaginary arrays. */
export class StateVector {
  /** Number of qubits. */
  readonly nQubits: number;
  /** Number of amplitudes, 2^nQubits. */
  readonly dimension: number;
  /** Real parts of the amplitudes. */
  readonly re: Float64Array;
  /** Imaginary parts of the amplitudes. */
  readonly im: Float64Array;

  /** A register of `nQubits` qubits in the computational basis state |basisIndex⟩ (default |0…0⟩). */
  constructor(nQubits: number, basisIndex = 0) {
    if (!Number.isInteger(nQubits) || nQubits < 0 || nQubits > MAX_STATE_VECTOR_QUBITS) {
      throw new InputError(`state vector: qubit count must be an integer in [0, ${MAX_STATE_VECTOR_QUBITS}], got ${nQubits}`);
    }
    this.nQubits = nQubits;
    this.dimension = 2 ** nQubits;
    [this.re, this.im] = allocateAmplitudes(this.dimension);
    this.reset(basisIndex);
  }

  /** A state vector holding copies of the given amplitudes (length must be a power of two). */
  static fromAmplitudes(re: ArrayLike<number>, im?: ArrayLike<number>): StateVector {
    const n = Math.round(Math.log2(re.length));
    if (re.length < 1 || 2 ** n !== re.length) {
      throw new InputError(`state vector: amplitude count ${re.length} is not a power of two`);
    }
    if (im !== undefined && im.length !== re.length) {
      throw new InputError(`state vector: ${re.length} real parts but ${im.length} imaginary parts`);
    }
    const s = new StateVector(n);
    s.re.set(re);
    s.im.fill(0);
    if (im !== undefined) s.im.set(im);
    return s;
  }

  /** Sets the register to the basis state |basisIndex⟩ and returns it. */
  reset(basisIndex = 0): this {
    if (!Number.isInteger(basisIndex) || basisIndex < 0 || basisIndex >= this.dimension) {
      throw new InputError(`state vector: basis index ${basisIndex} outside [0, ${this.dimension})`);
    }
    this.re.fill(0);
    this.im.fill(0);
    this.re[basisIndex] = 1;
    return this;
  }

  /** An independent copy. */
  copy(): StateVector {
    const s = Object.create(StateVector.prototype) as { -readonly [K in keyof StateVector]: StateVector[K] };
    s.nQubits = this.nQubits;
    s.dimension = this.dimension;
    [s.re, s.im] = allocateAmplitudes(this.dimension);
    s.re.set(this.re);
    s.im.set(this.im);
    return s as StateVector;
  }

  /** Overwrites this state with the amplitudes of `other` (same qubit count) and returns it. */
  copyFrom(other: StateVector): this {
    if (other.nQubits !== this.nQubits) {
      throw new InputError(`state vector: cannot copy ${other.nQubits} qubits into ${this.nQubits}`);
    }
    this.re.set(other.re);
    this.im.set(other.im);
    return this;
  }

  /** Squared norm Σ|ψ_b|² (1 for a normalised state). */
  norm2(): number {
    const re = this.re;
    const im = this.im;
    let s = 0;
    for (let i = 0; i < re.length; i++) s += re[i] * re[i] + im[i] * im[i];
    return s;
  }
}

/**
 * Gap between the real and imaginary arrays, in doubles. Two separately allocated power-of-two
 * arrays land a power-of-two distance apart, so re[i] and im[i] share cache sets and 4 KiB-aliasing
 * slots; at 23–24 qubits that cut the gate kernels to a fifth of memory bandwidth. One buffer with
 * an offset of 4 KiB + 64 bytes between the halves keeps every kernel streaming.
 */
const IMAGINARY_OFFSET_PADDING = 520;

/** Real and imaginary amplitude arrays of one register, laid out in one buffer without aliasing. */
function allocateAmplitudes(dimension: number): [Float64Array, Float64Array] {
  const padding = dimension >= 512 ? IMAGINARY_OFFSET_PADDING : 0;
  const buffer = new ArrayBuffer((2 * dimension + padding) * 8);
  return [new Float64Array(buffer, 0, dimension), new Float64Array(buffer, (dimension + padding) * 8, dimension)];
}
