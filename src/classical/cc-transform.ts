/**
 * AO → MO transformation of the closed-shell coupled-cluster integral blocks straight from an RHF
 * result: the 8-fold packed AO integrals and the MO coefficients, without the a⁴ MO tensor of a
 * MolecularHamiltonian.
 *
 * Orbitals: C is n×nMo row-major (column = MO); the correlated ("active") MOs are [O, nMo), a = o + v
 * of them, the first o occupied. Blocks and layouts are those of cc-integrals.ts
 * (ovov, oovv, ovoo, ovvv, oooo and the symmetric/antisymmetric ladder matrices vvvvPlus/vvvvMinus).
 *
 * Two passes, all contractions as GEMMs (cc-tensor.ts, threaded through the library's budget):
 *   1. for batches of AO pairs P = (μ ≥ ν): U[σ][λ,P] = (P|λσ) unpacked (P innermost, so the packed
 *      integrals are read in contiguous runs), Y = Uᵀ·C_a (n²a per pair),
 *      Z[r][s][P] = Σ_λ Y[λ,P,s] C[λ,r] (n·a² per pair; a strided GEMM reads Y in place and writes
 *      Z in the order of half), kept for r ≥ s as half[rs][P] = (P|rs);
 *   2. for batches of MO pairs rs: M[rs,μ][ν] = half[rs][μν] unpacked, G[rs,q][p] = (pq|rs) by the
 *      same two GEMMs (the second again strided, no transposed copy); each (pq|rs) is scattered
 *      into the blocks that hold it.
 * Cost n⁴a/2 + n³a²/2 + n²a³/2 + na⁴/2 multiply–adds. Memory: the half-transformed integrals
 * (a(a+1)/2 × n(n+1)/2 values) are built for a range of r at a time sized to `memoryBytes`; a
 * smaller budget repeats pass 1's first GEMM per range.
 *
 * The Fock matrix comes from the AO side: F = H + J[2D] − K[D] with D = C_occ C_occᵀ of the given
 * orbitals, F_MO = Cᵀ F C, E_ref = E_nuc + Σ_i (h_ii + f_ii) — the same numbers a MolecularHamiltonian
 * of these orbitals gives (cc-integrals.ts closedShellReference), up to rounding.
 */
import { InputError, sharedFloat64Array } from '../core/index.js';
import type { PackedEri } from '../integrals/index.js';
import { buildCoulombExchange, type ScfResult } from '../scf/index.js';
import { closedShellReferenceFromFock, pairMinus, pairPlus, type ClosedShellBlocks, type ClosedShellReference } from './cc-integrals.js';
import { gemm } from './cc-tensor.js';
import { gemmView, gemmViewOffsets } from './cc-gemm.js';
import { unpackPairBatch } from './pair-unpack.js';

/** Whether a CC input is an SCF result (else a MolecularHamiltonian). */
export function isScfResult(x: object): x is ScfResult {
  return 'coefficientsAlpha' in x && 'eri' in x;
}

/** Contiguous copy of `count` MO columns starting at `start` of an n×nMo coefficient matrix. */
function columns(c: Float64Array, n: number, nMo: number, start: number, count: number): Float64Array {
  const out = sharedFloat64Array(n * count);
  for (let mu = 0; mu < n; mu++) for (let k = 0; k < count; k++) out[mu * count + k] = c[mu * nMo + start + k];
  return out;
}

/** Cᵀ M C for M n×n and C n×m (row-major), m×m result. */
function sandwich(m: Float64Array, c: Float64Array, n: number, k: number): Float64Array {
  const mc = new Float64Array(n * k);
  gemm(false, false, n, k, n, 1, m, c, 0, mc);
  const out = new Float64Array(k * k);
  gemm(true, false, k, k, n, 1, c, mc, 0, out);
  return out;
}

/**
 * Closed-shell reference (Fock matrix over all nMo orbitals, reference energy, orbital partition)
 * of an RHF result, with the lowest `frozenOrbitals` MOs uncorrelated.
 * @throws InputError for an open-shell or inconsistent result, or an impossible frozen count.
 */
