/**
 * Plots as SVG text, rendered by Vega-Lite → Vega without a browser: parity plots (predicted against
 * reference energy), energy curves along a coordinate, and learning curves (log–log).
 *
 * Vega and Vega-Lite (about 250 modules) are loaded on the first plot, not when the ml stage is
 * imported, so commands that draw nothing do not pay for them.
 */
import type * as vl from 'vega-lite';

let renderers: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;

/** Vega and Vega-Lite, imported once on first use. */
function loadRenderers(): Promise<[typeof import('vega'), typeof import('vega-lite')]> {
  renderers ??= Promise.all([import('vega'), import('vega-lite')]);
  return renderers;
}

/** Render a Vega-Lite specification to SVG text. */
export async function renderSvg(spec: vl.TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await loadRenderers();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** One point of a parity plot, in Hartree; `series` colours the points (e.g. the test system). */
export interface ParityPoint {
  referenceHartree: number;
  predictedHartree: number;
  series: string;
}

/** Predicted against reference energy, with the diagonal. */
export function parityPlotSvg(points: readonly ParityPoint[], title: string): Promise<string> {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of points) {
    lo = Math.min(lo, p.referenceHartree, p.predictedHartree);
    hi = Math.max(hi, p.referenceHartree, p.predictedHartree);
  }
  return renderSvg({
    title,
    width: 360,
    height: 360,
    layer: [
      {
        data: { values: [{ x: lo, y: lo }, { x: hi, y: hi }] },
        mark: { type: 'line', color: 'gray', strokeDash: [4, 4] },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: points.map((p) => ({ ...p })) },
        mark: { type: 'point', filled: true, size: 30 },
        encoding: {
          x: { field: 'referenceHartree', type: 'quantitative', title: 'reference energy (Eh)', scale: { zero: false } },
          y: { field: 'predictedHartree', type: 'quantitative', title: 'predicted energy (Eh)', scale: { zero: false } },
          color: { field: 'series', type: 'nominal' },
        },
      },
    ],
  });
}

/** One point of an energy curve. */
export interface CurvePoint {
  x: number;
  energyHartree: number;
  series: string;
}

/** Energies along a coordinate, one line per series. */
export function energyCurveSvg(points: readonly CurvePoint[], title: string, xTitle: string): Promise<string> {
  return renderSvg({
    title,
    width: 420,
    height: 300,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle, scale: { zero: false } },
      y: { field: 'energyHartree', type: 'quantitative', title: 'energy (Eh)', scale: { zero: false } },
      color: { field: 'series', type: 'nominal' },
    },
  });
}

/** Error against training-set size on log axes, one line per series. */
export function learningCurveSvg(points: readonly { trainingSize: number; errorMilliHartree: number; series: string }[], title: string): Promise<string> {
  return renderSvg({
    title,
    width: 360,
    height: 280,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'trainingSize', type: 'quantitative', title: 'training labels', scale: { type: 'log' } },
      y: { field: 'errorMilliHartree', type: 'quantitative', title: 'MAE (mEh)', scale: { type: 'log' } },
      color: { field: 'series', type: 'nominal' },
    },
  });
}
