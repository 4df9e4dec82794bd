/**
 * One door from an input to a result: a molecule (or a given MolecularHamiltonian, e.g. read from
 * FCIDUMP) and a {@link MethodSpec} go in, a {@link MethodResult} comes out.
 *
 * The chain is geometry → basis → SCF (as the reference policy says) → MO Hamiltonian (frozen core,
 * active space) → method. Each step is a small exported function so that the ladder can run the
 * first steps once and every rung on their output. Energies in Hartree.
 *
 * The quantum stages (algorithms, and beneath them backends, circuits and qubits) are imported when
 * the first quantum method runs, so a process that computes only HF, MP2, CC or FCI energies (a
 * campaign's label worker, `qde energy` with a classical method) never loads them.
 */
import { type Molecule, centerMolecule, moleculeFormula, withChargeAndMultiplicity } from '../chem/index.js';
import { buildMolecularBasis, loadBasisLibrary } from '../basis/index.js';
import { type ScfResult, runRhf, runRohf, runUhf } from '../scf/index.js';
import { type MolecularHamiltonian, frozenCoreOrbitalCount, molecularHamiltonianFromScf } from '../hamiltonian/index.js';
import { type FciOptions, type FciResult, type Mp2Result, runCcsd, runCcsdT, runFci, runMp2 } from '../classical/index.js';
import type { AnsatzName } from '../algorithms/index.js';
import { defaultMemoryLimitBytes } from '../core/index.js';
import { QDE_VERSION } from '../version.js';
import type { ProgressSink } from './progress.js';
import {
  type ProblemSize,
  estimateMethodMemory,
  hamiltonianProblemSize,
  molecularProblemSize,
  requireMemory,
} from './resources.js';
import type { BackendInfo, Estimator } from '../backends/index.js';
import type { Circuit } from '../circuits/index.js';
import { type QuantumStages, loadQuantumStages } from './quantum-stages.js';
import { determinantCount, referenceDeterminantEnergy } from './hamiltonian-info.js';
import { type ReferencePlan, referencePlan } from './policy.js';
import {
  MAX_REFERENCE_FCI_DETERMINANTS,
  type MethodSpec,
  type ResolvedMethodSpec,
  type SpecKeyLabel,
  resolveMethodSpec,
  specKeyName,
} from './spec.js';
import {
  type CircuitCounts,
  type LabelGateCounts,
  type CorrelatedResult,
  type MethodResult,
  type Mp2MethodResult,
  type OrbitalSpace,
  type ReferenceInfo,
  type SystemInfo,
  requirePlainFiniteData,
} from './result.js';

/** An FCI solver with the signature of runFci (substitute one to observe or count the solves). */
export type FciSolver = (ham: MolecularHamiltonian, options: FciOptions) => FciResult;

/** Options of {@link runMethod} that do not change the result. */
export interface MethodRunOptions {
  /** How validation messages name spec keys (default: `'key'`). */
  keyLabel?: SpecKeyLabel;
  /** The FCI solver (default runFci). */
  solveFci?: FciSolver;
  /**
   * Largest estimated peak memory, in bytes, a calculation may need (default: 80 % of the machine's
   * memory). Larger ones are refused before they start.
   */
  maxMemoryBytes?: number;
  /** Receives the iterations of every iterative step, for progress output. */
  onProgress?: ProgressSink;
}

/** What a method runs on: a molecule, or a Hamiltonian whose constant, integrals and electron counts are given. */
export type MethodInput = Molecule | MolecularHamiltonian;

/** True when the input is a MolecularHamiltonian rather than a Molecule. */
export function isHamiltonianInput(input: MethodInput): input is MolecularHamiltonian {
  return (input as Partial<MolecularHamiltonian>).oneBody !== undefined;
}

/** The SCF reference of a molecule, as the methods use it. */
export interface ScfStage {
  /** The molecule the SCF ran on (charge and multiplicity of the spec applied, centred). */
  molecule: Molecule;
  scf: ScfResult;
  system: SystemInfo;
  reference: ReferenceInfo;
}

