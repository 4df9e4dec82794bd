/**
 * The loop's model: an exact Gaussian process on energies over summed atomic environments (the
 * kernel of the learned-model stage's GAP-style GP, in its exact form: every training environment
 * is a sparse point), with each label's standard error as its own noise.
 *
 * Layout and conventions
 * - A {@link StructureFeatures} holds the standardised descriptor rows of many structures:
 *   `features[e * L + f]` for environment e (atoms of every structure in order), `element[e]` its
 *   element index, structure s owning environments start[s] .. start[s + 1] − 1. The standardisation
 *   (per element and feature, x̃ = (x − mean) / scale) is fitted once on the candidate pool and kept
 *   for the whole run, so features never change between iterations.
 * - Kernel between structures a and b, unit signal variance:
 *     κ(a, b) = Σ_{i ∈ a} Σ_{j ∈ b} [Z_i = Z_j] exp(−|x̃_i − x̃_j|² / (2 ℓ² L)),
 *   prior covariance k = s² κ with s the per-atom signal standard deviation.
 * - Targets r_n = E_n − Σ_a e_{Z_a} (per-element reference energies by least squares), noise
 *   Λ = diag(σ_n² + floor²), C = s² κ(T, T) + Λ = L Lᵀ, α = C⁻¹ r:
 *     mean(x)       = Σ_a e_{Z_a} + s² κ(x, T) α
 *     cov(x, x')    = s² κ(x, x') − s⁴ κ(x, T) C⁻¹ κ(T, x')
 *     log p(r)      = −½ rᵀ C⁻¹ r − Σ log L_ii − N/2 log 2π     (hyperparameters ℓ, s, floor on a grid)
 * - Adding a label at x with noise σ² (+ floor²) changes cov(t, t) by −cov(t, x)² / (cov(x, x) + σ² + floor²),
 *   whatever its value: the acquisition score (acquisition.ts) is this summed over the pool.
 * Energies in Hartree, positions in Bohr.
 */
import { InputError } from '../../core/index.js';
import { type Descriptor, createDescriptor, defaultSymmetryFunctions, elementIndices, fitReferenceEnergies, referenceEnergy } from '../../ml/index.js';

/** A structure: atomic numbers and flat positions in Bohr. */
export interface Structure {
  atomicNumbers: ArrayLike<number>;
  positionsBohr: ArrayLike<number>;
}

/** Per-element feature standardisation (nElements × L). */
export interface FeatureScaling {
  mean: Float64Array;
  scale: Float64Array;
}

/** Standardised environments of a list of structures (layout in the file header). */
export interface StructureFeatures {
  length: number;
  structures: number;
  features: Float64Array;
  element: Int32Array;
  start: Int32Array;
  /** Per-element atom counts of each structure (structures × nElements), for the reference energies. */
  counts: Float64Array;
}

/** Descriptor, elements and standardisation shared by every model of a run. */
export interface FeatureSpace {
  descriptor: Descriptor;
  elements: number[];
  scaling: FeatureScaling;
}

/** GP hyperparameters. */
export interface GpHyperparameters {
  /** Length scale in units of √L of the standardised features. */
  lengthScale: number;
  /** Prior variance per atom pair s², Hartree². */
  signalVarianceHartree2: number;
  noiseFloorHartree: number;
}

/** Hyperparameter grids. */
export interface GpGrid {
  lengthScales: readonly number[];
  signalStdHartree: readonly number[];
  noiseFloorsHartree: readonly number[];
}

/** A trained exact GP. */
export interface ExactGp {
  space: FeatureSpace;
  hyper: GpHyperparameters;
  train: StructureFeatures;
  /** Cholesky factor L of C (N × N, lower, row-major). */
  cholesky: Float64Array;
  alpha: Float64Array;
  referenceEnergiesHartree: Float64Array;
  logMarginalLikelihood: number;
}

