/**
 * The active-learning loop: start from a few labels, train the GP, propose candidates, score each
 * candidate and each way of labelling it by expected variance reduction per unit cost, acquire a
 * batch, label it through the dataset store, retrain, and stop at a budget or a target error
 * estimate. Every iteration is recorded (history.ts), so a killed loop resumes where it stopped.
 *
 * One run is (loop file, strategy, seed):
 * - `cost-aware`: every labeller is an option, scored by ΔV / expected cost (acquisition.ts);
 * - `uncertainty`: the fixed labeller only, scored by ΔV (the same budget, one labeller);
 * - `random`: seeded uniform choice among the static candidates, labelled by the fixed labeller.
 *
 * Iteration 0 labels `initial.perSystem` seeded random candidates of each system with the fixed
 * labeller (the same start for every strategy of a seed); a cost-aware run also labels one seeded
 * random candidate of each system with every other labeller whose noise or price is not known in
 * advance (a pilot: counted like any other label). Later, a labeller's expected noise on a system is
 * the mean squared standard error of its labels there, and its expected cost their mean cost.
 *
 * Labels are dataset jobs: keyed by the content hash of (geometry, resolved spec, seed), stored with
 * their provenance and standard error, never computed twice — a label another run (or strategy)
 * already computed is reused, and still counted in this run's spending. A measuring backend without
 * a seed gets one derived from the run seed and the geometry, so shot noise is independent between
 * geometries and the same between strategies of one seed (common random numbers).
 *
 * Resume: a batch is recorded with its jobs before any label is computed; on restart the loop
 * computes only that batch's missing labels, then goes on. Everything else is recomputed from the
 * stored labels and the seed, deterministically, so a resumed run ends in the state of an
 * uninterrupted one.
 */
import { InputError, Random } from '../../core/index.js';
import { type Molecule, sampleGeometries } from '../../chem/index.js';
import {
  type JobInput,
  type LabelStore,
  canonicalJson,
  computeLabel,
  geometryHash,
  jobKey,
  sha256Hex,
} from '../../dataset/index.js';
import { type MethodSpec, resolveMethodSpec } from '../../methods/index.js';
import { QDE_VERSION } from '../../version.js';
import { chooseBatch, type LabelOption } from './acquisition.js';
import type { Labeller, LoopConfig, LoopSystem } from './config.js';
import { type ExactGp, type Structure, featureSpace, gpMean, gpPosteriorCovariance, gpVariance, structureFeatures, trainExactGp } from './gp.js';
import {
  type LoopIterationRecord,
  type LoopRunRecord,
  type Strategy,
  claimLoopRun,
  ensureLoopTables,
  readLoopHistory,
  releaseLoopRun,
} from './history.js';
import { modelTrajectory } from './md.js';

/** Progress of a loop run. */
export type LoopProgressEvent =
  | { kind: 'test-set'; done: number; total: number }
  | {
      kind: 'iteration';
      strategy: Strategy;
      seed: number;
      iteration: number;
      labels: number;
      shots: number;
      testMaeHartree: number | null;
      errorEstimateHartree: number | null;
      batch: { system: string; labeller: string }[];
    }
  | { kind: 'label'; strategy: Strategy; seed: number; iteration: number; system: string; labeller: string; reused: boolean }
  | { kind: 'stopped'; strategy: Strategy; seed: number; reason: string };

/** Options of {@link runActiveLearning}. */
export interface RunActiveLearningOptions {
  /** The writable label store (its SQLite file holds the loop's tables too). */
  store: LabelStore;
  /** Run seed: candidate sampling, initial labels, random choices, MD velocities, backend seeds. */
  seed: number;
  /** Acquisition strategy (default 'cost-aware'). */
  strategy?: Strategy;
  onProgress?: (event: LoopProgressEvent) => void;
  /** Stops the run after the label being computed; the run stays resumable. */
  signal?: AbortSignal;
}

/** A point of a learning curve: the model trained on `labels` labels. */
export interface LearningCurvePoint {
  iteration: number;
  labels: number;
  quantumLabels: number;
  shots: number;
  costUnits: number;
  testMaeHartree: number | null;
  errorEstimateHartree: number | null;
}

/** What one run did. */
export interface ActiveLearningReport {
  loop: string;
  strategy: Strategy;
  seed: number;
  /** maxLabels | maxShots | maxCostUnits | targetError | maxIterations | candidates | aborted. */
  stopReason: string;
  iterations: number;
  labels: number;
  quantumLabels: number;
  shots: number;
  costUnits: number;
  computeSeconds: number;
  /** Labels of each labeller. */
  labelsByLabeller: Record<string, number>;
  finalTestMaeHartree: number | null;
  finalErrorEstimateHartree: number | null;
  /** The first point whose test MAE is at or below the loop's targetTestErrorHartree (null: never). */
  reachedTarget: { labels: number; quantumLabels: number; shots: number; costUnits: number } | null;
  curve: LearningCurvePoint[];
  /** Labels this process computed (others were stored already). */
  labelsComputed: number;
}

