import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { InputError } from '../core/errors.js';
import { runRhf } from '../scf/index.js';
import { molecularHamiltonianFromScf } from '../hamiltonian/index.js';
import { runCcsdT, tripleStallLimitMs, triplesCorrection, type TriplesReport } from './ccsd-t.js';
import { solveCcsd } from './ccsd.js';
import { type Psi4CcEntry, loadCcFixtures, loadPsi4Reference, moleculeOfEntry } from '../../test/psi4-reference.js';

type Entry = Psi4CcEntry;
const reference = loadPsi4Reference<Entry>();
const fixtures = loadCcFixtures<Entry>();

const entries = reference.entries.filter((e) => e.method === 'ccsd(t)');

test(`RHF-CCSD(T) matches Psi4 to 1e-7 Hartree for all ${entries.length} ccsd(t) reference entries (and its CCSD part)`, () => {
  assert.ok(entries.length >= 10);
  for (const entry of entries) {
    const molecule = moleculeOfEntry(entry);
    const ham = molecularHamiltonianFromScf(runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(entry.basis))));
    const r = runCcsdT(ham);
    const error = r.energyHartree - entry.total_energy_hartree;
    assert.ok(Math.abs(error) <= 1e-7, `${entry.id}: qde ${r.energyHartree} vs Psi4 ${entry.total_energy_hartree} (${error})`);
    assert.ok(Math.abs(r.ccsdEnergyHartree - entry.ccsd_energy_hartree!) <= 1e-7, `${entry.id} CCSD part`);
    assert.ok(r.tripleCorrectionHartree < 0, entry.id);
    assert.equal(r.method, 'ccsd(t)');
  }
});

test('frozen-core CCSD(T) of H2O/cc-pVDZ matches Psi4 (MP2, CCSD, (T), total)', () => {
  const fx = fixtures.entries.find((e) => e.id === 'h2o_cc-pvdz_fc_ccsd(t)')!;
  const molecule = moleculeOfEntry(fx);
  const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(fx.basis)));
  const r = runCcsdT(molecularHamiltonianFromScf(scf, { frozenCore: true }));
  assert.ok(Math.abs(r.energyHartree - fx.total_energy_hartree) <= 1e-7, `${r.energyHartree} vs ${fx.total_energy_hartree}`);
  assert.ok(Math.abs(r.ccsdEnergyHartree - fx.ccsd_total_energy_hartree!) <= 1e-7);
  assert.ok(Math.abs(r.tripleCorrectionHartree - fx.ccsd_t_correction_hartree!) <= 1e-8);
  assert.ok(Math.abs(r.referenceEnergyHartree + r.mp2CorrelationEnergyHartree - fx.mp2_total_energy_hartree!) <= 1e-8);
});

test('CCSD(T) refuses non-canonical orbitals before iterating', () => {
  const entry = entries.find((e) => e.id === 'lih_sto-3g_r1.5949_ccsd(t)')!;
  const molecule = moleculeOfEntry(entry);
  const ham = molecularHamiltonianFromScf(runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(entry.basis))));
  // Shift one virtual–virtual one-body element: the Fock matrix is no longer diagonal.
  const oneBody = ham.oneBody.slice();
  const n = ham.nOrbitals;
  oneBody[3 * n + 4] += 0.01;
  oneBody[4 * n + 3] += 0.01;
  let iterations = 0;
  assert.throws(
    () => runCcsdT({ ...ham, oneBody }, { onIteration: () => iterations++ }),
    (e: unknown) => e instanceof InputError && /canonical/.test(e.message),
  );
  assert.equal(iterations, 0);
});

test('(T) spread over worker threads gives the same energy, to the last bit, as on one thread (and Psi4 within 1e-7)', async () => {
  const entry = entries.find((e) => e.id === 'h2o_6-31g_scale1_ccsd(t)')!;
  const molecule = moleculeOfEntry(entry);
  const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(entry.basis)));
  const { result, reference: ref, blocks } = solveCcsd(scf, {}, 'CCSD(T)');
  const { t1, t2 } = result.amplitudes;
  const serial = triplesCorrection(t1, t2, blocks, ref.occupiedEnergies, ref.virtualEnergies, 1);
  const report: TriplesReport = { triples: 0, triplesByWorkers: 0 };
  const parallel = (threads: number): number => {
    const e = triplesCorrection(t1, t2, blocks, ref.occupiedEnergies, ref.virtualEnergies, threads, 0, report);
    assert.equal(e, serial, `${threads} threads, ${report.triplesByWorkers} of ${report.triples} triples on workers`);
    return e;
  };
  // Jobs back to back until every worker has warmed up, then (on a slow machine) polled for up to a
  // minute: until then the calling thread takes triples too, and workers check in at any point of a
  // job, some only after the calling thread has run out of triples and waits for the others.
  const untilWarm = async (threads: number): Promise<number> => {
    let e = parallel(threads);
    for (let job = 0; job < 500 && report.triplesByWorkers < report.triples; job++) e = parallel(threads);
    for (let attempt = 0; attempt < 300 && report.triplesByWorkers < report.triples; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      e = parallel(threads);
    }
    // Once warmed up, the workers take every triple.
    assert.equal(report.triples, 35);
    assert.equal(report.triplesByWorkers, 35, `${threads} threads`);
    return e;
  };
  // The first parallel call starts the workers.
  const total = result.energyHartree + (await untilWarm(3));
  assert.ok(serial < 0);
  assert.ok(Math.abs(total - entry.total_energy_hartree) <= 1e-7, `${total} vs Psi4 ${entry.total_energy_hartree}`);
  // Each larger pool adds one cold worker, which checks in late while the others take the triples.
  for (let threads = 4; threads <= 8; threads++) await untilWarm(threads);
});

test('the (T) wait for a stopped worker: at least two minutes, longer for triples of more work', () => {
  assert.equal(tripleStallLimitMs(5, 20), 120_000);
  // 10 × 12 v³ (o + v) operations at 0.2 GFLOP/s for o = 30, v = 400: 8.3 h
  assert.equal(tripleStallLimitMs(30, 400), (10 * 12 * 400 ** 3 * 430) / 2e5);
});
