/**
 * Closed-shell reference data for MP2, CCSD and CCSD(T) from a {@link MolecularHamiltonian} in the
 * canonical RHF MO basis.
 *
 * Conventions: spatial orbitals 0..n−1; the lowest nOcc = nAlpha (= nBeta) are doubly occupied. The
 * first `nFrozen` occupied orbitals are not correlated; "o" below counts the correlated (active)
 * occupied orbitals, "v" the virtuals. Fock matrix
 *   f_pq = h_pq + Σ_i^occ [2(pq|ii) − (pi|iq)]
 * (all occupied orbitals, so a frozen core folded into h and the constant is handled as well).
 * Reference energy E_ref = constant + Σ_i^occ (h_ii + f_ii).
 *
 * Integral blocks, chemists' notation, row-major, active occupied indices i,j,k,l and virtual a,b,c,d:
 *   ovov[i,a,j,b] = (ia|jb)   oovv[i,j,a,b] = (ij|ab)   ovoo[i,a,j,k] = (ia|jk)
 *   ovvv[i,a,b,c] = (ia|bc)   oooo[i,j,k,l] = (ij|kl)
 * The (vv|vv) block is kept only as the symmetric and antisymmetric ladder matrices over pairs
 * (a ≤ b, c ≤ d for ⁺, a < b, c < d for ⁻; pair index b(b+1)/2 + a resp. b(b−1)/2 + a):
 *   vvvvPlus[ab, cd] = (ac|bd) + (ad|bc),   vvvvMinus[ab, cd] = (ac|bd) − (ad|bc),
 * both symmetric matrices, about v⁴/4 values each (half of the full block).
 */
import { InputError } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';

/** Fock matrix and orbital partition of a closed-shell reference. */
export interface ClosedShellReference {
  /** Number of spatial orbitals. */
  nOrbitals: number;
  /** Doubly occupied orbitals (including frozen ones). */
  nOccupied: number;
  /** Frozen (uncorrelated) lowest occupied orbitals. */
  nFrozen: number;
  /** Correlated occupied orbitals o = nOccupied − nFrozen. */
  nActiveOccupied: number;
  /** Virtual orbitals v = nOrbitals − nOccupied. */
  nVirtual: number;
  /** Fock matrix n×n. */
  fock: Float64Array;
  /** Reference (RHF) energy including the constant, Hartree. */
  referenceEnergyHartree: number;
  /** Diagonal Fock elements of the active occupied orbitals (length o). */
  occupiedEnergies: Float64Array;
  /** Diagonal Fock elements of the virtual orbitals (length v). */
  virtualEnergies: Float64Array;
  /** Largest |f_pq| over p ≠ q within occupied–occupied, virtual–virtual and occupied–virtual blocks. */
  maxOffDiagonalFock: { occOcc: number; virVir: number; occVir: number };
}

/** Options shared by the closed-shell methods. */
export interface ClosedShellOptions {
  /**
   * Lowest occupied orbitals to leave uncorrelated (default 0). Use this for a Hamiltonian that still
   * contains its core orbitals; a frozen-core Hamiltonian from molecularHamiltonianFromScf needs none.
   */
  frozenOrbitals?: number;
  /**
   * Largest off-diagonal Fock element (Hartree) tolerated in the occupied–occupied, virtual–virtual
   * and occupied–virtual blocks before the orbitals count as non-canonical (default 1e-6).
   */
  canonicalTolerance?: number;
}