export function closedShellReferenceFromScf(scf: ScfResult, frozenOrbitals: number, method: string): ClosedShellReference {
  if (scf.method !== 'rhf' || scf.nAlpha !== scf.nBeta) {
    throw new InputError(`${method} from an SCF result needs a closed-shell RHF result, got ${scf.method} with nAlpha=${scf.nAlpha}, nBeta=${scf.nBeta}`);
  }
  const n = scf.nBasis;
  const nMo = scf.nOrbitals;
  const nOcc = scf.nAlpha;
  const c = scf.coefficientsAlpha;
  const d = new Float64Array(n * n);
  const cOcc = columns(c, n, nMo, 0, nOcc);
  gemm(false, true, n, n, nOcc, 1, cOcc, cOcc, 0, d);
  const dTotal = d.map((x) => 2 * x);
  const j = new Float64Array(n * n);
  const k = new Float64Array(n * n);
  buildCoulombExchange(scf.eri, dTotal, d, j, k);
  const fAo = new Float64Array(n * n);
  for (let x = 0; x < n * n; x++) fAo[x] = scf.coreHamiltonian[x] + j[x] - k[x];
  const fock = sandwich(fAo, c, n, nMo);
  const h = sandwich(scf.coreHamiltonian, c, n, nMo);
  // Exact symmetry, as the MolecularHamiltonian path has it.
  for (let p = 0; p < nMo; p++)
    for (let q = 0; q < p; q++) {
      const f = 0.5 * (fock[p * nMo + q] + fock[q * nMo + p]);
      fock[p * nMo + q] = f;
      fock[q * nMo + p] = f;
    }
  let eRef = scf.nuclearRepulsionHartree;
  for (let i = 0; i < nOcc; i++) eRef += h[i * nMo + i] + fock[i * nMo + i];
  return closedShellReferenceFromFock(nMo, nOcc, frozenOrbitals, fock, eRef, method);
}

/** Bytes of the half-transformed integrals for a range of `rows` values of r (all s ≤ r) out of a. */
function halfBytes(nPairAo: number, r0: number, r1: number): number {
  return 8 * nPairAo * ((r1 * (r1 + 1)) / 2 - (r0 * (r0 + 1)) / 2);
}

/**
 * AO pairs (or MO pairs) per batched GEMM. A batch unpacks about 2¹⁸ values (2 MiB), so the work
 * buffers stay in cache and cost few first-touch page faults (with 2²², six 32 MiB buffers took
 * half of the H2O/cc-pVTZ transform in page faults alone). When the first pass alone is above
 * {@link LARGE_TRANSFORM_WORK} multiply–adds, a batch holds 2²⁰ values: its GEMMs (about 2²⁰·a
 * multiply–adds) then pass the GEMM's threading threshold and run on every thread, which took the
 * benzene/6-31G* transform from 4.2–4.7 s to 2.7–3.6 s; on H2O/cc-pVTZ the same made the first, cold
 * transform slower (0.84–0.87 s against 0.55–0.57 s: bigger buffers, and the GEMM threads start).
 */
function batchSize(n: number, total: number, large: boolean): number {
  return Math.max(1, Math.min(total, Math.floor(2 ** (large ? 20 : 18) / Math.max(1, n * n))));
}

/** First-pass multiply–adds (n⁴a/2) above which the transform batches for threaded GEMMs. */
const LARGE_TRANSFORM_WORK = 2e9;

/**
 * Multiply–adds from which a batch's GEMM runs on the thread budget: the small batches' products
 * (about 2¹⁸·a, 1.5·10⁷ for H₂O/cc-pVTZ) are below the GEMM's general threshold, and the CPU the
 * transform leaves idle on the other core is then used.
 */
const TRANSFORM_PARALLEL_WORK = 4e6;

/** First-pass work (n⁴a/2) from which a process's first transform warms its loops up first. */
const WARM_UP_WORK = 1e8;
let transformWarm = false;

