/**
 * Reflection-parity McMurchie–Davidson kernel: a contracted shell quartet (X|Y) whose four centres
 * share the coordinates of the axes in `mask` (all three for one-centre quartets, x and y for
 * every quartet of a molecule along z, z for a planar molecule in the xy plane), in classes too
 * large for the generated kernels (./eri-codegen.ts).
 *
 * Along a shared axis P − A, P − B and P − Q vanish, so E^{ab}_h is zero unless h has the
 * reflection parity of the product ab on that axis, and R_{h+k} unless h + k is even there: only
 * terms with parity(ab) = parity(h) = parity(k) = parity(cd) =: v (restricted to the masked axes)
 * survive, and the quartet splits into independent parity classes v,
 *
 *   (ab|cd) = Σ_P Σ_{h ∈ H_v} Ebra_P[ab][h] · W_P[h][cd],   W_P[h][cd] = Σ_Q Σ_{k ∈ K_v} R_{h+k} Eket_Q[k][cd],
 *
 * for ab, cd of class v (integrals between different classes vanish). Per shared axis half the h,
 * half the k and half the cd enter each class: for a one-centre quartet 1/64 of the W work of the
 * dense kernel.
 *
 * Why a compacted copy of the E coefficients: the classes interleave in the natural function and
 * Hermite orders, so summing them in place needs index lists in the innermost loops (a gather and
 * a bounds check per multiply–add). Instead each shell pair keeps, per axis mask it is used with,
 * its E coefficients regrouped by class into dense blocks — bra [ab ∈ A_v][h ∈ H_v], ket
 * [k ∈ K_v][cd ∈ C_v] per primitive pair — built on first use (the nonzero half, quarter or eighth
 * of the pair's E block), so the kernel's loops are unit-stride dense products with the register
 * blocking of the dense kernel; the results are written back to the natural order once per
 * quartet. Only the R_{tuv} with even components on the shared axes are built
 * (./hermite.ts hermiteCoulombParity), and for one-centre quartets they are a closed form without
 * the Boys function (hermiteCoulombOneCentre). Quartets in which no class has both bra and ket
 * functions ((ps|ss) on one centre) are zero by symmetry and cost nothing.
 */
import { TYPE_FEEDBACK_PRIMING_CALLS } from './boys.js';
import { HERM_T, HERM_U, HERM_V, hermiteCoulombParity, hermiteIndex, nHermite } from './hermite.js';
import type { ShellPairData } from './shell-pairs.js';

const TWO_PI_2_5 = 2 * Math.PI ** 2.5;

/** Reflection parity bits (t, u, v odd → 1, 2, 4) of Hermite index h. */
function hermiteParity(h: number): number {
  return (HERM_T[h] & 1) | ((HERM_U[h] & 1) << 1) | ((HERM_V[h] & 1) << 2);
}

/**
 * One shell pair's E coefficients for one axis mask, regrouped by parity class v (0 … 7; classes
 * that are not subsets of the mask are empty). Per class: the pair's function products
 * fns[fnStart[v] … fnStart[v+1]) (natural indices ab), the Hermite indices
 * herms[hStart[v] … hStart[v+1]) and, per primitive pair P', the dense block
 * data[P'·blockSize + blockStart[v] …] — [function][Hermite] for the bra, [Hermite][function] for the ket.
 */
interface ParityBlocks {
  /** Bit v set when class v has functions. */
  readonly classes: number;
  readonly fnStart: Int32Array;
  readonly fns: Int32Array;
  readonly hStart: Int32Array;
  readonly herms: Int32Array;
  readonly blockStart: Int32Array;
  readonly blockSize: number;
  readonly data: Float64Array;
}

