/**
 * Qubit-wise commuting (QWC) grouping of the terms of a PauliSum for measurement.
 *
 * Two strings commute qubit-wise when on every qubit they carry the same letter or one of them
 * carries I; all strings of a QWC group are diagonal in one product basis, given per qubit by the
 * group's merged string (basisX, basisZ masks: X, Y or Z where some member acts, I elsewhere).
 * Colouring is greedy largest-first (Welsh–Powell): terms ordered by descending degree in the
 * non-QWC conflict graph (ties: larger |c| first, then index), each placed in the first group whose
 * merged string it matches — equivalent to commuting qubit-wise with every member.
 * Identity terms need no measurement; they are listed separately.
 */
import type { PauliSumData } from './pauli-layout.js';
import { densePauliLabel, pauliLabel } from './pauli-sum.js';
import { pauliStringsQubitWiseCommute } from './pauli-algebra.js';

/** One measurement group. */
export interface QwcGroup {
  /** Indices of the member terms in the operator. */
  termIndices: Int32Array;
  /** Measurement basis as a Pauli string (X masks): rotate X/Y qubits before measuring Z. */
  basisX: number;
  /** Measurement basis as a Pauli string (Z masks). */
  basisZ: number;
  /** Sparse label of the basis string, e.g. 'X0 Y1 Z3'. */
  basisLabel: string;
  /** Dense label (character k = qubit k), with I for unmeasured qubits. */
  basisDense: string;
}

/** Result of {@link groupQubitWiseCommuting}. */
export interface QwcGrouping {
  groups: QwcGroup[];
  /** Indices of identity terms (no measurement needed). */
  identityTerms: Int32Array;
}

/** Greedy largest-first colouring of the terms into qubit-wise commuting groups. */
export function groupQubitWiseCommuting(op: PauliSumData): QwcGrouping {
  const n = op.x.length;
  const identity: number[] = [];
  const active: number[] = [];
  for (let t = 0; t < n; t++) {
    if (op.x[t] === 0 && op.z[t] === 0) identity.push(t);
    else active.push(t);
  }
  const degree = new Int32Array(n);
  for (let a = 0; a < active.length; a++) {
    const ta = active[a];
    const xa = op.x[ta];
    const za = op.z[ta];
    for (let b = a + 1; b < active.length; b++) {
      const tb = active[b];
      if (!pauliStringsQubitWiseCommute(xa, za, op.x[tb], op.z[tb])) {
        degree[ta]++;
        degree[tb]++;
      }
    }
  }
  const magnitude = (t: number): number => Math.hypot(op.coeffRe[t], op.coeffIm[t]);
  active.sort((a, b) => degree[b] - degree[a] || magnitude(b) - magnitude(a) || a - b);
  const groupX: number[] = [];
  const groupZ: number[] = [];
  const members: number[][] = [];
  for (const t of active) {
    const x = op.x[t];
    const z = op.z[t];
    let g = 0;
    for (; g < members.length; g++) {
      if (pauliStringsQubitWiseCommute(x, z, groupX[g], groupZ[g])) break;
    }
    if (g === members.length) {
      groupX.push(0);
      groupZ.push(0);
      members.push([]);
    }
    groupX[g] = (groupX[g] | x) >>> 0;
    groupZ[g] = (groupZ[g] | z) >>> 0;
    members[g].push(t);
  }
  const groups = members.map((m, g) => ({
    termIndices: Int32Array.from(m).sort(),
    basisX: groupX[g],
    basisZ: groupZ[g],
    basisLabel: pauliLabel(groupX[g], groupZ[g]),
    basisDense: densePauliLabel(groupX[g], groupZ[g], op.nQubits),
  }));
  return { groups, identityTerms: Int32Array.from(identity) };
}
