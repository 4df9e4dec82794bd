/**
 * A Pauli sum restricted to a sector of basis states (see sector-basis.ts), stored column-wise (CSC:
 * for source column i the entries (row, value) of H|i⟩), built once from its terms; out = H·in on
 * sector vectors (re, im of the sector dimension). With the whole register as the "sector" it is the
 * full matrix, several times faster per product than the term-by-term kernel when it fits in memory.
 */
import { InputError, parity32 } from '../core/index.js';
import { effectiveCoefficients } from './pauli-action.js';
import type { PauliSumData } from './pauli-layout.js';
import type { SectorSpace } from './sector-basis.js';

/** An operator restricted to a sector, column-compressed. */
export interface SectorOperator {
  /** Sector dimension (number of columns). */
  readonly dimension: number;
  /** Entries of column c are columnStart[c] … columnStart[c+1]−1. */
  readonly columnStart: Int32Array;
  /** Row (sector index) of each entry. */
  readonly rows: Int32Array;
  /** Real parts of the entries. */
  readonly valueRe: Float64Array;
  /** Imaginary parts of the entries. */
  readonly valueIm: Float64Array;
}

/** Number of distinct X masks of a Pauli sum: the most non-zeros per column of its matrix. */
export function distinctXMasks(op: PauliSumData): number {
  return new Set(op.x).size;
}


/**
 * Restrict a Pauli sum to a sector.
 * @throws InputError when the operator maps sector states outside the sector (weight > 1e-10).
 */
export function sectorOperator(op: PauliSumData, space: SectorSpace): SectorOperator {
  const dim = space.states.length;
  const nTerms = op.x.length;
  // Effective coefficients c·i^{ny}: P|i⟩ = i^{ny} (−1)^{|i∧z|} |i ⊕ x⟩.
  const { re: cr, im: ci } = effectiveCoefficients(op);
  const accRe = new Float64Array(dim);
  const accIm = new Float64Array(dim);
  const touched = new Int32Array(dim);
  const mark = new Uint8Array(dim);
  const starts = new Int32Array(dim + 1);
  let rows: number[] = [];
  let valRe: number[] = [];
  let valIm: number[] = [];
  const leak = new Map<number, [number, number]>();
  for (let col = 0; col < dim; col++) {
    const i = space.states[col];
    let nTouched = 0;
    leak.clear();
    for (let t = 0; t < nTerms; t++) {
      const j = (i ^ op.x[t]) >>> 0;
      const row = space.position[j];
      const odd = parity32(i & op.z[t]);
      const vr = odd ? -cr[t] : cr[t];
      const vi = odd ? -ci[t] : ci[t];
      if (row < 0) {
        const l = leak.get(j);
        if (l) {
          l[0] += vr;
          l[1] += vi;
        } else leak.set(j, [vr, vi]);
        continue;
      }
      if (!mark[row]) {
        mark[row] = 1;
        touched[nTouched++] = row;
        accRe[row] = 0;
        accIm[row] = 0;
      }
      accRe[row] += vr;
      accIm[row] += vi;
    }
    for (const [j, [lr, li]] of leak) {
      if (Math.hypot(lr, li) > 1e-10) {
        throw new InputError(`operator does not conserve the symmetry sector: it maps state ${i} to ${j}`);
      }
    }
    starts[col] = rows.length;
    for (let k = 0; k < nTouched; k++) {
      const row = touched[k];
      mark[row] = 0;
      if (accRe[row] === 0 && accIm[row] === 0) continue;
      if (Math.abs(accRe[row]) < 1e-15 && Math.abs(accIm[row]) < 1e-15) continue;
      rows.push(row);
      valRe.push(accRe[row]);
      valIm.push(accIm[row]);
    }
  }
  starts[dim] = rows.length;
  const result: SectorOperator = {
    dimension: dim,
    columnStart: starts,
    rows: Int32Array.from(rows),
    valueRe: Float64Array.from(valRe),
    valueIm: Float64Array.from(valIm),
  };
  rows = [];
  valRe = [];
  valIm = [];
  return result;
}

/** out = H·in on a sector (out overwritten). */
export function applySectorOperator(
  h: SectorOperator,
  inRe: Float64Array,
  inIm: Float64Array,
  outRe: Float64Array,
  outIm: Float64Array,
): void {
  outRe.fill(0);
  outIm.fill(0);
  const { columnStart, rows, valueRe, valueIm } = h;
  for (let col = 0; col < h.dimension; col++) {
    const xr = inRe[col];
    const xi = inIm[col];
    if (xr === 0 && xi === 0) continue;
    const end = columnStart[col + 1];
    for (let k = columnStart[col]; k < end; k++) {
      const r = rows[k];
      const vr = valueRe[k];
      const vi = valueIm[k];
      outRe[r] += vr * xr - vi * xi;
      outIm[r] += vr * xi + vi * xr;
    }
  }
}
