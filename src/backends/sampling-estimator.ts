/**
 * An {@link Estimator} built on any {@link Sampler}: each observable is split into qubit-wise
 * commuting groups (the qubit stage's groupQubitWiseCommuting); for each group the circuit is
 * followed by the rotation into the group's product basis (H for X, S†·H for Y) and measured, and
 *   v(b) = Σ_{k ∈ group} c_k (−1)^popcount(b & support_k)
 * is averaged over the group's shots. The estimate is the sum of the group means plus the identity
 * terms; its standard error is √(Σ_g s_g² / N_g) with s_g² the unbiased sample variance of v in
 * group g (groups are sampled independently, so their variances add).
 *
 * Shot allocation (a total budget N per estimate, split exactly — the group shots sum to N):
 * - 'weighted' (default): N_g ∝ W_g = Σ_{k ∈ g} |c_k|, at least one shot per group;
 * - 'uniform': N_g = N / G (the remainder to the heaviest groups);
 * - 'variance-optimal': Neyman allocation N_g ∝ σ_g, which minimises Σ_g σ_g²/N_g at fixed Σ N_g
 *   (σ_g is the standard deviation of v in group g, i.e. σ̂_g = W_g × the spread of the normalised
 *   group observable). A pilot of `pilotFraction` of the budget (weighted, at least 2 shots per
 *   group) estimates σ_g; it is shrunk toward the a-priori bound W_g with the weight of one shot,
 *   σ̃_g² = (n_g s_g² + W_g²)/(n_g + 1), so a group whose pilot happened to agree on every shot is
 *   not starved. The remaining shots go to the groups whose pilot is short of the Neyman target,
 *   and pilot and main counts are pooled. This costs two Sampler calls per Estimator call.
 *
 * Every other allocation makes one Estimator call one Sampler call: each (pub, group) becomes one
 * sampler pub carrying all parameter sets of the pub, so a parameter-shift stencil is one job on a
 * remote sampler. Only the real parts of the coefficients are measured (observables are Hermitian).
 *
 * The raw material (grouping, counts) is available through {@link SamplingEstimator.sample} and
 * {@link estimateFromCounts} with a per-shot value function, which mitigation layers use to correct
 * or post-select shots before averaging.
 */
import { parity32 } from '../core/index.js';
import { InputError } from '../core/index.js';
import type { Circuit, Gate } from '../circuits/index.js';
import { groupQubitWiseCommuting, type PauliSumData, type QwcGroup, type QwcGrouping } from '../qubits/index.js';
import {
  pubParameterSets,
  type BackendInfo,
  type Estimate,
  type Estimator,
  type EstimatorPub,
  type EstimatorPubResult,
  type EstimatorRunOptions,
  type Job,
  type Sampler,
  type SamplerPub,
} from './primitives.js';

/** How a {@link SamplingEstimator} splits its shot budget over measurement groups. */
export type ShotAllocation = 'uniform' | 'weighted' | 'variance-optimal';

/** The allocations {@link SamplingEstimator} accepts. */
export const SHOT_ALLOCATIONS: readonly ShotAllocation[] = ['uniform', 'weighted', 'variance-optimal'];

/** Options of {@link SamplingEstimator}. */
export interface SamplingEstimatorOptions {
  /** Total shots per estimate, split over the measurement groups (default: the sampler's info.shots, else 1024). */
  shots?: number;
  /** Split of the shots over groups (default 'weighted'); see the file header. */
  allocation?: ShotAllocation;
  /** 'variance-optimal': fraction of the budget spent on the pilot (default 0.2, in (0, 1)). */
  pilotFraction?: number;
}

const groupingCache = new WeakMap<PauliSumData, QwcGrouping>();

/** The qubit-wise commuting grouping of an observable (cached per observable object). */
export function measurementGrouping(op: PauliSumData): QwcGrouping {
  let g = groupingCache.get(op);
  if (g === undefined) {
    g = groupQubitWiseCommuting(op);
    groupingCache.set(op, g);
  }
  return g;
}

function fixedGate(kind: 'h' | 'sdg', q: number): Gate {
  return { kind, qubits: [q], angle: 0, parameter: -1, factor: 0 };
}

/** The circuit followed by the rotation of the product basis (basisX, basisZ) onto Z. */
export function measurementCircuit(circuit: Circuit, basisX: number, basisZ: number): Circuit {
  const gates = circuit.gates.slice();
  for (let q = 0; q < circuit.nQubits; q++) {
    if (((basisX >>> q) & 1) === 0) continue;
    // Y: S† then H maps Y to Z; X: H maps X to Z.
    if ((basisZ >>> q) & 1) gates.push(fixedGate('sdg', q));
    gates.push(fixedGate('h', q));
  }
  return { nQubits: circuit.nQubits, nParameters: circuit.nParameters, gates };
}

