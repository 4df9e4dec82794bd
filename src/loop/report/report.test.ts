import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, escapeHtml } from './html.js';
import { type ReportData, type ReportLabel, meanBondAngstrom, rungName, scanCoordinate } from './data.js';

const BOHR_IN_ANGSTROM = 0.529177210903; // CODATA 2018

function emptyData(): ReportData {
  return {
    title: 'empty <store> & "friends"',
    source: null,
    campaign: null,
    qdeVersion: '0.0.0-test',
    generated: '2026-01-01T00:00:00.000Z',
    labels: [],
    campaigns: [],
    runWallSeconds: null,
    loop: null,
    tables: [],
  };
}

function label(rung: string, r: number, e: number, se: number): ReportLabel {
  return {
    key: `${rung}-${r}`,
    geometryKey: `g-${r}`,
    formula: 'H2',
    title: `H2 r(0,1) = ${r.toFixed(6)} Å`,
    method: rung.split(' ')[0]!,
    rung,
    energyHartree: e,
    standardErrorHartree: se,
    shots: se > 0 ? 1000 : 0,
    wallSeconds: 0.01,
    qdeVersion: '0.0.0-test',
    seed: 7,
    host: 'h',
    coordinate: scanCoordinate(`H2 r(0,1) = ${r.toFixed(6)} Å`, [1, 1], [0, 0, 0, 0, 0, r / BOHR_IN_ANGSTROM]),
  };
}

test('scan coordinates: from sampler titles, else the bond length of a diatomic', () => {
  assert.deepEqual(scanCoordinate('H2 r(0,1) = 0.740000 Å', [1, 1], [0, 0, 0, 0, 0, 9]), { name: 'r(0,1)', unit: 'Å', value: 0.74 });
  assert.deepEqual(scanCoordinate('H2O angle(1,0,2) = 104.5000°', [8, 1, 1], [0, 0, 0, 1, 0, 0, 0, 1, 0]), { name: 'angle(1,0,2)', unit: '°', value: 104.5 });
  // 1.4 Bohr = 0.740848 Å
  const c = scanCoordinate(null, [1, 1], [0, 0, 0, 0, 0, 1.4]);
  assert.ok(c !== null && Math.abs(c.value - 1.4 * BOHR_IN_ANGSTROM) < 1e-9);
  assert.equal(scanCoordinate('H4 linear chain r = 1.0 Å', [1, 1, 1, 1], new Array(12).fill(0)), null);
  // a zig-zag of 1.0 Å bonds: mean distance between consecutive atoms is 1 Å
  const a = 1 / BOHR_IN_ANGSTROM;
  const p = [0, 0, 0, a * Math.cos(0.5), a * Math.sin(0.5), 0, 2 * a * Math.cos(0.5), 0, 0];
  assert.ok(Math.abs(meanBondAngstrom(p) - 1) < 1e-8); // CODATA 2014 inside qde, 2018 here
});

test('rung names carry the backend when it is not the exact state vector', () => {
  assert.equal(rungName('fci', null), 'fci');
  assert.equal(rungName('vqe', { name: 'statevector', device: null, shots: null, mitigation: null }), 'vqe');
  assert.equal(rungName('vqe', { name: 'shots', device: null, shots: 2000, mitigation: null }), 'vqe · 2000 shots');
  assert.equal(rungName('vqe', { name: 'noisy', device: 'aria-1', shots: 4000, mitigation: 'readout,zne' }), 'vqe · noisy aria-1 · 4000 shots · mitigated (readout,zne)');
});

test('a report without data: every section says why it is absent, nothing is fetched, text is escaped', async () => {
  const html = await buildReport(emptyData());
  assert.equal((html.match(/<figure /g) ?? []).length, 0);
  assert.match(html, /<title>empty &lt;store&gt; &amp; &quot;friends&quot;<\/title>/);
  for (const id of ['summary', 'dissociation', 'cost', 'parity', 'learning', 'placement']) assert.match(html, new RegExp(`<section id="${id}">`));
  assert.equal((html.match(/<p class="absent">/g) ?? []).length, 5);
  assert.doesNotMatch(html, /<script|<link|src=/);
  assert.equal(escapeHtml(`<a href='x'>&</a>`), '&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
});

test('dissociation figures: one per scan, ±2σ bars in the table, and one point mark per label', async () => {
  const data = emptyData();
  data.labels = [
    label('fci', 0.6, -1.116, 0),
    label('fci', 0.8, -1.134, 0),
    label('fci', 1.0, -1.101, 0),
    label('vqe · 1000 shots', 0.6, -1.110, 0.004),
    label('vqe · 1000 shots', 0.8, -1.140, 0.003),
    label('vqe · 1000 shots', 1.0, -1.095, 0.005),
  ];
  data.tables = [{ title: 'errors', columns: ['what', 'mEh'], rows: [['a', 1.5]], note: 'measured' }];
  const html = await buildReport(data);
  const fig = /<figure data-plot="dissociation H2 r\(0,1\)" data-mark="symbol" data-points="6">([\s\S]*?)<\/figure>/.exec(html);
  assert.ok(fig !== null, 'the H2 scan figure');
  // Vega draws one <path> per point in the role-mark symbol group
  const group = /<g class="mark-symbol role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/.exec(fig[1]!);
  assert.equal((group![1]!.match(/<path /g) ?? []).length, 6);
  // three error bars (the shot-based labels), none for FCI
  const rules = /<g class="mark-rule role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/.exec(fig[1]!);
  assert.equal((rules![1]!.match(/<line /g) ?? []).length, 3);
  // ±2σ column in mEh: 2 × 5 mEh at 1.0 Å
  const row = /<tr><td class="text">vqe · 1000 shots<\/td><td>1<\/td><td>-1\.09500<\/td><td>([^<]*)<\/td><\/tr>/.exec(fig[1]!);
  assert.ok(row !== null, 'the table row of the 1.0 Å shot label');
  assert.ok(Math.abs(Number(row[1]) - 10) < 1e-9, row[1]);
  assert.match(html, /<figure data-plot="cost per rung" data-mark="rect" data-points="6">/);
  assert.match(html, /<h3>errors<\/h3>/);
});
