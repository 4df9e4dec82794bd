/**
 * A {@link Sampler} with device noise: every circuit is compiled for hardware (Pauli rotations
 * decomposed), each gate is followed by the depolarising and thermal-relaxation noise of its qubit
 * count, and each measured bit passes through the asymmetric readout error of the model.
 *
 * Engines: the exact density matrix (density-matrix.ts) up to 12 qubits — one simulation per
 * parameter set, shots drawn from its diagonal — and Monte-Carlo trajectories (trajectories.ts)
 * above: one trajectory per shot by default (as IonQ's noisy cloud simulator runs one simulation
 * per shot), or `trajectories` of them sharing the shots evenly. Readout error flips each sampled
 * bit independently. All randomness comes from one seeded generator: the same seed gives the same
 * counts. Counts map basis-state indices (qubit 0 = least significant bit) to shots.
 */
import { InputError, Random } from '../../core/index.js';
import type { Circuit, Gate } from '../../circuits/index.js';
import { QDE_VERSION } from '../../version.js';
import {
  completedJob,
  pubParameterSets,
  type BackendInfo,
  type Job,
  type Sampler,
  type SamplerPub,
  type SamplerPubResult,
  type SamplerRunOptions,
} from '../primitives.js';
import { StateVector } from '../statevector.js';
import { DensityMatrix, MAX_DENSITY_MATRIX_QUBITS, applyNoisyGate, simulateDensityMatrix } from './density-matrix.js';
import { hardwareCircuit } from './compile.js';
import type { NoiseModel } from './model.js';
import { runTrajectory } from './trajectories.js';

/** Simulation engine of a {@link NoisySampler}. */
export type NoiseEngine = 'density-matrix' | 'trajectories';

/** Options of {@link NoisySampler}. */
export interface NoisySamplerOptions {
  /** The noise model (a preset from DEVICE_PRESETS, resolveNoiseModel, or a loaded file). */
  noise: NoiseModel;
  /** Device label recorded in info.device (default: the model's name). */
  device?: string;
  /** Default shots per circuit execution (default 1024). */
  shots?: number;
  /** Seed of all randomness (default 1); runs without their own seed continue this stream. */
  seed?: number;
  /** Engine (default: density matrix up to 12 qubits, trajectories above). */
  engine?: NoiseEngine;
  /** Trajectories per circuit execution on the trajectory engine (default: one per shot). */
  trajectories?: number;
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new InputError(`noisy sampler: ${what} must be a positive integer, got ${value}`);
  return value;
}

/** Largest register whose prefix density matrix is kept between circuits (a second 4^n matrix: 16 MiB at 10 qubits). */
const MAX_PREFIX_CACHE_QUBITS = 10;

/** The density matrix after a circuit prefix, with the gates and parameters that made it. */
interface PrefixCache {
  rho: DensityMatrix;
  gates: Gate[];
  parameters: number[];
}

function sameGate(a: Gate, b: Gate): boolean {
  if (a === b) return true;
  return (
    a.kind === b.kind &&
    a.angle === b.angle &&
    a.parameter === b.parameter &&
    a.factor === b.factor &&
    a.control === b.control &&
    a.pauliX === b.pauliX &&
    a.pauliZ === b.pauliZ &&
    a.phases?.[0] === b.phases?.[0] &&
    a.phases?.[1] === b.phases?.[1] &&
    a.qubits.length === b.qubits.length &&
    a.qubits.every((q, i) => q === b.qubits[i])
  );
}

/** Whether the cached prefix is the first `split` gates with the same parameters. */
function samePrefix(cache: PrefixCache, gates: readonly Gate[], split: number, parameters: ArrayLike<number>): boolean {
  if (cache.gates.length !== split || cache.parameters.length !== parameters.length) return false;
  for (let i = 0; i < parameters.length; i++) if (!Object.is(cache.parameters[i], parameters[i])) return false;
  for (let k = 0; k < split; k++) if (!sameGate(cache.gates[k], gates[k])) return false;
  return true;
}

