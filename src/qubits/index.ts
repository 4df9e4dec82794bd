export * from './pauli-layout.js';
export {
  PauliTermAccumulator,
  compressBits,
  pauliProductPhase,
  pauliStringsCommute,
  pauliStringsQubitWiseCommute,
} from './pauli-algebra.js';
export * from './pauli-sum.js';
export * from './fermion-operator.js';
export * from './mappings.js';
export * from './tapering.js';
export * from './grouping.js';
export * from './pauli-action.js';
export * from './pauli-expectation.js';
export * from './lanczos.js';
export * from './sector-basis.js';
export * from './sector-operator.js';
