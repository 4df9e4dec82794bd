import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQde } from './cli.test-util.js';

// Psi4 1.3.2 reference energies (Hartree) on the geometries in examples/ with basis sto-3g
// (units angstrom, no_com, no_reorient, symmetry c1, scf_type pk, e/d_convergence 1e-10,
// mp2_type conv; freeze_core true where marked fc):
const PSI4 = {
  h2oMp2: -74.99857526897551, // psi4.energy('mp2'), rhf
  h2oCationUmp2: -74.68357348760328, // psi4.energy('mp2'), reference uhf, charge 1, multiplicity 2
  h2oCcsdTFc: -75.01245846440172, // psi4.energy('ccsd(t)'), fc
  lihCcsdFc: -7.882175990788024, // psi4.energy('ccsd'), fc
  lihFci: -7.882403410324336, // psi4.energy('fci')
  // psi4.energy('fci') with num_roots 4, ms0 true (Ms = 0 states symmetric under spin flip: even S)
  lihFciRoots: [-7.882403410324331, -7.749212160612684, -7.696947110813705],
  h2Fci: -1.1372701746571046, // psi4.energy('fci')
  h2oCationFci: -74.69499096261082, // psi4.energy('fci'), reference rohf, charge 1, multiplicity 2
};

async function energyJson(args: string[]): Promise<Record<string, unknown>> {
  const r = await runQde(['energy', ...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

function near(actual: unknown, expected: number, tolerance: number, what: string): void {
  assert.equal(typeof actual, 'number', `${what} missing`);
  assert.ok(Math.abs((actual as number) - expected) < tolerance, `${what}: ${String(actual)} vs ${expected}`);
}

test('energy --method mp2 (RHF) and UMP2 for an open shell match Psi4', async () => {
  const j = await energyJson(['examples/h2o.xyz', '--method', 'mp2']);
  near(j.energyHartree, PSI4.h2oMp2, 1e-8, 'MP2 energy');
  near((j.energyHartree as number) - (j.correlationEnergyHartree as number), -74.96302728968574, 1e-8, 'MP2 reference');
  const u = await energyJson(['examples/h2o.xyz', '--method', 'mp2', '--charge', '1', '--multiplicity', '2']);
  near(u.energyHartree, PSI4.h2oCationUmp2, 1e-8, 'UMP2 energy');
  assert.equal(u.method, 'mp2');
  assert.equal(u.reference, 'uhf');
  assert.equal(typeof u.s2, 'number');
});

test('energy --method ccsd / ccsd(t) with --frozen-core match Psi4', async () => {
  const ccsd = await energyJson(['examples/lih.xyz', '--method', 'ccsd', '--frozen-core']);
  near(ccsd.energyHartree, PSI4.lihCcsdFc, 1e-7, 'CCSD energy');
  assert.equal(ccsd.frozenOrbitals, 1);
  const t = await energyJson(['examples/h2o.xyz', '--method', 'ccsd(t)', '--frozen-core']);
  near(t.energyHartree, PSI4.h2oCcsdTFc, 1e-7, 'CCSD(T) energy');
  assert.equal(typeof t.correlationEnergyHartree, 'number');
});

test('energy --method fci: ground state and --roots', async () => {
  const j = await energyJson(['examples/lih.xyz', '--method', 'fci', '--roots', '3']);
  near(j.energyHartree, PSI4.lihFci, 1e-8, 'FCI energy');
  assert.equal(j.determinants, 225); // C(6,2)² determinants of LiH/STO-3G
  const roots = j.roots as { root: number; energyHartree: number; s2: number }[];
  assert.equal(roots.length, 3);
  roots.forEach((r, k) => near(r.energyHartree, PSI4.lihFciRoots[k]!, 1e-7, `root ${k}`));
  near(roots[0]!.s2, 0, 1e-6, 'ground-state <S^2>');
});

test('energy --method vqe on H2: reaches the Psi4 FCI energy, reports the quantum fields', async () => {
  const j = await energyJson(['examples/h2.xyz', '--method', 'vqe']);
  near(j.energyHartree, PSI4.h2Fci, 1e-6, 'VQE energy');
  near(j.referenceFciHartree, PSI4.h2Fci, 1e-8, 'reference FCI');
  assert.equal(j.qubits, 4);
  assert.equal(typeof j.parameters, 'number');
  assert.equal(typeof j.iterations, 'number');
  assert.equal(j.standardErrorHartree, 0);
  const c = j.circuit as Record<string, number>;
  for (const k of ['depth', 'oneQubitGates', 'twoQubitGates']) assert.equal(typeof c[k], 'number', k);
  const tapered = await energyJson(['examples/h2.xyz', '--method', 'vqe', '--mapping', 'parity', '--taper']);
  near(tapered.energyHartree, PSI4.h2Fci, 1e-6, 'tapered VQE energy');
  assert.ok((tapered.qubits as number) < 4);
});

test('energy --method fci for an open shell uses UHF orbitals (full-space FCI is orbital-invariant)', async () => {
  const j = await energyJson(['examples/h2o.xyz', '--method', 'fci', '--charge', '1', '--multiplicity', '2']);
  near(j.energyHartree, PSI4.h2oCationFci, 1e-8, 'open-shell FCI energy');
  near(j.s2, 0.75, 1e-6, 'doublet <S^2>');
  assert.equal(j.orbitals, 'uhf-alpha');
});

test('energy --method adapt-vqe and qpe on H2 reach the Psi4 FCI energy', async () => {
  const adapt = await energyJson(['examples/h2.xyz', '--method', 'adapt-vqe']);
  near(adapt.energyHartree, PSI4.h2Fci, 1e-6, 'ADAPT-VQE energy');
  assert.equal(adapt.qubits, 4);
  const qpe = await energyJson(['examples/h2.xyz', '--method', 'qpe', '--bits', '10']);
  assert.equal(qpe.phaseBits, 10);
  assert.equal(qpe.qubits, 5); // 4 system qubits + 1 ancilla
  const resolution = qpe.resolutionHartree as number;
  assert.ok(resolution > 0 && resolution < 0.01);
  near(qpe.energyHartree, PSI4.h2Fci, resolution, 'QPE energy within its stated resolution');
});

test('energy --active restricts the correlated space', async () => {
  // FCI in a (2,2) active space of LiH lies between RHF and full FCI
  const j = await energyJson(['examples/lih.xyz', '--method', 'fci', '--active', '2,2']);
  assert.equal(j.activeElectrons, 2);
  assert.equal(j.activeOrbitals, 2);
  assert.equal(j.determinants, 4);
  assert.ok((j.energyHartree as number) < (j.scfEnergyHartree as number));
  assert.ok((j.energyHartree as number) > PSI4.lihFci);
  const vqe = await energyJson(['examples/lih.xyz', '--method', 'vqe', '--active', '2,2']);
  near(vqe.energyHartree, j.energyHartree as number, 1e-6, 'VQE in the active space');
  near(vqe.referenceFciHartree, j.energyHartree as number, 1e-9, 'reference FCI of the same active space');
});
