/**
 * Connections to the queue's Redis: the options BullMQ and ioredis take, a one-shot reachability
 * and credentials check before any work starts, and one-line error texts that name the host only.
 */
import type { RedisOptions } from 'bullmq';
import { InputError } from '../../core/index.js';
import { loadIoredis } from './libraries.js';
import { type RedisTarget, scrubSecret } from './redis-url.js';

/** How long the start-up check waits for Redis before calling it unreachable, milliseconds. */
export const REDIS_CHECK_TIMEOUT_MS = 5000;

/**
 * ioredis options for a long-lived BullMQ connection: commands wait through a Redis restart
 * (`maxRetriesPerRequest: null`, as BullMQ's workers require) and reconnect with a capped back-off.
 */
export function connectionOptions(target: RedisTarget): RedisOptions {
  const o: RedisOptions = {
    host: target.host,
    port: target.port,
    db: target.db,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
  if (target.username !== undefined) o.username = target.username;
  if (target.password !== undefined) o.password = target.password;
  if (target.tls !== undefined) o.tls = target.tls;
  return o;
}

/** One line about a Redis error: the host, and the message with any secret masked. */
export function redisErrorText(target: RedisTarget, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return scrubSecret(`Redis ${target.display}: ${message.split('\n')[0]}`, target);
}

/**
 * Connect once, authenticate and ping; an InputError naming the host (never the password) when
 * Redis is unreachable or refuses the credentials, so the command exits 2 before any work starts.
 */
export async function checkRedis(target: RedisTarget, timeoutMs = REDIS_CHECK_TIMEOUT_MS): Promise<void> {
  const { Redis } = await loadIoredis();
  const client = new Redis({
    ...connectionOptions(target),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  let lastError: unknown;
  client.on('error', (e: unknown) => {
    lastError = e;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    const err = lastError ?? e;
    const message = err instanceof Error ? err.message : String(err);
    if (/^NOAUTH/.test(message)) {
      throw new InputError(`Redis ${target.display} requires a password (give it in the URL: redis://:PASSWORD@host:port)`);
    }
    if (/WRONGPASS|invalid password|invalid username/i.test(message)) {
      throw new InputError(`Redis ${target.display} refused the user name or password of the URL`);
    }
    throw new InputError(`cannot reach ${redisErrorText(target, err)}`);
  } finally {
    client.disconnect();
  }
}
