/**
 * The result record of `qde energy` (the `--json` contract), built from a method result, and its
 * readable text form. All energies in Hartree; `null` marks a quantity that does not apply (e.g. the
 * basis of a Hamiltonian read from an FCIDUMP file).
 */
import { HARTREE_IN_KCAL_PER_MOL } from '../core/index.js';
import type { MethodResult, OrbitalSpace } from '../methods/index.js';
import { alignedLines } from './common.js';

/** Gate counts of a compiled circuit (one- and two-qubit gates, critical-path depth). */
export interface CircuitReport {
  depth: number;
  oneQubitGates: number;
  twoQubitGates: number;
}

/** One state of a multi-root calculation. */
export interface RootReport {
  root: number;
  energyHartree: number;
  /** ⟨S²⟩ of the state. */
  s2: number;
}

/** The object `qde energy --json` prints. */
export interface EnergyReport {
  /** Total energy of the requested method (ground state), Hartree. */
  energyHartree: number;
  /** Method as given on the command line (lower case). */
  method: string;
  /** Basis-set name, or null for a Hamiltonian read from FCIDUMP. */
  basis: string | null;
  /** Number of basis functions, or null for FCIDUMP input. */
  nBasis: number | null;
  /** Total electron count (geometry input) or active electron count (FCIDUMP input). */
  nElectrons: number;
  /** Nuclear repulsion energy, Hartree (null for FCIDUMP input). */
  nuclearRepulsionHartree: number | null;
  /** Always true in a printed report: an unconverged calculation is an error (exit code 3). */
  converged: boolean;
  /** Iterations of the method that produced energyHartree (SCF cycles for hf/uhf). */
  iterations: number;
  /** SCF iterations (geometry input). */
  scfIterations?: number;
  /** SCF (reference) energy, Hartree. */
  scfEnergyHartree?: number;
  /** ⟨S²⟩: of the UHF determinant for uhf/ump2, of the ground state for fci. */
  s2?: number;
  /** Wall time of the whole calculation, seconds. */
  wallSeconds: number;
  /** qde version. */
  qdeVersion: string;
  /** Correlation energy relative to the SCF reference, Hartree (correlated methods). */
  correlationEnergyHartree?: number;
  /** Frozen (uncorrelated) spatial orbitals. */
  frozenOrbitals?: number;
  /** Active space actually correlated: electrons and spatial orbitals. */
  activeElectrons?: number;
  activeOrbitals?: number;
  /** SCF reference: 'rhf' or 'uhf' (geometry input). */
  reference?: 'rhf' | 'uhf' | 'rohf';
  /** Multiplicity and charge of the molecule (geometry input). */
  charge?: number;
  multiplicity?: number;
  /** FCI: number of determinants and every requested root. */
  determinants?: number;
  roots?: RootReport[];
  /** FCI: total energy of every requested root, Hartree (the same numbers as `roots`). */
  energies?: number[];
  /** Quantum methods. */
  qubits?: number;
  parameters?: number;
  mapping?: string;
  ansatz?: string;
  tapered?: boolean;
  circuit?: CircuitReport;
  standardErrorHartree?: number;
  /** FCI energy in the same active space (quantum methods, when affordable), Hartree. */
  referenceFciHartree?: number | null;
  /** Random seed used (quantum methods). */
  seed?: number;
  /** Extra method-specific numbers (e.g. the (T) correction). */
  [extra: string]: unknown;
}

/**
 * The `--json` record of a method result. Field order is part of the contract. `ladderSpace` marks a
 * rung of `qde ladder`: every rung (hf included) then reports the ladder's shared orbital space, and
 * mp2 runs on the shared MO Hamiltonian.
 */
