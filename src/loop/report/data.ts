/**
 * What the HTML report shows, as plain data, and how it is read from a label store.
 *
 * {@link ReportData} is everything {@link buildReport} needs: the stored labels (one row per label,
 * with its rung, energy and standard error in Hartree, shots, seconds and the scan coordinate of its
 * geometry when it has one), the campaigns and their seeds, and the optional loop sections (parity
 * points, learning curves, placed labels) and extra tables. {@link readReportData} fills it from a
 * SQLite store written by the campaign runner; the demo fills the loop sections from its own run.
 *
 * Scan coordinates come from the geometry titles the samplers write (`H2 r(0,1) = 0.740000 Å`,
 * `H2O angle(1,0,2) = 104.5000°`); a diatomic without such a title is placed at its bond length.
 */
import { ANGSTROM_IN_BOHR, InputError } from '../../core/index.js';
import { type Molecule, moleculeFormula } from '../../chem/index.js';
import { type LabelStore, openLabelStore } from '../../dataset/index.js';
import { type LoopHistory, readLoopHistory } from '../active/index.js';
import { QDE_VERSION } from '../../version.js';

/** A scan coordinate of a geometry. */
export interface ScanCoordinate {
  /** What the coordinate is, e.g. `r(0,1)` or `angle(1,0,2)` or `r(H–H)`. */
  name: string;
  unit: 'Å' | '°';
  value: number;
}

/** One stored label as the report reads it. */
export interface ReportLabel {
  /** Job key (content hash). */
  key: string;
  geometryKey: string;
  /** Hill formula of the geometry. */
  formula: string;
  /** Geometry title, or null. */
  title: string | null;
  /** Method name of the spec ('hf', 'fci', 'vqe', …). */
  method: string;
  /** Method plus backend (e.g. `vqe`, `vqe · 2000 shots`, `vqe · noisy aria-1 · 4000 shots · mitigated (readout,zne)`): one series per rung. */
  rung: string;
  energyHartree: number;
  standardErrorHartree: number;
  shots: number;
  wallSeconds: number;
  qdeVersion: string;
  seed: number | null;
  host: string;
  /** The geometry's scan coordinate, or null when it is not on a scan. */
  coordinate: ScanCoordinate | null;
}

/** One point of a parity plot: a model's prediction against the truth, Hartree. */
export interface ReportParityPoint {
  truthHartree: number;
  predictedHartree: number;
  /** The model's predictive standard deviation, Hartree (drawn as ±2σ bars when given and > 0). */
  sigmaHartree?: number;
  /** Colour group, e.g. the test system (`H8`) or the model. */
  series: string;
}

/** One parity plot. */
export interface ReportParitySet {
  name: string;
  /** What the truth is, e.g. `FCI`. */
  truth: string;
  points: ReportParityPoint[];
}

/** One point of a learning curve: the model's test error after some labels and shots. */
export interface ReportCurvePoint {
  /** Acquisition strategy, e.g. `active` or `random`. */
  strategy: string;
  seed: number;
  /** Labels used so far. */
  labels: number;
  /** Shots spent so far. */
  shots: number;
  /** Test error (MAE against the truth), Hartree. */
  errorHartree: number;
}

/** Where one acquired label was placed. */
export interface ReportPlacement {
  iteration: number;
  /** The coordinate it was placed at (the same coordinate for every placement of one report). */
  coordinate: number;
  /** The labeller chosen, e.g. `vqe`. */
  labeller: string;
  /** The system, e.g. `H4`. */
  system: string;
}

/** The loop sections of the report. */
export interface ReportLoop {
  parity: ReportParitySet[];
  learningCurve: ReportCurvePoint[];
  placements: ReportPlacement[];
  /** Axis title of the placement coordinate, e.g. `mean H–H bond (Å)`. */
  placementCoordinate: string;
  /** Which run the placements come from, e.g. `cost-aware, seed 1`. */
  placementRun?: string;
  /** Seeds of the loop runs. */
  seeds: number[];
}

/** A small table of numbers (e.g. the demo's measured errors). */
export interface ReportTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  /** One sentence under the table. */
  note?: string;
}

