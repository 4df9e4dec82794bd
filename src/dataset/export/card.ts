/**
 * The dataset card: a Markdown summary of a set of labels — counts, rungs, methods, basis sets,
 * units, energy and error-bar ranges, molecules, a provenance summary — and an energy-distribution
 * plot (SVG, vega-lite rendered in Node without a browser). The plot shows, per rung, the histogram
 * of E − E_min in mEh, E_min taken per molecular formula and rung, so molecules of very different
 * total energy share one axis. One pass over the records; the energies are kept (8 bytes a label)
 * for the histogram. Vega and Vega-Lite are imported when the first card is drawn, not with the
 * dataset stage.
 */
import type * as vl from 'vega-lite';
import { moleculeFormula } from '../../chem/index.js';
import type { DatasetRecord, JsonValue } from '../record.js';

/** Bins of the energy histogram. */
export const CARD_HISTOGRAM_BINS = 40;

interface RungStats {
  labels: number;
  minEnergyHartree: number;
  maxEnergyHartree: number;
  sumStandardErrorHartree: number;
  maxStandardErrorHartree: number;
  forces: number;
  dipoles: number;
  maxForceHartreePerBohr: number;
  bases: Set<string>;
  specs: Set<string>;
}

/** The numbers behind a card. */
export interface CardSummary {
  labels: number;
  geometries: number;
  formulas: { formula: string; geometries: number; labels: number }[];
  minAtoms: number;
  maxAtoms: number;
  rungs: {
    rung: string;
    labels: number;
    bases: string[];
    methodSpecs: number;
    minEnergyHartree: number;
    maxEnergyHartree: number;
    meanStandardErrorHartree: number;
    maxStandardErrorHartree: number;
    forces: number;
    dipoles: number;
    maxForceHartreePerBohr: number;
  }[];
  qdeVersions: string[];
  hosts: string[];
  backends: string[];
  seeds: number[];
  wallSeconds: number;
}

/** A rendered card. */
export interface DatasetCard {
  markdown: string;
  /** The energy-distribution plot, SVG text (referenced from the Markdown as `plotFileName`). */
  svg: string;
  summary: CardSummary;
}

/** Options of {@link datasetCard}. */
export interface DatasetCardOptions {
  /** Title (default 'qde dataset'). */
  title?: string;
  /** Name the Markdown uses for the plot file (default 'energy-distribution.svg'). */
  plotFileName?: string;
  /** Where the labels came from (a database path), shown in the card. */
  source?: string;
}

const field = (v: JsonValue, key: string): JsonValue | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, JsonValue>)[key] : undefined;

