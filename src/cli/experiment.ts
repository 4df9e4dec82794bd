/**
 * `qde experiment generalise`: train on systems of at most six atoms (H4/H6 fragments of long
 * chains, or whole H4/H6 chains), test on H8, H10 and H12 chains against FCI, for every rung of the
 * ladder and for Δ models. The experiment itself lives in the loop stage
 * (`runGeneraliseExperiment`); this file parses, calls it and prints.
 */
import { Command, InvalidArgumentError } from 'commander';
import { GENERALISE_TEST_COUNTS, GENERALISE_TEST_SIZES, type GeneraliseDescriptor, runGeneraliseExperiment } from '../loop/index.js';
import { type CliIo, parseIntegerOption, parsePositiveIntegerOption } from './common.js';
import { interactionsCommand } from './experiment-interactions.js';

function parseList(value: string): number[] {
  return value.split(',').map((s) => parsePositiveIntegerOption(s));
}

function parseTraining(value: string): 'fragments' | 'chains' {
  if (value !== 'fragments' && value !== 'chains') throw new InvalidArgumentError(`expected 'fragments' or 'chains', got '${value}'`);
  return value;
}

function parseBaseline(value: string): 'spin-pair' | 'hubbard' | 'none' {
  if (value !== 'spin-pair' && value !== 'hubbard' && value !== 'none') throw new InvalidArgumentError(`expected 'spin-pair', 'hubbard' or 'none', got '${value}'`);
  return value;
}

function parseSelection(value: string): 'uniform' | 'uncertainty' {
  if (value !== 'uniform' && value !== 'uncertainty') throw new InvalidArgumentError(`expected 'uniform' or 'uncertainty', got '${value}'`);
  return value;
}

function parseOnSite(value: string): number {
  const x = Number(value);
  if (!Number.isFinite(x) || x <= 0) throw new InvalidArgumentError(`expected a positive energy in Hartree, got '${value}'`);
  return x;
}

function parseCutoff(value: string): number {
  const x = Number(value);
  if (!Number.isFinite(x) || x <= 0) throw new InvalidArgumentError(`expected a positive length in Bohr, got '${value}'`);
  return x;
}

