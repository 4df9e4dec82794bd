export * from './eri-layout.js';
export * from './boys.js';
export * from './one-electron.js';
export * from './eri.js';
export * from './nuclear-repulsion.js';
