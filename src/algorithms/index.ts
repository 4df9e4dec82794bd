export { minimizeLbfgs } from './lbfgs.js';
export type { LbfgsOptions, LbfgsResult, LbfgsStopReason, ObjectiveWithGradient } from './lbfgs.js';
export { adjointGradient, createAdjointEvaluator, createEnergyEvaluator, createSectorEvaluator } from './adjoint.js';
export type { AdjointEvaluator, AdjointEvaluatorOptions, ComplexVector, EnergyEvaluatorOptions } from './adjoint.js';
export {
  applySectorOperator,
  compileSectorCircuit,
  particleSector,
  sectorOperator,
} from './sector.js';
export type { SectorCircuit, SectorOperator, SectorRotationGroup, SectorSpace } from './sector.js';
export { requireConverged, vqe, vqeOnBackend } from './vqe.js';
export type { VqeOptions, VqeResult } from './vqe.js';
export { basisStateEnergy, buildQubitProblem, runVqe } from './molecular-vqe.js';
export type { AnsatzName, MolecularVqeResult, QubitProblem, RunVqeOptions } from './molecular-vqe.js';
export {
  adaptPool,
  fermionicRotationGenerator,
  generalizedExcitations,
  rotationGeneratorCircuit,
} from './excitations.js';
export type { AdaptPoolName, PauliRotationTerm, RotationGenerator } from './excitations.js';
export { adaptVqe, runAdaptVqe } from './adapt-vqe.js';
export type { AdaptStep, AdaptVqeOptions, AdaptVqeResult, MolecularAdaptVqeResult, RunAdaptVqeOptions } from './adapt-vqe.js';
export { controlledTrotterStepCircuit, runPhaseEstimation } from './phase-estimation.js';
export type { PhaseEstimationOptions, PhaseEstimationResult } from './phase-estimation.js';
