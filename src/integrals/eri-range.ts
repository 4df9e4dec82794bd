/**
 * The shell-quartet loop of the ERI build (used by the calling thread and by the workers): for bra
 * pairs X in a range, every ket pair Y ≤ X passing the Schwarz test, computed by ./eri-kernel.ts and
 * scattered into the 8-fold packed array of ./eri-layout.ts.
 *
 * When SP shells are grouped, the largest grouped classes ((sp sp|sp sp)) have no generated kernel;
 * those quartets are computed instead as their sub-quartets of ungrouped shells (the `split` data),
 * which have small generated kernels and their own, sharper Schwarz screening. Quartets of
 * generally contracted groups are not split (see SplitPairs.splittable).
 */
import { computeQuartet, createEriScratch, type EriScratch } from './eri-kernel.js';
import { hasGeneratedKernel } from './eri-codegen.js';
import { buildShellPairs, type ShellPairData } from './shell-pairs.js';
import { nHermite } from './hermite.js';
import { isOrbitRepresentative, writeOrbitImages, type EriSymmetry } from './eri-symmetry.js';

/** Ungrouped shell pairs used for the quartets of grouped pairs that lack a generated kernel. */
export interface SplitPairs {
  /** Shell-pair data with every shell on its own. */
  readonly pairs: ShellPairData;
  readonly schwarz: Float64Array;
  /** Sub-pairs (indices into `pairs`) of grouped pair X: subList[subStart[X] … subStart[X+1]−1]. */
  readonly subStart: Int32Array;
  readonly subList: Int32Array;
  /**
   * 1 for grouped pairs whose groups hold shells of different l only (Pople SP shells): their
   * sub-quartets repeat little work. Pairs of generally contracted groups (equal l, shared
   * exponents) are never split: their sub-quartets would recompute every primitive quartet once
   * per contracted shell quartet.
   */
  readonly splittable: Uint8Array;
}

/**
 * Schwarz bound sqrt(max_ab |(ab|ab)|) of every shell pair. With `split` (the ungrouped pairs of a
 * grouped `pairs`), a grouped pair without a generated kernel takes the largest bound of its
 * ungrouped sub-pairs instead: every function pair ab lies in exactly one sub-pair, so this is the
 * same bound, and it spares the slow generic kernel (and its compilation) on the large diagonal
 * quartets.
 */
export function schwarzBounds(pairs: ShellPairData, scratch: EriScratch, split?: SplitPairs): Float64Array {
  const q = new Float64Array(pairs.nPairs);
  for (let x = 0; x < pairs.nPairs; x++) {
    if (split && pairs.pairL[x] > 0 && !hasGeneratedKernel(pairs, x, x)) {
      let m = 0;
      for (let i = split.subStart[x]; i < split.subStart[x + 1]; i++) m = Math.max(m, split.schwarz[split.subList[i]]);
      q[x] = m;
      continue;
    }
    const nx = pairs.pairNA[x] * pairs.pairNB[x];
    computeQuartet(pairs, x, x, scratch);
    let m = 0;
    for (let ab = 0; ab < nx; ab++) {
      const v = Math.abs(scratch.out[ab * nx + ab]);
      if (v > m) m = v;
    }
    q[x] = Math.sqrt(m);
  }
  return q;
}

/**
 * Ungrouped pair data for a grouped `pairs` (undefined when nothing was grouped). `groupShells`
 * lists the shells of each group in order (shell indices of the MolecularBasis).
 */
