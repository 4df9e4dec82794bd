/**
 * `qde worker --queue URL`: compute the jobs of every campaign run through a Redis queue
 * (`qde campaign run FILE --queue URL`) on this machine, until interrupted.
 */
import { Command } from 'commander';
import { threadBudget } from '../core/index.js';
import { DEFAULT_STALLED_SECONDS, REDIS_URL_ENV, redisUrlFrom, runQueueWorker } from '../dataset/index.js';
import { type CliIo, alignedLines, parseNonNegativeNumberOption, parsePositiveIntegerOption } from './common.js';

interface WorkerOptions {
  queue?: string | true;
  concurrency?: number;
  stalledSeconds?: number;
  quiet?: boolean;
  json?: boolean;
}

/** Build the `worker` command. */
export function workerCommand(io: CliIo, setCode: (code: number) => void): Command {
  const cmd = new Command('worker').summary('compute the jobs of campaigns run through a Redis queue, on this machine');
  cmd.description(
    'Serve every campaign queue on a Redis server: take jobs, compute their labels with the method layer and ' +
      'hand them back to the coordinator (qde campaign run FILE --queue URL). Runs until interrupted (Ctrl-C ' +
      'finishes the jobs in hand; a second Ctrl-C leaves at once and the jobs go to other workers). ' +
      `The URL may carry credentials (redis://user:password@host:port/db, rediss:// for TLS) or come from ${REDIS_URL_ENV}; ` +
      'they are never printed.',
  );
  cmd
    .option('--queue [url]', `Redis URL (default: $${REDIS_URL_ENV})`)
    .option('--concurrency <N>', `jobs computed at once, one thread each (default: the thread budget, here ${threadBudget()})`, parsePositiveIntegerOption)
    .option(
      '--stalled-seconds <s>',
      `seconds after which a job of a dead worker goes to another (lock duration and stalled check; default ${DEFAULT_STALLED_SECONDS})`,
      parseNonNegativeNumberOption,
    )
    .option('--quiet', 'no line per job on stderr')
    .option('--json', 'print a summary as JSON when stopped')
    .action(async (options: WorkerOptions) => {
      const url = redisUrlFrom(options.queue);
      const controller = new AbortController();
      let interrupts = 0;
      const onSignal = () => {
        interrupts++;
        if (interrupts === 1) {
          io.stderr('qde worker: finishing the jobs in hand (interrupt again to leave now)\n');
          controller.abort();
        } else {
          process.exit(130);
        }
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const report = await runQueueWorker({
          url,
          concurrency: options.concurrency,
          stalledSeconds: options.stalledSeconds,
          signal: controller.signal,
          log: options.quiet ? undefined : (line) => io.stderr(`qde worker: ${line}\n`),
        });
        io.stdout(
          options.json
            ? JSON.stringify(report) + '\n'
            : alignedLines([
                ['queue', report.queue],
                ['host', `${report.host} (${report.concurrency} threads)`],
                ['computed', `${report.labels} labels, ${report.failed} failed in ${report.wallSeconds.toFixed(1)} s`],
              ]),
        );
      } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
      setCode(0);
    });
  return cmd;
}
