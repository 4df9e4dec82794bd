/**
 * `qde train`: fit a GP or neural-network potential to the labels of one rung in a label store
 * (optionally the difference to a lower rung, Δ-learning) and write a model file.
 *
 * `--baseline spin-pair` (GP or networks, hydrogen only) learns the remainder over the spin-pair (Heisenberg)
 * baseline of src/ml/baseline.ts, the model of `qde experiment generalise`. Its tables are labels:
 * the H₂ singlet on the model's rung and the H₂ triplet at the experiment's 25 distances (0.8–9
 * Bohr) and the free H atom. Each is taken from the store when it holds that label (same basis,
 * distance within 1e-4 Bohr; the triplet on the model's rung or UHF, the atom on the model's rung or
 * UHF) and computed through the method layer otherwise, as the experiment does (singlet with the
 * rung's own spec, triplet and atom by UHF). `--forces` conditions the GP on the store's force labels.
 */
import { Command, InvalidArgumentError } from 'commander';
import { InputError } from '../core/index.js';
import { elementSymbol } from '../chem/index.js';
import { type DatasetRecord, type JsonValue, QUANTITY_BITS, computeLabel, openLabelStore } from '../dataset/index.js';
import type { MethodSpec } from '../methods/index.js';
import { GENERALISE_BASELINE_DISTANCES_BOHR } from '../loop/index.js';
import {
  type DescriptorSettings,
  type ModelOptions,
  type SpinPairBaselineSettings,
  type TrainedModel,
  type TrainingExample,
  defaultSoapSettings,
  defaultSpinCorrelationSettings,
  defaultSymmetryFunctions,
  deltaExamples,
  elementsOf,
  errorMetrics,
  exampleFromRecord,
  predictModel,
  saveModelFile,
  trainModel,
} from '../ml/index.js';
import { type CliIo, alignedLines, parseNonNegativeNumberOption, parsePositiveIntegerOption, parseIntegerOption } from './common.js';

/** Parsed options of `qde train`. */
export interface TrainCommandOptions {
  db: string;
  rung: string;
  model: string;
  deltaFrom?: string;
  out: string;
  campaign?: string;
  /** 'acsf' (default), 'soap' or 'spin'. */
  descriptor?: string;
  /** Descriptor cutoff, Bohr (default 8). */
  cutoff?: number;
  sparsePoints?: number;
  hidden?: number[];
  epochs?: number;
  ensemble?: number;
  forceWeight?: number;
  seed: number;
  /** 'spin-pair' (GP, hydrogen): learn the remainder over the spin-pair baseline; 'none' (default). */
  baseline?: string;
  /** GP: condition on the force labels of the rung too. */
  forces?: boolean;
  json?: boolean;
}

/** Summary of a training run (the `--json` output). */
export interface TrainReport {
  file: string;
  kind: 'gp' | 'nn';
  rung: string;
  deltaFrom: string | null;
  labels: number;
  elements: number[];
  basis: string | null;
  trainingMaeHartree: number;
  trainingMaxHartree: number;
  /** 'spin-pair' or 'none'. */
  baseline: 'spin-pair' | 'none';
  /** The descriptor trained on: 'acsf', 'soap' or 'spin'. */
  descriptor: 'acsf' | 'soap' | 'spin';
  /** Its cutoff, Bohr. */
  cutoffBohr: number;
  /** Baseline tables: entries taken from the store and computed through the method layer (0 without a baseline). */
  baselineLabelsFromStore: number;
  baselineLabelsComputed: number;
  /** Labels whose forces the GP was conditioned on (0 without --forces). */
  forceLabels: number;
  wallSeconds: number;
}

function parseHidden(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.length === 0 || !parts.every((p) => /^\d+$/.test(p) && Number(p) > 0)) throw new InvalidArgumentError('expected widths such as 24,24.');
  return parts.map(Number);
}

/** The low rung's spec as plain method-spec data: resolved keys that apply, without per-geometry charge and multiplicity. */
function lowRungSpec(record: DatasetRecord): JsonValue {
  const spec = record.method as Record<string, JsonValue>;
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(spec ?? {})) if (v !== null && k !== 'charge' && k !== 'multiplicity') out[k] = v;
  if (out.method === undefined) out.method = record.rung;
  return out;
}