/**
 * Transform made-up integrals of 10 functions three times before a process's first large
 * transform, so that V8 compiles its copy and scatter loops for calls: a function first run on a
 * large problem is compiled only for the loop it is in, and its next calls start uncompiled again.
 */
function warmUpTransform(): void {
  transformWarm = true;
  const n = 10;
  const nPair = (n * (n + 1)) / 2;
  const values = new Float64Array((nPair * (nPair + 1)) / 2);
  for (let x = 0; x < values.length; x++) values[x] = 0.01 * Math.cos(x);
  const c = new Float64Array(n * n);
  for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) c[p * n + q] = p === q ? 1 : 0.01 * Math.sin(p + 2 * q);
  for (let pass = 0; pass < 3; pass++) closedShellBlocksFromAo({ nBasis: n, values }, c, n, 0, 3, 7, 1 << 30);
}

/**
 * The CC integral blocks of correlated MOs [O, O + o + v) of coefficient matrix `c` (n×nMo), o of
 * them occupied, from packed AO integrals (see the file header).
 */
export function closedShellBlocksFromAo(
  eri: PackedEri,
  c: Float64Array,
  nMo: number,
  O: number,
  o: number,
  v: number,
  memoryBytes: number,
): ClosedShellBlocks {
  const n = eri.nBasis;
  const values = eri.values;
  const a = o + v;
  if (!transformWarm && (n * n * n * n * a) / 2 > WARM_UP_WORK) warmUpTransform();
  const nPairAo = (n * (n + 1)) / 2;
  const ov = o * v;
  const vv = v * v;
  const nPlus = (v * (v + 1)) / 2;
  const nMinus = (v * (v - 1)) / 2;
  const blocks: ClosedShellBlocks = {
    ovov: sharedFloat64Array(ov * ov),
    oovv: sharedFloat64Array(o * o * vv),
    ovoo: sharedFloat64Array(ov * o * o),
    ovvv: sharedFloat64Array(ov * vv),
    oooo: sharedFloat64Array(o * o * o * o),
    vvvvPlus: sharedFloat64Array(nPlus * nPlus),
    vvvvMinus: sharedFloat64Array(nMinus * nMinus),
  };
  if (a === 0) return blocks;
  const ca = columns(c, n, nMo, O, a);

  // Ranges of r whose half-transformed integrals fit the budget (at least one r per range).
  const ranges: [number, number][] = [];
  for (let r0 = 0; r0 < a; ) {
    let r1 = r0 + 1;
    while (r1 < a && halfBytes(nPairAo, r0, r1 + 1) <= memoryBytes) r1++;
    ranges.push([r0, r1]);
    r0 = r1;
  }

  const large = (n * n * n * n * a) / 2 > LARGE_TRANSFORM_WORK;
  const batch1 = batchSize(n, nPairAo, large);
  const u = sharedFloat64Array(batch1 * n * n); // [σ][λ][P]
  const y = sharedFloat64Array(batch1 * n * a); // [λ, P][s]
  const z = sharedFloat64Array(batch1 * a * a); // [P, s][r − r0]
  // Offset tables of the strided GEMMs (rebuilt when the batch or range changes).
  let view1: { key: string; off: Int32Array } | undefined;
  const pass1View = (nb: number, r1: number, nr: number): Int32Array => {
    const key = `${nb},${r1},${nr}`;
    if (view1?.key !== key) view1 = { key, off: pass1Offsets(nb, r1, nr, n, a) };
    return view1.off;
  };
  let view2: { key: number; off: Int32Array } | undefined;
  const pass2View = (nb: number): Int32Array => {
    if (view2?.key !== nb) view2 = { key: nb, off: viewOffsets(nb, a, a, n, a, a) };
    return view2.off;
  };
  const batch2 = batchSize(n, (a * (a + 1)) / 2, large);
  const m = sharedFloat64Array(batch2 * n * n); // [rs, μ][ν]
  const y2 = sharedFloat64Array(batch2 * n * a); // [rs, μ][q]
  const g = sharedFloat64Array(batch2 * a * a); // [rs, q][p]

  for (const [r0, r1] of ranges) {
    const base = (r0 * (r0 + 1)) / 2;
    const nPairs = (r1 * (r1 + 1)) / 2 - base;
    const nr = r1 - r0;
    const cr = columns(ca, n, a, r0, nr);
    const half = new Float64Array(nPairs * nPairAo); // [rs − base][P]
    // Pass 1.
    for (let p0 = 0; p0 < nPairAo; p0 += batch1) {
      const nb = Math.min(batch1, nPairAo - p0);
      // u[σ][λ][P − p0] = (P|λσ), read in contiguous runs (./pair-unpack.ts).
      unpackPairBatch(values, n, p0, nb, u);
      // y[λ, P][s] = Σ_σ u[σ][λ, P] C[σ, s]
      gemm(true, false, n * nb, a, n, 1, u, ca, 0, y, TRANSFORM_PARALLEL_WORK);
      // z[r − r0][s][P] = Σ_λ y[λ, P][s] C[λ, r], by the strided GEMM straight from y and in the
      // order of half, so each (r, s) is one contiguous run of the batch's pairs.
      gemmView(nb * r1, nr, n, 1, y, cr, z, pass1View(nb, r1, nr), undefined, TRANSFORM_PARALLEL_WORK, true);
      keepLowerPairs(z, half, r0, r1, nb, p0, nPairAo);
    }
    // Pass 2.
    for (let q0 = 0; q0 < nPairs; q0 += batch2) {
      const nb = Math.min(batch2, nPairs - q0);
      unpackSymmetric(half, q0 * nPairAo, nb, n, m);
      gemm(false, false, nb * n, a, n, 1, m, ca, 0, y2, TRANSFORM_PARALLEL_WORK);
      // g[rs, q][p] = Σ_μ y2[rs, μ][q] C[μ, p], read in place by the strided GEMM.
      gemmView(nb * a, a, n, 1, y2, ca, g, pass2View(nb), undefined, TRANSFORM_PARALLEL_WORK, true);
      // Scatter: the pair index base + q0 + t is r(r+1)/2 + s.
      let r = r0;
      while (((r + 1) * (r + 2)) / 2 <= base + q0) r++;
      let s = base + q0 - (r * (r + 1)) / 2;
      for (let t = 0; t < nb; t++) {
        scatterPair(g.subarray(t * a * a, (t + 1) * a * a), r, s, o, v, blocks);
        if (++s > r) {
          r++;
          s = 0;
        }
      }
    }
  }
  mirrorLowerTriangle(blocks.vvvvPlus, nPlus);
  mirrorLowerTriangle(blocks.vvvvMinus, nMinus);
  return blocks;
}

