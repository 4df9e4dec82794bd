/**
 * Restricted and unrestricted Hartree–Fock entry points: input checks, one-electron integrals, the
 * initial guess, the electron-repulsion integrals (in that order, so that the ERI worker threads
 * boot meanwhile), the SCF iteration (./engine.ts) and ⟨S²⟩.
 *
 * Conventions: see ./types.ts (AO matrices nBasis×nBasis row-major, MO coefficients
 * nBasis×nOrbitals with column = MO, per-spin densities).
 */
import { ConvergenceError, InputError, defaultMemoryLimitBytes, requireMemoryBytes } from '../core/index.js';
import { matMul, matMulTN } from '../core/index.js';
import type { Molecule } from '../chem/index.js';
import { electronCount, validateChargeAndMultiplicity } from '../chem/index.js';
import type { MolecularBasis } from '../basis/index.js';
import { buildMolecularBasis, defaultJkFitBasisName, loadBasisLibrary } from '../basis/index.js';
import { overlapAndCoreHamiltonian, packedEriLength } from '../integrals/index.js';
import { type PendingEri, electronRepulsionIntegrals, startElectronRepulsionIntegrals } from '../integrals/index.js';
import { nuclearRepulsionEnergy } from '../integrals/index.js';
import { scfEngineSettings, scfSystem, solveScf, type CoulombExchangeBuilder, type ScfEngineResult, type ScfEngineSettings, type ScfSystem } from './engine.js';
import { buildDensityFittingFactor, densityFittedCoulombExchange } from './density-fitting.js';
import { directCoulombExchange } from './direct-jk.js';
import { startCoulombExchangeWorkers } from './jk-parallel.js';
import { occupiedDensity, rotateOrbitals, uhfEnergy, uhfStability } from './stability.js';
import { gwhGuessFock, sadGuessDensity } from './guess.js';
import type { ScfOptions, ScfResult, ScfType } from './types.js';

/**
 * Restricted closed-shell Hartree–Fock.
 * @throws InputError for an odd electron count or a multiplicity other than 1 (use UHF), or an
 *   impossible charge/multiplicity.
 * @throws ConvergenceError when not converged within `maxIterations`.
 */
export function runRhf(molecule: Molecule, basis: MolecularBasis, options: ScfOptions = {}): ScfResult {
  validateChargeAndMultiplicity(molecule);
  const nElectrons = electronCount(molecule);
  if (nElectrons % 2 !== 0) {
    throw new InputError(
      `RHF needs an even number of electrons, but this molecule has ${nElectrons} (charge ${molecule.charge}); ` +
        `use unrestricted Hartree–Fock (--method uhf) for open shells`,
    );
  }
  if (molecule.multiplicity !== 1) {
    throw new InputError(
      `RHF describes closed-shell singlets, but multiplicity ${molecule.multiplicity} was requested; use --method uhf`,
    );
  }
  const nOcc = nElectrons / 2;
  checkOptions(options);
  const oneElectron = buildOneElectronSystem(molecule, basis, options);
  const settings = engineSettings(molecule, basis, oneElectron, options, true, nOcc, nOcc);
  const system = withElectronRepulsion(oneElectron);
  const engine = solveScf(system, settings);
  return attachIntegrals(assemble('rhf', molecule, basis, system, engine, nElectrons, nOcc, nOcc, 0), system, oneElectron);
}

/**
 * Unrestricted Hartree–Fock (different orbitals for α and β electrons).
 * nAlpha − nBeta = multiplicity − 1.
 * @throws InputError for an impossible charge/multiplicity.
 * @throws ConvergenceError when not converged within `maxIterations`.
 */
export function runUhf(molecule: Molecule, basis: MolecularBasis, options: ScfOptions = {}): ScfResult {
  validateChargeAndMultiplicity(molecule);
  const nElectrons = electronCount(molecule);
  const unpaired = molecule.multiplicity - 1;
  const nAlpha = (nElectrons + unpaired) / 2;
  const nBeta = (nElectrons - unpaired) / 2;
  checkOptions(options);
  const oneElectron = buildOneElectronSystem(molecule, basis, options);
  const settings = engineSettings(molecule, basis, oneElectron, options, false, nAlpha, nBeta);
  const system = withElectronRepulsion(oneElectron);
  let engine = solveScf(system, settings);
  if (options.followInstabilities) {
    let iterations = engine.iterations;
    engine = followInstabilities(system, settings, engine, nAlpha, nBeta, (extra) => (iterations += extra));
    engine = { ...engine, iterations };
  }
  const s2 = spinSquared(engine.coefficientsAlpha, engine.coefficientsBeta, system.overlap, basis.nFunctions, engine.nOrbitals, nAlpha, nBeta);
  return attachIntegrals(assemble('uhf', molecule, basis, system, engine, nElectrons, nAlpha, nBeta, s2), system, oneElectron);
}

