/**
 * Exact state-vector backend: prepares U(θ)|initial⟩ and evaluates ⟨ψ|O|ψ⟩ exactly (standard error
 * 0, no shots). It implements the {@link Estimator} and the {@link ExactGradientCapability}
 * (adjoint gradients, sector simulation, exact ADAPT pool gradients). The working state is reused
 * between calls with the same qubit count, so repeated estimates do not allocate.
 */
import type { Circuit, RotationGenerator } from '../circuits/index.js';
import type { PauliSumData, SectorSpace } from '../qubits/index.js';
import { QDE_VERSION } from '../version.js';
import { createEnergyEvaluator, type EnergyEvaluatorOptions } from './adjoint.js';
import { applyCircuit } from './apply.js';
import type { FusionOptions } from './fusion.js';
import { createGeneratorSpace } from './generator-space.js';
import { expectationPauliSum } from './observables.js';
import {
  completedJob,
  pubParameterSets,
  type BackendInfo,
  type Estimator,
  type EstimatorPub,
  type EstimatorPubResult,
  type EstimatorRunOptions,
  type ExactGradientCapability,
  type Job,
} from './primitives.js';
import { StateVector } from './statevector.js';

/** Options of {@link StateVectorSimulator}. */
export interface StateVectorSimulatorOptions {
  /** Basis state the register starts in before the circuit (default 0 = |0…0⟩). */
  initialBasisState?: number;
  /**
   * Gate fusion when preparing states and in the adjoint evaluators: `false` applies gate by gate
   * (for comparison and debugging), `true` or options fuse at every register size; absent, fusion
   * is used from FUSION_MIN_QUBITS (12) qubits up. Results agree to round-off either way.
   */
  fusion?: boolean | FusionOptions;
}

/** Provenance of the exact state-vector backend. */
export const STATEVECTOR_INFO: Readonly<BackendInfo> = Object.freeze({
  name: 'statevector',
  version: QDE_VERSION,
  device: null,
  noiseModel: null,
  shots: null,
  mitigation: null,
});

/** Exact simulator: an {@link Estimator} with exact gradients; also exposes the prepared state. */
export class StateVectorSimulator implements Estimator, ExactGradientCapability {
  readonly kind = 'estimator';
  readonly info: BackendInfo = { ...STATEVECTOR_INFO };
  private readonly initialBasisState: number;
  private readonly fusion: boolean | FusionOptions | undefined;
  private work: StateVector | undefined;
  private jobs = 0;

  /** A simulator starting every circuit from |initialBasisState⟩. */
  constructor(options: StateVectorSimulatorOptions = {}) {
    this.initialBasisState = options.initialBasisState ?? 0;
    this.fusion = options.fusion;
  }

  /**
   * Prepares U(θ)|initial⟩ and returns it. The returned state is the simulator's working buffer:
   * it is overwritten by the next call, so copy it to keep it.
   */
  prepare(circuit: Circuit, parameters: ArrayLike<number> = new Float64Array(0)): StateVector {
    if (this.work === undefined || this.work.nQubits !== circuit.nQubits) {
      this.work = new StateVector(circuit.nQubits, this.initialBasisState);
    } else {
      this.work.reset(this.initialBasisState);
    }
    applyCircuit(this.work, circuit, parameters, { fusion: this.fusion });
    return this.work;
  }

  /** Synchronous exact expectation ⟨ψ(θ)|O|ψ(θ)⟩. */
  expectation(circuit: Circuit, parameters: ArrayLike<number>, observable: PauliSumData): number {
    return expectationPauliSum(this.prepare(circuit, parameters), observable);
  }

  /** Exact estimates of every pub and parameter set (the job is complete on return; shots and seed are ignored). */
  run(pubs: readonly EstimatorPub[], _options?: EstimatorRunOptions): Job<EstimatorPubResult[]> {
    const results = pubs.map((pub) => ({
      estimates: pubParameterSets(pub).map((p) => ({ value: this.expectation(pub.circuit, p, pub.observable), standardError: 0, shots: 0 })),
      shots: 0,
    }));
    return completedJob(`statevector-${++this.jobs}`, results);
  }

  /** E(θ) and the adjoint ∇E(θ); on the sector when `options.sector` applies. */
  energyEvaluator(circuit: Circuit, observable: PauliSumData, evaluatorOptions: EnergyEvaluatorOptions = {}) {
    const options: EnergyEvaluatorOptions = this.fusion === undefined || evaluatorOptions.fusion !== undefined ? evaluatorOptions : { ...evaluatorOptions, fusion: this.fusion };
    if (this.initialBasisState !== 0 && options.initialState === undefined) {
      return createEnergyEvaluator(circuit, observable, { ...options, initialState: new StateVector(circuit.nQubits, this.initialBasisState) });
    }
    return createEnergyEvaluator(circuit, observable, options);
  }

  /** The exact ADAPT-VQE space of a pool on the basis state `referenceBits`. */
  generatorSpace(observable: PauliSumData, pool: readonly RotationGenerator[], referenceBits: number, sector?: SectorSpace) {
    return createGeneratorSpace(observable, pool, referenceBits, sector);
  }
}