/** Noisy {@link Sampler} over a density-matrix or trajectory simulation. */
export class NoisySampler implements Sampler {
  readonly kind = 'sampler';
  readonly info: BackendInfo;
  readonly shots: number;
  readonly seed: number;
  readonly noise: NoiseModel;
  private readonly engineOverride: NoiseEngine | undefined;
  private readonly trajectories: number | undefined;
  private readonly rng: Random;
  private jobs = 0;
  private rho: DensityMatrix | undefined;
  private state: StateVector | undefined;
  private probabilitiesScratch: Float64Array | undefined;
  private prefix: PrefixCache | undefined;

  constructor(options: NoisySamplerOptions) {
    this.noise = options.noise;
    this.shots = positiveInteger(options.shots ?? 1024, 'shots');
    this.seed = options.seed ?? 1;
    if (!Number.isInteger(this.seed)) throw new InputError(`noisy sampler: seed must be an integer, got ${this.seed}`);
    if (options.engine !== undefined && options.engine !== 'density-matrix' && options.engine !== 'trajectories') {
      throw new InputError(`noisy sampler: unknown engine '${String(options.engine)}' (use density-matrix or trajectories)`);
    }
    this.engineOverride = options.engine;
    this.trajectories = options.trajectories === undefined ? undefined : positiveInteger(options.trajectories, 'trajectories');
    this.rng = new Random(this.seed);
    this.info = {
      name: 'noisy',
      version: QDE_VERSION,
      device: options.device ?? this.noise.name,
      noiseModel: this.noise.name,
      shots: this.shots,
      mitigation: null,
    };
  }

  /** The engine used for an n-qubit circuit. */
  engineFor(nQubits: number): NoiseEngine {
    if (this.engineOverride === 'density-matrix' && nQubits > MAX_DENSITY_MATRIX_QUBITS) {
      throw new InputError(`noisy sampler: the density-matrix engine holds at most ${MAX_DENSITY_MATRIX_QUBITS} qubits, the circuit has ${nQubits}`);
    }
    return this.engineOverride ?? (nQubits <= MAX_DENSITY_MATRIX_QUBITS ? 'density-matrix' : 'trajectories');
  }

  /** Samples every pub now; the returned job is already complete. */
  run(pubs: readonly SamplerPub[], options: SamplerRunOptions = {}): Job<SamplerPubResult[]> {
    const rng = options.seed === undefined ? this.rng : new Random(options.seed);
    const runShots = positiveInteger(options.shots ?? this.shots, 'shots');
    const results = pubs.map((pub) => {
      const shots = positiveInteger(pub.shots ?? runShots, 'pub shots');
      const n = pub.circuit.nQubits;
      const engine = this.engineFor(n);
      const counts = pubParameterSets(pub).map((parameters) => {
        const tally = new Map<number, number>();
        if (engine === 'density-matrix') {
          const p = this.cachedProbabilities(pub.circuit, parameters);
          this.sample(p, n, shots, rng, tally);
        } else {
          const nTrajectories = Math.min(shots, this.trajectories ?? shots);
          const state = this.stateFor(n);
          for (let t = 0; t < nTrajectories; t++) {
            // Shots shared evenly; the first (shots mod T) trajectories take one more.
            const share = Math.floor(shots / nTrajectories) + (t < shots % nTrajectories ? 1 : 0);
            runTrajectory(state, pub.circuit, parameters, this.noise, rng);
            this.sample(this.stateProbabilities(state), n, share, rng, tally);
          }
        }
        return tally;
      });
      return { nQubits: n, counts, shots };
    });
    return completedJob(`noisy-${++this.jobs}`, results);
  }