/**
 * Split `total` shots in proportion to `weights`, with at least `minimum` per entry, exactly (the
 * result sums to `total` when total ≥ minimum × weights.length): entries whose proportional share
 * falls below the minimum get the minimum and the rest is re-split among the others; fractional
 * shots go by largest remainder (ties to the lower index). All-zero weights split evenly.
 */
export function allocateShots(total: number, weights: readonly number[], minimum = 1): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const w = weights.map((x) => (x > 0 ? x : 0));
  if (!w.some((x) => x > 0)) w.fill(1);
  const out = new Array<number>(n).fill(minimum);
  const free = w.map((x) => x > 0);
  let remaining = total;
  for (;;) {
    remaining = total;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (free[i]) sum += w[i];
      else remaining -= minimum;
    }
    let changed = false;
    for (let i = 0; i < n; i++) {
      if (free[i] && (remaining * w[i]) / sum < minimum) {
        free[i] = false;
        changed = true;
      }
    }
    if (!changed || !free.some((f) => f)) break;
  }
  if (remaining <= 0 || !free.some((f) => f)) return out;
  let sum = 0;
  for (let i = 0; i < n; i++) if (free[i]) sum += w[i];
  const share = w.map((x, i) => (free[i] ? (remaining * x) / sum : 0));
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!free[i]) continue;
    out[i] = Math.floor(share[i]);
    remaining -= out[i];
    order.push(i);
  }
  order.sort((a, b) => share[b] - Math.floor(share[b]) - (share[a] - Math.floor(share[a])) || a - b);
  for (let k = 0; remaining > 0; k = (k + 1) % order.length, remaining--) out[order[k]]++;
  return out;
}

/** Counts of one estimator pub after sampling: counts[g][s] for group g and parameter set s. */
export interface SampledPub {
  pub: EstimatorPub;
  grouping: QwcGrouping;
  /** Sum of the identity-term coefficients. */
  constant: number;
  /** Σ_k |c_k| per group (the bound on |v|). */
  weights: number[];
  counts: Map<number, number>[][];
  nSets: number;
}

/**
 * Per-shot value of a group: given the measured bits b it returns v(b), or NaN to discard the
 * shot (post-selection). The default is Σ_k c_k (−1)^popcount(b & support_k).
 */
export type ShotValue = (bits: number, group: QwcGroup, groupIndex: number) => number;

/** The default {@link ShotValue} of an observable. */
export function pauliShotValue(op: PauliSumData): ShotValue {
  return (b, g) => {
    let v = 0;
    for (let k = 0; k < g.termIndices.length; k++) {
      const t = g.termIndices[k];
      v += parity32(b & (op.x[t] | op.z[t])) === 0 ? op.coeffRe[t] : -op.coeffRe[t];
    }
    return v;
  };
}

/** Mean, standard error and kept shots of one group's per-shot values. */
export interface GroupStatistics {
  value: number;
  standardError: number;
  /** Shots that entered the mean (after any post-selection). */
  shots: number;
  /** Shots measured. */
  measuredShots: number;
}

/**
 * Mean and standard error of v over one group's counts. With fewer than two kept shots the
 * variance falls back to the bound `bound`² (and the mean to 0 when nothing was kept).
 */
export function groupStatistics(counts: Map<number, number>, value: (bits: number) => number, bound: number): GroupStatistics {
  let n = 0;
  let measured = 0;
  let sum = 0;
  for (const [b, c] of counts) {
    measured += c;
    const v = value(b);
    if (Number.isNaN(v)) continue;
    n += c;
    sum += c * v;
  }
  const mean = n > 0 ? sum / n : 0;
  // Two passes: the centred sum of squares does not cancel catastrophically.
  let ss = 0;
  for (const [b, c] of counts) {
    const v = value(b);
    if (!Number.isNaN(v)) ss += c * (v - mean) * (v - mean);
  }
  const s2 = n > 1 ? ss / (n - 1) : bound * bound;
  return { value: mean, standardError: Math.sqrt(s2 / Math.max(n, 1)), shots: n, measuredShots: measured };
}

