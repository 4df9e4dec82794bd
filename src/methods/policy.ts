/**
 * The reference policy: which mean-field solution a method is built on, and which orbitals span its
 * correlated space, for closed and open shells.
 *
 * Closed-shell singlets: RHF and canonical RHF orbitals for every method (uhf runs UHF).
 * Open shells, by default:
 *  - uhf runs UHF; mp2 runs UMP2 on the UHF determinant (in an active space: on the UHF α orbitals);
 *  - fci, vqe, adapt-vqe and qpe over all orbitals use the UHF α orbitals (full CI in the full space
 *    does not depend on the orbitals); with a frozen core or an active space they use ROHF orbitals,
 *    whose doubly occupied core is what Psi4, PySCF and Molpro freeze;
 *  - ccsd and ccsd(t) run ROHF-CCSD / ROHF-CCSD(T) as Psi4 does (spin-orbital equations on the
 *    ROHF orbitals, (T) on semicanonical orbitals);
 *  - hf needs the reference chosen (`reference: 'rohf'` for the ROHF energy, or the uhf method):
 *    an open-shell "HF" energy without saying which would be ambiguous.
 * `reference: 'uhf'` selects the UHF α orbitals for fci, vqe, adapt-vqe and qpe in any space.
 * `reference: 'rhf'` only confirms the closed-shell default (so a recorded spec can be replayed).
 */
import { InputError } from '../core/index.js';
import { type Molecule, chargeLocation, electronCount, moleculeFormula } from '../chem/index.js';
import type { MethodName, SpecKeyLabel } from './spec.js';

/** An explicitly chosen reference: 'rhf' for closed shells (the default), 'uhf' or 'rohf' for open shells. */
export type SpecReference = 'rhf' | 'uhf' | 'rohf';

/** The reference a method runs on. */
export interface ReferencePlan {
  /** The SCF to run. */
  scf: 'rhf' | 'uhf' | 'rohf';
  /** Orbitals of the correlated space (null for hf and uhf). */
  orbitals: 'rhf' | 'rohf' | 'uhf-alpha' | null;
}

/** What the policy looks at besides the method and the molecule. */
export interface ReferenceChoice {
  reference: SpecReference | null;
  frozenCore: boolean;
  active: unknown;
}

/** Open-shell methods that can run on the UHF determinant (mp2) or its α orbitals. */
const VIA_UHF: readonly MethodName[] = ['mp2', 'fci', 'vqe', 'adapt-vqe', 'qpe'];
/** Open-shell methods that can run on ROHF (hf: the ROHF energy itself). */
const VIA_ROHF: readonly MethodName[] = ['hf', 'ccsd', 'ccsd(t)', 'fci', 'vqe', 'adapt-vqe', 'qpe'];

/** True for a closed-shell singlet (even electron count, multiplicity 1). */
export function isClosedShell(molecule: Molecule): boolean {
  return molecule.multiplicity === 1 && electronCount(molecule) % 2 === 0;
}

/** The default open-shell reference of a method, or null when the method needs it chosen. */
function defaultOpenShellReference(method: MethodName, choice: ReferenceChoice): 'uhf' | 'rohf' | null {
  if (method === 'mp2') return 'uhf';
  if (method === 'ccsd' || method === 'ccsd(t)') return 'rohf';
  if (method === 'fci' || method === 'vqe' || method === 'adapt-vqe' || method === 'qpe') {
    return choice.frozenCore || choice.active ? 'rohf' : 'uhf';
  }
  return null;
}

/**
 * The reference of `method` for `molecule`.
 * @param label how messages name spec keys
 * @throws InputError when the method cannot run on the molecule's shell with the chosen reference
 */
export function referencePlan(method: MethodName, molecule: Molecule, choice: ReferenceChoice, label: SpecKeyLabel): ReferencePlan {
  const closed = isClosedShell(molecule);
  const chosen = choice.reference;
  if (method === 'uhf' || closed) {
    const natural = method === 'uhf' ? 'uhf' : 'rhf';
    if (chosen !== null && chosen !== natural) {
      throw new InputError(
        `${label('reference')} ${chosen} does not apply: ` +
          `${method === 'uhf' ? 'uhf is UHF itself' : `${moleculeFormula(molecule)} here is a closed-shell singlet (RHF)`}`,
      );
    }
    if (method === 'uhf') return { scf: 'uhf', orbitals: null };
    return { scf: 'rhf', orbitals: method === 'hf' ? null : 'rhf' };
  }
  const reference = chosen === 'rhf' ? null : (chosen ?? defaultOpenShellReference(method, choice));
  if (reference === null) {
    throw new InputError(
      `RHF needs a closed-shell singlet, but ${moleculeFormula(molecule)} with charge ${molecule.charge} has ` +
        `${electronCount(molecule)} electrons and multiplicity ${molecule.multiplicity}; use ${label('method')} uhf, or ${label('reference')} rohf`,
      chargeLocation(molecule),
    );
  }
  const allowed = reference === 'uhf' ? VIA_UHF : VIA_ROHF;
  if (!allowed.includes(method)) {
    throw new InputError(`${label('reference')} ${reference} applies to ${allowed.join(', ')}, not ${method}`);
  }
  if (reference === 'rohf') return { scf: 'rohf', orbitals: method === 'hf' ? null : 'rohf' };
  return { scf: 'uhf', orbitals: 'uhf-alpha' };
}
