/**
 * Three-centre integrals of density fitting against closed forms: for s Gaussians the product
 * χ_m χ_n is one Gaussian of exponent p = a + b at P = (aA + bB)/p with weight exp(−ab/p |AB|²),
 * and (P|mn) = 2π^{5/2}/(c p √(c+p)) N_c N_a N_b exp(−ab/p |AB|²) F0(cp/(c+p) |C − P|²).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGbs } from '../basis/gbs.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { createMolecule } from '../chem/molecule.js';
import { boysF0 } from './boys.js';
import { prepareThreeCentre, shellRowColumns, threeCentreIntegrals, threeCentreShellRow } from './ri-integrals.js';

const BOHR_PER_ANGSTROM = 1 / 0.52917721067;

test('three-centre integrals of s Gaussians equal the closed form, by shell row and in full', () => {
  const orbitalLib = parseGbs('spherical\n****\nH     0\nS   1   1.00\n      1.1000000              1.0000000\nS   1   1.00\n      0.3000000              1.0000000\n****\n', { name: 'orb' });
  const auxLib = parseGbs('spherical\n****\nH     0\nS   1   1.00\n      0.7000000              1.0000000\nS   1   1.00\n      2.5000000              1.0000000\n****\n', { name: 'aux' });
  const positions = [0, 0, 0, 0.2, 0.8, -0.3];
  const molecule = createMolecule({ symbols: ['H', 'H'], positionsAngstrom: positions });
  const orbital = buildMolecularBasis(molecule, orbitalLib);
  const aux = buildMolecularBasis(molecule, auxLib);
  const n = orbital.nFunctions, nAux = aux.nFunctions, nPair = (n * (n + 1)) / 2;
  const expO = [1.1, 0.3, 1.1, 0.3], atomO = [0, 0, 1, 1];
  const expA = [0.7, 2.5, 0.7, 2.5], atomA = [0, 0, 1, 1];
  const centre = (atom: number): number[] => [0, 1, 2].map((k) => positions[3 * atom + k] * BOHR_PER_ANGSTROM);
  const norm = (e: number): number => (2 * e / Math.PI) ** 0.75;
  const expected = (pAux: number, m: number, l: number): number => {
    const a = expO[m], b = expO[l], c = expA[pAux];
    const A = centre(atomO[m]), B = centre(atomO[l]), C = centre(atomA[pAux]);
    const p = a + b;
    const P = [0, 1, 2].map((k) => (a * A[k] + b * B[k]) / p);
    const ab2 = [0, 1, 2].reduce((s, k) => s + (A[k] - B[k]) ** 2, 0);
    const cp2 = [0, 1, 2].reduce((s, k) => s + (C[k] - P[k]) ** 2, 0);
    return ((2 * Math.PI ** 2.5) / (c * p * Math.sqrt(c + p))) * norm(a) * norm(b) * norm(c) * Math.exp((-a * b / p) * ab2) * boysF0(((c * p) / (c + p)) * cp2);
  };
  const data = prepareThreeCentre(orbital, aux, 0);
  const full = new Float64Array(nAux * nPair);
  threeCentreIntegrals(data, 0, aux.nShells, full);
  for (let pAux = 0; pAux < nAux; pAux++) {
    for (let m = 0; m < n; m++) {
      for (let l = 0; l <= m; l++) {
        const e = expected(pAux, m, l);
        const v = full[pAux * nPair + (m * (m + 1)) / 2 + l];
        assert.ok(Math.abs(v - e) < 1e-12 * Math.max(1, Math.abs(e)), `(${pAux}|${m}${l}) ${v} vs ${e}`);
      }
    }
  }
  // Shell rows: contiguous packed columns m(m+1)/2 + l for m in the shell, l ≤ m.
  for (let A = 0; A < orbital.nShells; A++) {
    const { start, width } = shellRowColumns(orbital, A);
    const out = new Float64Array(nAux * width).fill(Number.NaN);
    threeCentreShellRow(data, A, out);
    const m = orbital.shellFirstFunction[A];
    assert.equal(start, (m * (m + 1)) / 2);
    assert.equal(width, m + 1);
    for (let pAux = 0; pAux < nAux; pAux++) {
      for (let l = 0; l <= m; l++) {
        const e = expected(pAux, m, l);
        assert.ok(Math.abs(out[pAux * width + l] - e) < 1e-12 * Math.max(1, Math.abs(e)), `row ${A}: (${pAux}|${m}${l})`);
      }
    }
  }
});
