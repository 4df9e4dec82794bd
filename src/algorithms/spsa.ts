/**
 * Simultaneous-perturbation stochastic approximation (SPSA) for noisy objectives such as sampled
 * energies (Spall, IEEE Trans. Autom. Control 37, 332 (1992); gains as in Spall, IEEE Trans. Aerosp.
 * Electron. Syst. 34, 817 (1998)).
 *
 * Iteration k = 0, 1, …: draw Δ_k ∈ {±1}ⁿ (Rademacher, seeded), evaluate y± = f(x_k ± c_k Δ_k) in
 * ONE batch, estimate the gradient ĝ_k = (y+ − y−)/(2 c_k) · Δ_k (1/Δ_i = Δ_i) and step
 * x_{k+1} = x_k − a_k ĝ_k with the standard gain sequences
 *   a_k = a / (A + k + 1)^α,  c_k = c / (k + 1)^γ,  α = 0.602, γ = 0.101, A = 0.1 × maxIterations.
 * Unless `a` is given it is calibrated at the start point: with m the mean of |y+ − y−|/(2c) over
 * `calibrationSteps` perturbations (one batch), a = targetStep · (A + 1)^α / m, so the first step
 * moves every parameter by about `targetStep` radians.
 * The result is the average of the last `averageLast` iterates (iterate averaging damps the noise
 * of the final steps). The stopping rule is a budget: `maxIterations`, or `maxShots` when the
 * objective reports the shots it spends (the run stops before an iteration would exceed it).
 * Two objective evaluations per iteration, independent of the number of parameters.
 */
import { InputError } from '../core/index.js';
import { DEFAULT_SEED, Random } from '../core/index.js';

/** Evaluates the objective at a batch of points; returns the values and the shots spent (0 if exact). */
export type BatchObjective = (points: readonly Float64Array[]) => Promise<{ values: number[]; shots: number }>;

/** Options of {@link minimizeSpsa}. */
export interface SpsaOptions {
  /** Iterations (default 300). */
  maxIterations?: number;
  /** Shot budget: stop before an iteration would spend more in total (default: none). */
  maxShots?: number;
  /** Gain numerator a (default: calibrated, see the module header). */
  a?: number;
  /** Perturbation size c in radians (default 0.1). */
  c?: number;
  /** Stability constant A (default 0.1 × maxIterations). */
  A?: number;
  /** Gain exponent α (default 0.602). */
  alpha?: number;
  /** Perturbation exponent γ (default 0.101). */
  gamma?: number;
  /** Calibration: parameter change of the first step in radians (default 0.1). */
  targetStep?: number;
  /** Calibration: perturbations averaged (default 5). */
  calibrationSteps?: number;
  /** Iterates averaged for the result (default 10, at most the iterations run). */
  averageLast?: number;
  /** Seed of the perturbation directions (default {@link DEFAULT_SEED}). */
  seed?: number;
  /** Called after each iteration with the iteration number, the mean of y±, and |ĝ|. */
  onIteration?: (iteration: number, value: number, gradientNorm: number) => void;
}

/** Why SPSA stopped. */
export type SpsaStopReason = 'max-iterations' | 'shot-budget';

/** Result of {@link minimizeSpsa}. */
export interface SpsaResult {
  /** Average of the last iterates. */
  x: Float64Array;
  /** Mean of y± at the last iteration (a noisy, optimistic value; re-estimate at x). */
  lastValue: number;
  /** Norm of the last gradient estimate. */
  gradientNorm: number;
  iterations: number;
  /** Objective evaluations (points), calibration included. */
  evaluations: number;
  /** Shots spent, calibration included. */
  shots: number;
  /** Gain numerator used (given or calibrated). */
  a: number;
  reason: SpsaStopReason;
}

function positive(name: string, v: number | undefined, fallback: number, integer = false): number {
  const x = v ?? fallback;
  if (!(x > 0) || !Number.isFinite(x) || (integer && !Number.isInteger(x))) {
    throw new InputError(`SPSA: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(v)}`);
  }
  return x;
}

