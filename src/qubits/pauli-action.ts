/**
 * Matrix-free action of a Pauli sum on state vectors: the one H·ψ kernel of the qubit stage, used by
 * the Lanczos solver here and by the exact simulators of the backend stage.
 *
 * A state on q qubits is two Float64Arrays (re, im) of length 2^q; amplitude i belongs to the basis
 * state whose bit k is qubit k. A term c·P(x, z) maps |i⟩ to c·i^{|x∧z|}·(−1)^{|z∧i|} |i ⊕ x⟩, so the
 * kernel is, per term, out[i ⊕ x] += c' (−1)^{parity(i ∧ z)} in[i] with c' = c·i^{|x∧z|}.
 * {@link PreparedPauliOperator} groups the terms by X mask and tabulates each group's phase function
 * once for repeated products.
 */
import { I_POWER_IM, I_POWER_RE, InputError, parity32, popcount32 } from '../core/index.js';
import type { PauliSumData } from './pauli-layout.js';

/** Largest qubit count for the dense-vector routines (2^24 amplitudes = 256 MB per complex vector). */
export const MAX_DENSE_ACTION_QUBITS = 24;

/**
 * Effective basis-action coefficients c·i^{|x∧z|} of every term, so that term t maps |i⟩ to
 * (re[t] + i·im[t]) (−1)^{|z∧i|} |i ⊕ x⟩; `real` when every im[t] is zero.
 */
export function effectiveCoefficients(op: PauliSumData): { re: Float64Array; im: Float64Array; real: boolean } {
  const n = op.x.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  let real = true;
  for (let t = 0; t < n; t++) {
    const k = popcount32(op.x[t] & op.z[t]) & 3;
    const a = op.coeffRe[t];
    const b = op.coeffIm[t];
    re[t] = a * I_POWER_RE[k] - b * I_POWER_IM[k];
    im[t] = a * I_POWER_IM[k] + b * I_POWER_RE[k];
    if (im[t] !== 0) real = false;
  }
  return { re, im, real };
}

/** Checks that every array has length 2^op.nQubits (within the dense limit); returns that length. */
export function checkStateVectors(op: PauliSumData, arrays: Float64Array[]): number {
  if (op.nQubits > MAX_DENSE_ACTION_QUBITS) {
    throw new InputError(`state vectors of ${op.nQubits} qubits are too large (at most ${MAX_DENSE_ACTION_QUBITS})`);
  }
  const dim = 2 ** op.nQubits;
  for (const a of arrays) {
    if (a.length !== dim) throw new InputError(`state vector length ${a.length} does not match 2^${op.nQubits} = ${dim}`);
  }
  return dim;
}

/** Kernel: out += Σ_t c'_t P_t in (complex vectors). */
function applyKernel(
  xs: Uint32Array,
  zs: Uint32Array,
  cr: Float64Array,
  ci: Float64Array,
  dim: number,
  inRe: Float64Array,
  inIm: Float64Array,
  outRe: Float64Array,
  outIm: Float64Array,
): void {
  for (let t = 0; t < xs.length; t++) {
    const x = xs[t];
    const z = zs[t];
    const a = cr[t];
    const b = ci[t];
    if (b === 0) {
      for (let i = 0; i < dim; i++) {
        const s = parity32(i & z) ? -a : a;
        const j = i ^ x;
        outRe[j] += s * inRe[i];
        outIm[j] += s * inIm[i];
      }
    } else {
      for (let i = 0; i < dim; i++) {
        const sign = parity32(i & z) ? -1 : 1;
        const sr = sign * a;
        const si = sign * b;
        const j = i ^ x;
        const vr = inRe[i];
        const vi = inIm[i];
        outRe[j] += sr * vr - si * vi;
        outIm[j] += sr * vi + si * vr;
      }
    }
  }
}

