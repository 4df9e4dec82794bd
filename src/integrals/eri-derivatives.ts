/**
 * First derivatives of the electron-repulsion integrals with respect to nuclear coordinates,
 * contracted at once with a two-particle density (for a single determinant nothing of size n⁴ is
 * stored, let alone n⁴·3N):
 *
 *   out[3A+x] = Σ_μνλσ Γ_μνλσ ∂(μν|λσ)/∂A_x,
 *   Γ_μνλσ = ½ D_μν D_λσ − ¼ Σ_σ' (D^σ'_μλ D^σ'_νσ + D^σ'_μσ D^σ'_νλ),   D = D^α + D^β,
 *
 * so that Σ Γ (μν|λσ) is the Hartree–Fock two-electron energy (RHF: D^α = D^β = D/2), or, for a
 * correlated wavefunction, with its own two-particle density in the AO basis (n⁴, stored: the
 * wavefunctions that have one are small). The sum runs over unique shell quartets (AB|CD), A ≥ B,
 * C ≥ D, AB ≥ CD, each weighted by its number of permutational partners; a determinant's Γ of a
 * quartet is built from the densities on the fly.
 *
 * Kernel (McMurchie–Davidson, as ./eri-kernel.ts): for a primitive pair P of the bra and Q of the ket
 *   (ab|cd) = Σ_h Ebra_P[ab][h] Σ_k R_{h+k}(α_PQ, P−Q) · 2π^{5/2}/(pq√(p+q)) · (−1)^{|k|} Eket_Q[k][cd].
 * A derivative with respect to the bra centre A only changes the bra coefficients:
 *   ∂_A E[ab][h] = 2α E^{(a+1)b}_h − a E^{(a−1)b}_h (degree up to l_a + l_b + 1),
 * and translating the whole bra (∂_A + ∂_B) raises the Hermite index: Σ_h E[ab][h] R_{h+1_x+k}.
 * One pass over a quartet with (X|Y) as bra|ket therefore gives ∂_A and ∂_B (= total − ∂_A), and
 * translational invariance gives ∂_C + ∂_D = −(∂_A + ∂_B). When C and D sit on different atoms, a
 * second pass with the pairs swapped gives ∂_C, and ∂_D follows again by invariance; when A and B
 * share an atom only that swapped pass is needed, and quartets on one atom are skipped (their
 * derivatives sum to zero on that atom). Per pass and primitive bra pair:
 *   M[ab][h] = Σ_Q Σ_k R_{h+k} Σ_cd G[ab][cd] Eket_Q[k][cd]   (h up to degree l_X + 1),
 *   ∂_A: Σ_ab Σ_h ∂_A E[ab][h] M[ab][h],
 *   total:    Σ_ab Σ_h E[ab][h] M[ab][h + 1_x].
 * Quartets are skipped when Q_X Q_Y max|Γ| is below the threshold (Q_X the Schwarz bound of
 * ./eri-range.ts; first with a bound on |Γ| from the largest density elements, then with the
 * quartet's own Γ). This bounds the quartet's energy contribution, not its derivative, which can
 * be larger by the square root of a tight exponent; at the default 1e-13 the gradient changed by
 * 3e-12 Hartree/Bohr for a 53-function molecule.
 *
 * Supports s through f shells (R up to degree 4·3 + 1 = 13); g shells are refused.
 */
import type { Molecule } from '../chem/index.js';
import type { MolecularBasis } from '../basis/index.js';
import { cartesianCount, cartesianExponents, shellTransform } from '../basis/index.js';
import { InputError } from '../core/index.js';
import { HERM_SIGN, HERM_T, HERM_U, HERM_V, hermiteCoulomb, hermiteE1d, hermiteIndex, nHermite } from './hermite.js';
import { createEriScratch } from './eri-kernel.js';
import { schwarzBounds } from './eri-range.js';
import { buildShellPairs } from './shell-pairs.js';
import { raiseTables } from './one-electron-derivatives.js';

/** Highest shell angular momentum of the derivative integrals (f). */
export const MAX_DERIVATIVE_L = 3;

