/**
 * Integer combinatorics on doubles.
 */

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/**
 * Binomial coefficient C(n, k) for integers n ≥ 0 (0 when k < 0 or k > n). Exact whenever the result
 * is at most 2^53: every step is C(m, i) = C(m − 1, i − 1) · m / i with the common factor of
 * C(m − 1, i − 1) and i divided out first, so no intermediate exceeds the result. Larger results are
 * correctly rounded to a few ulps (enough for size estimates).
 */
export function binomial(n: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(k)) throw new RangeError(`binomial: integer arguments required, got (${n}, ${k})`);
  if (k < 0 || k > n) return 0;
  if (k > n - k) k = n - k;
  let r = 1;
  for (let i = 1; i <= k; i++) {
    // i divides C(m − 1, i − 1) · m, so i / g divides m: both quotients are exact integers.
    const g = gcd(r, i);
    r = (r / g) * ((n - k + i) / (i / g));
  }
  return r;
}
