/**
 * The self-consistent-field iteration shared by RHF, UHF and the atomic runs of the SAD guess.
 *
 * Layout: AO matrices nBasis×nBasis row-major; X is the nBasis×m canonical orthogonaliser
 * (XᵀSX = 1, m ≤ nBasis after dropping near-linear dependencies); MO coefficients C = X C'
 * are nBasis×m with column k = MO k. Densities are per spin, D^σ = Σ_k n^σ_k C_k C_kᵀ.
 *
 * Fock matrices:  F^α = H + J[D^α + D^β] − K[D^α],  F^β = H + J[D^α + D^β] − K[D^β]
 * (restricted: D^α = D^β = D, F = H + 2J[D] − K[D]).
 * Energy:         E = E_nuc + ½ Σ_μν [(D^α + D^β) H + D^α F^α + D^β F^β]_μν.
 *
 * Each iteration: diagonalise the (DIIS-extrapolated) Fock matrix in the orthogonal basis, occupy
 * by aufbau, build the new density, its Fock matrix and energy, and the orbital gradient
 * Xᵀ(FDS − SDF)X used as the DIIS error. Converged when both the energy change and the RMS
 * density change are below their thresholds; the returned orbitals then diagonalise the
 * (non-extrapolated) Fock matrix of the final density.
 */
import { ConvergenceError, InputError } from '../core/index.js';
import { canonicalOrthogonalizer, gemmBlocked, matMulInto, matMulTNInto, symmetricEigenInto } from '../core/index.js';
import type { PackedEri } from '../integrals/index.js';
import { buildCoulombExchange } from './jk.js';
import { Diis } from '../core/index.js';
import type { ScfIterationInfo } from './types.js';

/**
 * J[dJ] into j, K[dK] into k and, when given, K[dK2] into k2 (all n×n, overwritten); the signature
 * of {@link buildCoulombExchange} without its integrals.
 */
export type CoulombExchangeBuilder = (
  dJ: Float64Array,
  dK: Float64Array,
  j: Float64Array,
  k: Float64Array,
  dK2?: Float64Array,
  k2?: Float64Array,
) => void;

/** AO integrals defining one SCF problem. */
export interface ScfSystem {
  nBasis: number;
  overlap: Float64Array;
  coreHamiltonian: Float64Array;
  /**
   * Exact electron-repulsion integrals. With density fitting or direct SCF this is computed only
   * when read (by correlated methods or the stability analysis).
   */
  eri: PackedEri;
  /**
   * How J and K are built (density-fitted or direct); when absent, from `eri` by
   * {@link buildCoulombExchange}.
   */
  coulombExchange?: CoulombExchangeBuilder;
  nuclearRepulsionHartree: number;
}

/** The J/K builder of a system: its own, or the exact one over its packed integrals. */
export function coulombExchangeOf(system: ScfSystem): CoulombExchangeBuilder {
  if (system.coulombExchange) return system.coulombExchange;
  return (dJ, dK, j, k, dK2, k2) => buildCoulombExchange(system.eri, dJ, dK, j, k, dK2, k2);
}

/** Settings of {@link solveScf}. */
export interface ScfEngineSettings {
  restricted: boolean;
  /** Electrons per spin; in `fractional` mode they may be non-integer (restricted only). */
  nAlpha: number;
  nBeta: number;
  /**
   * Spherically averaged occupations: orbitals with (near-)equal energies share their electrons
   * equally (used for atoms in the SAD guess).
   */
  fractional?: boolean;
  energyConvergence: number;
  densityConvergence: number;
  maxIterations: number;
  diisSize: number;
  linearDependenceThreshold: number;
  /** Initial per-spin densities; when absent `guessFock` is diagonalised first. */
  guessDensityAlpha?: Float64Array;
  guessDensityBeta?: Float64Array;
  /** Initial Fock-like matrix (core Hamiltonian or GWH) used when no density is given. */
  guessFock?: Float64Array;
  /** Rotate HOMO/LUMO pairs after the first diagonalisation (α by +45°, β by −45°). */
  guessMix?: boolean;
  /** Throw ConvergenceError when not converged (default true). */
  throwOnFailure?: boolean;
  onIteration?: (info: ScfIterationInfo) => void;
}

/**
 * The settings with every field present, in one order. Callers build their settings through this
 * (RHF/UHF, the atoms of the SAD guess, the restarts after an instability), so solveScf sees one
 * object shape whoever calls it: a caller with other optional fields (the guess of a new element
 * late in a campaign) no longer discards solveScf's optimised code ("wrong map") and recompiles it.
 */
