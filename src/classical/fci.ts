/**
 * Full configuration interaction over a MolecularHamiltonian (determinant-string direct CI).
 *
 * Data layout (as PySCF `fci.direct_spin1`): the CI vector of the Sz sector (nAlpha, nBeta) is a
 * row-major [α-string × β-string] matrix, C[Iα * nBetaStrings + Iβ] (inside the solver: its symmetry
 * blocks, see below), with the strings of each spin in ascending bit-pattern order (combinatorial-number-system addresses, fci-strings.ts). The determinant
 * |Iα Iβ⟩ is a†(α string, ascending orbitals) a†(β string, ascending orbitals) |0⟩.
 *
 *   H = constant + Σ_pq h_pq E_pq + ½ Σ_pqrs (pq|rs) (E_pq E_rs − δ_qr E_ps),   E_pq = Σ_σ a†_pσ a_qσ
 *
 * σ = (H − constant) C is formed directly (fci-kernels.ts): same-spin parts through sparse string
 * matrices built from single-replacement lists with the effective one-body h'_pq = h_pq − ½ Σ_r (pr|rq),
 * the opposite-spin part as gather / matrix–matrix product / scatter over orbital pairs.
 *
 * Solvers:
 * | space (after spin-flip symmetry) | solver                                                            |
 * | ≤ denseThreshold (200)           | dense H from σ on basis vectors, symmetricEigen                   |
 * | larger                           | Davidson–Liu (davidson.ts), diagonal (Olsen) preconditioner,      |
 * |                                  | collapse onto Ritz vectors; ConvergenceError when not converged   |
 *
 * Spin: every root lies in the Sz = (nAlpha − nBeta)/2 sector and ⟨S²⟩ is reported for each. When
 * nAlpha = nBeta the default `spinFlipSymmetry: 'even'` keeps C^T = C, which holds exactly for states
 * of even S (singlets, quintets, …): the roots are then the lowest even-S states and triplets never
 * appear (as Psi4 detci with Ms0 and PySCF direct_spin0). `'odd'` (C^T = −C) gives the odd-S states
 * (triplets, …) of the Ms = 0 sector, and `'none'` gives all states of the sector in energy order,
 * triplets included. When nAlpha ≠ nBeta no spin class is imposed: every S ≥ |Sz| can appear, in
 * energy order, and ⟨S²⟩ tells them apart. Davidson starts from the lowest eigenvectors of H in the block of the
 * lowest-diagonal determinants (an "H0 block", matrix elements by the Slater–Condon rules), the block
 * closed under the spin flip and its vectors projected onto the chosen parity, so the lowest state
 * of the requested spin class is found.
 *
 * Orbital symmetry (fci-symmetry.ts; as PySCF direct_spin1_symm and Psi4 detci with point groups):
 * the orbitals carry XOR-combinable Z2^k labels — FCIDUMP ORBSYM − 1 when `orbitalSymmetries` has more
 * than one irrep, else detected from the integrals (GF(2) elimination on the nonzero pattern; integrals
 * below `integralThresholdHartree` count as exactly zero). H conserves the determinant label, so each
 * symmetry sector is solved on its own, its vector stored as blocks [α strings of irrep a × β strings
 * of irrep a ⊕ target] (strings reordered irrep-major). One root: the sector of the lowest diagonal
 * determinant the spin class allows (or `targetSymmetry`); several roots: every sector, merged.
 * Result vectors are expanded to the whole [α × β] matrix, so ⟨S²⟩ and the RDMs work on them as before.
 * `symmetry: false` (or a Hamiltonian without symmetry) gives one block: the plain [α × β] matrix.
 *
 * Threads: for sectors of ≥ 40,000 determinants the opposite-spin and α same-spin parts of σ run on
 * worker_threads over SharedArrayBuffers (fci-parallel.ts); the workers end with the calculation.
 */
