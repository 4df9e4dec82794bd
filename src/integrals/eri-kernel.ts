/**
 * Electron-repulsion kernel: one contracted shell quartet (X|Y) by McMurchie–Davidson.
 *
 * Why McMurchie–Davidson: the E coefficients of each shell pair (already contracted with the
 * pure/cartesian transform and the prefactor K) are built once per pair and reused for every
 * quartet, and the per-primitive-quartet work is then one Boys evaluation, the R_{tuv} recursion
 * and a small dense contraction — no cartesian intermediates and no per-quartet HRR. For the s/p/d
 * shells that dominate (6-31G, cc-pVDZ) this is fewer operations than Rys quadrature (which needs
 * root finding per primitive quartet) and much simpler code than Obara–Saika/HGP with its
 * per-class recursion trees; (ss|ss) — the bulk of contracted core quartets — is a special case
 * costing one Boys F₀ per primitive quartet. Contraction happens inside the kernel:
 *
 *   (ab|cd) = Σ_P Σ_h Ebra_P[ab][h] · W_P[h][cd],
 *   W_P[h][cd] = Σ_Q Σ_k R_{h+k}(α_PQ, P−Q) · 2π^{5/2}/(pq√(p+q)) · Eket_Q[k][cd],
 *
 * with Eket already carrying the sign (−1)^{|k|}. `out[ab·nY + cd]`, ab over the bra pair's output
 * functions (a·nB + b), cd over the ket pair's.
 *
 * Dispatch: (ss|ss) inline; classes with a generated straight-line kernel (./eri-codegen.ts, the
 * s/p/d classes) run that, specialised for the axes the four centres share (none; one for a planar
 * molecule in a coordinate plane; two along an axis; all three for one-centre quartets); everything
 * else runs table-driven loops: the reflection-parity kernel (./eri-parity.ts) when the four
 * centres share a coordinate and the dense one below otherwise.
 *
 * Reflection parity: along an axis on which all four centres lie at the same coordinate, P − A,
 * P − B and P − Q vanish for every primitive quartet, so E^{ab}_h vanishes unless h has the
 * parity of the function product ab on that axis (every cartesian and real solid harmonic has a
 * definite parity per axis) and R_{h+k} unless h + k is even there. The parity kernel sums only
 * the surviving terms: per shared axis half the h and half the k, and only products ab, cd of
 * matching parity — for a one-centre quartet 1/64 of the W = R·E_ket work. These quartets are
 * the bulk of a heavy atom's integrals (HBr/cc-pVTZ: the Br block is most of the work), and of
 * every quartet of a planar or linear molecule.
 *
 * High angular momentum (pd, dd, fd, ff, … pairs) stays with this McMurchie–Davidson path, whose
 * cost per primitive quartet is the small matrix product W += R_{h+k}·E_ket (nH_X × nH_Y × n_Y
 * multiply–adds). Measured on HBr/cc-pVTZ (57 functions, Br [6s5p3d1f]; user CPU time of the warm
 * ERI build, one thread, interleaved runs on a loaded 2-core machine, best of 3):
 *   - unrolling these classes too (generated straight-line code up to 6000 or 20000 statements
 *     instead of 2000): 18.5 s and 30.4 s against 11.4 s — the functions are too large for the
 *     optimising compiler to keep values in registers;
 *   - register blocking of the two inner products (two h rows × four k per pass over W, four h per
 *     pass over the output): 6.0 s against 11.4 s (four k alone: 8.2 s); benzene/6-31G*: 1.6 s
 *     against 2.1 s.
 * Head-Gordon–Pople (VRR to (e0|f0) per primitive quartet, HRR after contraction) would spend about
 * as many operations per primitive quartet on these mostly contracted classes (Br p and d shells
 * carry 11 and 7 primitives), and Rys quadrature more (roots per primitive quartet, cartesian
 * intermediates before the pure transform), so neither was worth its per-class code here.
 * Counted for the (p d|p d)-type classes that dominate HBr once general contraction is grouped
 * (./shell-pairs.ts; bra and ket each a 3-shell p group times a d shell): an OS/HGP VRR to
 * [e0|f0], e, f ≤ 3, is ≈ 1000 targets × ≈ 10 flops per primitive quartet plus 256 targets × 9
 * contracted combinations for the contraction, against 20·20·45 = 18000 multiply–adds of the dense
 * W here — 2× at best before the cost of table-driven recursions in JavaScript — while the
 * larger gains measured came from doing less work of any scheme: one primitive-quartet
 * computation for all generally contracted functions (HBr warm, one thread, CPU time: 6.7 s →
 * 5.0 s) and the parity selection (→ 2.0 s; 3.1 s with HBr off the axes, where only the
 * one-centre quartets gain).
 */