function buildParityBlocks(pairs: ShellPairData, x: number, mask: number, ket: boolean): ParityBlocks {
  const l = pairs.pairL[x];
  const nh = nHermite(l);
  const nFn = pairs.pairNA[x] * pairs.pairNB[x];
  const base = pairs.degreeStart[x];
  const fnStart = new Int32Array(9);
  const hStart = new Int32Array(9);
  const blockStart = new Int32Array(9);
  const fns: number[] = [];
  const herms: number[] = [];
  for (let v = 0; v < 8; v++) {
    fnStart[v] = fns.length;
    hStart[v] = herms.length;
    if ((v & mask) !== v) continue;
    for (let f = 0; f < nFn; f++) if ((pairs.parities[base + f] & mask) === v) fns.push(f);
    if (fns.length === fnStart[v]) continue;
    for (let h = 0; h < nh; h++) if ((hermiteParity(h) & mask) === v) herms.push(h);
  }
  fnStart[8] = fns.length;
  hStart[8] = herms.length;
  let size = 0;
  for (let v = 0; v < 8; v++) {
    blockStart[v] = size;
    size += (fnStart[v + 1] - fnStart[v]) * (hStart[v + 1] - hStart[v]);
  }
  blockStart[8] = size;
  let classes = 0;
  for (let v = 0; v < 8; v++) if (fnStart[v + 1] > fnStart[v]) classes |= 1 << v;
  const nPrim = pairs.primStart[x + 1] - pairs.primStart[x];
  const data = new Float64Array(nPrim * size);
  const src = ket ? pairs.eKet : pairs.eBra;
  for (let p = 0; p < nPrim; p++) {
    const e = pairs.eStart[x] + p * pairs.blockSize[x];
    let o = p * size;
    for (let v = 0; v < 8; v++) {
      const f0 = fnStart[v], f1 = fnStart[v + 1], h0 = hStart[v], h1 = hStart[v + 1];
      if (ket) {
        for (let i = h0; i < h1; i++) for (let j = f0; j < f1; j++) data[o++] = src[e + herms[i] * nFn + fns[j]];
      } else {
        for (let j = f0; j < f1; j++) for (let i = h0; i < h1; i++) data[o++] = src[e + fns[j] * nh + herms[i]];
      }
    }
  }
  return { classes, fnStart, hStart, blockStart, blockSize: size, fns: Int32Array.from(fns), herms: Int32Array.from(herms), data };
}

/**
 * Per ShellPairData: bra and ket blocks by pair·8 + mask, built on first use (arrays filled up
 * front: assigned sparsely, they would fall back to slow dictionary elements).
 */
interface BlockCache {
  bra: (ParityBlocks | null)[];
  ket: (ParityBlocks | null)[];
}
const caches = new WeakMap<ShellPairData, BlockCache>();
let lastPairs: ShellPairData | null = null;
let lastCache: BlockCache = { bra: [], ket: [] };

function cacheOf(pairs: ShellPairData): BlockCache {
  if (pairs === lastPairs) return lastCache;
  let c = caches.get(pairs);
  if (!c) {
    c = { bra: new Array<ParityBlocks | null>(8 * pairs.nPairs).fill(null), ket: new Array<ParityBlocks | null>(8 * pairs.nPairs).fill(null) };
    caches.set(pairs, c);
  }
  lastPairs = pairs;
  lastCache = c;
  return c;
}

/**
 * Index tables of R_{h+k}: for class v of bra degree lx, ket degree ly and mask, the Hermite index
 * of h + k for h ∈ H_v (rows), k ∈ K_v (columns), by key ((lx·9 + ly)·8 + mask)·8 + v.
 */
