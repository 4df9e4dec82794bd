/**
 * Element data: symbols for H–Rn (so any basis file can be read) and standard atomic weights for
 * H–Kr, the elements qde supports in calculations.
 */
import { InputError } from '../core/index.js';

/** Element symbols indexed by atomic number (index 0 unused). */
export const ELEMENT_SYMBOLS: readonly string[] = [
  '',
  'H', 'He',
  'Li', 'Be', 'B', 'C', 'N', 'O', 'F', 'Ne',
  'Na', 'Mg', 'Al', 'Si', 'P', 'S', 'Cl', 'Ar',
  'K', 'Ca', 'Sc', 'Ti', 'V', 'Cr', 'Mn', 'Fe', 'Co', 'Ni', 'Cu', 'Zn', 'Ga', 'Ge', 'As', 'Se', 'Br', 'Kr',
  'Rb', 'Sr', 'Y', 'Zr', 'Nb', 'Mo', 'Tc', 'Ru', 'Rh', 'Pd', 'Ag', 'Cd', 'In', 'Sn', 'Sb', 'Te', 'I', 'Xe',
  'Cs', 'Ba', 'La', 'Ce', 'Pr', 'Nd', 'Pm', 'Sm', 'Eu', 'Gd', 'Tb', 'Dy', 'Ho', 'Er', 'Tm', 'Yb', 'Lu',
  'Hf', 'Ta', 'W', 'Re', 'Os', 'Ir', 'Pt', 'Au', 'Hg', 'Tl', 'Pb', 'Bi', 'Po', 'At', 'Rn',
];

/** Highest atomic number qde computes with (krypton). */
export const MAX_SUPPORTED_ATOMIC_NUMBER = 36;

/** Standard atomic weights (IUPAC, conventional values) in unified atomic mass units, H–Kr. */
export const ATOMIC_MASSES_DALTON: readonly number[] = [
  0,
  1.008, 4.0026,
  6.94, 9.0122, 10.81, 12.011, 14.007, 15.999, 18.998, 20.18,
  22.99, 24.305, 26.982, 28.085, 30.974, 32.06, 35.45, 39.948,
  39.098, 40.078, 44.956, 47.867, 50.942, 51.996, 54.938, 55.845, 58.933, 58.693, 63.546, 65.38,
  69.723, 72.63, 74.922, 78.971, 79.904, 83.798,
];

const SYMBOL_TO_Z = new Map<string, number>(
  ELEMENT_SYMBOLS.slice(1).map((s, i) => [s.toLowerCase(), i + 1]),
);

/** Atomic number of an element symbol (case-insensitive), or undefined when unknown. */
export function atomicNumberOf(symbol: string): number | undefined {
  return SYMBOL_TO_Z.get(symbol.trim().toLowerCase());
}

/**
 * Atomic number of a symbol that must name an element qde supports (H–Kr).
 * @throws InputError naming the symbol (and the file and line, when given).
 */
export function requireSupportedElement(symbol: string, location: { file?: string; line?: number } = {}): number {
  const z = atomicNumberOf(symbol);
  if (z === undefined) throw new InputError(`unknown element '${symbol}'`, location);
  if (z > MAX_SUPPORTED_ATOMIC_NUMBER) {
    throw new InputError(`element '${symbol}' (Z=${z}) is beyond krypton, the heaviest element qde supports`, location);
  }
  return z;
}

/** Symbol of an atomic number. */
export function elementSymbol(z: number): string {
  const s = ELEMENT_SYMBOLS[z];
  if (!s) throw new InputError(`no element with atomic number ${z}`);
  return s;
}