export function scfEngineSettings(s: ScfEngineSettings): ScfEngineSettings {
  return {
    restricted: s.restricted,
    nAlpha: s.nAlpha,
    nBeta: s.nBeta,
    fractional: s.fractional ?? false,
    energyConvergence: s.energyConvergence,
    densityConvergence: s.densityConvergence,
    maxIterations: s.maxIterations,
    diisSize: s.diisSize,
    linearDependenceThreshold: s.linearDependenceThreshold,
    guessDensityAlpha: s.guessDensityAlpha,
    guessDensityBeta: s.guessDensityBeta,
    guessFock: s.guessFock,
    guessMix: s.guessMix ?? false,
    throwOnFailure: s.throwOnFailure ?? true,
    onIteration: s.onIteration,
  };
}

/** An {@link ScfSystem} with its integrals at hand, in the one object shape solveScf sees (see {@link scfEngineSettings}). */
export function scfSystem(
  nBasis: number,
  overlap: Float64Array,
  coreHamiltonian: Float64Array,
  eri: PackedEri,
  nuclearRepulsionHartree: number,
  coulombExchange?: CoulombExchangeBuilder,
): ScfSystem {
  return { nBasis, overlap, coreHamiltonian, eri, coulombExchange, nuclearRepulsionHartree };
}

/** Raw outcome of {@link solveScf}. */
export interface ScfEngineResult {
  converged: boolean;
  iterations: number;
  energyHartree: number;
  electronicEnergyHartree: number;
  nOrbitals: number;
  orbitalEnergiesAlpha: Float64Array;
  orbitalEnergiesBeta: Float64Array;
  coefficientsAlpha: Float64Array;
  coefficientsBeta: Float64Array;
  densityAlpha: Float64Array;
  densityBeta: Float64Array;
}