/**
 * @throws InputError when the basis has shells above f (derivative integrals need Hermite degrees
 *   beyond the tables of ./hermite.ts).
 */
export function assertDerivativeAngularMomentum(basis: MolecularBasis): void {
  if (basis.maxL > MAX_DERIVATIVE_L) {
    throw new InputError(
      `basis ${basis.name} has shells with l = ${basis.maxL}; qde's nuclear derivative integrals (gradients) support s, p, d and f shells (l ≤ ${MAX_DERIVATIVE_L}), not g`,
    );
  }
}

const MAX_PAIR_DEGREE = 2 * MAX_DERIVATIVE_L + 1;
const NH_MAX = nHermite(MAX_PAIR_DEGREE);
/** HSUM[h·NH_MAX + k] = Hermite index of h + k. */
const HSUM = new Int32Array(NH_MAX * NH_MAX);
for (let h = 0; h < NH_MAX; h++) {
  for (let k = 0; k < NH_MAX; k++) HSUM[h * NH_MAX + k] = hermiteIndex(HERM_T[h] + HERM_T[k], HERM_U[h] + HERM_U[k], HERM_V[h] + HERM_V[k]);
}
const TWO_PI_2_5 = 2 * Math.PI ** 2.5;

/**
 * Shell-pair data of the derivative kernel, one entry per shell pair X = A(A+1)/2 + B (A ≥ B):
 * primitive pairs P in primStart[X] … primStart[X+1]−1 with primData[4P..4P+3] = p, P_x, P_y, P_z;
 * per primitive pair, at eOff[P]: Ebra [ab][h] (nHermite(l_AB) per ab), then Eket [k][ab] with
 * (−1)^{|k|}, then ∂_A E [d][ab][h] (nHermite(l_AB + 1) per ab, d = x, y, z); ab = a·nB + b over
 * output functions, all with K = c_α c_β exp(−αβ/p |AB|²) included.
 */
interface DerivativePairs {
  readonly primStart: Int32Array;
  readonly primData: Float64Array;
  readonly eOff: Float64Array;
  readonly e: Float64Array;
}

