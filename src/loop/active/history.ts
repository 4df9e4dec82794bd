/**
 * The loop's own tables in the label store's SQLite file, and the typed reader of its history.
 *
 * Tables (created on first use beside the dataset stage's tables; labels themselves stay in `labels`):
 * - `loop_runs(id, loop, strategy, seed, config_hash, config, status, stop_reason, created, updated)`:
 *   one row per (loop name, acquisition strategy, seed); `status` is running | done.
 * - `loop_iterations(run, iteration, status, labels, shots, cost_units, compute_seconds,
 *   test_mae_hartree, test_max_error_hartree, error_estimate_hartree, model, created)`: the state
 *   of a run when iteration `iteration` starts — the model trained on `labels` labels that used
 *   `shots` shots, `cost_units` of cost and `compute_seconds` of method time — and its measured
 *   test error and error estimate. `status` is `acquiring` (its batch is chosen and being labelled),
 *   `done` (its batch is labelled) or `final` (the run stopped here: no batch).
 * - `loop_acquisitions(run, iteration, position, job, geometry, system, labeller, score,
 *   variance_reduction, expected_cost_units)`: the batch an iteration chose, each a job key of the
 *   `jobs` table (whose label holds the energy, standard error and shots).
 * - `loop_test_sets(loop, position, job, system)`: the held-out test geometries and their truth jobs.
 *
 * A batch is written before any of its labels is computed, in one transaction with its jobs, so a
 * killed loop finds its last batch on restart, computes only the labels still missing, and never
 * chooses a batch twice.
 */
import type Database from 'better-sqlite3';
import { InputError } from '../../core/index.js';
import { type LabelStore, openLabelStore } from '../../dataset/index.js';

/** Acquisition strategies. */
export const STRATEGIES = ['cost-aware', 'uncertainty', 'random'] as const;
/** An acquisition strategy: `cost-aware` (every labeller priced), `uncertainty` (fixed labeller), `random`. */
export type Strategy = (typeof STRATEGIES)[number];

const LOOP_SCHEMA = `
CREATE TABLE IF NOT EXISTS loop_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, loop TEXT NOT NULL, strategy TEXT NOT NULL, seed INTEGER NOT NULL,
  config_hash TEXT NOT NULL, config TEXT NOT NULL, status TEXT NOT NULL, stop_reason TEXT,
  created TEXT NOT NULL, updated TEXT NOT NULL, UNIQUE (loop, strategy, seed));
CREATE TABLE IF NOT EXISTS loop_iterations (
  run INTEGER NOT NULL REFERENCES loop_runs(id), iteration INTEGER NOT NULL, status TEXT NOT NULL,
  labels INTEGER NOT NULL, shots INTEGER NOT NULL, cost_units REAL NOT NULL, compute_seconds REAL NOT NULL,
  test_mae_hartree REAL, test_max_error_hartree REAL, error_estimate_hartree REAL, model TEXT,
  created TEXT NOT NULL, PRIMARY KEY (run, iteration));
CREATE TABLE IF NOT EXISTS loop_acquisitions (
  run INTEGER NOT NULL REFERENCES loop_runs(id), iteration INTEGER NOT NULL, position INTEGER NOT NULL,
  job TEXT NOT NULL REFERENCES jobs(key), geometry TEXT NOT NULL, system TEXT NOT NULL, labeller TEXT NOT NULL,
  score REAL, variance_reduction REAL, expected_cost_units REAL,
  PRIMARY KEY (run, iteration, position));
CREATE TABLE IF NOT EXISTS loop_test_sets (
  loop TEXT NOT NULL, position INTEGER NOT NULL, job TEXT NOT NULL REFERENCES jobs(key), system TEXT NOT NULL,
  PRIMARY KEY (loop, position));
`;

/** Create the loop's tables in a writable store (idempotent). */
export function ensureLoopTables(db: Database.Database): void {
  db.exec(LOOP_SCHEMA);
}

