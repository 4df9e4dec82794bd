/**
 * FCIDUMP reader and writer (Knowles & Handy, Comput. Phys. Commun. 54, 75 (1989)), compatible with
 * the files PySCF (`pyscf.tools.fcidump`), Psi4 (`psi4.fcidump`) and Molpro write.
 *
 * Layout of a file:
 *   &FCI NORB=n, NELEC=N, MS2=2S, ORBSYM=s1,s2,..., ISYM=1, (other keys ignored)
 *   &END                           (or `/`, or `$END`)
 *   value  i  j  k  l              (pq|rs) two-electron integral, chemists' notation, 1-based
 *   value  i  j  0  0              one-electron integral h[i,j]
 *   value  i  0  0  0              orbital energy (ignored: it follows from h and (pq|rs))
 *   value  0  0  0  0              core energy (nuclear repulsion + frozen core)
 * Values may use Fortran `D` exponents. Each integral may appear in any of its permutational orders;
 * all 8 (two-body) or 2 (one-body) symmetry partners are filled in. Integrals not listed are zero.
 * An integral may be repeated (some writers list h_pq and h_qp, or several orders of (pq|rs)) only
 * with the same value, within {@link FCIDUMP_DUPLICATE_TOLERANCE_HARTREE}; a file that gives one
 * integral (or the core energy) two different values contradicts itself and is refused, naming
 * both lines. Only restricted (spatial-orbital) files are supported; `UHF=.TRUE.` is rejected.
 *
 * The writer emits each unique integral once (i ≥ j, k ≥ l, ij ≥ kl) with 17 significant digits, so
 * a write → read round trip reproduces every Float64 value exactly.
 */
import { writeFileSync } from 'node:fs';
import { InputError, defaultMemoryLimitBytes, readTextFile, requireMemoryBytes } from '../core/index.js';
import { setTwoBodySymmetric, type MolecularHamiltonian } from './molecular-hamiltonian.js';

interface FcidumpHeader {
  norb: number;
  nelec: number;
  ms2: number;
  orbsym?: Int32Array;
}

const TERMINATOR = /(&END|\$END|\/)\s*$/i;

/**
 * Two entries for the same integral may differ by at most this much (Hartree). Writers print 16–20
 * significant digits, so honest repeats agree to ~10⁻¹⁵; 10⁻¹⁰ also admits files written with 10
 * decimals, and any larger difference changes energies visibly.
 */
export const FCIDUMP_DUPLICATE_TOLERANCE_HARTREE = 1e-10;

/**
 * Largest |value| accepted (Hartree). Near 10⁶ the spacing of doubles is 1.2·10⁻¹⁰, the accuracy
 * asked of energies; real integrals and core energies (nuclear repulsion) stay far below, and
 * larger values only make the methods overflow.
 */
export const MAX_FCIDUMP_VALUE_HARTREE = 1e6;

/**
 * Largest NORB the dense n⁴ two-electron array can hold at all: a typed array has fewer than 2³²
 * elements. Below it, the memory limit decides (n⁴ × 8 bytes: 2 GB at 128 orbitals, 34 GB at 255).
 */
export const MAX_FCIDUMP_ORBITALS = 255;

/** Index of the unordered pair {p, q} (0-based). */
function pairIndex(p: number, q: number): number {
  return p >= q ? (p * (p + 1)) / 2 + q : (q * (q + 1)) / 2 + p;
}

/** Chemists'-notation label of a 1-based integral, e.g. (12|34) or (10 11|1 2) for wide indices. */
function integralLabel(i: number, j: number, k: number, l: number): string {
  return i > 9 || j > 9 || k > 9 || l > 9 ? `(${i} ${j}|${k} ${l})` : `(${i}${j}|${k}${l})`;
}

/**
 * Parse the text of an FCIDUMP file into a {@link MolecularHamiltonian}.
 * nAlpha = (NELEC + MS2)/2 and nBeta = (NELEC − MS2)/2.
 * @param fileName used in error messages only.
 * @throws InputError naming the file and line of the first problem.
 */
