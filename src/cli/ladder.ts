/**
 * `qde ladder`: the same geometry on every rung, classical and quantum, from one SCF and one MO
 * Hamiltonian — HF, MP2, CCSD, CCSD(T), FCI, then VQE, ADAPT-VQE and phase estimation on the exact
 * state-vector simulator — with each energy's distance from full CI. A rung that fails to converge
 * is reported as failed and the others go on; nothing unconverged is printed as an energy.
 */
import { Command, Option } from 'commander';
import { ConvergenceError, InputError } from '../core/errors.js';
import { electronCount, moleculeFormula } from '../chem/molecule.js';
import { buildMolecularBasis, loadBasisLibrary } from '../basis/index.js';
import { runRhf } from '../scf/index.js';
import { molecularHamiltonianFromScf } from '../hamiltonian/index.js';
import type { FermionMapping } from '../qubits/index.js';
import { QDE_VERSION } from '../version.js';
import {
  type ActiveSpaceOption,
  type CliIo,
  alignedLines,
  loadGeometry,
  parseActiveOption,
  parseIntegerOption,
  parseNonNegativeIntegerOption,
  parsePositiveIntegerOption,
} from './common.js';
import {
  MAX_REFERENCE_FCI_DETERMINANTS,
  type MethodName,
  determinantCount,
  runMethodOnHamiltonian,
  scfReport,
} from './methods.js';
import type { EnergyReport } from './report.js';

/** The rungs of the ladder, cheapest first. */
export const LADDER_METHODS = ['hf', 'mp2', 'ccsd', 'ccsd(t)', 'fci', 'vqe', 'adapt-vqe', 'qpe'] as const;
/** A rung of the ladder. */
export type LadderMethod = (typeof LADDER_METHODS)[number];

const QUANTUM: ReadonlySet<string> = new Set(['vqe', 'adapt-vqe', 'qpe']);

/** Options of `qde ladder`. */
export interface LadderOptions {
  basis: string;
  methods?: LadderMethod[];
  charge?: number;
  multiplicity?: number;
  frozenCore?: boolean;
  active?: ActiveSpaceOption;
  mapping?: FermionMapping;
  seed: number;
  /** Largest qubit register the quantum rungs may use (default 16). */
  maxQubits: number;
  json?: boolean;
}

/** One rung's outcome. */
export interface LadderRung {
  method: LadderMethod;
  kind: 'classical' | 'quantum';
  status: 'ok' | 'failed' | 'skipped';
  /** Total energy, Hartree (status ok). */
  energyHartree?: number;
  /** Energy minus the FCI energy of the same space, Hartree (when FCI ran). */
  errorVsFciHartree?: number;
  /** Standard error of the energy, Hartree (0 for deterministic and exact-simulator results). */
  standardErrorHartree?: number;
  wallSeconds: number;
  /** Why the rung failed or was skipped. */
  reason?: string;
  /** The full result record, as `qde energy --json` prints it (status ok). */
  report?: EnergyReport;
}

/** The object `qde ladder --json` prints. */
export interface LadderReport {
  formula: string;
  basis: string;
  nBasis: number;
  nElectrons: number;
  nuclearRepulsionHartree: number;
  frozenOrbitals: number;
  activeElectrons: number;
  activeOrbitals: number;
  determinants: number;
  fciEnergyHartree: number | null;
  rungs: LadderRung[];
  wallSeconds: number;
  qdeVersion: string;
}

function parseMethods(value: string): LadderMethod[] {
  const out: LadderMethod[] = [];
  for (const raw of value.split(',')) {
    const m = raw.trim().toLowerCase();
    if (!(LADDER_METHODS as readonly string[]).includes(m)) {
      throw new InputError(`--methods: unknown method '${raw.trim()}' (choose from ${LADDER_METHODS.join(', ')})`);
    }
    if (!out.includes(m as LadderMethod)) out.push(m as LadderMethod);
  }
  return out;
}

/**
 * Run the ladder without printing.
 * @throws InputError for bad input (a failing rung is recorded, not thrown).
 */