function buildDerivativePairs(basis: MolecularBasis): DerivativePairs {
  const nShells = basis.nShells;
  const nPairs = (nShells * (nShells + 1)) / 2;
  const primStart = new Int32Array(nPairs + 1);
  const prim: number[] = [];
  const offs: number[] = [];
  let e = new Float64Array(1 << 16);
  let eLen = 0;
  const lmax = basis.maxL;
  const e1Size = (lmax + 2) * (lmax + 1) * (2 * lmax + 2);
  const ex = new Float64Array(e1Size), ey = new Float64Array(e1Size), ez = new Float64Array(e1Size);
  const nc = cartesianCount(lmax);
  const nh1Max = nHermite(2 * lmax + 1);
  // Cartesian blocks: E and the three ∂_A E, [ia][ib][h] with stride nh1Max per (ia, ib).
  const cart = new Float64Array(4 * nc * nc * nh1Max);
  const half = new Float64Array(nc * nc * nh1Max);
  const c = basis.shellCentersBohr;
  let nPrim = 0;
  for (let A = 0; A < nShells; A++) {
    const la = basis.shellL[A];
    const ta = shellTransform(la, basis.pure);
    const expA = cartesianExponents(la);
    const ncA = ta.nCartesian;
    for (let B = 0; B <= A; B++) {
      const X = (A * (A + 1)) / 2 + B;
      primStart[X] = nPrim;
      const lb = basis.shellL[B];
      const tb = shellTransform(lb, basis.pure);
      const expB = cartesianExponents(lb);
      const ncB = tb.nCartesian;
      const nab = ta.nFunctions * tb.nFunctions;
      const lab = la + lb;
      const nh0 = nHermite(lab);
      const nh1 = nHermite(lab + 1);
      const blockLen = 2 * nab * nh0 + 3 * nab * nh1;
      const ax = c[3 * A], ay = c[3 * A + 1], az = c[3 * A + 2];
      const bx = c[3 * B], by = c[3 * B + 1], bz = c[3 * B + 2];
      const r2 = (ax - bx) ** 2 + (ay - by) ** 2 + (az - bz) ** 2;
      const tn = la + lb + 2;
      const jn = lb + 1;
      for (let pa = 0; pa < basis.shellPrimitiveCount[A]; pa++) {
        const alpha = basis.exponents[basis.shellFirstPrimitive[A] + pa];
        const ca = basis.coefficients[basis.shellFirstPrimitive[A] + pa];
        for (let pb = 0; pb < basis.shellPrimitiveCount[B]; pb++) {
          const beta = basis.exponents[basis.shellFirstPrimitive[B] + pb];
          const cb = basis.coefficients[basis.shellFirstPrimitive[B] + pb];
          const p = alpha + beta;
          const k = ca * cb * Math.exp(-((alpha * beta) / p) * r2);
          // Negligible charge distributions (far-apart diffuse-free pairs) are dropped.
          if (Math.abs(k) * (Math.PI / p) ** 1.5 < 1e-18) continue;
          const px = (alpha * ax + beta * bx) / p, py = (alpha * ay + beta * by) / p, pz = (alpha * az + beta * bz) / p;
          hermiteE1d(la + 1, lb, p, px - ax, px - bx, ex);
          hermiteE1d(la + 1, lb, p, py - ay, py - by, ey);
          hermiteE1d(la + 1, lb, p, pz - az, pz - bz, ez);
          const cs = nc * nc * nh1Max;
          // Only the ncA·ncB rows of each of the four blocks are read; entries not written below must be 0.
          for (let d = 0; d < 4; d++) cart.fill(0, d * cs, d * cs + ncA * ncB * nh1Max);
          for (let ia = 0; ia < ncA; ia++) {
            const ix = expA[3 * ia], iy = expA[3 * ia + 1], iz = expA[3 * ia + 2];
            for (let ib = 0; ib < ncB; ib++) {
              const jx = expB[3 * ib], jy = expB[3 * ib + 1], jz = expB[3 * ib + 2];
              const exo = (ix * jn + jx) * tn, eyo = (iy * jn + jy) * tn, ezo = (iz * jn + jz) * tn;
              const row = jn * tn;
              const base = (ia * ncB + ib) * nh1Max;
              for (let t = 0; t <= ix + jx + 1; t++) {
                const e0x = t <= ix + jx ? ex[exo + t] : 0;
                const dEx = 2 * alpha * ex[exo + row + t] - (ix > 0 && t < ix + jx ? ix * ex[exo - row + t] : 0);
                for (let u = 0; u <= iy + jy + 1; u++) {
                  const e0y = u <= iy + jy ? ey[eyo + u] : 0;
                  const dEy = 2 * alpha * ey[eyo + row + u] - (iy > 0 && u < iy + jy ? iy * ey[eyo - row + u] : 0);
                  for (let v = 0; v <= iz + jz + 1; v++) {
                    if (t + u + v > lab + 1) continue;
                    const e0z = v <= iz + jz ? ez[ezo + v] : 0;
                    const dEz = 2 * alpha * ez[ezo + row + v] - (iz > 0 && v < iz + jz ? iz * ez[ezo - row + v] : 0);
                    const h = base + hermiteIndex(t, u, v);
                    cart[h] = k * e0x * e0y * e0z;
                    cart[cs + h] = k * dEx * e0y * e0z;
                    cart[2 * cs + h] = k * e0x * dEy * e0z;
                    cart[3 * cs + h] = k * e0x * e0y * dEz;
                  }
                }
              }
            }
          }
          if (eLen + blockLen > e.length) {
            const grown = new Float64Array(Math.max(2 * e.length, eLen + blockLen));
            grown.set(e.subarray(0, eLen));
            e = grown;
          }
          offs.push(eLen);
          // Ebra [ab][h] (degree ≤ lab), then Eket [k][ab] with sign, then ∂_A E [d][ab][h] (degree ≤ lab+1).
          transformPairBlock(cart, 0, ta, tb, nh1Max, nh0, half, e, eLen);
          const ket = eLen + nab * nh0;
          for (let ab = 0; ab < nab; ab++) {
            for (let h = 0; h < nh0; h++) e[ket + h * nab + ab] = HERM_SIGN[h] * e[eLen + ab * nh0 + h];
          }
          for (let d = 0; d < 3; d++) transformPairBlock(cart, (d + 1) * cs, ta, tb, nh1Max, nh1, half, e, ket + nab * nh0 + d * nab * nh1);
          eLen += blockLen;
          prim.push(p, px, py, pz);
          nPrim++;
        }
      }
    }
  }
  primStart[nPairs] = nPrim;
  return { primStart, primData: Float64Array.from(prim), eOff: Float64Array.from(offs), e: e.slice(0, eLen) };
}

