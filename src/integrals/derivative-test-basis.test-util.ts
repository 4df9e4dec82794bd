/** A small basis with s through f shells (and one with g) for the derivative-integral tests. */
import { parseGbs } from '../basis/gbs.js';
import { buildMolecularBasis, type MolecularBasis } from '../basis/molecular-basis.js';
import type { Molecule } from '../chem/molecule.js';
import { Random } from '../core/random.js';

const SPDF = `
O 0
S 2 1.00
  12.0 0.4
   2.5 0.7
SP 1 1.00
   0.9 1.0 1.0
D 1 1.00
   1.1 1.0
F 2 1.00
   1.6 0.5
   0.6 0.6
****
H 0
S 2 1.00
   3.0 0.3
   0.5 0.8
P 1 1.00
   0.8 1.0
D 1 1.00
   0.7 1.0
****
`;

/**
 * The s–f test basis on `molecule` (O and H only), pure or cartesian; `light` drops the d shell of
 * H (fewer functions where a test recomputes all integrals many times).
 */
export function spdfBasis(molecule: Molecule, pure: boolean, light = false): MolecularBasis {
  const text = light ? SPDF.replace('D 1 1.00\n   0.7 1.0\n', '') : SPDF;
  return buildMolecularBasis(molecule, parseGbs(text, { name: 'test-spdf' }), { pure });
}

/** The same with a g shell added on O. */
export function withGBasis(molecule: Molecule): MolecularBasis {
  const text = SPDF.replace('****\nH', 'G 1 1.00\n   0.9 1.0\n****\nH');
  return buildMolecularBasis(molecule, parseGbs(text, { name: 'test-g' }), { pure: true });
}

/** A seeded random symmetric n×n matrix with entries in (−scale, scale). */
export function randomSymmetric(n: number, seed: number, scale = 1): Float64Array {
  const rng = new Random(seed);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rng.uniform(-scale, scale);
      m[i * n + j] = v;
      m[j * n + i] = v;
    }
  }
  return m;
}

/** The molecule with coordinate `k` (3·atom + axis) moved by `step` Bohr. */
export function displaced(m: Molecule, k: number, step: number): Molecule {
  const p = Float64Array.from(m.positionsBohr);
  p[k] += step;
  return { ...m, positionsBohr: p };
}

/** f'(0) by the five-point central stencil with step h (error O(h⁴)). */
export function fivePoint(f: (step: number) => number, h = 1e-3): number {
  return (8 * (f(h) - f(-h)) - (f(2 * h) - f(-2 * h))) / (12 * h);
}
