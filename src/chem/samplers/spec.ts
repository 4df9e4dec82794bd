/**
 * Geometry-sampler specifications: plain, JSON-serialisable descriptions of how to make a set of
 * geometries from a base molecule (or, for hydrogen chains and rings, from nothing). Lengths are in
 * Ångström and angles in degrees here, at the edge; the samplers work in Bohr and radians inside.
 * Atom indices are 0-based.
 *
 * A length or angle "range" is either one number (every sample uses it) or `[min, max]` (each sample
 * draws it uniformly from the interval with the seeded generator).
 */
import type { Molecule } from '../molecule.js';

/** One value or a `[min, max]` interval to draw uniformly from. */
export type SampleRange = number | readonly [number, number];

/**
 * A bond scan: the distance between atoms `atoms[0]` and `atoms[1]` set to each of `steps` evenly
 * spaced values from `fromAngstrom` to `toAngstrom` (both included).
 */
export interface BondScanSpec {
  kind: 'scan';
  coordinate: 'bond';
  atoms: readonly [number, number];
  fromAngstrom: number;
  toAngstrom: number;
  /** Number of geometries (≥ 1; 1 gives `fromAngstrom` only). */
  steps: number;
  /**
   * What moves: `'atom'` moves atom j alone; `'fragment'` (default) moves every atom on j's side of
   * the i–j bond (the atoms bonded to j when that bond is cut, by covalent radii), so the rest of
   * the molecule keeps its internal geometry. When the bond is part of a ring, j's side would
   * contain i: the scan then falls back to moving j alone.
   */
  move?: 'atom' | 'fragment';
}

/**
 * An angle scan: the angle i–j–k (vertex j) set to each of `steps` evenly spaced values from
 * `fromDegrees` to `toDegrees` (both included, each in (0, 180)), rotating k (or k's side of the
 * j–k bond, as {@link BondScanSpec.move}) about the axis through j normal to the i–j–k plane.
 */
export interface AngleScanSpec {
  kind: 'scan';
  coordinate: 'angle';
  atoms: readonly [number, number, number];
  fromDegrees: number;
  toDegrees: number;
  steps: number;
  move?: 'atom' | 'fragment';
}

/** Bond or angle scan. */
export type ScanSamplerSpec = BondScanSpec | AngleScanSpec;

/** Seeded random Cartesian displacements: every coordinate moved by a Gaussian of width `sigmaAngstrom`. */
export interface DisplacementSamplerSpec {
  kind: 'displacements';
  /** Number of geometries. */
  count: number;
  /** Standard deviation of each Cartesian displacement, Å. */
  sigmaAngstrom: number;
  /** Subtract the mean displacement so the centroid does not move (default true). */
  removeTranslation?: boolean;
}

/**
 * Normal-mode sampling at a temperature: each vibrational mode of the base geometry's Hessian gets a
 * seeded amplitude drawn from the classical Boltzmann distribution (`'classical'`, default: ⟨V⟩ =
 * kT/2 per mode) or from the ground-plus-thermal quantum harmonic-oscillator distribution
 * (`'quantum'`: ⟨V⟩ = (ħω/4)·coth(ħω/2kT)). The Hessian comes from the sampler context
 * ({@link SamplerContext.hessianHartreePerBohr2}), so the spec stays plain data.
 */
export interface NormalModeSamplerSpec {
  kind: 'normalModes';
  count: number;
  temperatureKelvin: number;
  distribution?: 'classical' | 'quantum';
  /**
   * Modes with a harmonic wavenumber below this (cm⁻¹) are not sampled (default 50): they are
   * numerical noise of translations/rotations or soft modes whose harmonic amplitude is unphysical.
   */
  minWavenumber?: number;
}

/**
 * Hydrogen chains H_n: `'linear'` (all atoms on a line), `'zigzag'` (planar, one angle for every
 * vertex), `'dimerised'` (linear, alternating bond lengths `bondAngstrom`, `secondBondAngstrom`),
 * `'bent'` (each bond length, angle and dihedral drawn independently: angles from `angleDegrees`,
 * dihedrals uniform in (−180°, 180°]).
 */
export interface ChainSamplerSpec {
  kind: 'chain';
  /** Number of hydrogen atoms (≥ 2). */
  atoms: number;
  shape: 'linear' | 'zigzag' | 'dimerised' | 'bent';
  count: number;
  /** Bond length (first bond of each pair when dimerised), Å. */
  bondAngstrom: SampleRange;
  /** 'dimerised': the alternate bond length, Å (default: equal to `bondAngstrom`). */
  secondBondAngstrom?: SampleRange;
  /** 'zigzag' and 'bent': the H–H–H angle, degrees (required for those shapes). */
  angleDegrees?: SampleRange;
  /** Total charge (default 0). */
  charge?: number;
  /** Multiplicity (default 1 for an even electron count, 2 for an odd one). */
  multiplicity?: number;
}

/**
 * Hydrogen rings H_n in the xy plane: `'regular'` (regular polygon, equal sides), `'dimerised'`
 * (n even; alternating sides `bondAngstrom`, `secondBondAngstrom`, all atoms on one circle),
 * `'bent'` (regular polygon, each atom then moved out of plane by a uniform draw in
 * ±`puckerAngstrom`).
 */
export interface RingSamplerSpec {
  kind: 'ring';
  /** Number of hydrogen atoms (≥ 3). */
  atoms: number;
  shape: 'regular' | 'dimerised' | 'bent';
  count: number;
  bondAngstrom: SampleRange;
  secondBondAngstrom?: SampleRange;
  /** 'bent': largest out-of-plane displacement, Å (default 0.2). */
  puckerAngstrom?: number;
  charge?: number;
  multiplicity?: number;
}

/**
 * Fragments of `size` atoms cut from the base geometry: each fragment is a seed atom and its
 * `size − 1` nearest neighbours. Seed atoms are `seedAtoms` in order when given, else drawn at
 * random (without repeating a fragment). With `capHydrogens`, each covalent bond cut by the
 * fragment's edge gets a hydrogen on the bond axis at the X–H covalent distance (the fragment then
 * has more than `size` atoms). Fragments are neutral, with multiplicity 1 or 2 by electron count.
 */
export interface FragmentSamplerSpec {
  kind: 'fragments';
  size: number;
  count: number;
  seedAtoms?: readonly number[];
  capHydrogens?: boolean;
}

/** Every geometry sampler, discriminated by `kind`. */
export type SamplerSpec =
  | ScanSamplerSpec
  | DisplacementSamplerSpec
  | NormalModeSamplerSpec
  | ChainSamplerSpec
  | RingSamplerSpec
  | FragmentSamplerSpec;

/** The sampler kinds. */
export const SAMPLER_KINDS = ['scan', 'displacements', 'normalModes', 'chain', 'ring', 'fragments'] as const;
/** A sampler kind. */
export type SamplerKind = (typeof SAMPLER_KINDS)[number];

/** What a sampler needs beyond its plain spec. */
export interface SamplerContext {
  /**
   * The Cartesian Hessian of a molecule (3N × 3N, row-major, Hartree/Bohr²) at its geometry —
   * required by 'normalModes'. Typically a finite difference of analytic RHF gradients.
   */
  hessianHartreePerBohr2?: (molecule: Molecule) => Float64Array;
}
