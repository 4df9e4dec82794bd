/**
 * Basis-set lookup: a shipped basis by name (data/basis/*.gbs under the package root) or any
 * Gaussian94 file by path.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, readTextFile } from '../core/index.js';
import { parseGbs, type BasisLibrary } from './gbs.js';

/** Shipped basis sets: lower-case lookup key → [file name, display name]. */
const SHIPPED: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['sto-3g', ['sto-3g.gbs', 'STO-3G']],
  ['3-21g', ['3-21g.gbs', '3-21G']],
  ['6-31g', ['6-31g.gbs', '6-31G']],
  ['6-31g*', ['6-31gs.gbs', '6-31G*']],
  ['6-31gs', ['6-31gs.gbs', '6-31G*']],
  ['6-31g(d)', ['6-31gs.gbs', '6-31G*']],
  ['6-31g**', ['6-31gss.gbs', '6-31G**']],
  ['6-31gss', ['6-31gss.gbs', '6-31G**']],
  ['6-31g(d,p)', ['6-31gss.gbs', '6-31G**']],
  ['cc-pvdz', ['cc-pvdz.gbs', 'cc-pVDZ']],
  ['cc-pvtz', ['cc-pvtz.gbs', 'cc-pVTZ']],
  ['aug-cc-pvdz', ['aug-cc-pvdz.gbs', 'aug-cc-pVDZ']],
  ['def2-svp', ['def2-svp.gbs', 'def2-SVP']],
  // Auxiliary (Coulomb + exchange fitting) sets for density-fitted SCF, copied from Psi4 1.3.2.
  ['cc-pvdz-jkfit', ['cc-pvdz-jkfit.gbs', 'cc-pVDZ-JKFIT']],
  ['cc-pvtz-jkfit', ['cc-pvtz-jkfit.gbs', 'cc-pVTZ-JKFIT']],
  ['aug-cc-pvdz-jkfit', ['aug-cc-pvdz-jkfit.gbs', 'aug-cc-pVDZ-JKFIT']],
  ['def2-svp-jkfit', ['def2-svp-jkfit.gbs', 'def2-universal-JKFIT']],
  ['def2-universal-jkfit', ['def2-svp-jkfit.gbs', 'def2-universal-JKFIT']],
] as const);

/** Names of the shipped auxiliary (JKFIT) basis sets for density-fitted SCF. */
export const SHIPPED_JKFIT_BASIS_NAMES: readonly string[] = [
  'cc-pvdz-jkfit', 'cc-pvtz-jkfit', 'aug-cc-pvdz-jkfit', 'def2-universal-jkfit',
];

/**
 * The JKFIT auxiliary basis conventionally paired with an orbital basis, as Psi4 1.3.2 pairs them
 * (qcdb/basislist*.py): cc-pVXZ → cc-pVXZ-JKFIT, aug-cc-pVDZ → aug-cc-pVDZ-JKFIT, the 6-31G family →
 * cc-pVDZ-JKFIT, STO-3G, 3-21G and def2-SVP → def2-universal-JKFIT (Psi4's def2-SVP-JKFIT file).
 * Undefined for a basis without a conventional partner (a user file): name one explicitly.
 */
export function defaultJkFitBasisName(orbitalBasisName: string): string | undefined {
  const key = orbitalBasisName.trim().toLowerCase();
  const pairs: Record<string, string> = {
    'cc-pvdz': 'cc-pvdz-jkfit',
    'cc-pvtz': 'cc-pvtz-jkfit',
    'aug-cc-pvdz': 'aug-cc-pvdz-jkfit',
    'sto-3g': 'def2-universal-jkfit',
    '3-21g': 'def2-universal-jkfit',
    'def2-svp': 'def2-universal-jkfit',
  };
  if (pairs[key]) return pairs[key];
  if (key.startsWith('6-31g')) return 'cc-pvdz-jkfit';
  return undefined;
}

/** Names accepted by {@link loadBasisLibrary} for the shipped basis sets. */
export const SHIPPED_BASIS_NAMES: readonly string[] = [
  'sto-3g', '3-21g', '6-31g', '6-31g*', '6-31g**', 'cc-pvdz', 'cc-pvtz', 'aug-cc-pvdz', 'def2-svp',
];

/**
 * Directory holding the shipped .gbs files. This module lives at src/basis/ (under tsx) or
 * dist/basis/ (compiled), both two levels below the package root.
 */
export function basisDataDirectory(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'basis');
}

/** Options of {@link loadBasisLibrary}. */
export interface LoadBasisOptions {
  /** Override the pure/cartesian choice of the file (true = 5d/7f, false = 6d/10f). */
  pure?: boolean;
}

const cache = new Map<string, BasisLibrary>();

/**
 * Load a basis set by name (case-insensitive: 'sto-3g', '3-21g', '6-31g', '6-31g*', '6-31g**',
 * 'cc-pvdz', 'cc-pvtz', 'aug-cc-pvdz', 'def2-svp') or by path to a Gaussian94 .gbs file.
 * Shipped files are parsed once and cached.
 * @throws InputError for an unknown name, a missing file or a malformed file.
 */
export function loadBasisLibrary(nameOrPath: string, options: LoadBasisOptions = {}): BasisLibrary {
  const key = nameOrPath.trim().toLowerCase();
  if (key === '') throw new InputError(`empty basis name: give a shipped basis (${SHIPPED_BASIS_NAMES.join(', ')}) or a .gbs file`);
  const shipped = SHIPPED.get(key);
  if (shipped) {
    const cacheKey = `${key}|${options.pure ?? ''}`;
    const hit = cache.get(cacheKey);
    if (hit) return hit;
    const path = join(basisDataDirectory(), shipped[0]);
    if (!existsSync(path)) throw new InputError(`shipped basis file not found (package data missing?)`, { file: path });
    const lib = parseGbs(readFileSync(path, 'utf8'), { fileName: path, name: shipped[1], pure: options.pure });
    cache.set(cacheKey, lib);
    return lib;
  }
  const path = resolve(nameOrPath);
  if (!existsSync(path)) {
    throw new InputError(
      `unknown basis set '${nameOrPath}': not a shipped basis (${SHIPPED_BASIS_NAMES.join(', ')}) and no such file`,
    );
  }
  return parseGbs(readBasisFile(path, nameOrPath), { fileName: path, pure: options.pure });
}

function readBasisFile(path: string, given: string): string {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    // Reported by the read below, with the reason.
  }
  if (isDirectory) throw new InputError(`basis '${given}' is a directory, not a Gaussian94 (.gbs) file`, { file: path });
  return readTextFile(path, 'basis file');
}
