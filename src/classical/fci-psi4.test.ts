// Every full-CI entry of the shared Psi4 reference set, through the whole pipeline:
// molecule → RHF → MO Hamiltonian (all electrons, no frozen core, as in the references) → FCI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { loadBasisLibrary } from '../basis/library.js';
import { runRhf } from '../scf/scf.js';
import { molecularHamiltonianFromScf } from '../hamiltonian/mo-hamiltonian.js';
import { runFci } from './fci.js';
import { loadPsi4Reference, moleculeOfEntry } from '../../test/psi4-reference.js';

interface Entry {
  id: string;
  method: string;
  geometry_angstrom: [string, number, number, number][];
  charge: number;
  multiplicity: number;
  basis: string;
  fci_determinants_c1: number;
  total_energy_hartree: number;
}

const reference = loadPsi4Reference<Entry>();
const entries = reference.entries.filter((e) => e.method === 'fci');

test(`FCI matches Psi4 detci for all ${entries.length} reference entries to 1e-8 Hartree`, () => {
  assert.ok(entries.length >= 30);
  const libraries = new Map<string, ReturnType<typeof loadBasisLibrary>>();
  for (const e of entries) {
    const molecule = moleculeOfEntry(e);
    if (!libraries.has(e.basis)) libraries.set(e.basis, loadBasisLibrary(e.basis));
    const basis = buildMolecularBasis(molecule, libraries.get(e.basis)!);
    const scf = runRhf(molecule, basis);
    const ham = molecularHamiltonianFromScf(scf, { frozenCore: false });
    const fci = runFci(ham);
    assert.equal(fci.determinants, e.fci_determinants_c1, `${e.id}: determinant count`);
    const diff = fci.energies[0] - e.total_energy_hartree;
    assert.ok(Math.abs(diff) <= 1e-8, `${e.id}: ${fci.energies[0]} vs Psi4 ${e.total_energy_hartree} (diff ${diff})`);
    assert.ok(Math.abs(fci.s2[0]) < 1e-8, `${e.id}: ⟨S²⟩ = ${fci.s2[0]}`);
  }
});
