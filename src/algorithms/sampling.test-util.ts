/**
 * Samplers for statistical tests, written independently of the backends' shot sampler:
 * - {@link CachedExactSampler}: exact Born probabilities of each distinct (circuit, parameters),
 *   computed once and sampled by inverse CDF with a seeded generator (fast repeated sampling);
 * - {@link ReadoutFlipSampler}: flips each measured bit q with probability p(1|0)_q or p(0|1)_q,
 *   independently per shot (known asymmetric, uncorrelated readout error);
 * - {@link MixingSampler}: with probability q(circuit) a shot is replaced by uniformly random bits,
 *   so every non-identity Pauli expectation is scaled by 1 − q(circuit) (a known, depolarising-like
 *   gate-count dependence).
 */
import { applyCircuit } from '../backends/apply.js';
import {
  completedJob,
  pubParameterSets,
  type BackendInfo,
  type Job,
  type Sampler,
  type SamplerPub,
  type SamplerPubResult,
  type SamplerRunOptions,
} from '../backends/primitives.js';
import { StateVector } from '../backends/statevector.js';
import type { Circuit } from '../circuits/circuit.js';
import { Random } from '../core/random.js';

const info = (name: string, shots: number): BackendInfo => ({ name, version: 'test', device: null, noiseModel: null, shots, mitigation: null });

/** Exact sampler with a cache of cumulative distributions. */
export class CachedExactSampler implements Sampler {
  readonly kind = 'sampler';
  readonly info: BackendInfo;
  private readonly rng: Random;
  private readonly cache = new Map<string, Float64Array>();
  private jobs = 0;

  constructor(
    readonly shots: number,
    readonly seed: number,
  ) {
    this.info = info('cached-exact', shots);
    this.rng = new Random(seed);
  }

  cumulative(circuit: Circuit, parameters: ArrayLike<number>): Float64Array {
    const key = JSON.stringify(circuit.gates) + '|' + Array.from(parameters).join(',');
    let cdf = this.cache.get(key);
    if (cdf === undefined) {
      const state = new StateVector(circuit.nQubits);
      applyCircuit(state, circuit, parameters);
      cdf = new Float64Array(state.re.length);
      let sum = 0;
      for (let i = 0; i < cdf.length; i++) {
        sum += state.re[i] * state.re[i] + state.im[i] * state.im[i];
        cdf[i] = sum;
      }
      for (let i = 0; i < cdf.length; i++) cdf[i] /= sum;
      this.cache.set(key, cdf);
    }
    return cdf;
  }

  run(pubs: readonly SamplerPub[], options: SamplerRunOptions = {}): Job<SamplerPubResult[]> {
    const rng = options.seed === undefined ? this.rng : new Random(options.seed);
    const results = pubs.map((pub) => {
      const shots = pub.shots ?? options.shots ?? this.shots;
      const counts = pubParameterSets(pub).map((x) => {
        const cdf = this.cumulative(pub.circuit, x);
        const out = new Map<number, number>();
        for (let s = 0; s < shots; s++) {
          const u = rng.next();
          let lo = 0;
          let hi = cdf.length - 1;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (u < cdf[mid]) hi = mid;
            else lo = mid + 1;
          }
          out.set(lo, (out.get(lo) ?? 0) + 1);
        }
        return out;
      });
      return { nQubits: pub.circuit.nQubits, counts, shots };
    });
    return completedJob(`cached-${++this.jobs}`, results);
  }
}

/** Applies a per-shot transformation of the measured bits of an inner sampler. */
abstract class ShotTransformSampler implements Sampler {
  readonly kind = 'sampler';
  readonly info: BackendInfo;
  readonly seed: number;
  private readonly rng: Random;

  constructor(
    readonly inner: Sampler,
    name: string,
    seed: number,
  ) {
    this.info = { ...inner.info, name };
    this.seed = seed;
    this.rng = new Random(seed);
  }

  protected abstract transform(bits: number, nQubits: number, circuit: Circuit, rng: Random): number;

  run(pubs: readonly SamplerPub[], options: SamplerRunOptions = {}): Job<SamplerPubResult[]> {
    const job = this.inner.run(pubs, options);
    const rng = options.seed === undefined ? this.rng : new Random(options.seed ^ 0x3c6ef372);
    const result = job.result().then((results) =>
      results.map((r, p) => ({
        ...r,
        counts: r.counts.map((counts) => {
          const out = new Map<number, number>();
          for (const [b, c] of counts) {
            for (let s = 0; s < c; s++) {
              const t = this.transform(b, r.nQubits, pubs[p].circuit, rng);
              out.set(t, (out.get(t) ?? 0) + 1);
            }
          }
          return out;
        }),
      })),
    );
    return { jobId: job.jobId, result: () => result };
  }
}

/** Known asymmetric readout error: bit q reads 1 for a true 0 with p01[q], 0 for a true 1 with p10[q]. */
export class ReadoutFlipSampler extends ShotTransformSampler {
  constructor(
    inner: Sampler,
    readonly p01: readonly number[],
    readonly p10: readonly number[],
    seed: number,
  ) {
    super(inner, 'readout-flip', seed);
  }

  protected transform(bits: number, nQubits: number, _c: Circuit, rng: Random): number {
    let out = bits;
    for (let q = 0; q < nQubits; q++) {
      const one = (bits >>> q) & 1;
      if (rng.next() < (one ? this.p10[q] : this.p01[q])) out ^= 1 << q;
    }
    return out;
  }
}

/** With probability mixing(circuit) a shot becomes uniformly random bits. */
export class MixingSampler extends ShotTransformSampler {
  constructor(
    inner: Sampler,
    readonly mixing: (circuit: Circuit) => number,
    seed: number,
  ) {
    super(inner, 'mixing', seed);
  }

  protected transform(bits: number, nQubits: number, circuit: Circuit, rng: Random): number {
    if (rng.next() >= this.mixing(circuit)) return bits;
    return Math.floor(rng.next() * 2 ** nQubits);
  }
}
