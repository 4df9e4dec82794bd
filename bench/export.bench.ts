/**
 * Dataset export throughput: 100,000 synthetic labels (water-sized: 3 atoms, forces, a dipole on
 * every other label, a realistic resolved spec and provenance) streamed from a generator to each
 * format — extended XYZ, JSON lines, Parquet, the dataset card — and, from a SQLite label store
 * holding 100,000 labels, to JSON lines (database read included). FCIDUMP export is timed per file
 * on 1,000 geometries with a fixed water STO-3G Hamiltonian (the SCF it normally runs is not an
 * export cost). One timed run each: the exports are seconds long.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchRow } from './harness.js';
import { createMolecule } from '../src/chem/index.js';
import type { MolecularHamiltonian } from '../src/hamiltonian/index.js';
import type { MethodResult } from '../src/methods/index.js';
import {
  type DatasetRecord,
  datasetCard,
  exportExtXyz,
  exportFcidumps,
  exportJsonLines,
  exportParquet,
  openLabelStore,
  recordHamiltonian,
} from '../src/dataset/index.js';

const N = 100_000;
const SPEC = { method: 'hf', basis: 'sto-3g', charge: 0, multiplicity: 1, frozenCore: null, active: null, seed: 0, reference: 'rhf', scfMaxIterations: 100 };

function* synthetic(n: number): Generator<DatasetRecord> {
  for (let i = 0; i < n; i++) {
    const d = 1e-4 * (i % 1000);
    yield {
      key: `k${i.toString(16).padStart(16, '0')}`,
      geometryKey: `g${i.toString(16).padStart(16, '0')}`,
      atomicNumbers: [8, 1, 1],
      positionsBohr: [0, 0, 0.2217 + d, 0, 1.4309 - d, -0.8867, 0, -1.4309, -0.8867 + d],
      charge: 0,
      multiplicity: 1,
      rung: i % 2 === 0 ? 'hf' : 'fci',
      method: SPEC,
      basis: 'sto-3g',
      energyHartree: -74.96 - d,
      standardErrorHartree: 0,
      forcesHartreePerBohr: [0, 0, 0.01 - d, 0, 0.02 * d, -0.005, 0, -0.02 * d, -0.005 + d],
      dipoleAu: i % 2 === 0 ? [0, 0, 0.6 + d] : null,
      provenance: { qdeVersion: '0.1.0', spec: SPEC, backend: null, seed: 0, host: 'bench', wallSeconds: 0.01, created: '2026-01-01T00:00:00.000Z' },
    };
  }
}

async function seconds(fn: () => unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export const benchmarks: Benchmark[] = [
  {
    name: 'dataset export',
    async run(): Promise<BenchRow[]> {
      const dir = mkdtempSync(join(tmpdir(), 'qde-export-bench-'));
      const rows: BenchRow[] = [];
      const row = (metric: string, value: number, note: string): void => {
        rows.push({ benchmark: 'dataset export', metric, value, unit: 's', note });
      };
      try {
        row('extxyz 100k labels', await seconds(() => exportExtXyz(synthetic(N), join(dir, 'a.extxyz'))), '3-atom labels with forces');
        row('jsonl 100k labels', await seconds(() => exportJsonLines(synthetic(N), join(dir, 'a.jsonl'))), '');
        row('parquet 100k labels', await seconds(() => exportParquet(synthetic(N), join(dir, 'a.parquet'))), `Arrow batches, parquet-wasm`);
        row('card 100k labels', await seconds(() => datasetCard(synthetic(N))), 'Markdown + vega-lite SVG');
        const water = createMolecule({ symbols: ['O', 'H', 'H'], positionsBohr: [0, 0, 0.2217, 0, 1.4309, -0.8867, 0, -1.4309, -0.8867] });
        const first = synthetic(1).next().value as DatasetRecord;
        const ham: MolecularHamiltonian = recordHamiltonian({ ...first, atomicNumbers: water.atomicNumbers, positionsBohr: water.positionsBohr });
        const t = await seconds(() => exportFcidumps(synthetic(1000), join(dir, 'fcidump'), () => ham));
        row('fcidump per geometry', t / 1000, 'water STO-3G (7 orbitals), Hamiltonian given');
        // a label store with 100k labels, then store → jsonl
        const db = join(dir, 'store.sqlite');
        const store = openLabelStore(db);
        const records = [...synthetic(N)];
        store.upsertCampaign('bench', null, {}, 0);
        store.addJobs(
          'bench',
          records.map((r) => ({
            key: r.key,
            geometryHash: r.geometryKey,
            molecule: createMolecule({ atomicNumbers: r.atomicNumbers, positionsBohr: r.positionsBohr }),
            spec: { method: r.rung === 'hf' ? 'hf' : 'fci', basis: 'sto-3g', seed: 0 },
            seed: 0,
            quantities: 3,
          })),
        );
        for (const r of records) {
          const result = { method: r.rung, energyHartree: r.energyHartree, standardErrorHartree: 0, converged: true, iterations: 1, wallTimeSeconds: 0.01, provenance: r.provenance };
          store.writeLabel(r.key, { result: result as unknown as MethodResult, forcesHartreePerBohr: r.forcesHartreePerBohr as number[], dipoleAu: r.dipoleAu as number[] | null, wallSeconds: 0.01, qdeVersion: '0.1.0' });
        }
        store.close();
        const read = openLabelStore(db, { readonly: true });
        try {
          row('store → jsonl 100k labels', await seconds(() => exportJsonLines(read.iterateLabels(), join(dir, 'store.jsonl'))), 'SQLite read included');
          row('store → extxyz 100k labels', await seconds(() => exportExtXyz(read.iterateLabels(), join(dir, 'store.extxyz'))), 'SQLite read included');
        } finally {
          read.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      return rows;
    },
  },
];
