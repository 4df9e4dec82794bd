/**
 * A client of IonQ's v0.4 REST API (https://api.ionq.co/v0.4), the part a Sampler needs:
 *
 *   POST /jobs                              create a job (ionq.circuit.v1 or ionq.multi-circuit.v1) → { id, status }
 *   GET  /jobs/{id}                         job record: status submitted|ready|started|completed|failed|canceled,
 *                                           failure { code, message }, child_job_ids of a multi-circuit job
 *   GET  /jobs/{id}/results/probabilities   { "<decimal state>": probability } of a completed (child) job
 *   PUT  /jobs/{id}/status/cancel           cancel a job
 *
 * Authentication is the header `Authorization: apiKey <key>`. The key is read from the option or
 * `IONQ_API_KEY`, kept in a private field and sent only in that header: it never appears in an
 * error message, a log line or a returned object (any server text that echoes it is redacted).
 *
 * Requests that fail with 429 or 5xx, time out or lose their connection are retried with
 * exponential backoff (base · 2^attempt, times a seeded jitter factor in [1, 1.5)), waiting at least
 * the server's Retry-After. Every failure ends in an {@link IonqApiError} whose `reason` says what
 * went wrong. Uses node's built-in fetch.
 */
import { Random } from '../../core/index.js';

/** IonQ's production endpoint of the v0.4 API. */
export const IONQ_DEFAULT_BASE_URL = 'https://api.ionq.co/v0.4';
/** The API version this client speaks (recorded as the backend version). */
export const IONQ_API_VERSION = 'v0.4';

/** Why an IonQ request or job failed. */
export type IonqFailureReason =
  | 'missing-key'
  | 'unauthorized'
  | 'bad-request'
  | 'not-found'
  | 'rate-limited'
  | 'server-error'
  | 'timeout'
  | 'connection'
  | 'malformed-response'
  | 'job-failed'
  | 'job-canceled';

/** A failed IonQ request or job. The message names the request and the problem, never the key. */
export class IonqApiError extends Error {
  constructor(
    message: string,
    readonly reason: IonqFailureReason,
    readonly status: number | null = null,
    readonly jobId: string | null = null,
  ) {
    super(message);
    this.name = 'IonqApiError';
  }
}

/** Options of {@link IonqClient}. */
export interface IonqClientOptions {
  /** API key (default: the IONQ_API_KEY environment variable). */
  apiKey?: string;
  /** Base URL of the API (default: IONQ_BASE_URL, else {@link IONQ_DEFAULT_BASE_URL}). */
  baseUrl?: string;
  /** Timeout of one HTTP request, ms (default 30 000). */
  requestTimeoutMs?: number;
  /** Longest wait for a job to finish before it is canceled, ms (default 3 600 000). */
  jobTimeoutMs?: number;
  /** Interval between status polls, ms (default 1000). */
  pollIntervalMs?: number;
  /** Retries of a request after a retriable failure (default 5). */
  maxRetries?: number;
  /** First backoff delay, ms (default 500); doubles per retry. */
  retryBaseMs?: number;
  /** Longest single backoff or Retry-After wait, ms (default 60 000). */
  maxRetryDelayMs?: number;
  /** Seed of the backoff jitter (default 1). */
  seed?: number;
}

/** The fields of a v0.4 job record this client reads. */
export interface IonqJobRecord {
  id: string;
  status: string;
  failure?: { code?: string; message?: string } | null;
  child_job_ids?: string[] | null;
  [key: string]: unknown;
}

const TERMINAL = new Set(['completed', 'failed', 'canceled']);
const KNOWN_STATUS = new Set(['submitted', 'ready', 'started', 'running', 'completed', 'failed', 'canceled']);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function positive(value: number | undefined, fallback: number, what: string): number {
  const v = value ?? fallback;
  if (!(v >= 0) || !Number.isFinite(v)) throw new IonqApiError(`IonQ client: ${what} must be a non-negative number, got ${String(value)}`, 'bad-request');
  return v;
}

/** Seconds or an HTTP date in a Retry-After header, as ms; null when absent or unreadable. */
function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

