import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createMolecule } from '../chem/molecule.js';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { ConvergenceError, InputError } from '../core/errors.js';
import { runRhf } from '../scf/index.js';
import { molecularHamiltonianFromScf, type MolecularHamiltonian } from '../hamiltonian/index.js';
import { runCcsd } from './ccsd.js';
import { loadPsi4Reference, moleculeOfEntry } from '../../test/psi4-reference.js';
import { rotateOrbitals } from './orbital-rotation.test-util.js';

interface ReferenceEntry {
  id: string;
  method: string;
  geometry_angstrom: [string, number, number, number][];
  charge: number;
  multiplicity: number;
  basis: string;
  total_energy_hartree: number;
}
const reference = loadPsi4Reference<ReferenceEntry>();
const fixtures = JSON.parse(readFileSync(new URL('../../test/fixtures/classical/psi4-cc-fixtures.json', import.meta.url), 'utf8')) as {
  entries: { id: string; geometry: [string, number, number, number][]; total_energy_hartree: number; cc_t1_diagnostic: number; cc_d1_diagnostic: number; basis: string; charge: number; multiplicity: number; method: string }[];
};

function hamiltonianOf(e: ReferenceEntry): MolecularHamiltonian {
  const molecule = moleculeOfEntry(e);
  return molecularHamiltonianFromScf(runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(e.basis))));
}

const ccsdEntries = reference.entries.filter((e) => e.method === 'ccsd');

test(`RHF-CCSD matches Psi4 to 1e-7 Hartree for all ${ccsdEntries.length} ccsd reference entries`, () => {
  assert.ok(ccsdEntries.length >= 20);
  for (const entry of ccsdEntries) {
    const r = runCcsd(hamiltonianOf(entry));
    const error = r.energyHartree - entry.total_energy_hartree;
    assert.ok(Math.abs(error) <= 1e-7, `${entry.id}: qde ${r.energyHartree} vs Psi4 ${entry.total_energy_hartree} (${error})`);
    assert.ok(r.residualNorm < 1e-9 && r.iterations > 1);
    assert.ok(r.t1Diagnostic >= 0 && r.t1Diagnostic <= r.d1Diagnostic);
  }
});

test('T1 and D1 diagnostics match Psi4 (H2O/6-31G)', () => {
  const fx = fixtures.entries.find((e) => e.id === 'h2o_6-31g_ccsd')!;
  const r = runCcsd(hamiltonianOf({ ...fx, geometry_angstrom: fx.geometry }));
  assert.ok(Math.abs(r.energyHartree - fx.total_energy_hartree) <= 1e-7);
  assert.ok(Math.abs(r.t1Diagnostic - fx.cc_t1_diagnostic) <= 1e-6, `T1 ${r.t1Diagnostic} vs ${fx.cc_t1_diagnostic}`);
  assert.ok(Math.abs(r.d1Diagnostic - fx.cc_d1_diagnostic) <= 1e-6, `D1 ${r.d1Diagnostic} vs ${fx.cc_d1_diagnostic}`);
});

test('CCSD energy is invariant to occupied–occupied and virtual–virtual rotations (non-canonical Fock handled)', () => {
  const entry = ccsdEntries.find((e) => e.id === 'h2o_sto-3g_scale1_ccsd')!;
  const ham = hamiltonianOf(entry);
  const rotated = rotateOrbitals(rotateOrbitals(ham, 1, 3, 0.4), 5, 6, -0.7);
  const r = runCcsd(rotated);
  assert.ok(Math.abs(r.energyHartree - entry.total_energy_hartree) <= 1e-7, `${r.energyHartree} vs ${entry.total_energy_hartree}`);
});

test('CCSD throws ConvergenceError (never a number) on divergence and when maxIterations is reached', () => {
  // Undamped Jacobi iterations blow up for a stretched H4 chain (3 Å spacing).
  const molecule = createMolecule({ symbols: ['H', 'H', 'H', 'H'], positionsAngstrom: [[0, 0, 0], [0, 0, 3], [0, 0, 6], [0, 0, 9]] });
  const stretched = molecularHamiltonianFromScf(runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary('sto-3g'))));
  assert.throws(
    () => runCcsd(stretched, { diis: false, maxIterations: 200 }),
    (e: unknown) => e instanceof ConvergenceError && /diverged/.test(e.message) && e.iterations > 1 && e.iterations < 200,
  );
  const ham = hamiltonianOf(ccsdEntries.find((e) => e.id === 'lih_sto-3g_r1.5949_ccsd')!);
  assert.throws(
    () => runCcsd(ham, { maxIterations: 3 }),
    (e: unknown) =>
      e instanceof ConvergenceError && /did not converge in 3 iterations/.test(e.message) && e.iterations === 3 && Number.isFinite(e.lastEnergyChangeHartree),
  );
  assert.throws(() => runCcsd(ham, { maxIterations: 0 }), InputError);
  assert.throws(() => runCcsd({ ...ham, nBeta: ham.nBeta - 1 }), InputError);
});
