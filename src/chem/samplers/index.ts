/**
 * Geometry samplers: scans, random displacements, normal-mode sampling, hydrogen chains and rings,
 * fragments, and SMILES to 3-D. Each is a pure function of its inputs and a seed.
 */
import { InputError } from '../../core/index.js';
import type { Molecule } from '../molecule.js';
import { fragmentSamples } from './fragments.js';
import { hydrogenChains, hydrogenRings } from './hydrogen.js';
import { normalModeSamples } from './normal-modes.js';
import { randomDisplacements, scanGeometries } from './scan.js';
import type { SamplerContext, SamplerSpec } from './spec.js';

export * from './spec.js';
export { bondScan, angleScan, bondAngle, scanGeometries, randomDisplacements } from './scan.js';
export {
  normalModes,
  normalModeSamples,
  modeAmplitudeVariance,
  type NormalModes,
} from './normal-modes.js';
export { hydrogenChains, hydrogenRings } from './hydrogen.js';
export { fragmentSamples, nearestAtoms } from './fragments.js';
export { moleculeFromSmiles, type SmilesOptions } from './smiles.js';
export { covalentRadiusBohr, bondMatrix, BOND_TOLERANCE, distance as atomDistanceBohr } from './geometry.js';

/**
 * The geometries a sampler makes. `base` is the molecule to sample around (ignored by 'chain' and
 * 'ring', which build hydrogen chains and rings from scratch; may then be undefined). The same
 * base, spec and seed always give the same geometries, bit for bit.
 * @throws InputError for a spec that does not fit the molecule, naming the offending key.
 */
export function sampleGeometries(base: Molecule | undefined, sampler: SamplerSpec, seed: number, context: SamplerContext = {}): Molecule[] {
  if (sampler.kind === 'chain') return hydrogenChains(sampler, seed);
  if (sampler.kind === 'ring') return hydrogenRings(sampler, seed);
  if (base === undefined) throw new InputError(`the '${sampler.kind}' sampler needs a molecule to sample around`);
  switch (sampler.kind) {
    case 'scan':
      return scanGeometries(base, sampler);
    case 'displacements':
      return randomDisplacements(base, sampler, seed);
    case 'normalModes': {
      if (context.hessianHartreePerBohr2 === undefined) {
        throw new InputError("the 'normalModes' sampler needs a Hessian (SamplerContext.hessianHartreePerBohr2)");
      }
      return normalModeSamples(base, sampler, context.hessianHartreePerBohr2(base), seed);
    }
    case 'fragments':
      return fragmentSamples(base, sampler, seed);
    default:
      throw new InputError(`unknown sampler kind '${(sampler as { kind: unknown }).kind}'`);
  }
}
