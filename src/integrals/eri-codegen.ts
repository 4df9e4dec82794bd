/**
 * Specialised ERI kernels for low angular momentum, generated once per class at run time.
 *
 * For a class (l_X, l_Y, n_X, n_Y) — pair angular momenta and output-function counts of bra and
 * ket — the generator writes straight-line JavaScript for the same contraction as
 * ./eri-kernel.ts: the R_{tuv} recursion unrolled into local variables, the W accumulators held
 * in locals and the Hermite index sums resolved at generation time; for s/p classes this is several
 * times faster than the table-driven generic kernel. The output sums, updated once per bra
 * primitive, accumulate in `out` rather than in locals: fewer live values spill less and compile
 * faster (measured for benzene/6-31G: first call in a process ~15% and later calls ~8% faster).
 * Classes whose unrolled size would be large (d and higher on both sides) use the generic kernel,
 * and so do classes with too few primitive quartets in the integral set to repay their compilation
 * (setKernelGenerationThreshold).
 *
 * Each kernel is also specialised for the axes along which the quartet's four centres share their
 * coordinate (reflection parity, as in ./eri-kernel.ts quartetParity): only the W terms, bra terms
 * and R_{tuv} that survive are written, so a planar molecule's quartets do about a quarter of the
 * multiply–adds and one-centre quartets a small fraction. Which classes are generated does not
 * change (the size limit applies to the unspecialised class), so no more kernels are compiled
 * than before — only, for a class met with several axis sets, one smaller kernel per set.
 * Measured on the first RHF in a process (CPU time of the whole process, 2-core machine under load
 * 5, interleaved): benzene/6-31G* 4.2 → 4.0 s, HBr/cc-pVTZ 3.3 → 2.7 s. Allowing larger classes
 * when their specialised size is small (up to 1600 or 3200 unspecialised statements) cost more
 * in compilation than it saved (benzene 4.5 and 4.3 s, HBr 2.8 and 3.2 s).
 */
import { BOYS_GRID, TYPE_FEEDBACK_PRIMING_CALLS } from './boys.js';
import { HERM_T, HERM_U, HERM_V, hermiteIndex, nHermite } from './hermite.js';
import type { ShellPairData } from './shell-pairs.js';

/** Signature of a generated kernel: writes (X|Y) into out[ab·nY + cd]. */
export type GeneratedKernel = (
  pd: Float64Array,
  eBra: Float64Array,
  eKet: Float64Array,
  p0: number,
  p1: number,
  q0: number,
  q1: number,
  bx: number,
  bsx: number,
  by: number,
  bsy: number,
  out: Float64Array,
  bt: Float64Array,
  et: Float64Array,
) => void;

/**
 * Largest unrolled size (W statements + bra statements) worth generating. Every generated class
 * is parsed, run unoptimised and compiled in each process (and each worker), so large ones cost
 * more in a first call than they save. Measured in a fresh process (first ERI build, one thread,
 * CPU time, interleaved runs on a loaded 2-core machine), 800 against 2000: benzene/6-31G* 3.7 s
 * against 7.0 s first call, 2.6 s against 2.2 s warm; HBr/cc-pVTZ 4.1 s against 6.2 s first call,
 * 1.4–2.0 s against 3.2 s warm.
 */
const MAX_STATEMENTS = 800;
const MAX_UNMASKED_STATEMENTS = MAX_STATEMENTS;

const cache = new Map<string, GeneratedKernel | null>();

/** Reflection parity bits (t, u, v odd → 1, 2, 4) of Hermite index h. */
function hermiteParity(h: number): number {
  return (HERM_T[h] & 1) | ((HERM_U[h] & 1) << 1) | ((HERM_V[h] & 1) << 2);
}

/**
 * Source of R^{(0)}_h for total degree L and the Hermite indices `needed`, as local variables
 * r<h>, with only the intermediates R^{(n)}_h they depend on. Along the axes in `mask` the
 * centre difference (dx, dy or dz) is zero: R_h vanishes for h odd on such an axis (never
 * needed) and the recursion along it keeps only its second term, (t−1)·R^{(n+1)}_{t−2}. With
 * an exactly zero difference the terms left out are exact zeros, so the values are those of
 * the full recursion.
 */
