/**
 * Qubit excitations (Yordanov, Arvidsson-Shukur & Barnes, Phys. Rev. A 102, 062612 (2020);
 * QEB-ADAPT-VQE: Commun. Phys. 4, 228 (2021)): fermionic excitations with the Jordan–Wigner parity
 * strings dropped, and their compact circuits.
 *
 * Conventions: qubit q is the occupation of spin orbital q (Jordan–Wigner, modes interleaved as in
 * fermionic.ts). Q_q = (X_q + iY_q)/2 = |0⟩⟨1| lowers qubit q, Q†_q raises it. For an
 * {@link Excitation} with create = C and annihilate = A (disjoint, equal length) the qubit excitation
 * is T = Π_{c∈C} Q†_c Π_{a∈A} Q_a (the factors act on distinct qubits and commute) and its generator
 * T − T† is anti-Hermitian. Expanding each factor into X and ±iY gives
 *   T − T† = Σ_S i d_S P_S,   d_S = 2 Im c_S,   c_S = 2^{−k} Π_{q∈S} (q∈C ? −i : i),
 * over the subsets S of the k involved qubits carrying Y (odd |S| only), P_S = X on the others. The
 * strings pairwise commute (two of them differ in X↔Y on an even number of qubits), so
 *   exp(θ(T − T†)) = Π_S R_{P_S}(−2 d_S θ),   R_P(φ) = exp(−iφP/2),
 * the rotation form ADAPT simulates. T − T† rotates exactly the two basis states |A occupied, C
 * empty⟩ → |C occupied, A empty⟩ by the angle θ and is the identity elsewhere, so it keeps the
 * number of set qubits, and the α/β counts when the excitation conserves spin.
 *
 * Compact circuits (same unitary exactly, no global phase), in the gate IR:
 * - single a → c: a two-qubit basis change V = CNOT(c, a)·(RX(π/2)_c ⊗ S†H_a) maps X_cY_a → −X_c and
 *   Y_cX_a → Z_a, so exp(θ(T − T†)) = V† RX(θ)_c RZ(θ)_a V: 2 CNOTs;
 * - double {p, q} → {r, s}: CNOT(p→q), CNOT(r→s), CNOT(p→r) map the two rotated states onto states
 *   differing only on p with (q, r, s) = (0, 1, 0); an RY(−2θ) on p controlled on that pattern is a
 *   Gray-code multiplexor of 8 RY(±θ/4) and 8 CZ(p, control) (each CZ flips the sign of the RY's
 *   after it where the control is 1); the last CZ(p, r) and the undoing CNOT(p→r) merge into one
 *   CNOT: CNOT·CZ = controlled(−iY) = S†_p · (S_r CNOT(p, r) S†_r). 3 + 8 + 3 − 1 = 13 CNOTs.
 */
import { InputError } from '../core/index.js';
import type { Gate } from './circuit.js';
import { CircuitBuilder } from './builder.js';
import type { Excitation, GeneratorRotation, RotationGenerator } from './fermionic.js';

function checkQubitExcitation(e: Excitation): void {
  const all = [...e.create, ...e.annihilate];
  const k = e.create.length;
  if ((k !== 1 && k !== 2) || e.annihilate.length !== k) {
    throw new InputError(`qubit excitation ${e.create.join(' ')} <- ${e.annihilate.join(' ')}: needs one or two creations and as many annihilations`);
  }
  if (!all.every((q) => Number.isInteger(q) && q >= 0 && q < 31) || new Set(all).size !== all.length) {
    throw new InputError(`qubit excitation ${e.create.join(' ')} <- ${e.annihilate.join(' ')}: qubits must be distinct integers in 0..30`);
  }
}

/**
 * The Pauli rotations whose product is exp(θ(T − T†)) for the qubit excitation T (file header):
 * one rotation per string with an odd number of Y, factor −2 d_S.
 * @throws InputError unless the excitation is a single or double on distinct qubits.
 */
