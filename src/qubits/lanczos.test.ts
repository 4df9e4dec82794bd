import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { ConvergenceError, InputError } from '../core/errors.js';
import { symmetricEigen } from '../core/linalg.js';
import type { MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';
import { PauliSum } from './pauli-sum.js';
import { lowestEigenvalue, sectorBasisMask } from './index.js';
import { FERMION_MAPPINGS, mapHamiltonian, numberOperator, szOperator } from './mappings.js';
import { denseFermionHamiltonian, denseFromTerms, hermitianEigenvalues, randomMolecularIntegrals } from './test-support.test-util.js';

function randomHermitian(rng: Random, n: number, nTerms: number): PauliSum {
  const terms = [];
  for (let t = 0; t < nTerms; t++) terms.push({ x: rng.int(2 ** n), z: rng.int(2 ** n), re: rng.normal() });
  return PauliSum.fromTerms(n, terms);
}

test('Lanczos lowest eigenvalue equals dense diagonalisation (real and complex Hermitian operators)', () => {
  const rng = new Random(17);
  for (const n of [3, 5, 7]) {
    // Real coefficients on strings with odd numbers of Y give a complex Hermitian matrix.
    const op = randomHermitian(rng, n, 4 * n);
    const d = denseFromTerms(n, op.x, op.z, op.coeffRe, op.coeffIm);
    const reference = hermitianEigenvalues(d)[0];
    const r = lowestEigenvalue(op, { seed: 1 });
    assert.ok(Math.abs(r.eigenvalue - reference) < 1e-10, `n=${n}: ${r.eigenvalue} vs ${reference}`);
    assert.ok(r.residualNorm < 1e-7);
  }
});

test('restarted Lanczos with a small basis still converges', () => {
  const rng = new Random(23);
  const op = randomHermitian(rng, 7, 30);
  const d = denseFromTerms(7, op.x, op.z, op.coeffRe, op.coeffIm);
  const reference = hermitianEigenvalues(d)[0];
  const r = lowestEigenvalue(op, { maxBasisSize: 8, maxIterations: 5000 });
  assert.ok(Math.abs(r.eigenvalue - reference) < 1e-10);
  assert.throws(() => lowestEigenvalue(op, { maxBasisSize: 8, maxIterations: 10 }), ConvergenceError);
  assert.throws(() => lowestEigenvalue(PauliSum.fromLabel(2, 'X0', 0, 1)), InputError);
});

test('sector restriction by basis mask and by penalties equals the brute-force sector ground state', () => {
  const rng = new Random(31);
  const n = 3;
  const { oneBody, twoBody } = randomMolecularIntegrals(n, () => rng.next());
  const ham: MolecularHamiltonian = { nOrbitals: n, nAlpha: 2, nBeta: 1, constantHartree: 0.1, oneBody, twoBody };
  const dense = denseFermionHamiltonian(n, 0.1, oneBody, twoBody);
  const states = [...Array(64).keys()].filter(
    (f) => [0, 2, 4].filter((k) => (f >> k) & 1).length === 2 && [1, 3, 5].filter((k) => (f >> k) & 1).length === 1,
  );
  const sub = new Float64Array(states.length ** 2);
  states.forEach((fi, i) => states.forEach((fj, j) => (sub[i * states.length + j] = dense[fi * 64 + fj])));
  const reference = symmetricEigen(sub, states.length).values[0];
  for (const mapping of FERMION_MAPPINGS) {
    const h = mapHamiltonian(ham, mapping);
    const masked = lowestEigenvalue(h, { basisMask: sectorBasisMask(6, mapping, 2, 1) });
    assert.ok(Math.abs(masked.eigenvalue - reference) < 1e-10, `${mapping} mask`);
    const penalized = lowestEigenvalue(h, {
      penalties: [
        { operator: numberOperator(6, mapping), target: 3 },
        { operator: szOperator(6, mapping), target: 0.5 },
      ],
      penaltyWeight: 10,
    });
    assert.ok(Math.abs(penalized.eigenvalue - reference) < 1e-9, `${mapping} penalty`);
    assert.ok(Math.abs(penalized.penaltyExpectation) < 1e-8);
  }
  // A penalty too weak to lift the other sectors is detected, not returned as converged.
  const h = mapHamiltonian({ ...ham, constantHartree: 0 }, 'jordan-wigner');
  assert.throws(
    () => lowestEigenvalue(h, { penalties: [{ operator: numberOperator(6, 'jordan-wigner'), target: 6, weight: 1e-3 }] }),
    ConvergenceError,
  );
});