/** A candidate geometry of a run. */
interface Candidate {
  system: number;
  molecule: Molecule;
  hash: string;
}

/** An acquired label as the loop reads it back. */
interface Acquired {
  iteration: number;
  job: string;
  geometry: string;
  system: number;
  labeller: Labeller;
  structure: Structure;
  energy: number | null;
  se: number | null;
  shots: number;
  wall: number;
}

/** A 31-bit seed from text. */
function derivedSeed(text: string): number {
  return Number.parseInt(sha256Hex(text).slice(0, 8), 16) >>> 1;
}

/** The geometries a system's static generators make for a seed. */
function sampleSystem(system: LoopSystem, generators: LoopSystem['staticGenerators'], seed: number, tag: string): Molecule[] {
  const out: Molecule[] = [];
  generators.forEach((g, k) => out.push(...sampleGeometries(system.base, g.spec, derivedSeed(`${seed}/${tag}/${system.name}/${k}`))));
  return out;
}

/** The campaign name under which the loop's jobs are stored. */
export function loopCampaignName(loopName: string): string {
  return `loop:${loopName}`;
}

/** The spec a labeller runs with at one geometry of a run. */
function labellerSpec(labeller: Labeller, runSeed: number, gHash: string): MethodSpec {
  const spec: MethodSpec = { ...labeller.spec, seed: labeller.spec.seed ?? runSeed };
  if (labeller.measuring) {
    const b = labeller.spec.backend as unknown as Record<string, unknown>;
    if (b.seed === undefined) spec.backend = { ...b, seed: derivedSeed(`${runSeed}/${gHash}`) } as unknown as MethodSpec['backend'];
  }
  return spec;
}

function jobOf(molecule: Molecule, gHash: string, spec: MethodSpec): JobInput {
  const resolved = resolveMethodSpec(spec, { kind: 'molecule', charge: molecule.charge, multiplicity: molecule.multiplicity });
  return { key: jobKey(gHash, resolved, resolved.seed), geometryHash: gHash, molecule, spec, seed: resolved.seed, quantities: 1 };
}

/** Compute a stored job's label unless it has one; true when computed here. */
async function ensureLabel(store: LabelStore, key: string): Promise<boolean> {
  const row = store.db
    .prepare(`SELECT j.status AS status, j.spec AS spec, g.atomic_numbers AS z, g.positions_bohr AS r, g.charge AS charge,
        g.multiplicity AS multiplicity, (SELECT COUNT(*) FROM labels l WHERE l.job = j.key) AS labelled
      FROM jobs j JOIN geometries g ON g.hash = j.geometry WHERE j.key = ?`)
    .get(key) as { status: string; spec: string; z: string; r: string; charge: number; multiplicity: number; labelled: number } | undefined;
  if (row === undefined) throw new Error(`loop: job ${key} is not in the store`);
  if (row.labelled > 0 || row.status === 'failed') return false;
  store.markRunning(key);
  const outcome = await computeLabel({
    key,
    atomicNumbers: JSON.parse(row.z) as number[],
    positionsBohr: JSON.parse(row.r) as number[],
    charge: row.charge,
    multiplicity: row.multiplicity,
    spec: JSON.parse(row.spec) as MethodSpec,
    quantities: 1,
  });
  if (outcome.ok) {
    store.writeLabel(key, {
      result: outcome.result,
      forcesHartreePerBohr: null,
      dipoleAu: null,
      wallSeconds: outcome.wallSeconds,
      qdeVersion: QDE_VERSION,
    });
  } else {
    store.writeFailure(key, outcome.errorClass, outcome.message);
  }
  return true;
}