const sumTables: (Int32Array | undefined)[] = [];
function sumTable(bra: ParityBlocks, ket: ParityBlocks, lx: number, ly: number, mask: number, v: number): Int32Array {
  const key = ((lx * 9 + ly) * 8 + mask) * 8 + v;
  let t = sumTables[key];
  if (!t) {
    const h0 = bra.hStart[v], h1 = bra.hStart[v + 1], k0 = ket.hStart[v], k1 = ket.hStart[v + 1];
    t = new Int32Array((h1 - h0) * (k1 - k0));
    let o = 0;
    for (let i = h0; i < h1; i++) {
      const h = bra.herms[i];
      for (let j = k0; j < k1; j++) {
        const k = ket.herms[j];
        t[o++] = hermiteIndex(HERM_T[h] + HERM_T[k], HERM_U[h] + HERM_U[k], HERM_V[h] + HERM_V[k]);
      }
    }
    sumTables[key] = t;
  }
  return t;
}

/** Per-quartet state of the parity kernel (one per thread): the classes present, their R index tables and offsets. */
const classTables: Int32Array[] = new Array(8).fill(new Int32Array(0));
const classList = new Int32Array(8);
const wStart = new Int32Array(9);
const oStart = new Int32Array(9);
/** Per class of the current quartet: bra and ket function counts, Hermite counts and block offsets. */
const clsNa = new Int32Array(8);
const clsNc = new Int32Array(8);
const clsNh = new Int32Array(8);
const clsNk = new Int32Array(8);
const clsBraOff = new Int32Array(8);
const clsKetOff = new Int32Array(8);

/**
 * Compute (X|Y) into out (row-major [nX × nY], natural order) for a quartet whose four centres
 * share the coordinates of `mask` (≠ 0; X's and Y's own centres then share them too).
 * `w` (≥ nHermite(l_X)·nY), `compact` (≥ nX·nY), `boys` (≥ l_X + l_Y + 1) and `r`
 * (≥ nHermite(l_X + l_Y)) are scratch.
 */
export function quartetParity(
  pairs: ShellPairData,
  x: number,
  y: number,
  mask: number,
  boys: Float64Array,
  r: Float64Array,
  w: Float64Array,
  compact: Float64Array,
  out: Float64Array,
): void {
  const nX = pairs.pairNA[x] * pairs.pairNB[x];
  const nY = pairs.pairNA[y] * pairs.pairNB[y];
  out.fill(0, 0, nX * nY);
  const cache = cacheOf(pairs);
  const bkey = x * 8 + mask, kkey = y * 8 + mask;
  let bra = cache.bra[bkey];
  if (!bra) cache.bra[bkey] = bra = buildParityBlocks(pairs, x, mask, false);
  let ket = cache.ket[kkey];
  if (!ket) cache.ket[kkey] = ket = buildParityBlocks(pairs, y, mask, true);
  const nCls = selectClasses(bra, ket, pairs.pairL[x], pairs.pairL[y], mask);
  if (nCls === 0) return;
  contract(pairs, x, y, mask, bra, ket, nCls, boys, r, w, compact);
  scatter(bra, ket, nCls, nY, compact, out);
}

/** Record the classes with functions on both sides, their R index tables and W / output offsets; returns their number. */
function selectClasses(bra: ParityBlocks, ket: ParityBlocks, lx: number, ly: number, mask: number): number {
  let nCls = 0;
  let wLen = 0;
  let oLen = 0;
  const both = bra.classes & ket.classes;
  for (let v = 0; v < 8; v++) {
    if (((both >> v) & 1) === 0) continue;
    const na = bra.fnStart[v + 1] - bra.fnStart[v];
    const nc = ket.fnStart[v + 1] - ket.fnStart[v];
    const nh = bra.hStart[v + 1] - bra.hStart[v];
    classList[nCls] = v;
    classTables[nCls] = sumTable(bra, ket, lx, ly, mask, v);
    clsNa[nCls] = na;
    clsNc[nCls] = nc;
    clsNh[nCls] = nh;
    clsNk[nCls] = ket.hStart[v + 1] - ket.hStart[v];
    clsBraOff[nCls] = bra.blockStart[v];
    clsKetOff[nCls] = ket.blockStart[v];
    wStart[nCls] = wLen;
    oStart[nCls] = oLen;
    wLen += nh * nc;
    oLen += na * nc;
    nCls++;
  }
  wStart[nCls] = wLen;
  oStart[nCls] = oLen;
  return nCls;
}

