/**
 * Fermionic ansätze: excitation lists, their qubit images and UCC-type circuits (UCCSD in spin
 * orbitals, spin-adapted singlet UCCSD, k-UpCCGSD); the excitation generators double as ADAPT pools.
 *
 * Conventions: modes are spin orbitals, interleaved (mode 2p = α of spatial orbital p, 2p+1 = β).
 * The Hartree–Fock determinant occupies α modes 2p for p < nAlpha and β modes 2p+1 for p < nBeta.
 * An {@link Excitation} with create = [c0, c1, …] and annihilate = [a0, a1, …] is the operator
 *   T = a†_{c0} a†_{c1} … a_{a1} a_{a0}        (single: a†_c a_a; double: a†_c0 a†_c1 a_a1 a_a0),
 * and its anti-Hermitian generator is T − T†. A generator that shares one parameter among several
 * excitations is G = Σ_k w_k (T_k − T_k†) ({@link ExcitationGenerator}).
 *
 * Circuit form: a mapped (T − T†) is Σ_j i c_j P_j with mutually commuting Pauli strings P_j, so
 *   exp(θ w (T − T†)) = Π_j exp(i θ w c_j P_j) = Π_j R_{P_j}(−2 w c_j θ),   R_P(φ) = exp(−iφP/2),
 * i.e. pauliRotation gates with factor −2 w c_j sharing the parameter θ. For a generator with several
 * terms the factors exp(θ w_k (T_k − T_k†)) are applied one after another in the listed order
 * (exact when the terms commute, e.g. the α and β parts of a spin-adapted single; otherwise a
 * first-order Trotter product, as is customary for spin-adapted UCC circuits).
 */
import { InputError } from '../core/index.js';
import { FermionOperator } from '../qubits/index.js';
import { hartreeFockModes, mapFermionOperator, occupationToQubitBits, type FermionMapping } from '../qubits/index.js';
import { parity32 } from '../core/index.js';
import { pauliStringsCommute } from '../qubits/index.js';
import { pauliLabel, type PauliSum } from '../qubits/index.js';
import type { PauliSumData } from '../qubits/index.js';
import type { Circuit, Gate } from './circuit.js';
import { CircuitBuilder, pauliRotationGate } from './builder.js';
import { hartreeFockCircuit } from './ansatz.js';
import { qubitExcitationPool } from './qubit-excitations.js';

/** A fermionic excitation T = a†_{create[0]} a†_{create[1]} … a_{annihilate[1]} a_{annihilate[0]}. */
export interface Excitation {
  readonly create: readonly number[];
  readonly annihilate: readonly number[];
}

/** A parameter's generator Σ_k weight_k (T_k − T_k†). */
export interface ExcitationGenerator {
  readonly terms: readonly { readonly excitation: Excitation; readonly weight: number }[];
  /** Readable name, e.g. '2 3 <- 0 1' or 'singlet 1<-0'. */
  readonly label: string;
}

/**
 * The part of a qubit-tapering result the circuits need (see the qubit stage's `taper`): how to carry
 * an operator and a basis state onto the tapered register, and the symmetries (for dropping
 * excitations that do not commute with them).
 */
export interface CircuitTapering {
  readonly nQubitsRemoved: number;
  readonly symmetries: readonly { readonly zMask: number }[];
  taperOther(op: PauliSumData, tolerance?: number): PauliSum;
  taperBits(bits: number): number;
}

/** Orbital-space description shared by the ansatz builders. */
export interface FermionicSpace {
  /** Spatial orbitals; the register has 2 · nSpatialOrbitals modes. */
  nSpatialOrbitals: number;
  nAlpha: number;
  nBeta: number;
}

function checkSpace(s: FermionicSpace): void {
  const n = s.nSpatialOrbitals;
  if (!Number.isInteger(n) || n < 1 || 2 * n > 30) throw new InputError(`ansatz: nSpatialOrbitals must be an integer in 1..15, got ${n}`);
  for (const [name, v] of [
    ['nAlpha', s.nAlpha],
    ['nBeta', s.nBeta],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > n) throw new InputError(`ansatz: ${name} must be an integer in 0..${n}, got ${v}`);
  }
}

