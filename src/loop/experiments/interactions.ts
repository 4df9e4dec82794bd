/**
 * The interactions experiment: the drug-discovery question in small. Can a model trained on the
 * interaction energies of dimers predict those of larger clusters?
 *
 * Interaction energy (supermolecular): E_int = E(cluster) − Σ_m E(monomer m), every monomer computed
 * alone at its geometry in the cluster, with the same method and basis (no counterpoise correction).
 *
 * - Training: dimers H2···H2 and H2···LiH at many centre–centre separations (2–5 Å and 2.5–5.5 Å,
 *   denser at short range) and random orientations (uniform rotations), H–H bonds 0.70–0.80 Å and
 *   Li–H 1.50–1.70 Å, no intermolecular contact under 1.5 Å. Labels: full CI in STO-3G — **FCI stands
 *   in for quantum labels** (VQE/ADAPT-VQE on the exact backend converge to it; FCI costs far less
 *   here). A fifth of the dimers is held out.
 * - Model: a sum of atomic terms (GP or atomic networks, ACSF descriptors) trained on E_int of the
 *   dimers and on the monomers with E_int = 0; its interaction energy is then bookkept like the
 *   methods', E_int = M(cluster) − Σ_m M(monomer m).
 * - Test: trimers and tetramers of H2 (centres on a triangle, a line or at random for trimers; on a
 *   square, a tetrahedron or at random for tetramers; neighbouring centres 2.6–3.4 Å apart) against
 *   FCI, beside MP2 and CCSD run directly (with the same bookkeeping) and the held-out dimers. Two
 *   two-body views besides: the model applied pair by pair (Σ over monomer pairs of its dimer
 *   interaction energy, the environments it was trained on) and FCI pair by pair (whose error is the
 *   many-body part of the FCI interaction energy, the floor of any pairwise model).
 * Everything goes through the method layer (one RHF reference per geometry via runLadder); every
 * random choice is seeded. Energies in Hartree, lengths in Bohr inside (Ångström in the options).
 */
import { ANGSTROM_IN_BOHR, InputError, Random } from '../../core/index.js';
import { type Molecule, createMolecule } from '../../chem/index.js';
import { type LadderMethod, runLadder } from '../../methods/index.js';
import {
  type ModelOptions,
  type TrainedModel,
  type TrainingExample,
  defaultSymmetryFunctions,
  predictModel,
  trainModel,
} from '../../ml/index.js';

/** A method whose interaction energies the experiment computes. */
export type InteractionMethod = 'mp2' | 'ccsd' | 'fci';

/** The kinds of system in the experiment. */
export type InteractionSystemKind =
  | 'dimer-h2-h2'
  | 'dimer-h2-lih'
  | 'trimer-triangle'
  | 'trimer-chain'
  | 'trimer-random'
  | 'tetramer-square'
  | 'tetramer-tetrahedron'
  | 'tetramer-random';

/** A cluster of closed-shell monomers. */
export interface InteractionSystem {
  kind: InteractionSystemKind;
  /** The monomers, each at its geometry in the cluster. */
  monomers: Molecule[];
  /** All atoms of the monomers, in monomer order. */
  cluster: Molecule;
}

/** One method's supermolecular interaction energy of one system. */
export interface InteractionEnergy {
  clusterHartree: number;
  monomersHartree: number[];
  /** E(cluster) − Σ E(monomers). */
  interactionHartree: number;
}

