export * from './backend.js';
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
export * from './observables.js';
export * from './statevector-simulator.js';
export * from './sampling-simulator.js';
