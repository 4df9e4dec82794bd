export * from './errors.js';
export * from './units.js';
export * from './random.js';
export * from './linalg.js';
export * from './finite.js';
export * from './diis.js';
export * from './bits.js';
