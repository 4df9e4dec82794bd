/** Nuclear repulsion energy Σ_{A<B} Z_A Z_B / |R_A − R_B| in Hartree (positions in Bohr). */
import type { Molecule } from '../chem/index.js';
import { InputError } from '../core/index.js';

/**
 * Nuclear repulsion energy in Hartree.
 * @throws InputError when two nuclei coincide.
 */
export function nuclearRepulsionEnergy(molecule: Molecule): number {
  const z = molecule.atomicNumbers;
  const r = molecule.positionsBohr;
  let e = 0;
  for (let a = 0; a < z.length; a++) {
    for (let b = 0; b < a; b++) {
      const dx = r[3 * a] - r[3 * b], dy = r[3 * a + 1] - r[3 * b + 1], dz = r[3 * a + 2] - r[3 * b + 2];
      const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
      if (d < 1e-8) throw new InputError(`atoms ${a + 1} and ${b + 1} are at the same position`);
      e += (z[a] * z[b]) / d;
    }
  }
  return e;
}
