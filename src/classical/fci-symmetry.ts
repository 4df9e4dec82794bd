/**
 * Abelian orbital symmetry for full CI: a Z2^k grading of the orbitals and the symmetry-blocked
 * layout of CI vectors built on it.
 *
 * Grading: every orbital p carries a label l_p ∈ {0, …, 2^k − 1}, a bit vector over GF(2) combined by
 * XOR (the irreps of D2h and its subgroups are such labels: FCIDUMP ORBSYM irrep − 1). A Hamiltonian
 * respects the grading when every h_pq with l_p ⊕ l_q ≠ 0 and every (pq|rs) with
 * l_p ⊕ l_q ⊕ l_r ⊕ l_s ≠ 0 is zero. Integrals with magnitude at or below the FCI integral threshold
 * (integralThresholdHartree, default 1e-12 Hartree) count as exactly zero — the CI drops them anyway.
 * A string's label is the XOR of its occupied orbitals' labels, a determinant's the XOR of its α and
 * β string labels, and H only connects determinants of equal label.
 *
 * Detection (no ORBSYM): each nonzero integral is a linear equation over GF(2) on the unknown bits
 * x_p (x_p + x_q = 0 for h_pq, x_p + x_q + x_r + x_s = 0 for (pq|rs), repeated indices cancelling).
 * The solutions form a subspace that always contains the all-ones vector (it shifts every determinant
 * label by the same constant); fixing x_0 = 0 removes it, and a basis of the remaining null space
 * gives the bits of the labels — the largest grading the nonzero pattern allows.
 *
 * Blocked layout of one symmetry sector (target label T): α strings reordered irrep-major (ascending
 * address inside an irrep), likewise β strings; the vector is the concatenation over α irreps a of the
 * row-major blocks [α strings of irrep a × β strings of irrep a ⊕ T]. Row r (blocked α order) starts
 * at rowOffset[r]; its columns are the β strings of irrep a ⊕ T in their local order.
 */
import { InputError } from '../core/index.js';
import type { StringSpace } from './fci-strings.js';
import type { SparseStringMatrix } from './fci-kernels.js';

/** Orbital grading used by FCI. */
export interface OrbitalGrading {
  /** 0-based label of each orbital (XOR-combinable). */
  labels: Int32Array;
  /** Group order 2^k (1 = no symmetry). */
  irreps: number;
  /** Where the labels came from. */
  source: 'orbsym' | 'detected' | 'none';
}

/** Largest number of label bits used (256 irreps); a subgroup of a valid grading is still valid. */
const MAX_LABEL_BITS = 8;

/** Number of bits needed for labels < irreps. */
function bitsOf(irreps: number): number {
  let b = 0;
  while (1 << b < irreps) b++;
  return b;
}

/**
 * Check that every one- and two-electron integral above `threshold` conserves the labels; returns a
 * description of the first violation or undefined.
 */
export function gradingViolation(
  labels: Int32Array,
  h: Float64Array,
  g: Float64Array,
  n: number,
  threshold: number,
): string | undefined {
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      if (Math.abs(h[p * n + q]) > threshold && (labels[p] ^ labels[q]) !== 0) return `h[${p},${q}] = ${h[p * n + q]}`;
    }
  }
  const n2 = n * n;
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      const lpq = labels[p] ^ labels[q];
      for (let r = 0; r < n; r++) {
        const lpqr = lpq ^ labels[r];
        const base = (p * n + q) * n2 + r * n;
        for (let s = 0; s < n; s++) {
          if ((lpqr ^ labels[s]) !== 0 && Math.abs(g[base + s]) > threshold) return `(${p}${q}|${r}${s}) = ${g[base + s]}`;
        }
      }
    }
  }
  return undefined;
}

/**
 * The largest Z2^k grading of the orbitals respected by every integral with |value| > threshold
 * (Gaussian elimination over GF(2) on the nonzero pattern; orbital 0 gets label 0).
 */