/** The held-out test set: geometries, truth jobs (computed and stored once per loop). */
async function ensureTestSet(
  loop: LoopConfig,
  store: LabelStore,
  onProgress: ((e: LoopProgressEvent) => void) | undefined,
  signal: AbortSignal | undefined,
): Promise<{ structures: Structure[]; truth: Float64Array }> {
  const name = loop.config.name;
  const campaign = loopCampaignName(name);
  const jobs: { job: JobInput; system: string }[] = [];
  for (const system of loop.systems) {
    for (const m of sampleSystem(system, system.test, loop.config.seed, 'test')) {
      const gHash = geometryHash(m);
      const spec: MethodSpec = { ...(loop.config.truth as unknown as MethodSpec), seed: (loop.config.truth.seed as number | undefined) ?? loop.config.seed };
      jobs.push({ job: jobOf(m, gHash, spec), system: system.name });
    }
  }
  const existing = store.db.prepare('SELECT job FROM loop_test_sets WHERE loop = ? ORDER BY position').all(name) as { job: string }[];
  if (existing.length > 0 && (existing.length !== jobs.length || existing.some((r, i) => r.job !== jobs[i]!.job.key))) {
    throw new InputError(`loop '${name}': the store holds a different test set for this loop name (use another --db or loop name)`);
  }
  store.db.transaction(() => {
    store.addJobs(campaign, jobs.map((j) => j.job));
    const ins = store.db.prepare('INSERT OR IGNORE INTO loop_test_sets (loop, position, job, system) VALUES (?, ?, ?, ?)');
    jobs.forEach((j, k) => ins.run(name, k, j.job.key, j.system));
  })();
  store.resetRunning(campaign);
  let done = 0;
  for (const j of jobs) {
    if (signal?.aborted) throw new LoopAborted();
    await ensureLabel(store, j.job.key);
    onProgress?.({ kind: 'test-set', done: ++done, total: jobs.length });
  }
  const truth = new Float64Array(jobs.length);
  jobs.forEach((j, k) => {
    const r = store.db.prepare('SELECT energy_hartree AS e FROM labels WHERE job = ?').get(j.job.key) as { e: number } | undefined;
    if (r === undefined) throw new InputError(`loop '${name}': the truth label of test geometry ${k} failed (see qde campaign status --db ${store.path})`);
    truth[k] = r.e;
  });
  return {
    structures: jobs.map((j) => ({ atomicNumbers: j.job.molecule.atomicNumbers, positionsBohr: j.job.molecule.positionsBohr })),
    truth,
  };
}

class LoopAborted extends Error {}

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

/** Cost of one label in the loop's units. */
function labelCost(l: Labeller, shots: number, wall: number): number {
  return l.cost.perShot * shots + l.cost.perSecond * wall + l.cost.perLabel;
}

/**
 * Run (or resume) one active-learning run of a loop: one strategy, one seed. The store must be
 * writable; the loop's tables are created in it. Returns what the run did, read back from the
 * recorded history (so a finished run returns at once).
 */
export async function runActiveLearning(loop: LoopConfig, options: RunActiveLearningOptions): Promise<ActiveLearningReport> {
  const { store, seed } = options;
  const strategy = options.strategy ?? 'cost-aware';
  const cfg = loop.config;
  const emit = options.onProgress;
  ensureLoopTables(store.db);
  store.upsertCampaign(loopCampaignName(cfg.name), loop.file, cfg, cfg.seed);
  const configHash = sha256Hex(canonicalJson(cfg));
  const t = new Date().toISOString();
  store.db
    .prepare(`INSERT OR IGNORE INTO loop_runs (loop, strategy, seed, config_hash, config, status, created, updated)
      VALUES (?, ?, ?, ?, ?, 'running', ?, ?)`)
    .run(cfg.name, strategy, seed, configHash, JSON.stringify(cfg), t, t);
  const run = store.db.prepare('SELECT id, config_hash AS hash, status FROM loop_runs WHERE loop = ? AND strategy = ? AND seed = ?').get(cfg.name, strategy, seed) as {
    id: number;
    hash: string;
    status: string;
  };
  if (run.hash !== configHash) {
    throw new InputError(`loop '${cfg.name}' (${strategy}, seed ${seed}) was started with a different configuration in ${store.path}: use another --db or loop name`);
  }
  let computed = 0;
  if (run.status !== 'done') {
    // one process at a time per run: a live holder is refused, a dead one's lock taken over
    claimLoopRun(store.db, store.path, run.id, store.host);
    try {
      computed = await iterate(loop, store, run.id, strategy, seed, options.signal, emit);
    } catch (e) {
      if (!(e instanceof LoopAborted)) throw e;
      emit?.({ kind: 'stopped', strategy, seed, reason: 'aborted' });
      return { ...reportOf(loop, readRun(store, cfg.name, strategy, seed)), stopReason: 'aborted', labelsComputed: computed };
    } finally {
      releaseLoopRun(store.db, run.id);
    }
  }
  return { ...reportOf(loop, readRun(store, cfg.name, strategy, seed)), labelsComputed: computed };
}

function readRun(store: LabelStore, loopName: string, strategy: Strategy, seed: number): LoopRunRecord {
  return readLoopHistory(store, { loop: loopName, strategy, seed }).runs[0]!;
}

