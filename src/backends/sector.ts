/**
 * Exact circuit simulation restricted to a symmetry sector (fixed Nα, Nβ) of the qubit space.
 *
 * Molecular Hamiltonians and fermionic excitation generators conserve Nα and Nβ, so a state that
 * starts in a determinant stays in the span of the determinants with the same electron counts:
 * C(n, Nα)·C(n, Nβ) amplitudes instead of 2^{2n} (LiH/STO-3G: 225 instead of 4096; N2 with a frozen
 * core: 3136 instead of 65536). Everything here is exact — no approximation is made, the work is
 * only skipped where amplitudes are identically zero.
 *
 * Layout: sectors (SectorSpace) and operators restricted to them (SectorOperator, H·ψ) are the qubit
 * stage's; a sector vector is (re, im) of length states.length. This file adds the circuit side:
 * rotation groups on a sector and the compilation of a circuit into them.
 *
 * A group of commuting Pauli rotations that share one parameter and one X mask x (the images of one
 * fermionic excitation, or all terms of a Hamiltonian with the same x) is the unitary
 * exp(−iθM/2) with M = Σ_k f_k P_k. M maps |i⟩ to g_i |i ⊕ x⟩ (g_i = Σ_k f_k i^{ny_k} (−1)^{|i∧z_k|}),
 * so on each pair (a, b = a ⊕ x) it is [[0, ḡ], [g, 0]] with eigenvalues ±|g| and
 *   exp(−iθM/2) = cos(θ|g|/2) − i sin(θ|g|/2) M/|g|,
 * one 2×2 rotation per pair — equal to the product of the individual rotations because they commute.
 * For x = 0 the group is diagonal: a phase exp(−iθ d_i/2) per state.
 */
import type { Circuit, Gate } from '../circuits/index.js';
import { I_POWER_IM, I_POWER_RE, parity32, popcount32 } from '../core/index.js';
import { pauliStringsCommute, type SectorSpace } from '../qubits/index.js';
import { rotationGenerator } from './pauli-elements.js';

/** A group of commuting rotations with one X mask as pair rotations (or a diagonal phase) on a sector. */
export interface SectorRotationGroup {
  /** Parameter index, or −1 for a fixed angle. */
  readonly parameter: number;
  /** 'pairs': M|a⟩ = g|b⟩ on each pair; 'diagonal': M|a⟩ = d_a|a⟩. */
  readonly kind: 'pairs' | 'diagonal';
  /** Pair sources / diagonal states (sector indices). */
  readonly a: Int32Array;
  /** Pair targets (sector indices); empty for diagonal groups. */
  readonly b: Int32Array;
  /** g (or d) real parts. */
  readonly gRe: Float64Array;
  /** g imaginary parts (0 for diagonal). */
  readonly gIm: Float64Array;
  /** |g| per pair (|d| not used for diagonal). */
  readonly gAbs: Float64Array;
}

/**
 * Compile a set of commuting Pauli rotations with a common X mask (factors f_k, shared parameter) to
 * a sector rotation group. Returns null when the group does not keep the sector invariant.
 */
export function sectorRotationGroup(
  terms: readonly { x: number; z: number; factor: number }[],
  parameter: number,
  space: SectorSpace,
): SectorRotationGroup | null {
  const x = terms[0].x;
  for (const t of terms) if (t.x !== x) throw new Error('sectorRotationGroup: terms must share one X mask');
  const nys = terms.map((t) => popcount32(t.x & t.z) & 3);
  const dim = space.states.length;
  const as: number[] = [];
  const bs: number[] = [];
  const gr: number[] = [];
  const gi: number[] = [];
  for (let k = 0; k < dim; k++) {
    const i = space.states[k];
    let sr = 0;
    let si = 0;
    for (let t = 0; t < terms.length; t++) {
      // f · i^{ny} (−1)^{|i∧z|}
      const f = parity32(i & terms[t].z) ? -terms[t].factor : terms[t].factor;
      sr += f * I_POWER_RE[nys[t]];
      si += f * I_POWER_IM[nys[t]];
    }
    if (Math.abs(sr) < 1e-13 && Math.abs(si) < 1e-13) continue;
    if (x === 0) {
      as.push(k);
      gr.push(sr);
      gi.push(si);
      continue;
    }
    const j = (i ^ x) >>> 0;
    const pos = space.position[j];
    if (pos < 0) return null;
    if (i < j) {
      as.push(k);
      bs.push(pos);
      gr.push(sr);
      gi.push(si);
    }
  }
  if (x === 0 && gi.some((v) => Math.abs(v) > 1e-13)) return null; // not Hermitian-diagonal
  const gAbs = Float64Array.from(gr, (v, k) => Math.hypot(v, gi[k]));
  return {
    parameter,
    kind: x === 0 ? 'diagonal' : 'pairs',
    a: Int32Array.from(as),
    b: Int32Array.from(bs),
    gRe: Float64Array.from(gr),
    gIm: Float64Array.from(gi),
    gAbs,
  };
}

