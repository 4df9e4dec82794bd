export * from './errors.js';
export * from './units.js';
export * from './random.js';
export * from './linalg.js';
export * from './finite.js';
export * from './files.js';
export * from './diis.js';
export * from './bits.js';
export * from './threads.js';
export * from './combinatorics.js';
export * from './memory.js';
export * from './gemm.js';
export * from './gemm-wasm.js';
export * from './lazy-zod.js';
export * from './gc.js';
export * from './module-worker.js';
export * from './wasm-memory.js';
/** Byte-level helpers for assembling WebAssembly kernels (`wasm.leb`, `wasm.get`, `wasm.F64X2_ADD`, …). */
export * as wasm from './wasm-assembly.js';
