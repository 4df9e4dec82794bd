/**
 * Coupled-cluster entry points: closed-shell references (nAlpha = nBeta) go to the spin-adapted
 * RHF-CCSD / CCSD(T) (ccsd.ts, ccsd-t.ts), open shells (nAlpha ≠ nBeta, e.g. ROHF orbitals) to the
 * spin-orbital code (so-ccsd.ts), so callers need not choose. An RHF result is also accepted: its
 * CC integral blocks are transformed from the AO integrals directly (cc-transform.ts); other SCF
 * results go through their MO Hamiltonian.
 */
import { molecularHamiltonianFromScf, type MolecularHamiltonian } from '../hamiltonian/index.js';
import type { ScfResult } from '../scf/index.js';
import { isScfResult } from './cc-transform.js';
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
export function runCcsd(input: MolecularHamiltonian | ScfResult, options: CcsdOptions = {}): CcsdResult {
  if (isScfResult(input)) {
    return closedShellScf(input) ? runClosedShellCcsd(input, options) : runSpinOrbitalCcsd(molecularHamiltonianFromScf(input), options);
  }
  return input.nAlpha === input.nBeta ? runClosedShellCcsd(input, options) : runSpinOrbitalCcsd(input, options);
}

/** An RHF result goes to the spin-adapted code straight from the AO integrals. */
function closedShellScf(scf: ScfResult): boolean {
  return scf.method === 'rhf' && scf.nAlpha === scf.nBeta;
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
export function runCcsdT(input: MolecularHamiltonian | ScfResult, options: CcsdOptions = {}): CcsdTResult {
  if (isScfResult(input)) {
    return closedShellScf(input) ? runClosedShellCcsdT(input, options) : runSpinOrbitalCcsdT(molecularHamiltonianFromScf(input), options);
  }
  return input.nAlpha === input.nBeta ? runClosedShellCcsdT(input, options) : runSpinOrbitalCcsdT(input, options);
}