function rRecursionSource(L: number, needed: Iterable<number>, mask: number): string {
  const lines: string[] = [];
  // Boys F_0 … F_L inline (same scheme as boys.ts): Taylor about the nearest grid point for F_L,
  // e^{−T} = e^{−T₀}·e^{−d} by a 7-term series (|d| ≤ 0.025), then downward recursion.
  for (let n = 0; n <= L; n++) lines.push(`let F${n};`);
  lines.push(`if (T < ${BOYS_GRID.tSwitch}) {`);
  lines.push(`const gi = Math.round(T * ${BOYS_GRID.invStep}); const d = T - gi * ${BOYS_GRID.step}; const gb = gi * ${BOYS_GRID.stride} + ${L};`);
  lines.push(`let g = bt[gb + 6]; g = bt[gb + 5] - d * ${1 / 6} * g; g = bt[gb + 4] - d * 0.2 * g; g = bt[gb + 3] - d * 0.25 * g;`);
  lines.push(`g = bt[gb + 2] - d * ${1 / 3} * g; g = bt[gb + 1] - d * 0.5 * g; F${L} = bt[gb] - d * g;`);
  if (L > 0) {
    lines.push(`const ex = et[gi] * (1 - d * (1 - d * (0.5 - d * (${1 / 6} - d * (${1 / 24} - d * (${1 / 120} - d * ${1 / 720}))))));`);
    lines.push(`const t2 = 2 * T;`);
    for (let m = L; m > 0; m--) lines.push(`F${m - 1} = (t2 * F${m} + ex) * ${1 / (2 * m - 1)};`);
  }
  lines.push(`} else {`);
  lines.push(`F0 = 0.5 * Math.sqrt(${Math.PI} / T);`);
  if (L > 0) {
    lines.push(`const ex = Math.exp(-T); const i2t = 0.5 / T;`);
    for (let m = 0; m < L; m++) lines.push(`F${m + 1} = (${2 * m + 1} * F${m} - ex) * i2t;`);
  }
  lines.push(`}`);
  // f<n> = scale·(−2α)^n F_n
  lines.push(`const m2a = -2 * alpha; let fac = scale;`);
  for (let n = 0; n <= L; n++) {
    lines.push(`const f${n} = fac * F${n};`);
    if (n < L) lines.push(`fac *= m2a;`);
  }
  // name(n, h): R^{(n)}_h; emitted depth first, so every value is defined before its first use.
  const name = (n: number, h: number): string => (h === 0 ? `f${n}` : n === 0 ? `r${h}` : `s${n}_${h}`);
  const emitted = new Set<string>();
  const emit = (n: number, h: number): string => {
    const id = name(n, h);
    if (h === 0 || emitted.has(id)) return id;
    emitted.add(id);
    const t = HERM_T[h], u = HERM_U[h], v = HERM_V[h];
    let axis: number, i: number, lower1: number, lower2: number;
    if (t > 0) [axis, i, lower1, lower2] = [0, t, hermiteIndex(t - 1, u, v), t >= 2 ? hermiteIndex(t - 2, u, v) : -1];
    else if (u > 0) [axis, i, lower1, lower2] = [1, u, hermiteIndex(t, u - 1, v), u >= 2 ? hermiteIndex(t, u - 2, v) : -1];
    else [axis, i, lower1, lower2] = [2, v, hermiteIndex(t, u, v - 1), v >= 2 ? hermiteIndex(t, u, v - 2) : -1];
    let expr: string;
    if ((mask >> axis) & 1) {
      // i is even here (odd indices along a masked axis are never needed), so lower2 exists.
      expr = `${i - 1} * ${emit(n + 1, lower2)}`;
    } else {
      expr = `${'xyz'[axis]}d * ${emit(n + 1, lower1)}` + (lower2 >= 0 ? ` + ${i - 1} * ${emit(n + 1, lower2)}` : '');
    }
    lines.push(`const ${id} = ${expr};`);
    return id;
  };
  for (const h of needed) emit(0, h);
  lines.push(`const r0 = f0;`);
  return lines.join('\n');
}

