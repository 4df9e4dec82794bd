export * from './eri-layout.js';
export * from './boys.js';
export * from './one-electron.js';
export * from './eri.js';
export { terminateEriWorkers } from './eri-parallel.js';
export * from './nuclear-repulsion.js';
export { oneElectronGradientTerms, type OneElectronGradientTerms } from './one-electron-derivatives.js';
export { twoElectronGradient, twoElectronGradientOfDensity, assertDerivativeAngularMomentum, MAX_DERIVATIVE_L, type TwoElectronGradientOptions } from './eri-derivatives.js';
export {
  coulombMetric,
  prepareThreeCentre,
  threeCentreIntegrals,
  threeCentreShellRow,
  shellRowColumns,
  shellDistributions,
  shellPairDistributions,
  coulombBlock,
  createCoulombScratch,
  type DistributionSet,
  type CoulombScratch,
  type ThreeCentreData,
} from './ri-integrals.js';
export { buildShellPairs, type ShellPairData, type ShellPairOptions } from './shell-pairs.js';
export { computeQuartet, createEriScratch, type EriScratch } from './eri-kernel.js';
export { DEFAULT_KERNEL_GENERATION_THRESHOLD, kernelGenerationThreshold, setKernelGenerationThreshold } from './eri-codegen.js';