function label(e: Excitation): string {
  return `${e.create.join(' ')} <- ${e.annihilate.join(' ')}`;
}

/** A generator made of one excitation with weight 1. */
export function singleTermGenerator(excitation: Excitation): ExcitationGenerator {
  return { terms: [{ excitation, weight: 1 }], label: label(excitation) };
}

/**
 * Spin-conserving single and double excitations from the Hartree–Fock determinant (occupied →
 * virtual spin orbitals). Singles: create [a], annihilate [i] with a, i of equal spin, ordered by
 * i then a. Doubles: create [a, b] (a < b), annihilate [i, j] (i < j), with the same number of α
 * modes among {a, b} as among {i, j}, ordered by (i, j) then (a, b).
 */
export function singleAndDoubleExcitations(space: FermionicSpace): { singles: Excitation[]; doubles: Excitation[] } {
  checkSpace(space);
  const nModes = 2 * space.nSpatialOrbitals;
  const occupied = new Set(hartreeFockModes(space.nAlpha, space.nBeta));
  const occ = [...Array(nModes).keys()].filter((m) => occupied.has(m));
  const virt = [...Array(nModes).keys()].filter((m) => !occupied.has(m));
  const singles: Excitation[] = [];
  for (const i of occ) for (const a of virt) if ((a & 1) === (i & 1)) singles.push({ create: [a], annihilate: [i] });
  const doubles: Excitation[] = [];
  for (let x = 0; x < occ.length; x++) {
    for (let y = x + 1; y < occ.length; y++) {
      const i = occ[x];
      const j = occ[y];
      for (let u = 0; u < virt.length; u++) {
        for (let v = u + 1; v < virt.length; v++) {
          const a = virt[u];
          const b = virt[v];
          if ((i & 1) + (j & 1) !== (a & 1) + (b & 1)) continue;
          doubles.push({ create: [a, b], annihilate: [i, j] });
        }
      }
    }
  }
  return { singles, doubles };
}

/** Sorts a mode list ascending and returns the permutation sign (+1 or −1); null if a mode repeats. */
function sortWithSign(modes: number[]): { sorted: number[]; sign: number } | null {
  const a = modes.slice();
  let sign = 1;
  for (let i = 1; i < a.length; i++) {
    for (let j = i; j > 0 && a[j - 1] > a[j]; j--) {
      [a[j - 1], a[j]] = [a[j], a[j - 1]];
      sign = -sign;
    }
  }
  for (let i = 1; i < a.length; i++) if (a[i] === a[i - 1]) return null;
  return { sorted: a, sign };
}

/** Adds w · a†_{create…} a_{…annihilate} in canonical (sorted) form, merging equal excitations. */
function addCanonical(
  terms: { excitation: Excitation; weight: number }[],
  create: number[],
  annihilate: number[],
  weight: number,
): void {
  const c = sortWithSign(create);
  const a = sortWithSign(annihilate);
  if (c === null || a === null) return;
  const w = weight * c.sign * a.sign;
  const key = `${c.sorted.join(',')}|${a.sorted.join(',')}`;
  const found = terms.find((t) => `${t.excitation.create.join(',')}|${t.excitation.annihilate.join(',')}` === key);
  if (found !== undefined) found.weight += w;
  else terms.push({ excitation: { create: c.sorted, annihilate: a.sorted }, weight: w });
}

/**
 * Spin-adapted (singlet) excitation generators with E_pq = Σ_σ a†_pσ a_qσ, for i occupied and a
 * virtual spatial orbitals of a closed-shell reference (nAlpha = nBeta):
 *   singles  E_ai − E_ia                                       (one parameter per (a, i)),
 *   doubles  E_ai E_bj − h.c. for each unordered pair {(a,i), (b,j)} (equal pairs included),
 * the convention of OpenFermion's `uccsd_singlet_generator`. E_ai E_bj expands into spin-orbital
 * doubles a†_aσ a†_bτ a_jτ a_iσ (terms with a repeated mode vanish, equal terms merge).
 */