/** One basis for every label, or an InputError naming the mixture. */
function commonBasis(records: readonly DatasetRecord[], db: string): string | null {
  const bases = new Set(records.map((r) => r.basis));
  if (bases.size > 1) throw new InputError(`labels of one model must share a basis set; found ${[...bases].join(', ')}`, { file: db });
  return records[0]?.basis ?? null;
}

/** Distance match of a stored H₂ label to a table distance, Bohr. */
const CURVE_DISTANCE_TOLERANCE_BOHR = 1e-4;

/** The H–H distance of a two-hydrogen record, Bohr (NaN for anything else). */
function h2Distance(r: DatasetRecord): number {
  if (r.atomicNumbers.length !== 2 || r.atomicNumbers[0] !== 1 || r.atomicNumbers[1] !== 1 || r.charge !== 0) return Number.NaN;
  const p = r.positionsBohr;
  return Math.hypot(p[3] - p[0], p[4] - p[1], p[5] - p[2]);
}

/** One energy through the dataset stage's label path (the method layer); null when it did not converge. */
async function computeEnergy(atomicNumbers: number[], positionsBohr: number[], multiplicity: number, spec: MethodSpec, what: string): Promise<number | null> {
  const label = await computeLabel({ key: 'baseline', atomicNumbers, positionsBohr, charge: 0, multiplicity, spec, quantities: QUANTITY_BITS.energy });
  if (label.ok) return label.result.energyHartree;
  if (label.errorClass === 'ConvergenceError') return null;
  throw new InputError(`--baseline spin-pair: ${what} with ${JSON.stringify(spec)} failed: ${label.message}`);
}

/** What {@link spinPairBaselineFromLabels} found and computed. */
export interface StoreBaseline {
  settings: SpinPairBaselineSettings;
  fromStore: number;
  computed: number;
}

/**
 * The spin-pair baseline's tables for a model of rung `rung` (spec `rungSpec`) in basis `basis`:
 * for each of the experiment's H₂ distances the singlet of that rung and the triplet (that rung
 * or UHF) from `records` when present, else computed through the method layer (singlet with
 * `rungSpec`, triplet by UHF); the free H atom likewise (that rung or UHF, else UHF). A distance
 * where a computed curve point does not converge is left out, as in the experiment.
 */
export async function spinPairBaselineFromLabels(
  records: readonly DatasetRecord[],
  rung: string,
  rungSpec: MethodSpec,
  basis: string | null,
  log: (line: string) => void = () => {},
): Promise<StoreBaseline> {
  const sameBasis = records.filter((r) => r.basis === basis);
  const find = (distance: number, multiplicity: number, rungs: readonly string[]): number | null => {
    for (const want of rungs) {
      for (const r of sameBasis) {
        if (r.rung === want && r.multiplicity === multiplicity && Math.abs(h2Distance(r) - distance) <= CURVE_DISTANCE_TOLERANCE_BOHR) return r.energyHartree;
      }
    }
    return null;
  };
  const uhf = { method: 'uhf', ...(basis !== null ? { basis } : {}) } as MethodSpec;
  const distances = GENERALISE_BASELINE_DISTANCES_BOHR;
  const singlet: (number | null)[] = distances.map((d) => find(d, 1, [rung]));
  const triplet: (number | null)[] = distances.map((d) => find(d, 3, [rung, 'uhf']));
  const atomRecord = [rung, 'uhf']
    .map((want) => sameBasis.find((r) => r.rung === want && r.atomicNumbers.length === 1 && r.atomicNumbers[0] === 1 && r.charge === 0 && r.multiplicity === 2))
    .find((r) => r !== undefined);
  const fromStore = singlet.filter((e) => e !== null).length + triplet.filter((e) => e !== null).length + (atomRecord ? 1 : 0);
  const missingSinglets = singlet.filter((e) => e === null).length;
  const missingTriplets = triplet.filter((e) => e === null).length;
  const computed = missingSinglets + missingTriplets + (atomRecord ? 0 : 1);
  if (computed > 0) {
    log(
      `the store lacks ${computed} of the ${2 * distances.length + 1} baseline labels: computing ` +
        [
          missingSinglets > 0 ? `${missingSinglets} H2 singlets with ${JSON.stringify(rungSpec)}` : '',
          missingTriplets > 0 ? `${missingTriplets} H2 triplets with ${JSON.stringify(uhf)}` : '',
          atomRecord ? '' : `the H atom with ${JSON.stringify(uhf)}`,
        ]
          .filter((t) => t !== '')
          .join(', ') +
        ' through the method layer',
    );
  }
  const positions = (d: number): number[] => [0, 0, 0, 0, 0, d];
  for (let k = 0; k < distances.length; k++) {
    if (singlet[k] === null) singlet[k] = await computeEnergy([1, 1], positions(distances[k]), 1, rungSpec, `the H2 singlet at ${distances[k]} Bohr`);
    if (triplet[k] === null) triplet[k] = await computeEnergy([1, 1], positions(distances[k]), 3, uhf, `the H2 triplet at ${distances[k]} Bohr`);
  }
  const atom = atomRecord ? atomRecord.energyHartree : await computeEnergy([1], [0, 0, 0], 2, uhf, 'the H atom');
  if (atom === null) throw new InputError('--baseline spin-pair: the UHF energy of the H atom did not converge');
  const keep = distances.map((_, k) => singlet[k] !== null && triplet[k] !== null);
  if (keep.filter(Boolean).length < 3) throw new InputError(`--baseline spin-pair: the H2 curves of rung '${rung}' converged at fewer than 3 distances`);
  return {
    settings: {
      kind: 'spin-pair',
      element: 1,
      atomEnergyHartree: atom,
      distancesBohr: distances.filter((_, k) => keep[k]),
      singletHartree: singlet.filter((_, k) => keep[k]) as number[],
      tripletHartree: triplet.filter((_, k) => keep[k]) as number[],
    },
    fromStore,
    computed,
  };
}

