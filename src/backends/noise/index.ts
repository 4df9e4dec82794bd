export {
  gateChannel,
  isNoiseless,
  loadNoiseModel,
  parseNoiseModel,
  type GateChannel,
  type GateNoise,
  type NoiseModel,
  type ReadoutError,
} from './model.js';
export { DEVICE_PRESETS, DEVICE_PRESET_NAMES, resolveNoiseModel } from './presets.js';
export { gateMatrix, hardwareCircuit, hardwareGateCounts } from './compile.js';
export { DensityMatrix, MAX_DENSITY_MATRIX_QUBITS, applyNoisyGate, applyNoisyMatrix, simulateDensityMatrix } from './density-matrix.js';
export { runTrajectory } from './trajectories.js';
export { NoisySampler, type NoiseEngine, type NoisySamplerOptions } from './noisy-sampler.js';
