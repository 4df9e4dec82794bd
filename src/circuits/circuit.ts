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
 *
 * IonQ's native gates carry their angles in turns (1 turn = 2π rad), as IonQ defines them, and are
 * always fixed (parameter −1). With σ_φ = cos(2πφ) X + sin(2πφ) Y:
 * - gpi: GPI(φ) = σ_φ = [[0, e^{−2πiφ}], [e^{2πiφ}, 0]], φ = `angle`;
 * - gpi2: GPI2(φ) = exp(−iπ/4 σ_φ) = (I − iσ_φ)/√2, φ = `angle`;
 * - ms: MS(φ0, φ1, θ) = exp(−iπθ σ_φ0 ⊗ σ_φ1) with σ_φ0 on qubits[0], σ_φ1 on qubits[1],
 *   (φ0, φ1) = `phases`, θ = `angle` (0.25 is fully entangling);
 * - zz: ZZ(θ) = exp(−iπθ Z ⊗ Z), θ = `angle`.
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
  | 'pauliRotation'
  | 'gpi'
  | 'gpi2'
  | 'ms'
  | 'zz';

export interface Gate {
  readonly kind: GateKind;
  /** Qubits acted on; for cnot [control, target]; for pauliRotation the qubits of the mask. */
  readonly qubits: readonly number[];
  /** Fixed angle (radians; turns for gpi, gpi2, ms, zz) or offset for parametrised gates; 0 for non-rotations. */
  readonly angle: number;
  /** Index into the parameter vector, or −1 for a fixed gate. */
  readonly parameter: number;
  /** Multiplier of the parameter. */
  readonly factor: number;
  /** X mask of the Pauli string, for pauliRotation. */
  readonly pauliX?: number;
  /** Z mask of the Pauli string, for pauliRotation. */
  readonly pauliZ?: number;
  /** Phases (φ0, φ1) in turns of an ms gate. */
  readonly phases?: readonly [number, number];
  /** Control qubit of a controlled pauliRotation (used by phase estimation); absent otherwise. */
  readonly control?: number;
}

export interface Circuit {
  readonly nQubits: number;
  readonly nParameters: number;
  readonly gates: readonly Gate[];
}
