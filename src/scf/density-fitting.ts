/**
 * Density-fitted (resolution-of-the-identity) Coulomb and exchange matrices, RI-JK.
 *
 * With the auxiliary (JKFIT) functions P, Q, the Coulomb metric V_PQ = (P|Q) = L Lᵀ (Cholesky) and
 * the three-centre integrals (Q|mn), the fitted factor is
 *
 *   B^P_mn = Σ_Q (L⁻¹)_PQ (Q|mn),      so that (mn|ls) ≈ Σ_P B^P_mn B^P_ls.
 *
 * Then for a symmetric density D (n×n):
 *   J[D]_mn = Σ_P B^P_mn γ_P,  γ_P = Σ_ls B^P_ls D_ls;
 *   K[D]_mn = Σ_P Σ_ls B^P_ml D_ls B^P_sn = Σ_P Σ_k λ_k (B^P u_k)_m (B^P u_k)_n
 * with D = Σ_k λ_k u_k u_kᵀ its eigen-decomposition (for an SCF density: the occupied orbitals with
 * λ = 1, so this is K = Σ_P (B^P C_occ)(B^P C_occ)ᵀ). Eigenvalues below 1e-12·max |λ| are dropped.
 *
 * Layout: B is stored [P][mn] with mn the packed lower triangle m ≥ n (index m(m+1)/2 + n), naux
 * rows of n(n+1)/2. The exchange build runs over blocks of auxiliary functions: a block of B rows is
 * unpacked to full matrices [(P, m)][n], multiplied by the weighted vectors U (n × r) into
 * X[(P, m)][k], reordered to [m][(P, k)] and accumulated as K += X Xᵀ — two GEMMs through the
 * project's blocked GEMM (../core/gemm.ts). The block size follows the memory limit.
 *
 * Error: the fitting error of RHF total energies with the JKFIT sets is ~1e-5–1e-4 Hartree per
 * molecule for small molecules, growing roughly with the number of atoms (see density-fitting.test.ts
 * for the measured differences against exact integrals and the Psi4 references).
 */
import {
  InputError,
  ResourceError,
  defaultMemoryLimitBytes,
  formatBytes,
  gemmBlocked,
  symmetricEigen,
} from '../core/index.js';
import type { MolecularBasis } from '../basis/index.js';
import { coulombMetric, prepareThreeCentre, threeCentreIntegrals } from '../integrals/index.js';

/** The fitted three-index factor B of the file header. */
export interface DensityFittingFactor {
  readonly nBasis: number;
  readonly nAux: number;
  /** Name of the auxiliary basis (for provenance). */
  readonly auxiliaryBasisName: string;
  /** [P][mn], naux × n(n+1)/2 (see the file header). */
  readonly b: Float64Array;
}

/** Options of {@link buildDensityFittingFactor}. */
export interface DensityFittingOptions {
  /** Memory limit in bytes for the factor and its work arrays (default: 80 % of the machine). */
  maxMemoryBytes?: number;
  /** Schwarz threshold of the three-centre integrals (default 1e-12). */
  screeningThreshold?: number;
}

/** Bytes needed by the fitted factor of `nBasis` orbital and `nAux` auxiliary functions. */
export function densityFittingBytes(nBasis: number, nAux: number): number {
  const nPair = (nBasis * (nBasis + 1)) / 2;
  return 8 * (nAux * nPair + 2 * nAux * nAux);
}

/**
 * Compute B = L⁻¹ (Q|mn) for an orbital and an auxiliary basis on the same molecule.
 * @throws ResourceError when the factor does not fit the memory limit.
 * @throws InputError when the Coulomb metric is not positive definite (a broken auxiliary basis).
 */
export function buildDensityFittingFactor(
  orbital: MolecularBasis,
  aux: MolecularBasis,
  options: DensityFittingOptions = {},
): DensityFittingFactor {
  const n = orbital.nFunctions;
  const nAux = aux.nFunctions;
  const nPair = (n * (n + 1)) / 2;
  const limit = options.maxMemoryBytes ?? defaultMemoryLimitBytes();
  const need = densityFittingBytes(n, nAux);
  if (need > limit) {
    throw new ResourceError(
      `density fitting with ${aux.name} (${nAux} auxiliary functions, ${n} basis functions) needs about ` +
        `${formatBytes(need)} of memory, more than the limit of ${formatBytes(limit)}; raise the limit with --max-memory`,
      { estimateBytes: need, limitBytes: limit },
    );
  }
  // Metric and its inverse Cholesky factor.
  const linv = inverseCholesky(coulombMetric(aux), nAux, aux.name);
  // Three-centre integrals, all auxiliary functions.
  const data = prepareThreeCentre(orbital, aux, options.screeningThreshold ?? 1e-12);
  const a = new Float64Array(nAux * nPair);
  threeCentreIntegrals(data, 0, aux.nShells, a);
  transformInPlace(linv, a, nAux, nPair);
  return { nBasis: n, nAux, auxiliaryBasisName: aux.name, b: a };
}

