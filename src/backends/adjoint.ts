/**
 * Energy and exact gradient of E(θ) = ⟨ψ(θ)|H|ψ(θ)⟩ by the adjoint method.
 *
 * The circuit U(θ) = U_N ⋯ U_1 acts on an initial state (|0…0⟩ unless given). Parametrised gates are
 * U_k = exp(−i(angle_k + f_k θ_{p(k)}) G_k / 2) with G_k a Pauli string (RX, RY, RZ or a Pauli
 * rotation), so ∂U_k/∂θ_p = (−i f_k/2) G_k U_k and
 *
 *   ∂E/∂θ_p = Σ_{k: p(k)=p} 2 Re⟨λ_k| (−i f_k/2) G_k |ψ_k⟩ = Σ_k f_k Im⟨λ_k|G_k|ψ_k⟩,
 *
 * with ψ_k = U_k ⋯ U_1 ψ₀ and λ_k = U_{k+1}† ⋯ U_N† H ψ_N. One forward pass gives ψ_N, one product
 * gives λ_N = Hψ_N, and one backward pass undoes each gate on ψ and λ while accumulating the terms —
 * the cost of about three circuit executions, independent of the number of parameters.
 *
 * Layout: states are (re, im) Float64Arrays of length 2ⁿ, qubit 0 = least significant bit. Gates are
 * applied by this stage's kernels, H·ψ by the qubit stage's applyPauliSum.
 */
import { applyCircuit, applyGateInverse, fusionInForce } from './apply.js';
import { StateVector } from './statevector.js';
import { applyFusionPlanInverse, fusionPlanFor, type FusionOptions } from './fusion.js';
import { kernelRotationGradientStep } from './fusion-kernels.js';
import type { Circuit } from '../circuits/index.js';
import { InputError } from '../core/index.js';
import {
  applyPauliSum,
  applySectorOperator,
  distinctXMasks,
  fullSpace,
  sectorOperator,
  type PauliSumData,
  type SectorOperator,
  type SectorSpace,
} from '../qubits/index.js';
import { pauliMatrixElement, realInner, rotationGenerator } from './pauli-elements.js';
import {
  applySectorGroup,
  compileSectorCircuit,
  sectorGroupAngle,
  sectorGroupImagElement,
  type SectorCircuit,
} from './sector.js';

/** Options of {@link createAdjointEvaluator}. */
export interface AdjointEvaluatorOptions {
  /** State the circuit acts on (default |0…0⟩); copied. */
  initialState?: StateVector;
  /** out = H·in, when the caller already has a fast product for this Hamiltonian (see fullRegisterHamiltonian). */
  applyHamiltonian?: (inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array) => void;
  /**
   * Gate fusion in the forward pass (ψ_N) and for runs of fixed gates in the backward pass:
   * `false` gate by gate, `true` or options always, absent from FUSION_MIN_QUBITS (12) qubits up.
   */
  fusion?: boolean | FusionOptions;
}

/** Evaluates E(θ) and ∇E(θ) for one circuit and Hamiltonian, reusing its work vectors. */
export interface AdjointEvaluator {
  /** Number of qubits. */
  readonly nQubits: number;
  /** Length of θ. */
  readonly nParameters: number;
  /** E(θ) with one forward pass. */
  energy(parameters: ArrayLike<number>): number;
  /** E(θ), writing ∂E/∂θ into gradientOut (length nParameters). */
  energyAndGradient(parameters: ArrayLike<number>, gradientOut: Float64Array): number;
  /** A fresh copy of ψ(θ). */
  state(parameters: ArrayLike<number>): StateVector;
  /** Number of energy (and gradient) evaluations made so far. */
  readonly evaluations: number;
}

/**
 * Build an adjoint-gradient evaluator for ⟨ψ(θ)|H|ψ(θ)⟩.
 *
 * @param circuit the parametrised circuit (gates with `parameter` ≥ 0 must be rotations).
 * @param hamiltonian a Hermitian Pauli sum on circuit.nQubits qubits (imaginary coefficients are
 *   allowed as long as the sum is Hermitian).
 */
