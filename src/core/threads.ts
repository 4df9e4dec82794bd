/**
 * One process-wide thread budget for every worker pool (ERI quartets, FCI σ), so that a caller that
 * runs several processes side by side can give each one thread and pools never nest.
 *
 * Resolution order: the value set with {@link setThreadBudget}, else the environment variable
 * QDE_THREADS (a positive integer), else os.availableParallelism(). A pool uses at most the budget
 * counting the calling thread, i.e. budget − 1 workers; a budget of 1 means no workers at all.
 */
import { availableParallelism } from 'node:os';
import { InputError } from './errors.js';

let override: number | undefined;
/** Cores this process may run on (asked once: the GEMM asks for the budget on every product). */
const cores = Math.max(1, availableParallelism());

function checkThreads(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new InputError(`${what}: thread budget must be a positive integer, got ${value}`);
  return value;
}

/** Threads this process may use (including the calling thread); always ≥ 1. */
export function threadBudget(): number {
  if (override !== undefined) return override;
  const env = process.env.QDE_THREADS;
  if (env !== undefined && env.trim() !== '') {
    const v = Number(env.trim());
    return checkThreads(v, `environment QDE_THREADS = "${env}"`);
  }
  return cores;
}

/** Set the budget for this process (undefined returns to QDE_THREADS / the core count). */
export function setThreadBudget(threads: number | undefined): void {
  override = threads === undefined ? undefined : checkThreads(threads, 'setThreadBudget');
}

/**
 * Block the calling thread until `cells[index]` reaches at least `target` (workers counting
 * themselves done, or echoing a generation). Returns false once `progress[progressIndex]` (a count
 * of finished work items; it may be `cells[index]` itself) has stood still for a whole wait of
 * `stallLimitMs`: a worker that dies mid-item never counts itself done, and a blocked thread cannot
 * hear its exit event. Each wait is on the value just checked: a store and notify that land between
 * the check and the wait then end the wait at once, where a wait on a value loaded afresh would sleep
 * through them for the whole limit.
 */
export function waitUntilAtLeast(
  cells: Int32Array,
  index: number,
  target: number,
  progress: Int32Array,
  progressIndex: number,
  stallLimitMs: number,
): boolean {
  let finished = Atomics.load(progress, progressIndex);
  for (let seen = Atomics.load(cells, index); seen < target; seen = Atomics.load(cells, index)) {
    if (Atomics.wait(cells, index, seen, stallLimitMs) !== 'timed-out') continue;
    const f = Atomics.load(progress, progressIndex);
    if (f === finished) return Atomics.load(cells, index) >= target;
    finished = f;
  }
  return true;
}
