/**
 * The label record every export reads: one computed label (energy, optional forces and dipole) on
 * one geometry by one method, with its standard error and provenance. Atomic units throughout:
 * positions in Bohr (row-major, atom i at [3i, 3i+1, 3i+2]), energies in Hartree, forces in
 * Hartree/Bohr (the negative gradient, same layout as the positions), dipole in e·Bohr.
 *
 * The label store yields these records; the exporters take any iterable of them, so an export can
 * also be fed from memory or from another source.
 */

/** A JSON value (what `JSON.parse` can return). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One label of a dataset. */
export interface DatasetRecord {
  /** Content-hash key of the job that produced the label (unique in a store). */
  key: string;
  /** Content hash of the geometry (same for every label on the same geometry, charge and multiplicity). */
  geometryKey: string;
  /** Atomic number of each atom. */
  atomicNumbers: ArrayLike<number>;
  /** Positions in Bohr, length 3 × number of atoms. */
  positionsBohr: ArrayLike<number>;
  /** Total charge (elementary charges). */
  charge: number;
  /** Spin multiplicity 2S + 1. */
  multiplicity: number;
  /**
   * The rung: the method name as the method layer spells it ('hf', 'mp2', 'ccsd', 'fci', 'vqe', …).
   * Exports filter on it.
   */
  rung: string;
  /** The method spec the label was computed with, as JSON (the resolved spec when available). */
  method: JsonValue;
  /** Basis-set name, or null when not known. */
  basis: string | null;
  /** Total energy, Hartree. */
  energyHartree: number;
  /** Standard error of the energy, Hartree (0 for a deterministic method). */
  standardErrorHartree: number;
  /** Forces (−∂E/∂R) in Hartree/Bohr, length 3 × number of atoms, or null when not computed. */
  forcesHartreePerBohr: ArrayLike<number> | null;
  /** Standard error of each force component, Hartree/Bohr, or null when not computed or exact. */
  forcesStandardErrorHartreePerBohr?: ArrayLike<number> | null;
  /** Dipole moment [x, y, z] in atomic units (e·Bohr), or null when not computed. */
  dipoleAu: ArrayLike<number> | null;
  /** Provenance as JSON: qde version, resolved spec, backend, seed, host, wall time, … */
  provenance: JsonValue;
}
