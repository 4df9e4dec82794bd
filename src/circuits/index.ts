export * from './circuit.js';
export * from './builder.js';
export * from './decompose.js';
export * from './ansatz.js';
export * from './fermionic.js';
export * from './qasm.js';
export * from './ionq-json.js';
