/**
 * Hot kernels of determinant-based full CI (the orchestration lives in fci.ts).
 *
 * Layout: a CI vector is a row-major [α-string × β-string] matrix, C[Iα * nBetaStrings + Iβ], with the
 * strings of fci-strings.ts (ascending bit-pattern order) — or, with orbital symmetry, one sector of it
 * as symmetry blocks (BlockedShape below; fci-symmetry.ts): α strings irrep-major, row r of irrep a
 * holding the β strings of irrep a ⊕ target. The σ kernels work on the blocked form; one irrep is the
 * plain matrix. Determinant |Iα Iβ⟩ is the α string's
 * creation operators followed by the β string's, so a spin-conserving pair a†_pσ a_qσ acting on one
 * spin never picks up a sign from the other spin's string.
 *
 * With E^σ_pq = a†_pσ a_qσ, h'_pq = h_pq − ½ Σ_r (pr|rq) and g_pqrs = (pq|rs) (chemists'),
 *
 *   H − constant = Σ_σ [Σ_pq h'_pq E^σ_pq + ½ Σ_pqrs g_pqrs E^σ_pq E^σ_rs]      (same-spin, F^σ)
 *                + Σ_pqrs g_pqrs E^α_pq E^β_rs                                    (opposite-spin)
 *
 * - Same-spin parts: F^σ is a sparse symmetric matrix over strings of one spin, built once from the
 *   single-replacement lists (Olsen's σ1/σ2) and applied to whole rows/columns of C.
 * - Opposite-spin part (dominant): for each β pair kl (and irrep of Iβ), gather C'[Jα, i] = C[Jα, Jβ_i] over the β
 *   strings Iβ_i with ⟨Iβ_i|E_kl|Jβ_i⟩ = s_i ≠ 0; multiply by the sparse-by-row α coupling
 *   V_kl[Iα, Jα] = Σ_ij g_ijkl ⟨Iα|E_ij|Jα⟩ (a matrix–matrix product C'' = V_kl C' done in register
 *   blocks of 8 columns); scatter s_i C''[Iα, i] into σ[Iα, Iβ_i].
 *
 * Spin-flip symmetry (nα = nβ): a state with Ms = 0 and total spin S has C^T = (−1)^S C in this
 * determinant convention. With t = ±1 and C^T = t C, σ^ββ(C) = t (σ^αα(C))^T and σ^αβ(C)^T = t σ^αβ(C),
 * so only σ^αα and the lower triangle (Iβ ≤ Iα) of σ^αβ are computed. With symmetry blocks this holds
 * block by block in the totally symmetric sector (target 0, square blocks, local indices); in another
 * sector the flip maps block (a, a ⊕ target) onto block (a ⊕ target, a), so only the blocks with
 * a < a ⊕ target are computed.
 */
import type { StringSpace } from './fci-strings.js';

/** Compressed sparse rows of a symmetric matrix over strings of one spin. */
export interface SparseStringMatrix {
  readonly size: number;
  readonly rowStart: Int32Array;
  readonly column: Int32Array;
  readonly value: Float64Array;
  /** Diagonal elements, for the preconditioner. */
  readonly diagonal: Float64Array;
}

/** h'_pq = h_pq − ½ Σ_r (pr|rq). */
export function effectiveOneBody(h: Float64Array, g: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  const n2 = n * n;
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += g[(p * n + r) * n2 + r * n + q];
      out[p * n + q] = h[p * n + q] - 0.5 * s;
    }
  }
  return out;
}

/**
 * Same-spin Hamiltonian over strings of one spin:
 * F(L, J) = Σ_kl h'_kl ⟨L|E_kl|J⟩ + ½ Σ_ijkl (ij|kl) ⟨L|E_ij E_kl|J⟩.
 */
