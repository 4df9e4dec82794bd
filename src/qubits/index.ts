export * from './pauli-layout.js';