export function qubitExcitationRotations(e: Excitation): GeneratorRotation[] {
  checkQubitExcitation(e);
  const qubits = [...e.annihilate, ...e.create];
  const k = qubits.length;
  let xMask = 0;
  for (const q of qubits) xMask |= 1 << q;
  const out: GeneratorRotation[] = [];
  for (let subset = 0; subset < 1 << k; subset++) {
    // c_S = 2^{−k} Π (±i): i^m with m counting +i (annihilated) and −i (created) factors.
    let power = 0;
    let zMask = 0;
    let size = 0;
    for (let b = 0; b < k; b++) {
      if (((subset >> b) & 1) === 0) continue;
      size++;
      zMask |= 1 << qubits[b];
      power += b < e.annihilate.length ? 1 : 3;
    }
    if (size % 2 === 0) continue;
    // i^power with odd power is ±i: Im = +1 for power ≡ 1 (mod 4), −1 for power ≡ 3.
    const imag = power % 4 === 1 ? 1 : -1;
    const d = (2 * imag) / 2 ** k;
    out.push({ x: xMask >>> 0, z: zMask >>> 0, factor: -2 * d });
  }
  return out;
}

/**
 * The compact circuit of exp(θ(T − T†)) (file header: 2 CNOTs for a single, 13 for a double) with
 * θ = parameters[parameter], as gates on a register of at least max(qubit) + 1 qubits.
 * @throws InputError unless the excitation is a single or double on distinct qubits.
 */
export function qubitExcitationGates(e: Excitation, parameter: number): Gate[] {
  checkQubitExcitation(e);
  const qubits = [...e.create, ...e.annihilate];
  const b = new CircuitBuilder(Math.max(...qubits) + 1);
  const theta = (factor: number): { parameter: number; factor: number } => ({ parameter, factor });
  if (e.create.length === 1) {
    const c = e.create[0];
    const a = e.annihilate[0];
    b.h(a).sdg(a).rx(c, Math.PI / 2).cnot(c, a);
    b.rx(c, theta(1)).rz(a, theta(1));
    b.cnot(c, a).rx(c, -Math.PI / 2).s(a).h(a);
    return b.build().gates.slice();
  }
  const [p, q] = e.annihilate;
  const [r, s] = e.create;
  b.cnot(p, q).cnot(r, s).cnot(p, r);
  // Gray-code multiplexor on p with controls (q, s, r) = c1, c2, c3 and target pattern
  // (q, s, r) = (0, 0, 1); RY(−2θ) on that pattern: α_k = (−2θ/8)(−1)^{m_k · x*}.
  const controls = [q, s, r];
  const target = [0, 0, 1];
  const order = [0, 1, 0, 2, 0, 1, 0, 2];
  let mask = 0;
  for (let k = 0; k < 8; k++) {
    let dot = 0;
    for (let c = 0; c < 3; c++) if ((mask >> c) & 1) dot ^= target[c];
    b.ry(p, theta((dot === 0 ? -2 : 2) / 8));
    const c = controls[order[k]];
    if (k < 7) b.h(c).cnot(p, c).h(c);
    mask ^= 1 << order[k];
  }
  // Last CZ(p, r) merged with the undoing CNOT(p → r).
  b.sdg(r).cnot(p, r).s(r).sdg(p);
  b.cnot(r, s).cnot(p, q);
  return b.build().gates.slice();
}

/** Label of a qubit excitation, e.g. 'Q 2 3 <- 0 1'. */
export function qubitExcitationLabel(e: Excitation): string {
  return `Q ${e.create.join(' ')} <- ${e.annihilate.join(' ')}`;
}

/**
 * The QEB ADAPT pool: one {@link RotationGenerator} per qubit excitation, its rotation form for
 * simulation and its compact circuit (parameter 0) for the compiled circuit.
 */
export function qubitExcitationPool(excitations: readonly Excitation[]): RotationGenerator[] {
  return excitations.map((e) => ({
    label: qubitExcitationLabel(e),
    terms: qubitExcitationRotations(e),
    gates: qubitExcitationGates(e, 0),
  }));
}
