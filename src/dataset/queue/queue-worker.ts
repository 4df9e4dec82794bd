/**
 * The queue worker: serves every campaign queue listed in the registry of a Redis server, computing
 * each job with the same function and worker-thread module as the local runner (computeLabel in
 * ../worker.ts, thread budget 1 per thread, so concurrency × threads ≤ cores with the default
 * concurrency of the thread budget) and returning the label with the host that computed it.
 *
 * Queues: the registry set is read at start, whenever a coordinator announces a change on the
 * registry channel (so an idle worker joins a new campaign at once), and every `discoverySeconds`
 * as a fallback.
 *
 * Faults: a worker that dies mid-job stops renewing the job's lock; after `stalledSeconds` another
 * worker's stalled check puts the job back in the queue (at most MAX_STALLED_COUNT times, then it
 * is a failure). A calculation that fails is deterministic and becomes a failure at once
 * (UnrecoverableError); a worker thread that crashes is retried JOB_ATTEMPTS times with back-off.
 */
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Job, Worker } from 'bullmq';
import { Piscina } from 'piscina';
import { InputError, threadBudget } from '../../core/index.js';
import { QDE_VERSION } from '../../version.js';
import type { LabelOutcome } from '../label.js';
import { checkRedis, connectionOptions, redisErrorText } from './connection.js';
import { loadBullmq, loadIoredis } from './libraries.js';
import { MAX_STALLED_COUNT, QUEUE_REGISTRY_CHANNEL, QUEUE_REGISTRY_KEY, type QueueJobData, type QueueJobResult, encodeFailure } from './protocol.js';
import { parseRedisUrl } from './redis-url.js';

/** Default time after which a job whose worker stopped answering is handed to another, seconds. */
export const DEFAULT_STALLED_SECONDS = 30;

/** Options of {@link runQueueWorker}. */
export interface QueueWorkerOptions {
  /** redis:// or rediss:// URL (credentials allowed; never printed). */
  url: string;
  /** Jobs computed at once, each on its own thread (default: the thread budget). */
  concurrency?: number;
  /** Lock duration and stalled-check interval, seconds (default {@link DEFAULT_STALLED_SECONDS}). */
  stalledSeconds?: number;
  /** How often the registry of campaign queues is read, seconds (default 2). */
  discoverySeconds?: number;
  /** Stops the worker: it takes no new job and finishes the ones it holds. */
  signal?: AbortSignal;
  /** One line per event (job done, job failed, queue joined, connection trouble); never a secret. */
  log?: (line: string) => void;
}

/** Summary of a worker's life. */
export interface QueueWorkerReport {
  /** The Redis URL without credentials. */
  queue: string;
  host: string;
  concurrency: number;
  labels: number;
  failed: number;
  wallSeconds: number;
}

/** The local runner's worker-thread module (TypeScript from source, JavaScript when built). */
function labelWorkerFile(): string {
  return new URL(import.meta.url.endsWith('.ts') ? '../worker.ts' : '../worker.js', import.meta.url).href;
}

/** Wait `ms`, or less when `signal` aborts or `wake` is called (wake.pending: called since the last wait). */
function abortable(ms: number, signal: AbortSignal | undefined, wake: { pending: boolean; now: (() => void) | null }): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || wake.pending) {
      wake.pending = false;
      return resolve();
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      wake.now = null;
      wake.pending = false;
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    wake.now = done;
  });
}