export function parseFcidump(
  text: string,
  fileName = '<fcidump>',
  maxMemoryBytes: number = defaultMemoryLimitBytes(),
): MolecularHamiltonian {
  const lines = text.split(/\r?\n/);
  // Collect the namelist header.
  let headerEnd = -1;
  let headerText = '';
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (i === 0 && !/^[&$]FCI\b/i.test(trimmed)) {
      throw new InputError(`not an FCIDUMP file: the first line must start with '&FCI'`, { file: fileName, line: 1 });
    }
    headerText += ' ' + trimmed;
    if (TERMINATOR.test(trimmed)) {
      headerEnd = i;
      break;
    }
  }
  if (headerEnd < 0) {
    throw new InputError(`the &FCI header is never closed by '&END' or '/'`, { file: fileName, line: lines.length });
  }
  const header = parseHeader(headerText, fileName, headerEnd + 1);
  requireMemoryBytes(`${fileName}: NORB=${header.norb}: storing the dense two-electron integrals`, header.norb ** 4 * 8, maxMemoryBytes);
  const n = header.norb;
  const oneBody = new Float64Array(n * n);
  const twoBody = new Float64Array(n * n * n * n);
  let constantHartree = 0;
  // 1-based line of the first entry of each unique integral (0: not given yet).
  const nPairs = (n * (n + 1)) / 2;
  const twoBodyLine = new Int32Array((nPairs * (nPairs + 1)) / 2);
  const oneBodyLine = new Int32Array(nPairs);
  let constantLine = 0;
  const n3 = n * n * n;
  /** True when this entry repeats an earlier one; throws when the two values differ. */
  const repeated = (firstLine: number, previous: number, value: number, label: string, location: { file: string; line: number }): boolean => {
    if (firstLine === 0) return false;
    if (!(Math.abs(value - previous) <= FCIDUMP_DUPLICATE_TOLERANCE_HARTREE)) {
      throw new InputError(
        `${label} = ${value} contradicts line ${firstLine}, which gives it the value ${previous} ` +
          `(a repeated integral, in any permutational order, must have the same value within ${FCIDUMP_DUPLICATE_TOLERANCE_HARTREE} Eh)`,
        location,
      );
    }
    return true;
  };

  for (let lineIndex = headerEnd + 1; lineIndex < lines.length; lineIndex++) {
    const line = lines[lineIndex];
    const fields = line.trim().split(/[\s,]+/);
    if (fields.length === 1 && fields[0] === '') continue;
    const location = { file: fileName, line: lineIndex + 1 };
    if (fields.length !== 5) {
      throw new InputError(`expected 'value i j k l', found ${fields.length} field(s): '${line.trim()}'`, location);
    }
    const value = parseFortranNumber(fields[0]);
    if (!Number.isFinite(value)) throw new InputError(`'${fields[0]}' is not a number`, location);
    if (Math.abs(value) > MAX_FCIDUMP_VALUE_HARTREE) {
      throw new InputError(`value ${fields[0]} is larger in magnitude than ${MAX_FCIDUMP_VALUE_HARTREE.toExponential(0)} Eh`, location);
    }
    const i = parseIndex(fields[1], n, location);
    const j = parseIndex(fields[2], n, location);
    const k = parseIndex(fields[3], n, location);
    const l = parseIndex(fields[4], n, location);
    if (i > 0 && j > 0 && k > 0 && l > 0) {
      const key = pairIndex(pairIndex(i - 1, j - 1), pairIndex(k - 1, l - 1));
      const previous = twoBody[(i - 1) * n3 + (j - 1) * n * n + (k - 1) * n + (l - 1)]!;
      if (repeated(twoBodyLine[key]!, previous, value, integralLabel(i, j, k, l), location)) continue;
      twoBodyLine[key] = lineIndex + 1;
      setTwoBodySymmetric(twoBody, n, i - 1, j - 1, k - 1, l - 1, value);
    } else if (i > 0 && j > 0 && k === 0 && l === 0) {
      const key = pairIndex(i - 1, j - 1);
      if (repeated(oneBodyLine[key]!, oneBody[(i - 1) * n + (j - 1)]!, value, `h${i},${j}`, location)) continue;
      oneBodyLine[key] = lineIndex + 1;
      oneBody[(i - 1) * n + (j - 1)] = value;
      oneBody[(j - 1) * n + (i - 1)] = value;
    } else if (i > 0 && j === 0 && k === 0 && l === 0) {
      // Orbital energy: redundant with h and (pq|rs); ignored.
    } else if (i === 0 && j === 0 && k === 0 && l === 0) {
      if (repeated(constantLine, constantHartree, value, 'the core energy', location)) continue;
      constantLine = lineIndex + 1;
      constantHartree = value;
    } else {
      throw new InputError(`index pattern ${i} ${j} ${k} ${l} is not a valid FCIDUMP entry`, location);
    }
  }

  const twiceS = header.ms2;
  const nAlpha = (header.nelec + twiceS) / 2;
  const nBeta = (header.nelec - twiceS) / 2;
  const ham: MolecularHamiltonian = {
    nOrbitals: n,
    nAlpha,
    nBeta,
    constantHartree,
    oneBody,
    twoBody,
    ...(header.orbsym ? { orbitalSymmetries: header.orbsym } : {}),
  };
  return ham;
}

