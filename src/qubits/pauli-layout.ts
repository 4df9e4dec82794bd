/**
 * Data layout of qubit operators shared by the qubit, circuit, backend and algorithm stages.
 *
 * A Pauli string on up to 30 qubits is two bit masks: qubit k carries X when bit k of `x` is set,
 * Z when bit k of `z` is set, and Y (not iXZ) when both are. Qubit 0 is the least significant bit
 * of a basis-state index.
 *
 * A Pauli sum stores its terms as parallel arrays: term t is
 *   (coeffRe[t] + i coeffIm[t]) · P(x[t], z[t]).
 */
export interface PauliSumData {
  /** Number of qubits the operator acts on. */
  readonly nQubits: number;
  /** X masks, one per term. */
  readonly x: Uint32Array;
  /** Z masks, one per term. */
  readonly z: Uint32Array;
  /** Real parts of the coefficients. */
  readonly coeffRe: Float64Array;
  /** Imaginary parts of the coefficients. */
  readonly coeffIm: Float64Array;
}

/** Largest number of qubits a bit-mask Pauli string can address. */
export const MAX_PAULI_QUBITS = 30;