/** Build the Fock matrix and reference energy; validate closed shell and frozen count. */
export function closedShellReference(ham: MolecularHamiltonian, frozenOrbitals = 0, method = 'MP2'): ClosedShellReference {
  const n = ham.nOrbitals;
  if (ham.nAlpha !== ham.nBeta) {
    throw new InputError(
      `${method} here needs a closed-shell RHF reference (nAlpha = nBeta), got nAlpha=${ham.nAlpha}, nBeta=${ham.nBeta}; use runUmp2 on a UHF result for open shells`,
    );
  }
  const nOcc = ham.nAlpha;
  if (!Number.isInteger(frozenOrbitals) || frozenOrbitals < 0 || frozenOrbitals > nOcc) {
    throw new InputError(`frozenOrbitals must be an integer between 0 and ${nOcc} (occupied orbitals), got ${frozenOrbitals}`);
  }
  if (nOcc > n) throw new InputError(`${nOcc} doubly occupied orbitals do not fit into ${n} orbitals`);
  const h = ham.oneBody;
  const g = ham.twoBody;
  const n2 = n * n;
  const n3 = n2 * n;
  const fock = new Float64Array(n2);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      let f = h[p * n + q];
      for (let i = 0; i < nOcc; i++) f += 2 * g[p * n3 + q * n2 + i * n + i] - g[p * n3 + i * n2 + i * n + q];
      fock[p * n + q] = f;
    }
  }
  let eRef = ham.constantHartree;
  for (let i = 0; i < nOcc; i++) eRef += h[i * n + i] + fock[i * n + i];
  return closedShellReferenceFromFock(n, nOcc, frozenOrbitals, fock, eRef, method);
}

/**
 * The reference from an n×n Fock matrix over all orbitals (the lowest nOcc doubly occupied) and its
 * energy: orbital partition, diagonal energies of the correlated orbitals and the largest
 * off-diagonal elements per block.
 * @throws InputError for an impossible frozen count.
 */
export function closedShellReferenceFromFock(
  n: number,
  nOcc: number,
  frozenOrbitals: number,
  fock: Float64Array,
  referenceEnergyHartree: number,
  method: string,
): ClosedShellReference {
  if (!Number.isInteger(frozenOrbitals) || frozenOrbitals < 0 || frozenOrbitals > nOcc) {
    throw new InputError(`${method}: frozenOrbitals must be an integer between 0 and ${nOcc} (occupied orbitals), got ${frozenOrbitals}`);
  }
  let occOcc = 0;
  let virVir = 0;
  let occVir = 0;
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      if (p === q) continue;
      const v = Math.abs(fock[p * n + q]);
      if (p < nOcc && q < nOcc) occOcc = Math.max(occOcc, v);
      else if (p >= nOcc && q >= nOcc) virVir = Math.max(virVir, v);
      else occVir = Math.max(occVir, v);
    }
  }
  const o = nOcc - frozenOrbitals;
  const v = n - nOcc;
  const occupiedEnergies = new Float64Array(o);
  for (let i = 0; i < o; i++) occupiedEnergies[i] = fock[(i + frozenOrbitals) * (n + 1)];
  const virtualEnergies = new Float64Array(v);
  for (let a = 0; a < v; a++) virtualEnergies[a] = fock[(a + nOcc) * (n + 1)];
  return {
    nOrbitals: n,
    nOccupied: nOcc,
    nFrozen: frozenOrbitals,
    nActiveOccupied: o,
    nVirtual: v,
    fock,
    referenceEnergyHartree,
    occupiedEnergies,
    virtualEnergies,
    maxOffDiagonalFock: { occOcc, virVir, occVir },
  };
}

/** Throw a clear InputError when the Fock matrix is not diagonal within tolerance. */
export function requireCanonical(ref: ClosedShellReference, tolerance: number, method: string): void {
  const { occOcc, virVir, occVir } = ref.maxOffDiagonalFock;
  const worst = Math.max(occOcc, virVir, occVir);
  if (!(worst <= tolerance)) {
    throw new InputError(
      `${method} needs canonical RHF orbitals: the Fock matrix built from the Hamiltonian has off-diagonal elements ` +
        `up to ${occOcc.toExponential(2)} (occ–occ), ${virVir.toExponential(2)} (vir–vir), ${occVir.toExponential(2)} (occ–vir) ` +
        `Hartree, above canonicalTolerance ${tolerance.toExponential(1)}. Build the Hamiltonian from converged RHF orbitals ` +
        `(molecularHamiltonianFromScf) or raise canonicalTolerance.`,
    );
  }
}

