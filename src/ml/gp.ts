/**
 * Sparse Gaussian-process regression over atomic environments (GAP style).
 *
 * The energy of a structure is a sum of local terms, E − Σ_a e_{Z_a} = Σ_i f(x̃_i), with f a
 * Gaussian process of covariance k(x, x') = σ² exp(−|x − x'|² / (2 ℓ² L)) between environments of
 * the same element (0 across elements); x̃ are standardised descriptors (environments.ts) and ℓ is in
 * units of √L. The process is represented on M sparse environments chosen by farthest-point
 * sampling (deterministic). With Φ[n, m] = Σ_{i ∈ n} k(x̃_i, x̃_m) (N structures × M), label noise
 * Λ = diag(s_n² + floor²) (each label's own standard error s_n plus a noise floor for the model's
 * own error), K = K_MM and A = K + Φᵀ Λ⁻¹ Φ (deterministic training conditional, DTC):
 *   mean      E* = φ*ᵀ α,            α = A⁻¹ Φᵀ Λ⁻¹ y
 *   variance  V* = k** − φ*ᵀ K⁻¹ φ* + φ*ᵀ A⁻¹ φ*   (k** = Σ_{i,j ∈ *} k(x̃_i, x̃_j))
 *   log p(y)  = −½ (yᵀΛ⁻¹y − bᵀA⁻¹b) − ½ (log|A| − log|K| + log|Λ|) − N/2 log 2π,  b = ΦᵀΛ⁻¹y.
 * Hyperparameters (ℓ, σ², noise floor) maximise log p(y) on a grid. Forces follow from the
 * descriptor derivatives: ∂E/∂x̃_i = Σ_m α_m k(x̃_i, x̃_m) (x̃_m − x̃_i) / (ℓ² L).
 */
import { InputError } from '../core/index.js';
import { createDescriptor, type DescriptorSettings, elementIndices } from './descriptors/descriptor.js';
import { type TrainingExample, elementsOf, fitReferenceEnergies, referenceEnergy } from './data.js';
import { computeEnvironments, fitStandardisation, type Standardisation, standardiseRows } from './environments.js';
import { choleskyInPlace, choleskyInverse, choleskyLogDet, choleskySolveInPlace, contractDescriptorGradient } from './linalg.js';

/** Options of {@link trainGp}. */
export interface GpOptions {
  descriptor: DescriptorSettings;
  /** Largest number of sparse environments (default 500; all environments when fewer). */
  sparsePoints?: number;
  /** Length-scale grid in units of √L (default [0.25, 0.5, 1, 2]). */
  lengthScales?: readonly number[];
  /** Signal-variance grid as multiples of the per-atom variance of the targets (default [0.1, 1, 10, 100]). */
  signalScales?: readonly number[];
  /** Noise-floor grid, Hartree (default [1e-5, 1e-4, 1e-3, 1e-2]). */
  noiseFloorsHartree?: readonly number[];
  /**
   * Fixed per-element reference energies e_Z, Hartree, by atomic number (e.g. the free atoms' energies
   * on the label's rung, so the process learns binding energies and reverts to free atoms far from
   * the data). Default: fitted by least squares to the labels.
   */
  referenceEnergiesHartree?: Readonly<Record<number, number>>;
}

/** A trained GP potential (runtime form; model-file.ts serialises it). */
export interface GpModel {
  kind: 'gp';
  descriptor: DescriptorSettings;
  elements: number[];
  referenceEnergiesHartree: Float64Array;
  standardisation: Standardisation;
  lengthScale: number;
  signalVariance: number;
  noiseFloorHartree: number;
  /** Element index of each sparse environment (M). */
  sparseElement: Int32Array;
  /** Standardised sparse environments (M × L). */
  sparseFeatures: Float64Array;
  alpha: Float64Array;
  /** A⁻¹ − K⁻¹ (M × M), for the predictive variance. */
  varianceMatrix: Float64Array;
  logMarginalLikelihood: number;
}

/** A prediction for one structure. */
export interface Prediction {
  energyHartree: number;
  /** −∂E/∂R, Hartree/Bohr (3n), when asked for. */
  forcesHartreePerBohr?: Float64Array;
  /** Standard deviation of the prediction, Hartree. */
  uncertaintyHartree: number;
}

/** Farthest-point selection of `count` rows among `rows` (indices into features of length L). */
function farthestPoints(features: Float64Array, L: number, rows: number[], count: number): number[] {
  if (rows.length <= count) return rows.slice();
  const chosen = [rows[0]];
  const dist = new Float64Array(rows.length).fill(Infinity);
  let last = rows[0];
  while (chosen.length < count) {
    let best = -1;
    let bestD = -1;
    for (let r = 0; r < rows.length; r++) {
      let d = 0;
      const a = rows[r] * L;
      const b = last * L;
      for (let f = 0; f < L; f++) {
        const x = features[a + f] - features[b + f];
        d += x * x;
      }
      if (d < dist[r]) dist[r] = d;
      if (dist[r] > bestD) {
        bestD = dist[r];
        best = r;
      }
    }
    last = rows[best];
    chosen.push(last);
  }
  return chosen;
}

