/**
 * The Psi4 reference set (test/fixtures/reference/psi4-public.json, made with Psi4 1.3.2 and
 * cross-checked with PySCF; how is in the README beside it), for tests.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMolecule, type Molecule } from '../src/chem/molecule.js';

/** Absolute path of the reference file. */
export const PSI4_REFERENCE_PATH = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'reference', 'psi4-public.json');

/** The parsed reference file; `entries` typed by the caller. */
export function loadPsi4Reference<Entry>(): { entries: Entry[] } {
  return JSON.parse(readFileSync(PSI4_REFERENCE_PATH, 'utf8')) as { entries: Entry[] };
}

/** Absolute path of the coupled-cluster fixtures (made by fixtures/classical/make-cc-fixtures.py with Psi4). */
export const PSI4_CC_FIXTURES_PATH = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'classical', 'psi4-cc-fixtures.json');

/** The parsed coupled-cluster fixtures; `entries` typed by the caller. */
export function loadCcFixtures<Entry>(): { entries: Entry[] } {
  return JSON.parse(readFileSync(PSI4_CC_FIXTURES_PATH, 'utf8')) as { entries: Entry[] };
}

/** An entry of the reference set or of the coupled-cluster fixtures, with the energies CC tests read. */
export interface Psi4CcEntry {
  id: string;
  method: string;
  geometry_angstrom?: ReferenceAtom[];
  geometry?: ReferenceAtom[];
  charge: number;
  multiplicity: number;
  basis: string;
  total_energy_hartree: number;
  ccsd_energy_hartree?: number;
  ccsd_total_energy_hartree?: number;
  ccsd_t_correction_hartree?: number;
  mp2_total_energy_hartree?: number;
  scf_energy_hartree?: number;
}

/** One atom of a reference geometry: element symbol and x, y, z in Ångström. */
export type ReferenceAtom = [string, number, number, number];

/**
 * The molecule of a reference or fixture entry: atoms from `geometry_angstrom` (or, in the fixture
 * files, `geometry`; both in Ångström), with the entry's charge and multiplicity (createMolecule's
 * defaults where absent).
 */
export function moleculeOfEntry(entry: {
  geometry_angstrom?: ReferenceAtom[];
  geometry?: ReferenceAtom[];
  charge?: number;
  multiplicity?: number;
}): Molecule {
  const atoms = entry.geometry_angstrom ?? entry.geometry;
  if (atoms === undefined) throw new Error('reference entry has neither geometry_angstrom nor geometry');
  return createMolecule({
    symbols: atoms.map((a) => a[0]),
    positionsAngstrom: atoms.map((a) => [a[1], a[2], a[3]]),
    charge: entry.charge,
    multiplicity: entry.multiplicity,
  });
}
