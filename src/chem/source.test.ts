import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { InputError } from '../core/errors.js';
import { runRhf } from '../scf/index.js';
import {
  MAX_COORDINATE_ANGSTROM,
  atomLocation,
  centerMolecule,
  chargeLocation,
  createMolecule,
  formatAtomLocation,
  interatomicDistanceBohr,
} from './molecule.js';
import { parseXyz } from './xyz.js';

function inputError(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match(e.message, pattern);
    return true;
  });
}

test('coordinates beyond MAX_COORDINATE_ANGSTROM are refused at the atom line; huge ones no longer reach the SCF', () => {
  assert.equal(MAX_COORDINATE_ANGSTROM, 1e5);
  // At 1e12 Å the spacing of doubles is 1.2e-4 Å: the bond length itself is no longer represented.
  assert.ok(1e12 + 0.74 - 1e12 !== 0.74);
  inputError(() => parseXyz('2\n\nH 0 0 1e12\nH 0 0 1.00000000000074e12\n', 'far.xyz'), /^far\.xyz:3: coordinate z of atom 1 is 1\.00e\+12 Å/);
  inputError(() => parseXyz('2\n\nH 0 0 0\nH -1e200 0 0\n', 'huge.xyz'), /^huge\.xyz:4: coordinate x of atom 2 /);
  inputError(() => parseXyz('2\nProperties=species:S:1:pos:R:3\nH 0 0 0\nH 0 3e5 0\n', 'ext.xyz'), /^ext\.xyz:4: coordinate y of atom 2/);
  inputError(() => createMolecule({ symbols: ['H'], positionsBohr: [0, 0, 2e5 / 0.52917721067 + 1] }), /at most 1e\+5 Å/);
  assert.equal(parseXyz('2\n\nH 0 0 99999\nH 0 0 99999.74\n').atomicNumbers.length, 2);
});

test('centerMolecule puts the centroid or the nuclear-charge centre at the origin and keeps every distance', () => {
  const m = createMolecule({ symbols: ['O', 'H', 'H'], positionsAngstrom: [[1, 2, 3.11779], [1, 2.755453, 2.528839], [1, 1.244547, 2.528839]] });
  for (const centre of ['centroid', 'nuclear-charge'] as const) {
    const c = centerMolecule(m, centre);
    const w = centre === 'centroid' ? [1, 1, 1] : [8, 1, 1];
    for (let k = 0; k < 3; k++) {
      let s = 0;
      for (let a = 0; a < 3; a++) s += w[a]! * c.positionsBohr[3 * a + k]!;
      assert.ok(Math.abs(s) < 1e-13, `${centre} ${k}: ${s}`);
    }
    for (const [i, j] of [[0, 1], [0, 2], [1, 2]] as const) {
      assert.ok(Math.abs(interatomicDistanceBohr(c, i, j) - interatomicDistanceBohr(m, i, j)) < 1e-14);
    }
    assert.equal(c.charge, m.charge);
    assert.equal(c.multiplicity, m.multiplicity);
  }
});

test('the energy of H2 far from the origin, centred, equals the energy at the origin (translation invariance)', () => {
  const lib = loadBasisLibrary('sto-3g');
  const energy = (shift: number) => {
    const m = centerMolecule(createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [shift, -shift, shift, shift, -shift, shift + 0.75] }));
    return runRhf(m, buildMolecularBasis(m, lib)).energyHartree;
  };
  const atOrigin = energy(0);
  for (const shift of [1e3, 9e4]) assert.ok(Math.abs(energy(shift) - atOrigin) < 1e-11, `${shift}: ${energy(shift) - atOrigin}`);
});

test('a molecule read from a file carries its file, comment line and atom lines', () => {
  const m = parseXyz('\n3\nwater\nO 0 0 0.11779\nH 0 0.755453 -0.471161\nH 0 -0.755453 -0.471161\n', 'w.xyz');
  assert.deepEqual(m.source, { file: 'w.xyz', commentLine: 3, atomLines: [4, 5, 6] });
  assert.deepEqual(atomLocation(m, 2), { file: 'w.xyz', line: 6 });
  assert.deepEqual(chargeLocation(m), { file: 'w.xyz', line: 3 });
  assert.equal(formatAtomLocation(m, 1), 'w.xyz:5');
  const built = createMolecule({ symbols: ['H'], positionsAngstrom: [0, 0, 0], multiplicity: 2 });
  assert.equal(built.source, undefined);
  assert.equal(formatAtomLocation(built, 0), '');
  assert.deepEqual(atomLocation(built, 0), {});
});

test('basis errors name the geometry file and line: missing element, too many electrons for the basis', () => {
  const hk = parseXyz('2\nHK\nH 0 0 0\nK 0 0 3\n', 'hk.xyz');
  inputError(() => buildMolecularBasis(hk, loadBasisLibrary('cc-pvdz')), /^hk\.xyz:4: atom 2, basis file .*cc-pvdz\.gbs: basis cc-pVDZ has no functions for element K$/);
  // H2 with charge −4: 6 electrons, 3 per spin, in the 2 functions of STO-3G.
  const h2 = parseXyz('2\nH2 charge=-4\nH 0 0 0\nH 0 0 0.74\n', 'h2.xyz');
  inputError(() => buildMolecularBasis(h2, loadBasisLibrary('sto-3g')), /^h2\.xyz:2: charge -4 and multiplicity 1 put 3 electrons of one spin into the 2 functions of basis STO-3G/);
  assert.equal(buildMolecularBasis(h2, loadBasisLibrary('6-31g')).nFunctions, 4);
  // An impossible charge or multiplicity: the comment line.
  inputError(() => parseXyz('2\ncharge=5\nH 0 0 0\nH 0 0 0.74\n', 'p.xyz'), /^p\.xyz:2: impossible charge 5/);
  inputError(() => parseXyz('2\nmultiplicity=2\nH 0 0 0\nH 0 0 0.74\n', 'm.xyz'), /^m\.xyz:2: multiplicity 2 is impossible/);
  // Charges beyond 2⁵³ cannot be counted exactly: refused, with the true proton count.
  inputError(() => parseXyz('2\ncharge=-99999999999999999999\nH 0 0 0\nH 0 0 0.74\n', 'big.xyz'), /^big\.xyz:2: impossible charge -100000000000000000000: the nuclei carry only 2 protons$/);
  inputError(() => createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, 0.74], charge: 1e20 }), /the nuclei carry only 2 protons/);
});
