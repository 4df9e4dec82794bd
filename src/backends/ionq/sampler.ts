/**
 * A {@link Sampler} on IonQ's cloud (simulator or QPU) through the v0.4 REST API.
 *
 * One `run` is one job per distinct shot count (usually one): its circuits — every pub times every
 * parameter set, parameters bound — go as an `ionq.multi-circuit.v1` job (an `ionq.circuit.v1` job
 * when there is one circuit), in IonQ's JSON gate set (qis by default). The jobs are polled together;
 * each circuit's result is the probabilities of its child job (child_job_ids, in submission order).
 *
 * Probabilities become counts for the requested shots: the QPU and the noisy simulator report
 * measured frequencies, which are turned back into counts by largest-remainder rounding of p·shots
 * (exact when p = count/shots); the ideal simulator reports exact Born probabilities, from which
 * `shots` outcomes are drawn with a seeded generator, as a device would measure them.
 * Basis-state keys follow IonQ: qubit 0 is the least significant bit, as in qde.
 */
import { InputError, Random } from '../../core/index.js';
import { toIonqJson, type IonqCircuitInput } from '../../circuits/index.js';
import {
  pubParameterSets,
  type BackendInfo,
  type Job,
  type Sampler,
  type SamplerPub,
  type SamplerPubResult,
  type SamplerRunOptions,
} from '../primitives.js';
import { SamplingEstimator } from '../sampling-estimator.js';
import { IONQ_API_VERSION, IonqApiError, IonqClient, type IonqClientOptions } from './client.js';

/** IonQ targets this sampler accepts. */
export const IONQ_TARGETS = ['simulator', 'qpu.aria-1', 'qpu.aria-2', 'qpu.forte-1', 'qpu.forte-enterprise-1'] as const;
/** Noise models of IonQ's cloud simulator. */
export const IONQ_NOISE_MODELS = ['ideal', 'aria-1', 'aria-2', 'forte-1', 'forte-enterprise-1'] as const;

/** Options of {@link IonqSampler}. */
export interface IonqSamplerOptions extends IonqClientOptions {
  /** Target: 'simulator' (default), 'qpu.aria-1', 'qpu.forte-1', … */
  target?: string;
  /** Default shots per circuit (default 1024; IonQ allows 1 … 1 000 000). */
  shots?: number;
  /** Noise model of the cloud simulator ('aria-1', 'forte-1', …); only with target 'simulator'. */
  noiseModel?: string;
  /** Send circuits in IonQ's native gate set (they must already be native gates). Default false. */
  native?: boolean;
  /** Seed of the local sampling from ideal-simulator probabilities (default 1). */
  seed?: number;
  /** Job name shown in IonQ's console (default 'qde'). */
  jobName?: string;
}

const MAX_IONQ_SHOTS = 1_000_000;

function checkShots(shots: number, what: string): number {
  if (!Number.isInteger(shots) || shots < 1 || shots > MAX_IONQ_SHOTS) {
    throw new InputError(`IonQ sampler: ${what} must be an integer in 1..${MAX_IONQ_SHOTS}, got ${shots}`);
  }
  return shots;
}

/** Counts from measured frequencies: largest-remainder rounding of p·shots (sums to shots). */
export function countsFromFrequencies(probabilities: Map<number, number>, shots: number): Map<number, number> {
  const entries = [...probabilities.entries()].filter(([, p]) => p > 0);
  const total = entries.reduce((s, [, p]) => s + p, 0);
  const counts = new Map<number, number>();
  if (total <= 0) return counts;
  const remainders: [number, number][] = [];
  let assigned = 0;
  for (const [state, p] of entries) {
    const exact = (p / total) * shots;
    const whole = Math.floor(exact);
    counts.set(state, whole);
    assigned += whole;
    remainders.push([state, exact - whole]);
  }
  remainders.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (let k = 0; assigned < shots; k++, assigned++) {
    const state = remainders[k % remainders.length][0];
    counts.set(state, counts.get(state)! + 1);
  }
  for (const [state, c] of counts) if (c === 0) counts.delete(state);
  return counts;
}