/** Build the `experiment` command with its `generalise` sub-command. */
export function experimentCommand(io: CliIo, _setCode: (code: number) => void): Command {
  const cmd = new Command('experiment').summary('experiments with learned models on quantum labels');
  cmd
    .command('generalise')
    .summary('train on ≤ 6-atom systems, test on H8/H10/H12 against FCI, for every rung of the ladder')
    .description(
      'Label H4 and H6 fragments cut from long irregular chains (or whole H4/H6 chains) with HF, MP2, CCSD ' +
        'and FCI (FCI stands in for quantum labels), train the same model on each rung and on FCI − HF and ' +
        'FCI − MP2 (Δ-learning), and test on irregular H8, H10 and H12 chains against FCI, beside CCSD and ' +
        'MP2 run directly. STO-3G.',
    )
    .option('--training <fragments|chains>', 'fragments: H4/H6 segments of bent H12 chains; chains: whole H4/H6 chains in four shapes', parseTraining, 'fragments')
    .option('--training-labels <N>', 'fragments: training geometries (default 550 with the spin-pair baseline, 600 without)', parsePositiveIntegerOption)
    .option('--selection <uniform|uncertainty>', 'fragments: half at random starts and half where the FCI-label GP is least certain (active learning, default), or all at random starts', parseSelection)
    .option('--forces', 'label the training geometries with forces too and train on energies and forces (the default, except with --vqe-labels)')
    .option('--no-forces', 'label and train on energies alone')
    .option(
      '--baseline <spin-pair|hubbard|none>',
      'learn the remainder over the spin-pair (Heisenberg) baseline from H2 curves (default), over the Hubbard baseline from the same curves (exact solution: slow beyond 10 atoms), or over free atoms',
      parseBaseline,
    )
    .option('--on-site <hartree>', 'hubbard: on-site energy U in Hartree (default 8)', parseOnSite)
    .option('--model <gp|nn>', 'nn: atomic networks (two layers of 64) over the baseline, on energies and forces; gp: sparse Gaussian process over the same; the GP chooses the pieces either way', 'nn')
    .option('--descriptor <acsf|soap|spin>', 'symmetry functions, the SOAP-like power spectrum, or symmetry functions with spin-correlation features of the baseline (default spin over a baseline, acsf with --baseline none)')
    .option('--cutoff <bohr>', 'descriptor cutoff radius in Bohr (default 6; 7 was the former default)', parseCutoff)
    .option('--train-per-shape <N>', 'chains: training chains per size and shape (default 40)', parsePositiveIntegerOption)
    .option('--test-sizes <list>', 'test chain lengths (default 8,10,12)', parseList)
    .option('--test-counts <list>', 'test chains per length (default 8,8,8; 4 each with --test-sizes)', parseList)
    .option('--vqe-labels', 'also label the training set with VQE (UCCSD, exact backend) and train on those quantum labels')
    .option('--seed <N>', 'seed of the geometries and networks', parseIntegerOption, 0)
    .option('--save-model <dir>', 'write DIR/<rung>.model.json per training rung')
    .option('--plots <dir>', 'write parity plots and errors by size as SVG')
    .option('--json', 'print one JSON object')
    .action(async (o: { training: 'fragments' | 'chains'; trainingLabels?: number; selection?: 'uniform' | 'uncertainty'; baseline?: 'spin-pair' | 'hubbard' | 'none'; onSite?: number; forces?: boolean; cutoff?: number; model: 'gp' | 'nn'; descriptor?: GeneraliseDescriptor; trainPerShape?: number; testSizes?: number[]; testCounts?: number[]; seed: number; vqeLabels?: boolean; saveModel?: string; plots?: string; json?: boolean }) => {
      const sizes = o.testSizes ?? GENERALISE_TEST_SIZES;
      const counts = o.testCounts ?? (o.testSizes ? sizes.map(() => 4) : GENERALISE_TEST_COUNTS);
      const report = await runGeneraliseExperiment({
        training: o.training,
        model: o.model,
        descriptor: o.descriptor,
        seed: o.seed,
        vqeLabels: o.vqeLabels === true,
        testSizes: sizes,
        testCounts: counts.length === sizes.length ? counts : sizes.map((_, k) => counts[Math.min(k, counts.length - 1)]),
        ...(o.trainPerShape !== undefined ? { trainPerShape: o.trainPerShape } : {}),
        ...(o.trainingLabels !== undefined ? { trainingLabels: o.trainingLabels } : {}),
        ...(o.cutoff !== undefined ? { cutoffBohr: o.cutoff } : {}),
        ...(o.selection !== undefined ? { selection: o.selection } : {}),
        ...(o.baseline !== undefined ? { baseline: o.baseline } : {}),
        ...(o.onSite !== undefined ? { onSiteHartree: o.onSite } : {}),
        ...(o.forces !== undefined ? { forces: o.forces } : {}),
        ...(o.saveModel !== undefined ? { saveModelDir: o.saveModel } : {}),
        ...(o.plots !== undefined ? { plotDir: o.plots } : {}),
        log: o.json ? undefined : (line) => io.stderr(`${line}\n`),
      });
      if (o.json) {
        io.stdout(JSON.stringify(report) + '\n');
        return;
      }
      io.stdout(
        `trained on ${report.trainingLabelsPerRung} H4/H6 ${report.training} per rung (${report.labelNote}); ` +
          `${report.model}/${report.descriptor}, cutoff ${report.cutoffBohr} Bohr, ${report.forces ? 'energies and forces' : 'energies'}, ${report.basis}\n`,
      );
      io.stdout(`errors against FCI in mEh (MAE / max) by test chain:\n`);
      io.stdout(`${'source'.padEnd(24)}${sizes.map((n) => `H${n}`.padStart(18)).join('')}\n`);
      for (const r of report.rows) {
        const name = r.rung === 'fci-windows' ? 'fci on 6-atom windows' : r.kind === 'direct' ? `${r.rung} run directly` : r.deltaFrom ? `model on ${r.rung} − ${r.deltaFrom}` : `model on ${r.rung}`;
        io.stdout(`${name.padEnd(24)}${r.perSize.map((s) => `${(1e3 * s.maeHartree).toFixed(2)} / ${(1e3 * s.maxHartree).toFixed(2)}`.padStart(18)).join('')}\n`);
      }
      io.stdout(`wall time ${report.wallSeconds.toFixed(0)} s\n`);
    });
  cmd.addCommand(interactionsCommand(io, _setCode));
  return cmd;
}
