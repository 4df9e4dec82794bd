/**
 * A Pauli sum restricted to a sector of basis states (see sector-basis.ts): the one "operator on a
 * subset of the basis" of qbits and qde, used by the Lanczos solver (basis masks), the exact
 * simulators (H·ψ on the (Nα, Nβ) sector or, with the whole register as the sector, on the full
 * register) and phase estimation.
 *
 * Layout: sector vectors are (re, im) of the sector dimension, position a ↔ basis state states[a].
 * A term c·P(x, z) maps |i⟩ to c'(−1)^{|z∧i|}|i ⊕ x⟩ with c' = c·i^{|x∧z|}, so row a (state
 * j = states[a]) of the matrix is
 *   (H ψ)[a] = Σ_groups d_x(i) ψ[pos(i)],  i = j ⊕ x,  d_x(i) = Σ_{t ∈ group x} c'_t (−1)^{|z_t∧i|},
 * with the terms grouped by X mask. When the nonzeros fit the budget they are stored once as a CSR
 * matrix (sequential access); otherwise each product recomputes them.
 */
import { InputError, parity32 } from '../core/index.js';
import { effectiveCoefficients } from './pauli-action.js';
import type { PauliSumData } from './pauli-layout.js';
import type { SectorSpace } from './sector-basis.js';

/** Options of {@link sectorOperator}. */
export interface SectorOperatorOptions {
  /** Largest number of stored nonzeros; above it products recompute the entries (default 1.2·10⁷). */
  nonzeroBudget?: number;
  /**
   * Check that the operator keeps the sector: throw when it maps a sector state outside with weight
   * above 1e-10 (default true). Lanczos on a basis mask projects instead and turns it off.
   */
  checkSector?: boolean;
}

/** Number of distinct X masks of a Pauli sum: the most non-zeros per row of its matrix. */
export function distinctXMasks(op: PauliSumData): number {
  return new Set(op.x).size;
}

/** A Pauli sum restricted to a sector (build with {@link sectorOperator}). */
export class SectorOperator {
  /** Sector dimension. */
  readonly dimension: number;
  /** True when every effective coefficient is real (then only real parts are stored and applied). */
  readonly real: boolean;
  private readonly states: Uint32Array;
  private readonly position: Int32Array;
  private readonly groupX: Uint32Array;
  private readonly groupStart: Int32Array;
  private readonly termZ: Uint32Array;
  private readonly termRe: Float64Array;
  private readonly termIm: Float64Array;
  private rowStart: Int32Array | undefined;
  private columns: Int32Array | undefined;
  private valuesRe: Float64Array | undefined;
  private valuesIm: Float64Array | undefined;

  constructor(op: PauliSumData, space: SectorSpace, options: SectorOperatorOptions = {}) {
    this.states = space.states;
    this.position = space.position;
    this.dimension = space.states.length;
    const coeffs = effectiveCoefficients(op);
    this.real = coeffs.real;
    const byX = new Map<number, number[]>();
    for (let t = 0; t < op.x.length; t++) {
      if (coeffs.re[t] === 0 && coeffs.im[t] === 0) continue;
      const list = byX.get(op.x[t]);
      if (list) list.push(t);
      else byX.set(op.x[t], [t]);
    }
    const nGroups = byX.size;
    this.groupX = new Uint32Array(nGroups);
    this.groupStart = new Int32Array(nGroups + 1);
    this.termZ = new Uint32Array(op.x.length);
    this.termRe = new Float64Array(op.x.length);
    this.termIm = new Float64Array(op.x.length);
    let g = 0;
    let k = 0;
    for (const [x, terms] of byX) {
      this.groupX[g] = x;
      this.groupStart[g] = k;
      for (const t of terms) {
        this.termZ[k] = op.z[t];
        this.termRe[k] = coeffs.re[t];
        this.termIm[k] = coeffs.im[t];
        k++;
      }
      g++;
    }
    this.groupStart[nGroups] = k;
    if (options.checkSector !== false) this.checkSector();
    this.buildCsr(options.nonzeroBudget ?? 12e6);
  }

  /** d_x(i) of group g: the matrix element from basis state i to i ⊕ x. */
  private element(g: number, i: number): [number, number] {
    let dr = 0;
    let di = 0;
    for (let q = this.groupStart[g]; q < this.groupStart[g + 1]; q++) {
      const sgn = parity32(i & this.termZ[q]) ? -1 : 1;
      dr += sgn * this.termRe[q];
      di += sgn * this.termIm[q];
    }
    return [dr, di];
  }

  private checkSector(): void {
    for (let a = 0; a < this.states.length; a++) {
      const i = this.states[a];
      for (let g = 0; g < this.groupX.length; g++) {
        const j = (i ^ this.groupX[g]) >>> 0;
        if (this.position[j] >= 0) continue;
        const [dr, di] = this.element(g, i);
        if (Math.hypot(dr, di) > 1e-10) {
          throw new InputError(`operator does not conserve the symmetry sector: it maps state ${i} to ${j}`);
        }
      }
    }
  }

