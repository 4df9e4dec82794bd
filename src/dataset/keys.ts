/**
 * Content-hash keys of geometries and jobs.
 *
 * A geometry is hashed from its atomic numbers, its positions in Bohr rounded to 1e-10 Bohr, its
 * charge and its multiplicity — never from its title or the file it was read from. A job is hashed
 * from its geometry, the resolved method spec (every default filled in) and the seed. The qde
 * version is provenance, not part of a key: a label computed by an older qde stays valid.
 *
 * Hashes are sha256 over a canonical JSON text: object keys sorted, no white space, numbers in
 * JavaScript's shortest round-trip form, −0 written as 0.
 */
import { createHash } from 'node:crypto';
import type { Molecule } from '../chem/index.js';
import type { ResolvedMethodSpec } from '../methods/index.js';

/** Positions enter a key rounded to this many Bohr, so round-off below it never splits a geometry. */
export const KEY_POSITION_RESOLUTION_BOHR = 1e-10;

/** Canonical JSON: sorted object keys, no white space, −0 as 0; `undefined` members are dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
    return Object.is(value, -0) ? '0' : JSON.stringify(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>, (v) => canonicalJson(v));
    return `[${items.join(',')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
}

/** sha256 of a text, hexadecimal. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The part of a molecule that identifies a geometry (plain data, positions rounded). */
export interface GeometryIdentity {
  atomicNumbers: number[];
  positionsBohr: number[];
  charge: number;
  multiplicity: number;
}

/** Round to the key resolution (k / 1e10 as the nearest double); −0 becomes 0. */
function roundPosition(x: number): number {
  const r = Math.round(x / KEY_POSITION_RESOLUTION_BOHR) / (1 / KEY_POSITION_RESOLUTION_BOHR);
  return r === 0 ? 0 : r;
}

/** The identity of a molecule's geometry: what its hash is computed from. */
export function geometryIdentity(molecule: Molecule): GeometryIdentity {
  return {
    atomicNumbers: Array.from(molecule.atomicNumbers),
    positionsBohr: Array.from(molecule.positionsBohr, roundPosition),
    charge: molecule.charge,
    multiplicity: molecule.multiplicity,
  };
}

/** Content hash of a geometry (atomic numbers, rounded positions, charge, multiplicity). */
export function geometryHash(molecule: Molecule): string {
  return sha256Hex(canonicalJson(geometryIdentity(molecule)));
}

/** Content hash of a job: its geometry hash, the resolved method spec and the seed. */
export function jobKey(geometryHashHex: string, spec: ResolvedMethodSpec, seed: number): string {
  return sha256Hex(canonicalJson({ geometry: geometryHashHex, spec, seed }));
}