export async function runLadder(geometry: string, options: LadderOptions): Promise<LadderReport> {
  const start = performance.now();
  if (options.frozenCore && options.active) {
    throw new InputError('give either --frozen-core or --active: the active space already keeps the orbitals below it doubly occupied');
  }
  const molecule = loadGeometry(geometry, options.charge, options.multiplicity);
  if (molecule.multiplicity !== 1 || electronCount(molecule) % 2 !== 0) {
    throw new InputError(
      `the ladder runs on an RHF reference and needs a closed-shell singlet; ${moleculeFormula(molecule)} has ` +
        `${electronCount(molecule)} electrons and multiplicity ${molecule.multiplicity} (use 'qde energy --method uhf|mp2|fci' for open shells)`,
    );
  }
  const methods = options.methods ?? [...LADDER_METHODS];
  const basis = buildMolecularBasis(molecule, loadBasisLibrary(options.basis));
  const scfStart = performance.now();
  const scf = runRhf(molecule, basis);
  const scfSeconds = (performance.now() - scfStart) / 1000;
  const ham = molecularHamiltonianFromScf(scf, {
    ...(options.frozenCore ? { frozenCore: true } : {}),
    ...(options.active ? { active: options.active } : {}),
  });
  const determinants = determinantCount(ham);
  const base: EnergyReport = {
    ...scfReport(scf, basis.name, 'hf'),
    wallSeconds: scfSeconds,
    qdeVersion: QDE_VERSION,
    frozenOrbitals: scf.nAlpha - ham.nAlpha,
    activeElectrons: ham.nAlpha + ham.nBeta,
    activeOrbitals: ham.nOrbitals,
  };

  const rungs: LadderRung[] = [];
  for (const method of methods) {
    const kind = QUANTUM.has(method) ? 'quantum' : 'classical';
    if (method === 'hf') {
      rungs.push({ method, kind, status: 'ok', energyHartree: scf.energyHartree, standardErrorHartree: 0, wallSeconds: scfSeconds, report: { ...base } });
      continue;
    }
    if (method === 'fci' && determinants > MAX_REFERENCE_FCI_DETERMINANTS) {
      rungs.push({ method, kind, status: 'skipped', wallSeconds: 0, reason: `${determinants} determinants (limit ${MAX_REFERENCE_FCI_DETERMINANTS})` });
      continue;
    }
    if (kind === 'quantum' && 2 * ham.nOrbitals > options.maxQubits) {
      rungs.push({
        method,
        kind,
        status: 'skipped',
        wallSeconds: 0,
        reason: `${2 * ham.nOrbitals} qubits exceed --max-qubits ${options.maxQubits} (choose an active space)`,
      });
      continue;
    }
    const t0 = performance.now();
    try {
      const report = await runMethodOnHamiltonian(ham, scf.energyHartree, { ...base, method }, {
        options: {
          basis: options.basis,
          method: method as MethodName,
          roots: 1,
          seed: options.seed,
          ...(options.mapping ? { mapping: options.mapping } : {}),
        },
      });
      const wallSeconds = (performance.now() - t0) / 1000;
      report.wallSeconds = wallSeconds;
      rungs.push({
        method,
        kind,
        status: 'ok',
        energyHartree: report.energyHartree,
        standardErrorHartree: report.standardErrorHartree ?? 0,
        wallSeconds,
        report,
      });
    } catch (e) {
      if (!(e instanceof ConvergenceError)) throw e;
      rungs.push({ method, kind, status: 'failed', wallSeconds: (performance.now() - t0) / 1000, reason: e.message });
    }
  }

  const fciRung = rungs.find((r) => r.method === 'fci' && r.status === 'ok');
  const fromQuantum = rungs.find((r) => r.report?.referenceFciHartree != null)?.report?.referenceFciHartree;
  const fciEnergy = fciRung?.energyHartree ?? (typeof fromQuantum === 'number' ? fromQuantum : null);
  if (fciEnergy !== null) {
    for (const r of rungs) if (r.energyHartree !== undefined) r.errorVsFciHartree = r.energyHartree - fciEnergy;
  }
  return {
    formula: moleculeFormula(molecule),
    basis: basis.name,
    nBasis: basis.nFunctions,
    nElectrons: scf.nElectrons,
    nuclearRepulsionHartree: scf.nuclearRepulsionHartree,
    frozenOrbitals: scf.nAlpha - ham.nAlpha,
    activeElectrons: ham.nAlpha + ham.nBeta,
    activeOrbitals: ham.nOrbitals,
    determinants,
    fciEnergyHartree: fciEnergy,
    rungs,
    wallSeconds: (performance.now() - start) / 1000,
    qdeVersion: QDE_VERSION,
  };
}

const LABELS: Record<LadderMethod, string> = {
  hf: 'HF',
  mp2: 'MP2',
  ccsd: 'CCSD',
  'ccsd(t)': 'CCSD(T)',
  fci: 'FCI',
  vqe: 'VQE-UCCSD',
  'adapt-vqe': 'ADAPT-VQE',
  qpe: 'QPE',
};