/** Summarise `records` into a card (Markdown + SVG). */
export async function datasetCard(records: Iterable<DatasetRecord>, options: DatasetCardOptions = {}): Promise<DatasetCard> {
  const rungs = new Map<string, RungStats>();
  const geometries = new Set<string>();
  const formulas = new Map<string, { geometries: Set<string>; labels: number }>();
  const versions = new Set<string>();
  const hosts = new Set<string>();
  const backends = new Set<string>();
  const seeds = new Set<number>();
  const energies = new Map<string, number[]>(); // "rung\u0000formula" → energies
  let labels = 0;
  let minAtoms = Infinity;
  let maxAtoms = 0;
  let wallSeconds = 0;
  for (const r of records) {
    labels++;
    geometries.add(r.geometryKey);
    const nAtoms = r.atomicNumbers.length;
    minAtoms = Math.min(minAtoms, nAtoms);
    maxAtoms = Math.max(maxAtoms, nAtoms);
    const formula = moleculeFormula({ atomicNumbers: Int32Array.from(r.atomicNumbers), positionsBohr: new Float64Array(0), charge: r.charge, multiplicity: r.multiplicity });
    const f = formulas.get(formula) ?? { geometries: new Set<string>(), labels: 0 };
    f.geometries.add(r.geometryKey);
    f.labels++;
    formulas.set(formula, f);
    let s = rungs.get(r.rung);
    if (s === undefined) {
      s = { labels: 0, minEnergyHartree: Infinity, maxEnergyHartree: -Infinity, sumStandardErrorHartree: 0, maxStandardErrorHartree: 0, forces: 0, dipoles: 0, maxForceHartreePerBohr: 0, bases: new Set(), specs: new Set() };
      rungs.set(r.rung, s);
    }
    s.labels++;
    s.minEnergyHartree = Math.min(s.minEnergyHartree, r.energyHartree);
    s.maxEnergyHartree = Math.max(s.maxEnergyHartree, r.energyHartree);
    s.sumStandardErrorHartree += r.standardErrorHartree;
    s.maxStandardErrorHartree = Math.max(s.maxStandardErrorHartree, r.standardErrorHartree);
    if (r.forcesHartreePerBohr !== null) {
      s.forces++;
      for (let i = 0; i < r.forcesHartreePerBohr.length; i++) s.maxForceHartreePerBohr = Math.max(s.maxForceHartreePerBohr, Math.abs(r.forcesHartreePerBohr[i]!));
    }
    if (r.dipoleAu !== null) s.dipoles++;
    if (r.basis !== null) s.bases.add(r.basis);
    s.specs.add(JSON.stringify(r.method));
    const group = `${r.rung}\u0000${formula}`;
    const list = energies.get(group) ?? [];
    list.push(r.energyHartree);
    energies.set(group, list);
    const version = field(r.provenance, 'qdeVersion');
    if (typeof version === 'string') versions.add(version);
    const host = field(r.provenance, 'host');
    if (typeof host === 'string') hosts.add(host);
    const backend = field(r.provenance, 'backend');
    const backendName = backend === null || backend === undefined ? undefined : field(backend, 'name') ?? field(backend, 'kind');
    if (typeof backendName === 'string') backends.add(backendName);
    const seed = field(r.provenance, 'seed');
    if (typeof seed === 'number') seeds.add(seed);
    const wall = field(r.provenance, 'wallSeconds') ?? field(r.provenance, 'wallTimeSeconds');
    if (typeof wall === 'number') wallSeconds += wall;
  }
  const summary: CardSummary = {
    labels,
    geometries: geometries.size,
    formulas: [...formulas].map(([formula, f]) => ({ formula, geometries: f.geometries.size, labels: f.labels })).sort((a, b) => b.labels - a.labels || a.formula.localeCompare(b.formula)),
    minAtoms: labels > 0 ? minAtoms : 0,
    maxAtoms,
    rungs: [...rungs].map(([rung, s]) => ({
      rung,
      labels: s.labels,
      bases: [...s.bases].sort(),
      methodSpecs: s.specs.size,
      minEnergyHartree: s.minEnergyHartree,
      maxEnergyHartree: s.maxEnergyHartree,
      meanStandardErrorHartree: s.sumStandardErrorHartree / s.labels,
      maxStandardErrorHartree: s.maxStandardErrorHartree,
      forces: s.forces,
      dipoles: s.dipoles,
      maxForceHartreePerBohr: s.maxForceHartreePerBohr,
    })).sort((a, b) => a.rung.localeCompare(b.rung)),
    qdeVersions: [...versions].sort(),
    hosts: [...hosts].sort(),
    backends: [...backends].sort(),
    seeds: [...seeds].sort((a, b) => a - b),
    wallSeconds,
  };
  const svg = await energyPlot(energies);
  return { markdown: cardMarkdown(summary, options), svg, summary };
}

/** Histogram rows of E − E_min (mEh) per rung, binned here so the plot data stays small. */
export function relativeEnergyHistogram(energies: Map<string, number[]>, bins = CARD_HISTOGRAM_BINS): { rung: string; loMilliHartree: number; hiMilliHartree: number; count: number }[] {
  const relative = new Map<string, number[]>();
  let max = 0;
  for (const [group, list] of energies) {
    const rung = group.slice(0, group.indexOf('\u0000'));
    let min = Infinity;
    for (const e of list) min = Math.min(min, e);
    const out = relative.get(rung) ?? [];
    for (const e of list) {
      const d = (e - min) * 1000;
      out.push(d);
      max = Math.max(max, d);
    }
    relative.set(rung, out);
  }
  const width = max > 0 ? max / bins : 1;
  const rows: { rung: string; loMilliHartree: number; hiMilliHartree: number; count: number }[] = [];
  for (const [rung, values] of [...relative].sort((a, b) => a[0].localeCompare(b[0]))) {
    const counts = new Array<number>(bins).fill(0);
    for (const v of values) counts[Math.min(bins - 1, Math.floor(v / width))]!++;
    counts.forEach((count, b) => {
      if (count > 0) rows.push({ rung, loMilliHartree: b * width, hiMilliHartree: (b + 1) * width, count });
    });
  }
  return rows;
}

let renderers: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;

/** Vega and Vega-Lite, imported once on first use. */
function loadRenderers(): Promise<[typeof import('vega'), typeof import('vega-lite')]> {
  renderers ??= Promise.all([import('vega'), import('vega-lite')]);
  return renderers;
}

