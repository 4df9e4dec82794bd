/**
 * `qde demo --json` with its real settings: the JSON table of measured errors has the documented
 * shape with finite numbers, and the store and the HTML report exist. (No timing is asserted.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runQde, scratchDirectory } from './cli.test-util.js';
import type { DemoResult } from '../loop/index.js';

test('qde demo --json: one JSON object with the table of measured errors; the store and the report exist', async () => {
  const dir = scratchDirectory();
  try {
    const out = join(dir.path, 'demo');
    const r = await runQde(['demo', '--json', '--out', out, '--seed', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 1, 'one line of JSON');
    const result = JSON.parse(r.stdout) as DemoResult;
    assert.equal(result.demo, 'qde');
    assert.equal(result.seed, 0);
    // one progress line per step (and a result line after the long ones) on stderr
    for (const k of [1, 2, 3, 4]) assert.match(r.stderr, new RegExp(`^\\[${k}/4\\] `, 'm'));
    assert.ok(existsSync(result.db) && result.db.startsWith(out));
    assert.ok(existsSync(result.report) && result.report === join(out, 'report.html'));
    assert.ok(result.labels > 0 && Number.isInteger(result.shots) && result.shots > 0);

    const quantities = result.table.map((row) => `${row.step} ${row.quantity} | ${row.system}`);
    const has = (step: number, pattern: RegExp) => assert.ok(quantities.some((q) => q.startsWith(`${step} `) && pattern.test(q)), `${pattern} in ${quantities.join('; ')}`);
    has(1, /VQE-UCCSD \(exact backend\) − FCI/);
    has(1, /aria-1 raw − FCI/);
    has(1, /aria-1 mitigated − FCI/);
    has(2, /\(cost-aware\)/);
    has(2, /\(random\)/);
    for (const n of [8, 10]) {
      has(3, new RegExp(`model .* − FCI \\| H${n}$`));
      has(3, new RegExp(`CCSD run directly − FCI \\| H${n}$`));
    }
    for (const row of result.table) {
      assert.ok(Number.isFinite(row.errorMilliHartree) && Number.isFinite(row.maxErrorMilliHartree), `${row.quantity}: finite errors`);
      assert.ok(row.count > 0);
      assert.ok(row.twoSigmaMilliHartree === null || (Number.isFinite(row.twoSigmaMilliHartree) && row.twoSigmaMilliHartree > 0));
    }
    // the mitigated noisy label carries its error bar; the exact ones do not
    assert.ok(result.table.find((x) => /aria-1 mitigated/.test(x.quantity))!.twoSigmaMilliHartree !== null);
    assert.equal(result.table.find((x) => /VQE-UCCSD/.test(x.quantity))!.twoSigmaMilliHartree, null);
    // UCCSD is exact for two electrons and within a few mEh of FCI for H4 (well below chemical-accuracy-scale noise)
    const vqe = result.table.find((x) => /VQE-UCCSD/.test(x.quantity))!;
    assert.ok(vqe.maxErrorMilliHartree >= 0 && vqe.maxErrorMilliHartree < 5, `VQE − FCI max ${vqe.maxErrorMilliHartree} mEh`);
    assert.deepEqual(result.activeLearning.map((a) => a.strategy).sort(), ['cost-aware', 'random']);

    const html = readFileSync(result.report, 'utf8');
    for (const plot of ['dissociation H2 r(0,1)', 'cost per rung', 'learning curve labels', 'placements']) assert.ok(html.includes(`data-plot="${plot}"`), plot);
    assert.equal((html.match(/data-plot="parity /g) ?? []).length, 2);
    assert.match(html, /Errors measured by this demo/);
  } finally {
    dir.remove();
  }
});

test('qde demo: an output path that is a file, or a bad seed, exits 2 with one line before any work', async () => {
  const dir = scratchDirectory();
  try {
    const file = dir.file('taken', 'not a directory');
    const r = await runQde(['demo', '--out', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^qde: demo output directory .*taken: it exists and is not a directory\n$/);
    assert.equal(r.stdout, '');
    const seed = await runQde(['demo', '--seed', '-1']);
    assert.equal(seed.code, 2);
    assert.equal(seed.stderr.trim().split('\n').length, 1);
  } finally {
    dir.remove();
  }
});
