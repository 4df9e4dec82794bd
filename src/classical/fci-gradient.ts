/**
 * Analytic nuclear gradient of a full CI over every orbital of the basis.
 *
 * When the CI space holds every molecular orbital, its energy does not change under any rotation of
 * the orbitals (the CI vector follows), so the orbitals need no response equations: only their
 * orthonormality, CᵀSC = 1, moves with the nuclei. With γ and Γ the spin-summed 1- and 2-RDMs of the
 * root (fci-rdm.ts), h and (pq|rs) the MO integrals of the Hamiltonian, and C its orbitals,
 *
 *   dE/dX = dV_nn/dX + Σ D_μν dh_μν/dX + Σ Γ^AO_μνλσ d(μν|λσ)/dX − Σ W_μν dS_μν/dX,
 *   D = C γ Cᵀ,   Γ^AO = ½ (C⊗C⊗C⊗C) Γ,   W = C F Cᵀ,
 *   F_pr = Σ_q γ_pq h_rq + Σ_qst Γ_pqst (rq|st)   (the generalised Fock matrix; symmetric at a CI root).
 *
 * The last term is the orthonormality constraint: an orbital change C → C(1 + U) with U + Uᵀ = −CᵀS'C
 * changes the energy by 2 Σ U_rp F_pr, and the antisymmetric part of U contributes nothing. For a
 * determinant it is the familiar energy-weighted density of the SCF gradient. A frozen core or an
 * active window is not invariant in this way (it would need the orbital response) and is refused.
 */
import { InputError, matMul, matMulNT, matMulTN, transformBack, transpose } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import { oneElectronGradientTerms, twoElectronGradientOfDensity } from '../integrals/index.js';
import { type ScfResult, nuclearRepulsionGradient } from '../scf/index.js';
import type { FciResult } from './fci.js';
import { fciRdms } from './fci-rdm.js';

/** Whether `ham` is the Hamiltonian of every orbital of `scf`, the case {@link fciGradient} covers. */
export function fciGradientApplies(scf: ScfResult, ham: MolecularHamiltonian): boolean {
  return ham.nOrbitals === scf.nBasis && scf.nOrbitals === scf.nBasis && ham.nAlpha === scf.nAlpha && ham.nBeta === scf.nBeta;
}

/**
 * dE/dX of FCI root `root` of `ham`, the MO Hamiltonian of every orbital of `scf` (no frozen core,
 * no active window, no orbital dropped): 3 per atom of scf.molecule, Hartree/Bohr. Its accuracy
 * follows the CI vector's: a residual of r leaves an error of order r in the gradient, not r². A
 * vector that mixes (nearly) degenerate states gets their weighted mean, the gradient of no state.
 * @throws InputError when the Hamiltonian does not span every orbital of the SCF
 */
export function fciGradient(scf: ScfResult, ham: MolecularHamiltonian, result: FciResult, root = 0): Float64Array {
  if (!fciGradientApplies(scf, ham)) {
    throw new InputError(
      `analytic FCI gradient: needs the Hamiltonian of every orbital of the SCF (${scf.nBasis} basis functions, ${scf.nOrbitals} orbitals, ` +
        `${scf.nAlpha}α/${scf.nBeta}β); this one has ${ham.nOrbitals} orbitals and ${ham.nAlpha}α/${ham.nBeta}β — a frozen core or active window needs the orbital response`,
    );
  }
  const { oneRdm: gamma, twoRdm: big } = fciRdms(ham, result, root);
  const n = ham.nOrbitals;
  const n2 = n * n;
  const h = ham.oneBody;
  const eri = ham.twoBody;
  const C = scf.coefficientsAlpha;
  // generalised Fock matrix F = γ h + Γ (ERI)ᵀ, Γ and the ERIs as n × n³ matrices (h is symmetric),
  // symmetrised
  const f = matMul(gamma, h, n, n, n);
  const f2 = matMulNT(big, eri, n, n2 * n, n);
  const x = new Float64Array(n2);
  for (let p = 0; p < n; p++) for (let r = 0; r < n; r++) x[p * n + r] = 0.5 * (f[p * n + r] + f2[p * n + r] + f[r * n + p] + f2[r * n + p]);
  const density = transformBack(gamma, C, n, n);
  const weights = transformBack(x, C, n, n);
  // Γ^AO = ½ (C⊗C⊗C⊗C) Γ, one index at a time: with Γ as n × n³, Γᵀ Cᵀ takes the first index to
  // the AO basis and moves it last, so four such products transform every index and restore the order
  const cT = transpose(C, n, n);
  let a: Float64Array = Float64Array.from(big, (v) => 0.5 * v);
  for (let step = 0; step < 4; step++) a = matMulTN(a, cT, n, n2 * n, n);
  const one = oneElectronGradientTerms(scf.basis, scf.molecule, density, weights);
  const two = twoElectronGradientOfDensity(scf.basis, scf.molecule, a);
  const grad = nuclearRepulsionGradient(scf.molecule);
  for (let i = 0; i < grad.length; i++) grad[i] += one.kinetic[i] + one.potential[i] - one.overlap[i] + two[i];
  return grad;
}