async function energyPlot(energies: Map<string, number[]>): Promise<string> {
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Energy distribution (E − E_min per formula and rung)',
    width: 480,
    height: 240,
    data: { values: relativeEnergyHistogram(energies) },
    mark: { type: 'bar', opacity: 0.75 },
    encoding: {
      x: { field: 'loMilliHartree', type: 'quantitative', bin: 'binned', title: 'E − E_min (mEh)' },
      x2: { field: 'hiMilliHartree' },
      y: { field: 'count', type: 'quantitative', title: 'labels', stack: null },
      color: { field: 'rung', type: 'nominal', title: 'rung' },
    },
  };
  const [vega, vegaLite] = await loadRenderers();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const sci = (v: number): string => (Number.isFinite(v) ? v.toPrecision(10) : '–');
const small = (v: number): string => (v === 0 ? '0' : v.toExponential(2));

function cardMarkdown(s: CardSummary, options: DatasetCardOptions): string {
  const title = options.title ?? 'qde dataset';
  const plot = options.plotFileName ?? 'energy-distribution.svg';
  const lines: string[] = [];
  lines.push(`# ${title}`, '');
  if (options.source !== undefined) lines.push(`Labels from \`${options.source}\`.`, '');
  lines.push('## Summary', '');
  lines.push('| labels | geometries | formulas | atoms per geometry | rungs |', '|---:|---:|---:|---|---|');
  lines.push(`| ${s.labels} | ${s.geometries} | ${s.formulas.length} | ${s.minAtoms}–${s.maxAtoms} | ${s.rungs.map((r) => r.rung).join(', ') || '–'} |`, '');
  lines.push('## Rungs and methods', '');
  lines.push('| rung | labels | basis | method specs | energy min (Eh) | energy max (Eh) | mean σ(E) (Eh) | max σ(E) (Eh) | with forces | max \\|F\\| (Eh/Bohr) | with dipole |');
  lines.push('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of s.rungs) {
    lines.push(
      `| ${r.rung} | ${r.labels} | ${r.bases.join(', ') || '–'} | ${r.methodSpecs} | ${sci(r.minEnergyHartree)} | ${sci(r.maxEnergyHartree)} | ` +
        `${small(r.meanStandardErrorHartree)} | ${small(r.maxStandardErrorHartree)} | ${r.forces} | ${r.forces > 0 ? small(r.maxForceHartreePerBohr) : '–'} | ${r.dipoles} |`,
    );
  }
  lines.push('', '## Molecules', '');
  lines.push('| formula | geometries | labels |', '|---|---:|---:|');
  const shown = s.formulas.slice(0, 30);
  for (const f of shown) lines.push(`| ${f.formula} | ${f.geometries} | ${f.labels} |`);
  if (s.formulas.length > shown.length) lines.push(`| … ${s.formulas.length - shown.length} more | | |`);
  lines.push('', '## Units', '');
  lines.push(
    '- Store, JSON lines and Parquet: atomic units — positions in Bohr, energies and their standard errors in Hartree, ' +
      'forces (−∂E/∂R) in Hartree/Bohr, dipoles in e·Bohr.',
    '- Extended XYZ (ASE conventions): positions in Å, `energy` in eV, `forces` in eV/Å, `dipole` in e·Å; the atomic-unit ' +
      'values ride along as `energy_hartree`, `energy_standard_error_hartree`, `forces_hartree_per_bohr`, `dipole_au`.',
    '- Conversions: 1 Hartree = 27.21138602 eV and 1 Bohr = 0.52917721067 Å (CODATA 2014, as in qde’s input and ASE’s default units).',
    '- σ(E) is the standard error of a label (0 for a deterministic method; the shot noise of a sampled quantum method).',
  );
  lines.push('', '## Provenance', '');
  lines.push(`- qde versions: ${s.qdeVersions.join(', ') || 'unknown'}`);
  lines.push(`- hosts: ${s.hosts.join(', ') || 'unknown'}`);
  lines.push(`- backends of the quantum rungs: ${s.backends.join(', ') || 'none'}`);
  lines.push(`- seeds: ${s.seeds.length === 0 ? 'none recorded' : s.seeds.length <= 10 ? s.seeds.join(', ') : `${s.seeds.length} distinct (${s.seeds[0]}–${s.seeds[s.seeds.length - 1]})`}`);
  lines.push(`- compute time of the labels: ${s.wallSeconds.toFixed(1)} s`);
  lines.push('- Every label keeps its full provenance (resolved method spec, backend, seed, qde version, host, wall time, and for forces how they were made) in every export.');
  lines.push('', '## Energy distribution', '', `![Energy distribution per rung](${plot})`, '');
  return lines.join('\n');
}
