import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runQde, scratchDirectory } from './cli.test-util.js';

test('campaign run reports a malformed file with its key path (exit 2) and an unusable database before any work', async () => {
  const dir = scratchDirectory();
  try {
    const bad = dir.file('bad.yaml', 'name: b\nseed: 1\nmethods: [{ method: hf }]\nmolecules:\n  - example: h2\n    displacements: { count: -3, sigmaAngstrom: 0.1 }\n');
    const r = await runQde(['campaign', 'run', bad, '--db', join(dir.path, 'x.sqlite')]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `qde: ${bad}: molecules[0].displacements.count: expected a positive integer\n`);
    assert.equal(existsSync(join(dir.path, 'x.sqlite')), false);

    const good = dir.file('good.yaml', 'name: g\nseed: 1\nmethods: [{ method: hf, basis: sto-3g }]\nmolecules:\n  - example: h2\n');
    const db = join(dir.path, 'no-such-dir', 'x.sqlite');
    const u = await runQde(['campaign', 'run', good, '--db', db]);
    assert.equal(u.code, 2);
    assert.match(u.stderr, /^qde: label database .*no-such-dir\/x\.sqlite cannot be created: directory .*no-such-dir does not exist\n$/);
  } finally {
    dir.remove();
  }
});

test('campaign run then status: JSON summaries with counts per rung', async () => {
  const dir = scratchDirectory();
  try {
    const file = dir.file(
      'c.yaml',
      'name: small\nseed: 4\nmethods:\n  - { method: hf, basis: sto-3g }\n  - { method: mp2, basis: sto-3g }\nmolecules:\n  - example: h2\n  - example: lih\n',
    );
    const db = join(dir.path, 'c.sqlite');
    const r = await runQde(['campaign', 'run', file, '--db', db, '--workers', '1', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { labels: number; failed: number; jobs: number; stopReason: string };
    assert.deepEqual([report.jobs, report.labels, report.failed, report.stopReason], [4, 4, 0, 'complete']);
    const again = JSON.parse((await runQde(['campaign', 'run', file, '--db', db, '--json'])).stdout) as { labels: number; alreadyDone: number };
    assert.deepEqual([again.labels, again.alreadyDone], [0, 4]);
    const s = await runQde(['campaign', 'status', '--db', db, '--json']);
    assert.equal(s.code, 0, s.stderr);
    const status = JSON.parse(s.stdout) as { labels: number; geometries: number; rungs: { rung: string; done: number }[] };
    assert.deepEqual([status.labels, status.geometries], [4, 2]);
    assert.deepEqual(status.rungs.map((x) => [x.rung, x.done]), [['hf', 2], ['mp2', 2]]);
    const text = await runQde(['campaign', 'status', '--db', db]);
    assert.match(text.stdout, /campaigns\s+small \(4\/4 done\)/);
    const missing = await runQde(['campaign', 'status', '--db', join(dir.path, 'none.sqlite')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does not exist/);
  } finally {
    dir.remove();
  }
});
