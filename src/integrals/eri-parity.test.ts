/**
 * The reflection-parity paths (./eri-parity.ts, the parity-specialised generated kernels) against
 * the reference path (every shell on its own, dense McMurchie–Davidson kernel, no parity
 * selection, no screening — validated against Psi4 in ./psi4-compare.test.ts) for molecules whose
 * shell pairs have equal degrees but differently ordered parities: cc-pVDZ on S and Cl groups three
 * s shells (shared exponents) into one group of three functions, the size of H's p shell, so
 * (S sss × H p) and (S p × S sss) differ only in the order of their function parities. And the
 * parity-restricted R_{tuv} builds against the full recursion.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import type { Molecule } from '../chem/molecule.js';
import { electronRepulsionIntegrals } from './eri.js';
import { setParitySelection } from './eri-kernel.js';
import { HERM_T, HERM_U, HERM_V, hermiteCoulomb, hermiteCoulombParity, nHermite } from './hermite.js';

function maxDifference(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('grouped cc-pVDZ integrals of H2S (planar) and HCl (linear), hydrogen first, equal the reference path', () => {
  const cases: [string, number[], number[]][] = [
    ['H2S', [1, 16, 1], [1.8, 0, 1.4, 0, 0, 0, -1.8, 0, 1.4]],
    ['HCl', [1, 17], [0, 0, 0, 0, 0, 2.4]],
  ];
  for (const [label, atoms, positions] of cases) {
    const molecule: Molecule = { atomicNumbers: Int32Array.from(atoms), positionsBohr: Float64Array.from(positions), charge: 0, multiplicity: 1 };
    const basis = buildMolecularBasis(molecule, loadBasisLibrary('cc-pvdz'));
    const before = setParitySelection(false);
    let reference: Float64Array;
    try {
      reference = electronRepulsionIntegrals(basis, { groupSharedExponents: false, screeningThreshold: 0, threads: 1 }).values;
    } finally {
      setParitySelection(before);
    }
    let scale = 0;
    for (const v of reference) scale = Math.max(scale, Math.abs(v));
    const grouped = electronRepulsionIntegrals(basis, { screeningThreshold: 0, threads: 1 }).values;
    const d = maxDifference(grouped, reference);
    assert.ok(d < 1e-12 * scale, `${label}: max |grouped − reference| ${d} (scale ${scale})`);
  }
});

test('parity-restricted and one-centre R_tuv equal the full recursion on the surviving indices', () => {
  const l = 8;
  const n = nHermite(l);
  const boys = new Float64Array(l + 1);
  const full = new Float64Array(n);
  const part = new Float64Array(n);
  const alpha = 0.83;
  const scale = 1.7;
  const pq = [0.4, -0.3, 0.25];
  for (let mask = 1; mask < 8; mask++) {
    const [x, y, z] = pq.map((c, i) => ((mask >> i) & 1 ? 0 : c));
    hermiteCoulomb(l, alpha, x, y, z, scale, boys, full);
    part.fill(Number.NaN);
    hermiteCoulombParity(l, mask, alpha, x, y, z, scale, boys, part);
    for (let h = 0; h < n; h++) {
      const odd = (HERM_T[h] & 1) | ((HERM_U[h] & 1) << 1) | ((HERM_V[h] & 1) << 2);
      if ((odd & mask) !== 0) {
        assert.ok(full[h] === 0, `mask ${mask}: R at h = ${h} vanishes`);
        continue;
      }
      assert.ok(Math.abs(part[h] - full[h]) <= 1e-13 * Math.abs(full[h]), `mask ${mask}, h = ${h}: ${part[h]} vs ${full[h]}`);
    }
  }
});
