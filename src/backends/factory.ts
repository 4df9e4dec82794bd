/**
 * Backends from serialisable specs: the method layer stores a {@link BackendSpec} with each result
 * and builds the estimator from it, so the same spec always gives the same estimator (and, with its
 * seed, the same shots).
 */
import { InputError } from '../core/index.js';
import type { BackendSpec, Estimator, SampledBackendOptions } from './primitives.js';
import { SamplingEstimator } from './sampling-estimator.js';
import { ShotSamplingSimulator, type ShotSamplingOptions } from './sampling-simulator.js';
import { StateVectorSimulator } from './statevector-simulator.js';
import { NoisySampler, resolveNoiseModel } from './noise/index.js';
import { ionqEstimator } from './ionq/index.js';

/** Shot estimates over the exact state: a {@link SamplingEstimator} on a {@link ShotSamplingSimulator}. */
export function shotEstimator(options: ShotSamplingOptions & { shots: number }): SamplingEstimator {
  return new SamplingEstimator(new ShotSamplingSimulator(options), { shots: options.shots });
}

/** The estimator with the spec's shot allocation (unchanged without one). */
function withAllocation(estimator: SamplingEstimator, spec: SampledBackendOptions): SamplingEstimator {
  if (spec.allocation === undefined) return estimator;
  return new SamplingEstimator(estimator.sampler, { shots: estimator.shots, allocation: spec.allocation });
}

/**
 * The estimator a spec describes: 'statevector' is the exact simulator (with exact gradients);
 * 'shots' samples `shots` measurements per estimate (split over qubit-wise commuting groups) from
 * the exact state with the given seed (default 1); 'noisy' samples them from a noisy simulation of
 * the device's noise model (density matrix up to 12 qubits, trajectories above, or `engine`).
 * A sampled spec's `allocation` sets the SamplingEstimator's shot split; its `mitigation` is applied
 * by the algorithm stage (createMitigatedEstimator), not here.
 * @throws InputError for an unknown backend name or a bad shot count or seed.
 */
export function createEstimator(spec: BackendSpec): Estimator {
  switch (spec.name) {
    case 'statevector':
      return new StateVectorSimulator();
    case 'shots': {
      if (!Number.isInteger(spec.shots) || spec.shots < 1) {
        throw new InputError(`backend 'shots': key 'shots' must be a positive integer, got ${String(spec.shots)}`);
      }
      if (spec.seed !== undefined && !Number.isInteger(spec.seed)) {
        throw new InputError(`backend 'shots': key 'seed' must be an integer, got ${String(spec.seed)}`);
      }
      return withAllocation(shotEstimator({ shots: spec.shots, seed: spec.seed }), spec);
    }
    case 'noisy': {
      if (!Number.isInteger(spec.shots) || spec.shots < 1) {
        throw new InputError(`backend 'noisy': key 'shots' must be a positive integer, got ${String(spec.shots)}`);
      }
      if (spec.seed !== undefined && !Number.isInteger(spec.seed)) {
        throw new InputError(`backend 'noisy': key 'seed' must be an integer, got ${String(spec.seed)}`);
      }
      if (typeof spec.device !== 'string' || spec.device === '') {
        throw new InputError(`backend 'noisy': key 'device' must name a preset or a noise-model file`);
      }
      const sampler = new NoisySampler({
        noise: resolveNoiseModel(spec.device),
        device: spec.device,
        shots: spec.shots,
        seed: spec.seed,
        engine: spec.engine,
      });
      return new SamplingEstimator(sampler, { shots: spec.shots, allocation: spec.allocation });
    }
    case 'ionq':
      return withAllocation(ionqEstimator(spec), spec);
    default:
      throw new InputError(`unknown backend '${String((spec as { name: unknown }).name)}' (use statevector, shots, noisy or ionq)`);
  }
}