/** The primitive loops: compact[class][a][c] = Σ_P Ebra_P · Σ_Q R · Eket_Q. */
function contract(
  pairs: ShellPairData,
  x: number,
  y: number,
  mask: number,
  bra: ParityBlocks,
  ket: ParityBlocks,
  nCls: number,
  boys: Float64Array,
  r: Float64Array,
  w: Float64Array,
  compact: Float64Array,
): void {
  compact.fill(0, 0, oStart[nCls]);
  const wLen = wStart[nCls];
  const pd = pairs.primData;
  const p0 = pairs.primStart[x], p1 = pairs.primStart[x + 1];
  const q0 = pairs.primStart[y], q1 = pairs.primStart[y + 1];
  const bData = bra.data, bSize = bra.blockSize;
  const kData = ket.data, kSize = ket.blockSize;
  const L = pairs.pairL[x] + pairs.pairL[y];
  for (let P = p0; P < p1; P++) {
    const p = pd[4 * P], px = pd[4 * P + 1], py = pd[4 * P + 2], pz = pd[4 * P + 3];
    w.fill(0, 0, wLen);
    for (let Q = q0; Q < q1; Q++) {
      const q = pd[4 * Q];
      const pq = p + q;
      const scale = TWO_PI_2_5 / (p * q * Math.sqrt(pq));
      hermiteCoulombParity(L, mask, (p * q) / pq, px - pd[4 * Q + 1], py - pd[4 * Q + 2], pz - pd[4 * Q + 3], scale, boys, r);
      const kq = (Q - q0) * kSize;
      for (let c = 0; c < nCls; c++) accumulateW(classTables[c], r, kData, kq + clsKetOff[c], w, wStart[c], clsNh[c], clsNk[c], clsNc[c]);
    }
    const bp = (P - p0) * bSize;
    for (let c = 0; c < nCls; c++) accumulateOut(bData, bp + clsBraOff[c], w, wStart[c], compact, oStart[c], clsNa[c], clsNh[c], clsNc[c]);
  }
}

/** Write the class-grouped results back to the natural order (entries between classes stay zero). */
function scatter(bra: ParityBlocks, ket: ParityBlocks, nCls: number, nY: number, compact: Float64Array, out: Float64Array): void {
  for (let c = 0; c < nCls; c++) {
    const v = classList[c];
    const a0 = bra.fnStart[v], a1 = bra.fnStart[v + 1], c0 = ket.fnStart[v], c1 = ket.fnStart[v + 1];
    let o = oStart[c];
    for (let i = a0; i < a1; i++) {
      const row = bra.fns[i] * nY;
      for (let j = c0; j < c1; j++) out[row + ket.fns[j]] = compact[o++];
    }
  }
}

/**
 * W[h][c] += Σ_k R[sum[h·nk + k]] · E[k][c] for one class (W at w + wo, [nh × nc]; E at e + eo,
 * [nk × nc]): two h rows and four k per pass, the last one to three k in one more pass, so each
 * loaded E and W value serves several multiply–adds (the classes of planar molecules have
 * nk = 3 or 7 mostly).
 */
