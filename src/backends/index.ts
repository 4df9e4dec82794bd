export * from './primitives.js';
export * from './statevector.js';
export {
  kernelCNOT,
  kernelCZ,
  kernelH,
  kernelPauliRotation,
  kernelPauliString,
  kernelPhase,
  kernelRX,
  kernelRY,
  kernelRZ,
  kernelSWAP,
  kernelX,
  kernelY,
  kernelZ,
} from './kernels.js';
export * from './apply.js';
export { DEFAULT_FUSION_MAX_QUBITS, FUSION_MIN_QUBITS, fusionPlanFor, planFusion } from './fusion.js';
export type { FusedBlock, FusionOptions, FusionPlan, FusionStep } from './fusion.js';
export * from './observables.js';
export * from './statevector-simulator.js';
export * from './sampling-simulator.js';
export * from './sampling-estimator.js';
export * from './factory.js';
export * from './ionq/index.js';
export * from './noise/index.js';
export { adjointGradient, createAdjointEvaluator, createEnergyEvaluator, createSectorEvaluator, fullRegisterHamiltonian } from './adjoint.js';
export type { AdjointEvaluator, AdjointEvaluatorOptions, EnergyEvaluatorOptions } from './adjoint.js';
export { applySectorGroup, compileSectorCircuit, sectorGroupImagElement, sectorRotationGroup } from './sector.js';
export type { SectorCircuit, SectorRotationGroup } from './sector.js';
export { pauliMatrixElement, realInner, rotationGenerator } from './pauli-elements.js';
export { createGeneratorSpace } from './generator-space.js';
export type { GeneratorSpace } from './generator-space.js';
export {
  MAX_DENSE_POWER_DIMENSION,
  complexMatMul,
  complexMatVec,
  complexOverlap,
  evolveTrotter,
  hamiltonianGroups,
  trotterPowers,
  trotterStep,
} from './trotter-evolution.js';
