/**
 * End to end: geometry → RHF → MO Hamiltonian → qubit Hamiltonian (three mappings, with and without
 * tapering) → sector lowest eigenvalue, against qde's FCI and Psi4's FCI
 * (test/fixtures/reference/psi4-public.json entries h2_sto-3g_r0.74_fci, lih_sto-3g_r1.5949_fci and
 * h2o_sto-3g_scale1_fci; all electrons correlated).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMolecule } from '../chem/molecule.js';
import { buildMolecularBasis, loadBasisLibrary } from '../basis/index.js';
import { runRhf } from '../scf/index.js';
import { molecularHamiltonianFromScf } from '../hamiltonian/index.js';
import { runFci } from '../classical/fci.js';
import type { MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';
import {
  FERMION_MAPPINGS,
  hartreeFockModes,
  mapHamiltonian,
  numberOperator,
  occupationToQubitBits,
  szOperator,
} from './mappings.js';
import { taper } from './tapering.js';
import { lowestEigenvalue, sectorBasisMask } from './index.js';

function hamiltonian(symbols: string[], positionsAngstrom: number[], frozenCore = false): MolecularHamiltonian {
  const molecule = createMolecule({ symbols, positionsAngstrom });
  const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary('sto-3g')));
  return molecularHamiltonianFromScf(scf, { frozenCore });
}

function check(name: string, ham: MolecularHamiltonian, psi4Fci: number | undefined, expectedSaved: number): void {
  const fci = runFci(ham, { spinFlipSymmetry: 'none' }).energies[0];
  if (psi4Fci !== undefined) assert.ok(Math.abs(fci - psi4Fci) < 1e-7, `${name}: qde FCI ${fci} vs Psi4 ${psi4Fci}`);
  const nq = 2 * ham.nOrbitals;
  const hfModes = hartreeFockModes(ham.nAlpha, ham.nBeta);
  for (const mapping of FERMION_MAPPINGS) {
    const op = mapHamiltonian(ham, mapping);
    const hfBits = occupationToQubitBits(hfModes, nq, mapping);
    const full = lowestEigenvalue(op, {
      basisMask: sectorBasisMask(nq, mapping, ham.nAlpha, ham.nBeta),
      startBasisState: hfBits,
    });
    assert.ok(Math.abs(full.eigenvalue - fci) < 1e-8, `${name} ${mapping}: ${full.eigenvalue} vs FCI ${fci}`);
    const tapered = taper(op, { hfBits });
    assert.equal(tapered.nQubitsRemoved, expectedSaved, `${name} ${mapping}: qubits saved`);
    const small = lowestEigenvalue(tapered.operator, {
      penalties: [
        { operator: tapered.taperOther(numberOperator(nq, mapping)), target: ham.nAlpha + ham.nBeta },
        { operator: tapered.taperOther(szOperator(nq, mapping)), target: (ham.nAlpha - ham.nBeta) / 2 },
      ],
      startBasisState: tapered.taperBits(hfBits),
    });
    assert.ok(Math.abs(small.eigenvalue - fci) < 1e-8, `${name} ${mapping} tapered: ${small.eigenvalue} vs FCI ${fci}`);
  }
}

test('H2 / STO-3G (0.74 Å): sector ground state of every mapped and tapered Hamiltonian = FCI', () => {
  // Z2 symmetries of H2 in D∞h (as a subgroup D2h): Nα and Nβ parity plus one spatial parity.
  check('H2', hamiltonian(['H', 'H'], [0, 0, 0, 0, 0, 0.74]), -1.1372838344855134, 3);
});

test('LiH / STO-3G (1.5949 Å, 12 qubits): sector ground state of every mapped and tapered Hamiltonian = FCI', () => {
  // C∞v (as C2v): Nα and Nβ parity plus the two reflection parities of the π orbitals → 4 qubits saved.
  check('LiH', hamiltonian(['Li', 'H'], [0, 0, 0, 0, 0, 1.5949]), -7.882403410324354, 4);
});

test('H2O / STO-3G (frozen core, 12 qubits): sector ground state of every mapped and tapered Hamiltonian = FCI', () => {
  // C2v: Nα and Nβ parity plus two reflection parities → 4 qubits saved.
  check('H2O', hamiltonian(['O', 'H', 'H'], [0, 0, 0, 0, 0.757, 0.587, 0, -0.757, 0.587], true), undefined, 4);
});

test('H2O / STO-3G (all electrons, 14 qubits): sector ground state of every mapped and tapered Hamiltonian = FCI', () => {
  check('H2O', hamiltonian(['O', 'H', 'H'], [0, 0, 0, 0, 0.757, 0.587, 0, -0.757, 0.587]), -75.01264711911466, 4);
});
