/**
 * Spin-orbital reference data for open-shell (and, as a check, closed-shell) coupled cluster from a
 * {@link MolecularHamiltonian} whose lowest nBeta orbitals are doubly and next nAlpha − nBeta singly
 * (α) occupied, e.g. in an ROHF MO basis.
 *
 * Per-spin Fock matrices in the Hamiltonian's orbitals (all occupied orbitals included):
 *   F^α_pq = h_pq + Σ_{i<nα} [(pq|ii) − (pi|iq)] + Σ_{i<nβ} (pq|ii)    (β: swap nα and nβ)
 *   E_ref  = constant + ½ Σ_σ Σ_{i<nσ} (h_ii + F^σ_ii).
 * Optionally the orbitals are semicanonicalised: the occupied–occupied and virtual–virtual blocks of
 * F^α and of F^β are diagonalised separately, so α and β spin orbitals get different spatial parts
 * (as Psi4 does for ROHF-CCSD(T); the occupied block includes the orbitals frozen afterwards). The
 * lowest `frozen` orbitals of each spin are then left uncorrelated.
 *
 * Correlated spin orbitals, in this order: occupied α (nα − frozen), occupied β (nβ − frozen),
 * virtual α (n − nα), virtual β (n − nβ); "o" counts the occupied, "v" the virtual ones. Integrals
 * are antisymmetrised, physicists' notation ⟨pq||rs⟩ = ⟨pq|rs⟩ − ⟨pq|sr⟩ with
 * ⟨pq|rs⟩ = (pr|qs) δ(σp,σr) δ(σq,σs). Blocks (row-major, occupied i,j,k,l,m,n, virtual a,b,c,d,e,f):
 *   oooo[m,n,i,j] = ⟨mn||ij⟩   ooov[m,n,i,e] = ⟨mn||ie⟩   oovv[m,n,e,f] = ⟨mn||ef⟩
 *   ovvo[m,b,e,j] = ⟨mb||ej⟩   ovvv[m,a,e,f] = ⟨ma||ef⟩   vvvv[a,b,e,f] = ⟨ab||ef⟩
 * Fock blocks foo[i,j], fov[i,a], fvv[a,b] of the spin-orbital Fock matrix (block diagonal in spin).
 */
import { InputError } from '../core/index.js';
import { symmetricEigen } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import { gemm, zerosTensor, type DenseTensor } from './cc-tensor.js';

/** Antisymmetrised spin-orbital integral blocks (see the file header). */
export interface SpinOrbitalBlocks {
  oooo: DenseTensor;
  ooov: DenseTensor;
  oovv: DenseTensor;
  ovvo: DenseTensor;
  ovvv: DenseTensor;
  vvvv: DenseTensor;
}

/** A spin-orbital coupled-cluster problem: Fock blocks, integrals and the reference energy. */
export interface SpinOrbitalSystem {
  /** Correlated occupied spin orbitals (α first, then β). */
  o: number;
  /** Virtual spin orbitals (α first, then β). */
  v: number;
  /** Correlated occupied α spin orbitals (the first nOccupiedAlpha of the o). */
  nOccupiedAlpha: number;
  /** Virtual α spin orbitals (the first nVirtualAlpha of the v). */
  nVirtualAlpha: number;
  /** Frozen orbitals per spin. */
  nFrozen: number;
  foo: DenseTensor;
  fov: DenseTensor;
  fvv: DenseTensor;
  blocks: SpinOrbitalBlocks;
  /** Reference determinant energy including the constant, Hartree. */
  referenceEnergyHartree: number;
}

/** Options of {@link spinOrbitalSystem}. */
export interface SpinOrbitalSystemOptions {
  /** Lowest orbitals of each spin left uncorrelated (default 0). */
  frozen?: number;
  /** Semicanonicalise the orbitals first (see the file header; default false). */
  semicanonical?: boolean;
}

/**
 * Bytes needed by the spin-orbital CCSD and (T) on `ham` with `frozen` uncorrelated orbitals per spin:
 * transformed spatial integrals, the integral blocks, two v⁴ ladder intermediates and about 30
 * amplitude-sized arrays (amplitudes, intermediates and the DIIS history).
 */
export function spinOrbitalMemoryBytes(ham: MolecularHamiltonian, frozen = 0): number {
  const n = ham.nOrbitals - frozen;
  const o = ham.nAlpha + ham.nBeta - 2 * frozen;
  const v = 2 * ham.nOrbitals - ham.nAlpha - ham.nBeta;
  const doubles = 3 * n ** 4 + o ** 4 + o ** 3 * v + 30 * o * o * v * v + 2 * o * v ** 3 + 3 * v ** 4;
  return 8 * doubles;
}

