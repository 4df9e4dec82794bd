/**
 * Atomic-environment descriptors: the common interface, the smooth cutoff and the factory.
 *
 * Layout of a {@link DescriptorResult} for a structure of n atoms and L features per atom:
 * - `values[i * L + f]` is feature f of atom i;
 * - `derivatives[((i * L + f) * n + a) * 3 + c]` is ∂ values[i, f] / ∂ R[a, c] (Bohr⁻¹ times the
 *   feature's unit), dense over every atom a.
 * Positions are flat in Bohr (atom a at [3a, 3a+1, 3a+2]). Features are element-resolved: every
 * neighbour element (or element pair) has its own block, fixed by the sorted element list of the
 * settings, so atoms of different structures share one layout.
 *
 * The cutoff is fc(r) = ½ (cos(π r / rc) + 1) for r < rc, 0 beyond: smooth (C¹) at rc.
 */
import { InputError } from '../../core/index.js';
import { elementSymbol } from '../../chem/index.js';
import { type SymmetryFunctionSettings, symmetryFunctionLength, symmetryFunctions } from './acsf.js';
import { type SoapSettings, soapLength, soapPowerSpectrum } from './soap.js';
import { type SpinCorrelationSettings, spinCorrelationFeatures, spinCorrelationLength, spinCorrelationWeights } from './spin.js';

/** Descriptor values (and optionally derivatives) of one structure; layout in the file header. */
export interface DescriptorResult {
  nAtoms: number;
  /** Features per atom. */
  length: number;
  values: Float64Array;
  /** Present when derivatives were asked for. */
  derivatives?: Float64Array;
}

/** Settings of any descriptor (plain JSON, stored in model files). */
export type DescriptorSettings = SymmetryFunctionSettings | SoapSettings | SpinCorrelationSettings;

/** A descriptor bound to its settings. */
export interface Descriptor {
  readonly settings: DescriptorSettings;
  /** Features per atom. */
  readonly length: number;
  /**
   * Relative weight of each feature in a kernel's distance (length L), applied by the
   * standardisation; absent: every feature weighs 1.
   */
  readonly featureWeights?: Float64Array;
  /**
   * ∂(Σ_{i,f} w[i·L + f] x_{i,f})/∂R (3n) for weights w (n × L), when the descriptor has a cheaper
   * way than contracting its dense derivatives.
   */
  contractGradient?(atomicNumbers: ArrayLike<number>, positionsBohr: ArrayLike<number>, weights: Float64Array): Float64Array;
  /** Values and, when `withDerivatives`, derivatives of every atom's environment. */
  compute(atomicNumbers: ArrayLike<number>, positionsBohr: ArrayLike<number>, withDerivatives: boolean): DescriptorResult;
}

/** The cosine cutoff fc(r) and its derivative, written into out[0], out[1] (no allocation). */
export function cosineCutoff(r: number, cutoffBohr: number, out: Float64Array): void {
  if (r >= cutoffBohr) {
    out[0] = 0;
    out[1] = 0;
    return;
  }
  const x = (Math.PI * r) / cutoffBohr;
  out[0] = 0.5 * (Math.cos(x) + 1);
  out[1] = (-0.5 * Math.PI * Math.sin(x)) / cutoffBohr;
}

/**
 * Index of each atom's element in the sorted element list; an element the settings do not cover
 * is an InputError (a model must not silently ignore an atom it never saw).
 */
export function elementIndices(atomicNumbers: ArrayLike<number>, elements: readonly number[]): Int32Array {
  const out = new Int32Array(atomicNumbers.length);
  for (let a = 0; a < atomicNumbers.length; a++) {
    const k = elements.indexOf(atomicNumbers[a]);
    if (k < 0) {
      throw new InputError(
        `element ${elementSymbol(atomicNumbers[a])} (atom ${a + 1}) is not among the elements this descriptor was built for ` +
          `(${elements.map(elementSymbol).join(', ')})`,
      );
    }
    out[a] = k;
  }
  return out;
}

/** Check a settings object and return its descriptor. */
export function createDescriptor(settings: DescriptorSettings): Descriptor {
  const elements = settings.elements;
  if (elements.length === 0) throw new InputError('descriptor: the element list is empty');
  for (let k = 1; k < elements.length; k++) {
    if (!(elements[k] > elements[k - 1])) throw new InputError('descriptor: elements must be sorted atomic numbers without repeats');
  }
  if (!(settings.cutoffBohr > 0)) throw new InputError('descriptor: cutoffBohr must be positive');
  switch (settings.kind) {
    case 'acsf': {
      const length = symmetryFunctionLength(settings);
      return { settings, length, compute: (z, r, d) => symmetryFunctions(settings, z, r, d) };
    }
    case 'soap': {
      const length = soapLength(settings);
      return { settings, length, compute: (z, r, d) => soapPowerSpectrum(settings, z, r, d) };
    }
    case 'spin-correlation': {
      const bound = spinCorrelationFeatures(settings);
      return {
        settings,
        length: spinCorrelationLength(settings),
        featureWeights: spinCorrelationWeights(settings),
        compute: bound.compute,
        contractGradient: bound.contractGradient,
      };
    }
    default:
      throw new InputError(`descriptor: unknown kind '${(settings as { kind: string }).kind}'`);
  }
}

/** Distance between atoms a and b; the displacement b − a goes into out[0..2]. */
export function displacement(p: ArrayLike<number>, a: number, b: number, out: Float64Array): number {
  const dx = p[3 * b] - p[3 * a];
  const dy = p[3 * b + 1] - p[3 * a + 1];
  const dz = p[3 * b + 2] - p[3 * a + 2];
  out[0] = dx;
  out[1] = dy;
  out[2] = dz;
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

/** Neighbour scratch of one centre atom (capacity n): index, distance, unit vector i→j, cutoff and its derivative. */
export interface NeighbourScratch {
  index: Int32Array;
  distanceBohr: Float64Array;
  unit: Float64Array;
  cutoff: Float64Array;
  cutoffDerivative: Float64Array;
  /** 3-vector and 2-value work space. */
  vec: Float64Array;
  fc: Float64Array;
}

/** Scratch for structures of up to n atoms. */
export function neighbourScratch(n: number): NeighbourScratch {
  return {
    index: new Int32Array(n),
    distanceBohr: new Float64Array(n),
    unit: new Float64Array(3 * n),
    cutoff: new Float64Array(n),
    cutoffDerivative: new Float64Array(n),
    vec: new Float64Array(3),
    fc: new Float64Array(2),
  };
}

/** Fill the scratch with the neighbours of atom i inside the cutoff; returns their count. */
export function gatherNeighbours(i: number, positionsBohr: ArrayLike<number>, cutoffBohr: number, nb: NeighbourScratch): number {
  const n = positionsBohr.length / 3;
  const vec = nb.vec;
  let m = 0;
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    const r = displacement(positionsBohr, i, j, vec);
    if (r >= cutoffBohr) continue;
    cosineCutoff(r, cutoffBohr, nb.fc);
    nb.index[m] = j;
    nb.distanceBohr[m] = r;
    nb.unit[3 * m] = vec[0] / r;
    nb.unit[3 * m + 1] = vec[1] / r;
    nb.unit[3 * m + 2] = vec[2] / r;
    nb.cutoff[m] = nb.fc[0];
    nb.cutoffDerivative[m] = nb.fc[1];
    m++;
  }
  return m;
}
