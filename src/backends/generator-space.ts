/**
 * Exact ADAPT-VQE state space: the state prepared by a sequence of one-parameter generators
 * exp(θ_k A_k) on a basis state, H·ψ, the pool gradients at θ = 0 and energy/gradient evaluators
 * for the chosen sequence.
 *
 * For a generator A = −(i/2) Σ_k f_k P_k appended at θ = 0 the energy gradient is
 *   ∂E/∂θ|₀ = ⟨ψ|[H, A]|ψ⟩ = Σ_k f_k Im⟨Hψ|P_k|ψ⟩.
 * When every pool operator keeps the (Nα, Nβ) sector, ψ, Hψ and the pool live on the sector (see
 * sector.ts: each operator is its runs of same-X-mask rotations, one sector group each); otherwise
 * on the full register.
 */
import type { Circuit, GeneratorRotation, RotationGenerator } from '../circuits/index.js';
import { rotationGeneratorCircuit } from '../circuits/index.js';
import {
  applySectorOperator,
  pauliStringsCommute,
  sectorOperator,
  type PauliSumData,
  type SectorSpace,
} from '../qubits/index.js';
import {
  createAdjointEvaluator,
  createSectorEvaluator,
  fullRegisterHamiltonian,
  type AdjointEvaluator,
} from './adjoint.js';
import { pauliMatrixElement, realInner } from './pauli-elements.js';
import { StateVector } from './statevector.js';
import {
  applySectorGroup,
  sectorGroupImagElement,
  sectorRotationGroup,
  type SectorCircuit,
  type SectorRotationGroup,
} from './sector.js';

/** The state space ADAPT works in: the (Nα, Nβ) sector when possible, else the full register. */
export interface GeneratorSpace {
  readonly sectorRestricted: boolean;
  /** Prepare ψ for the chosen operators and parameters, compute Hψ; returns the energy. */
  prepare(chosen: readonly number[], parameters: Float64Array): number;
  /** Im⟨Hψ|M_p|ψ⟩ for pool operator p at the prepared state. */
  poolGradient(p: number): number;
  /** An energy/gradient evaluator for the circuit of the chosen operators. */
  evaluator(chosen: readonly number[]): AdjointEvaluator;
}

function commutesWithAll(t: GeneratorRotation, terms: readonly GeneratorRotation[], from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (!pauliStringsCommute(t.x, t.z, terms[k].x, terms[k].z)) return false;
  return true;
}

/**
 * The exact space of an ADAPT run over `pool` from the basis state `referenceBits`: on the sector
 * when one is given, the reference lies in it and every pool operator keeps it, else on the full
 * register with a column-compressed H.
 */
export function createGeneratorSpace(
  hamiltonian: PauliSumData,
  pool: readonly RotationGenerator[],
  referenceBits: number,
  sector: SectorSpace | undefined,
): GeneratorSpace {
  const n = hamiltonian.nQubits;
  if (sector !== undefined && sector.position[referenceBits] >= 0) {
    // Each pool operator becomes its runs of consecutive same-X-mask rotations (one group each).
    const groups: SectorRotationGroup[][] = [];
    let ok = true;
    for (const g of pool) {
      const runs: SectorRotationGroup[] = [];
      let start = 0;
      for (let k = 1; k <= g.terms.length && ok; k++) {
        if (k < g.terms.length && g.terms[k].x === g.terms[start].x && commutesWithAll(g.terms[k], g.terms, start, k)) continue;
        const group = sectorRotationGroup(g.terms.slice(start, k), 0, sector);
        if (group === null) ok = false;
        else runs.push(group);
        start = k;
      }
      if (!ok || runs.length === 0) {
        ok = false;
        break;
      }
      groups.push(runs);
    }
    if (ok) {
      const h = sectorOperator(hamiltonian, sector);
      const dim = sector.states.length;
      const psiRe = new Float64Array(dim);
      const psiIm = new Float64Array(dim);
      const hRe = new Float64Array(dim);
      const hIm = new Float64Array(dim);
      const referenceIndex = sector.position[referenceBits];
      const circuitOf = (chosen: readonly number[]): SectorCircuit => ({
        referenceIndex,
        groups: chosen.flatMap((p, k) => groups[p].map((g) => ({ ...g, parameter: k }))),
      });
      return {
        sectorRestricted: true,
        prepare(chosen, parameters) {
          psiRe.fill(0);
          psiIm.fill(0);
          psiRe[referenceIndex] = 1;
          chosen.forEach((p, k) => {
            for (const g of groups[p]) applySectorGroup(g, parameters[k], psiRe, psiIm);
          });
          applySectorOperator(h, psiRe, psiIm, hRe, hIm);
          return realInner(psiRe, psiIm, hRe, hIm);
        },
        poolGradient(p) {
          // At θ = 0 the derivative of a product of groups is the sum of the group terms.
          let g = 0;
          for (const group of groups[p]) g += sectorGroupImagElement(group, hRe, hIm, psiRe, psiIm);
          return g;
        },
        evaluator(chosen) {
          return createSectorEvaluator(circuitOf(chosen), h, sector, chosen.length);
        },
      };
    }
  }
  const dim = 2 ** n;
  const hRe = new Float64Array(dim);
  const hIm = new Float64Array(dim);
  const applyH = fullRegisterHamiltonian(hamiltonian);
  let psi = new StateVector(n);
  const circuitOf = (chosen: readonly number[]): Circuit =>
    rotationGeneratorCircuit(
      chosen.map((p) => pool[p]),
      n,
      referenceBits,
    );
  return {
    sectorRestricted: false,
    prepare(chosen, parameters) {
      psi = createAdjointEvaluator(circuitOf(chosen), hamiltonian, { applyHamiltonian: applyH }).state(parameters);
      applyH(psi.re, psi.im, hRe, hIm);
      return realInner(psi.re, psi.im, hRe, hIm);
    },
    poolGradient(p) {
      let g = 0;
      for (const term of pool[p].terms) {
        g += term.factor * pauliMatrixElement(hRe, hIm, term.x, term.z, psi.re, psi.im)[1];
      }
      return g;
    },
    evaluator(chosen) {
      return createAdjointEvaluator(circuitOf(chosen), hamiltonian, { applyHamiltonian: applyH });
    },
  };
}