function accumulateW(sum: Int32Array, r: Float64Array, e: Float64Array, eo: number, w: Float64Array, wo: number, nh: number, nk: number, nc: number): void {
  const k4 = nk & ~3;
  const rem = nk - k4;
  const h2 = nh & ~1;
  for (let h = 0; h < h2; h += 2) {
    const srow = h * nk, srow1 = srow + nk;
    const w0 = wo + h * nc, w1 = w0 + nc;
    for (let k = 0; k < k4; k += 4) {
      const r0 = r[sum[srow + k]], r1 = r[sum[srow + k + 1]], r2 = r[sum[srow + k + 2]], r3 = r[sum[srow + k + 3]];
      const s0 = r[sum[srow1 + k]], s1 = r[sum[srow1 + k + 1]], s2 = r[sum[srow1 + k + 2]], s3 = r[sum[srow1 + k + 3]];
      const e0 = eo + k * nc, e1 = e0 + nc, e2 = e1 + nc, e3 = e2 + nc;
      for (let c = 0; c < nc; c++) {
        const f0 = e[e0 + c], f1 = e[e1 + c], f2 = e[e2 + c], f3 = e[e3 + c];
        w[w0 + c] += r0 * f0 + r1 * f1 + r2 * f2 + r3 * f3;
        w[w1 + c] += s0 * f0 + s1 * f1 + s2 * f2 + s3 * f3;
      }
    }
    if (rem === 3) {
      const r0 = r[sum[srow + k4]], r1 = r[sum[srow + k4 + 1]], r2 = r[sum[srow + k4 + 2]];
      const s0 = r[sum[srow1 + k4]], s1 = r[sum[srow1 + k4 + 1]], s2 = r[sum[srow1 + k4 + 2]];
      const e0 = eo + k4 * nc, e1 = e0 + nc, e2 = e1 + nc;
      for (let c = 0; c < nc; c++) {
        const f0 = e[e0 + c], f1 = e[e1 + c], f2 = e[e2 + c];
        w[w0 + c] += r0 * f0 + r1 * f1 + r2 * f2;
        w[w1 + c] += s0 * f0 + s1 * f1 + s2 * f2;
      }
    } else if (rem === 2) {
      const r0 = r[sum[srow + k4]], r1 = r[sum[srow + k4 + 1]];
      const s0 = r[sum[srow1 + k4]], s1 = r[sum[srow1 + k4 + 1]];
      const e0 = eo + k4 * nc, e1 = e0 + nc;
      for (let c = 0; c < nc; c++) {
        const f0 = e[e0 + c], f1 = e[e1 + c];
        w[w0 + c] += r0 * f0 + r1 * f1;
        w[w1 + c] += s0 * f0 + s1 * f1;
      }
    } else if (rem === 1) {
      const r0 = r[sum[srow + k4]], s0 = r[sum[srow1 + k4]];
      const e0 = eo + k4 * nc;
      for (let c = 0; c < nc; c++) {
        const f = e[e0 + c];
        w[w0 + c] += r0 * f;
        w[w1 + c] += s0 * f;
      }
    }
  }
  if (h2 < nh) {
    const srow = h2 * nk;
    const w0 = wo + h2 * nc;
    for (let k = 0; k < k4; k += 4) {
      const r0 = r[sum[srow + k]], r1 = r[sum[srow + k + 1]], r2 = r[sum[srow + k + 2]], r3 = r[sum[srow + k + 3]];
      const e0 = eo + k * nc, e1 = e0 + nc, e2 = e1 + nc, e3 = e2 + nc;
      for (let c = 0; c < nc; c++) w[w0 + c] += r0 * e[e0 + c] + r1 * e[e1 + c] + r2 * e[e2 + c] + r3 * e[e3 + c];
    }
    for (let k = k4; k < nk; k++) {
      const rv = r[sum[srow + k]];
      const e0 = eo + k * nc;
      for (let c = 0; c < nc; c++) w[w0 + c] += rv * e[e0 + c];
    }
  }
}

/**
 * out[a][c] += Σ_h E[a][h] · W[h][c] for one class (E at e + eo, [na × nh]; W at w + wo,
 * [nh × nc]; out at o + oo, [na × nc]): two a rows and four h per pass; blocks whose eight E are
 * zero (Hermite degrees above l_a + l_b of a grouped pair) are skipped.
 */