export function buildSameSpinMatrix(space: StringSpace, hEff: Float64Array, g: Float64Array): SparseStringMatrix {
  const n = space.nOrbitals;
  const n2 = n * n;
  const count = space.count;
  const nS = space.singlesPerString;
  const { singleCreate, singleAnnihilate, singleTarget, singleSign } = space;
  const tmp = new Float64Array(count);
  const mark = new Uint8Array(count);
  const touched = new Int32Array(count);
  const rowStart = new Int32Array(count + 1);
  let columns = new Int32Array(Math.max(16, count * 4));
  let values = new Float64Array(columns.length);
  const diagonal = new Float64Array(count);
  let nnz = 0;
  for (let J = 0; J < count; J++) {
    let nt = 0;
    for (let e = J * nS; e < (J + 1) * nS; e++) {
      const ca = singleCreate[e] * n + singleAnnihilate[e];
      const K = singleTarget[e];
      const s1 = singleSign[e];
      if (mark[K] === 0) {
        mark[K] = 1;
        touched[nt++] = K;
      }
      tmp[K] += s1 * hEff[ca];
      const gRow = ca; // (ij|kl) = (kl|ij): read g[ij * n2 + kl] with kl = ca
      for (let e2 = K * nS; e2 < (K + 1) * nS; e2++) {
        const L = singleTarget[e2];
        if (mark[L] === 0) {
          mark[L] = 1;
          touched[nt++] = L;
        }
        tmp[L] += 0.5 * s1 * singleSign[e2] * g[(singleCreate[e2] * n + singleAnnihilate[e2]) * n2 + gRow];
      }
    }
    const list = touched.subarray(0, nt).sort();
    if (nnz + nt > columns.length) {
      const grow = Math.max(columns.length * 2, nnz + nt);
      const c2 = new Int32Array(grow);
      c2.set(columns.subarray(0, nnz));
      const v2 = new Float64Array(grow);
      v2.set(values.subarray(0, nnz));
      columns = c2;
      values = v2;
    }
    for (let t = 0; t < nt; t++) {
      const L = list[t];
      const v = tmp[L];
      tmp[L] = 0;
      mark[L] = 0;
      if (L === J) diagonal[J] = v;
      if (v === 0) continue;
      columns[nnz] = L;
      values[nnz] = v;
      nnz++;
    }
    rowStart[J + 1] = nnz;
  }
  return { size: count, rowStart, column: columns.slice(0, nnz), value: values.slice(0, nnz), diagonal };
}

/**
 * β single replacements grouped by orbital pair kl and, inside a pair, by the irrep of Iβ, for the
 * opposite-spin kernel: entries of group (kl, b) are start[kl * irreps + b] … start[kl * irreps + b + 1] − 1,
 * with ⟨Iβ|E_kl|Jβ⟩ = sign, Iβ of irrep b and Jβ of irrep b ⊕ l_k ⊕ l_l, both as local indices inside
 * their irreps, ascending in Iβ. With one irrep this is the plain per-pair list.
 */
export interface PairLists {
  readonly irreps: number;
  readonly start: Int32Array;
  /** Local index of Iβ. */
  readonly source: Int32Array;
  /** Local index of Jβ. */
  readonly target: Int32Array;
  readonly sign: Float64Array;
  /** Longest group. */
  readonly maxLength: number;
}

/**
 * Build {@link PairLists} from a β string space, its irrep-major order (`order[r]` = address of
 * blocked position r, `position` the inverse, `irrepStart` the irrep ranges, `label` the string labels).
 */
export function buildPairLists(
  space: StringSpace,
  order: Int32Array,
  position: Int32Array,
  irrepStart: Int32Array,
  label: Int32Array,
  irreps: number,
): PairLists {
  const n = space.nOrbitals;
  const nS = space.singlesPerString;
  const total = space.count * nS;
  const groups = n * n * irreps;
  const start = new Int32Array(groups + 1);
  // Entry (c, a) of Iβ gives Jβ = E_ca Iβ, i.e. ⟨Iβ|E_ac|Jβ⟩ = sign: pair kl = (a, c).
  for (let I = 0; I < space.count; I++) {
    const b = label[I];
    for (let e = I * nS; e < (I + 1) * nS; e++) start[(space.singleAnnihilate[e] * n + space.singleCreate[e]) * irreps + b + 1]++;
  }
  for (let p = 0; p < groups; p++) start[p + 1] += start[p];
  const fill = start.slice(0, groups);
  const source = new Int32Array(total);
  const target = new Int32Array(total);
  const sign = new Float64Array(total);
  for (let r = 0; r < space.count; r++) {
    const I = order[r];
    const b = label[I];
    const local = r - irrepStart[b];
    for (let e = I * nS; e < (I + 1) * nS; e++) {
      const kl = space.singleAnnihilate[e] * n + space.singleCreate[e];
      const pos = fill[kl * irreps + b]++;
      const J = space.singleTarget[e];
      source[pos] = local;
      target[pos] = position[J] - irrepStart[label[J]];
      sign[pos] = space.singleSign[e];
    }
  }
  let maxLength = 0;
  for (let p = 0; p < groups; p++) maxLength = Math.max(maxLength, start[p + 1] - start[p]);
  return { irreps, start, source, target, sign, maxLength };
}