import { boysF0 } from './boys.js';
import { HERM_T, HERM_U, HERM_V, hermiteCoulomb, hermiteIndex, nHermite } from './hermite.js';
import type { ShellPairData } from './shell-pairs.js';
import { generatedKernel, runGenerated } from './eri-codegen.js';
import { quartetParity } from './eri-parity.js';

/** Largest pair angular momentum (g + g). */
const MAX_PAIR_L = 8;
const NH_PAIR = nHermite(MAX_PAIR_L);
/** HSUM[h·NH_PAIR + k] = Hermite index of h + k. */
const HSUM = new Int32Array(NH_PAIR * NH_PAIR);
for (let h = 0; h < NH_PAIR; h++) {
  for (let k = 0; k < NH_PAIR; k++) {
    HSUM[h * NH_PAIR + k] = hermiteIndex(HERM_T[h] + HERM_T[k], HERM_U[h] + HERM_U[k], HERM_V[h] + HERM_V[k]);
  }
}

const TWO_PI_2_5 = 2 * Math.PI ** 2.5;

/** Scratch buffers of one kernel user (one thread). */
export interface EriScratch {
  boys: Float64Array;
  r: Float64Array;
  w: Float64Array;
  out: Float64Array;
  /** Results of the reflection-parity kernel grouped by parity class (./eri-parity.ts). */
  compact: Float64Array;
}

/** Scratch sized for the largest pair of `pairs`. */
export function createEriScratch(pairs: ShellPairData): EriScratch {
  let maxL = 0;
  let maxN = 1;
  for (let x = 0; x < pairs.nPairs; x++) {
    if (pairs.pairL[x] > maxL) maxL = pairs.pairL[x];
    const n = pairs.pairNA[x] * pairs.pairNB[x];
    if (n > maxN) maxN = n;
  }
  return {
    boys: new Float64Array(2 * maxL + 2),
    r: new Float64Array(nHermite(2 * maxL)),
    w: new Float64Array(nHermite(maxL) * maxN),
    out: new Float64Array(maxN * maxN),
    compact: new Float64Array(maxN * maxN),
  };
}

/**
 * Compute the contracted quartet (X|Y) into s.out (row-major [nX × nY]).
 * Returns the number of values written (nX·nY).
 */
export function computeQuartet(pairs: ShellPairData, x: number, y: number, s: EriScratch): number {
  const nX = pairs.pairNA[x] * pairs.pairNB[x];
  const nY = pairs.pairNA[y] * pairs.pairNB[y];
  if (nX === 1 && nY === 1 && pairs.pairL[x] + pairs.pairL[y] === 0) {
    s.out[0] = quartetSsss(pairs, x, y);
    return 1;
  }
  const mask = paritySelection ? quartetAxisMask(pairs, x, y) : 0;
  const gen = generatedKernel(pairs, x, y, mask);
  if (gen !== null) runGenerated(gen, pairs, x, y, s.out);
  else if (mask === 0) quartetGeneric(pairs, x, y, s);
  else quartetParity(pairs, x, y, mask, s.boys, s.r, s.w, s.compact, s.out);
  return nX * nY;
}

/** Whether quartets with shared axes use {@link quartetParity} (tests compare both paths). */
let paritySelection = true;

/** Turn the reflection-parity selection off (false) or on; returns the previous setting. For tests. */
export function setParitySelection(on: boolean): boolean {
  const was = paritySelection;
  paritySelection = on;
  return was;
}