// The copy loops are functions of their own, so each is compiled whole on its own feedback (inside
// closedShellBlocksFromAo, code compiled while pass 1 was hot was thrown away in pass 2).

/**
 * Pass 1's kept block: half[rs − base][P] = z[r − r0][s][P − p0] for r0 ≤ r < r1, s ≤ r and the
 * batch's nb pairs P, with base = r0(r0+1)/2.
 */
function keepLowerPairs(z: Float64Array, half: Float64Array, r0: number, r1: number, nb: number, p0: number, nPairAo: number): void {
  const base = (r0 * (r0 + 1)) / 2;
  for (let r = r0; r < r1; r++) {
    const rBase = (r * (r + 1)) / 2 - base;
    for (let s = 0; s <= r; s++) {
      const dst = (rBase + s) * nPairAo + p0;
      const src = ((r - r0) * r1 + s) * nb;
      for (let p = 0; p < nb; p++) half[dst + p] = z[src + p];
    }
  }
}

/** m[t][μ][ν] = m[t][ν][μ] = the packed triangle (μ ≥ ν) of row t of `packed` from `start`, t < nb. */
function unpackSymmetric(packed: Float64Array, start: number, nb: number, n: number, m: Float64Array): void {
  const nPair = (n * (n + 1)) / 2;
  for (let t = 0; t < nb; t++) {
    const hBase = start + t * nPair;
    const mBase = t * n * n;
    let pIdx = 0;
    for (let mu = 0; mu < n; mu++)
      for (let nu = 0; nu <= mu; nu++, pIdx++) {
        const val = packed[hBase + pIdx];
        m[mBase + mu * n + nu] = val;
        m[mBase + nu * n + mu] = val;
      }
  }
}