/** Read and parse an FCIDUMP file. @throws InputError when it cannot be read or parsed. */
export function readFcidump(path: string, maxMemoryBytes: number = defaultMemoryLimitBytes()): MolecularHamiltonian {
  return parseFcidump(readTextFile(path, 'FCIDUMP file'), path, maxMemoryBytes);
}

/**
 * FCIDUMP text of a Hamiltonian: header in the layout PySCF writes (`&FCI NORB=…` … `&END`), then the unique two-body
 * integrals (i ≥ j, k ≥ l, ij ≥ kl), the one-body integrals (i ≥ j) and the core energy. Exact zeros
 * are omitted. Values carry 17 significant digits (exact Float64 round trip).
 */
export function formatFcidump(ham: MolecularHamiltonian): string {
  const n = ham.nOrbitals;
  const nElectrons = ham.nAlpha + ham.nBeta;
  const ms2 = ham.nAlpha - ham.nBeta;
  const orbsym = ham.orbitalSymmetries ? Array.from(ham.orbitalSymmetries) : new Array<number>(n).fill(1);
  const out: string[] = [];
  // PySCF's layout (PySCF's reader needs a key on the &FCI line; Molpro reads any namelist).
  out.push(` &FCI NORB=${n},NELEC=${nElectrons},MS2=${ms2},`);
  out.push(`  ORBSYM=${orbsym.join(',')},`);
  out.push('  ISYM=1,');
  out.push(' &END');
  const n2 = n * n;
  const n3 = n2 * n;
  const g = ham.twoBody;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const ij = (i * (i + 1)) / 2 + j;
      for (let k = 0; k <= i; k++) {
        for (let l = 0; l <= k; l++) {
          const kl = (k * (k + 1)) / 2 + l;
          if (kl > ij) break;
          const v = g[i * n3 + j * n2 + k * n + l];
          if (v !== 0) out.push(`${formatValue(v)} ${i + 1} ${j + 1} ${k + 1} ${l + 1}`);
        }
      }
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = ham.oneBody[i * n + j];
      if (v !== 0) out.push(`${formatValue(v)} ${i + 1} ${j + 1} 0 0`);
    }
  }
  out.push(`${formatValue(ham.constantHartree)} 0 0 0 0`);
  return out.join('\n') + '\n';
}

/** Write a Hamiltonian as an FCIDUMP file (see {@link formatFcidump}). */
export function writeFcidump(ham: MolecularHamiltonian, path: string): void {
  const text = formatFcidump(ham);
  try {
    writeFileSync(path, text);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (e as Error).message;
    throw new InputError(`cannot write FCIDUMP file '${path}': ${reason}`);
  }
}

/** 17 significant digits in E notation, right-aligned: exact for every Float64. */
function formatValue(v: number): string {
  return v.toExponential(16).padStart(24);
}

/** Fortran-style real: accepts D/d exponents (1.0D-03) and a missing exponent letter is not allowed. */
function parseFortranNumber(field: string): number {
  const normalised = field.replace(/[dD]/, 'e');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(normalised)) return Number.NaN;
  return Number(normalised);
}

