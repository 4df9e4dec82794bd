/**
 * Fragments of k atoms cut from a larger geometry: a seed atom and its k − 1 nearest neighbours (ties
 * broken by atom index), atoms kept in their original order. Positions in Bohr, flat.
 *
 * Hydrogen capping: each bond (by covalent radii, {@link bondMatrix}) from a kept atom X to a cut
 * atom Y is replaced by a hydrogen on the X→Y axis at the distance r_cov(X) + r_cov(H), appended
 * after the kept atoms.
 */
import { InputError, Random } from '../../core/index.js';
import { createMolecule, type Molecule } from '../molecule.js';
import { baseName, bondMatrix, covalentRadiusBohr, distance, requireAtomIndex, requireCount } from './geometry.js';
import type { FragmentSamplerSpec } from './spec.js';

/** Random seed atoms are drawn until `count` distinct fragments or this many draws per fragment. */
const DRAWS_PER_FRAGMENT = 50;

/** The `size` atoms nearest to `seedAtom` (itself included), ascending by index. */
export function nearestAtoms(m: Molecule, seedAtom: number, size: number): number[] {
  const n = m.atomicNumbers.length;
  const order = Array.from({ length: n }, (_, a) => a);
  const d = order.map((a) => distance(m.positionsBohr, seedAtom, a));
  order.sort((a, b) => d[a]! - d[b]! || a - b);
  return order.slice(0, size).sort((a, b) => a - b);
}

function cutFragment(m: Molecule, atoms: readonly number[], bonded: Uint8Array | null, title: string): Molecule {
  const n = m.atomicNumbers.length;
  const z: number[] = [];
  const p: number[] = [];
  for (const a of atoms) {
    z.push(m.atomicNumbers[a]!);
    for (let k = 0; k < 3; k++) p.push(m.positionsBohr[3 * a + k]!);
  }
  if (bonded !== null) {
    const kept = new Uint8Array(n);
    for (const a of atoms) kept[a] = 1;
    const rH = covalentRadiusBohr(1);
    for (const x of atoms) {
      for (let y = 0; y < n; y++) {
        if (kept[y] === 1 || bonded[x * n + y] === 0) continue;
        const r = distance(m.positionsBohr, x, y);
        const scale = (covalentRadiusBohr(m.atomicNumbers[x]!) + rH) / r;
        z.push(1);
        for (let k = 0; k < 3; k++) {
          const px = m.positionsBohr[3 * x + k]!;
          p.push(px + scale * (m.positionsBohr[3 * y + k]! - px));
        }
      }
    }
  }
  return createMolecule({ atomicNumbers: z, positionsBohr: p, title });
}

/** Fragments of a geometry (see {@link FragmentSamplerSpec}); fewer than `count` when fewer distinct ones exist. */
export function fragmentSamples(base: Molecule, spec: FragmentSamplerSpec, seed: number): Molecule[] {
  const n = base.atomicNumbers.length;
  const size = requireCount(spec.size, 'fragments.size');
  if (size > n) throw new InputError(`fragments.size ${size} exceeds the ${n} atoms of the molecule`);
  requireCount(spec.count, 'fragments.count');
  const bonded = spec.capHydrogens === true ? bondMatrix(base) : null;
  const seen = new Set<string>();
  const out: Molecule[] = [];
  const take = (seedAtom: number): void => {
    const atoms = nearestAtoms(base, seedAtom, size);
    const key = atoms.join(',');
    if (seen.has(key)) return;
    seen.add(key);
    const title = `${baseName(base)} fragment of ${size} atoms around atom ${seedAtom}${bonded ? ' (H-capped)' : ''}`;
    out.push(cutFragment(base, atoms, bonded, title));
  };
  if (spec.seedAtoms !== undefined) {
    for (const a of spec.seedAtoms) {
      take(requireAtomIndex(base, a, 'fragments.seedAtoms'));
      if (out.length === spec.count) break;
    }
    return out;
  }
  const random = new Random(seed);
  for (let draw = 0; draw < DRAWS_PER_FRAGMENT * spec.count && out.length < spec.count; draw++) take(random.int(n));
  return out;
}