  /**
   * Exact outcome probabilities of the circuit before readout error, from the density matrix
   * (at most 12 qubits). The returned array is scratch space reused by the next call.
   */
  exactProbabilities(circuit: Circuit, parameters: ArrayLike<number> = new Float64Array(0)): Float64Array {
    const n = circuit.nQubits;
    if (n > MAX_DENSITY_MATRIX_QUBITS) {
      throw new InputError(`noisy sampler: exact probabilities need the density matrix, at most ${MAX_DENSITY_MATRIX_QUBITS} qubits (circuit has ${n})`);
    }
    if (this.rho === undefined || this.rho.nQubits !== n) this.rho = new DensityMatrix(n);
    simulateDensityMatrix(circuit, parameters, this.noise, this.rho);
    return this.rho.probabilities(this.scratch(1 << n));
  }

  /**
   * {@link exactProbabilities} reusing the density matrix of the last circuit whose gates up to its
   * last two-qubit gate (the prefix) were the same, with the same parameters: measurement circuits
   * of one estimate differ only in their final one-qubit basis changes, so the prefix is simulated
   * once per estimate and each group applies only its tail. Same numbers as without the cache.
   */
  private cachedProbabilities(circuit: Circuit, parameters: ArrayLike<number>): Float64Array {
    const n = circuit.nQubits;
    if (n > MAX_PREFIX_CACHE_QUBITS) return this.exactProbabilities(circuit, parameters);
    const gates = hardwareCircuit(circuit).gates;
    let split = gates.length;
    while (split > 0 && gates[split - 1].qubits.length === 1) split--;
    const cache = this.prefix;
    if (cache === undefined || cache.rho.nQubits !== n || !samePrefix(cache, gates, split, parameters)) {
      const rho = cache !== undefined && cache.rho.nQubits === n ? cache.rho : new DensityMatrix(n);
      rho.reset(0);
      for (let k = 0; k < split; k++) applyNoisyGate(rho, gates[k], parameters, this.noise);
      this.prefix = { rho, gates: gates.slice(0, split), parameters: Array.from(parameters) };
    }
    if (this.rho === undefined || this.rho.nQubits !== n) this.rho = new DensityMatrix(n);
    this.rho.re.set(this.prefix!.rho.re);
    this.rho.im.set(this.prefix!.rho.im);
    for (let k = split; k < gates.length; k++) applyNoisyGate(this.rho, gates[k], parameters, this.noise);
    return this.rho.probabilities(this.scratch(1 << n));
  }

  private stateFor(n: number): StateVector {
    if (this.state === undefined || this.state.nQubits !== n) this.state = new StateVector(n);
    return this.state;
  }

  private scratch(length: number): Float64Array {
    if (this.probabilitiesScratch === undefined || this.probabilitiesScratch.length !== length) {
      this.probabilitiesScratch = new Float64Array(length);
    }
    return this.probabilitiesScratch;
  }

  private stateProbabilities(state: StateVector): Float64Array {
    const p = this.scratch(state.dimension);
    for (let i = 0; i < p.length; i++) p[i] = state.re[i] * state.re[i] + state.im[i] * state.im[i];
    return p;
  }

  /**
   * Adds `shots` draws from the distribution p (turned in place into its cumulative sums), each
   * passed through the readout error, to `tally`.
   */
  private sample(p: Float64Array, nQubits: number, shots: number, rng: Random, tally: Map<number, number>): void {
    if (shots === 0) return;
    let sum = 0;
    let last = 0;
    for (let i = 0; i < p.length; i++) {
      if (p[i] > 0) last = i;
      sum += p[i];
      p[i] = sum;
    }
    if (!(sum > 0)) throw new InputError('noisy sampler: the simulated state has zero norm');
    const { p1Given0, p0Given1 } = this.noise.readout;
    const readout = p1Given0 > 0 || p0Given1 > 0;
    for (let s = 0; s < shots; s++) {
      const u = rng.next() * sum;
      let outcome = last;
      if (u < sum) {
        let lo = 0;
        let hi = p.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (u < p[mid]) hi = mid;
          else lo = mid + 1;
        }
        outcome = lo;
      }
      if (readout) {
        for (let q = 0; q < nQubits; q++) {
          const bit = (outcome >>> q) & 1;
          if (rng.next() < (bit === 0 ? p1Given0 : p0Given1)) outcome ^= 1 << q;
        }
      }
      tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
    }
  }
}