/** The descriptor (radial and angular symmetry functions) and a standardisation fitted on `pool`. */
export function featureSpace(pool: readonly Structure[], cutoffBohr: number, radialFunctions: number): FeatureSpace {
  const set = new Set<number>();
  for (const s of pool) for (let a = 0; a < s.atomicNumbers.length; a++) set.add(s.atomicNumbers[a]!);
  const elements = [...set].sort((a, b) => a - b);
  const descriptor = createDescriptor(defaultSymmetryFunctions(elements, cutoffBohr, radialFunctions));
  const L = descriptor.length;
  const nEl = elements.length;
  const mean = new Float64Array(nEl * L);
  const sq = new Float64Array(nEl * L);
  const count = new Float64Array(nEl);
  const rows: { el: Int32Array; v: Float64Array }[] = pool.map((s) => ({
    el: elementIndices(s.atomicNumbers, elements),
    v: descriptor.compute(s.atomicNumbers, s.positionsBohr, false).values,
  }));
  for (const { el, v } of rows) {
    for (let i = 0; i < el.length; i++) {
      count[el[i]!]++;
      for (let f = 0; f < L; f++) mean[el[i]! * L + f] += v[i * L + f]!;
    }
  }
  for (let e = 0; e < nEl; e++) for (let f = 0; f < L; f++) mean[e * L + f] /= Math.max(1, count[e]!);
  for (const { el, v } of rows) {
    for (let i = 0; i < el.length; i++) {
      for (let f = 0; f < L; f++) {
        const d = v[i * L + f]! - mean[el[i]! * L + f]!;
        sq[el[i]! * L + f] += d * d;
      }
    }
  }
  const scale = new Float64Array(nEl * L);
  for (let e = 0; e < nEl; e++) {
    for (let f = 0; f < L; f++) {
      const sd = Math.sqrt(sq[e * L + f]! / Math.max(1, count[e]!));
      scale[e * L + f] = sd > 1e-8 * (1 + Math.abs(mean[e * L + f]!)) ? sd : 1;
    }
  }
  return { descriptor, elements, scaling: { mean, scale } };
}

/** Standardised environments of `structures` in `space`. */
export function structureFeatures(space: FeatureSpace, structures: readonly Structure[]): StructureFeatures {
  const L = space.descriptor.length;
  const nEl = space.elements.length;
  const start = new Int32Array(structures.length + 1);
  for (let s = 0; s < structures.length; s++) start[s + 1] = start[s]! + structures[s]!.atomicNumbers.length;
  const n = start[structures.length]!;
  const features = new Float64Array(n * L);
  const element = new Int32Array(n);
  const counts = new Float64Array(structures.length * nEl);
  for (let s = 0; s < structures.length; s++) {
    const st = structures[s]!;
    const v = space.descriptor.compute(st.atomicNumbers, st.positionsBohr, false).values;
    const el = elementIndices(st.atomicNumbers, space.elements);
    const o = start[s]!;
    for (let i = 0; i < el.length; i++) {
      const e = el[i]!;
      element[o + i] = e;
      counts[s * nEl + e]++;
      for (let f = 0; f < L; f++) features[(o + i) * L + f] = (v[i * L + f]! - space.scaling.mean[e * L + f]!) / space.scaling.scale[e * L + f]!;
    }
  }
  return { length: L, structures: structures.length, features, element, start, counts };
}

/** κ(A, B) with unit signal variance (nA × nB, row-major). */
export function structureKernel(a: StructureFeatures, b: StructureFeatures, lengthScale: number): Float64Array {
  const L = a.length;
  const g = 1 / (2 * lengthScale * lengthScale * L);
  const out = new Float64Array(a.structures * b.structures);
  for (let p = 0; p < a.structures; p++) {
    for (let q = 0; q < b.structures; q++) {
      let s = 0;
      for (let i = a.start[p]!; i < a.start[p + 1]!; i++) {
        for (let j = b.start[q]!; j < b.start[q + 1]!; j++) {
          if (a.element[i] !== b.element[j]) continue;
          let d = 0;
          for (let f = 0; f < L; f++) {
            const t = a.features[i * L + f]! - b.features[j * L + f]!;
            d += t * t;
          }
          s += Math.exp(-d * g);
        }
      }
      out[p * b.structures + q] = s;
    }
  }
  return out;
}

