/**
 * Full configuration interaction over a MolecularHamiltonian (determinant-string direct CI).
 *
 * Data layout (as PySCF `fci.direct_spin1`): the CI vector of the Sz sector (nAlpha, nBeta) is a
 * row-major [α-string × β-string] matrix, C[Iα * nBetaStrings + Iβ] (inside the solver: its symmetry
 * blocks, see below), with the strings of each spin in ascending bit-pattern order
 * (combinatorial-number-system addresses, fci-strings.ts). The determinant
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
 * energy order, and ⟨S²⟩ tells them apart. Davidson starts from the lowest eigenvectors of H in the
 * block of the lowest-diagonal determinants (an "H0 block", matrix elements by the Slater–Condon rules), the block
 * closed under the spin flip and its vectors projected onto the chosen parity, so the lowest state
 * of the requested spin class is found.
 *
 * Orbital symmetry (fci-symmetry.ts; as PySCF direct_spin1_symm and Psi4 detci with point groups):
 * the orbitals carry XOR-combinable Z2^k labels — FCIDUMP ORBSYM − 1 when `orbitalSymmetries` has more
 * than one irrep, else detected from the integrals (GF(2) elimination on the nonzero pattern; integrals
 * below `integralThresholdHartree` count as exactly zero). Before detecting, degenerate orbital pairs
 * (π, δ of a linear molecule), which an eigensolver returns as arbitrary mixtures that hide part of
 * the symmetry, are rotated to symmetry-adapted combinations (fci-orbital-alignment.ts; N₂ gets all 8
 * irreps of D2h instead of 2–4); the roots' vectors are rotated back. H conserves the determinant label, so each
 * symmetry sector is solved on its own, its vector stored as blocks [α strings of irrep a × β strings
 * of irrep a ⊕ target] (strings reordered irrep-major; fci-sigma.ts). Every sector is solved for its
 * lowest `roots` states and the lowest `roots` of all of them are kept, so the result is the ground
 * state of the spin class whatever its symmetry (the Aufbau reference's sector is not always it:
 * square H4, C2); `targetSymmetry` pins one sector. The sector of the lowest allowed diagonal
 * determinant goes first; a later sector's Davidson run ends as soon as its lowest Ritz pair
 * (θ, residual r, ‖r‖ ≤ 1e-2) proves θ − 2‖r‖ above the roots already found (`sectorScreening`), so
 * sectors that cannot contribute cost a few iterations. Result vectors are
 * expanded to the whole [α × β] matrix, so ⟨S²⟩ (fci-spin.ts) and the RDMs (fci-rdm.ts) work on them.
 * `symmetry: false` (or a Hamiltonian without symmetry) gives one block: the plain [α × β] matrix.
 *
 * Threads: for sectors of ≥ 40,000 determinants the opposite-spin and α same-spin parts of σ run on
 * worker_threads over SharedArrayBuffers (fci-parallel.ts), as many threads as the process thread
 * budget allows (core/threads.ts, at most 8); the workers end with the calculation. Each thread
 * writes its own α rows, summed as on one thread, so results are the same to the last bit on any
 * number of threads.
 *
 * Memory: {@link estimateFciMemoryBytes} adds up what the run allocates (string tables, same-spin
 * matrices, the diagonal, Davidson's subspace of the largest sector, thread buffers, result vectors);
 * runFci refuses with InputError before allocating anything when it exceeds `maxMemoryBytes`.
 */

import {
  binomial,
  ConvergenceError,
  defaultMemoryLimitBytes,
  InputError,
  requireMemoryBytes,
  symmetricEigen,
  threadBudget,
} from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import { davidson } from './davidson.js';
import { createSigmaPool } from './fci-parallel.js';
import { adaptedBasis, adaptedBasisSize, blockPreconditioner, startingVectors } from './fci-guess.js';
import {
  applyHamiltonian,
  buildOperator,
  buildSectorOperator,
  adaptedGrading,
  projectParity,
  validateCounts,
  validateHamiltonian,
  type FciOperator,
  type SectorOperator,
} from './fci-sigma.js';
import { spinSquaredExpectation } from './fci-spin.js';
import type { OrbitalGrading } from './fci-symmetry.js';
import { rotateCiVectorBack, type PairRotation } from './fci-orbital-alignment.js';

