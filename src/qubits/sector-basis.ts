/**
 * Particle-number sectors of the qubit space: the basis states that encode determinants with fixed
 * (Nα, Nβ) under a fermion-to-qubit mapping (spin orbitals interleaved, 2p = α, 2p+1 = β).
 *
 * Molecular Hamiltonians and excitation generators conserve Nα and Nβ, so a state that starts in a
 * determinant stays in the span of the C(n, Nα)·C(n, Nβ) basis states of its sector (LiH/STO-3G: 225
 * instead of 4096). Layout: a sector is the ascending list `states` of qubit basis indices and the
 * map `position` (length 2^n, −1 outside).
 */
import { InputError, parity32 } from '../core/index.js';
import { encodingMatrix, type FermionMapping } from './mappings.js';
import { MAX_PAULI_QUBITS } from './pauli-layout.js';

/** Basis states of one symmetry sector. */
export interface SectorSpace {
  /** Register size n. */
  readonly nQubits: number;
  /** Qubit basis indices in the sector, ascending. */
  readonly states: Uint32Array;
  /** position[b] = index of basis state b in `states`, or −1. */
  readonly position: Int32Array;
}

/**
 * The sector of qubit basis states that encode determinants with nAlpha α and nBeta β electrons in
 * nModes interleaved spin orbitals under a mapping.
 */
export function particleSector(nModes: number, nAlpha: number, nBeta: number, mapping: FermionMapping): SectorSpace {
  if (nModes > MAX_PAULI_QUBITS) throw new InputError(`sector simulation supports at most ${MAX_PAULI_QUBITS} qubits, got ${nModes}`);
  const dim = 2 ** nModes;
  const position = new Int32Array(dim).fill(-1);
  const list: number[] = [];
  // Enumerate occupations with the right counts and encode them (cheaper than decoding all 2^n).
  const beta = encodingMatrix(nModes, mapping);
  const alphaModes: number[] = [];
  const betaModes: number[] = [];
  for (let m = 0; m < nModes; m++) (m % 2 === 0 ? alphaModes : betaModes).push(m);
  const combos = (modes: number[], k: number): number[] => {
    const out: number[] = [];
    const rec = (start: number, left: number, mask: number): void => {
      if (left === 0) {
        out.push(mask);
        return;
      }
      for (let s = start; s <= modes.length - left; s++) rec(s + 1, left - 1, (mask | (1 << modes[s])) >>> 0);
    };
    rec(0, k, 0);
    return out;
  };
  for (const fa of combos(alphaModes, nAlpha)) {
    for (const fb of combos(betaModes, nBeta)) {
      const f = (fa | fb) >>> 0;
      let bits = 0;
      for (let i = 0; i < nModes; i++) if (parity32(beta[i] & f)) bits |= 1 << i;
      list.push(bits >>> 0);
    }
  }
  list.sort((p, q) => p - q);
  const states = Uint32Array.from(list);
  for (let k = 0; k < states.length; k++) position[states[k]] = k;
  return { nQubits: nModes, states, position };
}

/** The whole register as a "sector" (every basis state), for reusing the column-compressed operator. */
export function fullSpace(nQubits: number): SectorSpace {
  if (nQubits > MAX_PAULI_QUBITS) throw new InputError(`full-space operator supports at most ${MAX_PAULI_QUBITS} qubits, got ${nQubits}`);
  const dim = 2 ** nQubits;
  const states = new Uint32Array(dim);
  const position = new Int32Array(dim);
  for (let i = 0; i < dim; i++) {
    states[i] = i;
    position[i] = i;
  }
  return { nQubits, states, position };
}

/**
 * Mask over the 2^nModes basis states of an untapered mapped operator: 1 where the encoded occupation
 * has nAlpha electrons in even (α) modes and nBeta in odd (β) modes.
 */
export function sectorBasisMask(nModes: number, mapping: FermionMapping, nAlpha: number, nBeta: number): Uint8Array {
  const { states } = particleSector(nModes, nAlpha, nBeta, mapping);
  const mask = new Uint8Array(2 ** nModes);
  for (let k = 0; k < states.length; k++) mask[states[k]] = 1;
  return mask;
}

/** The basis states selected by a mask over the 2^nQubits basis states, as a sector. */
export function maskSpace(nQubits: number, mask: Uint8Array): SectorSpace {
  const position = new Int32Array(mask.length).fill(-1);
  let count = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) position[i] = count++;
  const states = new Uint32Array(count);
  for (let i = 0; i < mask.length; i++) if (position[i] >= 0) states[position[i]] = i;
  return { nQubits, states, position };
}
