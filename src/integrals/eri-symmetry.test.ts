/**
 * Reflection symmetry of the ERI build: which operations are found, and integrals computed with them
 * against integrals computed without (benzene in D2h, H₂O in C2v; pure and cartesian functions).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { createMolecule, type Molecule } from '../chem/molecule.js';
import { readXyzFile } from '../chem/xyz.js';
import { electronRepulsionIntegrals } from './eri.js';
import { findEriSymmetry } from './eri-symmetry.js';
import { buildShellPairs } from './shell-pairs.js';

const example = (name: string): Molecule => readXyzFile(new URL(`../../examples/${name}.xyz`, import.meta.url).pathname);

function operations(molecule: Molecule, basisName: string): number[] {
  const basis = buildMolecularBasis(molecule, loadBasisLibrary(basisName));
  const symmetry = findEriSymmetry(basis, buildShellPairs(basis));
  return symmetry ? Array.from(symmetry.axisMasks) : [];
}

test('operations that move atoms are found in the input frame, and only exact ones', () => {
  // Benzene in the xy plane: the x and y flips and the C2(z) rotation move atoms; σ(xy) does not.
  assert.deepEqual(operations(example('benzene'), 'sto-3g'), [1, 2, 3]);
  // H₂O in the yz plane: only operations that flip y swap the hydrogens.
  assert.deepEqual(operations(example('h2o'), 'cc-pvdz'), [2]);
  // HBr along z: every operation leaves both atoms in place.
  assert.deepEqual(operations(example('hbr'), 'sto-3g'), []);
  // One hydrogen moved by 1e-9 Bohr: no symmetry, rather than the integrals of the symmetric neighbour.
  const water = example('h2o');
  const moved = Float64Array.from(water.positionsBohr);
  moved[4] += 1e-9;
  assert.deepEqual(operations({ ...water, positionsBohr: moved }, 'cc-pvdz'), []);
  // A hydrogen mirrored by a helium: different shells, no operation.
  const mixed = createMolecule({ symbols: ['O', 'H', 'He'], positionsAngstrom: [0, 0, 0, 0, 0.8, 0.6, 0, -0.8, 0.6] });
  assert.deepEqual(operations(mixed, 'sto-3g'), []);
});

test('two atoms on one spot give no operation, and their integrals are all computed', () => {
  // H₂ with a second copy of one atom (createMolecule refuses this; a plain object does not): the
  // flip of z would send both copies to one atom.
  const molecule: Molecule = { atomicNumbers: Int32Array.of(1, 1, 1), positionsBohr: Float64Array.of(0, 0, -0.7, 0, 0, 0.7, 0, 0, 0.7), charge: 0, multiplicity: 2 };
  assert.deepEqual(operations(molecule, '6-31g'), []);
  const basis = buildMolecularBasis(molecule, loadBasisLibrary('6-31g'));
  const plain = electronRepulsionIntegrals(basis, { symmetry: false, threads: 1 }).values;
  const values = electronRepulsionIntegrals(basis, { threads: 1 }).values;
  assert.ok(values.every((v, i) => v === plain[i]));
});

test('integrals with symmetry equal those without (benzene 6-31G* cartesian, H2O cc-pVTZ pure; 1 and 2 threads)', () => {
  for (const [molecule, basisName] of [[example('benzene'), '6-31g*'], [example('h2o'), 'cc-pvtz']] as const) {
    const basis = buildMolecularBasis(molecule, loadBasisLibrary(basisName));
    const plain = electronRepulsionIntegrals(basis, { symmetry: false, threads: 1 }).values;
    for (const threads of [1, 2]) {
      const withSymmetry = electronRepulsionIntegrals(basis, { threads }).values;
      let difference = 0;
      for (let i = 0; i < plain.length; i++) difference = Math.max(difference, Math.abs(plain[i] - withSymmetry[i]));
      assert.ok(difference < 1e-14, `${basisName}, ${threads} threads: max difference ${difference}`);
    }
  }
});