/** One acquired label of an iteration. */
export interface LoopAcquisitionRecord {
  /** Content-hash job key (the `jobs` / `labels` tables of the store). */
  jobKey: string;
  geometryHash: string;
  /** The system (molecule entry) of the loop file it belongs to. */
  system: string;
  /** Name of the labeller that computed it. */
  labeller: string;
  /** Acquisition score (variance reduction per cost unit; null for random acquisition). */
  score: number | null;
  /** Expected reduction of the summed predictive variance over the candidate pool, Hartree² (null for random). */
  varianceReductionHartree2: number | null;
  /** Cost the labeller was expected to charge, in the loop's cost units. */
  expectedCostUnits: number | null;
  /** The stored label, once computed (null while pending). */
  energyHartree: number | null;
  standardErrorHartree: number | null;
  shots: number | null;
  wallSeconds: number | null;
}

/** The state of a run at the start of one iteration, and the batch it chose. */
export interface LoopIterationRecord {
  iteration: number;
  /** `acquiring`: batch chosen, being labelled; `done`: labelled; `final`: the run stopped here. */
  status: 'acquiring' | 'done' | 'final';
  /** Quantum labels the model of this iteration was trained on (cumulative). */
  labels: number;
  /** Shots those labels used (cumulative). */
  shots: number;
  /** Cost units those labels used (cumulative). */
  costUnits: number;
  /** Method wall time of those labels, seconds (cumulative). */
  computeSeconds: number;
  /** Mean absolute error of the model on the held-out test set against the truth rung, Hartree (null before any model). */
  testMaeHartree: number | null;
  /** Largest absolute test error, Hartree. */
  testMaxErrorHartree: number | null;
  /** The model's own error estimate: √(2/π) × mean predictive standard deviation over the candidate pool, Hartree. */
  errorEstimateHartree: number | null;
  /** Model hyperparameters (length scale, signal variance, noise floor), when a model was trained. */
  model: { lengthScale: number; signalVarianceHartree2: number; noiseFloorHartree: number } | null;
  acquisitions: LoopAcquisitionRecord[];
}

/** One loop run: a loop file's name, a strategy and a seed. */
export interface LoopRunRecord {
  id: number;
  loop: string;
  strategy: Strategy;
  seed: number;
  /** sha256 of the validated configuration the run was started with. */
  configHash: string;
  status: 'running' | 'done';
  /** Why the run stopped: maxLabels | maxShots | targetError | candidates | null while running. */
  stopReason: string | null;
  created: string;
  updated: string;
  iterations: LoopIterationRecord[];
}

/** One held-out test geometry and its truth label. */
export interface LoopTestRecord {
  loop: string;
  position: number;
  system: string;
  jobKey: string;
  /** Truth-rung energy (null while not yet computed). */
  energyHartree: number | null;
}

/** Everything the store holds about active-learning loops. */
export interface LoopHistory {
  runs: LoopRunRecord[];
  testSets: LoopTestRecord[];
}

/** Filters of {@link readLoopHistory}. */
export interface LoopHistoryFilter {
  loop?: string;
  strategy?: Strategy;
  seed?: number;
}

function hasLoopTables(db: Database.Database): boolean {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'loop_runs'").get() !== undefined;
}

/**
 * Read every recorded loop run (iterations in order, acquisitions in batch order, with their
 * labels when computed) and the held-out test sets, from an open store or a database path
 * (opened read-only). A store without loop tables gives empty lists.
 */
