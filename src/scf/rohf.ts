/**
 * Restricted open-shell Hartree–Fock (ROHF): one set of spatial orbitals, the lowest nBeta doubly
 * occupied ("closed", c), the next nAlpha − nBeta singly occupied by α electrons ("open", o), the
 * rest virtual (v).
 *
 * Layout: as in ./types.ts (AO matrices nBasis×nBasis row-major; MO coefficients nBasis×m with
 * column k = MO k, m ≤ nBasis after dropping near-linear dependencies); X is the nBasis×m canonical
 * orthogonaliser. The α and β Fock matrices are the UHF ones of the ROHF densities,
 *   F^α = H + J[D^α + D^β] − K[D^α],   F^β = H + J[D^α + D^β] − K[D^β],
 * and the energy E = E_nuc + ½ Σ_μν [(D^α + D^β) H + D^α F^α + D^β F^β]_μν.
 *
 * Each iteration builds, in the MO basis of the current orbitals, the effective Fock matrix
 * (Fc = ½(F^α + F^β)):
 *             c       o       v
 *     c  |   Fc     F^β      Fc
 *     o  |   F^β    Fc      F^α
 *     v  |   Fc     F^α      Fc
 * whose c–o, c–v and o–v blocks vanish exactly at the ROHF stationary point, and diagonalises it
 * (after Pulay DIIS on its orthogonal-basis form) for the next orbitals. The diagonal blocks fix the
 * canonicalisation: these are the choices of Psi4, so orbital energies, and with them which orbitals
 * a frozen core or an active space selects, agree with Psi4's ROHF. The DIIS error is the
 * non-redundant part of the effective Fock matrix (c–o, c–v, o–v) in the orthogonal basis.
 */
import { ConvergenceError, InputError } from '../core/index.js';
import { canonicalOrthogonalizer, matMul, matMulNT, matMulTN, symmetricEigen } from '../core/index.js';
import type { Molecule } from '../chem/index.js';
import { electronCount, validateChargeAndMultiplicity } from '../chem/index.js';
import type { MolecularBasis } from '../basis/index.js';
import { coulombExchangeOf } from './engine.js';
import { Diis } from '../core/index.js';
import { attachIntegrals, buildOneElectronSystem, checkOptions, engineSettings, withElectronRepulsion } from './scf.js';
import type { ScfOptions, ScfResult } from './types.js';

/**
 * Restricted open-shell Hartree–Fock. nAlpha − nBeta = multiplicity − 1; a singlet gives the RHF
 * solution. Options as for runRhf (guessMix and followInstabilities do not apply and are ignored).
 * The result has `method: 'rohf'`, identical α and β coefficients and orbital energies (the
 * eigenvalues of the converged effective Fock matrix), and ⟨S²⟩ = S(S + 1).
 * @throws InputError for an impossible charge/multiplicity or bad options.
 * @throws ConvergenceError when not converged within `maxIterations`.
 */
