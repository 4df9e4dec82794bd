/**
 * The dataset stage: campaign files, content-hash job keys, the SQLite label store, the resumable
 * worker-pool runner, and the label record every export reads.
 */
export type { DatasetRecord, JsonValue } from './record.js';
export { KEY_POSITION_RESOLUTION_BOHR, canonicalJson, geometryHash, geometryIdentity, jobKey, sha256Hex } from './keys.js';
export type { GeometryIdentity } from './keys.js';
export {
  LabelStore,
  QUANTITY_BITS,
  STORE_SCHEMA_VERSION,
  openLabelStore,
  quantitiesOf,
  quantityMask,
} from './store.js';
export type {
  FailureRow,
  JobInput,
  JobStatus,
  LabelInput,
  OpenStoreOptions,
  Quantity,
  RungCounts,
  StoreStatus,
  StoredJob,
} from './store.js';
export { campaignSchema, keyPath, samplerSchemas, SAMPLER_KEYS, valueAt } from './campaign-schema.js';
export type { CampaignFile, CampaignMoleculeEntry } from './campaign-schema.js';
export { EXAMPLES_DIR, buildCampaign, entrySeed, loadCampaignFile, parseCampaignText } from './campaign.js';
export type { Campaign, CampaignJob } from './campaign.js';
export { ANALYTIC_ENERGY_CHECK_HARTREE, FORCE_STEP_BOHR, computeLabel } from './label.js';
export type { LabelOutcome, LabelTask } from './label.js';
export { HESSIAN_STEP_BOHR, rhfHessian } from './hessian.js';
export { runCampaign } from './runner.js';
export type { CampaignRunReport, RunCampaignOptions, StopReason } from './runner.js';
export { silentProgress, terminalProgress } from './progress.js';
export type { CampaignProgress } from './progress.js';
export * from './export/index.js';
export * from './queue/index.js';
