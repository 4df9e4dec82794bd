/**
 * `qde energy`: one energy for one geometry (or one FCIDUMP Hamiltonian) with one method.
 * Thin: parse the options into a method spec, call the method layer, print its result.
 */
import { Command, Option } from 'commander';
import { InputError } from '../core/index.js';
import { type MolecularHamiltonian, readFcidump } from '../hamiltonian/index.js';
import type { Molecule } from '../chem/index.js';
import type { AdaptPoolName } from '../algorithms/index.js';
import type { FermionMapping } from '../qubits/index.js';
import {
  ADAPT_POOLS,
  DEFAULT_COMPACT_BUDGET,
  METHODS,
  type MethodName,
  type MethodSpec,
  type ProgressSink,
  SCF_METHODS,
  type SpecAnsatzName,
  runMethod,
} from '../methods/index.js';
import {
  type ActiveSpaceOption,
  type CliIo,
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
import { type EnergyReport, formatEnergyReport, toEnergyReport } from './report.js';

/** Parsed options of `qde energy`. */
export interface EnergyCommandOptions {
  /** Basis-set name or .gbs path. */
  basis: string;
  method: MethodName;
  frozenCore?: boolean;
  active?: ActiveSpaceOption;
  /** FCI roots (default 1). */
  roots: number;
  ansatz?: SpecAnsatzName;
  layers?: number;
  /** adapt-vqe, and vqe with the compact ansatz: two-qubit-gate budget of the compiled circuit. */
  maxTwoQubitGates?: number;
  pool?: AdaptPoolName;
  bits?: number;
  mapping?: FermionMapping;
  taper?: boolean;
  /** Open-shell reference. */
  reference?: 'uhf' | 'rohf';
  /** Measure with this many shots instead of the exact state vector (quantum methods). */
  shots?: number;
  seed: number;
  scfMaxIterations?: number;
  scfType?: string;
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
  fcidump?: string;
  charge?: number;
  multiplicity?: number;
  json?: boolean;
}

/** Build the `energy` sub-command. */
export function energyCommand(io: CliIo, setCode: (code: number) => void): Command {
  const cmd = new Command('energy');
  cmd
    .summary('compute the energy of a molecule (XYZ file) or of an FCIDUMP Hamiltonian')
    .description(
      'Compute the ground-state energy (Hartree) of the molecule in <geometry> (XYZ, Ångström; the comment ' +
        'line may set charge=N multiplicity=M) or of the Hamiltonian in --fcidump FILE. ' +
        'Correlated methods use canonical RHF orbitals; for open shells mp2 runs UMP2, fci, vqe, ' +
        'adapt-vqe and qpe use the UHF α orbitals (ROHF orbitals with a frozen core or an active space), ' +
        'ccsd and ccsd(t) run ROHF-CCSD and ROHF-CCSD(T), and --reference rohf with hf the ROHF energy. Quantum methods run on the exact state-vector simulator ' +
        '(or with --shots N on a shot-sampling simulator).',
    )
    .argument('[geometry]', 'XYZ geometry file (coordinates in Ångström)')
    .option('--fcidump <file>', 'read the Hamiltonian from an FCIDUMP file instead of a geometry (methods mp2, ccsd, ccsd(t), fci, vqe, adapt-vqe, qpe)')
    .option('-b, --basis <name|file.gbs>', 'basis set: sto-3g, 3-21g, 6-31g, 6-31g*, 6-31g**, cc-pvdz, cc-pvtz, aug-cc-pvdz, def2-svp, or a Gaussian94 .gbs file', 'sto-3g')
    .addOption(new Option('-m, --method <method>', 'electronic-structure method').choices(METHODS as unknown as string[]).default('hf'))
    .option('--charge <N>', 'total charge in elementary charges (overrides charge= on the XYZ comment line; default 0)', parseIntegerOption)
    .option('--multiplicity <N>', 'spin multiplicity 2S+1 (overrides multiplicity= on the XYZ comment line; default 1 for an even, 2 for an odd electron count)', parsePositiveIntegerOption)
    .option('--frozen-core', 'do not correlate the chemical core: 1 orbital per Li–Ne atom, 5 per Na–Ar, 9 per K–Kr')
    .option('--active <NELEC,NORB>', 'correlate only NELEC electrons in NORB spatial orbitals around the Fermi level (e.g. 2,2)', parseActiveOption)
    .option('--roots <K>', 'fci: number of states, the lowest K of the molecule\'s spin sector (for a singlet only even S: singlets, quintets, …)', parsePositiveIntegerOption, 1)
    .addOption(
      new Option(
        '--ansatz <name>',
        'vqe ansatz: unitary coupled cluster singles and doubles (default), k-UpCCGSD, hardware-efficient, or compact ' +
          '(QEB-ADAPT within a two-qubit-gate budget, optimised on the exact simulator, its compiled circuit measured on the backend; default on the noisy and ionq backends)',
      ).choices(['uccsd', 'kupccgsd', 'hea', 'compact']),
    )
    .option('--layers <k>', 'vqe: repetitions of the ansatz, each with its own parameters (uccsd and kupccgsd default 1; hea default 2)', parsePositiveIntegerOption)
    .addOption(new Option('--pool <name>', 'adapt-vqe operator pool (default fermionic-generalized; qeb on the noisy and ionq backends)').choices([...ADAPT_POOLS]))
    .option(
      '--max-two-qubit-gates <N>',
      `adapt-vqe, and vqe with the compact ansatz: append only operators that keep the compiled circuit within N two-qubit gates (compact default ${DEFAULT_COMPACT_BUDGET})`,
      parseNonNegativeIntegerOption,
    )
    .option('--bits <n>', 'qpe: number of phase bits (default 12; resolution ≈ spectral width / 2^n Hartree)', parsePositiveIntegerOption)
    .addOption(new Option('--mapping <name>', 'fermion-to-qubit mapping for vqe, adapt-vqe, qpe (default jordan-wigner)').choices(['jordan-wigner', 'bravyi-kitaev', 'parity']))
    .addOption(new Option('--reference <scf>', 'open shells: build the method on rohf or on uhf (α) orbitals (default: uhf for mp2 and for fci/vqe/adapt-vqe/qpe over all orbitals, rohf with a frozen core or an active space and for ccsd and ccsd(t); hf needs it)').choices(['rohf', 'uhf']))
    .option('--taper', 'vqe: remove qubits with Z2 symmetries (particle-number and spin parities)')
    .addOption(new Option('--backend <name>', 'where the quantum methods run: statevector (exact, default), shots (sampled from the exact state), noisy (a device noise model), ionq (IonQ cloud; key from IONQ_API_KEY)').choices(['statevector', 'shots', 'noisy', 'ionq']))
    .option('--device <name|file>', 'noisy: aria-1 (default), aria-2, forte-1, noiseless or a JSON noise-model file; ionq: simulator (default), simulator:<noise model>, or a QPU such as aria-1')
    .option('--mitigation <list>', 'error mitigation on a measuring backend: any of readout, zne, symmetry (comma-separated)', parseMitigationOption)
    .option('--shots <N>', 'vqe, adapt-vqe, qpe: estimate with N shots per measured group on a seeded shot-sampling simulator (default: exact state vector)', parsePositiveIntegerOption)
    .option('--seed <N>', 'seed for random choices of the quantum methods', parseNonNegativeIntegerOption, 0)
    .option('--scf-max-iterations <N>', 'give up (exit code 3) when SCF has not converged after N Fock builds (default 100)', parsePositiveIntegerOption)
    .option('--scf-type <type>', "how SCF builds J and K: pk (stored exact integrals; default, direct when they exceed the memory limit), direct, or df (density fitting with the basis' JKFIT set)")
    .option('--progress-every <seconds>', 'report progress on stderr every this many seconds once a run has taken that long (default 5; 0: every iteration)', parseNonNegativeNumberOption)
    .option('--quiet', 'no progress reports on stderr')
    .option('--max-memory <size>', 'refuse a calculation estimated to need more memory than this (e.g. 16GB, 512MiB; default 80% of this machine\'s memory)', parseMemoryOption)
    .option('--json', 'print exactly one JSON object (energies in Hartree, times in seconds) instead of a summary')
    .addHelpText(
      'after',
      '\nMethods: hf (RHF), uhf, mp2 (RHF-MP2; UMP2 for open shells), ccsd, ccsd(t), fci,\n' +
        '         vqe, adapt-vqe, qpe (quantum phase estimation).\n' +
        'Energies are in Hartree (Eh). Exit codes: 0 ok, 2 bad input, 3 not converged.\n\n' +
        'Examples:\n' +
        '  qde energy examples/h2o.xyz --basis sto-3g --method ccsd(t) --frozen-core\n' +
        '  qde energy examples/h2o.xyz --charge 1 --multiplicity 2 --method uhf\n' +
        '  qde energy examples/h2.xyz --method vqe --mapping parity --taper --json\n' +
        '  qde energy examples/h2.xyz --method vqe --shots 10000\n' +
        '  qde energy examples/lih.xyz --method vqe --active 2,3 --backend noisy --device aria-1 --mitigation readout,zne,symmetry\n' +
        '  qde energy --fcidump h2o.fcidump --method fci --roots 3',
    )
    .action(async (geometry: string | undefined, options: EnergyCommandOptions) => {
      const report = await runEnergy(geometry, options, progressPrinter(io, { quiet: options.quiet, everySeconds: options.progressEvery }));
      io.stdout(options.json ? JSON.stringify(report) + '\n' : formatEnergyReport(report));
      setCode(0);
    });
  return cmd;
}

/** The method spec of the parsed options (charge and multiplicity are applied to the molecule when it is read). */
function methodSpec(options: EnergyCommandOptions, withBasis: boolean): MethodSpec {
  return {
    method: options.method,
    ...(withBasis ? { basis: options.basis } : {}),
    ...(options.frozenCore ? { frozenCore: true } : {}),
    ...(options.active ? { active: options.active } : {}),
    roots: options.roots,
    ...(options.mapping !== undefined ? { mapping: options.mapping } : {}),
    ...(options.ansatz !== undefined ? { ansatz: options.ansatz } : {}),
    ...(options.layers !== undefined ? { layers: options.layers } : {}),
    ...(options.pool !== undefined ? { pool: options.pool } : {}),
    ...(options.maxTwoQubitGates !== undefined ? { maxTwoQubitGates: options.maxTwoQubitGates } : {}),
    ...(options.bits !== undefined ? { bits: options.bits } : {}),
    ...(options.taper ? { taper: true } : {}),
    ...backendOf(options),
    seed: options.seed,
    ...(options.reference !== undefined ? { reference: options.reference } : {}),
    ...(options.scfMaxIterations !== undefined ? { scfMaxIterations: options.scfMaxIterations } : {}),
    ...(options.scfType !== undefined ? { scfType: options.scfType as MethodSpec['scfType'] } : {}),
  };
}

/**
 * Run `qde energy` without printing: returns the report.
 * @throws InputError for bad input, ConvergenceError when a method does not converge.
 */
export async function runEnergy(
  geometry: string | undefined,
  options: EnergyCommandOptions,
  onProgress?: ProgressSink,
): Promise<EnergyReport> {
  const start = performance.now();
  if (geometry !== undefined && options.fcidump !== undefined) {
    throw new InputError('give either a geometry file or --fcidump FILE, not both');
  }
  if (geometry === undefined && options.fcidump === undefined) {
    throw new InputError("missing geometry file (or --fcidump FILE); see 'qde energy --help'");
  }
  let input: Molecule | MolecularHamiltonian;
  if (options.fcidump !== undefined) {
    if (options.charge !== undefined || options.multiplicity !== undefined) {
      throw new InputError('--charge and --multiplicity do not apply to --fcidump (the file sets NELEC and MS2)');
    }
    if (options.frozenCore) throw new InputError('--frozen-core does not apply to --fcidump (freeze orbitals when writing the file)');
    if (SCF_METHODS.includes(options.method)) {
      throw new InputError(`--fcidump needs a correlated method (mp2, ccsd, ccsd(t), fci, vqe, adapt-vqe, qpe), not ${options.method}`);
    }
    if (options.active) throw new InputError('--active does not apply to --fcidump (choose the active space when writing the file)');
    input = readFcidump(options.fcidump, options.maxMemory);
  } else {
    input = loadGeometry(geometry!, options.charge, options.multiplicity);
  }
  const result = await runMethod(input, methodSpec(options, options.fcidump === undefined), {
    keyLabel: optionName,
    ...(options.maxMemory !== undefined ? { maxMemoryBytes: options.maxMemory } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  return toEnergyReport(result, (performance.now() - start) / 1000);
}

