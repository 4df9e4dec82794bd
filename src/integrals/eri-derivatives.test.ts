/**
 * The density-contracted ERI derivatives against finite differences of the two-electron energy
 * E2(R) = Σ_μνλσ Γ_μνλσ (μν|λσ)(R) with fixed random densities, evaluated by brute force over the
 * packed integrals at displaced geometries (s through f shells, pure and cartesian, restricted and
 * unrestricted Γ).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../core/errors.js';
import type { Molecule } from '../chem/molecule.js';
import { water } from './test-helpers.test-util.js';
import { displaced, fivePoint, randomSymmetric, spdfBasis, withGBasis } from './derivative-test-basis.test-util.js';
import { electronRepulsionIntegrals } from './eri.js';
import { eriIndex } from './eri-layout.js';
import { twoElectronGradient } from './eri-derivatives.js';

/** E2 = Σ over all n⁴ (i j k l) of Γ_ijkl (ij|kl), Γ = ½ D_ij D_kl − ½ Σ_σ D^σ_ik D^σ_jl. */
function twoElectronEnergy(molecule: Molecule, pure: boolean, da: Float64Array, db: Float64Array): number {
  const basis = spdfBasis(molecule, pure, true);
  const n = basis.nFunctions;
  const eri = electronRepulsionIntegrals(basis, { threads: 1, screeningThreshold: 0 }).values;
  let e = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) for (let l = 0; l < n; l++) {
    const dij = da[i * n + j] + db[i * n + j];
    const dkl = da[k * n + l] + db[k * n + l];
    const g = 0.5 * dij * dkl - 0.5 * (da[i * n + k] * da[j * n + l] + db[i * n + k] * db[j * n + l]);
    e += g * eri[eriIndex(i, j, k, l)];
  }
  return e;
}

for (const [pure, restricted] of [[true, true], [false, false]] as const) {
  test(`ERI derivatives contracted with Γ match finite differences (s–f shells, ${pure ? 'pure' : 'cartesian'}, ${restricted ? 'equal' : 'different'} spin densities)`, () => {
    const mol = water();
    const basis = spdfBasis(mol, pure, true);
    const n = basis.nFunctions;
    const da = randomSymmetric(n, 21, 0.5);
    const db = restricted ? da : randomSymmetric(n, 22, 0.5);
    const g = twoElectronGradient(basis, mol, da, db, { screeningThreshold: 0 });
    // One coordinate per atom, each along a different axis.
    for (const k of [1, 5, 6]) {
      const fd = fivePoint((step) => twoElectronEnergy(displaced(mol, k, step), pure, da, db));
      assert.ok(Math.abs(fd - g[k]) < 1e-7, `coordinate ${k}: analytic ${g[k]} vs finite difference ${fd}`);
    }
    for (let x = 0; x < 3; x++) assert.ok(Math.abs(g[x] + g[3 + x] + g[6 + x]) < 1e-9, 'translational invariance');
  });
}

test('ERI derivatives refuse g shells with an InputError', () => {
  const mol = water();
  const basis = withGBasis(mol);
  const d = new Float64Array(basis.nFunctions ** 2);
  assert.throws(() => twoElectronGradient(basis, mol, d, d), (e: unknown) => e instanceof InputError && /not g/.test((e as Error).message));
});