/** Build the spin-orbital system of `ham` (see the file header). */
export function spinOrbitalSystem(ham: MolecularHamiltonian, options: SpinOrbitalSystemOptions = {}): SpinOrbitalSystem {
  const n = ham.nOrbitals;
  const nA = ham.nAlpha;
  const nB = ham.nBeta;
  const frozen = options.frozen ?? 0;
  if (!(nA >= nB)) throw new InputError(`open-shell coupled cluster expects nAlpha ≥ nBeta, got nAlpha=${nA}, nBeta=${nB}`);
  if (nA > n) throw new InputError(`${nA} α electrons do not fit into ${n} orbitals`);
  if (!Number.isInteger(frozen) || frozen < 0 || frozen > nB) {
    throw new InputError(`frozenOrbitals must be an integer between 0 and ${nB} (doubly occupied orbitals), got ${frozen}`);
  }
  const h = ham.oneBody;
  const g = ham.twoBody;
  const n2 = n * n;
  const n3 = n2 * n;
  const fockAlpha = new Float64Array(n2);
  const fockBeta = new Float64Array(n2);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      let coulombA = 0;
      let exchangeA = 0;
      let coulombB = 0;
      let exchangeB = 0;
      for (let i = 0; i < nA; i++) {
        const j = g[p * n3 + q * n2 + i * n + i];
        const k = g[p * n3 + i * n2 + i * n + q];
        coulombA += j;
        exchangeA += k;
        if (i < nB) {
          coulombB += j;
          exchangeB += k;
        }
      }
      fockAlpha[p * n + q] = h[p * n + q] + coulombA + coulombB - exchangeA;
      fockBeta[p * n + q] = h[p * n + q] + coulombA + coulombB - exchangeB;
    }
  }
  let reference = ham.constantHartree;
  for (let i = 0; i < nA; i++) reference += 0.5 * (h[i * n + i] + fockAlpha[i * n + i]);
  for (let i = 0; i < nB; i++) reference += 0.5 * (h[i * n + i] + fockBeta[i * n + i]);

  // Orbital rotations U^σ (n×n, column = new orbital in the Hamiltonian's orbitals), then the
  // correlated columns frozen..n−1.
  const rotation = (fock: Float64Array, nOcc: number): Float64Array => {
    const u = new Float64Array(n2);
    if (!options.semicanonical) {
      for (let p = 0; p < n; p++) u[p * n + p] = 1;
      return u;
    }
    for (const [start, end] of [
      [0, nOcc],
      [nOcc, n],
    ]) {
      const size = end - start;
      if (size === 0) continue;
      const block = new Float64Array(size * size);
      for (let p = 0; p < size; p++) for (let q = 0; q < size; q++) block[p * size + q] = fock[(start + p) * n + start + q];
      const { vectors } = symmetricEigen(block, size);
      for (let p = 0; p < size; p++) for (let q = 0; q < size; q++) u[(start + p) * n + start + q] = vectors[p * size + q];
    }
    return u;
  };
  const m = n - frozen;
  const correlatedColumns = (u: Float64Array): Float64Array => {
    const c = new Float64Array(n * m);
    for (let p = 0; p < n; p++) for (let q = 0; q < m; q++) c[p * m + q] = u[p * n + frozen + q];
    return c;
  };
  const cA = correlatedColumns(rotation(fockAlpha, nA));
  const cB = correlatedColumns(rotation(fockBeta, nB));
  const identity = !options.semicanonical && frozen === 0;
  const gAA = identity ? g : transformTwoBody(g, n, cA, cA, m);
  const gBB = identity ? g : transformTwoBody(g, n, cB, cB, m);
  const gAB = identity ? g : transformTwoBody(g, n, cA, cB, m);
  const fA = transformOneBody(fockAlpha, n, cA, m);
  const fB = transformOneBody(fockBeta, n, cB, m);

  // Spin-orbital index → (spin, spatial index in the correlated orbitals of that spin).
  const oA = nA - frozen;
  const oB = nB - frozen;
  const o = oA + oB;
  const vA = n - nA;
  const vB = n - nB;
  const v = vA + vB;
  const total = o + v;
  const spin = new Uint8Array(total);
  const spatial = new Int32Array(total);
  for (let x = 0; x < total; x++) {
    if (x < oA) spatial[x] = x;
    else if (x < o) {
      spin[x] = 1;
      spatial[x] = x - oA;
    } else if (x < o + vA) spatial[x] = oA + (x - o);
    else {
      spin[x] = 1;
      spatial[x] = oB + (x - o - vA);
    }
  }
  const m2 = m * m;
  const m3 = m2 * m;
  /** (pr|qs) with p, r of spin s1 and q, s of spin s2, correlated spatial indices. */
  const coulomb = (s1: number, s2: number, p: number, r: number, q: number, s: number): number => {
    if (s1 === s2) return (s1 === 0 ? gAA : gBB)[p * m3 + r * m2 + q * m + s];
    return s1 === 0 ? gAB[p * m3 + r * m2 + q * m + s] : gAB[q * m3 + s * m2 + p * m + r];
  };
  /** ⟨pq||rs⟩ over spin-orbital indices 0..total−1. */
  const antisymmetrized = (p: number, q: number, r: number, s: number): number => {
    const sp = spin[p];
    const sq = spin[q];
    let value = 0;
    if (sp === spin[r] && sq === spin[s]) value += coulomb(sp, sq, spatial[p], spatial[r], spatial[q], spatial[s]);
    if (sp === spin[s] && sq === spin[r]) value -= coulomb(sp, sq, spatial[p], spatial[s], spatial[q], spatial[r]);
    return value;
  };
  const fill = (d0: number, o0: number, d1: number, o1: number, d2: number, o2: number, d3: number, o3: number): DenseTensor => {
    const t = zerosTensor(d0, d1, d2, d3);
    let x = 0;
    for (let a = 0; a < d0; a++)
      for (let b = 0; b < d1; b++)
        for (let c = 0; c < d2; c++) for (let d = 0; d < d3; d++, x++) t.data[x] = antisymmetrized(o0 + a, o1 + b, o2 + c, o3 + d);
    return t;
  };
  const blocks: SpinOrbitalBlocks = {
    oooo: fill(o, 0, o, 0, o, 0, o, 0),
    ooov: fill(o, 0, o, 0, o, 0, v, o),
    oovv: fill(o, 0, o, 0, v, o, v, o),
    ovvo: fill(o, 0, v, o, v, o, o, 0),
    ovvv: fill(o, 0, v, o, v, o, v, o),
    vvvv: fill(v, o, v, o, v, o, v, o),
  };
  const fock = (p: number, q: number): number => {
    if (spin[p] !== spin[q]) return 0;
    return (spin[p] === 0 ? fA : fB)[spatial[p] * m + spatial[q]];
  };
  const fockBlock = (rows: number, r0: number, cols: number, c0: number): DenseTensor => {
    const t = zerosTensor(rows, cols);
    for (let p = 0; p < rows; p++) for (let q = 0; q < cols; q++) t.data[p * cols + q] = fock(r0 + p, c0 + q);
    return t;
  };
  return {
    o,
    v,
    nOccupiedAlpha: oA,
    nVirtualAlpha: vA,
    nFrozen: frozen,
    foo: fockBlock(o, 0, o, 0),
    fov: fockBlock(o, 0, v, o),
    fvv: fockBlock(v, o, v, o),
    blocks,
    referenceEnergyHartree: reference,
  };
}

/** Cᵀ F C for symmetric F (n×n) and C (n×m). */
function transformOneBody(f: Float64Array, n: number, c: Float64Array, m: number): Float64Array {
  const fc = new Float64Array(n * m);
  gemm(false, false, n, m, n, 1, f, c, 0, fc);
  const out = new Float64Array(m * m);
  gemm(true, false, m, m, n, 1, c, fc, 0, out);
  return out;
}

/**
 * (pq|rs) with p, q in the orbitals C1 and r, s in C2 (both n×m) from the n⁴ integrals, as four
 * quarter transforms: each contracts the leading index and appends the new one at the end, so four
 * steps restore the index order.
 */
function transformTwoBody(g: Float64Array, n: number, c1: Float64Array, c2: Float64Array, m: number): Float64Array {
  let current = g;
  let leading = n;
  let rest = n * n * n;
  for (const c of [c1, c1, c2, c2]) {
    // out[rest, new] = Σ_old current[old, rest] · C[old, new]
    const out = new Float64Array(rest * m);
    gemm(true, false, rest, m, leading, 1, current, c, 0, out);
    current = out;
    // The next leading index is the first of the remaining ones (still of length n until transformed).
    rest = (rest / n) * m;
    leading = n;
  }
  return current;
}
