export * from './molecule.js';
