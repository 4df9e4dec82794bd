/**
 * `qde dataset export` and `qde dataset card`: write the labels of a SQLite label store in the
 * formats of the field (extended XYZ for ASE, JSON lines, Parquet, an FCIDUMP per geometry), or a
 * Markdown dataset card with an energy-distribution plot.
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { Command, Option } from 'commander';
import { InputError, fileErrorReason } from '../core/index.js';
import {
  type DatasetRecord,
  type ExportSummary,
  type LabelStore,
  datasetCard,
  exportExtXyz,
  exportFcidumps,
  exportJsonLines,
  exportParquet,
  openLabelStore,
} from '../dataset/index.js';
import { DEFAULT_DB } from './campaign.js';
import { type CliIo, alignedLines } from './common.js';

/** Export formats of `qde dataset export`. */
export const EXPORT_FORMATS = ['extxyz', 'jsonl', 'parquet', 'fcidump'] as const;
/** An export format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

interface ExportOptions {
  db: string;
  format: ExportFormat;
  out: string;
  rung?: string;
  campaign?: string;
  json?: boolean;
}

interface CardOptions {
  db: string;
  out: string;
  rung?: string;
  campaign?: string;
  title?: string;
  json?: boolean;
}

/** Summary of `qde dataset export` (its `--json` output). */
export interface DatasetExportReport extends ExportSummary {
  format: ExportFormat;
  db: string;
  wallSeconds: number;
  /** fcidump: geometries whose Hamiltonian could not be built, with the reason. */
  skipped?: { geometryKey: string; basis: string | null; reason: string }[];
}

function labels(store: LabelStore, options: { rung?: string; campaign?: string }): Iterable<DatasetRecord> {
  return store.iterateLabels({
    ...(options.rung !== undefined ? { rung: options.rung } : {}),
    ...(options.campaign !== undefined ? { campaign: options.campaign } : {}),
  });
}

/** Run `qde dataset export` without printing. */
export async function runDatasetExport(options: ExportOptions): Promise<DatasetExportReport> {
  const start = performance.now();
  const store = openLabelStore(options.db, { readonly: true });
  let summary: ExportSummary & { skipped?: DatasetExportReport['skipped'] };
  try {
    const records = labels(store, options);
    switch (options.format) {
      case 'extxyz':
        summary = exportExtXyz(records, options.out);
        break;
      case 'jsonl':
        summary = exportJsonLines(records, options.out);
        break;
      case 'parquet':
        summary = await exportParquet(records, options.out);
        break;
      case 'fcidump':
        summary = exportFcidumps(records, options.out);
        break;
      default:
        throw new InputError(`unknown export format '${String(options.format)}' (use ${EXPORT_FORMATS.join(', ')})`);
    }
  } finally {
    store.close();
  }
  return { ...summary, format: options.format, db: options.db, wallSeconds: (performance.now() - start) / 1000 };
}

/** The plot file written beside a card: `card.md` → `card-energy.svg`. */
export function cardPlotPath(out: string): string {
  return join(dirname(out), `${basename(out, extname(out))}-energy.svg`);
}

/** Build the `dataset` command with its `export` and `card` sub-commands. */
export function datasetCommand(io: CliIo, setCode: (code: number) => void): Command {
  const cmd = new Command('dataset').summary('export the labels of a SQLite label store, or write its dataset card');
  cmd.description(
    'Export the labels of a label store (written by `qde campaign run`) as extended XYZ (read by ASE: energy in eV, ' +
      'forces in eV/Å, the Hartree values, error bars and provenance as info keys), JSON lines or Parquet (atomic ' +
      'units), or an FCIDUMP per geometry; or summarise them in a Markdown dataset card with an energy plot.',
  );
  cmd
    .command('export')
    .summary('write the labels as extxyz, jsonl, parquet or one FCIDUMP per geometry')
    .option('--db <file>', 'SQLite label store', DEFAULT_DB)
    .addOption(new Option('--format <format>', 'output format').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .requiredOption('--out <path>', 'output file (a directory for fcidump)')
    .option('--rung <rung>', "only this rung (a method name: 'hf', 'fci', 'vqe', …)")
    .option('--campaign <name>', 'only the labels of this campaign')
    .option('--json', 'print the export summary as JSON')
    .action(async (options: ExportOptions) => {
      const report = await runDatasetExport(options);
      if (options.json) io.stdout(JSON.stringify(report) + '\n');
      else {
        io.stdout(
          alignedLines([
            ['format', report.format],
            ['written', `${report.path} (${report.files} file${report.files === 1 ? '' : 's'})`],
            ['labels', String(report.records)],
            ['wall time', `${report.wallSeconds.toFixed(2)} s`],
          ]),
        );
        for (const s of report.skipped ?? []) io.stdout(`skipped geometry ${s.geometryKey.slice(0, 12)} (${s.basis ?? 'no basis'}): ${s.reason}\n`);
      }
      setCode(0);
    });
  cmd
    .command('card')
    .summary('write a Markdown dataset card and its energy-distribution plot (SVG)')
    .option('--db <file>', 'SQLite label store', DEFAULT_DB)
    .option('--out <file>', 'Markdown file; the plot goes beside it as <name>-energy.svg', 'card.md')
    .option('--rung <rung>', 'only this rung')
    .option('--campaign <name>', 'only the labels of this campaign')
    .option('--title <text>', 'card title (default: the database name)')
    .option('--json', 'print the card summary as JSON')
    .action(async (options: CardOptions) => {
      const plot = cardPlotPath(options.out);
      const store = openLabelStore(options.db, { readonly: true });
      let card;
      try {
        card = await datasetCard(labels(store, options), { title: options.title ?? `Dataset ${basename(options.db)}`, plotFileName: basename(plot), source: options.db });
      } finally {
        store.close();
      }
      for (const [path, text] of [[options.out, card.markdown], [plot, card.svg]] as const) {
        try {
          writeFileSync(path, text);
        } catch (e) {
          throw new InputError(`cannot write '${path}': ${fileErrorReason(e)}`);
        }
      }
      if (options.json) io.stdout(JSON.stringify({ card: options.out, plot, ...card.summary }) + '\n');
      else io.stdout(alignedLines([['card', options.out], ['plot', plot], ['labels', String(card.summary.labels)], ['geometries', String(card.summary.geometries)]]));
      setCode(0);
    });
  return cmd;
}
