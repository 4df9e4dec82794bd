/**
 * Analytic nuclear gradients of Hartree–Fock energies (RHF, UHF, ROHF): dE/dX for every nuclear
 * coordinate, Hartree/Bohr, Float64Array of 3 per atom (atom i at 3i … 3i+2, x y z).
 *
 * For a converged determinant with per-spin AO densities D^α, D^β (D = D^α + D^β):
 *
 *   dE/dX = dV_nn/dX + Σ_μν D_μν dH_μν/dX − Σ_μν W_μν dS_μν/dX + Σ_μνλσ Γ_μνλσ d(μν|λσ)/dX,
 *
 *   Γ_μνλσ = ½ D_μν D_λσ − ¼ Σ_σ (D^σ_μλ D^σ_νσ + D^σ_μσ D^σ_νλ)   (../integrals/eri-derivatives.ts),
 *   W = Σ_σ D^σ F^σ D^σ,   F^σ = H + J[D] − K[D^σ].
 *
 * W is the energy-weighted density: the Lagrange multipliers of orbital orthonormality. For RHF and
 * UHF, F^σ C^σ = S C^σ ε^σ makes it Σ_σ Σ_i ε^σ_i C^σ_i C^σ_iᵀ. For ROHF (one set of orbitals,
 * closed c, open o) the multipliers are ε_ij = C_iᵀ F(i) C_j with F(i) = F^α + F^β for i ∈ c and F^α
 * for i ∈ o; at the ROHF stationary point C_cᵀ F^β C_o = 0, so W = Σ_ij C_i ε_ij C_jᵀ is again
 * D^α F^α D^α + D^β F^β D^β. One formula therefore serves all three (it needs one J/K build, from
 * the result's stored integrals). dH/dX includes the Hellmann–Feynman derivative of the nuclear
 * attraction operator; dV_nn/dX_A = −Σ_B Z_A Z_B (R_A − R_B)/|R_A − R_B|³.
 */
import { InputError, matMul } from '../core/index.js';
import type { Molecule } from '../chem/index.js';
import type { MolecularBasis } from '../basis/index.js';
import { oneElectronGradientTerms, twoElectronGradient } from '../integrals/index.js';
import { buildCoulombExchange } from './jk.js';
import type { ScfResult } from './types.js';

/** Nuclear-repulsion gradient dV_nn/dX, 3 per atom (Hartree/Bohr). */
export function nuclearRepulsionGradient(molecule: Molecule): Float64Array {
  const z = molecule.atomicNumbers;
  const r = molecule.positionsBohr;
  const g = new Float64Array(3 * z.length);
  for (let a = 0; a < z.length; a++) {
    for (let b = 0; b < a; b++) {
      const dx = r[3 * a] - r[3 * b], dy = r[3 * a + 1] - r[3 * b + 1], dz = r[3 * a + 2] - r[3 * b + 2];
      const d2 = dx * dx + dy * dy + dz * dz;
      const f = (-z[a] * z[b]) / (d2 * Math.sqrt(d2));
      g[3 * a] += f * dx; g[3 * a + 1] += f * dy; g[3 * a + 2] += f * dz;
      g[3 * b] -= f * dx; g[3 * b + 1] -= f * dy; g[3 * b + 2] -= f * dz;
    }
  }
  return g;
}

/** W = Σ_σ D^σ F^σ D^σ (see the file header), n×n row-major. */
export function energyWeightedDensity(scf: ScfResult): Float64Array {
  const n = scf.nBasis;
  const nn = n * n;
  const da = scf.densityAlpha, db = scf.densityBeta;
  const total = new Float64Array(nn);
  for (let i = 0; i < nn; i++) total[i] = da[i] + db[i];
  const j = new Float64Array(nn), ka = new Float64Array(nn), kb = new Float64Array(nn);
  buildCoulombExchange(scf.eri, total, da, j, ka, db, kb);
  const w = new Float64Array(nn);
  const f = new Float64Array(nn);
  for (const [d, k] of [[da, ka], [db, kb]] as const) {
    for (let i = 0; i < nn; i++) f[i] = scf.coreHamiltonian[i] + j[i] - k[i];
    const dfd = matMul(d, matMul(f, d, n, n, n), n, n, n);
    for (let i = 0; i < nn; i++) w[i] += dfd[i];
  }
  return w;
}

