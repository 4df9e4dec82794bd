/**
 * The installed command, bin/qde: a shell launcher that sets glibc's malloc tunables for large
 * arrays (transparent huge pages, heap reuse) and replaces itself with node running bin/qde.js (the
 * build in dist/, which `npm ci` makes).
 *
 * The first checks put a stand-in `node` first on PATH that prints what it was given, so they see
 * exactly the environment and arguments the launcher passes, called through a symlink as npm
 * installs it; the last runs the real command end to end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LAUNCHER = join(ROOT, 'bin', 'qde');

/** Runs the launcher through a symlink in a scratch bin directory, with a stand-in node on PATH. */
function launchWithStandIn(args: string[], tunables?: string): { status: number | null; lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'qde-launcher-'));
  try {
    const standIn = join(dir, 'node');
    writeFileSync(standIn, '#!/bin/sh\nprintf "%s\\n" "tunables=$GLIBC_TUNABLES" "$@"\n');
    chmodSync(standIn, 0o755);
    const link = join(dir, 'qde');
    symlinkSync(LAUNCHER, link);
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` };
    delete env.GLIBC_TUNABLES;
    if (tunables !== undefined) env.GLIBC_TUNABLES = tunables;
    const r = spawnSync(link, args, { env, encoding: 'utf8' });
    return { status: r.status, lines: r.stdout.trimEnd().split('\n') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TUNABLES = 'glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=134217728';

test('the launcher sets the malloc tunables and passes every argument to bin/qde.js unchanged', () => {
  const r = launchWithStandIn(['energy', 'a file.xyz', '', '--basis', 'sto-3g']);
  assert.equal(r.status, 0);
  assert.deepEqual(r.lines, [
    `tunables=${TUNABLES}`,
    join(ROOT, 'bin', 'qde.js'),
    'energy',
    'a file.xyz',
    '',
    '--basis',
    'sto-3g',
  ]);
});

test('the launcher keeps tunables the user set and adds its own after them, except those the user set', () => {
  assert.equal(launchWithStandIn(['--version'], 'glibc.malloc.arena_max=2').lines[0], `tunables=glibc.malloc.arena_max=2:${TUNABLES}`);
  assert.equal(
    launchWithStandIn(['--version'], 'glibc.malloc.trim_threshold=0:glibc.malloc.hugetlb=0').lines[0],
    'tunables=glibc.malloc.trim_threshold=0:glibc.malloc.hugetlb=0:glibc.malloc.mmap_threshold=33554432',
  );
});

test('npm run bench runs qde with the launcher\'s tunables', () => {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  assert.match(scripts.bench, new RegExp(`GLIBC_TUNABLES=${TUNABLES} node `));
});

test('the launcher execs node: the process started is the one that runs qde', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qde-launcher-'));
  try {
    const link = join(dir, 'qde');
    symlinkSync(LAUNCHER, link);
    // The stand-in reports its own pid; with exec it is the pid spawn returned.
    const standIn = join(dir, 'node');
    writeFileSync(standIn, `#!/bin/sh\necho $$ > "${join(dir, 'pid')}"\n`);
    chmodSync(standIn, 0o755);
    const r = spawnSync('sh', ['-c', `"${link}" & echo $!; wait`], { env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` }, encoding: 'utf8' });
    assert.equal(r.status, 0);
    const started = r.stdout.trim();
    assert.ok(existsSync(join(dir, 'pid')));
    assert.equal(spawnSync('cat', [join(dir, 'pid')], { encoding: 'utf8' }).stdout.trim(), started);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the installed command computes: RHF/STO-3G water through bin/qde equals Psi4, and bad input exits 2 with the message', () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'dist/ is missing: npm ci builds it (npm run build)');
  const ok = spawnSync(LAUNCHER, ['energy', 'examples/h2o.xyz', '--basis', 'sto-3g', '--json'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  // Psi4 1.3.2, psi4.energy('scf') with basis sto-3g, reference rhf, for examples/h2o.xyz (as in energy.test.ts)
  assert.ok(Math.abs((JSON.parse(ok.stdout) as { energyHartree: number }).energyHartree - -74.96302728968574) < 1e-8, ok.stdout);
  const bad = spawnSync(LAUNCHER, ['energy', 'no-such-file.xyz'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no-such-file\.xyz.*no such file/);
});
