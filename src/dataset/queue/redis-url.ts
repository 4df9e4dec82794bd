/**
 * Redis URLs of the queue: `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS.
 *
 * A URL may carry a password, so it is never printed: everything a user or a log sees goes through
 * {@link redactRedisUrl} (scheme, host, port and database only) or {@link scrubSecret} (any text
 * with the URL's password and user name masked).
 */
import { InputError } from '../../core/index.js';

/** The environment variable read when `--queue` is given without a URL. */
export const REDIS_URL_ENV = 'QDE_REDIS_URL';

/** A parsed Redis URL: the connection options of ioredis, plus the redacted form. */
export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** TLS (`rediss://`): Node's defaults, the server's certificate checked against the host name. */
  tls?: { servername: string };
  /** The URL without user name and password, for messages. */
  display: string;
}

const DEFAULT_PORT = 6379;

/** The URL given, or QDE_REDIS_URL when none is; an InputError when neither is set. */
export function redisUrlFrom(value: string | true | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof value === 'string' && value !== '') return value;
  const fromEnv = env[REDIS_URL_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  throw new InputError(`--queue needs a URL (redis://host:port) or the environment variable ${REDIS_URL_ENV}`);
}

/** Parse a Redis URL; an InputError (without the password) when it is not one. */
export function parseRedisUrl(url: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`not a Redis URL: ${redactRedisUrl(url)} (expected redis://[user:password@]host:port[/db])`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new InputError(`not a Redis URL: ${redactRedisUrl(url)} (the scheme must be redis:// or rediss://)`);
  }
  if (u.hostname === '') throw new InputError(`Redis URL without a host: ${redactRedisUrl(url)}`);
  const port = u.port === '' ? DEFAULT_PORT : Number(u.port);
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!/^\d*$/.test(dbText) || !Number.isInteger(db)) {
    throw new InputError(`Redis URL ${redactRedisUrl(url)}: the database must be a number (/0, /1, …)`);
  }
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const target: RedisTarget = { host, port, db, display: redactRedisUrl(url) };
  if (u.username !== '') target.username = decodeURIComponent(u.username);
  if (u.password !== '') target.password = decodeURIComponent(u.password);
  if (u.protocol === 'rediss:') target.tls = { servername: host };
  return target;
}

/**
 * The URL without its credentials: `redis://host:port/db`. Text that does not parse as a URL is
 * cut at its last '@', so a malformed URL with a password still never shows it.
 */
export function redactRedisUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    const at = url.lastIndexOf('@');
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
    return at < 0 ? url : `${scheme}${url.slice(at + 1)}`;
  }
  const port = u.port === '' ? DEFAULT_PORT : u.port;
  const db = u.pathname.replace(/^\//, '');
  return `${u.protocol}//${u.hostname}:${port}/${db === '' ? '0' : db}`;
}

/** `text` with the target's password (raw and URL-encoded) replaced by `***`. */
export function scrubSecret(text: string, target: Pick<RedisTarget, 'password'>): string {
  const p = target.password;
  if (p === undefined || p === '') return text;
  let out = text;
  for (const s of new Set([p, encodeURIComponent(p)])) out = out.split(s).join('***');
  return out;
}
