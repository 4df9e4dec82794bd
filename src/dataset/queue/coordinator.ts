/**
 * The queue coordinator: `qde campaign run FILE --queue URL`. It stores the campaign's jobs in the
 * label store exactly as the local runner does, enqueues every job not yet done into the
 * campaign's BullMQ queue (job id = content-hash key, so enqueuing twice never duplicates), and
 * collects finished jobs — labels and failures — into the store, one transaction each, removing a
 * job from Redis only after its outcome is stored.
 *
 * Resume: Redis is the truth about what is in flight. On start, every job of the campaign that is
 * not done or failed in the store is looked up in the queue: a finished one is collected, one in
 * the queue is waited for, and only a missing one is enqueued. The lookup reads a job's state
 * before its data, so a job that finishes during the lookup is collected with its result rather
 * than taken for a lost one and computed again: a restarted coordinator never recomputes a job
 * that a worker finished. Every `reconcileSeconds` the same
 * check runs again, so jobs lost by Redis (a restart without persistence, a flush) are enqueued
 * again. A label collected twice (the coordinator died between storing and removing) is written
 * once: the store is keyed by the job.
 *
 * Collecting: the loop reads BullMQ's completed and failed sets, and between reads waits for the
 * queue's event stream to report a finished job (at most `pollMs`), so a label is stored
 * milliseconds after its worker finishes. Registering the queue is announced on the registry
 * channel, so idle workers join it at once.
 *
 * Stopping (an abort or the wall-time budget) leaves the queue as it is: workers go on, and the next
 * run collects what they finished. `maxLabels` caps what is enqueued; `maxShots` removes the
 * waiting jobs when reached and lets the running ones finish.
 */
