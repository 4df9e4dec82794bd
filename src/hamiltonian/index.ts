export * from './molecular-hamiltonian.js';
export * from './fcidump.js';
export * from './mo-hamiltonian.js';
