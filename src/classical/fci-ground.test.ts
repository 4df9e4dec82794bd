// FCI returns the ground state of the spin class over every orbital-symmetry sector: molecules whose
// lowest determinant (the Aufbau-like reference) lies in another sector than the ground state, and
// molecules where it does not, each against the unblocked solve (no symmetry at all).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, ResourceError, setThreadBudget } from '../core/index.js';
import { createMolecule } from '../chem/molecule.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { loadBasisLibrary } from '../basis/library.js';
import { runRhf } from '../scf/scf.js';
import { molecularHamiltonianFromScf } from '../hamiltonian/mo-hamiltonian.js';
import type { MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';
import { estimateFciMemoryBytes, fciOptionsWithinMemory, runFci } from './fci.js';

function hamiltonian(symbols: string[], positionsAngstrom: number[][]): MolecularHamiltonian {
  const molecule = createMolecule({ symbols, positionsAngstrom });
  const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary('sto-3g')));
  return molecularHamiltonianFromScf(scf, { frozenCore: false });
}

function ring(count: number, radiusAngstrom: number): number[][] {
  return Array.from({ length: count }, (_, k) => [
    radiusAngstrom * Math.cos((2 * Math.PI * k) / count),
    radiusAngstrom * Math.sin((2 * Math.PI * k) / count),
    0,
  ]);
}

/**
 * Default FCI equals the unblocked FCI to 1e-9 and the lowest of the per-sector solves; returns the
 * per-sector lowest energies.
 */
function checkGround(ham: MolecularHamiltonian, what: string): { sectors: number[]; ground: number } {
  const blocked = runFci(ham);
  const plain = runFci(ham, { symmetry: false });
  assert.equal(plain.orbitalSymmetry.irreps, 1);
  assert.ok(blocked.orbitalSymmetry.irreps > 1, `${what}: symmetry detected`);
  assert.ok(Math.abs(blocked.energyHartree - plain.energyHartree) <= 1e-9, `${what}: ${blocked.energyHartree} vs unblocked ${plain.energyHartree}`);
  assert.equal(blocked.energyHartree, blocked.energies[0]);
  assert.equal(blocked.groundIrrep, blocked.rootSymmetries[0]);
  assert.ok(Math.abs(blocked.s2[0]) < 1e-8, `${what}: singlet`);
  const sectors: number[] = [];
  for (let t = 0; t < blocked.orbitalSymmetry.irreps; t++) {
    try {
      sectors.push(runFci(ham, { targetSymmetry: t }).energyHartree);
    } catch (e) {
      // A sector without any state of the spin class.
      assert.ok(e instanceof InputError, String(e));
      sectors.push(Infinity);
    }
  }
  const best = Math.min(...sectors);
  assert.ok(Math.abs(best - blocked.energyHartree) <= 1e-9, `${what}: lowest pinned sector ${best}`);
  assert.ok(Math.abs(sectors[blocked.groundIrrep] - blocked.energyHartree) <= 1e-9, `${what}: groundIrrep ${blocked.groundIrrep}`);
  return { sectors, ground: blocked.energyHartree };
}

test('square H4 (1.0 Å sides, STO-3G): ground state outside the sector of the lowest determinant', () => {
  const ham = hamiltonian(['H', 'H', 'H', 'H'], [
    [0, 0, 0],
    [1, 0, 0],
    [1, 1, 0],
    [0, 1, 0],
  ]);
  const { sectors, ground } = checkGround(ham, 'square H4');
  // The sector solved alone by a reference-sector FCI lies 0.2 Eh higher (−1.70869 Eh).
  assert.ok(sectors.some((e) => e > ground + 0.1 && e < ground + 0.3), `sector energies ${sectors}`);
  // Several roots: the lowest three over all sectors, as the unblocked solve.
  const three = runFci(ham, { roots: 3 });
  const plain = runFci(ham, { roots: 3, symmetry: false });
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(three.energies[k] - plain.energies[k]) <= 1e-9, `root ${k}`);
  assert.ok(new Set(three.rootSymmetries).size > 1, `roots from several sectors: ${Array.from(three.rootSymmetries)}`);
});

test('H6 hexagon and C2 / N2 (STO-3G): default FCI equals the unblocked ground state', () => {
  checkGround(hamiltonian(Array(6).fill('H'), ring(6, 1.0)), 'H6 hexagon');
  // C2: the σg/σu/π near-degeneracy puts the lowest determinant in the u sector, the ground state in g.
  const c2 = checkGround(hamiltonian(['C', 'C'], [
    [0, 0, 0],
    [0, 0, 1.2425],
  ]), 'C2');
  assert.ok(Math.max(...c2.sectors.filter(Number.isFinite)) > c2.ground + 0.05, `C2 sector energies ${c2.sectors}`);
  // N2: the reference sector does hold the ground state.
  const n2 = checkGround(hamiltonian(['N', 'N'], [
    [0, 0, 0],
    [0, 0, 1.0977],
  ]), 'N2');
  assert.ok(Math.abs(n2.sectors[0] - n2.ground) <= 1e-9);
});