/** Bit i set when the four centres of (X|Y) share coordinate i. */
function quartetAxisMask(pairs: ShellPairData, x: number, y: number): number {
  const m = pairs.pairAxisMask[x] & pairs.pairAxisMask[y];
  if (m === 0) return 0;
  const gc = pairs.groupCenter;
  const a = 3 * pairs.pairA[x], c = 3 * pairs.pairA[y];
  return m & ((gc[a] === gc[c] ? 1 : 0) | (gc[a + 1] === gc[c + 1] ? 2 : 0) | (gc[a + 2] === gc[c + 2] ? 4 : 0));
}

// The (ss|ss) and generic paths are separate functions so that each is optimised on its own
// type feedback: a dispatcher compiled while one path had not run yet would deoptimise on it.

/** (ss|ss): one Boys F₀ per primitive quartet. */
function quartetSsss(pairs: ShellPairData, x: number, y: number): number {
  const pd = pairs.primData;
  const eBra = pairs.eBra;
  const eKet = pairs.eKet;
  const p0 = pairs.primStart[x], p1 = pairs.primStart[x + 1];
  const q0 = pairs.primStart[y], q1 = pairs.primStart[y + 1];
  const bx = pairs.eStart[x];
  const by = pairs.eStart[y];
  let sum = 0;
  for (let P = p0; P < p1; P++) {
    const p = pd[4 * P], px = pd[4 * P + 1], py = pd[4 * P + 2], pz = pd[4 * P + 3];
    let inner = 0;
    for (let Q = q0; Q < q1; Q++) {
      const q = pd[4 * Q];
      const dx = px - pd[4 * Q + 1], dy = py - pd[4 * Q + 2], dz = pz - pd[4 * Q + 3];
      const pq = p + q;
      const t = ((p * q) / pq) * (dx * dx + dy * dy + dz * dz);
      inner += (eKet[by + (Q - q0)] * boysF0(t)) / (q * Math.sqrt(pq));
    }
    sum += (eBra[bx + (P - p0)] * inner) / p;
  }
  return TWO_PI_2_5 * sum;
}