/**
 * a ← L⁻¹ a for a [nAux][nPair] and L⁻¹ lower triangular: over blocks of columns (gathered into a
 * contiguous [nAux][width] buffer, so each GEMM copies data in proportion to its work), and within a
 * block over bands of rows, whose products need only the first `end` rows of the block (triangle).
 */
function transformInPlace(linv: Float64Array, a: Float64Array, nAux: number, nPair: number): void {
  const nBands = Math.min(4, nAux);
  const bandEnds: number[] = [];
  for (let b = 1; b <= nBands; b++) bandEnds.push(Math.round(nAux * Math.sqrt(b / nBands)));
  const bands: { start: number; end: number; l: Float64Array }[] = [];
  let start = 0;
  for (const end of bandEnds) {
    if (end <= start) continue;
    const l = new Float64Array((end - start) * end);
    for (let r = start; r < end; r++) for (let q = 0; q < end; q++) l[(r - start) * end + q] = linv[r * nAux + q];
    bands.push({ start, end, l });
    start = end;
  }
  const width = Math.max(1, Math.min(nPair, 1024));
  const block = new Float64Array(nAux * width);
  const out = new Float64Array(nAux * width);
  for (let c0 = 0; c0 < nPair; c0 += width) {
    const w = Math.min(width, nPair - c0);
    for (let q = 0; q < nAux; q++) block.set(a.subarray(q * nPair + c0, q * nPair + c0 + w), q * w);
    out.fill(0, 0, nAux * w);
    for (const band of bands) {
      gemmBlocked(false, false, band.end - band.start, w, band.end, 1, band.l, block, out.subarray(band.start * w, band.end * w));
    }
    for (let q = 0; q < nAux; q++) a.set(out.subarray(q * w, q * w + w), q * nPair + c0);
  }
}

/**
 * L⁻¹ for V = L Lᵀ (V symmetric positive definite, nAux × nAux), lower triangular, row-major.
 * @throws InputError when V is not numerically positive definite.
 */
function inverseCholesky(v: Float64Array, n: number, name: string): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = v[rowJ + j];
    for (let k = 0; k < j; k++) d -= l[rowJ + k] * l[rowJ + k];
    if (!(d > 1e-14 * Math.abs(v[rowJ + j]))) {
      throw new InputError(`the Coulomb metric of auxiliary basis ${name} is not positive definite (function ${j}); the fitting basis is linearly dependent on this molecule`);
    }
    const ljj = Math.sqrt(d);
    l[rowJ + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = v[rowI + j];
      for (let k = 0; k < j; k++) s -= l[rowI + k] * l[rowJ + k];
      l[rowI + j] = s * inv;
    }
  }
  // Forward substitution column by column: L X = I.
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    const inv = 1 / l[rowI + i];
    for (let c = 0; c <= i; c++) {
      let s = c === i ? 1 : 0;
      for (let k = c; k < i; k++) s -= l[rowI + k] * x[k * n + c];
      x[rowI + c] = s * inv;
    }
  }
  return x;
}

/** J[D] into j (overwritten). */
function fittedCoulomb(f: DensityFittingFactor, d: Float64Array, j: Float64Array, gamma: Float64Array, packed: Float64Array): void {
  const n = f.nBasis;
  const nPair = (n * (n + 1)) / 2;
  for (let m = 0, mn = 0; m < n; m++) {
    for (let k = 0; k < m; k++, mn++) packed[mn] = 2 * d[m * n + k];
    packed[mn++] = d[m * n + m];
  }
  const b = f.b;
  for (let p = 0; p < f.nAux; p++) {
    const row = p * nPair;
    let s = 0;
    for (let mn = 0; mn < nPair; mn++) s += b[row + mn] * packed[mn];
    gamma[p] = s;
  }
  packed.fill(0, 0, nPair);
  for (let p = 0; p < f.nAux; p++) {
    const row = p * nPair;
    const g = gamma[p];
    if (g === 0) continue;
    for (let mn = 0; mn < nPair; mn++) packed[mn] += g * b[row + mn];
  }
  for (let m = 0, mn = 0; m < n; m++) {
    for (let k = 0; k <= m; k++, mn++) {
      j[m * n + k] = packed[mn];
      j[k * n + m] = packed[mn];
    }
  }
}

/** Work arrays of the exchange build, sized once. */
interface ExchangeWork {
  rows: number;
  full: Float64Array;
  x: Float64Array;
  xt: Float64Array;
  /** One row band of X Xᵀ (at most n × n). */
  band: Float64Array;
}

