/**
 * Reflection symmetry of the ERI build: the operations of D2h and its subgroups whose elements flip
 * the sign of some Cartesian axes (σ, C₂, i about the basis' centre), found in the frame the
 * geometry is given in. Under such an operation R every basis function maps to ± a function on the
 * image atom (the same function of the same shell there, with the sign of its reflection parity), so
 * (R i R j|R k R l) = ±(ij|kl). The quartet loop (./eri-range.ts) computes one shell quartet per
 * orbit of the group and writes the others as signed copies. Operations that leave every atom in
 * place (a plane holding the whole molecule) map each quartet to itself and are left out; the
 * reflection-parity kernels already skip what they make zero. So benzene in the xy plane computes
 * a quarter of its quartets, H₂O in the yz plane a half, and HBr along z all of them.
 *
 * An operation is used only when every atom lands within 1e-11 Bohr of an atom with the identical
 * shells (angular momenta, exponents, coefficients), so a slightly distorted geometry is computed
 * without it rather than with the integrals of a symmetric neighbour. Molecules whose symmetry
 * elements are not the coordinate planes and axes of the input frame are computed without symmetry.
 */
import type { MolecularBasis } from '../basis/index.js';
import { pairIndex } from './eri-layout.js';
import { functionParities, type ShellPairData } from './shell-pairs.js';

/** Largest distance (Bohr) between an atom's image and its partner. */
const POSITION_TOLERANCE_BOHR = 1e-11;

/** The symmetry operations (identity left out) of a basis, as maps of its shell-pair data. */
export interface EriSymmetry {
  /** Operations other than the identity. */
  readonly nOperations: number;
  /** Axes each operation flips (bit 0: x, 1: y, 2: z). */
  readonly axisMasks: Uint8Array;
  /** Image of pair X under operation o at [o·nPairs + X] (pair of the two image groups). */
  readonly pairImage: Int32Array;
  /** Image of basis function f under operation o at [o·nFunctions + f]. */
  readonly functionImage: Int32Array;
  /** Sign (±1) of the image of function f under operation o at [o·nFunctions + f]. */
  readonly functionSign: Float64Array;
}

/**
 * The reflection operations that map the basis onto itself, or undefined when there is none
 * besides the identity.
 */