export function runRohf(molecule: Molecule, basis: MolecularBasis, options: ScfOptions = {}): ScfResult {
  validateChargeAndMultiplicity(molecule);
  const nElectrons = electronCount(molecule);
  const unpaired = molecule.multiplicity - 1;
  const nAlpha = (nElectrons + unpaired) / 2;
  const nBeta = (nElectrons - unpaired) / 2;
  checkOptions(options);
  const oneElectron = buildOneElectronSystem(molecule, basis, options);
  const settings = engineSettings(molecule, basis, oneElectron, options, false, nAlpha, nBeta);
  const system = withElectronRepulsion(oneElectron);
  const n = system.nBasis;
  const nn = n * n;
  const S = system.overlap;
  const H = system.coreHamiltonian;
  const { x: X, nKept: m } = canonicalOrthogonalizer(S, n, settings.linearDependenceThreshold);
  if (nAlpha > m) throw new InputError(`${nAlpha} electrons of spin α do not fit into the ${m} orbitals of this basis`);

  const densityAlpha = new Float64Array(nn);
  const densityBeta = new Float64Array(nn);
  const previousAlpha = new Float64Array(nn);
  const previousBeta = new Float64Array(nn);
  const fockAlpha = new Float64Array(nn);
  const fockBeta = new Float64Array(nn);
  const J = new Float64Array(nn);
  const Ka = new Float64Array(nn);
  const Kb = new Float64Array(nn);
  const dTotal = new Float64Array(nn);

  /** F^α, F^β and the electronic energy of the current densities. */
  const buildFock = (): number => {
    for (let i = 0; i < nn; i++) dTotal[i] = densityAlpha[i] + densityBeta[i];
    coulombExchangeOf(system)(dTotal, densityAlpha, J, Ka, densityBeta, Kb);
    let e = 0;
    for (let i = 0; i < nn; i++) {
      fockAlpha[i] = H[i] + J[i] - Ka[i];
      fockBeta[i] = H[i] + J[i] - Kb[i];
      e += dTotal[i] * H[i] + densityAlpha[i] * fockAlpha[i] + densityBeta[i] * fockBeta[i];
    }
    return 0.5 * e;
  };

  // Orbitals in the orthogonal basis (m×m, column k = MO k) and in the AO basis (C = X·Ct).
  let ct: Float64Array = new Float64Array(m * m);
  let energies: Float64Array = new Float64Array(m);
  const diagonalize = (fPrime: Float64Array): void => {
    const { values, vectors } = symmetricEigen(fPrime, m);
    ct = vectors;
    energies = values;
  };
  const orbitalsAo = (): Float64Array => matMul(X, ct, n, m, m);

  // First orbitals: from the guess density's averaged Fock matrix, or from the guess Fock matrix.
  if (settings.guessDensityAlpha) {
    densityAlpha.set(settings.guessDensityAlpha);
    densityBeta.set(settings.guessDensityBeta ?? settings.guessDensityAlpha);
    buildFock();
    const average = new Float64Array(nn);
    for (let i = 0; i < nn; i++) average[i] = 0.5 * (fockAlpha[i] + fockBeta[i]);
    diagonalize(matMulTN(X, matMul(average, X, n, n, m), n, m, m));
  } else {
    const guess = settings.guessFock ?? H;
    diagonalize(matMulTN(X, matMul(guess, X, n, n, m), n, m, m));
  }

  const diis = settings.diisSize > 0 ? new Diis(settings.diisSize) : undefined;
  const effective = new Float64Array(m * m);
  const extrapolated = new Float64Array(m * m);
  let energy = Number.NaN;
  let energyChange = Number.NaN;
  let densityChange = Number.NaN;
  let converged = false;
  let iteration = 0;
  while (iteration < settings.maxIterations) {
    iteration++;
    const C = orbitalsAo();
    previousAlpha.set(densityAlpha);
    previousBeta.set(densityBeta);
    occupiedDensity(C, n, m, nAlpha, densityAlpha);
    occupiedDensity(C, n, m, nBeta, densityBeta);
    const newEnergy = buildFock() + system.nuclearRepulsionHartree;
    if (!Number.isFinite(newEnergy)) {
      throw new ConvergenceError(`ROHF energy became ${newEnergy} in iteration ${iteration}: the integrals or the guess contain non-finite values`, { iterations: iteration });
    }
    energyChange = newEnergy - energy;
    energy = newEnergy;
    let sumSq = 0;
    for (let i = 0; i < nn; i++) sumSq += (densityAlpha[i] - previousAlpha[i]) ** 2 + (densityBeta[i] - previousBeta[i]) ** 2;
    densityChange = Math.sqrt(sumSq / (2 * nn));
    const { fockOrthogonal, error, gradientMax } = effectiveFock(C, ct, fockAlpha, fockBeta, n, m, nAlpha, nBeta);
    effective.set(fockOrthogonal);
    settings.onIteration?.({
      iteration,
      energyHartree: energy,
      energyChangeHartree: energyChange,
      densityRmsChange: densityChange,
      orbitalGradientMax: gradientMax,
    });
    if (iteration > 1 && Math.abs(energyChange) < settings.energyConvergence && densityChange < settings.densityConvergence) {
      converged = true;
      break;
    }
    if (diis) {
      diis.push([effective], error);
      diis.extrapolate([extrapolated]);
      diagonalize(extrapolated);
    } else {
      diagonalize(effective);
    }
  }
  if (!converged) {
    throw new ConvergenceError(
      `ROHF did not converge in ${iteration} iterations (last energy change ${energyChange.toExponential(2)} Hartree, ` +
        `density RMS change ${densityChange.toExponential(2)}); raise maxIterations or try another guess`,
      { lastEnergyChangeHartree: energyChange, lastEnergyHartree: energy, iterations: iteration },
    );
  }
  // Canonical orbitals of the final (non-extrapolated) effective Fock matrix; their densities equal
  // the converged ones to within the thresholds.
  diagonalize(effective);
  const coefficients = orbitalsAo();
  occupiedDensity(coefficients, n, m, nAlpha, densityAlpha);
  occupiedDensity(coefficients, n, m, nBeta, densityBeta);
  const sz = 0.5 * (nAlpha - nBeta);
  const result = {
    method: 'rohf',
    energyHartree: energy,
    electronicEnergyHartree: energy - system.nuclearRepulsionHartree,
    nuclearRepulsionHartree: system.nuclearRepulsionHartree,
    converged: true,
    iterations: iteration,
    nBasis: n,
    nOrbitals: m,
    nElectrons,
    nAlpha,
    nBeta,
    orbitalEnergiesAlpha: energies,
    orbitalEnergiesBeta: energies,
    coefficientsAlpha: coefficients,
    coefficientsBeta: coefficients,
    densityAlpha,
    densityBeta,
    s2: sz * (sz + 1),
    overlap: S,
    coreHamiltonian: H,
    basis,
    molecule,
  } as ScfResult;
  return attachIntegrals(result, system, oneElectron);
}