/**
 * ⟨S²⟩ of a UHF determinant: S_z(S_z + 1) + N_β − Σ_ij |⟨φ^α_i|φ^β_j⟩|² over occupied orbitals.
 */
export function spinSquared(
  coefficientsAlpha: Float64Array,
  coefficientsBeta: Float64Array,
  overlap: Float64Array,
  nBasis: number,
  nOrbitals: number,
  nAlpha: number,
  nBeta: number,
): number {
  const n = nBasis;
  const m = nOrbitals;
  // Occupied columns only.
  const ca = new Float64Array(n * nAlpha);
  const cb = new Float64Array(n * nBeta);
  for (let mu = 0; mu < n; mu++) {
    for (let i = 0; i < nAlpha; i++) ca[mu * nAlpha + i] = coefficientsAlpha[mu * m + i];
    for (let j = 0; j < nBeta; j++) cb[mu * nBeta + j] = coefficientsBeta[mu * m + j];
  }
  const overlapAB = matMulTN(ca, matMul(overlap, cb, n, n, nBeta), n, nAlpha, nBeta);
  let sum = 0;
  for (let i = 0; i < overlapAB.length; i++) sum += overlapAB[i] * overlapAB[i];
  const sz = 0.5 * (nAlpha - nBeta);
  return sz * (sz + 1) + nBeta - sum;
}

/**
 * While the UHF stability matrix has a negative eigenvalue, rotate the orbitals along its
 * eigenvector (the step with the lowest determinant energy among a few angles) and converge again.
 */
function followInstabilities(
  system: ScfSystem,
  settings: ScfEngineSettings,
  start: ScfEngineResult,
  nAlpha: number,
  nBeta: number,
  countIterations: (extra: number) => void,
): ScfEngineResult {
  const n = system.nBasis;
  let current = start;
  for (let round = 0; round < 6; round++) {
    const stability = uhfStability(system, current, nAlpha, nBeta);
    if (!(stability.lowestEigenvalue < -1e-5)) break;
    let best: { energy: number; da?: Float64Array; db?: Float64Array } = { energy: current.energyHartree };
    for (const fraction of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1]) {
      const [ca, cb] = rotateOrbitals(current, n, nAlpha, nBeta, stability.vector, (fraction * Math.PI) / 2);
      const da = occupiedDensity(ca, n, current.nOrbitals, nAlpha);
      const db = occupiedDensity(cb, n, current.nOrbitals, nBeta);
      const energy = uhfEnergy(system, da, db);
      if (energy < best.energy) best = { energy, da, db };
    }
    if (!best.da || !best.db) break;
    let next: ScfEngineResult;
    try {
      next = solveScf(
        system,
        scfEngineSettings({
          ...settings,
          guessDensityAlpha: best.da,
          guessDensityBeta: best.db,
          guessFock: undefined,
          guessMix: false,
        }),
      );
    } catch (err) {
      // Keep the converged solution when the search from the rotated orbitals does not converge.
      if (err instanceof ConvergenceError) {
        countIterations(err.iterations);
        break;
      }
      throw err;
    }
    countIterations(next.iterations);
    if (!(next.energyHartree < current.energyHartree - 1e-9)) break;
    current = next;
  }
  return current;
}

/** Reject bad options before any integral work starts (the ERI workers would otherwise run on). */
export function checkOptions(options: ScfOptions): void {
  const maxIterations = options.maxIterations ?? 100;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new InputError(`maxIterations must be a positive integer, got ${maxIterations}`);
  }
  const guess = options.guess ?? 'sad';
  if (guess !== 'sad' && guess !== 'gwh' && guess !== 'core') {
    throw new InputError(`unknown SCF guess '${String(guess)}' (use 'sad', 'core' or 'gwh')`);
  }
  const scfType = options.scfType;
  if (scfType !== undefined && scfType !== 'pk' && scfType !== 'df' && scfType !== 'direct') {
    throw new InputError(`unknown SCF type '${String(scfType)}' (use 'pk', 'df' or 'direct')`);
  }
  if (options.maxMemoryBytes !== undefined && !(options.maxMemoryBytes > 0)) {
    throw new InputError(`maxMemoryBytes must be positive, got ${options.maxMemoryBytes}`);
  }
}

/**
 * The SCF type of a run: the one asked for, else 'pk' when the stored integrals (8-fold packed)
 * fit the memory limit and 'direct' when they do not. Given integrals mean 'pk'.
 */