  private buildCsr(budget: number): void {
    const count = this.states.length;
    const nGroups = this.groupX.length;
    const rowStart = new Int32Array(count + 1);
    let capacity = Math.min(budget, Math.max(1024, count * 8));
    let columns = new Int32Array(capacity);
    let valuesRe = new Float64Array(capacity);
    let valuesIm = this.real ? undefined : new Float64Array(capacity);
    let nnz = 0;
    for (let a = 0; a < count; a++) {
      rowStart[a] = nnz;
      const j = this.states[a];
      for (let g = 0; g < nGroups; g++) {
        const i = (j ^ this.groupX[g]) >>> 0;
        const b = this.position[i];
        if (b < 0) continue;
        const [dr, di] = this.element(g, i);
        if (dr === 0 && di === 0) continue;
        if (nnz === capacity) {
          if (capacity >= budget) return; // too many nonzeros: products recompute them
          capacity = Math.min(budget, capacity * 2);
          const c2 = new Int32Array(capacity);
          c2.set(columns);
          columns = c2;
          const r2 = new Float64Array(capacity);
          r2.set(valuesRe);
          valuesRe = r2;
          if (valuesIm) {
            const i2 = new Float64Array(capacity);
            i2.set(valuesIm);
            valuesIm = i2;
          }
        }
        columns[nnz] = b;
        valuesRe[nnz] = dr;
        if (valuesIm) valuesIm[nnz] = di;
        nnz++;
      }
    }
    rowStart[count] = nnz;
    this.rowStart = rowStart;
    this.columns = columns;
    this.valuesRe = valuesRe;
    this.valuesIm = valuesIm;
  }

  /** out = H·in on complex sector vectors (out overwritten; it must not alias in). */
  apply(inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const count = this.dimension;
    const rowStart = this.rowStart;
    const columns = this.columns;
    const valuesRe = this.valuesRe;
    if (rowStart && columns && valuesRe) {
      const valuesIm = this.valuesIm;
      for (let a = 0; a < count; a++) {
        let accRe = 0;
        let accIm = 0;
        const end = rowStart[a + 1];
        if (!valuesIm) {
          for (let k = rowStart[a]; k < end; k++) {
            const b = columns[k];
            const v = valuesRe[k];
            accRe += v * inRe[b];
            accIm += v * inIm[b];
          }
        } else {
          for (let k = rowStart[a]; k < end; k++) {
            const b = columns[k];
            accRe += valuesRe[k] * inRe[b] - valuesIm[k] * inIm[b];
            accIm += valuesRe[k] * inIm[b] + valuesIm[k] * inRe[b];
          }
        }
        outRe[a] = accRe;
        outIm[a] = accIm;
      }
      return;
    }
    this.applyOnTheFly(inRe, inIm, outRe, outIm, false);
  }

  /** out = H·in for a real operator on real sector vectors (the imaginary parts are not touched). */
  applyReal(input: Float64Array, out: Float64Array): void {
    if (!this.real) throw new InputError('sector operator: applyReal needs real effective coefficients');
    const count = this.dimension;
    const rowStart = this.rowStart;
    const columns = this.columns;
    const valuesRe = this.valuesRe;
    if (rowStart && columns && valuesRe) {
      for (let a = 0; a < count; a++) {
        let acc = 0;
        const end = rowStart[a + 1];
        for (let k = rowStart[a]; k < end; k++) acc += valuesRe[k] * input[columns[k]];
        out[a] = acc;
      }
      return;
    }
    this.applyOnTheFly(input, input, out, out, true);
  }

  private applyOnTheFly(inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array, realOnly: boolean): void {
    const { states, position, groupX, groupStart, termZ, termRe, termIm } = this;
    const nGroups = groupX.length;
    for (let a = 0; a < states.length; a++) {
      const j = states[a];
      let accRe = 0;
      let accIm = 0;
      for (let g = 0; g < nGroups; g++) {
        const i = (j ^ groupX[g]) >>> 0;
        const b = position[i];
        if (b < 0) continue;
        let dr = 0;
        let di = 0;
        for (let q = groupStart[g]; q < groupStart[g + 1]; q++) {
          const sgn = parity32(i & termZ[q]) ? -1 : 1;
          dr += sgn * termRe[q];
          di += sgn * termIm[q];
        }
        if (realOnly) accRe += dr * inRe[b];
        else {
          accRe += dr * inRe[b] - di * inIm[b];
          accIm += dr * inIm[b] + di * inRe[b];
        }
      }
      outRe[a] = accRe;
      if (!realOnly) outIm[a] = accIm;
    }
  }

  /** Gershgorin bounds [low, up] of the (Hermitian) sector matrix: every eigenvalue lies inside. */
  gershgorinBounds(): [number, number] {
    let low = Number.POSITIVE_INFINITY;
    let up = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < this.states.length; a++) {
      const j = this.states[a];
      let center = 0;
      let radius = 0;
      for (let g = 0; g < this.groupX.length; g++) {
        const i = (j ^ this.groupX[g]) >>> 0;
        if (this.position[i] < 0) continue;
        const [dr, di] = this.element(g, i);
        if (this.groupX[g] === 0) center += dr;
        else radius += Math.hypot(dr, di);
      }
      low = Math.min(low, center - radius);
      up = Math.max(up, center + radius);
    }
    return [low, up];
  }
}

/**
 * Restrict a Pauli sum to a sector.
 * @throws InputError when the operator maps sector states outside the sector (weight > 1e-10).
 */
export function sectorOperator(op: PauliSumData, space: SectorSpace, options: SectorOperatorOptions = {}): SectorOperator {
  return new SectorOperator(op, space, options);
}

/** out = H·in on a sector (out overwritten). */
export function applySectorOperator(
  h: SectorOperator,
  inRe: Float64Array,
  inIm: Float64Array,
  outRe: Float64Array,
  outIm: Float64Array,
): void {
  h.apply(inRe, inIm, outRe, outIm);
}