/** exp(−|a − b|² · g) over rows a (of x) and b (of y), length L. */
function seKernel(x: Float64Array, a: number, y: Float64Array, b: number, L: number, g: number): number {
  let d = 0;
  const oa = a * L;
  const ob = b * L;
  for (let f = 0; f < L; f++) {
    const t = x[oa + f] - y[ob + f];
    d += t * t;
  }
  return Math.exp(-d * g);
}

function fixedReference(refs: Readonly<Record<number, number>>, z: number): number {
  const e = refs[z];
  if (typeof e !== 'number' || !Number.isFinite(e)) throw new InputError(`GP training: referenceEnergiesHartree has no finite energy for element ${z}`);
  return e;
}

/** Train a sparse GP on energies (the standard error of each label is its own noise). */
export function trainGp(examples: readonly TrainingExample[], options: GpOptions): GpModel {
  if (examples.length === 0) throw new InputError('GP training needs at least one labelled structure');
  const elements = elementsOf(examples);
  const settings: DescriptorSettings = { ...options.descriptor, elements };
  const descriptor = createDescriptor(settings);
  const L = descriptor.length;
  const nEl = elements.length;
  const fixed = options.referenceEnergiesHartree;
  const refs = fixed ? Float64Array.from(elements, (z) => fixedReference(fixed, z)) : fitReferenceEnergies(examples, elements);
  const N = examples.length;
  const y = new Float64Array(N);
  const labelVar = new Float64Array(N);
  let perAtomVar = 0;
  for (let n = 0; n < N; n++) {
    const ex = examples[n];
    y[n] = ex.energyHartree - referenceEnergy(ex.atomicNumbers, elements, refs);
    labelVar[n] = ex.standardErrorHartree * ex.standardErrorHartree;
    perAtomVar += (y[n] / ex.atomicNumbers.length) ** 2;
  }
  perAtomVar = Math.max(perAtomVar / N, 1e-12);
  const env = computeEnvironments(descriptor, examples);
  const st = fitStandardisation(env, nEl);
  standardiseRows(env.features, env.element, L, st);

  // sparse set: each element's share of M, farthest-point sampled
  const M0 = options.sparsePoints ?? 500;
  const sparseRows: number[] = [];
  for (let el = 0; el < nEl; el++) {
    const rows: number[] = [];
    for (let e = 0; e < env.count; e++) if (env.element[e] === el) rows.push(e);
    const share = Math.max(1, Math.round((M0 * rows.length) / env.count));
    sparseRows.push(...farthestPoints(env.features, L, rows, share));
  }
  const M = sparseRows.length;
  const sparseFeatures = new Float64Array(M * L);
  const sparseElement = new Int32Array(M);
  for (let m = 0; m < M; m++) {
    sparseFeatures.set(env.features.subarray(sparseRows[m] * L, (sparseRows[m] + 1) * L), m * L);
    sparseElement[m] = env.element[sparseRows[m]];
  }

  const lengthScales = options.lengthScales ?? [0.25, 0.5, 1, 2];
  const signalScales = options.signalScales ?? [0.1, 1, 10, 100];
  const floors = options.noiseFloorsHartree ?? [1e-5, 1e-4, 1e-3, 1e-2];
  const kBase = new Float64Array(M * M);
  const phiBase = new Float64Array(N * M);
  const gram = new Float64Array(M * M);
  const a = new Float64Array(M * M);
  const kmm = new Float64Array(M * M);
  const bBase = new Float64Array(M);
  const b = new Float64Array(M);
  const lam = new Float64Array(N);
  let best: { lml: number; ell: number; s2: number; floor: number } | undefined;

  const fillKernels = (ell: number): void => {
    const g = 1 / (2 * ell * ell * L);
    for (let p = 0; p < M; p++) {
      for (let q = 0; q <= p; q++) {
        const v = sparseElement[p] === sparseElement[q] ? seKernel(sparseFeatures, p, sparseFeatures, q, L, g) : 0;
        kBase[p * M + q] = v;
        kBase[q * M + p] = v;
      }
    }
    phiBase.fill(0);
    for (let e = 0; e < env.count; e++) {
      const row = env.structure[e] * M;
      for (let m = 0; m < M; m++) {
        if (sparseElement[m] !== env.element[e]) continue;
        phiBase[row + m] += seKernel(env.features, e, sparseFeatures, m, L, g);
      }
    }
  };
  // Φᵀ Λ⁻¹ Φ and Φᵀ Λ⁻¹ y for unit signal variance
  const fillGram = (): void => {
    gram.fill(0);
    bBase.fill(0);
    for (let n = 0; n < N; n++) {
      const w = 1 / lam[n];
      const row = n * M;
      for (let p = 0; p < M; p++) {
        const v = phiBase[row + p] * w;
        if (v === 0) continue;
        bBase[p] += v * y[n];
        for (let q = 0; q <= p; q++) gram[p * M + q] += v * phiBase[row + q];
      }
    }
    for (let p = 0; p < M; p++) for (let q = 0; q < p; q++) gram[q * M + p] = gram[p * M + q];
  };
  // log p(y) for the current Λ and Gram matrix at signal variance s2, leaving chol(K) in kmm and chol(A) in a
  const logLikelihood = (s2: number): number => {
    const jitter = 1e-8 * s2;
    for (let k = 0; k < M * M; k++) {
      kmm[k] = s2 * kBase[k];
      a[k] = kmm[k] + s2 * s2 * gram[k];
    }
    for (let p = 0; p < M; p++) {
      kmm[p * M + p] += jitter;
      a[p * M + p] += jitter;
    }
    if (!choleskyInPlace(kmm, M) || !choleskyInPlace(a, M)) return -Infinity;
    for (let p = 0; p < M; p++) b[p] = s2 * bBase[p];
    const bb = Float64Array.from(b);
    choleskySolveInPlace(a, M, bb);
    let quad = 0;
    let logLam = 0;
    for (let n = 0; n < N; n++) {
      quad += (y[n] * y[n]) / lam[n];
      logLam += Math.log(lam[n]);
    }
    for (let p = 0; p < M; p++) quad -= b[p] * bb[p];
    const logDet = choleskyLogDet(a, M) - choleskyLogDet(kmm, M) + logLam;
    return -0.5 * quad - 0.5 * logDet - 0.5 * N * Math.log(2 * Math.PI);
  };

  for (const ell of lengthScales) {
    fillKernels(ell);
    for (const floor of floors) {
      for (let n = 0; n < N; n++) lam[n] = labelVar[n] + floor * floor;
      fillGram();
      for (const sc of signalScales) {
        const s2 = sc * perAtomVar;
        const lml = logLikelihood(s2);
        if (Number.isFinite(lml) && (!best || lml > best.lml)) best = { lml, ell, s2, floor };
      }
    }
  }
  if (!best) throw new InputError('GP training: no hyperparameters on the grid gave a positive-definite kernel');
  fillKernels(best.ell);
  for (let n = 0; n < N; n++) lam[n] = labelVar[n] + best.floor * best.floor;
  fillGram();
  logLikelihood(best.s2);
  const alpha = Float64Array.from(b);
  choleskySolveInPlace(a, M, alpha);
  const aInv = choleskyInverse(a, M);
  const kInv = choleskyInverse(kmm, M);
  for (let k = 0; k < M * M; k++) aInv[k] -= kInv[k];
  return {
    kind: 'gp',
    descriptor: settings,
    elements,
    referenceEnergiesHartree: refs,
    standardisation: st,
    lengthScale: best.ell,
    signalVariance: best.s2,
    noiseFloorHartree: best.floor,
    sparseElement,
    sparseFeatures,
    alpha,
    varianceMatrix: aInv,
    logMarginalLikelihood: best.lml,
  };
}

