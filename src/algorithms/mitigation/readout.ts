/**
 * Readout-error mitigation for uncorrelated (tensor-product) readout error.
 *
 * Calibration: two circuits, |0…0⟩ (no gates) and |1…1⟩ (X on every qubit), measured with the same
 * Sampler; per qubit q, e0_q = p(read 1 | prepared 0) and e1_q = p(read 0 | prepared 1) are the
 * observed flip fractions, with binomial variances p̃(1 − p̃)/n at p̃ = (k + ½)/(n + 1) (so a qubit
 * that never flipped in n shots still carries an uncertainty of order 1/n). The X gates of the
 * |1…1⟩ circuit add their own gate error to e1 on a noisy device (small next to readout error).
 *
 * Correction: one qubit's confusion acts on the (I, Z) operator basis as
 *   ⟨Z⟩_measured = δ + λ ⟨Z⟩_true,   δ = e1 − e0,   λ = 1 − e0 − e1,
 * (from P_m(0) = (1 − e0) P(0) + e1 P(1)), and for independent qubits the confusion is the tensor
 * product of these maps. Its inverse is the tensor product of the inverses, so for a Z string on
 * the support S the per-shot value
 *   Π_{q ∈ S} u_q(b),   u_q(b) = (s_q(b) − δ_q) / λ_q,   s_q(b) = ±1 for bit q of b = 0 / 1,
 * is an unbiased estimator of ⟨Z_S⟩_true (all cross terms of the expansion are handled exactly, not
 * only the leading 1/Πλ). Averaging it over shots gives the corrected mean with its own sample
 * variance (the shot-noise part of the standard error). The calibration uncertainty enters by the
 * delta method: ∂u_q/∂e0_q = (1 + u_q)/λ_q and ∂u_q/∂e1_q = (u_q − 1)/λ_q, accumulated per qubit over
 * all terms and groups of an estimate (the calibration is shared, so these add before squaring).
 */
import { InputError } from '../../core/index.js';
import type { Circuit, Gate } from '../../circuits/index.js';
import type { PauliSumData, QwcGroup } from '../../qubits/index.js';
import type { Sampler, ShotValue } from '../../backends/index.js';

/** Per-qubit readout calibration. */
export interface ReadoutCalibration {
  nQubits: number;
  /** p(read 1 | prepared 0) per qubit. */
  p01: Float64Array;
  /** p(read 0 | prepared 1) per qubit. */
  p10: Float64Array;
  /** Variances of p01 and p10 (binomial, see the module header). */
  p01Variance: Float64Array;
  p10Variance: Float64Array;
  /** Shots per calibration circuit. */
  shots: number;
}

function xGate(q: number): Gate {
  return { kind: 'x', qubits: [q], angle: 0, parameter: -1, factor: 0 };
}

/** The two calibration circuits: |0…0⟩ and |1…1⟩. */
export function readoutCalibrationCircuits(nQubits: number): [Circuit, Circuit] {
  const ones: Gate[] = [];
  for (let q = 0; q < nQubits; q++) ones.push(xGate(q));
  return [
    { nQubits, nParameters: 0, gates: [] },
    { nQubits, nParameters: 0, gates: ones },
  ];
}

/** Fit the calibration from the counts of the |0…0⟩ and |1…1⟩ circuits. */
export function fitReadoutCalibration(nQubits: number, zeros: Map<number, number>, ones: Map<number, number>): ReadoutCalibration {
  const fit = (counts: Map<number, number>, flippedBit: 0 | 1) => {
    const p = new Float64Array(nQubits);
    const v = new Float64Array(nQubits);
    let n = 0;
    for (const c of counts.values()) n += c;
    if (n < 1) throw new InputError('readout calibration: a calibration circuit returned no shots');
    for (let q = 0; q < nQubits; q++) {
      let k = 0;
      for (const [b, c] of counts) if (((b >>> q) & 1) === flippedBit) k += c;
      p[q] = k / n;
      const pt = (k + 0.5) / (n + 1);
      v[q] = (pt * (1 - pt)) / n;
    }
    return { p, v, n };
  };
  const z = fit(zeros, 1);
  const o = fit(ones, 0);
  for (let q = 0; q < nQubits; q++) {
    if (!(z.p[q] + o.p[q] < 0.9)) {
      throw new InputError(`readout calibration: qubit ${q} reads wrong too often (p(1|0) = ${z.p[q]}, p(0|1) = ${o.p[q]}) to be corrected`);
    }
  }
  return { nQubits, p01: z.p, p10: o.p, p01Variance: z.v, p10Variance: o.v, shots: Math.min(z.n, o.n) };
}

