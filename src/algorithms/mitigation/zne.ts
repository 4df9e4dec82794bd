/**
 * Zero-noise extrapolation (ZNE) by unitary gate folding.
 *
 * Folding raises the noise of a circuit without changing its ideal unitary (G G† G = G). For an
 * odd integer scale factor λ = 2k + 1:
 * - 'global': U → U (U† U)^k — every gate, hence every noise source, is repeated λ times;
 * - 'local': every gate G → G (G† G)^k;
 * - 'local-two-qubit': only gates on two or more qubits are folded (CNOT, CZ, MS, ZZ and
 *   multi-qubit Pauli rotations), which scales the dominant two-qubit error of trapped-ion and
 *   superconducting devices while leaving one-qubit error unscaled (it is then not extrapolated away).
 * The folded circuit must reach the device as is: a compiler that cancels G G† pairs undoes it
 * (qde's noisy simulator does not).
 *
 * Extrapolation to λ = 0 from estimates E_i ± σ_i at scales λ_i; every method is linear in the
 * E_i or linearised (delta method), so value = f(E) and its standard error is √(Σ_i (∂f/∂E_i)² σ_i²):
 * - 'linear': weighted least squares E = a + bλ (weights 1/σ_i², equal weights when some σ_i = 0);
 *   value a = Σ γ_i E_i with γ the first row of (XᵀWX)⁻¹XᵀW;
 * - 'richardson': the polynomial of degree m − 1 through all m points, value Σ γ_i E_i with
 *   γ_i = Π_{j≠i} λ_j/(λ_j − λ_i) (exact when the noise is a polynomial of degree < m in λ; the |γ_i|
 *   amplify the points' errors, e.g. 1,3,5 → γ = (15/8, −5/4, 3/8));
 * - 'exponential': E(λ) = E∞ + B e^{−cλ} with the asymptote E∞ known (the value of the fully
 *   depolarised state: the observable's identity term); a weighted fit of ln|E_i − E∞| linear in λ
 *   gives value E∞ + B. When the E_i − E∞ do not share one sign it falls back to 'linear'.
 */
import { InputError } from '../../core/index.js';
import { inverseGate, type Circuit, type Gate } from '../../circuits/index.js';

/** How a circuit is folded. */
export type FoldingMethod = 'global' | 'local' | 'local-two-qubit';

/** How estimates are extrapolated to zero noise. */
export type ExtrapolationMethod = 'linear' | 'richardson' | 'exponential';

/** Check a scale factor: an odd positive integer. */
function foldCount(scale: number): number {
  if (!Number.isInteger(scale) || scale < 1 || scale % 2 !== 1) {
    throw new InputError(`zero-noise extrapolation: scale factors must be odd positive integers (1, 3, 5, …), got ${scale}`);
  }
  return (scale - 1) / 2;
}

/** The circuit folded to noise scale `scale` (see the module header). */
export function foldCircuit(circuit: Circuit, scale: number, method: FoldingMethod = 'global'): Circuit {
  const k = foldCount(scale);
  if (k === 0) return circuit;
  const gates: Gate[] = [];
  if (method === 'global') {
    const inverse = circuit.gates.map(inverseGate).reverse();
    gates.push(...circuit.gates);
    for (let f = 0; f < k; f++) gates.push(...inverse, ...circuit.gates);
  } else if (method === 'local' || method === 'local-two-qubit') {
    for (const g of circuit.gates) {
      gates.push(g);
      if (method === 'local-two-qubit' && g.qubits.length < 2) continue;
      const inv = inverseGate(g);
      for (let f = 0; f < k; f++) gates.push(inv, g);
    }
  } else {
    throw new InputError(`zero-noise extrapolation: unknown folding '${String(method)}' (use global, local or local-two-qubit)`);
  }
  return { nQubits: circuit.nQubits, nParameters: circuit.nParameters, gates };
}