/** Estimates of one sampled pub: group means summed, variances added (see the file header). */
export function estimateFromCounts(sampled: SampledPub, shotValue: ShotValue = pauliShotValue(sampled.pub.observable)): EstimatorPubResult {
  const { groups } = sampled.grouping;
  const estimates: Estimate[] = [];
  let pubShots = 0;
  for (let s = 0; s < sampled.nSets; s++) {
    let value = sampled.constant;
    let variance = 0;
    let shotsUsed = 0;
    const groupEstimates: { value: number; standardError: number; shots: number }[] = [];
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi];
      const st = groupStatistics(sampled.counts[gi][s], (b) => shotValue(b, g, gi), sampled.weights[gi]);
      value += st.value;
      variance += st.standardError * st.standardError;
      shotsUsed += st.measuredShots;
      groupEstimates.push({ value: st.value, standardError: st.standardError, shots: st.measuredShots });
    }
    pubShots += shotsUsed;
    estimates.push({ value, standardError: Math.sqrt(variance), shots: shotsUsed, groups: groupEstimates });
  }
  return { estimates, shots: pubShots };
}

/** A seed for a second sampler call of one estimator call, independent of the first. */
function secondSeed(seed: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + 0x165667b1) >>> 0;
}

interface Plan {
  sampled: SampledPub;
  circuits: Circuit[];
  parameterSets: readonly ArrayLike<number>[];
}

/** Estimator measuring qubit-wise commuting groups with a {@link Sampler}. */
export class SamplingEstimator implements Estimator {
  readonly kind = 'estimator';
  readonly info: BackendInfo;
  /** Total shots per estimate. */
  readonly shots: number;
  /** Seed of the sampler's measurement stream, when it has one. */
  readonly seed: number | undefined;
  /** How the shots of an estimate are split over measurement groups. */
  readonly allocation: ShotAllocation;
  /** Fraction of the budget spent on the pilot of 'variance-optimal'. */
  readonly pilotFraction: number;

  constructor(
    readonly sampler: Sampler,
    options: SamplingEstimatorOptions = {},
  ) {
    const shots = options.shots ?? sampler.info.shots ?? 1024;
    if (!Number.isInteger(shots) || shots < 1) throw new InputError(`sampling estimator: shots must be a positive integer, got ${shots}`);
    const allocation = options.allocation ?? 'weighted';
    if (!SHOT_ALLOCATIONS.includes(allocation)) {
      throw new InputError(`sampling estimator: unknown allocation '${String(allocation)}' (use ${SHOT_ALLOCATIONS.join(', ')})`);
    }
    const pilotFraction = options.pilotFraction ?? 0.2;
    if (!(pilotFraction > 0 && pilotFraction < 1)) {
      throw new InputError(`sampling estimator: pilotFraction must lie in (0, 1), got ${pilotFraction}`);
    }
    this.shots = shots;
    this.allocation = allocation;
    this.pilotFraction = pilotFraction;
    this.info = { ...sampler.info, shots };
    this.seed = sampler.seed;
  }

  run(pubs: readonly EstimatorPub[], options: EstimatorRunOptions = {}): Job<EstimatorPubResult[]> {
    const job = this.sample(pubs, options);
    const result = job.result().then((sampled) => sampled.map((s) => estimateFromCounts(s)));
    return { jobId: job.jobId, result: () => result };
  }

  /**
   * Measure every group of every pub with this estimator's allocation and return the counts
   * (one Sampler call; two for 'variance-optimal').
   */
  sample(pubs: readonly EstimatorPub[], options: EstimatorRunOptions = {}): Job<SampledPub[]> {
    const shots = options.shots ?? this.shots;
    const plans = pubs.map((pub) => this.plan(pub, shots));
    if (this.allocation !== 'variance-optimal') {
      const split = plans.map((p) => this.split(p, shots));
      const job = this.runGroups(plans, split, options.seed);
      const result = job.result().then((counts) => plans.map((p, i) => ({ ...p.sampled, counts: counts[i] })));
      return { jobId: job.jobId, result: () => result };
    }
    // Pilot (weighted, ≥ 2 shots per group), then Neyman allocation of the rest.
    const pilotSplit = plans.map((p) => {
      const g = p.sampled.weights.length;
      const pilot = Math.max(2 * g, Math.round(this.pilotFraction * shots));
      return allocateShots(Math.min(pilot, shots), p.sampled.weights, 2);
    });
    const pilotJob = this.runGroups(plans, pilotSplit, options.seed);
    const result = pilotJob.result().then(async (pilotCounts) => {
      const mainSplit = plans.map((p, i) => neymanRemainder(p.sampled, pilotCounts[i], pilotSplit[i], shots));
      const mainCounts = await this.runGroups(plans, mainSplit, options.seed === undefined ? undefined : secondSeed(options.seed)).result();
      return plans.map((p, i) => ({ ...p.sampled, counts: pilotCounts[i].map((perSet, g) => perSet.map((c, s) => mergeCounts(c, mainCounts[i][g][s]))) }));
    });
    return { jobId: pilotJob.jobId, result: () => result };
  }

