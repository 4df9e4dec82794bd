/**
 * Geometry helpers shared by the samplers: covalent radii, connectivity, the atoms on one side of
 * a bond, ranges drawn with the seeded generator and the molecule built from sampled positions.
 * Positions are flat Float64Arrays in Bohr, atom i at [3i, 3i+1, 3i+2].
 */
import { ANGSTROM_IN_BOHR, InputError, type Random } from '../../core/index.js';
import { createMolecule, moleculeFormula, type Molecule } from '../molecule.js';
import type { SampleRange } from './spec.js';

/** Single-bond covalent radii in Å, H–Kr (Cordero et al., Dalton Trans. 2008, 2832; sp³ C, low-spin Mn–Co). */
const COVALENT_RADII_ANGSTROM: readonly number[] = [
  0,
  0.31, 0.28,
  1.28, 0.96, 0.84, 0.76, 0.71, 0.66, 0.57, 0.58,
  1.66, 1.41, 1.21, 1.11, 1.07, 1.05, 1.02, 1.06,
  2.03, 1.76, 1.7, 1.6, 1.53, 1.39, 1.39, 1.32, 1.26, 1.24, 1.32, 1.22,
  1.22, 1.2, 1.19, 1.2, 1.2, 1.16,
];

/** Two atoms are bonded when closer than this factor times the sum of their covalent radii. */
export const BOND_TOLERANCE = 1.25;

/** Covalent radius of element `z` in Bohr. */
export function covalentRadiusBohr(z: number): number {
  const r = COVALENT_RADII_ANGSTROM[z];
  if (r === undefined || r === 0) throw new InputError(`no covalent radius for atomic number ${z}`);
  return r * ANGSTROM_IN_BOHR;
}

/** Distance between atoms i and j of flat Bohr positions. */
export function distance(p: ArrayLike<number>, i: number, j: number): number {
  const dx = p[3 * i]! - p[3 * j]!;
  const dy = p[3 * i + 1]! - p[3 * j + 1]!;
  const dz = p[3 * i + 2]! - p[3 * j + 2]!;
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

/** Bond matrix (n × n, 1 where bonded) of a molecule by covalent radii. */
export function bondMatrix(m: Molecule): Uint8Array {
  const n = m.atomicNumbers.length;
  const bonded = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = covalentRadiusBohr(m.atomicNumbers[i]!);
    for (let j = 0; j < i; j++) {
      const cutoff = BOND_TOLERANCE * (ri + covalentRadiusBohr(m.atomicNumbers[j]!));
      if (distance(m.positionsBohr, i, j) < cutoff) {
        bonded[i * n + j] = 1;
        bonded[j * n + i] = 1;
      }
    }
  }
  return bonded;
}

/**
 * The atoms reached from `to` without crossing the bond `from`–`to` (a mask with `to` set), or null
 * when `from` is reached too (the bond is in a ring, so there is no side to move).
 */
export function bondSide(bonded: Uint8Array, n: number, from: number, to: number): Uint8Array | null {
  const mask = new Uint8Array(n);
  const stack = [to];
  mask[to] = 1;
  while (stack.length > 0) {
    const a = stack.pop()!;
    for (let b = 0; b < n; b++) {
      if (bonded[a * n + b] === 0 || mask[b] === 1) continue;
      if (a === to && b === from) continue;
      if (b === from) return null;
      mask[b] = 1;
      stack.push(b);
    }
  }
  return mask;
}

/** Atoms that move when the coordinate ending at `to` changes: `to` alone or its side of the bond. */
export function movingAtoms(m: Molecule, from: number, to: number, move: 'atom' | 'fragment'): Uint8Array {
  const n = m.atomicNumbers.length;
  if (move === 'fragment') {
    const side = bondSide(bondMatrix(m), n, from, to);
    if (side !== null) return side;
  }
  const only = new Uint8Array(n);
  only[to] = 1;
  return only;
}

/** Draw a value from a range: the number itself, or uniform in [min, max]. */
export function drawRange(range: SampleRange, random: Random): number {
  return typeof range === 'number' ? range : random.uniform(range[0], range[1]);
}

/** Check that a range is finite, within (lo, hi] and ordered; `what` names it in the error. */
export function requireRange(range: SampleRange | undefined, what: string, lo: number, hi: number): SampleRange {
  if (range === undefined) throw new InputError(`${what} is required`);
  const values = typeof range === 'number' ? [range] : [range[0], range[1]];
  if (typeof range !== 'number' && (!Array.isArray(range) || range.length !== 2)) {
    throw new InputError(`${what} must be a number or [min, max]`);
  }
  for (const v of values) {
    if (!Number.isFinite(v) || v <= lo || v > hi) throw new InputError(`${what} must lie in (${lo}, ${hi}], got ${v}`);
  }
  if (values.length === 2 && values[0]! > values[1]!) throw new InputError(`${what}: min ${values[0]} exceeds max ${values[1]}`);
  return range;
}

/** Check a positive integer option. */
export function requireCount(value: number, what: string, min = 1): number {
  if (!Number.isInteger(value) || value < min) throw new InputError(`${what} must be an integer ≥ ${min}, got ${value}`);
  return value;
}

/** Check that `atom` is a 0-based index of an atom of `m`. */
export function requireAtomIndex(m: Molecule, atom: number, what: string): number {
  const n = m.atomicNumbers.length;
  if (!Number.isInteger(atom) || atom < 0 || atom >= n) {
    throw new InputError(`${what}: atom index ${atom} is not in 0..${n - 1}`);
  }
  return atom;
}

/** A sampled molecule: the base's elements, charge and multiplicity at new positions, validated. */
export function moleculeAt(base: Molecule, positionsBohr: Float64Array, title: string): Molecule {
  return createMolecule({
    atomicNumbers: base.atomicNumbers,
    positionsBohr,
    charge: base.charge,
    multiplicity: base.multiplicity,
    title,
  });
}

/** The base molecule's formula, for the titles of its samples. */
export function baseName(m: Molecule): string {
  return moleculeFormula(m);
}
