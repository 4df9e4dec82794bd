import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateJobCost, longestFirstOrder, type JobSize } from './job-cost.js';
import { QUANTITY_BITS } from './quantities.js';

// H2 at 1.4 Bohr and H2O near equilibrium (Bohr); STO-3G gives them 2 and 7 basis functions.
const h2 = { atomicNumbers: [1, 1], positionsBohr: [0, 0, 0, 0, 0, 1.4], charge: 0, multiplicity: 1 };
const h2o = { atomicNumbers: [8, 1, 1], positionsBohr: [0, 0, 0, 0, 1.43, 1.11, 0, -1.43, 1.11], charge: 0, multiplicity: 1 };
const job = (m: typeof h2, method: 'hf' | 'fci' | 'ccsd', quantities: number): JobSize => ({ ...m, spec: { method, basis: 'sto-3g' }, quantities });
const E = QUANTITY_BITS.energy;
const F = QUANTITY_BITS.energy | QUANTITY_BITS.forces;

test('job cost: forces by central differences cost 1 + 6·atoms energies, analytic SCF and FCI forces about 3', () => {
  const energy = estimateJobCost(job(h2o, 'fci', E));
  assert.equal(estimateJobCost(job(h2o, 'fci', F)), 3 * energy);
  assert.equal(estimateJobCost(job(h2o, 'ccsd', F)), 19 * estimateJobCost(job(h2o, 'ccsd', E)));
  // a frozen core leaves FCI forces to differences: the core's 1 orbital leaves 6 with 4 α and 4 β electrons
  const frozen = (q: number): JobSize => ({ ...h2o, spec: { method: 'fci', basis: 'sto-3g', frozenCore: true }, quantities: q });
  assert.equal(estimateJobCost(frozen(F)), 19 * estimateJobCost(frozen(E)));
  assert.equal(estimateJobCost(frozen(E)), 7 ** 4 + 15 * 15 * 36);
  assert.equal(estimateJobCost(job(h2o, 'hf', F)), 3 * estimateJobCost(job(h2o, 'hf', E)));
  // the SCF alone: n⁴ with n = 7 functions
  assert.equal(estimateJobCost(job(h2o, 'hf', E)), 7 ** 4);
  // FCI on 7 orbitals with 5 α and 5 β electrons: C(7,5)² = 441 determinants, times a² = 49
  assert.equal(energy, 7 ** 4 + 441 * 49);
});

test('longest first: larger molecules and costlier methods first, ties in the given order; a bad basis does not throw', () => {
  const jobs = [
    job(h2, 'hf', E),
    job(h2o, 'hf', E),
    job(h2o, 'fci', F),
    job(h2, 'fci', F),
    job(h2o, 'ccsd', E),
    job(h2, 'hf', E),
    { ...job(h2, 'hf', E), spec: { method: 'hf' as const, basis: 'no-such-basis' } },
  ];
  assert.deepEqual(longestFirstOrder(jobs), [4, 2, 1, 3, 0, 5, 6]);
});
