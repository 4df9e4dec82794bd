/**
 * Benchmark harness: every `bench/*.bench.ts` exports `benchmarks: Benchmark[]`; `npm run bench`
 * runs them (optionally only those whose name contains a command-line substring), prints one table
 * and writes `bench/results.json`.
 */

/**
 * One measured figure. `psi4` and `ratio` (qde / Psi4, same unit) are set when Psi4 ran too,
 * `pyscf` and `pyscfRatio` when PySCF did.
 */
export interface BenchRow {
  benchmark: string;
  metric: string;
  value: number;
  unit: string;
  psi4?: number;
  /** qde time divided by Psi4 time (below 1: qde is faster). */
  ratio?: number;
  /** The same figure from PySCF, when it ran too (./pyscf.ts). */
  pyscf?: number;
  /** qde time divided by PySCF time. */
  pyscfRatio?: number;
  note?: string;
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchRow[]> | BenchRow[];
}

/** Median wall time in seconds of `repeats` calls of `fn` (after one warm-up call when `warmup`). */
export function timeIt(fn: () => void, repeats = 3, warmup = true): number {
  if (warmup) fn();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** The middle value of `values` (the upper of the two middle ones for an even count). */
export function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)]!;
}

/** The glibc tunables `npm run bench` sets for qde (package.json), as the `qde` command does (bin/qde). */
const QDE_TUNABLES = ['glibc.malloc.hugetlb=1', 'glibc.malloc.mmap_threshold=33554432', 'glibc.malloc.trim_threshold=134217728'];

/**
 * The environment the peers (Psi4, PySCF, PyTorch) run in: the bench's own without qde's malloc
 * tunables, so each program runs as its users run it (numpy asks for huge pages for its arrays by
 * itself). With QDE_BENCH_PEER_HUGE_PAGES=1 they keep them and every program runs with the same
 * memory settings.
 */
export function peerEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (process.env.QDE_BENCH_PEER_HUGE_PAGES === '1') return env;
  const kept = (env.GLIBC_TUNABLES ?? '').split(':').filter((t) => t !== '' && !QDE_TUNABLES.includes(t));
  if (kept.length > 0) env.GLIBC_TUNABLES = kept.join(':');
  else delete env.GLIBC_TUNABLES;
  return env;
}
