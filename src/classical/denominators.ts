/**
 * Energy denominators of many-body perturbation theory and coupled cluster,
 *
 *   D = Σ_k (ε_{i_k} − ε_{a_k})   (one occupied i_k and one virtual a_k per excited electron k),
 *
 * must not vanish: a zero denominator (orbitals degenerate across the Fermi level, e.g. from an
 * FCIDUMP whose ε_i = ε_a or a symmetric geometry with a degenerate HOMO/LUMO) turns MP2, the CCSD
 * amplitude update and (T) into 0/0 = NaN or ±Infinity. {@link requireNonzeroDenominators} refuses
 * such a reference with an InputError naming the orbitals.
 *
 * Orbital energies are given per excited electron as occupied and virtual lists (Hartree) with the
 * 0-based orbital index of their first entry, so the message can name orbitals 1-based as in an
 * FCIDUMP.
 */
import { InputError } from '../core/index.js';

/**
 * A denominator smaller than this in magnitude (Hartree) counts as zero: its MP2 term would exceed
 * (ia|jb)²·10⁸, which no physical correlation energy is; such orbitals are degenerate up to the
 * convergence noise of an SCF.
 */
export const DENOMINATOR_TOLERANCE_HARTREE = 1e-8;

/** Orbital energies of one excited electron: where it comes from and where it goes. */
export interface ExcitationOrbitals {
  /** Energies of the occupied orbitals (Hartree). */
  readonly occupied: Float64Array;
  /** Energies of the virtual orbitals (Hartree). */
  readonly virtual: Float64Array;
  /** 0-based orbital index of occupied[0]. */
  readonly occupiedOffset: number;
  /** 0-based orbital index of virtual[0]. */
  readonly virtualOffset: number;
  /** Spin label used in messages ('α' or 'β'), if the orbitals are spin orbitals. */
  readonly spin?: string;
}

/** The smallest |D| found: its value and the index of each electron's occupied and virtual orbital. */
export interface SmallestDenominator {
  readonly valueHartree: number;
  readonly occupied: readonly number[];
  readonly virtual: readonly number[];
}

/** The slow exact search enumerates at most this many sums per side. */
const MAX_ENUMERATED_SUMS = 1 << 24;

function allSums(lists: readonly Float64Array[]): Float64Array | undefined {
  let count = 1;
  for (const l of lists) count *= l.length;
  if (count > MAX_ENUMERATED_SUMS) return undefined;
  let sums = Float64Array.of(0);
  for (const l of lists) {
    const next = new Float64Array(sums.length * l.length);
    let x = 0;
    for (let s = 0; s < sums.length; s++) for (let k = 0; k < l.length; k++) next[x++] = sums[s]! + l[k]!;
    sums = next;
  }
  return sums;
}

/** Indices (one per list) whose entries sum to exactly `target`, found by enumeration. */
function indicesOfSum(lists: readonly Float64Array[], target: number): number[] {
  const idx = new Array<number>(lists.length).fill(0);
  for (;;) {
    let s = 0;
    for (let k = 0; k < lists.length; k++) s += lists[k]![idx[k]!]!;
    if (s === target) return idx;
    let k = lists.length - 1;
    while (k >= 0 && ++idx[k]! === lists[k]!.length) idx[k--] = 0;
    if (k < 0) return idx;
  }
}

/**
 * The denominator of smallest magnitude over all excitations, or undefined when every denominator
 * is at least {@link DENOMINATOR_TOLERANCE_HARTREE} in magnitude (or there are no excitations).
 *
 * With a positive gap for every electron (every virtual above every occupied orbital) all
 * denominators are bounded by the sum of the gaps, which is checked in O(n). Otherwise the sums of
 * occupied and of virtual energies are enumerated and sorted, and the closest pair is found by a
 * merge (skipped above 2²⁴ sums per side).
 */
export function smallestDenominator(excitation: readonly ExcitationOrbitals[]): SmallestDenominator | undefined {
  let gapSum = 0;
  for (const e of excitation) {
    if (e.occupied.length === 0 || e.virtual.length === 0) return undefined;
    let maxOcc = -Infinity;
    let minVir = Infinity;
    for (const x of e.occupied) maxOcc = Math.max(maxOcc, x);
    for (const x of e.virtual) minVir = Math.min(minVir, x);
    gapSum += minVir - maxOcc;
  }
  // NaN orbital energies fail this test and are reported below.
  if (gapSum >= DENOMINATOR_TOLERANCE_HARTREE) return undefined;
  const occLists = excitation.map((e) => e.occupied);
  const virLists = excitation.map((e) => e.virtual);
  const occSums = allSums(occLists);
  const virSums = allSums(virLists);
  if (!occSums || !virSums) return undefined;
  occSums.sort();
  virSums.sort();
  let best = Infinity;
  let bestOcc = 0;
  let bestVir = 0;
  for (let p = 0, q = 0; p < occSums.length && q < virSums.length; ) {
    const d = occSums[p]! - virSums[q]!;
    if (!(Math.abs(d) >= best)) {
      best = Math.abs(d);
      bestOcc = occSums[p]!;
      bestVir = virSums[q]!;
      if (!(best >= 0)) break; // NaN
    }
    if (d < 0) p++;
    else q++;
  }
  if (best >= DENOMINATOR_TOLERANCE_HARTREE) return undefined;
  return {
    valueHartree: bestOcc - bestVir,
    occupied: indicesOfSum(occLists, bestOcc),
    virtual: indicesOfSum(virLists, bestVir),
  };
}

/**
 * Refuse a reference with a zero energy denominator.
 * @param method method name for the message, e.g. 'MP2'
 * @throws InputError naming the occupied and virtual orbitals (1-based) and their energies
 */
export function requireNonzeroDenominators(method: string, excitation: readonly ExcitationOrbitals[]): void {
  const found = smallestDenominator(excitation);
  if (!found) return;
  const name = (e: ExcitationOrbitals, which: 'occupied' | 'virtual', k: number): string => {
    const i = which === 'occupied' ? found.occupied[k]! : found.virtual[k]!;
    const orbital = (which === 'occupied' ? e.occupiedOffset : e.virtualOffset) + i + 1;
    const energy = (which === 'occupied' ? e.occupied : e.virtual)[i]!;
    return `${orbital}${e.spin ?? ''} (ε = ${energy.toPrecision(10)} Eh)`;
  };
  const occ = excitation.map((e, k) => name(e, 'occupied', k));
  const vir = excitation.map((e, k) => name(e, 'virtual', k));
  throw new InputError(
    `${method} is undefined for this reference: the energy denominator of occupied orbital${occ.length > 1 ? 's' : ''} ` +
      `${occ.join(', ')} and virtual orbital${vir.length > 1 ? 's' : ''} ${vir.join(', ')} is ` +
      `${found.valueHartree} Eh (orbitals degenerate across the Fermi level); use fci, or a reference with a gap`,
  );
}

/** The same orbitals for every excited electron (closed-shell doubles: n = 2, triples: n = 3). */
export function sameOrbitalsExcitations(
  occupied: Float64Array,
  virtual: Float64Array,
  occupiedOffset: number,
  virtualOffset: number,
  n: number,
): ExcitationOrbitals[] {
  return new Array<ExcitationOrbitals>(n).fill({ occupied, virtual, occupiedOffset, virtualOffset });
}
