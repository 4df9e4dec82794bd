export * from './circuit.js';
