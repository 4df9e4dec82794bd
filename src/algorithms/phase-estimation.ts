/**
 * Iterative quantum phase estimation (Kitaev / IPEA with one ancilla; Dobšíček et al., PRA 76,
 * 030306 (2007)) of the ground-state energy, simulated exactly (the backend stage's Trotter evolution
 * on the particle-number sector) or sampled round by round on a Sampler.
 *
 * Evolution: U = exp(−i(H − E_up)t), Trotterised. The terms of H are grouped by X mask; for a real
 * molecular Hamiltonian all strings with one X mask commute (their Y counts are even), so each group
 * exp(−iτH_x) is exactly the product of its controlled Pauli rotations. One second-order step is
 *   S₂(τ) = Π_{x↑} exp(−iH_x τ/2) · Π_{x↓} exp(−iH_x τ/2),   U ≈ S₂(t/r)^r,
 * and the circuit of controlled-U is the corresponding sequence of controlled Pauli rotations
 * (ancilla = qubit n). Every group conserves Nα and Nβ, so the system register is simulated on the
 * (Nα, Nβ) sector — the same amplitudes, exactly, as the full register.
 *
 * Phase convention: U|E⟩ = e^{2πiφ}|E⟩ with φ = (E_up − E)t / 2π. The spectrum of H on the sector is
 * bounded by Gershgorin discs, E ∈ [E_low, E_up], and t = 2π / ((E_up − E_low)(1 + 2^{−bits})), so every
 * eigenphase lies in [0, 1): no wrap-around. Bit k (k = bits … 1) applies controlled-U^{2^{k−1}}, the
 * feedback phase ω_k = −2π·0.0φ_{k+1}…φ_bits on the ancilla, H and a measurement; the simulation
 * takes the more probable outcome, collapses the system state accordingly (the real measurement
 * back-action) and multiplies the success probability. E = E_up − 2πφ/t with φ = 0.φ₁…φ_bits.
 *
 * U^{2^{k−1}}ψ is simulated by applying the Trotter circuit 2^{k−1} times or, for sectors of at most
 * 512 states when cheaper, from the dense sector matrix of the same Trotter product raised to the
 * power by repeated squaring (same operator to round-off; bits × dim³ instead of 2^bits work).
 *
 * Resolution: one unit of the last bit, 2π/(t 2^bits), plus the Trotter error. The Trotter error of
 * the energy is estimated a posteriori (Richardson): the phase of ⟨ψ|S₂(t/r)^r|ψ⟩ − ⟨ψ|S₂(t/2r)^{2r}|ψ⟩
 * gives (3/4)·error(r)·t for the second-order formula; r is doubled until 2× this estimate is below
 * a quarter of the bit resolution. Without `bits`, the bit count is the fewest whose stated
 * resolution (1.25 bit units) reaches `targetResolutionHartree` (default 1.6 mEh, chemical accuracy).
 *
 * On a Sampler each round is a gate-level circuit (reference preparation, controlled Trotter steps,
 * feedback RZ, H on the ancilla) run from a fresh state for the given shots, and the bit is the more
 * frequent ancilla outcome; no collapse is carried between rounds, as on a device.
 */
import { pauliRotationGate } from '../circuits/index.js';
import type { Circuit, Gate } from '../circuits/index.js';
import { circuitStatistics, type CircuitStatistics } from '../circuits/index.js';
import { InputError } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import type { FermionMapping } from '../qubits/index.js';
import { particleSector, sectorOperator, type PauliSumData } from '../qubits/index.js';
import {
  MAX_DENSE_POWER_DIMENSION,
  STATEVECTOR_INFO,
  complexMatVec,
  complexOverlap,
  evolveTrotter,
  hamiltonianGroups,
  hasExactGradient,
  trotterPowers,
  type BackendInfo,
  type StateVector,
  type Estimator,
  type Sampler,
} from '../backends/index.js';
import { mapMolecule } from './molecular-vqe.js';