/**
 * Basis and SCF for `molecule` as `spec` and `plan` say. The molecule is first moved so that its
 * centroid is at the origin, which removes round-off that grows with the distance from it.
 */
export function runScfStage(
  molecule: Molecule,
  spec: ResolvedMethodSpec,
  plan: ReferencePlan,
  checkSize: (molecule: Molecule, nBasis: number) => void = () => {},
  onProgress?: ProgressSink,
): ScfStage {
  const centred = centerMolecule(molecule);
  const basis = buildMolecularBasis(centred, loadBasisLibrary(spec.basis!));
  checkSize(centred, basis.nFunctions);
  const options = {
    ...(spec.scfMaxIterations !== null ? { maxIterations: spec.scfMaxIterations } : {}),
    ...(spec.scfType !== undefined ? { scfType: spec.scfType } : {}),
  };
  const run = plan.scf === 'uhf' ? runUhf : plan.scf === 'rohf' ? runRohf : runRhf;
  const scf = run(centred, basis, {
    ...options,
    ...(onProgress
      ? {
          onIteration: (info: { iteration: number; energyHartree: number; orbitalGradientMax: number }) =>
            onProgress({ step: 'scf', iteration: info.iteration, energyHartree: info.energyHartree, detail: `orbital gradient ${info.orbitalGradientMax.toExponential(1)}` }),
        }
      : {}),
  });
  return {
    molecule: centred,
    scf,
    system: {
      formula: moleculeFormula(centred),
      basis: basis.name,
      nBasis: scf.nBasis,
      nElectrons: scf.nElectrons,
      nuclearRepulsionHartree: scf.nuclearRepulsionHartree,
      charge: centred.charge,
      multiplicity: centred.multiplicity,
      coreEnergyHartree: null,
    },
    reference: { kind: scf.method, energyHartree: scf.energyHartree, iterations: scf.iterations, s2: scf.s2 },
  };
}

/** An MO Hamiltonian and the orbital space it spans. */
export interface SpaceStage {
  ham: MolecularHamiltonian;
  space: OrbitalSpace;
}

/** The MO Hamiltonian of `scf` with the spec's frozen core or active space. */
export function hamiltonianStage(scf: ScfResult, spec: ResolvedMethodSpec, orbitals: OrbitalSpace['orbitals']): SpaceStage {
  const ham = molecularHamiltonianFromScf(scf, {
    ...(spec.frozenCore ? { frozenCore: true } : {}),
    ...(spec.active ? { active: spec.active } : {}),
  });
  return {
    ham,
    space: {
      orbitals,
      // frozen orbitals are doubly occupied, so their number is the drop in α electrons
      frozenOrbitals: scf.nAlpha - ham.nAlpha,
      activeElectrons: ham.nAlpha + ham.nBeta,
      activeOrbitals: ham.nOrbitals,
    },
  };
}

/**
 * The single-root FCI of one Hamiltonian, solved at most once and shared by every method that needs
 * it (the fci method and the reference energy of the quantum methods). A failure is kept and
 * rethrown to every later caller, as a fresh solve would fail the same way.
 */
export class SharedFci {
  /** Determinants of the Hamiltonian's FCI space. */
  readonly determinants: number;
  /** Wall time of the solve, seconds (0 before it ran). */
  seconds = 0;
  private outcome: { result: FciResult } | { error: unknown } | undefined;
  constructor(
    readonly ham: MolecularHamiltonian,
    private readonly solve: FciSolver = runFci,
  ) {
    this.determinants = determinantCount(ham);
  }
  /** The FCI result (solving it on the first call). */
  get(): FciResult {
    if (this.outcome === undefined) {
      const t0 = performance.now();
      try {
        this.outcome = { result: this.solve(this.ham, { roots: 1 }) };
      } catch (error) {
        this.outcome = { error };
      }
      this.seconds = secondsSince(t0);
    }
    if ('error' in this.outcome) throw this.outcome.error;
    return this.outcome.result;
  }
  /** Whether the solve has run (successfully or not). */
  get solved(): boolean {
    return this.outcome !== undefined;
  }
  /** Whether the space is small enough to solve (at most {@link MAX_REFERENCE_FCI_DETERMINANTS}). */
  get affordable(): boolean {
    return this.determinants <= MAX_REFERENCE_FCI_DETERMINANTS;
  }
  /** The ground-state energy, or null when the space is too large. */
  referenceEnergy(): number | null {
    return this.affordable ? this.get().energies[0]! : null;
  }
}