/** Counts of `shots` outcomes drawn from exact probabilities (inverse-CDF sampling, seeded). */
export function countsFromProbabilities(probabilities: Map<number, number>, shots: number, rng: Random): Map<number, number> {
  const states = [...probabilities.keys()].sort((a, b) => a - b);
  const cdf = new Float64Array(states.length);
  let acc = 0;
  for (let k = 0; k < states.length; k++) cdf[k] = acc += probabilities.get(states[k])!;
  const counts = new Map<number, number>();
  for (let s = 0; s < shots; s++) {
    const u = rng.next() * acc;
    let lo = 0;
    let hi = states.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    counts.set(states[lo], (counts.get(states[lo]) ?? 0) + 1);
  }
  return counts;
}

interface Execution {
  pub: number;
  set: number;
  shots: number;
  input: IonqCircuitInput;
  nQubits: number;
}

/** {@link Sampler} running circuits on IonQ's cloud. */
export class IonqSampler implements Sampler {
  readonly kind = 'sampler';
  readonly info: BackendInfo;
  readonly target: string;
  readonly shots: number;
  readonly noiseModel: string | null;
  readonly seed: number;
  private readonly client: IonqClient;
  private readonly native: boolean;
  private readonly jobName: string;
  private readonly rng: Random;
  private runs = 0;

  constructor(options: IonqSamplerOptions = {}) {
    this.target = options.target ?? 'simulator';
    if (!(IONQ_TARGETS as readonly string[]).includes(this.target)) {
      throw new InputError(`IonQ sampler: unknown target '${this.target}' (use ${IONQ_TARGETS.join(', ')})`);
    }
    this.noiseModel = options.noiseModel ?? null;
    if (this.noiseModel !== null) {
      if (this.target !== 'simulator') throw new InputError(`IonQ sampler: a noise model applies only to target 'simulator', not '${this.target}'`);
      if (!(IONQ_NOISE_MODELS as readonly string[]).includes(this.noiseModel)) {
        throw new InputError(`IonQ sampler: unknown noise model '${this.noiseModel}' (use ${IONQ_NOISE_MODELS.join(', ')})`);
      }
    }
    this.shots = checkShots(options.shots ?? 1024, 'shots');
    this.seed = options.seed ?? 1;
    this.rng = new Random(this.seed);
    this.native = options.native === true;
    this.jobName = options.jobName ?? 'qde';
    this.client = new IonqClient(options);
    this.info = {
      name: 'ionq',
      version: IONQ_API_VERSION,
      device: this.target,
      noiseModel: this.noiseModel,
      shots: this.shots,
      mitigation: null,
    };
  }

  /** True when results are exact probabilities (the ideal cloud simulator) and counts are drawn locally. */
  get exactProbabilities(): boolean {
    return this.target === 'simulator' && (this.noiseModel === null || this.noiseModel === 'ideal');
  }

  /** Submits the pubs as IonQ jobs; the returned job resolves when all have completed. */
  run(pubs: readonly SamplerPub[], options: SamplerRunOptions = {}): Job<SamplerPubResult[]> {
    const runShots = checkShots(options.shots ?? this.shots, 'shots');
    const rng = options.seed === undefined ? this.rng : new Random(options.seed);
    const executions: Execution[] = [];
    pubs.forEach((pub, p) => {
      const shots = checkShots(pub.shots ?? runShots, 'pub shots');
      pubParameterSets(pub).forEach((parameters, s) => {
        const input = toIonqJson(pub.circuit, { native: this.native, parameters });
        executions.push({ pub: p, set: s, shots, input, nQubits: pub.circuit.nQubits });
      });
    });
    const jobId = `ionq-run-${++this.runs}`;
    const result = this.execute(pubs, executions, runShots, rng);
    // Keep an unobserved rejection from crashing the process before result() is awaited.
    result.catch(() => undefined);
    return { jobId, result: () => result };
  }