export function resolveScfType(basis: MolecularBasis, options: ScfOptions): ScfType {
  if (options.scfType) return options.scfType;
  if (options.eri) return 'pk';
  const limit = options.maxMemoryBytes ?? defaultMemoryLimitBytes();
  return 8 * packedEriLength(basis.nFunctions) <= limit ? 'pk' : 'direct';
}

/**
 * The parts of an {@link ScfSystem} that come before the electron-repulsion integrals, and the
 * integrals being computed meanwhile.
 */
export type OneElectronSystem = Omit<ScfSystem, 'eri' | 'coulombExchange'> & {
  pendingEri: PendingEri;
  scfType: ScfType;
  /** Builds the J/K builder for 'df' and 'direct'. */
  prepareCoulombExchange?: () => CoulombExchangeBuilder;
  auxiliaryBasis?: string;
};

/**
 * Input checks and one-electron integrals. The electron-repulsion integrals are started first
 * (when not given), so that their worker threads boot and begin while the one-electron integrals
 * and the initial guess are computed in this thread.
 */
export function buildOneElectronSystem(molecule: Molecule, basis: MolecularBasis, options: ScfOptions): OneElectronSystem {
  const n = basis.nFunctions;
  for (let s = 0; s < basis.nShells; s++) {
    if (basis.shellAtom[s] >= molecule.atomicNumbers.length) {
      throw new InputError(`the basis was built for a molecule with more atoms than this one (${molecule.atomicNumbers.length})`);
    }
  }
  const given = options.eri;
  if (given && given.nBasis !== n) {
    throw new InputError(`the electron-repulsion integrals given are for ${given.nBasis} basis functions, the basis has ${n}`);
  }
  const scfType = resolveScfType(basis, options);
  const limit = options.maxMemoryBytes ?? defaultMemoryLimitBytes();
  let pendingEri: PendingEri;
  let prepareCoulombExchange: (() => CoulombExchangeBuilder) | undefined;
  let auxiliaryBasis: string | undefined;
  if (given) {
    pendingEri = { finish: () => given };
  } else if (scfType === 'pk') {
    requireMemoryBytes(`storing the electron-repulsion integrals of ${n} basis functions`, 8 * packedEriLength(n), limit, "use --scf-type direct or df");
    pendingEri = startElectronRepulsionIntegrals(basis);
    startCoulombExchangeWorkers(n);
  } else {
    // Exact integrals only when a correlated method reads them.
    pendingEri = {
      finish: () => {
        requireMemoryBytes(`storing the electron-repulsion integrals of ${n} basis functions`, 8 * packedEriLength(n), limit);
        return electronRepulsionIntegrals(basis);
      },
    };
  }
  if (scfType === 'df') {
    const aux = auxiliaryBasisFor(molecule, basis, options.auxiliaryBasis);
    auxiliaryBasis = aux.name;
    prepareCoulombExchange = () => densityFittedCoulombExchange(buildDensityFittingFactor(basis, aux, { maxMemoryBytes: limit }));
  } else if (scfType === 'direct') {
    prepareCoulombExchange = () => directCoulombExchange(basis);
  }
  const { overlap, coreHamiltonian } = overlapAndCoreHamiltonian(basis, molecule);
  return {
    pendingEri,
    scfType,
    prepareCoulombExchange,
    auxiliaryBasis,
    nBasis: n,
    overlap,
    coreHamiltonian,
    nuclearRepulsionHartree: nuclearRepulsionEnergy(molecule),
  };
}

/**
 * The auxiliary basis of a density-fitted SCF, placed on `molecule` with the orbital basis'
 * pure/cartesian choice (as Psi4 does: its PUREAM follows the orbital basis). `name` defaults to the
 * JKFIT set paired with the orbital basis (basis/library.ts defaultJkFitBasisName); elements that
 * default set lacks (Li and Be in cc-pVXZ-JKFIT) take def2-universal-JKFIT, as in Psi4.
 * @throws InputError when no set is paired with the orbital basis and none is named, or when a
 *   named set lacks an element of the molecule.
 */
export function auxiliaryBasisFor(molecule: Molecule, basis: MolecularBasis, name?: string): MolecularBasis {
  const auxName = name ?? defaultJkFitBasisName(basis.name);
  if (!auxName) {
    throw new InputError(`density fitting: no JKFIT auxiliary basis is paired with basis ${basis.name}; name one (auxiliaryBasis, --aux-basis)`);
  }
  let library = loadBasisLibrary(auxName);
  const missing = molecule.atomicNumbers.filter((z) => !library.elements.has(z));
  if (name === undefined && missing.length > 0) {
    const fallback = loadBasisLibrary('def2-universal-jkfit');
    const elements = new Map(library.elements);
    for (const z of missing) {
      const shells = fallback.elements.get(z);
      if (shells) elements.set(z, shells);
    }
    library = { ...library, name: `${library.name} + ${fallback.name}`, elements };
  }
  return buildMolecularBasis(molecule, library, { pure: basis.pure });
}