/** Options of {@link runPhaseEstimation}. */
export interface PhaseEstimationOptions {
  /** The molecular Hamiltonian. */
  hamiltonian: MolecularHamiltonian;
  /** Fermion-to-qubit mapping (default 'jordan-wigner'). */
  mapping?: FermionMapping;
  /**
   * Phase bits. Default: the fewest bits whose stated resolution (one unit of the last bit plus the
   * Trotter allowance of a quarter unit) is at most `targetResolutionHartree`.
   */
  bits?: number;
  /**
   * Energy resolution to aim for when `bits` is not given, Hartree (default 1.6e-3, chemical
   * accuracy). One more bit halves the resolution and doubles the evolution time.
   */
  targetResolutionHartree?: number;
  /**
   * Where the rounds run. Default (or the exact state-vector estimator): exact simulation of the
   * sector, taking the more probable outcome of each bit. A {@link Sampler} (or a sampling estimator,
   * whose sampler is used) runs each round as a gate-level circuit — Hartree–Fock preparation, H on
   * the ancilla, controlled-U^{2^{k−1}} as repeated controlled Trotter steps, the feedback RZ and H —
   * for `shots` shots and takes the most frequent ancilla outcome. The gate-level circuits hold
   * (2^bits − 1)·r controlled Trotter steps in total, so they suit small systems; a sampler that
   * simulates the exact state (`simulatesExactState`) is instead given a one-qubit circuit with the
   * same ancilla distribution, computed on the sector.
   */
  backend?: Sampler | Estimator;
  /** Shots per round on a sampler (default: the sampler's). */
  shots?: number;
  /**
   * Initial system state: 'hartree-fock' (default) or a full-register state vector (e.g. a VQE
   * state from AdjointEvaluator.state), which must lie in the (Nα, Nβ) sector.
   */
  initialState?: 'hartree-fock' | StateVector;
  /** Second-order Trotter steps per U; default: chosen automatically (see file header). */
  trotterSteps?: number;
  /** Largest automatic Trotter step count (default 64). */
  maxTrotterSteps?: number;
  /**
   * How U^{2^k}ψ is simulated: 'repeated' applies the Trotter circuit 2^k times; 'squaring' forms the
   * dense sector matrix of the same Trotter product and squares it (sectors up to 512 states);
   * 'auto' (default) picks the cheaper. Both simulate the same circuit.
   */
  powerMethod?: 'auto' | 'repeated' | 'squaring';
}

/** Result of {@link runPhaseEstimation}. */
export interface PhaseEstimationResult {
  /** Estimated ground-state energy, Hartree. */
  energyHartree: number;
  /** Stated accuracy: phase-bit resolution plus (twice) the estimated Trotter error, Hartree. */
  resolutionHartree: number;
  /** One unit of the last phase bit in energy, 2π/(t·2^bits), Hartree. */
  bitResolutionHartree: number;
  /** Estimated Trotter error of the energy, Hartree. */
  trotterErrorHartree: number;
  /** Number of phase bits. */
  bits: number;
  /** The resolution the bit count was chosen for (null when `bits` was given). */
  targetResolutionHartree: number | null;
  /** Measured bits φ₁…φ_bits (most significant first). */
  phaseBits: number[];
  /** φ = 0.φ₁…φ_bits. */
  phase: number;
  /** Evolution time t of U in atomic units (ħ/Hartree). */
  evolutionTime: number;
  /** Trotter order (2) and steps r per U. */
  trotterOrder: 2;
  trotterSteps: number;
  /** Total evolution time applied over all bits, (2^bits − 1)·t. */
  totalEvolutionTime: number;
  /** Energy window [E_low, E_up] from Gershgorin bounds on the sector, Hartree. */
  spectrumBoundsHartree: [number, number];
  /**
   * Probability that a real run measures exactly these bits (product of per-bit probabilities); on a
   * sampler, the product of the observed frequencies of the chosen outcomes.
   */
  successProbability: number;
  /** Per-bit probability (on a sampler: observed frequency) of the chosen outcome (bit φ₁ first). */
  bitProbabilities: number[];
  /** |⟨ψ|U|ψ⟩| of the initial state for one U: close to 1 when the state is nearly an eigenstate. */
  initialStateReturnAmplitude: number;
  /** System qubits (the ancilla is one more). */
  qubits: number;
  /** Compiled resources of one controlled Trotter step (system + ancilla). */
  controlledStepCircuit: CircuitStatistics;
  /** The backend the rounds ran on. */
  backend: BackendInfo;
  /** Measurement shots spent in total (0 on the exact route). */
  shots: number;
  /** Seed of the measurement randomness, null on the exact route. */
  seed: number | null;
  wallTimeSeconds: number;
}