/**
 * Unrolled size (W statements + bra statements) of a class under reflection-parity `mask`: terms
 * that are structurally zero (Hermite degree above the function pair's degree) or vanish by
 * parity along the masked axes are not counted.
 */
function statementCount(lx: number, nX: number, nY: number, degX: ArrayLike<number>, degY: ArrayLike<number>, parX: ArrayLike<number>, parY: ArrayLike<number>, mask: number): number {
  const nhx = nHermite(lx);
  let statements = 0;
  for (let cd = 0; cd < nY; cd++) {
    const pc = parY[cd] & mask;
    let nk = 0;
    for (let k = 0; k < nHermite(degY[cd]); k++) if ((hermiteParity(k) & mask) === pc) nk++;
    let nh = 0;
    for (let h = 0; h < nhx; h++) if ((hermiteParity(h) & mask) === pc) nh++;
    statements += nh * (nk > 0 ? 1 : 0);
  }
  for (let ab = 0; ab < nX; ab++) {
    const pa = parX[ab] & mask;
    for (let cd = 0; cd < nY; cd++) if ((parY[cd] & mask) === pa) statements++;
  }
  return statements;
}

function generate(
  lx: number, ly: number, nX: number, nY: number,
  degX: ArrayLike<number>, degY: ArrayLike<number>, parX: ArrayLike<number>, parY: ArrayLike<number>,
  mask: number, sig: string,
): GeneratedKernel | null {
  const nhx = nHermite(lx);
  const nhy = nHermite(ly);
  // Terms that are not structurally zero: ket E[k][cd] needs |k| ≤ deg(cd), bra E[ab][h] needs
  // |h| ≤ deg(ab). Along the masked axes E[k][cd] needs parity(k) = parity(cd), R_{h+k} needs
  // parity(h) = parity(k), and E[ab][h] needs parity(h) = parity(ab).
  const degH = (h: number): number => HERM_T[h] + HERM_U[h] + HERM_V[h];
  const par = (h: number): number => hermiteParity(h) & mask;
  if (legacyStatementCount(lx, nX, nY, degX, degY) > MAX_UNMASKED_STATEMENTS) return null;
  if (statementCount(lx, nX, nY, degX, degY, parX, parY, mask) > MAX_STATEMENTS) return null;
  const L = lx + ly;
  const src: string[] = [];
  for (let i = 0; i < nX * nY; i++) src.push(`out[${i}] = 0;`);
  src.push(`for (let P = p0; P < p1; P++) {`);
  src.push(`const p = pd[4 * P], px = pd[4 * P + 1], py = pd[4 * P + 2], pz = pd[4 * P + 3];`);
  // W[h][cd] is zero unless parity(h) = parity(cd) on the masked axes.
  const wLive = (h: number, cd: number): boolean => par(h) === (parY[cd] & mask);
  for (let h = 0; h < nhx; h++) for (let cd = 0; cd < nY; cd++) if (wLive(h, cd)) src.push(`let w${h}_${cd} = 0;`);
  const wLines: string[] = [];
  const needed = new Set<number>();
  for (let h = 0; h < nhx; h++) {
    for (let cd = 0; cd < nY; cd++) {
      if (!wLive(h, cd)) continue;
      const terms: string[] = [];
      for (let k = 0; k < nHermite(degY[cd]); k++) {
        if (par(k) !== (parY[cd] & mask)) continue;
        const s = hermiteIndex(HERM_T[h] + HERM_T[k], HERM_U[h] + HERM_U[k], HERM_V[h] + HERM_V[k]);
        needed.add(s);
        terms.push(`r${s} * e${k}_${cd}`);
      }
      if (terms.length > 0) wLines.push(`w${h}_${cd} += ${terms.join(' + ')};`);
    }
  }
  src.push(`for (let Q = q0; Q < q1; Q++) {`);
  src.push(`const q = pd[4 * Q]; const pq = p + q; const alpha = p * q / pq;`);
  src.push(`const xd = px - pd[4 * Q + 1], yd = py - pd[4 * Q + 2], zd = pz - pd[4 * Q + 3];`);
  src.push(`const T = alpha * (xd * xd + yd * yd + zd * zd); const scale = TWO_PI_2_5 / (p * q * Math.sqrt(pq));`);
  src.push(rRecursionSource(L, [...needed].sort((a, b) => a - b), mask));
  src.push(`const ek = by + (Q - q0) * bsy;`);
  for (let k = 0; k < nhy; k++) {
    for (let cd = 0; cd < nY; cd++) if (degH(k) <= degY[cd] && par(k) === (parY[cd] & mask)) src.push(`const e${k}_${cd} = eKet[ek + ${k * nY + cd}];`);
  }
  src.push(...wLines);
  src.push(`}`); // Q
  src.push(`const eb = bx + (P - p0) * bsx;`);
  for (let ab = 0; ab < nX; ab++) {
    const pa = parX[ab] & mask;
    const hs: number[] = [];
    for (let h = 0; h < nHermite(degX[ab]); h++) if (par(h) === pa) hs.push(h);
    const cds: number[] = [];
    for (let cd = 0; cd < nY; cd++) if ((parY[cd] & mask) === pa) cds.push(cd);
    if (hs.length === 0 || cds.length === 0) continue;
    for (const h of hs) src.push(`const b${ab}_${h} = eBra[eb + ${ab * nhx + h}];`);
    for (const cd of cds) {
      const terms = hs.map((h) => `b${ab}_${h} * w${h}_${cd}`);
      src.push(`out[${ab * nY + cd}] += ${terms.join(' + ')};`);
    }
  }
  src.push(`}`); // P
  // sourceURL names the class in profiles.
  const body = `const TWO_PI_2_5 = ${2 * Math.PI ** 2.5};\n` + src.join('\n') + `\n//# sourceURL=qde-eri-kernel-${sig.replace(/[^0-9a-z|,]/gi, '')}`;
  const kernel = new Function('pd', 'eBra', 'eKet', 'p0', 'p1', 'q0', 'q1', 'bx', 'bsx', 'by', 'bsy', 'out', 'bt', 'et', body) as GeneratedKernel;
  primeBothBoysBranches(kernel, nX, nY, nhx, nhy);
  return kernel;
}

