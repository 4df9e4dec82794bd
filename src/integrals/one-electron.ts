/**
 * One-electron integrals over contracted Gaussians by the McMurchie–Davidson scheme:
 * overlap S, kinetic T, nuclear attraction V, core Hamiltonian H = T + V, dipole (position) integrals.
 *
 * All results are dense n×n Float64Array, row-major, symmetric, in the basis-function order of
 * MolecularBasis (Psi4's order within shells, unit-normalised functions; see basis/shell-functions.ts).
 *
 *   S_ab = Σ_prims K E^x_0 E^y_0 E^z_0 (π/p)^{3/2}
 *   T_ab = −½⟨a|∇²|b⟩ via 1D: T_ij = −2β² S_{i,j+2} + β(2j+1) S_ij − ½ j(j−1) S_{i,j−2}
 *   V_ab = −Σ_C Z_C (2π/p) Σ_tuv E_tuv R_tuv(p, P − C)
 *   X_ab = ⟨a| x − O_x |b⟩ (no electron charge; the electronic dipole is −tr(D X)), 1D: E_1 + (P_x − O_x) E_0.
 */
import type { Molecule } from '../chem/index.js';
import type { MolecularBasis } from '../basis/index.js';
import { cartesianCount, cartesianExponents, shellTransform } from '../basis/index.js';
import { assertSupportedAngularMomentum } from './eri.js';
import { hermiteCoulomb, hermiteE1d, hermiteIndex, nHermite } from './hermite.js';

type OneElectronKind = 'overlap' | 'kinetic' | 'nuclear' | 'dipole';

interface OneElectronResult {
  s?: Float64Array;
  t?: Float64Array;
  v?: Float64Array;
  x?: Float64Array;
  y?: Float64Array;
  z?: Float64Array;
}

/** Transform a cartesian block [ncA × ncB] into output functions and store it (and its transpose). */
function storeBlock(
  cart: Float64Array,
  la: number,
  lb: number,
  pure: boolean,
  fa: number,
  fb: number,
  n: number,
  out: Float64Array,
  tmp: Float64Array,
): void {
  const ta = shellTransform(la, pure);
  const tb = shellTransform(lb, pure);
  const nca = ta.nCartesian;
  const ncb = tb.nCartesian;
  const nfa = ta.nFunctions;
  const nfb = tb.nFunctions;
  // tmp[ia][jb] = Σ_jc cart[ia][jc] tb[jb][jc]
  for (let i = 0; i < nca; i++) {
    for (let jb = 0; jb < nfb; jb++) {
      let s = 0;
      for (let jc = 0; jc < ncb; jc++) s += cart[i * ncb + jc] * tb.matrix[jb * ncb + jc];
      tmp[i * nfb + jb] = s;
    }
  }
  for (let ia = 0; ia < nfa; ia++) {
    for (let jb = 0; jb < nfb; jb++) {
      let s = 0;
      for (let i = 0; i < nca; i++) s += ta.matrix[ia * nca + i] * tmp[i * nfb + jb];
      out[(fa + ia) * n + fb + jb] = s;
      out[(fb + jb) * n + fa + ia] = s;
    }
  }
}

