/**
 * Two- and three-centre Coulomb integrals for density fitting (resolution of the identity):
 *
 *   metric        V_PQ   = (P|Q)  = ∫∫ χ_P(r₁) χ_Q(r₂) / r₁₂
 *   three-centre  (P|mn) = ∫∫ χ_P(r₁) χ_m(r₂) χ_n(r₂) / r₁₂
 *
 * over the functions P, Q of an auxiliary basis and m, n of an orbital basis (both MolecularBasis,
 * pure or cartesian as each basis says, functions in the order of ../basis/shell-functions.ts).
 *
 * Method: McMurchie–Davidson. Every shell (auxiliary) and every shell pair (orbital, A ≥ B) is a
 * "charge distribution set": a list of primitive Gaussians of exponent p at centre P, each with a
 * block E[f·nH + h] of Hermite expansion coefficients per output function f (pure or cartesian,
 * contraction coefficients and the pair's exp(−αβ/p |AB|²) included), h a Hermite index of degree
 * ≤ L (./hermite.ts). A single shell is the pair of itself with an exponent-0 s function. Then
 *
 *   (f|g) = Σ_prims 2π^{5/2} / (p q √(p+q)) Σ_{h₁ h₂} E^{bra}_{f h₁} (−1)^{|h₂|} E^{ket}_{g h₂} R_{h₁+h₂}(pq/(p+q), P − Q)
 *
 * with R the Hermite Coulomb integrals. One routine evaluates (bra set i | ket set j) for any two
 * sets; the ket's E blocks are stored with the (−1)^{|h|} sign already applied.
 *
 * Screening: orbital primitive pairs with max |K E| (π/p)^{3/2} below 1e-15 are dropped, and a
 * three-centre block (P-shell | AB) is skipped when the Schwarz bound sqrt(max (P|P)) ·
 * sqrt(max (ab|ab)) is below the threshold (default 1e-12).
 *
 * Layouts returned: metric naux×naux row-major; three-centre values [P][mn] with mn the packed
 * lower triangle m ≥ n, index m(m+1)/2 + n. threeCentreShellRow gives the columns of the rows m of
 * one orbital shell A (a contiguous packed range, every pair (A, B ≤ A)), so that a caller can split
 * the work by A; it contracts the auxiliary side first (coulombBlockBraFirst) when that is cheaper.
 */
import type { MolecularBasis } from '../basis/index.js';
import { cartesianCount, cartesianExponents, shellTransform } from '../basis/index.js';
import { InputError } from '../core/index.js';
import { hermiteCoulomb, hermiteE1d, hermiteIndex, nHermite } from './hermite.js';

/** Highest Hermite degree of a (auxiliary | orbital pair) product handled here. */
const MAX_DEGREE = 14;
const N_H_MAX = nHermite(MAX_DEGREE);

/** Hermite triple sum table: HSUM[h1·N_H_HALF + h2] = index of (t1+t2, u1+u2, v1+v2). */
const HALF_DEGREE = 8;
const N_H_HALF = nHermite(HALF_DEGREE);
const HSUM = new Int32Array(N_H_HALF * N_H_HALF);
const HT = new Int32Array(N_H_MAX);
const HU = new Int32Array(N_H_MAX);
const HV = new Int32Array(N_H_MAX);
const HSIGN = new Float64Array(N_H_MAX);
for (let d = 0; d <= MAX_DEGREE; d++) {
  for (let t = d; t >= 0; t--) {
    for (let u = d - t; u >= 0; u--) {
      const v = d - t - u;
      const h = hermiteIndex(t, u, v);
      HT[h] = t;
      HU[h] = u;
      HV[h] = v;
      HSIGN[h] = d % 2 === 0 ? 1 : -1;
    }
  }
}
for (let h1 = 0; h1 < N_H_HALF; h1++) {
  for (let h2 = 0; h2 < N_H_HALF; h2++) {
    HSUM[h1 * N_H_HALF + h2] = hermiteIndex(HT[h1] + HT[h2], HU[h1] + HU[h2], HV[h1] + HV[h2]);
  }
}

