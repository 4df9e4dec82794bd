import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createMolecule, type Molecule } from '../chem/molecule.js';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis, type MolecularBasis } from '../basis/molecular-basis.js';
import { ConvergenceError, InputError } from '../core/errors.js';
import { matMul, matMulTN } from '../core/linalg.js';
import { runRhf } from './scf.js';
import { loadPsi4Reference, moleculeOfEntry } from '../../test/psi4-reference.js';

interface ReferenceEntry {
  id: string;
  method: string;
  basis: string;
  charge: number;
  multiplicity: number;
  geometry_angstrom: [string, number, number, number][];
  n_basis_functions: number;
  nuclear_repulsion_energy: number;
  total_energy_hartree: number;
}
const reference = loadPsi4Reference<ReferenceEntry>();
const scfEntries = reference.entries.filter((e) => e.method === 'scf');

function setup(id: string): { molecule: Molecule; basis: MolecularBasis; entry: ReferenceEntry } {
  const entry = scfEntries.find((e) => e.id === id)!;
  const molecule = moleculeOfEntry(entry);
  return { molecule, basis: buildMolecularBasis(molecule, loadBasisLibrary(entry.basis)), entry };
}

test(`RHF matches Psi4 to 1e-8 Hartree for all ${scfEntries.length} scf reference entries`, () => {
  assert.ok(scfEntries.length >= 40);
  for (const entry of scfEntries) {
    const molecule = moleculeOfEntry(entry);
    const basis = buildMolecularBasis(molecule, loadBasisLibrary(entry.basis));
    const result = runRhf(molecule, basis);
    assert.equal(result.nBasis, entry.n_basis_functions, entry.id);
    assert.ok(Math.abs(result.nuclearRepulsionHartree - entry.nuclear_repulsion_energy) < 1e-10, entry.id);
    const error = result.energyHartree - entry.total_energy_hartree;
    assert.ok(Math.abs(error) <= 1e-8, `${entry.id}: qde ${result.energyHartree} vs Psi4 ${entry.total_energy_hartree} (${error})`);
    assert.equal(result.converged, true);
    assert.equal(result.s2, 0);
  }
});

test('RHF of H2S/cc-pVDZ with the hydrogens listed first matches Psi4 (grouped sulfur s shells in a planar molecule)', () => {
  // Psi4 1.3.2, scf_type pk, C1, no reorientation, e/d_convergence 1e-11/1e-9.
  const psi4EnergyHartree = -398.6945410524094768;
  const molecule = createMolecule({ symbols: ['H', 'H', 'S'], positionsAngstrom: [0, 0.9623, 0.9289, 0, -0.9623, 0.9289, 0, 0, 0] });
  const result = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary('cc-pvdz')));
  assert.ok(Math.abs(result.energyHartree - psi4EnergyHartree) < 1e-8, `E = ${result.energyHartree}, Psi4 ${psi4EnergyHartree}`);
});

test('RHF result is self-consistent: CᵀSC = 1, DSD = D, tr(DS) = N/2, energy from D, ascending orbital energies', () => {
  const { molecule, basis } = setup('h2o_cc-pvdz_scale1_scf');
  const r = runRhf(molecule, basis);
  const n = r.nBasis;
  const m = r.nOrbitals;
  assert.equal(r.method, 'rhf');
  assert.equal(r.nAlpha, 5);
  assert.equal(r.nBeta, 5);
  assert.equal(r.nElectrons, 10);
  assert.strictEqual(r.coefficientsBeta, r.coefficientsAlpha);
  const ctsc = matMulTN(r.coefficientsAlpha, matMul(r.overlap, r.coefficientsAlpha, n, n, m), n, m, m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) assert.ok(Math.abs(ctsc[i * m + j] - (i === j ? 1 : 0)) < 1e-10);
  const D = r.densityAlpha;
  const ds = matMul(D, r.overlap, n, n, n);
  const dsd = matMul(ds, D, n, n, n);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += ds[i * n + i];
  assert.ok(Math.abs(trace - 5) < 1e-10);
  for (let i = 0; i < n * n; i++) assert.ok(Math.abs(dsd[i] - D[i]) < 1e-10);
  for (let k = 1; k < m; k++) assert.ok(r.orbitalEnergiesAlpha[k] >= r.orbitalEnergiesAlpha[k - 1]);
  // Koopmans-type sanity: HOMO negative, LUMO positive for water.
  assert.ok(r.orbitalEnergiesAlpha[4] < 0 && r.orbitalEnergiesAlpha[5] > 0);
  assert.ok(Math.abs(r.electronicEnergyHartree + r.nuclearRepulsionHartree - r.energyHartree) < 1e-12);
});

