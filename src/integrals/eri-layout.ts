/**
 * Packed storage of electron-repulsion integrals with 8-fold permutational symmetry.
 *
 * (ij|kl) in chemists' notation over n real basis functions is stored once at
 *   eriIndex(i, j, k, l) = pair(pair(i, j), pair(k, l)),  pair(a, b) = a ≥ b ? a(a+1)/2 + b : b(b+1)/2 + a,
 * so `values` has P(P+1)/2 entries with P = n(n+1)/2.
 */
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
