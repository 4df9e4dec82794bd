/**
 * Precomputed shell-pair data for the McMurchie–Davidson ERI kernel (built once per basis).
 *
 * Consecutive shells of one atom that share their exponents — the s and p halves of a Pople SP
 * shell, and the generally contracted shells of equal l of correlation-consistent sets — are
 * grouped into one "ERI shell", so the Boys function, R_{tuv} and the ket contraction of a
 * primitive quartet are computed once for all its functions.
 *
 * For each group pair X = (A, B) with group index A ≥ B, pair index X = A(A+1)/2 + B, and each kept
 * primitive pair P (α from A, β from B):
 *   primData[4P .. 4P+3] = p = α + β, P_x, P_y, P_z;
 *   eBra[eStart[X] + P'·blockSize[X] + ab·nH + h]  = K_P · E^{ab}_h   (ab = a·nB + b over output functions),
 *   eKet[eStart[X] + P'·blockSize[X] + h·nAB + ab] = (−1)^{|h|} K_P · E^{ab}_h,
 * where P' counts the pair's primitives, K_P = c_α c_β exp(−αβ/p |AB|²) with the coefficients of
 * the shells that a and b belong to, h runs over Hermite indices of degree ≤ max l_A + max l_B
 * (see hermite.ts; entries above l_a + l_b are zero) and E^{ab}_h is already transformed to the
 * output functions (pure or cartesian), so the kernel never sees cartesian components.
 * Primitive pairs whose charge distribution is below `primitiveThreshold` are dropped.
 */
import type { MolecularBasis } from '../basis/index.js';
import { cartesianCount, cartesianExponents, shellTransform } from '../basis/index.js';
import { HERM_SIGN, hermiteE1d, hermiteIndex, nHermite } from './hermite.js';

/** Flat shell-pair data; see the file header for the layout. */
export interface ShellPairData {
  readonly nPairs: number;
  /** Number of ERI shell groups. */
  readonly nGroups: number;
  /** First basis function and number of functions of each group. */
  readonly groupFirstFunction: Int32Array;
  readonly groupFunctionCount: Int32Array;
  readonly pairA: Int32Array;
  readonly pairB: Int32Array;
  /** max l_A + max l_B. */
  readonly pairL: Int32Array;
  /** Degree l_a + l_b of every function pair ab of pair X, at degreeStart[X] + ab. */
  readonly degreeStart: Int32Array;
  readonly degrees: Int32Array;
  /**
   * Reflection parity of every function pair ab of pair X, at degreeStart[X] + ab: bit i (x, y, z)
   * set when the product of functions a and b is odd under reflection of axis i through its centre
   * (every cartesian and every real solid harmonic has a definite parity in each axis).
   */
  readonly parities: Uint8Array;
  /** Centre of each group (Bohr), [3·group + axis]. */
  readonly groupCenter: Float64Array;
  /** Bit i set when the two centres of pair X have equal coordinate i. */
  readonly pairAxisMask: Uint8Array;
  /**
   * Kernel class of each pair: pairs with equal class have the same pairL, degree pattern and
   * parity pattern (kernels specialised by reflection parity are looked up by class: a group of
   * three s shells times a p shell and the p shell times the group have equal degrees but
   * differently ordered parities).
   */
  readonly pairClass: Int32Array;
  readonly nClasses: number;
  /** Number of output functions of A and of B. */
  readonly pairNA: Int32Array;
  readonly pairNB: Int32Array;
  /** First primitive pair of X in primData (index of the pair, not ×4); length nPairs + 1. */
  readonly primStart: Int32Array;
  readonly primData: Float64Array;
  /** Offset of X's E blocks in eBra/eKet, and the size of one block (nA·nB·nHermite(l_A+l_B)). */
  readonly eStart: Float64Array;
  readonly blockSize: Int32Array;
  readonly eBra: Float64Array;
  readonly eKet: Float64Array;
}

interface ShellGroup {
  atom: number;
  shells: number[];
  lMax: number;
  firstFunction: number;
  nFunctions: number;
  firstPrimitive: number;
  nPrimitives: number;
}

function sameExponents(basis: MolecularBasis, s: number, t: number): boolean {
  if (basis.shellAtom[s] !== basis.shellAtom[t]) return false;
  const n = basis.shellPrimitiveCount[s];
  if (basis.shellPrimitiveCount[t] !== n) return false;
  const fs = basis.shellFirstPrimitive[s], ft = basis.shellFirstPrimitive[t];
  for (let i = 0; i < n; i++) if (basis.exponents[fs + i] !== basis.exponents[ft + i]) return false;
  return true;
}