/** Kernel for real effective coefficients on real vectors: out += Σ_t c'_t P_t in. */
function applyKernelReal(
  xs: Uint32Array,
  zs: Uint32Array,
  cr: Float64Array,
  dim: number,
  input: Float64Array,
  out: Float64Array,
): void {
  for (let t = 0; t < xs.length; t++) {
    const x = xs[t];
    const z = zs[t];
    const a = cr[t];
    if (z === 0) {
      for (let i = 0; i < dim; i++) out[i ^ x] += a * input[i];
    } else {
      for (let i = 0; i < dim; i++) out[i ^ x] += (parity32(i & z) ? -a : a) * input[i];
    }
  }
}

/**
 * out = op · in for a state vector on op.nQubits qubits (out is overwritten; it must not alias in).
 * @throws InputError when a vector length is not 2^nQubits.
 */
export function applyPauliSum(
  op: PauliSumData,
  inRe: Float64Array,
  inIm: Float64Array,
  outRe: Float64Array,
  outIm: Float64Array,
): void {
  const dim = checkStateVectors(op, [inRe, inIm, outRe, outIm]);
  const c = effectiveCoefficients(op);
  outRe.fill(0);
  outIm.fill(0);
  applyKernel(op.x, op.z, c.re, c.im, dim, inRe, inIm, outRe, outIm);
}

/**
 * An operator prepared for repeated products: terms grouped by X mask; when memory allows
 * (groups × 2^q ≤ tableBudget doubles) each group's phase function d_x(i) = Σ_t c'_t (−1)^{|z_t∧i|}
 * is tabulated once, so a product costs one multiply-add per group and amplitude.
 */
export class PreparedPauliOperator {
  private readonly groupX: Uint32Array;
  private readonly tablesRe: Float64Array[] = [];
  private readonly tablesIm: Float64Array[] = [];
  private readonly tabulated: boolean;

  constructor(
    private readonly op: PauliSumData,
    private readonly coeffs: { re: Float64Array; im: Float64Array; real: boolean },
    private readonly dim: number,
    tableBudget = 16e6,
  ) {
    const byX = new Map<number, number[]>();
    for (let t = 0; t < op.x.length; t++) {
      const list = byX.get(op.x[t]);
      if (list) list.push(t);
      else byX.set(op.x[t], [t]);
    }
    this.groupX = Uint32Array.from(byX.keys());
    const perGroup = coeffs.real ? 1 : 2;
    this.tabulated = this.groupX.length * dim * perGroup <= tableBudget;
    if (!this.tabulated) return;
    for (const [, terms] of byX) {
      const dRe = new Float64Array(dim);
      const dIm = coeffs.real ? dRe : new Float64Array(dim);
      for (const t of terms) {
        const z = op.z[t];
        const a = coeffs.re[t];
        const b = coeffs.im[t];
        if (coeffs.real) {
          for (let i = 0; i < dim; i++) dRe[i] += parity32(i & z) ? -a : a;
        } else {
          for (let i = 0; i < dim; i++) {
            const sgn = parity32(i & z) ? -1 : 1;
            dRe[i] += sgn * a;
            dIm[i] += sgn * b;
          }
        }
      }
      this.tablesRe.push(dRe);
      this.tablesIm.push(dIm);
    }
  }

  /** out = op·in (out overwritten). For real operators the imaginary arrays are ignored. */
  apply(inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const dim = this.dim;
    const real = this.coeffs.real;
    outRe.fill(0);
    if (!real) outIm.fill(0);
    if (!this.tabulated) {
      if (real) applyKernelReal(this.op.x, this.op.z, this.coeffs.re, dim, inRe, outRe);
      else applyKernel(this.op.x, this.op.z, this.coeffs.re, this.coeffs.im, dim, inRe, inIm, outRe, outIm);
      return;
    }
    for (let g = 0; g < this.groupX.length; g++) {
      const x = this.groupX[g];
      const dRe = this.tablesRe[g];
      if (real) {
        for (let i = 0; i < dim; i++) outRe[i ^ x] += dRe[i] * inRe[i];
      } else {
        const dIm = this.tablesIm[g];
        for (let i = 0; i < dim; i++) {
          const j = i ^ x;
          const vr = inRe[i];
          const vi = inIm[i];
          outRe[j] += dRe[i] * vr - dIm[i] * vi;
          outIm[j] += dRe[i] * vi + dIm[i] * vr;
        }
      }
    }
  }
}
