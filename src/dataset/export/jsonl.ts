/**
 * JSON-lines export: one label per line, the {@link DatasetRecord} fields under their own names
 * (atomic units: `positionsBohr`, `energyHartree`, `standardErrorHartree`, `forcesHartreePerBohr`,
 * `dipoleAu`), arrays as JSON arrays, `method` and `provenance` as nested JSON.
 */
import type { DatasetRecord } from '../record.js';
import { type ExportSummary, withTextSink } from './sink.js';

const arr = (v: ArrayLike<number> | null | undefined): number[] | null => (v === null || v === undefined ? null : Array.from(v));

/** One record as a JSON line (no trailing newline). */
export function formatRecordJson(record: DatasetRecord): string {
  return JSON.stringify({
    key: record.key,
    geometryKey: record.geometryKey,
    atomicNumbers: Array.from(record.atomicNumbers),
    positionsBohr: Array.from(record.positionsBohr),
    charge: record.charge,
    multiplicity: record.multiplicity,
    rung: record.rung,
    basis: record.basis,
    energyHartree: record.energyHartree,
    standardErrorHartree: record.standardErrorHartree,
    forcesHartreePerBohr: arr(record.forcesHartreePerBohr),
    forcesStandardErrorHartreePerBohr: arr(record.forcesStandardErrorHartreePerBohr),
    dipoleAu: arr(record.dipoleAu),
    method: record.method,
    provenance: record.provenance,
  });
}

/** Write every record as one JSON line to `path` (streamed). */
export function exportJsonLines(records: Iterable<DatasetRecord>, path: string): ExportSummary {
  return withTextSink(path, 'JSON-lines file', (sink) => {
    let n = 0;
    for (const record of records) {
      sink.write(formatRecordJson(record) + '\n');
      n++;
    }
    return { path, records: n, files: 1 };
  });
}
