import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMolecule } from '../../chem/index.js';
import { runMethod } from '../../methods/index.js';
import { defaultSymmetryFunctions, trainModel } from '../../ml/index.js';
import { loadPsi4Reference } from '../../../test/psi4-reference.js';
import {
  INTERACTION_CLUSTER_KINDS,
  clusterMolecule,
  clusterSystems,
  dimerSystems,
  interactionEnergies,
  minimumContactBohr,
  modelInteractionEnergy,
  pairsOf,
  runInteractionsExperiment,
} from './interactions.js';

/** Psi4 1.3.2 full CI of H2/STO-3G at 0.74 Å (test/fixtures/reference/psi4-public.json). */
function psi4H2Fci(): number {
  return loadPsi4Reference<{ id: string; total_energy_hartree: number }>().entries.find((e) => e.id === 'h2_sto-3g_r0.74_fci')!.total_energy_hartree;
}

test('two H2 30 Å apart: FCI cluster energy is twice Psi4 H2 FCI, interaction energy 0; a model gives 0 too', async () => {
  const h2 = (z: number) => createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [[0, 0, z], [0, 0.74, z]] });
  const system = { kind: 'dimer-h2-h2' as const, monomers: [h2(0), h2(30)], cluster: clusterMolecule([h2(0), h2(30)]) };
  const e = await interactionEnergies(system, ['mp2', 'ccsd', 'fci']);
  const ref = psi4H2Fci();
  assert.ok(Math.abs(e.fci!.clusterHartree - 2 * ref) < 1e-6, `${e.fci!.clusterHartree} vs 2 × ${ref}`);
  for (const m of e.fci!.monomersHartree) assert.ok(Math.abs(m - ref) < 1e-6);
  for (const method of ['mp2', 'ccsd', 'fci'] as const) assert.ok(Math.abs(e[method]!.interactionHartree) < 1e-8, `${method}: ${e[method]!.interactionHartree}`);
  // a sum of atomic terms with a finite cutoff: nothing beyond it interacts
  const dimers = dimerSystems(3, 0, 4);
  const examples = dimers.flatMap((d) => [d.cluster, ...d.monomers]).map((m, k) => ({ atomicNumbers: m.atomicNumbers, positionsBohr: m.positionsBohr, energyHartree: 1e-3 * Math.sin(k), standardErrorHartree: 0 }));
  const model = trainModel(examples, { kind: 'gp', descriptor: defaultSymmetryFunctions([1], 8) });
  assert.ok(Math.abs(modelInteractionEnergy(model, system)) < 1e-12);
  assert.ok(Math.abs(modelInteractionEnergy(model, dimers[0])) > 1e-7);
});

test('geometries: seeded, contacts at least 1.5 Å, monomers are the cluster atoms in order', () => {
  const a = clusterSystems(2, 5);
  const b = clusterSystems(2, 5);
  assert.equal(a.length, 2 * INTERACTION_CLUSTER_KINDS.length);
  a.forEach((s, k) => {
    assert.deepEqual(Array.from(s.cluster.positionsBohr), Array.from(b[k].cluster.positionsBohr));
    assert.equal(s.monomers.length, s.kind.startsWith('trimer') ? 3 : 4);
    assert.ok(minimumContactBohr(s.monomers) >= 1.5 / 0.52917721067 - 1e-9);
    assert.deepEqual(Array.from(s.cluster.positionsBohr), s.monomers.flatMap((m) => Array.from(m.positionsBohr)));
  });
  assert.deepEqual(a.map((s) => pairsOf(s).length), a.map((s) => (s.monomers.length === 3 ? 3 : 6)));
  const d = dimerSystems(4, 4, 1);
  assert.deepEqual(d.map((s) => s.kind), [...Array(4).fill('dimer-h2-h2'), ...Array(4).fill('dimer-h2-lih')]);
  assert.deepEqual(Array.from(d[7].monomers[1].atomicNumbers), [3, 1]);
});

test('reduced experiment: rows per kind and size, finite errors; FCI interaction energies equal runMethod bookkeeping; H2 monomers have CCSD = FCI', async () => {
  const report = await runInteractionsExperiment({ h2h2Dimers: 5, h2lihDimers: 5, clustersPerArrangement: 1, seed: 3 });
  assert.equal(report.experiment, 'interactions');
  assert.deepEqual(report.trainingDimers, { h2h2: 4, h2lih: 4 });
  assert.equal(report.trainingLabels, 3 * 8 - 3 * report.droppedTrainingDimers);
  assert.deepEqual(
    report.rows.map((r) => r.kind),
    ['dimer-h2-h2', 'dimer-h2-lih', ...INTERACTION_CLUSTER_KINDS, 'held-out dimers', 'trimers', 'tetramers'],
  );
  assert.deepEqual(report.rows.slice(-3).map((r) => r.count), [2, 3, 3]);
  for (const r of report.rows) {
    for (const source of [r.model, r.modelPairwise, r.fciPairwise, r.mp2, r.ccsd]) {
      assert.ok(Number.isFinite(source.maeHartree) && Number.isFinite(source.maxHartree), `${r.kind}`);
      assert.ok(source.maxHartree >= source.maeHartree && source.maeHartree >= 0);
    }
    assert.ok(r.meanAbsFciHartree > 0 && r.meanAbsFciHartree < 0.05);
  }
  // a dimer is its own only pair
  for (const s of report.systems.filter((x) => x.kind.startsWith('dimer'))) {
    assert.equal(s.modelPairwiseHartree, s.modelHartree);
    assert.equal(s.fciPairwiseHartree, s.fciHartree);
  }
  // the clusters, regenerated, with the supermolecular sum computed here through runMethod
  const clusters = clusterSystems(1, 3);
  const systems = report.systems.filter((s) => !s.kind.startsWith('dimer'));
  assert.equal(systems.length, clusters.length);
  for (const k of [0, clusters.length - 1]) {
    const energy = async (m: Parameters<typeof runMethod>[0], method: 'fci' | 'ccsd') => (await runMethod(m, { method, basis: 'sto-3g' })).energyHartree;
    let eInt = await energy(clusters[k].cluster, 'fci');
    for (const m of clusters[k].monomers) {
      const fci = await energy(m, 'fci');
      assert.ok(Math.abs((await energy(m, 'ccsd')) - fci) < 1e-8, 'two electrons: CCSD is exact');
      eInt -= fci;
    }
    assert.ok(Math.abs(eInt - systems[k].fciHartree) < 1e-8, `${clusters[k].kind}: ${eInt} vs ${systems[k].fciHartree}`);
  }
});