/** Run the calibration circuits on `sampler` (one call) and fit them. */
export async function calibrateReadout(sampler: Sampler, nQubits: number, shots: number, seed?: number): Promise<ReadoutCalibration> {
  const [zeros, ones] = readoutCalibrationCircuits(nQubits);
  const result = await sampler.run([{ circuit: zeros, shots }, { circuit: ones, shots }], seed === undefined ? {} : { seed }).result();
  return fitReadoutCalibration(nQubits, result[0].counts[0], result[1].counts[0]);
}

/** δ_q = e1 − e0 and λ_q = 1 − e0 − e1 of every qubit. */
function confusion(cal: ReadoutCalibration): { delta: Float64Array; lambda: Float64Array } {
  const delta = new Float64Array(cal.nQubits);
  const lambda = new Float64Array(cal.nQubits);
  for (let q = 0; q < cal.nQubits; q++) {
    delta[q] = cal.p10[q] - cal.p01[q];
    lambda[q] = 1 - cal.p01[q] - cal.p10[q];
  }
  return { delta, lambda };
}

/** Per-shot value of a group with every Z string replaced by its readout-corrected estimator. */
export function readoutShotValue(op: PauliSumData, cal: ReadoutCalibration): ShotValue {
  const { delta, lambda } = confusion(cal);
  return (b: number, g: QwcGroup) => {
    let v = 0;
    for (let k = 0; k < g.termIndices.length; k++) {
      const t = g.termIndices[k];
      let support = op.x[t] | op.z[t];
      let f = op.coeffRe[t];
      while (support !== 0) {
        const q = 31 - Math.clz32(support);
        support ^= 1 << q;
        f *= (((b >>> q) & 1 ? -1 : 1) - delta[q]) / lambda[q];
      }
      v += f;
    }
    return v;
  };
}

/**
 * Adds ∂(group mean)/∂e0_q and ∂/∂e1_q of the readout-corrected mean of one group to d0 and d1,
 * scaled by `weight` (the group mean averages over the kept shots; `keep` is the post-selection).
 */
export function accumulateReadoutSensitivity(
  op: PauliSumData,
  cal: ReadoutCalibration,
  group: QwcGroup,
  counts: Map<number, number>,
  keep: ((bits: number) => boolean) | null,
  weight: number,
  d0: Float64Array,
  d1: Float64Array,
): void {
  const { delta, lambda } = confusion(cal);
  let n = 0;
  for (const [b, c] of counts) if (keep === null || keep(b)) n += c;
  if (n === 0) return;
  const u = new Float64Array(32);
  for (const [b, c] of counts) {
    if (keep !== null && !keep(b)) continue;
    const w = (weight * c) / n;
    for (let k = 0; k < group.termIndices.length; k++) {
      const t = group.termIndices[k];
      const support = op.x[t] | op.z[t];
      let product = op.coeffRe[t];
      for (let s = support; s !== 0; s &= s - 1) {
        const q = 31 - Math.clz32(s & -s);
        u[q] = (((b >>> q) & 1 ? -1 : 1) - delta[q]) / lambda[q];
        product *= u[q];
      }
      for (let s = support; s !== 0; s &= s - 1) {
        const q = 31 - Math.clz32(s & -s);
        const others = product / u[q];
        d0[q] += (w * others * (1 + u[q])) / lambda[q];
        d1[q] += (w * others * (u[q] - 1)) / lambda[q];
      }
    }
  }
}

/** Variance of an estimate from the calibration's uncertainty, given its sensitivities d0, d1. */
export function calibrationVariance(cal: ReadoutCalibration, d0: Float64Array, d1: Float64Array): number {
  let v = 0;
  for (let q = 0; q < cal.nQubits; q++) v += d0[q] * d0[q] * cal.p01Variance[q] + d1[q] * d1[q] * cal.p10Variance[q];
  return v;
}