/** A set of charge distributions: auxiliary shells or orbital shell pairs. See the file header. */
export interface DistributionSet {
  readonly nItems: number;
  /** Hermite degree L of each item (l_A + l_B, or l_P). */
  readonly itemL: Int32Array;
  /** Output functions of each item (n_A·n_B, or n_P). */
  readonly itemFunctions: Int32Array;
  /** First primitive of item i: primStart[i] … primStart[i+1]−1. */
  readonly primStart: Int32Array;
  /** p, P_x, P_y, P_z per primitive. */
  readonly primData: Float64Array;
  /** Offset of each primitive's E block ([f][h], nFunctions·nHermite(L)) in `e`. */
  readonly eOffset: Float64Array;
  /** E blocks without the (−1)^{|h|} sign (bra use). */
  readonly e: Float64Array;
  /** The same blocks with the sign (ket use). */
  readonly eSigned: Float64Array;
  /** Shells A, B of each item (B = −1 for single shells). */
  readonly shellA: Int32Array;
  readonly shellB: Int32Array;
}

/** Growable Float64 buffer. */
class Buffer64 {
  data = new Float64Array(1 << 14);
  length = 0;
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    const grown = new Float64Array(Math.max(2 * this.data.length, this.length + extra));
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }
  push(v: number): void {
    this.reserve(1);
    this.data[this.length++] = v;
  }
  result(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

function checkDegree(l: number, what: string): void {
  if (l > HALF_DEGREE) {
    throw new InputError(`${what}: angular momentum sum ${l} exceeds the density-fitting integrals' limit of ${HALF_DEGREE}`);
  }
}

/**
 * Cartesian Hermite block of one primitive (pair): cart[(ia·ncB + ib)·nh + h] = k·E^x E^y E^z.
 * Returns max |value|.
 */
function cartesianBlock(
  la: number,
  lb: number,
  ex: Float64Array,
  ey: Float64Array,
  ez: Float64Array,
  k: number,
  nh: number,
  cart: Float64Array,
): number {
  const expA = cartesianExponents(la);
  const expB = cartesianExponents(lb);
  const ncA = cartesianCount(la), ncB = cartesianCount(lb);
  const tn = la + lb + 1, jn = lb + 1;
  cart.fill(0, 0, ncA * ncB * nh);
  let maxAbs = 0;
  for (let ia = 0; ia < ncA; ia++) {
    const ix = expA[3 * ia], iy = expA[3 * ia + 1], iz = expA[3 * ia + 2];
    for (let ib = 0; ib < ncB; ib++) {
      const jx = expB[3 * ib], jy = expB[3 * ib + 1], jz = expB[3 * ib + 2];
      const exo = (ix * jn + jx) * tn, eyo = (iy * jn + jy) * tn, ezo = (iz * jn + jz) * tn;
      const base = (ia * ncB + ib) * nh;
      for (let t = 0; t <= ix + jx; t++) {
        for (let u = 0; u <= iy + jy; u++) {
          for (let v = 0; v <= iz + jz; v++) {
            const val = k * ex[exo + t] * ey[eyo + u] * ez[ezo + v];
            cart[base + hermiteIndex(t, u, v)] = val;
            const a = Math.abs(val);
            if (a > maxAbs) maxAbs = a;
          }
        }
      }
    }
  }
  return maxAbs;
}

/** Transform a cartesian block [ia][ib][h] to output functions [a][b][h] (appended to `out`). */
function transformBlock(la: number, lb: number, pureA: boolean, pureB: boolean, nh: number, cart: Float64Array, half: Float64Array, out: Buffer64): void {
  const ta = shellTransform(la, pureA);
  const tb = shellTransform(lb, pureB);
  const ncA = ta.nCartesian, ncB = tb.nCartesian, nfA = ta.nFunctions, nfB = tb.nFunctions;
  half.fill(0, 0, ncA * nfB * nh);
  for (let ia = 0; ia < ncA; ia++) {
    for (let b = 0; b < nfB; b++) {
      for (let ib = 0; ib < ncB; ib++) {
        const w = tb.matrix[b * ncB + ib];
        if (w === 0) continue;
        const src = (ia * ncB + ib) * nh, dst = (ia * nfB + b) * nh;
        for (let h = 0; h < nh; h++) half[dst + h] += w * cart[src + h];
      }
    }
  }
  out.reserve(nfA * nfB * nh);
  const base = out.length;
  out.data.fill(0, base, base + nfA * nfB * nh);
  for (let a = 0; a < nfA; a++) {
    for (let ia = 0; ia < ncA; ia++) {
      const w = ta.matrix[a * ncA + ia];
      if (w === 0) continue;
      for (let b = 0; b < nfB; b++) {
        const src = (ia * nfB + b) * nh, dst = base + (a * nfB + b) * nh;
        for (let h = 0; h < nh; h++) out.data[dst + h] += w * half[src + h];
      }
    }
  }
  out.length += nfA * nfB * nh;
}

function finishSet(
  itemL: number[],
  itemFunctions: number[],
  primStart: number[],
  prim: Buffer64,
  eOffset: number[],
  e: Buffer64,
  shellA: number[],
  shellB: number[],
): DistributionSet {
  const eArr = e.result();
  const eSigned = new Float64Array(eArr.length);
  const nItems = itemL.length;
  for (let i = 0; i < nItems; i++) {
    const nh = nHermite(itemL[i]);
    const nf = itemFunctions[i];
    for (let q = primStart[i]; q < primStart[i + 1]; q++) {
      const off = eOffset[q];
      for (let f = 0; f < nf; f++) {
        for (let h = 0; h < nh; h++) eSigned[off + f * nh + h] = HSIGN[h] * eArr[off + f * nh + h];
      }
    }
  }
  return {
    nItems,
    itemL: Int32Array.from(itemL),
    itemFunctions: Int32Array.from(itemFunctions),
    primStart: Int32Array.from(primStart),
    primData: prim.result(),
    eOffset: Float64Array.from(eOffset),
    e: eArr,
    eSigned,
    shellA: Int32Array.from(shellA),
    shellB: Int32Array.from(shellB),
  };
}

/** Every shell of `basis` as a distribution set (auxiliary basis use). */
export function shellDistributions(basis: MolecularBasis): DistributionSet {
  const itemL: number[] = [], itemF: number[] = [], primStart: number[] = [], eOffset: number[] = [];
  const shellA: number[] = [], shellB: number[] = [];
  const prim = new Buffer64();
  const e = new Buffer64();
  const lmax = basis.maxL;
  checkDegree(lmax, `basis ${basis.name}`);
  const ex = new Float64Array((lmax + 1) * (2 * lmax + 1));
  const ey = new Float64Array(ex.length), ez = new Float64Array(ex.length);
  const nhMax = nHermite(lmax);
  const cart = new Float64Array(cartesianCount(lmax) * nhMax);
  const half = new Float64Array(cart.length);
  for (let s = 0; s < basis.nShells; s++) {
    const l = basis.shellL[s];
    const nh = nHermite(l);
    itemL.push(l);
    itemF.push(basis.shellFunctionCount[s]);
    primStart.push(prim.length / 4);
    shellA.push(s);
    shellB.push(-1);
    const cx = basis.shellCentersBohr[3 * s], cy = basis.shellCentersBohr[3 * s + 1], cz = basis.shellCentersBohr[3 * s + 2];
    for (let k = 0; k < basis.shellPrimitiveCount[s]; k++) {
      const a = basis.exponents[basis.shellFirstPrimitive[s] + k];
      const c = basis.coefficients[basis.shellFirstPrimitive[s] + k];
      hermiteE1d(l, 0, a, 0, 0, ex);
      hermiteE1d(l, 0, a, 0, 0, ey);
      hermiteE1d(l, 0, a, 0, 0, ez);
      cartesianBlock(l, 0, ex, ey, ez, c, nh, cart);
      prim.push(a);
      prim.push(cx);
      prim.push(cy);
      prim.push(cz);
      eOffset.push(e.length);
      transformBlock(l, 0, basis.pure, false, nh, cart, half, e);
    }
  }
  primStart.push(prim.length / 4);
  return finishSet(itemL, itemF, primStart, prim, eOffset, e, shellA, shellB);
}

/**
 * Every shell pair (A, B), A ≥ B, of `basis` as a distribution set, item index A(A+1)/2 + B.
 * Primitive pairs below `primitiveThreshold` (max |K E| (π/p)^{3/2}) are dropped.
 */
export function shellPairDistributions(basis: MolecularBasis, primitiveThreshold = 1e-15): DistributionSet {
  const itemL: number[] = [], itemF: number[] = [], primStart: number[] = [], eOffset: number[] = [];
  const shellA: number[] = [], shellB: number[] = [];
  const prim = new Buffer64();
  const e = new Buffer64();
  const lmax = basis.maxL;
  checkDegree(2 * lmax, `basis ${basis.name}`);
  const ex = new Float64Array((lmax + 1) * (lmax + 1) * (2 * lmax + 1));
  const ey = new Float64Array(ex.length), ez = new Float64Array(ex.length);
  const nhMax = nHermite(2 * lmax);
  const ncMax = cartesianCount(lmax);
  const cart = new Float64Array(ncMax * ncMax * nhMax);
  const half = new Float64Array(cart.length);
  const c = basis.shellCentersBohr;
  for (let A = 0; A < basis.nShells; A++) {
    for (let B = 0; B <= A; B++) {
      const la = basis.shellL[A], lb = basis.shellL[B];
      const nh = nHermite(la + lb);
      itemL.push(la + lb);
      itemF.push(basis.shellFunctionCount[A] * basis.shellFunctionCount[B]);
      primStart.push(prim.length / 4);
      shellA.push(A);
      shellB.push(B);
      const ax = c[3 * A], ay = c[3 * A + 1], az = c[3 * A + 2];
      const bx = c[3 * B], by = c[3 * B + 1], bz = c[3 * B + 2];
      const r2 = (ax - bx) ** 2 + (ay - by) ** 2 + (az - bz) ** 2;
      for (let i = 0; i < basis.shellPrimitiveCount[A]; i++) {
        const alpha = basis.exponents[basis.shellFirstPrimitive[A] + i];
        const ca = basis.coefficients[basis.shellFirstPrimitive[A] + i];
        for (let j = 0; j < basis.shellPrimitiveCount[B]; j++) {
          const beta = basis.exponents[basis.shellFirstPrimitive[B] + j];
          const cb = basis.coefficients[basis.shellFirstPrimitive[B] + j];
          const p = alpha + beta;
          const k = ca * cb * Math.exp(-((alpha * beta) / p) * r2);
          const px = (alpha * ax + beta * bx) / p, py = (alpha * ay + beta * by) / p, pz = (alpha * az + beta * bz) / p;
          hermiteE1d(la, lb, p, px - ax, px - bx, ex);
          hermiteE1d(la, lb, p, py - ay, py - by, ey);
          hermiteE1d(la, lb, p, pz - az, pz - bz, ez);
          const maxAbs = cartesianBlock(la, lb, ex, ey, ez, k, nh, cart);
          if (maxAbs * (Math.PI / p) ** 1.5 < primitiveThreshold) continue;
          prim.push(p);
          prim.push(px);
          prim.push(py);
          prim.push(pz);
          eOffset.push(e.length);
          transformBlock(la, lb, basis.pure, basis.pure, nh, cart, half, e);
        }
      }
    }
  }
  primStart.push(prim.length / 4);
  return finishSet(itemL, itemF, primStart, prim, eOffset, e, shellA, shellB);
}

/** Scratch of {@link coulombBlock}. */
export interface CoulombScratch {
  /** Result (bra functions × ket functions, row-major) of the last call. */
  out: Float64Array;
  r: Float64Array;
  w: Float64Array;
  boys: Float64Array;
  /** Bra functions × ket Hermite indices (used by {@link coulombBlockBraFirst}). */
  v?: Float64Array;
}

/** Scratch large enough for blocks of the given sets. */
export function createCoulombScratch(bra: DistributionSet, ket: DistributionSet): CoulombScratch {
  let lb = 0, lk = 0, fb = 0, fk = 0;
  for (let i = 0; i < bra.nItems; i++) {
    lb = Math.max(lb, bra.itemL[i]);
    fb = Math.max(fb, bra.itemFunctions[i]);
  }
  for (let i = 0; i < ket.nItems; i++) {
    lk = Math.max(lk, ket.itemL[i]);
    fk = Math.max(fk, ket.itemFunctions[i]);
  }
  return {
    out: new Float64Array(fb * fk),
    r: new Float64Array(nHermite(lb + lk)),
    w: new Float64Array(nHermite(lb) * fk),
    boys: new Float64Array(lb + lk + 1),
    v: new Float64Array(fb * nHermite(lk)),
  };
}

const TWO_PI_2_5 = 2 * Math.PI ** 2.5;

/**
 * (bra item i | ket item j) into scratch.out[f·nKet + g] (see the file header for the formula).
 * No allocation.
 */
export function coulombBlock(bra: DistributionSet, i: number, ket: DistributionSet, j: number, s: CoulombScratch): void {
  const lb = bra.itemL[i], lk = ket.itemL[j];
  const nb = bra.itemFunctions[i], nk = ket.itemFunctions[j];
  const nhb = nHermite(lb), nhk = nHermite(lk);
  const L = lb + lk;
  const out = s.out, r = s.r, w = s.w, boys = s.boys;
  out.fill(0, 0, nb * nk);
  const bp = bra.primData, kp = ket.primData;
  const be = bra.e, ke = ket.eSigned;
  for (let a = bra.primStart[i]; a < bra.primStart[i + 1]; a++) {
    const p = bp[4 * a], px = bp[4 * a + 1], py = bp[4 * a + 2], pz = bp[4 * a + 3];
    w.fill(0, 0, nhb * nk);
    for (let b = ket.primStart[j]; b < ket.primStart[j + 1]; b++) {
      const q = kp[4 * b];
      const x = px - kp[4 * b + 1], y = py - kp[4 * b + 2], z = pz - kp[4 * b + 3];
      const alpha = (p * q) / (p + q);
      hermiteCoulomb(L, alpha, x, y, z, TWO_PI_2_5 / (p * q * Math.sqrt(p + q)), boys, r);
      const eo = ket.eOffset[b];
      // w[h1][g] += Σ_h2 E^ket_{g h2} R[h1 + h2]
      for (let h1 = 0; h1 < nhb; h1++) {
        const row = h1 * N_H_HALF;
        const wo = h1 * nk;
        for (let g = 0; g < nk; g++) {
          const go = eo + g * nhk;
          let sum = 0;
          for (let h2 = 0; h2 < nhk; h2++) sum += ke[go + h2] * r[HSUM[row + h2]];
          w[wo + g] += sum;
        }
      }
    }
    const eo = bra.eOffset[a];
    // out[f][g] += Σ_h1 E^bra_{f h1} w[h1][g]
    for (let f = 0; f < nb; f++) {
      const fo = eo + f * nhb;
      const oo = f * nk;
      for (let h1 = 0; h1 < nhb; h1++) {
        const v = be[fo + h1];
        if (v === 0) continue;
        const wo = h1 * nk;
        for (let g = 0; g < nk; g++) out[oo + g] += v * w[wo + g];
      }
    }
  }
}

/**
 * The same block as {@link coulombBlock}, contracted in the other order: per primitive pair
 * v[f][h₂] = Σ_{h₁} E^bra_{f h₁} R_{h₁+h₂}, then out[f][g] += Σ_{h₂} v[f][h₂] E^ket_{g h₂}. Cheaper
 * when the bra has few functions of high degree (an auxiliary shell against an orbital pair):
 * n_f·n_h₂·(n_h₁ + n_g) instead of n_h₁·n_g·n_h₂ multiply–adds per primitive pair. No allocation.
 */
export function coulombBlockBraFirst(bra: DistributionSet, i: number, ket: DistributionSet, j: number, s: CoulombScratch): void {
  const lb = bra.itemL[i], lk = ket.itemL[j];
  const nb = bra.itemFunctions[i], nk = ket.itemFunctions[j];
  const nhb = nHermite(lb), nhk = nHermite(lk);
  const L = lb + lk;
  const out = s.out, r = s.r, boys = s.boys;
  const v = s.v!;
  out.fill(0, 0, nb * nk);
  const bp = bra.primData, kp = ket.primData;
  const be = bra.e, ke = ket.eSigned;
  for (let a = bra.primStart[i]; a < bra.primStart[i + 1]; a++) {
    const p = bp[4 * a], px = bp[4 * a + 1], py = bp[4 * a + 2], pz = bp[4 * a + 3];
    const ea = bra.eOffset[a];
    for (let b = ket.primStart[j]; b < ket.primStart[j + 1]; b++) {
      const q = kp[4 * b];
      const x = px - kp[4 * b + 1], y = py - kp[4 * b + 2], z = pz - kp[4 * b + 3];
      hermiteCoulomb(L, (p * q) / (p + q), x, y, z, TWO_PI_2_5 / (p * q * Math.sqrt(p + q)), boys, r);
      for (let f = 0; f < nb; f++) {
        const fo = ea + f * nhb;
        const vo = f * nhk;
        v.fill(0, vo, vo + nhk);
        for (let h1 = 0; h1 < nhb; h1++) {
          const e = be[fo + h1];
          if (e === 0) continue;
          const row = h1 * N_H_HALF;
          for (let h2 = 0; h2 < nhk; h2++) v[vo + h2] += e * r[HSUM[row + h2]];
        }
      }
      const eb = ket.eOffset[b];
      for (let f = 0; f < nb; f++) {
        const vo = f * nhk;
        const oo = f * nk;
        for (let g = 0; g < nk; g++) {
          const go = eb + g * nhk;
          let sum = 0;
          for (let h2 = 0; h2 < nhk; h2++) sum += v[vo + h2] * ke[go + h2];
          out[oo + g] += sum;
        }
      }
    }
  }
}

/**
 * The Coulomb metric V_PQ = (P|Q) of an auxiliary basis, naux×naux row-major (symmetric).
 * @throws InputError for shells beyond the supported angular momentum.
 */
export function coulombMetric(aux: MolecularBasis): Float64Array {
  const set = shellDistributions(aux);
  const n = aux.nFunctions;
  const v = new Float64Array(n * n);
  const s = createCoulombScratch(set, set);
  for (let i = 0; i < set.nItems; i++) {
    const fi = aux.shellFirstFunction[i], ni = aux.shellFunctionCount[i];
    for (let j = 0; j <= i; j++) {
      const fj = aux.shellFirstFunction[j], nj = aux.shellFunctionCount[j];
      coulombBlock(set, i, set, j, s);
      for (let a = 0; a < ni; a++) {
        for (let b = 0; b < nj; b++) {
          const val = s.out[a * nj + b];
          v[(fi + a) * n + fj + b] = val;
          v[(fj + b) * n + fi + a] = val;
        }
      }
    }
  }
  return v;
}

/** Precomputed data of {@link threeCentreIntegrals}, reusable across auxiliary blocks. */
export interface ThreeCentreData {
  readonly orbital: MolecularBasis;
  readonly aux: MolecularBasis;
  readonly pairs: DistributionSet;
  readonly auxShells: DistributionSet;
  /** sqrt(max_ab |(ab|ab)|) per orbital shell pair and sqrt(max_P (P|P)) per auxiliary shell. */
  readonly pairBound: Float64Array;
  readonly auxBound: Float64Array;
  readonly threshold: number;
}

/**
 * Shell-pair and auxiliary-shell data and their Schwarz bounds for {@link threeCentreIntegrals}.
 * @param threshold skip blocks whose Schwarz bound is below this (default 1e-12 Hartree).
 */
export function prepareThreeCentre(orbital: MolecularBasis, aux: MolecularBasis, threshold = 1e-12): ThreeCentreData {
  const pairs = shellPairDistributions(orbital);
  const auxShells = shellDistributions(aux);
  const pairBound = new Float64Array(pairs.nItems);
  const sp = createCoulombScratch(pairs, pairs);
  for (let x = 0; x < pairs.nItems; x++) {
    coulombBlock(pairs, x, pairs, x, sp);
    const nf = pairs.itemFunctions[x];
    let m = 0;
    for (let f = 0; f < nf; f++) m = Math.max(m, Math.abs(sp.out[f * nf + f]));
    pairBound[x] = Math.sqrt(m);
  }
  const auxBound = new Float64Array(auxShells.nItems);
  const sa = createCoulombScratch(auxShells, auxShells);
  for (let i = 0; i < auxShells.nItems; i++) {
    coulombBlock(auxShells, i, auxShells, i, sa);
    const nf = auxShells.itemFunctions[i];
    let m = 0;
    for (let f = 0; f < nf; f++) m = Math.max(m, Math.abs(sa.out[f * nf + f]));
    auxBound[i] = Math.sqrt(m);
  }
  return { orbital, aux, pairs, auxShells, pairBound, auxBound, threshold };
}

/**
 * Three-centre integrals (P|mn) for the auxiliary shells [shellStart, shellEnd), written to
 * out[(P − P₀)·nPair + mn] with P₀ the first function of shellStart, nPair = n(n+1)/2 and mn the
 * packed index m(m+1)/2 + n (m ≥ n). `out` must hold (functions of the shells)·nPair values; it is
 * overwritten (screened blocks are zero).
 */
export function threeCentreIntegrals(data: ThreeCentreData, shellStart: number, shellEnd: number, out: Float64Array): void {
  const { orbital, aux, pairs, auxShells, pairBound, auxBound, threshold } = data;
  const n = orbital.nFunctions;
  const nPair = (n * (n + 1)) / 2;
  const p0 = aux.shellFirstFunction[shellStart];
  const pEnd = shellEnd < aux.nShells ? aux.shellFirstFunction[shellEnd] : aux.nFunctions;
  out.fill(0, 0, (pEnd - p0) * nPair);
  const s = createCoulombScratch(auxShells, pairs);
  for (let c = shellStart; c < shellEnd; c++) {
    const fc = aux.shellFirstFunction[c] - p0, nc = aux.shellFunctionCount[c];
    for (let x = 0; x < pairs.nItems; x++) {
      if (auxBound[c] * pairBound[x] < threshold) continue;
      coulombBlock(auxShells, c, pairs, x, s);
      const A = pairs.shellA[x], B = pairs.shellB[x];
      const fa = orbital.shellFirstFunction[A], na = orbital.shellFunctionCount[A];
      const fb = orbital.shellFirstFunction[B], nb = orbital.shellFunctionCount[B];
      const nab = na * nb;
      for (let pc = 0; pc < nc; pc++) {
        const row = (fc + pc) * nPair;
        const src = pc * nab;
        for (let a = 0; a < na; a++) {
          const m = fa + a;
          const mRow = row + (m * (m + 1)) / 2;
          const bTop = A === B ? a + 1 : nb;
          for (let b = 0; b < bTop; b++) out[mRow + fb + b] = s.out[src + a * nb + b];
        }
      }
    }
  }
}

/**
 * Packed columns of the rows m of orbital shell A: mn = m(m+1)/2 + n for m in A and n ≤ m form the
 * contiguous range [start, start + width) of the packed index (start = f(f+1)/2 for f the first
 * function of A).
 */
export function shellRowColumns(orbital: MolecularBasis, shellA: number): { start: number; width: number } {
  const f = orbital.shellFirstFunction[shellA];
  const e = f + orbital.shellFunctionCount[shellA];
  return { start: (f * (f + 1)) / 2, width: (e * (e + 1)) / 2 - (f * (f + 1)) / 2 };
}

/**
 * Three-centre integrals (P|mn) for every auxiliary function P and the rows m of orbital shell A
 * (all n ≤ m), written to out[P·width + (mn − start)] with start and width of
 * {@link shellRowColumns}. `out` must hold nAux·width values; it is overwritten (screened blocks
 * are zero). Shell pairs (A, B ≤ A) of one call share A, so a caller can split the work by A.
 */
export function threeCentreShellRow(data: ThreeCentreData, shellA: number, out: Float64Array, scratch?: CoulombScratch): void {
  const { orbital, aux, pairs, auxShells, pairBound, auxBound, threshold } = data;
  const { start, width } = shellRowColumns(orbital, shellA);
  out.fill(0, 0, aux.nFunctions * width);
  const s = scratch ?? createCoulombScratch(auxShells, pairs);
  const A = shellA;
  const fa = orbital.shellFirstFunction[A], na = orbital.shellFunctionCount[A];
  for (let B = 0; B <= A; B++) {
    const x = (A * (A + 1)) / 2 + B;
    const fb = orbital.shellFirstFunction[B], nb = orbital.shellFunctionCount[B];
    const nab = na * nb;
    const bound = pairBound[x];
    for (let c = 0; c < aux.nShells; c++) {
      if (auxBound[c] * bound < threshold) continue;
      const nc = aux.shellFunctionCount[c];
      const nhc = nHermite(auxShells.itemL[c]);
      if (nc * (nhc + nab) < nhc * nab) coulombBlockBraFirst(auxShells, c, pairs, x, s);
      else coulombBlock(auxShells, c, pairs, x, s);
      const fc = aux.shellFirstFunction[c];
      for (let pc = 0; pc < nc; pc++) {
        const row = (fc + pc) * width - start;
        const src = pc * nab;
        for (let a = 0; a < na; a++) {
          const m = fa + a;
          const mRow = row + (m * (m + 1)) / 2 + fb;
          const bTop = A === B ? a + 1 : nb;
          for (let b = 0; b < bTop; b++) out[mRow + b] = s.out[src + a * nb + b];
        }
      }
    }
  }
}
