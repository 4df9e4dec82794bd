/**
 * Fermionic excitation generators as products of Pauli rotations, for UCC ansätze and ADAPT pools.
 *
 * Modes are interleaved spin orbitals (2p = α, 2p+1 = β). An excitation τ = a†_{v…} a_{o…} (singles
 * a†_a a_i, doubles a†_a a†_b a_j a_i) gives the anti-Hermitian generator A = τ − τ†. Under any of the
 * GF(2)-linear mappings its image is i·Σ_k a_k P_k with real a_k and mutually commuting Pauli strings
 * P_k (checked), so
 *
 *   exp(θ A) = Π_k exp(i θ a_k P_k) = Π_k exp(−i (f_k θ) P_k / 2),   f_k = −2 a_k,
 *
 * i.e. one parameter drives a set of Pauli rotations with factors f_k (the gate convention of
 * src/circuits/circuit.ts). The "qubit" ADAPT pool splits these into single strings (each with an odd
 * number of Y, as the image of a real anti-Hermitian generator must have).
 */
import type { Gate } from '../circuits/circuit.js';
import { InputError } from '../core/errors.js';
import { FermionOperator } from '../qubits/fermion-operator.js';
import { mapFermionOperator, type FermionMapping } from '../qubits/mappings.js';
import { parity32 } from './kernels.js';

/** A spin-orbital excitation: annihilate `from`, create `to` (same length, 1 or 2). */
export interface Excitation {
  /** Modes emptied (ascending). */
  readonly from: readonly number[];
  /** Modes filled (ascending). */
  readonly to: readonly number[];
}

/** One Pauli rotation of a generator: exp(−i factor θ P(x, z) / 2). */
export interface PauliRotationTerm {
  readonly x: number;
  readonly z: number;
  readonly factor: number;
}

/** A one-parameter unitary exp(θ A) as commuting Pauli rotations. */
export interface RotationGenerator {
  /** Human-readable name, e.g. '3^ 2^ 1 0' or 'X0 Y1'. */
  readonly label: string;
  readonly terms: readonly PauliRotationTerm[];
}

/** Options of {@link spinOrbitalExcitations}. */
export interface ExcitationListOptions {
  /** Include generalised excitations (any modes to any modes, not just occupied → virtual). */
  generalized?: boolean;
  /** Include singles (default true). */
  singles?: boolean;
  /** Include doubles (default true). */
  doubles?: boolean;
}

/**
 * Spin-conserving singles and doubles over nModes interleaved spin orbitals with the Hartree–Fock
 * reference of nAlpha α and nBeta β electrons in the lowest orbitals. Order: singles, then doubles.
 */
export function spinOrbitalExcitations(
  nModes: number,
  nAlpha: number,
  nBeta: number,
  options: ExcitationListOptions = {},
): Excitation[] {
  if (nModes % 2 !== 0) throw new InputError(`excitations need an even number of spin orbitals, got ${nModes}`);
  const occupied = (m: number): boolean => (m % 2 === 0 ? m / 2 < nAlpha : (m - 1) / 2 < nBeta);
  const generalized = options.generalized ?? false;
  const out: Excitation[] = [];
  const spin = (m: number): number => m & 1;
  if (options.singles ?? true) {
    for (let i = 0; i < nModes; i++) {
      for (let a = 0; a < nModes; a++) {
        if (spin(i) !== spin(a)) continue;
        if (generalized ? a <= i : !(occupied(i) && !occupied(a))) continue;
        out.push({ from: [i], to: [a] });
      }
    }
  }
  if (options.doubles ?? true) {
    const pairs: [number, number][] = [];
    for (let i = 0; i < nModes; i++) for (let j = i + 1; j < nModes; j++) pairs.push([i, j]);
    for (let u = 0; u < pairs.length; u++) {
      const [i, j] = pairs[u];
      for (let w = 0; w < pairs.length; w++) {
        const [a, b] = pairs[w];
        if (spin(i) + spin(j) !== spin(a) + spin(b)) continue;
        if (generalized) {
          // Each unordered {from, to} pair once, and no mode both emptied and filled.
          if (w <= u || a === i || a === j || b === i || b === j) continue;
        } else if (!(occupied(i) && occupied(j) && !occupied(a) && !occupied(b))) {
          continue;
        }
        out.push({ from: [i, j], to: [a, b] });
      }
    }
  }
  return out;
}

