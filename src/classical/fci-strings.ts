/**
 * Occupation strings for determinant-based full CI.
 *
 * A string is a set of `nElectrons` occupied spatial orbitals out of `nOrbitals`, all of one spin.
 * Strings are addressed by the combinatorial number system (a graph / binomial index):
 *
 *   address(o_0 < o_1 < … < o_{k-1}) = Σ_t C(o_t, t + 1)
 *
 * which numbers the strings in ascending order of their bit pattern Σ_t 2^{o_t} (the ordering of
 * PySCF's `cistring`): for 2 electrons in 4 orbitals the order is 0011, 0101, 0110, 1001, 1010, 1100.
 * The string itself is the ordered product a†_{o_0} a†_{o_1} … a†_{o_{k-1}} |0⟩.
 *
 * Single-replacement lists (PySCF `link_index`): for every string I and every pair (c, a) with a
 * occupied in I and c empty in I or c = a, the list holds the target J with |J⟩ = ± E_ca |I⟩,
 * E_ca = a†_c a_a, and the sign ±1. The sign is (−1)^(number of occupied orbitals strictly between
 * c and a). Entries of string I are stored at [I * singlesPerString, (I + 1) * singlesPerString),
 * diagonal entries (c = a, J = I, sign +1) first, in ascending a.
 */
import { binomial, InputError } from '../core/index.js';

/** All strings of one spin with their single-replacement lists. */
export interface StringSpace {
  readonly nOrbitals: number;
  readonly nElectrons: number;
  /** Number of strings C(nOrbitals, nElectrons). */
  readonly count: number;
  /** occupied[I * nElectrons + t] = t-th occupied orbital of string I (ascending). */
  readonly occupied: Int32Array;
  /** occupation[I * nOrbitals + p] = 1 when orbital p is occupied in string I. */
  readonly occupation: Uint8Array;
  /** nElectrons * (nOrbitals − nElectrons + 1): entries per string in the lists below. */
  readonly singlesPerString: number;
  /** Created orbital c of each single-replacement entry. */
  readonly singleCreate: Int32Array;
  /** Annihilated orbital a of each entry. */
  readonly singleAnnihilate: Int32Array;
  /** Target string J = E_ca I. */
  readonly singleTarget: Int32Array;
  /** Sign of ⟨J|E_ca|I⟩ (±1). */
  readonly singleSign: Float64Array;
}

/**
 * Binomial table binomialTable[m * (k + 1) + t] = C(m, t) for m ≤ n, t ≤ k, used for addressing.
 */
function binomialTable(n: number, k: number): Float64Array {
  const t = new Float64Array((n + 1) * (k + 1));
  for (let m = 0; m <= n; m++) for (let j = 0; j <= k; j++) t[m * (k + 1) + j] = binomial(m, j);
  return t;
}

/** Address of a sorted occupation list in the combinatorial number system. */
export function stringAddress(occ: ArrayLike<number>, nElectrons: number): number {
  let addr = 0;
  for (let t = 0; t < nElectrons; t++) addr += binomial(occ[t], t + 1);
  return addr;
}

/** Maximum number of strings of one spin that the tables are built for. */
const MAX_STRINGS = 50_000_000;

/** Build the string space for `nElectrons` electrons of one spin in `nOrbitals` orbitals. */
export function buildStringSpace(nOrbitals: number, nElectrons: number): StringSpace {
  if (!Number.isInteger(nOrbitals) || nOrbitals < 0 || !Number.isInteger(nElectrons) || nElectrons < 0) {
    throw new InputError(`FCI: invalid orbital/electron counts (${nOrbitals}, ${nElectrons})`);
  }
  if (nElectrons > nOrbitals) {
    throw new InputError(`FCI: ${nElectrons} electrons of one spin do not fit into ${nOrbitals} orbitals`);
  }
  const count = binomial(nOrbitals, nElectrons);
  if (count > MAX_STRINGS) throw new InputError(`FCI: ${count} strings of one spin is too many`);
  const k = nElectrons;
  const n = nOrbitals;
  const table = binomialTable(n, k);
  const occupied = new Int32Array(count * k);
  const occupation = new Uint8Array(count * n);
  // Enumerate combinations in ascending bit-pattern order = ascending address.
  const cur = new Int32Array(k);
  for (let t = 0; t < k; t++) cur[t] = t;
  for (let I = 0; I < count; I++) {
    for (let t = 0; t < k; t++) {
      occupied[I * k + t] = cur[t];
      occupation[I * n + cur[t]] = 1;
    }
    // Next combination in colex order: increase the lowest index that can move.
    let t = 0;
    while (t < k - 1 && cur[t] + 1 === cur[t + 1]) t++;
    if (k > 0) {
      cur[t]++;
      for (let u = 0; u < t; u++) cur[u] = u;
    }
  }
  const singlesPerString = k * (n - k + 1);
  const total = count * singlesPerString;
  const singleCreate = new Int32Array(total);
  const singleAnnihilate = new Int32Array(total);
  const singleTarget = new Int32Array(total);
  const singleSign = new Float64Array(total);
  const occ = new Int32Array(k);
  for (let I = 0; I < count; I++) {
    let e = I * singlesPerString;
    const oBase = I * k;
    const bBase = I * n;
    for (let t = 0; t < k; t++) {
      singleCreate[e] = occupied[oBase + t];
      singleAnnihilate[e] = occupied[oBase + t];
      singleTarget[e] = I;
      singleSign[e] = 1;
      e++;
    }
    for (let t = 0; t < k; t++) {
      const a = occupied[oBase + t];
      for (let c = 0; c < n; c++) {
        if (occupation[bBase + c] === 1) continue;
        // Occupation with a removed and c inserted, kept sorted; count orbitals strictly between.
        let m = 0;
        let between = 0;
        const lo = Math.min(a, c);
        const hi = Math.max(a, c);
        let inserted = false;
        for (let u = 0; u < k; u++) {
          const o = occupied[oBase + u];
          if (o === a) continue;
          if (o > lo && o < hi) between++;
          if (!inserted && c < o) {
            occ[m++] = c;
            inserted = true;
          }
          occ[m++] = o;
        }
        if (!inserted) occ[m++] = c;
        let addr = 0;
        for (let u = 0; u < k; u++) addr += table[occ[u] * (k + 1) + u + 1];
        singleCreate[e] = c;
        singleAnnihilate[e] = a;
        singleTarget[e] = addr;
        singleSign[e] = (between & 1) === 0 ? 1 : -1;
        e++;
      }
    }
  }
  return {
    nOrbitals,
    nElectrons,
    count,
    occupied,
    occupation,
    singlesPerString,
    singleCreate,
    singleAnnihilate,
    singleTarget,
    singleSign,
  };
}