/** Group consecutive shells of one atom with identical exponents. */
function groupShells(basis: MolecularBasis, merge: boolean): ShellGroup[] {
  const groups: ShellGroup[] = [];
  for (let s = 0; s < basis.nShells; s++) {
    const last = groups[groups.length - 1];
    // Shells of different l (Pople SP shells) and generally contracted shells of equal l
    // (cc-pVXZ: Br's four 18-primitive s shells, three 11-primitive p shells) share one
    // primitive-quartet computation (Boys function, R_{tuv} and the ket contraction W) for all
    // their functions instead of repeating it per contracted shell quartet.
    if (merge && last && sameExponents(basis, last.shells[0], s)) {
      last.shells.push(s);
      last.lMax = Math.max(last.lMax, basis.shellL[s]);
      last.nFunctions += basis.shellFunctionCount[s];
    } else {
      groups.push({
        atom: basis.shellAtom[s],
        shells: [s],
        lMax: basis.shellL[s],
        firstFunction: basis.shellFirstFunction[s],
        nFunctions: basis.shellFunctionCount[s],
        firstPrimitive: basis.shellFirstPrimitive[s],
        nPrimitives: basis.shellPrimitiveCount[s],
      });
    }
  }
  return groups;
}

const parityCache = new Map<string, Uint8Array>();

/** Reflection parity bits (x: 1, y: 2, z: 4) of each output function of a shell of angular momentum l. */
export function functionParities(l: number, pure: boolean): Uint8Array {
  const key = `${l}|${pure}`;
  let out = parityCache.get(key);
  if (!out) {
    const t = shellTransform(l, pure);
    const exps = cartesianExponents(l);
    out = new Uint8Array(t.nFunctions);
    for (let f = 0; f < t.nFunctions; f++) {
      let parity = -1;
      for (let c = 0; c < t.nCartesian; c++) {
        if (t.matrix[f * t.nCartesian + c] === 0) continue;
        const pc = (exps[3 * c] & 1) | ((exps[3 * c + 1] & 1) << 1) | ((exps[3 * c + 2] & 1) << 2);
        if (parity >= 0 && pc !== parity) throw new Error(`function ${f} of the l = ${l} shell has no definite reflection parity`);
        parity = pc;
      }
      out[f] = parity;
    }
    parityCache.set(key, out);
  }
  return out;
}

/** Options of {@link buildShellPairs}. */
export interface ShellPairOptions {
  /** Drop primitive pairs with max |K E| (π/p)^{3/2} below this (default 1e-16). */
  primitiveThreshold?: number;
  /** Group shells of one atom sharing exponents (default true). */
  groupSharedExponents?: boolean;
}

