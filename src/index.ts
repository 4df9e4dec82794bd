/**
 * qde — the quantum data engine for chemistry AI.
 *
 * The library mirrors the pipeline: molecules → basis sets → integrals → SCF → MO Hamiltonian →
 * classical rungs | qubits → circuits → backends → quantum algorithms → methods (one door from a
 * geometry and a method spec to a result with provenance).
 */
export * from './core/index.js';
export * from './chem/index.js';
export * from './basis/index.js';
export * from './integrals/index.js';
export * from './scf/index.js';
export * from './hamiltonian/index.js';
export * from './classical/index.js';
export * from './qubits/index.js';
export * from './circuits/index.js';
export * from './backends/index.js';
export * from './algorithms/index.js';
export * from './methods/index.js';
export * from './dataset/index.js';
export * from './ml/index.js';
export * from './loop/index.js';
export { QDE_VERSION } from './version.js';
