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
import { buildCampaign, parseCampaignText, runCampaign } from '../src/dataset/index.js';
import { type ReportLoop, writeReport } from '../src/loop/index.js';

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

/** Loop sections given directly (the page must draw whatever the loop hands it). */
const LOOP: ReportLoop = {
  parity: [
    {
      name: 'model on VQE labels',
      truth: 'FCI',
      points: [
        { truthHartree: -2.1, predictedHartree: -2.098, series: 'H4' },
        { truthHartree: -2.2, predictedHartree: -2.203, series: 'H4' },
        { truthHartree: -3.2, predictedHartree: -3.19, series: 'H6' },
      ],
    },
  ],
  learningCurve: [
    { strategy: 'active', seed: 1, labels: 4, shots: 8000, errorHartree: 0.01 },
    { strategy: 'active', seed: 1, labels: 8, shots: 12000, errorHartree: 0.002 },
    { strategy: 'random', seed: 1, labels: 4, shots: 8000, errorHartree: 0.012 },
    { strategy: 'random', seed: 1, labels: 8, shots: 16000, errorHartree: 0.006 },
  ],
  placements: [
    { iteration: 0, coordinate: 0.9, labeller: 'vqe', system: 'H4' },
    { iteration: 1, coordinate: 1.4, labeller: 'vqe', system: 'H4' },
    { iteration: 1, coordinate: 1.1, labeller: 'vqe shots', system: 'H6' },
  ],
  placementCoordinate: 'mean H–H bond (Å)',
  seeds: [1],
};

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
    const out = join(dir, 'report.html');
    const written = await writeReport({ dbPath: db, out, title: 'H2 scan <test> & report', loop: LOOP });
    assert.equal(written.labels, 3 * STEPS);
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
      assert.deepEqual(names, ['cost per rung', 'dissociation H2 r(0,1)', 'learning curve labels', 'learning curve shots', 'parity model on VQE labels', 'placements']);
      for (const f of figures) {
        assert.ok(f.expected > 0, `${f.name}: has data`);
        assert.equal(f.drawn, f.expected, `${f.name}: ${f.drawn} ${f.mark} marks drawn (an SVG at least 100 px wide), ${f.expected} expected`);
        assert.ok(f.distinctPositions > 1, `${f.name}: the marks are not all at one place`);
      }
      const byName = new Map(figures.map((f) => [f.name, f]));
      // one point per (rung, geometry) of the campaign, and a table row per point
      assert.equal(byName.get('dissociation H2 r(0,1)')!.drawn, 3 * STEPS);
      assert.equal(byName.get('dissociation H2 r(0,1)')!.rows, 3 * STEPS);
      // three bars (labels, shots, seconds) per rung
      assert.equal(byName.get('cost per rung')!.drawn, 3 * 3);
      assert.equal(byName.get('parity model on VQE labels')!.drawn, 3);
      assert.equal(byName.get('placements')!.drawn, 3);
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
