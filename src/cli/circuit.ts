/**
 * `qde circuit export | import`: write a molecule's VQE ansatz circuit as OpenQASM 2/3 or IonQ JSON
 * (qis or native gates), and read such a file back to report its size.
 *
 * Export binds the ansatz to the optimal parameters of a VQE run on the exact state-vector backend
 * (so the file prepares the VQE ground state); `--symbolic` (OpenQASM 3 only) skips the VQE and keeps
 * the parameters as `input float[64] theta_k`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { InputError } from '../core/index.js';
import { type AnsatzName, buildQubitProblem, runVqe } from '../algorithms/index.js';
import {
  type Circuit,
  bindParameters,
  compileToIonqNative,
  compiledGateCounts,
  decompose,
  fromIonqJson,
  optimizeCircuit,
  parseOpenQasm,
  toIonqJson,
  toOpenQasm,
} from '../circuits/index.js';
import { buildMolecularHamiltonian } from '../methods/index.js';
import type { FermionMapping } from '../qubits/index.js';
import {
  type ActiveSpaceOption,
  type CliIo,
  alignedLines,
  loadGeometry,
  optionName,
  parseActiveOption,
  parseIntegerOption,
  parsePositiveIntegerOption,
} from './common.js';

/** Output formats of `qde circuit export`. */
export const CIRCUIT_FORMATS = ['qasm2', 'qasm3', 'ionq', 'ionq-native'] as const;
export type CircuitFormat = (typeof CIRCUIT_FORMATS)[number];

/** Parsed options of `qde circuit export`. */
export interface CircuitExportOptions {
  format: CircuitFormat;
  basis: string;
  charge?: number;
  multiplicity?: number;
  frozenCore?: boolean;
  active?: ActiveSpaceOption;
  ansatz: AnsatzName;
  layers?: number;
  mapping: FermionMapping;
  taper?: boolean;
  device: 'aria' | 'forte';
  optimize?: boolean;
  symbolic?: boolean;
  seed?: number;
  out?: string;
}

/** Size of a circuit as `qde circuit import --json` reports it. */
export interface CircuitFileReport {
  file: string;
  format: 'qasm2' | 'qasm3' | 'ionq';
  qubits: number;
  parameters: number;
  /** Gates of the file after decomposition to CNOT + one-qubit gates (native gates as they are). */
  oneQubitGates: number;
  twoQubitGates: number;
  totalGates: number;
  depth: number;
}

/** The export text and the circuit it holds. */
export interface CircuitExport {
  text: string;
  circuit: Circuit;
  /** Parameter values bound into the text (empty with `symbolic`). */
  parameters: number[];
  /** VQE energy at those parameters (Hartree), null with `symbolic`. */
  energyHartree: number | null;
}