function rungNote(r: LadderRung): string {
  if (r.status !== 'ok') return `${r.status}: ${r.reason ?? ''}`;
  const rep = r.report!;
  const parts: string[] = [];
  if (rep.qubits !== undefined) parts.push(`${rep.qubits} qubits`);
  if (rep.parameters !== undefined && rep.parameters > 0) parts.push(`${rep.parameters} parameters`);
  if (rep.circuit) parts.push(`${rep.circuit.twoQubitGates} CNOTs${r.method === 'qpe' ? ' per controlled step' : ''}`);
  if (typeof rep.resolutionHartree === 'number') parts.push(`resolution ${(rep.resolutionHartree * 1000).toFixed(3)} mEh`);
  if (typeof rep.determinants === 'number') parts.push(`${rep.determinants} determinants`);
  if (typeof rep.triplesCorrectionHartree === 'number') parts.push(`(T) ${(rep.triplesCorrectionHartree * 1000).toFixed(3)} mEh`);
  return parts.join(', ');
}

/** Readable table of a ladder report. */
export function formatLadderReport(l: LadderReport): string {
  const space =
    l.frozenOrbitals > 0 || l.activeOrbitals < l.nBasis
      ? `${l.activeElectrons} electrons in ${l.activeOrbitals} orbitals correlated (${l.frozenOrbitals} frozen)`
      : `all ${l.nElectrons} electrons in ${l.activeOrbitals} orbitals correlated`;
  const head = alignedLines([
    ['molecule', `${l.formula}, ${l.basis} (${l.nBasis} functions)`],
    ['space', `${space}, ${l.determinants} determinants`],
    ['nuclear repulsion', `${l.nuclearRepulsionHartree.toFixed(10)} Eh`],
  ]);
  const header = ['rung', 'method', 'energy / Eh', 'E − FCI / mEh', 'wall / s', 'notes'];
  const rows = l.rungs.map((r) => [
    r.kind,
    LABELS[r.method],
    r.energyHartree !== undefined ? r.energyHartree.toFixed(10) : '—',
    r.errorVsFciHartree !== undefined ? (r.errorVsFciHartree * 1000).toFixed(4) : '—',
    r.wallSeconds.toFixed(2),
    rungNote(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 2 || i === 3 || i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return (
    head +
    '\n' +
    [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n') +
    `\n\ntotal wall time ${l.wallSeconds.toFixed(2)} s, qde ${l.qdeVersion}\n`
  );
}

/** Build the `ladder` sub-command. */
export function ladderCommand(io: CliIo, setCode: (code: number) => void): Command {
  const cmd = new Command('ladder');
  cmd
    .summary('one geometry on every rung: HF, MP2, CCSD, CCSD(T), FCI, VQE, ADAPT-VQE, QPE')
    .description(
      'Compute the energy of the closed-shell molecule in <geometry> (XYZ, Ångström) with every classical ' +
        'rung and every quantum algorithm (exact state-vector simulator) from one RHF reference, and show each ' +
        "energy's distance from full CI of the same orbital space. Energies in Hartree.",
    )
    .argument('<geometry>', 'XYZ geometry file (coordinates in Ångström)')
    .option('-b, --basis <name|file.gbs>', 'basis set (see qde energy --help)', 'sto-3g')
    .option('--methods <list>', `comma-separated subset of ${LADDER_METHODS.join(',')} (default: all)`, parseMethods)
    .option('--charge <N>', 'total charge in elementary charges', parseIntegerOption)
    .option('--multiplicity <N>', 'spin multiplicity 2S+1 (the ladder needs 1)', parsePositiveIntegerOption)
    .option('--frozen-core', 'do not correlate the chemical core: 1 orbital per Li–Ne atom, 5 per Na–Ar, 9 per K–Kr')
    .option('--active <NELEC,NORB>', 'correlate only NELEC electrons in NORB spatial orbitals around the Fermi level', parseActiveOption)
    .addOption(new Option('--mapping <name>', 'fermion-to-qubit mapping of the quantum rungs (default jordan-wigner)').choices(['jordan-wigner', 'bravyi-kitaev', 'parity']))
    .option('--seed <N>', 'seed for random choices of the quantum methods', parseNonNegativeIntegerOption, 0)
    .option('--max-qubits <N>', 'skip quantum rungs that need more qubits than this', parsePositiveIntegerOption, 16)
    .option('--json', 'print exactly one JSON object instead of the table')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  qde ladder examples/lih.xyz --basis sto-3g\n' +
        '  qde ladder examples/h2o.xyz --frozen-core --methods hf,mp2,ccsd(t),fci,vqe --json',
    )
    .action(async (geometry: string, options: LadderOptions) => {
      const report = await runLadder(geometry, options);
      io.stdout(options.json ? JSON.stringify(report) + '\n' : formatLadderReport(report));
      setCode(0);
    });
  return cmd;
}
