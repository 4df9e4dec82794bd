/**
 * The molecule contract shared by every stage: atomic numbers, Cartesian positions in Bohr
 * (row-major, atom i at [3i, 3i+1, 3i+2]), total charge and spin multiplicity 2S+1.
 *
 * `createMolecule` is the validating constructor: every Molecule that reaches the numerical stages
 * has supported elements (H–Kr), coordinates within {@link MAX_COORDINATE_ANGSTROM} of the origin,
 * no two atoms on top of each other and a charge/multiplicity pair that a real electronic state can
 * have. A molecule read from a file carries its {@link MoleculeSource} so that later stages can name
 * the file and line of an atom or of the charge in their errors.
 */
import { InputError, type InputLocation } from '../core/index.js';
import { ANGSTROM_IN_BOHR, BOHR_IN_ANGSTROM } from '../core/index.js';
import { MAX_SUPPORTED_ATOMIC_NUMBER, elementSymbol, requireSupportedElement } from './elements.js';

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
  /** Where the molecule was read from, when it was read from a file (used in error messages only). */
  readonly source?: MoleculeSource;
}

/** The file a molecule was read from and the lines of its parts (1-based). */
export interface MoleculeSource {
  /** File name as given by the user. */
  readonly file: string;
  /** Line holding the charge and multiplicity (the XYZ comment line). */
  readonly commentLine?: number;
  /** Line of each atom, in atom order. */
  readonly atomLines?: readonly number[];
}

/**
 * Input of {@link createMolecule}. Give the elements either as `symbols` or as `atomicNumbers`, and the
 * positions either in Ångström or in Bohr (flat, 3 per atom, or one [x, y, z] triple per atom).
 */
export interface MoleculeSpec {
  /** Element symbols, case-insensitive ('H', 'he', 'LI'). */
  symbols?: readonly string[];
  /** Atomic numbers (alternative to `symbols`). */
  atomicNumbers?: ArrayLike<number>;
  /** Positions in Ångström: flat [x0, y0, z0, x1, …] or [[x0, y0, z0], …]. */
  positionsAngstrom?: ArrayLike<number> | readonly (readonly number[])[];
  /** Positions in Bohr: flat or per-atom triples (alternative to `positionsAngstrom`). */
  positionsBohr?: ArrayLike<number> | readonly (readonly number[])[];
  /** Total charge (default 0). */
  charge?: number;
  /**
   * Spin multiplicity 2S + 1 (default: 1 for an even electron count, 2 for an odd one).
   */
  multiplicity?: number;
  /** Free-text title. */
  title?: string;
  /**
   * Where the data came from, used in error messages: file name, the 1-based line of the charge and
   * multiplicity (`line`, e.g. the XYZ comment line) and of each atom (`atomLines`). With a file
   * name the molecule keeps this as its {@link Molecule.source}.
   */
  source?: { file?: string; line?: number; atomLines?: readonly number[] };
}

/** Two atoms closer than this (Bohr) are treated as sitting on top of each other. */
export const MIN_INTERATOMIC_DISTANCE_BOHR = 0.1;

/**
 * Largest accepted |x|, |y|, |z| of an atom, in Ångström. A double near 10⁵ Å (1.9·10⁵ Bohr) is
 * resolved to 2⁻³⁶ ≈ 1.5·10⁻¹¹ Å, about 3·10⁻¹¹ Bohr, so a coordinate read from text still fixes
 * bond lengths to ~10⁻¹⁰ Bohr; ten times farther out that is no longer true, and at 10¹² Å the
 * energy of H₂ is already 6.5·10⁻⁵ Eh off. Beyond ~10¹⁵⁴ Bohr squared distances overflow.
 * Energies do not depend on where the molecule sits: translate it (see {@link centerMolecule}).
 */
export const MAX_COORDINATE_ANGSTROM = 1e5;

/** {@link MAX_COORDINATE_ANGSTROM} in Bohr. */
export const MAX_COORDINATE_BOHR = MAX_COORDINATE_ANGSTROM * ANGSTROM_IN_BOHR;

/** Location of atom `atom` (0-based) for a message: its line when known, else the spec's location. */
function atomWhere(where: MoleculeSpec['source'] & object, atom: number): InputLocation {
  const line = where.atomLines?.[atom];
  return line !== undefined ? { file: where.file, line } : { file: where.file, line: where.line };
}