export function singletExcitationGenerators(space: FermionicSpace): { singles: ExcitationGenerator[]; doubles: ExcitationGenerator[] } {
  checkSpace(space);
  if (space.nAlpha !== space.nBeta) throw new InputError('spin-adapted UCCSD needs a closed-shell reference (nAlpha = nBeta)');
  const nOcc = space.nAlpha;
  const pairs: [number, number][] = [];
  for (let i = 0; i < nOcc; i++) for (let a = nOcc; a < space.nSpatialOrbitals; a++) pairs.push([a, i]);
  const singles: ExcitationGenerator[] = pairs.map(([a, i]) => {
    const terms: { excitation: Excitation; weight: number }[] = [];
    for (const s of [0, 1]) addCanonical(terms, [2 * a + s], [2 * i + s], 1);
    return { terms, label: `singlet ${a}<-${i}` };
  });
  const doubles: ExcitationGenerator[] = [];
  for (let u = 0; u < pairs.length; u++) {
    for (let v = u; v < pairs.length; v++) {
      const [a, i] = pairs[u];
      const [b, j] = pairs[v];
      const terms: { excitation: Excitation; weight: number }[] = [];
      for (const s of [0, 1]) for (const t of [0, 1]) addCanonical(terms, [2 * a + s, 2 * b + t], [2 * i + s, 2 * j + t], 1);
      const kept = terms.filter((x) => x.weight !== 0);
      if (kept.length > 0) doubles.push({ terms: kept, label: `singlet ${a}<-${i} ${b}<-${j}` });
    }
  }
  return { singles, doubles };
}

/**
 * Generalised pair excitations and spin-adapted generalised singles of k-UpCCGSD (Lee, Huggins,
 * Head-Gordon & Whaley, JCTC 15, 311 (2019)), for spatial orbitals q < p:
 *   pair double   a†_pα a†_pβ a_qβ a_qα − h.c.,
 *   single        E_pq − E_qp = Σ_σ (a†_pσ a_qσ − h.c.)   (α and β share the parameter).
 */
export function pairedGeneralizedExcitations(nSpatialOrbitals: number): { singles: ExcitationGenerator[]; doubles: ExcitationGenerator[] } {
  checkSpace({ nSpatialOrbitals, nAlpha: 0, nBeta: 0 });
  const singles: ExcitationGenerator[] = [];
  const doubles: ExcitationGenerator[] = [];
  for (let q = 0; q < nSpatialOrbitals; q++) {
    for (let p = q + 1; p < nSpatialOrbitals; p++) {
      const dt: { excitation: Excitation; weight: number }[] = [];
      addCanonical(dt, [2 * p, 2 * p + 1], [2 * q, 2 * q + 1], 1);
      doubles.push({ terms: dt, label: `pair ${p}<-${q}` });
      const st: { excitation: Excitation; weight: number }[] = [];
      for (const s of [0, 1]) addCanonical(st, [2 * p + s], [2 * q + s], 1);
      singles.push({ terms: st, label: `singlet ${p}<-${q}` });
    }
  }
  return { singles, doubles };
}

function checkExcitation(e: Excitation, nModes: number): void {
  if (e.create.length !== e.annihilate.length || e.create.length === 0) {
    throw new InputError(`excitation ${label(e)}: needs as many (≥ 1) creations as annihilations`);
  }
  for (const m of [...e.create, ...e.annihilate]) {
    if (!Number.isInteger(m) || m < 0 || m >= nModes) throw new InputError(`excitation ${label(e)}: mode ${m} outside 0..${nModes - 1}`);
  }
}

/** The fermion operator w (T − T†) of one excitation. */
export function excitationOperator(e: Excitation, weight = 1): FermionOperator {
  const ops: [number, 0 | 1][] = [];
  for (const c of e.create) ops.push([c, 1]);
  for (let k = e.annihilate.length - 1; k >= 0; k--) ops.push([e.annihilate[k], 0]);
  const t = FermionOperator.term(ops, weight, 0);
  return t.subtract(t.hermitianConjugate());
}

function asGenerator(g: Excitation | ExcitationGenerator): ExcitationGenerator {
  return 'terms' in g ? g : singleTermGenerator(g);
}

/**
 * Qubit image of the anti-Hermitian generator G = Σ_k w_k (T_k − T_k†) (a plain excitation has
 * w = 1): a Pauli sum with purely imaginary coefficients on nModes qubits, or on the tapered register
 * when `taper` is given.
 */
