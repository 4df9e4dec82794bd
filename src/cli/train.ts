/**
 * `qde train`: fit a GP or neural-network potential to the labels of one rung in a label store
 * (optionally the difference to a lower rung, Δ-learning) and write a model file.
 */
import { Command, InvalidArgumentError } from 'commander';
import { InputError } from '../core/index.js';
import { type DatasetRecord, type JsonValue, openLabelStore } from '../dataset/index.js';
import {
  type DescriptorSettings,
  type ModelOptions,
  type TrainingExample,
  defaultSoapSettings,
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
  descriptor: string;
  cutoff: number;
  sparsePoints?: number;
  hidden?: number[];
  epochs?: number;
  ensemble?: number;
  forceWeight?: number;
  seed: number;
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

/** Train and write a model; returns its summary. */
export function runTrain(options: TrainCommandOptions): TrainReport {
  const t0 = performance.now();
  if (options.model !== 'gp' && options.model !== 'nn') throw new InputError(`--model must be gp or nn, not '${options.model}'`);
  const store = openLabelStore(options.db, { readonly: true });
  let examples: TrainingExample[];
  let basis: string | null;
  let lowSpec: JsonValue = null;
  try {
    const scope = options.campaign !== undefined ? { campaign: options.campaign } : {};
    const high = [...store.iterateLabels({ rung: options.rung, ...scope })];
    if (high.length === 0) throw new InputError(`no labels of rung '${options.rung}' in the store`, { file: options.db });
    basis = commonBasis(high, options.db);
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
  } finally {
    store.close();
  }
  const elements = elementsOf(examples);
  const descriptor: DescriptorSettings =
    options.descriptor === 'soap' ? defaultSoapSettings(elements, options.cutoff) : defaultSymmetryFunctions(elements, options.cutoff);
  if (options.descriptor !== 'soap' && options.descriptor !== 'acsf') throw new InputError(`--descriptor must be acsf or soap, not '${options.descriptor}'`);
  const modelOptions: ModelOptions =
    options.model === 'gp'
      ? { kind: 'gp', descriptor, ...(options.sparsePoints !== undefined ? { sparsePoints: options.sparsePoints } : {}) }
      : {
          kind: 'nn',
          descriptor,
          seed: options.seed,
          ...(options.hidden ? { hidden: options.hidden } : {}),
          ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
          ...(options.ensemble !== undefined ? { ensemble: options.ensemble } : {}),
          ...(options.forceWeight !== undefined ? { forceWeightBohr2: options.forceWeight } : {}),
        };
  const model = trainModel(examples, modelOptions, { rung: options.rung, deltaFrom: options.deltaFrom ?? null, lowRungSpec: lowSpec, basis });
  saveModelFile(options.out, model);
  const fitted = examples.map((e) => predictModel(model, e.atomicNumbers, e.positionsBohr, false).energyHartree);
  const m = errorMetrics(fitted, examples.map((e) => e.energyHartree), examples.map((e) => e.atomicNumbers.length));
  return {
    file: options.out,
    kind: options.model,
    rung: options.rung,
    deltaFrom: options.deltaFrom ?? null,
    labels: examples.length,
    elements,
    basis,
    trainingMaeHartree: m.maeHartree,
    trainingMaxHartree: m.maxHartree,
    wallSeconds: (performance.now() - t0) / 1000,
  };
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
    .option('--descriptor <acsf|soap>', 'symmetry functions or the SOAP-like power spectrum', 'acsf')
    .option('--cutoff <bohr>', 'descriptor cutoff radius in Bohr', parseNonNegativeNumberOption, 8)
    .option('--sparse-points <M>', 'gp: sparse environments (default 500)', parsePositiveIntegerOption)
    .option('--hidden <widths>', 'nn: hidden layer widths (default 24,24)', parseHidden)
    .option('--epochs <N>', 'nn: passes over the data (default 300)', parsePositiveIntegerOption)
    .option('--ensemble <K>', 'nn: networks in the ensemble (default 1)', parsePositiveIntegerOption)
    .option('--force-weight <bohr2>', 'nn: weight of the force loss (default 1 when every label has forces)', parseNonNegativeNumberOption)
    .option('--seed <N>', 'seed of the network initialisation and batches', parseIntegerOption, 0)
    .option('--json', 'print a JSON summary')
    .action((options: TrainCommandOptions) => {
      const r = runTrain(options);
      if (options.json) {
        io.stdout(JSON.stringify(r) + '\n');
        return;
      }
      io.stdout(
        alignedLines([
          ['wrote', r.file],
          ['model', `${r.kind}${r.deltaFrom ? ` (Δ ${r.rung} − ${r.deltaFrom})` : ''}`],
          ['labels', `${r.labels} of rung ${r.rung}${r.basis ? ` / ${r.basis}` : ''}`],
          ['training MAE', `${(1e3 * r.trainingMaeHartree).toFixed(3)} mEh (max ${(1e3 * r.trainingMaxHartree).toFixed(3)} mEh)`],
          ['wall time', `${r.wallSeconds.toFixed(1)} s`],
        ]),
      );
    });
  return cmd;
}
