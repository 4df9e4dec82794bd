/**
 * Packed storage of electron-repulsion integrals with 8-fold permutational symmetry.
 *
 * (ij|kl) in chemists' notation over n real basis functions is stored once at
 *   eriIndex(i, j, k, l) = pair(pair(i, j), pair(k, l)),  pair(a, b) = a ≥ b ? a(a+1)/2 + b : b(b+1)/2 + a,
 * so `values` has P(P+1)/2 entries with P = n(n+1)/2.
 */
import { sharedWasmFloat64Array } from '../core/index.js';

export interface PackedEri {
  /** Number of basis functions n. */
  readonly nBasis: number;
  /** Unique integrals, length P(P+1)/2 with P = n(n+1)/2. */
  readonly values: Float64Array;
}

/** Index of the unordered pair {a, b}. */
export function pairIndex(a: number, b: number): number {
  return a >= b ? (a * (a + 1)) / 2 + b : (b * (b + 1)) / 2 + a;
}

/** Position of (ij|kl) in {@link PackedEri.values}. */
export function eriIndex(i: number, j: number, k: number, l: number): number {
  return pairIndex(pairIndex(i, j), pairIndex(k, l));
}

/** Number of packed values for n basis functions. */
export function packedEriLength(n: number): number {
  const p = (n * (n + 1)) / 2;
  return (p * (p + 1)) / 2;
}

/**
 * Packed sets at least this long (about 45 basis functions) are allocated inside a shared
 * WebAssembly memory, so that WebAssembly kernels stream them in place; smaller sets are cheap to
 * pass over in JavaScript, and each memory reserves gigabytes of address space.
 */
export const PACKED_ERI_WASM_MIN_VALUES = 1e6;

/**
 * n×n float64 matrices of spare room after packed integrals in a WebAssembly memory, for the kernels
 * that stream them: the SCF's J/K build keeps its two densities and the J and K accumulators of up
 * to eight row chunks there.
 */
export const PACKED_ERI_SPARE_MATRICES = 18;

/**
 * Zeroed storage for the packed integrals of n basis functions, in a SharedArrayBuffer so that worker
 * threads read it in place; large sets go into a shared WebAssembly memory with
 * {@link PACKED_ERI_SPARE_MATRICES} spare matrices when one fits (core's wasmBackingOf finds it).
 */
export function allocatePackedEriValues(n: number): Float64Array {
  const length = packedEriLength(n);
  if (length >= PACKED_ERI_WASM_MIN_VALUES) {
    const inWasm = sharedWasmFloat64Array(length, PACKED_ERI_SPARE_MATRICES * n * n * 8);
    if (inWasm) return inWasm;
  }
  return new Float64Array(new SharedArrayBuffer(length * 8));
}