function parseIndex(field: string, norb: number, location: { file: string; line: number }): number {
  if (!/^[+-]?\d+$/.test(field)) throw new InputError(`index '${field}' is not an integer`, location);
  const v = Number(field);
  if (v < 0 || v > norb) throw new InputError(`orbital index ${v} is outside 0..NORB=${norb}`, location);
  return v;
}

/** Parse `KEY=v1,v2,... KEY2=...` from the namelist text (between &FCI and &END). */
function parseHeader(text: string, file: string, line: number): FcidumpHeader {
  const body = text
    .trim()
    .replace(/^[&$]FCI/i, '')
    .replace(TERMINATOR, '');
  const entries = new Map<string, string[]>();
  const keyPattern = /([A-Za-z_][A-Za-z0-9_]*)\s*=/g;
  const matches = [...body.matchAll(keyPattern)];
  for (let m = 0; m < matches.length; m++) {
    const start = matches[m].index! + matches[m][0].length;
    const end = m + 1 < matches.length ? matches[m + 1].index! : body.length;
    const values = body
      .slice(start, end)
      .split(/[\s,]+/)
      .filter((v) => v.length > 0);
    entries.set(matches[m][1].toUpperCase(), values);
  }
  const location = { file, line };
  const integer = (key: string, required: boolean, fallback = 0): number => {
    const values = entries.get(key);
    if (!values || values.length === 0) {
      if (required) throw new InputError(`the &FCI header lacks ${key}=`, location);
      return fallback;
    }
    const v = Number(values[0]);
    if (!Number.isInteger(v)) throw new InputError(`${key}=${values[0]} is not an integer`, location);
    return v;
  };
  const norb = integer('NORB', true);
  const nelec = integer('NELEC', true);
  const ms2 = integer('MS2', false, 0);
  if (norb < 1) throw new InputError(`NORB=${norb} must be positive`, location);
  if (norb > MAX_FCIDUMP_ORBITALS) {
    throw new InputError(`NORB=${norb} is more than qde handles (at most ${MAX_FCIDUMP_ORBITALS}: all n⁴ integrals are stored densely)`, location);
  }
  if (nelec < 0 || nelec > 2 * norb) throw new InputError(`NELEC=${nelec} does not fit into ${norb} orbitals`, location);
  if (Math.abs(ms2) > nelec || (nelec + ms2) % 2 !== 0 || (nelec + ms2) / 2 > norb || (nelec - ms2) / 2 > norb) {
    throw new InputError(`MS2=${ms2} is impossible for NELEC=${nelec} in ${norb} orbitals`, location);
  }
  const uhf = entries.get('UHF') ?? entries.get('IUHF');
  if (uhf && /^(\.?T(RUE)?\.?|1)$/i.test(uhf[0])) {
    throw new InputError('unrestricted (UHF=.TRUE.) FCIDUMP files are not supported; write spatial-orbital integrals', location);
  }
  let orbsym: Int32Array | undefined;
  const symValues = entries.get('ORBSYM');
  if (symValues && symValues.length > 0) {
    const expanded: number[] = [];
    for (const v of symValues) {
      // Fortran namelist repeat count: 7*1 means seven ones.
      const star = v.indexOf('*');
      const count = star >= 0 ? Number(v.slice(0, star)) : 1;
      const sym = Number(star >= 0 ? v.slice(star + 1) : v);
      if (!Number.isInteger(count) || !Number.isInteger(sym)) {
        throw new InputError(`ORBSYM entry '${v}' is not an integer`, location);
      }
      // Irreps are numbered from 1 (Molpro's D2h order); larger than 2³¹ would wrap in an Int32Array.
      if (sym < 1 || sym > 0x7fffffff) throw new InputError(`ORBSYM entry '${v}' is not an irrep number (1, 2, …)`, location);
      if (count < 1 || count > norb) {
        throw new InputError(`ORBSYM repeat count in '${v}' does not fit NORB=${norb}`, location);
      }
      for (let c = 0; c < count; c++) expanded.push(sym);
    }
    if (expanded.length !== norb) {
      throw new InputError(`ORBSYM lists ${expanded.length} orbitals but NORB=${norb}`, location);
    }
    orbsym = Int32Array.from(expanded);
  }
  return { norb, nelec, ms2, orbsym };
}
