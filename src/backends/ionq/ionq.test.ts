/**
 * The IonQ client and Sampler against a local server implementing IonQ's v0.4 endpoints: a VQE
 * energy of H2 through the cloud path, and a clear typed error for every failure mode. No output
 * of any test may contain the API key.
 */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { readFileSync } from 'node:fs';
import { InputError } from '../../core/index.js';
import { CircuitBuilder } from '../../circuits/index.js';
import { readFcidump } from '../../hamiltonian/index.js';
import { runVqe } from '../../algorithms/index.js';
import { createEstimator } from '../factory.js';
import { SamplingEstimator } from '../sampling-estimator.js';
import { IonqApiError, IonqClient } from './client.js';
import { IonqSampler, countsFromFrequencies } from './sampler.js';
import { FakeIonqServer } from './fake-server.test-util.js';

const KEY = 'qde-test-key-7f3a9c1e5b';
const server = new FakeIonqServer(KEY);
let url = '';
/** Everything the tests produce (messages, stacks, inspected objects, results), searched for the key. */
const seen: string[] = [];
const fast = { pollIntervalMs: 2, retryBaseMs: 2, maxRetries: 3, seed: 3 };

before(async () => {
  url = await server.start();
});
after(async () => {
  await server.stop();
  const leaks = seen.filter((s) => s.includes(KEY));
  assert.equal(leaks.length, 0, `the API key appeared in: ${leaks.map((s) => s.slice(0, 80)).join(' | ')}`);
});
beforeEach(() => server.reset());

