export {};
export { runMp2, type Mp2Options, type Mp2Result } from './mp2.js';
export { runUmp2, type Ump2Options } from './ump2.js';
export { occupiedTransformBytes, occupiedBlockSize, defaultTransformMemoryBytes, type OvovRanges } from './mp2-transform.js';
export { gemmBlocked, closeGemmPool } from './cc-gemm.js';
export { type CcsdOptions, type CcsdResult, type CcsdAmplitudes } from './ccsd.js';
export { triplesCorrection, type CcsdTResult, type TriplesReport } from './ccsd-t.js';
export { runCcsd, runCcsdT } from './cc.js';
export { runSpinOrbitalCcsd, runSpinOrbitalCcsdT, spinOrbitalTriples } from './so-ccsd.js';
export { spinOrbitalSystem, spinOrbitalMemoryBytes, type SpinOrbitalSystem, type SpinOrbitalBlocks, type SpinOrbitalSystemOptions } from './so-integrals.js';
export type { ClosedShellOptions, ClosedShellBlocks } from './cc-integrals.js';
export {
  runFci,
  estimateFciMemoryBytes,
  fciOptionsWithinMemory,
  fciRdms,
  spinSquaredExpectation,
  type FciOptions,
  type FciResult,
  type FciRdms,
} from './fci.js';
export { fciOneRdm } from './fci-rdm.js';
export { fciAoDensity, fciDipole } from './fci-dipole.js';
export { davidson, type DavidsonOptions, type DavidsonResult } from './davidson.js';
export { buildStringSpace, stringAddress, type StringSpace } from './fci-strings.js';
export { detectOrbitalGrading, gradingFromOrbsym, type OrbitalGrading } from './fci-symmetry.js';
export { fciGradient, fciGradientApplies } from './fci-gradient.js';
