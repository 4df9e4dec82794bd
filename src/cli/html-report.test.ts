import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runQde, scratchDirectory } from './cli.test-util.js';

test('qde report: writes the HTML report of a store; bad paths exit 2 with one line', async () => {
  const dir = scratchDirectory();
  try {
    const db = join(dir.path, 'tiny.sqlite');
    const run = await runQde(['campaign', 'run', 'examples/campaigns/tiny.yaml', '--db', db, '--workers', '1', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const out = join(dir.path, 'report.html');
    const r = await runQde(['report', '--db', db, '--out', out, '--title', 'tiny labels', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { path: string; labels: number; figures: number };
    // tiny.yaml: a 3-point H2 scan and 2 H4 chains, each with HF and FCI
    assert.equal(summary.labels, 10);
    assert.equal(summary.figures, 2); // the H2 scan and the cost per rung
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<title>tiny labels<\/title>/);
    assert.match(html, /data-plot="dissociation H2 r\(0,1\)" data-mark="symbol" data-points="6"/);

    const text = await runQde(['report', '--db', db, '--out', out, '--campaign', 'tiny']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^report +.*report\.html$/m);

    const missing = await runQde(['report', '--db', join(dir.path, 'none.sqlite'), '--out', out]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^qde: label database .*none\.sqlite does not exist/);
    assert.equal(missing.stderr.trim().split('\n').length, 1);

    const noDir = await runQde(['report', '--db', db, '--out', join(dir.path, 'no-such-dir', 'r.html')]);
    assert.equal(noDir.code, 2);
    assert.match(noDir.stderr, /^qde: cannot write report '.*r\.html': directory .*no-such-dir does not exist\n$/);

    mkdirSync(join(dir.path, 'taken'));
    const isDir = await runQde(['report', '--db', db, '--out', join(dir.path, 'taken')]);
    assert.equal(isDir.code, 2);
    assert.match(isDir.stderr, /^qde: cannot write report '.*taken': it is a directory\n$/);

    const campaign = await runQde(['report', '--db', db, '--out', join(dir.path, 'x.html'), '--campaign', 'nope']);
    assert.equal(campaign.code, 2);
    assert.match(campaign.stderr, /^qde: label database .* has no campaign 'nope' \(known: tiny\)\n$/);
    assert.equal(existsSync(join(dir.path, 'x.html')), false);

    const noOut = await runQde(['report', '--db', db]);
    assert.equal(noOut.code, 2);
    assert.match(noOut.stderr, /--out/);
  } finally {
    dir.remove();
  }
});
