/**
 * First derivatives of the one-electron integrals with respect to nuclear coordinates, contracted
 * at once with AO matrices (no derivative integral matrix is stored):
 *
 *   overlap[3A+x]   = Σ_ab W_ab ∂S_ab/∂A_x
 *   kinetic[3A+x]   = Σ_ab D_ab ∂T_ab/∂A_x
 *   potential[3A+x] = Σ_ab D_ab ∂V_ab/∂A_x   (basis-function terms plus the Hellmann–Feynman term
 *                                             of the operator −Z_A/|r − A|)
 *
 * for symmetric n×n row-major D and W (basis-function order of MolecularBasis). Results have 3 per
 * atom (atom i at 3i … 3i+2), Hartree/Bohr.
 *
 * McMurchie–Davidson: a primitive's derivative is ∂/∂A_x [x_A^i e^{−α x_A²}] = 2α x_A^{i+1}e − i x_A^{i−1}e,
 * so the 1D tables (E coefficients, overlaps, kinetic) are built to i = l_a + 1 and combined as
 * dX_ij = 2α X_{i+1,j} − i X_{i−1,j}. Translational invariance gives the rest: for S and T the
 * B-derivative is −(A-derivative) (pairs on one atom contribute nothing); for V and each nucleus C,
 * ∂_A + ∂_B = Σ_tuv E_tuv R_{t+1,u,v} (shifting both centres moves the charge distribution; the
 * Hermite function's derivative raises its index) and ∂_C = −(∂_A + ∂_B).
 *
 * The output-basis matrices are first transformed back to the shells' cartesian components
 * (D_cart = Tᵀ D T per shell pair, T of basis/shell-functions.ts), so that all integral work is
 * cartesian and no pure-function transform of derivative integrals is needed.
 */
import type { Molecule } from '../chem/index.js';
import type { MolecularBasis } from '../basis/index.js';
import { cartesianCount, cartesianExponents, shellTransform } from '../basis/index.js';
import { assertDerivativeAngularMomentum } from './eri-derivatives.js';
import { hermiteCoulomb, hermiteE1d, hermiteIndex, nHermite } from './hermite.js';

/** Contractions of the one-electron derivative integrals; see the file header. */
export interface OneElectronGradientTerms {
  /** Σ W ∂S/∂X, 3 per atom. */
  readonly overlap: Float64Array;
  /** Σ D ∂T/∂X, 3 per atom. */
  readonly kinetic: Float64Array;
  /** Σ D ∂V/∂X (including the Hellmann–Feynman term), 3 per atom. */
  readonly potential: Float64Array;
}

/**
 * Back-transform the (fa, fb) block of the symmetric output-basis matrix m into the cartesian
 * components of shells with transforms ta, tb: out[ia·ncB + ib] = scale Σ_ab Ta[a][ia] m_ab Tb[b][ib].
 */
export function cartesianBlock(
  m: Float64Array,
  n: number,
  fa: number,
  fb: number,
  ta: { nFunctions: number; nCartesian: number; matrix: Float64Array },
  tb: { nFunctions: number; nCartesian: number; matrix: Float64Array },
  scale: number,
  tmp: Float64Array,
  out: Float64Array,
): void {
  const nfa = ta.nFunctions, nfb = tb.nFunctions, nca = ta.nCartesian, ncb = tb.nCartesian;
  // tmp[a][ib] = Σ_b m[a][b] Tb[b][ib]
  for (let a = 0; a < nfa; a++) {
    for (let ib = 0; ib < ncb; ib++) {
      let s = 0;
      for (let b = 0; b < nfb; b++) s += m[(fa + a) * n + fb + b] * tb.matrix[b * ncb + ib];
      tmp[a * ncb + ib] = s;
    }
  }
  for (let ia = 0; ia < nca; ia++) {
    for (let ib = 0; ib < ncb; ib++) {
      let s = 0;
      for (let a = 0; a < nfa; a++) s += ta.matrix[a * nca + ia] * tmp[a * ncb + ib];
      out[ia * ncb + ib] = scale * s;
    }
  }
}

/**
 * Σ W ∂S/∂X, Σ D ∂T/∂X and Σ D ∂V/∂X for every nuclear coordinate X of `molecule` (the molecule
 * the basis was built on). D and W are symmetric n×n row-major.
 * @throws InputError when the basis has shells above f.
 */
