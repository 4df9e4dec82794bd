/**
 * `qde experiment generalise`: does a model trained on small molecules generalise to larger ones?
 *
 * Training set: H4 and H6 chains (linear, zig-zag, dimerised and randomly bent; bonds 0.7–2.2 Å),
 * labelled on every rung of the ladder (HF, MP2, CCSD, and FCI standing in for quantum labels: on
 * the exact backend VQE/ADAPT-VQE converge to FCI, and FCI costs far less to compute here). Test set:
 * irregular bent H8, H10 and H12 chains (bonds 0.8–2.0 Å) the models never saw, with FCI as truth.
 * The same model is trained on each rung's labels (the ladder comparison), and on FCI − HF
 * (Δ-learning: predicted FCI = HF + Δ); CCSD and MP2 run directly on the test chains are the
 * baselines. STO-3G throughout; energies in Hartree.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { ConvergenceError, Random } from '../core/index.js';
import { type Molecule, hydrogenChains } from '../chem/index.js';
import type { ChainSamplerSpec } from '../chem/index.js';
import { type MethodName, runMethod } from '../methods/index.js';
import {
  type DescriptorSettings,
  type ModelOptions,
  type ParityPoint,
  type TrainedModel,
  type TrainingExample,
  defaultSoapSettings,
  defaultSymmetryFunctions,
  learningCurve,
  learningCurveSvg,
  parityPlotSvg,
  predictModel,
  saveModelFile,
  trainModel,
} from '../ml/index.js';
import { type CliIo, parseIntegerOption, parsePositiveIntegerOption } from './common.js';
import { interactionsCommand } from './experiment-interactions.js';

/** The rungs labelled on the training set, cheapest first. */
export const EXPERIMENT_RUNGS: readonly MethodName[] = ['hf', 'mp2', 'ccsd', 'fci'];

/** Options of {@link runGeneraliseExperiment}. */
export interface GeneraliseOptions {
  /** Training chains per size and shape (default 40: 320 labels per rung). */
  trainPerShape?: number;
  /** Test chains per size (default [8, 8, 3] for H8, H10, H12). */
  testCounts?: readonly number[];
  /** Test chain sizes (default [8, 10, 12]). */
  testSizes?: readonly number[];
  model?: 'gp' | 'nn';
  descriptor?: 'acsf' | 'soap';
  seed?: number;
  /** Write one model file per training rung here. */
  saveModelDir?: string;
  /** Write the SVG plots here. */
  plotDir?: string;
  /** Progress lines (stderr). */
  log?: (line: string) => void;
}

/** Errors on one test size. */
export interface SizeErrors {
  atoms: number;
  /** Test molecules with a number. */
  count: number;
  /** Test molecules where the direct method did not converge (direct rows only). */
  failed: number;
  maeHartree: number;
  maxHartree: number;
  maePerAtomHartree: number;
}

/** One row of the experiment: a model (or a direct method) and its errors per test size. */
export interface ExperimentRow {
  /** 'model' for learned models, 'direct' for a method run on the test chains. */
  kind: 'model' | 'direct';
  /** Rung of the training labels (model) or the method run (direct). */
  rung: string;
  /** Δ models: the rung the learned difference is added to. */
  deltaFrom: string | null;
  /** Name of the saved model file, when saved. */
  modelFile: string | null;
  perSize: SizeErrors[];
  /** Each test molecule's energy by this row (model prediction or direct method), Hartree, in test order (null: not converged). */
  predictedHartree: (number | null)[];
  /** Each test molecule's error (predicted − FCI), Hartree, in test order (null: not converged). */
  errorsHartree: (number | null)[];
}