/**
 * out[dst + (a·nB + b)·nh + h] = Σ_ia Σ_ib Ta[a][ia] Tb[b][ib] cart[src + (ia·ncB + ib)·stride + h], h < nh.
 */
function transformPairBlock(
  cart: Float64Array,
  src: number,
  ta: { nFunctions: number; nCartesian: number; matrix: Float64Array },
  tb: { nFunctions: number; nCartesian: number; matrix: Float64Array },
  stride: number,
  nh: number,
  half: Float64Array,
  out: Float64Array,
  dst: number,
): void {
  const nfA = ta.nFunctions, nfB = tb.nFunctions, ncA = ta.nCartesian, ncB = tb.nCartesian;
  half.fill(0, 0, ncA * nfB * nh);
  for (let ia = 0; ia < ncA; ia++) {
    for (let b = 0; b < nfB; b++) {
      const o = (ia * nfB + b) * nh;
      for (let ib = 0; ib < ncB; ib++) {
        const w = tb.matrix[b * ncB + ib];
        if (w === 0) continue;
        const s = src + (ia * ncB + ib) * stride;
        for (let h = 0; h < nh; h++) half[o + h] += w * cart[s + h];
      }
    }
  }
  out.fill(0, dst, dst + nfA * nfB * nh);
  for (let a = 0; a < nfA; a++) {
    for (let ia = 0; ia < ncA; ia++) {
      const w = ta.matrix[a * ncA + ia];
      if (w === 0) continue;
      for (let b = 0; b < nfB; b++) {
        const s = (ia * nfB + b) * nh;
        const o = dst + (a * nfB + b) * nh;
        for (let h = 0; h < nh; h++) out[o + h] += w * half[s + h];
      }
    }
  }
}

/** Scratch of the derivative kernel. */
interface KernelScratch {
  boys: Float64Array;
  r: Float64Array;
  w: Float64Array;
  m: Float64Array;
  /** Γ contracted with the ket coefficients of every ket primitive pair (the small-bra order). */
  z: Float64Array;
  /** ∂_A x, y, z and the total-translation x, y, z of the bra of the last pass. */
  g: Float64Array;
}

/**
 * One pass over the quartet (bra X = (A, B) | ket Y = (C, D)) contracted with g[ab·nY + cd]:
 * s.g[0..2] = Σ g ∂(ab|cd)/∂A, s.g[3..5] = Σ g (∂_A + ∂_B)(ab|cd).
 *
 * M[ab][h] = Σ_Q Σ_k R_{h+k} Σ_cd G[ab][cd] Eket_Q[k][cd] is formed in the cheaper order: with
 * fewer ket than bra functions through W[h][cd] per bra primitive (per primitive quartet
 * nHermite(l_X+1)·nHermite(l_Y)·nY operations), otherwise through Z_Q[ab][k] = Σ_cd G Eket_Q built
 * once per ket primitive (then nX·nHermite(l_X+1)·nHermite(l_Y) per primitive quartet).
 */
