/**
 * Physical constants and unit conversions. qde works in atomic units (Bohr, Hartree) inside;
 * these constants are used only at input/output edges.
 *
 * The Bohr radius is CODATA 2014, the value Psi4 1.3 uses, so geometries given in Ångström map to
 * the same Bohr coordinates as in the reference calculations (CODATA 2018 would move energies by
 * up to ~3e-10 Hartree).
 */

/** 1 Bohr in Ångström (CODATA 2014). */
export const BOHR_IN_ANGSTROM = 0.52917721067;
/** 1 Ångström in Bohr. */
export const ANGSTROM_IN_BOHR = 1 / BOHR_IN_ANGSTROM;
/** 1 Hartree in kcal/mol. */
export const HARTREE_IN_KCAL_PER_MOL = 627.509474;
/** 1 Hartree in electronvolt (CODATA 2014). */
export const HARTREE_IN_EV = 27.21138602;
/** 1 Hartree in milli-electronvolt. */
export const HARTREE_IN_MEV = 27211.38602;
/** Atomic unit of electric dipole moment in Debye. */
export const AU_DIPOLE_IN_DEBYE = 2.541746473;
/** Unified atomic mass unit (dalton) in electron masses (CODATA 2014). */
export const DALTON_IN_ELECTRON_MASS = 1822.888486192;
/** Boltzmann constant in Hartree per kelvin (CODATA 2014). */
export const BOLTZMANN_HARTREE_PER_KELVIN = 3.1668105e-6;
/** 1 Hartree in cm⁻¹ (CODATA 2014); an angular frequency in atomic units times this is a wavenumber. */
export const HARTREE_IN_WAVENUMBER = 219474.6313702;
