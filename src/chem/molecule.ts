/**
 * The molecule contract shared by every stage: atomic numbers, Cartesian positions in Bohr
 * (row-major, atom i at [3i, 3i+1, 3i+2]), total charge and spin multiplicity 2S+1.
 */
export interface Molecule {
  /** Atomic number of each atom. */
  readonly atomicNumbers: Int32Array;
  /** Positions in Bohr, length 3 × number of atoms. */
  readonly positionsBohr: Float64Array;
  /** Total charge in units of the elementary charge. */
  readonly charge: number;
  /** Spin multiplicity 2S + 1. */
  readonly multiplicity: number;
  /** Free-text title, e.g. the XYZ comment line. */
  readonly title?: string;
}
