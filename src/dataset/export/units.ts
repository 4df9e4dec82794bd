/**
 * Units of the exports. Energies in eV and forces in eV/Å follow ASE's conventions, with qde's own
 * constants (CODATA 2014, as Psi4 1.3 and ASE's default `ase.units`): 1 Hartree = 27.21138602 eV and
 * 1 Bohr = 0.52917721067 Å, so positions round-trip exactly with qde's own Å input.
 */
import { BOHR_IN_ANGSTROM, HARTREE_IN_EV } from '../../core/index.js';

/** 1 Hartree in eV (CODATA 2014, qde's constant). */
export const EXPORT_HARTREE_IN_EV = HARTREE_IN_EV;
/** 1 Hartree/Bohr in eV/Å. */
export const EXPORT_HARTREE_PER_BOHR_IN_EV_PER_ANGSTROM = EXPORT_HARTREE_IN_EV / BOHR_IN_ANGSTROM;
/** 1 e·Bohr in e·Å (ASE's dipole unit). */
export const EXPORT_AU_DIPOLE_IN_E_ANGSTROM = BOHR_IN_ANGSTROM;

/** `values` times `factor`, as a new Float64Array. */
export function scaled(values: ArrayLike<number>, factor: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! * factor;
  return out;
}