test('core-Hamiltonian and GWH guesses converge to the same Psi4 energy; reused ERIs give the same result', () => {
  const { molecule, basis, entry } = setup('h2o_6-31g_scale1_scf');
  const sad = runRhf(molecule, basis);
  for (const guess of ['core', 'gwh'] as const) {
    const r = runRhf(molecule, basis, { guess, eri: sad.eri });
    assert.ok(Math.abs(r.energyHartree - entry.total_energy_hartree) <= 1e-8, guess);
  }
  const noDiis = runRhf(molecule, basis, { diisSize: 0, maxIterations: 200 });
  assert.ok(Math.abs(noDiis.energyHartree - entry.total_energy_hartree) <= 1e-8);
  assert.ok(noDiis.iterations > sad.iterations, 'DIIS accelerates convergence');
});

test('not converging within maxIterations throws ConvergenceError carrying the last energy change', () => {
  const { molecule, basis } = setup('h2o_6-31g_scale1_scf');
  assert.throws(
    () => runRhf(molecule, basis, { maxIterations: 2 }),
    (err: unknown) =>
      err instanceof ConvergenceError &&
      Number.isFinite(err.lastEnergyChangeHartree) &&
      Math.abs(err.lastEnergyChangeHartree) > 1e-10 &&
      err.iterations === 2 &&
      /did not converge/.test(err.message),
  );
});

test('RHF input checks: odd electron count and open-shell multiplicity point to UHF', () => {
  const oh = createMolecule({ symbols: ['O', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, 0.97] });
  const basis = buildMolecularBasis(oh, loadBasisLibrary('sto-3g'));
  assert.throws(() => runRhf(oh, basis), (err: unknown) => err instanceof InputError && /--method uhf/.test(err.message) && /9/.test(err.message));
  const triplet = createMolecule({ symbols: ['O', 'O'], positionsAngstrom: [0, 0, 0, 0, 0, 1.2], multiplicity: 3 });
  assert.throws(
    () => runRhf(triplet, buildMolecularBasis(triplet, loadBasisLibrary('sto-3g'))),
    (err: unknown) => err instanceof InputError && /--method uhf/.test(err.message),
  );
  // A hand-made molecule with an impossible multiplicity (parity, then too high).
  const h2: Molecule = { atomicNumbers: Int32Array.of(1, 1), positionsBohr: Float64Array.of(0, 0, 0, 0, 0, 1.4), charge: 0, multiplicity: 2 };
  const h2Basis = buildMolecularBasis(h2, loadBasisLibrary('sto-3g'));
  assert.throws(() => runRhf(h2, h2Basis), InputError);
  assert.throws(() => runRhf({ ...h2, multiplicity: 5 }, h2Basis), InputError);
  assert.throws(() => runRhf(h2, h2Basis, { maxIterations: 0 }), InputError);
});

test('canonical orthogonalisation drops an exactly duplicated shell without changing the energy', () => {
  const { molecule, basis, entry } = setup('lih_sto-3g_r1.5949_scf');
  // Append a copy of the last shell (hydrogen 1s): the overlap matrix becomes singular.
  const s = basis.nShells - 1;
  const p0 = basis.shellFirstPrimitive[s];
  const np = basis.shellPrimitiveCount[s];
  const nf = basis.shellFunctionCount[s];
  const duplicated: MolecularBasis = {
    ...basis,
    nFunctions: basis.nFunctions + nf,
    functionToAtom: Int32Array.from([...basis.functionToAtom, ...basis.functionToAtom.slice(basis.nFunctions - nf)]),
    nShells: basis.nShells + 1,
    shellL: Int32Array.from([...basis.shellL, basis.shellL[s]]),
    shellAtom: Int32Array.from([...basis.shellAtom, basis.shellAtom[s]]),
    shellCentersBohr: Float64Array.from([...basis.shellCentersBohr, ...basis.shellCentersBohr.slice(3 * s, 3 * s + 3)]),
    shellFirstFunction: Int32Array.from([...basis.shellFirstFunction, basis.nFunctions]),
    shellFunctionCount: Int32Array.from([...basis.shellFunctionCount, nf]),
    shellFirstPrimitive: Int32Array.from([...basis.shellFirstPrimitive, basis.exponents.length]),
    shellPrimitiveCount: Int32Array.from([...basis.shellPrimitiveCount, np]),
    exponents: Float64Array.from([...basis.exponents, ...basis.exponents.slice(p0, p0 + np)]),
    coefficients: Float64Array.from([...basis.coefficients, ...basis.coefficients.slice(p0, p0 + np)]),
  };
  const r = runRhf(molecule, duplicated, { guess: 'core' });
  assert.equal(r.nBasis, basis.nFunctions + 1);
  assert.equal(r.nOrbitals, basis.nFunctions);
  assert.equal(r.orbitalEnergiesAlpha.length, r.nOrbitals);
  assert.equal(r.coefficientsAlpha.length, r.nBasis * r.nOrbitals);
  assert.ok(Math.abs(r.energyHartree - entry.total_energy_hartree) <= 1e-8);
});