function accumulateOut(e: Float64Array, eo: number, w: Float64Array, wo: number, o: Float64Array, oo: number, na: number, nh: number, nc: number): void {
  const a2 = na & ~1;
  const h4 = nh & ~3;
  for (let a = 0; a < a2; a += 2) {
    const er0 = eo + a * nh, er1 = er0 + nh;
    const or0 = oo + a * nc, or1 = or0 + nc;
    for (let h = 0; h < h4; h += 4) {
      const b0 = e[er0 + h], b1 = e[er0 + h + 1], b2 = e[er0 + h + 2], b3 = e[er0 + h + 3];
      const d0 = e[er1 + h], d1 = e[er1 + h + 1], d2 = e[er1 + h + 2], d3 = e[er1 + h + 3];
      if (b0 === 0 && b1 === 0 && b2 === 0 && b3 === 0 && d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0) continue;
      const w0 = wo + h * nc, w1 = w0 + nc, w2 = w1 + nc, w3 = w2 + nc;
      for (let c = 0; c < nc; c++) {
        const x0 = w[w0 + c], x1 = w[w1 + c], x2 = w[w2 + c], x3 = w[w3 + c];
        o[or0 + c] += b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3;
        o[or1 + c] += d0 * x0 + d1 * x1 + d2 * x2 + d3 * x3;
      }
    }
    for (let h = h4; h < nh; h++) {
      const b0 = e[er0 + h], d0 = e[er1 + h];
      const w0 = wo + h * nc;
      for (let c = 0; c < nc; c++) {
        const x0 = w[w0 + c];
        o[or0 + c] += b0 * x0;
        o[or1 + c] += d0 * x0;
      }
    }
  }
  if (a2 < na) {
    const er0 = eo + a2 * nh;
    const or0 = oo + a2 * nc;
    for (let h = 0; h < h4; h += 4) {
      const b0 = e[er0 + h], b1 = e[er0 + h + 1], b2 = e[er0 + h + 2], b3 = e[er0 + h + 3];
      if (b0 === 0 && b1 === 0 && b2 === 0 && b3 === 0) continue;
      const w0 = wo + h * nc, w1 = w0 + nc, w2 = w1 + nc, w3 = w2 + nc;
      for (let c = 0; c < nc; c++) o[or0 + c] += b0 * w[w0 + c] + b1 * w[w1 + c] + b2 * w[w2 + c] + b3 * w[w3 + c];
    }
    for (let h = h4; h < nh; h++) {
      const b0 = e[er0 + h];
      const w0 = wo + h * nc;
      for (let c = 0; c < nc; c++) o[or0 + c] += b0 * w[w0 + c];
    }
  }
}

/**
 * Type feedback for every branch of the inner functions before the first real quartet: the first
 * quartets of a job often exercise only some branches (a one-centre block with one Hermite row),
 * and optimised code built on that feedback is discarded when the other branches run.
 */
function warmUp(): void {
  const sum = new Int32Array(15);
  const r = new Float64Array(35);
  const boys = new Float64Array(8);
  const w = new Float64Array(12);
  const o = new Float64Array(8);
  // Three bra blocks of 3 rows × 5 Hermite: rows 0–1 zero, none zero, row 2 zero — every
  // comparison of the zero-block tests and both outcomes run.
  const blocks = [new Float64Array(15).fill(0.5, 10), new Float64Array(15).fill(0.5), new Float64Array(15).fill(0.5, 0, 10)];
  for (let i = 0; i < TYPE_FEEDBACK_PRIMING_CALLS; i++) {
    for (const mask of [1, 3, 4, 7]) hermiteCoulombParity(3, mask, 0.7, 0.1, 0.2, 0.3, 1, boys, r);
    for (const nk of [1, 2, 3, 5]) accumulateW(sum, r, blocks[1], 0, w, 0, 3, nk, 2);
    for (const e of blocks) accumulateOut(e, 0, w, 0, o, 0, 3, 5, 2);
  }
}
warmUp();
