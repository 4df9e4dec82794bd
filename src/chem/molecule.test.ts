import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../core/errors.js';
import {
  createMolecule,
  electronCount,
  moleculeFormula,
  positionsAngstrom,
  spinElectronCounts,
  validateChargeAndMultiplicity,
  withChargeAndMultiplicity,
} from './molecule.js';

// 1 Å = 1/0.52917721067 Bohr (CODATA 2014, the value Psi4 1.3 uses).
const BOHR = 0.52917721067;

test('createMolecule converts Å to Bohr and fills defaults', () => {
  const m = createMolecule({ symbols: ['o', 'H', 'H'], positionsAngstrom: [[0, 0, 0], [0, 0.75, -0.5], [0, -0.75, -0.5]] });
  assert.deepEqual(Array.from(m.atomicNumbers), [8, 1, 1]);
  assert.ok(Math.abs(m.positionsBohr[4]! - 0.75 / BOHR) < 1e-14);
  assert.equal(m.charge, 0);
  assert.equal(m.multiplicity, 1);
  assert.equal(electronCount(m), 10);
  assert.equal(moleculeFormula(m), 'H2O');
  const back = positionsAngstrom(m);
  assert.ok(Math.abs(back[5]! + 0.5) < 1e-15);
});

test('default multiplicity is a doublet for odd electron counts; spin counts', () => {
  const m = createMolecule({ atomicNumbers: [1], positionsBohr: [0, 0, 0] });
  assert.equal(m.multiplicity, 2);
  assert.deepEqual(spinElectronCounts(m), { nAlpha: 1, nBeta: 0 });
  const o2 = createMolecule({ symbols: ['O', 'O'], positionsAngstrom: [0, 0, 0, 0, 0, 1.21], multiplicity: 3 });
  assert.deepEqual(spinElectronCounts(o2), { nAlpha: 9, nBeta: 7 });
});

test('Hill formula', () => {
  const benzene = createMolecule({
    symbols: ['H', 'C', 'C', 'H'],
    positionsAngstrom: [0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0],
  });
  assert.equal(moleculeFormula(benzene), 'C2H2');
  const lih = createMolecule({ symbols: ['Li', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, 1.6] });
  assert.equal(moleculeFormula(lih), 'HLi');
});

test('validation: unknown and unsupported elements, bad coordinates, overlapping atoms', () => {
  assert.throws(() => createMolecule({ symbols: ['Xx'], positionsAngstrom: [0, 0, 0] }), (e: unknown) => e instanceof InputError && /unknown element 'Xx'/.test(e.message));
  assert.throws(() => createMolecule({ symbols: ['Xe'], positionsAngstrom: [0, 0, 0] }), /beyond krypton/);
  assert.throws(() => createMolecule({ atomicNumbers: [37], positionsAngstrom: [0, 0, 0] }), /not supported/);
  assert.throws(() => createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, Number.NaN] }), /not a finite number/);
  assert.throws(() => createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [0, 0, 0] }), /position components/);
  assert.throws(() => createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, 0.01] }), /on top of each other/);
  assert.throws(() => createMolecule({ symbols: [], positionsAngstrom: [] }), /at least one atom/);
});

test('validation: impossible charge and multiplicity', () => {
  const h2 = { symbols: ['H', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, 0.74] };
  assert.throws(() => createMolecule({ ...h2, charge: 3 }), (e: unknown) => e instanceof InputError && /impossible charge 3/.test(e.message));
  assert.throws(() => createMolecule({ ...h2, charge: 2 }), /no electrons/);
  assert.throws(() => createMolecule({ ...h2, multiplicity: 2 }), /even electron count needs an odd multiplicity/);
  assert.throws(() => createMolecule({ ...h2, multiplicity: 5 }), /at most 3/);
  assert.throws(() => createMolecule({ ...h2, multiplicity: 0 }), /positive integer/);
  assert.throws(() => createMolecule({ ...h2, charge: 0.5 }), /integer/);
  const ok = createMolecule({ ...h2, multiplicity: 3 });
  assert.equal(ok.multiplicity, 3);
  assert.throws(() => validateChargeAndMultiplicity({ ...ok, charge: 1 }), /odd electron count needs an even multiplicity/);
  const cation = withChargeAndMultiplicity(ok, 1);
  assert.equal(cation.multiplicity, 2);
  assert.equal(electronCount(cation), 1);
});
