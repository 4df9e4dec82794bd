/**
 * XYZ and extended-XYZ geometry files (coordinates in Ångström).
 *
 * Plain XYZ, one or more frames:
 *
 *     3                                  ← number of atoms
 *     water charge=0 multiplicity=1      ← comment line (free text)
 *     O  0.000000  0.000000  0.117790    ← symbol (or atomic number) x y z [ignored extra columns]
 *     H  0.000000  0.755453 -0.471161
 *     H  0.000000 -0.755453 -0.471161
 *
 * The comment line may carry `charge=N` and `multiplicity=M` (integers); they set the molecule's
 * charge and spin multiplicity (command-line options override them). Without them the molecule is
 * neutral with the lowest multiplicity (1 for an even electron count, 2 for an odd one).
 *
 * Extended XYZ (the format of ASE, QUIP and libAtoms) is recognised when the comment line holds a
 * `Properties=` or `Lattice=` key. Its comment line is a list of `key=value` pairs; values may be
 * quoted ("…", '…') or bracketed ([…], {…}), a backslash escapes the next character, and a bare key
 * means `key=T`. Values are typed as ASE does: integers, floats, booleans (T/F, True/False), arrays of
 * those (space- or comma-separated) and strings. `Lattice` holds the three lattice vectors
 * (9 numbers, vector after vector, Å); `pbc` three booleans. `Properties=name:type:columns:…` describes
 * the atom lines, type S (string), R (real), I (integer) or L (logical T/F); `species:S:1` and
 * `pos:R:3` are required and become the molecule, every other property is returned per atom.
 *
 * Every problem is an InputError naming the file, the 1-based line and what is wrong.
 */
import { writeFileSync } from 'node:fs';
import { InputError, readTextFile } from '../core/index.js';
import { MAX_SUPPORTED_ATOMIC_NUMBER, elementSymbol, requireSupportedElement } from './elements.js';
import { type Molecule, createMolecule, electronCount, moleculeFormula, positionsAngstrom } from './molecule.js';

/** A typed value of an extended-XYZ comment-line key. */
export type ExtXyzValue = string | number | boolean | number[] | boolean[] | string[];

/** A per-atom property of an extended-XYZ frame: `columns` values per atom, atom-major. */
export type ExtXyzProperty =
  | { readonly type: 'R'; readonly columns: number; readonly values: Float64Array }
  | { readonly type: 'I'; readonly columns: number; readonly values: Int32Array }
  | { readonly type: 'L'; readonly columns: number; readonly values: boolean[] }
  | { readonly type: 'S'; readonly columns: number; readonly values: string[] };

/** One frame of an XYZ or extended-XYZ file. */
export interface XyzFrame {
  /** The validated molecule (positions converted to Bohr). */
  readonly molecule: Molecule;
  /** The comment line, verbatim. */
  readonly comment: string;
  /** Whether the frame was read as extended XYZ. */
  readonly extended: boolean;
  /**
   * Key=value pairs of an extended-XYZ comment line, typed, without `Properties`, `Lattice` and `pbc`
   * (those are in their own fields). Empty for plain XYZ.
   */
  readonly info: Record<string, ExtXyzValue>;
  /** Lattice vectors in Å, 9 numbers, row i = vector i (extended XYZ `Lattice`), if given. */
  readonly latticeAngstrom?: Float64Array;
  /** Periodicity along each lattice vector (extended XYZ `pbc`), if given. */
  readonly pbc?: readonly [boolean, boolean, boolean];
  /** Per-atom properties other than `species` and `pos` (extended XYZ), by name, in file order. */
  readonly properties: Record<string, ExtXyzProperty>;
}