/**
 * Run a new kernel on a made-up quartet (one bra primitive, two ket primitives: one on top of it,
 * T = 0, one 100 Bohr away, T = 7500 > tSwitch; all Hermite coefficients zero) and throw the
 * result away, so that its type feedback covers both branches of the inline Boys function before
 * V8 optimises it. A kernel optimised having met only T < tSwitch was discarded at its first
 * quartet of far-apart centres and compiled again: 7 of the 35 kernel compilations of the shipped
 * LiH/H₂O campaign, in every worker thread. The calls change no integral.
 */
function primeBothBoysBranches(kernel: GeneratedKernel, nX: number, nY: number, nhx: number, nhy: number): void {
  // primitive data: (exponent sum, centre x, y, z) per primitive pair
  const pd = Float64Array.of(1.5, 0.25, 0.5, 0.75, 1.5, 0.25, 0.5, 0.75, 1.5, 100.25, 0.5, 0.75);
  const eBra = new Float64Array(nX * nhx);
  const eKet = new Float64Array(2 * nhy * nY);
  const out = new Float64Array(nX * nY);
  for (let call = 0; call < TYPE_FEEDBACK_PRIMING_CALLS; call++) {
    kernel(pd, eBra, eKet, 0, 1, 1, 3, 0, nX * nhx, 0, nhy * nY, out, BOYS_GRID.table, BOYS_GRID.expTable);
  }
}