/** Everything a correlated method needs besides the spec: the system, its reference and the Hamiltonian. */
export interface HamiltonianContext {
  spec: ResolvedMethodSpec;
  system: SystemInfo;
  reference: ReferenceInfo;
  space: OrbitalSpace;
  ham: MolecularHamiltonian;
  /** The shared single-root FCI of `ham`. */
  fci: SharedFci;
  solveFci: FciSolver;
  onProgress?: ProgressSink;
}

/** Depth and gate counts of a compiled (CNOT + one-qubit) circuit. */
function compiledCircuitCounts({ circuits }: QuantumStages, circuit: Circuit): CircuitCounts {
  const c = circuits.compiledGateCounts(circuit);
  return { depth: c.depth, oneQubitGates: c.oneQubit, twoQubitGates: c.twoQubit };
}

function circuitCounts(c: { depth: number; oneQubitGates: number; twoQubitGates: number }): CircuitCounts {
  return { depth: c.depth, oneQubitGates: c.oneQubitGates, twoQubitGates: c.twoQubitGates };
}

function correlated(ctx: HamiltonianContext, energyHartree: number, iterations: number, backend: BackendInfo | null = null): CorrelatedResult {
  return {
    method: ctx.spec.method,
    energyHartree,
    standardErrorHartree: 0,
    converged: true,
    iterations,
    wallTimeSeconds: 0,
    provenance: { qdeVersion: QDE_VERSION, spec: ctx.spec, backend, seed: ctx.spec.seed },
    system: ctx.system,
    reference: ctx.reference,
    space: ctx.space,
    correlationEnergyHartree: energyHartree - ctx.reference.energyHartree,
  };
}

/** CCSD options that report the amplitude iterations. */
function ccProgress(ctx: HamiltonianContext): { onIteration?: (iteration: number, correlation: number, residual: number) => void } {
  return ccProgressFor(ctx.reference.energyHartree, ctx.onProgress);
}

/** CC options that report each iteration's total energy (reference + correlation) to `sink`. */
function ccProgressFor(referenceHartree: number, sink: ProgressSink | undefined): { onIteration?: (iteration: number, correlation: number, residual: number) => void } {
  if (!sink) return {};
  return {
    onIteration: (iteration, correlation, residual) =>
      sink({ step: 'ccsd', iteration, energyHartree: referenceHartree + correlation, detail: `residual ${residual.toExponential(1)}` }),
  };
}

/** Optimiser options that report the iterations of a variational method. */
function optimizerProgress(ctx: HamiltonianContext, step: string): { optimizer?: { onIteration: (iteration: number, value: number, gradientNorm: number) => void } } {
  const sink = ctx.onProgress;
  if (!sink) return {};
  let count = 0;
  return {
    optimizer: {
      onIteration: (_iteration, value, gradientNorm) =>
        sink({ step, iteration: ++count, energyHartree: value, detail: `gradient norm ${gradientNorm.toExponential(1)}` }),
    },
  };
}

/**
 * The FCI solver of `solve` reporting its Davidson iterations (electronic eigenvalue plus the
 * Hamiltonian's constant), or `solve` itself without a sink.
 */
export function fciWithProgress(solve: FciSolver, onProgress?: ProgressSink): FciSolver {
  if (!onProgress) return solve;
  return (ham, options) => {
    let count = 0;
    return solve(ham, {
      ...options,
      onIteration: (sector, _iteration, lowest) =>
        onProgress({ step: 'fci', iteration: ++count, energyHartree: lowest + ham.constantHartree, detail: `symmetry sector ${sector}` }),
    });
  };
}

