import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { symmetricEigen } from '../core/linalg.js';
import { InputError } from '../core/errors.js';
import type { MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';
import { FermionOperator } from './fermion-operator.js';
import {
  FERMION_MAPPINGS,
  hartreeFockModes,
  mapFermionOperator,
  mapHamiltonian,
  numberOperator,
  occupationToQubitBits,
  szOperator,
} from './mappings.js';
import { PauliSum } from './pauli-sum.js';
import { findZ2Symmetries, taper } from './tapering.js';
import { lowestEigenvalue, pauliSumExpectation } from './index.js';
import {
  H2_PSI4_FCI,
  H2_STO3G_0_7414,
  denseFermionHamiltonian,
  denseFromTerms,
  hermitianEigenvalues,
  randomMolecularIntegrals,
} from './test-support.test-util.js';

test('H2: three Z2 symmetries, 4 → 1 qubit, FCI energy preserved under every mapping', () => {
  for (const mapping of FERMION_MAPPINGS) {
    const h = mapHamiltonian(H2_STO3G_0_7414, mapping);
    const symmetries = findZ2Symmetries(h);
    assert.equal(symmetries.length, 3, mapping);
    for (const s of symmetries) {
      const tau = PauliSum.fromTerms(4, [{ x: 0, z: s.zMask, re: 1 }]);
      assert.equal(h.commutator(tau).simplify(1e-14).nTerms, 0, `${mapping}: ${s.label} does not commute`);
      for (const other of symmetries) {
        if (other !== s) assert.equal((other.zMask >>> s.qubit) & 1, 0, 'pivot qubits must be exclusive');
      }
    }
    const result = taper(h, { occupiedModes: hartreeFockModes(1, 1), mapping });
    assert.equal(result.nQubitsRemoved, 3);
    assert.equal(result.operator.nQubits, 1);
    assert.ok(result.operator.isHermitian());
    const d = denseFromTerms(1, result.operator.x, result.operator.z, result.operator.coeffRe, result.operator.coeffIm);
    const e = hermitianEigenvalues(d)[0];
    assert.ok(Math.abs(e - H2_PSI4_FCI) < 1e-9, `${mapping}: ${e}`);
    // The tapered Hartree–Fock basis state has the RHF energy and is in range.
    const hfBits = occupationToQubitBits(hartreeFockModes(1, 1), 4, mapping);
    const tb = result.taperBits(hfBits);
    assert.ok(tb < 2);
  }
});

test('taperOther keeps number and Sz operators consistent; non-commuting operators are rejected', () => {
  const h = mapHamiltonian(H2_STO3G_0_7414, 'jordan-wigner');
  const result = taper(h, { hfBits: 0b0011 });
  const n = result.taperOther(numberOperator(4, 'jordan-wigner'));
  const sz = result.taperOther(szOperator(4, 'jordan-wigner'));
  const ground = lowestEigenvalue(result.operator);
  assert.ok(Math.abs(pauliSumExpectation(n, ground.vectorRe, ground.vectorIm).re - 2) < 1e-10);
  assert.ok(Math.abs(pauliSumExpectation(sz, ground.vectorRe, ground.vectorIm).re) < 1e-10);
  assert.throws(() => result.taperOther(PauliSum.fromLabel(4, 'X0')), InputError);
  assert.throws(() => taper(h, {}), InputError);
  // A basis state from another sector cannot be tapered.
  assert.throws(() => result.taperBits(0b0001), InputError);
});

test('taperOther on a UCC double-excitation generator preserves the energy gradient at Hartree–Fock', () => {
  // G = i(a†_2 a†_3 a_1 a_0 − h.c.); ⟨HF|[H, G]|HF⟩ must be the same before and after tapering.
  for (const mapping of FERMION_MAPPINGS) {
    const h = mapHamiltonian(H2_STO3G_0_7414, mapping);
    const t = FermionOperator.twoBody(2, 3, 1, 0);
    const g = mapFermionOperator(t.subtract(t.hermitianConjugate()), mapping, 4).scale(0, 1);
    const hfBits = occupationToQubitBits(hartreeFockModes(1, 1), 4, mapping);
    const result = taper(h, { hfBits });
    const full = expectationOnBasisState(h.commutator(g), 4, hfBits);
    const small = expectationOnBasisState(result.operator.commutator(result.taperOther(g)), 1, result.taperBits(hfBits));
    // [H, G] is anti-Hermitian: the expectation is imaginary, ±2·(01|01) for H2.
    assert.ok(Math.abs(full.im) > 0.1 && Math.abs(full.re) < 1e-12, 'the gradient is not trivially zero');
    assert.ok(Math.hypot(full.re - small.re, full.im - small.im) < 1e-12, `${mapping}: ${full.im} vs ${small.im}`);
  }
});

function expectationOnBasisState(op: PauliSum, nQubits: number, bits: number): { re: number; im: number } {
  const re = new Float64Array(2 ** nQubits);
  const im = new Float64Array(2 ** nQubits);
  re[bits] = 1;
  return pauliSumExpectation(op, re, im);
}

test('random 6-qubit Hamiltonians: tapered sector ground state equals the brute-force sector ground state', () => {
  const rng = new Random(99);
  const n = 3;
  const { oneBody, twoBody } = randomMolecularIntegrals(n, () => rng.next());
  const ham: MolecularHamiltonian = { nOrbitals: n, nAlpha: 1, nBeta: 1, constantHartree: 0, oneBody, twoBody };
  // Brute force: lowest eigenvalue of the occupation-basis matrix restricted to Nα = Nβ = 1.
  const dense = denseFermionHamiltonian(n, 0, oneBody, twoBody);
  const dim = 64;
  const states = [...Array(dim).keys()].filter((f) => {
    const a = [0, 2, 4].filter((k) => (f >> k) & 1).length;
    const b = [1, 3, 5].filter((k) => (f >> k) & 1).length;
    return a === 1 && b === 1;
  });
  const sub = new Float64Array(states.length ** 2);
  states.forEach((fi, i) => states.forEach((fj, j) => (sub[i * states.length + j] = dense[fi * dim + fj])));
  const reference = symmetricEigen(sub, states.length).values[0];
  for (const mapping of FERMION_MAPPINGS) {
    const h = mapHamiltonian(ham, mapping);
    const result = taper(h, { occupiedModes: hartreeFockModes(1, 1), mapping });
    assert.ok(result.nQubitsRemoved >= 2, `${mapping}: α and β parities at least`);
    const penalties = [
      { operator: result.taperOther(numberOperator(6, mapping)), target: 2 },
      { operator: result.taperOther(szOperator(6, mapping)), target: 0 },
    ];
    const e = lowestEigenvalue(result.operator, { penalties, penaltyWeight: 10 });
    assert.ok(Math.abs(e.eigenvalue - reference) < 1e-9, `${mapping}: ${e.eigenvalue} vs ${reference}`);
  }
});