export function oneElectronGradientTerms(
  basis: MolecularBasis,
  molecule: Molecule,
  density: Float64Array,
  overlapWeights: Float64Array,
): OneElectronGradientTerms {
  assertDerivativeAngularMomentum(basis);
  const nAtoms = molecule.atomicNumbers.length;
  const n = basis.nFunctions;
  const gS = new Float64Array(3 * nAtoms);
  const gT = new Float64Array(3 * nAtoms);
  const gV = new Float64Array(3 * nAtoms);
  const lmax = basis.maxL;
  // 1D tables to i = la + 1, j = lb + 2 (kinetic needs j + 2).
  const iN = lmax + 2;
  const jN = lmax + 3;
  const tN = iN + jN - 1;
  const eSize = iN * jN * tN;
  const ex = new Float64Array(eSize), ey = new Float64Array(eSize), ez = new Float64Array(eSize);
  // Per-dimension 1D overlap S[i][j] and kinetic K[i][j] (i ≤ la+1, j ≤ lb) of the current primitive pair.
  const s1 = new Float64Array(3 * iN * jN);
  const k1 = new Float64Array(3 * iN * jN);
  const nc = cartesianCount(lmax);
  const dc = new Float64Array(nc * nc);
  const wc = new Float64Array(nc * nc);
  const tmp = new Float64Array(nc * nc);
  const nh0Max = nHermite(2 * lmax);
  const nh1Max = nHermite(2 * lmax + 1);
  // Density contracted with the Hermite expansion: dE[h] = Σ D E_h, dA[d][h] = Σ D ∂_A E_h.
  const hermD = new Float64Array(nh0Max);
  const hermA = new Float64Array(3 * nh1Max);
  const rbuf = new Float64Array(nh1Max);
  const boys = new Float64Array(2 * lmax + 2);
  const raise = raiseTables(2 * lmax);
  const c = basis.shellCentersBohr;
  const zs = molecule.atomicNumbers;
  const rs = molecule.positionsBohr;

  for (let sa = 0; sa < basis.nShells; sa++) {
    const la = basis.shellL[sa];
    const expA = cartesianExponents(la);
    const ncA = cartesianCount(la);
    const ta = shellTransform(la, basis.pure);
    const atomA = basis.shellAtom[sa];
    const ax = c[3 * sa], ay = c[3 * sa + 1], az = c[3 * sa + 2];
    for (let sb = 0; sb <= sa; sb++) {
      const lb = basis.shellL[sb];
      const expB = cartesianExponents(lb);
      const ncB = cartesianCount(lb);
      const tb = shellTransform(lb, basis.pure);
      const atomB = basis.shellAtom[sb];
      const twoCentre = atomA !== atomB;
      const bx = c[3 * sb], by = c[3 * sb + 1], bz = c[3 * sb + 2];
      const abx = ax - bx, aby = ay - by, abz = az - bz;
      const r2 = abx * abx + aby * aby + abz * abz;
      // Both triangles of a symmetric matrix: off-diagonal shell pairs count twice.
      const f = sa === sb ? 1 : 2;
      cartesianBlock(density, n, basis.shellFirstFunction[sa], basis.shellFirstFunction[sb], ta, tb, f, tmp, dc);
      if (twoCentre) cartesianBlock(overlapWeights, n, basis.shellFirstFunction[sa], basis.shellFirstFunction[sb], ta, tb, f, tmp, wc);
      const lab = la + lb;
      const nh0 = nHermite(lab);
      const nh1 = nHermite(lab + 1);
      const jMax = lb + 2;
      const jn = jMax + 1;
      const tn = la + 1 + jMax + 1;
      let sAx = 0, sAy = 0, sAz = 0, tAx = 0, tAy = 0, tAz = 0;
      let vAx = 0, vAy = 0, vAz = 0, vSx = 0, vSy = 0, vSz = 0;
      for (let pa = 0; pa < basis.shellPrimitiveCount[sa]; pa++) {
        const alpha = basis.exponents[basis.shellFirstPrimitive[sa] + pa];
        const ca = basis.coefficients[basis.shellFirstPrimitive[sa] + pa];
        for (let pb = 0; pb < basis.shellPrimitiveCount[sb]; pb++) {
          const beta = basis.exponents[basis.shellFirstPrimitive[sb] + pb];
          const cb = basis.coefficients[basis.shellFirstPrimitive[sb] + pb];
          const p = alpha + beta;
          const kab = ca * cb * Math.exp(-((alpha * beta) / p) * r2);
          const px = (alpha * ax + beta * bx) / p;
          const py = (alpha * ay + beta * by) / p;
          const pz = (alpha * az + beta * bz) / p;
          hermiteE1d(la + 1, jMax, p, px - ax, px - bx, ex);
          hermiteE1d(la + 1, jMax, p, py - ay, py - by, ey);
          hermiteE1d(la + 1, jMax, p, pz - az, pz - bz, ez);
          const sq = Math.sqrt(Math.PI / p);
          const ovl = kab * sq * sq * sq;
          if (twoCentre) {
            oneDimensionTables(ex, la, lb, jn, tn, beta, s1, k1, 0, jN);
            oneDimensionTables(ey, la, lb, jn, tn, beta, s1, k1, iN * jN, jN);
            oneDimensionTables(ez, la, lb, jn, tn, beta, s1, k1, 2 * iN * jN, jN);
            const oy = iN * jN, oz = 2 * iN * jN;
            for (let ia = 0; ia < ncA; ia++) {
              const ix = expA[3 * ia], iy = expA[3 * ia + 1], iz = expA[3 * ia + 2];
              for (let ib = 0; ib < ncB; ib++) {
                const jx = expB[3 * ib], jy = expB[3 * ib + 1], jz = expB[3 * ib + 2];
                const dv = dc[ia * ncB + ib] * ovl;
                const wv = wc[ia * ncB + ib] * ovl;
                const x0 = ix * jN + jx, y0 = oy + iy * jN + jy, z0 = oz + iz * jN + jz;
                const sx = s1[x0], sy = s1[y0], sz = s1[z0];
                const kx = k1[x0], ky = k1[y0], kz = k1[z0];
                // ∂/∂A of the 1D factors: 2α X_{i+1} − i X_{i−1}.
                const dsx = 2 * alpha * s1[x0 + jN] - (ix > 0 ? ix * s1[x0 - jN] : 0);
                const dsy = 2 * alpha * s1[y0 + jN] - (iy > 0 ? iy * s1[y0 - jN] : 0);
                const dsz = 2 * alpha * s1[z0 + jN] - (iz > 0 ? iz * s1[z0 - jN] : 0);
                const dkx = 2 * alpha * k1[x0 + jN] - (ix > 0 ? ix * k1[x0 - jN] : 0);
                const dky = 2 * alpha * k1[y0 + jN] - (iy > 0 ? iy * k1[y0 - jN] : 0);
                const dkz = 2 * alpha * k1[z0 + jN] - (iz > 0 ? iz * k1[z0 - jN] : 0);
                sAx += wv * dsx * sy * sz;
                sAy += wv * sx * dsy * sz;
                sAz += wv * sx * sy * dsz;
                tAx += dv * (dkx * sy * sz + dsx * (ky * sz + sy * kz));
                tAy += dv * (dsy * (kx * sz + sx * kz) + sx * dky * sz);
                tAz += dv * (dsz * (kx * sy + sx * ky) + sx * sy * dkz);
              }
            }
          }
          // Hermite-space density for the potential: hermD[tuv] = Σ D E_tuv, hermA[d][tuv] = Σ D ∂_{A_d} E_tuv.
          hermD.fill(0, 0, nh0);
          hermA.fill(0, 0, 3 * nh1Max);
          for (let ia = 0; ia < ncA; ia++) {
            const ix = expA[3 * ia], iy = expA[3 * ia + 1], iz = expA[3 * ia + 2];
            for (let ib = 0; ib < ncB; ib++) {
              const dv = dc[ia * ncB + ib];
              if (dv === 0) continue;
              const jx = expB[3 * ib], jy = expB[3 * ib + 1], jz = expB[3 * ib + 2];
              const exo = (ix * jn + jx) * tn, eyo = (iy * jn + jy) * tn, ezo = (iz * jn + jz) * tn;
              // Rows i+1 and i−1 of the E tables.
              const exP = exo + jn * tn, eyP = eyo + jn * tn, ezP = ezo + jn * tn;
              const exM = exo - jn * tn, eyM = eyo - jn * tn, ezM = ezo - jn * tn;
              for (let t = 0; t <= ix + jx + 1; t++) {
                const e0x = t <= ix + jx ? ex[exo + t] : 0;
                const dEx = 2 * alpha * ex[exP + t] - (ix > 0 && t <= ix + jx - 1 ? ix * ex[exM + t] : 0);
                for (let u = 0; u <= iy + jy + 1; u++) {
                  const e0y = u <= iy + jy ? ey[eyo + u] : 0;
                  const dEy = 2 * alpha * ey[eyP + u] - (iy > 0 && u <= iy + jy - 1 ? iy * ey[eyM + u] : 0);
                  for (let v = 0; v <= iz + jz + 1; v++) {
                    const e0z = v <= iz + jz ? ez[ezo + v] : 0;
                    const dEz = 2 * alpha * ez[ezP + v] - (iz > 0 && v <= iz + jz - 1 ? iz * ez[ezM + v] : 0);
                    const h = hermiteIndex(t, u, v);
                    if (t + u + v <= lab) hermD[h] += dv * e0x * e0y * e0z;
                    if (t + u + v <= lab + 1) {
                      hermA[h] += dv * dEx * e0y * e0z;
                      hermA[nh1Max + h] += dv * e0x * dEy * e0z;
                      hermA[2 * nh1Max + h] += dv * e0x * e0y * dEz;
                    }
                  }
                }
              }
            }
          }
          const vScale = ((-2 * Math.PI) / p) * kab;
          for (let at = 0; at < nAtoms; at++) {
            const qx = rs[3 * at], qy = rs[3 * at + 1], qz = rs[3 * at + 2];
            hermiteCoulomb(lab + 1, p, px - qx, py - qy, pz - qz, vScale * zs[at], boys, rbuf);
            let ax1 = 0, ay1 = 0, az1 = 0, sx1 = 0, sy1 = 0, sz1 = 0;
            for (let h = 0; h < nh1; h++) {
              const r = rbuf[h];
              ax1 += hermA[h] * r;
              ay1 += hermA[nh1Max + h] * r;
              az1 += hermA[2 * nh1Max + h] * r;
            }
            for (let h = 0; h < nh0; h++) {
              const e = hermD[h];
              sx1 += e * rbuf[raise[h]];
              sy1 += e * rbuf[raise[nh0Max + h]];
              sz1 += e * rbuf[raise[2 * nh0Max + h]];
            }
            vAx += ax1; vAy += ay1; vAz += az1;
            vSx += sx1; vSy += sy1; vSz += sz1;
            // Hellmann–Feynman: ∂_C = −(∂_A + ∂_B) for this nucleus.
            gV[3 * at] -= sx1;
            gV[3 * at + 1] -= sy1;
            gV[3 * at + 2] -= sz1;
          }
        }
      }
      gV[3 * atomA] += vAx; gV[3 * atomA + 1] += vAy; gV[3 * atomA + 2] += vAz;
      gV[3 * atomB] += vSx - vAx; gV[3 * atomB + 1] += vSy - vAy; gV[3 * atomB + 2] += vSz - vAz;
      if (twoCentre) {
        gS[3 * atomA] += sAx; gS[3 * atomA + 1] += sAy; gS[3 * atomA + 2] += sAz;
        gS[3 * atomB] -= sAx; gS[3 * atomB + 1] -= sAy; gS[3 * atomB + 2] -= sAz;
        gT[3 * atomA] += tAx; gT[3 * atomA + 1] += tAy; gT[3 * atomA + 2] += tAz;
        gT[3 * atomB] -= tAx; gT[3 * atomB + 1] -= tAy; gT[3 * atomB + 2] -= tAz;
      }
    }
  }
  return { overlap: gS, kinetic: gT, potential: gV };
}

