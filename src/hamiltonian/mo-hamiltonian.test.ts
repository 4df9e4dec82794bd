import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createMolecule, type Molecule } from '../chem/molecule.js';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { InputError } from '../core/errors.js';
import { eriIndex } from '../integrals/eri-layout.js';
import { runRhf, runUhf } from '../scf/scf.js';
import type { ScfResult } from '../scf/types.js';
import { molecularHamiltonianFromScf, frozenCoreOrbitalCount } from './mo-hamiltonian.js';
import { formatFcidump, parseFcidump, readFcidump } from './fcidump.js';
import type { MolecularHamiltonian } from './molecular-hamiltonian.js';

const water = (): Molecule =>
  createMolecule({ symbols: ['O', 'H', 'H'], positionsAngstrom: [0, 0, 0, 0, 0.757, 0.587, 0, -0.757, 0.587] });

function rhf(basisName: string, molecule = water()): ScfResult {
  return runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(basisName)));
}

/** Energy of the determinant with the lowest nAlpha α and nBeta β orbitals occupied. */
function determinantEnergy(ham: MolecularHamiltonian): number {
  const n = ham.nOrbitals;
  const g = (p: number, q: number, r: number, s: number): number => ham.twoBody[((p * n + q) * n + r) * n + s];
  let e = ham.constantHartree;
  for (let i = 0; i < ham.nAlpha; i++) e += ham.oneBody[i * n + i];
  for (let i = 0; i < ham.nBeta; i++) e += ham.oneBody[i * n + i];
  for (let i = 0; i < ham.nAlpha; i++) for (let j = 0; j < ham.nAlpha; j++) e += 0.5 * (g(i, i, j, j) - g(i, j, j, i));
  for (let i = 0; i < ham.nBeta; i++) for (let j = 0; j < ham.nBeta; j++) e += 0.5 * (g(i, i, j, j) - g(i, j, j, i));
  for (let i = 0; i < ham.nAlpha; i++) for (let j = 0; j < ham.nBeta; j++) e += g(i, i, j, j);
  return e;
}

test('HF determinant energy from the MO Hamiltonian equals the SCF energy (all orbitals, frozen core, active spaces)', () => {
  const scf = rhf('6-31g');
  const full = molecularHamiltonianFromScf(scf);
  assert.equal(full.nOrbitals, 13);
  assert.equal(full.nAlpha, 5);
  assert.equal(full.nBeta, 5);
  assert.ok(Math.abs(determinantEnergy(full) - scf.energyHartree) < 1e-9);
  assert.ok(Math.abs(scf.energyHartree - -75.98394849809885) <= 1e-8); // Psi4, h2o_6-31g_scale1_scf

  const fc = molecularHamiltonianFromScf(scf, { frozenCore: true });
  assert.equal(fc.nOrbitals, 12);
  assert.equal(fc.nAlpha, 4);
  assert.ok(fc.constantHartree < scf.nuclearRepulsionHartree - 50, 'frozen 1s energy is in the constant');
  assert.ok(Math.abs(determinantEnergy(fc) - scf.energyHartree) < 1e-9);

  const fc2 = molecularHamiltonianFromScf(scf, { frozenCore: 2 });
  assert.equal(fc2.nOrbitals, 11);
  assert.ok(Math.abs(determinantEnergy(fc2) - scf.energyHartree) < 1e-9);

  const cas = molecularHamiltonianFromScf(scf, { active: { nElectrons: 4, nOrbitals: 6 } });
  assert.equal(cas.nOrbitals, 6);
  assert.equal(cas.nAlpha, 2);
  assert.equal(cas.nBeta, 2);
  assert.ok(Math.abs(determinantEnergy(cas) - scf.energyHartree) < 1e-9);
  // The active block is the matching block of the frozen-core Hamiltonian with more orbitals frozen:
  // active orbitals 3..8 of the full Hamiltonian.
  const n = full.nOrbitals;
  const a = cas.nOrbitals;
  for (let p = 0; p < a; p++)
    for (let q = 0; q < a; q++)
      for (let r = 0; r < a; r++)
        for (let s = 0; s < a; s++) {
          const fullValue = full.twoBody[(((p + 3) * n + q + 3) * n + r + 3) * n + s + 3];
          assert.ok(Math.abs(cas.twoBody[((p * a + q) * a + r) * a + s] - fullValue) < 1e-12);
        }
});