export function findEriSymmetry(basis: MolecularBasis, pairs: ShellPairData): EriSymmetry | undefined {
  const nAtoms = basis.nShells === 0 ? 0 : Math.max(...basis.shellAtom) + 1;
  if (nAtoms === 0) return undefined;
  // Atom positions and shell ranges (shells of an atom are consecutive).
  const position = new Float64Array(3 * nAtoms);
  const firstShell = new Int32Array(nAtoms).fill(-1);
  const shellCount = new Int32Array(nAtoms);
  for (let s = 0; s < basis.nShells; s++) {
    const a = basis.shellAtom[s];
    if (firstShell[a] < 0) {
      firstShell[a] = s;
      for (let k = 0; k < 3; k++) position[3 * a + k] = basis.shellCentersBohr[3 * s + k];
    } else if (firstShell[a] + shellCount[a] !== s) {
      return undefined;
    }
    shellCount[a]++;
  }
  // Centre: the mean of the atoms weighted by their number of shells (equivalent atoms carry the
  // same shells, so every symmetry element passes through it).
  const centre = [0, 0, 0];
  let weight = 0;
  for (let a = 0; a < nAtoms; a++) {
    for (let k = 0; k < 3; k++) centre[k] += shellCount[a] * position[3 * a + k];
    weight += shellCount[a];
  }
  for (let k = 0; k < 3; k++) centre[k] /= weight;

  const masks: number[] = [];
  const atomMaps: Int32Array[] = [];
  for (let mask = 1; mask < 8; mask++) {
    const map = atomImage(mask, nAtoms, position, centre);
    // An operation that leaves every atom in place maps every shell quartet to itself: nothing to
    // copy. Two operations that move the atoms alike (they differ by such a plane) copy the same
    // quartets to the same places, so one of them is kept.
    if (!map || map.every((b, a) => b === a)) continue;
    if (atomMaps.some((other) => other.every((b, a) => b === map[a]))) continue;
    let same = true;
    for (let a = 0; a < nAtoms && same; a++) same = sameShells(basis, firstShell[a], firstShell[map[a]], shellCount[a], shellCount[map[a]]);
    if (!same) continue;
    masks.push(mask);
    atomMaps.push(map);
  }
  if (masks.length === 0) return undefined;

  const nOps = masks.length;
  const nf = basis.nFunctions;
  const atomFirstFunction = new Int32Array(nAtoms);
  for (let a = 0; a < nAtoms; a++) atomFirstFunction[a] = basis.shellFirstFunction[firstShell[a]];
  const functionImage = new Int32Array(nOps * nf);
  const functionSign = new Float64Array(nOps * nf);
  for (let o = 0; o < nOps; o++) {
    for (let s = 0; s < basis.nShells; s++) {
      const a = basis.shellAtom[s];
      const b = atomMaps[o][a];
      const par = functionParities(basis.shellL[s], basis.pure);
      const f0 = basis.shellFirstFunction[s];
      for (let f = 0; f < basis.shellFunctionCount[s]; f++) {
        functionImage[o * nf + f0 + f] = atomFirstFunction[b] + (f0 + f - atomFirstFunction[a]);
        functionSign[o * nf + f0 + f] = popcount3(par[f] & masks[o]) & 1 ? -1 : 1;
      }
    }
  }
  // Groups by their first function, then pairs.
  const groupOfFirst = new Map<number, number>();
  for (let g = 0; g < pairs.nGroups; g++) groupOfFirst.set(pairs.groupFirstFunction[g], g);
  const pairImage = new Int32Array(nOps * pairs.nPairs);
  for (let o = 0; o < nOps; o++) {
    const groupImage = new Int32Array(pairs.nGroups);
    for (let g = 0; g < pairs.nGroups; g++) {
      const image = groupOfFirst.get(functionImage[o * nf + pairs.groupFirstFunction[g]]);
      if (image === undefined || pairs.groupFunctionCount[image] !== pairs.groupFunctionCount[g]) return undefined;
      groupImage[g] = image;
    }
    for (let x = 0; x < pairs.nPairs; x++) {
      const a = groupImage[pairs.pairA[x]], b = groupImage[pairs.pairB[x]];
      pairImage[o * pairs.nPairs + x] = pairIndex(a, b);
    }
  }
  return { nOperations: nOps, axisMasks: Uint8Array.from(masks), pairImage, functionImage, functionSign };
}

function popcount3(v: number): number {
  return (v & 1) + ((v >> 1) & 1) + ((v >> 2) & 1);
}

/** Image atom of every atom under flipping the axes in `mask` about `centre`, or undefined. */
function atomImage(mask: number, nAtoms: number, position: Float64Array, centre: number[]): Int32Array | undefined {
  const map = new Int32Array(nAtoms);
  for (let a = 0; a < nAtoms; a++) {
    let found = -1;
    for (let b = 0; b < nAtoms && found < 0; b++) {
      let ok = true;
      for (let k = 0; k < 3 && ok; k++) {
        const p = position[3 * a + k];
        const image = (mask >> k) & 1 ? 2 * centre[k] - p : p;
        ok = Math.abs(image - position[3 * b + k]) <= POSITION_TOLERANCE_BOHR;
      }
      if (ok) found = b;
    }
    if (found < 0) return undefined;
    map[a] = found;
  }
  // Atoms on the same spot would map two atoms onto one: no operation then.
  const hit = new Uint8Array(nAtoms);
  for (let a = 0; a < nAtoms; a++) {
    if (hit[map[a]]) return undefined;
    hit[map[a]] = 1;
  }
  return map;
}