/** The terms of an SCF gradient, each 3 per atom (Hartree/Bohr); `total` is their sum. */
export interface ScfGradientTerms {
  readonly nuclearRepulsion: Float64Array;
  /** Σ D dT/dX. */
  readonly kinetic: Float64Array;
  /** Σ D dV/dX (with the Hellmann–Feynman term). */
  readonly potential: Float64Array;
  /** −Σ W dS/dX. */
  readonly overlap: Float64Array;
  /** Σ Γ d(μν|λσ)/dX. */
  readonly twoElectron: Float64Array;
  readonly total: Float64Array;
}

/**
 * Every term of the analytic gradient of a converged RHF, UHF or ROHF result.
 * @throws InputError when `basis` is not the result's basis size, or the basis has g shells, or the
 *   result is density-fitted (its gradient needs the fitted derivative integrals, not implemented).
 */
export function scfGradientTerms(scf: ScfResult, basis: MolecularBasis = scf.basis): ScfGradientTerms {
  if (scf.scfType === 'df') {
    throw new InputError('analytic gradients of density-fitted SCF are not implemented; run the SCF with scfType pk or direct');
  }
  if (basis.nFunctions !== scf.nBasis) {
    throw new InputError(`basis ${basis.name} has ${basis.nFunctions} functions but the SCF result has ${scf.nBasis}`);
  }
  const molecule = scf.molecule;
  const n = scf.nBasis;
  const total = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) total[i] = scf.densityAlpha[i] + scf.densityBeta[i];
  const w = energyWeightedDensity(scf);
  const one = oneElectronGradientTerms(basis, molecule, total, w);
  // A closed shell passes one array twice, which the two-electron code treats as equal spins.
  const beta = scf.method === 'rhf' ? scf.densityAlpha : scf.densityBeta;
  const twoElectron = twoElectronGradient(basis, molecule, scf.densityAlpha, beta);
  const nuclearRepulsion = nuclearRepulsionGradient(molecule);
  const overlap = one.overlap.map((v) => -v);
  const sum = new Float64Array(nuclearRepulsion.length);
  for (let i = 0; i < sum.length; i++) sum[i] = nuclearRepulsion[i] + one.kinetic[i] + one.potential[i] + overlap[i] + twoElectron[i];
  return { nuclearRepulsion, kinetic: one.kinetic, potential: one.potential, overlap, twoElectron, total: sum };
}

/** Analytic gradient of any converged Hartree–Fock result (3 per atom, Hartree/Bohr). */
export function scfGradient(scf: ScfResult, basis: MolecularBasis = scf.basis): Float64Array {
  return scfGradientTerms(scf, basis).total;
}

function requireMethod(scf: ScfResult, method: ScfResult['method']): void {
  if (scf.method !== method) throw new InputError(`${method.toUpperCase()} gradient requested for a ${scf.method.toUpperCase()} result; use scfGradient`);
}

/**
 * Analytic RHF nuclear gradient dE/dX: 3 per atom (atom i at 3i … 3i+2), Hartree/Bohr.
 * @throws InputError for a result that is not RHF, or a basis with g shells.
 */
export function rhfGradient(scf: ScfResult, basis: MolecularBasis = scf.basis): Float64Array {
  requireMethod(scf, 'rhf');
  return scfGradient(scf, basis);
}

/**
 * Analytic UHF nuclear gradient (layout as {@link rhfGradient}).
 * @throws InputError for a result that is not UHF, or a basis with g shells.
 */
export function uhfGradient(scf: ScfResult, basis: MolecularBasis = scf.basis): Float64Array {
  requireMethod(scf, 'uhf');
  return scfGradient(scf, basis);
}

/**
 * Analytic ROHF nuclear gradient (layout as {@link rhfGradient}).
 * @throws InputError for a result that is not ROHF, or a basis with g shells.
 */
export function rohfGradient(scf: ScfResult, basis: MolecularBasis = scf.basis): Float64Array {
  requireMethod(scf, 'rohf');
  return scfGradient(scf, basis);
}
