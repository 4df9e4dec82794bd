/**
 * The `qde` command: parses the command line with commander, runs one sub-command and turns errors
 * into exit codes. It never calls process.exit; `bin/qde.js` sets the exit code it returns.
 *
 * Exit codes: 0 success; 1 unexpected internal error (one line; the stack trace only with
 * QDE_DEBUG=1); 2 bad input or usage (InputError, unknown option, malformed value);
 * 3 a calculation did not converge (ConvergenceError).
 */
import { Command, CommanderError } from 'commander';
import { ConvergenceError, InputError, escapeControlCharacters } from '../core/index.js';
import { QDE_VERSION } from '../version.js';
import { type CliIo, processIo } from './common.js';
import { campaignCommand } from './campaign.js';
import { datasetCommand } from './dataset.js';
import { energyCommand } from './energy.js';
import { estimateFtCommand } from './estimate-ft.js';
import { experimentCommand } from './experiment.js';
import { circuitCommand } from './circuit.js';
import { fcidumpCommand } from './fcidump.js';
import { ladderCommand } from './ladder.js';
import { predictCommand } from './predict.js';
import { trainCommand } from './train.js';
import { workerCommand } from './worker.js';
import { loopCommand } from './loop.js';
import { reportCommand } from './html-report.js';
import { demoCommand } from './demo.js';

/** Exit codes of the `qde` command. */
/** Process settings for computing (see core/gc.ts), applied by the `qde` executable before anything runs. */
export { useSerialScavenges } from '../core/index.js';

export const EXIT_OK = 0;
export const EXIT_INTERNAL_ERROR = 1;
export const EXIT_INPUT_ERROR = 2;
export const EXIT_CONVERGENCE_ERROR = 3;

/** Build the commander program; `setCode` receives each sub-command's exit code. */
export function buildProgram(io: CliIo, setCode: (code: number) => void): Command {
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
  program.addCommand(energyCommand(io, setCode));
  program.addCommand(circuitCommand(io, setCode));
  program.addCommand(fcidumpCommand(io, setCode));
  program.addCommand(estimateFtCommand(io, setCode));
  program.addCommand(ladderCommand(io, setCode));
  program.addCommand(campaignCommand(io, setCode));
  program.addCommand(datasetCommand(io, setCode));
  program.addCommand(workerCommand(io, setCode));
  program.addCommand(trainCommand(io, setCode));
  program.addCommand(predictCommand(io, setCode));
  program.addCommand(experimentCommand(io, setCode));
  program.addCommand(loopCommand(io, setCode));
  program.addCommand(reportCommand(io, setCode));
  program.addCommand(demoCommand(io, setCode));
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
  const program = buildProgram(io, (c) => {
    code = c;
  });
  if (argv.length === 0) {
    io.stdout(program.helpInformation());
    return EXIT_OK;
  }
  try {
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
