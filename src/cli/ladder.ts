/**
 * `qde ladder`: the same geometry on every rung, classical and quantum — HF, MP2, CCSD, CCSD(T), FCI,
 * then VQE, ADAPT-VQE and phase estimation — from one SCF and one MO Hamiltonian, with each energy's
 * distance from full CI. Thin: parse, run the method layer's ladder, print the table or the JSON.
 */
import { Command, Option } from 'commander';
import { InputError } from '../core/index.js';
import type { FermionMapping } from '../qubits/index.js';
import { LADDER_METHODS, type ProgressSink, type LadderMethod, type LadderResult, type LadderRung as LadderRungResult, runLadder as runLadderSpec } from '../methods/index.js';
import { QDE_VERSION } from '../version.js';
import {
  type ActiveSpaceOption,
  type CliIo,
  alignedLines,
  loadGeometry,
  optionName,
  parseActiveOption,
  parseIntegerOption,
  backendOf,
  parseMemoryOption,
  parseMitigationOption,
  parseNonNegativeNumberOption,
  parseNonNegativeIntegerOption,
  parsePositiveIntegerOption,
} from './common.js';
import { progressPrinter } from './progress.js';
import { type EnergyReport, toEnergyReport } from './report.js';

export { LADDER_METHODS, type LadderMethod };

/** Options of `qde ladder`. */
export interface LadderOptions {
  basis: string;
  methods?: LadderMethod[];
  charge?: number;
  multiplicity?: number;
  frozenCore?: boolean;
  active?: ActiveSpaceOption;
  mapping?: FermionMapping;
  /** Measure the quantum rungs with this many shots instead of the exact state vector. */
  shots?: number;
  seed: number;
  /** Largest qubit register the quantum rungs may use (default 16). */
  maxQubits: number;
  /** Where the quantum methods run (default: the exact state vector; `--shots` alone means 'shots'). */
  backend?: 'statevector' | 'shots' | 'noisy' | 'ionq';
  /** Noise preset or file (noisy), IonQ target (ionq). */
  device?: string;
  /** Error mitigation of a measuring backend. */
  mitigation?: ('readout' | 'zne' | 'symmetry')[];
  /** Memory limit in bytes (default: 80 % of the machine's). */
  maxMemory?: number;
  /** Seconds between progress reports on stderr. */
  progressEvery?: number;
  /** No progress reports. */
  quiet?: boolean;
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

/** The `--json` record of one rung (key order is part of the contract). */
function rungReport(r: LadderRungResult, ladder: LadderResult): LadderRung {
  const ok = r.result !== null ? { energyHartree: r.result.energyHartree, standardErrorHartree: r.result.standardErrorHartree } : {};
  const out: LadderRung = { method: r.method, kind: r.kind, status: r.status, ...ok, wallSeconds: r.wallTimeSeconds };
  if (r.reason !== null) out.reason = r.reason;
  if (r.result !== null) out.report = toEnergyReport(r.result, r.wallTimeSeconds, ladder.space);
  if (r.errorVsFciHartree !== null) out.errorVsFciHartree = r.errorVsFciHartree;
  return out;
}

/**
 * Run the ladder without printing.
 * @throws InputError for bad input (a failing rung is recorded, not thrown).
 */
export async function runLadder(geometry: string, options: LadderOptions, onProgress?: ProgressSink): Promise<LadderReport> {
  const start = performance.now();
  if (options.frozenCore && options.active) {
    throw new InputError('give either --frozen-core or --active: the active space already keeps the orbitals below it doubly occupied');
  }
  const molecule = loadGeometry(geometry, options.charge, options.multiplicity);
  const ladder = await runLadderSpec(
    molecule,
    {
      basis: options.basis,
      ...(options.methods ? { methods: options.methods } : {}),
      ...(options.frozenCore ? { frozenCore: true } : {}),
      ...(options.active ? { active: options.active } : {}),
      ...(options.mapping ? { mapping: options.mapping } : {}),
      ...backendOf(options),
      seed: options.seed,
      maxQubits: options.maxQubits,
    },
    {
      keyLabel: optionName,
      ...(options.maxMemory !== undefined ? { maxMemoryBytes: options.maxMemory } : {}),
      ...(onProgress ? { onProgress } : {}),
    },
  );
  const { system, space } = ladder;
  return {
    formula: system.formula!,
    basis: system.basis!,
    nBasis: system.nBasis!,
    nElectrons: system.nElectrons,
    nuclearRepulsionHartree: system.nuclearRepulsionHartree!,
    frozenOrbitals: space.frozenOrbitals!,
    activeElectrons: space.activeElectrons,
    activeOrbitals: space.activeOrbitals,
    determinants: ladder.determinants,
    fciEnergyHartree: ladder.fciEnergyHartree,
    rungs: ladder.rungs.map((r) => rungReport(r, ladder)),
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
    .addOption(new Option('--backend <name>', 'where the quantum methods run: statevector (exact, default), shots (sampled from the exact state), noisy (a device noise model), ionq (IonQ cloud; key from IONQ_API_KEY)').choices(['statevector', 'shots', 'noisy', 'ionq']))
    .option('--device <name|file>', 'noisy: aria-1 (default), aria-2, forte-1, noiseless or a JSON noise-model file; ionq: simulator (default), simulator:<noise model>, or a QPU such as aria-1')
    .option('--mitigation <list>', 'error mitigation on a measuring backend: any of readout, zne, symmetry (comma-separated)', parseMitigationOption)
    .option('--shots <N>', 'measure the quantum rungs with N shots per measured group on a seeded shot-sampling simulator (default: exact state vector)', parsePositiveIntegerOption)
    .option('--seed <N>', 'seed for random choices of the quantum methods', parseNonNegativeIntegerOption, 0)
    .option('--max-qubits <N>', 'skip quantum rungs that need more qubits than this', parsePositiveIntegerOption, 16)
    .option('--progress-every <seconds>', 'report progress on stderr every this many seconds once a run has taken that long (default 5; 0: every iteration)', parseNonNegativeNumberOption)
    .option('--quiet', 'no progress reports on stderr')
    .option('--max-memory <size>', 'refuse a calculation estimated to need more memory than this (e.g. 16GB, 512MiB; default 80% of this machine\'s memory)', parseMemoryOption)
    .option('--json', 'print exactly one JSON object instead of the table')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  qde ladder examples/lih.xyz --basis sto-3g\n' +
        '  qde ladder examples/h2o.xyz --frozen-core --methods hf,mp2,ccsd(t),fci,vqe --json',
    )
    .action(async (geometry: string, options: LadderOptions) => {
      const report = await runLadder(geometry, options, progressPrinter(io, { quiet: options.quiet, everySeconds: options.progressEvery }));
      io.stdout(options.json ? JSON.stringify(report) + '\n' : formatLadderReport(report));
      setCode(0);
    });
  return cmd;
}