/**
 * Estimate the ground-state energy by iterative phase estimation. Without a backend (or on the
 * exact state-vector estimator) the rounds are simulated exactly and the result is returned
 * directly; with a sampler the rounds are sampled and a promise is returned.
 * @throws InputError for bad options or an initial state outside the particle-number sector.
 */
export function runPhaseEstimation(options: PhaseEstimationOptions & { backend?: undefined }): PhaseEstimationResult;
export function runPhaseEstimation(options: PhaseEstimationOptions & { backend: Sampler | Estimator }): Promise<PhaseEstimationResult>;
export function runPhaseEstimation(options: PhaseEstimationOptions): PhaseEstimationResult | Promise<PhaseEstimationResult>;
export function runPhaseEstimation(options: PhaseEstimationOptions): PhaseEstimationResult | Promise<PhaseEstimationResult> {
  const sampler = samplerOf(options.backend);
  if (sampler === null) {
    const result = phaseEstimation(options, null);
    if (options.backend === undefined) return result as PhaseEstimationResult;
    return Promise.resolve(result as PhaseEstimationResult).then((r) => ({ ...r, backend: { ...options.backend!.info } }));
  }
  return phaseEstimation(options, sampler) as Promise<PhaseEstimationResult>;
}

/** The sampler behind a backend (a sampling estimator's own sampler), or null for the exact route. */
function samplerOf(backend: Sampler | Estimator | undefined): Sampler | null {
  if (backend === undefined) return null;
  if (backend.kind === 'sampler') return backend;
  if (hasExactGradient(backend)) return null;
  const inner = (backend as { sampler?: Sampler }).sampler;
  if (inner !== undefined && inner.kind === 'sampler') return inner;
  throw new InputError(`phase estimation: backend '${backend.info.name}' is neither exact nor built on a sampler`);
}

/** The smallest bit count whose stated resolution (1.25 bit units) meets the target, for a spectrum width. */
function bitsForResolution(target: number, width: number): number {
  if (!(target > 0) || !Number.isFinite(target)) {
    throw new InputError(`phase estimation: targetResolutionHartree must be a positive number, got ${target}`);
  }
  for (let bits = 1; bits <= 24; bits++) if (1.25 * width * (1 + 2 ** -bits) * 2 ** -bits <= target) return bits;
  throw new InputError(`phase estimation: a resolution of ${target} Hartree needs more than 24 phase bits`);
}

