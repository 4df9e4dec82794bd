/**
 * The campaign runner: enqueue a campaign's jobs in the label store, then compute every pending one
 * on a worker-thread pool (piscina) and store each label — or the failure and its reason — as it
 * arrives.
 *
 * Resume: a job marked running when the runner starts belongs to a run that died; it goes back to
 * pending. Done jobs are never recomputed, so a killed campaign restarted with the same file picks
 * up where it stopped. At most `workers` jobs are being computed, so at most that many are lost to
 * a crash. Each worker thread has a thread budget of 1 (worker.ts): pools never nest.
 *
 * Task delivery: the pool posts each task to its worker as an ordinary message, so every task runs
 * in a turn of the worker's event loop of its own (piscina's default blocks the worker in
 * Atomics.wait between tasks and runs every task inside one never-ending microtask checkpoint).
 * V8 keeps the targets of WeakRefs created or dereferenced during a turn alive until the turn ends,
 * and runs its own housekeeping tasks (finishing incremental marking, freeing compiler data) between
 * turns; in one endless turn the worker's heap grew by about 200 kB a label (10 → 48 MB over the
 * shipped LiH/H₂O campaign), and every major collection marked all of it again.
 *
 * Order: the pending jobs go out longest first (estimated from their sizes, job-cost.ts), so the run
 * ends on short jobs and no worker idles while another finishes a long one. The order never changes
 * a label: each is computed from its own geometry and spec alone.
 *
 * Dispatch keeps one job waiting in the pool's queue per worker besides the one it computes, so a
 * worker starts its next job the moment it finishes one instead of waiting while this thread stores
 * the label and dispatches again (the wait is about a millisecond a label; it matters for small
 * labels). A shot budget turns this off: shots are known only when a label arrives, and a waiting
 * job would be computed past the budget. Waiting jobs are marked running like computing ones and,
 * when a stop cancels them, go back to pending with them.
 *
 * Budgets: `maxLabels` (labels stored for the campaign, counting earlier runs) and `maxShots`
 * (measurement shots of those labels) stop dispatching new jobs and let the jobs in flight finish;
 * `maxWallSeconds` (this run) and an abort signal stop at once: jobs in flight are cancelled and
 * go back to pending. Either way the store is consistent and the campaign can be resumed.
 */
import { performance } from 'node:perf_hooks';
import { Piscina } from 'piscina';
import { InputError, threadBudget } from '../core/index.js';
import { QDE_VERSION } from '../version.js';
import type { Campaign } from './campaign.js';
import type { LabelOutcome, LabelTask } from './label.js';
import { longestFirstOrder } from './job-cost.js';
import { type CampaignProgress, silentProgress } from './progress.js';
import { type LabelStore, type RungCounts, type StoredJob, openLabelStore } from './store.js';

/** Options of {@link runCampaign}. */
export interface RunCampaignOptions {
  /** The SQLite file of the label store (created when missing). */
  dbPath: string;
  /** Worker threads (default: the thread budget, threadBudget()). */
  workers?: number;
  /** Retry jobs that failed in an earlier run (default false: a failure is final). */
  retryFailed?: boolean;
  /** Progress display (default: none). */
  progress?: CampaignProgress;
  /** Stops the run like an exhausted wall-time budget. */
  signal?: AbortSignal;
  /** Called after each label or failure is stored. */
  onOutcome?: (outcome: LabelOutcome) => void;
  /**
   * Order in which pending jobs are dispatched: 'longest-first' (default; largest estimated cost
   * first, see job-cost.ts) or 'file' (the campaign's order). Labels do not depend on it.
   */
  order?: 'longest-first' | 'file';
}

/** Why a run stopped. */
export type StopReason = 'complete' | 'maxLabels' | 'maxShots' | 'maxWallSeconds' | 'aborted';

/** Summary of one run of a campaign (the `--json` output of `qde campaign run`). */
export interface CampaignRunReport {
  campaign: string;
  db: string;
  workers: number;
  /** Jobs of the campaign (after removing duplicates). */
  jobs: number;
  /** Jobs done before this run started (including jobs shared with other campaigns). */
  alreadyDone: number;
  /** Jobs left running by a dead run and reset to pending. */
  resumed: number;
  /** Labels stored by this run. */
  labels: number;
  /** Failures recorded by this run. */
  failed: number;
  /** Jobs still pending when the run stopped. */
  pending: number;
  stopReason: StopReason;
  wallSeconds: number;
  /** Sum of the jobs' own wall times (the computation, in the workers), seconds. */
  computeSeconds: number;
  /** Labels per second of wall time. */
  labelsPerSecond: number;
  /** Counts per rung over the whole campaign after the run. */
  rungs: RungCounts[];
  qdeVersion: string;
}

