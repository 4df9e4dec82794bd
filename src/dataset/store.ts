/**
 * The label store: one SQLite file (better-sqlite3, WAL journal, `synchronous=NORMAL`, foreign keys
 * on) holding campaigns, geometries, jobs, labels and failures.
 *
 * Tables
 * - `campaigns(name, file, config, seed, created, updated)`: the validated campaign as JSON.
 * - `geometries(hash, atomic_numbers, positions_bohr, charge, multiplicity, title)`: one row per
 *   content-hashed geometry; arrays as JSON text (doubles round-trip exactly through JSON).
 * - `jobs(key, geometry, rung, spec, seed, quantities, status, attempts, updated)`: one row per
 *   (geometry, resolved spec, seed); `status` is pending | running | done | failed; `quantities` is
 *   a bit mask (1 energy, 2 forces, 4 dipole) of what the label must hold.
 * - `campaign_jobs(campaign, job, position)`: which campaign asked for which job, in campaign order
 *   (one job may serve several campaigns: nothing is computed twice).
 * - `labels(job, energy_hartree, standard_error_hartree, forces_hartree_per_bohr, dipole_au, result,
 *   shots, wall_seconds, qde_version, host, created, forces_method)`: the method layer's result record
 *   in `result`; `forces_method` says how the forces were made ('analytic' or 'finite-difference';
 *   null without forces, or in a label stored before the column existed, schema version 1).
 * - `failures(id, job, error_class, message, created)`: every failed attempt with its reason.
 * - `runs(id, campaign, pid, host, started, finished, stop_reason)`: one row per runner start.
 *
 * A label and its job's status are written in one transaction, so a crash never leaves a label
 * without a done job or a done job without its label.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { hostname } from 'node:os';
import { InputError } from '../core/index.js';
import type { Molecule } from '../chem/index.js';
import type { MethodResult, MethodSpec } from '../methods/index.js';
import type { DatasetRecord, JsonValue } from './record.js';

export { QUANTITY_BITS, type Quantity, quantityMask, quantitiesOf } from './quantities.js';

/** Layout version of the store's tables. */
export const STORE_SCHEMA_VERSION = 2;

/** Status of a job. */
export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

/** A job to enqueue: a geometry and a resolved spec under its content-hash key. */
export interface JobInput {
  key: string;
  geometryHash: string;
  molecule: Molecule;
  /** The spec handed to the method layer (plain data, seed filled in; the key hashes its resolved form). */
  spec: MethodSpec;
  seed: number;
  /** Bit mask of {@link QUANTITY_BITS}. */
  quantities: number;
}

/** A stored job with its geometry, as the runner reads it back. */
export interface StoredJob {
  key: string;
  geometryHash: string;
  rung: string;
  spec: MethodSpec;
  seed: number;
  quantities: number;
  status: JobStatus;
  attempts: number;
  atomicNumbers: number[];
  positionsBohr: number[];
  charge: number;
  multiplicity: number;
}

/** What one computed label stores beside the method layer's result. */
export interface LabelInput {
  result: MethodResult;
  forcesHartreePerBohr: number[] | null;
  dipoleAu: number[] | null;
  /** How the forces were made (null or absent: not recorded; ignored without forces). */
  forcesMethod?: 'analytic' | 'finite-difference' | null;
  /** Wall time of the whole job (energy, forces and dipole), seconds. */
  wallSeconds: number;
  qdeVersion: string;
  /** The machine that computed the label (default: this one). */
  host?: string;
}

/** Counts of one rung (or of everything). */
export interface RungCounts {
  rung: string;
  total: number;
  pending: number;
  running: number;
  done: number;
  failed: number;
}

/** One recorded failure. */
export interface FailureRow {
  job: string;
  rung: string;
  errorClass: string;
  message: string;
  created: string;
}

/** Status of a store (optionally of one campaign). */
export interface StoreStatus {
  path: string;
  campaigns: { name: string; file: string | null; seed: number; jobs: number; done: number; updated: string }[];
  geometries: number;
  labels: number;
  shots: number;
  rungs: RungCounts[];
  totals: RungCounts;
  /** The most recent failures (at most 20). */
  failures: FailureRow[];
}

