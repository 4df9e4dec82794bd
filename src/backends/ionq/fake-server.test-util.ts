/**
 * A local stand-in for IonQ's v0.4 API for the tests: node:http on 127.0.0.1 with an ephemeral
 * port, implementing POST /jobs (ionq.circuit.v1 and ionq.multi-circuit.v1), GET /jobs/{id},
 * GET /jobs/{id}/results/probabilities and PUT /jobs/{id}/status/cancel with IonQ's JSON shapes.
 * Circuits are read with qde's IonQ JSON importer and answered by qde's own state-vector simulation: exact Born
 * probabilities for the ideal simulator, frequencies of seeded shot sampling (as the shot sampler
 * draws them) for a QPU target or a noise model. Faults are injected through {@link FakeIonqServer.faults}.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromIonqJson, type Circuit } from '../../circuits/index.js';
import { applyCircuit } from '../apply.js';
import { sampleCounts } from '../observables.js';
import { Random } from '../../core/index.js';
import { StateVector } from '../statevector.js';

/** Faults the server injects; counters are decremented as they are used. */
export interface FakeIonqFaults {
  /** Answer the next N requests with this status (429 adds Retry-After when retryAfterSeconds is set). */
  statusNext?: { status: number; count: number; retryAfterSeconds?: number };
  /** Destroy the socket mid-response for the next N requests. */
  dropNext?: number;
  /** Delay every response by this many ms. */
  delayMs?: number;
  /** Jobs end as failed with this failure. */
  failJobs?: { code: string; message: string };
  /** GET /jobs/{id} reports 'started' this many times before the final status. */
  pollsBeforeDone?: number;
  /** Jobs never finish. */
  hang?: boolean;
  /** GET /jobs/{id} answers with a body that is not JSON. */
  malformedJob?: boolean;
}

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  authorized: boolean;
  body: unknown;
  timeMs: number;
}

interface FakeJob {
  id: string;
  status: string;
  polls: number;
  shots: number;
  probabilities: Map<number, number> | null;
  children: string[] | null;
  backend: string;
  noise: { model: string } | null;
}

/** The local IonQ API server. */
export class FakeIonqServer {
  readonly faults: FakeIonqFaults = {};
  readonly requests: RecordedRequest[] = [];
  private readonly jobs = new Map<string, FakeJob>();
  private readonly server: Server;
  private readonly rng: Random;
  private nextId = 1;
  url = '';

