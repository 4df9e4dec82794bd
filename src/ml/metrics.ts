/**
 * Error metrics of predicted energies against reference energies (Hartree in, several units out),
 * and learning curves.
 */
import { HARTREE_IN_KCAL_PER_MOL, HARTREE_IN_MEV, InputError } from '../core/index.js';

/** Chemical accuracy, 1 kcal/mol ≈ 1.6 mHa. */
export const CHEMICAL_ACCURACY_HARTREE = 1.6e-3;

/** Mean absolute, root-mean-square and maximum absolute errors in several units. */
export interface ErrorMetrics {
  count: number;
  maeHartree: number;
  rmseHartree: number;
  maxHartree: number;
  maeMilliHartree: number;
  rmseMilliHartree: number;
  maxMilliHartree: number;
  maeKcalPerMol: number;
  rmseKcalPerMol: number;
  maxKcalPerMol: number;
  /** Errors divided by each structure's atom count, meV. */
  maeMeVPerAtom: number;
  rmseMeVPerAtom: number;
  maxMeVPerAtom: number;
  /** Fraction of structures with |error| ≤ 1.6 mHa. */
  fractionWithinChemicalAccuracy: number;
}

/** Metrics of `predicted` against `reference` (Hartree); `atoms[k]` is structure k's atom count. */
export function errorMetrics(predicted: ArrayLike<number>, reference: ArrayLike<number>, atoms: ArrayLike<number>): ErrorMetrics {
  const n = predicted.length;
  if (n === 0 || reference.length !== n || atoms.length !== n) throw new InputError('error metrics need equal, non-empty lists');
  let mae = 0;
  let mse = 0;
  let max = 0;
  let maeA = 0;
  let mseA = 0;
  let maxA = 0;
  let within = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.abs(predicted[k] - reference[k]);
    const ea = e / atoms[k];
    mae += e;
    mse += e * e;
    max = Math.max(max, e);
    maeA += ea;
    mseA += ea * ea;
    maxA = Math.max(maxA, ea);
    if (e <= CHEMICAL_ACCURACY_HARTREE) within++;
  }
  mae /= n;
  const rmse = Math.sqrt(mse / n);
  maeA /= n;
  const rmseA = Math.sqrt(mseA / n);
  return {
    count: n,
    maeHartree: mae,
    rmseHartree: rmse,
    maxHartree: max,
    maeMilliHartree: 1e3 * mae,
    rmseMilliHartree: 1e3 * rmse,
    maxMilliHartree: 1e3 * max,
    maeKcalPerMol: mae * HARTREE_IN_KCAL_PER_MOL,
    rmseKcalPerMol: rmse * HARTREE_IN_KCAL_PER_MOL,
    maxKcalPerMol: max * HARTREE_IN_KCAL_PER_MOL,
    maeMeVPerAtom: maeA * HARTREE_IN_MEV,
    rmseMeVPerAtom: rmseA * HARTREE_IN_MEV,
    maxMeVPerAtom: maxA * HARTREE_IN_MEV,
    fractionWithinChemicalAccuracy: within / n,
  };
}

/** One point of a learning curve. */
export interface LearningCurvePoint {
  trainingSize: number;
  metrics: ErrorMetrics;
}

/**
 * Train on the first `size` items of `training` for each size and evaluate on `test`:
 * `fit(items)` returns a predictor of a test item's energy, `reference(item)` its true energy.
 */
export function learningCurve<T>(
  training: readonly T[],
  test: readonly T[],
  sizes: readonly number[],
  fit: (items: readonly T[]) => (item: T) => number,
  reference: (item: T) => number,
  atoms: (item: T) => number,
): LearningCurvePoint[] {
  return sizes.map((size) => {
    const predict = fit(training.slice(0, size));
    return {
      trainingSize: Math.min(size, training.length),
      metrics: errorMetrics(test.map(predict), test.map(reference), test.map(atoms)),
    };
  });
}
