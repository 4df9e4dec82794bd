export * from './molecule.js';
export * from './elements.js';
export * from './xyz.js';
export * from './samplers/index.js';
