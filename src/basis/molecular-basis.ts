/**
 * A basis set placed on a molecule: contracted shells in flat typed arrays for the integral code.
 *
 * Layout (shell s = 0 … nShells−1, in atom order, then file order within an atom):
 *   shellL[s], shellAtom[s], shellCentersBohr[3s..3s+2],
 *   primitives shellFirstPrimitive[s] … + shellPrimitiveCount[s] − 1 in `exponents` / `coefficients`,
 *   basis functions shellFirstFunction[s] … + shellFunctionCount[s] − 1.
 * `coefficients` are the contraction coefficients of primitive x^l exp(−α r²) (unnormalised
 * monomial), i.e. they include the primitive normalisation and the contraction renormalisation,
 * so that the x^l component of every shell has unit norm. Functions within a shell follow the
 * ordering and normalisation of ./shell-functions.ts (Psi4's order; every function has unit norm).
 */
import { InputError } from '../core/index.js';
import { type Molecule, atomLocation, chargeLocation, spinElectronCounts } from '../chem/index.js';
import { elementSymbol } from '../chem/index.js';
import type { BasisLibrary } from './gbs.js';
import { doubleFactorial, shellTransform } from './shell-functions.js';

/** Contracted Gaussian basis on a molecule. */
export interface MolecularBasis {
  /** Basis-set name, e.g. 'cc-pVDZ'. */
  readonly name: string;
  /** Pure (5d, 7f, …) functions for l ≥ 2 when true, cartesian (6d, 10f) when false. */
  readonly pure: boolean;
  /** Number of basis functions. */
  readonly nFunctions: number;
  /** Atom index of each basis function. */
  readonly functionToAtom: Int32Array;
  /** Number of shells. */
  readonly nShells: number;
  /** Highest angular momentum present. */
  readonly maxL: number;
  /** Angular momentum of each shell. */
  readonly shellL: Int32Array;
  /** Atom index of each shell. */
  readonly shellAtom: Int32Array;
  /** Shell centres in Bohr, 3 per shell. */
  readonly shellCentersBohr: Float64Array;
  /** First basis function of each shell. */
  readonly shellFirstFunction: Int32Array;
  /** Number of basis functions of each shell (2l+1 or (l+1)(l+2)/2). */
  readonly shellFunctionCount: Int32Array;
  /** Offset of each shell's primitives in `exponents` / `coefficients`. */
  readonly shellFirstPrimitive: Int32Array;
  /** Number of primitives of each shell. */
  readonly shellPrimitiveCount: Int32Array;
  /** Primitive exponents (Bohr⁻²). */
  readonly exponents: Float64Array;
  /** Contraction coefficients of unnormalised primitives (see file header). */
  readonly coefficients: Float64Array;
}

/** Options of {@link buildMolecularBasis}. */
export interface BuildBasisOptions {
  /** Override the library's pure/cartesian choice. */
  pure?: boolean;
}

/** `name (file)` of a basis library, for messages. */
function basisLabel(library: BasisLibrary): string {
  return library.file !== undefined ? `${library.name} (${library.file})` : library.name;
}

/**
 * Place `library` on every atom of `molecule` and normalise the contracted shells.
 * @throws InputError naming the basis (and its file) and the element when an element has no
 *   functions, located at the atom's line when the molecule was read from a file; and when the
 *   molecule has more electrons of one spin than the basis has functions (located at the line that
 *   sets the charge).
 */