function flattenPositions(
  positions: ArrayLike<number> | readonly (readonly number[])[],
  nAtoms: number,
  scale: number,
  where: MoleculeSpec['source'] & object,
): Float64Array {
  const out = new Float64Array(3 * nAtoms);
  const first = (positions as ArrayLike<unknown>)[0];
  if (nAtoms > 0 && Array.isArray(first)) {
    const rows = positions as readonly (readonly number[])[];
    if (rows.length !== nAtoms) {
      throw new InputError(`${rows.length} position triples for ${nAtoms} atoms`, where);
    }
    for (let i = 0; i < nAtoms; i++) {
      const row = rows[i]!;
      if (row.length !== 3) throw new InputError(`position of atom ${i + 1} has ${row.length} components, expected 3`, where);
      for (let k = 0; k < 3; k++) out[3 * i + k] = Number(row[k]) * scale;
    }
  } else {
    const flat = positions as ArrayLike<number>;
    if (flat.length !== 3 * nAtoms) {
      throw new InputError(`${flat.length} position components for ${nAtoms} atoms (expected ${3 * nAtoms})`, where);
    }
    for (let i = 0; i < flat.length; i++) out[i] = Number(flat[i]) * scale;
  }
  for (let i = 0; i < out.length; i++) {
    const atom = Math.floor(i / 3);
    if (!Number.isFinite(out[i]!)) {
      throw new InputError(`coordinate ${'xyz'[i % 3]} of atom ${atom + 1} is not a finite number`, atomWhere(where, atom));
    }
    if (Math.abs(out[i]!) > MAX_COORDINATE_BOHR) {
      throw new InputError(
        `coordinate ${'xyz'[i % 3]} of atom ${atom + 1} is ${(out[i]! * BOHR_IN_ANGSTROM).toPrecision(3)} Å from the origin; ` +
          `qde accepts at most ${MAX_COORDINATE_ANGSTROM.toExponential(0)} Å (farther out a coordinate loses precision): translate the molecule`,
        atomWhere(where, atom),
      );
    }
  }
  return out;
}

/**
 * Build a validated {@link Molecule}.
 *
 * Checks: at least one atom; elements H–Kr; finite coordinates; no two atoms closer than
 * {@link MIN_INTERATOMIC_DISTANCE_BOHR}; integer charge; a charge/multiplicity pair that is possible
 * (see {@link validateChargeAndMultiplicity}).
 * @throws InputError describing the first problem found.
 */
export function createMolecule(spec: MoleculeSpec): Molecule {
  const where = spec.source ?? {};
  let atomicNumbers: Int32Array;
  if (spec.symbols !== undefined && spec.atomicNumbers !== undefined) {
    throw new InputError('give either symbols or atomicNumbers, not both', where);
  }
  if (spec.symbols !== undefined) {
    atomicNumbers = Int32Array.from(spec.symbols, (s) => requireSupportedElement(s, where));
  } else if (spec.atomicNumbers !== undefined) {
    atomicNumbers = new Int32Array(spec.atomicNumbers.length);
    for (let i = 0; i < spec.atomicNumbers.length; i++) {
      const z = spec.atomicNumbers[i]!;
      if (!Number.isInteger(z) || z < 1 || z > MAX_SUPPORTED_ATOMIC_NUMBER) {
        throw new InputError(`atomic number ${z} of atom ${i + 1} is not supported (qde supports H–Kr, Z = 1–36)`, where);
      }
      atomicNumbers[i] = z;
    }
  } else {
    throw new InputError('a molecule needs symbols or atomicNumbers', where);
  }
  const nAtoms = atomicNumbers.length;
  if (nAtoms === 0) throw new InputError('a molecule needs at least one atom', where);

  let positionsBohr: Float64Array;
  if (spec.positionsAngstrom !== undefined && spec.positionsBohr !== undefined) {
    throw new InputError('give either positionsAngstrom or positionsBohr, not both', where);
  }
  if (spec.positionsAngstrom !== undefined) {
    positionsBohr = flattenPositions(spec.positionsAngstrom, nAtoms, ANGSTROM_IN_BOHR, where);
  } else if (spec.positionsBohr !== undefined) {
    positionsBohr = flattenPositions(spec.positionsBohr, nAtoms, 1, where);
  } else {
    throw new InputError('a molecule needs positionsAngstrom or positionsBohr', where);
  }

  for (let i = 0; i < nAtoms; i++) {
    for (let j = 0; j < i; j++) {
      const dx = positionsBohr[3 * i]! - positionsBohr[3 * j]!;
      const dy = positionsBohr[3 * i + 1]! - positionsBohr[3 * j + 1]!;
      const dz = positionsBohr[3 * i + 2]! - positionsBohr[3 * j + 2]!;
      const r = Math.sqrt(dx * dx + dy * dy + dz * dz);
      if (r < MIN_INTERATOMIC_DISTANCE_BOHR) {
        throw new InputError(
          `atoms ${j + 1} (${elementSymbol(atomicNumbers[j]!)}) and ${i + 1} (${elementSymbol(atomicNumbers[i]!)}) ` +
            `are ${(r * BOHR_IN_ANGSTROM).toPrecision(3)} Å apart (on top of each other)`,
          where,
        );
      }
    }
  }

  const charge = spec.charge ?? 0;
  if (!Number.isInteger(charge)) throw new InputError(`charge must be an integer, got ${charge}`, where);
  let nuclear = 0;
  for (let i = 0; i < nAtoms; i++) nuclear += atomicNumbers[i]!;
  const nElectrons = nuclear - charge;
  const multiplicity = spec.multiplicity ?? (((nElectrons % 2) + 2) % 2 === 0 ? 1 : 2);
  const molecule: Molecule = {
    atomicNumbers,
    positionsBohr,
    charge,
    multiplicity,
    ...(spec.title !== undefined ? { title: spec.title } : {}),
    ...(where.file !== undefined ? { source: moleculeSource(where.file, where.line, where.atomLines, nAtoms) } : {}),
  };
  validateChargeAndMultiplicity(molecule, where);
  return molecule;
}