import { ConvergenceError, InputError } from '../core/errors.js';
import { symmetricEigen } from '../core/linalg.js';
import type { MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';
import { davidson } from './davidson.js';
import {
  applyOppositeSpin,
  applySameSpinBlocked,
  applySameSpinColumns,
  buildAlphaCoupling,
  buildPairLists,
  buildSameSpinMatrix,
  effectiveOneBody,
  hamiltonianDiagonal,
  oppositeSpinWork,
  type AlphaCoupling,
  type BlockedShape,
  type OppositeSpinWork,
  type PairLists,
  type SparseStringMatrix,
} from './fci-kernels.js';
import { createSigmaPool, type SigmaPool } from './fci-parallel.js';
import { binomial, buildStringSpace, type StringSpace } from './fci-strings.js';
import {
  blockedSameSpin,
  detectOrbitalGrading,
  gradingFromOrbsym,
  irrepOrder,
  localBlock,
  sectorLayout,
  stringLabels,
  type IrrepOrder,
  type OrbitalGrading,
  type SectorLayout,
} from './fci-symmetry.js';
import { availableParallelism } from 'node:os';

/** Options of {@link runFci}. */
export interface FciOptions {
  /** Number of lowest states (default 1). */
  roots?: number;
  /** Davidson residual-norm threshold per root (default 1e-6, energies then good to ~1e-12 Hartree). */
  residualTolerance?: number;
  /** Davidson threshold on the energy change between iterations, Hartree (default 1e-10). */
  energyToleranceHartree?: number;
  /** Davidson iteration limit (default 100); exceeding it throws ConvergenceError. */
  maxIterations?: number;
  /** Davidson subspace size before collapse (default max(16, 8 × roots)). */
  maxSubspace?: number;
  /**
   * Ms = 0 spin-flip symmetry when nAlpha = nBeta: 'even' (default; C^T = C, even S), 'odd'
   * (C^T = −C, odd S) or 'none' (all states of the sector). Ignored when nAlpha ≠ nBeta.
   */
  spinFlipSymmetry?: 'even' | 'odd' | 'none';
  /**
   * Two-electron integrals with |(pq|rs)| below this are set to zero before the CI (default 1e-12
   * Hartree): orbitals of a symmetric molecule leave ~1e-15 noise where point-group symmetry makes
   * integrals vanish, and exact zeros let the σ kernels skip those terms (half of them for a linear
   * chain). The effect on energies is far below 1e-10 Hartree; 0 keeps every integral. With orbital
   * symmetry on, one-electron integrals below it are zeroed too, and everything below it counts as
   * exactly zero when the symmetry is detected.
   */
  integralThresholdHartree?: number;
  /** Solver choice (default 'auto': dense up to `denseThreshold` basis vectors, else Davidson). */
  solver?: 'auto' | 'dense' | 'davidson';
  /**
   * 'auto' mode diagonalises densely when the spin-adapted dimension of the whole Sz sector (before
   * orbital-symmetry blocking) is at most this (default 200).
   */
  denseThreshold?: number;
  /**
   * Threads for the opposite-spin part of σ (worker_threads; default: the available cores, up to 8,
   * when the sector has at least 40,000 determinants, else 1).
   */
  threads?: number;
  /**
   * Determinants in the H0 block whose eigenvectors start Davidson (default min(300, half the
   * determinants); 0 starts from single lowest-diagonal determinants instead).
   */
  guessBlockSize?: number;
  /** Precondition Davidson with the exact inverse on the H0 block (default true when there is one). */
  blockPreconditioner?: boolean;
  /** Number of Davidson starting vectors (default: roots). */
  guessVectors?: number;
  /**
   * Block the CI vector by abelian orbital symmetry (default true): the orbital labels come from
   * `ham.orbitalSymmetries` (FCIDUMP ORBSYM) when it has more than one irrep, else they are detected
   * from the integrals (fci-symmetry.ts). false solves the whole Sz sector as one block.
   */
  symmetry?: boolean;
  /**
   * Symmetry sector to solve: the determinant label (XOR of the 0-based orbital labels of
   * `FciResult.orbitalSymmetry.labels`; for ORBSYM input the irrep number − 1). Default: with one root
   * the sector of the lowest diagonal determinant that the spin class allows (the Aufbau reference,
   * as PySCF direct_spin1_symm and Psi4 detci); with several roots every sector, merged, so the roots
   * are the lowest states of the whole space.
   */
  targetSymmetry?: number;
}

/** Result of {@link runFci}. */
export interface FciResult {
  /** Total energies (constant included) of the roots, ascending, Hartree. */
  energies: Float64Array;
  /** ⟨S²⟩ of each root. */
  s2: Float64Array;
  /** Number of determinants of the Sz sector (nAlphaStrings × nBetaStrings). */
  determinants: number;
  /** Determinants actually solved for: the sum of the sizes of the symmetry sectors diagonalised. */
  symmetryDeterminants: number;
  /**
   * Orbital grading used: 0-based, XOR-combinable labels of the orbitals, the group order `irreps`
   * (1 when no symmetry was used) and where the labels came from.
   */
  orbitalSymmetry: { source: 'orbsym' | 'detected' | 'none'; labels: Int32Array; irreps: number };
  /** Symmetry label (XOR of orbital labels) of each root. */
  rootSymmetries: Int32Array;
  /** Davidson iterations (0 for the dense solver; summed over sectors). */
  iterations: number;
  /** Always true: an unconverged calculation throws instead. */
  converged: true;
  /**
   * CI vectors of the roots, each a normalised nAlphaStrings × nBetaStrings row-major matrix over the
   * whole Sz sector (zero outside the root's symmetry sector).
   */
  vectors: Float64Array[];
  /** Final residual norms ‖(H − E) C‖ of the roots (round-off level for the dense solver). */
  residualNorms: Float64Array;
  /** Which solver ran ('davidson' when any sector needed it). */
  solver: 'dense' | 'davidson';
  /** Spatial orbitals of the Hamiltonian. */
  nOrbitals: number;
  /** α electrons (the Sz sector with nBeta). */
  nAlpha: number;
  /** β electrons. */
  nBeta: number;
  /** Rows of each CI matrix: C(nOrbitals, nAlpha). */
  nAlphaStrings: number;
  /** Columns of each CI matrix: C(nOrbitals, nBeta). */
  nBetaStrings: number;
  /** Spin-flip symmetry used ('none' when nAlpha ≠ nBeta). */
  spinFlipSymmetry: 'even' | 'odd' | 'none';
}

/** Spin-summed reduced density matrices of one FCI root. */
export interface FciRdms {
  /** γ_pq = Σ_σ ⟨a†_pσ a_qσ⟩, n×n row-major. */
  oneRdm: Float64Array;
  /**
   * Γ_pqrs = Σ_στ ⟨a†_pσ a†_rτ a_sτ a_qσ⟩ in chemists' order, at ((p*n + q)*n + r)*n + s, so that
   * E = constant + Σ_pq h_pq γ_pq + ½ Σ_pqrs (pq|rs) Γ_pqrs.
   */
  twoRdm: Float64Array;
}

/** Everything about the Hamiltonian and the full string spaces, shared by all symmetry sectors. */
interface FciOperator {
  n: number;
  alpha: StringSpace;
  beta: StringSpace;
  /** Thresholded two-electron integrals. */
  g: Float64Array;
  /** Same-spin matrices over string addresses (matrix elements of the H0 block). */
  fAlpha: SparseStringMatrix;
  fBeta: SparseStringMatrix;
  /** Diagonal of H − constant over the whole Sz sector, [Iα · nβ + Iβ]. */
  diagonal: Float64Array;
  grading: OrbitalGrading;
  alphaOrder: IrrepOrder;
  betaOrder: IrrepOrder;
  /** Same-spin matrices in blocked order with local columns. */
  fAlphaBlocked: SparseStringMatrix;
  fBetaBlocked: SparseStringMatrix;
  coupling: AlphaCoupling;
  betaPairs: PairLists;
}

/** H restricted to one symmetry sector, on vectors in the blocked layout. */
interface SectorOperator {
  op: FciOperator;
  layout: SectorLayout;
  shape: BlockedShape;
  /** Diagonal of H − constant in the sector. */
  diagonal: Float64Array;
  /** +1 / −1 spin-flip parity imposed on vectors, 0 for none. */
  parity: number;
  /** Sector position of the spin-flipped determinant (only with parity ≠ 0). */
  flip?: Int32Array;
  work: OppositeSpinWork;
  scratch: Float64Array;
  scratch2: Float64Array;
  pool?: SigmaPool;
}

function validateHamiltonian(ham: MolecularHamiltonian): void {
  const n = ham.nOrbitals;
  if (!Number.isInteger(n) || n < 1) throw new InputError(`FCI: nOrbitals must be a positive integer, got ${n}`);
  if (ham.oneBody.length !== n * n) throw new InputError(`FCI: oneBody has ${ham.oneBody.length} entries, expected ${n * n}`);
  if (ham.twoBody.length !== n * n * n * n) {
    throw new InputError(`FCI: twoBody has ${ham.twoBody.length} entries, expected ${n ** 4}`);
  }
  for (const [name, v] of [
    ['nAlpha', ham.nAlpha],
    ['nBeta', ham.nBeta],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > n) throw new InputError(`FCI: ${name} = ${v} is not in 0..${n}`);
  }
}

/** The grading to block with: none, ORBSYM (when it has more than one irrep) or detected. */
function chooseGrading(ham: MolecularHamiltonian, h: Float64Array, g: Float64Array, useSymmetry: boolean): OrbitalGrading {
  const n = ham.nOrbitals;
  if (!useSymmetry) return { labels: new Int32Array(n), irreps: 1, source: 'none' };
  if (ham.orbitalSymmetries) {
    const fromOrbsym = gradingFromOrbsym(ham.orbitalSymmetries, h, g, n, 0);
    if (fromOrbsym.irreps > 1) return fromOrbsym;
  }
  return detectOrbitalGrading(h, g, n, 0);
}

function buildOperator(ham: MolecularHamiltonian, integralThreshold: number, useSymmetry: boolean): FciOperator {
  const n = ham.nOrbitals;
  // Integrals below the threshold (numerical noise where symmetry makes them vanish) become exact
  // zeros, which the kernels skip and the symmetry detection ignores.
  const g = Float64Array.from(ham.twoBody, (v) => (Math.abs(v) < integralThreshold ? 0 : v));
  const h = useSymmetry ? Float64Array.from(ham.oneBody, (v) => (Math.abs(v) < integralThreshold ? 0 : v)) : ham.oneBody;
  const grading = chooseGrading(ham, h, g, useSymmetry);
  const alpha = buildStringSpace(n, ham.nAlpha);
  const beta = ham.nBeta === ham.nAlpha ? alpha : buildStringSpace(n, ham.nBeta);
  const hEff = effectiveOneBody(h, g, n);
  const fAlpha = buildSameSpinMatrix(alpha, hEff, g);
  const fBeta = beta === alpha ? fAlpha : buildSameSpinMatrix(beta, hEff, g);
  const alphaOrder = irrepOrder(stringLabels(alpha, grading.labels), grading.irreps);
  const betaOrder = beta === alpha ? alphaOrder : irrepOrder(stringLabels(beta, grading.labels), grading.irreps);
  const fAlphaBlocked = blockedSameSpin(fAlpha, alphaOrder);
  const fBetaBlocked = beta === alpha ? fAlphaBlocked : blockedSameSpin(fBeta, betaOrder);
  const coupling = buildAlphaCoupling(alpha, alphaOrder.order, alphaOrder.position, alphaOrder.start, alphaOrder.label);
  const betaPairs = buildPairLists(beta, betaOrder.order, betaOrder.position, betaOrder.start, betaOrder.label, grading.irreps);
  const diagonal = hamiltonianDiagonal(alpha, beta, fAlpha, fBeta, g);
  return { n, alpha, beta, g, fAlpha, fBeta, diagonal, grading, alphaOrder, betaOrder, fAlphaBlocked, fBetaBlocked, coupling, betaPairs };
}

/** The operator of the sector with determinant label `target`. */
function buildSectorOperator(op: FciOperator, target: number, parity: number): SectorOperator {
  const layout = sectorLayout(op.alphaOrder, op.betaOrder, op.grading.irreps, target, op.beta.count);
  const shape: BlockedShape = {
    n: op.n,
    irreps: op.grading.irreps,
    target,
    orbitalLabels: op.grading.labels,
    alphaStart: op.alphaOrder.start,
    nAlphaElectrons: op.alpha.nElectrons,
    rowOffset: layout.rowOffset,
    blockColumns: layout.blockColumns,
  };
  const size = layout.size;
  const diagonal = new Float64Array(size);
  for (let i = 0; i < size; i++) diagonal[i] = op.diagonal[layout.toFull[i]];
  let flip: Int32Array | undefined;
  if (parity !== 0) {
    // (Iα, Iβ) ↔ (Iβ, Iα): α and β strings (and their orders) are the same when parity ≠ 0.
    flip = new Int32Array(size);
    const nb = op.beta.count;
    const ord = op.alphaOrder;
    for (let i = 0; i < size; i++) {
      const f = layout.toFull[i];
      const ia = Math.floor(f / nb);
      const ib = f - ia * nb;
      const r = ord.position[ib];
      flip[i] = layout.rowOffset[r] + ord.position[ia] - ord.start[ord.label[ia]];
    }
  }
  const work = oppositeSpinWork(op.alpha.count, op.betaPairs, op.coupling);
  return {
    op,
    layout,
    shape,
    diagonal,
    parity,
    flip,
    work,
    scratch: new Float64Array(size),
    scratch2: new Float64Array(size),
  };
}

/** Whether σ can use the triangular spin-flip kernel: parity imposed and every block square (target 0). */
function triangular(sop: SectorOperator): boolean {
  return sop.parity !== 0 && sop.layout.target === 0;
}

/** out += σ^ββ(c): per α irrep a, the block times the β same-spin matrix of irrep a ⊕ target. */
function applyBetaSameSpin(sop: SectorOperator, c: Float64Array, out: Float64Array): void {
  const { layout, op } = sop;
  for (let a = 0; a < layout.irreps; a++) {
    const rows = op.alphaOrder.start[a + 1] - op.alphaOrder.start[a];
    const w = layout.blockColumns[a];
    if (rows === 0 || w === 0) continue;
    const o0 = layout.blockOffset[a];
    const o1 = layout.blockOffset[a + 1];
    const f = localBlock(op.fBetaBlocked, op.betaOrder.start, a ^ layout.target);
    applySameSpinColumns(f, c.subarray(o0, o1), out.subarray(o0, o1), rows, sop.scratch, sop.scratch2);
  }
}

/** out = (H − constant) c in the sector. With parity ±1, c must satisfy the spin-flip symmetry. */
function applyHamiltonian(sop: SectorOperator, c: Float64Array, out: Float64Array): void {
  const { op, shape, layout } = sop;
  const na = op.alpha.count;
  const fa = op.fAlphaBlocked;
  out.fill(0);
  if (!triangular(sop)) {
    applySameSpinBlocked(fa.rowStart, fa.column, fa.value, shape, c, out, 0, na);
    applyBetaSameSpin(sop, c, out);
    if (sop.pool) sop.pool.apply(c, out, 0);
    else applyOppositeSpin(shape, op.coupling, op.betaPairs, op.g, c, out, false, sop.work, 0, op.n * op.n);
    return;
  }
  const t = sop.parity;
  const s = sop.scratch;
  s.fill(0);
  if (sop.pool) sop.pool.apply(c, out, t, s);
  else {
    applySameSpinBlocked(fa.rowStart, fa.column, fa.value, shape, c, s, 0, na);
    applyOppositeSpin(shape, op.coupling, op.betaPairs, op.g, c, out, true, sop.work, 0, op.n * op.n);
  }
  // Per (square) block: out[I, J] (J ≤ I) = σ^αβ[I, J] + σ^αα[I, J] + t σ^αα[J, I]; then
  // out[J, I] = t out[I, J]. Blocked for cache.
  const B = 32;
  for (let a = 0; a < layout.irreps; a++) {
    const m = layout.blockColumns[a];
    if (m === 0) continue;
    const base = layout.blockOffset[a];
    for (let I0 = 0; I0 < m; I0 += B) {
      const I1 = Math.min(m, I0 + B);
      for (let J0 = 0; J0 <= I0; J0 += B) {
        const J1 = Math.min(m, J0 + B);
        for (let I = I0; I < I1; I++) {
          const rI = base + I * m;
          const jEnd = Math.min(J1, I);
          for (let J = J0; J < jEnd; J++) {
            const v = out[rI + J] + s[rI + J] + t * s[base + J * m + I];
            out[rI + J] = v;
            out[base + J * m + I] = t * v;
          }
        }
      }
    }
    for (let I = 0; I < m; I++) {
      const d = base + I * m + I;
      out[d] = t > 0 ? out[d] + 2 * s[d] : 0;
    }
  }
}

/** Impose the spin-flip symmetry c[flip(i)] = parity · c[i] in place. */
function projectParity(c: Float64Array, flip: Int32Array, parity: number): void {
  for (let i = 0; i < c.length; i++) {
    const f = flip[i];
    if (f > i) {
      const v = 0.5 * (c[i] + parity * c[f]);
      c[i] = v;
      c[f] = parity * v;
    } else if (f === i && parity < 0) c[i] = 0;
  }
}

/** Indices of the `k` smallest entries of `d` (ascending, ties by index). */
function lowestIndices(d: Float64Array, k: number, accept: (i: number) => boolean): number[] {
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < d.length; i++) {
    if (idx.length === k && d[i] >= val[k - 1]) continue;
    if (!accept(i)) continue;
    let pos = idx.length;
    while (pos > 0 && val[pos - 1] > d[i]) pos--;
    idx.splice(pos, 0, i);
    val.splice(pos, 0, d[i]);
    if (idx.length > k) {
      idx.pop();
      val.pop();
    }
  }
  return idx;
}


