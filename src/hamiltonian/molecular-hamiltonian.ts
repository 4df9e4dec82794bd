/**
 * The MolecularHamiltonian contract: the meeting point of SCF, FCIDUMP, the classical rungs and the
 * qubit mappings.
 *
 *   H = constant + Σ_pq h[p,q] Σ_σ a†_pσ a_qσ + ½ Σ_pqrs (pq|rs) Σ_στ a†_pσ a†_rτ a_sτ a_qσ
 *
 * over nOrbitals spatial orbitals. `oneBody` is h[p*n + q]; `twoBody` holds all n⁴ chemists'-notation
 * integrals (pq|rs) at index ((p*n + q)*n + r)*n + s, with the full 8-fold symmetry filled in.
 * `constantHartree` is the nuclear repulsion plus, after freezing a core, the frozen-core energy.
 */
export interface MolecularHamiltonian {
  /** Number of spatial orbitals n. */
  readonly nOrbitals: number;
  /** Number of α electrons in these orbitals. */
  readonly nAlpha: number;
  /** Number of β electrons in these orbitals. */
  readonly nBeta: number;
  /** Nuclear repulsion plus frozen-core energy, in Hartree. */
  readonly constantHartree: number;
  /** One-body integrals h[p,q], n×n row-major, Hartree. */
  readonly oneBody: Float64Array;
  /** Two-body integrals (pq|rs), n⁴ row-major, Hartree. */
  readonly twoBody: Float64Array;
  /** Optional point-group irrep label of each orbital (1-based, as in FCIDUMP ORBSYM). */
  readonly orbitalSymmetries?: Int32Array;
}

/**
 * Stores one chemists'-notation integral (pq|rs) = `value` into all eight places its real-orbital
 * symmetry fills: (pq|rs) = (qp|rs) = (pq|sr) = (qp|sr) = (rs|pq) = (sr|pq) = (rs|qp) = (sr|qp).
 * `twoBody` is n⁴ row-major as in {@link MolecularHamiltonian}; indices are 0-based, unchecked.
 * Plain numbers only, so it stays cheap inside integral-transformation loops.
 */
export function setTwoBodySymmetric(
  twoBody: Float64Array,
  n: number,
  p: number,
  q: number,
  r: number,
  s: number,
  value: number,
): void {
  const n2 = n * n;
  const n3 = n2 * n;
  twoBody[p * n3 + q * n2 + r * n + s] = value;
  twoBody[q * n3 + p * n2 + r * n + s] = value;
  twoBody[p * n3 + q * n2 + s * n + r] = value;
  twoBody[q * n3 + p * n2 + s * n + r] = value;
  twoBody[r * n3 + s * n2 + p * n + q] = value;
  twoBody[s * n3 + r * n2 + p * n + q] = value;
  twoBody[r * n3 + s * n2 + q * n + p] = value;
  twoBody[s * n3 + r * n2 + q * n + p] = value;
}