export function buildSplitPairs(
  basis: Parameters<typeof buildShellPairs>[0],
  pairs: ShellPairData,
): SplitPairs | undefined {
  if (pairs.nGroups === basis.nShells) return undefined;
  // Shells of each group: consecutive shells whose first function lies inside the group.
  const groupShells: number[][] = [];
  let s = 0;
  for (let g = 0; g < pairs.nGroups; g++) {
    const end = pairs.groupFirstFunction[g] + pairs.groupFunctionCount[g];
    const list: number[] = [];
    while (s < basis.nShells && basis.shellFirstFunction[s] < end) list.push(s++);
    groupShells.push(list);
  }
  // Plain loops into a typed array: the arrays Array.prototype.map returned here did not always have
  // the same elements kind, and each new kind threw away this function's optimised code.
  const distinctL = new Uint8Array(pairs.nGroups);
  let anySplit = false;
  for (let g = 0; g < pairs.nGroups; g++) {
    const list = groupShells[g]!;
    const ls = new Set<number>();
    for (const t of list) ls.add(basis.shellL[t]!);
    distinctL[g] = ls.size === list.length ? 1 : 0;
    if (list.length > 1 && distinctL[g] === 1) anySplit = true;
  }
  // Only generally contracted groups (cc-pVXZ): nothing is ever split.
  if (!anySplit) return undefined;
  const split = buildShellPairs(basis, { groupSharedExponents: false });
  const schwarz = schwarzBounds(split, createEriScratch(split));
  const subStart = new Int32Array(pairs.nPairs + 1);
  const subList: number[] = [];
  const splittable = new Uint8Array(pairs.nPairs);
  for (let x = 0; x < pairs.nPairs; x++) {
    subStart[x] = subList.length;
    const A = pairs.pairA[x], B = pairs.pairB[x];
    splittable[x] = distinctL[A] === 1 && distinctL[B] === 1 ? 1 : 0;
    for (const sa of groupShells[A]) {
      for (const sb of groupShells[B]) {
        if (A === B && sb > sa) continue; // the same pair as (sb, sa)
        const hi = Math.max(sa, sb), lo = Math.min(sa, sb);
        subList.push((hi * (hi + 1)) / 2 + lo);
      }
    }
  }
  subStart[pairs.nPairs] = subList.length;
  return { pairs: split, schwarz, subStart, subList: Int32Array.from(subList), splittable };
}

/** Scatter quartet `out` of (bra|ket) pairs into the packed array. */
function scatter(pairs: ShellPairData, bra: number, ket: number, out: Float64Array, values: Float64Array): void {
  const first = pairs.groupFirstFunction;
  const fa = first[pairs.pairA[bra]], fb = first[pairs.pairB[bra]];
  const fc = first[pairs.pairA[ket]], fd = first[pairs.pairB[ket]];
  const na = pairs.pairNA[bra], nb = pairs.pairNB[bra];
  const nc = pairs.pairNA[ket], nd = pairs.pairNB[ket];
  const nKet = nc * nd;
  let o = 0;
  for (let a = 0; a < na; a++) {
    const i = fa + a;
    for (let b = 0; b < nb; b++) {
      const j = fb + b;
      const ij = i >= j ? (i * (i + 1)) / 2 + j : (j * (j + 1)) / 2 + i;
      for (let c = 0; c < nc; c++) {
        const k = fc + c;
        for (let d = 0; d < nd; d++) {
          const l = fd + d;
          const kl = k >= l ? (k * (k + 1)) / 2 + l : (l * (l + 1)) / 2 + k;
          const idx = ij >= kl ? (ij * (ij + 1)) / 2 + kl : (kl * (kl + 1)) / 2 + ij;
          values[idx] = out[o + c * nd + d];
        }
      }
      o += nKet;
    }
  }
}

/** Compute one quartet with the smaller pair in the ket and scatter it. */
function computeAndStore(pairs: ShellPairData, x: number, y: number, values: Float64Array, scratch: EriScratch): void {
  const swap = pairs.pairNA[y] * pairs.pairNB[y] > pairs.pairNA[x] * pairs.pairNB[x];
  const bra = swap ? y : x;
  const ket = swap ? x : y;
  computeQuartet(pairs, bra, ket, scratch);
  scatter(pairs, bra, ket, scratch.out, values);
}

/**
 * Compute and store all quartets (X|Y) with X in [xBegin, xEnd), Y ≤ X and yBegin ≤ Y < yEnd,
 * passing the Schwarz test. With `symmetry`, only the quartet of each orbit that represents it is
 * computed, and its images are written as signed copies (./eri-symmetry.ts). Returns the number of
 * shell quartets computed.
 */
export function computeEriRange(
  pairs: ShellPairData,
  schwarz: Float64Array,
  threshold: number,
  xBegin: number,
  xEnd: number,
  values: Float64Array,
  scratch: EriScratch,
  split?: SplitPairs,
  splitScratch?: EriScratch,
  yBegin = 0,
  yEnd = Number.MAX_SAFE_INTEGER,
  symmetry?: EriSymmetry,
): number {
  let count = 0;
  for (let x = xBegin; x < xEnd; x++) {
    const qx = schwarz[x];
    if (qx === 0) continue;
    const nX = pairs.pairNA[x] * pairs.pairNB[x];
    const yLast = Math.min(x, yEnd - 1);
    for (let y = yBegin; y <= yLast; y++) {
      if (qx * schwarz[y] < threshold) continue;
      if (symmetry && !isOrbitRepresentative(symmetry, pairs.nPairs, x, y)) continue;
      const nY = pairs.pairNA[y] * pairs.pairNB[y];
      count++;
      computeQuartetInto(pairs, x, y, nX, nY, threshold, values, scratch, split, splitScratch);
      if (symmetry) writeOrbitImages(pairs, symmetry, x, y, values);
    }
  }
  return count;
}

