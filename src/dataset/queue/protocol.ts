/**
 * What coordinator and workers agree on: queue names, the registry of open campaign queues, the
 * job payload and result, the retry policy and how a failure travels through BullMQ.
 *
 * - Queue name: `qde-<campaign name>` (characters other than letters, digits, `_`, `.` and `-`
 *   replaced by `_`, and then the first 8 hex digits of sha256(name) appended so two names never
 *   share a queue). BullMQ keys live under its default `bull:` prefix.
 * - Registry: the Redis set `qde:queues` lists the queues of campaigns being run; workers serve
 *   every queue in it, so a worker needs nothing but the URL. The coordinator removes its queue
 *   when the campaign is complete, and publishes the queue name on `qde:queues:changed` after
 *   either change (workers re-read the registry at once; their periodic read is the fallback).
 * - BullMQ job id: the job's content-hash key, so enqueuing a job twice never duplicates it.
 */
import { sha256Hex } from '../keys.js';
import type { LabelOutcome, LabelTask } from '../label.js';

/** The Redis set listing the queues workers serve. */
export const QUEUE_REGISTRY_KEY = 'qde:queues';

/**
 * The Redis pub/sub channel on which a coordinator announces that it added (or removed) its queue
 * in the registry, so that idle workers join at once instead of at their next registry read.
 */
export const QUEUE_REGISTRY_CHANNEL = 'qde:queues:changed';

/** BullMQ job name of a label job. */
export const LABEL_JOB_NAME = 'label';

/**
 * Attempts of a job whose worker failed for a reason that may pass (the worker thread died, Redis
 * went away mid-write). A failure of the calculation itself (InputError, ConvergenceError, any
 * error computeLabel reports) is deterministic — same input, same seed, same outcome — so it is
 * recorded after its first attempt.
 */
export const JOB_ATTEMPTS = 3;

/** Exponential back-off between those attempts: 1 s, then 2 s. */
export const JOB_BACKOFF = { type: 'exponential', delay: 1000 } as const;

/** Times a job may lose its worker (killed, frozen) before it is recorded as a failure. */
export const MAX_STALLED_COUNT = 2;

/** The queue of a campaign (see the file header). */
export function queueNameOf(campaign: string): string {
  const safe = campaign.replace(/[^A-Za-z0-9_.-]/g, '_');
  return safe === campaign ? `qde-${campaign}` : `qde-${safe}-${sha256Hex(campaign).slice(0, 8)}`;
}

/** A label job as it travels through the queue. */
export interface QueueJobData {
  task: LabelTask;
  rung: string;
}

/** What a worker returns for a job that produced a label. */
export interface QueueJobResult {
  outcome: Extract<LabelOutcome, { ok: true }>;
  /** os.hostname() of the machine that computed it. */
  host: string;
  /** The qde version of that worker. */
  qdeVersion: string;
}

/** The failure reason BullMQ stores: `<ErrorClass>: <message>`. */
export function encodeFailure(errorClass: string, message: string): string {
  return `${errorClass}: ${message}`;
}

/** The error class and message of a BullMQ failure reason (class 'Error' when it has none). */
export function decodeFailure(reason: string | undefined): { errorClass: string; message: string } {
  const text = reason ?? 'unknown failure';
  const m = /^([A-Za-z_$][\w$]*): ([\s\S]*)$/.exec(text);
  return m === null ? { errorClass: 'Error', message: text } : { errorClass: m[1]!, message: m[2]! };
}
