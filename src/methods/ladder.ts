/**
 * The ladder: one geometry on every rung, classical and quantum — HF, MP2, CCSD, CCSD(T), FCI, then
 * VQE, ADAPT-VQE and phase estimation — from ONE RHF reference and ONE MO Hamiltonian, with each
 * energy's distance from full CI of the same orbital space.
 *
 * Full CI is solved at most once: the fci rung's result is the reference energy of every quantum
 * rung (whichever needs it first solves it). A rung that does not converge is recorded as failed and
 * the others go on; quantum rungs above `maxQubits` and FCI above the determinant limit are skipped.
 */
import { ConvergenceError, InputError, ResourceError } from '../core/index.js';
import { type Molecule, electronCount, moleculeFormula, withChargeAndMultiplicity } from '../chem/index.js';
import { runFci } from '../classical/index.js';
import { QDE_VERSION } from '../version.js';
import type { BackendSpec } from '../backends/index.js';
import { isClosedShell, referencePlan } from './policy.js';
import { hamiltonianProblemSize, molecularProblemSize } from './resources.js';
import type { MethodResult, OrbitalSpace, ReferenceInfo, SystemInfo } from './result.js';
import {
  type MethodRunOptions,
  SharedFci,
  fciWithProgress,
  finishResult,
  hamiltonianStage,
  requireMethodMemory,
  runOnHamiltonian,
  runScfStage,
  secondsSince,
} from './run-method.js';
import {
  type ActiveSpace,
  MAX_REFERENCE_FCI_DETERMINANTS,
  type MethodSpec,
  QUANTUM_METHODS,
  type ResolvedMethodSpec,
  resolveMethodSpec,
  specKeyName,
} from './spec.js';
import type { FermionMapping } from '../qubits/index.js';

/** The rungs of the ladder, cheapest first. */
export const LADDER_METHODS = ['hf', 'mp2', 'ccsd', 'ccsd(t)', 'fci', 'vqe', 'adapt-vqe', 'qpe'] as const;
/** A rung of the ladder. */
export type LadderMethod = (typeof LADDER_METHODS)[number];

/** What the ladder computes: the shared keys of a {@link MethodSpec}, the rungs and the qubit limit. */
export interface LadderSpec {
  basis: string;
  /** Rungs in the order to run them (default: all of {@link LADDER_METHODS}). */
  methods?: LadderMethod[];
  charge?: number;
  multiplicity?: number;
  frozenCore?: boolean;
  active?: ActiveSpace;
  /** Mapping of the quantum rungs (default 'jordan-wigner'). */
  mapping?: FermionMapping;
  /** Backend of the quantum rungs (default: the exact state vector). */
  backend?: BackendSpec;
  seed?: number;
  scfMaxIterations?: number;
  /** Largest qubit register a quantum rung may use (default 16). */
  maxQubits?: number;
}

/** One rung's outcome. */
export interface LadderRung {
  method: LadderMethod;
  kind: 'classical' | 'quantum';
  status: 'ok' | 'failed' | 'skipped';
  /** The rung's result (status ok), else null. */
  result: MethodResult | null;
  /** Energy minus the FCI energy of the same space, Hartree (null when either is missing). */
  errorVsFciHartree: number | null;
  wallTimeSeconds: number;
  /** Why the rung failed or was skipped, else null. */
  reason: string | null;
}

/** The ladder's outcome. */
export interface LadderResult {
  system: SystemInfo;
  /** The RHF reference every rung shares. */
  reference: ReferenceInfo;
  /** The orbital space every correlated rung shares. */
  space: OrbitalSpace;
  /** Determinants of the FCI space. */
  determinants: number;
  /** The FCI energy (from the fci rung, or solved for the quantum rungs), or null. */
  fciEnergyHartree: number | null;
  rungs: LadderRung[];
  wallTimeSeconds: number;
  qdeVersion: string;
}

const LADDER_KEYS = ['basis', 'methods', 'charge', 'multiplicity', 'frozenCore', 'active', 'mapping', 'backend', 'seed', 'scfMaxIterations', 'maxQubits'];