/** Options of {@link runInteractionsExperiment}. */
export interface InteractionsOptions {
  /** H2···H2 training dimers (default 100; a fifth held out). */
  h2h2Dimers?: number;
  /** H2···LiH training dimers (default 60; a fifth held out). */
  h2lihDimers?: number;
  /** Test clusters per arrangement (default 3: 9 trimers, 9 tetramers). */
  clustersPerArrangement?: number;
  /** 'gp' (default) or 'nn'. */
  model?: 'gp' | 'nn';
  /** Descriptor cutoff, Bohr (default 8). */
  cutoffBohr?: number;
  seed?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Errors of one source on one kind of system, Hartree. */
export interface InteractionErrors {
  /** Systems with a number. */
  count: number;
  /** Systems where the method did not converge. */
  failed: number;
  maeHartree: number;
  maxHartree: number;
}

/** One row of the report: a kind (or size) of system and the errors of each source against FCI. */
export interface InteractionsRow {
  /** A system kind, or 'trimers' / 'tetramers' / 'held-out dimers' for a whole size. */
  kind: string;
  monomers: number;
  count: number;
  /** Mean |E_int(FCI)| of these systems, Hartree (the scale of the errors). */
  meanAbsFciHartree: number;
  model: InteractionErrors;
  /** The model applied pair by pair: Σ over monomer pairs of the model's dimer interaction energy. */
  modelPairwise: InteractionErrors;
  /** FCI pair by pair (the two-body approximation; its error is the many-body part of FCI). */
  fciPairwise: InteractionErrors;
  mp2: InteractionErrors;
  ccsd: InteractionErrors;
}

/** One test system's interaction energies, Hartree (null: the method did not converge). */
export interface InteractionsSystemResult {
  kind: InteractionSystemKind;
  atoms: number;
  fciHartree: number;
  modelHartree: number;
  /** Σ over monomer pairs of the model's dimer interaction energy. */
  modelPairwiseHartree: number;
  /** Σ over monomer pairs of the FCI dimer interaction energy (null if FCI failed on a pair). */
  fciPairwiseHartree: number | null;
  mp2Hartree: number | null;
  ccsdHartree: number | null;
}

/** The `--json` report. */
export interface InteractionsReport {
  experiment: 'interactions';
  basis: string;
  labelNote: string;
  model: 'gp' | 'nn';
  descriptor: string;
  cutoffBohr: number;
  trainingDimers: { h2h2: number; h2lih: number };
  /** Labels the model was trained on (dimers plus monomers at zero). */
  trainingLabels: number;
  /** Training dimers left out because FCI did not converge. */
  droppedTrainingDimers: number;
  rows: InteractionsRow[];
  systems: InteractionsSystemResult[];
  wallSeconds: number;
}

const BASIS = 'sto-3g';
const H2_BOND_ANGSTROM: [number, number] = [0.7, 0.8];
const LIH_BOND_ANGSTROM: [number, number] = [1.5, 1.7];
const MIN_CONTACT_ANGSTROM = 1.5;

/** A uniformly random rotation matrix (row-major 3×3) from a uniform random quaternion. */
function randomRotation(random: Random): Float64Array {
  const u1 = random.next();
  const u2 = random.next();
  const u3 = random.next();
  const a = Math.sqrt(1 - u1);
  const b = Math.sqrt(u1);
  const [x, y, z, w] = [a * Math.sin(2 * Math.PI * u2), a * Math.cos(2 * Math.PI * u2), b * Math.sin(2 * Math.PI * u3), b * Math.cos(2 * Math.PI * u3)];
  return Float64Array.of(
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
  );
}

/** A diatomic (atomic numbers z1, z2; bond in Å) rotated by `rot` about its bond midpoint, midpoint at `centre` (Å). */
function diatomic(z1: number, z2: number, bondAngstrom: number, rot: Float64Array, centre: readonly number[]): Molecule {
  const half = bondAngstrom / 2;
  const pos: number[][] = [];
  for (const s of [-half, half]) {
    // the bond lies along z before rotation: rotated point = rot · (0, 0, s)
    pos.push([centre[0] + rot[2] * s, centre[1] + rot[5] * s, centre[2] + rot[8] * s]);
  }
  return createMolecule({ atomicNumbers: [z1, z2], positionsAngstrom: pos });
}

/** All atoms of the monomers as one molecule (charges add; every monomer is a closed-shell singlet). */
export function clusterMolecule(monomers: readonly Molecule[]): Molecule {
  const z: number[] = [];
  const r: number[] = [];
  for (const m of monomers) {
    z.push(...m.atomicNumbers);
    r.push(...m.positionsBohr);
  }
  return createMolecule({ atomicNumbers: z, positionsBohr: r, charge: monomers.reduce((s, m) => s + m.charge, 0) });
}

/** Shortest distance between atoms of different monomers, Bohr. */
export function minimumContactBohr(monomers: readonly Molecule[]): number {
  let best = Infinity;
  for (let a = 0; a < monomers.length; a++) {
    for (let b = a + 1; b < monomers.length; b++) {
      const pa = monomers[a].positionsBohr;
      const pb = monomers[b].positionsBohr;
      for (let i = 0; i < pa.length; i += 3) {
        for (let j = 0; j < pb.length; j += 3) {
          best = Math.min(best, Math.hypot(pa[i] - pb[j], pa[i + 1] - pb[j + 1], pa[i + 2] - pb[j + 2]));
        }
      }
    }
  }
  return best;
}

/** A random unit vector. */
function randomDirection(random: Random): number[] {
  const rot = randomRotation(random);
  return [rot[2], rot[5], rot[8]];
}

/**
 * Training dimers: `h2h2` H2···H2 and `h2lih` H2···LiH at random separations (centre–centre
 * 2–5 Å and 2.5–5.5 Å, density rising towards short range) and orientations, no contact < 1.5 Å.
 */
export function dimerSystems(h2h2: number, h2lih: number, seed: number): InteractionSystem[] {
  const random = new Random(seed + 31);
  const out: InteractionSystem[] = [];
  const make = (kind: InteractionSystemKind, count: number, partner: [number, number, [number, number]], dRange: [number, number]): void => {
    for (let n = 0; n < count; n++) {
      for (;;) {
        const a = diatomic(1, 1, random.uniform(...H2_BOND_ANGSTROM), randomRotation(random), [0, 0, 0]);
        const u = random.next();
        const d = dRange[0] + (dRange[1] - dRange[0]) * u * u;
        const dir = randomDirection(random);
        const b = diatomic(partner[0], partner[1], random.uniform(...partner[2]), randomRotation(random), dir.map((c) => c * d));
        if (minimumContactBohr([a, b]) < MIN_CONTACT_ANGSTROM * ANGSTROM_IN_BOHR) continue;
        out.push({ kind, monomers: [a, b], cluster: clusterMolecule([a, b]) });
        break;
      }
    }
  };
  make('dimer-h2-h2', h2h2, [1, 1, H2_BOND_ANGSTROM], [2.0, 5.0]);
  make('dimer-h2-lih', h2lih, [3, 1, LIH_BOND_ANGSTROM], [2.5, 5.5]);
  return out;
}

/** Centres (Å) of an arrangement of n H2 molecules with neighbour distance s. */
function centres(kind: InteractionSystemKind, s: number, random: Random): number[][] {
  switch (kind) {
    case 'trimer-triangle':
      return [[0, 0, 0], [s, 0, 0], [s / 2, (s * Math.sqrt(3)) / 2, 0]];
    case 'trimer-chain':
      return [[0, 0, 0], [s, 0, 0], [2 * s, 0, 0]];
    case 'tetramer-square':
      return [[0, 0, 0], [s, 0, 0], [0, s, 0], [s, s, 0]];
    case 'tetramer-tetrahedron': {
      const c = s / (2 * Math.SQRT2);
      return [[c, c, c], [c, -c, -c], [-c, c, -c], [-c, -c, c]];
    }
    case 'trimer-random':
    case 'tetramer-random': {
      // each new centre at distance s·[1, 1.3] from a random earlier one, at least 2.6 Å from all
      const n = kind === 'trimer-random' ? 3 : 4;
      const out = [[0, 0, 0]];
      while (out.length < n) {
        const from = out[random.int(out.length)];
        const dir = randomDirection(random);
        const d = s * random.uniform(1, 1.3);
        const c = from.map((x, k) => x + d * dir[k]);
        if (out.every((o) => Math.hypot(o[0] - c[0], o[1] - c[1], o[2] - c[2]) >= 2.6)) out.push(c);
      }
      return out;
    }
    default:
      throw new InputError(`not a cluster arrangement: ${kind}`);
  }
}

/** The test arrangements. */
export const INTERACTION_CLUSTER_KINDS: readonly InteractionSystemKind[] = [
  'trimer-triangle',
  'trimer-chain',
  'trimer-random',
  'tetramer-square',
  'tetramer-tetrahedron',
  'tetramer-random',
];

/** Test clusters of H2: `perArrangement` of each kind, neighbour centres 2.6–3.4 Å apart, random orientations. */
export function clusterSystems(perArrangement: number, seed: number, kinds: readonly InteractionSystemKind[] = INTERACTION_CLUSTER_KINDS): InteractionSystem[] {
  const random = new Random(seed + 977);
  const out: InteractionSystem[] = [];
  for (const kind of kinds) {
    for (let n = 0; n < perArrangement; n++) {
      for (;;) {
        const cs = centres(kind, random.uniform(2.6, 3.4), random);
        const monomers = cs.map((c) => diatomic(1, 1, random.uniform(...H2_BOND_ANGSTROM), randomRotation(random), c));
        if (minimumContactBohr(monomers) < MIN_CONTACT_ANGSTROM * ANGSTROM_IN_BOHR) continue;
        out.push({ kind, monomers, cluster: clusterMolecule(monomers) });
        break;
      }
    }
  }
  return out;
}

/**
 * Supermolecular interaction energies of one system by each method (STO-3G unless `basis`), from one
 * RHF reference per geometry (runLadder). A method that does not converge on the cluster or on a
 * monomer gives null.
 */
export async function interactionEnergies(
  system: InteractionSystem,
  methods: readonly InteractionMethod[],
  basis = BASIS,
): Promise<Record<InteractionMethod, InteractionEnergy | null>> {
  const energies = async (m: Molecule): Promise<Map<InteractionMethod, number | null>> => {
    const ladder = await runLadder(m, { basis, methods: [...methods] as LadderMethod[] });
    const out = new Map<InteractionMethod, number | null>();
    for (const r of ladder.rungs) out.set(r.method as InteractionMethod, r.status === 'ok' ? r.result!.energyHartree : null);
    return out;
  };
  const cluster = await energies(system.cluster);
  const monomers = [];
  for (const m of system.monomers) monomers.push(await energies(m));
  const out = {} as Record<InteractionMethod, InteractionEnergy | null>;
  for (const method of methods) {
    const c = cluster.get(method) ?? null;
    const ms = monomers.map((e) => e.get(method) ?? null);
    if (c === null || ms.some((e) => e === null)) {
      out[method] = null;
      continue;
    }
    const sum = (ms as number[]).reduce((s, e) => s + e, 0);
    out[method] = { clusterHartree: c, monomersHartree: ms as number[], interactionHartree: c - sum };
  }
  return out;
}

/** Every pair of monomers of a system as a dimer system (kind kept). */
export function pairsOf(system: InteractionSystem): InteractionSystem[] {
  const out: InteractionSystem[] = [];
  const m = system.monomers;
  for (let a = 0; a < m.length; a++) {
    for (let b = a + 1; b < m.length; b++) out.push({ kind: system.kind, monomers: [m[a], m[b]], cluster: clusterMolecule([m[a], m[b]]) });
  }
  return out;
}

/** A model's supermolecular interaction energy: M(cluster) − Σ M(monomers). */
export function modelInteractionEnergy(model: TrainedModel, system: InteractionSystem): number {
  const e = (m: Molecule): number => predictModel(model, m.atomicNumbers, m.positionsBohr, false).energyHartree;
  return e(system.cluster) - system.monomers.reduce((s, m) => s + e(m), 0);
}

function errorsOf(errors: readonly (number | null)[]): InteractionErrors {
  const abs = errors.filter((e): e is number => e !== null).map(Math.abs);
  return {
    count: abs.length,
    failed: errors.length - abs.length,
    maeHartree: abs.length > 0 ? abs.reduce((s, v) => s + v, 0) / abs.length : Number.NaN,
    maxHartree: abs.length > 0 ? Math.max(...abs) : Number.NaN,
  };
}

/** Run the experiment (see the file header). */
export async function runInteractionsExperiment(options: InteractionsOptions = {}): Promise<InteractionsReport> {
  const t0 = performance.now();
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 0;
  const nHH = options.h2h2Dimers ?? 100;
  const nHL = options.h2lihDimers ?? 60;
  const perArrangement = options.clustersPerArrangement ?? 3;
  const cutoffBohr = options.cutoffBohr ?? 8;
  for (const [key, v] of [['h2h2Dimers', nHH], ['h2lihDimers', nHL], ['clustersPerArrangement', perArrangement]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new InputError(`interactions: ${key} must be a non-negative integer, got ${v}`);
  }
  if (nHH + nHL < 2) throw new InputError('interactions: at least two training dimers are needed');
  const modelKind = options.model ?? 'gp';
  if (modelKind !== 'gp' && modelKind !== 'nn') throw new InputError(`interactions: model must be 'gp' or 'nn', got '${String(modelKind)}'`);
  if (!(cutoffBohr > 0)) throw new InputError(`interactions: cutoffBohr must be positive, got ${cutoffBohr}`);

  const dimers = dimerSystems(nHH, nHL, seed);
  // a fifth of each dimer kind held out (every fifth)
  const heldOut = new Set<InteractionSystem>();
  for (const kind of ['dimer-h2-h2', 'dimer-h2-lih'] as const) dimers.filter((d) => d.kind === kind).forEach((d, k) => k % 5 === 4 && heldOut.add(d));
  const clusters = clusterSystems(perArrangement, seed);

  log(`labelling ${dimers.length - heldOut.size} training dimers with FCI`);
  const training: TrainingExample[] = [];
  let dropped = 0;
  for (const d of dimers) {
    if (heldOut.has(d)) continue;
    const e = (await interactionEnergies(d, ['fci'])).fci;
    if (e === null) {
      dropped++;
      continue;
    }
    const label = (m: Molecule, energy: number): TrainingExample => ({ atomicNumbers: m.atomicNumbers, positionsBohr: m.positionsBohr, energyHartree: energy, standardErrorHartree: 0 });
    training.push(label(d.cluster, e.interactionHartree));
    for (const m of d.monomers) training.push(label(m, 0));
  }
  const elements = [1, 3];
  const descriptor = defaultSymmetryFunctions(elements, cutoffBohr, 10);
  const modelOptions: ModelOptions =
    modelKind === 'gp'
      ? { kind: 'gp', descriptor, noiseFloorsHartree: [1e-6, 1e-5, 1e-4], lengthScales: [0.25, 0.5, 1, 2] }
      : { kind: 'nn', descriptor, seed, ensemble: 3, forceWeightBohr2: 0 };
  log(`training ${modelKind} on ${training.length} labels`);
  const model = trainModel(training, modelOptions, { rung: 'fci', basis: BASIS });

  const test = [...dimers.filter((d) => heldOut.has(d)), ...clusters];
  const systems: InteractionsSystemResult[] = [];
  for (const [k, s] of test.entries()) {
    log(`test system ${k + 1}/${test.length} (${s.kind}, ${s.cluster.atomicNumbers.length} atoms): FCI, MP2, CCSD`);
    const e = await interactionEnergies(s, ['mp2', 'ccsd', 'fci']);
    if (e.fci === null) continue;
    // the two-body view: every pair of monomers as a dimer (a dimer is its own only pair)
    const pairs = pairsOf(s);
    let fciPairwise: number | null = e.fci.interactionHartree;
    if (pairs.length > 1) {
      fciPairwise = 0;
      for (const p of pairs) {
        const ep = (await interactionEnergies(p, ['fci'])).fci;
        if (ep === null) {
          fciPairwise = null;
          break;
        }
        fciPairwise += ep.interactionHartree;
      }
    }
    systems.push({
      kind: s.kind,
      atoms: s.cluster.atomicNumbers.length,
      fciHartree: e.fci.interactionHartree,
      modelHartree: modelInteractionEnergy(model, s),
      modelPairwiseHartree: pairs.reduce((sum, p) => sum + modelInteractionEnergy(model, p), 0),
      fciPairwiseHartree: fciPairwise,
      mp2Hartree: e.mp2?.interactionHartree ?? null,
      ccsdHartree: e.ccsd?.interactionHartree ?? null,
    });
  }
  const row = (kind: string, monomers: number, pick: (s: InteractionsSystemResult) => boolean): InteractionsRow => {
    const sel = systems.filter(pick);
    return {
      kind,
      monomers,
      count: sel.length,
      meanAbsFciHartree: sel.reduce((a, s) => a + Math.abs(s.fciHartree), 0) / Math.max(1, sel.length),
      model: errorsOf(sel.map((s) => s.modelHartree - s.fciHartree)),
      modelPairwise: errorsOf(sel.map((s) => s.modelPairwiseHartree - s.fciHartree)),
      fciPairwise: errorsOf(sel.map((s) => (s.fciPairwiseHartree === null ? null : s.fciPairwiseHartree - s.fciHartree))),
      mp2: errorsOf(sel.map((s) => (s.mp2Hartree === null ? null : s.mp2Hartree - s.fciHartree))),
      ccsd: errorsOf(sel.map((s) => (s.ccsdHartree === null ? null : s.ccsdHartree - s.fciHartree))),
    };
  };
  const rows: InteractionsRow[] = [];
  for (const kind of ['dimer-h2-h2', 'dimer-h2-lih', ...INTERACTION_CLUSTER_KINDS] as InteractionSystemKind[]) {
    const monomers = kind.startsWith('dimer') ? 2 : kind.startsWith('trimer') ? 3 : 4;
    if (systems.some((s) => s.kind === kind)) rows.push(row(kind, monomers, (s) => s.kind === kind));
  }
  rows.push(row('held-out dimers', 2, (s) => s.kind.startsWith('dimer')));
  rows.push(row('trimers', 3, (s) => s.kind.startsWith('trimer')));
  rows.push(row('tetramers', 4, (s) => s.kind.startsWith('tetramer')));
  return {
    experiment: 'interactions',
    basis: BASIS,
    labelNote: 'FCI labels and truth stand in for quantum labels: VQE/ADAPT-VQE on the exact backend reach FCI',
    model: modelKind,
    descriptor: descriptor.kind,
    cutoffBohr,
    trainingDimers: { h2h2: nHH - [...heldOut].filter((d) => d.kind === 'dimer-h2-h2').length, h2lih: nHL - [...heldOut].filter((d) => d.kind === 'dimer-h2-lih').length },
    trainingLabels: training.length,
    droppedTrainingDimers: dropped,
    rows,
    systems,
    wallSeconds: (performance.now() - t0) / 1000,
  };
}