export function excitationGenerator(
  excitation: Excitation | ExcitationGenerator,
  mapping: FermionMapping,
  nModes: number,
  taper?: CircuitTapering,
): PauliSum {
  const g = asGenerator(excitation);
  let op = FermionOperator.zero();
  for (const t of g.terms) {
    checkExcitation(t.excitation, nModes);
    op = op.add(excitationOperator(t.excitation, t.weight));
  }
  const mapped = mapFermionOperator(op, mapping, nModes);
  return taper === undefined ? mapped : taper.taperOther(mapped);
}

/** One Pauli rotation R_P(factor · θ) of a generator's circuit. */
export interface GeneratorRotation {
  readonly x: number;
  readonly z: number;
  readonly factor: number;
}

/**
 * The Pauli rotations whose product is exp(θ G) (see the file header): for each term k in order, the
 * mapped w_k (T_k − T_k†) = Σ_j i c_j P_j gives rotations (P_j, factor −2 c_j).
 * @throws InputError if a mapped term has a real coefficient or non-commuting strings (cannot happen
 * for excitations under JW, BK or parity, with or without tapering).
 */
export function generatorRotations(
  excitation: Excitation | ExcitationGenerator,
  mapping: FermionMapping,
  nModes: number,
  taper?: CircuitTapering,
): GeneratorRotation[] {
  const g = asGenerator(excitation);
  const out: GeneratorRotation[] = [];
  for (const t of g.terms) {
    const p = excitationGenerator({ terms: [t], label: g.label }, mapping, nModes, taper);
    const start = out.length;
    for (let j = 0; j < p.x.length; j++) {
      if (Math.abs(p.coeffRe[j]) > 1e-12) throw new InputError(`generator ${g.label}: mapped term with a real coefficient`);
      if (p.coeffIm[j] === 0) continue;
      if (p.x[j] === 0 && p.z[j] === 0) continue; // a multiple of the identity is a global phase
      out.push({ x: p.x[j], z: p.z[j], factor: -2 * p.coeffIm[j] });
    }
    for (let a = start; a < out.length; a++) {
      for (let b = a + 1; b < out.length; b++) {
        if (!pauliStringsCommute(out[a].x, out[a].z, out[b].x, out[b].z)) {
          throw new InputError(`generator ${g.label}: mapped strings do not commute`);
        }
      }
    }
  }
  return out;
}

/** Pauli-rotation gates of exp(θ G) with θ = parameters[parameter]. */
export function generatorGates(
  excitation: Excitation | ExcitationGenerator,
  parameter: number,
  mapping: FermionMapping,
  nModes: number,
  taper?: CircuitTapering,
): Gate[] {
  return generatorRotations(excitation, mapping, nModes, taper).map((r) => pauliRotationGate(r.x, r.z, { parameter, factor: r.factor }));
}

/** True when every string of the mapped generator commutes with every tapering symmetry. */
function commutesWithSymmetries(g: ExcitationGenerator, mapping: FermionMapping, nModes: number, taper: CircuitTapering): boolean {
  const p = excitationGenerator(g, mapping, nModes);
  for (let j = 0; j < p.x.length; j++) for (const s of taper.symmetries) if (parity32(p.x[j] & s.zMask) !== 0) return false;
  return true;
}

/** A fermionic ansatz circuit with the generator behind each parameter. */
export interface FermionicAnsatz extends Circuit {
  /** generators[p] drives parameter p. */
  readonly generators: readonly ExcitationGenerator[];
  /** Qubit basis state of the Hartree–Fock reference prepared by the leading X gates. */
  readonly referenceBits: number;
  readonly mapping: FermionMapping;
  /** Spin-orbital modes (2 · nSpatialOrbitals) before tapering. */
  readonly nModes: number;
  /** Generators left out because they break a tapering symmetry. */
  readonly droppedGenerators: number;
}

/** Options of the UCC builders. */
export interface FermionicAnsatzOptions extends FermionicSpace {
  mapping: FermionMapping;
  /** Taper the register with these symmetries (generators that break them are dropped). */
  taper?: CircuitTapering;
}

