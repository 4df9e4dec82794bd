/**
 * The end-to-end demo: quantum labels → active learning → a model that predicts larger molecules
 * → the HTML report, in a few minutes on a laptop, every number computed on the spot.
 *
 * 1. Quantum labels for small systems (a campaign in the demo's store): an H2 bond scan and H4
 *    chains with HF, FCI and VQE-UCCSD on the exact state vector; H2 at its equilibrium bond with
 *    the compact circuit (QEB-ADAPT, parameters from the exact backend) measured on the noisy
 *    aria-1 emulator, raw and with readout + zero-noise extrapolation + symmetry mitigation: one
 *    label holding the exact-circuit, raw and mitigated energies. Errors are against FCI.
 * 2. Active learning on H4 and H6 chains (displaced around 1 Å spacing): VQE-UCCSD labels on the
 *    exact backend, an exact GP, cost-aware acquisition against random acquisition with the same
 *    label budget; FCI is the truth of the held-out test set (the only place FCI stands in).
 * 3. A model trained on the VQE labels the loops acquired predicts displaced H8 and H10 chains it
 *    never saw: a Gaussian process on a SOAP-like power spectrum learns VQE − HF (Δ-learning) and
 *    predicts HF + Δ. FCI is the truth and CCSD runs directly on the same chains as the classical
 *    baseline.
 * 4. The self-contained HTML report of the store, with the parity plots of step 3 and the table
 *    of measured errors.
 *
 * Energies in Hartree inside; the table reports errors in mEh. STO-3G throughout.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InputError } from '../../core/index.js';
import { buildCampaign, openLabelStore, parseCampaignText, runCampaign } from '../../dataset/index.js';
import { type TrainingExample, defaultSoapSettings, predictModel, trainModel } from '../../ml/index.js';
import { createMolecule } from '../../chem/index.js';
import { runMethod } from '../../methods/index.js';
import { buildLoop, parseLoopText, readLoopHistory, runActiveLearning } from '../active/index.js';
import type { ActiveLearningReport } from '../active/index.js';
import type { ReportParitySet, ReportTable } from '../report/index.js';
import { writeReport } from '../report/index.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Output directory (created; default `qde-demo`): `demo.sqlite` and `report.html` go there. */
  outDir?: string;
  /** Seed of every random choice (default 0). */
  seed?: number;
  /** Worker threads of the labelling campaigns (default: the thread budget). */
  workers?: number;
  /** One progress line per step (default: none). */
  log?: (line: string) => void;
}

/** One row of the demo's table of measured errors. */
export interface DemoErrorRow {
  /** Step of the demo (1–3). */
  step: number;
  /** What was measured, e.g. `VQE (exact backend) − FCI`. */
  quantity: string;
  /** System(s), e.g. `H2 scan, H4 chains`. */
  system: string;
  /** Mean absolute error, mEh (for one geometry: its error; signed where `signed` is true). */
  errorMilliHartree: number;
  /** Largest absolute error, mEh. */
  maxErrorMilliHartree: number;
  /** 2σ of the label (noisy labels), mEh; null for deterministic ones. */
  twoSigmaMilliHartree: number | null;
  /** Geometries the row covers. */
  count: number;
}

/** What {@link runDemo} did. */
export interface DemoResult {
  demo: 'qde';
  seed: number;
  outDir: string;
  db: string;
  report: string;
  /** The table of measured errors (mEh). */
  table: DemoErrorRow[];
  /** Labels in the store, shots spent, and the active-learning labels used by each strategy. */
  labels: number;
  shots: number;
  activeLearning: { strategy: string; labels: number; finalTestMaeMilliHartree: number | null }[];
  /** Seconds of each step. */
  stepSeconds: { step: string; seconds: number }[];
  wallSeconds: number;
}

const BASIS = 'sto-3g';
/** Shots per estimate of the noisy label (the compact circuit is measured once, with mitigation). */
const NOISY_SHOTS = 40_000;