function phaseEstimation(options: PhaseEstimationOptions, sampler: Sampler | null): PhaseEstimationResult | Promise<PhaseEstimationResult> {
  const t0 = performance.now();
  const ham = options.hamiltonian;
  if (options.bits !== undefined && (!Number.isInteger(options.bits) || options.bits < 1 || options.bits > 24)) {
    throw new InputError(`phase estimation: bits must be 1..24, got ${options.bits}`);
  }
  const { mapping, nModes, hamiltonian: op, referenceBits } = mapMolecule(ham, options.mapping);
  const space = particleSector(nModes, ham.nAlpha, ham.nBeta, mapping);
  const dim = space.states.length;

  // Gershgorin bounds of the sector matrix.
  const [low, up] = sectorOperator(op, space).gershgorinBounds();
  const targetResolution = options.bits === undefined ? (options.targetResolutionHartree ?? DEFAULT_TARGET_RESOLUTION_HARTREE) : null;
  const bits = options.bits ?? bitsForResolution(targetResolution!, up - low);
  const t = (2 * Math.PI) / ((up - low) * (1 + 2 ** -bits));
  const bitResolution = (2 * Math.PI) / (t * 2 ** bits);
  const { groups, masks } = hamiltonianGroups(op, up, space);

  // Initial state on the sector.
  const psiRe = new Float64Array(dim);
  const psiIm = new Float64Array(dim);
  if (options.initialState === undefined || options.initialState === 'hartree-fock') {
    psiRe[space.position[referenceBits]] = 1;
  } else {
    const s = options.initialState;
    if (s.re.length !== 2 ** nModes) throw new InputError(`phase estimation: the initial state must have 2^${nModes} amplitudes`);
    let inside = 0;
    let total = 0;
    for (let b = 0; b < s.re.length; b++) total += s.re[b] * s.re[b] + s.im[b] * s.im[b];
    for (let k = 0; k < dim; k++) {
      psiRe[k] = s.re[space.states[k]];
      psiIm[k] = s.im[space.states[k]];
      inside += psiRe[k] * psiRe[k] + psiIm[k] * psiIm[k];
    }
    if (Math.abs(total - 1) > 1e-8 || total - inside > 1e-10) {
      throw new InputError('phase estimation: the initial state must be normalised and lie in the (Nα, Nβ) sector');
    }
  }

  // Trotter steps: double r until the Richardson estimate of the energy error is small.
  const wRe = new Float64Array(dim);
  const wIm = new Float64Array(dim);
  const phaseAfter = (steps: number): [number, number] => {
    wRe.set(psiRe);
    wIm.set(psiIm);
    evolveTrotter(groups, t, steps, wRe, wIm);
    return complexOverlap(psiRe, psiIm, wRe, wIm);
  };
  const trotterErrorFor = (steps: number): number => {
    const [ar, ai] = phaseAfter(steps);
    const [br, bi] = phaseAfter(2 * steps);
    // Phase difference of the two overlaps, wrapped to (−π, π].
    const d = Math.atan2(ai * br - ar * bi, ar * br + ai * bi);
    return ((4 / 3) * Math.abs(d)) / t;
  };
  let steps = options.trotterSteps ?? 1;
  let trotterError = trotterErrorFor(steps);
  if (options.trotterSteps === undefined) {
    const maxSteps = options.maxTrotterSteps ?? 64;
    while (2 * trotterError > 0.25 * bitResolution && steps < maxSteps) {
      steps *= 2;
      trotterError = trotterErrorFor(steps);
    }
  }
  const [r1, i1] = phaseAfter(steps);
  const returnAmplitude = Math.hypot(r1, i1);

  const finish = (phaseBits: number[], bitProbabilities: number[], success: number, how: { backend: BackendInfo; shots: number; seed: number | null }): PhaseEstimationResult => {
  let phase = 0;
  for (let j = 1; j <= bits; j++) phase += phaseBits[j - 1] * 2 ** -j;
  const energy = up - (2 * Math.PI * phase) / t;

  return {
    energyHartree: energy,
    resolutionHartree: bitResolution + 2 * trotterError,
    bitResolutionHartree: bitResolution,
    trotterErrorHartree: trotterError,
    bits,
    targetResolutionHartree: targetResolution,
    phaseBits,
    phase,
    evolutionTime: t,
    trotterOrder: 2,
    trotterSteps: steps,
    totalEvolutionTime: (2 ** bits - 1) * t,
    spectrumBoundsHartree: [low, up],
    successProbability: success,
    bitProbabilities,
    initialStateReturnAmplitude: returnAmplitude,
    qubits: nModes,
    controlledStepCircuit: circuitStatistics(step),
    backend: { ...how.backend },
    shots: how.shots,
    seed: how.seed,
    wallTimeSeconds: (performance.now() - t0) / 1000,
  };
  };
  const step = controlledTrotterStepCircuit(op, masks, up, t / steps, nModes);
  // U^{2^{k−1}}ψ comes either from repeated Trotter evolution or, for small sectors where it is
  // cheaper, from the dense matrix of the same Trotter product raised to powers by repeated squaring
  // (identical operator).
  const pairWork = groups.reduce((sum, g) => sum + 2 * g.a.length, 0) * steps;
  // A pair rotation (indirect loads, a 2×2 complex update) costs about as much as 20 multiply-adds
  // of the dense product (measured on LiH and H2O sectors, 225 and 441 states).
  const sequentialCost = 20 * (2 ** bits - 1) * pairWork;
  const denseCost = dim * pairWork + (bits - 1) * 4 * dim ** 3;
  const method = options.powerMethod ?? 'auto';
  if (method === 'squaring' && dim > MAX_DENSE_POWER_DIMENSION) {
    throw new InputError(`phase estimation: 'squaring' needs a sector of at most ${MAX_DENSE_POWER_DIMENSION} states, this one has ${dim}`);
  }
  const useSquaring =
    method === 'squaring' || (method === 'auto' && dim <= MAX_DENSE_POWER_DIMENSION && denseCost < sequentialCost);
  const powers = useSquaring ? trotterPowers(groups, t, steps, dim, bits) : null;
  const chiRe = new Float64Array(dim);
  const chiIm = new Float64Array(dim);
  /**
   * Probability of ancilla outcome 0 in round k with feedback fraction 0.0φ_{k+1}…: leaves
   * e^{iω}U^{2^{k−1}}ψ in χ.
   */
  const zeroProbability = (k: number, frac: number, re: Float64Array, im: Float64Array): number => {
    if (powers !== null) {
      complexMatVec(powers[k - 1].re, powers[k - 1].im, re, im, chiRe, chiIm, dim);
    } else {
      chiRe.set(re);
      chiIm.set(im);
      for (let rep = 0; rep < 2 ** (k - 1); rep++) evolveTrotter(groups, t, steps, chiRe, chiIm);
    }
    const omega = -2 * Math.PI * frac;
    const cw = Math.cos(omega);
    const sw = Math.sin(omega);
    for (let i = 0; i < dim; i++) {
      const r = chiRe[i];
      const m = chiIm[i];
      chiRe[i] = cw * r - sw * m;
      chiIm[i] = sw * r + cw * m;
    }
    const [or] = complexOverlap(re, im, chiRe, chiIm);
    return Math.min(1, Math.max(0, (1 + or) / 2));
  };
  if (sampler !== null) {
    if (options.initialState !== undefined && options.initialState !== 'hartree-fock') {
      throw new InputError('phase estimation on a sampler: the initial state must be hartree-fock (prepared by gates)');
    }
    const referenceRe = Float64Array.from(psiRe);
    const referenceIm = Float64Array.from(psiIm);
    const round = sampler.simulatesExactState === true
      ? (k: number, frac: number) => bernoulliCircuit(zeroProbability(k, frac, referenceRe, referenceIm))
      : (k: number, frac: number) => roundCircuit(step, referenceBits, nModes, k, steps, frac);
    return sampledRounds(sampler, round, bits, options.shots).then((r) =>
      finish(r.phaseBits, r.bitProbabilities, r.success, { backend: sampler.info, shots: r.shots, seed: r.seed }),
    );
  }
  // Iterative phase estimation, least significant bit first.
  const phaseBits = new Array<number>(bits).fill(0);
  const bitProbabilities = new Array<number>(bits).fill(0);
  let success = 1;
  for (let k = bits; k >= 1; k--) {
    // Feedback phase ω_k = −2π · 0.0φ_{k+1}…φ_bits.
    const p0 = zeroProbability(k, feedbackFraction(phaseBits, k), psiRe, psiIm);
    const bit = p0 >= 0.5 ? 0 : 1;
    const p = bit === 0 ? p0 : 1 - p0;
    phaseBits[k - 1] = bit;
    bitProbabilities[k - 1] = p;
    success *= p;
    // Collapse: ψ ← (ψ ± e^{iω}χ) / (2√p).
    const sign = bit === 0 ? 1 : -1;
    const norm = 1 / (2 * Math.sqrt(p));
    for (let i = 0; i < dim; i++) {
      psiRe[i] = (psiRe[i] + sign * chiRe[i]) * norm;
      psiIm[i] = (psiIm[i] + sign * chiIm[i]) * norm;
    }
  }
  return finish(phaseBits, bitProbabilities, success, { backend: STATEVECTOR_INFO, shots: 0, seed: null });
}