/** Lowest multiplicity of a neutral cluster of n hydrogen atoms (the state the baseline describes). */
const lowestMultiplicity = (n: number): number => (n % 2) + 1;

/**
 * Train a model from a label store and write it (see the file header); returns its summary and
 * the model as trained (before it was written). `log` receives diagnostics (stderr).
 */
export async function trainFromStore(options: TrainCommandOptions, log: (line: string) => void = () => {}): Promise<{ report: TrainReport; model: TrainedModel }> {
  const t0 = performance.now();
  if (options.model !== 'gp' && options.model !== 'nn') throw new InputError(`--model must be gp or nn, not '${options.model}'`);
  const baselineKind = options.baseline ?? 'none';
  if (baselineKind !== 'spin-pair' && baselineKind !== 'none') throw new InputError(`--baseline must be spin-pair or none, not '${baselineKind}'`);
  // the generalisation experiment's settings (spin features, 6 Bohr) suit densely sampled chains, not
  // every store: on a narrow scan they extrapolate worse than symmetry functions at 8 Bohr
  const descriptorKind = options.descriptor ?? 'acsf';
  const cutoffBohr = options.cutoff ?? 8;
  if (descriptorKind !== 'soap' && descriptorKind !== 'acsf' && descriptorKind !== 'spin') {
    throw new InputError(`--descriptor must be acsf, soap or spin, not '${descriptorKind}'`);
  }
  if (descriptorKind === 'spin' && baselineKind !== 'spin-pair') throw new InputError("--descriptor spin is built from the baseline's H2 curves: use it with --baseline spin-pair");
  if (baselineKind === 'spin-pair' && options.deltaFrom !== undefined) {
    throw new InputError('--baseline spin-pair describes total energies and cannot be combined with --delta-from');
  }
  if (options.forces === true && options.model !== 'gp') {
    throw new InputError('--forces is a GP option; the networks train on forces whenever every label has them (--force-weight)');
  }
  const store = openLabelStore(options.db, { readonly: true });
  let examples: TrainingExample[];
  let basis: string | null;
  let lowSpec: JsonValue = null;
  let highRecords: DatasetRecord[];
  const allRecords: DatasetRecord[] = [];
  try {
    const scope = options.campaign !== undefined ? { campaign: options.campaign } : {};
    const high = [...store.iterateLabels({ rung: options.rung, ...scope })];
    if (high.length === 0) throw new InputError(`no labels of rung '${options.rung}' in the store`, { file: options.db });
    basis = commonBasis(high, options.db);
    highRecords = high;
    if (options.deltaFrom !== undefined) {
      const low = [...store.iterateLabels({ rung: options.deltaFrom, ...scope })];
      examples = deltaExamples(high, low);
      if (examples.length === 0) {
        throw new InputError(`no geometry has labels of both '${options.rung}' and '${options.deltaFrom}'`, { file: options.db });
      }
      if (commonBasis(low, options.db) !== basis) throw new InputError('the Δ base rung uses another basis set than the target rung', { file: options.db });
      lowSpec = lowRungSpec(low[0]);
    } else {
      examples = high.map(exampleFromRecord);
    }
    // the baseline's tables can only come from H₂ and H labels
    if (baselineKind === 'spin-pair') for (const r of store.iterateLabels({})) if (r.atomicNumbers.length <= 2) allRecords.push(r);
  } finally {
    store.close();
  }
  let baseline: StoreBaseline | null = null;
  if (baselineKind === 'spin-pair') {
    for (const r of highRecords) {
      for (let a = 0; a < r.atomicNumbers.length; a++) {
        if (r.atomicNumbers[a] !== 1) {
          throw new InputError(
            `--baseline spin-pair covers hydrogen only; the labels of rung '${options.rung}' contain ${elementSymbol(r.atomicNumbers[a])} (use --baseline none)`,
            { file: options.db },
          );
        }
      }
    }
    // the baseline is the lowest spin state of the neutral cluster: other states are left out
    const describable = highRecords.filter((r) => r.charge === 0 && r.multiplicity === lowestMultiplicity(r.atomicNumbers.length));
    if (describable.length < highRecords.length) {
      log(`left out ${highRecords.length - describable.length} labels of rung '${options.rung}' that are charged or not the lowest spin state (the baseline describes neutral ground states)`);
    }
    if (describable.length === 0) throw new InputError(`--baseline spin-pair: no label of rung '${options.rung}' is a neutral lowest-spin state`, { file: options.db });
    examples = describable.map(exampleFromRecord);
    baseline = await spinPairBaselineFromLabels(allRecords, options.rung, lowRungSpec(describable[0]) as unknown as MethodSpec, basis, log);
  }
  let forceLabels = 0;
  if (options.forces === true) {
    forceLabels = examples.filter((e) => e.forcesHartreePerBohr && e.forcesHartreePerBohr.length === 3 * e.atomicNumbers.length).length;
    if (forceLabels === 0) {
      throw new InputError(
        `--forces: no label of rung '${options.rung}'${options.deltaFrom !== undefined ? ` (with '${options.deltaFrom}')` : ''} has forces; label them with 'quantities: [energy, forces]' in the campaign`,
        { file: options.db },
      );
    }
    if (forceLabels < examples.length) log(`--forces: ${forceLabels} of ${examples.length} labels have forces; the others count by their energies alone`);
  }
  const elements = elementsOf(examples);
  const descriptor: DescriptorSettings =
    descriptorKind === 'spin'
      ? defaultSpinCorrelationSettings(baseline!.settings, cutoffBohr)
      : descriptorKind === 'soap'
        ? defaultSoapSettings(elements, cutoffBohr)
        : defaultSymmetryFunctions(elements, cutoffBohr);
  const modelOptions: ModelOptions =
    options.model === 'gp'
      ? {
          kind: 'gp',
          descriptor,
          ...(options.sparsePoints !== undefined ? { sparsePoints: options.sparsePoints } : {}),
          // the baseline holds the free atoms: the process learns the binding remainder over it
          ...(baseline ? { baseline: baseline.settings, referenceEnergiesHartree: { 1: 0 } } : {}),
          ...(options.forces === true ? { useForces: true } : {}),
        }
      : {
          kind: 'nn',
          descriptor,
          seed: options.seed,
          ...(options.hidden ? { hidden: options.hidden } : {}),
          ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
          ...(options.ensemble !== undefined ? { ensemble: options.ensemble } : {}),
          ...(options.forceWeight !== undefined ? { forceWeightBohr2: options.forceWeight } : {}),
          ...(baseline ? { baseline: baseline.settings } : {}),
        };
  const model = trainModel(examples, modelOptions, { rung: options.rung, deltaFrom: options.deltaFrom ?? null, lowRungSpec: lowSpec, basis });
  saveModelFile(options.out, model);
  const fitted = examples.map((e) => predictModel(model, e.atomicNumbers, e.positionsBohr, false).energyHartree);
  const m = errorMetrics(fitted, examples.map((e) => e.energyHartree), examples.map((e) => e.atomicNumbers.length));
  const report: TrainReport = {
    file: options.out,
    kind: options.model,
    rung: options.rung,
    deltaFrom: options.deltaFrom ?? null,
    labels: examples.length,
    elements,
    basis,
    trainingMaeHartree: m.maeHartree,
    trainingMaxHartree: m.maxHartree,
    baseline: baselineKind,
    descriptor: descriptorKind,
    cutoffBohr,
    baselineLabelsFromStore: baseline?.fromStore ?? 0,
    baselineLabelsComputed: baseline?.computed ?? 0,
    forceLabels,
    wallSeconds: (performance.now() - t0) / 1000,
  };
  return { report, model };
}

