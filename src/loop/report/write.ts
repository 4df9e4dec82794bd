/**
 * Write the HTML report of a label store to a file: read the store (read-only), build the page,
 * write it. The output path is checked before any work, so a bad path fails at once with one line.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, fileErrorReason } from '../../core/index.js';
import { type ReportData, type ReportLoop, type ReportTable, readReportData } from './data.js';
import { buildReport } from './html.js';

/** Options of {@link writeReport}. */
export interface WriteReportOptions {
  /** The SQLite label store. */
  dbPath: string;
  /** The HTML file to write. */
  out: string;
  /** Only this campaign's labels. */
  campaign?: string;
  title?: string;
  /** Loop sections to show instead of those read from the store's loop history (null: none). */
  loop?: ReportLoop | null;
  /** Parity plots shown instead of those drawn from the loop history's test-set predictions. */
  parity?: ReportLoop['parity'];
  /** Extra tables shown after the summary. */
  tables?: ReportTable[];
}

/** What {@link writeReport} wrote. */
export interface WriteReportResult {
  path: string;
  labels: number;
  /** Figures in the page. */
  figures: number;
  bytes: number;
}

/** Why `out` cannot be written, checked before the work starts; null when it looks writable. */
export function outputPathProblem(out: string): string | null {
  const path = resolve(out);
  if (existsSync(path) && statSync(path).isDirectory()) return 'it is a directory';
  const dir = dirname(path);
  if (!existsSync(dir)) return `directory ${dir} does not exist`;
  if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
  return null;
}

/** Write the HTML text to `out`; a failure is an InputError naming the file. */
export function writeReportFile(out: string, html: string): void {
  const problem = outputPathProblem(out);
  if (problem !== null) throw new InputError(`cannot write report '${out}': ${problem}`);
  try {
    writeFileSync(out, html);
  } catch (e) {
    throw new InputError(`cannot write report '${out}': ${fileErrorReason(e)}`);
  }
}

/** Read the store, build the report (with the given loop sections and tables) and write it. */
export async function writeReport(options: WriteReportOptions): Promise<WriteReportResult> {
  const problem = outputPathProblem(options.out);
  if (problem !== null) throw new InputError(`cannot write report '${options.out}': ${problem}`);
  const data: ReportData = readReportData(options.dbPath, { ...(options.campaign !== undefined ? { campaign: options.campaign } : {}), ...(options.title !== undefined ? { title: options.title } : {}) });
  if (options.loop !== undefined) data.loop = options.loop;
  if (options.parity !== undefined && options.parity.length > 0) {
    data.loop = { ...(data.loop ?? { parity: [], learningCurve: [], placements: [], placementCoordinate: '', seeds: [] }), parity: options.parity };
  }
  data.tables = options.tables ?? [];
  const html = await buildReport(data);
  writeReportFile(options.out, html);
  return { path: options.out, labels: data.labels.length, figures: (html.match(/<figure /g) ?? []).length, bytes: Buffer.byteLength(html) };
}