export function toEnergyReport(result: MethodResult, wallSeconds: number, ladderSpace?: OrbitalSpace): EnergyReport {
  const { system, reference } = result;
  const given = reference.kind === 'determinant';
  const r: EnergyReport = {
    energyHartree: result.energyHartree,
    method: result.method,
    basis: system.basis,
    nBasis: system.nBasis,
    nElectrons: system.nElectrons,
    nuclearRepulsionHartree: system.nuclearRepulsionHartree,
    converged: true,
    iterations: result.iterations,
    ...(given ? {} : { scfIterations: reference.iterations, scfEnergyHartree: reference.energyHartree }),
    wallSeconds,
    qdeVersion: result.provenance.qdeVersion,
  };
  const space = (s: OrbitalSpace) => {
    if (s.frozenOrbitals !== null) r.frozenOrbitals = s.frozenOrbitals;
    r.activeElectrons = s.activeElectrons;
    r.activeOrbitals = s.activeOrbitals;
  };
  if (given) {
    r.coreEnergyHartree = system.coreEnergyHartree;
    r.scfEnergyHartree = reference.energyHartree;
  } else {
    r.charge = system.charge!;
    r.multiplicity = system.multiplicity!;
    r.reference = reference.kind as 'rhf' | 'uhf' | 'rohf';
  }
  // an open-shell reference reports its ⟨S²⟩ (FCI's own for fci) and the orbitals beside it
  if (reference.kind === 'uhf') {
    r.s2 = result.method === 'fci' ? result.s2 : reference.s2!;
    if ('space' in result && result.method !== 'mp2' && result.space.orbitals === 'uhf-alpha') r.orbitals = 'uhf-alpha';
  }
  if (!('space' in result)) {
    // hf, uhf
    if (ladderSpace) space(ladderSpace);
    return r;
  }
  const mp2FromScf = result.method === 'mp2' && !given && !ladderSpace && result.provenance.spec.active === null;
  if (!mp2FromScf) space(result.space);
  r.correlationEnergyHartree = result.correlationEnergyHartree;
  switch (result.method) {
    case 'mp2':
      r.sameSpinCorrelationHartree = result.sameSpinCorrelationHartree;
      r.oppositeSpinCorrelationHartree = result.oppositeSpinCorrelationHartree;
      if (mp2FromScf) r.frozenOrbitals = result.space.frozenOrbitals!;
      return r;
    case 'ccsd':
      r.t1Diagnostic = result.t1Diagnostic;
      return r;
    case 'ccsd(t)':
      r.ccsdEnergyHartree = result.ccsdEnergyHartree;
      r.triplesCorrectionHartree = result.triplesCorrectionHartree;
      r.t1Diagnostic = result.t1Diagnostic;
      return r;
    case 'fci':
      if (reference.kind !== 'uhf') r.s2 = result.s2;
      r.determinants = result.determinants;
      r.energies = result.roots.map((x) => x.energyHartree);
      r.symmetryDeterminants = result.symmetryDeterminants;
      r.orbitalSymmetry = { source: result.orbitalSymmetry.source, irreps: result.orbitalSymmetry.irreps };
      r.roots = result.roots.map((x) => ({ root: x.root, energyHartree: x.energyHartree, s2: x.s2 }));
      return r;
  }
  if (!('mapping' in result)) return r;
  // quantum methods: the correlation energy follows the shared quantum fields
  delete r.correlationEnergyHartree;
  r.mapping = result.mapping;
  r.referenceFciHartree = result.referenceFciHartree;
  r.seed = result.provenance.seed;
  r.correlationEnergyHartree = result.correlationEnergyHartree;
  if (result.method === 'adapt-vqe') r.optimizerIterations = result.optimizerIterations;
  r.qubits = result.qubits;
  if (result.method === 'qpe') r.systemQubits = result.systemQubits;
  r.parameters = result.parameters;
  if (result.method === 'vqe') r.ansatz = result.ansatz;
  if (result.method === 'adapt-vqe') {
    r.ansatz = `adapt (${result.pool} pool)`;
    r.operators = result.operators;
  }
  r.tapered = result.tapered;
  r.circuit = { depth: result.circuit.depth, oneQubitGates: result.circuit.oneQubitGates, twoQubitGates: result.circuit.twoQubitGates };
  if (result.method === 'qpe') r.circuitScope = 'one controlled Trotter step';
  r.compiledGates = { ...result.compiledGates };
  r.stoppedBy = result.stoppedBy;
  r.standardErrorHartree = result.standardErrorHartree;
  // a measured (not exact) estimate says what measured it
  const backend = result.provenance.backend;
  if (backend !== null && result.shots > 0) {
    r.backend = backend.name;
    r.shots = result.shots;
    if (backend.device !== null) r.device = backend.device;
    if (backend.mitigation !== null) r.mitigation = backend.mitigation;
    if (result.rawEnergyHartree !== undefined) r.rawEnergyHartree = result.rawEnergyHartree;
  }
  if (result.method === 'qpe') {
    r.resolutionHartree = result.resolutionHartree;
    r.phaseBits = result.phaseBits;
    r.trotterSteps = result.trotterSteps;
    r.successProbability = result.successProbability;
  }
  return r;
}