/** Train and write a model; returns its summary. */
export async function runTrain(options: TrainCommandOptions, log: (line: string) => void = () => {}): Promise<TrainReport> {
  return (await trainFromStore(options, log)).report;
}

/** Build the `train` sub-command. */
export function trainCommand(io: CliIo, _setCode: (code: number) => void): Command {
  const cmd = new Command('train');
  cmd
    .summary('fit a GP or neural-network potential to the labels of a store')
    .description(
      'Read the labels of one rung from a label store (qde campaign), fit a potential on atomic-environment ' +
        'descriptors and write a versioned JSON model file. With --delta-from R0 the model learns the ' +
        'difference to rung R0 on the geometries labelled on both (Δ-learning); qde predict then computes R0 itself.',
    )
    .requiredOption('--db <file>', 'SQLite label store')
    .requiredOption('--rung <R>', "rung of the labels to learn (the method name, e.g. 'fci', 'vqe')")
    .option('--model <gp|nn>', 'gp: sparse Gaussian process; nn: atomic neural networks', 'gp')
    .option('--delta-from <R0>', 'learn rung R minus rung R0')
    .requiredOption('-o, --out <file>', 'model file to write')
    .option('--campaign <name>', 'only the labels of this campaign')
    .option(
      '--descriptor <acsf|soap|spin>',
      "symmetry functions, the SOAP-like power spectrum, or (with --baseline spin-pair) symmetry functions with the baseline's " +
        'spin-correlation features',
      'acsf',
    )
    .option('--cutoff <bohr>', 'descriptor cutoff radius in Bohr', parseNonNegativeNumberOption, 8)
    .option('--sparse-points <M>', 'gp: sparse environments (default 500)', parsePositiveIntegerOption)
    .option('--hidden <widths>', 'nn: hidden layer widths (default 24,24)', parseHidden)
    .option('--epochs <N>', 'nn: passes over the data (default 300)', parsePositiveIntegerOption)
    .option('--ensemble <K>', 'nn: networks in the ensemble (default 1)', parsePositiveIntegerOption)
    .option('--force-weight <bohr2>', 'nn: weight of the force loss (default 1 when every label has forces)', parseNonNegativeNumberOption)
    .option('--seed <N>', 'seed of the network initialisation and batches', parseIntegerOption, 0)
    .option(
      '--baseline <spin-pair|none>',
      'hydrogen (gp or nn): learn the remainder over the spin-pair (Heisenberg) baseline built from H2 singlet and triplet curves ' +
        '(taken from the store where it has them, else computed: singlet on the rung, triplet by UHF), or over free atoms (none)',
      'none',
    )
    .option('--forces', "gp: condition the GP on the rung's force labels too")
    .option('--json', 'print a JSON summary')
    .action(async (options: TrainCommandOptions) => {
      const r = await runTrain(options, (line) => io.stderr(`${line}\n`));
      if (options.json) {
        io.stdout(JSON.stringify(r) + '\n');
        return;
      }
      io.stdout(
        alignedLines([
          ['wrote', r.file],
          ['model', `${r.kind}${r.deltaFrom ? ` (Δ ${r.rung} − ${r.deltaFrom})` : ''}${r.baseline === 'spin-pair' ? ' over the spin-pair baseline' : ''}${r.forceLabels > 0 ? `, ${r.forceLabels} labels with forces` : ''}`],
          ['descriptor', `${r.descriptor}, cutoff ${r.cutoffBohr} Bohr`],
          ['labels', `${r.labels} of rung ${r.rung}${r.basis ? ` / ${r.basis}` : ''}`],
          ['training MAE', `${(1e3 * r.trainingMaeHartree).toFixed(3)} mEh (max ${(1e3 * r.trainingMaxHartree).toFixed(3)} mEh)`],
          ['wall time', `${r.wallSeconds.toFixed(1)} s`],
        ]),
      );
    });
  return cmd;
}
