/**
 * Small state-vector kernels of the exact gradients: the Pauli-string matrix element ⟨a|P|b⟩ (the
 * adjoint gradient and ADAPT pool gradients need it without forming P|b⟩), Re⟨a|b⟩ of raw vectors,
 * and the Pauli generator of a rotation gate. ⟨a|P|b⟩ is separate from the gate kernels because
 * those apply P in place and would need a copy of b.
 *
 * Layout: a state on n qubits is two Float64Arrays re, im of length 2ⁿ; qubit 0 is the least
 * significant bit of the basis index. A Pauli string is (x, z) bit masks with Y where both bits are
 * set (see src/qubits/pauli-layout.ts), so P|i⟩ = i^{popcount(x&z)} (−1)^{popcount(i&z)} |i ⊕ x⟩.
 */
import type { Gate } from '../circuits/index.js';
import { parity32, popcount32 } from '../core/index.js';

/**
 * The Pauli generator (x, z masks) of a rotation gate: exp(−iθG/2) with G = X, Y, Z on one qubit or
 * the gate's Pauli string. Returns null for gates that are not rotations.
 */
export function rotationGenerator(gate: Gate): { x: number; z: number } | null {
  switch (gate.kind) {
    case 'rx':
      return { x: (1 << gate.qubits[0]) >>> 0, z: 0 };
    case 'ry':
      return { x: (1 << gate.qubits[0]) >>> 0, z: (1 << gate.qubits[0]) >>> 0 };
    case 'rz':
      return { x: 0, z: (1 << gate.qubits[0]) >>> 0 };
    case 'pauliRotation':
      return { x: gate.pauliX ?? 0, z: gate.pauliZ ?? 0 };
    default:
      return null;
  }
}

/**
 * ⟨a|P|b⟩ for the Pauli string (x, z); returns [real, imaginary].
 * Σ_i conj(a_{i⊕x}) · i^{ny} (−1)^{popcount(i&z)} b_i.
 */
export function pauliMatrixElement(
  aRe: Float64Array,
  aIm: Float64Array,
  x: number,
  z: number,
  bRe: Float64Array,
  bIm: Float64Array,
): [number, number] {
  const dim = aRe.length;
  let sr = 0;
  let si = 0;
  for (let i = 0; i < dim; i++) {
    const j = (i ^ x) >>> 0;
    const sg = parity32(i & z) ? -1 : 1;
    // conj(a_j) b_i
    const ar = aRe[j];
    const ai = aIm[j];
    const br = bRe[i];
    const bi = bIm[i];
    sr += sg * (ar * br + ai * bi);
    si += sg * (ar * bi - ai * br);
  }
  const ny = popcount32(x & z) & 3;
  switch (ny) {
    case 0:
      return [sr, si];
    case 1:
      return [-si, sr];
    case 2:
      return [-sr, -si];
    default:
      return [si, -sr];
  }
}

/**
 * Re⟨a|b⟩ of raw vectors. innerProduct (observables.ts) needs StateVector objects; sector vectors
 * (sector.ts) are plain arrays of the sector dimension.
 */
export function realInner(aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array): number {
  let s = 0;
  for (let i = 0; i < aRe.length; i++) s += aRe[i] * bRe[i] + aIm[i] * bIm[i];
  return s;
}