function energy(value: number): string {
  return `${value.toFixed(10)} Eh`;
}

/** Readable, aligned summary of an energy report. */
export function formatEnergyReport(r: EnergyReport): string {
  const rows: [string, string][] = [];
  const openShellReference = r.reference === 'uhf' ? 'UHF' : r.reference === 'rohf' ? 'ROHF' : null;
  rows.push(['method', openShellReference !== null && r.method !== 'uhf' ? `${r.method} (${openShellReference} reference)` : r.method]);
  if (r.basis !== null) rows.push(['basis', `${r.basis} (${r.nBasis} functions)`]);
  rows.push(['electrons', String(r.nElectrons)]);
  if (r.charge !== undefined) rows.push(['charge / multiplicity', `${r.charge} / ${r.multiplicity}`]);
  if (r.frozenOrbitals !== undefined && r.frozenOrbitals > 0) rows.push(['frozen core orbitals', String(r.frozenOrbitals)]);
  if (r.activeOrbitals !== undefined) rows.push(['active space', `${r.activeElectrons} electrons in ${r.activeOrbitals} orbitals`]);
  if (r.nuclearRepulsionHartree !== null) rows.push(['nuclear repulsion', energy(r.nuclearRepulsionHartree)]);
  if (r.scfEnergyHartree !== undefined && r.method !== 'hf' && r.method !== 'uhf') rows.push(['SCF energy', energy(r.scfEnergyHartree)]);
  if (r.scfIterations !== undefined) rows.push(['SCF iterations', String(r.scfIterations)]);
  if (r.correlationEnergyHartree !== undefined) rows.push(['correlation energy', energy(r.correlationEnergyHartree)]);
  if (typeof r.triplesCorrectionHartree === 'number') rows.push(['(T) correction', energy(r.triplesCorrectionHartree)]);
  if (r.determinants !== undefined) rows.push(['determinants', String(r.determinants)]);
  if (r.qubits !== undefined) {
    rows.push(['qubits', String(r.qubits)]);
    if (r.mapping !== undefined) rows.push(['mapping', `${r.mapping}${r.tapered ? ' (tapered)' : ''}`]);
    if (r.ansatz !== undefined) rows.push(['ansatz', r.ansatz]);
    if (r.parameters !== undefined) rows.push(['parameters', String(r.parameters)]);
    if (r.circuit) {
      rows.push([r.method === 'qpe' ? 'controlled Trotter step' : 'circuit', `depth ${r.circuit.depth}, ${r.circuit.oneQubitGates} one-qubit + ${r.circuit.twoQubitGates} two-qubit gates`]);
    }
    if (r.method === 'qpe') {
      rows.push(['phase bits', String(r.phaseBits)]);
      if (typeof r.trotterSteps === 'number') rows.push(['Trotter steps per U', String(r.trotterSteps)]);
      if (typeof r.resolutionHartree === 'number') rows.push(['resolution', energy(r.resolutionHartree)]);
      if (typeof r.successProbability === 'number') rows.push(['success probability', r.successProbability.toFixed(4)]);
    } else {
      rows.push([r.method === 'adapt-vqe' ? 'ADAPT steps' : 'optimizer iterations', String(r.iterations)]);
      if (r.standardErrorHartree !== undefined) rows.push(['standard error', energy(r.standardErrorHartree)]);
    }
  }
  if (r.s2 !== undefined) rows.push(['<S^2>', r.s2.toFixed(6)]);
  rows.push(['total energy', energy(r.energyHartree)]);
  if (r.referenceFciHartree !== undefined && r.referenceFciHartree !== null) {
    const diff = r.energyHartree - r.referenceFciHartree;
    rows.push(['FCI (same space)', `${energy(r.referenceFciHartree)}  (error ${(diff * HARTREE_IN_KCAL_PER_MOL).toFixed(4)} kcal/mol)`]);
  }
  let text = alignedLines(rows);
  if (r.roots && r.roots.length > 1) {
    text += '\nroot  energy / Eh          <S^2>\n';
    for (const root of r.roots) text += `${String(root.root).padStart(4)}  ${root.energyHartree.toFixed(10).padStart(18)}  ${root.s2.toFixed(4).padStart(8)}\n`;
  }
  text += `wall time ${r.wallSeconds.toFixed(2)} s, qde ${r.qdeVersion}\n`;
  return text;
}
