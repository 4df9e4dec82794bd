/**
 * `qde loop run FILE`: run (or resume) an active-learning loop file over its strategies and seeds
 * into a SQLite label store, with live progress on stderr, and compare the strategies.
 */
import { Command, InvalidArgumentError } from 'commander';
import { openLabelStore } from '../dataset/index.js';
import { type LoopProgressEvent, type LoopSummary, type Strategy, STRATEGIES, loadLoopFile, runLoop } from '../loop/index.js';
import { type CliIo, alignedLines, parseNonNegativeIntegerOption, parsePositiveIntegerOption } from './common.js';

interface RunOptions {
  db: string;
  json?: boolean;
  seeds?: number;
  firstSeed?: number;
  strategies?: Strategy[];
}

function parseStrategies(value: string): Strategy[] {
  const list = value.split(',').map((s) => s.trim());
  for (const s of list) if (!(STRATEGIES as readonly string[]).includes(s)) throw new InvalidArgumentError(`expected a list of ${STRATEGIES.join(', ')}.`);
  return list as Strategy[];
}

const mEh = (x: number | null): string => (x === null ? '—' : `${(x * 1000).toFixed(2)} mEh`);
const num = (x: number | null): string => (x === null ? '—' : Number.isInteger(x) ? String(x) : x.toPrecision(3));

function progressLine(e: LoopProgressEvent): string | null {
  if (e.kind === 'test-set') return e.done === e.total || e.done % 10 === 0 ? `test set: ${e.done}/${e.total} truth labels\n` : null;
  if (e.kind === 'stopped') return `${e.strategy} seed ${e.seed}: stopped (${e.reason})\n`;
  if (e.kind === 'label') return null;
  const batch = e.batch.map((b) => `${b.system}:${b.labeller}`).join(' ');
  return (
    `${e.strategy} seed ${e.seed} iteration ${e.iteration}: ${e.labels} labels, ${e.shots.toExponential(2)} shots, ` +
    `test MAE ${mEh(e.testMaeHartree)}, estimate ${mEh(e.errorEstimateHartree)}${batch === '' ? '' : ` → ${batch}`}\n`
  );
}

/** The `--json` object: per seed and strategy what was used and reached, the medians and ratios. */
export function loopJson(s: LoopSummary): object {
  return {
    loop: s.loop,
    db: s.db,
    seeds: s.seeds,
    targetTestErrorHartree: s.targetTestErrorHartree,
    strategies: s.strategies.map((st) => ({
      strategy: st.strategy,
      reachedTarget: st.reachedTarget,
      medianQuantumLabelsToTarget: st.medianQuantumLabelsToTarget,
      medianLabelsToTarget: st.medianLabelsToTarget,
      medianShotsToTarget: st.medianShotsToTarget,
      medianCostUnitsToTarget: st.medianCostUnitsToTarget,
      medianQuantumLabelsUsed: st.medianQuantumLabelsUsed,
      medianFinalTestMaeHartree: st.medianFinalTestMaeHartree,
      runs: st.runs.map((r) => ({
        seed: r.seed,
        stopReason: r.stopReason,
        labels: r.labels,
        quantumLabels: r.quantumLabels,
        shots: r.shots,
        costUnits: r.costUnits,
        labelsByLabeller: r.labelsByLabeller,
        finalTestMaeHartree: r.finalTestMaeHartree,
        finalErrorEstimateHartree: r.finalErrorEstimateHartree,
        reachedTarget: r.reachedTarget,
        labelsComputed: r.labelsComputed,
      })),
    })),
    ratios: s.ratios,
  };
}

function summaryText(s: LoopSummary): string {
  const header = ['strategy', 'reached', 'quantum labels', 'shots', 'final MAE'];
  const rows = s.strategies.map((st) => [
    st.strategy,
    `${st.reachedTarget}/${st.runs.length}`,
    num(st.medianQuantumLabelsToTarget),
    st.medianShotsToTarget === null ? '—' : st.medianShotsToTarget.toExponential(2),
    mEh(st.medianFinalTestMaeHartree),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  const r = s.ratios;
  return (
    alignedLines([
      ['loop', `${s.loop} → ${s.db}`],
      ['seeds', s.seeds.join(', ')],
      ['target', `test MAE ≤ ${mEh(s.targetTestErrorHartree)} (medians over seeds of the first point reaching it)`],
    ]) +
    [line(header), ...rows.map(line)].join('\n') +
    '\n' +
    alignedLines([
      ['labels random/uncertainty', r.labelsRandomOverUncertaintyAtLeast !== null ? `≥ ${num(r.labelsRandomOverUncertaintyAtLeast)} (random never reached the target)` : num(r.labelsRandomOverUncertainty)],
      ['labels random/cost-aware', num(r.labelsRandomOverCostAware)],
      ['shots fixed/cost-aware', num(r.shotsFixedOverCostAware)],
    ])
  );
}

/** Build the `loop` command with its `run` sub-command. */
export function loopCommand(io: CliIo, setCode: (code: number) => void): Command {
  const cmd = new Command('loop').summary('active learning that prices every label');
  cmd.description(
    'Run an active-learning loop file (YAML or JSON: systems and candidate generators, a held-out test set and its ' +
      'truth rung, labellers with their prices, the GP model, budgets, strategies and seeds) into a SQLite store. ' +
      'Each iteration trains the GP, scores every candidate and every labeller by expected variance reduction per ' +
      'unit cost, labels a batch through the dataset store and is recorded; a killed loop resumes where it stopped.',
  );
  cmd
    .command('run')
    .summary('run or resume a loop over its strategies and seeds')
    .argument('<file>', 'loop file (.yaml, .yml or .json)')
    .option('--db <file>', 'SQLite label store (created when missing)', 'data.sqlite')
    .option('--seeds <N>', "run N seeds (default: the file's seeds)", parsePositiveIntegerOption)
    .option('--first-seed <S>', "the first run seed (default: the file's seed)", parseNonNegativeIntegerOption)
    .option('--strategies <list>', `comma-separated strategies among ${STRATEGIES.join(', ')} (default: the file's)`, parseStrategies)
    .option('--json', 'print one JSON object at the end (no progress)')
    .action(async (file: string, options: RunOptions) => {
      const loop = loadLoopFile(file);
      const store = openLabelStore(options.db);
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      const live = options.json !== true && process.stderr.isTTY === true;
      try {
        const first = options.firstSeed ?? loop.config.seed;
        const seeds =
          options.seeds === undefined && options.firstSeed === undefined
            ? undefined
            : Array.from({ length: options.seeds ?? loop.config.seeds }, (_, k) => first + k);
        const summary = await runLoop(loop, {
          store,
          ...(seeds !== undefined ? { seeds } : {}),
          ...(options.strategies !== undefined ? { strategies: options.strategies } : {}),
          signal: controller.signal,
          ...(live
            ? {
                onProgress: (e: LoopProgressEvent) => {
                  const text = progressLine(e);
                  if (text !== null) io.stderr(text);
                },
              }
            : {}),
        });
        io.stdout(options.json ? JSON.stringify(loopJson(summary)) + '\n' : summaryText(summary));
        setCode(controller.signal.aborted ? 130 : 0);
      } finally {
        process.removeListener('SIGINT', onSigint);
        store.close();
      }
    });
  return cmd;
}