/** Options of {@link openLabelStore}. */
export interface OpenStoreOptions {
  /** Open an existing store without writing to it (default false: create or open for writing). */
  readonly?: boolean;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS campaigns (
  name TEXT PRIMARY KEY, file TEXT, config TEXT NOT NULL, seed INTEGER NOT NULL,
  created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS geometries (
  hash TEXT PRIMARY KEY, atomic_numbers TEXT NOT NULL, positions_bohr TEXT NOT NULL,
  charge INTEGER NOT NULL, multiplicity INTEGER NOT NULL, title TEXT);
CREATE TABLE IF NOT EXISTS jobs (
  key TEXT PRIMARY KEY, geometry TEXT NOT NULL REFERENCES geometries(hash), rung TEXT NOT NULL,
  spec TEXT NOT NULL, seed INTEGER NOT NULL, quantities INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0, updated TEXT);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status);
CREATE TABLE IF NOT EXISTS campaign_jobs (
  campaign TEXT NOT NULL REFERENCES campaigns(name), job TEXT NOT NULL REFERENCES jobs(key),
  position INTEGER NOT NULL, PRIMARY KEY (campaign, job));
CREATE TABLE IF NOT EXISTS labels (
  job TEXT PRIMARY KEY REFERENCES jobs(key), energy_hartree REAL NOT NULL,
  standard_error_hartree REAL NOT NULL, forces_hartree_per_bohr TEXT, dipole_au TEXT,
  result TEXT NOT NULL, shots INTEGER NOT NULL, wall_seconds REAL NOT NULL, qde_version TEXT NOT NULL,
  host TEXT NOT NULL, created TEXT NOT NULL, forces_method TEXT);
CREATE TABLE IF NOT EXISTS failures (
  id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL REFERENCES jobs(key),
  error_class TEXT NOT NULL, message TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, campaign TEXT, pid INTEGER NOT NULL, host TEXT NOT NULL,
  started TEXT NOT NULL, finished TEXT, stop_reason TEXT);
`;

function now(): string {
  return new Date().toISOString();
}

/** Why a database path cannot be used, checked before SQLite is asked (its message is terse). */
function pathProblem(path: string, readonly: boolean): string | null {
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) return 'is a directory';
    return null;
  }
  if (readonly) return 'does not exist (run a campaign first: qde campaign run FILE --db PATH)';
  const dir = dirname(resolve(path));
  if (!existsSync(dir)) return `cannot be created: directory ${dir} does not exist`;
  if (!statSync(dir).isDirectory()) return `cannot be created: ${dir} is not a directory`;
  return null;
}

/** Open (or create) the label store at `path`; an unusable path is an InputError naming it. */
export function openLabelStore(path: string, options: OpenStoreOptions = {}): LabelStore {
  const readonly = options.readonly === true;
  const problem = pathProblem(path, readonly);
  if (problem !== null) throw new InputError(`label database ${path} ${problem}`);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly });
  } catch (e) {
    throw new InputError(`label database ${path} cannot be opened: ${(e as Error).message}`);
  }
  try {
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
      // schema version 1 had no forces_method column: add it (its labels keep null there); another
      // process opening the same file may add it first
      if (!hasColumn(db, 'labels', 'forces_method')) {
        try {
          db.exec('ALTER TABLE labels ADD COLUMN forces_method TEXT');
        } catch (e) {
          if (!hasColumn(db, 'labels', 'forces_method')) throw e;
        }
      }
      // a real write, so that a read-only file or directory fails here, before any work starts
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
        .run('schemaVersion', String(STORE_SCHEMA_VERSION));
    } else {
      const row = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'labels'").get();
      if (row === undefined) throw new Error('it is not a qde label database (no labels table)');
    }
  } catch (e) {
    db.close();
    if (e instanceof InputError) throw e;
    throw new InputError(`label database ${path} is not usable: ${(e as Error).message}`);
  }
  return new LabelStore(db, path);
}

/** Whether `table` has a column `column`. */
function hasColumn(db: Database.Database, table: string, column: string): boolean {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).some((c) => c.name === column);
}

interface JobRow {
  key: string;
  geometry: string;
  rung: string;
  spec: string;
  seed: number;
  quantities: number;
  status: JobStatus;
  attempts: number;
  atomic_numbers: string;
  positions_bohr: string;
  charge: number;
  multiplicity: number;
}

function storedJob(r: JobRow): StoredJob {
  return {
    key: r.key,
    geometryHash: r.geometry,
    rung: r.rung,
    spec: JSON.parse(r.spec) as MethodSpec,
    seed: r.seed,
    quantities: r.quantities,
    status: r.status,
    attempts: r.attempts,
    atomicNumbers: JSON.parse(r.atomic_numbers) as number[],
    positionsBohr: JSON.parse(r.positions_bohr) as number[],
    charge: r.charge,
    multiplicity: r.multiplicity,
  };
}

const JOB_COLUMNS = `j.key, j.geometry, j.rung, j.spec, j.seed, j.quantities, j.status, j.attempts,
  g.atomic_numbers, g.positions_bohr, g.charge, g.multiplicity`;

/** The label store. Every method is synchronous (better-sqlite3). */
export class LabelStore {
  readonly host = hostname();
  private readonly insertLabel: Database.Statement;
  private readonly forcesMethodColumn: string;
  private readonly markDone: Database.Statement;

  /** @internal use {@link openLabelStore} */
  constructor(
    readonly db: Database.Database,
    readonly path: string,
  ) {
    this.insertLabel = db.readonly
      ? (undefined as unknown as Database.Statement)
      : db.prepare(`INSERT OR REPLACE INTO labels (job, energy_hartree, standard_error_hartree, forces_hartree_per_bohr,
          dipole_au, result, shots, wall_seconds, qde_version, host, created, forces_method) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // a store of schema version 1 opened read-only has no forces_method column
    this.forcesMethodColumn = hasColumn(db, 'labels', 'forces_method') ? 'l.forces_method' : 'NULL';
    this.markDone = db.readonly
      ? (undefined as unknown as Database.Statement)
      : db.prepare("UPDATE jobs SET status = 'done', updated = ? WHERE key = ?");
  }

  close(): void {
    this.db.close();
  }

  /** Record (or update) a campaign's validated configuration. */
  upsertCampaign(name: string, file: string | null, config: unknown, seed: number): void {
    const t = now();
    this.db
      .prepare(`INSERT INTO campaigns (name, file, config, seed, created, updated) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(name) DO UPDATE SET file = excluded.file, config = excluded.config, seed = excluded.seed, updated = excluded.updated`)
      .run(name, file, JSON.stringify(config), seed, t, t);
  }

  /**
   * Enqueue a campaign's jobs in one transaction. A job already stored keeps its status, except
   * that a done job asked for a quantity its label lacks goes back to pending (and a failed one
   * when `retryFailed`). Returns how many jobs were new.
   */
  addJobs(campaign: string, jobs: readonly JobInput[], retryFailed = false): number {
    const insertGeometry = this.db.prepare(
      'INSERT OR IGNORE INTO geometries (hash, atomic_numbers, positions_bohr, charge, multiplicity, title) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertJob = this.db.prepare(
      "INSERT OR IGNORE INTO jobs (key, geometry, rung, spec, seed, quantities, status, attempts, updated) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?)",
    );
    const existing = this.db.prepare('SELECT quantities, status FROM jobs WHERE key = ?');
    const widen = this.db.prepare('UPDATE jobs SET quantities = ?, status = ?, updated = ? WHERE key = ?');
    const link = this.db.prepare('INSERT OR IGNORE INTO campaign_jobs (campaign, job, position) VALUES (?, ?, ?)');
    let added = 0;
    this.db.transaction(() => {
      const t = now();
      jobs.forEach((job, position) => {
        const m = job.molecule;
        insertGeometry.run(
          job.geometryHash,
          JSON.stringify(Array.from(m.atomicNumbers)),
          JSON.stringify(Array.from(m.positionsBohr)),
          m.charge,
          m.multiplicity,
          m.title ?? null,
        );
        const r = insertJob.run(job.key, job.geometryHash, job.spec.method, JSON.stringify(job.spec), job.seed, job.quantities, t);
        if (r.changes > 0) {
          added++;
        } else {
          const old = existing.get(job.key) as { quantities: number; status: JobStatus };
          const mask = old.quantities | job.quantities;
          let status = old.status;
          if (status === 'done' && mask !== old.quantities) status = 'pending';
          if (status === 'failed' && retryFailed) status = 'pending';
          if (mask !== old.quantities || status !== old.status) widen.run(mask, status, t, job.key);
        }
        link.run(campaign, job.key, position);
      });
    })();
    return added;
  }

  /** Jobs left running by a runner that died go back to pending; returns how many. */
  resetRunning(campaign?: string): number {
    const t = now();
    const r =
      campaign === undefined
        ? this.db.prepare("UPDATE jobs SET status = 'pending', updated = ? WHERE status = 'running'").run(t)
        : this.db
            .prepare(`UPDATE jobs SET status = 'pending', updated = ? WHERE status = 'running'
              AND key IN (SELECT job FROM campaign_jobs WHERE campaign = ?)`)
            .run(t, campaign);
    return r.changes;
  }

  /** A campaign's jobs with the given status, in campaign order. */
  campaignJobs(campaign: string, status?: JobStatus): StoredJob[] {
    const where = status === undefined ? '' : 'AND j.status = ?';
    const rows = this.db
      .prepare(`SELECT ${JOB_COLUMNS} FROM campaign_jobs c JOIN jobs j ON j.key = c.job JOIN geometries g ON g.hash = j.geometry
        WHERE c.campaign = ? ${where} ORDER BY c.position`)
      .all(...(status === undefined ? [campaign] : [campaign, status])) as JobRow[];
    return rows.map(storedJob);
  }

  /** Mark a job as running (one more attempt). */
  markRunning(key: string): void {
    this.db.prepare("UPDATE jobs SET status = 'running', attempts = attempts + 1, updated = ? WHERE key = ?").run(now(), key);
  }

  /** Store a label and mark its job done, in one transaction. */
  writeLabel(key: string, label: LabelInput): void {
    const r = label.result;
    const shots = 'shots' in r && typeof r.shots === 'number' ? r.shots : 0;
    const t = now();
    this.db.transaction(() => {
      this.insertLabel.run(
        key,
        r.energyHartree,
        r.standardErrorHartree,
        label.forcesHartreePerBohr === null ? null : JSON.stringify(label.forcesHartreePerBohr),
        label.dipoleAu === null ? null : JSON.stringify(label.dipoleAu),
        JSON.stringify(r),
        shots,
        label.wallSeconds,
        label.qdeVersion,
        label.host ?? this.host,
        t,
        label.forcesHartreePerBohr === null ? null : (label.forcesMethod ?? null),
      );
      this.markDone.run(t, key);
    })();
  }

  /** Record a failed attempt and mark the job failed, in one transaction. */
  writeFailure(key: string, errorClass: string, message: string): void {
    const t = now();
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO failures (job, error_class, message, created) VALUES (?, ?, ?, ?)').run(key, errorClass, message, t);
      this.db.prepare("UPDATE jobs SET status = 'failed', updated = ? WHERE key = ?").run(t, key);
    })();
  }

  /** Start a run record; returns its id. */
  startRun(campaign: string): number {
    return Number(
      this.db.prepare('INSERT INTO runs (campaign, pid, host, started) VALUES (?, ?, ?, ?)').run(campaign, process.pid, this.host, now())
        .lastInsertRowid,
    );
  }

  /** Close a run record with the reason it stopped. */
  finishRun(id: number, stopReason: string): void {
    this.db.prepare('UPDATE runs SET finished = ?, stop_reason = ? WHERE id = ?').run(now(), stopReason, id);
  }

  /** Labels and shots already stored for a campaign's jobs. */
  campaignTotals(campaign: string): { labels: number; shots: number } {
    const r = this.db
      .prepare(`SELECT COUNT(*) AS labels, COALESCE(SUM(l.shots), 0) AS shots FROM campaign_jobs c JOIN labels l ON l.job = c.job
        WHERE c.campaign = ?`)
      .get(campaign) as { labels: number; shots: number };
    return r;
  }

  /** Counts per rung, totals, campaigns and recent failures (of one campaign, or of the store). */
  status(campaign?: string): StoreStatus {
    const scope = campaign === undefined ? '' : 'WHERE j.key IN (SELECT job FROM campaign_jobs WHERE campaign = @campaign)';
    const params = campaign === undefined ? {} : { campaign };
    const rungRows = this.db
      .prepare(`SELECT j.rung AS rung, COUNT(*) AS total,
          SUM(j.status = 'pending') AS pending, SUM(j.status = 'running') AS running,
          SUM(j.status = 'done') AS done, SUM(j.status = 'failed') AS failed
        FROM jobs j ${scope} GROUP BY j.rung ORDER BY j.rung`)
      .all(params) as RungCounts[];
    const totals: RungCounts = { rung: 'all', total: 0, pending: 0, running: 0, done: 0, failed: 0 };
    for (const r of rungRows) {
      for (const k of ['total', 'pending', 'running', 'done', 'failed'] as const) totals[k] += r[k];
    }
    const campaigns = this.db
      .prepare(`SELECT c.name AS name, c.file AS file, c.seed AS seed, c.updated AS updated,
          (SELECT COUNT(*) FROM campaign_jobs cj WHERE cj.campaign = c.name) AS jobs,
          (SELECT COUNT(*) FROM campaign_jobs cj JOIN jobs j ON j.key = cj.job WHERE cj.campaign = c.name AND j.status = 'done') AS done
        FROM campaigns c ${campaign === undefined ? '' : 'WHERE c.name = @campaign'} ORDER BY c.name`)
      .all(params) as StoreStatus['campaigns'];
    const counts = this.db
      .prepare(`SELECT COUNT(DISTINCT j.geometry) AS geometries, COUNT(l.job) AS labels, COALESCE(SUM(l.shots), 0) AS shots
        FROM jobs j LEFT JOIN labels l ON l.job = j.key ${scope}`)
      .get(params) as { geometries: number; labels: number; shots: number };
    const failures = this.db
      .prepare(`SELECT f.job AS job, j.rung AS rung, f.error_class AS errorClass, f.message AS message, f.created AS created
        FROM failures f JOIN jobs j ON j.key = f.job ${scope} ORDER BY f.id DESC LIMIT 20`)
      .all(params) as FailureRow[];
    return { path: this.path, campaigns, ...counts, rungs: rungRows, totals, failures };
  }

  /**
   * Every stored label as a {@link DatasetRecord}, streamed from the database in job-key order
   * (optionally only one rung, or one campaign's labels).
   */
  *iterateLabels(options: { rung?: string; campaign?: string } = {}): IterableIterator<DatasetRecord> {
    const where: string[] = [];
    if (options.rung !== undefined) where.push('j.rung = @rung');
    if (options.campaign !== undefined) where.push('j.key IN (SELECT job FROM campaign_jobs WHERE campaign = @campaign)');
    const stmt = this.db.prepare(`SELECT j.key AS key, j.geometry AS geometry, j.rung AS rung,
        g.atomic_numbers AS z, g.positions_bohr AS r, g.charge AS charge, g.multiplicity AS multiplicity,
        l.energy_hartree AS e, l.standard_error_hartree AS se, l.forces_hartree_per_bohr AS f, l.dipole_au AS d,
        l.result AS result, l.wall_seconds AS wall, l.qde_version AS version, l.host AS host, l.created AS created,
        ${this.forcesMethodColumn} AS fm
      FROM labels l JOIN jobs j ON j.key = l.job JOIN geometries g ON g.hash = j.geometry
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY j.key`);
    const params: Record<string, string> = {};
    if (options.rung !== undefined) params.rung = options.rung;
    if (options.campaign !== undefined) params.campaign = options.campaign;
    for (const row of stmt.iterate(params) as IterableIterator<Record<string, string | number | null>>) {
      const result = JSON.parse(row.result as string) as MethodResult;
      const spec = result.provenance.spec;
      yield {
        key: row.key as string,
        geometryKey: row.geometry as string,
        atomicNumbers: JSON.parse(row.z as string) as number[],
        positionsBohr: JSON.parse(row.r as string) as number[],
        charge: row.charge as number,
        multiplicity: row.multiplicity as number,
        rung: row.rung as string,
        method: spec as unknown as JsonValue,
        basis: spec.basis,
        energyHartree: row.e as number,
        standardErrorHartree: row.se as number,
        forcesHartreePerBohr: row.f === null ? null : (JSON.parse(row.f as string) as number[]),
        dipoleAu: row.d === null ? null : (JSON.parse(row.d as string) as number[]),
        provenance: {
          ...(result.provenance as unknown as Record<string, JsonValue>),
          host: row.host as string,
          wallSeconds: row.wall as number,
          created: row.created as string,
          ...(row.f === null ? {} : { forcesMethod: row.fm as string | null }),
        },
      };
    }
  }

  /** The method layer's full result record of a job, or undefined when it has no label. */
  labelResult(key: string): MethodResult | undefined {
    const row = this.db.prepare('SELECT result FROM labels WHERE job = ?').get(key) as { result: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.result) as MethodResult);
  }
}