/**
 * Copy the sub-block of the n⁴ two-body array with index ranges [start, start+len) for each of the
 * four positions p,q,r,s into a dense row-major array.
 */
export function extractBlock(
  g: Float64Array,
  n: number,
  p0: number,
  np: number,
  q0: number,
  nq: number,
  r0: number,
  nr: number,
  s0: number,
  ns: number,
): Float64Array {
  const out = new Float64Array(np * nq * nr * ns);
  let x = 0;
  for (let p = 0; p < np; p++)
    for (let q = 0; q < nq; q++)
      for (let r = 0; r < nr; r++) {
        const base = (((p + p0) * n + q + q0) * n + r + r0) * n + s0;
        for (let s = 0; s < ns; s++) out[x++] = g[base + s];
      }
  return out;
}

/** The dense integral blocks used by CCSD and (T); see the file header for layouts. */
export interface ClosedShellBlocks {
  ovov: Float64Array;
  oovv: Float64Array;
  ovoo: Float64Array;
  ovvv: Float64Array;
  oooo: Float64Array;
  /** [ab, cd] = (ac|bd) + (ad|bc) over pairs a ≤ b, c ≤ d (see the file header). */
  vvvvPlus: Float64Array;
  /** [ab, cd] = (ac|bd) − (ad|bc) over pairs a < b, c < d. */
  vvvvMinus: Float64Array;
}

/** Index of the pair a ≤ b among v(v+1)/2 (column-major upper triangle: b(b+1)/2 + a). */
export function pairPlus(a: number, b: number): number {
  return (b * (b + 1)) / 2 + a;
}

/** Index of the pair a < b among v(v−1)/2: b(b−1)/2 + a. */
export function pairMinus(a: number, b: number): number {
  return (b * (b - 1)) / 2 + a;
}

/** Extract every block CCSD needs, once. */
export function closedShellBlocks(ham: MolecularHamiltonian, ref: ClosedShellReference): ClosedShellBlocks {
  const n = ham.nOrbitals;
  const g = ham.twoBody;
  const O = ref.nFrozen;
  const o = ref.nActiveOccupied;
  const V = ref.nOccupied;
  const v = ref.nVirtual;
  // Ladder matrices over virtual pairs: the τ± split of the particle–particle ladder halves its work.
  const nPlus = (v * (v + 1)) / 2;
  const nMinus = (v * (v - 1)) / 2;
  const vvvvPlus = new Float64Array(nPlus * nPlus);
  const vvvvMinus = new Float64Array(nMinus * nMinus);
  const n2 = n * n;
  const n3 = n2 * n;
  for (let b = 0; b < v; b++)
    for (let a = 0; a <= b; a++) {
      const rowPlus = pairPlus(a, b) * nPlus;
      const rowMinus = pairMinus(a, b) * nMinus;
      const aB = (a + V) * n3 + (b + V) * n;
      for (let d = 0; d < v; d++)
        for (let c = 0; c <= d; c++) {
          const acbd = g[aB + (c + V) * n2 + d + V];
          const adbc = g[aB + (d + V) * n2 + c + V];
          vvvvPlus[rowPlus + pairPlus(c, d)] = acbd + adbc;
          if (a < b && c < d) vvvvMinus[rowMinus + pairMinus(c, d)] = acbd - adbc;
        }
    }
  return {
    ovov: extractBlock(g, n, O, o, V, v, O, o, V, v),
    oovv: extractBlock(g, n, O, o, O, o, V, v, V, v),
    ovoo: extractBlock(g, n, O, o, V, v, O, o, O, o),
    ovvv: extractBlock(g, n, O, o, V, v, V, v, V, v),
    oooo: extractBlock(g, n, O, o, O, o, O, o, O, o),
    vvvvPlus,
    vvvvMinus,
  };
}
