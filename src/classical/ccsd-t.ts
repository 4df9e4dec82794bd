/**
 * Closed-shell perturbative triples correction (T) on converged RHF-CCSD amplitudes.
 *
 * For every occupied triple i ≥ j ≥ k (correlated orbitals) the connected triples
 *   W_ijk^abc = P [ Σ_d (ia|bd) t_kj^cd − Σ_l (ia|lj) t_lk^bc ]
 * are built as a dense v×v×v block [a,b,c], where P sums the six simultaneous permutations of the
 * pairs (ia), (jb), (kc); the disconnected part is X_ijk^abc = (jb|kc) t_ia + (ia|kc) t_jb + (ia|jb) t_kc.
 * The spin-adapted energy is
 *   E(T) = (1/3) Σ_ijk Σ_abc W_abc · r(W + X)_abc / D_ijk^abc,   D = ε_i + ε_j + ε_k − ε_a − ε_b − ε_c,
 *   r(Y)_abc = 4Y_abc + Y_bca + Y_cab − 2Y_cba − 2Y_acb − 2Y_bac,
 * where the inner sum is symmetric in ijk, so only i ≥ j ≥ k is visited, weighted by the number of
 * distinct orderings (6, 3 or 1). Canonical orbitals are required. Cost o³v⁴/6 with two GEMMs per
 * permutation; storage O(v³) per triple plus transposed copies of t2 and (ia|lj).
 */
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import type { ScfResult } from '../scf/index.js';
import { requireCanonical, type ClosedShellBlocks } from './cc-integrals.js';
import { solveCcsd, type CcsdOptions, type CcsdResult } from './ccsd.js';
import { gemm } from './cc-tensor.js';
import { requireNonzeroDenominators, sameOrbitalsExcitations } from './denominators.js';

/** Result of a CCSD(T) calculation. Energies in Hartree. */
export interface CcsdTResult extends CcsdResult {
  method: 'ccsd(t)';
  /** CCSD total energy (without the triples correction). */
  ccsdEnergyHartree: number;
  /** CCSD correlation energy. */
  ccsdCorrelationEnergyHartree: number;
  /** The (T) correction. */
  tripleCorrectionHartree: number;
}

/**
 * The (T) energy from converged amplitudes t1[i,a], t2[i,j,a,b], the integral blocks and canonical
 * orbital energies of the correlated occupied and virtual orbitals.
 */