/** Unrolled size of a class without parity selection (W statements + bra statements). */
function legacyStatementCount(lx: number, nX: number, nY: number, degX: ArrayLike<number>, degY: ArrayLike<number>): number {
  const nhx = nHermite(lx);
  let statements = 0;
  for (let cd = 0; cd < nY; cd++) statements += nhx * nHermite(degY[cd]);
  for (let ab = 0; ab < nX; ab++) statements += nY * nHermite(degX[ab]);
  return statements;
}

const hasTables = new WeakMap<ShellPairData, Int8Array>();

/** Whether the class of bra pair x and ket pair y has a generated kernel without parity selection. */
export function hasGeneratedKernel(pairs: ShellPairData, x: number, y: number): boolean {
  let table = hasTables.get(pairs);
  if (!table) {
    table = new Int8Array(pairs.nClasses * pairs.nClasses).fill(-1);
    hasTables.set(pairs, table);
  }
  const key = pairs.pairClass[x] * pairs.nClasses + pairs.pairClass[y];
  if (table[key] < 0) {
    const nX = pairs.pairNA[x] * pairs.pairNB[x];
    const nY = pairs.pairNA[y] * pairs.pairNB[y];
    const degX = pairs.degrees.subarray(pairs.degreeStart[x], pairs.degreeStart[x] + nX);
    const degY = pairs.degrees.subarray(pairs.degreeStart[y], pairs.degreeStart[y] + nY);
    table[key] = legacyStatementCount(pairs.pairL[x], nX, nY, degX, degY) <= MAX_STATEMENTS ? 1 : 0;
  }
  return table[key] === 1;
}

/**
 * Default of {@link setKernelGenerationThreshold}: a class gets its generated kernel only when one
 * integral set holds at least this many of its primitive quartets. A generated kernel is parsed, run
 * unoptimised (every intermediate a heap number) and compiled by TurboFan in each process and each
 * worker, 20–110 ms of compilation for 300–800 statements, while it saves about half a nanosecond per
 * statement and primitive quartet over the table-driven kernels: it pays from about 10⁵ primitive
 * quartets. cc-pVTZ sets have hundreds of small classes (HBr/cc-pVTZ: 406 class pairs, all below
 * 10⁵; 480 generated kernels, 1.3 CPU-s of TurboFan work, 340 MB of heap numbers in one RHF).
 * Measured on the first RHF in a process, interleaved runs on the 2-core machine: whole processes,
 * medians of five, HBr/cc-pVTZ 1.47 → 1.07 s and benzene/6-31G* 2.53 → 2.54 s (23 % of benzene's
 * primitive quartets go to the table-driven kernels); H₂O/cc-pVTZ SCF in a process, four runs each,
 * 0.80–0.88 → 0.56–0.63 s. Caffeine/cc-pVDZ has 0.6 % of its primitive quartets in such classes.
 */
export const DEFAULT_KERNEL_GENERATION_THRESHOLD = 1e5;

let minPrimitiveQuartets = DEFAULT_KERNEL_GENERATION_THRESHOLD;

/**
 * Set the number of primitive quartets of a kernel class in one integral set from which the class
 * gets a generated kernel (0: every class small enough to unroll); returns the previous value. The
 * choice depends only on the integral set, never on what ran before, so results are the same in
 * every process; the kernels differ in summation order only (about 1e-16 relative). A process that
 * computes many small integral sets of the same kinds — a campaign's label worker — sets 0: its
 * kernels are compiled once and reused for every label (the shipped LiH/H₂O campaign: 8.4–9.0 s
 * against 9.2–9.7 s with the default). Parallel builds hand the caller's value to their workers.
 */
export function setKernelGenerationThreshold(primitiveQuartets: number): number {
  const previous = minPrimitiveQuartets;
  const next = Math.max(0, primitiveQuartets);
  if (next !== previous) {
    minPrimitiveQuartets = next;
    // Kernels stay cached by class; only the per-integral-set choices are made again.
    perPairs = new WeakMap();
    lastPairs = undefined;
  }
  return previous;
}

/** The current value of {@link setKernelGenerationThreshold}. */
export function kernelGenerationThreshold(): number {
  return minPrimitiveQuartets;
}