/** Everything the report shows. */
export interface ReportData {
  title: string;
  /** Where the labels came from (a database path), or null. */
  source: string | null;
  /** Campaign the report is restricted to, or null for the whole store. */
  campaign: string | null;
  /** qde version that wrote the report. */
  qdeVersion: string;
  /** ISO time the report was generated. */
  generated: string;
  labels: ReportLabel[];
  campaigns: { name: string; seed: number }[];
  /** Wall time of the recorded campaign runs, seconds (null when no run is recorded). */
  runWallSeconds: number | null;
  loop: ReportLoop | null;
  tables: ReportTable[];
}

const SCAN_TITLE = /\b(r\(\d+,\d+\)|angle\(\d+,\d+,\d+\)) = ([-+0-9.eE]+) ?(Å|°)/;

/** The scan coordinate of a geometry: from its title, else the bond length of a diatomic. */
export function scanCoordinate(title: string | null, atomicNumbers: readonly number[], positionsBohr: readonly number[]): ScanCoordinate | null {
  const m = title === null ? null : SCAN_TITLE.exec(title);
  if (m !== null) {
    const value = Number(m[2]);
    if (Number.isFinite(value)) return { name: m[1]!, unit: m[3] as 'Å' | '°', value };
  }
  if (atomicNumbers.length === 2) {
    const d = Math.hypot(positionsBohr[3]! - positionsBohr[0]!, positionsBohr[4]! - positionsBohr[1]!, positionsBohr[5]! - positionsBohr[2]!);
    return { name: 'r(0,1)', unit: 'Å', value: d / ANGSTROM_IN_BOHR };
  }
  return null;
}

/** Mean distance between consecutive atoms (Å): the coordinate of a chain. */
export function meanBondAngstrom(positionsBohr: ArrayLike<number>): number {
  const n = positionsBohr.length / 3;
  if (n < 2) return 0;
  let s = 0;
  for (let a = 0; a + 1 < n; a++) {
    s += Math.hypot(
      positionsBohr[3 * a + 3]! - positionsBohr[3 * a]!,
      positionsBohr[3 * a + 4]! - positionsBohr[3 * a + 1]!,
      positionsBohr[3 * a + 5]! - positionsBohr[3 * a + 2]!,
    );
  }
  return s / (n - 1) / ANGSTROM_IN_BOHR;
}

/** Hill formula of a list of atomic numbers (C first, then H, then alphabetical). */
export function hillFormula(atomicNumbers: readonly number[]): string {
  return moleculeFormula({ atomicNumbers: Int32Array.from(atomicNumbers) } as unknown as Molecule);
}

/** The series name of a label: its method, plus the backend when it is not the exact state vector. */
export function rungName(method: string, backend: { name: string; device: string | null; shots: number | null; mitigation: string | null } | null): string {
  if (backend === null || backend.name === 'statevector') return method;
  const parts = [method];
  if (backend.name !== 'shots') parts.push(backend.device !== null ? `${backend.name} ${backend.device}` : backend.name);
  if (backend.shots !== null) parts.push(`${backend.shots} shots`);
  if (backend.mitigation !== null) parts.push(`mitigated (${backend.mitigation})`);
  return parts.join(' · ');
}

interface LabelRow {
  key: string;
  geometry: string;
  rung: string;
  z: string;
  r: string;
  title: string | null;
  e: number;
  se: number;
  shots: number;
  wall: number;
  version: string;
  host: string;
  result: string;
}

/** Options of {@link readReportData}. */
export interface ReadReportOptions {
  /** Only this campaign's labels. */
  campaign?: string;
  title?: string;
}