/** Step 1: the campaign of quantum labels on small systems. */
function quantumCampaignText(seed: number): string {
  return `name: demo-quantum-labels
description: H2 scan and H4 chains with HF, FCI and VQE on the exact backend; H2 with the compact circuit on aria-1, raw and mitigated
seed: ${seed}
quantities: [energy]
methods:
  - { method: hf, basis: ${BASIS} }
  - { method: fci, basis: ${BASIS} }
  - { method: vqe, basis: ${BASIS} }
molecules:
  - example: h2
    scan: { coordinate: bond, atoms: [0, 1], fromAngstrom: 0.5, toAngstrom: 2.3, steps: 7 }
  - chain: { atoms: 4, shape: linear, count: 3, bondAngstrom: [0.8, 1.6] }
  - example: h2
    methods:
      - { method: fci, basis: ${BASIS} }
      - { method: vqe, basis: ${BASIS}, ansatz: compact, backend: { name: noisy, device: aria-1, shots: ${NOISY_SHOTS}, mitigation: [readout, zne, symmetry] } }
`;
}

/** Step 2: the active-learning loop on H4 and H6 chains. */
function loopText(seed: number, maxLabels: number): string {
  return `name: demo-chains
description: H4 and H6 chains, VQE labels on the exact backend, FCI truth on the held-out set
seed: ${seed}
systems:
  - name: H4
    example: h4
    candidates:
      - displacements: { count: 40, sigmaAngstrom: 0.1 }
    test:
      - displacements: { count: 6, sigmaAngstrom: 0.1 }
  - name: H6
    example: h6
    candidates:
      - displacements: { count: 40, sigmaAngstrom: 0.1 }
    test:
      - displacements: { count: 6, sigmaAngstrom: 0.1 }
truth: { method: fci, basis: ${BASIS} }
labellers:
  - name: vqe-exact
    spec: { method: vqe, basis: ${BASIS} }
    cost: { perLabel: 1 }
initial: { perSystem: 2 }
batchSize: 2
budgets: { maxLabels: ${maxLabels} }
strategies: [cost-aware, random]
`;
}

/** Step 3: the larger chains the model predicts, with FCI (truth) and CCSD (baseline). */
function largerChainsCampaignText(seed: number): string {
  return `name: demo-larger-chains
description: displaced H8 and H10 chains; FCI is the truth, CCSD the classical baseline
seed: ${seed}
quantities: [energy]
methods:
  - { method: fci, basis: ${BASIS} }
  - { method: ccsd, basis: ${BASIS} }
molecules:
  - example: h8
    displacements: { count: 3, sigmaAngstrom: 0.1 }
  - example: h10
    displacements: { count: 3, sigmaAngstrom: 0.1 }
`;
}

function errorRow(step: number, quantity: string, system: string, errors: readonly number[], twoSigma: number | null = null): DemoErrorRow {
  const abs = errors.map((e) => Math.abs(e));
  return {
    step,
    quantity,
    system,
    errorMilliHartree: errors.length === 1 ? 1e3 * errors[0]! : (1e3 * abs.reduce((s, v) => s + v, 0)) / Math.max(1, abs.length),
    maxErrorMilliHartree: 1e3 * Math.max(...abs),
    twoSigmaMilliHartree: twoSigma === null ? null : 1e3 * twoSigma,
    count: errors.length,
  };
}

/** The fields of the noisy label the demo reads (a compact-circuit VQE result with mitigation). */
interface NoisyLabel {
  energyHartree: number;
  standardErrorHartree: number;
  rawEnergyHartree?: number;
  /** Energy of the same circuit on the exact state vector. */
  exactEnergyHartree?: number;
  circuit?: { twoQubitGates: number };
}

/** Why the output directory cannot be used, or null. */
function outDirProblem(dir: string): string | null {
  if (existsSync(dir) && !statSync(dir).isDirectory()) return 'it exists and is not a directory';
  return null;
}

