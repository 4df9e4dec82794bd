/**
 * Electric dipole moments from AO one-particle densities.
 *
 *   μ = μ_nuc + μ_el,   μ_nuc = Σ_A Z_A (R_A − O),   μ_el = −Σ_μν D_μν ⟨μ| r − O |ν⟩,
 *
 * D the total (α + β) AO density, O the origin. Atomic units (e·Bohr) inside; Debye only in the
 * `…Debye` field. The default origin is the coordinate origin of the molecule's positions (what
 * Psi4 uses with no_com/no_reorient). A neutral molecule's dipole does not depend on the origin; a
 * charged one's changes by −q·ΔO when the origin moves by ΔO.
 */
import { AU_DIPOLE_IN_DEBYE, InputError } from '../core/index.js';
import type { Molecule } from '../chem/index.js';
import type { MolecularBasis } from '../basis/index.js';
import { dipoleMatrices } from '../integrals/index.js';
import type { ScfResult } from './types.js';

/** A dipole moment and its parts. */
export interface DipoleMoment {
  /** −Σ D ⟨μ|r − O|ν⟩, x y z, e·Bohr. */
  readonly electronicAu: Float64Array;
  /** Σ Z_A (R_A − O), x y z, e·Bohr. */
  readonly nuclearAu: Float64Array;
  /** electronic + nuclear, x y z, e·Bohr. */
  readonly totalAu: Float64Array;
  /** |total| in e·Bohr. */
  readonly magnitudeAu: number;
  /** total in Debye. */
  readonly totalDebye: Float64Array;
  /** |total| in Debye. */
  readonly magnitudeDebye: number;
  /** The origin O, Bohr. */
  readonly originBohr: Float64Array;
}

/**
 * Dipole moment of `molecule` with the total AO one-particle density `densityAo` (n×n row-major,
 * α + β, e.g. a correlated 1-RDM transformed back to the AO basis by the caller) about `originBohr`
 * (default the coordinate origin).
 * @throws InputError when the density does not have n×n entries for the basis.
 */
export function dipoleFromAoDensity(
  molecule: Molecule,
  basis: MolecularBasis,
  densityAo: Float64Array,
  originBohr: ArrayLike<number> = [0, 0, 0],
): DipoleMoment {
  const n = basis.nFunctions;
  if (densityAo.length !== n * n) {
    throw new InputError(`AO density has ${densityAo.length} entries; basis ${basis.name} needs ${n}×${n} = ${n * n}`);
  }
  const origin = Float64Array.from(originBohr);
  const ints = dipoleMatrices(basis, origin);
  const electronicAu = new Float64Array(3);
  const mats = [ints.x, ints.y, ints.z];
  for (let d = 0; d < 3; d++) {
    const m = mats[d];
    let s = 0;
    for (let i = 0; i < n * n; i++) s += densityAo[i] * m[i];
    electronicAu[d] = -s;
  }
  const nuclearAu = new Float64Array(3);
  const z = molecule.atomicNumbers;
  const r = molecule.positionsBohr;
  for (let a = 0; a < z.length; a++) for (let d = 0; d < 3; d++) nuclearAu[d] += z[a] * (r[3 * a + d] - origin[d]);
  const totalAu = new Float64Array(3);
  for (let d = 0; d < 3; d++) totalAu[d] = electronicAu[d] + nuclearAu[d];
  const magnitudeAu = Math.hypot(totalAu[0], totalAu[1], totalAu[2]);
  return {
    electronicAu,
    nuclearAu,
    totalAu,
    magnitudeAu,
    totalDebye: totalAu.map((v) => v * AU_DIPOLE_IN_DEBYE),
    magnitudeDebye: magnitudeAu * AU_DIPOLE_IN_DEBYE,
    originBohr: origin,
  };
}

/**
 * Dipole moment of a converged SCF determinant (RHF, UHF or ROHF) about `originBohr` (default the
 * coordinate origin; see the file header for charged molecules).
 */
export function scfDipole(scf: ScfResult, basis: MolecularBasis = scf.basis, originBohr?: ArrayLike<number>): DipoleMoment {
  const nn = scf.nBasis * scf.nBasis;
  const total = new Float64Array(nn);
  for (let i = 0; i < nn; i++) total[i] = scf.densityAlpha[i] + scf.densityBeta[i];
  return dipoleFromAoDensity(scf.molecule, basis, total, originBohr);
}