function braDerivativePass(
  pairs: DerivativePairs,
  x: number,
  lx: number,
  nX: number,
  y: number,
  ly: number,
  nY: number,
  g: Float64Array,
  s: KernelScratch,
): void {
  const pd = pairs.primData, e = pairs.e, eOff = pairs.eOff;
  const nh0x = nHermite(lx), nh1x = nHermite(lx + 1), nhy = nHermite(ly);
  const L = lx + ly + 1;
  const raise = raiseTables(2 * MAX_DERIVATIVE_L);
  const nhr = nHermite(2 * MAX_DERIVATIVE_L);
  const { boys, r, w, m, z } = s;
  let gax = 0, gay = 0, gaz = 0, gsx = 0, gsy = 0, gsz = 0;
  const q0 = pairs.primStart[y], q1 = pairs.primStart[y + 1];
  const smallBra = nX < nY;
  if (smallBra) {
    // z[(Q−q0)·nX·nhy + ab·nhy + k] = Σ_cd G[ab][cd] Eket_Q[k][cd]
    const zLen = nX * nhy;
    for (let Q = q0; Q < q1; Q++) {
      const ek = eOff[Q] + nY * nhy;
      const zo = (Q - q0) * zLen;
      for (let ab = 0; ab < nX; ab++) {
        const go = ab * nY;
        for (let k = 0; k < nhy; k++) {
          const eo = ek + k * nY;
          let sum = 0;
          for (let cd = 0; cd < nY; cd++) sum += g[go + cd] * e[eo + cd];
          z[zo + ab * nhy + k] = sum;
        }
      }
    }
  }
  for (let P = pairs.primStart[x]; P < pairs.primStart[x + 1]; P++) {
    const p = pd[4 * P], px = pd[4 * P + 1], py = pd[4 * P + 2], pz = pd[4 * P + 3];
    if (smallBra) m.fill(0, 0, nX * nh1x);
    else w.fill(0, 0, nh1x * nY);
    for (let Q = q0; Q < q1; Q++) {
      const q = pd[4 * Q];
      const pq = p + q;
      hermiteCoulomb(L, (p * q) / pq, px - pd[4 * Q + 1], py - pd[4 * Q + 2], pz - pd[4 * Q + 3], TWO_PI_2_5 / (p * q * Math.sqrt(pq)), boys, r);
      if (smallBra) {
        const zo = (Q - q0) * nX * nhy;
        for (let ab = 0; ab < nX; ab++) {
          const zr = zo + ab * nhy;
          const mo = ab * nh1x;
          for (let h = 0; h < nh1x; h++) {
            const hrow = h * NH_MAX;
            let sum = 0;
            for (let k = 0; k < nhy; k++) sum += r[HSUM[hrow + k]] * z[zr + k];
            m[mo + h] += sum;
          }
        }
      } else {
        const ek = eOff[Q] + nY * nhy; // the ket block follows the bra block
        for (let h = 0; h < nh1x; h++) {
          const hrow = h * NH_MAX;
          const wo = h * nY;
          for (let k = 0; k < nhy; k++) {
            const rv = r[HSUM[hrow + k]];
            const eo = ek + k * nY;
            for (let cd = 0; cd < nY; cd++) w[wo + cd] += rv * e[eo + cd];
          }
        }
      }
    }
    if (!smallBra) {
      // M[ab][h] = Σ_cd G[ab][cd] W[h][cd]
      for (let ab = 0; ab < nX; ab++) {
        const go = ab * nY;
        const mo = ab * nh1x;
        for (let h = 0; h < nh1x; h++) {
          const wo = h * nY;
          let sum = 0;
          for (let cd = 0; cd < nY; cd++) sum += g[go + cd] * w[wo + cd];
          m[mo + h] = sum;
        }
      }
    }
    const eb = eOff[P];
    const dA = eb + 2 * nX * nh0x;
    const dLen = nX * nh1x;
    for (let ab = 0; ab < nX; ab++) {
      const mo = ab * nh1x;
      const da = dA + ab * nh1x;
      for (let h = 0; h < nh1x; h++) {
        const mv = m[mo + h];
        gax += e[da + h] * mv;
        gay += e[da + dLen + h] * mv;
        gaz += e[da + 2 * dLen + h] * mv;
      }
      const eo = eb + ab * nh0x;
      for (let h = 0; h < nh0x; h++) {
        const ev = e[eo + h];
        gsx += ev * m[mo + raise[h]];
        gsy += ev * m[mo + raise[nhr + h]];
        gsz += ev * m[mo + raise[2 * nhr + h]];
      }
    }
  }
  s.g[0] = gax; s.g[1] = gay; s.g[2] = gaz;
  s.g[3] = gsx; s.g[4] = gsy; s.g[5] = gsz;
}

