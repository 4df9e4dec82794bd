/**
 * An {@link Estimator} built on any {@link Sampler}: each observable is split into qubit-wise
 * commuting groups (the qubit stage's groupQubitWiseCommuting); for each group the circuit is
 * followed by the rotation into the group's product basis (H for X, S†·H for Y) and measured, and
 *   v(b) = Σ_{k ∈ group} c_k (−1)^popcount(b & support_k)
 * is averaged over the group's shots. The estimate is the sum of the group means plus the identity
 * terms; its standard error is √(Σ_g s_g² / N_g) with s_g² the unbiased sample variance of v in
 * group g. Shots are split over groups in proportion to Σ_k |c_k| (at least one per group).
 *
 * One Estimator call is one Sampler call: every (pub, group) becomes one sampler pub carrying all
 * parameter sets of the pub, so a parameter-shift stencil is one job on a remote sampler.
 * Only the real parts of the coefficients are measured (observables are Hermitian).
 */
import { parity32 } from '../core/index.js';
import { InputError } from '../core/index.js';
import type { Circuit, Gate } from '../circuits/index.js';
import { groupQubitWiseCommuting, type PauliSumData, type QwcGrouping } from '../qubits/index.js';
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

/** Options of {@link SamplingEstimator}. */
export interface SamplingEstimatorOptions {
  /** Total shots per estimate, split over the measurement groups (default: the sampler's info.shots, else 1024). */
  shots?: number;
}

const groupingCache = new WeakMap<PauliSumData, QwcGrouping>();

function grouping(op: PauliSumData): QwcGrouping {
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

/** Estimator measuring qubit-wise commuting groups with a {@link Sampler}. */
export class SamplingEstimator implements Estimator {
  readonly kind = 'estimator';
  readonly info: BackendInfo;
  /** Total shots per estimate. */
  readonly shots: number;
  /** Seed of the sampler's measurement stream, when it has one. */
  readonly seed: number | undefined;

  constructor(
    readonly sampler: Sampler,
    options: SamplingEstimatorOptions = {},
  ) {
    const shots = options.shots ?? sampler.info.shots ?? 1024;
    if (!Number.isInteger(shots) || shots < 1) throw new InputError(`sampling estimator: shots must be a positive integer, got ${shots}`);
    this.shots = shots;
    this.info = { ...sampler.info, shots };
    this.seed = sampler.seed;
  }

  run(pubs: readonly EstimatorPub[], options: EstimatorRunOptions = {}): Job<EstimatorPubResult[]> {
    const shots = options.shots ?? this.shots;
    const plans = pubs.map((pub) => this.plan(pub, shots));
    const samplerPubs: SamplerPub[] = [];
    for (const plan of plans) samplerPubs.push(...plan.samplerPubs);
    const job = this.sampler.run(samplerPubs, options.seed === undefined ? {} : { seed: options.seed });
    const result = job.result().then((sampled) => {
      let offset = 0;
      return plans.map((plan, p) => {
        const groupResults = sampled.slice(offset, offset + plan.samplerPubs.length);
        offset += plan.samplerPubs.length;
        return combine(pubs[p], plan, groupResults.map((r) => r.counts));
      });
    });
    return { jobId: job.jobId, result: () => result };
  }

  private plan(pub: EstimatorPub, shots: number): Plan {
    const op = pub.observable;
    if (op.nQubits > pub.circuit.nQubits) {
      throw new InputError(`sampling estimator: observable on ${op.nQubits} qubits, circuit on ${pub.circuit.nQubits}`);
    }
    const { groups, identityTerms } = grouping(op);
    let constant = 0;
    for (let k = 0; k < identityTerms.length; k++) constant += op.coeffRe[identityTerms[k]];
    if (groups.length > 0 && shots < groups.length) {
      throw new InputError(`sampling estimator: ${shots} shots cannot cover ${groups.length} measurement groups`);
    }
    const weights = groups.map((g) => {
      let w = 0;
      for (let k = 0; k < g.termIndices.length; k++) w += Math.abs(op.coeffRe[g.termIndices[k]]);
      return w;
    });
    const totalWeight = weights.reduce((a, b) => a + b, 0);
    const parameterSets = pubParameterSets(pub);
    const samplerPubs = groups.map((g, gi) => ({
      circuit: measurementCircuit(pub.circuit, g.basisX, g.basisZ),
      parameterSets,
      shots: Math.max(1, Math.round((shots * weights[gi]) / (totalWeight > 0 ? totalWeight : 1))),
    }));
    return { grouping: { groups, identityTerms }, constant, weights, samplerPubs, nSets: parameterSets.length };
  }
}

interface Plan {
  grouping: QwcGrouping;
  constant: number;
  weights: number[];
  samplerPubs: (SamplerPub & { shots: number })[];
  nSets: number;
}

/** Group means and variances from the counts of each group (counts[g][s] for parameter set s). */
function combine(pub: EstimatorPub, plan: Plan, counts: Map<number, number>[][]): EstimatorPubResult {
  const op = pub.observable;
  const { groups } = plan.grouping;
  const estimates: Estimate[] = [];
  let pubShots = 0;
  for (let s = 0; s < plan.nSets; s++) {
    let value = plan.constant;
    let variance = 0;
    let shotsUsed = 0;
    const groupEstimates: { value: number; standardError: number; shots: number }[] = [];
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi];
      const n = plan.samplerPubs[gi].shots;
      let sum = 0;
      let sumSq = 0;
      for (const [b, c] of counts[gi][s]) {
        let v = 0;
        for (let k = 0; k < g.termIndices.length; k++) {
          const t = g.termIndices[k];
          const support = op.x[t] | op.z[t];
          v += parity32(b & support) === 0 ? op.coeffRe[t] : -op.coeffRe[t];
        }
        sum += c * v;
        sumSq += c * v * v;
      }
      const mean = sum / n;
      // Unbiased sample variance; with one shot fall back to the bound (Σ|c|)².
      const s2 = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : plan.weights[gi] * plan.weights[gi];
      value += mean;
      variance += s2 / n;
      shotsUsed += n;
      groupEstimates.push({ value: mean, standardError: Math.sqrt(s2 / n), shots: n });
    }
    pubShots += shotsUsed;
    estimates.push({ value, standardError: Math.sqrt(variance), shots: shotsUsed, groups: groupEstimates });
  }
  return { estimates, shots: pubShots };
}
