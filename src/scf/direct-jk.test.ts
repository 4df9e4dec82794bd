/**
 * Direct SCF (scfType 'direct', and the automatic switch when the stored integrals exceed the memory
 * limit) against conventional SCF over stored integrals and Psi4's exact energies.
 *
 * Psi4 references: Psi4 1.3.2, examples/h2o.xyz (Ångström, symmetry c1, no_reorient, no_com),
 * `scf_type pk`, `guess sad`, `e_convergence`/`d_convergence` 1e-10: RHF/cc-pVDZ −76.02677090168407;
 * H2O+ doublet UHF/cc-pVDZ −75.63187470344441, ROHF −75.62735846965472.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readXyzFile } from '../chem/xyz.js';
import type { Molecule } from '../chem/molecule.js';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { ResourceError } from '../core/errors.js';
import { runRhf, runUhf } from './scf.js';
import { runRohf } from './rohf.js';
import { buildCoulombExchange } from './jk.js';
import { directCoulombExchange } from './direct-jk.js';
import { electronRepulsionIntegrals } from '../integrals/eri.js';

function example(name: string): Molecule {
  return readXyzFile(fileURLToPath(new URL(`../../examples/${name}.xyz`, import.meta.url)));
}

test('direct RHF equals conventional RHF to 1e-9 Hartree (H2O/cc-pVDZ, N2/6-31G* with cartesian d)', () => {
  for (const [name, basisName] of [['h2o', 'cc-pvdz'], ['n2', '6-31g*']] as const) {
    const molecule = example(name);
    const basis = buildMolecularBasis(molecule, loadBasisLibrary(basisName));
    const direct = runRhf(molecule, basis, { scfType: 'direct' });
    const pk = runRhf(molecule, basis, { scfType: 'pk' });
    assert.equal(direct.scfType, 'direct');
    assert.ok(Math.abs(direct.energyHartree - pk.energyHartree) < 1e-9, `${name}: ${direct.energyHartree} vs ${pk.energyHartree}`);
    if (name === 'h2o') assert.ok(Math.abs(direct.energyHartree - -76.02677090168407) < 1e-8);
  }
});

test('direct UHF and ROHF of H2O+ match Psi4 scf_type pk to 1e-8 Hartree', () => {
  const molecule = { ...example('h2o'), charge: 1, multiplicity: 2 };
  const basis = buildMolecularBasis(molecule, loadBasisLibrary('cc-pvdz'));
  const uhf = runUhf(molecule, basis, { scfType: 'direct' });
  assert.ok(Math.abs(uhf.energyHartree - -75.63187470344441) < 1e-8, `UHF ${uhf.energyHartree}`);
  const rohf = runRohf(molecule, basis, { scfType: 'direct' });
  assert.ok(Math.abs(rohf.energyHartree - -75.62735846965472) < 1e-8, `ROHF ${rohf.energyHartree}`);
});

test('SCF runs direct by itself when the stored integrals exceed the memory limit', () => {
  const molecule = example('h2o');
  const basis = buildMolecularBasis(molecule, loadBasisLibrary('cc-pvdz'));
  // 24 functions: 45 150 packed integrals, 361 kB; the limit is 100 kB.
  const result = runRhf(molecule, basis, { maxMemoryBytes: 100e3 });
  assert.equal(result.scfType, 'direct');
  assert.ok(Math.abs(result.energyHartree - -76.02677090168407) < 1e-8, `${result.energyHartree}`);
  // Reading the exact integrals then is refused with the memory message.
  assert.throws(() => result.eri, ResourceError);
  // Asking for stored integrals explicitly is refused too.
  assert.throws(() => runRhf(molecule, basis, { scfType: 'pk', maxMemoryBytes: 100e3 }), ResourceError);
});

test('incremental direct J/K builds equal the exact ones for a sequence of densities', () => {
  const molecule = example('h2o');
  const basis = buildMolecularBasis(molecule, loadBasisLibrary('6-31g*'));
  const n = basis.nFunctions;
  const eri = electronRepulsionIntegrals(basis);
  const direct = directCoulombExchange(basis, { rebuildEvery: 100 });
  let seed = 12345;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  const d = new Float64Array(n * n);
  for (let step = 0; step < 4; step++) {
    // A symmetric density that changes a little each step (as in an SCF).
    for (let p = 0; p < n; p++) {
      for (let q = 0; q <= p; q++) {
        const v = d[p * n + q] + (step === 0 ? 1 : 0.01) * random();
        d[p * n + q] = v;
        d[q * n + p] = v;
      }
    }
    const j = new Float64Array(n * n), k = new Float64Array(n * n);
    const jRef = new Float64Array(n * n), kRef = new Float64Array(n * n);
    direct(d, d, j, k);
    buildCoulombExchange(eri, d, d, jRef, kRef);
    for (let i = 0; i < n * n; i++) {
      assert.ok(Math.abs(j[i] - jRef[i]) < 1e-10, `J step ${step}`);
      assert.ok(Math.abs(k[i] - kRef[i]) < 1e-10, `K step ${step}`);
    }
  }
});
