/**
 * Monte-Carlo trajectories of a noisy circuit on a state vector: after every gate (applied by the
 * exact kernels) its noise is unravelled stochastically with a seeded generator —
 * - depolarising with parameter r: one of X, Y, Z, each with probability r/4 (two qubits: one of
 *   the 15 non-identity Pauli pairs, each r/16), which reproduces the channel of model.ts on average;
 * - amplitude damping on each of the gate's qubits: the jump K1 = √γ |0⟩⟨1| with probability
 *   γ ‖P1 ψ‖² (P1 projects the qubit on |1⟩), else the no-jump K0 = |0⟩⟨0| + √(1−γ) |1⟩⟨1|, each
 *   followed by renormalisation;
 * - pure dephasing: Z with probability (1 − exp(−t/T2)/√(1−γ))/2, so that with the no-jump damping
 *   the coherence decays by exp(−t/T2) in total.
 * The average of |ψ⟩⟨ψ| over trajectories is the density matrix of density-matrix.ts.
 */
import type { Random } from '../../core/index.js';
import type { Circuit } from '../../circuits/index.js';
import { applyGate } from '../apply.js';
import { kernelX, kernelY, kernelZ } from '../kernels.js';
import type { StateVector } from '../statevector.js';
import { hardwareCircuit } from './compile.js';
import { gateChannel, type GateChannel, type NoiseModel } from './model.js';

function pauli(state: StateVector, q: number, which: number): void {
  if (which === 1) kernelX(state.re, state.im, q);
  else if (which === 2) kernelY(state.re, state.im, q);
  else if (which === 3) kernelZ(state.re, state.im, q);
}

/** Amplitude damping (jump or no-jump, renormalised) and dephasing of qubit q. */
function relax(state: StateVector, q: number, ch: GateChannel, rng: Random): void {
  const re = state.re;
  const im = state.im;
  const n = re.length;
  const s = 1 << q;
  const gamma = ch.gamma;
  if (gamma > 0) {
    let p1 = 0;
    for (let base = s; base < n; base += 2 * s) {
      for (let j = base; j < base + s; j++) p1 += re[j] * re[j] + im[j] * im[j];
    }
    if (rng.next() < gamma * p1) {
      // Jump: the |1⟩ component decays into |0⟩.
      const f = 1 / Math.sqrt(p1);
      for (let base = s; base < n; base += 2 * s) {
        for (let j = base; j < base + s; j++) {
          re[j - s] = f * re[j];
          im[j - s] = f * im[j];
          re[j] = 0;
          im[j] = 0;
        }
      }
    } else {
      const f0 = 1 / Math.sqrt(1 - gamma * p1);
      const f1 = Math.sqrt(1 - gamma) * f0;
      for (let base = 0; base < n; base += 2 * s) {
        for (let i = base; i < base + s; i++) {
          re[i] *= f0;
          im[i] *= f0;
          re[i + s] *= f1;
          im[i + s] *= f1;
        }
      }
    }
  }
  const pureDephasing = ch.coherence / Math.sqrt(1 - gamma);
  if (pureDephasing < 1 && rng.next() < (1 - pureDephasing) / 2) kernelZ(re, im, q);
}

/**
 * Runs one trajectory of the circuit (Pauli rotations decomposed) from |0…0⟩ in `state`, which is
 * reset first and holds the final normalised state.
 */
export function runTrajectory(
  state: StateVector,
  circuit: Circuit,
  parameters: ArrayLike<number>,
  model: NoiseModel,
  rng: Random,
): StateVector {
  state.reset(0);
  const one = gateChannel(model, 1);
  const two = gateChannel(model, 2);
  const relaxOne = one.gamma > 0 || one.coherence < 1;
  const relaxTwo = two.gamma > 0 || two.coherence < 1;
  for (const g of hardwareCircuit(circuit).gates) {
    applyGate(state, g, parameters);
    if (g.qubits.length === 1) {
      const q = g.qubits[0];
      if (one.depolarizing > 0) {
        const u = rng.next();
        const quarter = one.depolarizing / 4;
        if (u < 3 * quarter) pauli(state, q, 1 + Math.min(2, Math.floor(u / quarter)));
      }
      if (relaxOne) relax(state, q, one, rng);
    } else {
      const a = g.qubits[0];
      const b = g.qubits[1];
      if (two.depolarizing > 0) {
        const u = rng.next();
        const sixteenth = two.depolarizing / 16;
        if (u < 15 * sixteenth) {
          const which = 1 + Math.min(14, Math.floor(u / sixteenth));
          pauli(state, a, which & 3);
          pauli(state, b, which >>> 2);
        }
      }
      if (relaxTwo) {
        relax(state, a, two, rng);
        relax(state, b, two, rng);
      }
    }
  }
  return state;
}
