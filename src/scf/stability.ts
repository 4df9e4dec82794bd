/**
 * Internal (real UHF → real UHF) stability analysis of a converged UHF solution and rotation along
 * the most negative orbital-Hessian direction.
 *
 * Layout: a rotation vector holds, per spin σ, an nOcc_σ × nVir_σ block x_ia (row-major), α block
 * first. The stability matrix for real rotations is (A + B):
 *
 *   (A+B)x_σ = (ε_a − ε_i) x_ia + [C_occ,σᵀ (J[P_α + P_β] − K[P_σ]) C_vir,σ]_ia,
 *   P_σ = C_occ,σ x_σ C_vir,σᵀ + (C_occ,σ x_σ C_vir,σᵀ)ᵀ,
 *
 * evaluated with one AO Coulomb/exchange build per product (no MO integrals). The lowest
 * eigenvalue comes from a Davidson iteration with the (ε_a − ε_i) diagonal as preconditioner; a
 * negative value means a lower UHF solution exists along that direction.
 */
import { matMul, matMulTN, matMulNT, symmetricEigen } from '../core/index.js';
import { coulombExchangeOf } from './engine.js';
import type { ScfSystem, ScfEngineResult } from './engine.js';

/** Lowest eigenvalue of the UHF stability matrix and its eigenvector. */
export interface UhfStability {
  lowestEigenvalue: number;
  /** Normalised eigenvector: α block (nAlpha × (m − nAlpha)) then β block. */
  vector: Float64Array;
}

/** Lowest eigenpair of the real UHF stability matrix (A + B) of a converged solution. */
export function uhfStability(system: ScfSystem, scf: ScfEngineResult, nAlpha: number, nBeta: number): UhfStability {
  const n = system.nBasis;
  const m = scf.nOrbitals;
  const spins = [
    { c: scf.coefficientsAlpha, eps: scf.orbitalEnergiesAlpha, nOcc: nAlpha },
    { c: scf.coefficientsBeta, eps: scf.orbitalEnergiesBeta, nOcc: nBeta },
  ].map((s) => {
    const nVir = m - s.nOcc;
    const cOcc = new Float64Array(n * s.nOcc);
    const cVir = new Float64Array(n * nVir);
    for (let mu = 0; mu < n; mu++) {
      for (let i = 0; i < s.nOcc; i++) cOcc[mu * s.nOcc + i] = s.c[mu * m + i];
      for (let a = 0; a < nVir; a++) cVir[mu * nVir + a] = s.c[mu * m + s.nOcc + a];
    }
    const diag = new Float64Array(s.nOcc * nVir);
    for (let i = 0; i < s.nOcc; i++) for (let a = 0; a < nVir; a++) diag[i * nVir + a] = s.eps[s.nOcc + a] - s.eps[i];
    return { ...s, nVir, cOcc, cVir, diag };
  });
  const sizeA = spins[0].nOcc * spins[0].nVir;
  const dim = sizeA + spins[1].nOcc * spins[1].nVir;
  const diagonal = new Float64Array(dim);
  diagonal.set(spins[0].diag, 0);
  diagonal.set(spins[1].diag, sizeA);
  if (dim === 0) return { lowestEigenvalue: Number.POSITIVE_INFINITY, vector: diagonal };

  const nn = n * n;
  const pA = new Float64Array(nn);
  const pB = new Float64Array(nn);
  const pSum = new Float64Array(nn);
  const j = new Float64Array(nn);
  const kA = new Float64Array(nn);
  const kB = new Float64Array(nn);
  const multiply = (x: Float64Array): Float64Array => {
    const out = new Float64Array(dim);
    const ps = [pA, pB];
    for (let s = 0; s < 2; s++) {
      const sp = spins[s];
      const offset = s === 0 ? 0 : sizeA;
      const block = x.subarray(offset, offset + sp.nOcc * sp.nVir);
      // T = C_occ x C_virᵀ; P = T + Tᵀ.
      const t = matMulNT(matMul(sp.cOcc, block, n, sp.nOcc, sp.nVir), sp.cVir, n, sp.nVir, n);
      const p = ps[s];
      for (let mu = 0; mu < n; mu++) for (let nu = 0; nu < n; nu++) p[mu * n + nu] = t[mu * n + nu] + t[nu * n + mu];
    }
    for (let i = 0; i < nn; i++) pSum[i] = pA[i] + pB[i];
    coulombExchangeOf(system)(pSum, pA, j, kA, pB, kB);
    const ks = [kA, kB];
    for (let s = 0; s < 2; s++) {
      const sp = spins[s];
      const offset = s === 0 ? 0 : sizeA;
      const g = new Float64Array(nn);
      const k = ks[s];
      for (let i = 0; i < nn; i++) g[i] = j[i] - k[i];
      const gv = matMulTN(sp.cOcc, matMul(g, sp.cVir, n, n, sp.nVir), n, sp.nOcc, sp.nVir);
      for (let q = 0; q < gv.length; q++) out[offset + q] = gv[q] + sp.diag[q] * x[offset + q];
    }
    return out;
  };
  return lowestEigenpair(multiply, diagonal, dim);
}

