/**
 * MP2 pair-energy kernels over one occupied orbital's slice of (ia|jb), as the occupied-first
 * transformation (./mp2-transform.ts) hands them out: RHF same- and opposite-spin sums, and the
 * UHF opposite-spin sum.
 */

/**
 * Same- and opposite-spin MP2 sums of one occupied orbital i over slice[a,j,b] = (ia|jb), for every
 * j of `occupiedEnergies`; or, given `pairsUpTo` = i, for j ∈ [0, i] only (slice[a, j ≤ i, b]), where
 * the pair (j, i) contributes what (i, j) does (swap a and b), so j < i counts twice.
 * Pure kernel: no allocation.
 */
export function mp2SliceSums(
  slice: Float64Array,
  occupiedEnergy: number,
  occupiedEnergies: Float64Array,
  virtualEnergies: Float64Array,
  pairsUpTo = -1,
): { sameSpin: number; oppositeSpin: number } {
  const nj = pairsUpTo >= 0 ? pairsUpTo + 1 : occupiedEnergies.length;
  const v = virtualEnergies.length;
  const aStride = nj * v;
  let ss = 0;
  let os = 0;
  for (let j = 0; j < nj; j++) {
    const eij = occupiedEnergy + occupiedEnergies[j];
    let pairSs = 0;
    let pairOs = 0;
    for (let a = 0; a < v; a++) {
      const eija = eij - virtualEnergies[a];
      const rowAJ = a * aStride + j * v;
      for (let b = 0; b < v; b++) {
        const iajb = slice[rowAJ + b];
        const ibja = slice[b * aStride + j * v + a];
        const t = iajb / (eija - virtualEnergies[b]);
        pairOs += t * iajb;
        pairSs += t * (iajb - ibja);
      }
    }
    const weight = j < pairsUpTo ? 2 : 1;
    ss += weight * pairSs;
    os += weight * pairOs;
  }
  return { sameSpin: ss, oppositeSpin: os };
}

/** Opposite-spin MP2 sum Σ_aJB (ia|JB)²/D of one α orbital i over slice[a,J,B] = (ia|JB). */
export function oppositeSpinSliceSum(
  slice: Float64Array,
  occupiedEnergy: number,
  eVirA: Float64Array,
  eOccB: Float64Array,
  eVirB: Float64Array,
): number {
  const va = eVirA.length;
  const ob = eOccB.length;
  const vb = eVirB.length;
  let sum = 0;
  let x = 0;
  for (let a = 0; a < va; a++) {
    const eia = occupiedEnergy - eVirA[a];
    for (let j = 0; j < ob; j++) {
      const eiaj = eia + eOccB[j];
      for (let b = 0; b < vb; b++, x++) {
        const val = slice[x];
        sum += (val * val) / (eiaj - eVirB[b]);
      }
    }
  }
  return sum;
}