/**
 * 1D overlap s[i][j] = E^{ij}_0 and kinetic k[i][j] = −2β² E^{i,j+2}_0 + β(2j+1) E^{ij}_0 − ½ j(j−1) E^{i,j−2}_0
 * for i ≤ la + 1, j ≤ lb, at offset `off` with row stride `stride`, from E tables of row length tn.
 */
function oneDimensionTables(
  e: Float64Array,
  la: number,
  lb: number,
  jn: number,
  tn: number,
  beta: number,
  s: Float64Array,
  k: Float64Array,
  off: number,
  stride: number,
): void {
  for (let i = 0; i <= la + 1; i++) {
    for (let j = 0; j <= lb; j++) {
      const o = (i * jn + j) * tn;
      const sij = e[o];
      s[off + i * stride + j] = sij;
      k[off + i * stride + j] = -2 * beta * beta * e[o + 2 * tn] + beta * (2 * j + 1) * sij - (j >= 2 ? 0.5 * j * (j - 1) * e[o - 2 * tn] : 0);
    }
  }
}

const raiseCache = new Map<number, Int32Array>();

/**
 * Hermite index of (t+1, u, v), (t, u+1, v), (t, u, v+1) for every index h of degree ≤ l:
 * out[d·nHermite(l) + h]. Cached per l; do not modify.
 */
export function raiseTables(l: number): Int32Array {
  const hit = raiseCache.get(l);
  if (hit) return hit;
  const nh = nHermite(l);
  const out = new Int32Array(3 * nh);
  for (let d = 0; d <= l; d++) {
    for (let t = d; t >= 0; t--) {
      for (let u = d - t; u >= 0; u--) {
        const v = d - t - u;
        const h = hermiteIndex(t, u, v);
        out[h] = hermiteIndex(t + 1, u, v);
        out[nh + h] = hermiteIndex(t, u + 1, v);
        out[2 * nh + h] = hermiteIndex(t, u, v + 1);
      }
    }
  }
  raiseCache.set(l, out);
  return out;
}
