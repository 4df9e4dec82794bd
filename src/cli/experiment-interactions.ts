/**
 * `qde experiment interactions`: train on dimer interaction energies (H2···H2, H2···LiH; FCI labels
 * standing in for quantum labels), predict those of H2 trimers and tetramers against FCI, beside MP2
 * and CCSD run directly. Thin: parse, call runInteractionsExperiment, print.
 */
import { Command } from 'commander';
import { runInteractionsExperiment } from '../loop/index.js';
import { type CliIo, parseIntegerOption, parsePositiveIntegerOption } from './common.js';

function parseNonNegative(value: string): number {
  return value === '0' ? 0 : parsePositiveIntegerOption(value);
}

/** Build the `interactions` sub-command of `qde experiment`. */
export function interactionsCommand(io: CliIo, _setCode: (code: number) => void): Command {
  return new Command('interactions')
    .summary('train on H2···H2 and H2···LiH dimers, predict H2 trimer and tetramer interaction energies against FCI')
    .description(
      'Label dimers H2···H2 and H2···LiH at many separations and orientations with FCI (standing in for ' +
        'quantum labels), train a model on their interaction energies E(cluster) − Σ E(monomers), and ' +
        'predict those of held-out dimers and of H2 trimers and tetramers in several arrangements, against ' +
        'FCI, beside MP2 and CCSD run directly with the same bookkeeping. STO-3G; energies in Hartree.',
    )
    .option('--model <gp|nn>', 'gp: sparse Gaussian process; nn: ensemble of atomic networks', 'gp')
    .option('--h2h2 <N>', 'H2···H2 dimers (a fifth held out; default 100)', parseNonNegative)
    .option('--h2lih <N>', 'H2···LiH dimers (a fifth held out; default 60)', parseNonNegative)
    .option('--clusters <N>', 'test clusters per arrangement (default 3)', parseNonNegative)
    .option('--seed <N>', 'seed of the geometries and the model', parseIntegerOption, 0)
    .option('--json', 'print one JSON object')
    .action(async (o: { model: string; h2h2?: number; h2lih?: number; clusters?: number; seed: number; json?: boolean }) => {
      const report = await runInteractionsExperiment({
        model: o.model as 'gp' | 'nn',
        seed: o.seed,
        ...(o.h2h2 !== undefined ? { h2h2Dimers: o.h2h2 } : {}),
        ...(o.h2lih !== undefined ? { h2lihDimers: o.h2lih } : {}),
        ...(o.clusters !== undefined ? { clustersPerArrangement: o.clusters } : {}),
        log: o.json ? undefined : (line) => io.stderr(`${line}\n`),
      });
      if (o.json) {
        io.stdout(JSON.stringify(report) + '\n');
        return;
      }
      io.stdout(
        `trained on ${report.trainingDimers.h2h2} H2···H2 and ${report.trainingDimers.h2lih} H2···LiH dimers ` +
          `(${report.labelNote}); ${report.model}/${report.descriptor}, ${report.basis}\n`,
      );
      io.stdout('interaction-energy errors against FCI in mEh (MAE / max); |E_int| is the mean FCI interaction energy;\n');
      io.stdout('"pairs" = the sum over monomer pairs of dimer interaction energies (FCI pairs: the many-body part of FCI)\n');
      const cell = (e: { maeHartree: number; maxHartree: number; failed: number }): string =>
        `${(1e3 * e.maeHartree).toFixed(3)} / ${(1e3 * e.maxHartree).toFixed(3)}${e.failed > 0 ? ` (${e.failed} failed)` : ''}`;
      const heads = ['model', 'model, pairs', 'FCI, pairs', 'MP2', 'CCSD'];
      io.stdout(`${'systems'.padEnd(22)}${'n'.padStart(4)}${'|E_int|'.padStart(9)}${heads.map((h) => h.padStart(18)).join('')}\n`);
      for (const r of report.rows) {
        const cells = [r.model, r.modelPairwise, r.fciPairwise, r.mp2, r.ccsd].map((e) => cell(e).padStart(18)).join('');
        io.stdout(`${r.kind.padEnd(22)}${String(r.count).padStart(4)}${(1e3 * r.meanAbsFciHartree).toFixed(3).padStart(9)}${cells}\n`);
      }
      io.stdout(`wall time ${report.wallSeconds.toFixed(0)} s\n`);
    });
}
