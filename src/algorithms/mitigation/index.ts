export {
  accumulateReadoutSensitivity,
  calibrateReadout,
  calibrationVariance,
  fitReadoutCalibration,
  readoutCalibrationCircuits,
  readoutShotValue,
  type ReadoutCalibration,
} from './readout.js';
export { spinMasks, symmetryFilter, type SymmetrySpec } from './symmetry.js';
export {
  extrapolateToZero,
  foldCircuit,
  richardsonCoefficients,
  type Extrapolated,
  type ExtrapolationMethod,
  type FoldingMethod,
} from './zne.js';
export {
  createMitigatedEstimator,
  MitigatedEstimator,
  MITIGATION_NAMES,
  type MitigatedEstimate,
  type MitigationDetails,
  type MitigationName,
  type MitigationOptions,
} from './mitigated-estimator.js';