/** Whether two atoms carry the same shells (angular momenta, exponents and coefficients). */
function sameShells(basis: MolecularBasis, s0: number, t0: number, ns: number, nt: number): boolean {
  if (ns !== nt) return false;
  for (let i = 0; i < ns; i++) {
    const s = s0 + i, t = t0 + i;
    if (basis.shellL[s] !== basis.shellL[t] || basis.shellPrimitiveCount[s] !== basis.shellPrimitiveCount[t]) return false;
    const ps = basis.shellFirstPrimitive[s], pt = basis.shellFirstPrimitive[t];
    for (let p = 0; p < basis.shellPrimitiveCount[s]; p++) {
      if (basis.exponents[ps + p] !== basis.exponents[pt + p] || basis.coefficients[ps + p] !== basis.coefficients[pt + p]) return false;
    }
  }
  return true;
}

/**
 * Whether quartet (x|y), x ≥ y, is the one of its orbit that is computed: the largest (X, Y) in
 * lexicographic order among its images (each written as max, min).
 */
export function isOrbitRepresentative(symmetry: EriSymmetry, nPairs: number, x: number, y: number): boolean {
  const img = symmetry.pairImage;
  for (let o = 0; o < symmetry.nOperations; o++) {
    const a = img[o * nPairs + x], b = img[o * nPairs + y];
    const hi = a >= b ? a : b, lo = a >= b ? b : a;
    if (hi > x || (hi === x && lo > y)) return false;
  }
  return true;
}

/**
 * Write the images of the stored quartet (x|y) under every operation whose image is another
 * quartet: (R i R j|R k R l) = s_i s_j s_k s_l (ij|kl). The images belong to the orbit of (x|y)
 * only, so threads that own different orbits never write the same element.
 */
export function writeOrbitImages(pairs: ShellPairData, symmetry: EriSymmetry, x: number, y: number, values: Float64Array): void {
  const nPairs = pairs.nPairs;
  const nf = symmetry.functionImage.length / symmetry.nOperations;
  const fImage = symmetry.functionImage, fSign = symmetry.functionSign;
  const first = pairs.groupFirstFunction;
  const fa = first[pairs.pairA[x]], fb = first[pairs.pairB[x]];
  const fc = first[pairs.pairA[y]], fd = first[pairs.pairB[y]];
  const na = pairs.pairNA[x], nb = pairs.pairNB[x], nc = pairs.pairNA[y], nd = pairs.pairNB[y];
  for (let o = 0; o < symmetry.nOperations; o++) {
    const a = symmetry.pairImage[o * nPairs + x], b = symmetry.pairImage[o * nPairs + y];
    const hi = a >= b ? a : b, lo = a >= b ? b : a;
    if (hi === x && lo === y) continue;
    let seen = false;
    for (let p = 0; p < o && !seen; p++) {
      const a2 = symmetry.pairImage[p * nPairs + x], b2 = symmetry.pairImage[p * nPairs + y];
      seen = (a2 === a && b2 === b) || (a2 === b && b2 === a);
    }
    if (seen) continue;
    const base = o * nf;
    for (let i = fa; i < fa + na; i++) {
      const ri = fImage[base + i], si = fSign[base + i];
      for (let j = fb; j < fb + nb; j++) {
        const rj = fImage[base + j], sij = si * fSign[base + j];
        const ij = pairIndex(i, j), rij = pairIndex(ri, rj);
        for (let k = fc; k < fc + nc; k++) {
          const rk = fImage[base + k], sijk = sij * fSign[base + k];
          for (let l = fd; l < fd + nd; l++) {
            const kl = pairIndex(k, l), rkl = pairIndex(rk, fImage[base + l]);
            values[pairIndex(rij, rkl)] = sijk * fSign[base + l] * values[pairIndex(ij, kl)];
          }
        }
      }
    }
  }
}
