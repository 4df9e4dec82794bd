/**
 * Brute-force dense references used only by the tests of this folder (not exported from the stage):
 * Pauli strings as explicit 2^q × 2^q complex matrices built from 2×2 Kronecker factors, and
 * fermionic operators as matrices in the occupation-number basis with the sign counted directly
 * from the definition a†_j |f⟩ = (−1)^{Σ_{k<j} f_k} |f + e_j⟩. Matrices are row-major re/im pairs;
 * basis index i has qubit (or mode) k in bit k. Also the H2 reference integrals used by several tests.
 */
import { symmetricEigen } from '../core/linalg.js';
import type { MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';

/** Complex dense matrix, dim × dim row-major. */
export interface DenseMatrix {
  dim: number;
  re: Float64Array;
  im: Float64Array;
}

const PAULI_2X2: Record<string, { re: number[]; im: number[] }> = {
  I: { re: [1, 0, 0, 1], im: [0, 0, 0, 0] },
  X: { re: [0, 1, 1, 0], im: [0, 0, 0, 0] },
  Y: { re: [0, 0, 0, 0], im: [0, -1, 1, 0] },
  Z: { re: [1, 0, 0, -1], im: [0, 0, 0, 0] },
};

/** Dense matrix of a Pauli word given letter by letter, letters[k] acting on qubit k. */
export function densePauliWord(letters: string[]): DenseMatrix {
  const n = letters.length;
  const dim = 2 ** n;
  const re = new Float64Array(dim * dim);
  const im = new Float64Array(dim * dim);
  for (let row = 0; row < dim; row++) {
    for (let col = 0; col < dim; col++) {
      let ar = 1;
      let ai = 0;
      for (let k = 0; k < n; k++) {
        const m = PAULI_2X2[letters[k]];
        const idx = ((row >> k) & 1) * 2 + ((col >> k) & 1);
        const br = m.re[idx];
        const bi = m.im[idx];
        const nr = ar * br - ai * bi;
        ai = ar * bi + ai * br;
        ar = nr;
        if (ar === 0 && ai === 0) break;
      }
      re[row * dim + col] = ar;
      im[row * dim + col] = ai;
    }
  }
  return { dim, re, im };
}

/** Dense matrix of a Pauli sum given by masks and coefficients (letters decoded independently). */
export function denseFromTerms(
  nQubits: number,
  x: ArrayLike<number>,
  z: ArrayLike<number>,
  coeffRe: ArrayLike<number>,
  coeffIm: ArrayLike<number>,
): DenseMatrix {
  const dim = 2 ** nQubits;
  const out = { dim, re: new Float64Array(dim * dim), im: new Float64Array(dim * dim) };
  for (let t = 0; t < x.length; t++) {
    const letters: string[] = [];
    for (let k = 0; k < nQubits; k++) {
      const xb = (x[t] >> k) & 1;
      const zb = (z[t] >> k) & 1;
      letters.push(xb && zb ? 'Y' : xb ? 'X' : zb ? 'Z' : 'I');
    }
    const m = densePauliWord(letters);
    for (let i = 0; i < dim * dim; i++) {
      out.re[i] += coeffRe[t] * m.re[i] - coeffIm[t] * m.im[i];
      out.im[i] += coeffRe[t] * m.im[i] + coeffIm[t] * m.re[i];
    }
  }
  return out;
}

/** Product of dense complex matrices. */
export function denseMultiply(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  const n = a.dim;
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const ar = a.re[i * n + k];
      const ai = a.im[i * n + k];
      if (ar === 0 && ai === 0) continue;
      for (let j = 0; j < n; j++) {
        re[i * n + j] += ar * b.re[k * n + j] - ai * b.im[k * n + j];
        im[i * n + j] += ar * b.im[k * n + j] + ai * b.re[k * n + j];
      }
    }
  }
  return { dim: n, re, im };
}

/** Largest |a_ij − b_ij|. */
export function denseMaxDifference(a: DenseMatrix, b: DenseMatrix): number {
  let m = 0;
  for (let i = 0; i < a.re.length; i++) m = Math.max(m, Math.hypot(a.re[i] - b.re[i], a.im[i] - b.im[i]));
  return m;
}

/**
 * Dense matrix of a product of ladder operators (encoded 2·mode + creation, applied right to left)
 * on nModes modes in the occupation basis (bit j of the index = occupation of mode j).
 */
export function denseLadderProduct(ops: readonly number[], nModes: number): Float64Array {
  const dim = 2 ** nModes;
  const m = new Float64Array(dim * dim);
  for (let col = 0; col < dim; col++) {
    let f = col;
    let sign = 1;
    let alive = true;
    for (let k = ops.length - 1; k >= 0 && alive; k--) {
      const mode = ops[k] >> 1;
      const creation = ops[k] & 1;
      const occupied = (f >> mode) & 1;
      if (occupied === creation) {
        alive = false;
        break;
      }
      let below = 0;
      for (let q = 0; q < mode; q++) below += (f >> q) & 1;
      if (below % 2) sign = -sign;
      f ^= 1 << mode;
    }
    if (alive) m[f * dim + col] += sign;
  }
  return m;
}

