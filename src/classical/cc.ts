/**
 * Coupled-cluster entry points: closed-shell references (nAlpha = nBeta) go to the spin-adapted
 * RHF-CCSD / CCSD(T) (ccsd.ts, ccsd-t.ts), open shells (nAlpha ≠ nBeta, e.g. ROHF orbitals) to the
 * spin-orbital code (so-ccsd.ts), so callers need not choose.
 */
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import { runCcsd as runClosedShellCcsd, type CcsdOptions, type CcsdResult } from './ccsd.js';
import { runCcsdT as runClosedShellCcsdT, type CcsdTResult } from './ccsd-t.js';
import { runSpinOrbitalCcsd, runSpinOrbitalCcsdT } from './so-ccsd.js';

/**
 * CCSD energy. Closed shells: spin-adapted RHF-CCSD (spatial amplitudes). Open shells: spin-orbital
 * CCSD on the Hamiltonian's orbitals (lowest nBeta doubly, next nAlpha − nBeta singly occupied, e.g.
 * ROHF; amplitudes are spin-orbital ones). `frozenOrbitals` freezes the lowest orbitals of a
 * Hamiltonian that still holds its core.
 * @throws InputError for impossible occupations or bad options.
 * @throws ConvergenceError when the amplitudes do not converge.
 */
export function runCcsd(ham: MolecularHamiltonian, options: CcsdOptions = {}): CcsdResult {
  return ham.nAlpha === ham.nBeta ? runClosedShellCcsd(ham, options) : runSpinOrbitalCcsd(ham, options);
}

/**
 * CCSD(T) energy. Closed shells: RHF-CCSD(T) on canonical RHF orbitals. Open shells: the orbitals
 * are semicanonicalised (including those `frozenOrbitals` freezes afterwards) and the spin-orbital
 * CCSD(T) with the f_ia term of Psi4's ROHF-CCSD(T) is evaluated. Psi4's frozen-core ROHF-CCSD(T)
 * freezes the lowest semicanonical orbitals: reproduce it with the full Hamiltonian and
 * `frozenOrbitals`; a frozen-core Hamiltonian freezes the ROHF core orbitals instead (about 1e-6 Eh
 * apart for first-row radicals).
 * @throws InputError for impossible occupations, non-canonical closed-shell orbitals or bad options.
 * @throws ConvergenceError when the amplitudes do not converge.
 */
export function runCcsdT(ham: MolecularHamiltonian, options: CcsdOptions = {}): CcsdTResult {
  return ham.nAlpha === ham.nBeta ? runClosedShellCcsdT(ham, options) : runSpinOrbitalCcsdT(ham, options);
}