export function createAdjointEvaluator(
  circuit: Circuit,
  hamiltonian: PauliSumData,
  options: AdjointEvaluatorOptions = {},
): AdjointEvaluator {
  const n = circuit.nQubits;
  if (hamiltonian.nQubits !== n) {
    throw new InputError(
      `adjoint gradient: the Hamiltonian acts on ${hamiltonian.nQubits} qubits but the circuit on ${n}`,
    );
  }
  if (n > 30) throw new InputError(`adjoint gradient: ${n} qubits exceed the 30-qubit state-vector limit`);
  const generators = circuit.gates.map((gate) => {
    if (gate.parameter < 0) return null;
    if (gate.parameter >= circuit.nParameters) {
      throw new InputError(
        `adjoint gradient: gate uses parameter ${gate.parameter} but the circuit has ${circuit.nParameters}`,
      );
    }
    if (gate.control !== undefined) {
      throw new InputError('adjoint gradient: controlled parametrised gates are not supported');
    }
    const gen = rotationGenerator(gate);
    if (gen === null) throw new InputError(`adjoint gradient: gate '${gate.kind}' cannot carry a parameter`);
    return gen;
  });
  const dim = 2 ** n;
  // ψ and λ are backend state vectors so the backend's gate kernels act on them directly.
  const psi = new StateVector(n);
  const lam = new StateVector(n);
  const psiRe = psi.re;
  const psiIm = psi.im;
  const lamRe = lam.re;
  const lamIm = lam.im;
  // A copy of the initial state only when one is given: |0…0⟩ is written directly, so the evaluator
  // holds two state vectors (ψ, λ), not three (4.3 GB each at 28 qubits).
  let start: { re: Float64Array; im: Float64Array } | undefined;
  if (options.initialState) {
    if (options.initialState.re.length !== dim || options.initialState.im.length !== dim) {
      throw new InputError(`adjoint gradient: the initial state must have length 2^${n} = ${dim}`);
    }
    start = { re: Float64Array.from(options.initialState.re), im: Float64Array.from(options.initialState.im) };
  }
  let evaluations = 0;
  const applyH = options.applyHamiltonian ?? fullRegisterHamiltonian(hamiltonian);
  const fusion = fusionInForce(n, options.fusion);
  const backwardSteps = fusion === undefined ? undefined : planBackward(circuit, fusion);

  const forward = (parameters: ArrayLike<number>): void => {
    if (parameters.length !== circuit.nParameters) {
      throw new InputError(
        `adjoint gradient: got ${parameters.length} parameters, the circuit has ${circuit.nParameters}`,
      );
    }
    if (start) {
      psiRe.set(start.re);
      psiIm.set(start.im);
    } else {
      psiRe.fill(0);
      psiIm.fill(0);
      psiRe[0] = 1;
    }
    applyCircuit(psi, circuit, parameters, { fusion: options.fusion });
  };

  return {
    nQubits: n,
    nParameters: circuit.nParameters,
    get evaluations() {
      return evaluations;
    },
    energy(parameters) {
      evaluations++;
      forward(parameters);
      applyH(psiRe, psiIm, lamRe, lamIm);
      return realInner(psiRe, psiIm, lamRe, lamIm);
    },
    energyAndGradient(parameters, gradientOut) {
      evaluations++;
      forward(parameters);
      applyH(psiRe, psiIm, lamRe, lamIm);
      const energy = realInner(psiRe, psiIm, lamRe, lamIm);
      gradientOut.fill(0);
      const gates = circuit.gates;
      if (backwardSteps !== undefined) {
        for (const step of backwardSteps) {
          if (step.run !== undefined) {
            // A run of fixed gates (none of them gate 0): undone through its fusion plan.
            applyFusionPlanInverse(psi, step.run, step.plan, parameters);
            applyFusionPlanInverse(lam, step.run, step.plan, parameters);
            continue;
          }
          const k = step.gate;
          const gate = gates[k];
          if (step.axis >= 0) {
            const theta = gate.angle + gate.factor * parameters[gate.parameter];
            const imag = kernelRotationGradientStep(psiRe, psiIm, lamRe, lamIm, gate.qubits[0], step.axis, theta, k > 0);
            gradientOut[gate.parameter] += gate.factor * imag;
            continue;
          }
          const gen = generators[k] as { x: number; z: number };
          const [, imag] = pauliMatrixElement(lamRe, lamIm, gen.x, gen.z, psiRe, psiIm);
          gradientOut[gate.parameter] += gate.factor * imag;
          if (k > 0) {
            applyGateInverse(psi, gate, parameters);
            applyGateInverse(lam, gate, parameters);
          }
        }
        return energy;
      }
      for (let k = gates.length - 1; k >= 0; k--) {
        const gate = gates[k];
        const gen = generators[k];
        if (gen !== null) {
          const [, imag] = pauliMatrixElement(lamRe, lamIm, gen.x, gen.z, psiRe, psiIm);
          gradientOut[gate.parameter] += gate.factor * imag;
        }
        if (k > 0) {
          applyGateInverse(psi, gate, parameters);
          applyGateInverse(lam, gate, parameters);
        }
      }
      return energy;
    },
    state(parameters) {
      forward(parameters);
      return psi.copy();
    },
  };
}

