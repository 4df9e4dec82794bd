/**
 * The memory budget every large calculation is checked against before it allocates, and how sizes
 * are written in messages.
 */
import { totalmem } from 'node:os';
import { InputError, ResourceError } from './errors.js';

/** Fraction of the machine's memory a calculation may use unless told otherwise. */
export const DEFAULT_MEMORY_FRACTION = 0.8;

/** The default memory limit: {@link DEFAULT_MEMORY_FRACTION} of the machine's memory, in bytes. */
export function defaultMemoryLimitBytes(): number {
  // totalmem() is a system call; it is asked for before every job, and the machine's memory is fixed
  machineMemoryBytes ??= totalmem();
  return DEFAULT_MEMORY_FRACTION * machineMemoryBytes;
}
let machineMemoryBytes: number | undefined;

/** Bytes as a short figure with a decimal unit (`1.2 GB`, `35 TB`). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} B`;
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  if (value >= 1000) return `${bytes.toExponential(1)} B`;
  return `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ${units[unit]}`;
}

/**
 * Parse a memory size as written on a command line or in a file: a number of bytes with an
 * optional decimal or binary unit (`16GB`, `512 MiB`, `2e9`).
 * @throws InputError naming `what` for anything else.
 */
export function parseMemorySize(text: string, what = 'memory size'): number {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?\s*$/i.exec(text);
  if (!m) throw new InputError(`${what}: expected a size such as 16GB or 512MiB, got '${text}'`);
  const factors: Record<string, number> = {
    b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
  };
  const bytes = Number(m[1]) * factors[(m[2] ?? 'b').toLowerCase()]!;
  if (!(bytes > 0) || !Number.isFinite(bytes)) throw new InputError(`${what}: must be a positive size, got '${text}'`);
  return bytes;
}

/**
 * Refuse work whose estimated peak exceeds the limit.
 * @throws ResourceError with the estimate, the limit and the machine's memory in the message.
 */
export function requireMemoryBytes(what: string, estimateBytes: number, limitBytes: number, hint = ''): void {
  if (estimateBytes <= limitBytes) return;
  throw new ResourceError(
    `${what} needs about ${formatBytes(estimateBytes)} of memory, more than the limit of ${formatBytes(limitBytes)} ` +
      `(this machine has ${formatBytes(totalmem())}; raise the limit with --max-memory${hint ? `, or ${hint}` : ''})`,
    { estimateBytes, limitBytes },
  );
}