/** The spec of one rung: the shared keys that apply to it. */
function rungSpec(method: LadderMethod, spec: LadderSpec): MethodSpec {
  const quantum = QUANTUM_METHODS.includes(method);
  const correlated = method !== 'hf';
  return {
    method,
    basis: spec.basis,
    ...(spec.charge !== undefined ? { charge: spec.charge } : {}),
    ...(spec.multiplicity !== undefined ? { multiplicity: spec.multiplicity } : {}),
    ...(correlated && spec.frozenCore ? { frozenCore: true } : {}),
    ...(correlated && spec.active ? { active: spec.active } : {}),
    ...(quantum && spec.mapping !== undefined ? { mapping: spec.mapping } : {}),
    ...(quantum && spec.backend !== undefined ? { backend: spec.backend } : {}),
    ...(spec.seed !== undefined ? { seed: spec.seed } : {}),
    ...(spec.scfMaxIterations !== undefined ? { scfMaxIterations: spec.scfMaxIterations } : {}),
  };
}

/**
 * Run every requested rung on `molecule` (a closed-shell singlet).
 * @throws InputError for bad input (a rung that does not converge is recorded, not thrown)
 */
export async function runLadder(molecule: Molecule, spec: LadderSpec, options: MethodRunOptions = {}): Promise<LadderResult> {
  const start = performance.now();
  const label = options.keyLabel ?? specKeyName;
  const solveFci = fciWithProgress(options.solveFci ?? runFci, options.onProgress);
  for (const key of Object.keys(spec)) {
    if (!LADDER_KEYS.includes(key)) throw new InputError(`ladder spec: unknown key '${key}' (known: ${LADDER_KEYS.join(', ')})`);
  }
  const methods = spec.methods ?? [...LADDER_METHODS];
  for (const m of methods) {
    if (!(LADDER_METHODS as readonly string[]).includes(m)) {
      throw new InputError(`${label('methods')}: unknown method '${m}' (choose from ${LADDER_METHODS.join(', ')})`);
    }
  }
  const maxQubits = spec.maxQubits ?? 16;
  if (!Number.isInteger(maxQubits) || maxQubits < 1) throw new InputError(`${label('maxQubits')} must be a positive integer, got ${maxQubits}`);
  if (spec.frozenCore && spec.active) {
    throw new InputError(
      `give either ${label('frozenCore')} or ${label('active')}: the active space already keeps the orbitals below it doubly occupied`,
    );
  }
  const input = { kind: 'molecule' as const, charge: molecule.charge, multiplicity: molecule.multiplicity };
  // the shared keys validated once through a spec they all apply to (vqe's); then each rung's own spec
  const shared = resolveMethodSpec(rungSpec('vqe', spec), input, label);
  const specs = new Map<LadderMethod, ResolvedMethodSpec>(methods.map((m) => [m, resolveMethodSpec(rungSpec(m, spec), input, label)]));
  const target =
    shared.charge !== molecule.charge || shared.multiplicity !== molecule.multiplicity
      ? withChargeAndMultiplicity(molecule, shared.charge!, shared.multiplicity!)
      : molecule;
  if (!isClosedShell(target)) {
    throw new InputError(
      `the ladder runs on an RHF reference and needs a closed-shell singlet; ${moleculeFormula(target)} has ` +
        `${electronCount(target)} electrons and multiplicity ${target.multiplicity} (use 'qde energy --method uhf|mp2|fci' for open shells)`,
    );
  }

  const scfStart = performance.now();
  const plan = referencePlan('fci', target, { reference: null, frozenCore: false, active: null }, label);
  for (const s of [shared, ...specs.values()]) s.reference = plan.scf;
  // the reference and the MO Hamiltonian every rung shares must fit; each rung is checked below
  const stage = runScfStage(target, shared, plan, (centred, nBasis) =>
    requireMethodMemory({ ...shared, method: 'fci' }, molecularProblemSize(centred, nBasis, shared), options.maxMemoryBytes),
    options.onProgress,
  );
  const scfSeconds = secondsSince(scfStart);
  const { ham, space } = hamiltonianStage(stage.scf, shared, 'rhf');
  const fci = new SharedFci(ham, solveFci);

  const rungs: LadderRung[] = [];
  const rung = (method: LadderMethod, fields: Partial<LadderRung>): LadderRung => ({
    method,
    kind: QUANTUM_METHODS.includes(method) ? 'quantum' : 'classical',
    status: 'ok',
    result: null,
    errorVsFciHartree: null,
    wallTimeSeconds: 0,
    reason: null,
    ...fields,
  });
  for (const method of methods) {
    const rungSpecResolved = specs.get(method)!;
    if (method === 'hf') {
      const result: MethodResult = {
        method: 'hf',
        energyHartree: stage.scf.energyHartree,
        standardErrorHartree: 0,
        converged: true,
        iterations: stage.scf.iterations,
        wallTimeSeconds: 0,
        provenance: { qdeVersion: QDE_VERSION, spec: rungSpecResolved, backend: null, seed: rungSpecResolved.seed },
        system: stage.system,
        reference: stage.reference,
      };
      finishResult(result, scfSeconds);
      rungs.push(rung(method, { result, wallTimeSeconds: scfSeconds }));
      continue;
    }
    if (method === 'fci' && !fci.affordable) {
      rungs.push(rung(method, { status: 'skipped', reason: `${fci.determinants} determinants (limit ${MAX_REFERENCE_FCI_DETERMINANTS})` }));
      continue;
    }
    if (QUANTUM_METHODS.includes(method) && 2 * ham.nOrbitals > maxQubits) {
      rungs.push(
        rung(method, {
          status: 'skipped',
          reason: `${2 * ham.nOrbitals} qubits exceed ${label('maxQubits')} ${maxQubits} (choose an active space)`,
        }),
      );
      continue;
    }
    // an FCI solved earlier for a quantum rung belongs to the fci rung's time
    const solvedBefore = method === 'fci' && fci.solved ? fci.seconds : 0;
    const size = { ...hamiltonianProblemSize(ham), nBasis: stage.scf.nBasis };
    try {
      requireMethodMemory(rungSpecResolved, size, options.maxMemoryBytes, ham);
    } catch (e) {
      if (!(e instanceof ResourceError)) throw e;
      rungs.push(rung(method, { status: 'skipped', reason: e.message }));
      continue;
    }
    const t0 = performance.now();
    try {
      const result = await runOnHamiltonian({ spec: rungSpecResolved, system: stage.system, reference: stage.reference, space, ham, fci, solveFci, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
      finishResult(result, secondsSince(t0) + solvedBefore);
      rungs.push(rung(method, { result, wallTimeSeconds: result.wallTimeSeconds }));
    } catch (e) {
      if (e instanceof ResourceError) {
        rungs.push(rung(method, { status: 'skipped', reason: e.message }));
        continue;
      }
      if (!(e instanceof ConvergenceError)) throw e;
      rungs.push(rung(method, { status: 'failed', wallTimeSeconds: secondsSince(t0), reason: e.message }));
    }
  }

  const fciRung = rungs.find((r) => r.method === 'fci' && r.status === 'ok');
  let fciEnergy = fciRung?.result?.energyHartree ?? null;
  if (fciEnergy === null && fci.solved) {
    try {
      fciEnergy = fci.get().energies[0]!;
    } catch {
      fciEnergy = null;
    }
  }
  if (fciEnergy !== null) {
    for (const r of rungs) if (r.result !== null) r.errorVsFciHartree = r.result.energyHartree - fciEnergy;
  }
  return {
    system: stage.system,
    reference: stage.reference,
    space,
    determinants: fci.determinants,
    fciEnergyHartree: fciEnergy,
    rungs,
    wallTimeSeconds: secondsSince(start),
    qdeVersion: QDE_VERSION,
  };
}