/** Run the demo (see the file header); returns its table of measured errors. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const t0 = performance.now();
  const seed = options.seed ?? 0;
  const log = options.log ?? (() => {});
  const outDir = resolve(options.outDir ?? 'qde-demo');
  const problem = outDirProblem(outDir);
  if (problem !== null) throw new InputError(`demo output directory ${outDir}: ${problem}`);
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new InputError(`demo output directory ${outDir} cannot be created: ${(e as Error).message}`);
  }
  const db = join(outDir, 'demo.sqlite');
  // a fresh store every time: the same seed gives the same numbers, and nothing stale is reused
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const reportPath = join(outDir, 'report.html');
  const stepSeconds: { step: string; seconds: number }[] = [];
  const table: DemoErrorRow[] = [];
  const workers = options.workers;
  const since = (t: number) => (performance.now() - t) / 1000;

  // 1. quantum labels for small systems
  let t = performance.now();
  log('[1/4] quantum labels: H2 scan and H4 chains (HF, FCI, VQE on the exact backend); H2 on aria-1 with the compact circuit, raw and mitigated …');
  const quantum = buildCampaign(parseCampaignText(quantumCampaignText(seed), 'demo-quantum-labels'), null);
  await runCampaign(quantum, { dbPath: db, ...(workers !== undefined ? { workers } : {}) });
  const store = openLabelStore(db);
  try {
    const energy = (key: string): { e: number; se: number } | null => {
      const r = store.labelResult(key);
      return r === undefined ? null : { e: r.energyHartree, se: r.standardErrorHartree };
    };
    const byGeometry = new Map<string, Map<string, string>>();
    const rungOf = (spec: Record<string, unknown>): string => `${spec.method as string}${spec.backend === undefined ? '' : ':noisy'}`;
    for (const j of quantum.jobs) {
      const m = byGeometry.get(j.geometryHash) ?? byGeometry.set(j.geometryHash, new Map()).get(j.geometryHash)!;
      m.set(rungOf(j.spec as unknown as Record<string, unknown>), j.key);
    }
    const vqeErrors: number[] = [];
    for (const rungs of byGeometry.values()) {
      const fci = energy(rungs.get('fci') ?? '');
      if (fci === null) continue;
      const vqe = rungs.has('vqe') ? energy(rungs.get('vqe')!) : null;
      if (vqe !== null) vqeErrors.push(vqe.e - fci.e);
      const noisyKey = rungs.get('vqe:noisy');
      const noisy = noisyKey === undefined ? undefined : (store.labelResult(noisyKey) as unknown as NoisyLabel | undefined);
      if (noisy === undefined) continue;
      const cnots = noisy.circuit?.twoQubitGates;
      const circuit = `compact circuit${cnots === undefined ? '' : `, ${cnots} CNOTs`}`;
      if (typeof noisy.exactEnergyHartree === 'number') table.push(errorRow(1, `VQE ${circuit}, exact backend − FCI`, 'H2 0.74 Å', [noisy.exactEnergyHartree - fci.e]));
      if (typeof noisy.rawEnergyHartree === 'number') table.push(errorRow(1, `VQE ${circuit}, aria-1 raw − FCI`, 'H2 0.74 Å', [noisy.rawEnergyHartree - fci.e]));
      table.push(errorRow(1, `VQE ${circuit}, aria-1 mitigated − FCI`, 'H2 0.74 Å', [noisy.energyHartree - fci.e], 2 * noisy.standardErrorHartree));
    }
    if (vqeErrors.length === 0) throw new Error('demo: no VQE label was computed (see qde campaign status --db ' + db + ')');
    table.unshift(errorRow(1, 'VQE-UCCSD (exact backend) − FCI', 'H2 scan, H4 chains', vqeErrors));
    stepSeconds.push({ step: 'quantum labels', seconds: since(t) });
    log(`      ${quantum.jobs.length} labels in ${since(t).toFixed(0)} s`);

    // 2. active learning on H4/H6
    t = performance.now();
    const maxLabels = 30;
    log(`[2/4] active learning on H4/H6 chains: VQE labels (exact backend), cost-aware vs random, ${maxLabels} labels each …`);
    const loop = buildLoop(parseLoopText(loopText(seed, maxLabels), 'demo-chains'), null);
    const runs: ActiveLearningReport[] = [];
    for (const strategy of ['cost-aware', 'random'] as const) runs.push(await runActiveLearning(loop, { store, seed, strategy }));
    const testSet = readLoopHistory(store, { loop: 'demo-chains' }).testSets.length;
    for (const r of runs) {
      if (r.finalTestMaeHartree === null) continue;
      const last = [...r.curve].reverse().find((p) => p.testMaeHartree !== null);
      const maxError = [...(readLoopHistory(store, { loop: 'demo-chains', strategy: r.strategy, seed }).runs[0]?.iterations ?? [])].reverse().find((i) => i.testMaxErrorHartree !== null)?.testMaxErrorHartree ?? null;
      table.push({
        step: 2,
        quantity: `loop GP after ${last?.labels ?? r.labels} VQE labels (${r.strategy})`,
        system: 'held-out H4/H6',
        errorMilliHartree: 1e3 * r.finalTestMaeHartree,
        maxErrorMilliHartree: maxError === null ? Number.NaN : 1e3 * maxError,
        twoSigmaMilliHartree: null,
        count: testSet,
      });
    }
    stepSeconds.push({ step: 'active learning', seconds: since(t) });
    log(`      ${runs.map((r) => `${r.strategy}: ${r.labels} labels, test MAE ${r.finalTestMaeHartree === null ? '—' : (1e3 * r.finalTestMaeHartree).toFixed(2)} mEh`).join('; ')} (${since(t).toFixed(0)} s)`);

    // 3. the model predicts larger chains
    t = performance.now();
    log('[3/4] a model on the acquired VQE labels (HF + learned Δ) predicts H8 and H10; FCI is the truth, CCSD runs directly …');
    // every VQE label the two loops acquired (cost-aware and random), once per geometry
    const history = readLoopHistory(store, { loop: 'demo-chains', seed });
    const geometry = store.db.prepare('SELECT atomic_numbers AS z, positions_bohr AS r FROM geometries WHERE hash = ?');
    const examples: TrainingExample[] = [];
    const seen = new Set<string>();
    for (const run of history.runs) {
      for (const it of run.iterations) {
        for (const a of it.acquisitions) {
          if (a.energyHartree === null || seen.has(a.jobKey)) continue;
          seen.add(a.jobKey);
          const g = geometry.get(a.geometryHash) as { z: string; r: string };
          const atomicNumbers = Int32Array.from(JSON.parse(g.z) as number[]);
          const positionsBohr = Float64Array.from(JSON.parse(g.r) as number[]);
          // Δ-learning: the model learns VQE − HF, and predicts HF + Δ
          const hf = await hartreeFock(atomicNumbers, positionsBohr);
          examples.push({ atomicNumbers, positionsBohr, energyHartree: a.energyHartree - hf, standardErrorHartree: a.standardErrorHartree ?? 0, key: a.jobKey });
        }
      }
    }
    const model = trainModel(examples, { kind: 'gp', descriptor: defaultSoapSettings([1], 7), noiseFloorsHartree: [1e-5, 1e-4, 1e-3] }, {
      rung: 'vqe',
      deltaFrom: 'hf',
      lowRungSpec: { method: 'hf', basis: BASIS },
      basis: BASIS,
    });
    const larger = buildCampaign(parseCampaignText(largerChainsCampaignText(seed), 'demo-larger-chains'), null);
    await runCampaign(larger, { dbPath: db, ...(workers !== undefined ? { workers } : {}) });
    const modelName = `HF + Δ (${examples.length} VQE labels)`;
    const paritySets = new Map<number, ReportParitySet>();
    const parityOf = (atoms: number): ReportParitySet =>
      paritySets.get(atoms) ?? paritySets.set(atoms, { name: `H${atoms}: model and CCSD against FCI`, truth: 'FCI', points: [] }).get(atoms)!;
    const bySize = new Map<number, { model: number[]; ccsd: number[] }>();
    const jobsByGeometry = new Map<string, { fci?: string; ccsd?: string; atoms: number; z: Int32Array; r: Float64Array }>();
    for (const j of larger.jobs) {
      const g = jobsByGeometry.get(j.geometryHash) ?? jobsByGeometry.set(j.geometryHash, { atoms: j.molecule.atomicNumbers.length, z: j.molecule.atomicNumbers, r: j.molecule.positionsBohr }).get(j.geometryHash)!;
      if (j.spec.method === 'fci') g.fci = j.key;
      else g.ccsd = j.key;
    }
    for (const g of jobsByGeometry.values()) {
      const fci = g.fci === undefined ? null : energy(g.fci);
      if (fci === null) continue;
      const s = bySize.get(g.atoms) ?? bySize.set(g.atoms, { model: [], ccsd: [] }).get(g.atoms)!;
      const predicted = (await hartreeFock(g.z, g.r)) + predictModel(model, g.z, g.r, false).energyHartree;
      s.model.push(predicted - fci.e);
      parityOf(g.atoms).points.push({ truthHartree: fci.e, predictedHartree: predicted, series: modelName });
      const ccsd = g.ccsd === undefined ? null : energy(g.ccsd);
      if (ccsd !== null) {
        s.ccsd.push(ccsd.e - fci.e);
        parityOf(g.atoms).points.push({ truthHartree: fci.e, predictedHartree: ccsd.e, series: 'CCSD' });
      }
    }
    const parity = [...paritySets].sort((a, b) => a[0] - b[0]).map(([, set]) => set);
    for (const [atoms, s] of [...bySize].sort((a, b) => a[0] - b[0])) {
      if (s.model.length > 0) table.push(errorRow(3, `model (Δ on HF, ${examples.length} VQE labels on H4/H6) − FCI`, `H${atoms}`, s.model));
      if (s.ccsd.length > 0) table.push(errorRow(3, 'CCSD run directly − FCI', `H${atoms}`, s.ccsd));
    }
    stepSeconds.push({ step: 'larger chains', seconds: since(t) });
    log(`      ${[...bySize].map(([n, s]) => `H${n}: model ${(1e3 * mean(s.model)).toFixed(1)} mEh, CCSD ${(1e3 * mean(s.ccsd)).toFixed(1)} mEh (MAE vs FCI)`).join('; ')} (${since(t).toFixed(0)} s)`);

    // 4. the report
    t = performance.now();
    log('[4/4] the HTML report …');
    const status = store.status();
    const tables: ReportTable[] = [
      {
        title: 'Errors measured by this demo (mEh)',
        columns: ['step', 'quantity', 'system', 'MAE or error (mEh)', 'max |error| (mEh)', '±2σ (mEh)', 'geometries'],
        rows: table.map((r) => [r.step, r.quantity, r.system, milli(r.errorMilliHartree), milli(r.maxErrorMilliHartree), r.twoSigmaMilliHartree === null ? '—' : milli(r.twoSigmaMilliHartree), r.count]),
        note: 'Every number was computed by this run (seed ' + seed + '); FCI is the truth throughout, STO-3G basis.',
      },
    ];
    store.close();
    await writeReport({ dbPath: db, out: reportPath, title: 'qde demo: quantum labels → active learning → larger molecules', tables, parity });
    stepSeconds.push({ step: 'report', seconds: since(t) });
    return {
      demo: 'qde',
      seed,
      outDir,
      db,
      report: reportPath,
      table,
      labels: status.labels,
      shots: status.shots,
      activeLearning: runs.map((r) => ({ strategy: r.strategy, labels: r.labels, finalTestMaeMilliHartree: r.finalTestMaeHartree === null ? null : 1e3 * r.finalTestMaeHartree })),
      stepSeconds,
      wallSeconds: since(t0),
    };
  } finally {
    if (store.db.open) store.close();
  }
}

/** RHF/STO-3G energy of a geometry (the Δ-learning baseline), Hartree. */
async function hartreeFock(atomicNumbers: ArrayLike<number>, positionsBohr: ArrayLike<number>): Promise<number> {
  return (await runMethod(createMolecule({ atomicNumbers, positionsBohr }), { method: 'hf', basis: BASIS })).energyHartree;
}

/** An error in mEh for the report's table: two decimals (three significant digits above 100). */
function milli(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((s, v) => s + Math.abs(v), 0) / xs.length;
}
