import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createMolecule, type Molecule } from '../chem/molecule.js';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { InputError } from '../core/errors.js';
import { runRhf } from '../scf/index.js';
import { molecularHamiltonianFromScf, type MolecularHamiltonian } from '../hamiltonian/index.js';
import { runMp2 } from './mp2.js';
import { loadPsi4Reference } from '../../test/psi4-reference.js';

interface Geometry {
  geometry_angstrom?: [string, number, number, number][];
  geometry?: [string, number, number, number][];
  charge: number;
  multiplicity: number;
  basis: string;
}
interface ReferenceEntry extends Geometry {
  id: string;
  method: string;
  total_energy_hartree: number;
}
const reference = loadPsi4Reference<ReferenceEntry>();
const fixtures = JSON.parse(readFileSync(new URL('../../test/fixtures/classical/psi4-cc-fixtures.json', import.meta.url), 'utf8')) as {
  entries: (Geometry & Record<string, number | string | boolean>)[];
};

function moleculeOf(e: Geometry): Molecule {
  const atoms = e.geometry_angstrom ?? e.geometry!;
  return createMolecule({
    symbols: atoms.map((a) => a[0]),
    positionsAngstrom: atoms.map((a) => [a[1], a[2], a[3]]),
    charge: e.charge,
    multiplicity: e.multiplicity,
  });
}

/** Rotate orbitals p and q of a Hamiltonian by angle θ (a unitary change of basis). */
function rotateOrbitals(ham: MolecularHamiltonian, p: number, q: number, theta: number): MolecularHamiltonian {
  const n = ham.nOrbitals;
  const u = new Float64Array(n * n);
  for (let k = 0; k < n; k++) u[k * n + k] = 1;
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  u[p * n + p] = c;
  u[p * n + q] = -s;
  u[q * n + p] = s;
  u[q * n + q] = c;
  // new index a: Σ_k u[k, a] old k, applied to each of the four positions in turn.
  let g = ham.twoBody.slice();
  const stride = [n * n * n, n * n, n, 1];
  for (let axis = 0; axis < 4; axis++) {
    const out = new Float64Array(g.length);
    for (let x = 0; x < g.length; x++) {
      const idx = Math.floor(x / stride[axis]) % n;
      const rest = x - idx * stride[axis];
      let sum = 0;
      for (let k = 0; k < n; k++) sum += u[k * n + idx] * g[rest + k * stride[axis]];
      out[x] = sum;
    }
    g = out;
  }
  const h = new Float64Array(n * n);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      let sum = 0;
      for (let k = 0; k < n; k++) for (let l = 0; l < n; l++) sum += u[k * n + a] * ham.oneBody[k * n + l] * u[l * n + b];
      h[a * n + b] = sum;
    }
  return { ...ham, oneBody: h, twoBody: g };
}

const mp2Entries = reference.entries.filter((e) => e.method === 'mp2');

test(`RHF-MP2 matches Psi4 to 1e-8 Hartree for all ${mp2Entries.length} mp2 reference entries (Hamiltonian and SCF paths)`, () => {
  assert.ok(mp2Entries.length >= 20);
  for (const entry of mp2Entries) {
    const molecule = moleculeOf(entry);
    const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(entry.basis)));
    const fromHamiltonian = runMp2(molecularHamiltonianFromScf(scf));
    const fromScf = runMp2(scf);
    for (const r of [fromHamiltonian, fromScf]) {
      const error = r.energyHartree - entry.total_energy_hartree;
      assert.ok(Math.abs(error) <= 1e-8, `${entry.id}: qde ${r.energyHartree} vs Psi4 ${entry.total_energy_hartree} (${error})`);
      assert.ok(Math.abs(r.sameSpinCorrelationHartree + r.oppositeSpinCorrelationHartree - r.correlationEnergyHartree) < 1e-14);
      assert.equal(r.nFrozen, 0);
    }
    assert.ok(Math.abs(fromHamiltonian.referenceEnergyHartree - scf.energyHartree) < 1e-9, entry.id);
  }
});

test('frozen-core RHF-MP2 of H2O/cc-pVDZ matches Psi4 (total, same-spin, opposite-spin) on three routes', () => {
  const fx = fixtures.entries.find((e) => e.id === 'h2o_cc-pvdz_fc_mp2')!;
  const molecule = moleculeOf(fx);
  const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(fx.basis)));
  const routes = [
    runMp2(molecularHamiltonianFromScf(scf, { frozenCore: true })),
    runMp2(scf, { frozenCore: true }),
    runMp2(molecularHamiltonianFromScf(scf), { frozenOrbitals: 1 }),
  ];
  for (const r of routes) {
    assert.ok(Math.abs(r.energyHartree - (fx.total_energy_hartree as number)) <= 1e-8, `${r.energyHartree} vs ${fx.total_energy_hartree}`);
    assert.ok(Math.abs(r.sameSpinCorrelationHartree - (fx.mp2_same_spin_hartree as number)) <= 1e-8);
    assert.ok(Math.abs(r.oppositeSpinCorrelationHartree - (fx.mp2_opposite_spin_hartree as number)) <= 1e-8);
    assert.ok(Math.abs(r.referenceEnergyHartree - (fx.scf_energy_hartree as number)) <= 1e-8);
  }
  assert.equal(routes[1].nFrozen, 1);
});

test('MP2 rejects non-canonical orbitals, open-shell Hamiltonians and impossible frozen cores with InputError', () => {
  const entry = mp2Entries.find((e) => e.id === 'lih_sto-3g_r1.5949_mp2')!;
  const molecule = moleculeOf(entry);
  const ham = molecularHamiltonianFromScf(runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(entry.basis))));
  // Mixing the two occupied orbitals keeps the determinant but makes the Fock matrix non-diagonal.
  const rotated = rotateOrbitals(ham, 0, 1, 0.3);
  assert.throws(() => runMp2(rotated), (e: unknown) => e instanceof InputError && /canonical/.test(e.message));
  assert.throws(() => runMp2({ ...ham, nAlpha: ham.nAlpha + 1 }), (e: unknown) => e instanceof InputError && /closed-shell/.test(e.message));
  assert.throws(() => runMp2(ham, { frozenOrbitals: 3 }), InputError);
  assert.throws(() => runMp2(ham, { frozenCore: true }), (e: unknown) => e instanceof InputError && /SCF result/.test(e.message));
});