/** Copy the lower triangle of the symmetric size×size matrix `x` onto its upper triangle, in tiles. */
function mirrorLowerTriangle(x: Float64Array, size: number): void {
  const tile = 32;
  for (let r0 = 0; r0 < size; r0 += tile) {
    const r1 = Math.min(size, r0 + tile);
    for (let c0 = 0; c0 <= r0; c0 += tile) {
      const c1 = Math.min(size, c0 + tile);
      for (let c = c0; c < c1; c++)
        for (let r = Math.max(r0, c + 1); r < r1; r++) x[c * size + r] = x[r * size + c];
    }
  }
}

/**
 * Offsets (core/gemm.ts gemmView) of pass 1's Z[r][s][P] = Σ_λ Y[λ, P, s] B[λ, r] for P < nb, s < rows,
 * r < cols: product rows (s, P), Y is [λ < n][P][a], B is [λ][cols], Z is [r][s][P].
 */
function pass1Offsets(nb: number, rows: number, cols: number, n: number, a: number): Int32Array {
  const m = nb * rows;
  const off = gemmViewOffsets(m, cols, n);
  let x = 0;
  for (let s = 0; s < rows; s++) for (let p = 0; p < nb; p++) off[x++] = p * a + s; // A rows
  for (let l = 0; l < n; l++) off[x++] = l * nb * a; // A columns
  for (let l = 0; l < n; l++) off[x++] = l * cols; // B rows
  for (let r = 0; r < cols; r++) off[x++] = r; // B columns
  for (let i = 0; i < m; i++) off[x++] = i; // C rows: (s, P) → s·nb + P
  for (let r = 0; r < cols; r++) off[x++] = r * m; // C columns
  return off;
}

/**
 * Offsets (core/gemm.ts gemmView) of Z[(P, s), r] = Σ_λ Y[P, λ, s] B[λ, r] for P < nb, s < rows,
 * r < cols: Y is [P][λ < n][ldY], B is [λ][ldB] and Z is [(P, s)][cols], all row-major.
 */
function viewOffsets(nb: number, rows: number, cols: number, n: number, ldY: number, ldB: number): Int32Array {
  const m = nb * rows;
  const off = gemmViewOffsets(m, cols, n);
  let x = 0;
  for (let p = 0; p < nb; p++) for (let s = 0; s < rows; s++) off[x++] = p * n * ldY + s; // A rows
  for (let l = 0; l < n; l++) off[x++] = l * ldY; // A columns
  for (let l = 0; l < n; l++) off[x++] = l * ldB; // B rows
  for (let r = 0; r < cols; r++) off[x++] = r; // B columns
  for (let i = 0; i < m; i++) off[x++] = i * cols; // C rows
  for (let r = 0; r < cols; r++) off[x++] = r; // C columns
  return off;
}

/**
 * Put G[q][p] = (pq|rs) (active indices, r ≥ s; G symmetric) into every block that holds it.
 * Occupied indices are < o, virtual ones o + x.
 */