/** The MP2-specific fields of a result. */
function mp2Fields(mp2: Mp2Result): Pick<Mp2MethodResult, 'method' | 'variant' | 'correlationEnergyHartree' | 'sameSpinCorrelationHartree' | 'oppositeSpinCorrelationHartree'> {
  return {
    method: 'mp2',
    variant: mp2.method === 'ump2' ? 'ump2' : 'rmp2',
    correlationEnergyHartree: mp2.correlationEnergyHartree,
    sameSpinCorrelationHartree: mp2.sameSpinCorrelationHartree,
    oppositeSpinCorrelationHartree: mp2.oppositeSpinCorrelationHartree,
  };
}

/**
 * Run the correlated method of `ctx.spec` (mp2, ccsd, ccsd(t), fci, vqe, adapt-vqe, qpe) on `ctx.ham`.
 * `wallTimeSeconds` is left 0 for the caller to fill.
 */
export async function runOnHamiltonian(ctx: HamiltonianContext): Promise<MethodResult> {
  const { spec, ham } = ctx;
  // iterations of a non-iterative method on a molecule are the SCF's, as for hf
  const scfIterations = ctx.reference.iterations;
  switch (spec.method) {
    case 'mp2': {
      const mp2 = runMp2(ham);
      return { ...correlated(ctx, mp2.energyHartree, scfIterations), ...mp2Fields(mp2) };
    }
    case 'ccsd': {
      const cc = runCcsd(ham, ccProgress(ctx));
      return {
        ...correlated(ctx, cc.energyHartree, cc.iterations),
        method: 'ccsd',
        correlationEnergyHartree: cc.correlationEnergyHartree,
        t1Diagnostic: cc.t1Diagnostic,
      };
    }
    case 'ccsd(t)': {
      const cc = runCcsdT(ham, ccProgress(ctx));
      return {
        ...correlated(ctx, cc.energyHartree, cc.iterations),
        method: 'ccsd(t)',
        correlationEnergyHartree: cc.correlationEnergyHartree,
        ccsdEnergyHartree: cc.ccsdEnergyHartree,
        triplesCorrectionHartree: cc.tripleCorrectionHartree,
        t1Diagnostic: cc.t1Diagnostic,
      };
    }
    case 'fci': {
      const roots = spec.roots ?? 1;
      const fci = roots === 1 ? ctx.fci.get() : ctx.solveFci(ham, { roots });
      const energies = Array.from(fci.energies);
      return {
        ...correlated(ctx, energies[0]!, fci.iterations),
        method: 'fci',
        s2: fci.s2[0]!,
        determinants: fci.determinants,
        symmetryDeterminants: fci.symmetryDeterminants,
        orbitalSymmetry: { source: fci.orbitalSymmetry.source, irreps: fci.orbitalSymmetry.irreps },
        roots: energies.map((energyHartree, root) => ({
          root,
          energyHartree,
          s2: fci.s2[root]!,
          symmetry: fci.rootSymmetries[root] ?? 0,
        })),
      };
    }
    case 'vqe':
    case 'adapt-vqe':
    case 'qpe':
      return runQuantum(ctx);
    default:
      throw new Error(`method '${spec.method}' does not run on a Hamiltonian`);
  }
}

/** The estimator of a spec's backend; undefined for the exact state vector (the algorithms' own default route). */
function estimatorOf({ algorithms }: QuantumStages, spec: ResolvedMethodSpec, ham: MolecularHamiltonian): Estimator | undefined {
  if (spec.backend === null || spec.backend.name === 'statevector') return undefined;
  // mitigation (readout, zero-noise extrapolation, symmetry verification) wraps the sampled estimator
  return algorithms.createMitigatedEstimator(spec.backend, { nAlpha: ham.nAlpha, nBeta: ham.nBeta });
}

