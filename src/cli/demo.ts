/**
 * `qde demo`: the end-to-end demo (src/loop/demo) — quantum labels on small systems, a few rounds
 * of active learning, a model that predicts larger hydrogen chains against FCI and CCSD, and the
 * HTML report. Progress on stderr, one line per step; the table of measured errors on stdout
 * (`--json`: that table as one JSON object).
 */
import { Command } from 'commander';
import { runDemo } from '../loop/index.js';
import type { DemoResult } from '../loop/index.js';
import { type CliIo, parseNonNegativeIntegerOption } from './common.js';

interface DemoCliOptions {
  out: string;
  json?: boolean;
  seed: number;
}

function fmt(v: number | null, digits = 2): string {
  if (v === null) return '—';
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(digits);
}

/** The table of measured errors as text. */
export function demoTable(r: DemoResult): string {
  const rows = r.table.map((x) => [String(x.step), x.quantity, x.system, fmt(x.errorMilliHartree), fmt(x.maxErrorMilliHartree), fmt(x.twoSigmaMilliHartree), String(x.count)]);
  const head = ['step', 'measured', 'system', 'error mEh', 'max mEh', '±2σ mEh', 'n'];
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((row) => row[k]!.length)));
  const line = (cells: string[]) => cells.map((c, k) => (k === 1 || k === 2 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/** Build the `demo` command. */
export function demoCommand(io: CliIo, setCode: (code: number) => void): Command {
  return new Command('demo')
    .summary('the end-to-end demo: quantum labels, active learning, larger molecules, HTML report')
    .description(
      'Label H2 and H4 with VQE on the exact backend and H2 on the noisy aria-1 emulator (raw and mitigated), run ' +
        'active learning on H4/H6 chains with VQE labels (cost-aware against random), train a model that predicts ' +
        'H8 and H10 chains and compare it with FCI and CCSD, and write the HTML report. Ends with a table of the ' +
        'errors it measured (mEh). DIR/demo.sqlite is recreated on every run.',
    )
    .option('--out <dir>', 'output directory (demo.sqlite and report.html)', 'qde-demo')
    .option('--seed <n>', 'seed of every random choice', parseNonNegativeIntegerOption, 0)
    .option('--json', 'print the table of measured errors as one JSON object')
    .action(async (options: DemoCliOptions) => {
      const r = await runDemo({ outDir: options.out, seed: options.seed, log: (line) => io.stderr(line + '\n') });
      if (options.json) {
        io.stdout(JSON.stringify(r) + '\n');
      } else {
        io.stdout(demoTable(r));
        io.stdout(`\nlabels ${r.labels} (${r.shots.toLocaleString('en-US')} shots) in ${r.db}\nreport ${r.report}\nwall time ${r.wallSeconds.toFixed(0)} s\n`);
      }
      setCode(0);
    });
}
