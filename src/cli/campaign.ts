/**
 * `qde campaign run FILE` and `qde campaign status`: run or resume a campaign into a SQLite label
 * store, and report what a store holds.
 */
import { Command } from 'commander';
import { REDIS_URL_ENV, loadCampaignFile, openLabelStore, redisUrlFrom, runCampaign, runCampaignOnQueue, terminalProgress } from '../dataset/index.js';
import type { CampaignRunReport, StoreStatus } from '../dataset/index.js';
import { threadBudget } from '../core/index.js';
import { type CliIo, alignedLines, parsePositiveIntegerOption } from './common.js';

/** Default label database of the `campaign` commands. */
export const DEFAULT_DB = 'data.sqlite';

interface RunOptions {
  db: string;
  workers?: number;
  retryFailed?: boolean;
  json?: boolean;
  queue?: string | true;
}

interface StatusOptions {
  db: string;
  campaign?: string;
  json?: boolean;
}

function rungTable(rows: StoreStatus['rungs']): string {
  const header = ['rung', 'jobs', 'done', 'failed', 'pending', 'running'];
  const cells = rows.map((r) => [r.rung, String(r.total), String(r.done), String(r.failed), String(r.pending), String(r.running)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  return [line(header), ...cells.map(line)].join('\n') + '\n';
}

function runText(r: CampaignRunReport): string {
  const stopped =
    r.stopReason === 'complete' ? 'complete' : r.stopReason === 'aborted' ? 'interrupted (resume with the same command)' : `budget ${r.stopReason} reached (raise it to continue)`;
  return (
    alignedLines([
      ['campaign', `${r.campaign} → ${r.db}`],
      ['jobs', `${r.jobs} (${r.alreadyDone} done before this run${r.resumed > 0 ? `, ${r.resumed} resumed after a crash` : ''})`],
      ['this run', `${r.labels} labels, ${r.failed} failed, ${r.pending} pending; ${r.workers} workers`],
      ['stopped', stopped],
      ['wall time', `${r.wallSeconds.toFixed(1)} s (${r.labelsPerSecond.toFixed(2)} labels/s; ${r.computeSeconds.toFixed(1)} s computing)`],
    ]) + rungTable(r.rungs)
  );
}

function statusText(s: StoreStatus): string {
  const lines: [string, string][] = [
    ['database', s.path],
    ['campaigns', s.campaigns.length === 0 ? 'none' : s.campaigns.map((c) => `${c.name} (${c.done}/${c.jobs} done)`).join(', ')],
    ['geometries', String(s.geometries)],
    ['labels', `${s.labels}${s.shots > 0 ? ` (${s.shots} shots)` : ''}`],
  ];
  let text = alignedLines(lines) + rungTable([...s.rungs, s.totals]);
  if (s.failures.length > 0) {
    text += 'recent failures:\n' + s.failures.map((f) => `  ${f.rung} ${f.job.slice(0, 12)}: ${f.errorClass}: ${f.message}`).join('\n') + '\n';
  }
  return text;
}

/** Build the `campaign` command with its `run` and `status` sub-commands. */
export function campaignCommand(io: CliIo, setCode: (code: number) => void): Command {
  const cmd = new Command('campaign').summary('run a labelling campaign into a SQLite store, or show its status');
  cmd.description(
    'Run a campaign file (YAML or JSON: molecules, geometry samplers, method specs, quantities, budgets) on a ' +
      'worker-thread pool into a SQLite label store, or report what a store holds. Jobs are keyed by a content ' +
      'hash of geometry, method spec and seed: a killed run resumes where it stopped and nothing is computed twice.',
  );
  cmd
    .command('run')
    .summary('run or resume a campaign')
    .argument('<file>', 'campaign file (.yaml, .yml or .json)')
    .option('--db <file>', 'SQLite label store (created when missing)', DEFAULT_DB)
    .option('--workers <N>', `worker threads (default: the thread budget, here ${threadBudget()})`, parsePositiveIntegerOption)
    .option('--retry-failed', 'compute again the jobs that failed in earlier runs')
    .option('--json', 'print the run summary as JSON')
    .option('--queue [url]', `spread the jobs over qde worker processes through Redis (redis://[user:password@]host:port[/db], rediss:// for TLS; default $${REDIS_URL_ENV})`)
    .action(async (file: string, options: RunOptions) => {
      const campaign = loadCampaignFile(file);
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        const common = {
          dbPath: options.db,
          retryFailed: options.retryFailed === true,
          progress: options.json ? undefined : terminalProgress(),
          signal: controller.signal,
        };
        if (options.queue !== undefined) {
          const report = await runCampaignOnQueue(campaign, { ...common, url: redisUrlFrom(options.queue), log: (line) => io.stderr(`qde campaign: ${line}\n`) });
          const where = alignedLines([['queue', `${report.queueName} on ${report.queue}; labels from ${report.hosts.join(', ') || 'no host'}`]]);
          io.stdout(options.json ? JSON.stringify(report) + '\n' : runText(report) + where);
        } else {
          const report = await runCampaign(campaign, { ...common, workers: options.workers });
          io.stdout(options.json ? JSON.stringify(report) + '\n' : runText(report));
        }
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
      setCode(0);
    });
  cmd
    .command('status')
    .summary('counts per rung, campaigns and recent failures of a label store')
    .option('--db <file>', 'SQLite label store', DEFAULT_DB)
    .option('--campaign <name>', 'only this campaign')
    .option('--json', 'print the status as JSON')
    .action((options: StatusOptions) => {
      const store = openLabelStore(options.db, { readonly: true });
      try {
        const status = store.status(options.campaign);
        io.stdout(options.json ? JSON.stringify(status) + '\n' : statusText(status));
      } finally {
        store.close();
      }
      setCode(0);
    });
  return cmd;
}