/**
 * Hartree–Fock reference and exp(θ_p G_p) for each generator in order: the shared back end of
 * {@link uccsdAnsatz} and {@link kUpCCGSDAnsatz}, usable for any generator list (e.g. an ADAPT
 * sequence).
 */
export function generatorAnsatz(options: FermionicAnsatzOptions, generators: readonly ExcitationGenerator[]): FermionicAnsatz {
  checkSpace(options);
  const nModes = 2 * options.nSpatialOrbitals;
  const taper = options.taper;
  const hfBits = occupationToQubitBits(hartreeFockModes(options.nAlpha, options.nBeta), nModes, options.mapping);
  const referenceBits = taper === undefined ? hfBits : taper.taperBits(hfBits);
  const nQubits = nModes - (taper?.nQubitsRemoved ?? 0);
  const kept = taper === undefined ? generators.slice() : generators.filter((g) => commutesWithSymmetries(g, options.mapping, nModes, taper));
  const b = new CircuitBuilder(nQubits);
  for (let q = 0; q < nQubits; q++) if (Math.floor(referenceBits / 2 ** q) % 2 === 1) b.x(q);
  for (const g of kept) {
    const p = b.parameter();
    for (const gate of generatorGates(g, p, options.mapping, nModes, taper)) b.gate(gate);
  }
  const c = b.build();
  return {
    ...c,
    nParameters: kept.length,
    generators: kept,
    referenceBits,
    mapping: options.mapping,
    nModes,
    droppedGenerators: generators.length - kept.length,
  };
}

/** Options of {@link uccsdAnsatz}. */
export interface UccsdOptions extends FermionicAnsatzOptions {
  /** Singlet spin-adapted generators (closed shell) instead of spin-orbital excitations (default false). */
  spinAdapted?: boolean;
}

/**
 * Trotterised UCCSD on the Hartree–Fock reference: singles then doubles, one parameter per
 * spin-orbital excitation ({@link singleAndDoubleExcitations}) or per singlet generator
 * ({@link singletExcitationGenerators}) when `spinAdapted`.
 */
export function uccsdAnsatz(options: UccsdOptions): FermionicAnsatz {
  if (options.spinAdapted === true) {
    const { singles, doubles } = singletExcitationGenerators(options);
    return generatorAnsatz(options, [...singles, ...doubles]);
  }
  const { singles, doubles } = singleAndDoubleExcitations(options);
  return generatorAnsatz(options, [...singles, ...doubles].map(singleTermGenerator));
}

/** Options of {@link kUpCCGSDAnsatz}. */
export interface KUpCCGSDOptions extends FermionicAnsatzOptions {
  /** Number of repetitions (each with its own parameters). */
  k: number;
}

/**
 * k-UpCCGSD on the Hartree–Fock reference: k repetitions of (all pair doubles, then all spin-adapted
 * generalised singles) from {@link pairedGeneralizedExcitations}, fresh parameters per repetition.
 */
export function kUpCCGSDAnsatz(options: KUpCCGSDOptions): FermionicAnsatz {
  if (!Number.isInteger(options.k) || options.k < 1) throw new InputError(`k-UpCCGSD: k must be a positive integer, got ${options.k}`);
  const { singles, doubles } = pairedGeneralizedExcitations(options.nSpatialOrbitals);
  const generators: ExcitationGenerator[] = [];
  for (let r = 0; r < options.k; r++) generators.push(...doubles, ...singles);
  return generatorAnsatz(options, generators);
}

/** Kinds of fermionic ADAPT-VQE operator pools. */
export type FermionicPoolKind = 'spin-orbital' | 'singlet' | 'generalized-pair';

/** Options of {@link fermionicPool}. */
export interface FermionicPoolOptions extends FermionicSpace {
  /**
   * 'spin-orbital': every spin-conserving single and double of {@link singleAndDoubleExcitations}
   * (fermionic ADAPT of Grimsley et al. 2019); 'singlet': the spin-adapted generators of
   * {@link singletExcitationGenerators} (closed shell); 'generalized-pair': the generalised singles and
   * pair doubles of {@link pairedGeneralizedExcitations}. Default 'spin-orbital'.
   */
  kind?: FermionicPoolKind;
}