const classPrimitives = new WeakMap<ShellPairData, Float64Array>();

/** Σ primitive pairs over the pairs of each kernel class of `pairs`. */
function primitivesPerClass(pairs: ShellPairData): Float64Array {
  let sums = classPrimitives.get(pairs);
  if (!sums) {
    sums = new Float64Array(pairs.nClasses);
    for (let x = 0; x < pairs.nPairs; x++) sums[pairs.pairClass[x]] += pairs.primStart[x + 1] - pairs.primStart[x];
    classPrimitives.set(pairs, sums);
  }
  return sums;
}

let perPairs = new WeakMap<ShellPairData, (GeneratedKernel | null | undefined)[]>();
/** The last table looked up (one ShellPairData is used for a whole quartet loop). */
let lastPairs: ShellPairData | undefined;
let lastTable: (GeneratedKernel | null | undefined)[] = [];

/**
 * The generated kernel for bra pair x and ket pair y (by their kernel classes) when the four
 * centres share the coordinates of the axes in `mask` (./eri-kernel.ts quartetAxisMask; 0 for
 * none), or null when the class is computed by the table-driven kernels: too large to unroll, or
 * too rare in this integral set to repay its compilation (see {@link setKernelGenerationThreshold}).
 * Kernels are generated on first use.
 */
export function generatedKernel(pairs: ShellPairData, x: number, y: number, mask = 0): GeneratedKernel | null {
  let table = lastTable;
  if (pairs !== lastPairs) {
    let t = perPairs.get(pairs);
    if (!t) {
      t = new Array(pairs.nClasses * pairs.nClasses * 8);
      perPairs.set(pairs, t);
    }
    lastPairs = pairs;
    lastTable = table = t;
  }
  const key = (pairs.pairClass[x] * pairs.nClasses + pairs.pairClass[y]) * 8 + mask;
  let k = table[key];
  if (k === undefined) {
    const sums = primitivesPerClass(pairs);
    const cx = pairs.pairClass[x], cy = pairs.pairClass[y];
    const primitiveQuartets = cx === cy ? 0.5 * sums[cx] * sums[cx] : sums[cx] * sums[cy];
    if (primitiveQuartets < minPrimitiveQuartets) {
      table[key] = null;
      return null;
    }
    const nX = pairs.pairNA[x] * pairs.pairNB[x];
    const nY = pairs.pairNA[y] * pairs.pairNB[y];
    const degX = pairs.degrees.subarray(pairs.degreeStart[x], pairs.degreeStart[x] + nX);
    const degY = pairs.degrees.subarray(pairs.degreeStart[y], pairs.degreeStart[y] + nY);
    const parX = pairs.parities.subarray(pairs.degreeStart[x], pairs.degreeStart[x] + nX);
    const parY = pairs.parities.subarray(pairs.degreeStart[y], pairs.degreeStart[y] + nY);
    const masked = (a: Uint8Array): string => Array.from(a, (v) => v & mask).join(',');
    const sig = `${pairs.pairL[x]}|${pairs.pairL[y]}|${nX}|${nY}|${degX.join(',')}|${degY.join(',')}|m${mask}|${masked(parX)}|${masked(parY)}`;
    k = cache.get(sig);
    if (k === undefined) {
      k = generate(pairs.pairL[x], pairs.pairL[y], nX, nY, degX, degY, parX, parY, mask, sig);
      cache.set(sig, k);
    }
    table[key] = k;
  }
  return k;
}

/** Per-pair-combination lookup: kernels[x-class][y-class] resolved lazily by the caller. */
export function runGenerated(kernel: GeneratedKernel, pairs: ShellPairData, x: number, y: number, out: Float64Array): void {
  kernel(
    pairs.primData, pairs.eBra, pairs.eKet,
    pairs.primStart[x], pairs.primStart[x + 1], pairs.primStart[y], pairs.primStart[y + 1],
    pairs.eStart[x], pairs.blockSize[x], pairs.eStart[y], pairs.blockSize[y],
    out, BOYS_GRID.table, BOYS_GRID.expTable,
  );
}
