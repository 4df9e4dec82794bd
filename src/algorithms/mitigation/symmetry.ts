/**
 * Symmetry verification by post-selection for Jordan–Wigner registers with interleaved spin
 * orbitals (qubit 2p = α of spatial orbital p, 2p + 1 = β): a measured bit string of a group gives
 * the occupation of every qubit measured in Z, so when every α qubit of the group's basis is
 * measured in Z (no X or Y on it) the shot's Nα is known exactly, and likewise Nβ. Shots whose
 * known counts differ from the molecule's (Nα, Nβ) — electron number and Sz — are discarded; groups
 * with X or Y on both spins keep all their shots (the basis does not reveal the counts). Qubits
 * not in the group's basis are still measured in Z, so they count.
 */
import { InputError } from '../../core/index.js';
import { popcount32 } from '../../core/index.js';
import type { QwcGroup } from '../../qubits/index.js';

/** The electron counts symmetry verification enforces. */
export interface SymmetrySpec {
  nAlpha: number;
  nBeta: number;
}

/** Masks of the α (even) and β (odd) qubits of an n-qubit Jordan–Wigner register. */
export function spinMasks(nQubits: number): { alpha: number; beta: number } {
  if (nQubits > 31) throw new InputError(`symmetry verification: ${nQubits} qubits exceed the 31-bit masks`);
  let alpha = 0;
  for (let q = 0; q < nQubits; q += 2) alpha |= 1 << q;
  const all = nQubits === 0 ? 0 : (2 ** nQubits - 1) >>> 0;
  return { alpha, beta: (all & ~alpha) >>> 0 };
}

/**
 * The post-selection of one group: a predicate on measured bits, or null when the group's basis
 * reveals neither Nα nor Nβ.
 */
export function symmetryFilter(spec: SymmetrySpec, group: QwcGroup, nQubits: number): ((bits: number) => boolean) | null {
  const { alpha, beta } = spinMasks(nQubits);
  if (spec.nAlpha > popcount32(alpha) || spec.nBeta > popcount32(beta) || spec.nAlpha < 0 || spec.nBeta < 0) {
    throw new InputError(`symmetry verification: (Nα, Nβ) = (${spec.nAlpha}, ${spec.nBeta}) do not fit ${nQubits} qubits`);
  }
  const checkAlpha = (group.basisX & alpha) === 0;
  const checkBeta = (group.basisX & beta) === 0;
  if (checkAlpha && checkBeta) return (b) => popcount32(b & alpha) === spec.nAlpha && popcount32(b & beta) === spec.nBeta;
  if (checkAlpha) return (b) => popcount32(b & alpha) === spec.nAlpha;
  if (checkBeta) return (b) => popcount32(b & beta) === spec.nBeta;
  return null;
}