/** Input of the extended-XYZ writer: a molecule plus optional frame data. */
export interface ExtXyzFrameInput {
  readonly molecule: Molecule;
  /** Extra comment-line keys (strings, numbers, booleans or arrays of those). */
  readonly info?: Record<string, ExtXyzValue>;
  /** Lattice vectors in Å (9 numbers, vector after vector). */
  readonly latticeAngstrom?: ArrayLike<number>;
  /** Periodicity; written as `pbc="F F F"` when omitted. */
  readonly pbc?: readonly [boolean, boolean, boolean];
  /** Per-atom properties written after species and pos, in insertion order. */
  readonly properties?: Record<string, ExtXyzProperty>;
}

/** Options of the XYZ writers. */
export interface XyzFormatOptions {
  /** Digits after the decimal point for real numbers (default 10). */
  decimals?: number;
  /** Comment line (plain XYZ); default: the molecule title, or its formula. */
  comment?: string;
}

// ─── parsing helpers ────────────────────────────────────────────────────────────────────────────

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;
const INTEGER_PATTERN = /^[+-]?\d+$/;

const SPECIAL_REAL_PATTERN = /^([+-]?)(nan|inf|infinity)$/i;

/** Parse a finite real number as Fortran-era files write it (accepts a D exponent); NaN when malformed. */
function parseReal(token: string): number {
  return NUMBER_PATTERN.test(token) ? Number(token.replace(/[dD]/, 'e')) : Number.NaN;
}

