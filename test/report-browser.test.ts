/**
 * The HTML report renders in a real browser: a small H2 bond scan (HF, FCI and VQE on the shot
 * backend) is labelled through the campaign runner, the report is written, and Debian's Chromium,
 * driven by playwright-core, opens it from file://. Every `figure[data-plot]` must hold an SVG whose
 * data marks (one symbol per point, one rect per bar, each with a non-empty path) match the points
 * plotted, no request may leave the page, and a screenshot is saved.
 *
 * Chromium is required (.ci/run installs it): when /usr/bin/chromium is missing the test fails and
 * says so rather than skipping.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { buildCampaign, openLabelStore, parseCampaignText, runCampaign } from '../src/dataset/index.js';
import { buildLoop, parseLoopText, readLoopHistory, runActiveLearning, writeReport } from '../src/loop/index.js';

const CHROMIUM = '/usr/bin/chromium';
const STEPS = 5;
const CAMPAIGN = `name: h2-report
seed: 3
quantities: [energy]
methods:
  - { method: hf, basis: sto-3g }
  - { method: fci, basis: sto-3g }
  - { method: vqe, basis: sto-3g, backend: { name: shots, shots: 2000 } }
molecules:
  - example: h2
    scan: { coordinate: bond, atoms: [0, 1], fromAngstrom: 0.5, toAngstrom: 2.1, steps: ${STEPS} }
`;

/** A tiny active-learning loop on the same H2 bond (VQE labels on the exact backend, FCI truth). */
const LOOP = `name: report-loop
seed: 2
systems:
  - name: H2
    example: h2
    candidates:
      - scan: { coordinate: bond, atoms: [0, 1], fromAngstrom: 0.55, toAngstrom: 2.05, steps: 16 }
    test:
      - scan: { coordinate: bond, atoms: [0, 1], fromAngstrom: 0.6, toAngstrom: 2.0, steps: 4 }
truth: { method: fci, basis: sto-3g }
labellers:
  - name: vqe-exact
    spec: { method: vqe, basis: sto-3g }
    cost: { perLabel: 1 }
initial: { perSystem: 2 }
batchSize: 1
budgets: { maxLabels: 4 }
strategies: [cost-aware, random]
`;

/** Held-out test geometries of the loop: each parity plot (one per strategy, from the history) draws one point per geometry. */
const TEST_POINTS = 4;
const PARITY_NAMES = ['parity report-loop, cost-aware: final model', 'parity report-loop, random: final model'];

interface FigureCheck {
  name: string;
  mark: string;
  expected: number;
  drawn: number;
  rows: number;
  distinctPositions: number;
}