/** Read the labels, campaigns and runs of an open store into {@link ReportData} (no loop sections). */
export function reportDataFromStore(store: LabelStore, options: ReadReportOptions = {}): ReportData {
  const campaign = options.campaign ?? null;
  const db = store.db;
  if (campaign !== null) {
    const known = db.prepare('SELECT name FROM campaigns ORDER BY name').all() as { name: string }[];
    if (!known.some((c) => c.name === campaign)) {
      throw new InputError(`label database ${store.path} has no campaign '${campaign}' (known: ${known.map((c) => c.name).join(', ') || 'none'})`);
    }
  }
  const scope = campaign === null ? '' : 'WHERE j.key IN (SELECT job FROM campaign_jobs WHERE campaign = @campaign)';
  const params = campaign === null ? {} : { campaign };
  const rows = db
    .prepare(`SELECT j.key AS key, j.geometry AS geometry, j.rung AS rung, g.atomic_numbers AS z, g.positions_bohr AS r,
        g.title AS title, l.energy_hartree AS e, l.standard_error_hartree AS se, l.shots AS shots, l.wall_seconds AS wall,
        l.qde_version AS version, l.host AS host, l.result AS result
      FROM labels l JOIN jobs j ON j.key = l.job JOIN geometries g ON g.hash = j.geometry ${scope} ORDER BY j.key`)
    .all(params) as LabelRow[];
  const labels: ReportLabel[] = rows.map((row) => {
    const result = JSON.parse(row.result) as {
      method?: string;
      provenance?: { seed?: number; backend?: { name: string; device: string | null; shots: number | null; mitigation: string | null } | null };
    };
    const z = JSON.parse(row.z) as number[];
    const r = JSON.parse(row.r) as number[];
    const method = result.method ?? row.rung;
    return {
      key: row.key,
      geometryKey: row.geometry,
      formula: hillFormula(z),
      title: row.title,
      method,
      rung: rungName(method, result.provenance?.backend ?? null),
      energyHartree: row.e,
      standardErrorHartree: row.se,
      shots: row.shots,
      wallSeconds: row.wall,
      qdeVersion: row.version,
      seed: typeof result.provenance?.seed === 'number' ? result.provenance.seed : null,
      host: row.host,
      coordinate: scanCoordinate(row.title, z, r),
    };
  });
  const campaigns = db
    .prepare(`SELECT name, seed FROM campaigns ${campaign === null ? '' : 'WHERE name = @campaign'} ORDER BY name`)
    .all(params) as { name: string; seed: number }[];
  const runs = db
    .prepare(`SELECT started, finished FROM runs WHERE finished IS NOT NULL ${campaign === null ? '' : 'AND campaign = @campaign'}`)
    .all(params) as { started: string; finished: string }[];
  let runWallSeconds: number | null = null;
  for (const run of runs) {
    const s = (Date.parse(run.finished) - Date.parse(run.started)) / 1000;
    if (Number.isFinite(s)) runWallSeconds = (runWallSeconds ?? 0) + s;
  }
  const history = readLoopHistory(store);
  return {
    title: options.title ?? `qde report: ${campaign ?? store.path}`,
    source: store.path,
    campaign,
    qdeVersion: QDE_VERSION,
    generated: new Date().toISOString(),
    labels,
    campaigns,
    runWallSeconds,
    loop: history.runs.length > 0 ? reportLoopFromHistory(store, history) : null,
    tables: [],
  };
}

/**
 * Parity sets of a loop history: one per loop and strategy, holding the last model of each run (of
 * every seed) on the held-out test set against the truth, with its predictive σ. Series are the
 * test systems, with the seed when there are several seeds. Runs without recorded predictions (stores
 * written before they were recorded) add nothing.
 */
export function parityFromHistory(history: LoopHistory, truthName: (loop: string) => string = () => 'truth'): ReportParitySet[] {
  const sets = new Map<string, ReportParitySet>();
  const groups = new Map<string, { seeds: Set<number>; systems: Set<string> }>();
  const finals: { key: string; seed: number; points: { system: string; truth: number; predicted: number; sigma: number }[] }[] = [];
  for (const run of history.runs) {
    const last = [...run.iterations].reverse().find((it) => it.testPredictions.length > 0);
    if (last === undefined) continue;
    const points = last.testPredictions
      .filter((p) => p.truthHartree !== null)
      .map((p) => ({ system: p.system, truth: p.truthHartree!, predicted: p.predictedHartree, sigma: p.sigmaHartree }));
    if (points.length === 0) continue;
    const key = `${run.loop}\u0000${run.strategy}`;
    if (!sets.has(key)) sets.set(key, { name: `${run.loop}, ${run.strategy}: final model`, truth: truthName(run.loop), points: [] });
    const g = groups.get(key) ?? { seeds: new Set<number>(), systems: new Set<string>() };
    g.seeds.add(run.seed);
    for (const p of points) g.systems.add(p.system);
    groups.set(key, g);
    finals.push({ key, seed: run.seed, points });
  }
  for (const f of finals) {
    const g = groups.get(f.key)!;
    for (const p of f.points) {
      const series = g.seeds.size > 1 ? (g.systems.size > 1 ? `${p.system}, seed ${f.seed}` : `seed ${f.seed}`) : p.system;
      sets.get(f.key)!.points.push({ truthHartree: p.truth, predictedHartree: p.predicted, sigmaHartree: p.sigma, series });
    }
  }
  return [...sets.values()];
}

