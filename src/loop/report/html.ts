/**
 * The self-contained HTML report: one file with inline CSS and inline SVG figures (rendered by
 * Vega-Lite in Node), no `<script>`, no external stylesheet, font or image, so it opens offline and
 * fetches nothing.
 *
 * Sections: summary (labels, rungs, shots, time, provenance), extra tables (e.g. the demo's measured
 * errors), dissociation curves per rung (one figure per scan, ±2σ bars from the standard errors),
 * cost per rung, parity plots, learning curves (against labels and against shots) and where the
 * labels were placed. A section whose data is absent is replaced by one sentence saying so.
 *
 * Every figure is `<figure data-plot="NAME" data-mark="symbol|rect" data-points="N">` holding the SVG,
 * a caption and a table of the plotted numbers; `data-points` is the number of data marks drawn.
 */
import type { ReportData, ReportLabel, ReportTable } from './data.js';
import { type Figure, costFigure, dissociationFigure, learningCurveFigure, parityFigure, placementFigure } from './figures.js';

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 0; color: #1d2329; background: #fafbfc; }
header { background: #20364f; color: #fff; padding: 1.2rem 2rem; }
header h1 { margin: 0 0 .3rem 0; font-size: 1.5rem; }
header p { margin: 0; opacity: .85; font-size: .9rem; }
nav { padding: .6rem 2rem; background: #e9eef3; font-size: .9rem; }
nav a { margin-right: 1rem; color: #20364f; }
main { padding: 0 2rem 2rem 2rem; max-width: 1200px; }
section { margin-top: 1.8rem; }
h2 { border-bottom: 2px solid #d5dde5; padding-bottom: .2rem; font-size: 1.2rem; }
p.absent { color: #5b6670; font-style: italic; }
.figures { display: flex; flex-wrap: wrap; gap: 1.5rem; }
figure { margin: 0; background: #fff; border: 1px solid #d5dde5; border-radius: 6px; padding: .8rem; max-width: 100%; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: #3a4550; margin: .4rem 0; max-width: 40rem; }
table { border-collapse: collapse; font-size: .8rem; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d5dde5; padding: .15rem .45rem; text-align: right; }
th { background: #f0f3f6; }
td:first-child, th:first-child, td.text { text-align: left; }
details summary { cursor: pointer; font-size: .8rem; color: #20364f; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; font-size: .9rem; }
dl.summary dt { font-weight: 600; }
dl.summary dd { margin: 0; }
`;

/** A number for a table cell: 6 significant digits, integers as they are. */
function num(v: number, digits = 6): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? v.toPrecision(digits) : v.toExponential(digits - 1);
}

function tableHtml(columns: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const head = `<tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  // numbers (and numbers given as text) right-aligned, words left-aligned
  const cell = (v: string | number) =>
    typeof v === 'number' || /^[-+−]?[\d.,]+(e[-+]?\d+)?$|^—$/.test(v) ? `<td>${escapeHtml(typeof v === 'number' ? num(v) : v)}</td>` : `<td class="text">${escapeHtml(v)}</td>`;
  const body = rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function figureHtml(name: string, figure: Figure, caption: string, columns: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const table = tableHtml(columns, rows);
  const numbers = rows.length > 12 ? `<details><summary>the ${rows.length} plotted numbers</summary>\n${table}\n</details>` : table;
  return `<figure data-plot="${escapeHtml(name)}" data-mark="${figure.mark}" data-points="${figure.marks}">
${figure.svg}
<figcaption>${escapeHtml(caption)}</figcaption>
${numbers}
</figure>`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}">\n<h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

function absent(sentence: string): string {
  return `<p class="absent">${escapeHtml(sentence)}</p>`;
}

function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(2)} h`;
}

function summaryHtml(data: ReportData): string {
  const labels = data.labels;
  const rungs = new Map<string, number>();
  for (const l of labels) rungs.set(l.rung, (rungs.get(l.rung) ?? 0) + 1);
  const shots = labels.reduce((s, l) => s + l.shots, 0);
  const compute = labels.reduce((s, l) => s + l.wallSeconds, 0);
  const seeds = distinct([...data.campaigns.map((c) => c.seed), ...labels.map((l) => l.seed).filter((s): s is number => s !== null), ...(data.loop?.seeds ?? [])]).sort((a, b) => a - b);
  const versions = distinct(labels.map((l) => l.qdeVersion)).sort();
  const hosts = distinct(labels.map((l) => l.host)).sort();
  const rows: [string, string][] = [
    ['labels', `${labels.length} on ${distinct(labels.map((l) => l.geometryKey)).length} geometries`],
    ['rungs', rungs.size === 0 ? 'none' : [...rungs].map(([r, n]) => `${r} (${n})`).join(', ')],
    ['shots', shots.toLocaleString('en-US')],
    ['compute time', `${duration(compute)} (sum of the labels' own wall times)`],
  ];
  if (data.runWallSeconds !== null) rows.push(['campaign wall time', duration(data.runWallSeconds)]);
  if (data.campaigns.length > 0) rows.push(['campaigns', data.campaigns.map((c) => `${c.name} (seed ${c.seed})`).join(', ')]);
  rows.push(['seeds', seeds.length === 0 ? 'none recorded' : seeds.join(', ')]);
  rows.push(['qde version', `${versions.length === 0 ? '—' : versions.join(', ')} (labels); ${data.qdeVersion} (this report)`]);
  if (hosts.length > 0) rows.push(['hosts', hosts.join(', ')]);
  if (data.source !== null) rows.push(['source', data.source]);
  rows.push(['generated', data.generated]);
  const list = rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n');
  return `<dl class="summary">\n${list}\n</dl>`;
}

function tablesHtml(tables: readonly ReportTable[]): string {
  return tables
    .map((t) => `<h3>${escapeHtml(t.title)}</h3>\n${tableHtml(t.columns, t.rows)}${t.note ? `\n<p>${escapeHtml(t.note)}</p>` : ''}`)
    .join('\n');
}

/** Scans: labels grouped by formula and coordinate name, with at least two geometries. */
function scans(labels: readonly ReportLabel[]): { formula: string; coordinate: string; unit: string; labels: ReportLabel[] }[] {
  const groups = new Map<string, ReportLabel[]>();
  for (const l of labels) {
    if (l.coordinate === null) continue;
    const k = `${l.formula} ${l.coordinate.name} ${l.coordinate.unit}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(l);
  }
  const out = [];
  for (const group of groups.values()) {
    if (distinct(group.map((l) => l.geometryKey)).length < 2) continue;
    group.sort((a, b) => a.rung.localeCompare(b.rung) || a.coordinate!.value - b.coordinate!.value);
    const c = group[0]!.coordinate!;
    out.push({ formula: group[0]!.formula, coordinate: c.name, unit: c.unit, labels: group });
  }
  return out.sort((a, b) => a.formula.localeCompare(b.formula) || a.coordinate.localeCompare(b.coordinate));
}

async function dissociationHtml(labels: readonly ReportLabel[]): Promise<string> {
  const groups = scans(labels);
  if (groups.length === 0) return absent('No scans in this store: no label lies on a bond or angle scan with two or more geometries.');
  const parts: string[] = [];
  for (const g of groups) {
    const xTitle = `${g.coordinate} (${g.unit})`;
    const fig = await dissociationFigure(g.labels, `${g.formula}: energy along ${g.coordinate}`, xTitle);
    const noisy = g.labels.some((l) => l.standardErrorHartree > 0);
    parts.push(
      figureHtml(
        `dissociation ${g.formula} ${g.coordinate}`,
        fig,
        `${g.formula}, energy of each rung along ${xTitle}. ${noisy ? 'Bars: ±2σ from each label\'s standard error (deterministic rungs have none).' : 'Every rung here is deterministic (no error bars).'}`,
        ['rung', xTitle, 'energy (Eh)', '±2σ (mEh)'],
        g.labels.map((l) => [l.rung, l.coordinate!.value, l.energyHartree, 2e3 * l.standardErrorHartree]),
      ),
    );
  }
  return `<div class="figures">\n${parts.join('\n')}\n</div>`;
}

async function costHtml(labels: readonly ReportLabel[]): Promise<string> {
  if (labels.length === 0) return absent('No labels in this store yet.');
  const rows = new Map<string, { rung: string; labels: number; shots: number; seconds: number }>();
  for (const l of labels) {
    const r = rows.get(l.rung) ?? rows.set(l.rung, { rung: l.rung, labels: 0, shots: 0, seconds: 0 }).get(l.rung)!;
    r.labels++;
    r.shots += l.shots;
    r.seconds += l.wallSeconds;
  }
  const list = [...rows.values()].sort((a, b) => a.rung.localeCompare(b.rung));
  const fig = await costFigure(list);
  return figureHtml(
    'cost per rung',
    fig,
    'Labels, measurement shots and compute seconds (each label\'s own wall time) spent on each rung.',
    ['rung', 'labels', 'shots', 'compute seconds'],
    list.map((r) => [r.rung, r.labels, r.shots, r.seconds]),
  );
}

async function parityHtml(data: ReportData): Promise<string> {
  const sets = (data.loop?.parity ?? []).filter((s) => s.points.length > 0);
  if (sets.length === 0) {
    return absent(
      data.loop === null
        ? 'No model predictions in this store: parity plots come with a loop history (qde loop run) and with qde demo.'
        : 'The loop history holds no test-set predictions (a store written before they were recorded), so there is no parity plot here.',
    );
  }
  const parts: string[] = [];
  for (const set of sets) {
    const fig = await parityFigure(set);
    const mae = set.points.reduce((s, p) => s + Math.abs(p.predictedHartree - p.truthHartree), 0) / set.points.length;
    const withSigma = set.points.some((p) => p.sigmaHartree !== undefined);
    const covered = set.points.filter((p) => p.sigmaHartree !== undefined && Math.abs(p.predictedHartree - p.truthHartree) <= 2 * p.sigmaHartree).length;
    parts.push(
      figureHtml(
        `parity ${set.name}`,
        fig,
        `${set.name}: model energy against ${set.truth} (dashed: equality${withSigma ? '; bars: ±2σ of the model' : ''}). MAE ${(1e3 * mae).toFixed(2)} mEh over ${set.points.length} geometries` +
          (withSigma ? `; ${covered} of ${set.points.length} within ±2σ.` : '.'),
        ['series', `${set.truth} (Eh)`, 'model (Eh)', 'error (mEh)', ...(withSigma ? ['±2σ (mEh)'] : [])],
        set.points.map((p) => [
          p.series,
          p.truthHartree,
          p.predictedHartree,
          1e3 * (p.predictedHartree - p.truthHartree),
          ...(withSigma ? [p.sigmaHartree === undefined ? '—' : 2e3 * p.sigmaHartree] : []),
        ]),
      ),
    );
  }
  return `<div class="figures">\n${parts.join('\n')}\n</div>`;
}

async function learningHtml(data: ReportData): Promise<string> {
  const points = data.loop?.learningCurve ?? [];
  if (points.length === 0) return absent('No learning curve recorded: it needs a loop history (qde loop run) or a demo run.');
  const rows = points.map((p) => [p.strategy, p.seed, p.labels, p.shots, 1e3 * p.errorHartree] as (string | number)[]);
  const columns = ['acquisition', 'seed', 'labels', 'shots', 'test MAE (mEh)'];
  const parts = [figureHtml('learning curve labels', await learningCurveFigure(points, 'labels'), 'Test error (MAE against the truth on held-out geometries) against labels used, one line per acquisition strategy and seed.', columns, rows)];
  if (points.some((p) => p.shots > 0)) {
    parts.push(figureHtml('learning curve shots', await learningCurveFigure(points, 'shots'), 'The same test error against measurement shots spent.', columns, rows));
  } else {
    parts.push(absent('The loop spent no shots (its labels came from an exact backend or a classical rung), so there is no curve against shots.'));
  }
  return `<div class="figures">\n${parts.join('\n')}\n</div>`;
}

async function placementHtml(data: ReportData): Promise<string> {
  const placements = data.loop?.placements ?? [];
  if (placements.length === 0) return absent('No acquired labels recorded: placements need a loop history (qde loop run) or a demo run.');
  const xTitle = data.loop!.placementCoordinate;
  return figureHtml(
    'placements',
    await placementFigure(placements, xTitle),
    `Each acquired geometry${data.loop!.placementRun ? ` of the run ${data.loop!.placementRun}` : ''} at its ${xTitle} and the iteration that chose it, coloured by the labeller chosen.`,
    ['iteration', 'system', xTitle, 'labeller'],
    placements.map((p) => [p.iteration, p.system, p.coordinate, p.labeller]),
  );
}

/** Build the self-contained HTML report (see the file header). */
export async function buildReport(data: ReportData): Promise<string> {
  const sections: [string, string, string][] = [['summary', 'Summary', summaryHtml(data)]];
  if (data.tables.length > 0) sections.push(['measured', 'Measured errors', tablesHtml(data.tables)]);
  sections.push(['dissociation', 'Dissociation curves per rung', await dissociationHtml(data.labels)]);
  sections.push(['cost', 'Cost per rung', await costHtml(data.labels)]);
  sections.push(['parity', 'Parity: model against truth', await parityHtml(data)]);
  sections.push(['learning', 'Learning curves', await learningHtml(data)]);
  sections.push(['placement', 'Where the labels were placed', await placementHtml(data)]);
  const nav = sections.map(([id, title]) => `<a href="#${id}">${escapeHtml(title)}</a>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="qde ${escapeHtml(data.qdeVersion)}">
<title>${escapeHtml(data.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(data.title)}</h1>
<p>qde ${escapeHtml(data.qdeVersion)} · ${data.labels.length} labels · generated ${escapeHtml(data.generated)}</p>
</header>
<nav>
${nav}
</nav>
<main>
${sections.map(([id, title, body]) => section(id, title, body)).join('\n')}
</main>
</body>
</html>
`;
}
