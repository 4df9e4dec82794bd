/**
 * `qde report`: a self-contained HTML report of a label store — summary, dissociation curves per
 * rung with error bars, cost per rung, and the loop's parity plots, learning curves and placements
 * when the store holds a loop history. Thin: parse, call writeReport, print where it went.
 */
import { Command } from 'commander';
import { writeReport } from '../loop/index.js';
import { DEFAULT_DB } from './campaign.js';
import { type CliIo, alignedLines } from './common.js';

interface ReportOptions {
  db: string;
  out: string;
  campaign?: string;
  title?: string;
  json?: boolean;
}

/** Build the `report` command. */
export function reportCommand(io: CliIo, setCode: (code: number) => void): Command {
  return new Command('report')
    .summary('write a self-contained HTML report of a label store (plots inline, nothing fetched)')
    .description(
      'Write one HTML file with inline CSS and SVG figures: a summary with provenance, energy curves along each scan ' +
        'per rung with ±2σ error bars, labels/shots/seconds per rung, and — when the store holds an active-learning ' +
        'history — parity plots, learning curves against labels and shots, and where the labels were placed.',
    )
    .option('--db <file>', 'SQLite label store', DEFAULT_DB)
    .requiredOption('--out <file>', 'HTML file to write')
    .option('--campaign <name>', 'only the labels of this campaign')
    .option('--title <text>', 'report title (default: the campaign or database name)')
    .option('--json', 'print what was written as JSON')
    .action(async (options: ReportOptions) => {
      const r = await writeReport({
        dbPath: options.db,
        out: options.out,
        ...(options.campaign !== undefined ? { campaign: options.campaign } : {}),
        ...(options.title !== undefined ? { title: options.title } : {}),
      });
      if (options.json) io.stdout(JSON.stringify(r) + '\n');
      else io.stdout(alignedLines([['report', r.path], ['labels', String(r.labels)], ['figures', String(r.figures)], ['size', `${(r.bytes / 1024).toFixed(0)} KiB`]]));
      setCode(0);
    });
}