/** The report of a recorded run. */
export function reportOf(loop: LoopConfig, run: LoopRunRecord): ActiveLearningReport {
  const byName = new Map(loop.labellers.map((l) => [l.name, l]));
  const curve: LearningCurvePoint[] = [];
  let quantum = 0;
  let counted = 0;
  const labelsByLabeller: Record<string, number> = {};
  const acquired = run.iterations.flatMap((it) => it.acquisitions.map((a) => ({ it: it.iteration, a })));
  for (const it of run.iterations) {
    // labels that entered the model of this iteration: those acquired in earlier iterations
    while (counted < acquired.length && acquired[counted]!.it < it.iteration) {
      const a = acquired[counted++]!.a;
      if (a.energyHartree === null) continue;
      if (byName.get(a.labeller)?.quantum) quantum++;
      labelsByLabeller[a.labeller] = (labelsByLabeller[a.labeller] ?? 0) + 1;
    }
    if (it.iteration === 0) continue;
    curve.push({
      iteration: it.iteration,
      labels: it.labels,
      quantumLabels: quantum,
      shots: it.shots,
      costUnits: it.costUnits,
      testMaeHartree: it.testMaeHartree,
      errorEstimateHartree: it.errorEstimateHartree,
    });
  }
  const last = run.iterations[run.iterations.length - 1] as LoopIterationRecord | undefined;
  const target = loop.config.targetTestErrorHartree;
  const hit = curve.find((p) => p.testMaeHartree !== null && p.testMaeHartree <= target);
  const lastPoint = curve[curve.length - 1];
  return {
    loop: run.loop,
    strategy: run.strategy,
    seed: run.seed,
    stopReason: run.stopReason ?? 'running',
    iterations: run.iterations.length,
    labels: lastPoint?.labels ?? 0,
    quantumLabels: lastPoint?.quantumLabels ?? 0,
    shots: lastPoint?.shots ?? 0,
    costUnits: lastPoint?.costUnits ?? 0,
    computeSeconds: last?.computeSeconds ?? 0,
    labelsByLabeller,
    finalTestMaeHartree: lastPoint?.testMaeHartree ?? null,
    finalErrorEstimateHartree: lastPoint?.errorEstimateHartree ?? null,
    reachedTarget: hit ? { labels: hit.labels, quantumLabels: hit.quantumLabels, shots: hit.shots, costUnits: hit.costUnits } : null,
    curve,
    labelsComputed: 0,
  };
}