test('the HTML report renders every plot with its data in Chromium, fetches nothing, and screenshots', async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `Debian's chromium is missing at ${CHROMIUM}: install it (apt-get install chromium; .ci/run does) — the report's browser test needs it`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'qde-report-'));
  try {
    const db = join(dir, 'labels.sqlite');
    const campaign = buildCampaign(parseCampaignText(CAMPAIGN, 'h2-report.yaml'), null);
    const run = await runCampaign(campaign, { dbPath: db, workers: 1 });
    assert.equal(run.labels, 3 * STEPS);
    const loop = buildLoop(parseLoopText(LOOP, 'report-loop.yaml'), null);
    const store = openLabelStore(db);
    try {
      for (const strategy of ['cost-aware', 'random'] as const) await runActiveLearning(loop, { store, seed: 2, strategy });
    } finally {
      store.close();
    }
    const history = readLoopHistory(db);
    const acquired = history.runs.find((r) => r.strategy === 'cost-aware')!.iterations.reduce((n, it) => n + it.acquisitions.length, 0);
    const curvePoints = history.runs.reduce((n, r) => n + r.iterations.filter((it) => it.testMaeHartree !== null).length, 0);
    assert.ok(acquired >= 4 && curvePoints >= 2, `a loop history (${acquired} acquisitions, ${curvePoints} curve points)`);
    const out = join(dir, 'report.html');
    const written = await writeReport({ dbPath: db, out, title: 'H2 scan <test> & report' });
    // the final model of each run predicted every test geometry, with a σ
    const finals = history.runs.map((r) => r.iterations[r.iterations.length - 1]!.testPredictions);
    assert.deepEqual(finals.map((p) => p.length), [TEST_POINTS, TEST_POINTS]);
    const withSigma = finals.map((p) => p.filter((x) => x.sigmaHartree > 0).length);
    assert.ok(written.labels > 3 * STEPS, 'the campaign labels and the loop labels');
    const html = readFileSync(out, 'utf8');
    // self-contained: no scripts, no stylesheets or images by reference
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\(/i);
    assert.doesNotMatch(html, /\s(src|href)="(https?:)?\/\//i);
    assert.match(html, /<title>H2 scan &lt;test&gt; &amp; report<\/title>/);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      await context.route('**', (route) => {
        const url = route.request().url();
        requests.push(url);
        if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
        return route.abort();
      });
      const page = await context.newPage();
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });

      const figures: FigureCheck[] = await page.$$eval('figure[data-plot]', (nodes) =>
        nodes.map((f) => {
          const mark = f.getAttribute('data-mark') ?? '';
          const paths = (Array.from(f.querySelectorAll(`svg g.mark-${mark}.role-mark > path`)) as { getAttribute(name: string): string | null }[]).filter((p) => (p.getAttribute('d') ?? '').trim().length > 0);
          const positions = new Set(paths.map((p) => `${p.getAttribute('transform') ?? ''} ${mark === 'rect' ? p.getAttribute('d') : ''}`));
          const box = f.querySelector('svg')?.getBoundingClientRect();
          return {
            name: f.getAttribute('data-plot') ?? '',
            mark,
            expected: Number(f.getAttribute('data-points')),
            drawn: box !== undefined && box.width > 100 && box.height > 100 ? paths.length : -1,
            rows: f.querySelectorAll('table tbody tr').length,
            distinctPositions: positions.size,
          };
        }),
      );
      const names = figures.map((f) => f.name).sort();
      // no shots in the loop (exact VQE labels): no curve against shots
      assert.deepEqual(names, ['cost per rung', 'dissociation H2 r(0,1)', 'learning curve labels', ...PARITY_NAMES, 'placements']);
      for (const f of figures) {
        assert.ok(f.expected > 0, `${f.name}: has data`);
        assert.equal(f.drawn, f.expected, `${f.name}: ${f.drawn} ${f.mark} marks drawn (an SVG at least 100 px wide), ${f.expected} expected`);
        assert.ok(f.distinctPositions > 1, `${f.name}: the marks are not all at one place`);
      }
      const byName = new Map(figures.map((f) => [f.name, f]));
      // one point per label on the H2 bond (the campaign's HF, FCI, VQE-shots, and the loop's VQE and FCI labels)
      const h2Labels = written.labels;
      assert.equal(byName.get('dissociation H2 r(0,1)')!.drawn, h2Labels);
      assert.equal(byName.get('dissociation H2 r(0,1)')!.rows, h2Labels);
      // three bars (labels, shots, seconds) per rung: hf, fci, vqe (exact, from the loop), vqe · 2000 shots
      assert.equal(byName.get('cost per rung')!.drawn, 3 * 4);
      for (const [k, name] of PARITY_NAMES.entries()) {
        assert.equal(byName.get(name)!.drawn, TEST_POINTS, `${name}: one point per test geometry`);
        assert.equal(byName.get(name)!.rows, TEST_POINTS);
        // one ±2σ bar per prediction with σ > 0
        const rules = await page.$$eval(`figure[data-plot="${name}"] svg g.mark-rule.role-mark > line`, (n) => n.length);
        assert.equal(rules, withSigma[k], `${name}: ±2σ bars`);
      }
      assert.ok(withSigma.some((n) => n > 0), 'some predictions carry a σ');
      assert.equal(byName.get('placements')!.drawn, acquired);
      assert.equal(byName.get('learning curve labels')!.drawn, curvePoints);
      // the shot-based VQE labels carry ±2σ bars: one rule per VQE point
      const bars = await page.$$eval('figure[data-plot^="dissociation"] svg g.mark-rule.role-mark > line', (n) => n.length);
      assert.equal(bars, STEPS);

      const external = requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'));
      assert.deepEqual(external, [], 'no request leaves the page');
      assert.ok(requests.some((u) => u.startsWith('file:')), 'the request listener saw the page itself');

      const png = join(dir, 'report.png');
      await page.screenshot({ path: png, fullPage: true });
      const bytes = readFileSync(png);
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
      assert.ok(statSync(png).size > 20_000, `a non-trivial screenshot (${statSync(png).size} bytes)`);
      await context.close();
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