/** Run the SCF iteration; see the file header for the equations. */
export function solveScf(system: ScfSystem, settings: ScfEngineSettings): ScfEngineResult {
  const n = system.nBasis;
  const nn = n * n;
  const S = system.overlap;
  const H = system.coreHamiltonian;
  const restricted = settings.restricted;
  const { x: X, nKept: m } = canonicalOrthogonalizer(S, n, settings.linearDependenceThreshold);
  if (Math.ceil(Math.max(settings.nAlpha, settings.nBeta)) > m) {
    throw new InputError(
      `${Math.max(settings.nAlpha, settings.nBeta)} electrons of one spin do not fit into the ${m} orbitals of this basis`,
    );
  }

  const focks = [new Float64Array(nn), new Float64Array(nn)];
  const extrapolated = [new Float64Array(nn), new Float64Array(nn)];
  const densities = [new Float64Array(nn), new Float64Array(nn)];
  const previous = [new Float64Array(nn), new Float64Array(nn)];
  const J = new Float64Array(nn);
  const K = [new Float64Array(nn), new Float64Array(nn)];
  const dTotal = new Float64Array(nn);
  const nSpins = restricted ? 1 : 2;
  const coulombExchange = coulombExchangeOf(system);

  /** Fock matrices and energy of the current densities. */
  const buildFock = (): number => {
    if (restricted) {
      const D = densities[0];
      for (let i = 0; i < nn; i++) dTotal[i] = 2 * D[i];
      coulombExchange(dTotal, D, J, K[0]);
      const F = focks[0];
      let e = 0;
      for (let i = 0; i < nn; i++) {
        F[i] = H[i] + J[i] - K[0][i];
        e += D[i] * (H[i] + F[i]);
      }
      return e;
    }
    const [Da, Db] = densities;
    for (let i = 0; i < nn; i++) dTotal[i] = Da[i] + Db[i];
    coulombExchange(dTotal, Da, J, K[0], Db, K[1]);
    const [Fa, Fb] = focks;
    let e = 0;
    for (let i = 0; i < nn; i++) {
      Fa[i] = H[i] + J[i] - K[0][i];
      Fb[i] = H[i] + J[i] - K[1][i];
      e += dTotal[i] * H[i] + Da[i] * Fa[i] + Db[i] * Fb[i];
    }
    return 0.5 * e;
  };

  const coefficients: Float64Array[] = [new Float64Array(n * m), new Float64Array(n * m)];
  const energies: Float64Array[] = [new Float64Array(m), new Float64Array(m)];
  // work matrices of the iterations, allocated once (see multiplyInto)
  const work: GradientWork = { ds: new Float64Array(nn), fds: new Float64Array(nn), fdsX: new Float64Array(n * m), e: new Float64Array(m * m) };
  const fX = new Float64Array(n * m);
  const fPrime = new Float64Array(m * m);
  const fPrimeVectors = new Float64Array(m * m);
  /** Diagonalise F (AO) in the orthogonal basis into coefficients[spin] / energies[spin]. */
  const diagonalize = (F: Float64Array, spin: number): void => {
    multiplyTNInto(fPrime, X, multiplyInto(fX, F, X, n, n, m), n, m, m);
    symmetricEigenInto(fPrime, m, energies[spin], fPrimeVectors);
    multiplyInto(coefficients[spin], X, fPrimeVectors, n, m, m);
  };
  const occupations = (spin: number): Float64Array => {
    const count = spin === 0 ? settings.nAlpha : settings.nBeta;
    return settings.fractional ? averagedOccupations(energies[spin], count) : aufbauOccupations(m, count);
  };

  // Initial densities.
  if (settings.guessDensityAlpha) {
    densities[0].set(settings.guessDensityAlpha);
    densities[1].set(settings.guessDensityBeta ?? settings.guessDensityAlpha);
    buildFock();
    for (let s = 0; s < nSpins; s++) extrapolated[s].set(focks[s]);
  } else {
    const guess = settings.guessFock ?? H;
    for (let s = 0; s < nSpins; s++) extrapolated[s].set(guess);
  }

  const diis = settings.diisSize > 0 ? new Diis(settings.diisSize) : undefined;
  const errorVector = new Float64Array(nSpins * m * m);
  let energy = Number.NaN;
  let energyChange = Number.NaN;
  let densityChange = Number.NaN;
  let converged = false;
  let iteration = 0;
  while (iteration < settings.maxIterations) {
    iteration++;
    for (let s = 0; s < nSpins; s++) {
      diagonalize(extrapolated[s], s);
      if (iteration === 1 && settings.guessMix && !restricted) {
        const homo = s === 0 ? settings.nAlpha - 1 : settings.nBeta - 1;
        mixPair(coefficients[s], n, m, homo, s === 0 ? 1 : -1);
      }
      previous[s].set(densities[s]);
      buildDensity(coefficients[s], occupations(s), n, m, densities[s]);
    }
    if (restricted) densities[1].set(densities[0]);
    const electronic = buildFock();
    const newEnergy = electronic + system.nuclearRepulsionHartree;
    if (!Number.isFinite(newEnergy)) {
      throw new ConvergenceError(`SCF energy became ${newEnergy} in iteration ${iteration}: the integrals or the guess contain non-finite values`, { iterations: iteration });
    }
    energyChange = newEnergy - energy;
    energy = newEnergy;
    let sumSq = 0;
    for (let s = 0; s < nSpins; s++) {
      const D = densities[s];
      const P = previous[s];
      for (let i = 0; i < nn; i++) sumSq += (D[i] - P[i]) ** 2;
    }
    densityChange = Math.sqrt(sumSq / (nSpins * nn));
    let gradientMax = 0;
    for (let s = 0; s < nSpins; s++) {
      gradientMax = Math.max(gradientMax, orbitalGradient(focks[s], densities[s], S, X, n, m, errorVector, s * m * m, work));
    }
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
      diis.push(focks.slice(0, nSpins), errorVector);
      diis.extrapolate(extrapolated.slice(0, nSpins));
    } else {
      for (let s = 0; s < nSpins; s++) extrapolated[s].set(focks[s]);
    }
  }

  if (!converged && settings.throwOnFailure !== false) {
    throw new ConvergenceError(
      `SCF did not converge in ${iteration} iterations (last energy change ${energyChange.toExponential(2)} Hartree, ` +
        `density RMS change ${densityChange.toExponential(2)}); raise maxIterations or try another guess`,
      { lastEnergyChangeHartree: energyChange, lastEnergyHartree: energy, iterations: iteration },
    );
  }
  // Canonical orbitals of the final Fock matrix; their density equals the converged one to within
  // the thresholds, so the energy changes only to second order.
  for (let s = 0; s < nSpins; s++) {
    diagonalize(focks[s], s);
    buildDensity(coefficients[s], occupations(s), n, m, densities[s]);
  }
  if (restricted) {
    coefficients[1] = coefficients[0];
    energies[1] = energies[0];
    densities[1] = densities[0];
  }
  return {
    converged,
    iterations: iteration,
    energyHartree: energy,
    electronicEnergyHartree: energy - system.nuclearRepulsionHartree,
    nOrbitals: m,
    orbitalEnergiesAlpha: energies[0],
    orbitalEnergiesBeta: energies[1],
    coefficientsAlpha: coefficients[0],
    coefficientsBeta: coefficients[1],
    densityAlpha: densities[0],
    densityBeta: densities[1],
  };
}

/** Occupation 1 for the lowest `count` orbitals. */
function aufbauOccupations(m: number, count: number): Float64Array {
  const occ = new Float64Array(m);
  for (let k = 0; k < Math.min(count, m); k++) occ[k] = 1;
  return occ;
}