/** Apply exp(−iφM/2) of a group in place for the rotation angle φ. */
export function applySectorGroup(group: SectorRotationGroup, phi: number, re: Float64Array, im: Float64Array): void {
  const { a, b, gRe, gIm, gAbs } = group;
  if (group.kind === 'diagonal') {
    let lastD = Number.NaN;
    let c = 1;
    let s = 0;
    for (let k = 0; k < a.length; k++) {
      const d = gRe[k];
      if (d !== lastD) {
        lastD = d;
        c = Math.cos((phi * d) / 2);
        s = Math.sin((phi * d) / 2);
      }
      const p = a[k];
      const r = re[p];
      const m = im[p];
      re[p] = c * r + s * m;
      im[p] = c * m - s * r;
    }
    return;
  }
  let lastR = Number.NaN;
  let c = 1;
  let s = 0;
  for (let k = 0; k < a.length; k++) {
    const r = gAbs[k];
    if (r !== lastR) {
      lastR = r;
      c = Math.cos((phi * r) / 2);
      s = Math.sin((phi * r) / 2) / r;
    }
    const pa = a[k];
    const pb = b[k];
    const ar = re[pa];
    const ai = im[pa];
    const br = re[pb];
    const bi = im[pb];
    const ur = gRe[k];
    const ui = gIm[k];
    // new_a = c ψ_a − i s ḡ ψ_b ; new_b = c ψ_b − i s g ψ_a   (s already divided by |g|)
    const tbr = ur * br + ui * bi; // Re(ḡ ψ_b)
    const tbi = ur * bi - ui * br; // Im(ḡ ψ_b)
    const tar = ur * ar - ui * ai; // Re(g ψ_a)
    const tai = ur * ai + ui * ar; // Im(g ψ_a)
    re[pa] = c * ar + s * tbi;
    im[pa] = c * ai - s * tbr;
    re[pb] = c * br + s * tai;
    im[pb] = c * bi - s * tar;
  }
}

/** Im⟨λ|M|ψ⟩ for a group (the adjoint-gradient term of its parameter). */
export function sectorGroupImagElement(
  group: SectorRotationGroup,
  lamRe: Float64Array,
  lamIm: Float64Array,
  psiRe: Float64Array,
  psiIm: Float64Array,
): number {
  const { a, b, gRe, gIm } = group;
  let sum = 0;
  if (group.kind === 'diagonal') {
    for (let k = 0; k < a.length; k++) {
      const p = a[k];
      // Im(conj(λ) d ψ)
      sum += gRe[k] * (lamRe[p] * psiIm[p] - lamIm[p] * psiRe[p]);
    }
    return sum;
  }
  for (let k = 0; k < a.length; k++) {
    const pa = a[k];
    const pb = b[k];
    const ur = gRe[k];
    const ui = gIm[k];
    // conj(λ_b) g ψ_a
    const gar = ur * psiRe[pa] - ui * psiIm[pa];
    const gai = ur * psiIm[pa] + ui * psiRe[pa];
    sum += lamRe[pb] * gai - lamIm[pb] * gar;
    // conj(λ_a) ḡ ψ_b
    const gbr = ur * psiRe[pb] + ui * psiIm[pb];
    const gbi = ur * psiIm[pb] - ui * psiRe[pb];
    sum += lamRe[pa] * gbi - lamIm[pa] * gbr;
  }
  return sum;
}

/** A circuit compiled for sector simulation: the reference state and the rotation groups in order. */
export interface SectorCircuit {
  /** Sector index of the basis state prepared by the leading X gates. */
  readonly referenceIndex: number;
  /** Rotation groups in circuit order. */
  readonly groups: readonly SectorRotationGroup[];
}

/**
 * Compile a circuit of leading X gates followed by rotation gates (RX/RY/RZ/Pauli rotations without
 * controls) into sector rotation groups: consecutive gates with the same parameter, the same angle
 * offset, the same X mask and mutually commuting strings form one group. Returns null when the
 * circuit has another shape or a group leaves the sector (the caller then uses the full space).
 */
export function compileSectorCircuit(circuit: Circuit, space: SectorSpace): SectorCircuit | null {
  let bits = 0;
  let k = 0;
  const gates = circuit.gates;
  while (k < gates.length && gates[k].kind === 'x') {
    bits ^= 1 << gates[k].qubits[0];
    k++;
  }
  const referenceIndex = space.position[bits >>> 0];
  if (referenceIndex < 0) return null;
  const groups: SectorRotationGroup[] = [];
  let current: { x: number; z: number; factor: number }[] = [];
  let currentGate: Gate | null = null;
  const flush = (): boolean => {
    if (currentGate === null) return true;
    const group = sectorRotationGroup(current, currentGate.parameter, space);
    current = [];
    currentGate = null;
    if (group === null) return false;
    groups.push(group);
    return true;
  };
  for (; k < gates.length; k++) {
    const gate = gates[k];
    if (gate.control !== undefined) return null;
    const gen = rotationGenerator(gate);
    if (gen === null) return null;
    const fixed = gate.parameter < 0;
    if (!fixed && gate.angle !== 0) return null;
    const factor = fixed ? gate.angle : gate.factor;
    const term = { x: gen.x, z: gen.z, factor };
    const joinable =
      currentGate !== null &&
      !fixed &&
      currentGate.parameter === gate.parameter &&
      current[0].x === gen.x &&
      current.every((t) => pauliStringsCommute(t.x, t.z, term.x, term.z));
    if (!joinable && !flush()) return null;
    if (fixed) {
      // Fixed rotation: its own group with angle folded into the factor, applied at θ = 1.
      const group = sectorRotationGroup([term], -1, space);
      if (group === null) return null;
      groups.push(group);
      continue;
    }
    current.push(term);
    currentGate = gate;
  }
  if (!flush()) return null;
  return { referenceIndex, groups };
}

/** The rotation angle of a group at parameters θ: θ_p for parametrised groups, 1 for fixed ones. */
export function sectorGroupAngle(group: SectorRotationGroup, parameters: ArrayLike<number>): number {
  return group.parameter >= 0 ? parameters[group.parameter] : 1;
}