import { performance } from 'node:perf_hooks';
import type { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { QDE_VERSION } from '../../version.js';
import type { Campaign } from '../campaign.js';
import { type CampaignProgress, silentProgress } from '../progress.js';
import { type CampaignRunReport, campaignStop, taskOf } from '../runner.js';
import { type StoredJob, openLabelStore } from '../store.js';
import { checkRedis, connectionOptions, redisErrorText } from './connection.js';
import { loadBullmq, loadIoredis } from './libraries.js';
import {
  JOB_ATTEMPTS,
  JOB_BACKOFF,
  LABEL_JOB_NAME,
  QUEUE_REGISTRY_CHANNEL,
  QUEUE_REGISTRY_KEY,
  type QueueJobData,
  type QueueJobResult,
  decodeFailure,
  queueNameOf,
} from './protocol.js';
import { parseRedisUrl, scrubSecret } from './redis-url.js';

/** Options of {@link runCampaignOnQueue}. */
export interface QueueCampaignOptions {
  /** The SQLite file of the label store (created when missing). */
  dbPath: string;
  /** redis:// or rediss:// URL (credentials allowed; never printed or stored). */
  url: string;
  /** Enqueue again the jobs that failed in earlier runs (default false: a failure is final). */
  retryFailed?: boolean;
  progress?: CampaignProgress;
  /** Stops collecting; the queue keeps the jobs for the next run. */
  signal?: AbortSignal;
  /**
   * How long to wait when nothing finished, milliseconds (default 200). The wait ends early when
   * BullMQ's event stream reports a finished job, so this only bounds the latency when an event is
   * missed.
   */
  pollMs?: number;
  /** How often to check that every job in flight is still in Redis, seconds (default 10). */
  reconcileSeconds?: number;
  /** Connection trouble while running, one line without secrets. */
  log?: (line: string) => void;
}

/** The run summary: the local runner's fields plus where the queue lives. */
export interface QueueCampaignReport extends CampaignRunReport {
  /** The Redis URL without credentials. */
  queue: string;
  /** The BullMQ queue of the campaign. */
  queueName: string;
  /** Hosts that computed this run's labels. */
  hosts: string[];
}

const CHUNK = 200;

/**
 * Run (or resume) a campaign through a Redis queue served by `qde worker` processes. Throws an
 * InputError before any work when Redis is unreachable, refuses the credentials, or the database
 * path is unusable.
 */
export async function runCampaignOnQueue(campaign: Campaign, options: QueueCampaignOptions): Promise<QueueCampaignReport> {
  const target = parseRedisUrl(options.url);
  await checkRedis(target);
  const [{ Queue, QueueEvents }, { Redis }] = await Promise.all([loadBullmq(), loadIoredis()]);
  const store = openLabelStore(options.dbPath);
  const progress = options.progress ?? silentProgress;
  const log = options.log ?? (() => {});
  const pollMs = options.pollMs ?? 200;
  const reconcileMs = (options.reconcileSeconds ?? 10) * 1000;
  const queueName = queueNameOf(campaign.name);
  const t0 = performance.now();
  let queue: Queue | undefined;
  let queueEvents: QueueEvents | undefined;
  let client: Redis | undefined;
  // a pending nap ends early when a job finishes; a finish during the loop's own work is kept so
  // the next nap returns at once
  let finishedSinceNap = false;
  let wakeNap: (() => void) | null = null;
  const wake = () => {
    finishedSinceNap = true;
    wakeNap?.();
  };
  const nap = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (finishedSinceNap || signal.aborted) {
        finishedSinceNap = false;
        return resolve();
      }
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        wakeNap = null;
        finishedSinceNap = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      wakeNap = done;
    });

  let runId: number | undefined;
  let lastError = '';
  try {
    store.upsertCampaign(campaign.name, campaign.file, campaign.config, campaign.seed);
    store.addJobs(campaign.name, campaign.jobs, options.retryFailed === true);
    runId = store.startRun(campaign.name);
    const onError = (e: unknown) => {
      const text = redisErrorText(target, e);
      if (text !== lastError) log(`connection trouble: ${text} (retrying)`);
      lastError = text;
    };
    const q = new Queue<QueueJobData, QueueJobResult>(queueName, { connection: connectionOptions(target) });
    queue = q;
    q.on('error', onError);
    const registry = new Redis(connectionOptions(target));
    client = registry;
    registry.on('error', onError);
    await registry.sadd(QUEUE_REGISTRY_KEY, queueName);
    await registry.publish(QUEUE_REGISTRY_CHANNEL, queueName);
    // wake the collecting loop as soon as a job finishes (polling stays as the fallback)
    const events = new QueueEvents(queueName, { connection: connectionOptions(target) });
    queueEvents = events;
    events.on('error', onError);
    events.on('completed', () => wake());
    events.on('failed', () => wake());

    const all = store.campaignJobs(campaign.name);
    const byKey = new Map(all.map((j) => [j.key, j]));
    const perRung = new Map<string, { total: number; done: number; failed: number }>();
    for (const j of all) {
      const r = perRung.get(j.rung) ?? { total: 0, done: 0, failed: 0 };
      r.total++;
      if (j.status === 'done') r.done++;
      if (j.status === 'failed') r.failed++;
      perRung.set(j.rung, r);
    }
    const alreadyDone = all.filter((j) => j.status === 'done').length;
    const open = all.filter((j) => j.status === 'pending' || j.status === 'running');
    const resumed = open.filter((j) => j.status === 'running').length;
    const budgets = campaign.budgets;
    let { labels: storedLabels, shots: storedShots } = store.campaignTotals(campaign.name);
    let labels = 0;
    let failed = 0;
    let computeSeconds = 0;
    const hosts = new Set<string>();
    /** Keys enqueued (or found in the queue) and not yet collected. */
    const inFlight = new Set<string>();
    /** Keys not enqueued yet (held back by the label budget). */
    let waiting: StoredJob[] = [];
    let draining = false;

    const stop = campaignStop(options.signal, budgets.maxWallSeconds);

    const counted = (job: StoredJob) => {
      const c = perRung.get(job.rung)!;
      progress.update(job.rung, c.done + c.failed, c.failed);
    };
    /** Store a finished BullMQ job's outcome (if it is ours and open), then remove it from Redis. */
    const collect = async (bj: Job<QueueJobData, QueueJobResult>, state: 'completed' | 'failed') => {
      const key = String(bj.id);
      const job = byKey.get(key);
      if (job !== undefined && state === 'completed' && inFlight.has(key) && bj.returnvalue?.outcome?.ok !== true) {
        // a completion whose result did not survive (Redis lost part of the job): compute it again
        log(`job ${key.slice(0, 12)} finished without its result: enqueued again`);
        await bj.remove().catch(() => {});
        inFlight.delete(key);
        await enqueue([job]);
        return;
      }
      if (job !== undefined && inFlight.delete(key)) {
        const c = perRung.get(job.rung)!;
        if (state === 'completed') {
          const { outcome, host, qdeVersion } = bj.returnvalue;
          store.writeLabel(key, {
            result: outcome.result,
            forcesHartreePerBohr: outcome.forcesHartreePerBohr,
            forcesMethod: outcome.forcesMethod,
            dipoleAu: outcome.dipoleAu,
            wallSeconds: outcome.wallSeconds,
            qdeVersion,
            host,
          });
          hosts.add(host);
          computeSeconds += outcome.wallSeconds;
          labels++;
          storedLabels++;
          const r = outcome.result;
          storedShots += 'shots' in r && typeof r.shots === 'number' ? r.shots : 0;
          c.done++;
        } else {
          const { errorClass, message } = decodeFailure(bj.failedReason);
          store.writeFailure(key, errorClass, message);
          failed++;
          c.failed++;
        }
        counted(job);
      }
      await bj.remove().catch(() => {});
    };
    const enqueue = async (jobs: StoredJob[]) => {
      for (let i = 0; i < jobs.length; i += CHUNK) {
        const chunk = jobs.slice(i, i + CHUNK);
        await q.addBulk(
          chunk.map((j) => ({
            name: LABEL_JOB_NAME,
            data: { task: taskOf(j), rung: j.rung },
            opts: { jobId: j.key, attempts: JOB_ATTEMPTS, backoff: JOB_BACKOFF, removeOnComplete: false, removeOnFail: false },
          })),
        );
        for (const j of chunk) {
          store.markRunning(j.key);
          inFlight.add(j.key);
        }
      }
    };
    /** Enqueue held-back jobs while the label budget allows. */
    const release = async () => {
      if (draining || waiting.length === 0) return;
      let room = waiting.length;
      if (budgets.maxLabels !== undefined) room = Math.max(0, budgets.maxLabels - storedLabels - inFlight.size);
      if (room === 0) return;
      const now = waiting.slice(0, room);
      waiting = waiting.slice(room);
      await enqueue(now);
    };
    /**
     * Look up `jobs` in the queue: collect the finished, keep the queued, and return the missing
     * (to be enqueued, or — while draining — put back to pending).
     */
    const reconcile = async (jobs: StoredJob[]): Promise<StoredJob[]> => {
      const missing: StoredJob[] = [];
      for (let i = 0; i < jobs.length; i += CHUNK) {
        const chunk = jobs.slice(i, i + CHUNK);
        // the state first, the job's data after: a job read while active and found completed a
        // moment later would carry no result (and be computed again); one found completed or
        // failed stays so until this coordinator removes it, so its data is read complete
        const found = await Promise.all(chunk.map(async (j) => {
          const state = await q.getJobState(j.key);
          const bj = state === 'completed' || state === 'failed' ? await q.getJob(j.key) : null;
          return { j, bj, state };
        }));
        for (const { j, bj, state } of found) {
          if (state === 'unknown' || bj === undefined) {
            inFlight.delete(j.key);
            missing.push(j);
          } else if (bj !== null && (state === 'completed' || state === 'failed')) {
            if (state === 'failed' && options.retryFailed === true && !inFlight.has(j.key)) {
              await bj.retry('failed');
              inFlight.add(j.key);
              store.markRunning(j.key);
            } else {
              inFlight.add(j.key);
              await collect(bj as Job<QueueJobData, QueueJobResult>, state);
            }
          } else if (!inFlight.has(j.key)) {
            inFlight.add(j.key);
            if (j.status !== 'running') store.markRunning(j.key);
          }
        }
      }
      return missing;
    };

    const counts = new Map([...perRung].map(([rung, c]) => [rung, { total: c.total, done: c.done + c.failed }]));
    progress.start(counts);
    waiting = await reconcile(open);
    await release();
    let lastReconcile = performance.now();
    while ((inFlight.size > 0 || (waiting.length > 0 && !draining)) && !stop.signal.aborted) {
      let got = 0;
      for (const state of ['completed', 'failed'] as const) {
        const finished = (await q.getJobs([state], 0, CHUNK - 1, true)) as Job<QueueJobData, QueueJobResult>[];
        for (const bj of finished) await collect(bj, state);
        got += finished.length;
      }
      if (!draining && budgets.maxShots !== undefined && storedShots >= budgets.maxShots) {
        stop.reason = 'maxShots';
        draining = true;
        await q.drain(true);
        lastReconcile = -Infinity;
      }
      if (performance.now() - lastReconcile > reconcileMs) {
        const lost = await reconcile(all.filter((j) => inFlight.has(j.key)));
        if (draining) {
          for (const j of lost) store.db.prepare("UPDATE jobs SET status = 'pending' WHERE key = ? AND status = 'running'").run(j.key);
        } else if (lost.length > 0) {
          log(`${lost.length} job${lost.length > 1 ? 's' : ''} missing from Redis: enqueued again`);
          await enqueue(lost);
        }
        lastReconcile = performance.now();
      }
      await release();
      if (got === 0) await nap(pollMs, stop.signal);
    }
    if (stop.reason === 'complete' && waiting.length > 0) stop.reason = 'maxLabels';
    const complete = inFlight.size === 0 && waiting.length === 0 && !draining;
    if (complete) {
      await registry.srem(QUEUE_REGISTRY_KEY, queueName);
      await registry.publish(QUEUE_REGISTRY_CHANNEL, queueName);
    }
    stop.dispose();
    progress.stop();
    const wallSeconds = (performance.now() - t0) / 1000;
    const status = store.status(campaign.name);
    store.finishRun(runId, stop.reason);
    return {
      campaign: campaign.name,
      db: options.dbPath,
      workers: await q.getWorkersCount().catch(() => 0),
      jobs: all.length,
      alreadyDone,
      resumed,
      labels,
      failed,
      pending: status.totals.pending + status.totals.running,
      stopReason: stop.reason,
      wallSeconds,
      computeSeconds,
      labelsPerSecond: labels / Math.max(wallSeconds, 1e-9),
      rungs: status.rungs,
      qdeVersion: QDE_VERSION,
      queue: target.display,
      queueName,
      hosts: [...hosts].sort(),
    };
  } catch (e) {
    progress.stop();
    if (runId !== undefined) store.finishRun(runId, 'error');
    // a Redis error may quote the connection: mask the password before it travels further
    if (e instanceof Error) e.message = scrubSecret(e.message, target);
    throw e;
  } finally {
    await queueEvents?.close().catch(() => {});
    await queue?.close().catch(() => {});
    client?.disconnect();
    store.close();
  }
}