/**
 * One step of the fused backward pass, in backward order: a parametrised gate k (axis 0/1/2 for a
 * one-qubit RX/RY/RZ, done by one fused pass over ψ and λ; −1 for a Pauli rotation, done gate by
 * gate), or a run of fixed gates undone through its own fusion plan.
 */
type BackwardStep =
  | { gate: number; axis: number; run?: undefined; plan?: undefined }
  | { gate?: undefined; axis?: undefined; run: Circuit; plan: ReturnType<typeof fusionPlanFor> };

/** The backward steps of a circuit (built once per evaluator). Gate 0 is never undone. */
function planBackward(circuit: Circuit, fusion: FusionOptions): BackwardStep[] {
  const steps: BackwardStep[] = [];
  const gates = circuit.gates;
  let k = gates.length - 1;
  while (k >= 0) {
    const gate = gates[k];
    if (gate.parameter >= 0) {
      const axis = gate.control === undefined ? ['rx', 'ry', 'rz'].indexOf(gate.kind) : -1;
      steps.push({ gate: k, axis });
      k--;
      continue;
    }
    let a = k;
    while (a > 0 && gates[a - 1].parameter < 0) a--;
    const first = Math.max(a, 1);
    if (first <= k) {
      const run: Circuit = { nQubits: circuit.nQubits, nParameters: circuit.nParameters, gates: gates.slice(first, k + 1) };
      steps.push({ run, plan: fusionPlanFor(run, fusion) });
    }
    k = a - 1;
  }
  return steps;
}

/** Largest number of stored matrix entries for the column-compressed full-register Hamiltonian. */
const MAX_FULL_REGISTER_ENTRIES = 2e7;

/**
 * out = H·in on the full register: a column-compressed matrix built once when it is small enough
 * (2ⁿ × distinct X masks ≤ 2·10⁷ entries; several times faster than term-by-term), else the qubit
 * stage's applyPauliSum.
 */
export function fullRegisterHamiltonian(
  hamiltonian: PauliSumData,
): (inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array) => void {
  const dim = 2 ** hamiltonian.nQubits;
  if (dim * distinctXMasks(hamiltonian) <= MAX_FULL_REGISTER_ENTRIES) {
    const matrix = sectorOperator(hamiltonian, fullSpace(hamiltonian.nQubits));
    return (inRe, inIm, outRe, outIm) => applySectorOperator(matrix, inRe, inIm, outRe, outIm);
  }
  return (inRe, inIm, outRe, outIm) => applyPauliSum(hamiltonian, inRe, inIm, outRe, outIm);
}

/**
 * One-shot convenience: E(θ) and ∇E(θ) by the adjoint method.
 * For repeated calls use {@link createAdjointEvaluator}, which keeps its work vectors.
 */
export function adjointGradient(
  circuit: Circuit,
  hamiltonian: PauliSumData,
  parameters: ArrayLike<number>,
  options: AdjointEvaluatorOptions = {},
): { energy: number; gradient: Float64Array } {
  const evaluator = createAdjointEvaluator(circuit, hamiltonian, options);
  const gradient = new Float64Array(circuit.nParameters);
  const energy = evaluator.energyAndGradient(parameters, gradient);
  return { energy, gradient };
}