/** Default of {@link PhaseEstimationOptions.targetResolutionHartree}: chemical accuracy. */
const DEFAULT_TARGET_RESOLUTION_HARTREE = 1.6e-3;

/** 0.0φ_{k+1}…φ_bits: the feedback fraction of round k from the bits already measured. */
function feedbackFraction(phaseBits: readonly number[], k: number): number {
  let frac = 0;
  for (let j = k + 1; j <= phaseBits.length; j++) frac += phaseBits[j - 1] * 2 ** -(j - k + 1);
  return frac;
}

function fixedGate(kind: Gate['kind'], q: number, angle = 0): Gate {
  return { kind, qubits: [q], angle, parameter: -1, factor: 0 };
}

/**
 * The gate-level circuit of round k: reference preparation, H on the ancilla (qubit nSystem),
 * controlled-U^{2^{k−1}} as that many repetitions of `steps` controlled Trotter steps, the feedback
 * phase and H on the ancilla.
 */
function roundCircuit(step: Circuit, referenceBits: number, nSystem: number, k: number, steps: number, frac: number): Circuit {
  const gates: Gate[] = [];
  for (let q = 0; q < nSystem; q++) if ((referenceBits >>> q) & 1) gates.push(fixedGate('x', q));
  gates.push(fixedGate('h', nSystem));
  const repetitions = 2 ** (k - 1) * steps;
  for (let rep = 0; rep < repetitions; rep++) for (const g of step.gates) gates.push(g);
  // RZ(ω) = diag(e^{−iω/2}, e^{iω/2}): the relative phase e^{iω} on the ancilla's |1⟩ branch.
  gates.push(fixedGate('rz', nSystem, -2 * Math.PI * frac), fixedGate('h', nSystem));
  return { nQubits: nSystem + 1, nParameters: 0, gates };
}