/** An extrapolated value with its standard error and its sensitivities ∂value/∂E_i. */
export interface Extrapolated {
  value: number;
  standardError: number;
  coefficients: number[];
  /** The method actually used (exponential may fall back to linear). */
  method: ExtrapolationMethod;
}

function propagate(coefficients: number[], errors: readonly number[]): number {
  let v = 0;
  for (let i = 0; i < coefficients.length; i++) v += coefficients[i] * coefficients[i] * errors[i] * errors[i];
  return Math.sqrt(v);
}

/** Intercept coefficients γ of a weighted straight-line fit y = a + bx (a = Σ γ_i y_i). */
function interceptCoefficients(x: readonly number[], weights: readonly number[]): number[] {
  let sw = 0;
  let sx = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sw += weights[i];
    sx += weights[i] * x[i];
    sxx += weights[i] * x[i] * x[i];
  }
  const det = sw * sxx - sx * sx;
  if (!(Math.abs(det) > 0)) throw new InputError('zero-noise extrapolation: a line fit needs two distinct scale factors');
  return x.map((xi, i) => (weights[i] * (sxx - sx * xi)) / det);
}

function fitWeights(errors: readonly number[]): number[] {
  return errors.every((e) => e > 0) ? errors.map((e) => 1 / (e * e)) : errors.map(() => 1);
}

/** Richardson coefficients γ_i = Π_{j≠i} λ_j/(λ_j − λ_i). */
export function richardsonCoefficients(scales: readonly number[]): number[] {
  return scales.map((li, i) => {
    let g = 1;
    for (let j = 0; j < scales.length; j++) if (j !== i) g *= scales[j] / (scales[j] - li);
    return g;
  });
}

/**
 * Extrapolate estimates `values` ± `errors` at noise scales `scales` to zero noise.
 * @param asymptote E∞ of 'exponential' (default 0).
 */
export function extrapolateToZero(
  scales: readonly number[],
  values: readonly number[],
  errors: readonly number[],
  method: ExtrapolationMethod,
  asymptote = 0,
): Extrapolated {
  const m = scales.length;
  if (m < 2 || values.length !== m || errors.length !== m) {
    throw new InputError(`zero-noise extrapolation: needs at least two scale factors with one estimate each, got ${m}`);
  }
  if (new Set(scales).size !== m) throw new InputError('zero-noise extrapolation: scale factors must be distinct');
  const linear = (): Extrapolated => {
    const coefficients = interceptCoefficients(scales, fitWeights(errors));
    let value = 0;
    for (let i = 0; i < m; i++) value += coefficients[i] * values[i];
    return { value, standardError: propagate(coefficients, errors), coefficients, method: 'linear' };
  };
  switch (method) {
    case 'linear':
      return linear();
    case 'richardson': {
      const coefficients = richardsonCoefficients(scales);
      let value = 0;
      for (let i = 0; i < m; i++) value += coefficients[i] * values[i];
      return { value, standardError: propagate(coefficients, errors), coefficients, method };
    }
    case 'exponential': {
      const d = values.map((v) => v - asymptote);
      const sign = Math.sign(d[0]);
      if (sign === 0 || d.some((x) => Math.sign(x) !== sign)) return linear();
      const y = d.map((x) => Math.log(sign * x));
      // σ(ln|d|) = σ/|d|.
      const logErrors = errors.map((e, i) => e / Math.abs(d[i]));
      const gamma = interceptCoefficients(scales, fitWeights(logErrors));
      let a = 0;
      for (let i = 0; i < m; i++) a += gamma[i] * y[i];
      const b = sign * Math.exp(a);
      const coefficients = gamma.map((g, i) => (b * g) / d[i]);
      return { value: asymptote + b, standardError: propagate(coefficients, errors), coefficients, method };
    }
    default:
      throw new InputError(`zero-noise extrapolation: unknown extrapolation '${String(method)}' (use linear, richardson or exponential)`);
  }
}