/** K[D] into k (overwritten); see the file header. */
function fittedExchange(f: DensityFittingFactor, d: Float64Array, k: Float64Array, work: ExchangeWork): void {
  const n = f.nBasis;
  const nPair = (n * (n + 1)) / 2;
  k.fill(0);
  const { values, vectors } = symmetricEigen(d, n);
  let maxAbs = 0;
  for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i]));
  if (maxAbs === 0) return;
  for (const sign of [1, -1]) {
    const keep: number[] = [];
    for (let i = 0; i < n; i++) if (sign * values[i] > 1e-12 * maxAbs) keep.push(i);
    const r = keep.length;
    if (r === 0) continue;
    // U (n × r): eigenvectors scaled by sqrt(|λ|).
    const u = new Float64Array(n * r);
    for (let c = 0; c < r; c++) {
      const w = Math.sqrt(Math.abs(values[keep[c]]));
      for (let m = 0; m < n; m++) u[m * r + c] = w * vectors[m * n + keep[c]];
    }
    const rowsPerBlock = Math.max(1, Math.min(work.rows, Math.floor(work.x.length / (n * r))));
    for (let p0 = 0; p0 < f.nAux; p0 += rowsPerBlock) {
      const nb = Math.min(rowsPerBlock, f.nAux - p0);
      const full = work.full;
      for (let q = 0; q < nb; q++) {
        const src = (p0 + q) * nPair;
        const base = q * n * n;
        for (let m = 0, mn = src; m < n; m++) {
          for (let l = 0; l <= m; l++, mn++) {
            const v = f.b[mn];
            full[base + m * n + l] = v;
            full[base + l * n + m] = v;
          }
        }
      }
      const x = work.x;
      x.fill(0, 0, nb * n * r);
      gemmBlocked(false, false, nb * n, r, n, 1, full, u, x);
      // [(P, m)][c] → [m][(P, c)]
      const xt = work.xt;
      const width = nb * r;
      for (let q = 0; q < nb; q++) {
        for (let m = 0; m < n; m++) {
          const src = (q * n + m) * r;
          const dst = m * width + q * r;
          for (let c = 0; c < r; c++) xt[dst + c] = x[src + c];
        }
      }
      // K += sign · X Xᵀ, lower triangle only: row band [r0, r1) needs columns < r1 (then mirrored).
      for (let band = 0; band < K_BANDS; band++) {
        const r0 = Math.floor((band * n) / K_BANDS), r1 = Math.floor(((band + 1) * n) / K_BANDS);
        if (r1 <= r0) continue;
        const rows = r1 - r0;
        const tmp = work.band;
        tmp.fill(0, 0, rows * r1);
        gemmBlocked(false, true, rows, r1, width, sign, xt.subarray(r0 * width, r1 * width), xt, tmp);
        for (let m = 0; m < rows; m++) {
          const dst = (r0 + m) * n;
          const src = m * r1;
          for (let l = 0; l <= r0 + m; l++) k[dst + l] += tmp[src + l];
        }
      }
    }
  }
  for (let m = 0; m < n; m++) for (let l = 0; l < m; l++) k[l * n + m] = k[m * n + l];
}

/** Row bands of the exchange product X Xᵀ (only the lower triangle is computed: 62.5 % of it for 4). */
const K_BANDS = 4;

/**
 * A Coulomb/exchange builder over a fitted factor with the signature of the exact one
 * (../scf/jk.ts buildCoulombExchange): J[dJ] into j, K[dK] into k and, when given, K[dK2] into k2.
 * `maxMemoryBytes` bounds the exchange work arrays (default 256 MB).
 */
export function densityFittedCoulombExchange(
  factor: DensityFittingFactor,
  maxMemoryBytes = 256e6,
): (dJ: Float64Array, dK: Float64Array, j: Float64Array, k: Float64Array, dK2?: Float64Array, k2?: Float64Array) => void {
  const n = factor.nBasis;
  const nPair = (n * (n + 1)) / 2;
  if (factor.b.length !== factor.nAux * nPair) throw new InputError('density-fitting factor has the wrong size');
  // Per auxiliary function: n² (full) + 2·n·n (x and xt for up to r = n vectors).
  const rows = Math.max(1, Math.min(factor.nAux, 128, Math.floor(maxMemoryBytes / (8 * 3 * n * n))));
  const work: ExchangeWork = {
    rows,
    full: new Float64Array(rows * n * n),
    x: new Float64Array(rows * n * n),
    xt: new Float64Array(rows * n * n),
    band: new Float64Array(n * n),
  };
  const gamma = new Float64Array(factor.nAux);
  const packed = new Float64Array(nPair);
  return (dJ, dK, j, k, dK2, k2) => {
    fittedCoulomb(factor, dJ, j, gamma, packed);
    fittedExchange(factor, dK, k, work);
    if (dK2 && k2) fittedExchange(factor, dK2, k2, work);
  };
}
