/**
 * The blocked GEMM used by the coupled-cluster contractions. It lives in ../core/gemm.ts (shared
 * with the density-fitted SCF); this module re-exports it under its former path.
 */
export { gemmBlocked, gemmRowRange, gemmView, gemmViewOffsets, closeGemmPool, sharedFloat64Array } from '../core/index.js';