/** Like {@link parseReal} but also accepts nan, inf, -inf (as NumPy writes them); undefined when malformed. */
function parseRealOrSpecial(token: string): number | undefined {
  if (NUMBER_PATTERN.test(token)) return Number(token.replace(/[dD]/, 'e'));
  const m = SPECIAL_REAL_PATTERN.exec(token);
  if (!m) return undefined;
  if (m[2]!.toLowerCase() === 'nan') return Number.NaN;
  return m[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

function splitFields(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/**
 * Split an extended-XYZ comment line into raw key/value strings, following ASE's rules: whitespace
 * separates pairs, quotes or brackets delimit values, a backslash escapes the next character, a key
 * without `=` gets the value 'T'.
 */
export function splitExtXyzKeyValues(line: string, location: { file?: string; line?: number } = {}): [string, string][] {
  const closing: Record<string, string> = { '"': '"', "'": "'", '[': ']', '{': '}' };
  const pairs: [string, string][] = [];
  let key = '';
  let value = '';
  let inValue = false;
  let hasToken = false;
  let delimiter: string | undefined;
  let escaped = false;
  const flush = () => {
    if (!hasToken) return;
    if (key === '') throw new InputError(`extended XYZ header has a value without a key ('=${value}')`, location);
    pairs.push([key, inValue ? value : 'T']);
    key = '';
    value = '';
    inValue = false;
    hasToken = false;
  };
  for (const ch of line.trim()) {
    if (escaped) {
      if (inValue) value += ch;
      else key += ch;
      escaped = false;
      hasToken = true;
    } else if (ch === '\\') {
      escaped = true;
    } else if (delimiter !== undefined) {
      if (ch === delimiter) delimiter = undefined;
      else if (inValue) value += ch;
      else key += ch;
    } else if (ch in closing) {
      delimiter = closing[ch];
      hasToken = true;
    } else if (/\s/.test(ch)) {
      flush();
    } else if (ch === '=' && !inValue) {
      inValue = true;
      hasToken = true;
    } else {
      if (inValue) value += ch;
      else key += ch;
      hasToken = true;
    }
  }
  if (delimiter !== undefined) {
    throw new InputError(`extended XYZ header has an unclosed ${delimiter === ']' ? "'['" : delimiter === '}' ? "'{'" : `quote ${delimiter}`}`, location);
  }
  flush();
  return pairs;
}

/** Type a raw extended-XYZ value: integer(s), float(s), boolean(s) or string, as ASE does. */
export function parseExtXyzValue(raw: string): ExtXyzValue {
  const parts = raw.split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length === 0) return raw;
  if (parts.every((p) => INTEGER_PATTERN.test(p))) {
    const ints = parts.map((p) => Number.parseInt(p, 10));
    return ints.length === 1 ? ints[0]! : ints;
  }
  const reals = parts.map(parseRealOrSpecial);
  if (reals.every((v) => v !== undefined)) {
    return reals.length === 1 ? reals[0]! : (reals as number[]);
  }
  const bools: Record<string, boolean> = { T: true, F: false, True: true, False: false };
  if (parts.every((p) => p in bools)) {
    const b = parts.map((p) => bools[p]!);
    return b.length === 1 ? b[0]! : b;
  }
  return raw;
}

interface PropertySpec {
  name: string;
  type: 'S' | 'R' | 'I' | 'L';
  columns: number;
}

function parseProperties(spec: string, location: { file?: string; line?: number }): PropertySpec[] {
  const parts = spec.split(':');
  if (parts.length % 3 !== 0 || parts.length === 0) {
    throw new InputError(`malformed Properties '${spec}': expected name:type:columns triples`, location);
  }
  const out: PropertySpec[] = [];
  for (let i = 0; i < parts.length; i += 3) {
    const name = parts[i]!;
    const type = parts[i + 1]!.toUpperCase();
    const cols = parts[i + 2]!;
    if (name === '') throw new InputError(`malformed Properties '${spec}': empty property name`, location);
    if (type !== 'S' && type !== 'R' && type !== 'I' && type !== 'L') {
      throw new InputError(`malformed Properties '${spec}': type '${parts[i + 1]}' of '${name}' is not S, R, I or L`, location);
    }
    if (!/^\d+$/.test(cols) || Number(cols) < 1) {
      throw new InputError(`malformed Properties '${spec}': column count '${cols}' of '${name}' is not a positive integer`, location);
    }
    if (out.some((p) => p.name === name)) throw new InputError(`Properties lists '${name}' twice`, location);
    out.push({ name, type, columns: Number(cols) });
  }
  return out;
}

/** Charge and multiplicity given on a comment line as `charge=N multiplicity=M`, if present. */
function chargeAndMultiplicityFromComment(
  comment: string,
  location: { file?: string; line?: number },
): { charge?: number; multiplicity?: number } {
  const out: { charge?: number; multiplicity?: number } = {};
  for (const key of ['charge', 'multiplicity'] as const) {
    const m = new RegExp(`(?:^|\\s)${key}\\s*=\\s*(\\S+)`, 'i').exec(comment);
    if (!m) continue;
    const token = m[1]!.replace(/^["']|["']$/g, '');
    if (!INTEGER_PATTERN.test(token)) {
      throw new InputError(`${key}=${m[1]} on the comment line is not an integer`, location);
    }
    out[key] = Number.parseInt(token, 10);
  }
  return out;
}

function infoInteger(info: Record<string, ExtXyzValue>, key: string, location: { file?: string; line?: number }): number | undefined {
  const found = Object.keys(info).find((k) => k.toLowerCase() === key);
  if (found === undefined) return undefined;
  const v = info[found];
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new InputError(`${found}=${String(v)} on the comment line is not an integer`, location);
  }
  return v;
}

// ─── frame reader ───────────────────────────────────────────────────────────────────────────────

/**
 * Parse every frame of an XYZ or extended-XYZ text (frames may mix both kinds).
 * @param text file contents
 * @param fileName name used in error messages
 * @throws InputError naming file, 1-based line and problem
 */
export function parseXyzFrames(text: string, fileName = '<input>'): XyzFrame[] {
  const lines = text.split(/\r?\n/);
  const frames: XyzFrame[] = [];
  let i = 0;
  for (;;) {
    while (i < lines.length && lines[i]!.trim() === '') i++;
    if (i >= lines.length) break;
    const countLine = i + 1;
    const countFields = splitFields(lines[i]!);
    if (countFields.length !== 1 || !/^\d+$/.test(countFields[0]!)) {
      const hint = frames.length > 0 ? ' (does the previous frame have more atom lines than its atom count says?)' : '';
      throw new InputError(`malformed atom count '${lines[i]!.trim()}': expected the number of atoms${hint}`, {
        file: fileName,
        line: countLine,
      });
    }
    const nAtoms = Number(countFields[0]);
    if (nAtoms === 0) throw new InputError('atom count is 0: a frame needs at least one atom', { file: fileName, line: countLine });
    const available = lines.length - (i + 2) - trailingBlankLines(lines, i + 2);
    if (i + 1 >= lines.length || available < nAtoms) {
      const have = Math.max(0, available);
      throw new InputError(
        `wrong number of lines: the atom count says ${nAtoms} atoms but ` +
          (i + 1 >= lines.length ? 'the comment line is missing' : `only ${have} atom line${have === 1 ? '' : 's'} follow`),
        { file: fileName, line: countLine },
      );
    }
    const comment = lines[i + 1]!;
    frames.push(parseFrame(lines, i + 2, nAtoms, comment, fileName, countLine));
    i += 2 + nAtoms;
  }
  if (frames.length === 0) throw new InputError('empty XYZ file: no atom count found', { file: fileName, line: 1 });
  return frames;
}

function trailingBlankLines(lines: string[], from: number): number {
  let n = 0;
  for (let k = lines.length - 1; k >= from && lines[k]!.trim() === ''; k--) n++;
  return n;
}

function isExtendedComment(comment: string): boolean {
  return /(^|\s)(Properties|Lattice)\s*=/i.test(comment);
}

function parseFrame(
  lines: string[],
  firstAtomLine: number,
  nAtoms: number,
  comment: string,
  file: string,
  countLine: number,
): XyzFrame {
  const commentLocation = { file, line: countLine + 1 };
  if (isExtendedComment(comment)) return parseExtendedFrame(lines, firstAtomLine, nAtoms, comment, file, countLine);

  const atomicNumbers = new Int32Array(nAtoms);
  const positions = new Float64Array(3 * nAtoms);
  for (let a = 0; a < nAtoms; a++) {
    const lineNo = firstAtomLine + a + 1;
    const fields = splitFields(lines[firstAtomLine + a]!);
    if (fields.length < 4) {
      throw new InputError(
        fields.length === 0
          ? `blank line where atom ${a + 1} of ${nAtoms} was expected (wrong number of lines?)`
          : `atom line '${lines[firstAtomLine + a]!.trim()}' has ${fields.length} field${fields.length === 1 ? '' : 's'}, expected: symbol x y z`,
        { file, line: lineNo },
      );
    }
    atomicNumbers[a] = elementFromToken(fields[0]!, { file, line: lineNo });
    for (let k = 0; k < 3; k++) {
      const v = parseReal(fields[k + 1]!);
      if (!Number.isFinite(v)) {
        throw new InputError(`non-numeric coordinate '${fields[k + 1]}' (${'xyz'[k]} of atom ${a + 1})`, { file, line: lineNo });
      }
      positions[3 * a + k] = v;
    }
  }
  const { charge, multiplicity } = chargeAndMultiplicityFromComment(comment, commentLocation);
  const molecule = createMolecule({
    atomicNumbers,
    positionsAngstrom: positions,
    ...(charge !== undefined ? { charge } : {}),
    ...(multiplicity !== undefined ? { multiplicity } : {}),
    title: comment.trim(),
    source: { ...commentLocation, atomLines: Array.from({ length: nAtoms }, (_, a) => firstAtomLine + a + 1) },
  });
  return { molecule, comment, extended: false, info: {}, properties: {} };
}

/** An element given as a symbol ('C', 'cl') or an atomic number ('6'). */
function elementFromToken(token: string, location: { file: string; line: number }): number {
  if (/^\d+$/.test(token)) {
    const z = Number(token);
    if (z < 1 || z > MAX_SUPPORTED_ATOMIC_NUMBER) {
      throw new InputError(`atomic number ${token} is not supported (qde supports H–Kr, Z = 1–36)`, location);
    }
    return z;
  }
  return requireSupportedElement(token, location);
}

function parseExtendedFrame(
  lines: string[],
  firstAtomLine: number,
  nAtoms: number,
  comment: string,
  file: string,
  countLine: number,
): XyzFrame {
  const commentLocation = { file, line: countLine + 1 };
  const pairs = splitExtXyzKeyValues(comment, commentLocation);
  const info: Record<string, ExtXyzValue> = {};
  let propertiesSpec = 'species:S:1:pos:R:3';
  let latticeAngstrom: Float64Array | undefined;
  let pbc: [boolean, boolean, boolean] | undefined;
  for (const [key, raw] of pairs) {
    const lower = key.toLowerCase();
    if (lower === 'properties') {
      propertiesSpec = raw;
    } else if (lower === 'lattice') {
      const v = parseExtXyzValue(raw);
      if (!Array.isArray(v) || v.length !== 9 || typeof v[0] !== 'number') {
        throw new InputError(`Lattice="${raw}" must hold 9 numbers (three lattice vectors in Å)`, commentLocation);
      }
      latticeAngstrom = Float64Array.from(v as number[]);
    } else if (lower === 'pbc') {
      const v = parseExtXyzValue(raw);
      if (!Array.isArray(v) || v.length !== 3 || typeof v[0] !== 'boolean') {
        throw new InputError(`pbc="${raw}" must hold 3 booleans (T or F)`, commentLocation);
      }
      pbc = [v[0] as boolean, v[1] as boolean, v[2] as boolean];
    } else {
      info[key] = parseExtXyzValue(raw);
    }
  }
  const specs = parseProperties(propertiesSpec, commentLocation);
  const species = specs.find((p) => p.name === 'species');
  const pos = specs.find((p) => p.name === 'pos');
  if (!species || species.type !== 'S' || species.columns !== 1) {
    throw new InputError(`Properties must contain species:S:1 (got '${propertiesSpec}')`, commentLocation);
  }
  if (!pos || pos.type !== 'R' || pos.columns !== 3) {
    throw new InputError(`Properties must contain pos:R:3 (got '${propertiesSpec}')`, commentLocation);
  }
  const totalColumns = specs.reduce((s, p) => s + p.columns, 0);
  const data = new Map<string, { type: PropertySpec['type']; columns: number; values: Float64Array | Int32Array | boolean[] | string[] }>();
  for (const p of specs) {
    const size = p.columns * nAtoms;
    const values =
      p.type === 'R' ? new Float64Array(size) : p.type === 'I' ? new Int32Array(size) : p.type === 'L' ? new Array<boolean>(size) : new Array<string>(size);
    data.set(p.name, { type: p.type, columns: p.columns, values });
  }
  const atomicNumbers = new Int32Array(nAtoms);
  for (let a = 0; a < nAtoms; a++) {
    const lineNo = firstAtomLine + a + 1;
    const location = { file, line: lineNo };
    const fields = splitFields(lines[firstAtomLine + a]!);
    if (fields.length !== totalColumns) {
      throw new InputError(
        `atom line has ${fields.length} column${fields.length === 1 ? '' : 's'} but Properties='${propertiesSpec}' describes ${totalColumns}`,
        location,
      );
    }
    let col = 0;
    for (const p of specs) {
      const target = data.get(p.name)!;
      for (let c = 0; c < p.columns; c++, col++) {
        const token = fields[col]!;
        const at = a * p.columns + c;
        switch (p.type) {
          case 'R': {
            const v = parseRealOrSpecial(token);
            if (v === undefined) {
              throw new InputError(`non-numeric value '${token}' in column ${col + 1} (${p.name}, real)`, location);
            }
            if (p.name === 'pos' && !Number.isFinite(v)) {
              throw new InputError(`non-numeric coordinate '${token}' (${'xyz'[c]} of atom ${a + 1})`, location);
            }
            (target.values as Float64Array)[at] = v;
            break;
          }
          case 'I':
            if (!INTEGER_PATTERN.test(token)) {
              throw new InputError(`non-integer value '${token}' in column ${col + 1} (${p.name}, integer)`, location);
            }
            (target.values as Int32Array)[at] = Number.parseInt(token, 10);
            break;
          case 'L': {
            const b = token === 'T' || token === 'True' ? true : token === 'F' || token === 'False' ? false : undefined;
            if (b === undefined) throw new InputError(`logical value '${token}' in column ${col + 1} (${p.name}) is not T or F`, location);
            (target.values as boolean[])[at] = b;
            break;
          }
          case 'S':
            (target.values as string[])[at] = token;
            break;
        }
      }
    }
    const symbol = (data.get('species')!.values as string[])[a]!;
    atomicNumbers[a] = elementFromToken(symbol, location);
  }
  const charge = infoInteger(info, 'charge', commentLocation);
  const multiplicity = infoInteger(info, 'multiplicity', commentLocation);
  const molecule = createMolecule({
    atomicNumbers,
    positionsAngstrom: data.get('pos')!.values as Float64Array,
    ...(charge !== undefined ? { charge } : {}),
    ...(multiplicity !== undefined ? { multiplicity } : {}),
    title: comment.trim(),
    source: { ...commentLocation, atomLines: Array.from({ length: nAtoms }, (_, a) => firstAtomLine + a + 1) },
  });
  const properties: Record<string, ExtXyzProperty> = {};
  for (const [name, p] of data) {
    if (name === 'species' || name === 'pos') continue;
    properties[name] = p as ExtXyzProperty;
  }
  return {
    molecule,
    comment,
    extended: true,
    info,
    ...(latticeAngstrom ? { latticeAngstrom } : {}),
    ...(pbc ? { pbc } : {}),
    properties,
  };
}

/**
 * Parse a single-geometry XYZ or extended-XYZ text.
 * @throws InputError naming the file, line and problem; also when the text holds more than one frame.
 */
export function parseXyz(text: string, fileName = '<input>'): Molecule {
  const frames = parseXyzFrames(text, fileName);
  if (frames.length !== 1) {
    throw new InputError(
      `holds ${frames.length} frames but one geometry was expected (read trajectories with readXyzTrajectoryFile)`,
      { file: fileName },
    );
  }
  return frames[0]!.molecule;
}

/** Parse every frame of a multi-frame XYZ text (a trajectory) into molecules. */
export function parseXyzTrajectory(text: string, fileName = '<input>'): Molecule[] {
  return parseXyzFrames(text, fileName).map((f) => f.molecule);
}


/** Read a single-geometry XYZ or extended-XYZ file. @throws InputError (missing file: "cannot read geometry file '…': no such file"). */
export function readXyzFile(path: string): Molecule {
  return parseXyz(readTextFile(path, 'geometry file'), path);
}

/** Read every frame of an XYZ or extended-XYZ file (a trajectory). */
export function readXyzTrajectoryFile(path: string): Molecule[] {
  return parseXyzTrajectory(readTextFile(path, 'geometry file'), path);
}

/** Read every frame of an XYZ or extended-XYZ file with its extended-XYZ data. */
export function readXyzFramesFile(path: string): XyzFrame[] {
  return parseXyzFrames(readTextFile(path, 'geometry file'), path);
}

// ─── writers ────────────────────────────────────────────────────────────────────────────────────

function defaultMultiplicity(m: Molecule): number {
  return electronCount(m) % 2 === 0 ? 1 : 2;
}

function formatReal(v: number, decimals: number, width: number): string {
  const s = Number.isFinite(v) ? (Object.is(v, -0) ? 0 : v).toFixed(decimals) : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  return s.padStart(width);
}

/**
 * Plain XYZ text of one molecule (Å). The comment line is `options.comment`, else the title, else
 * the formula; `charge=N multiplicity=M` is appended when the molecule is charged or not in its
 * lowest spin state (and the comment does not already say so), so reading the file back gives the
 * same molecule.
 */
export function formatXyz(m: Molecule, options: XyzFormatOptions = {}): string {
  const decimals = options.decimals ?? 10;
  let comment = (options.comment ?? m.title ?? moleculeFormula(m)).replace(/[\r\n]+/g, ' ');
  const stated = chargeAndMultiplicityFromCommentSafe(comment);
  const nonDefault = m.charge !== 0 || m.multiplicity !== defaultMultiplicity(m);
  const contradicts =
    (stated.charge !== undefined && stated.charge !== m.charge) ||
    (stated.multiplicity !== undefined && stated.multiplicity !== m.multiplicity);
  if (contradicts || (nonDefault && (stated.charge !== m.charge || stated.multiplicity !== m.multiplicity))) {
    comment = comment.replace(/(^|\s)(charge|multiplicity)\s*=\s*\S+/gi, '').trim();
    comment = `${comment}${comment ? ' ' : ''}charge=${m.charge} multiplicity=${m.multiplicity}`;
  }
  if (isExtendedComment(comment)) comment = comment.replace(/(Properties|Lattice)\s*=/gi, '$1:');
  const pos = positionsAngstrom(m);
  const width = decimals + 6;
  const out: string[] = [String(m.atomicNumbers.length), comment];
  for (let a = 0; a < m.atomicNumbers.length; a++) {
    out.push(
      `${elementSymbol(m.atomicNumbers[a]!).padEnd(2)} ${formatReal(pos[3 * a]!, decimals, width)} ${formatReal(pos[3 * a + 1]!, decimals, width)} ${formatReal(pos[3 * a + 2]!, decimals, width)}`,
    );
  }
  return out.join('\n') + '\n';
}

function chargeAndMultiplicityFromCommentSafe(comment: string): { charge?: number; multiplicity?: number } {
  try {
    return chargeAndMultiplicityFromComment(comment, {});
  } catch {
    return {};
  }
}

/** Plain multi-frame XYZ text (a trajectory). */
export function formatXyzTrajectory(molecules: readonly Molecule[], options: Omit<XyzFormatOptions, 'comment'> = {}): string {
  return molecules.map((m) => formatXyz(m, options)).join('');
}

function writeText(path: string, text: string, what: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new InputError(`cannot write ${what} '${path}': ${reason}`);
  }
}

/** Write one molecule, or several as a trajectory, as plain XYZ (Å). */
export function writeXyzFile(path: string, molecules: Molecule | readonly Molecule[], options: XyzFormatOptions = {}): void {
  const text = Array.isArray(molecules)
    ? formatXyzTrajectory(molecules as readonly Molecule[], options)
    : formatXyz(molecules as Molecule, options);
  writeText(path, text, 'geometry file');
}

function quoteExtXyz(s: string): string {
  if (s !== '' && !/[\s"'\\=[\]{}]/.test(s)) return s;
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function formatInfoNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return String(v);
}

/** The text of one extended-XYZ header value (typed as {@link parseExtXyzValue} reads it back). */
export function formatExtXyzValue(v: ExtXyzValue): string {
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'number') return formatInfoNumber(v);
  if (typeof v === 'string') return quoteExtXyz(v);
  const parts = (v as (number | boolean | string)[]).map((x) =>
    typeof x === 'boolean' ? (x ? 'T' : 'F') : typeof x === 'number' ? formatInfoNumber(x) : String(x),
  );
  return `"${parts.join(' ')}"`;
}

const RESERVED_KEYS = new Set(['properties', 'lattice', 'pbc']);

/**
 * Extended-XYZ text of one or more frames, readable by ASE (`ase.io.read(..., format='extxyz')`):
 * `Lattice="…"` (when given), `Properties=species:S:1:pos:R:3[:name:T:n…]`, the info keys, the
 * molecule's `charge`/`multiplicity` when not the default, and `pbc="…"`.
 */
export function formatExtXyz(frames: ExtXyzFrameInput | readonly ExtXyzFrameInput[], options: Omit<XyzFormatOptions, 'comment'> = {}): string {
  const list = Array.isArray(frames) ? (frames as readonly ExtXyzFrameInput[]) : [frames as ExtXyzFrameInput];
  const decimals = options.decimals ?? 10;
  const width = decimals + 6;
  let text = '';
  for (const frame of list) {
    const m = frame.molecule;
    const n = m.atomicNumbers.length;
    const props = Object.entries(frame.properties ?? {});
    for (const [name, p] of props) {
      if (name === 'species' || name === 'pos') throw new InputError(`per-atom property '${name}' is reserved for the molecule`);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new InputError(`per-atom property name '${name}' must be an identifier`);
      if (p.values.length !== p.columns * n) {
        throw new InputError(`per-atom property '${name}' has ${p.values.length} values, expected ${p.columns} × ${n} atoms`);
      }
    }
    const header: string[] = [];
    if (frame.latticeAngstrom) {
      if (frame.latticeAngstrom.length !== 9) throw new InputError('latticeAngstrom must hold 9 numbers');
      header.push(`Lattice="${Array.from(frame.latticeAngstrom, (x) => formatInfoNumber(x)).join(' ')}"`);
    }
    header.push(`Properties=species:S:1:pos:R:3${props.map(([name, p]) => `:${name}:${p.type}:${p.columns}`).join('')}`);
    const info: Record<string, ExtXyzValue> = { ...(frame.info ?? {}) };
    if (m.charge !== 0 || m.multiplicity !== defaultMultiplicity(m)) {
      info.charge = m.charge;
      info.multiplicity = m.multiplicity;
    }
    for (const [key, value] of Object.entries(info)) {
      if (RESERVED_KEYS.has(key.toLowerCase())) throw new InputError(`info key '${key}' is reserved; use the frame's own field`);
      if (!/^[^\s="'\\[\]{}]+$/.test(key)) throw new InputError(`info key '${key}' cannot be written in an extended XYZ header`);
      header.push(`${key}=${formatExtXyzValue(value)}`);
    }
    const pbc = frame.pbc ?? [false, false, false];
    header.push(`pbc="${pbc.map((b) => (b ? 'T' : 'F')).join(' ')}"`);
    const pos = positionsAngstrom(m);
    const out: string[] = [String(n), header.join(' ')];
    for (let a = 0; a < n; a++) {
      const cols: string[] = [
        elementSymbol(m.atomicNumbers[a]!).padEnd(2),
        formatReal(pos[3 * a]!, decimals, width),
        formatReal(pos[3 * a + 1]!, decimals, width),
        formatReal(pos[3 * a + 2]!, decimals, width),
      ];
      for (const [name, p] of props) {
        for (let c = 0; c < p.columns; c++) {
          const v = p.values[a * p.columns + c];
          switch (p.type) {
            case 'R':
              cols.push(formatReal(v as number, decimals, width));
              break;
            case 'I':
              cols.push(String(v).padStart(6));
              break;
            case 'L':
              cols.push(v ? 'T' : 'F');
              break;
            case 'S': {
              const s = String(v);
              if (s === '' || /\s/.test(s)) throw new InputError(`string property '${name}' of atom ${a + 1} is empty or contains whitespace`);
              cols.push(s);
              break;
            }
          }
        }
      }
      out.push(cols.join(' '));
    }
    text += out.join('\n') + '\n';
  }
  return text;
}

/** Write one or more frames as extended XYZ. */
export function writeExtXyzFile(
  path: string,
  frames: ExtXyzFrameInput | readonly ExtXyzFrameInput[],
  options: Omit<XyzFormatOptions, 'comment'> = {},
): void {
  writeText(path, formatExtXyz(frames, options), 'extended XYZ file');
}
