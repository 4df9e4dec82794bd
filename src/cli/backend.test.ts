import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeIonqServer } from '../backends/ionq/fake-server.test-util.js';
import { runQde } from './cli.test-util.js';

// Psi4 1.3.2 psi4.energy('fci') for examples/h2.xyz in STO-3G
const PSI4_H2_FCI = -1.1372701746571046;

interface Report {
  energyHartree: number;
  standardErrorHartree: number;
  backend?: string;
  device?: string;
  shots?: number;
}

async function energy(args: string[]): Promise<Report> {
  const r = await runQde(['energy', 'examples/h2.xyz', '--method', 'vqe', '--json', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

test('--backend noisy --device noiseless measures the exact state; aria-1 noise raises the energy', async () => {
  const clean = await energy(['--backend', 'noisy', '--device', 'noiseless', '--shots', '20000', '--seed', '4']);
  assert.equal(clean.backend, 'noisy');
  assert.equal(clean.device, 'noiseless');
  assert.ok(Math.abs(clean.energyHartree - PSI4_H2_FCI) < 4 * clean.standardErrorHartree + 1e-6, `${clean.energyHartree} ± ${clean.standardErrorHartree}`);
  const noisy = await energy(['--backend', 'noisy', '--device', 'aria-1', '--shots', '4000', '--seed', '4']);
  assert.equal(noisy.device, 'aria-1');
  assert.ok(noisy.energyHartree > PSI4_H2_FCI + 4 * noisy.standardErrorHartree, `${noisy.energyHartree} ± ${noisy.standardErrorHartree}`);
});

test('--backend ionq talks to the IonQ API named by IONQ_BASE_URL with the key from IONQ_API_KEY', async () => {
  const key = 'cli-test-key-5f2e';
  const server = new FakeIonqServer(key);
  const url = await server.start();
  const saved = { key: process.env.IONQ_API_KEY, base: process.env.IONQ_BASE_URL };
  try {
    process.env.IONQ_API_KEY = key;
    process.env.IONQ_BASE_URL = url;
    const r = await runQde(['energy', 'examples/h2.xyz', '--method', 'vqe', '--json', '--backend', 'ionq', '--shots', '20000', '--seed', '2']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(key) && !r.stderr.includes(key), 'the key never reaches the output');
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.backend, 'ionq');
    assert.equal(report.device, 'simulator');
    assert.ok(Math.abs(report.energyHartree - PSI4_H2_FCI) < 4 * report.standardErrorHartree + 1e-6, `${report.energyHartree} ± ${report.standardErrorHartree}`);
    assert.ok(server.requests.some((q) => q.method === 'POST'), 'jobs were submitted to the server');
    delete process.env.IONQ_API_KEY;
    const missing = await runQde(['energy', 'examples/h2.xyz', '--method', 'vqe', '--backend', 'ionq']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^qde: backend 'ionq' needs an API key: set the IONQ_API_KEY environment variable\n$/);
  } finally {
    if (saved.key === undefined) delete process.env.IONQ_API_KEY;
    else process.env.IONQ_API_KEY = saved.key;
    if (saved.base === undefined) delete process.env.IONQ_BASE_URL;
    else process.env.IONQ_BASE_URL = saved.base;
    await server.stop();
  }
});

test('backend options are checked together: --device needs noisy or ionq, --shots contradicts statevector', async () => {
  for (const [args, pattern] of [
    [['--device', 'aria-1'], /--device applies to --backend noisy or ionq, not statevector/],
    [['--backend', 'statevector', '--shots', '10'], /--shots does not apply to --backend statevector/],
    [['--mitigation', 'readout'], /--mitigation needs a measuring backend/],
    [['--backend', 'shots', '--mitigation', 'readout,fold'], /unknown mitigation 'fold'/],
    [['--backend', 'noisy', '--device', 'missing-noise.json'], /missing-noise\.json/],
  ] as const) {
    const r = await runQde(['energy', 'examples/h2.xyz', '--method', 'vqe', ...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.split('\n').length, 2);
  }
});

test('--mitigation wraps the measuring backend and --json reports the raw energy beside the mitigated one', async () => {
  const r = await energy(['--backend', 'noisy', '--device', 'noiseless', '--shots', '4000', '--mitigation', 'symmetry', '--seed', '1']);
  const report = r as Report & { mitigation?: string; rawEnergyHartree?: number };
  assert.equal(report.mitigation, 'symmetry');
  assert.equal(typeof report.rawEnergyHartree, 'number');
  // without noise nothing is discarded, so the mitigated energy is still an unbiased estimate
  assert.ok(Math.abs(r.energyHartree - PSI4_H2_FCI) < 4 * r.standardErrorHartree + 1e-6, `${r.energyHartree} ± ${r.standardErrorHartree}`);
});