/** The worker module: TypeScript when running from source, JavaScript when built. */
function workerFile(): string {
  return new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url).href;
}

/** The worker task of a stored job. */
export function taskOf(job: StoredJob): LabelTask {
  return {
    key: job.key,
    atomicNumbers: job.atomicNumbers,
    positionsBohr: job.positionsBohr,
    charge: job.charge,
    multiplicity: job.multiplicity,
    spec: job.spec,
    quantities: job.quantities,
  };
}

/** Pending jobs in the order they are dispatched (see the file header). */
export function dispatchOrder(jobs: StoredJob[], order: 'longest-first' | 'file'): StoredJob[] {
  if (order === 'file') return jobs;
  return longestFirstOrder(jobs).map((i) => jobs[i]!);
}

/** Refuse to start while another live process on this host runs the same campaign on the same store. */
function requireNoLiveRun(store: LabelStore, campaign: string): void {
  const rows = store.db
    .prepare('SELECT id, pid, host FROM runs WHERE campaign = ? AND finished IS NULL')
    .all(campaign) as { id: number; pid: number; host: string }[];
  for (const r of rows) {
    if (r.host !== store.host || r.pid === process.pid) continue;
    let alive = true;
    try {
      process.kill(r.pid, 0);
    } catch (e) {
      alive = (e as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (alive) throw new InputError(`campaign '${campaign}' is already running in process ${r.pid} on ${store.path}`);
    store.finishRun(r.id, 'died');
  }
}

/** How a campaign run is being stopped: the reason it ends with, and a signal raised when it must stop now. */
export interface CampaignStop {
  /** Why the run ends ('complete' until a budget, the wall-time limit or an abort says otherwise). */
  reason: StopReason;
  /** Raised on abort or when the wall-time budget runs out. */
  readonly signal: AbortSignal;
  /** Stop now (the reason is left as set). */
  abort(): void;
  /** Detach from the caller's signal and clear the wall-time timer. */
  dispose(): void;
}

/**
 * The stop control shared by the local runner and the queue coordinator: the caller's abort
 * signal ends the run as 'aborted', the wall-time budget as 'maxWallSeconds'.
 */
export function campaignStop(signal: AbortSignal | undefined, maxWallSeconds: number | undefined): CampaignStop {
  const controller = new AbortController();
  const stop: CampaignStop = {
    reason: 'complete',
    signal: controller.signal,
    abort: () => controller.abort(),
    dispose: () => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
  const onAbort = () => {
    if (stop.reason === 'complete') stop.reason = 'aborted';
    controller.abort();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  const timer =
    maxWallSeconds !== undefined
      ? setTimeout(() => {
          if (stop.reason === 'complete') stop.reason = 'maxWallSeconds';
          controller.abort();
        }, maxWallSeconds * 1000)
      : undefined;
  timer?.unref();
  return stop;
}

/**
 * Run (or resume) a campaign: store its jobs, compute the pending ones on a worker pool, store each
 * label with its job's status in one transaction, and stop when done, at a budget or on abort.
 * An unusable database path throws an InputError before any job is computed.
 */
export async function runCampaign(campaign: Campaign, options: RunCampaignOptions): Promise<CampaignRunReport> {
  const workers = options.workers ?? threadBudget();
  if (!Number.isInteger(workers) || workers < 1) throw new InputError(`workers must be a positive integer, got ${workers}`);
  const store = openLabelStore(options.dbPath);
  const progress = options.progress ?? silentProgress;
  const t0 = performance.now();
  let runId: number | undefined;
  let pool: Piscina | undefined;
  try {
    requireNoLiveRun(store, campaign.name);
    // start the workers now: they load the library while the jobs are being stored; no more threads
    // than jobs (each thread costs about half a CPU-second to start, more from TypeScript sources)
    if (campaign.jobs.length > 0 && !options.signal?.aborted) {
      const threads = Math.min(workers, campaign.jobs.length);
      // tasks arrive as messages, each in its own event-loop turn (see the file header)
      pool = new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 1000, atomics: 'disabled' });
    }
    store.upsertCampaign(campaign.name, campaign.file, campaign.config, campaign.seed);
    const resumed = store.resetRunning(campaign.name);
    store.addJobs(campaign.name, campaign.jobs, options.retryFailed === true);
    runId = store.startRun(campaign.name);

    const all = store.campaignJobs(campaign.name);
    const pending = dispatchOrder(all.filter((j) => j.status === 'pending'), options.order ?? 'longest-first');
    const alreadyDone = all.filter((j) => j.status === 'done').length;
    const perRung = new Map<string, { total: number; done: number; failed: number }>();
    for (const j of all) {
      const r = perRung.get(j.rung) ?? { total: 0, done: 0, failed: 0 };
      r.total++;
      if (j.status === 'done') r.done++;
      if (j.status === 'failed') r.failed++;
      perRung.set(j.rung, r);
    }
    const budgets = campaign.budgets;
    let { labels: storedLabels, shots: storedShots } = store.campaignTotals(campaign.name);
    let labels = 0;
    let failed = 0;
    let computeSeconds = 0;

    const stop = campaignStop(options.signal, budgets.maxWallSeconds);
    // one job waiting per worker (see the file header), none under a shot budget
    const maxInFlight = budgets.maxShots !== undefined ? workers : 2 * workers;

    progress.start(new Map([...perRung].map(([rung, c]) => [rung, { total: c.total, done: c.done + c.failed }])));
    if (pending.length > 0 && pool !== undefined && !stop.signal.aborted) {
      const inFlight = new Map<string, Promise<void>>();
      let next = 0;
      const budgetReached = (): boolean => {
        if (budgets.maxLabels !== undefined && storedLabels + inFlight.size >= budgets.maxLabels) {
          stop.reason = 'maxLabels';
          return true;
        }
        if (budgets.maxShots !== undefined && storedShots >= budgets.maxShots) {
          stop.reason = 'maxShots';
          return true;
        }
        return false;
      };
      const finish = (job: StoredJob, outcome: LabelOutcome): void => {
        const counts = perRung.get(job.rung)!;
        computeSeconds += outcome.wallSeconds;
        if (outcome.ok) {
          store.writeLabel(job.key, {
            result: outcome.result,
            forcesHartreePerBohr: outcome.forcesHartreePerBohr,
            forcesMethod: outcome.forcesMethod,
            dipoleAu: outcome.dipoleAu,
            wallSeconds: outcome.wallSeconds,
            qdeVersion: QDE_VERSION,
          });
          labels++;
          storedLabels++;
          storedShots += 'shots' in outcome.result && typeof outcome.result.shots === 'number' ? outcome.result.shots : 0;
          counts.done++;
        } else {
          store.writeFailure(job.key, outcome.errorClass, outcome.message);
          failed++;
          counts.failed++;
        }
        progress.update(job.rung, counts.done + counts.failed, counts.failed);
        options.onOutcome?.(outcome);
      };
      const dispatch = (job: StoredJob): void => {
        store.markRunning(job.key);
        const p = (pool!.run(taskOf(job), { signal: stop.signal }) as Promise<LabelOutcome>).then(
          (outcome) => finish(job, outcome),
          (e: unknown) => {
            // cancelled by a stop: the job goes back to pending for the next run
            if (stop.signal.aborted) return;
            // the worker died (out of memory, a native crash): record it and go on
            const err = e instanceof Error ? e : new Error(String(e));
            finish(job, { ok: false, key: job.key, errorClass: err.name || 'Error', message: err.message, wallSeconds: 0 });
          },
        );
        inFlight.set(
          job.key,
          p.finally(() => inFlight.delete(job.key)),
        );
      };
      while (true) {
        while (next < pending.length && inFlight.size < maxInFlight && !stop.signal.aborted && !budgetReached()) {
          dispatch(pending[next++]!);
        }
        if (inFlight.size === 0) break;
        await Promise.race(inFlight.values());
      }
      if (stop.signal.aborted) store.resetRunning(campaign.name);
    }
    stop.dispose();
    progress.stop();
    const wallSeconds = (performance.now() - t0) / 1000;
    const status = store.status(campaign.name);
    store.finishRun(runId, stop.reason);
    return {
      campaign: campaign.name,
      db: options.dbPath,
      workers,
      jobs: all.length,
      alreadyDone,
      resumed,
      labels,
      failed,
      pending: status.totals.pending,
      stopReason: stop.reason,
      wallSeconds,
      computeSeconds,
      labelsPerSecond: wallSeconds > 0 ? labels / wallSeconds : 0,
      rungs: status.rungs,
      qdeVersion: QDE_VERSION,
    };
  } catch (e) {
    progress.stop();
    if (runId !== undefined) store.finishRun(runId, 'error');
    throw e;
  } finally {
    if (pool !== undefined) await pool.destroy();
    store.close();
  }
}