function compute(basis: MolecularBasis, kinds: Set<OneElectronKind>, molecule?: Molecule, origin?: ArrayLike<number>): OneElectronResult {
  assertSupportedAngularMomentum(basis);
  const n = basis.nFunctions;
  const res: OneElectronResult = {};
  if (kinds.has('overlap')) res.s = new Float64Array(n * n);
  if (kinds.has('kinetic')) res.t = new Float64Array(n * n);
  if (kinds.has('nuclear')) res.v = new Float64Array(n * n);
  if (kinds.has('dipole')) {
    res.x = new Float64Array(n * n);
    res.y = new Float64Array(n * n);
    res.z = new Float64Array(n * n);
  }
  const lmax = basis.maxL;
  const needKin = kinds.has('kinetic');
  const jExtra = needKin ? 2 : 0;
  const eSize = (lmax + 1) * (lmax + 1 + jExtra) * (2 * lmax + jExtra + 1);
  const ex = new Float64Array(eSize);
  const ey = new Float64Array(eSize);
  const ez = new Float64Array(eSize);
  const nc = cartesianCount(lmax);
  const cs = new Float64Array(nc * nc);
  const ct = new Float64Array(nc * nc);
  const cv = new Float64Array(nc * nc);
  const cx = new Float64Array(nc * nc);
  const cy = new Float64Array(nc * nc);
  const cz = new Float64Array(nc * nc);
  const tmp = new Float64Array(nc * nc);
  const rbuf = new Float64Array(nHermite(2 * lmax));
  const boys = new Float64Array(2 * lmax + 1);
  const nAtoms = molecule ? molecule.atomicNumbers.length : 0;
  const ox = origin ? origin[0] : 0;
  const oy = origin ? origin[1] : 0;
  const oz = origin ? origin[2] : 0;
  const c = basis.shellCentersBohr;

  for (let sa = 0; sa < basis.nShells; sa++) {
    const la = basis.shellL[sa];
    const expA = cartesianExponents(la);
    const ncA = cartesianCount(la);
    const ax = c[3 * sa], ay = c[3 * sa + 1], az = c[3 * sa + 2];
    for (let sb = 0; sb <= sa; sb++) {
      const lb = basis.shellL[sb];
      const expB = cartesianExponents(lb);
      const ncB = cartesianCount(lb);
      const bx = c[3 * sb], by = c[3 * sb + 1], bz = c[3 * sb + 2];
      const abx = ax - bx, aby = ay - by, abz = az - bz;
      const r2 = abx * abx + aby * aby + abz * abz;
      const jMax = lb + jExtra;
      const tn = la + jMax + 1;
      const jn = jMax + 1;
      const nblock = ncA * ncB;
      cs.fill(0, 0, nblock);
      ct.fill(0, 0, nblock);
      cv.fill(0, 0, nblock);
      cx.fill(0, 0, nblock);
      cy.fill(0, 0, nblock);
      cz.fill(0, 0, nblock);
      const lab = la + lb;
      for (let pa = 0; pa < basis.shellPrimitiveCount[sa]; pa++) {
        const alpha = basis.exponents[basis.shellFirstPrimitive[sa] + pa];
        const ca = basis.coefficients[basis.shellFirstPrimitive[sa] + pa];
        for (let pb = 0; pb < basis.shellPrimitiveCount[sb]; pb++) {
          const beta = basis.exponents[basis.shellFirstPrimitive[sb] + pb];
          const cb = basis.coefficients[basis.shellFirstPrimitive[sb] + pb];
          const p = alpha + beta;
          const mu = (alpha * beta) / p;
          const kab = ca * cb * Math.exp(-mu * r2);
          const px = (alpha * ax + beta * bx) / p;
          const py = (alpha * ay + beta * by) / p;
          const pz = (alpha * az + beta * bz) / p;
          hermiteE1d(la, jMax, p, px - ax, px - bx, ex);
          hermiteE1d(la, jMax, p, py - ay, py - by, ey);
          hermiteE1d(la, jMax, p, pz - az, pz - bz, ez);
          const sq = Math.sqrt(Math.PI / p);
          const ovl = kab * sq * sq * sq;
          const vScale = (-2 * Math.PI) / p * kab;
          for (let ia = 0; ia < ncA; ia++) {
            const ix = expA[3 * ia], iy = expA[3 * ia + 1], iz = expA[3 * ia + 2];
            for (let ib = 0; ib < ncB; ib++) {
              const jx = expB[3 * ib], jy = expB[3 * ib + 1], jz = expB[3 * ib + 2];
              const exo = (ix * jn + jx) * tn;
              const eyo = (iy * jn + jy) * tn;
              const ezo = (iz * jn + jz) * tn;
              const sx = ex[exo], sy = ey[eyo], sz = ez[ezo];
              const k = ia * ncB + ib;
              cs[k] += ovl * sx * sy * sz;
              if (needKin) {
                // 1D kinetic: −2β² S_{i,j+2} + β(2j+1) S_{ij} − ½ j(j−1) S_{i,j−2}
                const kx = -2 * beta * beta * ex[exo + 2 * tn] + beta * (2 * jx + 1) * sx - (jx >= 2 ? 0.5 * jx * (jx - 1) * ex[exo - 2 * tn] : 0);
                const ky = -2 * beta * beta * ey[eyo + 2 * tn] + beta * (2 * jy + 1) * sy - (jy >= 2 ? 0.5 * jy * (jy - 1) * ey[eyo - 2 * tn] : 0);
                const kz = -2 * beta * beta * ez[ezo + 2 * tn] + beta * (2 * jz + 1) * sz - (jz >= 2 ? 0.5 * jz * (jz - 1) * ez[ezo - 2 * tn] : 0);
                ct[k] += ovl * (kx * sy * sz + sx * ky * sz + sx * sy * kz);
              }
              if (res.x) {
                cx[k] += ovl * (ex[exo + 1] + (px - ox) * sx) * sy * sz;
                cy[k] += ovl * sx * (ey[eyo + 1] + (py - oy) * sy) * sz;
                cz[k] += ovl * sx * sy * (ez[ezo + 1] + (pz - oz) * sz);
              }
            }
          }
          if (res.v && molecule) {
            for (let at = 0; at < nAtoms; at++) {
              const zc = molecule.atomicNumbers[at];
              const qx = molecule.positionsBohr[3 * at], qy = molecule.positionsBohr[3 * at + 1], qz = molecule.positionsBohr[3 * at + 2];
              hermiteCoulomb(lab, p, px - qx, py - qy, pz - qz, vScale * zc, boys, rbuf);
              for (let ia = 0; ia < ncA; ia++) {
                const ix = expA[3 * ia], iy = expA[3 * ia + 1], iz = expA[3 * ia + 2];
                for (let ib = 0; ib < ncB; ib++) {
                  const jx = expB[3 * ib], jy = expB[3 * ib + 1], jz = expB[3 * ib + 2];
                  const exo = (ix * jn + jx) * tn;
                  const eyo = (iy * jn + jy) * tn;
                  const ezo = (iz * jn + jz) * tn;
                  let sum = 0;
                  for (let t = 0; t <= ix + jx; t++) {
                    const et = ex[exo + t];
                    if (et === 0) continue;
                    for (let u = 0; u <= iy + jy; u++) {
                      const eu = et * ey[eyo + u];
                      if (eu === 0) continue;
                      for (let v = 0; v <= iz + jz; v++) sum += eu * ez[ezo + v] * rbuf[hermiteIndex(t, u, v)];
                    }
                  }
                  cv[ia * ncB + ib] += sum;
                }
              }
            }
          }
        }
      }
      const fa = basis.shellFirstFunction[sa];
      const fb = basis.shellFirstFunction[sb];
      if (res.s) storeBlock(cs, la, lb, basis.pure, fa, fb, n, res.s, tmp);
      if (res.t) storeBlock(ct, la, lb, basis.pure, fa, fb, n, res.t, tmp);
      if (res.v) storeBlock(cv, la, lb, basis.pure, fa, fb, n, res.v, tmp);
      if (res.x) {
        storeBlock(cx, la, lb, basis.pure, fa, fb, n, res.x, tmp);
        storeBlock(cy, la, lb, basis.pure, fa, fb, n, res.y!, tmp);
        storeBlock(cz, la, lb, basis.pure, fa, fb, n, res.z!, tmp);
      }
    }
  }
  return res;
}

