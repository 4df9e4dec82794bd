export * from './backend.js';
export * from './statevector.js';
export * from './kernels.js';
export * from './apply.js';
export * from './observables.js';
export * from './statevector-simulator.js';
