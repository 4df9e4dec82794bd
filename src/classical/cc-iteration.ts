/**
 * Pieces of the coupled-cluster amplitude iteration shared by the spin-adapted (ccsd.ts) and the
 * spin-orbital (so-ccsd.ts) solvers. Amplitudes are one flat vector [t1 | t2] (so DIIS sees one
 * vector); t1 is o×v row-major, t2 follows with its own layout. The Jacobi step is
 *   t_new = RHS / D,   residual = D·(t_new − t),
 * with D_ia and D_ijab the diagonal-Fock denominators.
 */
import { ConvergenceError } from '../core/index.js';
import type { Diis } from '../core/index.js';
import { symmetricEigen } from '../core/index.js';

/**
 * One Jacobi step: `updated` holds the right-hand sides [RHS1 | RHS2] on entry and the new
 * amplitudes on return, which are also copied into `amplitudes` (then DIIS-extrapolated when
 * `diis` is given); `change` receives t_new − t (the DIIS error). Returns the residual 2-norm.
 */
export function jacobiStep(
  amplitudes: Float64Array,
  updated: Float64Array,
  d1: Float64Array,
  d2: Float64Array,
  change: Float64Array,
  diis: Diis | undefined,
): number {
  const residualSq = jacobiUpdate(amplitudes, updated, d1, d2, change);
  amplitudes.set(updated);
  if (diis) {
    diis.push([amplitudes], change);
    diis.extrapolate([amplitudes]);
  }
  return Math.sqrt(residualSq);
}

/**
 * The element loop of {@link jacobiStep}, returning the squared residual norm. A function of its
 * own so that it is compiled whole: compiled inside jacobiStep while DIIS was still off, the loop's
 * code was thrown away at every later step when it reached the DIIS calls.
 */
function jacobiUpdate(amplitudes: Float64Array, updated: Float64Array, d1: Float64Array, d2: Float64Array, change: Float64Array): number {
  const nT1 = d1.length;
  let residualSq = 0;
  for (let x = 0; x < updated.length; x++) {
    const d = x < nT1 ? d1[x] : d2[x - nT1];
    const tNew = updated[x] / d;
    const delta = tNew - amplitudes[x];
    updated[x] = tNew;
    change[x] = delta;
    residualSq += (delta * d) ** 2;
  }
  return residualSq;
}

/** Throw ConvergenceError when the energy or residual is not finite or the residual has exploded. */
export function checkDivergence(
  method: string,
  iteration: number,
  residualNorm: number,
  firstResidual: number,
  energy: number,
  lastChange: number,
  referenceEnergyHartree: number,
): void {
  if (!Number.isFinite(energy) || !Number.isFinite(residualNorm) || residualNorm > 1e3 * Math.max(1, firstResidual)) {
    throw new ConvergenceError(
      `${method} diverged at iteration ${iteration} (residual norm ${residualNorm.toExponential(2)}, correlation energy ${energy}); ` +
        'the reference is probably strongly multi-configurational or the orbitals nearly degenerate',
      { lastEnergyChangeHartree: lastChange, lastEnergyHartree: referenceEnergyHartree + energy, iterations: iteration },
    );
  }
}

/** The error for amplitudes that did not converge within `maxIterations`. */
export function notConvergedError(
  method: string,
  maxIterations: number,
  lastChange: number,
  residualNorm: number,
  energyTolerance: number,
  residualTolerance: number,
  lastEnergyHartree: number,
): ConvergenceError {
  return new ConvergenceError(
    `${method} did not converge in ${maxIterations} iterations (last energy change ${lastChange.toExponential(2)} Hartree, ` +
      `residual norm ${residualNorm.toExponential(2)}; thresholds ${energyTolerance.toExponential(0)} and ${residualTolerance.toExponential(0)})`,
    { lastEnergyChangeHartree: lastChange, lastEnergyHartree, iterations: maxIterations },
  );
}

/**
 * Diagnostics of converged amplitudes: T1 = √(Σ t1² / (2o)) (Lee and Taylor for spatial closed-shell
 * t1 over o occupied orbitals; for spin-orbital t1 over o occupied spin orbitals the same formula
 * gives the same value on a closed shell, as there Σ_so t² = 2 Σ_spatial t² and o doubles), D1 = the
 * largest singular value of t1 (Janssen and Nielsen), and the largest |t2|.
 */
export function amplitudeDiagnostics(
  t1: Float64Array,
  t2: Float64Array,
  o: number,
  v: number,
): { t1Diagnostic: number; d1Diagnostic: number; largestT2: number } {
  let t1Sq = 0;
  for (let x = 0; x < t1.length; x++) t1Sq += t1[x] * t1[x];
  let largestT2 = 0;
  for (let x = 0; x < t2.length; x++) largestT2 = Math.max(largestT2, Math.abs(t2[x]));
  return { t1Diagnostic: o > 0 ? Math.sqrt(t1Sq / (2 * o)) : 0, d1Diagnostic: d1Diagnostic(t1, o, v), largestT2 };
}

/** Largest singular value of t1 (o×v): √(largest eigenvalue of t1·t1ᵀ). */
function d1Diagnostic(t1: Float64Array, o: number, v: number): number {
  if (o === 0 || v === 0) return 0;
  const tt = new Float64Array(o * o);
  for (let i = 0; i < o; i++)
    for (let j = 0; j < o; j++) {
      let s = 0;
      for (let a = 0; a < v; a++) s += t1[i * v + a] * t1[j * v + a];
      tt[i * o + j] = s;
    }
  return Math.sqrt(Math.max(0, symmetricEigen(tt, o).values[o - 1]));
}