/** D = Σ_{k<count} C_k C_kᵀ into `out` (C n×m, column k = orbital k). */
function occupiedDensity(C: Float64Array, n: number, m: number, count: number, out: Float64Array): void {
  for (let mu = 0; mu < n; mu++) {
    const rowMu = mu * m;
    for (let nu = 0; nu <= mu; nu++) {
      const rowNu = nu * m;
      let sum = 0;
      for (let k = 0; k < count; k++) sum += C[rowMu + k] * C[rowNu + k];
      out[mu * n + nu] = sum;
      out[nu * n + mu] = sum;
    }
  }
}

/**
 * The effective Fock matrix of the file header in the orthogonal basis (Ct·F_eff·Ctᵀ), the DIIS
 * error (its non-redundant blocks c–o, c–v, o–v, back-transformed the same way) and the largest
 * |element| of those blocks.
 */
function effectiveFock(
  C: Float64Array,
  ct: Float64Array,
  fockAlpha: Float64Array,
  fockBeta: Float64Array,
  n: number,
  m: number,
  nAlpha: number,
  nBeta: number,
): { fockOrthogonal: Float64Array; error: Float64Array; gradientMax: number } {
  const moAlpha = matMulTN(C, matMul(fockAlpha, C, n, n, m), n, m, m);
  const moBeta = matMulTN(C, matMul(fockBeta, C, n, n, m), n, m, m);
  const feff = new Float64Array(m * m);
  const gradient = new Float64Array(m * m);
  let gradientMax = 0;
  const block = (k: number): number => (k < nBeta ? 0 : k < nAlpha ? 1 : 2);
  for (let p = 0; p < m; p++) {
    const bp = block(p);
    for (let q = 0; q < m; q++) {
      const bq = block(q);
      const pq = p * m + q;
      let value: number;
      if ((bp === 0 && bq === 1) || (bp === 1 && bq === 0)) value = moBeta[pq];
      else if ((bp === 1 && bq === 2) || (bp === 2 && bq === 1)) value = moAlpha[pq];
      else value = 0.5 * (moAlpha[pq] + moBeta[pq]);
      feff[pq] = value;
      if (bp < bq) {
        gradient[pq] = value;
        gradientMax = Math.max(gradientMax, Math.abs(value));
      }
    }
  }
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < p; q++) {
      const v = 0.5 * (feff[p * m + q] + feff[q * m + p]);
      feff[p * m + q] = v;
      feff[q * m + p] = v;
    }
  }
  const fockOrthogonal = matMulNT(matMul(ct, feff, m, m, m), ct, m, m, m);
  const error = matMulNT(matMul(ct, gradient, m, m, m), ct, m, m, m);
  return { fockOrthogonal, error, gradientMax };
}
