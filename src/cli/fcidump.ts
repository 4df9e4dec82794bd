/**
 * `qde fcidump`: run RHF on a geometry and write the MO-basis Hamiltonian (optionally with a frozen
 * core and/or an active space) as an FCIDUMP file.
 */
import { Command } from 'commander';
import { InputError } from '../core/index.js';
import { electronCount, moleculeFormula } from '../chem/index.js';
import { writeFcidump } from '../hamiltonian/index.js';
import { buildMolecularHamiltonian } from '../methods/index.js';
import { QDE_VERSION } from '../version.js';
import {
  type ActiveSpaceOption,
  type CliIo,
  alignedLines,
  loadGeometry,
  optionName,
  parseActiveOption,
  parseIntegerOption,
  parseMemoryOption,
  parsePositiveIntegerOption,
} from './common.js';

/** Parsed options of `qde fcidump`. */
export interface FcidumpCommandOptions {
  basis: string;
  out: string;
  charge?: number;
  multiplicity?: number;
  frozenCore?: boolean;
  active?: ActiveSpaceOption;
  /** Memory limit in bytes (default: 80 % of the machine's). */
  maxMemory?: number;
  json?: boolean;
}

/** Summary of a written FCIDUMP file (the `--json` output). */
export interface FcidumpReport {
  file: string;
  basis: string;
  nBasis: number;
  nOrbitals: number;
  nElectrons: number;
  ms2: number;
  scfEnergyHartree: number;
  nuclearRepulsionHartree: number;
  coreEnergyHartree: number;
  frozenOrbitals: number;
  wallSeconds: number;
  qdeVersion: string;
}

/** Build the `fcidump` sub-command. */
export function fcidumpCommand(io: CliIo, setCode: (code: number) => void): Command {
  const cmd = new Command('fcidump');
  cmd
    .summary('write the RHF molecular-orbital Hamiltonian of a geometry as an FCIDUMP file')
    .description(
      'Run RHF on <geometry> (XYZ, Ångström) and write the Hamiltonian in the canonical RHF orbitals as an ' +
        'FCIDUMP file (Knowles–Handy format: integrals in Hartree, chemists\' notation, 1-based indices; ' +
        'the core energy line holds nuclear repulsion plus frozen-core energy). Readable by PySCF, Molpro, ' +
        'Block, Dice and `qde energy --fcidump`.',
    )
    .argument('<geometry>', 'XYZ geometry file (coordinates in Ångström)')
    .option('-b, --basis <name|file.gbs>', 'basis set name or Gaussian94 .gbs file', 'sto-3g')
    .requiredOption('-o, --out <file>', 'FCIDUMP file to write')
    .option('--charge <N>', 'total charge in elementary charges (overrides the XYZ comment line)', parseIntegerOption)
    .option('--multiplicity <N>', 'spin multiplicity 2S+1 (must be 1: the orbitals come from RHF)', parsePositiveIntegerOption)
    .option('--frozen-core', 'fold the chemical core (1 orbital per Li–Ne atom, 5 per Na–Ar, 9 per K–Kr) into the core energy')
    .option('--active <NELEC,NORB>', 'keep only NELEC electrons in NORB spatial orbitals around the Fermi level', parseActiveOption)
    .option('--max-memory <size>', 'refuse when the estimated memory exceeds this (e.g. 16GB; default 80% of this machine\'s memory)', parseMemoryOption)
    .option('--json', 'print a JSON summary of the written file')
    .action(async (geometry: string, options: FcidumpCommandOptions) => {
      const report = runFcidump(geometry, options);
      if (options.json) {
        io.stdout(JSON.stringify(report) + '\n');
      } else {
        io.stdout(
          alignedLines([
            ['wrote', report.file],
            ['basis', `${report.basis} (${report.nBasis} functions)`],
            ['orbitals / electrons', `${report.nOrbitals} / ${report.nElectrons} (MS2 = ${report.ms2})`],
            ['frozen core orbitals', String(report.frozenOrbitals)],
            ['RHF energy', `${report.scfEnergyHartree.toFixed(10)} Eh`],
            ['core energy', `${report.coreEnergyHartree.toFixed(10)} Eh`],
          ]),
        );
      }
      setCode(0);
    });
  return cmd;
}

/** Run `qde fcidump` without printing. */
export function runFcidump(geometry: string, options: FcidumpCommandOptions): FcidumpReport {
  const start = performance.now();
  const molecule = loadGeometry(geometry, options.charge, options.multiplicity);
  if (!(molecule.multiplicity === 1 && electronCount(molecule) % 2 === 0)) {
    throw new InputError(
      `fcidump uses RHF orbitals and needs a closed-shell singlet, but ${moleculeFormula(molecule)} with charge ` +
        `${molecule.charge} has ${electronCount(molecule)} electrons and multiplicity ${molecule.multiplicity}`,
    );
  }
  const { ham, scf, system } = buildMolecularHamiltonian(
    molecule,
    {
      basis: options.basis,
      ...(options.frozenCore ? { frozenCore: true } : {}),
      ...(options.active ? { active: options.active } : {}),
    },
    { keyLabel: optionName, ...(options.maxMemory !== undefined ? { maxMemoryBytes: options.maxMemory } : {}) },
  );
  try {
    writeFcidump(ham, options.out);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    const reason = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : code;
    throw new InputError(`cannot write FCIDUMP file '${options.out}': ${reason}`);
  }
  return {
    file: options.out,
    basis: system.basis!,
    nBasis: scf.nBasis,
    nOrbitals: ham.nOrbitals,
    nElectrons: ham.nAlpha + ham.nBeta,
    ms2: ham.nAlpha - ham.nBeta,
    scfEnergyHartree: scf.energyHartree,
    nuclearRepulsionHartree: scf.nuclearRepulsionHartree,
    coreEnergyHartree: ham.constantHartree,
    // frozen orbitals are doubly occupied, so their number is the drop in α electrons
    frozenOrbitals: scf.nAlpha - ham.nAlpha,
    wallSeconds: (performance.now() - start) / 1000,
    qdeVersion: QDE_VERSION,
  };
}

