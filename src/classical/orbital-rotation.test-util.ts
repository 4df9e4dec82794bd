/**
 * Orbital rotation of a MolecularHamiltonian, used only by the tests of this folder to check that
 * energies are invariant under a unitary change of basis. Brute force on purpose: a Givens rotation
 * u (n×n row-major, column a = new orbital a) applied to h and to each of the four indices of
 * (pq|rs) in turn, with no use of the 8-fold symmetry.
 */
import type { MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';

/** Rotate orbitals p and q of a Hamiltonian by angle θ (a unitary change of basis). */
export function rotateOrbitals(ham: MolecularHamiltonian, p: number, q: number, theta: number): MolecularHamiltonian {
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
