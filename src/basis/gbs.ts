/**
 * Gaussian94 (`.gbs`) basis-set parser.
 *
 * Format accepted (as written by the EMSL Basis Set Exchange and shipped in data/basis/):
 *   - optional first non-comment line `spherical` or `cartesian` (pure 5d/7f vs cartesian 6d/10f);
 *   - `!` starts a comment (whole line or trailing); blank lines are ignored;
 *   - each element block starts with `<symbol> 0`, lists shells and ends with `****`;
 *   - a shell header is `<L> <nPrimitives> <scale>` with L one of S P D F G H I (or SP / L for a
 *     combined s+p shell sharing exponents), followed by nPrimitives lines `exponent coefficient`
 *     (`exponent sCoefficient pCoefficient` for SP). Fortran `D` exponents (1.0D+00) are accepted.
 *   The scale factor multiplies every exponent by scale².
 *
 * An effective-core-potential section (an element line followed by `<symbol>-ECP lMax nCore`, as
 * at the end of def2 files) ends the orbital part: the elements it names are recorded in
 * `ecpElements` and their orbital shells are unusable without the ECP, which qde does not implement.
 *
 * Exponents (after scaling) must lie in [{@link MIN_EXPONENT}, {@link MAX_EXPONENT}] Bohr⁻² and
 * contraction coefficients in [−{@link MAX_COEFFICIENT}, {@link MAX_COEFFICIENT}], not all zero
 * in a shell; see those constants for why.
 *
 * SP shells are split into an s shell and a p shell with the same exponents, as Psi4 does.
 * Coefficients are stored as read (for normalised primitives); normalisation happens in
 * buildMolecularBasis.
 */
import { InputError } from '../core/index.js';
import { atomicNumberOf } from '../chem/index.js';

/** One contracted shell of an element, as read from a basis file (unnormalised). */
export interface BasisShellDefinition {
  /** Angular momentum (0 = s, 1 = p, …). */
  readonly l: number;
  /** Primitive exponents in Bohr⁻². */
  readonly exponents: readonly number[];
  /** Contraction coefficients for normalised primitives, as in the file. */
  readonly coefficients: readonly number[];
}

/** A parsed basis set: shells per element. */
export interface BasisLibrary {
  /** Basis-set name (file name without extension, or the library name). */
  readonly name: string;
  /** File the basis came from, when read from disk. */
  readonly file?: string;
  /** True: pure (spherical) functions for l ≥ 2; false: cartesian. */
  readonly pure: boolean;
  /** Shells per atomic number. */
  readonly elements: ReadonlyMap<number, readonly BasisShellDefinition[]>;
  /** Atomic numbers for which the file defines an effective core potential (not supported by qde). */
  readonly ecpElements: ReadonlySet<number>;
}

/** Options of {@link parseGbs}. */
export interface ParseGbsOptions {
  /** Name used in error messages (e.g. the file path). */
  fileName?: string;
  /** Basis-set name stored in the library (default: derived from fileName, else 'custom'). */
  name?: string;
  /**
   * Force pure (true) or cartesian (false) functions. Without it the file's first line
   * `spherical`/`cartesian` decides; files without that line are cartesian for Pople-style names
   * (3-21G, 6-31G…, STO-nG) and spherical otherwise.
   */
  pure?: boolean;
}

const L_LETTERS = 'SPDFGHIK';

/**
 * Largest accepted primitive exponent (Bohr⁻²). A primitive's kinetic energy is 3α/2 Hartree, so the
 * Fock matrix holds entries of order α and its eigenvectors are resolved only to ~2.2·10⁻¹⁶·α
 * Hartree: with one tight s function on the O of H₂O, α = 10¹¹ still reproduces the energy without
 * it to 10⁻¹¹ Eh, while α = 10¹² makes the SCF stall and α = 10³⁰ moves the energy by 10⁻² Eh.
 * The tightest shipped exponent is 1.2·10⁷ (cc-pVTZ, Kr); 10¹⁰ leaves room for core-valence and
 * uncontracted sets and a factor 100 to the breakdown.
 */