export function detectOrbitalGrading(h: Float64Array, g: Float64Array, n: number, threshold: number): OrbitalGrading {
  const words = Math.ceil(n / 32);
  // Reduced rows, indexed by pivot column (the lowest set bit), each `words` Uint32 words.
  const pivotRow: (Uint32Array | undefined)[] = new Array(n);
  let rank = 0;
  const row = new Uint32Array(words);
  const insert = (): void => {
    for (;;) {
      let pivot = -1;
      for (let w = 0; w < words && pivot < 0; w++) {
        const x = row[w];
        if (x !== 0) pivot = w * 32 + (31 - Math.clz32(x & -x));
      }
      if (pivot < 0) return;
      const pr = pivotRow[pivot];
      if (!pr) {
        pivotRow[pivot] = Uint32Array.from(row);
        rank++;
        return;
      }
      for (let w = 0; w < words; w++) row[w] ^= pr[w];
    }
  };
  const flip = (p: number): void => {
    row[p >>> 5] ^= 1 << (p & 31);
  };
  // x_0 = 0 removes the all-ones solution.
  row.fill(0);
  flip(0);
  insert();
  for (let p = 0; p < n && rank < n; p++) {
    for (let q = 0; q < p; q++) {
      // one comparison that every pair reaches: V8 specialises a comparison to the values it has
      // seen, and a second one reached only for exactly-zero pairs had seen small integers only
      if (Math.max(Math.abs(h[p * n + q]), Math.abs(h[q * n + p])) <= threshold) continue;
      row.fill(0);
      flip(p);
      flip(q);
      insert();
    }
  }
  const n2 = n * n;
  const seen = new Set<string>();
  for (let p = 0; p < n && rank < n; p++) {
    for (let q = 0; q <= p; q++) {
      for (let r = 0; r < n; r++) {
        for (let s = 0; s <= r; s++) {
          if (Math.abs(g[(p * n + q) * n2 + r * n + s]) <= threshold) continue;
          row.fill(0);
          flip(p);
          flip(q);
          flip(r);
          flip(s);
          let zero = true;
          for (let w = 0; w < words; w++) if (row[w] !== 0) zero = false;
          if (zero) continue;
          const key = row.join(',');
          if (seen.has(key)) continue;
          seen.add(key);
          insert();
        }
      }
    }
  }
  // Back-substitute to reduced echelon form, then one null-space vector per free column.
  const pivots: number[] = [];
  for (let c = 0; c < n; c++) if (pivotRow[c]) pivots.push(c);
  for (let i = pivots.length - 1; i >= 0; i--) {
    const pr = pivotRow[pivots[i]]!;
    for (let j = 0; j < i; j++) {
      const other = pivotRow[pivots[j]]!;
      if ((other[pivots[i] >>> 5] >>> (pivots[i] & 31)) & 1) for (let w = 0; w < words; w++) other[w] ^= pr[w];
    }
  }
  const labels = new Int32Array(n);
  let bits = 0;
  for (let f = 0; f < n && bits < MAX_LABEL_BITS; f++) {
    if (pivotRow[f]) continue;
    // x_f = 1, other free variables 0, pivot variables from their rows.
    labels[f] |= 1 << bits;
    for (const c of pivots) {
      const pr = pivotRow[c]!;
      // without a branch, so the update has type feedback from the first molecule on
      labels[c] |= ((pr[f >>> 5] >>> (f & 31)) & 1) << bits;
    }
    bits++;
  }
  return { labels, irreps: 1 << bits, source: bits > 0 ? 'detected' : 'none' };
}

/**
 * Grading from FCIDUMP-style ORBSYM (1-based irreps, XOR-combinable as irrep − 1); InputError when an
 * integral above the threshold breaks it.
 */
export function gradingFromOrbsym(orbsym: Int32Array, h: Float64Array, g: Float64Array, n: number, threshold: number): OrbitalGrading {
  if (orbsym.length !== n) throw new InputError(`FCI: orbitalSymmetries has ${orbsym.length} entries for ${n} orbitals`);
  const labels = new Int32Array(n);
  let maxLabel = 0;
  for (let p = 0; p < n; p++) {
    const v = orbsym[p];
    if (!Number.isInteger(v) || v < 1 || v > 1 << MAX_LABEL_BITS) {
      throw new InputError(`FCI: orbitalSymmetries[${p}] = ${v} is not an irrep number 1…${1 << MAX_LABEL_BITS}`);
    }
    labels[p] = v - 1;
    maxLabel = Math.max(maxLabel, v - 1);
  }
  const bad = gradingViolation(labels, h, g, n, threshold);
  if (bad) {
    throw new InputError(
      `FCI: the integrals break the orbital symmetries (ORBSYM): ${bad} couples different irreps; fix orbitalSymmetries or run with symmetry: false`,
    );
  }
  const irreps = 1 << bitsOf(maxLabel + 1);
  return { labels, irreps, source: maxLabel > 0 ? 'orbsym' : 'none' };
}

/** Label (XOR of orbital labels) of every string of a string space. */
export function stringLabels(space: StringSpace, labels: Int32Array): Int32Array {
  const k = space.nElectrons;
  const out = new Int32Array(space.count);
  for (let I = 0; I < space.count; I++) {
    let l = 0;
    for (let t = 0; t < k; t++) l ^= labels[space.occupied[I * k + t]];
    out[I] = l;
  }
  return out;
}

