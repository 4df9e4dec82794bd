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
 *
 * Force observations (`useForces`): a force component F_{n,ac} = −∂E_n/∂R_ac is a linear functional
 * of the same process, so it adds one row to Φ,
 *   Φ[(n,a,c), m] = −Σ_{i ∈ n} Σ_f k(x̃_i, x̃_m) (x̃_{m,f} − x̃_{i,f}) / (ℓ² L s_f) · ∂x_{i,f}/∂R_ac
 * (s_f the standardisation scale, ∂x/∂R the descriptor's analytic derivative), with its own noise
 * floor σ_F² in Λ (a second grid). The predictor keeps its form (E* = φ*ᵀ α over the same sparse
 * environments), so a model trained on forces is stored and evaluated exactly as one trained on
 * energies alone. The force block of the Gram matrix, Φ_Fᵀ Φ_F, is computed once per length scale
 * and scaled by 1/σ_F² for each force floor.
 */
import { InputError, gemmBlocked } from '../core/index.js';
import { type BaselineSettings, createBaseline } from './baselines.js';
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
  /**
   * Also condition on the forces of the examples that have them (default false: energies only).
   * A structure with forces is still one label; its 3n force components are extra observations.
   */
  useForces?: boolean;
  /** Force noise-floor grid, Hartree/Bohr (default [1e-3, 3e-3, 1e-2, 3e-2]); used with `useForces`. */
  forceNoiseFloorsHartreePerBohr?: readonly number[];
  /**
   * A physical baseline E₀ (baselines.ts: spin-pair or Hubbard): the process learns E − E₀ − Σ_a e_{Z_a} (and F − F₀), and
   * predictions add E₀ back. Default none.
   */
  baseline?: BaselineSettings;
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
  /** The baseline the process is added to (absent: none). */
  baseline?: BaselineSettings;
  /** Force noise floor chosen when trained on forces, Hartree/Bohr (absent: energies only). */
  forceNoiseFloorHartreePerBohr?: number;
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
  /**
   * Standard deviation of the prediction, Hartree: the GP's predictive σ, or an ensemble's spread;
   * null when the model has none (a single network cannot tell how sure it is).
   */
  uncertaintyHartree: number | null;
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
export function seKernel(x: Float64Array, a: number, y: Float64Array, b: number, L: number, g: number): number {
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
  const baseline = options.baseline ? createBaseline(options.baseline) : null;
  const baselineForces: (Float64Array | null)[] = new Array<Float64Array | null>(N).fill(null);
  const y = new Float64Array(N);
  const labelVar = new Float64Array(N);
  let perAtomVar = 0;
  for (let n = 0; n < N; n++) {
    const ex = examples[n];
    y[n] = ex.energyHartree - referenceEnergy(ex.atomicNumbers, elements, refs);
    if (baseline) {
      const withForces = options.useForces === true && !!ex.forcesHartreePerBohr;
      const b0 = baseline.evaluate(ex.atomicNumbers, ex.positionsBohr, withForces);
      y[n] -= b0.energyHartree;
      if (withForces) baselineForces[n] = b0.forcesHartreePerBohr!;
    }
    labelVar[n] = ex.standardErrorHartree * ex.standardErrorHartree;
    perAtomVar += (y[n] / ex.atomicNumbers.length) ** 2;
  }
  perAtomVar = Math.max(perAtomVar / N, 1e-12);
  const env = computeEnvironments(descriptor, examples);
  const st = fitStandardisation(env, nEl, descriptor.featureWeights);
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

  // force observations: per structure with forces, its descriptor derivatives divided by the
  // standardisation scale (∂x̃/∂R) and its force components (in the order of the positions)
  const forceStructures: { structure: number; atoms: number; derivatives: Float64Array; offset: number }[] = [];
  let NF = 0;
  if (options.useForces === true) {
    for (let s = 0; s < N; s++) {
      const ex = examples[s];
      const f = ex.forcesHartreePerBohr;
      if (!f) continue;
      const n = ex.atomicNumbers.length;
      if (f.length !== 3 * n) throw new InputError(`GP training: example ${s + 1} has ${f.length} force components for ${n} atoms`);
      const d = descriptor.compute(ex.atomicNumbers, ex.positionsBohr, true).derivatives!;
      for (let i = 0; i < n; i++) {
        const o = env.element[env.start[s] + i] * L;
        for (let q = 0; q < L; q++) {
          const inv = 1 / st.scale[o + q];
          const row = (i * L + q) * 3 * n;
          for (let k = 0; k < 3 * n; k++) d[row + k] *= inv;
        }
      }
      forceStructures.push({ structure: s, atoms: n, derivatives: d, offset: NF });
      NF += 3 * n;
    }
  }
  const yF = new Float64Array(NF);
  const maxForceAtoms = forceStructures.reduce((x, fs) => Math.max(x, fs.atoms), 0);
  for (const fs of forceStructures) {
    const f = examples[fs.structure].forcesHartreePerBohr!;
    const f0 = baselineForces[fs.structure];
    for (let k = 0; k < 3 * fs.atoms; k++) yF[fs.offset + k] = f[k] - (f0 ? f0[k] : 0);
  }
  const forceFloors = NF > 0 ? (options.forceNoiseFloorsHartreePerBohr ?? [1e-3, 3e-3, 1e-2, 3e-2]) : [Number.NaN];

  const kBase = new Float64Array(M * M);
  const phiBase = new Float64Array(N * M);
  const gram = new Float64Array(M * M);
  const gramE = new Float64Array(M * M);
  const gramF = new Float64Array(NF > 0 ? M * M : 0);
  const phiF = new Float64Array(NF * M);
  const a = new Float64Array(M * M);
  const kmm = new Float64Array(M * M);
  const bBase = new Float64Array(M);
  const bE = new Float64Array(M);
  const bF = new Float64Array(M);
  const b = new Float64Array(M);
  const lam = new Float64Array(N);
  // Σ log λ over every observation, and the force noise variance
  let logLam = 0;
  let forceLam = 1;
  let best: { lml: number; ell: number; s2: number; floor: number; forceFloor: number } | undefined;

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
    if (NF > 0) fillForceGram(g);
  };
  // Φ_F (one structure's 3n rows at a time), Φ_Fᵀ Φ_F and Φ_Fᵀ y_F (unit signal variance and unit force noise)
  const fillForceGram = (g: number): void => {
    bF.fill(0);
    const coef = new Float64Array(L);
    // one structure's block with the sparse environments outermost (M × 3n), so the sums run over
    // contiguous rows of the descriptor derivatives; copied into Φ_F's rows when complete
    const blockT = new Float64Array(M * 3 * maxForceAtoms);
    for (const fs of forceStructures) {
      const n = fs.atoms;
      const rows = 3 * n;
      const e0 = env.start[fs.structure];
      const d = fs.derivatives;
      blockT.fill(0, 0, M * rows);
      for (let i = 0; i < n; i++) {
        const e = e0 + i;
        for (let m = 0; m < M; m++) {
          if (sparseElement[m] !== env.element[e]) continue;
          const k = seKernel(env.features, e, sparseFeatures, m, L, g);
          // row (a, c) of Φ_F: −Σ_f ∂k/∂x̃_{i,f} ∂x̃_{i,f}/∂R_ac, ∂k/∂x̃_{i,f} = k · 2g (x̃_{m,f} − x̃_{i,f})
          for (let q = 0; q < L; q++) coef[q] = -k * 2 * g * (sparseFeatures[m * L + q] - env.features[e * L + q]);
          const om = m * rows;
          for (let q = 0; q < L; q++) {
            const c = coef[q];
            const o = (i * L + q) * rows;
            for (let r = 0; r < rows; r++) blockT[om + r] += c * d[o + r];
          }
        }
      }
      const block = phiF.subarray(fs.offset * M, (fs.offset + rows) * M);
      for (let m = 0; m < M; m++) for (let r = 0; r < rows; r++) block[r * M + m] = blockT[m * rows + r];
      for (let r = 0; r < rows; r++) {
        const y = yF[fs.offset + r];
        const o = r * M;
        for (let p = 0; p < M; p++) bF[p] += block[o + p] * y;
      }
    }
    // Φ_Fᵀ Φ_F as one blocked product: a row-by-row rank-1 update streams the whole M×M matrix
    // through memory once per force component
    gemmBlocked(true, false, M, M, NF, 1, phiF, phiF, gramF, undefined, undefined, true);
    for (let p = 0; p < M; p++) for (let q = 0; q < p; q++) gramF[q * M + p] = gramF[p * M + q];
  };
  // Φ_Eᵀ Λ_E⁻¹ Φ_E and Φ_Eᵀ Λ_E⁻¹ y_E for unit signal variance
  const fillEnergyGram = (): void => {
    gramE.fill(0);
    bE.fill(0);
    for (let n = 0; n < N; n++) {
      const w = 1 / lam[n];
      const row = n * M;
      for (let p = 0; p < M; p++) {
        const v = phiBase[row + p] * w;
        if (v === 0) continue;
        bE[p] += v * y[n];
        for (let q = 0; q <= p; q++) gramE[p * M + q] += v * phiBase[row + q];
      }
    }
    for (let p = 0; p < M; p++) for (let q = 0; q < p; q++) gramE[q * M + p] = gramE[p * M + q];
  };
  // the energy noise for floor `floor`, then the Gram matrix and its noise terms with force floor `forceFloor`
  const setEnergyNoise = (floor: number): void => {
    for (let n = 0; n < N; n++) lam[n] = labelVar[n] + floor * floor;
    fillEnergyGram();
  };
  const setForceNoise = (forceFloor: number): void => {
    logLam = 0;
    for (let n = 0; n < N; n++) logLam += Math.log(lam[n]);
    if (NF === 0) {
      gram.set(gramE);
      bBase.set(bE);
      return;
    }
    forceLam = forceFloor * forceFloor;
    const w = 1 / forceLam;
    for (let k = 0; k < M * M; k++) gram[k] = gramE[k] + w * gramF[k];
    for (let p = 0; p < M; p++) bBase[p] = bE[p] + w * bF[p];
    logLam += NF * Math.log(forceFloor * forceFloor);
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
    const w = Float64Array.from(b);
    choleskySolveInPlace(a, M, w);
    // yᵀ(Λ + Q)⁻¹y = min_w (y − s²Φw)ᵀΛ⁻¹(y − s²Φw) + wᵀ(s²K)w, evaluated at the minimiser w = A⁻¹b:
    // no cancellation between yᵀΛ⁻¹y and bᵀA⁻¹b, which are both huge when the noise floor is small
    let quad = 0;
    for (let n = 0; n < N; n++) {
      let f = 0;
      const row = n * M;
      for (let m = 0; m < M; m++) f += phiBase[row + m] * w[m];
      quad += (y[n] - s2 * f) ** 2 / lam[n];
    }
    for (let r = 0; r < NF; r++) {
      let f = 0;
      const row = r * M;
      for (let m = 0; m < M; m++) f += phiF[row + m] * w[m];
      quad += (yF[r] - s2 * f) ** 2 / forceLam;
    }
    for (let p = 0; p < M; p++) {
      let t = 0;
      for (let q = 0; q < M; q++) t += kBase[p * M + q] * w[q];
      quad += s2 * w[p] * (t + 1e-8 * w[p]);
    }
    const logDet = choleskyLogDet(a, M) - choleskyLogDet(kmm, M) + logLam;
    return -0.5 * quad - 0.5 * logDet - 0.5 * (N + NF) * Math.log(2 * Math.PI);
  };

  for (const ell of lengthScales) {
    fillKernels(ell);
    for (const floor of floors) {
      setEnergyNoise(floor);
      for (const forceFloor of forceFloors) {
        setForceNoise(forceFloor);
        for (const sc of signalScales) {
          const s2 = sc * perAtomVar;
          const lml = logLikelihood(s2);
          if (Number.isFinite(lml) && (!best || lml > best.lml)) best = { lml, ell, s2, floor, forceFloor };
        }
      }
    }
  }
  if (!best) throw new InputError('GP training: no hyperparameters on the grid gave a positive-definite kernel');
  fillKernels(best.ell);
  setEnergyNoise(best.floor);
  setForceNoise(best.forceFloor);
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
    ...(options.baseline ? { baseline: options.baseline } : {}),
    ...(NF > 0 ? { forceNoiseFloorHartreePerBohr: best.forceFloor } : {}),
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
  // a descriptor that contracts its own gradient skips the dense derivatives
  const contracted = withForces && descriptor.contractGradient !== undefined;
  const res = descriptor.compute(atomicNumbers, positionsBohr, withForces && !contracted);
  const elem = elementIndices(atomicNumbers, model.elements);
  const x = res.values;
  standardiseRows(x, elem, L, model.standardisation);
  const M = model.alpha.length;
  const g = 1 / (2 * model.lengthScale * model.lengthScale * L);
  const s2 = model.signalVariance;
  const phi = new Float64Array(M);
  const grad = withForces ? new Float64Array(n * L) : undefined;
  let energy = referenceEnergy(atomicNumbers, model.elements, model.referenceEnergiesHartree);
  const base = model.baseline ? createBaseline(model.baseline).evaluate(atomicNumbers, positionsBohr, withForces) : null;
  if (base) energy += base.energyHartree;
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
    const dE = contracted ? descriptor.contractGradient!(atomicNumbers, positionsBohr, grad) : contractDescriptorGradient(grad, res.derivatives!, n, L);
    for (let k = 0; k < dE.length; k++) dE[k] = -dE[k] + (base ? base.forcesHartreePerBohr![k] : 0);
    out.forcesHartreePerBohr = dE;
  }
  return out;
}