test('sector screening: stopping the Davidson runs of higher sectors early changes no root', () => {
  // Linear H8: the g sector holds the ground state, so u is screened out for one root.
  const ham = hamiltonian(Array(8).fill('H'), Array.from({ length: 8 }, (_, i) => [0, 0, 1.0 * i]));
  for (const roots of [1, 3]) {
    const screened = runFci(ham, { roots, solver: 'davidson' });
    const full = runFci(ham, { roots, solver: 'davidson', sectorScreening: false });
    assert.equal(full.screenedSectors, 0);
    if (roots === 1) {
      assert.equal(screened.screenedSectors, 1);
      assert.ok(screened.iterations < full.iterations, `${screened.iterations} < ${full.iterations} iterations`);
    }
    for (let k = 0; k < roots; k++) {
      assert.ok(Math.abs(screened.energies[k] - full.energies[k]) <= 1e-9, `root ${k}: ${screened.energies[k]} vs ${full.energies[k]}`);
      assert.equal(screened.rootSymmetries[k], full.rootSymmetries[k]);
    }
  }
});

test('memory: the estimate covers Davidson’s vectors and the limit; refusal before any allocation', () => {
  // A fake 100-orbital Hamiltonian without integrals: refused on the estimate alone.
  const huge: MolecularHamiltonian = {
    nOrbitals: 100,
    nAlpha: 10,
    nBeta: 10,
    constantHartree: 0,
    oneBody: new Float64Array(0),
    twoBody: new Float64Array(0),
  };
  assert.ok(estimateFciMemoryBytes(huge) > 1e20);
  assert.throws(
    () => runFci(huge),
    (e: unknown) =>
      e instanceof ResourceError && e instanceof InputError && e.estimateBytes > e.limitBytes && /FCI of .* determinants/.test(e.message),
  );
  // Only the counts (a job sized before its integrals exist) give the same whole-space estimate.
  const counts = { nOrbitals: 100, nAlpha: 10, nBeta: 10 } as MolecularHamiltonian;
  assert.equal(estimateFciMemoryBytes(counts), estimateFciMemoryBytes(huge));
  // A small one fits the default limit but not a tiny explicit one.
  const h2o = hamiltonian(['O', 'H', 'H'], [
    [0, 0, 0.1173],
    [0, 0.7572, -0.4692],
    [0, -0.7572, -0.4692],
  ]);
  const estimate = estimateFciMemoryBytes(h2o);
  // Lower bound: the Davidson subspace (basis and images, 2 × 16 vectors) of the largest sector.
  const sector = runFci(h2o, { targetSymmetry: 0 }).symmetryDeterminants;
  assert.ok(estimate > 2 * 16 * 8 * sector, `${estimate} vs sector ${sector}`);
  const smallest = estimateFciMemoryBytes(h2o, { maxSubspace: 3 });
  assert.ok(smallest < estimate);
  assert.throws(() => runFci(h2o, { maxMemoryBytes: smallest * 0.999 }), InputError);
  const full = runFci(h2o, { maxMemoryBytes: estimate });
  assert.ok(Number.isFinite(full.energyHartree));
  // Between the two: the Davidson subspace shrinks to fit and the energy is the same.
  const limit = (smallest + estimate) / 2;
  const used = fciOptionsWithinMemory(h2o, { maxMemoryBytes: limit });
  assert.ok(used.maxSubspace !== undefined && used.maxSubspace >= 3 && used.maxSubspace < 16, `subspace ${used.maxSubspace}`);
  assert.ok(estimateFciMemoryBytes(h2o, { maxMemoryBytes: limit }) <= limit);
  assert.deepEqual(fciOptionsWithinMemory(h2o, { maxMemoryBytes: estimate }), { maxMemoryBytes: estimate });
  const shrunk = runFci(h2o, { maxMemoryBytes: limit });
  assert.ok(Math.abs(shrunk.energyHartree - full.energyHartree) < 1e-9, `${shrunk.energyHartree} vs ${full.energyHartree}`);
  // Without symmetry the estimate covers the whole space and grows.
  assert.ok(estimateFciMemoryBytes(h2o, { symmetry: false }) > estimate);
});

test('thread budget 1: FCI σ runs without workers and gives the same energy', () => {
  // C2 without symmetry blocking: one sector of 44,100 determinants, above the threading threshold.
  const ham = hamiltonian(['C', 'C'], [
    [0, 0, 0],
    [0, 0, 1.2425],
  ]);
  try {
    setThreadBudget(1);
    const one = runFci(ham, { symmetry: false });
    assert.equal(one.threads, 1);
    setThreadBudget(2);
    const two = runFci(ham, { symmetry: false });
    assert.equal(two.threads, 2);
    assert.ok(Math.abs(one.energyHartree - two.energyHartree) <= 1e-10, `${one.energyHartree} vs ${two.energyHartree}`);
  } finally {
    setThreadBudget(undefined);
  }
});