/**
 * An ADAPT-VQE operator pool: generators G (singles first, then doubles). Each becomes a circuit
 * block through {@link generatorGates}, and its gradient is ⟨ψ|[H, Ĝ]|ψ⟩ with Ĝ =
 * {@link excitationGenerator}(G, mapping, nModes).
 */
export function fermionicPool(options: FermionicPoolOptions): ExcitationGenerator[] {
  const kind = options.kind ?? 'spin-orbital';
  if (kind === 'spin-orbital') {
    const { singles, doubles } = singleAndDoubleExcitations(options);
    return [...singles, ...doubles].map(singleTermGenerator);
  }
  if (kind === 'singlet') {
    const { singles, doubles } = singletExcitationGenerators(options);
    return [...singles, ...doubles];
  }
  if (kind === 'generalized-pair') {
    const { singles, doubles } = pairedGeneralizedExcitations(options.nSpatialOrbitals);
    return [...singles, ...doubles];
  }
  throw new InputError(`fermionic pool: unknown kind '${kind as string}' (use spin-orbital, singlet or generalized-pair)`);
}

// ADAPT pools: one-parameter unitaries exp(θA) written as Π_k exp(−i f_k θ P_k / 2) (the gate
// convention of circuit.ts). Beyond the generators above, the pools need fully generalised
// spin-orbital singles and doubles (any modes to any modes, spin conserving) and the "qubit" pool of
// single Pauli strings (each with an odd number of Y, as the image of a real anti-Hermitian
// generator must have).

/** A one-parameter unitary exp(θ A) as Pauli rotations applied in order. */
export interface RotationGenerator {
  /** Human-readable name, e.g. '4 5 <- 0 1' or 'X0 Y1'. */
  readonly label: string;
  readonly terms: readonly GeneratorRotation[];
  /**
   * An equivalent compact circuit of exp(θA) on parameter 0 (the same unitary as `terms`), used by
   * {@link rotationGeneratorCircuit} in place of the Pauli rotations; absent: the rotations.
   */
  readonly gates?: readonly Gate[];
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
export type AdaptPoolName = 'fermionic' | 'fermionic-generalized' | 'singlet' | 'generalized-pair' | 'qubit' | 'qeb';

/**
 * The ADAPT operator pool:
 * - 'fermionic': spin-orbital singles and doubles, occupied → virtual;
 * - 'fermionic-generalized': {@link generalizedExcitations};
 * - 'singlet': spin-adapted singles and doubles (closed shell);
 * - 'generalized-pair': generalised pair doubles and spin-adapted generalised singles;
 * - 'qubit': the distinct single Pauli strings of the 'fermionic' generators;
 * - 'qeb': qubit excitations (parity strings dropped) over {@link generalizedExcitations}, with
 *   their compact circuits (Jordan–Wigner only: elsewhere they do not keep the particle number).
 * @throws InputError for an unknown pool name, or 'qeb' with another mapping.
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
  if (name === 'qeb') {
    if (mapping !== 'jordan-wigner') throw new InputError(`the qeb pool needs the jordan-wigner mapping, got '${mapping}'`);
    return qubitExcitationPool(generalizedExcitations(nModes));
  }
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
        `unknown ADAPT pool '${String(name)}' (use fermionic, fermionic-generalized, singlet, generalized-pair, qubit or qeb)`,
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
 * parameter (parameter k for generators[k]): its compact `gates` when present, else its rotations.
 */
export function rotationGeneratorCircuit(
  generators: readonly RotationGenerator[],
  nQubits: number,
  referenceBits: number,
): Circuit {
  const b = new CircuitBuilder(nQubits).append(hartreeFockCircuit(nQubits, referenceBits), 0);
  generators.forEach((g, k) => {
    if (g.gates !== undefined) for (const gate of g.gates) b.gate(gate.parameter >= 0 ? { ...gate, parameter: k } : gate);
    else for (const t of g.terms) b.gate(pauliRotationGate(t.x, t.z, { parameter: k, factor: t.factor }));
  });
  return { nQubits, nParameters: generators.length, gates: b.build().gates };
}