  /** One sampler call for the groups with shots; counts[pub][group][set] (empty maps for groups without shots). */
  private runGroups(plans: Plan[], split: number[][], seed: number | undefined): Job<Map<number, number>[][][]> {
    const samplerPubs: SamplerPub[] = [];
    plans.forEach((p, i) =>
      p.circuits.forEach((circuit, g) => {
        if (split[i][g] > 0) samplerPubs.push({ circuit, parameterSets: p.parameterSets, shots: split[i][g] });
      }),
    );
    if (samplerPubs.length === 0) {
      const empty = plans.map((p) => p.circuits.map(() => p.parameterSets.map(() => new Map<number, number>())));
      return { jobId: 'no-groups', result: () => Promise.resolve(empty) };
    }
    const job = this.sampler.run(samplerPubs, seed === undefined ? {} : { seed });
    const result = job.result().then((sampled) => {
      let k = 0;
      return plans.map((p, i) =>
        p.circuits.map((_, g) => (split[i][g] > 0 ? sampled[k++].counts : p.parameterSets.map(() => new Map<number, number>()))),
      );
    });
    return { jobId: job.jobId, result: () => result };
  }

  private split(plan: Plan, shots: number): number[] {
    const w = plan.sampled.weights;
    return this.allocation === 'uniform' ? allocateShots(shots, w.map(() => 1)) : allocateShots(shots, w);
  }

  private plan(pub: EstimatorPub, shots: number): Plan {
    const op = pub.observable;
    if (op.nQubits > pub.circuit.nQubits) {
      throw new InputError(`sampling estimator: observable on ${op.nQubits} qubits, circuit on ${pub.circuit.nQubits}`);
    }
    const grouping = measurementGrouping(op);
    const { groups, identityTerms } = grouping;
    let constant = 0;
    for (let k = 0; k < identityTerms.length; k++) constant += op.coeffRe[identityTerms[k]];
    const minimum = this.allocation === 'variance-optimal' ? 3 : 1;
    if (groups.length > 0 && shots < minimum * groups.length) {
      throw new InputError(`sampling estimator: ${shots} shots cannot cover ${groups.length} measurement groups (${minimum} each with allocation '${this.allocation}')`);
    }
    const weights = groups.map((g) => {
      let w = 0;
      for (let k = 0; k < g.termIndices.length; k++) w += Math.abs(op.coeffRe[g.termIndices[k]]);
      return w;
    });
    const parameterSets = pubParameterSets(pub);
    return {
      sampled: { pub, grouping, constant, weights, counts: [], nSets: parameterSets.length },
      circuits: groups.map((g) => measurementCircuit(pub.circuit, g.basisX, g.basisZ)),
      parameterSets,
    };
  }
}

/**
 * Shots still to spend per group after a pilot: the Neyman target N σ̃_g / Σ σ̃ (σ̃ shrunk toward
 * the bound, see the file header; the variance is averaged over parameter sets) minus the pilot,
 * never negative, scaled to the remaining budget.
 */
function neymanRemainder(sampled: SampledPub, pilotCounts: Map<number, number>[][], pilot: number[], shots: number): number[] {
  const value = pauliShotValue(sampled.pub.observable);
  const { groups } = sampled.grouping;
  const sigma = groups.map((g, gi) => {
    const w = sampled.weights[gi];
    let s2 = 0;
    for (let s = 0; s < sampled.nSets; s++) {
      const st = groupStatistics(pilotCounts[gi][s], (b) => value(b, g, gi), w);
      const n = st.shots;
      s2 += (n * st.standardError * st.standardError * n + w * w) / (n + 1);
    }
    return Math.sqrt(s2 / sampled.nSets);
  });
  const sigmaSum = sigma.reduce((a, b) => a + b, 0);
  let used = 0;
  for (const p of pilot) used += p;
  const deficit = sigma.map((sg, gi) => Math.max(0, (shots * sg) / (sigmaSum > 0 ? sigmaSum : 1) - pilot[gi]));
  return allocateShots(shots - used, deficit, 0);
}

function mergeCounts(a: Map<number, number>, b: Map<number, number>): Map<number, number> {
  if (b.size === 0) return a;
  const out = new Map(a);
  for (const [k, c] of b) out.set(k, (out.get(k) ?? 0) + c);
  return out;
}