/** Options of {@link twoElectronGradient} and {@link twoElectronGradientOfDensity}. */
export interface TwoElectronGradientOptions {
  /** Skip shell quartets with Q_X·Q_Y·max|Γ| below this (default 1e-13). */
  screeningThreshold?: number;
}

/**
 * Fills Γ of one unique quartet (functions fa… of A, fb… of B, fc… of C, fd… of D), times its
 * permutational degeneracy, into out[((a·nb + b)·nc + c)·nd + d] and returns max|value|.
 */
type QuartetDensity = (
  fa: number, na: number, fb: number, nb: number, fc: number, nc: number, fd: number, nd: number,
  degeneracy: number, out: Float64Array,
) => number;

/**
 * Σ Γ ∂(μν|λσ)/∂X for every nuclear coordinate X, Γ of the single determinant with per-spin AO
 * densities `densityAlpha`, `densityBeta` (see the file header; pass the same array twice for a
 * closed shell, each being half the total density). 3 per atom of `molecule`, Hartree/Bohr.
 * @throws InputError when the basis has shells above f.
 */
export function twoElectronGradient(
  basis: MolecularBasis,
  molecule: Molecule,
  densityAlpha: Float64Array,
  densityBeta: Float64Array,
  options: TwoElectronGradientOptions = {},
): Float64Array {
  const n = basis.nFunctions;
  const total = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) total[i] = densityAlpha[i] + densityBeta[i];
  const sameSpin = densityAlpha === densityBeta;
  const da = densityAlpha, db = densityBeta;
  // |Γ| of any quartet is at most 8(½ max|D|² + ½ (max|D^α|² + max|D^β|²)): screens before Γ is built.
  let maxT = 0, maxA = 0, maxB = 0;
  for (let i = 0; i < n * n; i++) {
    maxT = Math.max(maxT, Math.abs(total[i]));
    maxA = Math.max(maxA, Math.abs(da[i]));
    maxB = Math.max(maxB, Math.abs(db[i]));
  }
  const gammaBound = 4 * (maxT * maxT + maxA * maxA + maxB * maxB);
  const fill: QuartetDensity = (fa, na, fb, nb, fc, nc, fd, nd, degeneracy, out) => {
    let gMax = 0;
    const nY = nc * nd;
    for (let a = 0; a < na; a++) {
      const i = fa + a;
      for (let b = 0; b < nb; b++) {
        const j = fb + b;
        const dij = total[i * n + j];
        const row = (a * nb + b) * nY;
        for (let c = 0; c < nc; c++) {
          const k = fc + c;
          for (let d = 0; d < nd; d++) {
            const l = fd + d;
            let ex = da[i * n + k] * da[j * n + l] + da[i * n + l] * da[j * n + k];
            ex = sameSpin ? 2 * ex : ex + db[i * n + k] * db[j * n + l] + db[i * n + l] * db[j * n + k];
            const v = degeneracy * (0.5 * dij * total[k * n + l] - 0.25 * ex);
            out[row + c * nd + d] = v;
            if (Math.abs(v) > gMax) gMax = Math.abs(v);
          }
        }
      }
    }
    return gMax;
  };
  return contractEriDerivatives(basis, molecule, fill, gammaBound, options.screeningThreshold ?? 1e-13);
}

/**
 * Σ Γ ∂(μν|λσ)/∂X for every nuclear coordinate X, for a general two-particle density Γ in the AO
 * basis (n⁴ row-major, Γ_μνλσ at ((μ·n + ν)·n + λ)·n + σ), normalised so that Σ Γ (μν|λσ) is the
 * two-electron energy — a correlated wavefunction's, for instance. Γ is averaged over the eight
 * index permutations the integrals share before it is used, so any Γ giving that energy serves.
 * 3 per atom of `molecule`, Hartree/Bohr.
 * @throws InputError when the basis has shells above f or Γ has the wrong length.
 */
