/**
 * Progress of long runs on stderr: once a calculation has run for a while, one line every few
 * seconds with the step, its iteration and its current energy. Short runs print nothing, so the
 * output of quick commands (and the one-line error contract) is unchanged.
 */
import type { ProgressSink } from '../methods/index.js';
import type { CliIo } from './common.js';

/** Seconds a run may take before it reports, and between two reports (`--progress-every`). */
export const DEFAULT_PROGRESS_SECONDS = 5;

/**
 * A sink that writes `qde: <step> iteration <n>: energy <E> Eh, <detail> (<t> s)` to stderr at most
 * once every `everySeconds`, starting `everySeconds` after it was made (0: every iteration).
 * Returns undefined when `quiet`.
 */
export function progressPrinter(io: CliIo, options: { quiet?: boolean; everySeconds?: number } = {}): ProgressSink | undefined {
  if (options.quiet) return undefined;
  const every = (options.everySeconds ?? DEFAULT_PROGRESS_SECONDS) * 1000;
  const start = performance.now();
  let last = start;
  return (event) => {
    const now = performance.now();
    if (now - last < every) return;
    last = now;
    const energy = event.energyHartree !== null ? `: energy ${event.energyHartree.toFixed(8)} Eh` : '';
    const detail = event.detail !== null ? `, ${event.detail}` : '';
    io.stderr(`qde: ${event.step} iteration ${event.iteration}${energy}${detail} (${((now - start) / 1000).toFixed(0)} s)\n`);
  };
}
