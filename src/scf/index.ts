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
export { coulombExchangeOf, type CoulombExchangeBuilder } from './engine.js';
export { resolveScfType } from './scf.js';
export {
  buildDensityFittingFactor,
  densityFittedCoulombExchange,
  densityFittingBytes,
  type DensityFittingFactor,
  type DensityFittingOptions,
} from './density-fitting.js';
export { directCoulombExchange, type DirectJkOptions } from './direct-jk.js';