/** In-place lower Cholesky factor of an n × n SPD matrix; false when not positive definite. */
export function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! * a[j * n + k]!;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / ljj;
    }
    for (let i = 0; i < j; i++) a[i * n + j] = 0;
  }
  return true;
}

/** Solve L x = b in place for m right-hand sides stored as columns of b (n × m). */
function forwardSolve(l: Float64Array, n: number, b: Float64Array, m: number): void {
  for (let i = 0; i < n; i++) {
    const lii = l[i * n + i]!;
    for (let c = 0; c < m; c++) {
      let s = b[i * m + c]!;
      for (let k = 0; k < i; k++) s -= l[i * n + k]! * b[k * m + c]!;
      b[i * m + c] = s / lii;
    }
  }
}

/** Solve Lᵀ x = b in place (one right-hand side). */
function backSolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
}

/** Reference energy of structure s from per-element counts. */
function refOf(f: StructureFeatures, s: number, refs: Float64Array): number {
  const nEl = refs.length;
  let e = 0;
  for (let k = 0; k < nEl; k++) e += f.counts[s * nEl + k]! * refs[k]!;
  return e;
}

/**
 * Train an exact GP on labelled structures: reference energies by least squares, then the
 * hyperparameters on the grid that maximise the marginal likelihood (first of equals in grid order).
 */
export function trainExactGp(
  space: FeatureSpace,
  structures: readonly Structure[],
  energiesHartree: ArrayLike<number>,
  standardErrorsHartree: ArrayLike<number>,
  grid: GpGrid,
): ExactGp {
  const N = structures.length;
  if (N === 0) throw new InputError('the loop model needs at least one label');
  const train = structureFeatures(space, structures);
  const refs = fitReferenceEnergies(
    structures.map((s, n) => ({ atomicNumbers: s.atomicNumbers, positionsBohr: s.positionsBohr, energyHartree: energiesHartree[n]!, standardErrorHartree: 0 })),
    space.elements,
  );
  const r = new Float64Array(N);
  for (let n = 0; n < N; n++) r[n] = energiesHartree[n]! - refOf(train, n, refs);
  const c = new Float64Array(N * N);
  const w = new Float64Array(N);
  let best: { lml: number; hyper: GpHyperparameters } | undefined;
  for (const ell of grid.lengthScales) {
    const kb = structureKernel(train, train, ell);
    for (const sd of grid.signalStdHartree) {
      for (const floor of grid.noiseFloorsHartree) {
        const s2 = sd * sd;
        for (let k = 0; k < N * N; k++) c[k] = s2 * kb[k]!;
        for (let n = 0; n < N; n++) c[n * N + n] += standardErrorsHartree[n]! ** 2 + floor * floor;
        if (!cholesky(c, N)) continue;
        w.set(r);
        forwardSolve(c, N, w, 1);
        let quad = 0;
        let logDet = 0;
        for (let n = 0; n < N; n++) {
          quad += w[n]! * w[n]!;
          logDet += Math.log(c[n * N + n]!);
        }
        const lml = -0.5 * quad - logDet - 0.5 * N * Math.log(2 * Math.PI);
        if (!best || lml > best.lml) best = { lml, hyper: { lengthScale: ell, signalVarianceHartree2: s2, noiseFloorHartree: floor } };
      }
    }
  }
  if (!best) throw new InputError('loop model: no hyperparameters on the grid gave a positive-definite kernel');
  return fitWith(space, train, r, standardErrorsHartree, best.hyper, refs, best.lml);
}

function fitWith(
  space: FeatureSpace,
  train: StructureFeatures,
  r: Float64Array,
  se: ArrayLike<number>,
  hyper: GpHyperparameters,
  refs: Float64Array,
  lml: number,
): ExactGp {
  const N = train.structures;
  const kb = structureKernel(train, train, hyper.lengthScale);
  const c = new Float64Array(N * N);
  for (let k = 0; k < N * N; k++) c[k] = hyper.signalVarianceHartree2 * kb[k]!;
  for (let n = 0; n < N; n++) c[n * N + n] += se[n]! ** 2 + hyper.noiseFloorHartree ** 2;
  if (!cholesky(c, N)) throw new InputError('loop model: kernel matrix is not positive definite');
  const alpha = Float64Array.from(r);
  forwardSolve(c, N, alpha, 1);
  backSolve(c, N, alpha);
  return { space, hyper, train, cholesky: c, alpha, referenceEnergiesHartree: refs, logMarginalLikelihood: lml };
}

