/**
 * Shot-sampling backend: the state is prepared exactly, then each qubit-wise commuting group of the
 * observable is measured like hardware would — rotate into the group's product basis (H for X,
 * H·S† for Y), draw computational-basis outcomes with a seeded generator and average
 *   v(b) = Σ_{k ∈ group} c_k (−1)^popcount(b & support_k)
 * over the shots. The estimate is the sum of the group means plus the identity terms; its standard
 * error is √(Σ_g s_g² / N_g) with s_g² the unbiased sample variance of v in group g.
 * Shots are split over groups in proportion to Σ_k |c_k| (at least one per group).
 */
import { InputError } from '../core/errors.js';
import { Random } from '../core/random.js';
import type { Circuit } from '../circuits/circuit.js';
import type { PauliSumData } from '../qubits/pauli-layout.js';
import { groupQubitWiseCommuting, type QwcGrouping } from '../qubits/grouping.js';
import type { Backend, Estimate } from './backend.js';
import { applyCircuit } from './apply.js';
import { parity32 } from '../core/index.js';
import { kernelH, kernelPhase } from './kernels.js';
import { sampleCounts } from './observables.js';
import { StateVector } from './statevector.js';

/** Options of {@link ShotSamplingSimulator}. */
export interface ShotSamplingOptions {
  /** Total shots per estimate, split over the measurement groups. */
  shots: number;
  /** Seed of the measurement randomness (default 1). */
  seed?: number;
}

/** Backend that estimates expectation values from simulated measurement shots. */
export class ShotSamplingSimulator implements Backend {
  /** Provenance name of this backend. */
  readonly name = 'statevector-shots';
  /** Estimates carry shot noise. */
  readonly exact = false;
  /** Total shots per estimate. */
  readonly shots: number;
  private readonly rng: Random;
  private readonly groupings = new WeakMap<PauliSumData, QwcGrouping>();

  /** A sampler with a fixed shot budget and seed (successive estimates continue the stream). */
  constructor(options: ShotSamplingOptions) {
    if (!Number.isInteger(options.shots) || options.shots < 1) {
      throw new InputError(`shot sampling: shots must be a positive integer, got ${options.shots}`);
    }
    this.shots = options.shots;
    this.rng = new Random(options.seed ?? 1);
  }

  private grouping(op: PauliSumData): QwcGrouping {
    let g = this.groupings.get(op);
    if (g === undefined) {
      g = groupQubitWiseCommuting(op);
      this.groupings.set(op, g);
    }
    return g;
  }

  /** Synchronous form of {@link estimate}. */
  estimateSync(circuit: Circuit, parameters: Float64Array, observable: PauliSumData): Estimate {
    if (observable.nQubits > circuit.nQubits) {
      throw new InputError(`shot sampling: operator on ${observable.nQubits} qubits, circuit on ${circuit.nQubits}`);
    }
    const state = new StateVector(circuit.nQubits);
    applyCircuit(state, circuit, parameters);
    const { groups, identityTerms } = this.grouping(observable);
    let value = 0;
    for (let k = 0; k < identityTerms.length; k++) value += observable.coeffRe[identityTerms[k]];
    if (groups.length === 0) return { value, standardError: 0, shots: 0 };
    if (this.shots < groups.length) {
      throw new InputError(`shot sampling: ${this.shots} shots cannot cover ${groups.length} measurement groups`);
    }
    const weights = groups.map((g) => {
      let w = 0;
      for (let k = 0; k < g.termIndices.length; k++) w += Math.abs(observable.coeffRe[g.termIndices[k]]);
      return w;
    });
    const totalWeight = weights.reduce((a, b) => a + b, 0);
    const work = new StateVector(circuit.nQubits);
    let variance = 0;
    let shotsUsed = 0;
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi];
      const n = Math.max(1, Math.round((this.shots * weights[gi]) / (totalWeight > 0 ? totalWeight : 1)));
      work.copyFrom(state);
      for (let q = 0; q < circuit.nQubits; q++) {
        if (((g.basisX >>> q) & 1) === 0) continue;
        // Y: S† then H maps Y to Z; X: H maps X to Z.
        if ((g.basisZ >>> q) & 1) kernelPhase(work.re, work.im, q, 0, -1);
        kernelH(work.re, work.im, q);
      }
      const counts = sampleCounts(work, n, this.rng);
      let sum = 0;
      let sumSq = 0;
      for (const [b, c] of counts) {
        let v = 0;
        for (let k = 0; k < g.termIndices.length; k++) {
          const t = g.termIndices[k];
          const support = observable.x[t] | observable.z[t];
          v += parity32(b & support) === 0 ? observable.coeffRe[t] : -observable.coeffRe[t];
        }
        sum += c * v;
        sumSq += c * v * v;
      }
      const mean = sum / n;
      value += mean;
      // Unbiased sample variance; with one shot fall back to the bound (Σ|c|)².
      const s2 = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : weights[gi] * weights[gi];
      variance += s2 / n;
      shotsUsed += n;
    }
    return { value, standardError: Math.sqrt(variance), shots: shotsUsed };
  }

  /** Shot-based estimate with its standard error. */
  async estimate(circuit: Circuit, parameters: Float64Array, observable: PauliSumData): Promise<Estimate> {
    return this.estimateSync(circuit, parameters, observable);
  }
}
