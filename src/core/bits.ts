/**
 * Bit helpers shared by every stage that stores qubit or orbital sets as 32-bit masks: popcount,
 * parity, and the powers of i that phase a Pauli string on a basis state
 * (P(x, z)|b⟩ = i^{popcount(x∧z)} (−1)^{popcount(b∧z)} |b ⊕ x⟩).
 */

/** Number of set bits of a 32-bit integer. */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** Parity (0 or 1) of the set bits of a 32-bit integer. */
export function parity32(v: number): number {
  v ^= v >>> 16;
  v ^= v >>> 8;
  v ^= v >>> 4;
  return (0x6996 >>> (v & 0xf)) & 1;
}

/** Real part of i^k for k = 0..3. */
export const I_POWER_RE = [1, 0, -1, 0] as const;
/** Imaginary part of i^k for k = 0..3. */
export const I_POWER_IM = [0, 1, 0, -1] as const;
