/**
 * The lowest eigenvalue of a Hermitian Pauli sum by Lanczos, with full (twice-applied) Gram–Schmidt
 * reorthogonalisation and explicit restarts from the Ritz vector when the Krylov basis reaches its
 * memory-bounded size; converged when the true residual ‖Hv − λv‖ is below the tolerance. Sector
 * restriction by a basis-state mask (Lanczos runs on vectors compressed to the masked basis states,
 * i.e. on P·H·P) or by penalties μ(Ô − t)² added to the operator (for tapered operators, whose
 * sectors are not sets of basis states).
 *
 * Layout: vectors are (re, im) Float64Arrays of length 2^q (or of the masked sector), qubit 0 = least
 * significant bit.
 */
import { ConvergenceError, DEFAULT_SEED, InputError, Random, symmetricEigen } from '../core/index.js';
import { PauliSum } from './pauli-sum.js';
import { PreparedPauliOperator, checkStateVectors, effectiveCoefficients } from './pauli-action.js';
import { pauliSumExpectation } from './pauli-expectation.js';
import { maskSpace } from './sector-basis.js';
import { sectorOperator } from './sector-operator.js';

/** A penalty μ·(Ô − target)² added to the operator before the eigenvalue search. */
export interface EigenPenalty {
  /** A Hermitian operator commuting with the Hamiltonian (e.g. a mapped N̂ or Ŝz). */
  operator: PauliSum;
  /** The wanted eigenvalue of the operator. */
  target: number;
  /** μ in Hartree (default: the weight option, 5). */
  weight?: number;
}

/** Options of {@link lowestEigenvalue}. */
export interface LowestEigenvalueOptions {
  /** Convergence threshold on the residual norm ‖Hv − λv‖ (default 1e-7). */
  residualTolerance?: number;
  /** Most operator applications in total (default 2000). */
  maxIterations?: number;
  /** Seed of the random start vector (default {@link DEFAULT_SEED}). */
  seed?: number;
  /** Start from this basis state plus a small seeded random admixture (1e-2). */
  startBasisState?: number;
  /** Restrict to basis states i with mask[i] ≠ 0 (the operator must commute with this projector). */
  basisMask?: Uint8Array;
  /** Penalties μ(Ô − t)² that push other sectors up. */
  penalties?: EigenPenalty[];
  /** Default μ of the penalties in Hartree (default 5). */
  penaltyWeight?: number;
  /** Largest Krylov basis kept before a restart (default: memory-bounded, ≤ 120). */
  maxBasisSize?: number;
}

/** Result of {@link lowestEigenvalue}. */
export interface LowestEigenvalueResult {
  /** ⟨v|op|v⟩ of the converged eigenvector (the lowest eigenvalue in the chosen sector). */
  eigenvalue: number;
  /** Eigenvalue of the penalised operator (equals eigenvalue when the sector was reached). */
  penalizedEigenvalue: number;
  /** ⟨v|Σ penalties|v⟩, ≈ 0 when the eigenvector lies in the wanted sector. */
  penaltyExpectation: number;
  /** Normalised eigenvector. */
  vectorRe: Float64Array;
  vectorIm: Float64Array;
  /** Operator applications used. */
  iterations: number;
  /** Final residual norm ‖H_pen v − λ v‖. */
  residualNorm: number;
}

/** Build op + Σ μ_k (O_k − t_k)². */
function penalizedOperator(op: PauliSum, penalties: EigenPenalty[], defaultWeight: number): PauliSum {
  let total = op;
  for (const p of penalties) {
    const mu = p.weight ?? defaultWeight;
    const shifted = p.operator.subtract(PauliSum.identity(p.operator.nQubits, p.target));
    total = total.add(shifted.multiply(shifted).scale(mu));
  }
  return total.simplify(1e-14);
}

/**
 * Lowest eigenvalue of a Hermitian PauliSum on 2^q state vectors by Lanczos (see the module header),
 * optionally restricted to a sector by a basis mask or penalties. Verifies that the penalties vanish on
 * the result.
 * @throws InputError for a non-Hermitian operator or bad options.
 * @throws ConvergenceError when the residual tolerance is not reached within maxIterations, or when the
 *   eigenvector is not in the penalised sector (increase the penalty weight).
 */