/** Overlap matrix S (n×n row-major). */
export function overlapMatrix(basis: MolecularBasis): Float64Array {
  return compute(basis, new Set(['overlap'])).s!;
}

/** Kinetic-energy matrix T = ⟨a|−½∇²|b⟩ (n×n row-major, Hartree). */
export function kineticMatrix(basis: MolecularBasis): Float64Array {
  return compute(basis, new Set(['kinetic'])).t!;
}

/** Nuclear-attraction matrix V = ⟨a|−Σ_C Z_C/|r − R_C||b⟩ (n×n row-major, Hartree). */
export function nuclearAttractionMatrix(basis: MolecularBasis, molecule: Molecule): Float64Array {
  return compute(basis, new Set(['nuclear']), molecule).v!;
}

/** Core Hamiltonian H = T + V (n×n row-major, Hartree). */
export function coreHamiltonianMatrix(basis: MolecularBasis, molecule: Molecule): Float64Array {
  const r = compute(basis, new Set(['kinetic', 'nuclear']), molecule);
  const h = r.t!;
  const v = r.v!;
  for (let i = 0; i < h.length; i++) h[i] += v[i];
  return h;
}

/**
 * Overlap S and core Hamiltonian H = T + V in one pass over the shell pairs (the same values as
 * {@link overlapMatrix} and {@link coreHamiltonianMatrix}, sharing the Hermite expansions).
 */
export function overlapAndCoreHamiltonian(basis: MolecularBasis, molecule: Molecule): { overlap: Float64Array; coreHamiltonian: Float64Array } {
  const r = compute(basis, new Set(['overlap', 'kinetic', 'nuclear']), molecule);
  const h = r.t!;
  const v = r.v!;
  for (let i = 0; i < h.length; i++) h[i] += v[i];
  return { overlap: r.s!, coreHamiltonian: h };
}

/** Position (dipole) integral matrices. */
export interface DipoleMatrices {
  /** ⟨a|x − O_x|b⟩, n×n row-major, Bohr. */
  readonly x: Float64Array;
  /** ⟨a|y − O_y|b⟩. */
  readonly y: Float64Array;
  /** ⟨a|z − O_z|b⟩. */
  readonly z: Float64Array;
}

/**
 * Position integrals ⟨a|r − O|b⟩ about `originBohr` (default the coordinate origin). They carry no
 * electron charge: the electronic dipole moment is −Σ_ab D_ab X_ab (Psi4's ao_dipole is −X).
 */
export function dipoleMatrices(basis: MolecularBasis, originBohr?: ArrayLike<number>): DipoleMatrices {
  const r = compute(basis, new Set(['dipole']), undefined, originBohr ?? [0, 0, 0]);
  return { x: r.x!, y: r.y!, z: r.z! };
}