/** Build the shell-pair data of a basis. */
export function buildShellPairs(basis: MolecularBasis, options: ShellPairOptions = {}): ShellPairData {
  const primitiveThreshold = options.primitiveThreshold ?? 1e-16;
  const groups = groupShells(basis, options.groupSharedExponents ?? true);
  const nGroups = groups.length;
  const nPairs = (nGroups * (nGroups + 1)) / 2;
  const pairA = new Int32Array(nPairs);
  const pairB = new Int32Array(nPairs);
  const pairL = new Int32Array(nPairs);
  const pairNA = new Int32Array(nPairs);
  const pairNB = new Int32Array(nPairs);
  const primStart = new Int32Array(nPairs + 1);
  const eStart = new Float64Array(nPairs);
  const blockSize = new Int32Array(nPairs);
  const degreeStart = new Int32Array(nPairs + 1);
  const degreeList: number[] = [];
  const parityList: number[] = [];
  const pairAxisMask = new Uint8Array(nPairs);
  const pairClass = new Int32Array(nPairs);
  const classIds = new Map<string, number>();
  const prim: number[] = [];
  const lmax = basis.maxL;
  // E blocks of all kept primitive pairs, in one buffer sized for every primitive pair (a few are
  // dropped by the threshold): no growth, and no large buffer for a small basis.
  let blockCapacity = 0;
  for (let A = 0; A < nGroups; A++) {
    for (let B = 0; B <= A; B++) {
      const ga = groups[A], gb = groups[B];
      blockCapacity += ga.nPrimitives * gb.nPrimitives * ga.nFunctions * gb.nFunctions * nHermite(ga.lMax + gb.lMax);
    }
  }
  const blocks = new Float64Array(blockCapacity);
  let eTotal = 0;
  const e1Size = (lmax + 1) * (lmax + 1) * (2 * lmax + 1);
  const ex = new Float64Array(e1Size);
  const ey = new Float64Array(e1Size);
  const ez = new Float64Array(e1Size);
  const c = basis.shellCentersBohr;
  const ncMax = cartesianCount(lmax);
  const cart = new Float64Array(ncMax * ncMax * nHermite(2 * lmax));
  const half = new Float64Array(ncMax * ncMax * nHermite(2 * lmax));
  let nPrimPairs = 0;
  for (let A = 0; A < nGroups; A++) {
    for (let B = 0; B <= A; B++) {
      const X = (A * (A + 1)) / 2 + B;
      const ga = groups[A];
      const gb = groups[B];
      const nA = ga.nFunctions;
      const nB = gb.nFunctions;
      const lab = ga.lMax + gb.lMax;
      const nh = nHermite(lab);
      pairA[X] = A;
      pairB[X] = B;
      pairL[X] = lab;
      pairNA[X] = nA;
      pairNB[X] = nB;
      primStart[X] = nPrimPairs;
      degreeStart[X] = degreeList.length;
      for (const sa of ga.shells) {
        const parA = functionParities(basis.shellL[sa], basis.pure);
        for (let a = 0; a < basis.shellFunctionCount[sa]; a++) {
          for (const sb of gb.shells) {
            const parB = functionParities(basis.shellL[sb], basis.pure);
            for (let b = 0; b < basis.shellFunctionCount[sb]; b++) {
              degreeList.push(basis.shellL[sa] + basis.shellL[sb]);
              parityList.push(parA[a] ^ parB[b]);
            }
          }
        }
      }
      const key = `${lab}:${nA}:${nB}:${degreeList.slice(degreeStart[X]).join(',')}:${parityList.slice(degreeStart[X]).join(',')}`;
      let cls = classIds.get(key);
      if (cls === undefined) {
        cls = classIds.size;
        classIds.set(key, cls);
      }
      pairClass[X] = cls;
      const bs = nA * nB * nh;
      blockSize[X] = bs;
      eStart[X] = eTotal;
      const sA0 = ga.shells[0], sB0 = gb.shells[0];
      const ax = c[3 * sA0], ay = c[3 * sA0 + 1], az = c[3 * sA0 + 2];
      const bx = c[3 * sB0], by = c[3 * sB0 + 1], bz = c[3 * sB0 + 2];
      const r2 = (ax - bx) ** 2 + (ay - by) ** 2 + (az - bz) ** 2;
      pairAxisMask[X] = (ax === bx ? 1 : 0) | (ay === by ? 2 : 0) | (az === bz ? 4 : 0);
      const la = ga.lMax, lb = gb.lMax;
      const tn = lab + 1;
      const jn = lb + 1;
      for (let pa = 0; pa < ga.nPrimitives; pa++) {
        const alpha = basis.exponents[ga.firstPrimitive + pa];
        for (let pb = 0; pb < gb.nPrimitives; pb++) {
          const beta = basis.exponents[gb.firstPrimitive + pb];
          const p = alpha + beta;
          const expFactor = Math.exp(-((alpha * beta) / p) * r2);
          const px = (alpha * ax + beta * bx) / p;
          const py = (alpha * ay + beta * by) / p;
          const pz = (alpha * az + beta * bz) / p;
          hermiteE1d(la, lb, p, px - ax, px - bx, ex);
          hermiteE1d(la, lb, p, py - ay, py - by, ey);
          hermiteE1d(la, lb, p, pz - az, pz - bz, ez);
          const block = blocks.subarray(eTotal, eTotal + bs);
          block.fill(0);
          const maxAbs = primitivePairBlock(basis, ga, gb, pa, pb, expFactor, ex, ey, ez, tn, jn, nh, nB, cart, half, block);
          if (maxAbs * (Math.PI / p) ** 1.5 < primitiveThreshold) continue;
          prim.push(p, px, py, pz);
          nPrimPairs++;
          eTotal += bs;
        }
      }
    }
  }
  primStart[nPairs] = nPrimPairs;
  degreeStart[nPairs] = degreeList.length;
  const eBra = blocks.slice(0, eTotal);
  const eKet = new Float64Array(eTotal);
  let off = 0;
  let X = 0;
  for (let q = 0; q < nPrimPairs; q++) {
    while (primStart[X + 1] <= q) X++;
    const nab = pairNA[X] * pairNB[X];
    const nh = nHermite(pairL[X]);
    for (let ab = 0; ab < nab; ab++) {
      for (let h = 0; h < nh; h++) eKet[off + h * nab + ab] = HERM_SIGN[h] * eBra[off + ab * nh + h];
    }
    off += blockSize[X];
  }
  return {
    nPairs,
    nGroups,
    groupFirstFunction: Int32Array.from(groups.map((g) => g.firstFunction)),
    groupFunctionCount: Int32Array.from(groups.map((g) => g.nFunctions)),
    pairA,
    pairB,
    pairL,
    degreeStart,
    degrees: Int32Array.from(degreeList),
    parities: Uint8Array.from(parityList),
    groupCenter: Float64Array.from(groups.flatMap((g) => [c[3 * g.shells[0]], c[3 * g.shells[0] + 1], c[3 * g.shells[0] + 2]])),
    pairAxisMask,
    pairClass,
    nClasses: classIds.size,
    pairNA,
    pairNB,
    primStart,
    primData: Float64Array.from(prim),
    eStart,
    blockSize,
    eBra,
    eKet,
  };
}