export function lowestEigenvalue(op: PauliSum, options: LowestEigenvalueOptions = {}): LowestEigenvalueResult {
  const fullDim = checkStateVectors(op, []);
  if (!op.isHermitian(1e-10)) throw new InputError('lowestEigenvalue: the operator is not Hermitian');
  const tol = options.residualTolerance ?? 1e-7;
  const maxIter = options.maxIterations ?? 2000;
  const mask = options.basisMask;
  if (mask && mask.length !== fullDim) throw new InputError(`basis mask length ${mask.length} is not 2^${op.nQubits}`);
  const penalties = options.penalties ?? [];
  for (const p of penalties) {
    if (p.operator.nQubits !== op.nQubits) throw new InputError('penalty operator acts on a different number of qubits');
  }
  const hermitianOp = op.simplify(0).realPart();
  const target = penalties.length > 0 ? penalizedOperator(hermitianOp, penalties, options.penaltyWeight ?? 5) : hermitianOp;
  const coeffs = effectiveCoefficients(target);
  const real = coeffs.real;

  // Working space: the whole 2^q space, or only the basis states of the mask (compressed vectors).
  let sectorStates: Uint32Array | undefined;
  let sectorPosition: Int32Array | undefined;
  let matvec: (inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array) => void;
  if (mask) {
    const space = maskSpace(op.nQubits, mask);
    if (space.states.length === 0) throw new InputError('basis mask selects no state');
    // P·H·P: the projection drops whatever leaves the masked states.
    const sector = sectorOperator(target, space, { checkSector: false });
    sectorStates = space.states;
    sectorPosition = space.position;
    matvec = real ? (a, _b, c) => sector.applyReal(a, c) : (a, b, c, d) => sector.apply(a, b, c, d);
  } else {
    const prepared = new PreparedPauliOperator(target, coeffs, fullDim);
    matvec = (a, b, c, d) => prepared.apply(a, b, c, d);
  }
  const dim = sectorStates ? sectorStates.length : fullDim;
  const vecCount = real ? 1 : 2;
  const memoryBudgetDoubles = 24e6; // ~192 MB of Krylov vectors at most
  const mMax = Math.max(
    Math.min(8, dim),
    Math.min(options.maxBasisSize ?? 120, Math.floor(memoryBudgetDoubles / (vecCount * dim)), dim),
  );

  // Start vector (seeded), optionally dominated by one basis state.
  const rng = new Random(options.seed ?? DEFAULT_SEED);
  let startRe = new Float64Array(dim);
  let startIm = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    startRe[i] = rng.normal();
    if (!real) startIm[i] = rng.normal();
  }
  if (options.startBasisState !== undefined) {
    const b = options.startBasisState;
    if (!Number.isInteger(b) || b < 0 || b >= fullDim) throw new InputError(`start basis state ${b} is outside 0..${fullDim - 1}`);
    const position = sectorPosition ? sectorPosition[b] : b;
    if (position < 0) throw new InputError(`start basis state ${b} is not in the basis mask`);
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += startRe[i] * startRe[i] + startIm[i] * startIm[i];
    const s = 1e-2 / Math.sqrt(norm);
    for (let i = 0; i < dim; i++) {
      startRe[i] *= s;
      startIm[i] *= s;
    }
    startRe[position] += 1;
  }
  const expand = (v: Float64Array): Float64Array => {
    if (!sectorStates) return v;
    const full = new Float64Array(fullDim);
    for (let a = 0; a < sectorStates.length; a++) full[sectorStates[a]] = v[a];
    return full;
  };

  const dotRe = (aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < dim; i++) s += aRe[i] * bRe[i];
    if (!real) for (let i = 0; i < dim; i++) s += aIm[i] * bIm[i];
    return s;
  };
  const dotIm = (aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array): number => {
    if (real) return 0;
    let s = 0;
    for (let i = 0; i < dim; i++) s += aRe[i] * bIm[i] - aIm[i] * bRe[i];
    return s;
  };
  const normalize = (re: Float64Array, im: Float64Array): number => {
    const n = Math.sqrt(dotRe(re, im, re, im));
    if (n > 0) {
      const s = 1 / n;
      for (let i = 0; i < dim; i++) re[i] *= s;
      if (!real) for (let i = 0; i < dim; i++) im[i] *= s;
    }
    return n;
  };

  if (normalize(startRe, startIm) === 0) throw new InputError('start vector vanishes');

  const vRe: Float64Array[] = [];
  const vIm: Float64Array[] = [];
  const wRe = new Float64Array(dim);
  const wIm = new Float64Array(dim);
  const empty = new Float64Array(0);
  let iterations = 0;
  let lambda = Number.NaN;
  let residual = Number.POSITIVE_INFINITY;
  let lastLambda = Number.NaN;

  for (;;) {
    // One Lanczos cycle from the current start vector.
    vRe.length = 0;
    vIm.length = 0;
    vRe.push(startRe);
    vIm.push(real ? empty : startIm);
    const alpha: number[] = [];
    const beta: number[] = [];
    let ritzRe = startRe;
    let ritzIm = startIm;
    let cycleEnded = false;
    for (let m = 0; m < mMax; m++) {
      const curRe = vRe[m];
      const curIm = real ? wIm : vIm[m];
      matvec(curRe, curIm, wRe, wIm);
      iterations++;
      const a = dotRe(curRe, curIm, wRe, wIm);
      alpha.push(a);
      // Full reorthogonalisation, twice (classical Gram–Schmidt).
      for (let pass = 0; pass < 2; pass++) {
        for (let k = 0; k <= m; k++) {
          const kRe = vRe[k];
          const kIm = real ? wIm : vIm[k];
          const pr = dotRe(kRe, kIm, wRe, wIm);
          const pi = dotIm(kRe, kIm, wRe, wIm);
          for (let i = 0; i < dim; i++) wRe[i] -= pr * kRe[i];
          if (!real) {
            for (let i = 0; i < dim; i++) {
              wRe[i] += pi * kIm[i];
              wIm[i] -= pr * kIm[i] + pi * kRe[i];
            }
          }
        }
      }
      const b = Math.sqrt(dotRe(wRe, wIm, wRe, wIm));
      const size = m + 1;
      const checkNow = b < 1e-12 || size === mMax || size % 5 === 0 || iterations >= maxIter;
      if (checkNow) {
        const t = new Float64Array(size * size);
        for (let k = 0; k < size; k++) {
          t[k * size + k] = alpha[k];
          if (k + 1 < size) {
            t[k * size + k + 1] = beta[k];
            t[(k + 1) * size + k] = beta[k];
          }
        }
        const eig = symmetricEigen(t, size);
        lambda = eig.values[0];
        const yLast = eig.vectors[(size - 1) * size + 0];
        const estimate = Math.abs(b * yLast);
        if (estimate < tol * 0.1 || b < 1e-12 || size === mMax || iterations >= maxIter) {
          // Form the Ritz vector.
          ritzRe = new Float64Array(dim);
          ritzIm = real ? empty : new Float64Array(dim);
          for (let k = 0; k < size; k++) {
            const y = eig.vectors[k * size + 0];
            const kRe = vRe[k];
            for (let i = 0; i < dim; i++) ritzRe[i] += y * kRe[i];
            if (!real) {
              const kIm = vIm[k];
              for (let i = 0; i < dim; i++) ritzIm[i] += y * kIm[i];
            }
          }
          if (real) ritzIm = new Float64Array(dim);
          normalize(ritzRe, ritzIm);
          cycleEnded = true;
          break;
        }
      }
      beta.push(b);
      const nextRe = new Float64Array(dim);
      const nextIm = real ? empty : new Float64Array(dim);
      const s = 1 / b;
      for (let i = 0; i < dim; i++) nextRe[i] = wRe[i] * s;
      if (!real) for (let i = 0; i < dim; i++) nextIm[i] = wIm[i] * s;
      vRe.push(nextRe);
      vIm.push(nextIm);
    }
    if (!cycleEnded) throw new Error('Lanczos cycle ended without a Ritz vector');
    // True residual of the Ritz pair.
    const hRe = new Float64Array(dim);
    const hIm = new Float64Array(dim);
    const xIm = real ? new Float64Array(dim) : ritzIm;
    matvec(ritzRe, xIm, hRe, hIm);
    iterations++;
    const rq = dotRe(ritzRe, xIm, hRe, hIm);
    let r2 = 0;
    for (let i = 0; i < dim; i++) {
      const dr = hRe[i] - rq * ritzRe[i];
      r2 += dr * dr;
      if (!real) {
        const di = hIm[i] - rq * xIm[i];
        r2 += di * di;
      }
    }
    residual = Math.sqrt(r2);
    lambda = rq;
    // The Lanczos estimate only decides when to end a cycle; the true residual decides convergence.
    if (residual < tol) return finish(hermitianOp, penalties.length > 0, lambda, expand(ritzRe), expand(xIm), iterations, residual);
    if (iterations >= maxIter) {
      throw new ConvergenceError(
        `Lanczos did not converge in ${iterations} operator applications (residual ${residual.toExponential(2)} > ${tol})`,
        {
          lastEnergyHartree: lambda,
          lastEnergyChangeHartree: Number.isNaN(lastLambda) ? Number.NaN : lambda - lastLambda,
          iterations,
        },
      );
    }
    lastLambda = lambda;
    startRe = ritzRe;
    startIm = real ? new Float64Array(0) : ritzIm;
    if (real) startIm = new Float64Array(dim);
  }
}

function finish(
  op: PauliSum,
  penalized: boolean,
  penalizedEigenvalue: number,
  vRe: Float64Array,
  vIm: Float64Array,
  iterations: number,
  residualNorm: number,
): LowestEigenvalueResult {
  const eigenvalue = penalized ? pauliSumExpectation(op, vRe, vIm).re : penalizedEigenvalue;
  const penaltyExpectation = penalizedEigenvalue - eigenvalue;
  if (penalized && Math.abs(penaltyExpectation) > 1e-6) {
    throw new ConvergenceError(
      `the lowest eigenvector of the penalised operator is outside the wanted sector (penalty ⟨μ(Ô−t)²⟩ = ${penaltyExpectation.toExponential(3)}); increase the penalty weight`,
      { lastEnergyHartree: eigenvalue, iterations },
    );
  }
  return { eigenvalue, penalizedEigenvalue, penaltyExpectation, vectorRe: vRe, vectorIm: vIm, iterations, residualNorm };
}
