// The library example in README.md must run as written (with 'qde' resolved to the sources).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

test('README library example runs', () => {
  const readme = readFileSync('README.md', 'utf8');
  const match = /```ts\n([\s\S]*?)```/.exec(readme);
  assert.ok(match, 'README has a ```ts block');
  const source = pathToFileURL(resolve('src/index.ts')).href;
  const dir = mkdtempSync(join(tmpdir(), 'qde-readme-'));
  try {
    const code = match[1]!
      .replace(/from 'qde'/, `from '${source}'`)
      .replaceAll("'examples/", `'${resolve('examples')}/`)
      .replace("'h2o-cas44.fcidump'", `'${join(dir, 'h2o-cas44.fcidump')}'`);
    const file = join(dir, 'example.mts');
    writeFileSync(file, code);
    const run = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 120000 });
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 4, run.stdout);
    // H2O cc-pVDZ RHF energy at examples/h2o.xyz is about −76.03 Eh
    assert.match(lines[0]!, /^-76\.0\d+ \d+$/);
    readFileSync(join(dir, 'h2o-cas44.fcidump'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