function moleculeSource(file: string, commentLine: number | undefined, atomLines: readonly number[] | undefined, nAtoms: number): MoleculeSource {
  return {
    file,
    ...(commentLine !== undefined ? { commentLine } : {}),
    ...(atomLines !== undefined && atomLines.length === nAtoms ? { atomLines: atomLines.slice() } : {}),
  };
}

/**
 * Where atom `atom` (0-based) of a molecule read from a file was written: file and line when known,
 * file only, or nothing for a molecule built in code. Pass it to an InputError.
 */
export function atomLocation(m: Molecule, atom: number): InputLocation {
  if (!m.source) return {};
  const line = m.source.atomLines?.[atom];
  return line !== undefined ? { file: m.source.file, line } : { file: m.source.file };
}

/** Where the charge and multiplicity of a molecule read from a file were written (the comment line). */
export function chargeLocation(m: Molecule): InputLocation {
  if (!m.source) return {};
  return m.source.commentLine !== undefined ? { file: m.source.file, line: m.source.commentLine } : { file: m.source.file };
}

/** `file:line` of atom `atom` (0-based) of a molecule read from a file ('' when unknown). */
export function formatAtomLocation(m: Molecule, atom: number): string {
  const { file, line } = atomLocation(m, atom);
  return file === undefined ? '' : line === undefined ? file : `${file}:${line}`;
}

/**
 * The molecule translated so that `centre` is at the origin: the centroid of the atoms (default)
 * or the nuclear-charge centre Σ Z_A R_A / Σ Z_A.
 *
 * Energies (and everything derived from them, forces included) are exactly translation-invariant,
 * but the integrals lose digits when the atoms sit far from the origin; building the basis on the
 * centred molecule removes that drift. Dipole moments of charged molecules depend on the origin:
 * compute them on the molecule as given, or say which origin they refer to.
 */
export function centerMolecule(m: Molecule, centre: 'centroid' | 'nuclear-charge' = 'centroid'): Molecule {
  const n = m.atomicNumbers.length;
  const c = [0, 0, 0];
  let weightSum = 0;
  for (let a = 0; a < n; a++) {
    const w = centre === 'centroid' ? 1 : m.atomicNumbers[a]!;
    weightSum += w;
    for (let k = 0; k < 3; k++) c[k]! += w * m.positionsBohr[3 * a + k]!;
  }
  const positionsBohr = new Float64Array(3 * n);
  for (let a = 0; a < n; a++) {
    for (let k = 0; k < 3; k++) positionsBohr[3 * a + k] = m.positionsBohr[3 * a + k]! - c[k]! / weightSum;
  }
  return { ...m, positionsBohr };
}

/** Number of atoms. */
export function atomCount(m: Molecule): number {
  return m.atomicNumbers.length;
}

/** Total number of electrons: Σ Z − charge. */
export function electronCount(m: Molecule): number {
  let n = 0;
  for (let i = 0; i < m.atomicNumbers.length; i++) n += m.atomicNumbers[i]!;
  return n - m.charge;
}

