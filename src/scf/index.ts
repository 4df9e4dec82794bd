export * from './types.js';
export { runRhf, runUhf, spinSquared } from './scf.js';
export { buildCoulombExchange } from './jk.js';
export { runRohf } from './rohf.js';
export {
  rhfGradient,
  uhfGradient,
  rohfGradient,
  scfGradient,
  scfGradientTerms,
  energyWeightedDensity,
  nuclearRepulsionGradient,
  type ScfGradientTerms,
} from './gradient.js';
export { scfDipole, dipoleFromAoDensity, type DipoleMoment } from './dipole.js';