/**
 * Off-diagonal α replacements for the opposite-spin kernel, rows in blocked (irrep-major) order:
 * for blocked row r, entries m = 0 … perString−1 give ⟨Iα|E_ij|Jα⟩ = sign with pair index ij (row of
 * g) and Jα as a local index inside its irrep; `occupied` lists the orbitals of row r.
 */
export interface AlphaCoupling {
  readonly perString: number;
  readonly pair: Int32Array;
  readonly target: Int32Array;
  readonly sign: Float64Array;
  readonly occupied: Int32Array;
}

/** {@link AlphaCoupling} of an α string space in the irrep-major order given as for {@link buildPairLists}. */
export function buildAlphaCoupling(
  space: StringSpace,
  order: Int32Array,
  position: Int32Array,
  irrepStart: Int32Array,
  label: Int32Array,
): AlphaCoupling {
  const n = space.nOrbitals;
  const k = space.nElectrons;
  const nS = space.singlesPerString;
  const perString = nS - k;
  const pair = new Int32Array(space.count * perString);
  const target = new Int32Array(space.count * perString);
  const sign = new Float64Array(space.count * perString);
  const occupied = new Int32Array(space.count * k);
  for (let r = 0; r < space.count; r++) {
    const I = order[r];
    for (let t = 0; t < k; t++) occupied[r * k + t] = space.occupied[I * k + t];
    let m = r * perString;
    for (let e = I * nS + k; e < (I + 1) * nS; e++) {
      // J = E_ca I  ⇒  ⟨I|E_ac|J⟩ = sign: the pair acting on J is ij = (a, c).
      const J = space.singleTarget[e];
      pair[m] = space.singleAnnihilate[e] * n + space.singleCreate[e];
      target[m] = position[J] - irrepStart[label[J]];
      sign[m] = space.singleSign[e];
      m++;
    }
  }
  return { perString, pair, target, sign, occupied };
}
/**
 * out[L, :] += Σ_J F(L, J) C[J, :]  (α same-spin part; rows are α strings), for rows
 * rowFrom ≤ L < rowTo (default all). Self-contained: the worker pool ships its source text.
 */
export function applySameSpinRows(
  f: SparseStringMatrix,
  c: Float64Array,
  out: Float64Array,
  rowLength: number,
  rowFrom = 0,
  rowTo = -1,
): void {
  const { rowStart, column, value } = f;
  const last = rowTo < 0 ? f.size : rowTo;
  for (let L = rowFrom; L < last; L++) {
    const o = L * rowLength;
    let e = rowStart[L];
    const end = rowStart[L + 1];
    for (; e + 3 < end; e += 4) {
      const f0 = value[e];
      const f1 = value[e + 1];
      const f2 = value[e + 2];
      const f3 = value[e + 3];
      const c0 = column[e] * rowLength;
      const c1 = column[e + 1] * rowLength;
      const c2 = column[e + 2] * rowLength;
      const c3 = column[e + 3] * rowLength;
      for (let x = 0; x < rowLength; x++) {
        out[o + x] += f0 * c[c0 + x] + f1 * c[c1 + x] + f2 * c[c2 + x] + f3 * c[c3 + x];
      }
    }
    for (; e < end; e++) {
      const f0 = value[e];
      const c0 = column[e] * rowLength;
      for (let x = 0; x < rowLength; x++) out[o + x] += f0 * c[c0 + x];
    }
  }
}

/** dst = src^T for a rows × cols row-major src (blocked for cache). */
export function transposeInto(src: Float64Array, dst: Float64Array, rows: number, cols: number): void {
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(rows, i0 + B);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(cols, j0 + B);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) dst[j * rows + i] = src[i * cols + j];
    }
  }
}

/**
 * out[I, L] += Σ_J F(L, J) C[I, J]  (β same-spin part; columns are β strings), computed as the row
 * kernel on C^T. `scratchA`, `scratchB` hold nRows × F.size values each.
 */