/**
 * Write K·E^{ab}_h of primitive pair (pa of group ga, pb of group gb), K = c_a c_b · expFactor with
 * the coefficients of each shell, transformed to output functions, into the zeroed `block`
 * ([ab][h]) from the 1D tables ex/ey/ez; returns max |K E| over the cartesian components.
 * Kept apart from buildShellPairs so that each is optimised on its own: as one large function it
 * compiled slowly, and twice (on loop entry and on a later call), in every fresh process.
 */
function primitivePairBlock(
  basis: MolecularBasis,
  ga: ShellGroup,
  gb: ShellGroup,
  pa: number,
  pb: number,
  expFactor: number,
  ex: Float64Array,
  ey: Float64Array,
  ez: Float64Array,
  tn: number,
  jn: number,
  nh: number,
  nB: number,
  cart: Float64Array,
  half: Float64Array,
  block: Float64Array,
): number {
  let maxAbs = 0;
  let aOff = 0;
  for (const sa of ga.shells) {
    const lsa = basis.shellL[sa];
    const ta = shellTransform(lsa, basis.pure);
    const ncA = ta.nCartesian;
    const expA = cartesianExponents(lsa);
    const ca = basis.coefficients[basis.shellFirstPrimitive[sa] + pa];
    let bOff = 0;
    for (const sb of gb.shells) {
      const lsb = basis.shellL[sb];
      const tb = shellTransform(lsb, basis.pure);
      const ncB = tb.nCartesian;
      const expB = cartesianExponents(lsb);
      const k = ca * basis.coefficients[basis.shellFirstPrimitive[sb] + pb] * expFactor;
      cart.fill(0, 0, ncA * ncB * nh);
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
                if (Math.abs(val) > maxAbs) maxAbs = Math.abs(val);
              }
            }
          }
        }
      }
      // Transform b then a to output functions, into the block rows of this shell pair.
      const nfA = ta.nFunctions, nfB = tb.nFunctions;
      half.fill(0, 0, ncA * nfB * nh);
      for (let ia = 0; ia < ncA; ia++) {
        for (let b = 0; b < nfB; b++) {
          for (let ib = 0; ib < ncB; ib++) {
            const w = tb.matrix[b * ncB + ib];
            if (w === 0) continue;
            const src = (ia * ncB + ib) * nh;
            const dst = (ia * nfB + b) * nh;
            for (let h = 0; h < nh; h++) half[dst + h] += w * cart[src + h];
          }
        }
      }
      for (let a = 0; a < nfA; a++) {
        for (let ia = 0; ia < ncA; ia++) {
          const w = ta.matrix[a * ncA + ia];
          if (w === 0) continue;
          for (let b = 0; b < nfB; b++) {
            const src = (ia * nfB + b) * nh;
            const dst = ((aOff + a) * nB + bOff + b) * nh;
            for (let h = 0; h < nh; h++) block[dst + h] += w * half[src + h];
          }
        }
      }
      bOff += nfB;
    }
    aOff += ta.nFunctions;
  }
  return maxAbs;
}