/** Build the ansatz circuit of a molecule, bind its VQE parameters and format it. */
export async function runCircuitExport(geometry: string, options: CircuitExportOptions): Promise<CircuitExport> {
  if (options.symbolic === true && options.format !== 'qasm3') {
    throw new InputError(`--symbolic needs --format qasm3 (${options.format} holds numbers only)`);
  }
  const molecule = loadGeometry(geometry, options.charge, options.multiplicity);
  const { ham } = buildMolecularHamiltonian(
    molecule,
    {
      basis: options.basis,
      ...(options.frozenCore ? { frozenCore: true } : {}),
      ...(options.active ? { active: options.active } : {}),
    },
    { keyLabel: optionName },
  );
  const vqeOptions = {
    hamiltonian: ham,
    ansatz: options.ansatz,
    mapping: options.mapping,
    taper: options.taper === true,
    ...(options.layers !== undefined ? { layers: options.layers } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  let circuit = buildQubitProblem(vqeOptions).circuit;
  let parameters: number[] = [];
  let energyHartree: number | null = null;
  if (options.symbolic !== true) {
    const result = await runVqe(vqeOptions);
    parameters = Array.from(result.parameters);
    energyHartree = result.energyHartree;
    circuit = bindParameters(circuit, parameters);
  }
  if (options.optimize === true) circuit = optimizeCircuit(decompose(circuit));
  let text: string;
  switch (options.format) {
    case 'qasm2':
    case 'qasm3':
      text = toOpenQasm(circuit, { version: options.format === 'qasm2' ? 2 : 3 });
      break;
    case 'ionq':
      text = JSON.stringify(toIonqJson(circuit, { native: false })) + '\n';
      break;
    case 'ionq-native':
      circuit = compileToIonqNative(circuit, { device: options.device });
      text = JSON.stringify(toIonqJson(circuit, { native: true })) + '\n';
      break;
    default:
      throw new InputError(`unknown format '${String(options.format)}' (use ${CIRCUIT_FORMATS.join(', ')})`);
  }
  return { text, circuit, parameters, energyHartree };
}

/** Read an OpenQASM 2/3 or IonQ JSON file (by extension, else by content) and report its size. */
export function runCircuitImport(file: string): CircuitFileReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read circuit file '${file}': ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(e))}`);
  }
  const json = /\.json$/i.test(file) || (!/\.qasm$/i.test(file) && text.trimStart().startsWith('{'));
  let circuit: Circuit;
  let format: CircuitFileReport['format'];
  if (json) {
    circuit = fromIonqJson(text, file);
    format = 'ionq';
  } else {
    const program = parseOpenQasm(text, file);
    circuit = program.circuit;
    format = program.version === 2 ? 'qasm2' : 'qasm3';
  }
  const counts = compiledGateCounts(circuit);
  return {
    file,
    format,
    qubits: circuit.nQubits,
    parameters: circuit.nParameters,
    oneQubitGates: counts.oneQubit,
    twoQubitGates: counts.twoQubit,
    totalGates: counts.total,
    depth: counts.depth,
  };
}

function choice<T extends string>(flags: string, description: string, values: readonly T[], fallback?: T): Option {
  const o = new Option(flags, description).choices(values as readonly string[]);
  return fallback === undefined ? o : o.default(fallback);
}

/** Build the `circuit` sub-command with `export` and `import`. */
export function circuitCommand(io: CliIo, setCode: (code: number) => void): Command {
  const cmd = new Command('circuit').summary('export a molecule’s VQE circuit as OpenQASM or IonQ JSON; read such a file');
  cmd
    .command('export')
    .summary('write the VQE ansatz circuit of a geometry (bound to its exact-backend VQE parameters)')
    .description(
      'Build the VQE ansatz of <geometry> (XYZ, Ångström), optimise its parameters with VQE on the exact state-vector ' +
        'backend and write the bound circuit: OpenQASM 2.0 (qelib1.inc), OpenQASM 3.0 (stdgates.inc), IonQ JSON with ' +
        'the qis gate set (radians) or compiled to IonQ native gates (GPI, GPI2, MS on Aria / ZZ on Forte; turns). ' +
        'Writes to stdout unless --out is given.',
    )
    .argument('<geometry>', 'XYZ geometry file (coordinates in Ångström)')
    .addOption(choice('--format <f>', 'output format', CIRCUIT_FORMATS).makeOptionMandatory())
    .option('-b, --basis <name|file.gbs>', 'basis set name or Gaussian94 .gbs file', 'sto-3g')
    .option('--charge <N>', 'total charge (overrides the XYZ comment line)', parseIntegerOption)
    .option('--multiplicity <N>', 'spin multiplicity 2S+1', parsePositiveIntegerOption)
    .option('--frozen-core', 'do not correlate the chemical core')
    .option('--active <NELEC,NORB>', 'correlate NELEC electrons in NORB spatial orbitals around the Fermi level', parseActiveOption)
    .addOption(choice('--ansatz <a>', 'ansatz', ['uccsd', 'kupccgsd', 'hea'] as const, 'uccsd'))
    .option('--layers <k>', 'k of k-UpCCGSD (default 1), layers of hea (default 2)', parsePositiveIntegerOption)
    .addOption(choice('--mapping <m>', 'fermion-to-qubit mapping', ['jordan-wigner', 'bravyi-kitaev', 'parity'] as const, 'jordan-wigner'))
    .option('--taper', 'remove qubits by Z2 symmetries')
    .addOption(choice('--device <d>', 'ionq-native: Aria (MS) or Forte (ZZ) gates', ['aria', 'forte'] as const, 'aria'))
    .option('--optimize', 'decompose to CNOT + one-qubit gates and apply peephole optimisation before writing')
    .option('--symbolic', 'qasm3 only: skip the VQE and keep the parameters as `input float[64] theta_k`')
    .option('--seed <N>', 'seed of random starting parameters (hea)', parseIntegerOption)
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action(async (geometry: string, options: CircuitExportOptions) => {
      const result = await runCircuitExport(geometry, options);
      if (options.out === undefined) {
        io.stdout(result.text);
      } else {
        try {
          writeFileSync(options.out, result.text);
        } catch (e) {
          throw new InputError(`cannot write '${options.out}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
        }
        const counts = compiledGateCounts(result.circuit);
        io.stdout(
          alignedLines([
            ['wrote', `${options.out} (${options.format})`],
            ['qubits', String(result.circuit.nQubits)],
            ['gates', `${counts.oneQubit} one-qubit, ${counts.twoQubit} two-qubit, depth ${counts.depth}`],
            ...(result.energyHartree !== null ? [['VQE energy', `${result.energyHartree.toFixed(10)} Eh`] as const] : []),
          ]),
        );
      }
      setCode(0);
    });
  cmd
    .command('import')
    .summary('read an OpenQASM 2/3 or IonQ JSON circuit and report qubits, gate counts and depth')
    .description(
      'Read FILE (OpenQASM 2.0 / 3.0 common gate subset, or IonQ JSON qis / native; chosen by the .json/.qasm ' +
        'extension, else by content) and print its qubit count, one- and two-qubit gate counts (after decomposition ' +
        'to CNOT + one-qubit gates; native gates counted as they are) and depth. Errors name file:line:column.',
    )
    .argument('<file>', 'circuit file')
    .option('--json', 'print one JSON object')
    .action((file: string, options: { json?: boolean }) => {
      const r = runCircuitImport(file);
      if (options.json === true) {
        io.stdout(JSON.stringify(r) + '\n');
      } else {
        io.stdout(
          alignedLines([
            ['file', `${r.file} (${r.format})`],
            ['qubits', String(r.qubits)],
            ['parameters', String(r.parameters)],
            ['gates', `${r.oneQubitGates} one-qubit, ${r.twoQubitGates} two-qubit (${r.totalGates} total)`],
            ['depth', String(r.depth)],
          ]),
        );
      }
      setCode(0);
    });
  return cmd;
}
