import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConvergenceError } from '../core/index.js';
import { createMolecule } from '../chem/index.js';
import { type FciOptions, runFci } from '../classical/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import { loadPsi4Reference, moleculeOfEntry, type ReferenceAtom } from '../../test/psi4-reference.js';
import { runLadder } from './ladder.js';
import type { FciSolver } from './run-method.js';

/** runFci behind a counter: every FCI solve of the method layer goes through the solver it is given. */
function countingFci(): { solve: FciSolver; count: () => number } {
  let n = 0;
  return {
    solve: (ham: MolecularHamiltonian, options: FciOptions) => {
      n++;
      return runFci(ham, options);
    },
    count: () => n,
  };
}

interface Entry {
  molecule: string;
  basis: string;
  method: string;
  frozen_core: string;
  geometry_angstrom: ReferenceAtom[];
  total_energy_hartree: number;
}

test('the ladder solves FCI once: the fci rung is the reference of every quantum rung (LiH vs Psi4)', async () => {
  const psi4 = loadPsi4Reference<Entry>().entries.filter((e) => e.molecule === 'LiH' && e.basis === 'sto-3g' && e.frozen_core.startsWith('none'));
  const fciEntry = psi4.find((e) => e.method === 'fci')!;
  const same = (e: Entry) => JSON.stringify(e.geometry_angstrom) === JSON.stringify(fciEntry.geometry_angstrom);
  const expected = new Map(psi4.filter(same).map((e) => [e.method === 'scf' ? 'hf' : e.method, e.total_energy_hartree]));
  const counter = countingFci();
  const ladder = await runLadder(moleculeOfEntry(fciEntry), { basis: 'sto-3g', methods: ['hf', 'mp2', 'ccsd', 'ccsd(t)', 'fci', 'vqe', 'adapt-vqe'] }, { solveFci: counter.solve });
  assert.equal(counter.count(), 1);
  for (const rung of ladder.rungs) assert.equal(rung.status, 'ok', `${rung.method}: ${rung.reason}`);
  for (const [method, energy] of expected) {
    const rung = ladder.rungs.find((r) => r.method === method)!;
    assert.ok(Math.abs(rung.result!.energyHartree - energy) < 1e-7, `${method}: ${rung.result!.energyHartree} vs Psi4 ${energy}`);
  }
  assert.ok(Math.abs(ladder.fciEnergyHartree! - fciEntry.total_energy_hartree) < 1e-8);
  for (const rung of ladder.rungs.filter((r) => r.kind === 'quantum')) {
    const r = rung.result!;
    assert.ok('referenceFciHartree' in r && r.referenceFciHartree === ladder.fciEnergyHartree, `${rung.method} shares the FCI energy`);
  }
  assert.deepEqual(JSON.parse(JSON.stringify(ladder)), ladder);
});

test('the ladder: FCI once whatever the rung order, never without a rung that needs it; skipped and failed rungs', async () => {
  const h2 = createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [[0, 0, 0], [0, 0, 0.74]] });
  const quantumFirst = countingFci();
  const a = await runLadder(h2, { basis: 'sto-3g', methods: ['vqe', 'qpe', 'fci'] }, { solveFci: quantumFirst.solve });
  assert.equal(quantumFirst.count(), 1);
  assert.equal(a.rungs[2]!.result!.energyHartree, a.fciEnergyHartree);
  const withoutFciRung = countingFci();
  const b = await runLadder(h2, { basis: 'sto-3g', methods: ['hf', 'adapt-vqe'] }, { solveFci: withoutFciRung.solve });
  assert.equal(withoutFciRung.count(), 1);
  assert.ok(b.fciEnergyHartree !== null && b.rungs[0]!.errorVsFciHartree! > 0);
  const classicalOnly = countingFci();
  const c = await runLadder(h2, { basis: 'sto-3g', methods: ['hf', 'mp2'] }, { solveFci: classicalOnly.solve });
  assert.equal(classicalOnly.count(), 0);
  assert.equal(c.fciEnergyHartree, null);
  assert.equal(c.rungs[1]!.errorVsFciHartree, null);
  // a quantum rung above the qubit limit is skipped; an FCI that does not converge fails its rung and
  // every quantum rung that needs it, and the ladder goes on
  const small = await runLadder(h2, { basis: 'sto-3g', methods: ['hf', 'vqe'], maxQubits: 2 });
  assert.equal(small.rungs[1]!.status, 'skipped');
  assert.match(small.rungs[1]!.reason!, /4 qubits exceed 'maxQubits' 2/);
  let failures = 0;
  const d = await runLadder(h2, { basis: 'sto-3g', methods: ['hf', 'fci', 'vqe'] }, {
    solveFci: () => {
      failures++;
      throw new ConvergenceError('Davidson did not converge in 1 iteration');
    },
  });
  assert.equal(failures, 1);
  assert.match(d.rungs[2]!.reason!, /Davidson did not converge/);
  assert.deepEqual(d.rungs.map((r) => r.status), ['ok', 'failed', 'failed']);
  assert.equal(d.fciEnergyHartree, null);
});

test('the ladder refuses open shells and bad specs, naming the key', async () => {
  const oh = createMolecule({ symbols: ['O', 'H'], positionsAngstrom: [[0, 0, 0], [0, 0, 0.97]] });
  await assert.rejects(runLadder(oh, { basis: 'sto-3g' }), /closed-shell singlet/);
  const h2 = createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [[0, 0, 0], [0, 0, 0.74]] });
  await assert.rejects(runLadder(h2, { basis: 'sto-3g', methods: ['hf', 'dft' as 'hf'] }), /'methods': unknown method 'dft'/);
  await assert.rejects(runLadder(h2, { basis: 'sto-3g', frozenCore: true, active: { nElectrons: 2, nOrbitals: 2 } }), /either 'frozenCore' or 'active'/);
  await assert.rejects(runLadder(h2, { basis: 'sto-3g', mapping: 'jw' as 'parity' }), /'mapping' must be one of/);
});