/**
 * A one-qubit circuit whose measurement has the round's ancilla distribution, RY(θ)|0⟩ with
 * cos²(θ/2) = p0. A sampler that simulates the exact state draws from the same distribution for it
 * as for the whole round circuit (its only qubit stands for the ancilla), at the cost of one qubit.
 */
function bernoulliCircuit(p0: number): Circuit {
  return { nQubits: 1, nParameters: 0, gates: [fixedGate('ry', 0, 2 * Math.acos(Math.sqrt(p0)))] };
}

/**
 * Iterative phase estimation on a sampler, least significant bit first: round k's circuit (whose
 * highest qubit is the ancilla) is sampled and the more frequent ancilla outcome is the bit; each
 * round starts from a fresh state, as on a device.
 */
async function sampledRounds(
  sampler: Sampler,
  round: (k: number, frac: number) => Circuit,
  bits: number,
  shots: number | undefined,
): Promise<{ phaseBits: number[]; bitProbabilities: number[]; success: number; shots: number; seed: number | null }> {
  const phaseBits = new Array<number>(bits).fill(0);
  const bitProbabilities = new Array<number>(bits).fill(0);
  let success = 1;
  let spent = 0;
  for (let k = bits; k >= 1; k--) {
    const circuit = round(k, feedbackFraction(phaseBits, k));
    const ancilla = circuit.nQubits - 1;
    const [result] = await sampler.run([shots === undefined ? { circuit } : { circuit, shots }]).result();
    let zeros = 0;
    for (const [b, c] of result.counts[0]) if (((b >>> ancilla) & 1) === 0) zeros += c;
    const bit = 2 * zeros >= result.shots ? 0 : 1;
    const p = bit === 0 ? zeros / result.shots : 1 - zeros / result.shots;
    phaseBits[k - 1] = bit;
    bitProbabilities[k - 1] = p;
    success *= p;
    spent += result.shots;
  }
  return { phaseBits, bitProbabilities, success, shots: spent, seed: sampler.seed ?? null };
}

/**
 * The gate-level circuit of one controlled second-order Trotter step of exp(−i(H − shift)τ), ancilla
 * = qubit nSystem: controlled Pauli rotations exp(−i c τ P) = RP(2cτ) in X-mask group order, up then
 * down with τ/2 each. The identity term becomes a phase on the ancilla (a controlled rotation with
 * an empty string).
 */
export function controlledTrotterStepCircuit(
  op: PauliSumData,
  groupOrder: readonly number[],
  shift: number,
  tau: number,
  nSystem: number,
): Circuit {
  const byX = new Map<number, Gate[]>();
  for (let t = 0; t < op.x.length; t++) {
    let c = op.coeffRe[t];
    if (op.x[t] === 0 && op.z[t] === 0) c -= shift;
    // exp(−i c (τ/2) P) = RP(c τ)
    const gate = pauliRotationGate(op.x[t], op.z[t], c * tau, nSystem);
    const list = byX.get(op.x[t]) ?? [];
    list.push(gate);
    byX.set(op.x[t], list);
  }
  const gates: Gate[] = [];
  for (const x of groupOrder) gates.push(...byX.get(x)!);
  for (let g = groupOrder.length - 1; g >= 0; g--) gates.push(...byX.get(groupOrder[g])!.slice().reverse());
  return { nQubits: nSystem + 1, nParameters: 0, gates };
}
