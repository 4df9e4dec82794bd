/**
 * Uncertainty-driven choice of structures to label next, for a trained sparse GP (gp.ts).
 *
 * Why: a model trained on uniformly sampled pieces is weakest where the sampling is thin (rare
 * local environments); labelling the candidates where the GP's predictive σ is largest spends the
 * same label budget where it teaches most. The predictive variance of a GP does not depend on the
 * labels, only on where the data are and on the hyperparameters, so a whole batch can be chosen
 * greedily before any of it is labelled: after each pick x (noise λ = the model's noise floor²),
 * A ← A + φ_x φ_xᵀ / λ, and every candidate's variance drops by (φ_cᵀ A⁻¹ φ_x)² / (λ + φ_xᵀ A⁻¹ φ_x)
 * (Sherman–Morrison; exact for the DTC variance of gp.ts on a fixed sparse set). The part of the
 * variance that the sparse set cannot explain (k** − φᵀK⁻¹φ) does not shrink this way; candidates
 * that share a `group` (e.g. windows of one parent chain, which overlap) are therefore taken at most
 * once per batch, and the caller retrains between batches so new environments join the sparse set.
 */
import { InputError } from '../core/index.js';
import { createDescriptor, elementIndices } from './descriptors/descriptor.js';
import { standardiseRows } from './environments.js';
import { type GpModel, seKernel } from './gp.js';
import { choleskyInPlace, choleskyInverse } from './linalg.js';

/** A candidate structure; candidates with the same `group` are not both taken in one batch. */
export interface SelectionCandidate {
  atomicNumbers: ArrayLike<number>;
  positionsBohr: ArrayLike<number>;
  group?: number;
}

/** The result of {@link selectByUncertainty}. */
export interface UncertaintySelection {
  /** Indices of the chosen candidates, in the order picked. */
  chosen: number[];
  /** Predictive σ of each chosen candidate when it was picked (after the fantasised earlier picks), Hartree. */
  sigmaHartree: number[];
  /** Predictive σ of every candidate under the model as trained, Hartree. */
  initialSigmaHartree: Float64Array;
}

/**
 * Greedily choose `count` candidates of largest predictive σ under `model`, each pick updating the
 * variances of the others as if it were labelled (see the file header). Deterministic: ties go to
 * the lower index.
 */
export function selectByUncertainty(model: GpModel, candidates: readonly SelectionCandidate[], count: number): UncertaintySelection {
  if (!Number.isInteger(count) || count < 0) throw new InputError(`selection count must be a non-negative integer, got ${count}`);
  const descriptor = createDescriptor(model.descriptor);
  const L = descriptor.length;
  const M = model.alpha.length;
  const g = 1 / (2 * model.lengthScale * model.lengthScale * L);
  const s2 = model.signalVariance;
  const C = candidates.length;
  // φ_c (M per candidate) and the variance of each candidate
  const phi = new Float64Array(C * M);
  const variance = new Float64Array(C);
  const V = model.varianceMatrix;
  for (let c = 0; c < C; c++) {
    const cand = candidates[c];
    const n = cand.atomicNumbers.length;
    const x = descriptor.compute(cand.atomicNumbers, cand.positionsBohr, false).values;
    const elem = elementIndices(cand.atomicNumbers, model.elements);
    standardiseRows(x, elem, L, model.standardisation);
    const row = phi.subarray(c * M, (c + 1) * M);
    for (let i = 0; i < n; i++) {
      for (let m = 0; m < M; m++) if (model.sparseElement[m] === elem[i]) row[m] += s2 * seKernel(x, i, model.sparseFeatures, m, L, g);
    }
    let v = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (elem[i] === elem[j]) v += s2 * seKernel(x, i, x, j, L, g);
    for (let p = 0; p < M; p++) {
      if (row[p] === 0) continue;
      let s = 0;
      for (let q = 0; q < M; q++) s += V[p * M + q] * row[q];
      v += row[p] * s;
    }
    variance[c] = Math.max(0, v);
  }
  const initialSigmaHartree = variance.map(Math.sqrt);
  // A⁻¹ = (A⁻¹ − K⁻¹) + K⁻¹, K the sparse kernel matrix with the training jitter
  const k = new Float64Array(M * M);
  for (let p = 0; p < M; p++) {
    for (let q = 0; q <= p; q++) {
      const v = model.sparseElement[p] === model.sparseElement[q] ? s2 * seKernel(model.sparseFeatures, p, model.sparseFeatures, q, L, g) : 0;
      k[p * M + q] = v;
      k[q * M + p] = v;
    }
    k[p * M + p] += 1e-8 * s2;
  }
  if (!choleskyInPlace(k, M)) throw new InputError('uncertainty selection: the sparse kernel matrix is not positive definite');
  const aInv = choleskyInverse(k, M);
  for (let t = 0; t < M * M; t++) aInv[t] += V[t];
  const lambda = model.noiseFloorHartree * model.noiseFloorHartree;
  const taken = new Uint8Array(C);
  const chosen: number[] = [];
  const sigmaHartree: number[] = [];
  const usedGroups = new Set<number>();
  const u = new Float64Array(M);
  while (chosen.length < Math.min(count, C)) {
    let best = -1;
    for (let c = 0; c < C; c++) {
      if (taken[c]) continue;
      const gr = candidates[c].group;
      if (gr !== undefined && usedGroups.has(gr)) continue;
      if (best < 0 || variance[c] > variance[best]) best = c;
    }
    if (best < 0) {
      // every group used: allow groups again
      if (usedGroups.size === 0) break;
      usedGroups.clear();
      continue;
    }
    taken[best] = 1;
    chosen.push(best);
    sigmaHartree.push(Math.sqrt(variance[best]));
    const gr = candidates[best].group;
    if (gr !== undefined) usedGroups.add(gr);
    // u = A⁻¹ φ_x, d = λ + φ_xᵀ u
    const fx = phi.subarray(best * M, (best + 1) * M);
    let d = lambda;
    for (let p = 0; p < M; p++) {
      let s = 0;
      const o = p * M;
      for (let q = 0; q < M; q++) s += aInv[o + q] * fx[q];
      u[p] = s;
      d += fx[p] * s;
    }
    for (let c = 0; c < C; c++) {
      if (taken[c]) continue;
      let s = 0;
      const o = c * M;
      for (let p = 0; p < M; p++) s += phi[o + p] * u[p];
      variance[c] = Math.max(0, variance[c] - (s * s) / d);
    }
    for (let p = 0; p < M; p++) {
      const up = u[p] / d;
      const o = p * M;
      for (let q = 0; q < M; q++) aInv[o + q] -= up * u[q];
    }
  }
  return { chosen, sigmaHartree, initialSigmaHartree };
}