/** IonQ native family of a backend that runs native gates (the ionq backend on an Aria or Forte target), else undefined. */
function nativeFamily(spec: ResolvedMethodSpec, info: BackendInfo | undefined): 'aria' | 'forte' | undefined {
  if (spec.backend === null || spec.backend.name !== 'ionq') return undefined;
  const device = `${info?.device ?? ''} ${(spec.backend as { target?: string }).target ?? ''}`;
  if (/forte/i.test(device)) return 'forte';
  // the cloud simulator and Aria QPUs take the Aria gate set
  return 'aria';
}

/** Counts of a CNOT + one-qubit circuit as the result reports them. */
function cnotCounts(c: { oneQubitGates: number; twoQubitGates: number }): LabelGateCounts {
  return { oneQubitGates: c.oneQubitGates, twoQubitGates: c.twoQubitGates, native: null };
}

async function runQuantum(ctx: HamiltonianContext): Promise<MethodResult> {
  const { spec, ham } = ctx;
  const stages = await loadQuantumStages();
  const { createMitigatedEstimator, runAdaptVqe, runCompactVqe, runPhaseEstimation, runVqe } = stages.algorithms;
  const mapping = spec.mapping ?? 'jordan-wigner';
  const backend = estimatorOf(stages, spec, ham);
  const on = backend !== undefined ? { backend } : {};
  const native = nativeFamily(spec, backend?.info);
  if (spec.method === 'vqe' && spec.ansatz === 'compact') {
    const r = await runCompactVqe({
      hamiltonian: ham,
      // the exact state vector when the spec names no backend
      backend: backend ?? createMitigatedEstimator({ name: 'statevector' }),
      mapping,
      ...(spec.maxTwoQubitGates !== undefined ? { maxTwoQubitGates: spec.maxTwoQubitGates } : {}),
      ...(native !== undefined ? { nativeDevice: native } : {}),
    });
    const counts = compiledCircuitCounts(stages, r.compiledCircuit);
    return {
      ...correlated(ctx, r.energyHartree, r.iterations, { ...r.backend }),
      standardErrorHartree: r.standardErrorHartree,
      mapping,
      referenceFciHartree: ctx.fci.referenceEnergy(),
      shots: r.shots,
      ...(r.backend.mitigation !== null && r.rawEnergyHartree !== null ? { rawEnergyHartree: r.rawEnergyHartree } : {}),
      method: 'vqe',
      qubits: r.qubits,
      parameters: r.parameters.length,
      ansatz: 'compact',
      tapered: false,
      circuit: counts,
      compiledGates: r.nativeGates !== null ? { oneQubitGates: r.nativeGates.oneQubitGates, twoQubitGates: r.nativeGates.twoQubitGates, native: r.nativeGates.native } : cnotCounts(counts),
      stoppedBy: r.stoppedBy,
      operators: [...r.operators],
      exactEnergyHartree: r.exactEnergyHartree,
    };
  }
  const quantum = (r: { energyHartree: number; standardErrorHartree: number; backend: BackendInfo; shots: number }, iterations: number) => ({
    ...correlated(ctx, r.energyHartree, iterations, { ...r.backend }),
    standardErrorHartree: r.standardErrorHartree,
    mapping,
    referenceFciHartree: ctx.fci.referenceEnergy(),
    shots: r.shots,
  });
  if (spec.method === 'vqe') {
    const r = await runVqe({
      hamiltonian: ham,
      mapping,
      taper: spec.taper ?? false,
      ansatz: (spec.ansatz ?? 'uccsd') as AnsatzName,
      seed: spec.seed,
      ...(spec.layers !== null ? { layers: spec.layers } : {}),
      ...optimizerProgress(ctx, 'vqe'),
      ...on,
    });
    return {
      ...quantum(r, r.iterations),
      ...(r.backend.mitigation !== null ? { rawEnergyHartree: r.rawEnergyHartree } : {}),
      method: 'vqe',
      qubits: r.qubits,
      parameters: r.parameterCount,
      ansatz: r.ansatz,
      tapered: r.tapered,
      circuit: circuitCounts(r.circuit),
      // the measuring backends run the circuit decomposed to CNOT + one-qubit gates, as counted here
      compiledGates: cnotCounts(r.circuit),
      stoppedBy: null,
    };
  }
  if (spec.method === 'adapt-vqe') {
    const r = await runAdaptVqe({
      hamiltonian: ham,
      mapping,
      ...(spec.pool !== null ? { pool: spec.pool } : {}),
      ...(spec.maxTwoQubitGates !== undefined ? { maxTwoQubitGates: spec.maxTwoQubitGates } : {}),
      ...optimizerProgress(ctx, 'adapt-vqe'),
      ...on,
    });
    return {
      ...quantum(r, r.iterations),
      method: 'adapt-vqe',
      qubits: r.qubits,
      parameters: r.parameters.length,
      pool: r.pool,
      operators: [...r.operators],
      optimizerIterations: r.optimizerIterations,
      tapered: false,
      circuit: circuitCounts(r.circuit),
      // the circuit the backend runs: native gates on IonQ, else decomposed to CNOT + one-qubit gates
      // (the budget bounds the peephole-optimised count; the measured route runs the circuit unoptimised)
      compiledGates:
        native !== undefined && r.nativeGates !== null
          ? { oneQubitGates: r.nativeGates.oneQubit, twoQubitGates: r.nativeGates.twoQubit, native: r.nativeGates.device }
          : cnotCounts(r.circuit),
      stoppedBy: r.stoppedBy,
    };
  }
  const r = await runPhaseEstimation({ hamiltonian: ham, mapping, ...(spec.bits !== null ? { bits: spec.bits } : {}), ...on });
  return {
    // the most probable outcome: the accuracy is the resolution, not a sampling error
    ...quantum({ ...r, standardErrorHartree: 0 }, r.bits),
    method: 'qpe',
    // system register plus the phase ancilla
    qubits: r.qubits + 1,
    systemQubits: r.qubits,
    parameters: 0,
    tapered: false,
    // resources of one controlled second-order Trotter step (system register + ancilla)
    circuit: circuitCounts(r.controlledStepCircuit),
    compiledGates: cnotCounts(r.controlledStepCircuit),
    stoppedBy: null,
    resolutionHartree: r.resolutionHartree,
    phaseBits: r.bits,
    trotterSteps: r.trotterSteps,
    successProbability: r.successProbability,
  };
}

