/**
 * The campaign's progress bars on stderr (cli-progress): one bar per rung with done/total, failures
 * and an ETA. Quiet unless the stream is a terminal, so logs and pipes stay clean. cli-progress is
 * required only when bars are drawn on a terminal.
 */
import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';

/** Receives the runner's counts. */
export interface CampaignProgress {
  /** Jobs to do per rung this run (`done` of them already done before it started). */
  start(rungs: ReadonlyMap<string, { total: number; done: number }>): void;
  /** A job of `rung` finished (a label or a failure). */
  update(rung: string, done: number, failed: number): void;
  stop(): void;
}

/** Progress that prints nothing. */
export const silentProgress: CampaignProgress = { start() {}, update() {}, stop() {} };

/** Bars on `stream` (default stderr); silent when the stream is not a TTY. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): CampaignProgress {
  if (!stream.isTTY) return silentProgress;
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof cliProgressModule;
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: ' {rung} [{bar}] {value}/{total} labels, {failed} failed | ETA {eta_formatted}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgressModule.SingleBar>();
  return {
    start(rungs) {
      const width = Math.max(...[...rungs.keys()].map((r) => r.length));
      for (const [rung, { total, done }] of rungs) bars.set(rung, multi.create(total, done, { rung: rung.padEnd(width), failed: 0 }));
    },
    update(rung, done, failed) {
      bars.get(rung)?.update(done, { failed });
    },
    stop() {
      multi.stop();
    },
  };
}
