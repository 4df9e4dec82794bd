/**
 * The `qde` command: parses the command line with commander, runs one sub-command and turns errors
 * into exit codes. It never calls process.exit; `bin/qde.js` sets the exit code it returns.
 *
 * Exit codes: 0 success; 1 unexpected internal error (one line; the stack trace only with
 * QDE_DEBUG=1); 2 bad input or usage (InputError, unknown option, malformed value);
 * 3 a calculation did not converge (ConvergenceError).
 *
 * Start-up: each sub-command lives in its own module, which imports the pipeline stages it needs.
 * `main` loads only the module of the sub-command named on the command line (none for --version,
 * all of them for the overview help or an unknown command), so `qde energy` never loads the
 * dataset, ml or loop stages and `qde --version` loads no stage beyond core.
 */
import { Command, CommanderError } from 'commander';
import { ConvergenceError, InputError, escapeControlCharacters } from '../core/index.js';
import { QDE_VERSION } from '../version.js';
import { type CliIo, processIo } from './io.js';

/** Exit codes of the `qde` command. */
/** Process settings for computing (see core/gc.ts), applied by the `qde` executable before anything runs. */
export { useSerialScavenges } from '../core/index.js';

export const EXIT_OK = 0;
export const EXIT_INTERNAL_ERROR = 1;
export const EXIT_INPUT_ERROR = 2;
export const EXIT_CONVERGENCE_ERROR = 3;

/** Builds one sub-command; `setCode` receives its exit code. */
type CommandFactory = (io: CliIo, setCode: (code: number) => void) => Command;

/**
 * The sub-commands in the order `qde --help` lists them: each name (as its module spells it in
 * `new Command(name)`) with a loader of its module.
 */
export const SUB_COMMANDS: readonly { name: string; load: () => Promise<CommandFactory> }[] = [
  { name: 'energy', load: async () => (await import('./energy.js')).energyCommand },
  { name: 'circuit', load: async () => (await import('./circuit.js')).circuitCommand },
  { name: 'fcidump', load: async () => (await import('./fcidump.js')).fcidumpCommand },
  { name: 'estimate-ft', load: async () => (await import('./estimate-ft.js')).estimateFtCommand },
  { name: 'ladder', load: async () => (await import('./ladder.js')).ladderCommand },
  { name: 'campaign', load: async () => (await import('./campaign.js')).campaignCommand },
  { name: 'dataset', load: async () => (await import('./dataset.js')).datasetCommand },
  { name: 'worker', load: async () => (await import('./worker.js')).workerCommand },
  { name: 'train', load: async () => (await import('./train.js')).trainCommand },
  { name: 'predict', load: async () => (await import('./predict.js')).predictCommand },
  { name: 'experiment', load: async () => (await import('./experiment.js')).experimentCommand },
  { name: 'loop', load: async () => (await import('./loop.js')).loopCommand },
  { name: 'report', load: async () => (await import('./html-report.js')).reportCommand },
  { name: 'demo', load: async () => (await import('./demo.js')).demoCommand },
];

/**
 * The sub-commands a command line needs: the one it names first; none when it only asks for the
 * version; all of them otherwise (the overview help, `qde help <cmd>`, or an unknown command, whose
 * error suggests the nearest name).
 */
export function subCommandsFor(argv: readonly string[]): string[] {
  const first = argv[0];
  if (first !== undefined && SUB_COMMANDS.some((c) => c.name === first)) return [first];
  if (argv.length === 1 && (first === '-V' || first === '--version')) return [];
  return SUB_COMMANDS.map((c) => c.name);
}

/**
 * Build the commander program with the sub-commands named in `names` (default: all, in the order of
 * {@link SUB_COMMANDS}); `setCode` receives each sub-command's exit code.
 */
export async function buildProgram(
  io: CliIo,
  setCode: (code: number) => void,
  names: readonly string[] = SUB_COMMANDS.map((c) => c.name),
): Promise<Command> {
  const wanted = SUB_COMMANDS.filter((c) => names.includes(c.name));
  const factories = await Promise.all(wanted.map((c) => c.load()));
  const program = new Command('qde');
  program
    .description(
      'qde — quantum chemistry from geometry to qubits: Hartree–Fock, MP2, CCSD, CCSD(T), FCI, ' +
        'qubit Hamiltonians and VQE / ADAPT-VQE / phase estimation on an exact state-vector simulator. ' +
        'Geometries are XYZ files in Ångström; energies are reported in Hartree.',
    )
    .version(QDE_VERSION, '-V, --version', 'print the qde version')
    .helpOption('-h, --help', 'show help (also: qde <command> --help)')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 2 bad input or usage, 3 no convergence, 1 internal error.\n' +
        'Set QDE_DEBUG=1 to print stack traces of internal errors.\n\n' +
        'Examples:\n' +
        '  qde ladder examples/lih.xyz --basis sto-3g\n' +
        '  qde energy examples/h2o.xyz --basis sto-3g --method hf\n' +
        '  qde energy examples/lih.xyz --basis sto-3g --method vqe --frozen-core --json\n' +
        '  qde fcidump examples/n2.xyz --basis cc-pvdz --frozen-core --out n2.fcidump\n' +
        '  qde energy --fcidump n2.fcidump --method ccsd',
    );
  for (const make of factories) program.addCommand(make(io, setCode));
  const configure = (cmd: Command) => {
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      // usage errors are reported by main() as a single `qde: …` line
      outputError: () => {},
    });
    for (const sub of cmd.commands) configure(sub);
  };
  configure(program);
  return program;
}

/** One printable line: line breaks folded, other control bytes (CR, NUL, ESC from input files) escaped. */
function oneLine(text: string): string {
  return escapeControlCharacters(text.replace(/\s*\n\s*/g, ' ').trim());
}

/**
 * Run the `qde` command line.
 * @param argv the arguments after the program name, e.g. `['energy', 'h2.xyz', '--basis', 'sto-3g']`
 * @param io where to write (default: the process's stdout and stderr)
 * @returns the exit code
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let code = EXIT_OK;
  const setCode = (c: number) => {
    code = c;
  };
  try {
    const program = await buildProgram(io, setCode, subCommandsFor(argv));
    if (argv.length === 0) {
      io.stdout(program.helpInformation());
      return EXIT_OK;
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      io.stderr(`qde: ${oneLine(e.message.replace(/^error:\s*/, ''))}\n`);
      return EXIT_INPUT_ERROR;
    }
    if (e instanceof InputError) {
      io.stderr(`qde: ${oneLine(e.message)}\n`);
      return EXIT_INPUT_ERROR;
    }
    if (e instanceof ConvergenceError) {
      const change = Number.isFinite(e.lastEnergyChangeHartree) && !/energy change/i.test(e.message)
        ? `; last energy change ${e.lastEnergyChangeHartree.toExponential(2)} Eh`
        : '';
      io.stderr(`qde: ${oneLine(e.message)}${change}\n`);
      return EXIT_CONVERGENCE_ERROR;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr(`qde: internal error: ${oneLine(err.message)}${process.env.QDE_DEBUG === '1' ? '' : ' (set QDE_DEBUG=1 for details)'}\n`);
    if (process.env.QDE_DEBUG === '1' && err.stack) io.stderr(err.stack + '\n');
    return EXIT_INTERNAL_ERROR;
  }
}