  private async execute(pubs: readonly SamplerPub[], executions: Execution[], runShots: number, rng: Random): Promise<SamplerPubResult[]> {
    const byShots = new Map<number, Execution[]>();
    for (const e of executions) {
      const list = byShots.get(e.shots) ?? [];
      list.push(e);
      byShots.set(e.shots, list);
    }
    const groups = [...byShots.entries()];
    const probabilities = await Promise.all(groups.map(([shots, list]) => this.submit(list, shots)));
    // Counts are drawn in submission order so the same seed gives the same counts.
    const results: SamplerPubResult[] = pubs.map((pub) => ({
      nQubits: pub.circuit.nQubits,
      counts: pubParameterSets(pub).map(() => new Map<number, number>()),
      shots: pub.shots ?? runShots,
    }));
    groups.forEach(([shots, list], g) => {
      list.forEach((e, k) => {
        const p = probabilities[g][k];
        for (const state of p.keys()) {
          if (state >= 2 ** e.nQubits) throw new IonqApiError(`IonQ: result state ${state} outside the ${e.nQubits}-qubit register`, 'malformed-response');
        }
        results[e.pub].counts[e.set] = this.exactProbabilities ? countsFromProbabilities(p, shots, rng) : countsFromFrequencies(p, shots);
      });
    });
    return results;
  }

  /** One IonQ job for circuits sharing a shot count; returns each circuit's probabilities. */
  private async submit(list: Execution[], shots: number): Promise<Map<number, number>[]> {
    const common: Record<string, unknown> = { name: this.jobName, backend: this.target, shots };
    if (this.noiseModel !== null) common.noise = { model: this.noiseModel };
    const gateset = this.native ? 'native' : 'qis';
    const payload =
      list.length === 1
        ? { ...common, type: 'ionq.circuit.v1', input: list[0].input }
        : {
            ...common,
            type: 'ionq.multi-circuit.v1',
            input: {
              gateset,
              qubits: Math.max(...list.map((e) => e.input.qubits)),
              circuits: list.map((e, k) => ({ name: `circuit-${k}`, qubits: e.input.qubits, circuit: e.input.circuit })),
            },
          };
    const id = await this.client.createJob(payload);
    const job = await this.client.waitForJob(id);
    if (list.length === 1) return [await this.client.getProbabilities(id)];
    const children = job.child_job_ids;
    if (!Array.isArray(children) || children.length !== list.length || !children.every((c) => typeof c === 'string')) {
      throw new IonqApiError(
        `IonQ job ${id}: expected ${list.length} child jobs, got ${Array.isArray(children) ? children.length : 'none'}`,
        'malformed-response',
        null,
        id,
      );
    }
    return Promise.all(children.map((child) => this.client.getProbabilities(child)));
  }
}

/**
 * The estimator of an 'ionq' backend spec: a SamplingEstimator over an {@link IonqSampler}
 * (base URL from IONQ_BASE_URL, key from IONQ_API_KEY).
 * @throws InputError when IONQ_API_KEY is not set or the spec is malformed.
 */
export function ionqEstimator(spec: { target: string; shots: number; noiseModel?: string; seed?: number }): SamplingEstimator {
  if ((process.env.IONQ_API_KEY ?? '').trim() === '') {
    throw new InputError("backend 'ionq' needs an API key: set the IONQ_API_KEY environment variable");
  }
  if (typeof spec.target !== 'string' || spec.target === '') throw new InputError("backend 'ionq': key 'target' must name an IonQ target (simulator, qpu.aria-1, qpu.forte-1, …)");
  if (!Number.isInteger(spec.shots) || spec.shots < 1) throw new InputError(`backend 'ionq': key 'shots' must be a positive integer, got ${String(spec.shots)}`);
  if (spec.seed !== undefined && !Number.isInteger(spec.seed)) throw new InputError(`backend 'ionq': key 'seed' must be an integer, got ${String(spec.seed)}`);
  return new SamplingEstimator(new IonqSampler({ target: spec.target, shots: spec.shots, noiseModel: spec.noiseModel, seed: spec.seed }), { shots: spec.shots });
}
