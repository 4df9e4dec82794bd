/**
 * The one interface through which algorithms run circuits. An algorithm asks a backend for an
 * estimate of an operator's expectation value; exact simulators, shot samplers, noisy emulators and
 * remote providers all answer the same question, so they are interchangeable.
 */
import type { Circuit } from '../circuits/circuit.js';
import type { PauliSumData } from '../qubits/pauli-layout.js';

/** An estimate of ⟨ψ(θ)|O|ψ(θ)⟩. */
export interface Estimate {
  /** The estimated expectation value (Hartree for a Hamiltonian). */
  value: number;
  /** Standard error of `value`; 0 for an exact backend. */
  standardError: number;
  /** Total measurement shots spent; 0 for an exact backend. */
  shots: number;
}

/** Where circuits run. */
export interface Backend {
  /** Short identifier recorded in label provenance (e.g. 'statevector'). */
  readonly name: string;
  /** True when estimates are exact (standard error 0). */
  readonly exact: boolean;
  /** Estimate of ⟨0|U(θ)† O U(θ)|0⟩ for the circuit U with parameters θ. */
  estimate(circuit: Circuit, parameters: Float64Array, observable: PauliSumData): Promise<Estimate>;
  /**
   * Estimates for several parameter vectors of one circuit (e.g. a parameter-shift stencil).
   * Optional: {@link estimateBatch} falls back to repeated {@link Backend.estimate} calls.
   */
  estimateBatch?(circuit: Circuit, parameterSets: readonly Float64Array[], observable: PauliSumData): Promise<Estimate[]>;
}

/** Estimates for several parameter vectors, using the backend's batch method when it has one. */
export async function estimateBatch(
  backend: Backend,
  circuit: Circuit,
  parameterSets: readonly Float64Array[],
  observable: PauliSumData,
): Promise<Estimate[]> {
  if (backend.estimateBatch !== undefined) return backend.estimateBatch(circuit, parameterSets, observable);
  const out: Estimate[] = [];
  for (const p of parameterSets) out.push(await backend.estimate(circuit, p, observable));
  return out;
}