/** The `--json` report. */
export interface GeneraliseReport {
  experiment: 'generalise';
  basis: string;
  labelNote: string;
  model: string;
  descriptor: DescriptorSettings['kind'];
  trainingLabelsPerRung: number;
  /** Training geometries left out because a rung did not converge on them. */
  droppedTrainingGeometries: number;
  /** Test geometries left out because HF or FCI did not converge on them. */
  droppedTestGeometries: number;
  trainingAtoms: number[];
  testSizes: number[];
  testCounts: number[];
  /** FCI energy of each test molecule kept, Hartree, in test order. */
  testFciHartree: number[];
  /** Index of each kept test molecule among the generated test chains (testChains order). */
  testIndices: number[];
  rows: ExperimentRow[];
  /** The FCI-label model trained on the first N training chains: errors over all test chains, Hartree. */
  learningCurve: { trainingLabels: number; maeHartree: number; maxHartree: number }[];
  wallSeconds: number;
}

const BASIS = 'sto-3g';

/** Training chains: H4 and H6 in four shapes. */
export function trainingChains(perShape: number, seed: number): Molecule[] {
  const out: Molecule[] = [];
  let k = 0;
  for (const atoms of [4, 6]) {
    const specs: ChainSamplerSpec[] = [
      { kind: 'chain', atoms, shape: 'linear', count: perShape, bondAngstrom: [0.7, 2.2] },
      { kind: 'chain', atoms, shape: 'zigzag', count: perShape, bondAngstrom: [0.7, 2.2], angleDegrees: [100, 180] },
      { kind: 'chain', atoms, shape: 'dimerised', count: perShape, bondAngstrom: [0.7, 2.2], secondBondAngstrom: [0.7, 2.2] },
      { kind: 'chain', atoms, shape: 'bent', count: perShape, bondAngstrom: [0.7, 2.2], angleDegrees: [100, 180] },
    ];
    for (const spec of specs) out.push(...hydrogenChains(spec, seed + 101 * k++));
  }
  return out;
}

/** Test chains: irregular bent H_n (bonds 0.8–2.0 Å). */
export function testChains(sizes: readonly number[], counts: readonly number[], seed: number): Molecule[] {
  const out: Molecule[] = [];
  sizes.forEach((atoms, k) => {
    out.push(...hydrogenChains({ kind: 'chain', atoms, shape: 'bent', count: counts[k], bondAngstrom: [0.8, 2.0], angleDegrees: [110, 180] }, seed + 7919 + k));
  });
  return out;
}

/** Energies of one rung; null where the method did not converge (stretched chains defeat CCSD). */
async function label(molecules: readonly Molecule[], rung: MethodName): Promise<(number | null)[]> {
  const out: (number | null)[] = [];
  for (const m of molecules) {
    try {
      out.push((await runMethod(m, { method: rung, basis: BASIS })).energyHartree);
    } catch (e) {
      if (!(e instanceof ConvergenceError)) throw e;
      out.push(null);
    }
  }
  return out;
}

/** Keep the molecules (and their labels) where every listed rung has a number. */
function complete(molecules: Molecule[], labels: Map<MethodName, (number | null)[]>, rungs: readonly MethodName[]): { kept: Molecule[]; labels: Map<MethodName, (number | null)[]>; dropped: number } {
  const keep = molecules.map((_, k) => rungs.every((r) => labels.get(r)![k] !== null));
  const out = new Map<MethodName, (number | null)[]>();
  for (const [r, v] of labels) out.set(r, v.filter((_, k) => keep[k]));
  const kept = molecules.filter((_, k) => keep[k]);
  return { kept, labels: out, dropped: molecules.length - kept.length };
}

function sizeErrors(test: readonly Molecule[], errors: readonly (number | null)[], sizes: readonly number[]): SizeErrors[] {
  return sizes.map((atoms) => {
    const idx = test.map((m, k) => (m.atomicNumbers.length === atoms ? k : -1)).filter((k) => k >= 0);
    const abs = idx.filter((k) => errors[k] !== null).map((k) => Math.abs(errors[k]!));
    const mae = abs.length > 0 ? abs.reduce((s, v) => s + v, 0) / abs.length : Number.NaN;
    return {
      atoms,
      count: abs.length,
      failed: idx.length - abs.length,
      maeHartree: mae,
      maxHartree: abs.length > 0 ? Math.max(...abs) : Number.NaN,
      maePerAtomHartree: mae / atoms,
    };
  });
}