export function twoElectronGradientOfDensity(
  basis: MolecularBasis,
  molecule: Molecule,
  gammaAo: Float64Array,
  options: TwoElectronGradientOptions = {},
): Float64Array {
  const n = basis.nFunctions;
  const n2 = n * n;
  if (gammaAo.length !== n2 * n2) throw new InputError(`two-particle density has ${gammaAo.length} elements; the basis needs ${n}⁴ = ${n2 * n2}`);
  const sym = new Float64Array(n2 * n2);
  let gammaBound = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) {
        for (let l = 0; l < n; l++) {
          const v = (gammaAo[((i * n + j) * n + k) * n + l] + gammaAo[((j * n + i) * n + k) * n + l]
            + gammaAo[((i * n + j) * n + l) * n + k] + gammaAo[((j * n + i) * n + l) * n + k]
            + gammaAo[((k * n + l) * n + i) * n + j] + gammaAo[((l * n + k) * n + i) * n + j]
            + gammaAo[((k * n + l) * n + j) * n + i] + gammaAo[((l * n + k) * n + j) * n + i]) / 8;
          sym[((i * n + j) * n + k) * n + l] = v;
          if (Math.abs(v) > gammaBound) gammaBound = Math.abs(v);
        }
      }
    }
  }
  gammaBound *= 8;
  const fill: QuartetDensity = (fa, na, fb, nb, fc, nc, fd, nd, degeneracy, out) => {
    let gMax = 0;
    const nY = nc * nd;
    for (let a = 0; a < na; a++) {
      for (let b = 0; b < nb; b++) {
        const row = (a * nb + b) * nY;
        const ij = ((fa + a) * n + fb + b) * n2;
        for (let c = 0; c < nc; c++) {
          const ijk = ij + (fc + c) * n + fd;
          for (let d = 0; d < nd; d++) {
            const v = degeneracy * sym[ijk + d];
            out[row + c * nd + d] = v;
            if (Math.abs(v) > gMax) gMax = Math.abs(v);
          }
        }
      }
    }
    return gMax;
  };
  return contractEriDerivatives(basis, molecule, fill, gammaBound, options.screeningThreshold ?? 1e-13);
}

/**
 * The quartet loop of both gradients: `fill` gives each unique quartet's Γ, `gammaBound` bounds
 * |Γ| times the largest degeneracy over every quartet (the first screen).
 */
