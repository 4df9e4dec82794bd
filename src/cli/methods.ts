/**
 * Method dispatch of `qde energy`: builds the SCF reference and the MO Hamiltonian as a method needs
 * them, calls the library entry point and fills an {@link EnergyReport}. No numerics here beyond
 * bookkeeping.
 */
import { InputError } from '../core/errors.js';
import { type Molecule, electronCount, moleculeFormula } from '../chem/molecule.js';
import { buildMolecularBasis, loadBasisLibrary } from '../basis/index.js';
import { type ScfResult, runRhf, runUhf } from '../scf/index.js';
import {
  type MolecularHamiltonian,
  frozenCoreOrbitalCount,
  molecularHamiltonianFromScf,
  readFcidump,
} from '../hamiltonian/index.js';
import { runCcsd, runCcsdT, runFci, runMp2 } from '../classical/index.js';
import type { FermionMapping } from '../qubits/index.js';
import {
  type AdaptPoolName,
  type AnsatzName,
  runAdaptVqe,
  runPhaseEstimation,
  runVqe,
} from '../algorithms/index.js';
import type { ActiveSpaceOption } from './common.js';
import type { CircuitReport, EnergyReport } from './report.js';

/** Methods of `qde energy`. */
export const METHODS = ['hf', 'uhf', 'mp2', 'ccsd', 'ccsd(t)', 'fci', 'vqe', 'adapt-vqe', 'qpe'] as const;
/** A method name. */
export type MethodName = (typeof METHODS)[number];

const QUANTUM_METHODS: ReadonlySet<string> = new Set(['vqe', 'adapt-vqe', 'qpe']);

/** Largest FCI space solved to give the reference energy of a quantum method. */
export const MAX_REFERENCE_FCI_DETERMINANTS = 1_000_000;

/** ADAPT-VQE operator pools. */
export const ADAPT_POOLS = ['fermionic', 'fermionic-generalized', 'singlet', 'generalized-pair', 'qubit'] as const;

/** Method options of `qde energy` (everything except the input and output choices). */
export interface MethodOptions {
  /** Basis-set name or .gbs path. */
  basis: string;
  method: MethodName;
  frozenCore?: boolean;
  active?: ActiveSpaceOption;
  /** FCI roots (default 1). */
  roots: number;
  /** vqe ansatz (default uccsd). */
  ansatz?: AnsatzName;
  /** vqe layers. */
  layers?: number;
  /** adapt-vqe pool. */
  pool?: AdaptPoolName;
  /** qpe phase bits. */
  bits?: number;
  /** Fermion-to-qubit mapping (default jordan-wigner). */
  mapping?: FermionMapping;
  taper?: boolean;
  seed: number;
  scfMaxIterations?: number;
}

/** What {@link runMethod} needs: options and either a molecule or an FCIDUMP path. */
export interface MethodContext {
  options: MethodOptions;
  molecule?: Molecule;
  geometryPath?: string;
  fcidumpPath?: string;
}

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Number of determinants of a Hamiltonian's FCI space. */
export function determinantCount(ham: MolecularHamiltonian): number {
  return binomial(ham.nOrbitals, ham.nAlpha) * binomial(ham.nOrbitals, ham.nBeta);
}

/**
 * Energy of the reference determinant (lowest nAlpha α and nBeta β orbitals occupied):
 * E = c + Σ_i^α h_ii + Σ_i^β h_ii + ½ Σ_ij^{all} (ii|jj) − ½ Σ_ij^{same spin} (ij|ji).
 */
export function referenceDeterminantEnergy(ham: MolecularHamiltonian): number {
  const n = ham.nOrbitals;
  const h = ham.oneBody;
  const g = ham.twoBody;
  const coulomb = (i: number, j: number) => g[((i * n + i) * n + j) * n + j]!;
  const exchange = (i: number, j: number) => g[((i * n + j) * n + j) * n + i]!;
  let e = ham.constantHartree;
  for (let i = 0; i < ham.nAlpha; i++) e += h[i * n + i]!;
  for (let i = 0; i < ham.nBeta; i++) e += h[i * n + i]!;
  const spins: [number, number][] = [
    [ham.nAlpha, ham.nAlpha],
    [ham.nBeta, ham.nBeta],
    [ham.nAlpha, ham.nBeta],
    [ham.nBeta, ham.nAlpha],
  ];
  spins.forEach(([na, nb], k) => {
    for (let i = 0; i < na; i++) {
      for (let j = 0; j < nb; j++) {
        e += 0.5 * coulomb(i, j);
        if (k < 2) e -= 0.5 * exchange(i, j);
      }
    }
  });
  return e;
}