export function applySameSpinColumns(
  f: SparseStringMatrix,
  c: Float64Array,
  out: Float64Array,
  nRows: number,
  scratchA: Float64Array,
  scratchB: Float64Array,
): void {
  const nb = f.size;
  transposeInto(c, scratchA, nRows, nb);
  scratchB.fill(0, 0, nRows * nb);
  applySameSpinRows(f, scratchA, scratchB, nRows);
  // out += scratchB^T, blocked.
  const B = 32;
  for (let j0 = 0; j0 < nb; j0 += B) {
    const j1 = Math.min(nb, j0 + B);
    for (let i0 = 0; i0 < nRows; i0 += B) {
      const i1 = Math.min(nRows, i0 + B);
      for (let j = j0; j < j1; j++) for (let i = i0; i < i1; i++) out[i * nb + j] += scratchB[j * nRows + i];
    }
  }
}

/**
 * Symmetry-blocked layout seen by the σ kernels (fci-symmetry.ts builds it): α rows in irrep-major
 * order, row r of irrep a starting at rowOffset[r] with blockColumns[a] β columns (the β strings of
 * irrep a ⊕ target, local order). One irrep with target 0 is the plain [α × β] matrix.
 */
export interface BlockedShape {
  readonly n: number;
  readonly irreps: number;
  readonly target: number;
  /** 0-based orbital labels. */
  readonly orbitalLabels: Int32Array;
  /** α rows of irrep a: alphaStart[a] … alphaStart[a + 1] − 1. */
  readonly alphaStart: Int32Array;
  readonly nAlphaElectrons: number;
  readonly rowOffset: Int32Array;
  readonly blockColumns: Int32Array;
}

/**
 * out += F c on the α rows rowFrom ≤ r < rowTo of a blocked vector (α same-spin part). `rowStart`,
 * `column` (local index inside the row's irrep), `value` are the blocked same-spin matrix.
 * Self-contained: the worker pool ships its source text.
 */
export function applySameSpinBlocked(
  rowStart: Int32Array,
  column: Int32Array,
  value: Float64Array,
  shape: BlockedShape,
  c: Float64Array,
  out: Float64Array,
  rowFrom: number,
  rowTo: number,
): void {
  const { alphaStart, rowOffset, blockColumns, irreps } = shape;
  for (let a = 0; a < irreps; a++) {
    const lo = Math.max(rowFrom, alphaStart[a]);
    const hi = Math.min(rowTo, alphaStart[a + 1]);
    const w = blockColumns[a];
    if (lo >= hi || w === 0) continue;
    const base = rowOffset[alphaStart[a]];
    for (let L = lo; L < hi; L++) {
      const o = rowOffset[L];
      let e = rowStart[L];
      const end = rowStart[L + 1];
      for (; e + 3 < end; e += 4) {
        const f0 = value[e];
        const f1 = value[e + 1];
        const f2 = value[e + 2];
        const f3 = value[e + 3];
        const c0 = base + column[e] * w;
        const c1 = base + column[e + 1] * w;
        const c2 = base + column[e + 2] * w;
        const c3 = base + column[e + 3] * w;
        for (let x = 0; x < w; x++) out[o + x] += f0 * c[c0 + x] + f1 * c[c1 + x] + f2 * c[c2 + x] + f3 * c[c3 + x];
      }
      for (; e < end; e++) {
        const f0 = value[e];
        const c0 = base + column[e] * w;
        for (let x = 0; x < w; x++) out[o + x] += f0 * c[c0 + x];
      }
    }
  }
}

/** Work buffers of the opposite-spin kernel, allocated once per FCI run. */
export interface OppositeSpinWork {
  gathered: Float64Array;
  coef: Float64Array;
  rows: Int32Array;
}

/** Allocate the work buffers for {@link applyOppositeSpin}. */
export function oppositeSpinWork(nAlphaStrings: number, betaPairs: PairLists, coupling: AlphaCoupling): OppositeSpinWork {
  return {
    gathered: new Float64Array(Math.max(1, nAlphaStrings * betaPairs.maxLength)),
    coef: new Float64Array(coupling.perString + 1),
    rows: new Int32Array(coupling.perString + 1),
  };
}