export function buildMolecularBasis(molecule: Molecule, library: BasisLibrary, options: BuildBasisOptions = {}): MolecularBasis {
  const pure = options.pure ?? library.pure;
  const nAtoms = molecule.atomicNumbers.length;
  const ls: number[] = [];
  const atoms: number[] = [];
  const exps: number[] = [];
  const coefs: number[] = [];
  const firstPrim: number[] = [];
  const nPrim: number[] = [];
  for (let a = 0; a < nAtoms; a++) {
    const z = molecule.atomicNumbers[a];
    const shells = library.elements.get(z);
    if (library.ecpElements.has(z)) {
      throw new InputError(
        `basis ${basisLabel(library)} uses an effective core potential for element ${elementSymbol(z)} (atom ${a + 1}), which qde does not support`,
        atomLocation(molecule, a),
      );
    }
    if (!shells || shells.length === 0) {
      // The message ends with the element: callers and users match on it.
      const fileClause = library.file !== undefined ? `, basis file ${library.file}` : '';
      throw new InputError(`atom ${a + 1}${fileClause}: basis ${library.name} has no functions for element ${elementSymbol(z)}`, atomLocation(molecule, a));
    }
    for (const sh of shells) {
      const l = sh.l;
      const k = sh.exponents.length;
      // Primitive normalisation of x^l exp(−α r²): (2α/π)^{3/4} (4α)^{l/2} / sqrt((2l−1)!!).
      const c = new Float64Array(k);
      for (let i = 0; i < k; i++) {
        const al = sh.exponents[i];
        c[i] = sh.coefficients[i] * (2 * al / Math.PI) ** 0.75 * (4 * al) ** (l / 2) / Math.sqrt(doubleFactorial(2 * l - 1));
      }
      // Self-overlap of the contracted x^l component; rescale to one.
      let s = 0;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          const p = sh.exponents[i] + sh.exponents[j];
          s += c[i] * c[j] * (Math.PI / p) ** 1.5 * doubleFactorial(2 * l - 1) / (2 * p) ** l;
        }
      }
      if (!(s > 0)) throw new InputError(`basis ${basisLabel(library)}: a shell of element ${elementSymbol(z)} has zero norm`);
      const scale = 1 / Math.sqrt(s);
      firstPrim.push(exps.length);
      nPrim.push(k);
      for (let i = 0; i < k; i++) {
        exps.push(sh.exponents[i]);
        coefs.push(c[i] * scale);
      }
      ls.push(l);
      atoms.push(a);
    }
  }
  const nShells = ls.length;
  const shellL = Int32Array.from(ls);
  const shellAtom = Int32Array.from(atoms);
  const shellCentersBohr = new Float64Array(3 * nShells);
  const shellFirstFunction = new Int32Array(nShells);
  const shellFunctionCount = new Int32Array(nShells);
  let nFunctions = 0;
  let maxL = 0;
  for (let s = 0; s < nShells; s++) {
    const a = shellAtom[s];
    for (let d = 0; d < 3; d++) shellCentersBohr[3 * s + d] = molecule.positionsBohr[3 * a + d];
    shellFirstFunction[s] = nFunctions;
    const nf = shellTransform(shellL[s], pure).nFunctions;
    shellFunctionCount[s] = nf;
    nFunctions += nf;
    if (shellL[s] > maxL) maxL = shellL[s];
  }
  const { nAlpha } = spinElectronCounts(molecule);
  if (nAlpha > nFunctions) {
    throw new InputError(
      `charge ${molecule.charge} and multiplicity ${molecule.multiplicity} put ${nAlpha} electrons of one spin into ` +
        `the ${nFunctions} function${nFunctions === 1 ? '' : 's'} of basis ${library.name}: at most ${nFunctions} fit`,
      chargeLocation(molecule),
    );
  }
  const functionToAtom = new Int32Array(nFunctions);
  for (let s = 0; s < nShells; s++) {
    functionToAtom.fill(shellAtom[s], shellFirstFunction[s], shellFirstFunction[s] + shellFunctionCount[s]);
  }
  return {
    name: library.name,
    pure,
    nFunctions,
    functionToAtom,
    nShells,
    maxL,
    shellL,
    shellAtom,
    shellCentersBohr,
    shellFirstFunction,
    shellFunctionCount,
    shellFirstPrimitive: Int32Array.from(firstPrim),
    shellPrimitiveCount: Int32Array.from(nPrim),
    exponents: Float64Array.from(exps),
    coefficients: Float64Array.from(coefs),
  };
}
