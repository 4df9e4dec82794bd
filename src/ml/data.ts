/**
 * Training data of the learned models and the per-element reference energies.
 *
 * A {@link TrainingExample} is one labelled structure in atomic units: atomic numbers, positions in
 * Bohr (flat, atom a at [3a, 3a+1, 3a+2]), energy and its standard error in Hartree, optional forces
 * in Hartree/Bohr (same layout as the positions). Dataset records map onto it one to one.
 */
import { InputError, solveLinearSystem } from '../core/index.js';
import { elementSymbol } from '../chem/index.js';
import type { DatasetRecord } from '../dataset/index.js';

/** One labelled structure. */
export interface TrainingExample {
  atomicNumbers: ArrayLike<number>;
  positionsBohr: ArrayLike<number>;
  energyHartree: number;
  /** Standard error of the energy (0 for a deterministic label). */
  standardErrorHartree: number;
  forcesHartreePerBohr?: ArrayLike<number> | null;
  /** Content-hash key of the label, when known (recorded as provenance). */
  key?: string;
}

/** A dataset record as a training example. */
export function exampleFromRecord(record: DatasetRecord): TrainingExample {
  return {
    atomicNumbers: record.atomicNumbers,
    positionsBohr: record.positionsBohr,
    energyHartree: record.energyHartree,
    standardErrorHartree: record.standardErrorHartree,
    forcesHartreePerBohr: record.forcesHartreePerBohr,
    key: record.key,
  };
}

/** The sorted distinct atomic numbers of a set of structures. */
export function elementsOf(examples: readonly { atomicNumbers: ArrayLike<number> }[]): number[] {
  const set = new Set<number>();
  for (const e of examples) for (let a = 0; a < e.atomicNumbers.length; a++) set.add(e.atomicNumbers[a]);
  return [...set].sort((a, b) => a - b);
}

/**
 * Per-element reference energies e_Z minimising Σ_n (E_n − Σ_a e_{Z_a})² (least squares; a tiny
 * ridge keeps the normal equations solvable when two elements always occur in the same ratio).
 * Returns one energy per element of `elements`, in Hartree.
 */
export function fitReferenceEnergies(examples: readonly TrainingExample[], elements: readonly number[]): Float64Array {
  const k = elements.length;
  const ata = new Float64Array(k * k);
  const atb = new Float64Array(k);
  const counts = new Float64Array(k);
  for (const ex of examples) {
    counts.fill(0);
    for (let a = 0; a < ex.atomicNumbers.length; a++) {
      const e = elements.indexOf(ex.atomicNumbers[a]);
      if (e < 0) throw new InputError(`reference energies: element ${elementSymbol(ex.atomicNumbers[a])} is not in the element list`);
      counts[e]++;
    }
    for (let p = 0; p < k; p++) {
      atb[p] += counts[p] * ex.energyHartree;
      for (let q = 0; q < k; q++) ata[p * k + q] += counts[p] * counts[q];
    }
  }
  let trace = 0;
  for (let p = 0; p < k; p++) trace += ata[p * k + p];
  for (let p = 0; p < k; p++) ata[p * k + p] += 1e-10 * (trace / k);
  const x = solveLinearSystem(ata, atb, k);
  if (!x) throw new InputError('reference energies: the element counts do not determine them');
  return x;
}

/** Σ_a e_{Z_a} for one structure. */
export function referenceEnergy(atomicNumbers: ArrayLike<number>, elements: readonly number[], energies: Float64Array): number {
  let s = 0;
  for (let a = 0; a < atomicNumbers.length; a++) {
    const e = elements.indexOf(atomicNumbers[a]);
    if (e < 0) throw new InputError(`element ${elementSymbol(atomicNumbers[a])} (atom ${a + 1}) was not in the training data`);
    s += energies[e];
  }
  return s;
}