/**
 * out[Iα, Iβ] += Σ_ijkl g_ijkl ⟨Iα|E_ij|Jα⟩⟨Iβ|E_kl|Jβ⟩ C[Jα, Jβ] on blocked vectors.
 * For β pair kl (label s = l_k ⊕ l_l) and Iβ irrep b, Jβ has irrep b ⊕ s, Iα irrep a = b ⊕ target and
 * Jα irrep a ⊕ s: gather C' = C[Jα block rows, Jβ_i], multiply by V_kl (register blocks of 8 columns),
 * scatter into the rows of irrep a. With `lowerOnly` (spin-flip symmetric use) only half is produced:
 * for target 0 the entries with local Iβ ≤ local Iα, otherwise the blocks whose α irrep is below
 * their β irrep. Only β pairs pairFrom ≤ kl < pairTo contribute, and only the output α rows
 * rowFrom ≤ Iα < rowTo (blocked row index) are written: threads take disjoint row ranges of one
 * output, and every element is summed in the same order (kl, then the α replacements) whichever
 * thread computes it.
 * Self-contained (no references outside its body): the worker pool ships its source text.
 */
export function applyOppositeSpin(
  shape: BlockedShape,
  coupling: AlphaCoupling,
  betaPairs: PairLists,
  g: Float64Array,
  c: Float64Array,
  out: Float64Array,
  lowerOnly: boolean,
  work: OppositeSpinWork,
  pairFrom: number,
  pairTo: number,
  rowFrom = 0,
  rowTo = 2147483647,
): void {
  const n = shape.n;
  const n2 = n * n;
  const nI = shape.irreps;
  const T = shape.target;
  const lab = shape.orbitalLabels;
  const { alphaStart, rowOffset } = shape;
  const nAe = shape.nAlphaElectrons;
  const perString = coupling.perString;
  const { pair, target, sign, occupied: occ } = coupling;
  const { gathered, coef, rows } = work;
  const { start, source: bI, target: bJ, sign: bS } = betaPairs;
  const squareLower = lowerOnly && T === 0;
  for (let kl = pairFrom; kl < Math.min(pairTo, n2); kl++) {
    const k = (kl / n) | 0;
    const sym = lab[k] ^ lab[kl - k * n];
    const gRow = kl * n2; // g[ij, kl] = g[kl, ij]
    for (let b = 0; b < nI; b++) {
      const s0 = start[kl * nI + b];
      const len = start[kl * nI + b + 1] - s0;
      if (len === 0) continue;
      const aI = b ^ T;
      if (lowerOnly && aI > b) continue;
      const aJ = aI ^ sym;
      const jr0 = alphaStart[aJ];
      const jr1 = alphaStart[aJ + 1];
      const ir0 = alphaStart[aI];
      const ir1 = alphaStart[aI + 1];
      const rFrom = ir0 > rowFrom ? ir0 : rowFrom;
      const rTo = ir1 < rowTo ? ir1 : rowTo;
      if (jr0 === jr1 || rFrom >= rTo) continue;
      // Gather C'[Jα, i] = C[Jα, Jβ_i]; the sign ⟨Iβ_i|E_kl|Jβ_i⟩ is applied when scattering. In the
      // lower triangle the last row written uses the pairs with local Iβ ≤ its own (ascending) only.
      let used = len;
      if (squareLower) {
        used = 0;
        while (used < len && bI[s0 + used] <= rTo - 1 - ir0) used++;
        if (used === 0) continue;
      }
      for (let r = jr0; r < jr1; r++) {
        const src = rowOffset[r];
        const dst = (r - jr0) * len;
        for (let i = 0; i < used; i++) gathered[dst + i] = c[src + bJ[s0 + i]];
      }
      let prefix = 0;
      for (let r = rFrom; r < rTo; r++) {
        let width = len;
        if (squareLower) {
          const local = r - ir0;
          while (prefix < len && bI[s0 + prefix] <= local) prefix++;
          width = prefix;
          if (width === 0) continue;
        }
        // Row Iα of V_kl: diagonal Σ_{a∈Iα} g_aa,kl (only for totally symmetric kl) plus replacements.
        let m = 0;
        if (sym === 0) {
          let d = 0;
          for (let t = 0; t < nAe; t++) {
            const a = occ[r * nAe + t];
            d += g[gRow + a * n + a];
          }
          if (d !== 0) {
            coef[0] = d;
            rows[0] = (r - ir0) * len;
            m = 1;
          }
        }
        const eBase = r * perString;
        for (let e = 0; e < perString; e++) {
          const v = sign[eBase + e] * g[gRow + pair[eBase + e]];
          if (v === 0) continue;
          coef[m] = v;
          rows[m] = target[eBase + e] * len;
          m++;
        }
        if (m === 0) continue;
        const oRow = rowOffset[r];
        let i = 0;
        for (; i + 7 < width; i += 8) {
          let a0 = 0;
          let a1 = 0;
          let a2 = 0;
          let a3 = 0;
          let a4 = 0;
          let a5 = 0;
          let a6 = 0;
          let a7 = 0;
          for (let t = 0; t < m; t++) {
            const f = coef[t];
            const q = rows[t] + i;
            a0 += f * gathered[q];
            a1 += f * gathered[q + 1];
            a2 += f * gathered[q + 2];
            a3 += f * gathered[q + 3];
            a4 += f * gathered[q + 4];
            a5 += f * gathered[q + 5];
            a6 += f * gathered[q + 6];
            a7 += f * gathered[q + 7];
          }
          const e0 = s0 + i;
          out[oRow + bI[e0]] += bS[e0] * a0;
          out[oRow + bI[e0 + 1]] += bS[e0 + 1] * a1;
          out[oRow + bI[e0 + 2]] += bS[e0 + 2] * a2;
          out[oRow + bI[e0 + 3]] += bS[e0 + 3] * a3;
          out[oRow + bI[e0 + 4]] += bS[e0 + 4] * a4;
          out[oRow + bI[e0 + 5]] += bS[e0 + 5] * a5;
          out[oRow + bI[e0 + 6]] += bS[e0 + 6] * a6;
          out[oRow + bI[e0 + 7]] += bS[e0 + 7] * a7;
        }
        for (; i + 3 < width; i += 4) {
          let a0 = 0;
          let a1 = 0;
          let a2 = 0;
          let a3 = 0;
          for (let t = 0; t < m; t++) {
            const f = coef[t];
            const q = rows[t] + i;
            a0 += f * gathered[q];
            a1 += f * gathered[q + 1];
            a2 += f * gathered[q + 2];
            a3 += f * gathered[q + 3];
          }
          const e0 = s0 + i;
          out[oRow + bI[e0]] += bS[e0] * a0;
          out[oRow + bI[e0 + 1]] += bS[e0 + 1] * a1;
          out[oRow + bI[e0 + 2]] += bS[e0 + 2] * a2;
          out[oRow + bI[e0 + 3]] += bS[e0 + 3] * a3;
        }
        for (; i < width; i++) {
          let a0 = 0;
          for (let t = 0; t < m; t++) a0 += coef[t] * gathered[rows[t] + i];
          out[oRow + bI[s0 + i]] += bS[s0 + i] * a0;
        }
      }
    }
  }
}
/**
 * Diagonal of H − constant: F^α(Iα, Iα) + F^β(Iβ, Iβ) + Σ_{i∈Iα, j∈Iβ} (ii|jj).
 */
export function hamiltonianDiagonal(
  alpha: StringSpace,
  beta: StringSpace,
  fAlpha: SparseStringMatrix,
  fBeta: SparseStringMatrix,
  g: Float64Array,
): Float64Array {
  const n = alpha.nOrbitals;
  const n2 = n * n;
  const na = alpha.count;
  const nb = beta.count;
  const out = new Float64Array(na * nb);
  const w = new Float64Array(n);
  for (let Ia = 0; Ia < na; Ia++) {
    w.fill(0);
    for (let t = 0; t < alpha.nElectrons; t++) {
      const i = alpha.occupied[Ia * alpha.nElectrons + t];
      for (let j = 0; j < n; j++) w[j] += g[(i * n + i) * n2 + j * n + j];
    }
    for (let Ib = 0; Ib < nb; Ib++) {
      let s = fAlpha.diagonal[Ia] + fBeta.diagonal[Ib];
      for (let t = 0; t < beta.nElectrons; t++) s += w[beta.occupied[Ib * beta.nElectrons + t]];
      out[Ia * nb + Ib] = s;
    }
  }
  return out;
}

