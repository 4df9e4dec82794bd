/**
 * Exact second-order Trotter evolution on a particle-number sector, for phase estimation.
 *
 * The terms of H are grouped by X mask; for a real molecular Hamiltonian all strings with one X mask
 * commute (their Y counts are even), so each group exp(−iτH_x) is exactly one sector rotation group
 * (sector.ts). One second-order step is
 *   S₂(τ) = Π_{x↑} exp(−iH_x τ/2) · Π_{x↓} exp(−iH_x τ/2),   U ≈ S₂(t/r)^r.
 * Every group conserves Nα and Nβ, so the evolution on the sector has the same amplitudes, exactly,
 * as on the full register. U^{2^k} can also be formed densely by repeated squaring of the sector
 * matrix of the same Trotter product (small sectors; row-major dim × dim complex matrices).
 */
import { InputError } from '../core/index.js';
import type { PauliSumData, SectorSpace } from '../qubits/index.js';
import { applySectorGroup, sectorRotationGroup, type SectorRotationGroup } from './sector.js';

/** X-mask groups of a Pauli sum (identity shifted by −shift), each exactly exponentiable. */
export function hamiltonianGroups(op: PauliSumData, shift: number, space: SectorSpace): { groups: SectorRotationGroup[]; masks: number[] } {
  const byX = new Map<number, { x: number; z: number; factor: number }[]>();
  for (let t = 0; t < op.x.length; t++) {
    if (Math.abs(op.coeffIm[t]) > 1e-12) throw new InputError('Trotter evolution: the Hamiltonian must have real coefficients');
    let c = op.coeffRe[t];
    if (op.x[t] === 0 && op.z[t] === 0) c -= shift;
    const list = byX.get(op.x[t]) ?? [];
    list.push({ x: op.x[t], z: op.z[t], factor: c });
    byX.set(op.x[t], list);
  }
  const masks = [...byX.keys()].sort((a, b) => a - b);
  const groups: SectorRotationGroup[] = [];
  for (const x of masks) {
    const g = sectorRotationGroup(byX.get(x)!, -1, space);
    if (g === null) throw new InputError('Trotter evolution: a Hamiltonian term group leaves the particle-number sector');
    groups.push(g);
  }
  return { groups, masks };
}

/** One second-order Trotter step of duration τ: exp(−iH_x τ/2) up the groups, then down. */
export function trotterStep(groups: readonly SectorRotationGroup[], tau: number, re: Float64Array, im: Float64Array): void {
  // A group applies exp(−iφM/2) with M = Σ c_t P_t, so φ = τ gives exp(−iτM/2).
  for (let g = 0; g < groups.length; g++) applySectorGroup(groups[g], tau, re, im);
  for (let g = groups.length - 1; g >= 0; g--) applySectorGroup(groups[g], tau, re, im);
}

export function evolveTrotter(groups: readonly SectorRotationGroup[], t: number, steps: number, re: Float64Array, im: Float64Array): void {
  const tau = t / steps;
  for (let s = 0; s < steps; s++) trotterStep(groups, tau, re, im);
}

export function complexOverlap(aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array): [number, number] {
  let sr = 0;
  let si = 0;
  for (let i = 0; i < aRe.length; i++) {
    sr += aRe[i] * bRe[i] + aIm[i] * bIm[i];
    si += aRe[i] * bIm[i] - aIm[i] * bRe[i];
  }
  return [sr, si];
}

/** Largest sector for the dense repeated-squaring path (bits × dim² complex numbers are stored). */
export const MAX_DENSE_POWER_DIMENSION = 512;

/** Dense matrices of U, U², U⁴, …, U^{2^{bits−1}} for U = S₂(t/steps)^steps on the sector. */
export function trotterPowers(
  groups: readonly SectorRotationGroup[],
  t: number,
  steps: number,
  dim: number,
  bits: number,
): { re: Float64Array; im: Float64Array }[] {
  // Column j of U is U e_j (row-major storage: U[i*dim + j]).
  let re: Float64Array = new Float64Array(dim * dim);
  let im: Float64Array = new Float64Array(dim * dim);
  const vRe = new Float64Array(dim);
  const vIm = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    vRe.fill(0);
    vIm.fill(0);
    vRe[j] = 1;
    evolveTrotter(groups, t, steps, vRe, vIm);
    for (let i = 0; i < dim; i++) {
      re[i * dim + j] = vRe[i];
      im[i * dim + j] = vIm[i];
    }
  }
  const out = [{ re, im }];
  for (let k = 1; k < bits; k++) {
    const sq = complexMatMul(re, im, re, im, dim);
    re = sq.re;
    im = sq.im;
    out.push(sq);
  }
  return out;
}

/** C = A·B for dim×dim complex matrices (separate re/im, row-major). */
export function complexMatMul(
  aRe: Float64Array,
  aIm: Float64Array,
  bRe: Float64Array,
  bIm: Float64Array,
  dim: number,
): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(dim * dim);
  const im = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    const row = i * dim;
    for (let k = 0; k < dim; k++) {
      const ar = aRe[row + k];
      const ai = aIm[row + k];
      if (ar === 0 && ai === 0) continue;
      const bRow = k * dim;
      for (let j = 0; j < dim; j++) {
        const br = bRe[bRow + j];
        const bi = bIm[bRow + j];
        re[row + j] += ar * br - ai * bi;
        im[row + j] += ar * bi + ai * br;
      }
    }
  }
  return { re, im };
}

/** y = A x for a dim×dim complex matrix. */
export function complexMatVec(
  aRe: Float64Array,
  aIm: Float64Array,
  xRe: Float64Array,
  xIm: Float64Array,
  yRe: Float64Array,
  yIm: Float64Array,
  dim: number,
): void {
  for (let i = 0; i < dim; i++) {
    let sr = 0;
    let si = 0;
    const row = i * dim;
    for (let j = 0; j < dim; j++) {
      const ar = aRe[row + j];
      const ai = aIm[row + j];
      sr += ar * xRe[j] - ai * xIm[j];
      si += ar * xIm[j] + ai * xRe[j];
    }
    yRe[i] = sr;
    yIm[i] = si;
  }
}
