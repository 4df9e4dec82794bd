/**
 * The method layer: one door from a geometry (or a given Hamiltonian) and a plain-data method spec
 * to a result with provenance, the reference policy for open shells, and the ladder.
 */
export {
  ADAPT_POOLS,
  ANSATZE,
  MAX_REFERENCE_FCI_DETERMINANTS,
  METHODS,
  METHOD_SPEC_KEYS,
  QUANTUM_METHODS,
  SCF_METHODS,
  NOISY_BACKENDS,
  DEFAULT_COMPACT_BUDGET,
  resolveMethodSpec,
  specKeyName,
} from './spec.js';
export type { ActiveSpace, MethodName, MethodSpec, ResolvedMethodSpec, SpecAnsatzName, SpecInput, SpecKeyLabel } from './spec.js';
export { isClosedShell, referencePlan } from './policy.js';
export type { ReferencePlan } from './policy.js';
export { determinantCount, referenceDeterminantEnergy } from './hamiltonian-info.js';
export { requirePlainFiniteData } from './result.js';
export type {
  AdaptVqeMethodResult,
  CcsdMethodResult,
  CcsdTMethodResult,
  CircuitCounts,
  LabelGateCounts,
  CorrelatedResult,
  EnergyResult,
  FciMethodResult,
  FciRoot,
  MethodResult,
  MolecularEnergyResult,
  Mp2MethodResult,
  OrbitalSpace,
  Provenance,
  QpeMethodResult,
  QuantumResult,
  ReferenceInfo,
  ScfMethodResult,
  SystemInfo,
  VqeMethodResult,
} from './result.js';
export { SharedFci, buildMolecularHamiltonian, fciWithProgress, isHamiltonianInput, runMethod } from './run-method.js';
export type { FciSolver, MethodInput, MethodRunOptions, MolecularHamiltonianStage } from './run-method.js';
export {
  estimateMethodMemory,
  hamiltonianProblemSize,
  molecularProblemSize,
  packedEriBytes,
  requireMemory,
} from './resources.js';
export type { MemoryEstimate, MemoryPart, ProblemSize, QuantumSizeOptions } from './resources.js';
export { LADDER_METHODS, runLadder } from './ladder.js';
export type { LadderMethod, LadderResult, LadderRung, LadderSpec } from './ladder.js';
export type { ProgressEvent, ProgressSink } from './progress.js';
export { DEFAULT_FT_PRESETS, FT_QUBIT_PRESETS, estimateFaultTolerantCost, estimateOpenQasm, phaseEstimationQasm } from './ft-estimate.js';
export type { FtEstimateOptions, FtEstimateResult, FtLogicalCounts, FtPresetEstimate, FtQubitPreset } from './ft-estimate.js';