/** Energy, uncertainty and (when `withForces`) forces of one structure. */
export function predictGp(
  model: GpModel,
  atomicNumbers: ArrayLike<number>,
  positionsBohr: ArrayLike<number>,
  withForces: boolean,
): Prediction {
  const descriptor = createDescriptor(model.descriptor);
  const L = descriptor.length;
  const n = atomicNumbers.length;
  const res = descriptor.compute(atomicNumbers, positionsBohr, withForces);
  const elem = elementIndices(atomicNumbers, model.elements);
  const x = res.values;
  standardiseRows(x, elem, L, model.standardisation);
  const M = model.alpha.length;
  const g = 1 / (2 * model.lengthScale * model.lengthScale * L);
  const s2 = model.signalVariance;
  const phi = new Float64Array(M);
  const grad = withForces ? new Float64Array(n * L) : undefined;
  let energy = referenceEnergy(atomicNumbers, model.elements, model.referenceEnergiesHartree);
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < M; m++) {
      if (model.sparseElement[m] !== elem[i]) continue;
      const k = s2 * seKernel(x, i, model.sparseFeatures, m, L, g);
      phi[m] += k;
      const w = model.alpha[m] * k;
      energy += w;
      if (grad) {
        // ∂k/∂x̃_i = k (x̃_m − x̃_i) · 2g, then through the standardisation 1/scale
        const o = i * L;
        for (let f = 0; f < L; f++) grad[o + f] += w * 2 * g * (model.sparseFeatures[m * L + f] - x[o + f]);
      }
    }
  }
  let variance = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (elem[i] === elem[j]) variance += s2 * seKernel(x, i, x, j, L, g);
  for (let p = 0; p < M; p++) {
    if (phi[p] === 0) continue;
    let s = 0;
    for (let q = 0; q < M; q++) s += model.varianceMatrix[p * M + q] * phi[q];
    variance += phi[p] * s;
  }
  const out: Prediction = { energyHartree: energy, uncertaintyHartree: Math.sqrt(Math.max(0, variance)) };
  if (grad) {
    for (let i = 0; i < n; i++) {
      const o = elem[i] * L;
      for (let f = 0; f < L; f++) grad[i * L + f] /= model.standardisation.scale[o + f];
    }
    const dE = contractDescriptorGradient(grad, res.derivatives!, n, L);
    for (let k = 0; k < dE.length; k++) dE[k] = -dE[k];
    out.forcesHartreePerBohr = dE;
  }
  return out;
}