/**
 * The report of an SCF calculation, the base every correlated method's report extends
 * (wallSeconds and qdeVersion are filled by the caller).
 */
export function scfReport(scf: ScfResult, basisName: string, method: string): EnergyReport {
  return {
    energyHartree: scf.energyHartree,
    method,
    basis: basisName,
    nBasis: scf.nBasis,
    nElectrons: scf.nElectrons,
    nuclearRepulsionHartree: scf.nuclearRepulsionHartree,
    converged: true,
    iterations: scf.iterations,
    scfIterations: scf.iterations,
    scfEnergyHartree: scf.energyHartree,
    wallSeconds: 0,
    qdeVersion: '',
    charge: scf.molecule.charge,
    multiplicity: scf.molecule.multiplicity,
    reference: scf.method,
  };
}

/** Methods that can use UHF α orbitals for an open shell (FCI-type methods, invariant in the full space). */
const OPEN_SHELL_VIA_UHF: ReadonlySet<string> = new Set(['uhf', 'mp2', 'fci', 'vqe', 'adapt-vqe', 'qpe']);

function requireClosedShell(molecule: Molecule, method: string): void {
  if (molecule.multiplicity === 1 && electronCount(molecule) % 2 === 0) return;
  const what = method === 'hf' ? 'RHF' : `${method} (built on RHF orbitals)`;
  const suggestion = method === 'hf' ? 'use --method uhf' : 'use --method uhf, mp2 (UMP2) or fci';
  throw new InputError(
    `${what} needs a closed-shell singlet, but ${moleculeFormula(molecule)} with charge ${molecule.charge} has ` +
      `${electronCount(molecule)} electrons and multiplicity ${molecule.multiplicity}; ${suggestion}`,
  );
}

function hamiltonianOptions(options: MethodContext['options']): { frozenCore?: boolean; active?: ActiveSpaceOption } {
  return {
    ...(options.frozenCore ? { frozenCore: true } : {}),
    ...(options.active ? { active: options.active } : {}),
  };
}