/** Eigenvalues (ascending) of a complex Hermitian matrix via its real 2n × 2n embedding. */
export function hermitianEigenvalues(a: DenseMatrix): Float64Array {
  const n = a.dim;
  const big = new Float64Array(4 * n * n);
  const N = 2 * n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const r = 0.5 * (a.re[i * n + j] + a.re[j * n + i]);
      const c = 0.5 * (a.im[i * n + j] - a.im[j * n + i]);
      big[i * N + j] = r;
      big[(i + n) * N + j + n] = r;
      big[(i + n) * N + j] = c;
      big[i * N + j + n] = -c;
    }
  }
  const values = symmetricEigen(big, N).values;
  // Every eigenvalue appears twice in the embedding.
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = values[2 * k];
  return out;
}

/** Random molecular-like Hamiltonian integrals with the full 8-fold symmetry (seeded). */
export function randomMolecularIntegrals(
  n: number,
  next: () => number,
): { oneBody: Float64Array; twoBody: Float64Array } {
  const oneBody = new Float64Array(n * n);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q <= p; q++) {
      const v = p === q ? -1 - next() : 0.3 * (next() - 0.5);
      oneBody[p * n + q] = v;
      oneBody[q * n + p] = v;
    }
  }
  const twoBody = new Float64Array(n ** 4);
  const idx = (p: number, q: number, r: number, s: number): number => ((p * n + q) * n + r) * n + s;
  for (let p = 0; p < n; p++) {
    for (let q = 0; q <= p; q++) {
      for (let r = 0; r < n; r++) {
        for (let s = 0; s <= r; s++) {
          if (p * (p + 1) / 2 + q < r * (r + 1) / 2 + s) continue;
          const v = p === q && r === s ? 0.5 + 0.3 * next() : 0.1 * (next() - 0.5);
          for (const [a, b, c, d] of [
            [p, q, r, s],
            [q, p, r, s],
            [p, q, s, r],
            [q, p, s, r],
            [r, s, p, q],
            [s, r, p, q],
            [r, s, q, p],
            [s, r, q, p],
          ]) {
            twoBody[idx(a, b, c, d)] = v;
          }
        }
      }
    }
  }
  return { oneBody, twoBody };
}

/**
 * Dense fermionic Hamiltonian matrix in the occupation basis of 2n interleaved spin orbitals:
 * H = c + Σ h_pq a†_pσ a_qσ + ½ Σ (pq|rs) a†_pσ a†_rτ a_sτ a_qσ, built from denseLadderProduct.
 */
export function denseFermionHamiltonian(
  n: number,
  constant: number,
  oneBody: Float64Array,
  twoBody: Float64Array,
): Float64Array {
  const nModes = 2 * n;
  const dim = 2 ** nModes;
  const h = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) h[i * dim + i] += constant;
  const addScaled = (m: Float64Array, c: number): void => {
    for (let i = 0; i < m.length; i++) if (m[i] !== 0) h[i] += c * m[i];
  };
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      for (let s = 0; s < 2; s++) {
        addScaled(denseLadderProduct([2 * (2 * p + s) + 1, 2 * (2 * q + s)], nModes), oneBody[p * n + q]);
      }
    }
  }
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      for (let r = 0; r < n; r++) {
        for (let s = 0; s < n; s++) {
          const g = twoBody[((p * n + q) * n + r) * n + s];
          for (let a = 0; a < 2; a++) {
            for (let b = 0; b < 2; b++) {
              const ops = [2 * (2 * p + a) + 1, 2 * (2 * r + b) + 1, 2 * (2 * s + b), 2 * (2 * q + a)];
              addScaled(denseLadderProduct(ops, nModes), 0.5 * g);
            }
          }
        }
      }
    }
  }
  return h;
}

/**
 * H2 / STO-3G at R = 0.7414 Å: RHF MO integrals from Psi4 1.3.2 (scf_type pk, convergence 1e-12,
 * symmetry c1, no_com, no_reorient; h = Cᵀ(T+V)C from MintsHelper, (pq|rs) from mints.mo_eri).
 * Psi4 energies at this geometry: E(RHF) = −1.1166843870661936, E(FCI) = −1.1372701746571046 Hartree.
 */
export const H2_STO3G_0_7414: MolecularHamiltonian = {
  nOrbitals: 2,
  nAlpha: 1,
  nBeta: 1,
  constantHartree: 0.7137539933504182,
  oneBody: Float64Array.of(-1.2524635733533045, 0, 0, -0.47594871544068174),
  twoBody: Float64Array.of(
    0.6744887662899974, 0, 0, 0.6634680963627116,
    0, 0.1812888082311105, 0.18128880823111054, 0,
    0, 0.18128880823111088, 0.1812888082311109, 0,
    0.6634680963627119, 0, 0, 0.6973937673585554,
  ),
};
/** Psi4 RHF energy of H2 / STO-3G at 0.7414 Å (Hartree). */
export const H2_PSI4_RHF = -1.1166843870661936;
/** Psi4 FCI energy of H2 / STO-3G at 0.7414 Å (Hartree). */
export const H2_PSI4_FCI = -1.1372701746571046;