/**
 * Spherically averaged occupations: walk up the (ascending) orbital energies in groups of
 * degenerate orbitals and spread the remaining electrons evenly within the group.
 */
export function averagedOccupations(energies: Float64Array, count: number): Float64Array {
  const m = energies.length;
  const occ = new Float64Array(m);
  let remaining = count;
  let k = 0;
  while (k < m && remaining > 1e-12) {
    let end = k + 1;
    while (end < m && Math.abs(energies[end] - energies[k]) < 1e-4 * Math.max(1, Math.abs(energies[k]))) end++;
    const size = end - k;
    const each = Math.min(1, remaining / size);
    for (let i = k; i < end; i++) occ[i] = each;
    remaining -= each * size;
    k = end;
  }
  return occ;
}

/** D = Σ_k occ_k C_k C_kᵀ (C n×m, column k = orbital k). */
function buildDensity(C: Float64Array, occ: Float64Array, n: number, m: number, D: Float64Array): void {
  let nOcc = 0;
  for (let k = 0; k < m; k++) if (occ[k] !== 0) nOcc = k + 1;
  for (let mu = 0; mu < n; mu++) {
    const rowMu = mu * m;
    for (let nu = 0; nu <= mu; nu++) {
      const rowNu = nu * m;
      let sum = 0;
      for (let k = 0; k < nOcc; k++) sum += occ[k] * C[rowMu + k] * C[rowNu + k];
      D[mu * n + nu] = sum;
      D[nu * n + mu] = sum;
    }
  }
}

/** Rotate columns homo and homo+1 of C by ±45° (sign = +1 or −1). */
function mixPair(C: Float64Array, n: number, m: number, homo: number, sign: number): void {
  const lumo = homo + 1;
  if (homo < 0 || lumo >= m) return;
  const c = Math.SQRT1_2;
  const s = sign * Math.SQRT1_2;
  for (let mu = 0; mu < n; mu++) {
    const a = C[mu * m + homo];
    const b = C[mu * m + lumo];
    C[mu * m + homo] = c * a + s * b;
    C[mu * m + lumo] = -s * a + c * b;
  }
}

/** Below this matrix dimension the plain loops beat the blocked GEMM (packing costs more than it saves). */
const BLOCKED_MIN_DIMENSION = 48;

/** C = A·B (A m×k, B k×n, row-major) written into c; the blocked, threaded GEMM for SCF-sized matrices. */
function multiplyInto(c: Float64Array, a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  if (Math.min(m, k, n) < BLOCKED_MIN_DIMENSION) return matMulInto(c, a, b, m, k, n);
  c.fill(0);
  gemmBlocked(false, false, m, n, k, 1, a, b, c);
  return c;
}

/** C = Aᵀ·B (A k×m, B k×n, row-major) written into the m×n matrix c; see {@link multiplyInto}. */
function multiplyTNInto(c: Float64Array, a: Float64Array, b: Float64Array, k: number, m: number, n: number): Float64Array {
  if (Math.min(m, k, n) < BLOCKED_MIN_DIMENSION) return matMulTNInto(c, a, b, k, m, n);
  c.fill(0);
  gemmBlocked(true, false, m, n, k, 1, a, b, c);
  return c;
}

/** Work matrices of {@link orbitalGradient}: DS and FDS (n×n), FDS·X (n×m), the gradient (m×m). */
interface GradientWork {
  ds: Float64Array;
  fds: Float64Array;
  fdsX: Float64Array;
  e: Float64Array;
}

/**
 * Orbital gradient Xᵀ(FDS − SDF)X written into out[offset …], returning its largest |element|.
 */
function orbitalGradient(
  F: Float64Array,
  D: Float64Array,
  S: Float64Array,
  X: Float64Array,
  n: number,
  m: number,
  out: Float64Array,
  offset: number,
  work: GradientWork,
): number {
  const fds = multiplyInto(work.fds, F, multiplyInto(work.ds, D, S, n, n, n), n, n, n);
  // FDS − SDF = FDS − (FDS)ᵀ for symmetric F, D, S.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = fds[i * n + j] - fds[j * n + i];
      fds[i * n + j] = v;
      fds[j * n + i] = -v;
    }
    fds[i * n + i] = 0;
  }
  const e = multiplyTNInto(work.e, X, multiplyInto(work.fdsX, fds, X, n, n, m), n, m, m);
  let max = 0;
  for (let i = 0; i < m * m; i++) {
    out[offset + i] = e[i];
    max = Math.max(max, Math.abs(e[i]));
  }
  return max;
}
