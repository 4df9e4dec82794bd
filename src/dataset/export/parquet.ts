/**
 * Parquet export (Apache Arrow schema, written by parquet-wasm): one row per label, built in Arrow
 * record batches of {@link PARQUET_BATCH_ROWS} rows and streamed through the Parquet writer, so memory
 * stays bounded by one batch. Columns (atomic units, as {@link DatasetRecord}):
 *
 * key, geometry_key, rung, basis (utf8); charge, multiplicity, n_atoms (int32);
 * atomic_numbers (list<int32>); positions_bohr (list<float64>, 3 per atom, atom-major);
 * energy_hartree, standard_error_hartree (float64); forces_hartree_per_bohr,
 * forces_standard_error_hartree_per_bohr, dipole_au (list<float64>, null when not computed);
 * method, provenance (utf8 JSON).
 *
 * apache-arrow and parquet-wasm (about 150 modules and a WebAssembly binary) are imported on the first
 * Parquet call, not with the dataset stage; hence the functions here are asynchronous.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import type { Float64, Int32, Table, Vector } from 'apache-arrow';
import type * as parquetWasm from 'parquet-wasm';
import { InputError, fileErrorReason } from '../../core/index.js';
import type { DatasetRecord } from '../record.js';
import type { ExportSummary } from './sink.js';

/** Rows per Arrow record batch (and Parquet row group at most). */
export const PARQUET_BATCH_ROWS = 8192;

type Arrow = typeof import('apache-arrow');
type Parquet = typeof import('parquet-wasm');

let libraries: Promise<{ arrow: Arrow; parquet: Parquet }> | undefined;

/** apache-arrow and parquet-wasm, imported once on first use. */
function loadLibraries(): Promise<{ arrow: Arrow; parquet: Parquet }> {
  libraries ??= Promise.all([import('apache-arrow'), import('parquet-wasm')]).then(([arrow, parquet]) => ({ arrow, parquet }));
  return libraries;
}

/** A list builder fed plain arrays (what Arrow's list builders accept at run time). */
interface ArrayListBuilder {
  append(value: number[] | null): unknown;
  finish(): { toVector(): Vector };
}

function listBuilder({ makeBuilder, List, Field }: Arrow, item: Float64 | Int32): ArrayListBuilder {
  return makeBuilder({ type: new List(new Field('item', item, false)), nullValues: [null] }) as unknown as ArrayListBuilder;
}

/** One Arrow table of records (at most a batch). */
export async function recordsToArrowTable(records: readonly DatasetRecord[]): Promise<Table> {
  return arrowTable((await loadLibraries()).arrow, records);
}

function arrowTable(arrow: Arrow, records: readonly DatasetRecord[]): Table {
  const { makeBuilder, Utf8, Int32, Float64, Table } = arrow;
  const utf8 = () => makeBuilder({ type: new Utf8(), nullValues: [null] });
  const int32 = () => makeBuilder({ type: new Int32() });
  const float64 = () => makeBuilder({ type: new Float64() });
  const floats = () => listBuilder(arrow, new Float64());
  const columns = {
    key: utf8(),
    geometry_key: utf8(),
    rung: utf8(),
    basis: utf8(),
    charge: int32(),
    multiplicity: int32(),
    n_atoms: int32(),
    atomic_numbers: listBuilder(arrow, new Int32()),
    positions_bohr: floats(),
    energy_hartree: float64(),
    standard_error_hartree: float64(),
    forces_hartree_per_bohr: floats(),
    forces_standard_error_hartree_per_bohr: floats(),
    dipole_au: floats(),
    method: utf8(),
    provenance: utf8(),
  };
  const list = (v: ArrayLike<number> | null | undefined): number[] | null => (v === null || v === undefined ? null : Array.from(v));
  for (const r of records) {
    columns.key.append(r.key);
    columns.geometry_key.append(r.geometryKey);
    columns.rung.append(r.rung);
    columns.basis.append(r.basis);
    columns.charge.append(r.charge);
    columns.multiplicity.append(r.multiplicity);
    columns.n_atoms.append(r.atomicNumbers.length);
    columns.atomic_numbers.append(Array.from(r.atomicNumbers));
    columns.positions_bohr.append(Array.from(r.positionsBohr));
    columns.energy_hartree.append(r.energyHartree);
    columns.standard_error_hartree.append(r.standardErrorHartree);
    columns.forces_hartree_per_bohr.append(list(r.forcesHartreePerBohr));
    columns.forces_standard_error_hartree_per_bohr.append(list(r.forcesStandardErrorHartreePerBohr));
    columns.dipole_au.append(list(r.dipoleAu));
    columns.method.append(JSON.stringify(r.method));
    columns.provenance.append(JSON.stringify(r.provenance));
  }
  const vectors = Object.fromEntries(Object.entries(columns).map(([name, b]) => [name, b.finish().toVector()]));
  return new Table(vectors);
}

/** Write every record as one Parquet row to `path` (streamed in record batches). */
export async function exportParquet(records: Iterable<DatasetRecord>, path: string): Promise<ExportSummary> {
  const { arrow, parquet } = await loadLibraries();
  const iterator = records[Symbol.iterator]();
  let count = 0;
  let done = false;
  const batches = new ReadableStream<parquetWasm.RecordBatch>({
    pull(controller) {
      const rows: DatasetRecord[] = [];
      while (!done && rows.length < PARQUET_BATCH_ROWS) {
        const next = iterator.next();
        if (next.done === true) done = true;
        else rows.push(next.value);
      }
      // an empty export still gets the schema: one empty batch
      if (rows.length > 0 || count === 0) {
        const table = parquet.Table.fromIPCStream(arrow.tableToIPC(arrowTable(arrow, rows), 'stream'));
        for (const batch of table.recordBatches()) controller.enqueue(batch);
        count += rows.length;
      }
      if (done) controller.close();
    },
  });
  let file;
  try {
    await mkdir(dirname(path), { recursive: true });
    file = createWriteStream(path);
    await new Promise<void>((resolve, reject) => {
      file!.once('open', () => resolve());
      file!.once('error', reject);
    });
  } catch (e) {
    throw new InputError(`cannot write Parquet file '${path}': ${fileErrorReason(e)}`);
  }
  const bytes = await parquet.transformParquetStream(batches);
  await bytes.pipeTo(Writable.toWeb(file) as WritableStream);
  return { path, records: count, files: 1 };
}

/** The bytes of a Parquet file (as {@link exportParquet} writes) as an Arrow table. */
export async function readParquetTable(bytes: Uint8Array): Promise<Table> {
  const { arrow, parquet } = await loadLibraries();
  return arrow.tableFromIPC(parquet.readParquet(bytes).intoIPCStream());
}
