import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { createMolecule } from '../chem/molecule.js';
import { InputError } from '../core/errors.js';
import { setTwoBodySymmetric, type MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';
import { runRhf } from '../scf/index.js';
import { runCcsd } from './ccsd.js';
import { runCcsdT } from './ccsd-t.js';
import { requireNonzeroDenominators, sameOrbitalsExcitations, smallestDenominator } from './denominators.js';
import { mp2PairSums, runMp2 } from './mp2.js';
import { runUmp2 } from './ump2.js';

/**
 * Four electrons in four orbitals, h diagonal, with an optional exchange integral (12|12) = K
 * (0-based orbitals 1 and 2) that lowers F_22 = h_22 − K back to F_11 = −1.
 */
function degenerateHamiltonian(exchange: number): MolecularHamiltonian {
  const n = 4;
  const oneBody = new Float64Array(n * n);
  const diagonal = [-2, -1, -1 + exchange, 1];
  for (let p = 0; p < n; p++) oneBody[p * n + p] = diagonal[p]!;
  const twoBody = new Float64Array(n ** 4);
  if (exchange !== 0) setTwoBodySymmetric(twoBody, n, 1, 2, 1, 2, exchange);
  return { nOrbitals: n, nAlpha: 2, nBeta: 2, constantHartree: 0, oneBody, twoBody };
}

test('MP2 sums over a zero denominator are NaN (0/0) or infinite: the failure the check prevents', () => {
  // Brute force: one occupied and one virtual orbital at the same energy.
  const zeroOverZero = mp2PairSums(new Float64Array(1), Float64Array.of(-1), Float64Array.of(-1));
  assert.ok(Number.isNaN(zeroOverZero.oppositeSpin));
  const overZero = mp2PairSums(Float64Array.of(0.1), Float64Array.of(-1), Float64Array.of(-1));
  assert.ok(!Number.isFinite(overZero.oppositeSpin));
});

test('MP2, CCSD and CCSD(T) refuse orbitals degenerate across the Fermi level, naming them', () => {
  for (const exchange of [0, 0.1]) {
    const ham = degenerateHamiltonian(exchange);
    // Fock diagonal (occupied: orbitals 1 and 2, 0-based 0 and 1): F_00 = −2, F_11 = −1,
    // F_22 = h_22 − (21|12) = −1 + K − K = −1: orbitals 2 and 3 (1-based) are degenerate.
    for (const run of [() => runMp2(ham), () => runCcsd(ham), () => runCcsdT(ham)]) {
      assert.throws(run, (e: unknown) => {
        assert.ok(e instanceof InputError, String(e));
        assert.match(e.message, /occupied orbitals 2 \(ε = -1\.000000000 Eh\), 2 .* virtual orbitals 3 \(ε = -1\.000000000 Eh\), 3/);
        assert.match(e.message, /degenerate across the Fermi level/);
        return true;
      });
    }
  }
});

test('UMP2 refuses a degenerate HOMO/LUMO of either spin and names the spin', () => {
  const molecule = createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, 0.74] });
  const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary('sto-3g')));
  assert.ok(Number.isFinite(runUmp2(scf).energyHartree));
  const eps = Float64Array.of(-0.5, -0.5);
  assert.throws(() => runUmp2({ ...scf, orbitalEnergiesBeta: eps }), /UMP2 .*occupied orbitals 1β .* virtual orbitals 2β/);
  assert.throws(() => runUmp2({ ...scf, orbitalEnergiesAlpha: eps }), /UMP2 .*occupied orbitals 1α .* virtual orbitals 2α/);
  assert.throws(() => runMp2({ ...scf, orbitalEnergiesAlpha: eps, orbitalEnergiesBeta: eps }), /MP2 .*occupied orbitals 1 /);
});

test('smallestDenominator finds ε_i + ε_j = ε_a + ε_b without a degenerate pair (brute force)', () => {
  const occ = Float64Array.of(-1, 1);
  const vir = Float64Array.of(0, 3);
  let smallest = Infinity;
  for (const i of occ) for (const j of occ) for (const a of vir) for (const b of vir) smallest = Math.min(smallest, Math.abs(i + j - a - b));
  assert.equal(smallest, 0);
  const found = smallestDenominator(sameOrbitalsExcitations(occ, vir, 0, 2, 2));
  assert.ok(found);
  assert.equal(found.valueHartree, 0);
  assert.equal(occ[found.occupied[0]!]! + occ[found.occupied[1]!]!, vir[found.virtual[0]!]! + vir[found.virtual[1]!]!);
  // Non-Aufbau but no zero denominator: |D| ≥ 0.5 by brute force.
  assert.equal(smallestDenominator(sameOrbitalsExcitations(Float64Array.of(-1, 0.5), Float64Array.of(0, 2), 0, 2, 2)), undefined);
  // Triples: ε_i + ε_j + ε_k = ε_a + ε_b + ε_c with −1 − 1 + 3 = 0 + 0 + 1.
  assert.throws(
    () => requireNonzeroDenominators('(T)', sameOrbitalsExcitations(Float64Array.of(-1, 3), Float64Array.of(0, 1), 0, 2, 3)),
    InputError,
  );
  // A gap: accepted.
  assert.doesNotThrow(() => requireNonzeroDenominators('MP2', sameOrbitalsExcitations(Float64Array.of(-1), Float64Array.of(-1 + 1e-6), 0, 1, 2)));
});