/** IonQ's v0.4 REST API. */
export class IonqClient {
  readonly baseUrl: string;
  readonly requestTimeoutMs: number;
  readonly jobTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly maxRetries: number;
  readonly retryBaseMs: number;
  readonly maxRetryDelayMs: number;
  // Private so that inspecting, logging or serialising the client never shows it.
  readonly #apiKey: string;
  readonly #jitter: Random;

  constructor(options: IonqClientOptions = {}) {
    const key = options.apiKey ?? process.env.IONQ_API_KEY ?? '';
    if (key.trim() === '') {
      throw new IonqApiError('IonQ: no API key; set the IONQ_API_KEY environment variable', 'missing-key');
    }
    this.#apiKey = key.trim();
    this.baseUrl = (options.baseUrl ?? process.env.IONQ_BASE_URL ?? IONQ_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.requestTimeoutMs = positive(options.requestTimeoutMs, 30_000, 'requestTimeoutMs');
    this.jobTimeoutMs = positive(options.jobTimeoutMs, 3_600_000, 'jobTimeoutMs');
    this.pollIntervalMs = positive(options.pollIntervalMs, 1000, 'pollIntervalMs');
    this.maxRetries = Math.floor(positive(options.maxRetries, 5, 'maxRetries'));
    this.retryBaseMs = positive(options.retryBaseMs, 500, 'retryBaseMs');
    this.maxRetryDelayMs = positive(options.maxRetryDelayMs, 60_000, 'maxRetryDelayMs');
    this.#jitter = new Random(options.seed ?? 1);
  }

  /** What util.inspect and JSON.stringify show: the settings, never the key. */
  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl, requestTimeoutMs: this.requestTimeoutMs, jobTimeoutMs: this.jobTimeoutMs };
  }

  /** Replaces the key wherever a server echoed it. */
  private redact(text: string): string {
    return text.split(this.#apiKey).join('<redacted>');
  }

  /**
   * One API request with retries. Returns the parsed JSON body of a 2xx response.
   * @throws IonqApiError on a non-retriable status, after the last retry, or for a body that is not JSON.
   */
  async request(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, jobId: string | null = null): Promise<unknown> {
    const what = `${method} ${path}`;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      let text: string;
      try {
        response = await fetch(this.baseUrl + path, {
          method,
          headers: {
            Authorization: `apiKey ${this.#apiKey}`,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.requestTimeoutMs),
        });
        text = await response.text();
      } catch (e) {
        const err = e as Error & { cause?: { code?: string } };
        const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
        const failure = timedOut
          ? new IonqApiError(`IonQ ${what}: no response within ${this.requestTimeoutMs} ms`, 'timeout', null, jobId)
          : new IonqApiError(`IonQ ${what}: connection failed (${this.redact(err.cause?.code ?? err.message)})`, 'connection', null, jobId);
        if (attempt >= this.maxRetries) throw retriesExhausted(failure, attempt);
        await sleep(this.backoff(attempt, null));
        continue;
      }
      const status = response.status;
      if (status >= 200 && status < 300) {
        if (text.trim() === '') return {};
        try {
          return JSON.parse(text);
        } catch {
          throw new IonqApiError(`IonQ ${what}: the response is not JSON`, 'malformed-response', status, jobId);
        }
      }
      const message = this.redact(serverMessage(text));
      if (status === 429 || status >= 500) {
        const failure = new IonqApiError(
          `IonQ ${what}: HTTP ${status}${message === '' ? '' : ` (${message})`}`,
          status === 429 ? 'rate-limited' : 'server-error',
          status,
          jobId,
        );
        if (attempt >= this.maxRetries) throw retriesExhausted(failure, attempt);
        await sleep(this.backoff(attempt, retryAfterMs(response.headers.get('retry-after'))));
        continue;
      }
      if (status === 401 || status === 403) {
        throw new IonqApiError(`IonQ ${what}: the API key was refused (HTTP ${status}); check IONQ_API_KEY`, 'unauthorized', status, jobId);
      }
      if (status === 404) throw new IonqApiError(`IonQ ${what}: not found (HTTP 404)${message === '' ? '' : `: ${message}`}`, 'not-found', status, jobId);
      throw new IonqApiError(`IonQ ${what}: HTTP ${status}${message === '' ? '' : `: ${message}`}`, 'bad-request', status, jobId);
    }
  }

  /** Backoff before retry `attempt` + 1: exponential with seeded jitter, at least Retry-After. */
  private backoff(attempt: number, retryAfter: number | null): number {
    const exponential = this.retryBaseMs * 2 ** attempt * (1 + 0.5 * this.#jitter.next());
    return Math.min(this.maxRetryDelayMs, Math.max(exponential, retryAfter ?? 0));
  }

  /** Creates a job from a v0.4 job payload; returns its id. */
  async createJob(payload: Record<string, unknown>): Promise<string> {
    const body = await this.request('POST', '/jobs', payload);
    const id = (body as { id?: unknown }).id;
    if (typeof id !== 'string' || id === '') throw new IonqApiError('IonQ POST /jobs: the response has no job id', 'malformed-response');
    return id;
  }

  /** The job record. */
  async getJob(id: string): Promise<IonqJobRecord> {
    const body = (await this.request('GET', `/jobs/${encodeURIComponent(id)}`, undefined, id)) as Partial<IonqJobRecord>;
    if (typeof body !== 'object' || body === null || typeof body.status !== 'string' || !KNOWN_STATUS.has(body.status)) {
      throw new IonqApiError(`IonQ GET /jobs/${id}: the response has no known job status`, 'malformed-response', null, id);
    }
    return { ...body, id: typeof body.id === 'string' ? body.id : id, status: body.status };
  }

  /** Cancels a job. */
  async cancelJob(id: string): Promise<void> {
    await this.request('PUT', `/jobs/${encodeURIComponent(id)}/status/cancel`, undefined, id);
  }

  /**
   * Polls a job until it completes. A failed or canceled job, or one still running after
   * `jobTimeoutMs` (which is then canceled), throws.
   */
  async waitForJob(id: string): Promise<IonqJobRecord> {
    const deadline = performance.now() + this.jobTimeoutMs;
    for (;;) {
      const job = await this.getJob(id);
      if (TERMINAL.has(job.status)) {
        if (job.status === 'completed') return job;
        if (job.status === 'canceled') throw new IonqApiError(`IonQ job ${id} was canceled`, 'job-canceled', null, id);
        const code = job.failure?.code ?? 'unknown';
        const message = this.redact(job.failure?.message ?? 'no reason given');
        throw new IonqApiError(`IonQ job ${id} failed: ${code}: ${message}`, 'job-failed', null, id);
      }
      if (performance.now() + this.pollIntervalMs > deadline) {
        await this.cancelJob(id).catch(() => undefined);
        throw new IonqApiError(`IonQ job ${id} did not finish within ${this.jobTimeoutMs} ms and was canceled`, 'timeout', null, id);
      }
      await sleep(this.pollIntervalMs);
    }
  }

  /** Probabilities of a completed (child) job: basis-state index (qubit 0 = least significant bit) → probability. */
  async getProbabilities(id: string): Promise<Map<number, number>> {
    const body = await this.request('GET', `/jobs/${encodeURIComponent(id)}/results/probabilities`, undefined, id);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new IonqApiError(`IonQ job ${id}: the probabilities are not an object`, 'malformed-response', null, id);
    }
    const out = new Map<number, number>();
    for (const [key, value] of Object.entries(body)) {
      const state = Number(key);
      if (!/^\d+$/.test(key) || !Number.isSafeInteger(state) || typeof value !== 'number' || !(value >= 0 && value <= 1 + 1e-9)) {
        throw new IonqApiError(`IonQ job ${id}: bad probability entry '${key.slice(0, 40)}'`, 'malformed-response', null, id);
      }
      out.set(state, value);
    }
    return out;
  }
}

function retriesExhausted(last: IonqApiError, attempt: number): IonqApiError {
  return new IonqApiError(`${last.message}; gave up after ${attempt + 1} attempts`, last.reason, last.status, last.jobId);
}

/** IonQ's error text: `message` (and `error`) of a JSON error body, else the start of the body. */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    if (typeof body.message === 'string') return body.message.slice(0, 500);
    if (typeof body.error === 'string') return body.error.slice(0, 500);
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}