/** Compute quartet (x|y) and store it, through its ungrouped sub-quartets where that pays. */
function computeQuartetInto(
  pairs: ShellPairData,
  x: number,
  y: number,
  nX: number,
  nY: number,
  threshold: number,
  values: Float64Array,
  scratch: EriScratch,
  split?: SplitPairs,
  splitScratch?: EriScratch,
): void {
  if (split && splitScratch && nX > 1 && nY > 1 && split.splittable[x] === 1 && split.splittable[y] === 1) {
    const bra = nY > nX ? y : x;
    const ket = nY > nX ? x : y;
    if (!hasGeneratedKernel(pairs, bra, ket) && pairs.pairL[x] + pairs.pairL[y] > 0) {
      const sp = split.pairs;
      const sq = split.schwarz;
      for (let i = split.subStart[x]; i < split.subStart[x + 1]; i++) {
        const xs = split.subList[i];
        const qxs = sq[xs];
        for (let j = split.subStart[y]; j < split.subStart[y + 1]; j++) {
          const ys = split.subList[j];
          if (x === y && ys > xs) continue; // (xs|ys) = (ys|xs), already computed
          if (qxs * sq[ys] < threshold) continue;
          computeAndStore(sp, xs, ys, values, splitScratch);
        }
      }
      return;
    }
  }
  computeAndStore(pairs, x, y, values, scratch);
}

/**
 * Estimated work of the whole quartet loop, in units of about one multiply–add of the kernel
 * (0.6–1.2·10⁹ units per second and thread on this code's kernels, warm): the kernel's operation
 * count summed over every quartet X ≥ Y without screening, with the pair of more functions in the
 * bra (as computeAndStore orients it) — per primitive quartet the R recursion nH(L)·L and
 * W = R·E_ket, nH(l_bra)·nH(l_ket)·n_ket, per bra primitive pair the bra contraction
 * n_bra·nH(l_bra)·n_ket. The cost of (X|Y) depends on X and Y only through their kernel classes
 * and primitive counts, so the sum is taken over pairs of classes (primitive counts summed per
 * class): exact up to the orientation of pairs with equal function counts and quadratic in the number of classes rather than of shell pairs.
 */
export function estimateEriWork(pairs: ShellPairData): number {
  const nc = pairs.nClasses;
  const sumP = new Float64Array(nc);
  const count = new Float64Array(nc);
  const lOf = new Int32Array(nc);
  const nOf = new Int32Array(nc);
  let diagonal = 0;
  for (let x = 0; x < pairs.nPairs; x++) {
    const c = pairs.pairClass[x];
    const np = pairs.primStart[x + 1] - pairs.primStart[x];
    sumP[c] += np;
    count[c] += 1;
    lOf[c] = pairs.pairL[x];
    nOf[c] = pairs.pairNA[x] * pairs.pairNB[x];
  }
  const perPrimQuartet = (lb: number, lk: number, nK: number): number => nHermite(lb + lk) * (lb + lk) + nHermite(lb) * nHermite(lk) * nK;
  const perBraPrim = (lb: number, nB: number, nK: number): number => nB * nHermite(lb) * nK;
  // Ordered sum over all (X, Y), then (full + diagonal) / 2 = the sum over X ≥ Y.
  let full = 0;
  for (let c = 0; c < nc; c++) {
    if (count[c] === 0) continue;
    for (let d = 0; d < nc; d++) {
      if (count[d] === 0) continue;
      const cBra = nOf[d] <= nOf[c];
      const b = cBra ? c : d, k = cBra ? d : c;
      full += sumP[c] * sumP[d] * perPrimQuartet(lOf[b], lOf[k], nOf[k]);
      full += (cBra ? sumP[c] * count[d] : count[c] * sumP[d]) * perBraPrim(lOf[b], nOf[b], nOf[k]);
    }
  }
  for (let x = 0; x < pairs.nPairs; x++) {
    const c = pairs.pairClass[x];
    const np = pairs.primStart[x + 1] - pairs.primStart[x];
    diagonal += np * np * perPrimQuartet(lOf[c], lOf[c], nOf[c]) + np * perBraPrim(lOf[c], nOf[c], nOf[c]);
  }
  return (full + diagonal) / 2;
}

