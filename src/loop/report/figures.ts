/**
 * The report's figures: Vega-Lite specifications rendered to SVG text in Node (no browser, no
 * fonts or scripts fetched), each with the number of data marks it draws so a viewer (or a test) can
 * check that every point made it onto the page.
 *
 * Data marks are Vega's `symbol` marks (points; `<g class="mark-symbol role-mark">`, one `<path>` per
 * point) and `rect` marks (bars; `<g class="mark-rect role-mark">`). Energies are plotted in Hartree,
 * errors in mEh.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../../ml/index.js';
import type { ReportCurvePoint, ReportLabel, ReportParitySet, ReportPlacement } from './data.js';

/** A rendered figure. */
export interface Figure {
  svg: string;
  /** The Vega mark type that carries the data: one symbol per point, or one rect per bar. */
  mark: 'symbol' | 'rect';
  /** How many data marks the SVG holds. */
  marks: number;
}

/** Energies along a scan coordinate, one series per rung, with ±2σ error bars where σ > 0. */
export async function dissociationFigure(labels: readonly ReportLabel[], title: string, xTitle: string): Promise<Figure> {
  const values = labels.map((l) => ({
    x: l.coordinate!.value,
    energyHartree: l.energyHartree,
    lo: l.energyHartree - 2 * l.standardErrorHartree,
    hi: l.energyHartree + 2 * l.standardErrorHartree,
    bar: l.standardErrorHartree > 0,
    rung: l.rung,
  }));
  const x = { field: 'x', type: 'quantitative', title: xTitle, scale: { zero: false } } as const;
  const color = { field: 'rung', type: 'nominal', title: 'rung', legend: { labelLimit: 640 } } as const;
  const spec: TopLevelSpec = {
    title,
    width: 440,
    height: 300,
    data: { values },
    layer: [
      { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y: { field: 'energyHartree', type: 'quantitative', title: 'energy (Eh)', scale: { zero: false } }, color } },
      { transform: [{ filter: 'datum.bar' }], mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
      { mark: { type: 'point', filled: true, size: 36 }, encoding: { x, y: { field: 'energyHartree', type: 'quantitative' }, color, shape: { field: 'rung', type: 'nominal', title: 'rung', legend: { labelLimit: 640 } } } },
    ],
  };
  return { svg: await renderSvg(spec), mark: 'symbol', marks: values.length };
}

/** One bar per rung for each of labels, shots and seconds. */
export async function costFigure(rows: readonly { rung: string; labels: number; shots: number; seconds: number }[]): Promise<Figure> {
  const bar = (field: string, title: string): Record<string, unknown> => ({
    width: 180,
    height: Math.max(40, 22 * rows.length),
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'rung', type: 'nominal', title: null, sort: null, axis: { labelLimit: 260 } },
      x: { field, type: 'quantitative', title },
      color: { field: 'rung', type: 'nominal', legend: null },
    },
  });
  const spec = {
    title: 'cost per rung',
    data: { values: rows.map((r) => ({ ...r })) },
    hconcat: [bar('labels', 'labels'), bar('shots', 'shots'), bar('seconds', 'compute seconds')],
  } as unknown as TopLevelSpec;
  return { svg: await renderSvg(spec), mark: 'rect', marks: 3 * rows.length };
}

