/**
 * Options and result of the Hartree–Fock solvers.
 *
 * Layout: basis-function (AO) matrices are nBasis×nBasis row-major; MO coefficients are
 * nBasis×nOrbitals row-major with column k = molecular orbital k (ascending orbital energy).
 * Densities are per spin: D^σ = Σ_{i occ σ} C_i C_iᵀ, so the total density is D^α + D^β.
 */
import type { Molecule } from '../chem/index.js';
import type { MolecularBasis } from '../basis/index.js';
import type { PackedEri } from '../integrals/index.js';

/**
 * How the Coulomb and exchange matrices are built: 'pk' from the stored exact integrals, 'df' by
 * density fitting with a JKFIT auxiliary basis (./density-fitting.ts), 'direct' from the exact
 * integrals recomputed from shell quartets in every iteration (./direct-jk.ts).
 */
export type ScfType = 'pk' | 'df' | 'direct';

/** How the first density is made. */
export type ScfGuess = 'sad' | 'core' | 'gwh';

/** Options shared by {@link runRhf} and {@link runUhf}. */
export interface ScfOptions {
  /** Converged when the energy changes by less than this between iterations (Hartree). Default 1e-10. */
  energyConvergence?: number;
  /** …and the RMS change of the density matrix elements is below this. Default 1e-9. */
  densityConvergence?: number;
  /** Maximum number of Fock builds. Default 100. */
  maxIterations?: number;
  /**
   * Initial guess: 'sad' (superposition of spherically averaged atomic densities from fractional
   * occupation atomic SCF runs in the same basis; default), 'core' (core Hamiltonian), or 'gwh'
   * (generalised Wolfsberg–Helmholz).
   */
  guess?: ScfGuess;
  /** Drop eigenvectors of the overlap matrix with eigenvalues below this (linear dependencies). Default 1e-7. */
  linearDependenceThreshold?: number;
  /** Number of Fock/error pairs kept for Pulay DIIS (0 disables DIIS). Default 8. */
  diisSize?: number;
  /**
   * UHF only: rotate the α HOMO/LUMO pair by +45° and the β pair by −45° after the first
   * diagonalisation, to break spin symmetry (broken-symmetry singlets, e.g. stretched bonds).
   * Default false.
   */
  guessMix?: boolean;
  /**
   * UHF only: after convergence, check the real UHF → UHF stability (lowest eigenvalue of the
   * orbital Hessian) and, while a lower solution exists, rotate along the unstable direction and
   * converge again. Finds broken-symmetry singlets and lower open-shell states that the guess
   * missed, at the cost of extra Fock builds. Default false.
   */
  followInstabilities?: boolean;
  /** Precomputed electron-repulsion integrals for this basis (skips their computation). */
  eri?: PackedEri;
  /**
   * How J and K are built (see {@link ScfType}). Default: 'pk' when the stored integrals fit
   * `maxMemoryBytes`, else 'direct'. With 'df' and 'direct' the exact integrals in the result's
   * `eri` are computed only when read (by a correlated method).
   */
  scfType?: ScfType;
  /**
   * Auxiliary basis for 'df' (shipped name such as 'cc-pvdz-jkfit', or a .gbs path). Default: the
   * JKFIT set conventionally paired with the orbital basis (basis/library.ts defaultJkFitBasisName).
   */
  auxiliaryBasis?: string;
  /** Memory limit in bytes for the integrals (default: 80 % of the machine's memory). */
  maxMemoryBytes?: number;
  /** Called after every iteration (for progress output). */
  onIteration?: (info: ScfIterationInfo) => void;
}

/** Progress of one SCF iteration. */
export interface ScfIterationInfo {
  /** 1-based count of Fock builds in this SCF run. */
  iteration: number;
  /** Total energy of the density built in this iteration. */
  energyHartree: number;
  /** Change from the previous iteration (NaN in the first). */
  energyChangeHartree: number;
  /** RMS change of the density-matrix elements from the previous iteration. */
  densityRmsChange: number;
  /** Largest element of the orbital gradient FDS − SDF in the orthogonal basis. */
  orbitalGradientMax: number;
}

/** A converged Hartree–Fock solution. */
export interface ScfResult {
  /** Which Hartree–Fock variant produced this result. */
  method: 'rhf' | 'uhf' | 'rohf';
  /** Total energy (electronic + nuclear repulsion), Hartree. */
  energyHartree: number;
  electronicEnergyHartree: number;
  nuclearRepulsionHartree: number;
  converged: true;
  /** Number of Fock builds. */
  iterations: number;
  nBasis: number;
  /** Molecular orbitals kept after removing linear dependencies of the basis. */
  nOrbitals: number;
  nElectrons: number;
  nAlpha: number;
  nBeta: number;
  /** Ascending, length nOrbitals. */
  orbitalEnergiesAlpha: Float64Array;
  orbitalEnergiesBeta: Float64Array;
  /** nBasis×nOrbitals row-major; column k is MO k. */
  coefficientsAlpha: Float64Array;
  coefficientsBeta: Float64Array;
  /** Per-spin AO densities, nBasis×nBasis. */
  densityAlpha: Float64Array;
  densityBeta: Float64Array;
  /** How J and K were built (absent: 'pk'). */
  scfType?: ScfType;
  /** The auxiliary basis of a density-fitted result. */
  auxiliaryBasis?: string;
  /** ⟨S²⟩ of the determinant (exactly 0 for RHF). */
  s2: number;
  /** AO overlap matrix. */
  overlap: Float64Array;
  /** AO core Hamiltonian T + V. */
  coreHamiltonian: Float64Array;
  eri: PackedEri;
  basis: MolecularBasis;
  molecule: Molecule;
}