/**
 * Work items of the parallel build: item i covers bra pair itemX[i], ket pairs itemY0[i] … itemY1[i]−1.
 * Items are ordered by estimated cost, most expensive first.
 */
export interface EriWorkItems {
  readonly count: number;
  readonly itemX: Int32Array;
  readonly itemY0: Int32Array;
  readonly itemY1: Int32Array;
}

/**
 * Split the quartet loop into items of at most `chunk` ket pairs, ordered by estimated cost, most
 * expensive first. The calling thread takes items from the front and the workers from the back
 * (./eri-parallel.ts): a worker that has just started runs unoptimised code, so it begins on the
 * cheapest items, and the two ends meet on items of middling cost, so that neither waits long for the
 * other's last item. The estimate of a quartet's cost is w_X·w_Y with w = primitive pairs × output
 * function pairs × Hermite functions of the pair's degree (summed over an item's kets by prefix sums);
 * items are sorted into buckets of a factor √2 of cost, which is as fine as the estimate.
 */
export function eriWorkItems(pairs: ShellPairData, chunk = 48): EriWorkItems {
  const nPairs = pairs.nPairs;
  const weight = new Float64Array(nPairs);
  const prefix = new Float64Array(nPairs + 1);
  for (let x = 0; x < nPairs; x++) {
    const nPrim = pairs.primStart[x + 1] - pairs.primStart[x];
    weight[x] = nPrim * pairs.pairNA[x] * pairs.pairNB[x] * nHermite(pairs.pairL[x]);
    prefix[x + 1] = prefix[x] + weight[x];
  }
  let count = 0;
  for (let x = 0; x < nPairs; x++) count += Math.ceil((x + 1) / chunk);
  const costs = new Float64Array(count);
  const xs = new Int32Array(count);
  const y0s = new Int32Array(count);
  let item = 0;
  let maxCost = 0;
  for (let x = 0; x < nPairs; x++) {
    for (let y = 0; y <= x; y += chunk) {
      const cost = weight[x] * (prefix[Math.min(x + 1, y + chunk)] - prefix[y]);
      costs[item] = cost;
      xs[item] = x;
      y0s[item] = y;
      if (cost > maxCost) maxCost = cost;
      item++;
    }
  }
  // Bucket b holds costs in (maxCost·2^(−(b+1)/2), maxCost·2^(−b/2)]; the last bucket everything below.
  const nBuckets = 80;
  const bucketOf = new Int32Array(count);
  const bucketStart = new Int32Array(nBuckets + 1);
  for (let i = 0; i < count; i++) {
    const ratio = costs[i] / maxCost;
    const b = ratio > 0 ? Math.min(nBuckets - 1, Math.floor(-2 * Math.log2(ratio))) : nBuckets - 1;
    bucketOf[i] = b;
    bucketStart[b + 1]++;
  }
  for (let b = 0; b < nBuckets; b++) bucketStart[b + 1] += bucketStart[b];
  const itemX = new Int32Array(count);
  const itemY0 = new Int32Array(count);
  const itemY1 = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const at = bucketStart[bucketOf[i]]++;
    itemX[at] = xs[i];
    itemY0[at] = y0s[i];
    itemY1[at] = Math.min(xs[i] + 1, y0s[i] + chunk);
  }
  return { count, itemX, itemY0, itemY1 };
}

/** Slots of the shared Int32 control array of a parallel build. */
export const ERI_CONTROL_FRONT = 0; // items handed out from the front (most expensive first)
export const ERI_CONTROL_FINISHED = 1; // items finished, by any thread
export const ERI_CONTROL_BACK = 2; // items handed out from the back (cheapest first)
export const ERI_CONTROL_LENGTH = 3;

/**
 * Take the next work item from the front or the back of the list, or −1 when the two ends have met.
 * Each end hands out its indices in order through its own counter; an item is computed by the thread
 * that marks it in `claimed` first, so when one end reaches an item the other end owns, everything
 * beyond it is owned by the other end too, and every item is computed exactly once.
 */
export function takeEriWorkItem(control: Int32Array, claimed: Uint8Array, fromBack: boolean): number {
  const count = claimed.length;
  const item = fromBack ? count - 1 - Atomics.add(control, ERI_CONTROL_BACK, 1) : Atomics.add(control, ERI_CONTROL_FRONT, 1);
  if (item < 0 || item >= count) return -1;
  return Atomics.compareExchange(claimed, item, 0, 1) === 0 ? item : -1;
}
