export * from './eri-layout.js';
export * from './boys.js';
export * from './one-electron.js';
export * from './eri.js';
export { terminateEriWorkers } from './eri-parallel.js';
export * from './nuclear-repulsion.js';