/**
 * The loop sections of a recorded loop history: parity plots of each strategy's final models
 * ({@link parityFromHistory}), learning curves of every run (test MAE at the start of each
 * iteration against the labels and shots used so far) and the placements of one run (the first
 * non-random run of the lowest seed).
 */
export function reportLoopFromHistory(store: LabelStore, history: LoopHistory): ReportLoop {
  const learningCurve: ReportCurvePoint[] = [];
  for (const run of history.runs) {
    for (const it of run.iterations) {
      if (it.testMaeHartree === null) continue;
      learningCurve.push({ strategy: run.strategy, seed: run.seed, labels: it.labels, shots: it.shots, errorHartree: it.testMaeHartree });
    }
  }
  const ordered = [...history.runs].sort((a, b) => Number(a.strategy === 'random') - Number(b.strategy === 'random') || a.seed - b.seed || a.strategy.localeCompare(b.strategy));
  const run = ordered[0];
  const placements: ReportPlacement[] = [];
  let placementCoordinate = 'mean distance between consecutive atoms (Å)';
  if (run !== undefined) {
    const geometry = store.db.prepare('SELECT atomic_numbers AS z, positions_bohr AS r, title FROM geometries WHERE hash = ?');
    const rows: { iteration: number; labeller: string; system: string; scan: ScanCoordinate | null; mean: number }[] = [];
    for (const it of run.iterations) {
      for (const a of it.acquisitions) {
        const g = geometry.get(a.geometryHash) as { z: string; r: string; title: string | null } | undefined;
        if (g === undefined) continue;
        const z = JSON.parse(g.z) as number[];
        const r = JSON.parse(g.r) as number[];
        rows.push({ iteration: it.iteration, labeller: a.labeller, system: a.system, scan: g.title === null ? null : scanCoordinate(g.title, z.length === 2 ? [] : z, r), mean: meanBondAngstrom(r) });
      }
    }
    const first = rows[0]?.scan ?? null;
    const sameScan = first !== null && rows.every((x) => x.scan !== null && x.scan.name === first.name && x.scan.unit === first.unit);
    if (sameScan) placementCoordinate = `${first.name} (${first.unit})`;
    for (const x of rows) placements.push({ iteration: x.iteration, coordinate: sameScan ? x.scan!.value : x.mean, labeller: x.labeller, system: x.system });
  }
  return {
    parity: parityFromHistory(history, (loop) => {
      const row = store.db.prepare('SELECT config FROM loop_runs WHERE loop = ? LIMIT 1').get(loop) as { config: string } | undefined;
      const method = row === undefined ? undefined : (JSON.parse(row.config) as { truth?: { method?: unknown } }).truth?.method;
      return typeof method === 'string' ? method.toUpperCase() : 'truth';
    }),
    learningCurve,
    placements,
    placementCoordinate,
    ...(run !== undefined ? { placementRun: `${run.loop}, ${run.strategy}, seed ${run.seed}` } : {}),
    seeds: [...new Set(history.runs.map((r) => r.seed))].sort((a, b) => a - b),
  };
}

/** Open a store read-only and read its {@link ReportData}; a missing or unusable file is an InputError naming it. */
export function readReportData(dbPath: string, options: ReadReportOptions = {}): ReportData {
  const store = openLabelStore(dbPath, { readonly: true });
  try {
    return reportDataFromStore(store, options);
  } finally {
    store.close();
  }
}
