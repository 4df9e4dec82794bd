/**
 * The gate-level circuit IR.
 *
 * Conventions: qubit 0 is the least significant bit of a basis-state index; rotations are
 * RX(θ) = exp(−iθX/2), RY(θ) = exp(−iθY/2), RZ(θ) = exp(−iθZ/2), and a Pauli rotation is
 * exp(−iθP/2) for the Pauli string P given by bit masks (see PauliSumData).
 *
 * A gate angle is θ = angle + factor · parameters[parameter] when `parameter` ≥ 0, else θ = angle.
 * One variational parameter may drive many gates with different factors (a UCC excitation maps to
 * several Pauli rotations sharing one amplitude).
 */
export type GateKind =
  | 'h'
  | 'x'
  | 'y'
  | 'z'
  | 's'
  | 'sdg'
  | 't'
  | 'tdg'
  | 'rx'
  | 'ry'
  | 'rz'
  | 'cnot'
  | 'cz'
  | 'swap'
  | 'pauliRotation';

export interface Gate {
  readonly kind: GateKind;
  /** Qubits acted on; for cnot [control, target]; for pauliRotation the qubits of the mask. */
  readonly qubits: readonly number[];
  /** Fixed angle (radians) or offset for parametrised gates; 0 for non-rotations. */
  readonly angle: number;
  /** Index into the parameter vector, or −1 for a fixed gate. */
  readonly parameter: number;
  /** Multiplier of the parameter. */
  readonly factor: number;
  /** X mask of the Pauli string, for pauliRotation. */
  readonly pauliX?: number;
  /** Z mask of the Pauli string, for pauliRotation. */
  readonly pauliZ?: number;
  /** Control qubit of a controlled pauliRotation (used by phase estimation); absent otherwise. */
  readonly control?: number;
}

export interface Circuit {
  readonly nQubits: number;
  readonly nParameters: number;
  readonly gates: readonly Gate[];
}