/**
 * Davidson iteration for the lowest eigenpair of a symmetric operator with the given diagonal.
 * Converged when the residual norm is below 1e-6 (or the subspace spans the whole space).
 */
function lowestEigenpair(multiply: (x: Float64Array) => Float64Array, diagonal: Float64Array, dim: number): UhfStability {
  const basis: Float64Array[] = [];
  const products: Float64Array[] = [];
  const addVector = (v: Float64Array): boolean => {
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        let d = 0;
        for (let i = 0; i < dim; i++) d += b[i] * v[i];
        for (let i = 0; i < dim; i++) v[i] -= d * b[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (norm < 1e-8) return false;
    for (let i = 0; i < dim; i++) v[i] /= norm;
    basis.push(v);
    products.push(multiply(v));
    return true;
  };
  // Start from unit vectors on the smallest diagonal elements.
  const order = Array.from({ length: dim }, (_, i) => i).sort((a, b) => diagonal[a] - diagonal[b]);
  for (let k = 0; k < Math.min(4, dim); k++) {
    const v = new Float64Array(dim);
    v[order[k]] = 1;
    addVector(v);
  }
  let value = Number.NaN;
  let vector = new Float64Array(dim);
  for (let iteration = 0; iteration < 60; iteration++) {
    const size = basis.length;
    const small = new Float64Array(size * size);
    for (let a = 0; a < size; a++) {
      for (let b = 0; b <= a; b++) {
        let d = 0;
        for (let i = 0; i < dim; i++) d += basis[a][i] * products[b][i];
        small[a * size + b] = d;
        small[b * size + a] = d;
      }
    }
    const eig = symmetricEigen(small, size);
    value = eig.values[0];
    vector = new Float64Array(dim);
    const residual = new Float64Array(dim);
    for (let a = 0; a < size; a++) {
      const coef = eig.vectors[a * size];
      for (let i = 0; i < dim; i++) {
        vector[i] += coef * basis[a][i];
        residual[i] += coef * products[a][i];
      }
    }
    let rNorm = 0;
    for (let i = 0; i < dim; i++) {
      residual[i] -= value * vector[i];
      rNorm += residual[i] * residual[i];
    }
    if (Math.sqrt(rNorm) < 1e-6 || size >= dim) break;
    // Diagonal preconditioner.
    for (let i = 0; i < dim; i++) {
      const denom = diagonal[i] - value;
      residual[i] /= Math.abs(denom) > 1e-4 ? denom : 1e-4;
    }
    if (basis.length >= 40) {
      // Restart from the current best vector.
      basis.length = 0;
      products.length = 0;
      addVector(vector.slice());
    }
    if (!addVector(residual)) break;
  }
  return { lowestEigenvalue: value, vector };
}

/**
 * Orbitals rotated by exp(κ) with κ_ai = θ x_ia (occupied i, virtual a) and κ_ia = −θ x_ia;
 * returns new coefficient matrices (nBasis × m) for α and β.
 */
export function rotateOrbitals(
  scf: ScfEngineResult,
  nBasis: number,
  nAlpha: number,
  nBeta: number,
  direction: Float64Array,
  theta: number,
): [Float64Array, Float64Array] {
  const m = scf.nOrbitals;
  const out: Float64Array[] = [];
  let offset = 0;
  for (const [c, nOcc] of [[scf.coefficientsAlpha, nAlpha], [scf.coefficientsBeta, nBeta]] as const) {
    const nVir = m - nOcc;
    const kappa = new Float64Array(m * m);
    for (let i = 0; i < nOcc; i++) {
      for (let a = 0; a < nVir; a++) {
        const v = theta * direction[offset + i * nVir + a];
        kappa[(nOcc + a) * m + i] = v;
        kappa[i * m + nOcc + a] = -v;
      }
    }
    offset += nOcc * nVir;
    out.push(matMul(c, expAntisymmetric(kappa, m), nBasis, m, m));
  }
  return [out[0], out[1]];
}

/** exp(κ) of an antisymmetric m×m matrix by scaling, Taylor series and squaring (orthogonal result). */
function expAntisymmetric(kappa: Float64Array, m: number): Float64Array {
  let norm = 0;
  for (let i = 0; i < m; i++) {
    let row = 0;
    for (let j = 0; j < m; j++) row += Math.abs(kappa[i * m + j]);
    norm = Math.max(norm, row);
  }
  const squarings = norm > 0.25 ? Math.ceil(Math.log2(norm / 0.25)) : 0;
  const scale = 2 ** -squarings;
  const a = kappa.map((v) => v * scale);
  let result: Float64Array = new Float64Array(m * m);
  let term: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    result[i * m + i] = 1;
    term[i * m + i] = 1;
  }
  for (let k = 1; k <= 14; k++) {
    term = matMul(term, a, m, m, m);
    for (let i = 0; i < m * m; i++) term[i] /= k;
    for (let i = 0; i < m * m; i++) result[i] += term[i];
  }
  for (let s = 0; s < squarings; s++) result = matMul(result, result, m, m, m);
  return result;
}