/** Position of `col` in CSR row `row` of a sparse string matrix, or −1. */
function sparseLookup(f: SparseStringMatrix, row: number, col: number): number {
  let lo = f.rowStart[row];
  let hi = f.rowStart[row + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = f.column[mid];
    if (c === col) return f.value[mid];
    if (c < col) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/**
 * For strings I, J of one spin differing by one replacement (|I⟩ = ± E_ij |J⟩), return [i, j, sign]
 * with sign = ⟨I|E_ij|J⟩; undefined when they differ by more.
 */
function singleDifference(space: StringSpace, I: number, J: number): [number, number, number] | undefined {
  const n = space.nOrbitals;
  const oi = space.occupation;
  let i = -1;
  let j = -1;
  for (let p = 0; p < n; p++) {
    const a = oi[I * n + p];
    const b = oi[J * n + p];
    if (a === b) continue;
    if (a === 1) {
      if (i >= 0) return undefined;
      i = p;
    } else {
      if (j >= 0) return undefined;
      j = p;
    }
  }
  if (i < 0 || j < 0) return undefined;
  let between = 0;
  for (let p = Math.min(i, j) + 1; p < Math.max(i, j); p++) between += oi[J * n + p];
  return [i, j, between & 1 ? -1 : 1];
}

/** ⟨Iα Iβ|H − constant|Jα Jβ⟩ by the Slater–Condon rules in the string formulation. */
function matrixElement(op: FciOperator, ia: number, ib: number, ja: number, jb: number): number {
  const nb = op.beta.count;
  if (ia === ja && ib === jb) return op.diagonal[ia * nb + ib];
  const n = op.n;
  const n2 = n * n;
  const g = op.g;
  if (ia === ja) {
    let v = sparseLookup(op.fBeta, ib, jb);
    const d = singleDifference(op.beta, ib, jb);
    if (d) {
      const kl = d[0] * n + d[1];
      for (let t = 0; t < op.alpha.nElectrons; t++) {
        const a = op.alpha.occupied[ia * op.alpha.nElectrons + t];
        v += d[2] * g[(a * n + a) * n2 + kl];
      }
    }
    return v;
  }
  if (ib === jb) {
    let v = sparseLookup(op.fAlpha, ia, ja);
    const d = singleDifference(op.alpha, ia, ja);
    if (d) {
      const ij = d[0] * n + d[1];
      for (let t = 0; t < op.beta.nElectrons; t++) {
        const b = op.beta.occupied[ib * op.beta.nElectrons + t];
        v += d[2] * g[ij * n2 + b * n + b];
      }
    }
    return v;
  }
  const da = singleDifference(op.alpha, ia, ja);
  if (!da) return 0;
  const db = singleDifference(op.beta, ib, jb);
  if (!db) return 0;
  return da[2] * db[2] * g[(da[0] * n + da[1]) * n2 + db[0] * n + db[1]];
}


/**
 * Davidson starting vectors: the lowest eigenvectors of H in the block of the `blockSize` lowest
 * diagonal determinants of the sector (closed under the spin flip in symmetric modes, then projected
 * onto the parity), falling back to single determinants when the block gives too few.
 */
function startingVectors(
  sop: SectorOperator,
  roots: number,
  blockSize: number,
  count: number,
): { guesses: Float64Array[]; block?: { index: number[]; values: Float64Array; vectors: Float64Array } } {
  const nb = sop.op.beta.count;
  const dim = sop.layout.size;
  const toFull = sop.layout.toFull;
  const { parity, flip } = sop;
  const want = Math.max(roots, count);
  const guesses: Float64Array[] = [];
  let block: { index: number[]; values: Float64Array; vectors: Float64Array } | undefined;
  if (blockSize > 0) {
    const picked = lowestIndices(sop.diagonal, Math.min(blockSize, dim), () => true);
    if (flip) {
      const have = new Set(picked);
      for (const i of [...picked]) {
        const t = flip[i];
        if (!have.has(t)) {
          have.add(t);
          picked.push(t);
        }
      }
    }
    const m = picked.length;
    const hb = new Float64Array(m * m);
    for (let x = 0; x < m; x++) {
      const fx = toFull[picked[x]];
      const ia = Math.floor(fx / nb);
      const ib = fx - ia * nb;
      for (let y = 0; y <= x; y++) {
        const fy = toFull[picked[y]];
        const ja = Math.floor(fy / nb);
        const jb = fy - ja * nb;
        hb[x * m + y] = hb[y * m + x] = matrixElement(sop.op, ia, ib, ja, jb);
      }
    }
    const eig = symmetricEigen(hb, m);
    block = { index: picked, values: eig.values, vectors: eig.vectors };
    for (let k = 0; k < m && guesses.length < want; k++) {
      const v = new Float64Array(dim);
      for (let x = 0; x < m; x++) v[picked[x]] = eig.vectors[x * m + k];
      if (flip) projectParity(v, flip, parity);
      let nrm = 0;
      for (const x of picked) nrm += v[x] * v[x];
      if (nrm < 0.25) continue; // this eigenvector belongs to the other parity
      guesses.push(v);
    }
  }
  if (guesses.length < want) {
    const picks = lowestIndices(sop.diagonal, want, (i) => {
      if (!flip) return true;
      return parity > 0 ? flip[i] <= i : flip[i] < i;
    });
    for (const i of picks) {
      if (guesses.length >= want) break;
      const v = new Float64Array(dim);
      v[i] = 1;
      if (flip) v[flip[i]] += parity;
      guesses.push(v);
    }
  }
  return { guesses, block };
}

/**
 * H0-block preconditioner: out = (θ − H_PP)^-1 v on the block P of the starting-vector block (exact,
 * through its eigenvectors) and (θ − H_ii)^-1 v_i elsewhere.
 */
function blockPreconditioner(
  diagonal: Float64Array,
  block: { index: number[]; values: Float64Array; vectors: Float64Array },
): (theta: number, v: Float64Array, out: Float64Array) => void {
  const m = block.index.length;
  const idx = Int32Array.from(block.index);
  const y = new Float64Array(m);
  const guard = (d: number): number => (Math.abs(d) < 1e-8 ? (d < 0 ? -1e-8 : 1e-8) : d);
  return (theta, v, out) => {
    for (let i = 0; i < v.length; i++) out[i] = v[i] / guard(theta - diagonal[i]);
    y.fill(0);
    for (let a = 0; a < m; a++) {
      const va = v[idx[a]];
      if (va === 0) continue;
      const row = a * m;
      for (let k = 0; k < m; k++) y[k] += block.vectors[row + k] * va;
    }
    for (let k = 0; k < m; k++) y[k] /= guard(theta - block.values[k]);
    for (let a = 0; a < m; a++) {
      const row = a * m;
      let s = 0;
      for (let k = 0; k < m; k++) s += block.vectors[row + k] * y[k];
      out[idx[a]] = s;
    }
  };
}


/** Symmetry-adapted unit basis of a sector: each element a pair of (index, coefficient). */
function adaptedBasis(size: number, flip: Int32Array | undefined, parity: number): { index: Int32Array; coef: Float64Array; size: number } {
  const list: number[] = [];
  const r = Math.SQRT1_2;
  for (let i = 0; i < size; i++) {
    if (!flip) list.push(i, 1, i, 0);
    else if (flip[i] === i) {
      if (parity > 0) list.push(i, 1, i, 0);
    } else if (flip[i] < i) list.push(i, r, flip[i], parity * r);
  }
  const count = list.length / 4;
  const index = new Int32Array(count * 2);
  const coef = new Float64Array(count * 2);
  for (let k = 0; k < count; k++) {
    index[2 * k] = list[4 * k];
    coef[2 * k] = list[4 * k + 1];
    index[2 * k + 1] = list[4 * k + 2];
    coef[2 * k + 1] = list[4 * k + 3];
  }
  return { index, coef, size: count };
}

/** Converged states of one sector, vectors still in the sector layout. */
interface SectorSolution {
  electronic: Float64Array;
  vectors: Float64Array[];
  residualNorms: Float64Array;
  iterations: number;
  solver: 'dense' | 'davidson';
}

/** Lowest `roots` states of one sector (dense or Davidson). */
function solveSector(
  sop: SectorOperator,
  basis: { index: Int32Array; coef: Float64Array; size: number },
  roots: number,
  options: FciOptions,
  wholeSpaceSize: number,
): SectorSolution {
  const dim = sop.layout.size;
  const solverChoice = options.solver ?? 'auto';
  // 'auto' decides on the spin-adapted size of the whole Sz sector, so the solver does not depend on
  // the symmetry blocking; Davidson needs room for a subspace, so tiny sectors always go dense.
  const useDense =
    solverChoice === 'dense' ||
    (solverChoice === 'auto' && wholeSpaceSize <= (options.denseThreshold ?? 200)) ||
    basis.size <= 2 * roots + 1;
  if (useDense) {
    if (basis.size > 20000) throw new InputError(`FCI: dense solver refused for ${basis.size} basis states`);
    const m = basis.size;
    const hm = new Float64Array(m * m);
    const x = new Float64Array(dim);
    const y = new Float64Array(dim);
    for (let k = 0; k < m; k++) {
      x.fill(0);
      x[basis.index[2 * k]] += basis.coef[2 * k];
      x[basis.index[2 * k + 1]] += basis.coef[2 * k + 1];
      applyHamiltonian(sop, x, y);
      for (let j = 0; j < m; j++) {
        hm[j * m + k] = basis.coef[2 * j] * y[basis.index[2 * j]] + basis.coef[2 * j + 1] * y[basis.index[2 * j + 1]];
      }
    }
    for (let j = 0; j < m; j++) for (let k = 0; k < j; k++) hm[j * m + k] = hm[k * m + j] = 0.5 * (hm[j * m + k] + hm[k * m + j]);
    const eig = symmetricEigen(hm, m);
    const electronic = eig.values.slice(0, roots);
    const vectors: Float64Array[] = [];
    const residualNorms = new Float64Array(roots);
    for (let r = 0; r < roots; r++) {
      const v = new Float64Array(dim);
      for (let k = 0; k < m; k++) {
        const w = eig.vectors[k * m + r];
        v[basis.index[2 * k]] += w * basis.coef[2 * k];
        v[basis.index[2 * k + 1]] += w * basis.coef[2 * k + 1];
      }
      applyHamiltonian(sop, v, y);
      let r2 = 0;
      for (let i = 0; i < dim; i++) r2 += (y[i] - electronic[r] * v[i]) ** 2;
      residualNorms[r] = Math.sqrt(r2);
      vectors.push(v);
    }
    return { electronic, vectors, residualNorms, iterations: 0, solver: 'dense' };
  }
  const start = startingVectors(sop, roots, options.guessBlockSize ?? Math.min(300, Math.floor(dim / 2)), options.guessVectors ?? roots);
  const preconditioner =
    start.block && options.blockPreconditioner !== false ? blockPreconditioner(sop.diagonal, start.block) : undefined;
  const threads = options.threads ?? (dim >= 40000 ? Math.min(8, availableParallelism()) : 1);
  if (!Number.isInteger(threads) || threads < 1) throw new InputError(`FCI: threads must be a positive integer, got ${threads}`);
  const op = sop.op;
  sop.pool = createSigmaPool(sop.shape, dim, op.alpha.count, op.coupling, op.betaPairs, op.g, op.fAlphaBlocked, threads);
  const flip = sop.flip;
  try {
    const result = davidson((xv, yv) => applyHamiltonian(sop, xv, yv), sop.diagonal, start.guesses, {
      roots,
      maxIterations: options.maxIterations ?? 100,
      residualTolerance: options.residualTolerance ?? 1e-6,
      energyTolerance: options.energyToleranceHartree ?? 1e-10,
      maxSubspace: options.maxSubspace,
      project: flip ? (v) => projectParity(v, flip, sop.parity) : undefined,
      preconditioner,
    });
    return {
      electronic: result.values,
      vectors: result.vectors,
      residualNorms: result.residualNorms,
      iterations: result.iterations,
      solver: 'davidson',
    };
  } finally {
    sop.pool?.close();
    sop.pool = undefined;
  }
}

/** Symmetry label of the lowest diagonal determinant allowed by the spin class (default target sector). */
function defaultTarget(op: FciOperator, parity: number): number {
  const nb = op.beta.count;
  const la = op.alphaOrder.label;
  const lb = op.betaOrder.label;
  let best = Infinity;
  let label = 0;
  for (let i = 0; i < op.diagonal.length; i++) {
    if (op.diagonal[i] >= best) continue;
    const ia = Math.floor(i / nb);
    const ib = i - ia * nb;
    // An odd spin-flip state has no weight on determinants with Iα = Iβ.
    if (parity < 0 && ia === ib) continue;
    best = op.diagonal[i];
    label = la[ia] ^ lb[ib];
  }
  return label;
}

/**
 * Full CI of the lowest `roots` states of `ham` in the Sz sector (nAlpha, nBeta).
 * Throws InputError for an invalid Hamiltonian or request and ConvergenceError when Davidson fails.
 */
export function runFci(ham: MolecularHamiltonian, options: FciOptions = {}): FciResult {
  validateHamiltonian(ham);
  const roots = options.roots ?? 1;
  if (!Number.isInteger(roots) || roots < 1) throw new InputError(`FCI: roots must be a positive integer, got ${roots}`);
  const symmetric = ham.nAlpha === ham.nBeta;
  const mode = symmetric ? (options.spinFlipSymmetry ?? 'even') : 'none';
  const parity = mode === 'even' ? 1 : mode === 'odd' ? -1 : 0;
  const integralThreshold = options.integralThresholdHartree ?? 1e-12;
  if (!(integralThreshold >= 0)) throw new InputError(`FCI: integralThresholdHartree must be ≥ 0, got ${integralThreshold}`);
  const op = buildOperator(ham, integralThreshold, options.symmetry !== false);
  const irreps = op.grading.irreps;
  const na = op.alpha.count;
  const nb = op.beta.count;
  const dim = na * nb;
  const wholeSpaceSize = parity === 0 ? dim : parity > 0 ? (na * (na + 1)) / 2 : (na * (na - 1)) / 2;
  let targets: number[];
  if (options.targetSymmetry !== undefined) {
    const t = options.targetSymmetry;
    if (!Number.isInteger(t) || t < 0 || t >= irreps) {
      throw new InputError(`FCI: targetSymmetry ${t} is not a label of the ${irreps}-irrep orbital grading (0…${irreps - 1})`);
    }
    targets = [t];
  } else if (roots === 1) targets = [defaultTarget(op, parity)];
  else targets = Array.from({ length: irreps }, (_, t) => t);
  // Solve each sector for up to `roots` states, then keep the lowest `roots` overall.
  const found: { energy: number; vector: Float64Array; residual: number; label: number }[] = [];
  let available = 0;
  let iterations = 0;
  let symmetryDeterminants = 0;
  let usedDavidson = false;
  for (const target of targets) {
    const sop = buildSectorOperator(op, target, parity);
    const basis = adaptedBasis(sop.layout.size, sop.flip, parity);
    available += basis.size;
    if (basis.size === 0) continue;
    symmetryDeterminants += sop.layout.size;
    const sectorRoots = Math.min(roots, basis.size);
    const sol = solveSector(sop, basis, sectorRoots, options, wholeSpaceSize);
    iterations += sol.iterations;
    if (sol.solver === 'davidson') usedDavidson = true;
    for (let r = 0; r < sectorRoots; r++) {
      const full = new Float64Array(dim);
      const v = sol.vectors[r];
      for (let i = 0; i < v.length; i++) full[sop.layout.toFull[i]] = v[i];
      found.push({ energy: sol.electronic[r], vector: full, residual: sol.residualNorms[r], label: target });
    }
  }
  if (roots > available) {
    const where = targets.length === 1 && irreps > 1 ? ` of symmetry ${targets[0]}` : '';
    throw new InputError(`FCI: ${roots} roots requested but the ${mode}-symmetry space${where} has only ${available} states`);
  }
  found.sort((x, y) => x.energy - y.energy);
  found.length = roots;
  const vectors = found.map((f) => f.vector);
  for (const v of vectors) {
    let nrm = 0;
    for (let i = 0; i < dim; i++) nrm += v[i] * v[i];
    if (!(nrm > 0) || !Number.isFinite(nrm)) throw new ConvergenceError('FCI: eigenvector has zero or non-finite norm');
    const inv = 1 / Math.sqrt(nrm);
    for (let i = 0; i < dim; i++) v[i] *= inv;
  }
  const energies = new Float64Array(roots);
  const s2 = new Float64Array(roots);
  for (let r = 0; r < roots; r++) {
    energies[r] = found[r].energy + ham.constantHartree;
    s2[r] = spinSquaredExpectation(op.alpha, op.beta, vectors[r]);
  }
  return {
    energies,
    s2,
    determinants: dim,
    symmetryDeterminants,
    orbitalSymmetry: { source: op.grading.source, labels: op.grading.labels, irreps },
    rootSymmetries: Int32Array.from(found, (f) => f.label),
    iterations,
    converged: true,
    vectors,
    residualNorms: Float64Array.from(found, (f) => f.residual),
    solver: usedDavidson ? 'davidson' : 'dense',
    nOrbitals: ham.nOrbitals,
    nAlpha: ham.nAlpha,
    nBeta: ham.nBeta,
    nAlphaStrings: na,
    nBetaStrings: nb,
    spinFlipSymmetry: mode,
  };
}

/** Address of a sorted occupation list (combinatorial number system). */
function addressOf(occ: Int32Array, k: number): number {
  let a = 0;
  for (let t = 0; t < k; t++) a += binomial(occ[t], t + 1);
  return a;
}

/**
 * ⟨S²⟩ = ‖S₊ C‖² + Sz(Sz + 1) with S₊ = Σ_p a†_pα a_pβ, C normalised, in the sector of `alpha`, `beta`.
 * S₊ C lives in the (nAlpha + 1, nBeta − 1) sector; a†_pα a_pβ |Iα Iβ⟩ carries the sign
 * (−1)^(nα + #α occupied below p + #β occupied below p), the constant (−1)^nα dropping out of the norm.
 */
export function spinSquaredExpectation(alpha: StringSpace, beta: StringSpace, c: Float64Array): number {
  const n = alpha.nOrbitals;
  const ka = alpha.nElectrons;
  const kb = beta.nElectrons;
  const sz = 0.5 * (ka - kb);
  let norm = 0;
  for (let i = 0; i < c.length; i++) norm += c[i] * c[i];
  if (ka === n || kb === 0) return sz * (sz + 1);
  const naT = binomial(n, ka + 1);
  const nbT = binomial(n, kb - 1);
  // α: add p; β: remove p. Tables [string * n + p] → address, sign (0 when not allowed).
  const addAddr = new Int32Array(alpha.count * n);
  const addSign = new Float64Array(alpha.count * n);
  const occ = new Int32Array(n);
  for (let I = 0; I < alpha.count; I++) {
    for (let p = 0; p < n; p++) {
      if (alpha.occupation[I * n + p]) continue;
      let m = 0;
      let below = 0;
      let placed = false;
      for (let t = 0; t < ka; t++) {
        const o = alpha.occupied[I * ka + t];
        if (o < p) below++;
        if (!placed && p < o) {
          occ[m++] = p;
          placed = true;
        }
        occ[m++] = o;
      }
      if (!placed) occ[m++] = p;
      addAddr[I * n + p] = addressOf(occ, ka + 1);
      addSign[I * n + p] = below & 1 ? -1 : 1;
    }
  }
  const remAddr = new Int32Array(beta.count * n);
  const remSign = new Float64Array(beta.count * n);
  for (let I = 0; I < beta.count; I++) {
    for (let p = 0; p < n; p++) {
      if (!beta.occupation[I * n + p]) continue;
      let m = 0;
      let below = 0;
      for (let t = 0; t < kb; t++) {
        const o = beta.occupied[I * kb + t];
        if (o === p) continue;
        if (o < p) below++;
        occ[m++] = o;
      }
      remAddr[I * n + p] = addressOf(occ, kb - 1);
      remSign[I * n + p] = below & 1 ? -1 : 1;
    }
  }
  const out = new Float64Array(naT * nbT);
  const nb = beta.count;
  for (let Ia = 0; Ia < alpha.count; Ia++) {
    for (let Ib = 0; Ib < nb; Ib++) {
      const v = c[Ia * nb + Ib];
      if (v === 0) continue;
      for (let p = 0; p < n; p++) {
        const sa = addSign[Ia * n + p];
        const sb = remSign[Ib * n + p];
        if (sa === 0 || sb === 0) continue;
        out[addAddr[Ia * n + p] * nbT + remAddr[Ib * n + p]] += sa * sb * v;
      }
    }
  }
  let s = 0;
  for (let i = 0; i < out.length; i++) s += out[i] * out[i];
  return s / norm + sz * (sz + 1);
}

/**
 * Spin-summed 1- and 2-RDMs of root `root` of an FCI result of `ham`:
 *
 *   γ_pq = Σ_σ ⟨a†_pσ a_qσ⟩ = ⟨E_pq⟩,
 *   Γ_pqrs = Σ_στ ⟨a†_pσ a†_rτ a_sτ a_qσ⟩ = ⟨E_pq E_rs⟩ − δ_qr γ_ps   (chemists' order),
 *
 * so E = constant + Σ h_pq γ_pq + ½ Σ (pq|rs) Γ_pqrs, Tr γ = N and Σ_pr Γ_pprr = N(N − 1).
 * Built as ⟨E_pq E_rs⟩ = Σ_K (E_qp C)_K (E_rs C)_K over blocks of α strings.
 */
export function fciRdms(ham: MolecularHamiltonian, result: FciResult, root = 0): FciRdms {
  validateHamiltonian(ham);
  if (ham.nOrbitals !== result.nOrbitals || ham.nAlpha !== result.nAlpha || ham.nBeta !== result.nBeta) {
    throw new InputError('fciRdms: the Hamiltonian does not match the FCI result (orbitals or electron counts differ)');
  }
  if (!Number.isInteger(root) || root < 0 || root >= result.vectors.length) {
    throw new InputError(`fciRdms: root ${root} is not in 0..${result.vectors.length - 1}`);
  }
  const n = ham.nOrbitals;
  const n2 = n * n;
  const alpha = buildStringSpace(n, ham.nAlpha);
  const beta = ham.nBeta === ham.nAlpha ? alpha : buildStringSpace(n, ham.nBeta);
  const na = alpha.count;
  const nb = beta.count;
  const c = result.vectors[root];
  const oneRdm = new Float64Array(n2);
  const m = new Float64Array(n2 * n2);
  // Block of α rows so that the n² × (rows · nb) D array stays moderate.
  const rowsPerBlock = Math.max(1, Math.min(na, Math.floor(4_000_000 / Math.max(1, n2 * nb))));
  const width = rowsPerBlock * nb;
  const d = new Float64Array(n2 * width);
  const sA = alpha.singlesPerString;
  const sB = beta.singlesPerString;
  for (let a0 = 0; a0 < na; a0 += rowsPerBlock) {
    const a1 = Math.min(na, a0 + rowsPerBlock);
    const w = (a1 - a0) * nb;
    d.fill(0);
    for (let Ka = a0; Ka < a1; Ka++) {
      const local = (Ka - a0) * nb;
      // α part: entry (c, a, J, s) of Kα ⇒ ⟨Kα|E_ac|J⟩ = s ⇒ D[ac][Kα, :] += s C[J, :].
      for (let e = Ka * sA; e < (Ka + 1) * sA; e++) {
        const row = (alpha.singleAnnihilate[e] * n + alpha.singleCreate[e]) * width + local;
        const src = alpha.singleTarget[e] * nb;
        const s = alpha.singleSign[e];
        for (let x = 0; x < nb; x++) d[row + x] += s * c[src + x];
      }
      // β part: entry (c, a, J, s) of Kβ ⇒ D[ac][Kα, Kβ] += s C[Kα, J].
      for (let Kb = 0; Kb < nb; Kb++) {
        for (let e = Kb * sB; e < (Kb + 1) * sB; e++) {
          const row = (beta.singleAnnihilate[e] * n + beta.singleCreate[e]) * width + local + Kb;
          d[row] += beta.singleSign[e] * c[Ka * nb + beta.singleTarget[e]];
        }
      }
    }
    for (let pq = 0; pq < n2; pq++) {
      const rp = pq * width;
      let s = 0;
      for (let x = 0; x < w; x++) s += c[a0 * nb + x] * d[rp + x];
      oneRdm[pq] += s;
      for (let rs = pq; rs < n2; rs++) {
        const rr = rs * width;
        let t = 0;
        for (let x = 0; x < w; x++) t += d[rp + x] * d[rr + x];
        m[pq * n2 + rs] += t;
      }
    }
  }
  const twoRdm = new Float64Array(n2 * n2);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      const qp = q * n + p;
      for (let r = 0; r < n; r++) {
        for (let s = 0; s < n; s++) {
          const rs = r * n + s;
          let v = qp <= rs ? m[qp * n2 + rs] : m[rs * n2 + qp];
          if (q === r) v -= oneRdm[p * n + s];
          twoRdm[((p * n + q) * n + r) * n + s] = v;
        }
      }
    }
  }
  return { oneRdm, twoRdm };
}