test('MO integrals agree with a naive four-index transform and the Fock matrix from h and g is diagonal with the SCF orbital energies', () => {
  const scf = rhf('sto-3g');
  const ham = molecularHamiltonianFromScf(scf);
  const n = scf.nBasis;
  const C = scf.coefficientsAlpha;
  const m = scf.nOrbitals;
  const ao = (i: number, j: number, k: number, l: number): number => scf.eri.values[eriIndex(i, j, k, l)];
  // Naive O(n^5) transform, one index at a time on full arrays.
  let t = new Float64Array(n ** 4);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) for (let l = 0; l < n; l++) t[((i * n + j) * n + k) * n + l] = ao(i, j, k, l);
  for (let pos = 0; pos < 4; pos++) {
    const next = new Float64Array(n ** 4);
    const stride = n ** (3 - pos);
    for (let idx = 0; idx < n ** 4; idx++) {
      const digit = Math.floor(idx / stride) % n;
      const baseIdx = idx - digit * stride;
      let sum = 0;
      for (let mu = 0; mu < n; mu++) sum += C[mu * m + digit] * t[baseIdx + mu * stride];
      next[idx] = sum;
    }
    t = next;
  }
  for (let i = 0; i < n ** 4; i++) assert.ok(Math.abs(t[i] - ham.twoBody[i]) < 1e-11);
  // Fock matrix f_pq = h_pq + Σ_i [2(pq|ii) − (pi|iq)] over the 5 occupied orbitals.
  const g = (p: number, q: number, r: number, s: number): number => ham.twoBody[((p * n + q) * n + r) * n + s];
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      let f = ham.oneBody[p * n + q];
      for (let i = 0; i < 5; i++) f += 2 * g(p, q, i, i) - g(p, i, i, q);
      const expected = p === q ? scf.orbitalEnergiesAlpha[p] : 0;
      assert.ok(Math.abs(f - expected) < 1e-7, `f[${p},${q}] = ${f}, expected ${expected}`);
    }
  }
});

test('MO Hamiltonian of H2O/STO-3G matches the integrals in Psi4\'s FCIDUMP up to orbital signs', () => {
  const psi4 = readFcidump('test/fixtures/fcidump/h2o-sto3g.fcidump');
  const ham = molecularHamiltonianFromScf(rhf('sto-3g'));
  assert.equal(ham.nOrbitals, psi4.nOrbitals);
  assert.ok(Math.abs(ham.constantHartree - psi4.constantHartree) < 1e-10);
  for (let i = 0; i < ham.oneBody.length; i++) assert.ok(Math.abs(Math.abs(ham.oneBody[i]) - Math.abs(psi4.oneBody[i])) < 1e-7);
  for (let i = 0; i < ham.twoBody.length; i++) assert.ok(Math.abs(Math.abs(ham.twoBody[i]) - Math.abs(psi4.twoBody[i])) < 1e-7);
  const reference = JSON.parse(readFileSync('test/fixtures/fcidump/h2o-sto3g.json', 'utf8')) as { rhf_energy_hartree: number };
  assert.ok(Math.abs(determinantEnergy(ham) - reference.rhf_energy_hartree) < 1e-8);
});

test('FCIDUMP write → read of a qde Hamiltonian is exact', () => {
  const ham = molecularHamiltonianFromScf(rhf('6-31g'), { frozenCore: true });
  const back = parseFcidump(formatFcidump(ham), 'roundtrip');
  assert.equal(back.nOrbitals, ham.nOrbitals);
  assert.equal(back.nAlpha, ham.nAlpha);
  assert.equal(back.nBeta, ham.nBeta);
  assert.equal(back.constantHartree, ham.constantHartree);
  assert.deepEqual(back.oneBody, ham.oneBody);
  assert.deepEqual(back.twoBody, ham.twoBody);
});

test('open-shell (UHF α orbitals): electron counts carried over; determinant energy from α orbitals is an upper bound', () => {
  const oh = createMolecule({ symbols: ['O', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, 0.97] });
  const scf = runUhf(oh, buildMolecularBasis(oh, loadBasisLibrary('sto-3g')));
  const ham = molecularHamiltonianFromScf(scf, { frozenCore: true });
  assert.equal(ham.nAlpha, 4);
  assert.equal(ham.nBeta, 3);
  assert.ok(determinantEnergy(ham) >= scf.energyHartree - 1e-10);
});

test('frozen-core counts and impossible active spaces', () => {
  const mol = (symbols: string[]): Molecule =>
    createMolecule({ symbols, positionsAngstrom: symbols.map((_, i) => [0, 0, 2 * i]), multiplicity: undefined });
  assert.equal(frozenCoreOrbitalCount(mol(['H', 'H'])), 0);
  assert.equal(frozenCoreOrbitalCount(water()), 1);
  assert.equal(frozenCoreOrbitalCount(mol(['Li', 'H'])), 1);
  assert.equal(frozenCoreOrbitalCount(mol(['H', 'Cl'])), 5);
  assert.equal(frozenCoreOrbitalCount(mol(['K', 'Br'])), 18);
  const scf = rhf('sto-3g');
  assert.throws(() => molecularHamiltonianFromScf(scf, { active: { nElectrons: 3, nOrbitals: 4 } }), InputError);
  assert.throws(() => molecularHamiltonianFromScf(scf, { active: { nElectrons: 12, nOrbitals: 4 } }), InputError);
  assert.throws(() => molecularHamiltonianFromScf(scf, { active: { nElectrons: 4, nOrbitals: 6 } }), InputError);
  assert.throws(() => molecularHamiltonianFromScf(scf, { active: { nElectrons: 6, nOrbitals: 2 } }), InputError);
  assert.throws(() => molecularHamiltonianFromScf(scf, { frozenCore: 6 }), InputError);
});