/** Run the method of `context` and return the report (wallSeconds and qdeVersion filled by the caller). */
export async function runMethod(context: MethodContext): Promise<EnergyReport> {
  const { options } = context;
  const method = options.method;
  const onlyFor = (flag: string, given: boolean, methods: readonly string[]) => {
    if (given && !methods.includes(method)) throw new InputError(`${flag} applies to ${methods.join(', ')}, not ${method}`);
  };
  onlyFor('--mapping', options.mapping !== undefined, [...QUANTUM_METHODS]);
  onlyFor('--taper', options.taper === true, ['vqe']);
  onlyFor('--ansatz', options.ansatz !== undefined, ['vqe']);
  onlyFor('--layers', options.layers !== undefined, ['vqe']);
  onlyFor('--pool', options.pool !== undefined, ['adapt-vqe']);
  onlyFor('--bits', options.bits !== undefined, ['qpe']);
  if (options.roots > 1 && method !== 'fci') throw new InputError(`--roots applies to fci only, not ${method}`);
  if ((method === 'hf' || method === 'uhf') && (options.frozenCore || options.active)) {
    throw new InputError(`--frozen-core and --active apply to correlated methods, not ${method}`);
  }
  if (options.frozenCore && options.active) {
    throw new InputError('give either --frozen-core or --active: the active space already keeps the orbitals below it doubly occupied');
  }

  // ── FCIDUMP input: the Hamiltonian is given ───────────────────────────────────────────────────
  if (context.fcidumpPath !== undefined) {
    if (method === 'hf' || method === 'uhf') {
      throw new InputError(`--fcidump needs a correlated method (mp2, ccsd, ccsd(t), fci, vqe, adapt-vqe, qpe), not ${method}`);
    }
    if (options.active) throw new InputError('--active does not apply to --fcidump (choose the active space when writing the file)');
    const ham = readFcidump(context.fcidumpPath);
    const referenceEnergy = referenceDeterminantEnergy(ham);
    const base: EnergyReport = {
      energyHartree: Number.NaN,
      method,
      basis: null,
      nBasis: null,
      nElectrons: ham.nAlpha + ham.nBeta,
      nuclearRepulsionHartree: null,
      converged: true,
      iterations: 0,
      wallSeconds: 0,
      qdeVersion: '',
      coreEnergyHartree: ham.constantHartree,
      scfEnergyHartree: referenceEnergy,
      activeElectrons: ham.nAlpha + ham.nBeta,
      activeOrbitals: ham.nOrbitals,
    };
    return runMethodOnHamiltonian(ham, referenceEnergy, base, context);
  }

  // ── geometry input ────────────────────────────────────────────────────────────────────────────
  const molecule = context.molecule!;
  const closedShell = molecule.multiplicity === 1 && electronCount(molecule) % 2 === 0;
  const useUhf = method === 'uhf' || (!closedShell && OPEN_SHELL_VIA_UHF.has(method));
  if (!useUhf) requireClosedShell(molecule, method);
  const basis = buildMolecularBasis(molecule, loadBasisLibrary(options.basis));
  const scfOptions = options.scfMaxIterations !== undefined ? { maxIterations: options.scfMaxIterations } : {};
  const scf: ScfResult = useUhf ? runUhf(molecule, basis, scfOptions) : runRhf(molecule, basis, scfOptions);
  const base = scfReport(scf, basis.name, method);
  if (useUhf) {
    base.s2 = scf.s2;
    if (method !== 'uhf' && method !== 'mp2') base.orbitals = 'uhf-alpha';
  }
  if (method === 'hf' || method === 'uhf') return base;

  if (method === 'mp2' && !options.active) {
    const frozen = options.frozenCore ? frozenCoreOrbitalCount(molecule) : 0;
    const mp2 = runMp2(scf, { frozenCore: frozen });
    return {
      ...base,
      energyHartree: mp2.energyHartree,
      correlationEnergyHartree: mp2.correlationEnergyHartree,
      sameSpinCorrelationHartree: mp2.sameSpinCorrelationHartree,
      oppositeSpinCorrelationHartree: mp2.oppositeSpinCorrelationHartree,
      frozenOrbitals: mp2.nFrozen,
    };
  }
  const ham = molecularHamiltonianFromScf(scf, hamiltonianOptions(options));
  base.frozenOrbitals = scf.nAlpha - ham.nAlpha;
  base.activeElectrons = ham.nAlpha + ham.nBeta;
  base.activeOrbitals = ham.nOrbitals;
  return runMethodOnHamiltonian(ham, scf.energyHartree, base, context);
}

/**
 * Run a correlated method (mp2, ccsd, ccsd(t), fci, vqe, adapt-vqe, qpe) on a given Hamiltonian and
 * complete `base` with its results. `referenceEnergy` is the SCF energy the correlation energy is
 * measured from.
 */
export async function runMethodOnHamiltonian(
  ham: MolecularHamiltonian,
  referenceEnergy: number,
  base: EnergyReport,
  context: MethodContext,
): Promise<EnergyReport> {
  const { options } = context;
  switch (options.method) {
    case 'mp2': {
      const mp2 = runMp2(ham);
      return {
        ...base,
        energyHartree: mp2.energyHartree,
        correlationEnergyHartree: mp2.correlationEnergyHartree,
        sameSpinCorrelationHartree: mp2.sameSpinCorrelationHartree,
        oppositeSpinCorrelationHartree: mp2.oppositeSpinCorrelationHartree,
      };
    }
    case 'ccsd': {
      const cc = runCcsd(ham);
      return {
        ...base,
        energyHartree: cc.energyHartree,
        correlationEnergyHartree: cc.correlationEnergyHartree,
        iterations: cc.iterations,
        t1Diagnostic: cc.t1Diagnostic,
      };
    }
    case 'ccsd(t)': {
      const cc = runCcsdT(ham);
      return {
        ...base,
        energyHartree: cc.energyHartree,
        correlationEnergyHartree: cc.correlationEnergyHartree,
        ccsdEnergyHartree: cc.ccsdEnergyHartree,
        triplesCorrectionHartree: cc.tripleCorrectionHartree,
        iterations: cc.iterations,
        t1Diagnostic: cc.t1Diagnostic,
      };
    }
    case 'fci': {
      const fci = runFci(ham, { roots: options.roots });
      return {
        ...base,
        energyHartree: fci.energies[0]!,
        correlationEnergyHartree: fci.energies[0]! - referenceEnergy,
        iterations: fci.iterations,
        s2: fci.s2[0]!,
        determinants: fci.determinants,
        energies: Array.from(fci.energies as Float64Array),
        symmetryDeterminants: fci.symmetryDeterminants,
        orbitalSymmetry: { source: fci.orbitalSymmetry.source, irreps: fci.orbitalSymmetry.irreps },
        roots: Array.from(fci.energies as Float64Array, (e, root) => ({ root, energyHartree: e, s2: fci.s2[root]! })),
      };
    }
    case 'vqe':
    case 'adapt-vqe':
    case 'qpe':
      return runQuantum(ham, referenceEnergy, base, context);
    default:
      throw new InputError(`method '${options.method}' cannot run on a Hamiltonian`);
  }
}

