/**
 * FCIDUMP export: one FCIDUMP file per distinct geometry (and basis, charge, multiplicity, frozen
 * core or active space) in the records, with the MO Hamiltonian rebuilt through the method layer
 * (`buildMolecularHamiltonian`: SCF on the stored geometry, then the integrals transformed to the
 * orbital space of the label's spec), or by a caller's function. Files go to one directory with a
 * `manifest.jsonl` naming, per file, the geometry key, basis, elements, positions (Bohr), charge,
 * multiplicity and orbital space. A geometry whose Hamiltonian cannot be built is skipped and
 * reported with its reason.
 */
import { join } from 'node:path';
import { ConvergenceError, InputError } from '../../core/index.js';
import { createMolecule } from '../../chem/index.js';
import { type MolecularHamiltonian, formatFcidump } from '../../hamiltonian/index.js';
import { buildMolecularHamiltonian } from '../../methods/index.js';
import type { DatasetRecord, JsonValue } from '../record.js';
import { type ExportSummary, TextSink, withTextSink } from './sink.js';

/** The orbital-space keys of a label's method spec that shape its Hamiltonian. */
interface SpaceKeys {
  frozenCore: boolean;
  active: { nElectrons: number; nOrbitals: number } | null;
}

function spaceKeys(method: JsonValue): SpaceKeys {
  const spec = (method !== null && typeof method === 'object' && !Array.isArray(method) ? method : {}) as Record<string, JsonValue>;
  const active = spec.active as { nElectrons?: unknown; nOrbitals?: unknown } | null | undefined;
  return {
    frozenCore: spec.frozenCore === true,
    active:
      active && typeof active.nElectrons === 'number' && typeof active.nOrbitals === 'number'
        ? { nElectrons: active.nElectrons, nOrbitals: active.nOrbitals }
        : null,
  };
}

/** Builds the Hamiltonian of a record's geometry (default: RHF/ROHF through the method layer). */
export type HamiltonianOfRecord = (record: DatasetRecord) => MolecularHamiltonian;

/** The method layer's MO Hamiltonian of a record: its basis, charge, multiplicity and orbital space. */
export function recordHamiltonian(record: DatasetRecord): MolecularHamiltonian {
  if (record.basis === null) throw new InputError(`label ${record.key} has no basis set`);
  const molecule = createMolecule({
    atomicNumbers: record.atomicNumbers,
    positionsBohr: record.positionsBohr,
    charge: record.charge,
    multiplicity: record.multiplicity,
  });
  const space = spaceKeys(record.method);
  return buildMolecularHamiltonian(molecule, {
    basis: record.basis,
    ...(space.frozenCore ? { frozenCore: true } : {}),
    ...(space.active !== null ? { active: space.active } : {}),
  }).ham;
}

/** What {@link exportFcidumps} wrote, and what it skipped. */
export interface FcidumpExportSummary extends ExportSummary {
  skipped: { geometryKey: string; basis: string | null; reason: string }[];
}

/**
 * Write one FCIDUMP per distinct geometry/basis/orbital space of `records` into directory `dir`,
 * plus `manifest.jsonl`. `records` counts the labels read.
 */
export function exportFcidumps(records: Iterable<DatasetRecord>, dir: string, hamiltonian: HamiltonianOfRecord = recordHamiltonian): FcidumpExportSummary {
  const seen = new Set<string>();
  const skipped: FcidumpExportSummary['skipped'] = [];
  let count = 0;
  let files = 0;
  withTextSink(join(dir, 'manifest.jsonl'), 'FCIDUMP manifest', (manifest) => {
    for (const record of records) {
      count++;
      const space = spaceKeys(record.method);
      const spaceTag = space.active !== null ? `cas${space.active.nElectrons}e${space.active.nOrbitals}o` : space.frozenCore ? 'fc' : 'all';
      const basisTag = (record.basis ?? 'nobasis').replace(/[^A-Za-z0-9+*()-]/g, '_');
      const id = `${record.geometryKey}|${record.basis}|${record.charge}|${record.multiplicity}|${spaceTag}`;
      if (seen.has(id)) continue;
      seen.add(id);
      let ham: MolecularHamiltonian;
      try {
        ham = hamiltonian(record);
      } catch (e) {
        if (!(e instanceof InputError || e instanceof ConvergenceError)) throw e;
        skipped.push({ geometryKey: record.geometryKey, basis: record.basis, reason: e.message });
        continue;
      }
      const name = `${record.geometryKey.slice(0, 16)}_${basisTag}_q${record.charge}_m${record.multiplicity}_${spaceTag}.fcidump`;
      const sink = new TextSink(join(dir, name), 'FCIDUMP file');
      try {
        sink.write(formatFcidump(ham));
      } finally {
        sink.close();
      }
      files++;
      manifest.write(
        JSON.stringify({
          file: name,
          geometryKey: record.geometryKey,
          basis: record.basis,
          atomicNumbers: Array.from(record.atomicNumbers),
          positionsBohr: Array.from(record.positionsBohr),
          charge: record.charge,
          multiplicity: record.multiplicity,
          frozenCore: space.frozenCore,
          active: space.active,
          nOrbitals: ham.nOrbitals,
          nAlpha: ham.nAlpha,
          nBeta: ham.nBeta,
          coreEnergyHartree: ham.constantHartree,
        }) + '\n',
      );
    }
  });
  return { path: dir, records: count, files, skipped };
}