/** Run the experiment (see the file header). */
export async function runGeneraliseExperiment(options: GeneraliseOptions = {}): Promise<GeneraliseReport> {
  const t0 = performance.now();
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 0;
  const sizes = options.testSizes ?? [8, 10, 12];
  const counts = options.testCounts ?? [8, 8, 3];
  const trainAll = trainingChains(options.trainPerShape ?? 40, seed);
  const testAll = testChains(sizes, counts, seed);
  const trainRaw = new Map<MethodName, (number | null)[]>();
  for (const rung of EXPERIMENT_RUNGS) {
    log(`labelling ${trainAll.length} training chains with ${rung}`);
    trainRaw.set(rung, await label(trainAll, rung));
  }
  const testRaw = new Map<MethodName, (number | null)[]>();
  for (const rung of EXPERIMENT_RUNGS) {
    log(`labelling ${testAll.length} test chains with ${rung}`);
    testRaw.set(rung, await label(testAll, rung));
  }
  // a training geometry needs every rung (the ladder comparison uses the same geometries); a test
  // geometry needs HF and FCI, and a direct rung that fails there is counted as failed
  const trainSet = complete(trainAll, trainRaw, EXPERIMENT_RUNGS);
  const testSet = complete(testAll, testRaw, ['hf', 'fci']);
  const train = trainSet.kept;
  const test = testSet.kept;
  const trainLabels = trainSet.labels as Map<MethodName, number[]>;
  const testLabels = testSet.labels;
  const truth = testLabels.get('fci')! as number[];
  const modelKind = options.model ?? 'gp';
  const descriptor: DescriptorSettings =
    options.descriptor === 'soap' ? defaultSoapSettings([1], 7) : defaultSymmetryFunctions([1], 7, 10);
  const modelOptions: ModelOptions =
    modelKind === 'gp' ? { kind: 'gp', descriptor, noiseFloorsHartree: [1e-4, 1e-3, 3e-3, 1e-2] } : { kind: 'nn', descriptor, seed, ensemble: 3 };
  const rows: ExperimentRow[] = [];
  const parity: ParityPoint[] = [];

  const fitAndScore = (rung: string, deltaFrom: MethodName | null): void => {
    const high = trainLabels.get(rung as MethodName)!;
    const low = deltaFrom ? trainLabels.get(deltaFrom)! : null;
    const examples: TrainingExample[] = train.map((m, k) => ({
      atomicNumbers: m.atomicNumbers,
      positionsBohr: m.positionsBohr,
      energyHartree: high[k] - (low ? low[k] : 0),
      standardErrorHartree: 0,
    }));
    log(`training ${modelKind} on ${rung}${deltaFrom ? ` − ${deltaFrom}` : ''} (${examples.length} labels)`);
    const model: TrainedModel = trainModel(examples, modelOptions, {
      rung,
      deltaFrom,
      lowRungSpec: deltaFrom ? { method: deltaFrom, basis: BASIS } : null,
      basis: BASIS,
    });
    const base = deltaFrom ? (testLabels.get(deltaFrom)! as number[]) : null;
    const predicted = test.map((m, k) => predictModel(model, m.atomicNumbers, m.positionsBohr, false).energyHartree + (base ? base[k] : 0));
    const errors = predicted.map((p, k) => p - truth[k]);
    const name = deltaFrom ? `${rung}-delta-${deltaFrom}` : rung;
    let modelFile: string | null = null;
    if (options.saveModelDir) {
      mkdirSync(options.saveModelDir, { recursive: true });
      modelFile = join(options.saveModelDir, `${name}.model.json`);
      saveModelFile(modelFile, model);
    }
    rows.push({ kind: 'model', rung, deltaFrom, modelFile, perSize: sizeErrors(test, errors, sizes), predictedHartree: predicted, errorsHartree: errors });
    test.forEach((m, k) => parity.push({ referenceHartree: truth[k], predictedHartree: predicted[k], series: `${name} H${m.atomicNumbers.length}` }));
  };

  for (const rung of [...EXPERIMENT_RUNGS].reverse()) fitAndScore(rung, null);
  fitAndScore('fci', 'hf');
  // learning curve of the FCI-label model: the first N training chains of a seeded shuffle (all sizes and shapes mixed)
  const fciTrain = trainLabels.get('fci')!;
  const order = train.map((_, k) => k);
  const shuffle = new Random(seed + 17);
  for (let i = order.length - 1; i > 0; i--) {
    const j = shuffle.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const curveSizes = [...new Set([40, 80, 160, train.length].filter((n) => n <= train.length))];
  const curve = learningCurve(
    order,
    test.map((_, k) => k),
    curveSizes,
    (idx) => {
      const examples = idx.map((k) => ({ atomicNumbers: train[k].atomicNumbers, positionsBohr: train[k].positionsBohr, energyHartree: fciTrain[k], standardErrorHartree: 0 }));
      const model = trainModel(examples, modelOptions);
      return (k) => predictModel(model, test[k].atomicNumbers, test[k].positionsBohr, false).energyHartree;
    },
    (k) => truth[k],
    (k) => test[k].atomicNumbers.length,
  ).map((p) => ({ trainingLabels: p.trainingSize, maeHartree: p.metrics.maeHartree, maxHartree: p.metrics.maxHartree }));
  for (const rung of ['ccsd', 'mp2'] as const) {
    const direct = testLabels.get(rung)!;
    const errors = direct.map((e, k) => (e === null ? null : e - truth[k]));
    rows.push({ kind: 'direct', rung, deltaFrom: null, modelFile: null, perSize: sizeErrors(test, errors, sizes), predictedHartree: direct, errorsHartree: errors });
  }
  if (options.plotDir) {
    mkdirSync(options.plotDir, { recursive: true });
    for (const series of ['fci', 'fci-delta-hf', 'ccsd']) {
      const pts = parity.filter((p) => p.series.startsWith(`${series} `));
      writeFileSync(join(options.plotDir, `parity-${series}.svg`), await parityPlotSvg(pts, `trained on H4/H6 ${series} labels, tested on longer chains against FCI`));
    }
    const perAtom = rows.flatMap((r) =>
      r.perSize.map((s) => ({ trainingSize: s.atoms, errorMilliHartree: Math.max(1e-3, 1e3 * s.maeHartree), series: `${r.kind === 'direct' ? 'direct ' : ''}${r.deltaFrom ? `${r.rung}-Δ-${r.deltaFrom}` : r.rung}` })),
    );
    writeFileSync(
      join(options.plotDir, 'learning-curve-fci.svg'),
      await learningCurveSvg(curve.map((p) => ({ trainingSize: p.trainingLabels, errorMilliHartree: 1e3 * p.maeHartree, series: 'FCI labels, all test chains' })), 'MAE against FCI on the test chains by training labels'),
    );
    writeFileSync(join(options.plotDir, 'mae-by-size.svg'), await learningCurveSvg(perAtom, 'MAE against FCI by chain length (x: atoms)'));
  }
  return {
    experiment: 'generalise',
    basis: BASIS,
    labelNote: 'fci labels stand in for quantum labels (VQE/ADAPT-VQE on the exact backend reach FCI)',
    model: modelKind,
    descriptor: descriptor.kind,
    trainingLabelsPerRung: train.length,
    droppedTrainingGeometries: trainSet.dropped,
    droppedTestGeometries: testSet.dropped,
    trainingAtoms: [4, 6],
    testSizes: [...sizes],
    testCounts: [...counts],
    testFciHartree: truth,
    testIndices: testAll.map((m, k) => (test.includes(m) ? k : -1)).filter((k) => k >= 0),
    rows,
    learningCurve: curve,
    wallSeconds: (performance.now() - t0) / 1000,
  };
}

function parseList(value: string): number[] {
  return value.split(',').map((s) => parsePositiveIntegerOption(s));
}

/** Build the `experiment` command with its `generalise` sub-command. */
export function experimentCommand(io: CliIo, _setCode: (code: number) => void): Command {
  const cmd = new Command('experiment').summary('experiments with learned models on quantum labels');
  cmd
    .command('generalise')
    .summary('train on H4/H6 chains, test on H8/H10/H12 against FCI, for every rung of the ladder')
    .description(
      'Label H4 and H6 chains with HF, MP2, CCSD and FCI (FCI stands in for quantum labels), train the same ' +
        'model on each rung and on FCI − HF (Δ-learning), and test on irregular H8, H10 and H12 chains ' +
        'against FCI, beside CCSD and MP2 run directly. STO-3G.',
    )
    .option('--model <gp|nn>', 'gp: sparse Gaussian process; nn: ensemble of atomic networks', 'gp')
    .option('--descriptor <acsf|soap>', 'descriptor', 'acsf')
    .option('--train-per-shape <N>', 'training chains per size and shape (default 40)', parsePositiveIntegerOption)
    .option('--test-sizes <list>', 'test chain lengths (default 8,10,12)', parseList)
    .option('--test-counts <list>', 'test chains per length (default 8,8,3)', parseList)
    .option('--seed <N>', 'seed of the geometries and networks', parseIntegerOption, 0)
    .option('--save-model <dir>', 'write DIR/<rung>.model.json per training rung')
    .option('--plots <dir>', 'write parity plots and errors by size as SVG')
    .option('--json', 'print one JSON object')
    .action(async (o: { model: 'gp' | 'nn'; descriptor: 'acsf' | 'soap'; trainPerShape?: number; testSizes?: number[]; testCounts?: number[]; seed: number; saveModel?: string; plots?: string; json?: boolean }) => {
      const sizes = o.testSizes ?? [8, 10, 12];
      const counts = o.testCounts ?? (o.testSizes ? sizes.map(() => 4) : [8, 8, 3]);
      const report = await runGeneraliseExperiment({
        model: o.model,
        descriptor: o.descriptor,
        seed: o.seed,
        testSizes: sizes,
        testCounts: counts.length === sizes.length ? counts : sizes.map((_, k) => counts[Math.min(k, counts.length - 1)]),
        ...(o.trainPerShape !== undefined ? { trainPerShape: o.trainPerShape } : {}),
        ...(o.saveModel !== undefined ? { saveModelDir: o.saveModel } : {}),
        ...(o.plots !== undefined ? { plotDir: o.plots } : {}),
        log: o.json ? undefined : (line) => io.stderr(`${line}\n`),
      });
      if (o.json) {
        io.stdout(JSON.stringify(report) + '\n');
        return;
      }
      io.stdout(`trained on ${report.trainingLabelsPerRung} H4/H6 labels per rung (${report.labelNote}); ${report.model}/${report.descriptor}, ${report.basis}\n`);
      io.stdout(`errors against FCI in mEh (MAE / max) by test chain:\n`);
      io.stdout(`${'source'.padEnd(22)}${sizes.map((n) => `H${n}`.padStart(18)).join('')}\n`);
      for (const r of report.rows) {
        const name = r.kind === 'direct' ? `${r.rung} run directly` : r.deltaFrom ? `model on ${r.rung} − ${r.deltaFrom}` : `model on ${r.rung}`;
        io.stdout(`${name.padEnd(22)}${r.perSize.map((s) => `${(1e3 * s.maeHartree).toFixed(2)} / ${(1e3 * s.maxHartree).toFixed(2)}`.padStart(18)).join('')}\n`);
      }
      io.stdout(`wall time ${report.wallSeconds.toFixed(0)} s\n`);
    });
  cmd.addCommand(interactionsCommand(io, _setCode));
  return cmd;
}