/** A molecule's MO Hamiltonian with the SCF it came from and the orbital space it spans. */
export interface MolecularHamiltonianStage extends SpaceStage {
  scf: ScfResult;
  system: SystemInfo;
  reference: ReferenceInfo;
  /** The resolved spec (method 'fci': the orbital space and reference keys are what matter). */
  spec: ResolvedMethodSpec;
}

/**
 * The MO Hamiltonian of a molecule as the correlated methods see it: the spec's basis, charge,
 * multiplicity, frozen core or active space and reference, the molecule moved to its centroid, and
 * the memory checked before the SCF starts. `spec.method` is ignored (the Hamiltonian is the same
 * for every correlated method).
 * @throws InputError for a bad spec or molecule; ResourceError when it does not fit the memory limit
 */
export function buildMolecularHamiltonian(
  molecule: Molecule,
  spec: Omit<MethodSpec, 'method'>,
  options: MethodRunOptions = {},
): MolecularHamiltonianStage {
  const label = options.keyLabel ?? specKeyName;
  const resolved = resolveMethodSpec({ ...spec, method: 'fci' }, { kind: 'molecule', charge: molecule.charge, multiplicity: molecule.multiplicity }, label);
  const target =
    resolved.charge !== molecule.charge || resolved.multiplicity !== molecule.multiplicity
      ? withChargeAndMultiplicity(molecule, resolved.charge!, resolved.multiplicity!)
      : molecule;
  const plan = referencePlan('fci', target, { ...resolved, reference: spec.reference ?? null }, label);
  resolved.reference = plan.scf;
  const stage = runScfStage(target, resolved, plan, (centred, nBasis) =>
    requireMethodMemory(resolved, molecularProblemSize(centred, nBasis, resolved), options.maxMemoryBytes),
    options.onProgress,
  );
  const space = hamiltonianStage(stage.scf, resolved, plan.orbitals ?? 'rhf');
  return { ...space, scf: stage.scf, system: stage.system, reference: stage.reference, spec: resolved };
}