export const MAX_EXPONENT = 1e10;

/**
 * Smallest accepted primitive exponent (Bohr⁻²). Normalisation multiplies α^(l+3/2) factors and
 * overlaps their inverse; for α below ~10⁻⁴⁰ and l ≤ 6 these leave the double range and the shell
 * norm becomes 0 or ∞. A primitive with α = 10⁻²⁰ is flat over 10¹⁰ Bohr, i.e. constant over any
 * molecule; the most diffuse exponents in real basis sets are ~10⁻⁴.
 */
export const MIN_EXPONENT = 1e-20;

/**
 * Largest accepted |contraction coefficient|. Contractions are renormalised, so only ratios matter;
 * the bound keeps products c_i·c_j·(π/p)^{3/2} far from overflow. Coefficients in real files are
 * below 10 in magnitude.
 */
export const MAX_COEFFICIENT = 1e6;

/** Parse a number in Fortran or C notation (1.0D+00, 1.0E+00, 0.5). NaN when malformed. */
function parseFortranNumber(token: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([EeDd][+-]?\d+)?$/.test(token)) return Number.NaN;
  return Number(token.replace(/[Dd]/, 'E'));
}

/** Whether a basis name looks like a Pople or STO-nG basis (cartesian by convention). */
export function isPopleStyleName(name: string): boolean {
  return /^(sto-\d+g|\d+-\d+\+*g)/i.test(name.trim());
}

/**
 * Parse Gaussian94 basis-set text.
 * @throws InputError naming the file, 1-based line and problem for malformed input.
 */
