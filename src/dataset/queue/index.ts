/**
 * Campaigns across many machines: a coordinator that enqueues a campaign's jobs into a BullMQ
 * queue on Redis and collects the labels into the label store, and workers that compute them.
 */
export { REDIS_URL_ENV, parseRedisUrl, redactRedisUrl, redisUrlFrom, scrubSecret } from './redis-url.js';
export type { RedisTarget } from './redis-url.js';
export { REDIS_CHECK_TIMEOUT_MS, checkRedis, connectionOptions, redisErrorText } from './connection.js';
export {
  JOB_ATTEMPTS,
  JOB_BACKOFF,
  LABEL_JOB_NAME,
  MAX_STALLED_COUNT,
  QUEUE_REGISTRY_KEY,
  decodeFailure,
  encodeFailure,
  queueNameOf,
} from './protocol.js';
export type { QueueJobData, QueueJobResult } from './protocol.js';
export { runCampaignOnQueue } from './coordinator.js';
export type { QueueCampaignOptions, QueueCampaignReport } from './coordinator.js';
export { DEFAULT_STALLED_SECONDS, runQueueWorker } from './queue-worker.js';
export type { QueueWorkerOptions, QueueWorkerReport } from './queue-worker.js';