/**
 * Refuse `spec` on a problem of this size when its estimated peak memory exceeds the limit.
 * @throws ResourceError with the estimate, its largest part and the limit
 */
export function requireMethodMemory(
  spec: ResolvedMethodSpec,
  size: ProblemSize,
  limitBytes: number = defaultMemoryLimitBytes(),
  hamiltonian?: MolecularHamiltonian,
): void {
  const estimate = estimateMethodMemory(spec.method, size, {
    ansatz: spec.ansatz,
    layers: spec.layers,
    pool: spec.pool,
    roots: spec.roots ?? 1,
    ...(spec.scfType !== undefined ? { scfType: spec.scfType } : {}),
    ...(hamiltonian !== undefined ? { hamiltonian } : {}),
  });
  requireMemory(spec.method.toUpperCase(), estimate, limitBytes);
}

/** Seconds elapsed since `startMs` (a performance.now() reading). */
export function secondsSince(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}

/** Stamp the wall time and check that the result is plain, finite data. */
export function finishResult<R extends MethodResult>(result: R, wallTimeSeconds: number): R {
  result.wallTimeSeconds = wallTimeSeconds;
  requirePlainFiniteData(result, result.method);
  return result;
}

/**
 * Compute one energy: `input` with the method of `spec`.
 *
 * A molecule goes through basis → SCF → MO Hamiltonian → method, with the reference chosen by
 * {@link referencePlan}; a given MolecularHamiltonian goes straight to the (correlated) method, and
 * its lowest determinant is the reference of the correlation energy.
 * @throws InputError for a bad spec (naming the key) or an impossible molecule/orbital space
 * @throws ConvergenceError when a step does not converge or a result is not finite
 */