  constructor(
    private readonly apiKey: string,
    seed = 99,
  ) {
    this.rng = new Random(seed);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => this.send(res, 500, { statusCode: 500, error: 'Internal Server Error', message: String(e) }));
    });
  }

  /** Starts listening on an ephemeral port; `url` is then the base URL (…/v0.4). */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/v0.4`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Forgets recorded requests and faults. */
  reset(): void {
    this.requests.length = 0;
    for (const key of Object.keys(this.faults)) delete (this.faults as Record<string, unknown>)[key];
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const path = (req.url ?? '').replace(/^\/v0\.4/, '');
    const authorized = req.headers.authorization === `apiKey ${this.apiKey}`;
    this.requests.push({ method: req.method ?? '', path, authorized, body, timeMs: performance.now() });
    const f = this.faults;
    if (f.delayMs !== undefined) await new Promise((r) => setTimeout(r, f.delayMs));
    if (f.dropNext !== undefined && f.dropNext > 0) {
      f.dropNext--;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"id": "');
      res.socket?.destroy();
      return;
    }
    if (f.statusNext !== undefined && f.statusNext.count > 0) {
      f.statusNext.count--;
      const headers: Record<string, string> = f.statusNext.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(f.statusNext.retryAfterSeconds) };
      this.send(res, f.statusNext.status, { statusCode: f.statusNext.status, error: 'Injected', message: `injected status ${f.statusNext.status}` }, headers);
      return;
    }
    if (!authorized) {
      this.send(res, 401, { statusCode: 401, error: 'Unauthorized Error', message: 'Invalid key provided.' });
      return;
    }
    let m: RegExpMatchArray | null;
    if (req.method === 'POST' && path === '/jobs') return this.create(res, body);
    if (req.method === 'GET' && (m = path.match(/^\/jobs\/([^/]+)\/results\/probabilities$/)) !== null) return this.results(res, decodeURIComponent(m[1]));
    if (req.method === 'PUT' && (m = path.match(/^\/jobs\/([^/]+)\/status\/cancel$/)) !== null) {
      const job = this.jobs.get(decodeURIComponent(m[1]));
      if (job === undefined) return this.send(res, 404, { statusCode: 404, error: 'Not Found Error', message: 'Resource not found.' });
      job.status = 'canceled';
      return this.send(res, 200, { id: job.id, status: 'canceled' });
    }
    if (req.method === 'GET' && (m = path.match(/^\/jobs\/([^/]+)$/)) !== null) return this.status(res, decodeURIComponent(m[1]));
    this.send(res, 404, { statusCode: 404, error: 'Not Found Error', message: 'Resource not found.' });
  }

  private badRequest(res: ServerResponse, message: string): void {
    this.send(res, 400, { statusCode: 400, error: 'Bad Request', message });
  }

  private create(res: ServerResponse, body: unknown): void {
    const b = body as { type?: unknown; backend?: unknown; shots?: unknown; input?: Record<string, unknown>; noise?: { model?: unknown } };
    if (typeof b !== 'object' || b === null) return this.badRequest(res, 'body must be a job object');
    if (typeof b.backend !== 'string') return this.badRequest(res, '"backend" is required');
    const shots = b.shots ?? 100;
    if (!Number.isInteger(shots) || (shots as number) < 1 || (shots as number) > 1_000_000) return this.badRequest(res, '"shots" must be an integer in [1, 1000000]');
    const noise = b.noise?.model === undefined ? null : { model: String(b.noise.model) };
    let inputs: Record<string, unknown>[];
    if (b.type === 'ionq.circuit.v1') inputs = [b.input ?? {}];
    else if (b.type === 'ionq.multi-circuit.v1') {
      const circuits = b.input?.circuits;
      if (!Array.isArray(circuits) || circuits.length === 0) return this.badRequest(res, '"input.circuits" must be a non-empty array');
      inputs = circuits.map((c: Record<string, unknown>) => ({ gateset: c.gateset ?? b.input!.gateset, qubits: c.qubits ?? b.input!.qubits, circuit: c.circuit }));
    } else return this.badRequest(res, `"type" must be one of [ionq.circuit.v1, ionq.multi-circuit.v1]`);
    let circuits: Circuit[];
    try {
      circuits = inputs.map((input, k) => fromIonqJson(JSON.stringify(input), `circuit ${k}`));
    } catch (e) {
      return this.badRequest(res, (e as Error).message);
    }
    const exact = b.backend === 'simulator' && (noise === null || noise.model === 'ideal');
    const make = (circuit: Circuit | null, children: string[] | null): FakeJob => {
      const job: FakeJob = {
        id: `00000000-0000-4000-8000-${String(this.nextId++).padStart(12, '0')}`,
        status: 'ready',
        polls: 0,
        shots: shots as number,
        probabilities: circuit === null ? null : this.answer(circuit, shots as number, exact),
        children,
        backend: b.backend as string,
        noise,
      };
      this.jobs.set(job.id, job);
      return job;
    };
    if (b.type === 'ionq.circuit.v1') {
      const job = make(circuits[0], null);
      return this.send(res, 201, { id: job.id, status: job.status, session_id: null });
    }
    const children = circuits.map((c) => make(c, null).id);
    const parent = make(null, children);
    this.send(res, 201, { id: parent.id, status: parent.status, session_id: null });
  }

  /** Exact probabilities, or frequencies of `shots` measurements of the shot sampler. */
  private answer(circuit: Circuit, shots: number, exact: boolean): Map<number, number> {
    const out = new Map<number, number>();
    const s = new StateVector(circuit.nQubits);
    applyCircuit(s, circuit, []);
    if (exact) {
      for (let k = 0; k < s.re.length; k++) {
        const p = s.re[k] * s.re[k] + s.im[k] * s.im[k];
        if (p > 1e-15) out.set(k, p);
      }
      return out;
    }
    for (const [state, count] of sampleCounts(s, shots, this.rng)) out.set(state, count / shots);
    return out;
  }

  private status(res: ServerResponse, id: string): void {
    const job = this.jobs.get(id);
    if (job === undefined) return this.send(res, 404, { statusCode: 404, error: 'Not Found Error', message: 'Resource not found.' });
    const f = this.faults;
    if (f.malformedJob === true) return this.send(res, 200, '<html>gateway</html>');
    if (job.status !== 'canceled' && job.status !== 'completed' && job.status !== 'failed') {
      if (f.hang === true || job.polls < (f.pollsBeforeDone ?? 0)) {
        job.polls++;
        job.status = 'started';
      } else if (f.failJobs !== undefined) {
        job.status = 'failed';
      } else {
        job.status = 'completed';
        for (const c of job.children ?? []) this.jobs.get(c)!.status = 'completed';
      }
    }
    const failed = job.status === 'failed';
    this.send(res, 200, {
      id: job.id,
      status: job.status,
      type: job.children === null ? 'ionq.circuit.v1' : 'ionq.multi-circuit.v1',
      backend: job.backend,
      dry_run: false,
      shots: job.shots,
      noise: job.noise ?? { model: 'ideal' },
      failure: failed ? { ...f.failJobs } : null,
      parent_job_id: null,
      child_job_ids: job.children,
      results: job.status === 'completed' ? { probabilities: { url: `/v0.4/jobs/${job.id}/results/probabilities` } } : null,
    });
  }

  private results(res: ServerResponse, id: string): void {
    const job = this.jobs.get(id);
    if (job === undefined || job.status !== 'completed' || job.probabilities === null) {
      return this.send(res, 404, { statusCode: 404, error: 'Not Found Error', message: 'Job not found or not yet completed.' });
    }
    const body: Record<string, number> = {};
    for (const [state, p] of job.probabilities) body[String(state)] = p;
    this.send(res, 200, body);
  }
}