/**
 * Run a worker until `signal` aborts: take jobs from every registered campaign queue, compute them
 * and hand back labels. Throws an InputError (host only) when Redis is unreachable or refuses the
 * credentials at start; later connection trouble is logged and waited out.
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerReport> {
  const target = parseRedisUrl(options.url);
  const concurrency = options.concurrency ?? threadBudget();
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new InputError(`concurrency must be a positive integer, got ${concurrency}`);
  const stalledMs = Math.round((options.stalledSeconds ?? DEFAULT_STALLED_SECONDS) * 1000);
  if (!(stalledMs >= 100)) throw new InputError(`stalled time must be at least 0.1 s, got ${options.stalledSeconds}`);
  const log = options.log ?? (() => {});
  await checkRedis(target);
  const [{ UnrecoverableError, Worker }, { Redis }] = await Promise.all([loadBullmq(), loadIoredis()]);

  const host = hostname();
  const t0 = performance.now();
  let labels = 0;
  let failed = 0;
  let lastError = '';
  const onError = (e: unknown) => {
    const text = redisErrorText(target, e);
    if (text !== lastError) log(`connection trouble: ${text} (retrying)`);
    lastError = text;
  };
  const pool = new Piscina({ filename: labelWorkerFile(), minThreads: concurrency, maxThreads: concurrency, idleTimeout: 60_000 });
  const registry = new Redis(connectionOptions(target));
  registry.on('error', onError);
  // a coordinator announces a new or finished queue: read the registry at once
  const wake: { pending: boolean; now: (() => void) | null } = { pending: false, now: null };
  const announcements = new Redis(connectionOptions(target));
  announcements.on('error', onError);
  announcements.on('message', () => {
    wake.pending = true;
    wake.now?.();
  });
  announcements.subscribe(QUEUE_REGISTRY_CHANNEL).catch(onError);
  const workers = new Map<string, Worker<QueueJobData, QueueJobResult>>();

  const processor = async (job: Job<QueueJobData, QueueJobResult>): Promise<QueueJobResult> => {
    let outcome: LabelOutcome;
    try {
      outcome = (await pool.run(job.data.task)) as LabelOutcome;
    } catch (e) {
      // the thread itself died (memory, a native crash): may pass, so BullMQ retries it
      const err = e instanceof Error ? e : new Error(String(e));
      throw new Error(encodeFailure(err.name || 'Error', err.message));
    }
    if (!outcome.ok) throw new UnrecoverableError(encodeFailure(outcome.errorClass, outcome.message));
    return { outcome, host, qdeVersion: QDE_VERSION };
  };

  const join = (name: string) => {
    const w = new Worker<QueueJobData, QueueJobResult>(name, processor, {
      connection: connectionOptions(target),
      concurrency,
      lockDuration: stalledMs,
      stalledInterval: stalledMs,
      maxStalledCount: MAX_STALLED_COUNT,
    });
    w.on('error', onError);
    w.on('active', (job) => log(`${name}: ${job.data.rung} ${String(job.id).slice(0, 12)} started`));
    w.on('completed', (job) => {
      labels++;
      log(`${name}: ${job.data.rung} ${String(job.id).slice(0, 12)} done in ${job.returnvalue.outcome.wallSeconds.toFixed(2)} s`);
    });
    w.on('failed', (job, err) => {
      if (job === undefined) return;
      if (job.finishedOn !== undefined && job.finishedOn > 0) failed++;
      log(`${name}: ${job.data.rung} ${String(job.id).slice(0, 12)} failed: ${err.message}`);
    });
    workers.set(name, w);
    log(`serving ${name}`);
  };

  const sync = async () => {
    const names = new Set(await registry.smembers(QUEUE_REGISTRY_KEY));
    for (const name of names) if (!workers.has(name)) join(name);
    for (const [name, w] of workers) {
      if (names.has(name)) continue;
      workers.delete(name);
      await w.close();
      log(`${name} closed by its coordinator`);
    }
  };

  try {
    log(`worker on ${host}: ${concurrency} thread${concurrency > 1 ? 's' : ''}, queue ${target.display}`);
    const everyMs = Math.round((options.discoverySeconds ?? 2) * 1000);
    while (!options.signal?.aborted) {
      try {
        await sync();
      } catch (e) {
        onError(e);
      }
      await abortable(everyMs, options.signal, wake);
    }
  } finally {
    // finish the jobs in hand, then leave
    await Promise.all([...workers.values()].map((w) => w.close()));
    registry.disconnect();
    announcements.disconnect();
    await pool.destroy();
  }
  return { queue: target.display, host, concurrency, labels, failed, wallSeconds: (performance.now() - t0) / 1000 };
}
