/** Dataset exports: extended XYZ (ASE), JSON lines, Parquet, FCIDUMP per geometry, and the dataset card. */
export { type ExportSummary, TextSink } from './sink.js';
export { EXPORT_AU_DIPOLE_IN_E_ANGSTROM, EXPORT_HARTREE_IN_EV, EXPORT_HARTREE_PER_BOHR_IN_EV_PER_ANGSTROM } from './units.js';
export { exportExtXyz, formatRecordExtXyz } from './extxyz.js';
export { exportJsonLines, formatRecordJson } from './jsonl.js';
export { PARQUET_BATCH_ROWS, exportParquet, readParquetTable, recordsToArrowTable } from './parquet.js';
export { type FcidumpExportSummary, type HamiltonianOfRecord, exportFcidumps, recordHamiltonian } from './fcidump.js';
export { CARD_HISTOGRAM_BINS, type CardSummary, type DatasetCard, type DatasetCardOptions, datasetCard, relativeEnergyHistogram } from './card.js';
