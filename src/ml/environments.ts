/**
 * Atomic environments of a set of structures, standardised per element.
 *
 * Layout: `features[e * L + f]` for environment e (atoms of every structure in order, L features),
 * `element[e]` the element index of its atom, `structure[e]` its structure; structure s owns
 * environments start[s] .. start[s + 1] − 1. Standardisation: x̃ = (x − mean[el, f]) / scale[el, f]
 * with the mean and standard deviation over the training environments of that element (scale 1
 * for a feature that never varies there), divided by the descriptor's feature weight when it has
 * one (a weight w makes the feature count w² times as much in a squared distance).
 */
import type { Descriptor } from './descriptors/descriptor.js';
import { elementIndices } from './descriptors/descriptor.js';

/** Per-element feature standardisation (nElements × L each). */
export interface Standardisation {
  mean: Float64Array;
  scale: Float64Array;
}

/** Environments of many structures (layout in the file header). */
export interface Environments {
  length: number;
  count: number;
  features: Float64Array;
  element: Int32Array;
  structure: Int32Array;
  start: Int32Array;
}

/** Raw descriptor values of every atom of every structure. */
export function computeEnvironments(
  descriptor: Descriptor,
  structures: readonly { atomicNumbers: ArrayLike<number>; positionsBohr: ArrayLike<number> }[],
): Environments {
  const L = descriptor.length;
  const start = new Int32Array(structures.length + 1);
  for (let s = 0; s < structures.length; s++) start[s + 1] = start[s] + structures[s].atomicNumbers.length;
  const count = start[structures.length];
  const features = new Float64Array(count * L);
  const element = new Int32Array(count);
  const structure = new Int32Array(count);
  for (let s = 0; s < structures.length; s++) {
    const st = structures[s];
    const res = descriptor.compute(st.atomicNumbers, st.positionsBohr, false);
    features.set(res.values, start[s] * L);
    element.set(elementIndices(st.atomicNumbers, descriptor.settings.elements), start[s]);
    structure.fill(s, start[s], start[s + 1]);
  }
  return { length: L, count, features, element, structure, start };
}

/** Mean and standard deviation (over the feature's weight) of each feature over each element's environments. */
export function fitStandardisation(env: Environments, nElements: number, featureWeights?: Float64Array): Standardisation {
  const L = env.length;
  const mean = new Float64Array(nElements * L);
  const sq = new Float64Array(nElements * L);
  const counts = new Float64Array(nElements);
  for (let e = 0; e < env.count; e++) {
    const el = env.element[e];
    counts[el]++;
    for (let f = 0; f < L; f++) mean[el * L + f] += env.features[e * L + f];
  }
  for (let el = 0; el < nElements; el++) for (let f = 0; f < L; f++) mean[el * L + f] /= Math.max(1, counts[el]);
  for (let e = 0; e < env.count; e++) {
    const el = env.element[e];
    for (let f = 0; f < L; f++) {
      const d = env.features[e * L + f] - mean[el * L + f];
      sq[el * L + f] += d * d;
    }
  }
  const scale = new Float64Array(nElements * L);
  for (let el = 0; el < nElements; el++) {
    for (let f = 0; f < L; f++) {
      const sd = Math.sqrt(sq[el * L + f] / Math.max(1, counts[el]));
      scale[el * L + f] = sd > 1e-8 * (1 + Math.abs(mean[el * L + f])) ? sd : 1;
      if (featureWeights) scale[el * L + f] /= featureWeights[f];
    }
  }
  return { mean, scale };
}

/** Standardise descriptor rows in place (n rows of L, element index per row). */
export function standardiseRows(values: Float64Array, element: Int32Array, L: number, st: Standardisation): void {
  for (let i = 0; i < element.length; i++) {
    const o = element[i] * L;
    for (let f = 0; f < L; f++) values[i * L + f] = (values[i * L + f] - st.mean[o + f]) / st.scale[o + f];
  }
}
