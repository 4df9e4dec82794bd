/**
 * Initial guesses for the SCF.
 *
 * SAD (superposition of atomic densities): for every distinct element (and its basis shells) a
 * spin-restricted atomic SCF with spherically averaged fractional occupations is run in that atom's
 * own part of the molecular basis (Z/2 electrons per spin spread evenly over degenerate shells);
 * the molecular per-spin guess density is the block-diagonal sum of these atomic densities.
 * An atom with fewer than {@link CACHED_ATOM_MAX_FUNCTIONS} functions is computed once per element
 * and shell data, with its shells at the origin, and cached for the life of the process: the
 * density is then the same bits whichever geometry asked first (the one-centre integrals carry
 * rounding that depends on where the centre is, about 1e-16, and a density cached from the first
 * geometry made later SCFs, and so a campaign's labels, depend on which job a process happened to
 * run first: 7e-15 Hartree in LiH FCI energies). A larger atom is computed at its own position in
 * every SCF (not cached), so that its one-centre integrals can be copied from the molecular job
 * being computed (integrals/eri-reuse.ts; HBr/cc-pVTZ: the Br block is about 80 % of the molecule).
 *
 * Core: the core Hamiltonian H is diagonalised. GWH: generalised Wolfsberg–Helmholz,
 * F_μν = ½ K S_μν (H_μμ + H_νν) with K = 1.75 off the diagonal, F_μμ = H_μμ.
 */
import type { Molecule } from '../chem/index.js';
import type { MolecularBasis } from '../basis/index.js';
import { overlapAndCoreHamiltonian } from '../integrals/index.js';
import { electronRepulsionIntegrals } from '../integrals/index.js';
import { scfEngineSettings, scfSystem, solveScf } from './engine.js';

const atomicDensityCache = new Map<string, Float64Array>();

/** Atoms with fewer basis functions than this get the cached, origin-centred density (see the header). */
const CACHED_ATOM_MAX_FUNCTIONS = 30;

/** Forget the cached atomic SAD densities (for timing and tests). */
export function clearAtomicDensityCache(): void {
  atomicDensityCache.clear();
}

/** Per-spin SAD guess density (nBasis×nBasis) for `molecule` in `basis`. */
export function sadGuessDensity(molecule: Molecule, basis: MolecularBasis): Float64Array {
  const n = basis.nFunctions;
  const density = new Float64Array(n * n);
  const nAtoms = molecule.atomicNumbers.length;
  for (let atom = 0; atom < nAtoms; atom++) {
    const sub = atomicSubBasis(basis, atom);
    if (!sub) continue;
    const z = molecule.atomicNumbers[atom];
    let atomic: Float64Array;
    if (sub.basis.nFunctions < CACHED_ATOM_MAX_FUNCTIONS) {
      const key = `${z}|${basis.pure}|${Array.from(sub.basis.shellL).join(',')}|${Array.from(sub.basis.exponents).join(',')}|${Array.from(sub.basis.coefficients).join(',')}`;
      let cached = atomicDensityCache.get(key);
      if (!cached) {
        // the sub-basis is a copy: move its shells to the origin
        sub.basis.shellCentersBohr.fill(0);
        cached = atomicDensity(z, sub.basis);
        atomicDensityCache.set(key, cached);
      }
      atomic = cached;
    } else {
      atomic = atomicDensity(z, sub.basis);
    }
    const nf = sub.basis.nFunctions;
    const f0 = sub.firstFunction;
    for (let i = 0; i < nf; i++) for (let j = 0; j < nf; j++) density[(f0 + i) * n + f0 + j] = atomic[i * nf + j];
  }
  return density;
}

/** Generalised Wolfsberg–Helmholz guess Fock matrix. */
export function gwhGuessFock(overlap: Float64Array, coreHamiltonian: Float64Array, n: number): Float64Array {
  const f = new Float64Array(n * n);
  const k = 1.75;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      f[i * n + j] =
        i === j ? coreHamiltonian[i * n + i] : 0.5 * k * overlap[i * n + j] * (coreHamiltonian[i * n + i] + coreHamiltonian[j * n + j]);
    }
  }
  return f;
}

/** Fractional-occupation, spin-restricted SCF of a neutral atom; returns its per-spin density. */
function atomicDensity(z: number, basis: MolecularBasis): Float64Array {
  const atom: Molecule = {
    atomicNumbers: Int32Array.of(z),
    positionsBohr: basis.shellCentersBohr.slice(0, 3),
    charge: 0,
    multiplicity: z % 2 === 0 ? 1 : 2,
  };
  const { overlap, coreHamiltonian } = overlapAndCoreHamiltonian(basis, atom);
  const eri = electronRepulsionIntegrals(basis, { threads: 1 });
  const result = solveScf(
    scfSystem(basis.nFunctions, overlap, coreHamiltonian, eri, 0),
    scfEngineSettings({
      restricted: true,
      fractional: true,
      nAlpha: z / 2,
      nBeta: z / 2,
      energyConvergence: 1e-8,
      densityConvergence: 1e-6,
      maxIterations: 60,
      diisSize: 6,
      linearDependenceThreshold: 1e-7,
      throwOnFailure: false,
    }),
  );
  return result.densityAlpha;
}

/** The shells of one atom as a stand-alone basis (shells are stored atom by atom). */
function atomicSubBasis(basis: MolecularBasis, atom: number): { basis: MolecularBasis; firstFunction: number } | undefined {
  let s0 = -1;
  let s1 = -1;
  for (let s = 0; s < basis.nShells; s++) {
    if (basis.shellAtom[s] === atom) {
      if (s0 < 0) s0 = s;
      s1 = s + 1;
    }
  }
  if (s0 < 0) return undefined;
  const nShells = s1 - s0;
  const f0 = basis.shellFirstFunction[s0];
  const f1 = basis.shellFirstFunction[s1 - 1] + basis.shellFunctionCount[s1 - 1];
  const p0 = basis.shellFirstPrimitive[s0];
  const p1 = basis.shellFirstPrimitive[s1 - 1] + basis.shellPrimitiveCount[s1 - 1];
  const shellL = basis.shellL.slice(s0, s1);
  let maxL = 0;
  for (const l of shellL) maxL = Math.max(maxL, l);
  const sub: MolecularBasis = {
    name: basis.name,
    pure: basis.pure,
    nFunctions: f1 - f0,
    functionToAtom: new Int32Array(f1 - f0),
    nShells,
    maxL,
    shellL,
    shellAtom: new Int32Array(nShells),
    shellCentersBohr: basis.shellCentersBohr.slice(3 * s0, 3 * s1),
    shellFirstFunction: basis.shellFirstFunction.slice(s0, s1).map((f) => f - f0),
    shellFunctionCount: basis.shellFunctionCount.slice(s0, s1),
    shellFirstPrimitive: basis.shellFirstPrimitive.slice(s0, s1).map((p) => p - p0),
    shellPrimitiveCount: basis.shellPrimitiveCount.slice(s0, s1),
    exponents: basis.exponents.slice(p0, p1),
    coefficients: basis.coefficients.slice(p0, p1),
  };
  return { basis: sub, firstFunction: f0 };
}
