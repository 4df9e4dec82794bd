/**
 * SMILES to a 3-D molecule with openchemlib: parse, add hydrogens, build one conformer with the
 * seeded conformer generator, then minimise it with the MMFF94s+ force field. Positions come back
 * in Å and are converted to Bohr at this edge. The charge is the sum of the formal charges; the
 * multiplicity is 1 for an even electron count and 2 for an odd one unless given.
 *
 * openchemlib is loaded on the first SMILES, not when this module is imported: it costs about 0.1
 * CPU-s, and every module that imports the chem stage (each campaign worker thread among them)
 * would pay it without ever reading a SMILES. The load is synchronous (require of an ES module,
 * Node ≥ 20.19) so that this function stays synchronous.
 */
import { createRequire } from 'node:module';
import type * as OpenChemLib from 'openchemlib';
import { InputError } from '../../core/index.js';
import { createMolecule, type Molecule } from '../molecule.js';

let ocl: typeof OpenChemLib | undefined;

/** openchemlib, loaded (and its force-field and torsion tables registered) on first use. */
function openChemLib(): typeof OpenChemLib {
  if (ocl === undefined) {
    const lib = createRequire(import.meta.url)('openchemlib') as typeof OpenChemLib;
    // the force-field and torsion tables ship beside the library
    lib.Resources.registerFromNodejs();
    ocl = lib;
  }
  return ocl;
}

/** Options of {@link moleculeFromSmiles}. */
export interface SmilesOptions {
  /** Multiplicity 2S + 1 (default: 1 or 2 by electron count). */
  multiplicity?: number;
  /** Skip the MMFF94 minimisation (default false). */
  noMinimise?: boolean;
}

/**
 * A 3-D molecule from a SMILES string, deterministic for a given seed.
 * @throws InputError naming the SMILES when it does not parse or no conformer can be built.
 */
export function moleculeFromSmiles(smiles: string, seed: number, options: SmilesOptions = {}): Molecule {
  const text = smiles.trim();
  if (text === '') throw new InputError('empty SMILES string');
  const OCL = openChemLib();
  let parsed: OpenChemLib.Molecule;
  try {
    parsed = OCL.Molecule.fromSmiles(text);
  } catch (e) {
    const why = String(e instanceof Error ? e.message : e).replace(/^.*SmilesParser:\s*/, '');
    throw new InputError(`SMILES '${text}' does not parse: ${why}`);
  }
  if (parsed.getAllAtoms() === 0) throw new InputError(`SMILES '${text}' has no atoms`);
  const generator = new OCL.ConformerGenerator(seed);
  const conformer = generator.getOneConformerAsMolecule(parsed);
  if (conformer === null) throw new InputError(`SMILES '${text}': no 3-D conformer could be built`);
  if (options.noMinimise !== true) {
    const field = new OCL.ForceFieldMMFF94(conformer, 'MMFF94s+');
    field.minimise();
  }
  const n = conformer.getAllAtoms();
  const atomicNumbers = new Int32Array(n);
  const positionsAngstrom = new Float64Array(3 * n);
  let charge = 0;
  for (let a = 0; a < n; a++) {
    atomicNumbers[a] = conformer.getAtomicNo(a);
    positionsAngstrom[3 * a] = conformer.getAtomX(a);
    positionsAngstrom[3 * a + 1] = conformer.getAtomY(a);
    positionsAngstrom[3 * a + 2] = conformer.getAtomZ(a);
    charge += conformer.getAtomCharge(a);
  }
  try {
    return createMolecule({
      atomicNumbers,
      positionsAngstrom,
      charge,
      ...(options.multiplicity !== undefined ? { multiplicity: options.multiplicity } : {}),
      title: text,
    });
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`SMILES '${text}': ${e.message}`);
    throw e;
  }
}
