export * from './molecular-hamiltonian.js';
