/**
 * `qde estimate-ft`: fault-tolerant resources (physical qubits, runtime, T factories) of phase
 * estimation to chemical accuracy for a geometry's Hamiltonian, from Microsoft's resource estimator.
 */
import { Command, InvalidArgumentError } from 'commander';
import { moleculeFormula } from '../chem/index.js';
import { DEFAULT_FT_PRESETS, FT_QUBIT_PRESETS, buildMolecularHamiltonian, estimateFaultTolerantCost, type FtQubitPreset } from '../methods/index.js';
import { QDE_VERSION } from '../version.js';
import { type ActiveSpaceOption, type CliIo, alignedLines, loadGeometry, optionName, parseActiveOption, parseIntegerOption, parsePositiveIntegerOption } from './common.js';

/** Parsed options of `qde estimate-ft`. */
export interface EstimateFtCommandOptions {
  basis: string;
  charge?: number;
  multiplicity?: number;
  frozenCore?: boolean;
  active?: ActiveSpaceOption;
  qubitPreset?: FtQubitPreset[];
  errorBudget?: number;
  json?: boolean;
}

function parsePresets(value: string): FtQubitPreset[] {
  const list = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const p of list) {
    if (!(FT_QUBIT_PRESETS as readonly string[]).includes(p)) throw new InvalidArgumentError(`unknown qubit preset '${p}' (use ${FT_QUBIT_PRESETS.join(', ')})`);
  }
  if (list.length === 0) throw new InvalidArgumentError('give at least one qubit preset');
  return list as FtQubitPreset[];
}

function parseBudget(value: string): number {
  const v = Number(value);
  if (!(v > 0 && v < 1)) throw new InvalidArgumentError(`the error budget must be a number in (0, 1), got '${value}'`);
  return v;
}

const si = (v: number): string => (v >= 1e6 ? `${(v / 1e6).toPrecision(3)}M` : v >= 1e3 ? `${(v / 1e3).toPrecision(3)}k` : String(v));

function duration(seconds: number): string {
  if (seconds < 1e-3) return `${(seconds * 1e6).toPrecision(3)} µs`;
  if (seconds < 1) return `${(seconds * 1e3).toPrecision(3)} ms`;
  if (seconds < 3600) return `${seconds.toPrecision(3)} s`;
  if (seconds < 86400 * 2) return `${(seconds / 3600).toPrecision(3)} h`;
  return `${(seconds / 86400).toPrecision(3)} days`;
}

/** Build the `estimate-ft` sub-command. */
export function estimateFtCommand(io: CliIo, setCode: (code: number) => void): Command {
  const cmd = new Command('estimate-ft');
  cmd
    .summary('fault-tolerant resources of phase estimation to chemical accuracy (Microsoft resource estimator)')
    .description(
      'Build the Hamiltonian of <geometry> (RHF orbitals), size iterative phase estimation for a resolution of ' +
        '1.6 mEh (phase bits and Trotter steps as `qde energy --method qpe` chooses them), export one controlled ' +
        'Trotter step to OpenQASM 3 and run Microsoft\'s resource estimator (qsharp-lang, in process) on the whole ' +
        'run for each qubit preset: physical qubits, runtime, T factories, logical qubits and depth.',
    )
    .argument('<geometry>', 'XYZ geometry file (coordinates in Ångström)')
    .option('-b, --basis <name|file.gbs>', 'basis set name or Gaussian94 .gbs file', 'sto-3g')
    .option('--charge <N>', 'total charge in elementary charges (overrides the XYZ comment line)', parseIntegerOption)
    .option('--multiplicity <N>', 'spin multiplicity 2S+1', parsePositiveIntegerOption)
    .option('--frozen-core', 'do not correlate the chemical core')
    .option('--active <NELEC,NORB>', 'correlate NELEC electrons in NORB spatial orbitals around the Fermi level', parseActiveOption)
    .option('--qubit-preset <list>', `comma-separated qubit presets (${FT_QUBIT_PRESETS.join(', ')}; default ${DEFAULT_FT_PRESETS.join(',')})`, parsePresets)
    .option('--error-budget <p>', 'total error budget of the run (default 0.01)', parseBudget)
    .option('--json', 'print one JSON object (with the estimator\'s raw output per preset)')
    .action(async (geometry: string, options: EstimateFtCommandOptions) => {
      const report = await runEstimateFt(geometry, options);
      if (options.json) {
        io.stdout(JSON.stringify(report) + '\n');
      } else {
        const rows: [string, string][] = [
          ['molecule', `${report.formula} (${report.basis})`],
          ['qubits', `${report.systemQubits} system + 1 ancilla`],
          ['phase estimation', `${report.bits} bits, ${report.trotterSteps} Trotter steps per U, ${si(report.controlledSteps)} controlled steps`],
          ['resolution', `${(report.resolutionHartree * 1e3).toFixed(3)} mEh`],
        ];
        for (const e of report.estimates) {
          rows.push([
            e.preset,
            `${si(e.physicalQubits)} physical qubits, runtime ${duration(e.runtimeSeconds)}, ${e.tFactories} T factories, ` +
              `${e.logicalQubits} logical qubits, code distance ${e.codeDistance}`,
          ]);
        }
        io.stdout(alignedLines(rows));
      }
      setCode(0);
    });
  return cmd;
}

/** Run `qde estimate-ft` without printing; the `--json` record. */
export async function runEstimateFt(geometry: string, options: EstimateFtCommandOptions) {
  const start = performance.now();
  const molecule = loadGeometry(geometry, options.charge, options.multiplicity);
  const { ham, system } = buildMolecularHamiltonian(
    molecule,
    { basis: options.basis, ...(options.frozenCore ? { frozenCore: true } : {}), ...(options.active ? { active: options.active } : {}) },
    { keyLabel: optionName },
  );
  const r = await estimateFaultTolerantCost({ hamiltonian: ham, presets: options.qubitPreset, errorBudget: options.errorBudget });
  return {
    formula: moleculeFormula(molecule),
    basis: system.basis,
    systemQubits: r.systemQubits,
    bits: r.bits,
    trotterSteps: r.trotterSteps,
    controlledSteps: r.controlledSteps,
    resolutionHartree: r.resolutionHartree,
    targetResolutionHartree: r.targetResolutionHartree,
    errorBudget: r.errorBudget,
    estimatorScale: r.estimatorScale,
    stepLogicalCounts: r.stepLogicalCounts,
    totalLogicalCounts: r.totalLogicalCounts,
    estimates: r.estimates,
    model: r.model,
    wallSeconds: (performance.now() - start) / 1000,
    qdeVersion: QDE_VERSION,
  };
}
