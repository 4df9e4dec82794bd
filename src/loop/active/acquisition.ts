/**
 * Acquisition priced by cost: which candidate to label, and with which labeller.
 *
 * Given the GP posterior covariance S over a reference set R (the candidate pool, m × m, row-major),
 * labelling candidate x with a labeller of noise variance σ² (its expected standard error squared,
 * plus the model's noise floor) lowers the summed predictive variance over R by
 *     ΔV(x, σ²) = Σ_{t ∈ R} S[t, x]² / (S[x, x] + σ²)
 * (a rank-one update of a Gaussian posterior; it does not depend on the label's value). The
 * cost-aware score is ΔV / cost; with one fixed labeller it is ΔV alone (uncertainty sampling).
 *
 * Batches are greedy with fantasised updates: after choosing (x, σ²) the covariance is updated as if
 * that label had arrived, S ← S − S[:, x] S[x, :] / (S[x, x] + σ²) — exact for a GP's variances, so
 * the kriging-believer batch needs no fantasised values — and the next choice is scored on it.
 */

/** One way of labelling a candidate: a labeller, its expected noise and its expected cost. */
export interface LabelOption {
  labeller: number;
  /** Expected label noise variance including the model's noise floor, Hartree². */
  noiseVarianceHartree2: number;
  /** Expected cost, in the loop's cost units (> 0). */
  costUnits: number;
}

/** A chosen (candidate, labeller) pair. */
export interface Acquisition {
  /** Index into the reference set. */
  candidate: number;
  labeller: number;
  /** ΔV / cost. */
  score: number;
  /** ΔV, Hartree². */
  varianceReductionHartree2: number;
  expectedCostUnits: number;
}

/** ΔV(x, σ²) over the m × m covariance S. */
export function varianceReduction(cov: Float64Array, m: number, x: number, noiseVarianceHartree2: number): number {
  const denom = cov[x * m + x]! + noiseVarianceHartree2;
  if (!(denom > 0)) return 0;
  let s = 0;
  for (let t = 0; t < m; t++) s += cov[t * m + x]! ** 2;
  return s / denom;
}

/** Condition S on a label at x with noise σ² (in place). */
export function conditionOnLabel(cov: Float64Array, m: number, x: number, noiseVarianceHartree2: number): void {
  const denom = cov[x * m + x]! + noiseVarianceHartree2;
  if (!(denom > 0)) return;
  const col = new Float64Array(m);
  for (let t = 0; t < m; t++) col[t] = cov[t * m + x]!;
  for (let p = 0; p < m; p++) {
    const cp = col[p]! / denom;
    if (cp === 0) continue;
    for (let q = 0; q < m; q++) cov[p * m + q] -= cp * col[q]!;
  }
}

/**
 * Choose up to `batchSize` (candidate, labeller) pairs greedily by ΔV / cost among `eligible`
 * reference-set indices, each candidate at most once. Ties keep the earlier candidate and option.
 * `cov` is copied, not changed.
 */
export function chooseBatch(
  covariance: Float64Array,
  m: number,
  eligible: readonly number[],
  options: (candidate: number) => readonly LabelOption[],
  batchSize: number,
): Acquisition[] {
  const cov = Float64Array.from(covariance);
  const left = [...eligible];
  const out: Acquisition[] = [];
  while (out.length < batchSize && left.length > 0) {
    let best: (Acquisition & { slot: number; noise: number }) | undefined;
    left.forEach((x, slot) => {
      for (const o of options(x)) {
        const dv = varianceReduction(cov, m, x, o.noiseVarianceHartree2);
        const score = dv / o.costUnits;
        if (best === undefined || score > best.score) {
          best = { candidate: x, labeller: o.labeller, score, varianceReductionHartree2: dv, expectedCostUnits: o.costUnits, slot, noise: o.noiseVarianceHartree2 };
        }
      }
    });
    if (best === undefined) break;
    conditionOnLabel(cov, m, best.candidate, best.noise);
    left.splice(best.slot, 1);
    const { slot: _slot, noise: _noise, ...choice } = best;
    out.push(choice);
  }
  return out;
}