async function runQuantum(
  ham: MolecularHamiltonian,
  referenceEnergy: number,
  base: EnergyReport,
  context: MethodContext,
): Promise<EnergyReport> {
  const { options } = context;
  const mapping: FermionMapping = options.mapping ?? 'jordan-wigner';
  const referenceFciHartree =
    determinantCount(ham) <= MAX_REFERENCE_FCI_DETERMINANTS ? runFci(ham, { roots: 1 }).energies[0]! : null;
  const quantum = { mapping, referenceFciHartree, seed: options.seed };
  if (options.method === 'vqe') {
    const r = await runVqe({
      hamiltonian: ham,
      mapping,
      taper: options.taper ?? false,
      ansatz: options.ansatz ?? 'uccsd',
      seed: options.seed,
      ...(options.layers !== undefined ? { layers: options.layers } : {}),
    });
    return {
      ...base,
      ...quantum,
      energyHartree: r.energyHartree,
      correlationEnergyHartree: r.energyHartree - referenceEnergy,
      iterations: r.iterations,
      qubits: r.qubits,
      parameters: r.parameterCount,
      ansatz: r.ansatz,
      tapered: r.tapered,
      circuit: circuitReport(r.circuit),
      standardErrorHartree: r.standardErrorHartree,
    };
  }
  if (options.method === 'adapt-vqe') {
    const r = runAdaptVqe({ hamiltonian: ham, mapping, ...(options.pool ? { pool: options.pool } : {}) });
    return {
      ...base,
      ...quantum,
      energyHartree: r.energyHartree,
      correlationEnergyHartree: r.energyHartree - referenceEnergy,
      iterations: r.iterations,
      optimizerIterations: r.optimizerIterations,
      qubits: r.qubits,
      parameters: r.parameters.length,
      ansatz: `adapt (${r.pool} pool)`,
      operators: r.operators,
      tapered: false,
      circuit: circuitReport(r.circuit),
      standardErrorHartree: r.standardErrorHartree,
    };
  }
  const r = runPhaseEstimation({ hamiltonian: ham, mapping, ...(options.bits !== undefined ? { bits: options.bits } : {}) });
  return {
    ...base,
    ...quantum,
    energyHartree: r.energyHartree,
    correlationEnergyHartree: r.energyHartree - referenceEnergy,
    iterations: r.bits,
    // system register plus the phase ancilla
    qubits: r.qubits + 1,
    systemQubits: r.qubits,
    parameters: 0,
    tapered: false,
    // resources of one controlled second-order Trotter step (system register + ancilla)
    circuit: circuitReport(r.controlledStepCircuit),
    circuitScope: 'one controlled Trotter step',
    // exact simulation of the most probable outcome: no sampling error; the accuracy is the resolution
    standardErrorHartree: 0,
    resolutionHartree: r.resolutionHartree,
    phaseBits: r.bits,
    trotterSteps: r.trotterSteps,
    successProbability: r.successProbability,
  };
}

function circuitReport(c: { depth: number; oneQubitGates: number; twoQubitGates: number }): CircuitReport {
  return { depth: c.depth, oneQubitGates: c.oneQubitGates, twoQubitGates: c.twoQubitGates };
}
