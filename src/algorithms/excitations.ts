/**
 * One-parameter unitaries as commuting Pauli-rotation sets, for ADAPT pools and generator circuits.
 *
 * A {@link RotationGenerator} is exp(θA) written as Π_k exp(−i f_k θ P_k / 2) (the gate convention of
 * src/circuits/circuit.ts); fermionic ones come from the circuit stage's `generatorRotations`
 * (A = Σ_k w_k (T_k − T_k†) mapped to qubits). Modes are interleaved spin orbitals (2p = α, 2p+1 = β).
 *
 * Excitation lists, spin-adapted generators, pools and their Pauli rotations are the circuit stage's
 * (src/circuits/fermionic.ts). This file adds what the ADAPT pools need beyond it: fully generalised
 * spin-orbital singles and doubles (any modes to any modes, spin conserving) and the "qubit" pool of
 * single Pauli strings (each with an odd number of Y, as the image of a real anti-Hermitian generator
 * must have).
 */
import { hartreeFockCircuit } from '../circuits/ansatz.js';
import { CircuitBuilder, pauliRotationGate } from '../circuits/builder.js';
import type { Circuit } from '../circuits/circuit.js';
import {
  fermionicPool,
  generatorRotations,
  singleTermGenerator,
  type CircuitTapering,
  type Excitation,
  type ExcitationGenerator,
  type GeneratorRotation,
} from '../circuits/fermionic.js';
import { InputError } from '../core/errors.js';
import type { FermionMapping } from '../qubits/mappings.js';
import { pauliLabel } from '../qubits/pauli-sum.js';

/** One Pauli rotation of a generator: exp(−i factor θ P(x, z) / 2) (the circuit stage's GeneratorRotation). */
export type PauliRotationTerm = GeneratorRotation;

/** A one-parameter unitary exp(θ A) as Pauli rotations applied in order. */
export interface RotationGenerator {
  /** Human-readable name, e.g. '4 5 <- 0 1' or 'X0 Y1'. */
  readonly label: string;
  readonly terms: readonly PauliRotationTerm[];
}

/**
 * Generalised spin-conserving excitations over nModes interleaved spin orbitals: singles p → q
 * (p < q, same spin) and doubles {p, q} → {r, s} with disjoint mode pairs, equal total Sz, each
 * unordered pair of pairs once.
 */
export function generalizedExcitations(nModes: number): Excitation[] {
  if (nModes % 2 !== 0) throw new InputError(`excitations need an even number of spin orbitals, got ${nModes}`);
  const out: Excitation[] = [];
  for (let p = 0; p < nModes; p++) {
    for (let q = p + 1; q < nModes; q++) if ((p & 1) === (q & 1)) out.push({ create: [q], annihilate: [p] });
  }
  const pairs: [number, number][] = [];
  for (let i = 0; i < nModes; i++) for (let j = i + 1; j < nModes; j++) pairs.push([i, j]);
  for (let u = 0; u < pairs.length; u++) {
    const [i, j] = pairs[u];
    for (let w = u + 1; w < pairs.length; w++) {
      const [a, b] = pairs[w];
      if (a === i || a === j || b === i || b === j) continue;
      if ((i & 1) + (j & 1) !== (a & 1) + (b & 1)) continue;
      out.push({ create: [a, b], annihilate: [i, j] });
    }
  }
  return out;
}

/** The rotation form of a fermionic generator under a mapping (optionally tapered). */
export function fermionicRotationGenerator(
  generator: ExcitationGenerator,
  mapping: FermionMapping,
  nModes: number,
  taper?: CircuitTapering,
): RotationGenerator {
  return { label: generator.label, terms: generatorRotations(generator, mapping, nModes, taper) };
}

/** Operator pools of ADAPT-VQE. */
export type AdaptPoolName = 'fermionic' | 'fermionic-generalized' | 'singlet' | 'generalized-pair' | 'qubit';

/**
 * The ADAPT operator pool:
 * - 'fermionic': spin-orbital singles and doubles, occupied → virtual;
 * - 'fermionic-generalized': {@link generalizedExcitations};
 * - 'singlet': spin-adapted singles and doubles (closed shell);
 * - 'generalized-pair': generalised pair doubles and spin-adapted generalised singles;
 * - 'qubit': the distinct single Pauli strings of the 'fermionic' generators.
 * @throws InputError for an unknown pool name.
 */
export function adaptPool(
  name: AdaptPoolName,
  nSpatialOrbitals: number,
  nAlpha: number,
  nBeta: number,
  mapping: FermionMapping,
): RotationGenerator[] {
  const nModes = 2 * nSpatialOrbitals;
  const space = { nSpatialOrbitals, nAlpha, nBeta };
  let generators: ExcitationGenerator[];
  switch (name) {
    case 'fermionic':
    case 'qubit':
      generators = fermionicPool({ ...space, kind: 'spin-orbital' });
      break;
    case 'fermionic-generalized':
      generators = generalizedExcitations(nModes).map(singleTermGenerator);
      break;
    case 'singlet':
      generators = fermionicPool({ ...space, kind: 'singlet' });
      break;
    case 'generalized-pair':
      generators = fermionicPool({ ...space, kind: 'generalized-pair' });
      break;
    default:
      throw new InputError(
        `unknown ADAPT pool '${String(name)}' (use fermionic, fermionic-generalized, singlet, generalized-pair or qubit)`,
      );
  }
  const fermionic = generators.map((g) => fermionicRotationGenerator(g, mapping, nModes));
  if (name !== 'qubit') return fermionic;
  const seen = new Set<string>();
  const out: RotationGenerator[] = [];
  for (const g of fermionic) {
    for (const t of g.terms) {
      const key = `${t.x},${t.z}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // The sign of the factor only flips the parameter; use +1.
      out.push({ label: pauliLabel(t.x, t.z), terms: [{ x: t.x, z: t.z, factor: 1 }] });
    }
  }
  return out;
}

/**
 * The circuit: X gates preparing `referenceBits`, then each generator in order driven by its own
 * parameter (parameter k for generators[k]).
 */
export function rotationGeneratorCircuit(
  generators: readonly RotationGenerator[],
  nQubits: number,
  referenceBits: number,
): Circuit {
  const b = new CircuitBuilder(nQubits).append(hartreeFockCircuit(nQubits, referenceBits), 0);
  generators.forEach((g, k) => {
    for (const t of g.terms) b.gate(pauliRotationGate(t.x, t.z, { parameter: k, factor: t.factor }));
  });
  return { nQubits, nParameters: generators.length, gates: b.build().gates };
}