/** Strings of one spin reordered irrep-major. */
export interface IrrepOrder {
  /** order[r] = string address of blocked position r. */
  order: Int32Array;
  /** position[I] = blocked position of string I. */
  position: Int32Array;
  /** Strings of irrep a occupy blocked positions start[a] … start[a + 1] − 1. */
  start: Int32Array;
  /** Label of each string (by address). */
  label: Int32Array;
}

/** Irrep-major order of the strings (stable: ascending address inside an irrep). */
export function irrepOrder(label: Int32Array, irreps: number): IrrepOrder {
  const count = label.length;
  const start = new Int32Array(irreps + 1);
  for (let I = 0; I < count; I++) start[label[I] + 1]++;
  for (let a = 0; a < irreps; a++) start[a + 1] += start[a];
  const fill = start.slice(0, irreps);
  const order = new Int32Array(count);
  const position = new Int32Array(count);
  for (let I = 0; I < count; I++) {
    const r = fill[label[I]]++;
    order[r] = I;
    position[I] = r;
  }
  return { order, position, start, label };
}

/** Symmetry-blocked layout of one sector (see the header). */
export interface SectorLayout {
  irreps: number;
  target: number;
  /** Determinants of the sector (vector length). */
  size: number;
  alpha: IrrepOrder;
  beta: IrrepOrder;
  /** Offset of the block of α irrep a (length irreps + 1; empty blocks have equal neighbours). */
  blockOffset: Int32Array;
  /** Columns of the block of α irrep a: β strings of irrep a ⊕ target. */
  blockColumns: Int32Array;
  /** Start of blocked α row r. */
  rowOffset: Int32Array;
  /** Full-space index Iα · nBetaStrings + Iβ of each sector element. */
  toFull: Int32Array;
}

/** Layout of the sector with determinant label `target`. */
export function sectorLayout(alpha: IrrepOrder, beta: IrrepOrder, irreps: number, target: number, nBetaStrings: number): SectorLayout {
  const blockOffset = new Int32Array(irreps + 1);
  const blockColumns = new Int32Array(irreps);
  const na = alpha.order.length;
  const rowOffset = new Int32Array(na);
  for (let a = 0; a < irreps; a++) {
    const b = a ^ target;
    const cols = b < irreps ? beta.start[b + 1] - beta.start[b] : 0;
    blockColumns[a] = cols;
    let off = blockOffset[a];
    for (let r = alpha.start[a]; r < alpha.start[a + 1]; r++) {
      rowOffset[r] = off;
      off += cols;
    }
    blockOffset[a + 1] = off;
  }
  const size = blockOffset[irreps];
  const toFull = new Int32Array(size);
  for (let a = 0; a < irreps; a++) {
    const b = a ^ target;
    const cols = blockColumns[a];
    if (cols === 0) continue;
    for (let r = alpha.start[a]; r < alpha.start[a + 1]; r++) {
      const base = alpha.order[r] * nBetaStrings;
      const o = rowOffset[r];
      for (let x = 0; x < cols; x++) toFull[o + x] = base + beta.order[beta.start[b] + x];
    }
  }
  return { irreps, target, size, alpha, beta, blockOffset, blockColumns, rowOffset, toFull };
}

/**
 * Same-spin matrix with rows in blocked order and columns as local indices inside the row's irrep
 * (F is totally symmetric, so a row only couples strings of its own irrep). The rows of irrep a are
 * rowStart[start[a]] … ; applied per irrep through {@link localBlock}.
 */
export function blockedSameSpin(f: SparseStringMatrix, order: IrrepOrder): SparseStringMatrix {
  const count = order.order.length;
  const rowStart = new Int32Array(count + 1);
  const column = new Int32Array(f.column.length);
  const value = new Float64Array(f.column.length);
  const diagonal = new Float64Array(count);
  let nnz = 0;
  for (let r = 0; r < count; r++) {
    const I = order.order[r];
    const base = order.start[order.label[I]];
    for (let e = f.rowStart[I]; e < f.rowStart[I + 1]; e++) {
      const J = f.column[e];
      if (order.label[J] !== order.label[I]) {
        throw new Error('FCI: same-spin matrix couples strings of different symmetry (grading not respected)');
      }
      column[nnz] = order.position[J] - base;
      value[nnz] = f.value[e];
      nnz++;
    }
    rowStart[r + 1] = nnz;
    diagonal[r] = f.diagonal[I];
  }
  return { size: count, rowStart, column, value, diagonal };
}

/** The sub-matrix of irrep a of a blocked same-spin matrix (local rows and columns). */
export function localBlock(f: SparseStringMatrix, start: Int32Array, a: number): SparseStringMatrix {
  return {
    size: start[a + 1] - start[a],
    rowStart: f.rowStart.subarray(start[a], start[a + 1] + 1),
    column: f.column,
    value: f.value,
    diagonal: f.diagonal.subarray(start[a], start[a + 1]),
  };
}
