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
export * from './sparse.js';