/** The iterations of one run (resumed from its history); returns how many labels it computed. */
async function iterate(
  loop: LoopConfig,
  store: LabelStore,
  runId: number,
  strategy: Strategy,
  seed: number,
  signal: AbortSignal | undefined,
  emit: ((e: LoopProgressEvent) => void) | undefined,
): Promise<number> {
  const cfg = loop.config;
  const budgets = cfg.budgets;
  const test = await ensureTestSet(loop, store, emit, signal);
  // the static candidate pool of this seed
  const pool: Candidate[] = [];
  const seen = new Set<string>();
  for (const system of loop.systems) {
    for (const m of sampleSystem(system, system.staticGenerators, seed, 'candidates')) {
      const hash = geometryHash(m);
      if (seen.has(hash)) continue;
      seen.add(hash);
      pool.push({ system: system.index, molecule: m, hash });
    }
  }
  const space = featureSpace(pool.map((c) => c.molecule), cfg.model.cutoffBohr, cfg.model.radialFunctions);
  const testFeatures = structureFeatures(space, test.structures);
  const grid = { lengthScales: cfg.model.lengthScales, signalStdHartree: cfg.model.signalStdHartree, noiseFloorsHartree: cfg.model.noiseFloorsHartree };
  const labellerByName = new Map(loop.labellers.map((l) => [l.name, l]));
  const systemByName = new Map(loop.systems.map((s) => [s.name, s]));
  const campaign = loopCampaignName(cfg.name);
  let computed = 0;

  const readAcquired = (): Acquired[] =>
    (store.db
      .prepare(`SELECT a.iteration AS iteration, a.job AS job, a.geometry AS geometry, a.system AS system, a.labeller AS labeller,
          g.atomic_numbers AS z, g.positions_bohr AS r, l.energy_hartree AS e, l.standard_error_hartree AS se,
          l.shots AS shots, l.wall_seconds AS wall
        FROM loop_acquisitions a JOIN geometries g ON g.hash = a.geometry LEFT JOIN labels l ON l.job = a.job
        WHERE a.run = ? ORDER BY a.iteration, a.position`)
      .all(runId) as Record<string, string | number | null>[]).map((r) => ({
      iteration: r.iteration as number,
      job: r.job as string,
      geometry: r.geometry as string,
      system: systemByName.get(r.system as string)!.index,
      labeller: labellerByName.get(r.labeller as string)!,
      structure: { atomicNumbers: JSON.parse(r.z as string) as number[], positionsBohr: JSON.parse(r.r as string) as number[] },
      energy: r.e as number | null,
      se: r.se as number | null,
      shots: (r.shots as number | null) ?? 0,
      wall: (r.wall as number | null) ?? 0,
    }));

  const labelBatch = async (iteration: number): Promise<void> => {
    const rows = store.db
      .prepare('SELECT job, system, labeller FROM loop_acquisitions WHERE run = ? AND iteration = ? ORDER BY position')
      .all(runId, iteration) as { job: string; system: string; labeller: string }[];
    for (const r of rows) {
      if (signal?.aborted) throw new LoopAborted();
      const did = await ensureLabel(store, r.job);
      if (did) computed++;
      emit?.({ kind: 'label', strategy, seed, iteration, system: r.system, labeller: r.labeller, reused: !did });
    }
    store.db.prepare("UPDATE loop_iterations SET status = 'done' WHERE run = ? AND iteration = ?").run(runId, iteration);
  };

  const recordBatch = (
    iteration: number,
    state: Omit<LoopIterationRecord, 'iteration' | 'status' | 'acquisitions' | 'testPredictions'>,
    status: 'acquiring' | 'final',
    batch: { candidate: Candidate; labeller: Labeller; score: number | null; dv: number | null; cost: number | null }[],
    predictions: { mean: Float64Array; sd: Float64Array } | null = null,
  ): void => {
    store.db.transaction(() => {
      const jobs = batch.map((b) => jobOf(b.candidate.molecule, b.candidate.hash, labellerSpec(b.labeller, seed, b.candidate.hash)));
      if (jobs.length > 0) store.addJobs(campaign, jobs);
      store.db
        .prepare(`INSERT INTO loop_iterations (run, iteration, status, labels, shots, cost_units, compute_seconds, test_mae_hartree,
            test_max_error_hartree, error_estimate_hartree, model, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(
          runId,
          iteration,
          status,
          state.labels,
          state.shots,
          state.costUnits,
          state.computeSeconds,
          state.testMaeHartree,
          state.testMaxErrorHartree,
          state.errorEstimateHartree,
          state.model === null ? null : JSON.stringify(state.model),
          new Date().toISOString(),
        );
      if (predictions !== null) {
        const put = store.db.prepare('INSERT INTO loop_test_predictions (run, iteration, position, predicted_hartree, sigma_hartree) VALUES (?, ?, ?, ?, ?)');
        for (let k = 0; k < predictions.mean.length; k++) put.run(runId, iteration, k, predictions.mean[k]!, predictions.sd[k]!);
      }
      const ins = store.db.prepare(`INSERT INTO loop_acquisitions (run, iteration, position, job, geometry, system, labeller, score,
          variance_reduction, expected_cost_units) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      batch.forEach((b, k) =>
        ins.run(runId, iteration, k, jobs[k]!.key, b.candidate.hash, loop.systems[b.candidate.system]!.name, b.labeller.name, b.score, b.dv, b.cost),
      );
      if (status === 'final') {
        store.db.prepare("UPDATE loop_runs SET status = 'done', stop_reason = ?, updated = ? WHERE id = ?").run(stateStop, new Date().toISOString(), runId);
      } else {
        store.db.prepare('UPDATE loop_runs SET updated = ? WHERE id = ?').run(new Date().toISOString(), runId);
      }
    })();
  };
  let stateStop = '';

  // finish the batch a killed run left
  store.resetRunning(campaign);
  const last = store.db.prepare('SELECT iteration, status FROM loop_iterations WHERE run = ? ORDER BY iteration DESC LIMIT 1').get(runId) as
    | { iteration: number; status: string }
    | undefined;
  if (last?.status === 'acquiring') await labelBatch(last.iteration);
  if (last?.status === 'final') return computed;
  let iteration = last === undefined ? 0 : last.iteration + 1;

  const rng = (tag: string): Random => new Random(derivedSeed(`${seed}/${tag}/${iteration}`));
  const fixed = loop.fixedLabeller;

  if (iteration === 0) {
    const r = rng('initial');
    const batch: { candidate: Candidate; labeller: Labeller; score: null; dv: null; cost: null }[] = [];
    const taken = new Set<string>();
    const pick = (system: number): Candidate | undefined => {
      const left = pool.filter((c) => c.system === system && !taken.has(c.hash));
      if (left.length === 0) return undefined;
      const c = left[r.int(left.length)]!;
      taken.add(c.hash);
      return c;
    };
    for (const system of loop.systems) {
      for (let k = 0; k < cfg.initial.perSystem; k++) {
        const c = pick(system.index);
        if (c !== undefined) batch.push({ candidate: c, labeller: fixed, score: null, dv: null, cost: null });
      }
    }
    if (strategy === 'cost-aware') {
      for (const l of loop.labellers) {
        if (l === fixed || (l.expectedStandardErrorHartree !== null && l.cost.perShot === 0 && l.cost.perSecond === 0)) continue;
        for (const system of loop.systems) {
          const c = pick(system.index);
          if (c !== undefined) batch.push({ candidate: c, labeller: l, score: null, dv: null, cost: null });
        }
      }
    }
    recordBatch(0, { labels: 0, shots: 0, costUnits: 0, computeSeconds: 0, testMaeHartree: null, testMaxErrorHartree: null, errorEstimateHartree: null, model: null }, 'acquiring', batch);
    emit?.({ kind: 'iteration', strategy, seed, iteration: 0, labels: 0, shots: 0, testMaeHartree: null, errorEstimateHartree: null, batch: batch.map((b) => ({ system: loop.systems[b.candidate.system]!.name, labeller: b.labeller.name })) });
    await labelBatch(0);
    iteration = 1;
  }

  for (; ; iteration++) {
    const acquired = readAcquired();
    const labelled = acquired.filter((a) => a.energy !== null);
    let shots = 0;
    let cost = 0;
    let seconds = 0;
    for (const a of acquired) {
      shots += a.shots;
      seconds += a.wall;
      if (a.energy !== null) cost += labelCost(a.labeller, a.shots, a.wall);
    }
    const gp: ExactGp = trainExactGp(
      space,
      labelled.map((a) => a.structure),
      labelled.map((a) => a.energy!),
      labelled.map((a) => a.se!),
      grid,
    );
    const predicted = gpMean(gp, testFeatures);
    const predictedSd = gpVariance(gp, testFeatures);
    for (let k = 0; k < predictedSd.length; k++) predictedSd[k] = Math.sqrt(Math.max(0, predictedSd[k]!));
    const predictions = { mean: predicted, sd: predictedSd };
    let mae = 0;
    let maxErr = 0;
    for (let k = 0; k < predicted.length; k++) {
      const e = Math.abs(predicted[k]! - test.truth[k]!);
      mae += e;
      maxErr = Math.max(maxErr, e);
    }
    mae /= predicted.length;

    // the reference set: static pool plus this iteration's model-driven MD frames
    const acquiredHashes = new Set(acquired.map((a) => a.geometry));
    const candidates: Candidate[] = [...pool];
    if (strategy !== 'random') {
      const r = rng('md');
      for (const system of loop.systems) {
        const mine = labelled.filter((a) => a.system === system.index);
        for (const md of system.md) {
          for (let k = 0; k < md.trajectories && mine.length > 0; k++) {
            const start = mine[r.int(mine.length)]!.structure;
            const z = start.atomicNumbers;
            const frames = modelTrajectory(
              (x) => gpMean(gp, structureFeatures(space, [{ atomicNumbers: z, positionsBohr: x }]))[0]!,
              z,
              start.positionsBohr,
              system.base.positionsBohr,
              md,
              r.nextUint32(),
            );
            for (const x of frames) {
              const molecule: Molecule = { atomicNumbers: Int32Array.from(z), positionsBohr: x, charge: system.base.charge, multiplicity: system.base.multiplicity };
              const hash = geometryHash(molecule);
              if (seen.has(hash)) continue;
              candidates.push({ system: system.index, molecule, hash });
            }
          }
        }
      }
    }
    const m = candidates.length;
    const refFeatures = structureFeatures(space, candidates.map((c) => c.molecule));
    const cov = gpPosteriorCovariance(gp, refFeatures, refFeatures);
    let meanSd = 0;
    for (let p = 0; p < pool.length; p++) meanSd += Math.sqrt(Math.max(0, cov[p * m + p]!));
    const estimate = Math.sqrt(2 / Math.PI) * (meanSd / pool.length);
    const state = {
      labels: labelled.length,
      shots,
      costUnits: cost,
      computeSeconds: seconds,
      testMaeHartree: mae,
      testMaxErrorHartree: maxErr,
      errorEstimateHartree: estimate,
      model: { lengthScale: gp.hyper.lengthScale, signalVarianceHartree2: gp.hyper.signalVarianceHartree2, noiseFloorHartree: gp.hyper.noiseFloorHartree },
    };
    const eligible: number[] = [];
    candidates.forEach((c, k) => {
      if (!acquiredHashes.has(c.hash) && (strategy !== 'random' || k < pool.length)) eligible.push(k);
    });
    let stop: string | null = null;
    if (budgets.maxLabels !== undefined && acquired.length >= budgets.maxLabels) stop = 'maxLabels';
    else if (budgets.maxShots !== undefined && shots >= budgets.maxShots) stop = 'maxShots';
    else if (budgets.maxCostUnits !== undefined && cost >= budgets.maxCostUnits) stop = 'maxCostUnits';
    else if (budgets.targetErrorHartree !== undefined && estimate <= budgets.targetErrorHartree) stop = 'targetError';
    else if (iteration > budgets.maxIterations) stop = 'maxIterations';
    else if (eligible.length === 0) stop = 'candidates';
    if (stop !== null) {
      stateStop = stop;
      recordBatch(iteration, state, 'final', [], predictions);
      emit?.({ kind: 'iteration', strategy, seed, iteration, labels: state.labels, shots, testMaeHartree: mae, errorEstimateHartree: estimate, batch: [] });
      emit?.({ kind: 'stopped', strategy, seed, reason: stop });
      return computed;
    }
    const batchSize = Math.min(cfg.batchSize, budgets.maxLabels !== undefined ? budgets.maxLabels - acquired.length : cfg.batchSize);
    let batch: { candidate: Candidate; labeller: Labeller; score: number | null; dv: number | null; cost: number | null }[];
    if (strategy === 'random') {
      const r = rng('random');
      const left = [...eligible];
      batch = [];
      while (batch.length < batchSize && left.length > 0) {
        const k = left.splice(r.int(left.length), 1)[0]!;
        batch.push({ candidate: candidates[k]!, labeller: fixed, score: null, dv: null, cost: null });
      }
    } else {
      const usable = strategy === 'cost-aware' ? loop.labellers : [fixed];
      const floor2 = gp.hyper.noiseFloorHartree ** 2;
      // expected noise and cost of each (labeller, system), from this run's labels
      const optionsOf = new Map<number, LabelOption[]>();
      for (const system of loop.systems) {
        const opts: LabelOption[] = [];
        for (const l of usable) {
          const mine = labelled.filter((a) => a.labeller === l && a.system === system.index);
          const anyLab = labelled.filter((a) => a.labeller === l);
          const from = mine.length > 0 ? mine : anyLab;
          const noise =
            from.length > 0 ? from.reduce((s, a) => s + a.se! ** 2, 0) / from.length : (l.expectedStandardErrorHartree ?? 0) ** 2;
          const c = from.length > 0 ? from.reduce((s, a) => s + labelCost(l, a.shots, a.wall), 0) / from.length : l.cost.perLabel;
          opts.push({ labeller: l.index, noiseVarianceHartree2: noise + floor2, costUnits: Math.max(c, 1e-12) });
        }
        optionsOf.set(system.index, opts);
      }
      const chosen = chooseBatch(cov, m, eligible, (k) => optionsOf.get(candidates[k]!.system)!, batchSize);
      batch = chosen.map((c) => ({
        candidate: candidates[c.candidate]!,
        labeller: loop.labellers[c.labeller]!,
        score: strategy === 'cost-aware' ? c.score : c.varianceReductionHartree2,
        dv: c.varianceReductionHartree2,
        cost: c.expectedCostUnits,
      }));
    }
    recordBatch(iteration, state, 'acquiring', batch, predictions);
    emit?.({
      kind: 'iteration',
      strategy,
      seed,
      iteration,
      labels: state.labels,
      shots,
      testMaeHartree: mae,
      errorEstimateHartree: estimate,
      batch: batch.map((b) => ({ system: loop.systems[b.candidate.system]!.name, labeller: b.labeller.name })),
    });
    await labelBatch(iteration);
  }
}

/** One strategy's results over the seeds. */
export interface StrategySummary {
  strategy: Strategy;
  runs: ActiveLearningReport[];
  /**
   * Median over seeds of quantum labels at the first point at or below the target test error; a
   * seed that never got there counts as beyond every value (null when more than half never did).
   */
  medianQuantumLabelsToTarget: number | null;
  medianLabelsToTarget: number | null;
  medianShotsToTarget: number | null;
  medianCostUnitsToTarget: number | null;
  /** Seeds that reached the target. */
  reachedTarget: number;
  /** Median over seeds of the quantum labels a run used in all. */
  medianQuantumLabelsUsed: number | null;
  medianFinalTestMaeHartree: number | null;
}

/** Every strategy of a loop over its seeds, with the comparisons the loop is measured by. */
export interface LoopSummary {
  loop: string;
  db: string;
  seeds: number[];
  targetTestErrorHartree: number;
  strategies: StrategySummary[];
  /** Ratios of medians (null when a side is missing or never reached the target). */
  ratios: {
    /** Quantum labels to the target: random / uncertainty (active, same labeller). */
    labelsRandomOverUncertainty: number | null;
    /** Quantum labels to the target: random / cost-aware. */
    labelsRandomOverCostAware: number | null;
    /** Shots to the target: uncertainty (one fixed labeller) / cost-aware (mixed). */
    shotsFixedOverCostAware: number | null;
    /**
     * When random acquisition never reached the target in most seeds: the median quantum labels it
     * used in all over the uncertainty strategy's median to the target — a lower bound of the ratio.
     */
    labelsRandomOverUncertaintyAtLeast: number | null;
  };
}

/** Options of {@link runLoop}. */
export interface RunLoopOptions {
  store: LabelStore;
  /** Run seeds (default: seed, seed + 1, … of the loop file, `seeds` of them). */
  seeds?: number[];
  /** Strategies (default: the loop file's). */
  strategies?: Strategy[];
  onProgress?: (event: LoopProgressEvent) => void;
  signal?: AbortSignal;
}

/**
 * Median over seeds where a seed that never reached the target counts as beyond every value: the
 * median exists when more than half of the seeds reached it (null otherwise).
 */
function medianReached(values: readonly (number | null)[]): number | null {
  if (values.length === 0) return null;
  const s = values.map((v) => (v === null ? Infinity : v)).sort((a, b) => a - b);
  const m = s.length >> 1;
  const v = s.length % 2 === 1 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
  return Number.isFinite(v) ? v : null;
}

/** Summaries of a set of runs (one strategy). */
function summarise(strategy: Strategy, runs: ActiveLearningReport[]): StrategySummary {
  const med = (f: (t: NonNullable<ActiveLearningReport['reachedTarget']>) => number): number | null =>
    medianReached(runs.map((r) => (r.reachedTarget === null ? null : f(r.reachedTarget))));
  return {
    strategy,
    runs,
    medianQuantumLabelsToTarget: med((t) => t.quantumLabels),
    medianLabelsToTarget: med((t) => t.labels),
    medianShotsToTarget: med((t) => t.shots),
    medianCostUnitsToTarget: med((t) => t.costUnits),
    reachedTarget: runs.filter((r) => r.reachedTarget !== null).length,
    medianQuantumLabelsUsed: median(runs.map((r) => r.quantumLabels)),
    medianFinalTestMaeHartree: median(runs.filter((r) => r.finalTestMaeHartree !== null).map((r) => r.finalTestMaeHartree!)),
  };
}

/** Run (or resume) every strategy of a loop over its seeds and compare them. */
export async function runLoop(loop: LoopConfig, options: RunLoopOptions): Promise<LoopSummary> {
  const cfg = loop.config;
  const seeds = options.seeds ?? Array.from({ length: cfg.seeds }, (_, k) => cfg.seed + k);
  const strategies = options.strategies ?? cfg.strategies;
  const out: StrategySummary[] = [];
  const byStrategy = new Map<Strategy, ActiveLearningReport[]>();
  for (const seed of seeds) {
    for (const strategy of strategies) {
      const r = await runActiveLearning(loop, { store: options.store, seed, strategy, onProgress: options.onProgress, signal: options.signal });
      byStrategy.set(strategy, [...(byStrategy.get(strategy) ?? []), r]);
      if (r.stopReason === 'aborted') break;
    }
    if (options.signal?.aborted) break;
  }
  for (const s of strategies) out.push(summarise(s, byStrategy.get(s) ?? []));
  const get = (s: Strategy) => out.find((x) => x.strategy === s);
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a != null && b != null && b > 0 ? a / b : null);
  return {
    loop: cfg.name,
    db: options.store.path,
    seeds,
    targetTestErrorHartree: cfg.targetTestErrorHartree,
    strategies: out,
    ratios: {
      labelsRandomOverUncertainty: ratio(get('random')?.medianQuantumLabelsToTarget, get('uncertainty')?.medianQuantumLabelsToTarget),
      labelsRandomOverCostAware: ratio(get('random')?.medianQuantumLabelsToTarget, get('cost-aware')?.medianQuantumLabelsToTarget),
      shotsFixedOverCostAware: ratio(get('uncertainty')?.medianShotsToTarget, get('cost-aware')?.medianShotsToTarget),
      labelsRandomOverUncertaintyAtLeast:
        get('random') !== undefined && get('random')!.medianQuantumLabelsToTarget === null
          ? ratio(get('random')!.medianQuantumLabelsUsed, get('uncertainty')?.medianQuantumLabelsToTarget)
          : null,
    },
  };
}