/** Options of {@link createEnergyEvaluator}. */
export interface EnergyEvaluatorOptions extends AdjointEvaluatorOptions {
  /**
   * Symmetry sector the circuit stays in (see sector.ts). When given and the circuit has the shape
   * sector simulation supports (leading X gates, then rotation groups that keep the sector), the
   * evaluator works on the sector only; otherwise it falls back to the full state vector.
   */
  sector?: SectorSpace;
}

/**
 * The fastest exact evaluator for ⟨ψ(θ)|H|ψ(θ)⟩ and its adjoint gradient: sector-restricted when a
 * sector is given and applicable, else the full state vector. Both give the same numbers to
 * round-off.
 */
export function createEnergyEvaluator(
  circuit: Circuit,
  hamiltonian: PauliSumData,
  options: EnergyEvaluatorOptions = {},
): AdjointEvaluator & { readonly sectorRestricted: boolean } {
  if (options.sector !== undefined && options.initialState === undefined) {
    const compiled = compileSectorCircuit(circuit, options.sector);
    if (compiled !== null) {
      return createSectorEvaluator(compiled, sectorOperator(hamiltonian, options.sector), options.sector, circuit.nParameters);
    }
  }
  return Object.assign(createAdjointEvaluator(circuit, hamiltonian, options), { sectorRestricted: false });
}

/**
 * Adjoint evaluator on a sector (see sector.ts): ψ and λ = Hψ live on the sector; each rotation
 * group is undone on both while Im⟨λ|M|ψ⟩ accumulates into its parameter.
 */
export function createSectorEvaluator(
  compiled: SectorCircuit,
  hamiltonian: SectorOperator,
  space: SectorSpace,
  nParameters: number,
): AdjointEvaluator & { readonly sectorRestricted: boolean } {
  const dim = space.states.length;
  const psiRe = new Float64Array(dim);
  const psiIm = new Float64Array(dim);
  const lamRe = new Float64Array(dim);
  const lamIm = new Float64Array(dim);
  const groups = compiled.groups;
  let evaluations = 0;
  const forward = (parameters: ArrayLike<number>): void => {
    if (parameters.length !== nParameters) {
      throw new InputError(`energy evaluator: got ${parameters.length} parameters, the circuit has ${nParameters}`);
    }
    psiRe.fill(0);
    psiIm.fill(0);
    psiRe[compiled.referenceIndex] = 1;
    for (const g of groups) applySectorGroup(g, sectorGroupAngle(g, parameters), psiRe, psiIm);
  };
  return {
    nQubits: space.nQubits,
    nParameters,
    sectorRestricted: true,
    get evaluations() {
      return evaluations;
    },
    energy(parameters) {
      evaluations++;
      forward(parameters);
      applySectorOperator(hamiltonian, psiRe, psiIm, lamRe, lamIm);
      return realInner(psiRe, psiIm, lamRe, lamIm);
    },
    energyAndGradient(parameters, gradientOut) {
      evaluations++;
      forward(parameters);
      applySectorOperator(hamiltonian, psiRe, psiIm, lamRe, lamIm);
      const energy = realInner(psiRe, psiIm, lamRe, lamIm);
      gradientOut.fill(0);
      for (let k = groups.length - 1; k >= 0; k--) {
        const g = groups[k];
        if (g.parameter >= 0) gradientOut[g.parameter] += sectorGroupImagElement(g, lamRe, lamIm, psiRe, psiIm);
        if (k > 0) {
          const phi = -sectorGroupAngle(g, parameters);
          applySectorGroup(g, phi, psiRe, psiIm);
          applySectorGroup(g, phi, lamRe, lamIm);
        }
      }
      return energy;
    },
    state(parameters) {
      forward(parameters);
      const full = new StateVector(space.nQubits);
      full.re[0] = 0;
      for (let k = 0; k < dim; k++) {
        full.re[space.states[k]] = psiRe[k];
        full.im[space.states[k]] = psiIm[k];
      }
      return full;
    },
  };
}