export function triplesCorrection(
  t1: Float64Array,
  t2: Float64Array,
  blocks: ClosedShellBlocks,
  occupiedEnergies: Float64Array,
  virtualEnergies: Float64Array,
): number {
  const o = occupiedEnergies.length;
  const v = virtualEnergies.length;
  if (o === 0 || v === 0) return 0;
  const v2 = v * v;
  const v3 = v2 * v;
  const { ovvv, ovoo, ovov } = blocks;
  // t2T[r, l, y, z] = t2[l, r, y, z]: the occupied index l becomes the GEMM row.
  const t2T = new Float64Array(o * o * v2);
  for (let l = 0; l < o; l++)
    for (let r = 0; r < o; r++) t2T.set(t2.subarray((l * o + r) * v2, (l * o + r + 1) * v2), (r * o + l) * v2);
  // ooT[p, q, x, l] = (px|lq)
  const ooT = new Float64Array(o * o * v * o);
  for (let p = 0; p < o; p++)
    for (let x = 0; x < v; x++)
      for (let l = 0; l < o; l++)
        for (let q = 0; q < o; q++) ooT[((p * o + q) * v + x) * o + l] = ovoo[((p * v + x) * o + l) * o + q];

  const w = new Float64Array(v3);
  const part = new Float64Array(v3);
  const y = new Float64Array(v3);
  const eVir = virtualEnergies;
  let total = 0;
  // Orders (i,j,k), (i,k,j), (j,i,k), (j,k,i), (k,i,j), (k,j,i): W strides of the x, y, z axes.
  const strides = [v2, v, 1, v2, 1, v, v, v2, 1, v, 1, v2, 1, v2, v, 1, v, v2];

  // part[x,y,z] = Σ_d (px|yd) t_rq^zd − Σ_l (px|lq) t_lr^yz, then W += part with the pair order restored.
  const addPermutation = (p: number, q: number, r: number, order: number): void => {
    // t_rq^zd = t_qr^dz, so the slice t2[q, r] is already the [d, z] matrix.
    gemm(false, false, v2, v, v, 1, ovvv.subarray(p * v3, (p + 1) * v3), t2.subarray((q * o + r) * v2, (q * o + r + 1) * v2), 0, part);
    gemm(false, false, v, v2, o, -1, ooT.subarray((p * o + q) * v * o, (p * o + q + 1) * v * o), t2T.subarray(r * o * v2, (r + 1) * o * v2), 1, part);
    // Strides of W along the part's axes x, y, z: which of (a, b, c) each axis is.
    const sx = strides[3 * order];
    const sy = strides[3 * order + 1];
    const sz = strides[3 * order + 2];
    let idx = 0;
    for (let x = 0; x < v; x++)
      for (let yy = 0; yy < v; yy++) {
        const base = x * sx + yy * sy;
        for (let z = 0; z < v; z++, idx++) w[base + z * sz] += part[idx];
      }
  };

  for (let i = 0; i < o; i++)
    for (let j = 0; j <= i; j++)
      for (let k = 0; k <= j; k++) {
        w.fill(0);
        addPermutation(i, j, k, 0);
        addPermutation(i, k, j, 1);
        addPermutation(j, i, k, 2);
        addPermutation(j, k, i, 3);
        addPermutation(k, i, j, 4);
        addPermutation(k, j, i, 5);
        // Y = W + X
        for (let a = 0; a < v; a++) {
          const tia = t1[i * v + a];
          for (let b = 0; b < v; b++) {
            const tjb = t1[j * v + b];
            const iajb = ovov[((i * v + a) * o + j) * v + b];
            for (let c = 0; c < v; c++) {
              const abc = (a * v + b) * v + c;
              const x =
                ovov[((j * v + b) * o + k) * v + c] * tia + ovov[((i * v + a) * o + k) * v + c] * tjb + iajb * t1[k * v + c];
              y[abc] = w[abc] + x;
            }
          }
        }
        const eijk = occupiedEnergies[i] + occupiedEnergies[j] + occupiedEnergies[k];
        let sum = 0;
        for (let a = 0; a < v; a++)
          for (let b = 0; b < v; b++) {
            const eijkab = eijk - eVir[a] - eVir[b];
            for (let c = 0; c < v; c++) {
              const abc = (a * v + b) * v + c;
              const r =
                4 * y[abc] +
                y[(b * v + c) * v + a] +
                y[(c * v + a) * v + b] -
                2 * y[(c * v + b) * v + a] -
                2 * y[(a * v + c) * v + b] -
                2 * y[(b * v + a) * v + c];
              sum += (w[abc] * r) / (eijkab - eVir[c]);
            }
          }
        const multiplicity = i === j && j === k ? 1 : i === j || j === k ? 3 : 6;
        total += multiplicity * sum;
      }
  return total / 3;
}

/**
 * Closed-shell CCSD(T) energy on a Hamiltonian in the canonical RHF MO basis (occupied = the lowest
 * nAlpha orbitals) or on an RHF result (only the blocks CC needs are transformed). Frozen core: a
 * frozen-core Hamiltonian or `frozenOrbitals`.
 * @throws InputError for an open-shell Hamiltonian or non-canonical orbitals.
 * @throws ConvergenceError when CCSD diverges or does not converge.
 */
export function runCcsdT(input: MolecularHamiltonian | ScfResult, options: CcsdOptions = {}): CcsdTResult {
  // Fail before the integral transformation and the CCSD iterations when (T) cannot apply.
  const { result, reference, blocks } = solveCcsd(input, options, 'CCSD(T)', (ref) =>
    requireCanonical(ref, options.canonicalTolerance ?? 1e-6, 'CCSD(T)'),
  );
  requireNonzeroDenominators('CCSD(T)', sameOrbitalsExcitations(reference.occupiedEnergies, reference.virtualEnergies, reference.nFrozen, reference.nOccupied, 3));
  const et = triplesCorrection(
    result.amplitudes.t1,
    result.amplitudes.t2,
    blocks,
    reference.occupiedEnergies,
    reference.virtualEnergies,
  );
  return {
    ...result,
    method: 'ccsd(t)',
    energyHartree: result.energyHartree + et,
    correlationEnergyHartree: result.correlationEnergyHartree + et,
    ccsdEnergyHartree: result.energyHartree,
    ccsdCorrelationEnergyHartree: result.correlationEnergyHartree,
    tripleCorrectionHartree: et,
  };
}