/** Predictive means (Hartree) of structures given as features. */
export function gpMean(gp: ExactGp, x: StructureFeatures): Float64Array {
  const k = structureKernel(x, gp.train, gp.hyper.lengthScale);
  const N = gp.train.structures;
  const out = new Float64Array(x.structures);
  for (let p = 0; p < x.structures; p++) {
    let s = refOf(x, p, gp.referenceEnergiesHartree);
    for (let n = 0; n < N; n++) s += gp.hyper.signalVarianceHartree2 * k[p * N + n]! * gp.alpha[n]!;
    out[p] = s;
  }
  return out;
}

/** Posterior covariance cov(a_p, b_q) of the latent energies (nA × nB, Hartree²). */
export function gpPosteriorCovariance(gp: ExactGp, a: StructureFeatures, b: StructureFeatures): Float64Array {
  const N = gp.train.structures;
  const s2 = gp.hyper.signalVarianceHartree2;
  const kab = structureKernel(a, b, gp.hyper.lengthScale);
  const va = structureKernel(gp.train, a, gp.hyper.lengthScale);
  for (let k = 0; k < va.length; k++) va[k] *= s2;
  forwardSolve(gp.cholesky, N, va, a.structures);
  const vb = a === b ? va : structureKernel(gp.train, b, gp.hyper.lengthScale);
  if (a !== b) {
    for (let k = 0; k < vb.length; k++) vb[k] *= s2;
    forwardSolve(gp.cholesky, N, vb, b.structures);
  }
  const out = new Float64Array(a.structures * b.structures);
  for (let p = 0; p < a.structures; p++) {
    for (let q = 0; q < b.structures; q++) {
      let s = s2 * kab[p * b.structures + q]!;
      for (let n = 0; n < N; n++) s -= va[n * a.structures + p]! * vb[n * b.structures + q]!;
      out[p * b.structures + q] = s;
    }
  }
  return out;
}

/** Predictive variances (latent, Hartree²) of structures. */
export function gpVariance(gp: ExactGp, x: StructureFeatures): Float64Array {
  const N = gp.train.structures;
  const s2 = gp.hyper.signalVarianceHartree2;
  const v = structureKernel(gp.train, x, gp.hyper.lengthScale);
  for (let k = 0; k < v.length; k++) v[k] *= s2;
  forwardSolve(gp.cholesky, N, v, x.structures);
  const out = new Float64Array(x.structures);
  for (let p = 0; p < x.structures; p++) {
    const one = subset(x, p);
    let s = s2 * structureKernel(one, one, gp.hyper.lengthScale)[0]!;
    for (let n = 0; n < N; n++) s -= v[n * x.structures + p]! ** 2;
    out[p] = Math.max(0, s);
  }
  return out;
}

/** The features of one structure of a set. */
export function subset(x: StructureFeatures, p: number): StructureFeatures {
  const L = x.length;
  const nEl = x.counts.length / Math.max(1, x.structures);
  const a = x.start[p]!;
  const b = x.start[p + 1]!;
  return {
    length: L,
    structures: 1,
    features: x.features.subarray(a * L, b * L),
    element: x.element.subarray(a, b),
    start: Int32Array.of(0, b - a),
    counts: x.counts.subarray(p * nEl, (p + 1) * nEl),
  };
}

/** Model energy of one structure (Hartree). */
export function gpEnergy(gp: ExactGp, s: Structure): number {
  return gpMean(gp, structureFeatures(gp.space, [s]))[0]!;
}

/** Model energy of one structure with the reference energies of `gp` (kept for clarity in MD). */
export function modelReferenceEnergy(gp: ExactGp, atomicNumbers: ArrayLike<number>): number {
  return referenceEnergy(atomicNumbers, gp.space.elements, gp.referenceEnergiesHartree);
}