export async function runMethod(input: MethodInput, spec: MethodSpec, options: MethodRunOptions = {}): Promise<MethodResult> {
  const start = performance.now();
  const label = options.keyLabel ?? specKeyName;
  const solveFci = fciWithProgress(options.solveFci ?? runFci, options.onProgress);

  if (isHamiltonianInput(input)) {
    const resolved = resolveMethodSpec(spec, { kind: 'hamiltonian' }, label);
    requireMethodMemory(resolved, hamiltonianProblemSize(input), options.maxMemoryBytes, input);
    const nElectrons = input.nAlpha + input.nBeta;
    const result = await runOnHamiltonian({
      spec: resolved,
      system: {
        formula: null,
        basis: null,
        nBasis: null,
        nElectrons,
        nuclearRepulsionHartree: null,
        charge: null,
        multiplicity: null,
        coreEnergyHartree: input.constantHartree,
      },
      reference: { kind: 'determinant', energyHartree: referenceDeterminantEnergy(input), iterations: 0, s2: null },
      space: { orbitals: 'given', frozenOrbitals: null, activeElectrons: nElectrons, activeOrbitals: input.nOrbitals },
      ham: input,
      fci: new SharedFci(input, solveFci),
      solveFci,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return finishResult(result, secondsSince(start));
  }

  const resolved = resolveMethodSpec(spec, { kind: 'molecule', charge: input.charge, multiplicity: input.multiplicity }, label);
  const molecule =
    resolved.charge !== input.charge || resolved.multiplicity !== input.multiplicity
      ? withChargeAndMultiplicity(input, resolved.charge!, resolved.multiplicity!)
      : input;
  const plan = referencePlan(resolved.method, molecule, { ...resolved, reference: spec.reference ?? null }, label);
  resolved.reference = plan.scf;
  const stage = runScfStage(molecule, resolved, plan, (centred, nBasis) =>
    requireMethodMemory(resolved, molecularProblemSize(centred, nBasis, resolved), options.maxMemoryBytes),
    options.onProgress,
  );
  const { scf } = stage;
  if (resolved.method === 'hf' || resolved.method === 'uhf') {
    return finishResult(
      {
        method: resolved.method,
        energyHartree: scf.energyHartree,
        standardErrorHartree: 0,
        converged: true,
        iterations: scf.iterations,
        wallTimeSeconds: 0,
        provenance: { qdeVersion: QDE_VERSION, spec: resolved, backend: null, seed: resolved.seed },
        system: stage.system,
        reference: stage.reference,
      },
      secondsSince(start),
    );
  }
  if (resolved.method === 'mp2' && resolved.active === null && plan.scf !== 'rohf') {
    // MP2 straight from the SCF result: RMP2, or UMP2 on both UHF spin-orbital sets
    const mp2 = runMp2(scf, { frozenCore: resolved.frozenCore });
    const frozen = mp2.nFrozen;
    return finishResult(
      {
        energyHartree: mp2.energyHartree,
        standardErrorHartree: 0,
        converged: true,
        iterations: scf.iterations,
        wallTimeSeconds: 0,
        provenance: { qdeVersion: QDE_VERSION, spec: resolved, backend: null, seed: resolved.seed },
        system: stage.system,
        reference: stage.reference,
        space: {
          orbitals: scf.method === 'uhf' ? 'uhf' : 'rhf',
          frozenOrbitals: frozen,
          activeElectrons: scf.nElectrons - 2 * frozen,
          activeOrbitals: scf.nOrbitals - frozen,
        },
        ...mp2Fields(mp2),
      },
      secondsSince(start),
    );
  }
  if ((resolved.method === 'ccsd' || resolved.method === 'ccsd(t)') && resolved.active === null && scf.method === 'rhf') {
    // RHF-CCSD straight from the SCF result: only the integral blocks CC needs, never the n⁴ MO tensor
    const frozen = resolved.frozenCore ? frozenCoreOrbitalCount(scf.molecule) : 0;
    const progress = ccProgressFor(stage.reference.energyHartree, options.onProgress);
    const common = {
      standardErrorHartree: 0,
      converged: true as const,
      wallTimeSeconds: 0,
      provenance: { qdeVersion: QDE_VERSION, spec: resolved, backend: null, seed: resolved.seed },
      system: stage.system,
      reference: stage.reference,
      space: {
        orbitals: plan.orbitals ?? ('rhf' as const),
        frozenOrbitals: frozen,
        activeElectrons: scf.nElectrons - 2 * frozen,
        activeOrbitals: scf.nOrbitals - frozen,
      },
    };
    if (resolved.method === 'ccsd') {
      const cc = runCcsd(scf, { frozenOrbitals: frozen, ...progress });
      return finishResult(
        { ...common, method: 'ccsd', energyHartree: cc.energyHartree, iterations: cc.iterations, correlationEnergyHartree: cc.correlationEnergyHartree, t1Diagnostic: cc.t1Diagnostic },
        secondsSince(start),
      );
    }
    const cc = runCcsdT(scf, { frozenOrbitals: frozen, ...progress });
    return finishResult(
      {
        ...common,
        method: 'ccsd(t)',
        energyHartree: cc.energyHartree,
        iterations: cc.iterations,
        correlationEnergyHartree: cc.correlationEnergyHartree,
        ccsdEnergyHartree: cc.ccsdEnergyHartree,
        triplesCorrectionHartree: cc.tripleCorrectionHartree,
        t1Diagnostic: cc.t1Diagnostic,
      },
      secondsSince(start),
    );
  }
  const { ham, space } = hamiltonianStage(scf, resolved, plan.orbitals ?? 'rhf');
  const result = await runOnHamiltonian({
    spec: resolved,
    system: stage.system,
    reference: stage.reference,
    space,
    ham,
    fci: new SharedFci(ham, solveFci),
    solveFci,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return finishResult(result, secondsSince(start));
}