export { spinSquaredExpectation } from './fci-spin.js';
export { fciRdms, type FciRdms } from './fci-rdm.js';

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
  /**
   * Davidson subspace size before collapse (default max(16, 8 × roots); max(8, 4 × roots) for
   * sectors of 4·10⁶ determinants or more, where the vectors dominate the memory). Left unset, it
   * shrinks towards 2 × roots + 1 (and `threads`, if unset, to 1) when the default would not fit
   * `maxMemoryBytes`; {@link fciOptionsWithinMemory} tells what a run will use.
   */
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
   * Threads for σ (worker_threads; default: the process thread budget of core/threads.ts, at most
   * 8, when the sector has at least 40,000 determinants, else 1).
   */
  threads?: number;
  /**
   * Determinants in the H0 block whose eigenvectors start Davidson (default
   * {@link defaultGuessBlockSize}: about √(sector size), at least 20, at most 300 and half the
   * sector; 0 starts from single lowest-diagonal determinants instead).
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
   * Pin the symmetry sector: the determinant label (XOR of the 0-based orbital labels of
   * `FciResult.orbitalSymmetry.labels`; for ORBSYM input the irrep number − 1). Default: every sector
   * is solved and the lowest `roots` states over all of them are returned, so root 0 is the ground
   * state of the spin class. (Psi4 detci and PySCF direct_spin1_symm solve only the sector of the
   * Aufbau reference by default; pin its label to reproduce them.)
   */
  targetSymmetry?: number;
  /**
   * Refuse (ResourceError, an InputError, before allocating anything) when
   * {@link estimateFciMemoryBytes} exceeds this many bytes (default: 80 % of os.totalmem()).
   */
  maxMemoryBytes?: number;
  /**
   * End a sector's Davidson run early once its lowest Ritz pair (θ, residual r) has ‖r‖ ≤ 1e-2 and
   * θ − 2‖r‖ above the `roots`-th lowest energy found in the sectors solved before (default true).
   * Why that is safe: with weight c₁² of the Ritz vector on the sector's lowest eigenvector,
   * ‖r‖² = Σ_i c_i² (λ_i − θ)² ≥ c₁² (θ − λ₁)², so λ₁ ≥ θ − 2‖r‖ whenever c₁² ≥ ¼. That the Ritz vector
   * approaches the lowest eigenvector is what every Davidson result assumes (same start, same run,
   * only stopped earlier), and at ‖r‖ ≤ 1e-2 it carries nearly all its weight on the eigenvector it
   * converges to. false converges every sector fully.
   */
  sectorScreening?: boolean;
  /**
   * Called after every Davidson iteration (for progress output) with the symmetry sector being
   * solved, the iteration and the lowest electronic eigenvalue estimate of that sector (Hartree,
   * without the Hamiltonian's constant).
   */
  onIteration?: (sector: number, iteration: number, lowestElectronicHartree: number) => void;
}