/** Table-driven kernel for classes without a generated one. */
function quartetGeneric(pairs: ShellPairData, x: number, y: number, s: EriScratch): void {
  const lx = pairs.pairL[x];
  const ly = pairs.pairL[y];
  const nX = pairs.pairNA[x] * pairs.pairNB[x];
  const nY = pairs.pairNA[y] * pairs.pairNB[y];
  const pd = pairs.primData;
  const eBra = pairs.eBra;
  const eKet = pairs.eKet;
  const p0 = pairs.primStart[x], p1 = pairs.primStart[x + 1];
  const q0 = pairs.primStart[y], q1 = pairs.primStart[y + 1];
  const bx = pairs.eStart[x], bsx = pairs.blockSize[x];
  const by = pairs.eStart[y], bsy = pairs.blockSize[y];
  const out = s.out;
  const L = lx + ly;
  const nhx = nHermite(lx);
  const nhy = nHermite(ly);
  const boys = s.boys;
  const r = s.r;
  const w = s.w;
  out.fill(0, 0, nX * nY);
  const wLen = nhx * nY;
  for (let P = p0; P < p1; P++) {
    const p = pd[4 * P], px = pd[4 * P + 1], py = pd[4 * P + 2], pz = pd[4 * P + 3];
    w.fill(0, 0, wLen);
    for (let Q = q0; Q < q1; Q++) {
      const q = pd[4 * Q];
      const pq = p + q;
      hermiteCoulomb(L, (p * q) / pq, px - pd[4 * Q + 1], py - pd[4 * Q + 2], pz - pd[4 * Q + 3], TWO_PI_2_5 / (p * q * Math.sqrt(pq)), boys, r);
      const ek = by + (Q - q0) * bsy;
      if (nY === 1) {
        // Ket is (ss): W[h] += Σ_k R[h+k] E[k] with nhy = 1.
        const e = eKet[ek];
        for (let h = 0; h < nhx; h++) w[h] += r[h] * e;
      } else {
        // Two Hermite h and four k per pass over W: each loaded E and W value serves several multiply–adds.
        const k4 = nhy & ~3;
        const h2 = nhx & ~1;
        for (let h = 0; h < h2; h += 2) {
          const hrow = h * NH_PAIR, hrow1 = hrow + NH_PAIR;
          const wo = h * nY, wo1 = wo + nY;
          for (let k = 0; k < k4; k += 4) {
            const r0 = r[HSUM[hrow + k]], r1 = r[HSUM[hrow + k + 1]], r2 = r[HSUM[hrow + k + 2]], r3 = r[HSUM[hrow + k + 3]];
            const s0 = r[HSUM[hrow1 + k]], s1 = r[HSUM[hrow1 + k + 1]], s2 = r[HSUM[hrow1 + k + 2]], s3 = r[HSUM[hrow1 + k + 3]];
            const e0 = ek + k * nY, e1 = e0 + nY, e2 = e1 + nY, e3 = e2 + nY;
            for (let cd = 0; cd < nY; cd++) {
              const f0 = eKet[e0 + cd], f1 = eKet[e1 + cd], f2 = eKet[e2 + cd], f3 = eKet[e3 + cd];
              w[wo + cd] += r0 * f0 + r1 * f1 + r2 * f2 + r3 * f3;
              w[wo1 + cd] += s0 * f0 + s1 * f1 + s2 * f2 + s3 * f3;
            }
          }
          for (let k = k4; k < nhy; k++) {
            const rv = r[HSUM[hrow + k]], sv = r[HSUM[hrow1 + k]];
            const eo = ek + k * nY;
            for (let cd = 0; cd < nY; cd++) {
              const f = eKet[eo + cd];
              w[wo + cd] += rv * f;
              w[wo1 + cd] += sv * f;
            }
          }
        }
        for (let h = h2; h < nhx; h++) {
          const hrow = h * NH_PAIR;
          const wo = h * nY;
          for (let k = 0; k < k4; k += 4) {
            const r0 = r[HSUM[hrow + k]], r1 = r[HSUM[hrow + k + 1]], r2 = r[HSUM[hrow + k + 2]], r3 = r[HSUM[hrow + k + 3]];
            const e0 = ek + k * nY, e1 = e0 + nY, e2 = e1 + nY, e3 = e2 + nY;
            for (let cd = 0; cd < nY; cd++) {
              w[wo + cd] += r0 * eKet[e0 + cd] + r1 * eKet[e1 + cd] + r2 * eKet[e2 + cd] + r3 * eKet[e3 + cd];
            }
          }
          for (let k = k4; k < nhy; k++) {
            const rv = r[HSUM[hrow + k]];
            const eo = ek + k * nY;
            for (let cd = 0; cd < nY; cd++) w[wo + cd] += rv * eKet[eo + cd];
          }
        }
      }
    }
    const eb = bx + (P - p0) * bsx;
    const h4 = nhx & ~3;
    for (let ab = 0; ab < nX; ab++) {
      const erow = eb + ab * nhx;
      const oo = ab * nY;
      for (let h = 0; h < h4; h += 4) {
        const b0 = eBra[erow + h], b1 = eBra[erow + h + 1], b2 = eBra[erow + h + 2], b3 = eBra[erow + h + 3];
        // Structural zeros (Hermite degree above l_a + l_b) come in whole blocks of the higher degrees.
        if (b0 === 0 && b1 === 0 && b2 === 0 && b3 === 0) continue;
        const w0 = h * nY, w1 = w0 + nY, w2 = w1 + nY, w3 = w2 + nY;
        for (let cd = 0; cd < nY; cd++) out[oo + cd] += b0 * w[w0 + cd] + b1 * w[w1 + cd] + b2 * w[w2 + cd] + b3 * w[w3 + cd];
      }
      for (let h = h4; h < nhx; h++) {
        const e = eBra[erow + h];
        if (e === 0) continue;
        const wo = h * nY;
        for (let cd = 0; cd < nY; cd++) out[oo + cd] += e * w[wo + cd];
      }
    }
  }
}
