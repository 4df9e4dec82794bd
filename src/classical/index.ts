export {};
export { runMp2, type Mp2Options, type Mp2Result } from './mp2.js';
export { runUmp2, type Ump2Options } from './ump2.js';
export { runCcsd, type CcsdOptions, type CcsdResult, type CcsdAmplitudes } from './ccsd.js';
export { runCcsdT, triplesCorrection, type CcsdTResult } from './ccsd-t.js';
export type { ClosedShellOptions, ClosedShellBlocks } from './cc-integrals.js';
export {
  runFci,
  estimateFciMemoryBytes,
  fciRdms,
  spinSquaredExpectation,
  type FciOptions,
  type FciResult,
  type FciRdms,
} from './fci.js';
export { davidson, type DavidsonOptions, type DavidsonResult } from './davidson.js';
export { buildStringSpace, stringAddress, type StringSpace } from './fci-strings.js';
export { detectOrbitalGrading, gradingFromOrbsym, type OrbitalGrading } from './fci-symmetry.js';
