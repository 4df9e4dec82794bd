/** The experiments part of the loop stage: how far learned models carry quantum labels. */
export {
  GENERALISE_BASELINE_DISTANCES_BOHR,
  GENERALISE_BASIS,
  GENERALISE_CUTOFF_BOHR,
  GENERALISE_FORCE_FIT_FLOORS,
  GENERALISE_DELTA_RUNGS,
  GENERALISE_HUBBARD_U_HARTREE,
  GENERALISE_RUNGS,
  GENERALISE_TEST_COUNTS,
  GENERALISE_TEST_SIZES,
  generaliseModelOptions,
  labelMolecules,
  labelMoleculesWithForces,
  runGeneraliseExperiment,
  testChains,
  trainingChains,
  trainingFragments,
  windowFciEnergy,
} from './generalise.js';
export type { ExperimentRow, GeneraliseDescriptor, GeneraliseOptions, GeneraliseReport, SizeErrors } from './generalise.js';
export * from './interactions.js';
