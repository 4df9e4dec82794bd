/**
 * VQE along an N2 bond scan (STO-3G, RHF orbitals, frozen 1s cores: 10 electrons in 8 orbitals): every
 * geometry must give a converged, variational energy. Two-layer UCCSD has 630 parameters and long flat
 * valleys, where a strict gradient-norm test used to reject energies converged to 1e-10 Hartree at some
 * bond lengths (1.12 Å) and accept them at others. References: full CI of the same Hamiltonian
 * (runFci, an independent method: Davidson on determinants, no circuits or qubit operators).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMolecularBasis, loadBasisLibrary } from '../basis/index.js';
import { createMolecule } from '../chem/index.js';
import { runFci } from '../classical/index.js';
import { molecularHamiltonianFromScf, type MolecularHamiltonian } from '../hamiltonian/index.js';
import { runRhf } from '../scf/index.js';
import { runVqe } from './index.js';

/** N2 at bond length r (Å) along z: frozen-core STO-3G Hamiltonian, HF and full-CI energies. */
function n2(bondAngstrom: number): { hamiltonian: MolecularHamiltonian; hfHartree: number; fciHartree: number } {
  const molecule = createMolecule({ symbols: ['N', 'N'], positionsAngstrom: [0, 0, 0, 0, 0, bondAngstrom] });
  const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary('sto-3g')));
  const hamiltonian = molecularHamiltonianFromScf(scf, { frozenCore: true });
  return { hamiltonian, hfHartree: scf.energyHartree, fciHartree: runFci(hamiltonian).energies[0] };
}

/** Chemical accuracy. */
const ACCURACY_HARTREE = 1.6e-3;

test('one-layer UCCSD converges at every point of an N2 scan (0.95–1.40 Å), variational, ≥ 98% of the correlation energy', async () => {
  for (const r of [0.95, 1.05, 1.12, 1.2, 1.4]) {
    const { hamiltonian, hfHartree, fciHartree } = n2(r);
    const result = await runVqe({ hamiltonian });
    const error = result.energyHartree - fciHartree;
    const correlation = fciHartree - hfHartree;
    assert.equal(result.converged, true);
    assert.ok(error > -1e-9, `${r} Å: below full CI by ${-error}`);
    assert.ok(error < 0.02 * -correlation, `${r} Å: above full CI by ${error} of ${correlation}`);
  }
});

test('two-layer UCCSD converges at 1.12 and 1.20 Å for N2, variational and within 1.6 mEh of full CI', async () => {
  for (const r of [1.12, 1.2]) {
    const { hamiltonian, fciHartree } = n2(r);
    const result = await runVqe({ hamiltonian, layers: 2 });
    const error = result.energyHartree - fciHartree;
    assert.equal(result.parameterCount, 630);
    assert.ok(result.gradientNorm <= 1e-4, `${r} Å: gradient norm ${result.gradientNorm}`);
    assert.ok(error > -1e-9, `${r} Å: below full CI by ${-error}`);
    assert.ok(error < ACCURACY_HARTREE, `${r} Å: above full CI by ${error}`);
  }
});
