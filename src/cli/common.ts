/**
 * Shared pieces of the `qde` sub-commands: output streams, option parsers and the geometry loader.
 * Parsers throw commander's InvalidArgumentError so that a bad option value is reported like any
 * other usage error (`qde: option '--roots <K>' argument '-1' is invalid. …`, exit code 2).
 */
import { InvalidArgumentError } from 'commander';
import { InputError, parseMemorySize } from '../core/index.js';
import type { BackendSpec } from '../backends/index.js';
import { type Molecule, electronCount, validateChargeAndMultiplicity } from '../chem/index.js';
import { readXyzFile } from '../chem/index.js';

export { type CliIo, processIo } from './io.js';

/** Parse an integer option value (any sign). */
export function parseIntegerOption(value: string): number {
  if (!/^[+-]?\d+$/.test(value.trim())) throw new InvalidArgumentError('expected an integer.');
  return Number.parseInt(value, 10);
}

/** Parse a positive integer option value (≥ 1). */
export function parsePositiveIntegerOption(value: string): number {
  if (!/^\+?\d+$/.test(value.trim()) || Number.parseInt(value, 10) < 1) {
    throw new InvalidArgumentError('expected a positive integer.');
  }
  return Number.parseInt(value, 10);
}

/** Parse a memory size option value (`16GB`, `512MiB`, a number of bytes). */
export function parseMemoryOption(value: string): number {
  try {
    return parseMemorySize(value);
  } catch {
    throw new InvalidArgumentError('expected a size such as 16GB or 512MiB.');
  }
}

/** Parse a non-negative number option value (≥ 0, finite). */
export function parseNonNegativeNumberOption(value: string): number {
  const v = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(v) || v < 0) throw new InvalidArgumentError('expected a non-negative number.');
  return v;
}

/** Parse a non-negative integer option value (≥ 0). */
export function parseNonNegativeIntegerOption(value: string): number {
  if (!/^\+?\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a non-negative integer.');
  return Number.parseInt(value, 10);
}

/** An active space: `nElectrons` electrons in `nOrbitals` spatial orbitals. */
export interface ActiveSpaceOption {
  nElectrons: number;
  nOrbitals: number;
}

/** Parse `--active NELEC,NORB`. */
export function parseActiveOption(value: string): ActiveSpaceOption {
  const m = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected NELEC,NORB (two positive integers, e.g. 4,4).');
  const nElectrons = Number(m[1]);
  const nOrbitals = Number(m[2]);
  if (nElectrons < 1 || nOrbitals < 1) throw new InvalidArgumentError('both NELEC and NORB must be at least 1.');
  if (nElectrons > 2 * nOrbitals) {
    throw new InvalidArgumentError(`${nElectrons} electrons do not fit into ${nOrbitals} orbitals (at most ${2 * nOrbitals}).`);
  }
  return { nElectrons, nOrbitals };
}

/**
 * Read a geometry file and apply command-line charge/multiplicity overrides. When only the charge
 * is overridden, the multiplicity falls back to the lowest one for the new electron count unless
 * the file's multiplicity is still possible.
 */
export function loadGeometry(path: string, charge?: number, multiplicity?: number): Molecule {
  const fromFile = readXyzFile(path);
  if (charge === undefined && multiplicity === undefined) return fromFile;
  const newCharge = charge ?? fromFile.charge;
  const nElectrons = electronCount(fromFile) + fromFile.charge - newCharge;
  let newMultiplicity = multiplicity;
  if (newMultiplicity === undefined) {
    const keepsParity = (nElectrons + fromFile.multiplicity) % 2 === 1 && fromFile.multiplicity <= nElectrons + 1;
    newMultiplicity = charge === undefined || keepsParity ? fromFile.multiplicity : nElectrons % 2 === 0 ? 1 : 2;
  }
  // the charge now comes from the command line, not from the file's comment line
  const { commentLine: _, ...source } = fromFile.source ?? { file: path };
  const molecule: Molecule = { ...fromFile, charge: newCharge, multiplicity: newMultiplicity, ...(fromFile.source ? { source } : {}) };
  try {
    validateChargeAndMultiplicity(molecule);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${path}: ${e.message} (from --charge/--multiplicity)`);
    throw e;
  }
  return molecule;
}

/**
 * How the method layer's validation messages name a spec key on the command line: the option that
 * sets it (`frozenCore` → `--frozen-core`; the backend is chosen by `--shots`).
 */
export function optionName(key: string): string {
  if (key === 'backend') return '--shots';
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Lines `label  value` with the labels padded to a common width. */
export function alignedLines(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n') + '\n';
}

/** The backend options shared by `qde energy` and `qde ladder`. */
export interface BackendOptions {
  backend?: 'statevector' | 'shots' | 'noisy' | 'ionq';
  device?: string;
  shots?: number;
  /** Error mitigation of a measuring backend: readout, zne, symmetry. */
  mitigation?: ('readout' | 'zne' | 'symmetry')[];
}

/** Parse `--mitigation readout,zne,symmetry`. */
export function parseMitigationOption(value: string): ('readout' | 'zne' | 'symmetry')[] {
  const items = value.split(',').map((x) => x.trim()).filter((x) => x !== '');
  for (const x of items) {
    if (x !== 'readout' && x !== 'zne' && x !== 'symmetry') throw new InvalidArgumentError(`unknown mitigation '${x}' (choose from readout, zne, symmetry).`);
  }
  if (items.length === 0 || new Set(items).size !== items.length) throw new InvalidArgumentError('expected a list of distinct readout, zne, symmetry.');
  return items as ('readout' | 'zne' | 'symmetry')[];
}

/** Shots per estimate when a measuring backend is chosen without --shots. */
export const DEFAULT_SHOTS = 10_000;

/**
 * The backend spec of the command-line options: the exact state vector unless `--backend` or
 * `--shots` asks for measurements. `--device` names a noise preset or file (noisy), or an IonQ
 * target (ionq): `simulator`, `simulator:<noise model>` or a QPU such as `aria-1` (= `qpu.aria-1`).
 * @throws InputError for a device without a backend that takes one
 */
export function backendSpecFromOptions(options: BackendOptions): BackendSpec | undefined {
  const name = options.backend ?? (options.shots !== undefined ? 'shots' : 'statevector');
  if (options.device !== undefined && name !== 'noisy' && name !== 'ionq') {
    throw new InputError(`--device applies to --backend noisy or ionq, not ${name}`);
  }
  if (name === 'statevector') {
    if (options.shots !== undefined) throw new InputError('--shots does not apply to --backend statevector (it is exact)');
    if (options.mitigation !== undefined) throw new InputError('--mitigation needs a measuring backend (--backend shots, noisy or ionq)');
    return undefined;
  }
  const shots = options.shots ?? DEFAULT_SHOTS;
  const m = options.mitigation !== undefined ? { mitigation: options.mitigation } : {};
  if (name === 'shots') return { name, shots, ...m };
  if (name === 'noisy') return { name, device: options.device ?? 'aria-1', shots, ...m };
  const device = options.device ?? 'simulator';
  if (device === 'simulator') return { name, target: 'simulator', shots, ...m };
  if (device.startsWith('simulator:')) return { name, target: 'simulator', noiseModel: device.slice('simulator:'.length), shots, ...m };
  return { name, target: device.startsWith('qpu.') ? device : `qpu.${device}`, shots, ...m };
}

/** The `backend` key of a method spec from the command-line options (absent for the exact state vector). */
export function backendOf(options: BackendOptions): { backend?: BackendSpec } {
  const backend = backendSpecFromOptions(options);
  return backend !== undefined ? { backend } : {};
}