/** Result of {@link runFci}. */
export interface FciResult {
  /** Total energy of root 0 (the ground state of the spin class unless a sector is pinned), Hartree. */
  energyHartree: number;
  /** Total energies (constant included) of the roots, ascending, Hartree. */
  energies: Float64Array;
  /** ⟨S²⟩ of each root. */
  s2: Float64Array;
  /** Number of determinants of the Sz sector (nAlphaStrings × nBetaStrings). */
  determinants: number;
  /** Determinants solved for: the sum of the sizes of the symmetry sectors diagonalised. */
  symmetryDeterminants: number;
  /** Size of the largest symmetry sector diagonalised (what sizes Davidson's vectors). */
  largestSectorDeterminants: number;
  /**
   * Orbital grading used: 0-based, XOR-combinable labels of the orbitals, the group order `irreps`
   * (1 when no symmetry was used) and where the labels came from.
   */
  orbitalSymmetry: {
    source: 'orbsym' | 'detected' | 'none';
    labels: Int32Array;
    irreps: number;
    /**
     * Degenerate orbital pairs rotated to symmetry-adapted combinations before the labels were
     * detected (p' = cos·p + sin·q, q' = −sin·p + cos·q; fci-orbital-alignment.ts): `labels` refer
     * to the rotated orbitals, `vectors` to the Hamiltonian's own. Empty when nothing was rotated.
     */
    rotations: PairRotation[];
  };
  /** Symmetry label (XOR of orbital labels) of each root. */
  rootSymmetries: Int32Array;
  /**
   * Symmetry label of root 0 (= rootSymmetries[0]). With a degenerate ground level spread over
   * several sectors it is the sector whose computed energy came out lowest.
   */
  groundIrrep: number;
  /**
   * Sectors whose Davidson run was ended early because their lowest state lies above the roots
   * found (see `sectorScreening`).
   */
  screenedSectors: number;
  /** Threads that formed σ (calling thread included; the most over the sectors; 1 = no workers). */
  threads: number;
  /** Davidson iterations (0 for the dense solver; summed over sectors). */
  iterations: number;
  /** Always true: an unconverged calculation throws instead. */
  converged: true;
  /**
   * CI vectors of the roots, each a normalised nAlphaStrings × nBetaStrings row-major matrix over the
   * whole Sz sector, over the Hamiltonian's orbitals (zero outside the root's symmetry sector when
   * no degenerate pair was rotated, see `orbitalSymmetry.rotations`).
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

/** Converged states of one sector, vectors still in the sector layout. */
interface SectorSolution {
  /** The sector was dropped by the screen: its states lie above the energy to beat. */
  excluded: boolean;
  electronic: Float64Array;
  /** Threads that formed σ (1 when no worker pool ran). */
  threads: number;
  vectors: Float64Array[];
  residualNorms: Float64Array;
  iterations: number;
  solver: 'dense' | 'davidson';
}

/** A {@link SectorSolution}, built in one place so that both solvers' results share one object shape. */
function sectorSolution(
  excluded: boolean,
  electronic: Float64Array,
  threads: number,
  vectors: Float64Array[],
  residualNorms: Float64Array,
  iterations: number,
  solver: 'dense' | 'davidson',
): SectorSolution {
  return { excluded, electronic, threads, vectors, residualNorms, iterations, solver };
}

/**
 * Default H0-block size of a Davidson sector of `dim` determinants: √dim, at least 20, at most 300
 * and dim/2. The block's eigenproblem costs about 9m³ operations for m determinants, so with m ≈ √dim
 * it stays near the cost of one σ application (dim times the connected determinants) however small
 * the sector; a block of half the sector made the guess the dominant cost of small problems (H₂O
 * without symmetry, 441 determinants: 8.5 ms a solve with a 220-determinant block, 2.0 ms with 21,
 * in 13 Davidson iterations instead of 7). Large sectors keep the 300-determinant block. The
 * converged energy does not depend on the block beyond the convergence tolerance (5e-13 Hartree
 * on the shipped LiH/H₂O campaign).
 */
export function defaultGuessBlockSize(dim: number): number {
  return Math.min(300, Math.floor(dim / 2), Math.max(20, Math.round(Math.sqrt(dim))));
}

/** Lowest `roots` states of one sector (dense or Davidson). */
function solveSector(
  sop: SectorOperator,
  adaptedSize: number,
  roots: number,
  options: FciOptions,
  wholeSpaceSize: number,
  screenAbove: number,
  sector: number,
): SectorSolution {
  const dim = sop.layout.size;
  const solverChoice = options.solver ?? 'auto';
  // 'auto' decides on the spin-adapted size of the whole Sz sector, so the solver does not depend on
  // the symmetry blocking; Davidson needs room for a subspace, so tiny sectors always go dense.
  const useDense =
    solverChoice === 'dense' ||
    (solverChoice === 'auto' && wholeSpaceSize <= (options.denseThreshold ?? 200)) ||
    adaptedSize <= 2 * roots + 1;
  if (useDense) {
    if (adaptedSize > 20000) throw new InputError(`FCI: dense solver refused for ${adaptedSize} basis states`);
    const basis = adaptedBasis(dim, sop.flip, sop.parity);
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
    return sectorSolution(false, electronic, 1, vectors, residualNorms, 0, 'dense');
  }
  const start = startingVectors(sop, roots, options.guessBlockSize ?? defaultGuessBlockSize(dim), options.guessVectors ?? roots);
  const preconditioner =
    start.block && options.blockPreconditioner !== false ? blockPreconditioner(sop.diagonal, start.block) : undefined;
  const threads = options.threads ?? (dim >= PARALLEL_MIN_DETERMINANTS ? Math.min(MAX_THREADS, threadBudget()) : 1);
  if (!Number.isInteger(threads) || threads < 1) throw new InputError(`FCI: threads must be a positive integer, got ${threads}`);
  const op = sop.op;
  sop.pool = createSigmaPool(sop.shape, dim, op.alpha.count, op.coupling, op.betaPairs, op.g, op.fAlphaBlocked, threads);
  const usedThreads = sop.pool ? sop.pool.threads : 1;
  const flip = sop.flip;
  try {
    const result = davidson((xv, yv) => applyHamiltonian(sop, xv, yv), sop.diagonal, start.guesses, {
      roots,
      maxIterations: options.maxIterations ?? 100,
      residualTolerance: options.residualTolerance ?? 1e-6,
      energyTolerance: options.energyToleranceHartree ?? 1e-10,
      maxSubspace: options.maxSubspace ?? defaultMaxSubspace(roots, dim),
      project: flip ? (v) => projectParity(v, flip, sop.parity) : undefined,
      preconditioner,
      onIteration: options.onIteration ? (iteration, values) => options.onIteration!(sector, iteration, values[0]) : undefined,
      // With weight c₁² on the sector's lowest eigenvector, ‖r‖² ≥ c₁² (θ − λ₁)²: for c₁² ≥ ¼,
      // λ₁ ≥ θ − 2‖r‖. Once the lowest Ritz pair is loosely converged and that bound lies above the
      // energy to beat, the sector is dropped.
      stopWhen: Number.isFinite(screenAbove)
        ? (_, values, residualNorms) => residualNorms[0] <= SCREEN_RESIDUAL && values[0] - 2 * residualNorms[0] > screenAbove
        : undefined,
    });
    return sectorSolution(result.stopped, result.values, usedThreads, result.vectors, result.residualNorms, result.iterations, 'davidson');
  } finally {
    sop.pool?.close();
    sop.pool = undefined;
  }
}

/**
 * Residual norm at which a sector's lowest Ritz pair counts as converged enough to be screened out:
 * its Ritz value is then within ~‖r‖²/gap of its eigenvalue and the vector carries all but
 * ~(‖r‖/gap)² of its weight on that eigenvector.
 */
const SCREEN_RESIDUAL = 1e-2;

/** Symmetry label of the lowest diagonal determinant the spin class allows (solved first). */
function referenceSector(op: FciOperator, parity: number): number {
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

/** Sectors of at least this many determinants get the small default Davidson subspace. */
const LARGE_SECTOR_DETERMINANTS = 4_000_000;

/**
 * Default Davidson subspace of a sector: max(16, 8 × roots), or max(8, 4 × roots) from
 * {@link LARGE_SECTOR_DETERMINANTS} on, where Davidson's vectors dominate the memory (a few more
 * iterations instead of twice the vectors).
 */
function defaultMaxSubspace(roots: number, size: number): number {
  return size >= LARGE_SECTOR_DETERMINANTS ? Math.max(8, 4 * roots) : Math.max(16, 8 * roots);
}

/** Sectors of at least this many determinants get σ worker threads by default. */
const PARALLEL_MIN_DETERMINANTS = 40_000;
/** Most σ threads used by default (the kernels stop scaling around there). */
const MAX_THREADS = 8;

/** Spin-flip parity and mode of a request: +1 even, −1 odd, 0 none (always 0 when nAlpha ≠ nBeta). */
function spinMode(ham: MolecularHamiltonian, options: FciOptions): { mode: 'even' | 'odd' | 'none'; parity: number } {
  const mode = ham.nAlpha === ham.nBeta ? (options.spinFlipSymmetry ?? 'even') : 'none';
  return { mode, parity: mode === 'even' ? 1 : mode === 'odd' ? -1 : 0 };
}

/** Number of k-orbital strings of each label (XOR of orbital labels), as doubles. */
function stringCountsByLabel(labels: Int32Array, irreps: number, k: number): Float64Array {
  // counts[j * irreps + l]: j-orbital subsets of the orbitals seen so far with label l.
  const counts = new Float64Array((k + 1) * irreps);
  counts[0] = 1;
  for (let p = 0; p < labels.length; p++) {
    for (let j = Math.min(k, p + 1); j >= 1; j--) {
      for (let l = 0; l < irreps; l++) counts[j * irreps + (l ^ labels[p])] += counts[(j - 1) * irreps + l];
    }
  }
  return counts.slice(k * irreps);
}

/** Sizes of the symmetry sectors a run solves (one entry per sector, the whole space without a grading). */
function sectorSizes(ham: MolecularHamiltonian, options: FciOptions, grading: OrbitalGrading | undefined): number[] {
  const n = ham.nOrbitals;
  if (!grading || grading.irreps === 1) return [binomial(n, ham.nAlpha) * binomial(n, ham.nBeta)];
  const ca = stringCountsByLabel(grading.labels, grading.irreps, ham.nAlpha);
  const cb = stringCountsByLabel(grading.labels, grading.irreps, ham.nBeta);
  const targets = options.targetSymmetry !== undefined ? [options.targetSymmetry] : Array.from({ length: grading.irreps }, (_, t) => t);
  return targets.map((t) => {
    let size = 0;
    for (let a = 0; a < grading.irreps; a++) if ((a ^ t) < grading.irreps) size += ca[a] * cb[a ^ t];
    return size;
  });
}

/** Bytes of one spin's string tables, same-spin matrices and σ coupling lists. */
function stringTableBytes(n: number, k: number, irreps: number): number {
  const count = binomial(n, k);
  const singles = k * (n - k + 1);
  // Strings reached by at most a double replacement: the nonzeros of a row of the same-spin matrix.
  const connected = 1 + k * (n - k) + binomial(k, 2) * binomial(n - k, 2);
  const strings = count * (4 * k + n + 20 * singles);
  const sameSpin = 2 * count * (12 * connected + 12);
  const coupling = count * (16 * (singles - k) + 4 * k);
  const pairLists = 16 * count * singles + 4 * n * n * irreps;
  const orders = 16 * count;
  return strings + sameSpin + coupling + pairLists + orders;
}

/** Peak bytes of `runFci(ham, options)` given the orbital grading it will use (undefined: none). */
function estimateWithGrading(ham: MolecularHamiltonian, options: FciOptions, grading: OrbitalGrading | undefined): number {
  const n = ham.nOrbitals;
  const na = binomial(n, ham.nAlpha);
  const nb = binomial(n, ham.nBeta);
  const dim = na * nb;
  const roots = options.roots ?? 1;
  const { parity } = spinMode(ham, options);
  const irreps = grading?.irreps ?? 1;
  let fixed = stringTableBytes(n, ham.nAlpha, irreps) + (ham.nBeta === ham.nAlpha ? 0 : stringTableBytes(n, ham.nBeta, irreps));
  fixed += 8 * n ** 4 + 24 * n * n; // thresholded integrals
  fixed += 8 * dim; // diagonal of the whole Sz sector
  const spinAdapted = parity === 0 ? dim : parity > 0 ? (na * (na + 1)) / 2 : (na * (na - 1)) / 2;
  const dense = options.solver === 'dense' || ((options.solver ?? 'auto') === 'auto' && spinAdapted <= (options.denseThreshold ?? 200));
  const guesses = Math.max(roots, options.guessVectors ?? roots);
  const blockSize = options.guessBlockSize ?? 300;
  // Longest β pair list (a diagonal pair kk over all strings holding k) sizes the gather buffer.
  const gather = 8 * na * binomial(n - 1, Math.max(0, ham.nBeta - 1));
  let sectorPeak = 0;
  for (const size of sectorSizes(ham, options, grading)) {
    const adapted = parity === 0 ? size : size / 2;
    // Sector diagonal, toFull, flip, two scratch vectors; the kept lowest roots of earlier sectors.
    let bytes = size * (8 + 4 + (parity !== 0 ? 4 : 0) + 16) + gather + 8 * roots * size;
    if (dense || adapted <= 2 * roots + 1) {
      bytes += 3 * 8 * adapted * adapted + 8 * (2 + roots) * size;
    } else {
      // Davidson (davidson.ts): basis and images, Ritz vectors and their images, corrections, two
      // temporaries and the starting vectors; the H0 block and its eigenvectors.
      const maxSubspace = Math.max(options.maxSubspace ?? defaultMaxSubspace(roots, size), 2 * roots + 1);
      const vectors = 2 * maxSubspace + 3 * roots + 2 + guesses;
      const m = Math.min(2 * blockSize, size);
      bytes += 8 * vectors * size + 3 * 8 * m * m;
      const threads = options.threads ?? (size >= PARALLEL_MIN_DETERMINANTS ? Math.min(MAX_THREADS, threadBudget()) : 1);
      const workers = Math.min(threads - 1, 30);
      // the σ pool: shared input, output and same-spin output, and each worker's gather buffer
      if (workers >= 1) bytes += 8 * 3 * size + workers * gather;
    }
    sectorPeak = Math.max(sectorPeak, bytes);
  }
  // Result: full-space vectors of the roots and the S₊ C image of ⟨S²⟩.
  const result = 8 * roots * dim + 8 * binomial(n, ham.nAlpha + 1) * binomial(n, ham.nBeta - 1) + 24 * n * (na + nb);
  return fixed + Math.max(sectorPeak, result);
}

/**
 * Estimated peak memory of {@link runFci}(ham, options) in bytes: string tables and same-spin
 * matrices, the Hamiltonian diagonal, Davidson's vectors (subspace, images, Ritz vectors,
 * corrections, starting vectors) for the largest symmetry sector solved, σ scratch and thread
 * buffers, and the full-space result vectors. The symmetry sectors are those runFci would use (the
 * orbital grading from ORBSYM or detected from the integrals) when the integrals are present;
 * otherwise the whole space as one sector, an upper bound. The Davidson settings are those the run
 * will use ({@link fciOptionsWithinMemory}). Nothing large is allocated.
 */
export function estimateFciMemoryBytes(ham: MolecularHamiltonian, options: FciOptions = {}): number {
  validateCounts(ham);
  const grading = integralGrading(ham, options);
  return estimateWithGrading(ham, shrinkToFit(ham, options, grading), grading);
}

/** The orbital grading runFci will detect, when the integrals are present (callers sizing a job before building them may pass the counts alone). */
function integralGrading(ham: MolecularHamiltonian, options: FciOptions): OrbitalGrading | undefined {
  const n = ham.nOrbitals;
  if (options.symmetry === false || ham.oneBody?.length !== n * n || ham.twoBody?.length !== n ** 4) return undefined;
  return adaptedGrading(ham, ham.oneBody, ham.twoBody, true, options.integralThresholdHartree ?? 1e-12).grading;
}

/**
 * `options` with the Davidson subspace shrunk (and then the σ threads cut to one) to the largest
 * setting whose estimate fits the memory limit, when the caller left them unset and the defaults do
 * not fit (the smallest setting when none fits); otherwise `options` unchanged. A smaller subspace
 * collapses more often and may take more iterations, but reaches the same energy.
 */
function shrinkToFit(ham: MolecularHamiltonian, options: FciOptions, grading: OrbitalGrading | undefined): FciOptions {
  const limit = options.maxMemoryBytes ?? defaultMemoryLimitBytes();
  if (estimateWithGrading(ham, options, grading) <= limit) return options;
  const roots = options.roots ?? 1;
  const subspaces: (number | undefined)[] = [undefined];
  if (options.maxSubspace === undefined) for (let m = Math.max(8, 4 * roots) - 1; m >= 2 * roots + 1; m--) subspaces.push(m);
  const threadCounts: (number | undefined)[] = options.threads === undefined ? [undefined, 1] : [options.threads];
  let smallest = options;
  for (const threads of threadCounts) {
    for (const maxSubspace of subspaces) {
      const candidate: FciOptions = { ...options };
      if (maxSubspace !== undefined) candidate.maxSubspace = maxSubspace;
      if (threads !== undefined) candidate.threads = threads;
      smallest = candidate;
      if (estimateWithGrading(ham, candidate, grading) <= limit) return candidate;
    }
  }
  return smallest;
}

/**
 * The options {@link runFci}(ham, options) runs with: the caller's, with the Davidson subspace and
 * σ threads reduced when the defaults would not fit the memory limit (see `maxSubspace`).
 */
export function fciOptionsWithinMemory(ham: MolecularHamiltonian, options: FciOptions = {}): FciOptions {
  validateCounts(ham);
  return shrinkToFit(ham, options, integralGrading(ham, options));
}

/**
 * The options to run with (see {@link fciOptionsWithinMemory}); ResourceError (an InputError) when
 * even the smallest setting exceeds the limit. Runs before any large allocation.
 */
function fitMemory(ham: MolecularHamiltonian, options: FciOptions): FciOptions {
  const limit = options.maxMemoryBytes ?? defaultMemoryLimitBytes();
  if (!(limit > 0)) throw new InputError(`FCI: maxMemoryBytes must be positive, got ${options.maxMemoryBytes}`);
  // The whole-space bound first (cheap, needs no integrals); the symmetry-aware one only when it fails.
  if (estimateWithGrading(ham, options, undefined) <= limit) return options;
  const grading = integralGrading(ham, options);
  const fitted = shrinkToFit(ham, options, grading);
  const dets = binomial(ham.nOrbitals, ham.nAlpha) * binomial(ham.nOrbitals, ham.nBeta);
  requireMemoryBytes(
    `FCI of ${dets.toPrecision(4)} determinants (${ham.nOrbitals} orbitals, ${ham.nAlpha}α ${ham.nBeta}β)`,
    estimateWithGrading(ham, fitted, grading),
    limit,
    'freeze core orbitals, choose an active space or a smaller basis',
  );
  return fitted;
}

/** A converged state of one sector, vector in that sector's layout. */
interface SectorRoot {
  energy: number;
  vector: Float64Array;
  toFull: Int32Array;
  residual: number;
  label: number;
}

/**
 * Full CI of the lowest `roots` states of `ham` in the Sz sector (nAlpha, nBeta) and the spin class
 * of `spinFlipSymmetry`, over all orbital-symmetry sectors (or the one of `targetSymmetry`).
 * Throws InputError for an invalid Hamiltonian or request, ResourceError (an InputError) when the
 * estimated memory exceeds `maxMemoryBytes`, and ConvergenceError when Davidson fails.
 */
export function runFci(ham: MolecularHamiltonian, requested: FciOptions = {}): FciResult {
  validateCounts(ham);
  const roots = requested.roots ?? 1;
  if (!Number.isInteger(roots) || roots < 1) throw new InputError(`FCI: roots must be a positive integer, got ${roots}`);
  const { mode, parity } = spinMode(ham, requested);
  const integralThreshold = requested.integralThresholdHartree ?? 1e-12;
  if (!(integralThreshold >= 0)) throw new InputError(`FCI: integralThresholdHartree must be ≥ 0, got ${integralThreshold}`);
  const options = fitMemory(ham, requested);
  validateHamiltonian(ham);
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
  } else {
    // The reference sector first: it usually holds the lowest states, which then screen the others.
    const first = referenceSector(op, parity);
    targets = [first, ...Array.from({ length: irreps }, (_, t) => t).filter((t) => t !== first)];
  }
  // Solve each sector for up to `roots` states and keep the lowest `roots` seen so far.
  let found: SectorRoot[] = [];
  let available = 0;
  let iterations = 0;
  let symmetryDeterminants = 0;
  let largestSectorDeterminants = 0;
  let usedDavidson = false;
  let threads = 1;
  let screenedSectors = 0;
  for (const target of targets) {
    const sop = buildSectorOperator(op, target, parity);
    const adaptedSize = adaptedBasisSize(sop.layout.size, sop.flip, parity);
    available += adaptedSize;
    if (adaptedSize === 0) continue;
    symmetryDeterminants += sop.layout.size;
    largestSectorDeterminants = Math.max(largestSectorDeterminants, sop.layout.size);
    const sectorRoots = Math.min(roots, adaptedSize);
    const screenAbove = options.sectorScreening !== false && found.length >= roots ? found[roots - 1].energy : Infinity;
    const sol = solveSector(sop, adaptedSize, sectorRoots, options, wholeSpaceSize, screenAbove, target);
    iterations += sol.iterations;
    if (sol.solver === 'davidson') usedDavidson = true;
    threads = Math.max(threads, sol.threads);
    if (sol.excluded) {
      screenedSectors++;
      continue;
    }
    for (let r = 0; r < sectorRoots; r++) {
      found.push({ energy: sol.electronic[r], vector: sol.vectors[r], toFull: sop.layout.toFull, residual: sol.residualNorms[r], label: target });
    }
    found.sort((x, y) => x.energy - y.energy);
    found = found.slice(0, roots);
  }
  if (roots > available) {
    const where = targets.length === 1 && irreps > 1 ? ` of symmetry ${targets[0]}` : '';
    throw new InputError(`FCI: ${roots} roots requested but the ${mode}-symmetry space${where} has only ${available} states`);
  }
  // A plain loop: the array Array.prototype.map returned here did not always have the same map,
  // and a new one threw away runFci's optimised code.
  const vectors: Float64Array[] = [];
  for (let r = 0; r < found.length; r++) {
    const f = found[r];
    const v = new Float64Array(dim);
    for (let i = 0; i < f.vector.length; i++) v[f.toFull[i]] = f.vector[i];
    let nrm = 0;
    for (let i = 0; i < dim; i++) nrm += v[i] * v[i];
    if (!(nrm > 0) || !Number.isFinite(nrm)) throw new ConvergenceError('FCI: eigenvector has zero or non-finite norm');
    const inv = 1 / Math.sqrt(nrm);
    for (let i = 0; i < dim; i++) v[i] *= inv;
    vectors.push(v);
  }
  const energies = new Float64Array(roots);
  const s2 = new Float64Array(roots);
  for (let r = 0; r < roots; r++) {
    energies[r] = found[r].energy + ham.constantHartree;
    s2[r] = spinSquaredExpectation(op.alpha, op.beta, vectors[r]);
    if (op.rotations.length > 0) rotateCiVectorBack(vectors[r], op.alpha, op.beta, op.rotations);
  }
  return {
    energyHartree: energies[0],
    energies,
    s2,
    determinants: dim,
    symmetryDeterminants,
    largestSectorDeterminants,
    orbitalSymmetry: { source: op.grading.source, labels: op.grading.labels, irreps, rotations: op.rotations },
    rootSymmetries: Int32Array.from(found, (f) => f.label),
    groundIrrep: found[0].label,
    screenedSectors,
    threads,
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
