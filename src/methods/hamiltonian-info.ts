/**
 * Small facts about a MolecularHamiltonian the method layer reports: the size of its FCI space and
 * the energy of its lowest determinant. Integrals in chemists' notation, (pq|rs) at ((p·n+q)·n+r)·n+s.
 */
import { binomial } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';

/** Number of determinants of a Hamiltonian's FCI space, C(n, Nα)·C(n, Nβ). */
export function determinantCount(ham: MolecularHamiltonian): number {
  return binomial(ham.nOrbitals, ham.nAlpha) * binomial(ham.nOrbitals, ham.nBeta);
}

/**
 * Energy of the reference determinant (lowest nAlpha α and nBeta β orbitals occupied):
 * E = c + Σ_i^α h_ii + Σ_i^β h_ii + ½ Σ_ij^{all} (ii|jj) − ½ Σ_ij^{same spin} (ij|ji).
 */
export function referenceDeterminantEnergy(ham: MolecularHamiltonian): number {
  const n = ham.nOrbitals;
  const h = ham.oneBody;
  const g = ham.twoBody;
  const coulomb = (i: number, j: number) => g[((i * n + i) * n + j) * n + j]!;
  const exchange = (i: number, j: number) => g[((i * n + j) * n + j) * n + i]!;
  let e = ham.constantHartree;
  for (let i = 0; i < ham.nAlpha; i++) e += h[i * n + i]!;
  for (let i = 0; i < ham.nBeta; i++) e += h[i * n + i]!;
  const spins: [number, number][] = [
    [ham.nAlpha, ham.nAlpha],
    [ham.nBeta, ham.nBeta],
    [ham.nAlpha, ham.nBeta],
    [ham.nBeta, ham.nAlpha],
  ];
  spins.forEach(([na, nb], k) => {
    for (let i = 0; i < na; i++) {
      for (let j = 0; j < nb; j++) {
        e += 0.5 * coulomb(i, j);
        if (k < 2) e -= 0.5 * exchange(i, j);
      }
    }
  });
  return e;
}
