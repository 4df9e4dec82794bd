/**
 * Active learning that prices every label: loop files, the GP posterior and its variance-reduction
 * score, cost-aware batch acquisition, the resumable loop and its recorded history.
 */
export { STRATEGIES, claimLoopRun, ensureLoopTables, processAlive, readLoopHistory, releaseLoopRun } from './history.js';
export type {
  LoopAcquisitionRecord,
  LoopHistory,
  LoopHistoryFilter,
  LoopIterationRecord,
  LoopRunRecord,
  LoopTestPrediction,
  LoopTestRecord,
  Strategy,
} from './history.js';
export { buildLoop, loadLoopFile, loopSchema, parseLoopText } from './config.js';
export type { CandidateGenerator, Labeller, LoopConfig, LoopFile, LoopModelSettings, LoopSystem, MdSettings } from './config.js';
export { chooseBatch, conditionOnLabel, varianceReduction } from './acquisition.js';
export type { Acquisition, LabelOption } from './acquisition.js';
export {
  cholesky,
  featureSpace,
  gpMean,
  gpPosteriorCovariance,
  gpVariance,
  structureFeatures,
  structureKernel,
  trainExactGp,
} from './gp.js';
export type { ExactGp, FeatureScaling, FeatureSpace, GpGrid, GpHyperparameters, Structure, StructureFeatures } from './gp.js';
export { AU_TIME_IN_FS, MD_FORCE_STEP_BOHR, modelTrajectory } from './md.js';
export { loopCampaignName, reportOf, runActiveLearning, runLoop } from './run.js';
export type {
  ActiveLearningReport,
  LearningCurvePoint as LoopCurvePoint,
  LoopProgressEvent,
  LoopSummary,
  RunActiveLearningOptions,
  RunLoopOptions,
  StrategySummary,
} from './run.js';