async function failure(p: Promise<unknown>): Promise<IonqApiError> {
  try {
    seen.push(JSON.stringify(await p));
  } catch (e) {
    const err = e as IonqApiError;
    seen.push(String(err.message), String(err.stack), inspect(err));
    assert.ok(err instanceof IonqApiError, `expected an IonqApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a failure');
}

const flip = new CircuitBuilder(2).x(0).build();
const sampler = (extra: Record<string, unknown> = {}): IonqSampler => {
  const s = new IonqSampler({ apiKey: KEY, baseUrl: url, shots: 100, ...fast, ...extra });
  seen.push(inspect(s, { depth: 5, showHidden: true }), JSON.stringify(s));
  return s;
};
const counts = async (s: IonqSampler): Promise<Map<number, number>> => {
  const [r] = await s.run([{ circuit: flip }]).result();
  seen.push(JSON.stringify([...r.counts[0]]));
  return r.counts[0];
};

test('VQE of H2 through SamplingEstimator(IonqSampler) on the local IonQ server agrees with FCI within 3 standard errors', async () => {
  const fixtures = new URL('../../../test/fixtures/algorithms/', import.meta.url);
  const fci = (JSON.parse(readFileSync(new URL('references.json', fixtures), 'utf8')).entries as Record<string, { fci: number }>)['h2_r0.74'].fci;
  const hamiltonian = readFcidump(new URL('h2_r0.74.fcidump', fixtures).pathname);
  const backend = new SamplingEstimator(sampler({ shots: 20000, seed: 11 }), { shots: 20000 });
  const r = await runVqe({ hamiltonian, backend });
  seen.push(JSON.stringify(r));
  assert.equal(r.backend.name, 'ionq');
  assert.equal(r.backend.device, 'simulator');
  assert.equal(r.backend.version, 'v0.4');
  assert.ok(r.standardErrorHartree > 0);
  assert.ok(Math.abs(r.energyHartree - fci) <= 3 * r.standardErrorHartree, `${r.energyHartree} ± ${r.standardErrorHartree} vs FCI ${fci}`);
  // Every request carried the key in the documented header; jobs were multi-circuit batches.
  assert.ok(server.requests.every((q) => q.authorized));
  const posts = server.requests.filter((q) => q.method === 'POST');
  assert.ok(posts.some((q) => (q.body as { type: string }).type === 'ionq.multi-circuit.v1'));
  for (const q of posts) assert.equal((q.body as { backend: string }).backend, 'simulator');
});

test('a slow job is polled until it completes and its counts are exact frequencies on a QPU target', async () => {
  server.faults.pollsBeforeDone = 3;
  const c = await counts(sampler({ target: 'qpu.aria-1' }));
  assert.deepEqual([...c], [[1, 100]]);
  assert.equal(server.requests.filter((q) => q.method === 'GET' && /^\/jobs\/[^/]+$/.test(q.path)).length, 4);
});

test('the simulator noise model is sent as noise.model and recorded as the noise model', async () => {
  const s = sampler({ noiseModel: 'aria-1' });
  assert.equal(s.info.noiseModel, 'aria-1');
  await counts(s);
  assert.deepEqual((server.requests[0].body as { noise: unknown }).noise, { model: 'aria-1' });
  assert.throws(() => new IonqSampler({ apiKey: KEY, target: 'qpu.aria-1', noiseModel: 'aria-1' }), /noise model applies only to target 'simulator'/);
  assert.throws(() => new IonqSampler({ apiKey: KEY, target: 'qpu.nowhere' }), /unknown target 'qpu.nowhere'/);
});

test('429 with Retry-After is retried after at least the stated wait', async () => {
  server.faults.statusNext = { status: 429, count: 2, retryAfterSeconds: 0.05 };
  assert.deepEqual([...(await counts(sampler()))], [[1, 100]]);
  const [a, b, c] = server.requests;
  assert.ok(b.timeMs - a.timeMs >= 45 && c.timeMs - b.timeMs >= 45, `waited ${b.timeMs - a.timeMs} and ${c.timeMs - b.timeMs} ms`);
});

test('500s are retried; persistent 500s and 429s end in a typed error', async () => {
  server.faults.statusNext = { status: 500, count: 2 };
  assert.deepEqual([...(await counts(sampler()))], [[1, 100]]);
  server.faults.statusNext = { status: 503, count: 10 };
  const e = await failure(counts(sampler()));
  assert.equal(e.reason, 'server-error');
  assert.match(e.message, /IonQ POST \/jobs: HTTP 503 \(injected status 503\); gave up after 4 attempts/);
  server.faults.statusNext = { status: 429, count: 10 };
  assert.equal((await failure(counts(sampler()))).reason, 'rate-limited');
});

test('a dropped connection is retried, and reported when it persists', async () => {
  server.faults.dropNext = 1;
  assert.deepEqual([...(await counts(sampler()))], [[1, 100]]);
  server.faults.dropNext = 10;
  const e = await failure(counts(sampler()));
  assert.equal(e.reason, 'connection');
  assert.match(e.message, /connection failed/);
});

test('a bad key gives an unauthorized error that does not contain the key', async () => {
  const s = new IonqSampler({ apiKey: 'wrong-key', baseUrl: url, ...fast });
  const e = await failure(s.run([{ circuit: flip }]).result());
  assert.equal(e.reason, 'unauthorized');
  assert.equal(e.status, 401);
  assert.match(e.message, /API key was refused \(HTTP 401\); check IONQ_API_KEY/);
  assert.ok(!e.message.includes('wrong-key'));
});

test('a failed job reports its code and reason; a bad circuit reports IonQ\'s message', async () => {
  server.faults.failJobs = { code: 'SimulationError', message: 'the simulator ran out of memory' };
  const e = await failure(counts(sampler()));
  assert.equal(e.reason, 'job-failed');
  assert.match(e.message, /^IonQ job [0-9a-f-]+ failed: SimulationError: the simulator ran out of memory$/);
  server.reset();
  const client = new IonqClient({ apiKey: KEY, baseUrl: url, ...fast });
  const bad = await failure(client.createJob({ type: 'ionq.circuit.v1', backend: 'simulator', input: { gateset: 'qis', qubits: 1, circuit: [{ gate: 'foo', target: 0 }] } }));
  assert.equal(bad.reason, 'bad-request');
  assert.equal(bad.status, 400);
  assert.match(bad.message, /HTTP 400: circuit 0: circuit\[0\]: unknown qis gate 'foo'/);
});

test('a job that outlives the job timeout is canceled; a slow response hits the request timeout', async () => {
  server.faults.hang = true;
  const e = await failure(counts(sampler({ jobTimeoutMs: 30 })));
  assert.equal(e.reason, 'timeout');
  assert.match(e.message, /did not finish within 30 ms and was canceled/);
  assert.ok(server.requests.some((q) => q.method === 'PUT' && /\/status\/cancel$/.test(q.path)));
  server.reset();
  server.faults.delayMs = 200;
  const slow = await failure(counts(sampler({ requestTimeoutMs: 40, maxRetries: 1 })));
  assert.equal(slow.reason, 'timeout');
  assert.match(slow.message, /no response within 40 ms; gave up after 2 attempts/);
});

test('a malformed job record is a malformed-response error', async () => {
  server.faults.malformedJob = true;
  const e = await failure(counts(sampler()));
  assert.equal(e.reason, 'malformed-response');
  assert.match(e.message, /is not JSON/);
});

test("the 'ionq' backend spec builds a sampling estimator and refuses a missing key", async () => {
  const saved = { key: process.env.IONQ_API_KEY, base: process.env.IONQ_BASE_URL };
  try {
    delete process.env.IONQ_API_KEY;
    assert.throws(() => createEstimator({ name: 'ionq', target: 'simulator', shots: 100 }), (e: unknown) => e instanceof InputError && /set the IONQ_API_KEY environment variable/.test((e as Error).message));
    process.env.IONQ_API_KEY = KEY;
    process.env.IONQ_BASE_URL = url;
    const estimator = createEstimator({ name: 'ionq', target: 'simulator', shots: 4000, seed: 5 });
    seen.push(inspect(estimator, { depth: 6, showHidden: true }), JSON.stringify(estimator));
    assert.deepEqual(estimator.info, { name: 'ionq', version: 'v0.4', device: 'simulator', noiseModel: null, shots: 4000, mitigation: null });
    // ⟨Z⟩ on |1⟩ is exactly −1 whatever the shots.
    const [r] = await estimator.run([{ circuit: new CircuitBuilder(1).x(0).build(), observable: { nQubits: 1, x: new Uint32Array([0]), z: new Uint32Array([1]), coeffRe: new Float64Array([1]), coeffIm: new Float64Array([0]) } as never }]).result();
    assert.equal(r.estimates[0].value, -1);
  } finally {
    if (saved.key === undefined) delete process.env.IONQ_API_KEY;
    else process.env.IONQ_API_KEY = saved.key;
    if (saved.base === undefined) delete process.env.IONQ_BASE_URL;
    else process.env.IONQ_BASE_URL = saved.base;
  }
});

test('frequencies become counts that sum to the shots and reproduce exact count ratios', () => {
  const c = countsFromFrequencies(new Map([[0, 37 / 100], [3, 63 / 100]]), 100);
  assert.deepEqual([...c].sort((a, b) => a[0] - b[0]), [[0, 37], [3, 63]]);
  const thirds = countsFromFrequencies(new Map([[0, 1 / 3], [1, 1 / 3], [2, 1 / 3]]), 100);
  assert.equal([...thirds.values()].reduce((a, b) => a + b, 0), 100);
});
