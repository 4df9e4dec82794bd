/**
 * Shot sampler over the exact state: each circuit is simulated exactly on the state vector and its
 * computational-basis measurement is drawn `shots` times with a seeded generator (xoshiro128**),
 * as a device would return it. Counts map basis-state indices (qubit 0 = least significant bit) to
 * numbers of shots; they sum to the shots of the pub. The same seed gives the same counts.
 */
import { InputError } from '../core/index.js';
import { DEFAULT_SEED, Random } from '../core/index.js';
import { QDE_VERSION } from '../version.js';
import { applyCircuit } from './apply.js';
import { sampleCounts } from './observables.js';
import {
  completedJob,
  pubParameterSets,
  type BackendInfo,
  type Job,
  type Sampler,
  type SamplerPub,
  type SamplerPubResult,
  type SamplerRunOptions,
} from './primitives.js';
import { StateVector } from './statevector.js';

/** Options of {@link ShotSamplingSimulator}. */
export interface ShotSamplingOptions {
  /** Default shots per circuit execution (default 1024). */
  shots?: number;
  /** Seed of the measurement randomness (default {@link DEFAULT_SEED}); runs without their own seed continue this stream. */
  seed?: number;
}

function checkShots(shots: number, what: string): number {
  if (!Number.isInteger(shots) || shots < 1) throw new InputError(`shot sampler: ${what} must be a positive integer, got ${shots}`);
  return shots;
}

/** {@link Sampler} that simulates each circuit exactly and samples its measurement. */
export class ShotSamplingSimulator implements Sampler {
  readonly kind = 'sampler';
  /** Noiseless: counts follow the exact Born probabilities of each circuit. */
  readonly simulatesExactState = true;
  readonly info: BackendInfo;
  /** Default shots per circuit execution. */
  readonly shots: number;
  /** Seed of the measurement stream. */
  readonly seed: number;
  private readonly rng: Random;
  private jobs = 0;
  private work: StateVector | undefined;

  constructor(options: ShotSamplingOptions = {}) {
    this.shots = checkShots(options.shots ?? 1024, 'shots');
    this.seed = options.seed ?? DEFAULT_SEED;
    this.rng = new Random(this.seed);
    this.info = { name: 'shots', version: QDE_VERSION, device: null, noiseModel: null, shots: this.shots, mitigation: null };
  }

  /** Samples every pub now; the returned job is already complete. */
  run(pubs: readonly SamplerPub[], options: SamplerRunOptions = {}): Job<SamplerPubResult[]> {
    const rng = options.seed === undefined ? this.rng : new Random(options.seed);
    const runShots = checkShots(options.shots ?? this.shots, 'shots');
    const results = pubs.map((pub) => {
      const shots = checkShots(pub.shots ?? runShots, 'pub shots');
      const n = pub.circuit.nQubits;
      const counts = pubParameterSets(pub).map((parameters) => {
        const state = this.state(n);
        applyCircuit(state, pub.circuit, parameters);
        return sampleCounts(state, shots, rng);
      });
      return { nQubits: n, counts, shots };
    });
    return completedJob(`shots-${++this.jobs}`, results);
  }

  private state(nQubits: number): StateVector {
    if (this.work === undefined || this.work.nQubits !== nQubits) this.work = new StateVector(nQubits);
    else this.work.reset(0);
    return this.work;
  }
}