/** D = C_occ C_occᵀ for the first nOcc columns of C (n × m). */
export function occupiedDensity(c: Float64Array, n: number, m: number, nOcc: number): Float64Array {
  const d = new Float64Array(n * n);
  for (let mu = 0; mu < n; mu++) {
    for (let nu = 0; nu <= mu; nu++) {
      let s = 0;
      for (let i = 0; i < nOcc; i++) s += c[mu * m + i] * c[nu * m + i];
      d[mu * n + nu] = s;
      d[nu * n + mu] = s;
    }
  }
  return d;
}

/** UHF energy of per-spin densities (see ./engine.ts for the formula). */
export function uhfEnergy(system: ScfSystem, da: Float64Array, db: Float64Array): number {
  const n = system.nBasis;
  const nn = n * n;
  const total = new Float64Array(nn);
  for (let i = 0; i < nn; i++) total[i] = da[i] + db[i];
  const j = new Float64Array(nn);
  const ka = new Float64Array(nn);
  const kb = new Float64Array(nn);
  coulombExchangeOf(system)(total, da, j, ka, db, kb);
  const h = system.coreHamiltonian;
  let e = 0;
  for (let i = 0; i < nn; i++) e += total[i] * h[i] + 0.5 * (total[i] * j[i] - da[i] * ka[i] - db[i] * kb[i]);
  return e + system.nuclearRepulsionHartree;
}