/** Text label of an excitation in OpenFermion style: '4^ 5^ 1 0'. */
export function excitationLabel(e: Excitation): string {
  return [...e.to.map((m) => `${m}^`).slice().reverse(), ...e.from.slice().reverse().map(String)].join(' ');
}

/**
 * The generator exp(θ(τ − τ†)) of an excitation as commuting Pauli rotations under a mapping.
 * @throws InputError when the mapped strings do not commute (never for singles and doubles).
 */
export function excitationGenerator(excitation: Excitation, mapping: FermionMapping, nModes: number): RotationGenerator {
  const ops: [number, 0 | 1][] = [
    ...excitation.to.map((m) => [m, 1] as [number, 0 | 1]),
    ...excitation.from.slice().reverse().map((m) => [m, 0] as [number, 0 | 1]),
  ];
  // Order the creators descending for a canonical sign: τ = a†_b a†_a a_i a_j for to=[a,b], from=[i,j].
  ops.sort((p, q) => (p[1] !== q[1] ? q[1] - p[1] : p[1] === 1 ? q[0] - p[0] : p[0] - q[0]));
  const tau = FermionOperator.term(ops);
  const generator = tau.subtract(tau.hermitianConjugate());
  const mapped = mapFermionOperator(generator, mapping, nModes);
  const terms: PauliRotationTerm[] = [];
  for (let t = 0; t < mapped.nTerms; t++) {
    const re = mapped.coeffRe[t];
    const im = mapped.coeffIm[t];
    if (Math.abs(re) > 1e-12) {
      throw new InputError(`excitation ${excitationLabel(excitation)}: mapped generator is not anti-Hermitian`);
    }
    if (Math.abs(im) < 1e-14) continue;
    terms.push({ x: mapped.x[t], z: mapped.z[t], factor: -2 * im });
  }
  for (let s = 0; s < terms.length; s++) {
    for (let t = s + 1; t < terms.length; t++) {
      if (!pauliCommute(terms[s], terms[t])) {
        throw new InputError(`excitation ${excitationLabel(excitation)}: mapped Pauli strings do not commute`);
      }
    }
  }
  return { label: excitationLabel(excitation), terms };
}

/** Whether two Pauli strings commute (even number of anticommuting positions). */
export function pauliCommute(a: { x: number; z: number }, b: { x: number; z: number }): boolean {
  return parity32((a.x & b.z) ^ (a.z & b.x)) === 0;
}

/** Dense Pauli label of (x, z) masks, e.g. 'X0 Y1 Z3'. */
export function pauliStringLabel(x: number, z: number): string {
  const parts: string[] = [];
  for (let q = 0; q < 31; q++) {
    const bx = (x >>> q) & 1;
    const bz = (z >>> q) & 1;
    if (bx || bz) parts.push(`${bx && bz ? 'Y' : bx ? 'X' : 'Z'}${q}`);
  }
  return parts.length === 0 ? 'I' : parts.join(' ');
}

/**
 * The gates of one generator driven by parameter `parameter`, on qubits 0..nQubits−1.
 */
export function generatorGates(generator: RotationGenerator, parameter: number, nQubits: number): Gate[] {
  return generator.terms.map((t) => {
    const qubits: number[] = [];
    for (let q = 0; q < nQubits; q++) if (((t.x | t.z) >>> q) & 1) qubits.push(q);
    return { kind: 'pauliRotation', qubits, angle: 0, parameter, factor: t.factor, pauliX: t.x, pauliZ: t.z };
  });
}

/** X gates preparing the computational basis state `bits`. */
export function basisStateGates(bits: number, nQubits: number): Gate[] {
  const gates: Gate[] = [];
  for (let q = 0; q < nQubits; q++) {
    if ((bits >>> q) & 1) gates.push({ kind: 'x', qubits: [q], angle: 0, parameter: -1, factor: 0 });
  }
  return gates;
}
