/**
 * The FCI (or CASCI) one-particle density in the AO basis, and the dipole moment it gives.
 *
 * The Hamiltonian of an SCF with k frozen (inactive) orbitals and an active window of m orbitals
 * spans MOs k … k+m−1 of the SCF's α coefficients (molecularHamiltonianFromScf's layout); the
 * inactive orbitals are doubly occupied in every determinant. With C the nBasis×nOrbitals MO
 * coefficients (row-major, column p = MO p) and γ the spin-summed active 1-RDM (fciOneRdm):
 *
 *   D_μν = 2 Σ_{i<k} C_μi C_νi + Σ_{p,q<m} C_μ,k+p γ_pq C_ν,k+q,
 *
 * and μ = Σ_A Z_A (R_A − O) − Σ_μν D_μν ⟨μ|r − O|ν⟩ (dipoleFromAoDensity). Atomic units (e·Bohr),
 * about `originBohr` (default the coordinate origin of the SCF's molecule).
 */
import { InputError } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import { type DipoleMoment, type ScfResult, dipoleFromAoDensity } from '../scf/index.js';
import type { FciResult } from './fci.js';
import { fciOneRdm } from './fci-rdm.js';

/**
 * Total (α + β) AO density of FCI root `root` of `ham`, which must be the MO Hamiltonian of `scf`
 * (its inactive orbitals are the lowest scf.nAlpha − ham.nAlpha MOs, doubly occupied).
 * @throws InputError when the Hamiltonian does not fit the SCF's orbitals and electron counts
 */
export function fciAoDensity(scf: ScfResult, ham: MolecularHamiltonian, result: FciResult, root = 0): Float64Array {
  const k = scf.nAlpha - ham.nAlpha;
  const m = ham.nOrbitals;
  if (k < 0 || scf.nBeta - ham.nBeta !== k || k + m > scf.nOrbitals) {
    throw new InputError(
      `FCI density: a Hamiltonian of ${m} orbitals with ${ham.nAlpha}α/${ham.nBeta}β electrons is not an orbital window of this SCF (${scf.nOrbitals} orbitals, ${scf.nAlpha}α/${scf.nBeta}β)`,
    );
  }
  const gamma = fciOneRdm(ham, result, root);
  const n = scf.nBasis;
  const nMo = scf.nOrbitals;
  const C = scf.coefficientsAlpha;
  // T = C_active γ (n×m), then D = T C_activeᵀ + 2 C_inactive C_inactiveᵀ
  const t = new Float64Array(n * m);
  for (let mu = 0; mu < n; mu++) {
    for (let p = 0; p < m; p++) {
      const cmp = C[mu * nMo + k + p];
      if (cmp === 0) continue;
      for (let q = 0; q < m; q++) t[mu * m + q] += cmp * gamma[p * m + q];
    }
  }
  const d = new Float64Array(n * n);
  for (let mu = 0; mu < n; mu++) {
    for (let nu = 0; nu < n; nu++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += 2 * C[mu * nMo + i] * C[nu * nMo + i];
      for (let q = 0; q < m; q++) s += t[mu * m + q] * C[nu * nMo + k + q];
      d[mu * n + nu] = s;
    }
  }
  return d;
}

/**
 * Dipole moment of FCI root `root` of `ham` (the MO Hamiltonian of `scf`, frozen core or active
 * space included) about `originBohr` (default the coordinate origin of scf.molecule).
 */
export function fciDipole(
  scf: ScfResult,
  ham: MolecularHamiltonian,
  result: FciResult,
  options: { root?: number; originBohr?: ArrayLike<number> } = {},
): DipoleMoment {
  const d = fciAoDensity(scf, ham, result, options.root ?? 0);
  return dipoleFromAoDensity(scf.molecule, scf.basis, d, options.originBohr);
}
