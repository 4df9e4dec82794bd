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
 * - `loop_test_predictions(run, iteration, position, predicted_hartree, sigma_hartree)`: the model of
 *   each iteration on each held-out test geometry (`position` of `loop_test_sets`): its mean and
 *   latent predictive standard deviation. Stores written before this table existed read back with
 *   no predictions.
 *
 * `loop_runs` also holds `owner_pid` and `owner_host`: the process that is running the run now (null
 * when none). A second process refuses to run the same run while that process is alive on this
 * host, and takes a lock left by a dead one over (the campaign runner's rule for its `runs` table).
 * Both columns are added to stores created before them.
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
CREATE TABLE IF NOT EXISTS loop_test_predictions (
  run INTEGER NOT NULL REFERENCES loop_runs(id), iteration INTEGER NOT NULL, position INTEGER NOT NULL,
  predicted_hartree REAL NOT NULL, sigma_hartree REAL NOT NULL, PRIMARY KEY (run, iteration, position));
`;

/** Create the loop's tables in a writable store, and add the columns newer versions use (idempotent). */
export function ensureLoopTables(db: Database.Database): void {
  db.exec(LOOP_SCHEMA);
  const columns = new Set((db.prepare('PRAGMA table_info(loop_runs)').all() as { name: string }[]).map((c) => c.name));
  if (!columns.has('owner_pid')) db.exec('ALTER TABLE loop_runs ADD COLUMN owner_pid INTEGER');
  if (!columns.has('owner_host')) db.exec('ALTER TABLE loop_runs ADD COLUMN owner_host TEXT');
}

/** True when a process of this host with that id exists (a process of another user counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Take the run `runId` for this process: refuse (InputError naming the run and the database) while
 * another live process of this host holds it; a lock of a process that is gone, or of this process,
 * is taken over. A lock held on another host cannot be checked and is refused too.
 */
export function claimLoopRun(db: Database.Database, dbPath: string, runId: number, host: string): void {
  db.transaction(() => {
    const row = db.prepare('SELECT loop, strategy, seed, owner_pid AS pid, owner_host AS host FROM loop_runs WHERE id = ?').get(runId) as
      | { loop: string; strategy: string; seed: number; pid: number | null; host: string | null }
      | undefined;
    if (row === undefined) throw new Error(`loop run ${runId} is not in ${dbPath}`);
    if (row.pid !== null && row.pid !== process.pid) {
      const what = `loop '${row.loop}' (${row.strategy}, seed ${row.seed}) in ${dbPath}`;
      if (row.host !== host) {
        throw new InputError(`${what} is being run by process ${row.pid} on host ${row.host}: wait for it to finish (then run again to resume), or use another --db`);
      }
      if (processAlive(row.pid)) {
        throw new InputError(`${what} is already being run by process ${row.pid}: wait for it to finish or stop it (kill ${row.pid}), then run again to resume; or use another --db`);
      }
    }
    db.prepare('UPDATE loop_runs SET owner_pid = ?, owner_host = ? WHERE id = ?').run(process.pid, host, runId);
  }).immediate();
}

/** Give up this process's hold on a run (no-op when another process holds it). */
export function releaseLoopRun(db: Database.Database, runId: number): void {
  db.prepare('UPDATE loop_runs SET owner_pid = NULL, owner_host = NULL WHERE id = ? AND owner_pid = ?').run(runId, process.pid);
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

/** The model of one iteration on one held-out test geometry. */
export interface LoopTestPrediction {
  /** Position of the geometry in the loop's test set ({@link LoopTestRecord.position}). */
  position: number;
  /** The test system it belongs to. */
  system: string;
  /** Model mean, Hartree. */
  predictedHartree: number;
  /** Latent predictive standard deviation of the model (no label noise), Hartree. */
  sigmaHartree: number;
  /** Truth-rung energy (null while not computed). */
  truthHartree: number | null;
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
  /** The model's predictions on the held-out test set, by position (empty before any model, and in stores written before they were recorded). */
  testPredictions: LoopTestPrediction[];
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

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
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
    if (!hasTable(db, 'loop_runs')) return { runs: [], testSets: [] };
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
    const predStmt = hasTable(db, 'loop_test_predictions')
      ? db.prepare(`SELECT p.iteration AS iteration, p.position AS position, p.predicted_hartree AS predicted, p.sigma_hartree AS sigma,
            t.system AS system, l.energy_hartree AS truth
          FROM loop_test_predictions p JOIN loop_runs r ON r.id = p.run
          LEFT JOIN loop_test_sets t ON t.loop = r.loop AND t.position = p.position LEFT JOIN labels l ON l.job = t.job
          WHERE p.run = ? ORDER BY p.iteration, p.position`)
      : null;
    const runs: LoopRunRecord[] = runRows.map((r) => {
      const predictions = new Map<number, LoopTestPrediction[]>();
      for (const p of (predStmt?.all(r.id) ?? []) as { iteration: number; position: number; predicted: number; sigma: number; system: string | null; truth: number | null }[]) {
        const list = predictions.get(p.iteration) ?? [];
        list.push({ position: p.position, system: p.system ?? '', predictedHartree: p.predicted, sigmaHartree: p.sigma, truthHartree: p.truth });
        predictions.set(p.iteration, list);
      }
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
          testPredictions: predictions.get(it.iteration as number) ?? [],
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