/**
 * Check that the charge and multiplicity describe a possible state:
 * the charge is an integer no larger than the nuclear charge (at least zero electrons), the
 * multiplicity 2S+1 is a positive integer, its parity matches the electron count (even electron
 * count ↔ odd multiplicity) and it does not exceed nElectrons + 1 (all spins parallel).
 * @throws InputError explaining which condition fails.
 */
export function validateChargeAndMultiplicity(m: Molecule, location: InputLocation = {}): void {
  if (!Number.isInteger(m.charge)) throw new InputError(`charge must be an integer, got ${m.charge}`, location);
  let protons = 0;
  for (let i = 0; i < m.atomicNumbers.length; i++) protons += m.atomicNumbers[i]!;
  // Beyond ±2⁵³ the electron count itself is no longer exact.
  if (!Number.isSafeInteger(m.charge)) {
    throw new InputError(`impossible charge ${m.charge}: the nuclei carry only ${protons} protons`, location);
  }
  const nElectrons = protons - m.charge;
  if (nElectrons < 0) {
    throw new InputError(
      `impossible charge ${m.charge}: the nuclei carry only ${protons} protons, so the molecule would have ${nElectrons} electrons`,
      location,
    );
  }
  if (nElectrons === 0) {
    throw new InputError(`charge ${m.charge} leaves no electrons; qde needs at least one electron`, location);
  }
  const mult = m.multiplicity;
  if (!Number.isInteger(mult) || mult < 1) {
    throw new InputError(`multiplicity must be a positive integer (2S+1), got ${mult}`, location);
  }
  if ((nElectrons + mult) % 2 === 0) {
    throw new InputError(
      `multiplicity ${mult} is impossible with ${nElectrons} electrons (charge ${m.charge}): ` +
        (nElectrons % 2 === 0 ? 'an even electron count needs an odd multiplicity (1, 3, …)' : 'an odd electron count needs an even multiplicity (2, 4, …)'),
      location,
    );
  }
  if (mult > nElectrons + 1) {
    throw new InputError(
      `multiplicity ${mult} is impossible with ${nElectrons} electrons (at most ${nElectrons + 1} with all spins parallel)`,
      location,
    );
  }
}

/** Number of α and β electrons: nAlpha − nBeta = multiplicity − 1. */
export function spinElectronCounts(m: Molecule): { nAlpha: number; nBeta: number } {
  const n = electronCount(m);
  const unpaired = m.multiplicity - 1;
  return { nAlpha: (n + unpaired) / 2, nBeta: (n - unpaired) / 2 };
}

/** Positions in Ångström (flat, 3 per atom), a new array. */
export function positionsAngstrom(m: Molecule): Float64Array {
  const out = new Float64Array(m.positionsBohr.length);
  for (let i = 0; i < out.length; i++) out[i] = m.positionsBohr[i]! * BOHR_IN_ANGSTROM;
  return out;
}

/** Element symbols of the atoms, in order. */
export function moleculeSymbols(m: Molecule): string[] {
  return Array.from(m.atomicNumbers, (z) => elementSymbol(z));
}

/**
 * Hill formula (C first, then H, then the rest alphabetically; without carbon all alphabetically),
 * e.g. 'H2O', 'C6H6', 'HLi'.
 */
export function moleculeFormula(m: Molecule): string {
  const counts = new Map<string, number>();
  for (const z of m.atomicNumbers) {
    const s = elementSymbol(z);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const symbols = [...counts.keys()].sort();
  const ordered = counts.has('C')
    ? ['C', ...(counts.has('H') ? ['H'] : []), ...symbols.filter((s) => s !== 'C' && s !== 'H')]
    : symbols;
  return ordered.map((s) => s + (counts.get(s) === 1 ? '' : String(counts.get(s)))).join('');
}

/** Distance between atoms i and j (0-based) in Bohr. */
export function interatomicDistanceBohr(m: Molecule, i: number, j: number): number {
  const p = m.positionsBohr;
  const dx = p[3 * i]! - p[3 * j]!;
  const dy = p[3 * i + 1]! - p[3 * j + 1]!;
  const dz = p[3 * i + 2]! - p[3 * j + 2]!;
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

/** A copy of the molecule with another charge and/or multiplicity, validated. */
export function withChargeAndMultiplicity(m: Molecule, charge: number, multiplicity?: number): Molecule {
  const nElectrons = electronCount(m) + m.charge - charge;
  const mult = multiplicity ?? (((nElectrons % 2) + 2) % 2 === 0 ? 1 : 2);
  const out: Molecule = { ...m, charge, multiplicity: mult };
  validateChargeAndMultiplicity(out);
  return out;
}