export function readLoopHistory(source: LabelStore | string, filter: LoopHistoryFilter = {}): LoopHistory {
  const store = typeof source === 'string' ? openLabelStore(source, { readonly: true }) : source;
  try {
    const db = store.db;
    if (!hasLoopTables(db)) return { runs: [], testSets: [] };
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    if (filter.loop !== undefined) {
      where.push('loop = @loop');
      params.loop = filter.loop;
    }
    if (filter.strategy !== undefined) {
      where.push('strategy = @strategy');
      params.strategy = filter.strategy;
    }
    if (filter.seed !== undefined) {
      where.push('seed = @seed');
      params.seed = filter.seed;
    }
    const runRows = db
      .prepare(`SELECT id, loop, strategy, seed, config_hash, status, stop_reason, created, updated FROM loop_runs
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY loop, strategy, seed`)
      .all(params) as {
      id: number;
      loop: string;
      strategy: Strategy;
      seed: number;
      config_hash: string;
      status: 'running' | 'done';
      stop_reason: string | null;
      created: string;
      updated: string;
    }[];
    const iterStmt = db.prepare('SELECT * FROM loop_iterations WHERE run = ? ORDER BY iteration');
    const acqStmt = db.prepare(`SELECT a.iteration AS iteration, a.job AS job, a.geometry AS geometry, a.system AS system,
        a.labeller AS labeller, a.score AS score, a.variance_reduction AS vr, a.expected_cost_units AS cost,
        l.energy_hartree AS e, l.standard_error_hartree AS se, l.shots AS shots, l.wall_seconds AS wall
      FROM loop_acquisitions a LEFT JOIN labels l ON l.job = a.job WHERE a.run = ? ORDER BY a.iteration, a.position`);
    const runs: LoopRunRecord[] = runRows.map((r) => {
      const acq = new Map<number, LoopAcquisitionRecord[]>();
      for (const a of acqStmt.all(r.id) as Record<string, string | number | null>[]) {
        const list = acq.get(a.iteration as number) ?? [];
        list.push({
          jobKey: a.job as string,
          geometryHash: a.geometry as string,
          system: a.system as string,
          labeller: a.labeller as string,
          score: a.score as number | null,
          varianceReductionHartree2: a.vr as number | null,
          expectedCostUnits: a.cost as number | null,
          energyHartree: a.e as number | null,
          standardErrorHartree: a.se as number | null,
          shots: a.shots as number | null,
          wallSeconds: a.wall as number | null,
        });
        acq.set(a.iteration as number, list);
      }
      const iterations = (iterStmt.all(r.id) as Record<string, string | number | null>[]).map(
        (it): LoopIterationRecord => ({
          iteration: it.iteration as number,
          status: it.status as LoopIterationRecord['status'],
          labels: it.labels as number,
          shots: it.shots as number,
          costUnits: it.cost_units as number,
          computeSeconds: it.compute_seconds as number,
          testMaeHartree: it.test_mae_hartree as number | null,
          testMaxErrorHartree: it.test_max_error_hartree as number | null,
          errorEstimateHartree: it.error_estimate_hartree as number | null,
          model: it.model === null ? null : (JSON.parse(it.model as string) as LoopIterationRecord['model']),
          acquisitions: acq.get(it.iteration as number) ?? [],
        }),
      );
      return {
        id: r.id,
        loop: r.loop,
        strategy: r.strategy,
        seed: r.seed,
        configHash: r.config_hash,
        status: r.status,
        stopReason: r.stop_reason,
        created: r.created,
        updated: r.updated,
        iterations,
      };
    });
    const testRows = db
      .prepare(`SELECT t.loop AS loop, t.position AS position, t.system AS system, t.job AS job, l.energy_hartree AS e
        FROM loop_test_sets t LEFT JOIN labels l ON l.job = t.job
        ${filter.loop !== undefined ? 'WHERE t.loop = @loop' : ''} ORDER BY t.loop, t.position`)
      .all(filter.loop !== undefined ? { loop: filter.loop } : {}) as Record<string, string | number | null>[];
    const testSets = testRows.map((t) => ({
      loop: t.loop as string,
      position: t.position as number,
      system: t.system as string,
      jobKey: t.job as string,
      energyHartree: t.e as number | null,
    }));
    return { runs, testSets };
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`loop history in ${store.path} is not readable: ${(e as Error).message}`);
  } finally {
    if (typeof source === 'string') store.close();
  }
}
