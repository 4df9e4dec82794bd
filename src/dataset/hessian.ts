/**
 * The RHF Cartesian Hessian for normal-mode sampling: central differences of analytic RHF gradients,
 * H[i][j] = (g_i(x + h e_j) − g_i(x − h e_j)) / 2h with h = {@link HESSIAN_STEP_BOHR}, symmetrised as
 * (H + Hᵀ)/2. Layout 3N × 3N row-major, Hartree/Bohr², atom a at rows/columns 3a … 3a+2.
 */
import type { Molecule } from '../chem/index.js';
import { centerMolecule } from '../chem/index.js';
import { buildMolecularBasis, loadBasisLibrary } from '../basis/index.js';
import { runRhf, scfGradient } from '../scf/index.js';

/** Finite-difference step of the Hessian, Bohr. */
export const HESSIAN_STEP_BOHR = 1e-3;

function rhfGradientAt(molecule: Molecule, basisName: string): Float64Array {
  const centred = centerMolecule(molecule);
  const scf = runRhf(centred, buildMolecularBasis(centred, loadBasisLibrary(basisName)));
  return scfGradient(scf);
}

/** RHF Hessian of `molecule` in basis `basisName` (6N gradient evaluations). */
export function rhfHessian(molecule: Molecule, basisName: string): Float64Array {
  const n = molecule.positionsBohr.length;
  const hessian = new Float64Array(n * n);
  const positions = Float64Array.from(molecule.positionsBohr);
  for (let j = 0; j < n; j++) {
    const x = positions[j]!;
    positions[j] = x + HESSIAN_STEP_BOHR;
    const plus = rhfGradientAt({ ...molecule, positionsBohr: Float64Array.from(positions) }, basisName);
    positions[j] = x - HESSIAN_STEP_BOHR;
    const minus = rhfGradientAt({ ...molecule, positionsBohr: Float64Array.from(positions) }, basisName);
    positions[j] = x;
    for (let i = 0; i < n; i++) hessian[i * n + j] = (plus[i]! - minus[i]!) / (2 * HESSIAN_STEP_BOHR);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = 0.5 * (hessian[i * n + j]! + hessian[j * n + i]!);
      hessian[i * n + j] = s;
      hessian[j * n + i] = s;
    }
  }
  return hessian;
}
