/**
 * Units of the exports. Energies in eV and forces in eV/Å follow ASE's conventions; the Hartree value
 * is the CODATA 2018 one (27.211386245988 eV), the Bohr radius the CODATA 2014 one qde uses for
 * geometries (0.52917721067 Å), so positions round-trip exactly with qde's own Å input.
 */
import { BOHR_IN_ANGSTROM } from '../../core/index.js';

/** 1 Hartree in eV (CODATA 2018). */
export const EXPORT_HARTREE_IN_EV = 27.211386245988;
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