/** Minimise a noisy objective by SPSA (see the module header). */
export async function minimizeSpsa(objective: BatchObjective, x0: ArrayLike<number>, options: SpsaOptions = {}): Promise<SpsaResult> {
  const n = x0.length;
  const maxIterations = positive('maxIterations', options.maxIterations, 300, true);
  const maxShots = options.maxShots === undefined ? Infinity : positive('maxShots', options.maxShots, 1, true);
  const c = positive('c', options.c, 0.1);
  const A = options.A ?? 0.1 * maxIterations;
  if (!(A >= 0)) throw new InputError(`SPSA: A must be non-negative, got ${A}`);
  const alpha = positive('alpha', options.alpha, 0.602);
  const gamma = positive('gamma', options.gamma, 0.101);
  const averageLast = positive('averageLast', options.averageLast, 10, true);
  const rng = new Random(options.seed ?? DEFAULT_SEED);
  const x = Float64Array.from(x0);
  const delta = new Float64Array(n);
  let shots = 0;
  let evaluations = 0;
  const perturbed = (ck: number): Float64Array[] => {
    for (let i = 0; i < n; i++) delta[i] = rng.next() < 0.5 ? -1 : 1;
    const plus = new Float64Array(n);
    const minus = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      plus[i] = x[i] + ck * delta[i];
      minus[i] = x[i] - ck * delta[i];
    }
    return [plus, minus];
  };

  let a = options.a;
  if (a === undefined) {
    const steps = positive('calibrationSteps', options.calibrationSteps, 5, true);
    const targetStep = positive('targetStep', options.targetStep, 0.1);
    const points: Float64Array[] = [];
    for (let s = 0; s < steps; s++) points.push(...perturbed(c));
    const r = await objective(points);
    shots += r.shots;
    evaluations += points.length;
    let m = 0;
    for (let s = 0; s < steps; s++) m += Math.abs(r.values[2 * s] - r.values[2 * s + 1]) / (2 * c);
    m /= steps;
    // A flat start (m = 0) gives no scale: fall back to unit gain.
    a = m > 0 ? (targetStep * (A + 1) ** alpha) / m : 1;
  } else {
    a = positive('a', a, 1);
  }

  const window: Float64Array[] = [];
  let lastValue = NaN;
  let gradientNorm = NaN;
  let iterations = 0;
  let reason: SpsaStopReason = 'max-iterations';
  let shotsPerIteration = 0;
  for (let k = 0; k < maxIterations; k++) {
    if (shots + shotsPerIteration > maxShots) {
      reason = 'shot-budget';
      break;
    }
    const ak = a / (A + k + 1) ** alpha;
    const ck = c / (k + 1) ** gamma;
    const r = await objective(perturbed(ck));
    shots += r.shots;
    shotsPerIteration = r.shots;
    evaluations += 2;
    const scale = (r.values[0] - r.values[1]) / (2 * ck);
    for (let i = 0; i < n; i++) x[i] -= ak * scale * delta[i];
    lastValue = 0.5 * (r.values[0] + r.values[1]);
    gradientNorm = Math.abs(scale) * Math.sqrt(n);
    iterations = k + 1;
    window.push(Float64Array.from(x));
    if (window.length > averageLast) window.shift();
    options.onIteration?.(iterations, lastValue, gradientNorm);
  }
  const mean = new Float64Array(n);
  if (window.length === 0) mean.set(x);
  for (const w of window) for (let i = 0; i < n; i++) mean[i] += w[i] / window.length;
  return { x: mean, lastValue, gradientNorm, iterations, evaluations, shots, a, reason };
}

/**
 * A seed for an independent random stream derived from `seed` (a splitmix-style hash of the seed
 * and the stream number), so a re-estimate never repeats the random numbers of the optimisation.
 */
export function derivedSeed(seed: number, stream: number): number {
  let z = (seed + Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