/** A model's predictions against the truth, with the diagonal and ±2σ bars where the points carry σ > 0. */
export async function parityFigure(set: ReportParitySet): Promise<Figure> {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of set.points) {
    const s = 2 * (p.sigmaHartree ?? 0);
    lo = Math.min(lo, p.truthHartree, p.predictedHartree - s);
    hi = Math.max(hi, p.truthHartree, p.predictedHartree + s);
  }
  const pad = 0.02 * (hi - lo || 1);
  const axis = (title: string) => ({ type: 'quantitative' as const, title, scale: { zero: false, domain: [lo - pad, hi + pad] } });
  const spec: TopLevelSpec = {
    title: set.name,
    width: 320,
    height: 320,
    layer: [
      {
        data: { values: [{ a: lo - pad, b: lo - pad }, { a: hi + pad, b: hi + pad }] },
        mark: { type: 'line', color: 'gray', strokeDash: [4, 4] },
        encoding: { x: { field: 'a', ...axis(`${set.truth} energy (Eh)`) }, y: { field: 'b', ...axis('model energy (Eh)') } },
      },
      ...(set.points.some((p) => (p.sigmaHartree ?? 0) > 0)
        ? [
            {
              data: {
                values: set.points
                  .filter((p) => (p.sigmaHartree ?? 0) > 0)
                  .map((p) => ({ t: p.truthHartree, lo: p.predictedHartree - 2 * p.sigmaHartree!, hi: p.predictedHartree + 2 * p.sigmaHartree!, series: p.series })),
              },
              mark: { type: 'rule' as const, strokeWidth: 1.2, opacity: 0.8 },
              encoding: {
                x: { field: 't', ...axis(`${set.truth} energy (Eh)`) },
                y: { field: 'lo', ...axis('model energy (Eh)') },
                y2: { field: 'hi' },
                color: { field: 'series', type: 'nominal' as const, title: null, legend: { labelLimit: 240 } },
              },
            },
          ]
        : []),
      {
        data: { values: set.points.map((p) => ({ ...p })) },
        mark: { type: 'point', filled: true, size: 40 },
        encoding: {
          x: { field: 'truthHartree', ...axis(`${set.truth} energy (Eh)`) },
          y: { field: 'predictedHartree', ...axis('model energy (Eh)') },
          color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 240 } },
        },
      },
    ],
  };
  return { svg: await renderSvg(spec), mark: 'symbol', marks: set.points.length };
}

/** Test error against labels (or shots) used, one line per strategy and seed. */
export async function learningCurveFigure(points: readonly ReportCurvePoint[], against: 'labels' | 'shots'): Promise<Figure> {
  const values = points.map((p) => ({ x: against === 'labels' ? p.labels : p.shots, errorMilliHartree: 1e3 * p.errorHartree, strategy: p.strategy, seed: p.seed }));
  const logX = values.every((v) => v.x > 0);
  const logY = values.every((v) => v.errorMilliHartree > 0);
  const x = { field: 'x', type: 'quantitative', title: against === 'labels' ? 'labels used' : 'shots spent', scale: logX ? { type: 'log' as const } : { zero: false } } as const;
  const y = { field: 'errorMilliHartree', type: 'quantitative', title: 'test MAE (mEh)', scale: logY ? { type: 'log' as const } : { zero: true } } as const;
  const color = { field: 'strategy', type: 'nominal', title: 'acquisition', legend: { labelLimit: 240 } } as const;
  const spec: TopLevelSpec = {
    title: `test error against ${against === 'labels' ? 'labels' : 'shots'}`,
    width: 340,
    height: 260,
    data: { values },
    layer: [
      { mark: { type: 'line', strokeWidth: 1.2, opacity: 0.7 }, encoding: { x, y, color, detail: { field: 'seed', type: 'nominal' } } },
      { mark: { type: 'point', filled: true, size: 30 }, encoding: { x, y, color } },
    ],
  };
  return { svg: await renderSvg(spec), mark: 'symbol', marks: values.length };
}

/** Acquired geometries: coordinate against iteration, coloured by labeller. */
export async function placementFigure(placements: readonly ReportPlacement[], xTitle: string): Promise<Figure> {
  const spec: TopLevelSpec = {
    title: 'where the labels were placed',
    width: 420,
    height: 240,
    data: { values: placements.map((p) => ({ ...p })) },
    mark: { type: 'point', filled: true, size: 50, opacity: 0.85 },
    encoding: {
      x: { field: 'coordinate', type: 'quantitative', title: xTitle, scale: { zero: false } },
      y: { field: 'iteration', type: 'quantitative', title: 'iteration', axis: { tickMinStep: 1 } },
      color: { field: 'labeller', type: 'nominal', title: 'labeller', legend: { labelLimit: 240 } },
      shape: { field: 'system', type: 'nominal', title: 'system' },
    },
  };
  return { svg: await renderSvg(spec), mark: 'symbol', marks: placements.length };
}
