/**
 * Start-up stays lean: a `qde` process loads only the modules of the sub-command it runs, and the
 * heavy optional libraries (BullMQ/ioredis, Arrow/Parquet, Vega, cli-progress, zod, YAML) only when
 * a feature that needs them runs.
 *
 * Each check spawns a fresh Node process (through tsx, from the sources) with a module hook that
 * records every module it resolves (ESM, through a resolve hook) or requires (CommonJS, from the
 * require cache at exit), then asserts which modules are and are not in that list. Nothing here
 * measures time, so the checks do not depend on the machine's load.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SUB_COMMANDS, buildProgram, subCommandsFor } from './main.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(SRC, '..');

/** Packages that no start-up may load, only the feature that uses them. */
const HEAVY_PACKAGES = ['bullmq', 'ioredis', 'apache-arrow', 'parquet-wasm', 'vega', 'vega-lite', 'cli-progress', 'zod', 'yaml', 'openchemlib', 'qsharp-lang'];
const QUANTUM_STAGES = ['qubits', 'circuits', 'backends', 'algorithms'];

const RECORDER = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.MODULE_TRACE_FILE, result.url + '\\n');
  return result;
}
`;
const REGISTER = `
import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register(new URL('./recorder.mjs', import.meta.url));
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => appendFileSync(process.env.MODULE_TRACE_FILE, Object.keys(cache).join('\\n') + '\\n'));
`;

/** What one process loaded: its source-stage folders and its packages. */
interface Loaded {
  status: number | null;
  stdout: string;
  stderr: string;
  stages: Set<string>;
  packages: Set<string>;
}

/** Run `node --import tsx <args>` from the repository root and list the modules it loaded. */
function traced(args: string[]): Loaded {
  const dir = mkdtempSync(join(tmpdir(), 'qde-startup-'));
  try {
    writeFileSync(join(dir, 'recorder.mjs'), RECORDER);
    writeFileSync(join(dir, 'register.mjs'), REGISTER);
    const trace = join(dir, 'trace.txt');
    writeFileSync(trace, '');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', pathToFileURL(join(dir, 'register.mjs')).href, ...args], {
      cwd: ROOT,
      env: { ...process.env, MODULE_TRACE_FILE: trace, QDE_DEBUG: '1' },
      encoding: 'utf8',
      timeout: 300_000,
    });
    const stages = new Set<string>();
    const packages = new Set<string>();
    for (const line of readFileSync(trace, 'utf8').split('\n')) {
      const path = line.startsWith('file:') ? fileURLToPath(line) : line;
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
      if (pkg) packages.add(pkg[1]!);
      else if (path.startsWith(SRC)) stages.add(path.slice(SRC.length).split('/')[0]!);
    }
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, stages, packages };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const entry = join(SRC, 'cli', 'entry.ts');
const importOnly = (file: string): string[] => ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(join(SRC, file)).href)});`];

function assertNone(loaded: Set<string>, names: readonly string[], what: string): void {
  const found = names.filter((n) => loaded.has(n));
  assert.deepEqual(found, [], `${what} loaded ${found.join(', ')}`);
}

test('qde --version loads the command line and core, no pipeline stage and no heavy package', () => {
  const r = traced([entry, '--version']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\d+\.\d+\.\d+/);
  assert.ok(r.stages.has('cli') && r.stages.has('core'), 'the trace saw the sources');
  assert.ok(r.packages.has('commander'), 'the trace saw the packages');
  assertNone(r.stages, ['chem', 'basis', 'integrals', 'scf', 'hamiltonian', 'classical', ...QUANTUM_STAGES, 'methods', 'dataset', 'ml', 'loop'], 'qde --version');
  assertNone(r.packages, HEAVY_PACKAGES, 'qde --version');
});

test('qde energy with a classical method loads the classical pipeline only (and gives the Psi4 RHF energy of water)', () => {
  const r = traced([entry, 'energy', 'examples/h2o.xyz', '--basis', 'sto-3g', '--json']);
  assert.equal(r.status, 0, r.stderr);
  // Psi4 1.3.2, RHF/STO-3G on examples/h2o.xyz (as in energy.test.ts)
  assert.ok(Math.abs((JSON.parse(r.stdout) as { energyHartree: number }).energyHartree - -74.96302728968574) < 1e-8, r.stdout);
  assert.ok(r.stages.has('methods') && r.stages.has('scf'));
  assertNone(r.stages, [...QUANTUM_STAGES, 'dataset', 'ml', 'loop'], 'qde energy --method hf');
  assertNone(r.packages, HEAVY_PACKAGES, 'qde energy --method hf');
});

test('a quantum method loads the quantum stages when it runs', () => {
  const r = traced([entry, 'energy', 'examples/h2.xyz', '--method', 'vqe', '--json']);
  assert.equal(r.status, 0, r.stderr);
  for (const stage of QUANTUM_STAGES) assert.ok(r.stages.has(stage), `vqe did not load ${stage}`);
  assertNone(r.stages, ['dataset', 'ml', 'loop'], 'qde energy --method vqe');
});

test('the campaign label worker starts without the quantum stages or any heavy package', () => {
  const r = traced(importOnly('dataset/worker.ts'));
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stages.has('methods') && r.stages.has('dataset'));
  assertNone(r.stages, [...QUANTUM_STAGES, 'ml', 'loop'], 'the label worker');
  assertNone(r.packages, HEAVY_PACKAGES, 'the label worker');
});

test('importing the dataset, ml and loop stages loads no queue, Parquet, plotting or progress-bar library', () => {
  const r = traced(importOnly('loop/index.ts'));
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stages.has('dataset') && r.stages.has('ml') && r.stages.has('loop'));
  assertNone(r.packages, ['bullmq', 'ioredis', 'apache-arrow', 'parquet-wasm', 'vega', 'vega-lite', 'cli-progress'], 'the loop stage');
});

test('each sub-command is built under the name main looks it up by, in the order of the overview help', async () => {
  const program = await buildProgram({ stdout: () => {}, stderr: () => {} }, () => {});
  assert.deepEqual(program.commands.map((c) => c.name()), SUB_COMMANDS.map((c) => c.name));
  assert.deepEqual(subCommandsFor(['energy', 'x.xyz', '--help']), ['energy']);
  assert.deepEqual(subCommandsFor(['--version']), []);
  assert.deepEqual(subCommandsFor(['-V']), []);
  for (const argv of [[], ['--help'], ['help', 'energy'], ['enrgy'], ['--version', 'energy']]) {
    assert.deepEqual(subCommandsFor(argv), SUB_COMMANDS.map((c) => c.name), JSON.stringify(argv));
  }
});
