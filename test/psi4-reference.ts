/**
 * The Psi4 reference set (test/fixtures/reference/psi4-public.json, made with Psi4 1.3.2 and
 * cross-checked with PySCF; how is in the README beside it), for tests.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the reference file. */
export const PSI4_REFERENCE_PATH = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'reference', 'psi4-public.json');

/** The parsed reference file; `entries` typed by the caller. */
export function loadPsi4Reference<Entry>(): { entries: Entry[] } {
  return JSON.parse(readFileSync(PSI4_REFERENCE_PATH, 'utf8')) as { entries: Entry[] };
}
