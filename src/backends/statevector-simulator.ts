/**
 * Exact state-vector backend: prepares U(θ)|0…0⟩ and evaluates ⟨ψ|O|ψ⟩ exactly. The working state
 * is reused between calls with the same qubit count, so repeated estimates do not allocate.
 */
import type { Circuit } from '../circuits/circuit.js';
import type { PauliSumData } from '../qubits/pauli-layout.js';
import type { Backend, Estimate } from './backend.js';
import { applyCircuit } from './apply.js';
import { expectationPauliSum } from './observables.js';
import { StateVector } from './statevector.js';

/** Options of {@link StateVectorSimulator}. */
export interface StateVectorSimulatorOptions {
  /** Basis state the register starts in before the circuit (default 0 = |0…0⟩). */
  initialBasisState?: number;
}

/** Exact simulator implementing {@link Backend}; also exposes the prepared state. */
export class StateVectorSimulator implements Backend {
  /** Provenance name of this backend. */
  readonly name = 'statevector';
  /** Estimates are exact. */
  readonly exact = true;
  private readonly initialBasisState: number;
  private work: StateVector | undefined;

  /** A simulator starting every run from |initialBasisState⟩. */
  constructor(options: StateVectorSimulatorOptions = {}) {
    this.initialBasisState = options.initialBasisState ?? 0;
  }

  /**
   * Prepares U(θ)|initial⟩ and returns it. The returned state is the simulator's working buffer:
   * it is overwritten by the next call, so copy it to keep it.
   */
  run(circuit: Circuit, parameters: Float64Array = new Float64Array(0)): StateVector {
    if (this.work === undefined || this.work.nQubits !== circuit.nQubits) {
      this.work = new StateVector(circuit.nQubits, this.initialBasisState);
    } else {
      this.work.reset(this.initialBasisState);
    }
    applyCircuit(this.work, circuit, parameters);
    return this.work;
  }

  /** Synchronous exact expectation ⟨ψ(θ)|O|ψ(θ)⟩. */
  expectation(circuit: Circuit, parameters: Float64Array, observable: PauliSumData): number {
    return expectationPauliSum(this.run(circuit, parameters), observable);
  }

  /** Exact estimate: standard error 0, no shots. */
  async estimate(circuit: Circuit, parameters: Float64Array, observable: PauliSumData): Promise<Estimate> {
    return { value: this.expectation(circuit, parameters, observable), standardError: 0, shots: 0 };
  }

  /** Exact estimates for several parameter vectors. */
  async estimateBatch(circuit: Circuit, parameterSets: readonly Float64Array[], observable: PauliSumData): Promise<Estimate[]> {
    return parameterSets.map((p) => ({ value: this.expectation(circuit, p, observable), standardError: 0, shots: 0 }));
  }
}