/** Complete the system with the electron-repulsion integrals (waiting for them if needed). */
export function withElectronRepulsion(system: OneElectronSystem): ScfSystem {
  const { pendingEri, scfType, prepareCoulombExchange, auxiliaryBasis: _aux, ...rest } = system;
  if (scfType === 'pk' || !prepareCoulombExchange) {
    return scfSystem(rest.nBasis, rest.overlap, rest.coreHamiltonian, pendingEri.finish(), rest.nuclearRepulsionHartree);
  }
  const out = { ...rest, coulombExchange: prepareCoulombExchange() } as ScfSystem;
  let eri: ReturnType<PendingEri['finish']> | undefined;
  Object.defineProperty(out, 'eri', { get: () => (eri ??= pendingEri.finish()), enumerable: true, configurable: true });
  return out;
}

/**
 * Give `target` the `eri` of `system` without reading it (a lazily computed property stays lazy),
 * plus the SCF type fields.
 */
export function attachIntegrals<T extends object>(target: T, system: ScfSystem, oneElectron?: OneElectronSystem): T {
  const descriptor = Object.getOwnPropertyDescriptor(system, 'eri');
  if (descriptor?.get) {
    Object.defineProperty(target, 'eri', { get: descriptor.get, enumerable: true, configurable: true });
  } else {
    Object.defineProperty(target, 'eri', { value: system.eri, enumerable: true, writable: true, configurable: true });
  }
  if (oneElectron && oneElectron.scfType !== 'pk') {
    Object.assign(target, { scfType: oneElectron.scfType });
    if (oneElectron.auxiliaryBasis) Object.assign(target, { auxiliaryBasis: oneElectron.auxiliaryBasis });
  }
  return target;
}

export function engineSettings(
  molecule: Molecule,
  basis: MolecularBasis,
  system: OneElectronSystem,
  options: ScfOptions,
  restricted: boolean,
  nAlpha: number,
  nBeta: number,
): ScfEngineSettings {
  const maxIterations = options.maxIterations ?? 100;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new InputError(`maxIterations must be a positive integer, got ${maxIterations}`);
  }
  const settings: ScfEngineSettings = {
    restricted,
    nAlpha,
    nBeta,
    energyConvergence: options.energyConvergence ?? 1e-10,
    densityConvergence: options.densityConvergence ?? 1e-9,
    maxIterations,
    diisSize: options.diisSize ?? 8,
    linearDependenceThreshold: options.linearDependenceThreshold ?? 1e-7,
    guessMix: options.guessMix ?? false,
    onIteration: options.onIteration,
  };
  const guess = options.guess ?? 'sad';
  if (guess === 'sad') {
    const d = sadGuessDensity(molecule, basis);
    settings.guessDensityAlpha = d;
    settings.guessDensityBeta = d;
  } else if (guess === 'gwh') {
    settings.guessFock = gwhGuessFock(system.overlap, system.coreHamiltonian, system.nBasis);
  } else if (guess !== 'core') {
    throw new InputError(`unknown SCF guess '${String(guess)}' (use 'sad', 'core' or 'gwh')`);
  }
  return scfEngineSettings(settings);
}

function assemble(
  method: 'rhf' | 'uhf',
  molecule: Molecule,
  basis: MolecularBasis,
  system: ScfSystem,
  engine: ReturnType<typeof solveScf>,
  nElectrons: number,
  nAlpha: number,
  nBeta: number,
  s2: number,
): ScfResult {
  return {
    method,
    energyHartree: engine.energyHartree,
    electronicEnergyHartree: engine.electronicEnergyHartree,
    nuclearRepulsionHartree: system.nuclearRepulsionHartree,
    converged: true,
    iterations: engine.iterations,
    nBasis: system.nBasis,
    nOrbitals: engine.nOrbitals,
    nElectrons,
    nAlpha,
    nBeta,
    orbitalEnergiesAlpha: engine.orbitalEnergiesAlpha,
    orbitalEnergiesBeta: engine.orbitalEnergiesBeta,
    coefficientsAlpha: engine.coefficientsAlpha,
    coefficientsBeta: engine.coefficientsBeta,
    densityAlpha: engine.densityAlpha,
    densityBeta: engine.densityBeta,
    s2,
    overlap: system.overlap,
    coreHamiltonian: system.coreHamiltonian,
    basis,
    molecule,
  } as ScfResult;
}
