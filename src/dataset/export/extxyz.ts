/**
 * Extended XYZ export, read by ASE (`ase.io.read(path, index=':')`): one frame per label. ASE's
 * conventions: positions in Å, `energy=` (eV) on the comment line and `forces` (eV/Å) as a per-atom
 * property, both becoming the frame's calculator results; `dipole=` in e·Å. The atomic-unit values,
 * the error bar and the provenance ride along as info keys: `energy_hartree`,
 * `energy_standard_error_hartree`, `energy_standard_error_ev`, `rung`, `basis`, `key`, `geometry_key`,
 * `charge`, `multiplicity`, `dipole_au`, `method` and `provenance` (JSON strings), and the per-atom
 * `forces_hartree_per_bohr` (and `forces_standard_error_hartree_per_bohr` when known).
 */
import { type ExtXyzProperty, type ExtXyzValue, type Molecule, formatExtXyz } from '../../chem/index.js';
import type { DatasetRecord } from '../record.js';
import { type ExportSummary, withTextSink } from './sink.js';
import { EXPORT_AU_DIPOLE_IN_E_ANGSTROM, EXPORT_HARTREE_IN_EV, EXPORT_HARTREE_PER_BOHR_IN_EV_PER_ANGSTROM, scaled } from './units.js';

/** The frame of one label as extended-XYZ text. */
export function formatRecordExtXyz(record: DatasetRecord): string {
  const molecule: Molecule = {
    atomicNumbers: Int32Array.from(record.atomicNumbers),
    positionsBohr: Float64Array.from(record.positionsBohr),
    charge: record.charge,
    multiplicity: record.multiplicity,
  };
  const info: Record<string, ExtXyzValue> = {
    energy: record.energyHartree * EXPORT_HARTREE_IN_EV,
    energy_hartree: record.energyHartree,
    energy_standard_error_hartree: record.standardErrorHartree,
    energy_standard_error_ev: record.standardErrorHartree * EXPORT_HARTREE_IN_EV,
    rung: record.rung,
    ...(record.basis !== null ? { basis: record.basis } : {}), // ASE misreads an empty quoted value
    key: record.key,
    geometry_key: record.geometryKey,
    charge: record.charge,
    multiplicity: record.multiplicity,
  };
  if (record.dipoleAu !== null) {
    info.dipole = Array.from(scaled(record.dipoleAu, EXPORT_AU_DIPOLE_IN_E_ANGSTROM));
    info.dipole_au = Array.from(record.dipoleAu);
  }
  info.method = JSON.stringify(record.method);
  info.provenance = JSON.stringify(record.provenance);
  const properties: Record<string, ExtXyzProperty> = {};
  if (record.forcesHartreePerBohr !== null) {
    properties.forces = { type: 'R', columns: 3, values: scaled(record.forcesHartreePerBohr, EXPORT_HARTREE_PER_BOHR_IN_EV_PER_ANGSTROM) };
    properties.forces_hartree_per_bohr = { type: 'R', columns: 3, values: Float64Array.from(record.forcesHartreePerBohr) };
    const se = record.forcesStandardErrorHartreePerBohr;
    if (se !== undefined && se !== null) {
      properties.forces_standard_error_hartree_per_bohr = { type: 'R', columns: 3, values: Float64Array.from(se) };
    }
  }
  return formatExtXyz({ molecule, info, properties }, { decimals: 12 });
}

/** Write every record as one extended-XYZ frame to `path` (streamed). */
export function exportExtXyz(records: Iterable<DatasetRecord>, path: string): ExportSummary {
  return withTextSink(path, 'extended XYZ file', (sink) => {
    let n = 0;
    for (const record of records) {
      sink.write(formatRecordExtXyz(record));
      n++;
    }
    return { path, records: n, files: 1 };
  });
}