function scatterPair(gm: Float64Array, r: number, s: number, o: number, v: number, b: ClosedShellBlocks): void {
  const a = o + v;
  const ov = o * v;
  if (r < o) {
    // rs = (k, l), both occupied: oooo[i,j,k,l], ovoo[i,a,k,l], oovv via (ab|kl) = (kl|ab).
    const k = r;
    const l = s;
    for (let i = 0; i < o; i++) {
      for (let j = 0; j < o; j++) {
        const val = gm[i * a + j];
        b.oooo[((i * o + j) * o + k) * o + l] = val;
        b.oooo[((i * o + j) * o + l) * o + k] = val;
      }
      for (let x = 0; x < v; x++) {
        const val = gm[i * a + o + x];
        b.ovoo[((i * v + x) * o + k) * o + l] = val;
        b.ovoo[((i * v + x) * o + l) * o + k] = val;
      }
    }
    return;
  }
  if (s < o) {
    // rs = (j, b) with j = s occupied, b = r virtual: ovov[i,a,j,b], ovoo[j,b,k,l] = (jb|kl), ovvv[j,b,c,d].
    const j = s;
    const bv = r - o;
    const jb = j * v + bv;
    for (let i = 0; i < o; i++)
      for (let x = 0; x < v; x++) b.ovov[(i * v + x) * ov + jb] = gm[i * a + o + x];
    for (let k = 0; k < o; k++)
      for (let l = 0; l < o; l++) b.ovoo[(jb * o + k) * o + l] = gm[k * a + l];
    const dst = jb * v * v;
    for (let c = 0; c < v; c++) {
      const row = (o + c) * a + o;
      for (let d = 0; d < v; d++) b.ovvv[dst + c * v + d] = gm[row + d];
    }
    return;
  }
  // rs = (x, y), both virtual (x ≥ y): oovv[i,j,x,y], ovvv[i,c,x,y] and the ladder matrices.
  const x = r - o;
  const y = s - o;
  for (let i = 0; i < o; i++) {
    for (let j = 0; j < o; j++) {
      const val = gm[i * a + j];
      b.oovv[((i * o + j) * v + x) * v + y] = val;
      b.oovv[((i * o + j) * v + y) * v + x] = val;
    }
    for (let c = 0; c < v; c++) {
      const val = gm[i * a + o + c];
      b.ovvv[((i * v + c) * v + x) * v + y] = val;
      b.ovvv[((i * v + c) * v + y) * v + x] = val;
    }
  }
  // The ladder matrices, lower triangles only (column pair ≤ row pair; mirrorLowerTriangle fills
  // the rest once every pair is in): vvvvPlus[ab, cd] = (ac|bd) + (ad|bc) (a ≤ b, c ≤ d) and
  // vvvvMinus[ab, cd] = (ac|bd) − (ad|bc) (a < b, c < d) are symmetric, and every element of their
  // lower triangles in a row (a, b) takes both its terms from pairs (b, ·), so each pair (x, y)
  // writes only rows (p, x), p ≤ x, which stay in cache while x is the same:
  //   (p q | x y) = (ac|bd) with a = p, c = q, b = x, d = y: column (q, y) for q ≤ y,
  //               = (ad|bc) with a = p, d = q, b = x, c = y: column (y, q) for q > y (minus: −),
  //   and the diagonal column (y, y) takes (py|xy) twice.
  // A column is in the lower triangle when q ≤ x in the second run (q = x needs y ≤ p) and, for
  // the diagonal pair x = y, when q ≤ p.
  const nPlus = (v * (v + 1)) / 2;
  const nMinus = (v * (v - 1)) / 2;
  const plus = b.vvvvPlus;
  const minus = b.vvvvMinus;
  const plusY = pairPlus(0, y);
  const minusY = pairMinus(0, y);
  for (let p = 0; p <= x; p++) {
    const rowPlus = pairPlus(p, x) * nPlus;
    const rowMinus = p < x ? pairMinus(p, x) * nMinus : -1;
    const gRow = (o + p) * a + o;
    const firstRun = x === y ? Math.min(y, p + 1) : y;
    for (let q = 0; q < firstRun; q++) {
      const val = gm[gRow + q];
      plus[rowPlus + plusY + q] += val;
      if (rowMinus >= 0) minus[rowMinus + minusY + q] += val;
    }
    if (x !== y || p === x) {
      const diag = gm[gRow + y];
      plus[rowPlus + plusY + y] += diag;
      plus[rowPlus + plusY + y] += diag;
    }
    const lastQ = y <= p ? x : x - 1;
    for (let q = y + 1, cp = pairPlus(y, q), cm = pairMinus(y, q); q <= lastQ; cp += q + 1, cm += q, q++) {
      const val = gm[gRow + q];
      plus[rowPlus + cp] += val;
      if (rowMinus >= 0) minus[rowMinus + cm] -= val;
    }
  }
}