function contractEriDerivatives(
  basis: MolecularBasis,
  molecule: Molecule,
  fill: QuartetDensity,
  gammaBound: number,
  threshold: number,
): Float64Array {
  assertDerivativeAngularMomentum(basis);
  const nAtoms = molecule.atomicNumbers.length;
  const grad = new Float64Array(3 * nAtoms);
  const nShells = basis.nShells;
  const pairs = buildDerivativePairs(basis);
  const schwarzPairs = buildShellPairs(basis, { groupSharedExponents: false });
  const schwarz = schwarzBounds(schwarzPairs, createEriScratch(schwarzPairs));
  const nfMax = shellTransform(basis.maxL, basis.pure).nFunctions;
  const nPairMax = nfMax * nfMax;
  const lmax = basis.maxL;
  const nh1Max = nHermite(2 * lmax + 1);
  const s: KernelScratch = {
    boys: new Float64Array(4 * lmax + 2),
    r: new Float64Array(nHermite(4 * lmax + 1)),
    w: new Float64Array(nh1Max * nPairMax),
    m: new Float64Array(nh1Max * nPairMax),
    z: new Float64Array(maxKetPrimitiveHermite(pairs, basis) * nPairMax),
    g: new Float64Array(6),
  };
  const gBlock = new Float64Array(nPairMax * nPairMax);
  const gSwap = new Float64Array(nPairMax * nPairMax);
  const first = basis.shellFirstFunction, count = basis.shellFunctionCount, atomOf = basis.shellAtom, ls = basis.shellL;
  for (let A = 0; A < nShells; A++) {
    for (let B = 0; B <= A; B++) {
      const X = (A * (A + 1)) / 2 + B;
      const qx = schwarz[X];
      if (qx === 0) continue;
      const fa = first[A], fb = first[B], na = count[A], nb = count[B];
      const nX = na * nb;
      const lX = ls[A] + ls[B];
      for (let C = 0; C <= A; C++) {
        const dMax = C === A ? B : C;
        for (let D = 0; D <= dMax; D++) {
          const Y = (C * (C + 1)) / 2 + D;
          const atA = atomOf[A], atB = atomOf[B], atC = atomOf[C], atD = atomOf[D];
          if (atA === atB && atA === atC && atA === atD) continue;
          const qy = schwarz[Y];
          if (qx * qy * gammaBound < threshold) continue;
          const fc = first[C], fd = first[D], nc = count[C], nd = count[D];
          const nY = nc * nd;
          // Permutational partners of the unique quartet.
          const degeneracy = (A === B ? 1 : 2) * (C === D ? 1 : 2) * (X === Y ? 1 : 2);
          const gMax = fill(fa, na, fb, nb, fc, nc, fd, nd, degeneracy, gBlock);
          if (qx * qy * gMax < threshold) continue;
          const lY = ls[C] + ls[D];
          const braTwoCentre = atA !== atB;
          const ketTwoCentre = atC !== atD;
          if (braTwoCentre || !ketTwoCentre) {
            braDerivativePass(pairs, X, lX, nX, Y, lY, nY, gBlock, s);
            const g = s.g;
            if (X === Y) {
              // (ab|ab): the ket derivatives equal the bra ones.
              for (let d = 0; d < 3; d++) {
                grad[3 * atA + d] += 2 * g[d];
                grad[3 * atB + d] += 2 * (g[3 + d] - g[d]);
              }
              continue;
            }
            for (let d = 0; d < 3; d++) {
              grad[3 * atA + d] += g[d];
              grad[3 * atB + d] += g[3 + d] - g[d];
            }
            if (!ketTwoCentre) {
              for (let d = 0; d < 3; d++) grad[3 * atC + d] -= g[3 + d];
              continue;
            }
            // C ≠ D: the swapped pass gives ∂_C; ∂_D = −(∂_A + ∂_B + ∂_C).
            transposeInto(gBlock, nX, nY, gSwap);
            const bra0 = g[3], bra1 = g[4], bra2 = g[5];
            braDerivativePass(pairs, Y, lY, nY, X, lX, nX, gSwap, s);
            grad[3 * atC] += g[0]; grad[3 * atC + 1] += g[1]; grad[3 * atC + 2] += g[2];
            grad[3 * atD] -= bra0 + g[0]; grad[3 * atD + 1] -= bra1 + g[1]; grad[3 * atD + 2] -= bra2 + g[2];
          } else {
            // A and B on one atom, C ≠ D: only the swapped pass.
            transposeInto(gBlock, nX, nY, gSwap);
            braDerivativePass(pairs, Y, lY, nY, X, lX, nX, gSwap, s);
            const g = s.g;
            for (let d = 0; d < 3; d++) {
              grad[3 * atC + d] += g[d];
              grad[3 * atD + d] += g[3 + d] - g[d];
              grad[3 * atA + d] -= g[3 + d];
            }
          }
        }
      }
    }
  }
  return grad;
}

/** Largest (primitive pairs × nHermite(l_C + l_D)) over the shell pairs, for the Z scratch. */
function maxKetPrimitiveHermite(pairs: DerivativePairs, basis: MolecularBasis): number {
  let best = 1;
  for (let C = 0; C < basis.nShells; C++) {
    for (let D = 0; D <= C; D++) {
      const Y = (C * (C + 1)) / 2 + D;
      const v = (pairs.primStart[Y + 1] - pairs.primStart[Y]) * nHermite(basis.shellL[C] + basis.shellL[D]);
      if (v > best) best = v;
    }
  }
  return best;
}

/** out[cd·nX + ab] = g[ab·nY + cd]. */
function transposeInto(g: Float64Array, nX: number, nY: number, out: Float64Array): void {
  for (let ab = 0; ab < nX; ab++) for (let cd = 0; cd < nY; cd++) out[cd * nX + ab] = g[ab * nY + cd];
}