export function parseGbs(text: string, options: ParseGbsOptions = {}): BasisLibrary {
  const file = options.fileName ?? '<basis>';
  const baseName = options.name ?? (options.fileName ? options.fileName.replace(/^.*[\\/]/, '').replace(/\.gbs$/i, '') : 'custom');
  const lines = text.split(/\r?\n/);
  const elements = new Map<number, BasisShellDefinition[]>();
  const ecpElements = new Set<number>();
  let inEcp = false;
  let headerPure: boolean | undefined;
  let seenContent = false;
  let current: BasisShellDefinition[] | undefined;
  let currentSymbol = '';

  const fail = (lineIndex: number, problem: string): never => {
    throw new InputError(problem, { file, line: lineIndex + 1 });
  };

  let i = 0;
  const nextContentLine = (): { tokens: string[]; index: number } | undefined => {
    while (i < lines.length) {
      const raw = lines[i];
      const bang = raw.indexOf('!');
      const body = (bang >= 0 ? raw.slice(0, bang) : raw).trim();
      const index = i;
      i++;
      if (body.length > 0) return { tokens: body.split(/\s+/), index };
    }
    return undefined;
  };

  for (;;) {
    const line = nextContentLine();
    if (!line) break;
    const { tokens, index } = line;
    const first = tokens[0];
    if (!seenContent && tokens.length === 1 && /^(spherical|cartesian)$/i.test(first)) {
      headerPure = first.toLowerCase() === 'spherical';
      seenContent = true;
      continue;
    }
    seenContent = true;
    const ecp = /^([A-Za-z]{1,2})-ECP$/i.exec(first);
    if (ecp) {
      // ECP section: remember the element, skip its data (everything from here on is ECP data).
      inEcp = true;
      const z = atomicNumberOf(ecp[1]);
      if (z !== undefined) ecpElements.add(z);
      if (current !== undefined && current.length === 0) elements.delete(atomicNumberOf(currentSymbol)!);
      current = undefined;
      continue;
    }
    if (inEcp) continue;
    if (first === '****') {
      current = undefined;
      continue;
    }
    if (current === undefined) {
      // Element header: symbol and a 0.
      if (tokens.length < 1 || tokens.length > 2 || (tokens.length === 2 && tokens[1] !== '0')) {
        fail(index, `expected an element line '<symbol> 0', got '${tokens.join(' ')}'`);
      }
      const z = atomicNumberOf(first.replace(/^-/, ''));
      if (z === undefined) fail(index, `unknown element '${first}'`);
      if (elements.has(z!)) {
        // An element line directly followed by its ECP header is the start of the ECP section.
        const save = i;
        const next = nextContentLine();
        i = save;
        if (next && /^[A-Za-z]{1,2}-ECP$/i.test(next.tokens[0])) continue;
        fail(index, `element '${first}' appears twice`);
      }
      current = [];
      currentSymbol = first;
      elements.set(z!, current);
      continue;
    }
    // Shell header.
    const letter = first.toUpperCase();
    const isSp = letter === 'SP' || letter === 'L';
    const l = isSp ? -1 : letter.length === 1 ? L_LETTERS.indexOf(letter) : -2;
    if (l === -2 || (l < 0 && !isSp)) {
      fail(index, `expected a shell line '<L> <nPrimitives> <scale>' or '****' in element ${currentSymbol}, got '${tokens.join(' ')}'`);
    }
    if (tokens.length < 2) fail(index, `shell line '${tokens.join(' ')}' lacks the number of primitives`);
    const nPrim = Number(tokens[1]);
    if (!Number.isInteger(nPrim) || nPrim < 1) fail(index, `bad number of primitives '${tokens[1]}'`);
    const scale = tokens.length >= 3 ? parseFortranNumber(tokens[2]) : 1;
    if (!(scale > 0 && Number.isFinite(scale))) fail(index, `bad scale factor '${tokens[2]}'`);
    const exps: number[] = [];
    const c1: number[] = [];
    const c2: number[] = [];
    for (let k = 0; k < nPrim; k++) {
      const prim = nextContentLine();
      if (!prim) fail(index, `file ends inside this shell of element ${currentSymbol} (${k} of ${nPrim} primitives read)`);
      const pt = prim!.tokens;
      const need = isSp ? 3 : 2;
      if (pt.length < need) fail(prim!.index, `expected ${need} numbers on a primitive line, got '${pt.join(' ')}'`);
      const e = parseFortranNumber(pt[0]);
      const a = parseFortranNumber(pt[1]);
      const b = isSp ? parseFortranNumber(pt[2]) : 0;
      if (!(e > 0)) fail(prim!.index, `bad exponent '${pt[0]}' (must be a positive number)`);
      const scaled = e * scale * scale;
      if (!(scaled >= MIN_EXPONENT && scaled <= MAX_EXPONENT)) {
        fail(
          prim!.index,
          `exponent ${pt[0]}${scale !== 1 ? ` (× scale² = ${scaled.toExponential(3)})` : ''} is outside ` +
            `[${MIN_EXPONENT.toExponential(0)}, ${MAX_EXPONENT.toExponential(0)}] Bohr⁻², where double-precision integrals are reliable`,
        );
      }
      for (const [token, c] of isSp ? [[pt[1], a], [pt[2], b]] as const : [[pt[1], a]] as const) {
        if (!Number.isFinite(c)) fail(prim!.index, `bad contraction coefficient '${token}'`);
        if (Math.abs(c) > MAX_COEFFICIENT) {
          fail(prim!.index, `contraction coefficient ${token} is larger in magnitude than ${MAX_COEFFICIENT.toExponential(0)}`);
        }
      }
      exps.push(scaled);
      c1.push(a);
      c2.push(b);
    }
    if (c1.every((c) => c === 0) || (isSp && c2.every((c) => c === 0))) {
      fail(index, `every contraction coefficient of this ${isSp ? 'SP' : letter} shell of element ${currentSymbol} is zero`);
    }
    if (isSp) {
      current.push({ l: 0, exponents: exps, coefficients: c1 });
      current.push({ l: 1, exponents: exps.slice(), coefficients: c2 });
    } else {
      current.push({ l, exponents: exps, coefficients: c1 });
    }
  }
  if (current !== undefined && current.length === 0) {
    throw new InputError(`element ${currentSymbol} has no shells`, { file });
  }
  if (elements.size === 0) throw new InputError('no element blocks found in basis file', { file });
  const pure = options.pure ?? headerPure ?? !isPopleStyleName(baseName);
  return { name: baseName, file: options.fileName, pure, elements, ecpElements };
}
