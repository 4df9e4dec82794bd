/**
 * `npm run bench [-- substring ...]`: runs every benchmark in bench/*.bench.ts, prints a table and
 * writes bench/results.json.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpus } from 'node:os';
import type { Benchmark, BenchRow } from './harness.js';
import { psi4Available } from './psi4.js';
import { pyscfAvailable } from './pyscf.js';
import { QDE_VERSION } from '../src/version.js';
import { useSerialScavenges } from '../src/core/index.js';

// The same garbage-collector settings as the `qde` executable, so the rows time what users run.
useSerialScavenges();

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);

function fmt(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(3);
  return v.toPrecision(4);
}

async function main(): Promise<void> {
  const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort();
  const rows: BenchRow[] = [];
  const withPsi4 = psi4Available();
  const withPyscf = pyscfAvailable();
  console.log(
    `qde ${QDE_VERSION} benchmarks on ${cpus().length} cores; Psi4 comparison: ${withPsi4 ? 'yes' : 'no (not installed)'}; ` +
      `PySCF comparison: ${withPyscf ? 'yes' : 'no (python3 -c "import pyscf" fails)'}`,
  );
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { benchmarks: Benchmark[] };
    for (const b of mod.benchmarks) {
      if (filters.length > 0 && !filters.some((f) => b.name.includes(f) || file.includes(f))) continue;
      process.stderr.write(`running ${b.name} ...\n`);
      const out = await b.run();
      for (const r of out) {
        rows.push(r);
        process.stderr.write(
          `  ${r.metric}: ${fmt(r.value)} ${r.unit}${r.psi4 !== undefined ? ` (psi4 ${fmt(r.psi4)}, ratio ${fmt(r.ratio)})` : ''}` +
            `${r.pyscf !== undefined ? ` (pyscf ${fmt(r.pyscf)}, ratio ${fmt(r.pyscfRatio)})` : ''}\n`,
        );
      }
    }
  }
  const header = ['benchmark', 'metric', 'qde', 'unit', 'psi4', 'qde/psi4', 'pyscf', 'qde/pyscf', 'note'];
  const table = rows.map((r) => [
    r.benchmark, r.metric, fmt(r.value), r.unit, fmt(r.psi4), fmt(r.ratio), fmt(r.pyscf), fmt(r.pyscfRatio), r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const t of table) console.log(line(t));
  const out = join(here, 'results.json');
  writeFileSync(
    out,
    JSON.stringify({ qdeVersion: QDE_VERSION, date: new Date().toISOString(), cores: cpus().length, psi4: withPsi4, pyscf: withPyscf, rows }, null, 1) + '\n',
  );
  console.log(`wrote ${out}`);
}

await main();
