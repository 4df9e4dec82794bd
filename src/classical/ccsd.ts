/**
 * Closed-shell coupled-cluster singles and doubles (RHF-CCSD), spin-adapted.
 *
 * Amplitudes: t1[i,a] (o×v) and t2[i,j,a,b] (o×o×v×v, t2[i,j,a,b] = t2[j,i,b,a]) over correlated
 * occupied i,j and virtual a,b spatial orbitals; they are the αβ amplitudes of the spin-orbital
 * theory. Equations: the spin-adapted closed-shell CCSD equations written with one- and two-particle
 * intermediates (F_oo, F_vv, F_ov, L_oo, L_vv, W_oooo, W_voov, W_vovo), as in Hirata et al.,
 * J. Chem. Phys. 120, 2581 (2004), and PySCF's RCCSD, with the full Fock matrix (off-diagonal and
 * occupied–virtual elements included, so non-canonical orbitals work), solved by Jacobi updates
 *   t ← t + R(t)/D,  D_ia = f_ii − f_aa,  D_ijab = f_ii + f_jj − f_aa − f_bb,
 * accelerated by DIIS on the amplitude vector. The particle–particle ladder uses (ac|bd) directly,
 * split into symmetric and antisymmetric parts over i ≤ j, a ≤ b, c ≤ d (the τ± trick of PySCF's and
 * Psi4's RHF-CCSD, half the o²v⁴ work and half the v⁴ storage), and folds its t1 parts into an o³v³
 * intermediate, so no v⁴ intermediate is built per iteration. Contractions run through the
 * cache-blocked, multithreaded GEMM of cc-gemm.ts.
 * Energy: E_corr = Σ_ijab [2(ia|jb) − (ib|ja)] τ_ijab + 2 Σ_ia f_ia t_ia, τ_ijab = t_ijab + t_ia t_jb.
 * Integral blocks and layouts: see cc-integrals.ts (from a Hamiltonian) and cc-transform.ts (straight
 * from an RHF result); (ov|vv) and the exchange-ordered (ov|ov) are also kept in the layouts the
 * iterations contract them in, so no iteration permutes them. Contractions: cc-tensor.ts.
 */
import { InputError, sharedFloat64Array } from '../core/index.js';
import { Diis } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import type { ScfResult } from '../scf/index.js';
import {
  closedShellBlocks,
  closedShellReference,
  type ClosedShellBlocks,
  type ClosedShellOptions,
  type ClosedShellReference,
} from './cc-integrals.js';
import { Contractor, gemm, zerosTensor, type DenseTensor } from './cc-tensor.js';
import { gemmView, gemmViewOffsets } from './cc-gemm.js';
import { amplitudeDiagnostics, checkDivergence, jacobiStep, notConvergedError } from './cc-iteration.js';
import { requireNonzeroDenominators, sameOrbitalsExcitations } from './denominators.js';
import { closedShellBlocksFromAo, closedShellReferenceFromScf, isScfResult } from './cc-transform.js';
import { defaultTransformMemoryBytes } from './mp2-transform.js';

/**
 * Multiply–adds from which an iteration's contraction runs on the thread budget. Most contractions
 * of a small molecule are thin products of a few million multiply–adds (o = 5, v = 53 for
 * H₂O/cc-pVTZ: 4–19·10⁶, the ladder 3·10⁷), below the GEMM's general threshold; split over two
 * threads they cut the H₂O/cc-pVTZ iteration by about 13 %.
 */
const CONTRACTION_PARALLEL_WORK = 4e6;

/** Options for {@link runCcsd} and runCcsdT. */
export interface CcsdOptions extends ClosedShellOptions {
  /** Maximum number of amplitude iterations (default 100). */
  maxIterations?: number;
  /** Convergence threshold on the change of the correlation energy, Hartree (default 1e-10). */
  energyTolerance?: number;
  /** Convergence threshold on the 2-norm of the CC residual (default 1e-9). */
  residualTolerance?: number;
  /** Use DIIS extrapolation of the amplitudes (default true). */
  diis?: boolean;
  /** Number of DIIS vectors kept (default 8). */
  diisSubspace?: number;
  /** Iteration from which DIIS extrapolates (default 2). */
  diisStart?: number;
  /** Called after every iteration with its energy and residual norm. */
  onIteration?: (iteration: number, correlationEnergyHartree: number, residualNorm: number) => void;
  /** Refuse (ResourceError) when the estimated memory exceeds this many bytes (default: 80 % of the machine's). */
  maxMemoryBytes?: number;
  /**
   * With an SCF result: bytes the half-transformed AO→MO integrals may hold at once (default a
   * quarter of the machine's memory, at most 4 GiB); smaller budgets take more passes (cc-transform.ts).
   */
  transformMemoryBytes?: number;
}

/** Converged CCSD amplitudes over correlated occupied (o) and virtual (v) orbitals. */
export interface CcsdAmplitudes {
  nOccupied: number;
  nVirtual: number;
  /** t1[i,a], o×v. */
  t1: Float64Array;
  /** t2[i,j,a,b], o×o×v×v. */
  t2: Float64Array;
}

/** Result of a CCSD calculation. Energies in Hartree. */
export interface CcsdResult {
  method: 'ccsd' | 'ccsd(t)';
  /** Total CCSD energy (for CCSD(T): including the triples correction). */
  energyHartree: number;
  /** Correlation energy (for CCSD(T): including the triples correction). */
  correlationEnergyHartree: number;
  /** Reference (RHF) energy computed from the Hamiltonian. */
  referenceEnergyHartree: number;
  /** MP2 correlation energy from the first-order amplitudes (meaningful for canonical orbitals). */
  mp2CorrelationEnergyHartree: number;
  /** Amplitude iterations used. */
  iterations: number;
  /** 2-norm of the CC residual at convergence. */
  residualNorm: number;
  /** T1 diagnostic of Lee and Taylor, √(Σ_ia t_ia² / N) with N = 2o correlated electrons. */
  t1Diagnostic: number;
  /** D1 diagnostic of Janssen and Nielsen: the largest singular value of the t1 matrix. */
  d1Diagnostic: number;
  /** Largest |t2| amplitude. */
  largestT2: number;
  /** Number of frozen (uncorrelated) occupied orbitals. */
  nFrozen: number;
  /** Converged amplitudes. */
  amplitudes: CcsdAmplitudes;
}

/** Everything the triples correction needs from a converged CCSD. */
export interface CcsdSolution {
  result: CcsdResult;
  reference: ClosedShellReference;
  blocks: ClosedShellBlocks;
}

function correlationEnergy(
  lovov: Float64Array,
  t1: Float64Array,
  t2: Float64Array,
  fov: Float64Array,
  o: number,
  v: number,
): number {
  let e = 0;
  for (let i = 0; i < o; i++)
    for (let a = 0; a < v; a++) {
      const tia = t1[i * v + a];
      e += 2 * fov[i * v + a] * tia;
      for (let j = 0; j < o; j++)
        for (let b = 0; b < v; b++) {
          // lovov[i,a,j,b] = 2(ia|jb) − (ib|ja); τ[i,j,a,b] = t2 + t1[i,a] t1[j,b]
          e += lovov[((i * v + a) * o + j) * v + b] * (t2[((i * o + j) * v + a) * v + b] + tia * t1[j * v + b]);
        }
    }
  return e;
}

// The loops of the iteration live in functions of their own: each is then compiled whole on its
// own feedback, instead of inside solveCcsd, where code compiled while an early loop was hot was
// thrown away on reaching statements that had not run yet.

/**
 * Offsets (core/gemm.ts gemmView) of the two strided GEMMs of the t1·t1 doubles term:
 *   X[i,a,b,c] −= Σ_k t1[k,a] (ki|bc): rows a, columns (i,b,c), summed k;
 *   R[i,j,a,b] = Σ_c X[i,a,b,c] t1[j,c]: rows (i,a,b), columns j, summed c.
 */
function t1t1Offsets(o: number, v: number): { xView: Int32Array; rView: Int32Array } {
  const ovv = o * v * v;
  const xView = gemmViewOffsets(v, ovv, o);
  const rView = gemmViewOffsets(ovv, o, v);
  let x = 0;
  for (let a = 0; a < v; a++) xView[x++] = a;
  for (let k = 0; k < o; k++) xView[x++] = k * v;
  for (let k = 0; k < o; k++) xView[x++] = k * ovv;
  for (let ibc = 0; ibc < ovv; ibc++) xView[x++] = ibc;
  for (let a = 0; a < v; a++) xView[x++] = a * v * v;
  for (let i = 0; i < o; i++) for (let bc = 0; bc < v * v; bc++) xView[x++] = i * v * v * v + bc;
  x = 0;
  for (let iab = 0; iab < ovv; iab++) rView[x++] = iab * v;
  for (let c = 0; c < v; c++) rView[x++] = c;
  for (let c = 0; c < v; c++) rView[x++] = c;
  for (let j = 0; j < o; j++) rView[x++] = j * v;
  for (let i = 0; i < o; i++) for (let ab = 0; ab < v * v; ab++) rView[x++] = i * ovv + ab;
  for (let j = 0; j < o; j++) rView[x++] = j * v * v;
  return { xView, rView };
}

/**
 * Denominators D_ia = e_i − e_a and D_ijab = e_i + e_j − e_a − e_b, and the first-order guess
 * t1 = f_ia / D_ia, t2 = (ia|jb) / D_ijab.
 */
function firstOrderAmplitudes(
  eo: ArrayLike<number>,
  ev: ArrayLike<number>,
  fov: Float64Array,
  ovov: Float64Array,
  o: number,
  v: number,
  d1: Float64Array,
  d2: Float64Array,
  t1: Float64Array,
  t2: Float64Array,
): void {
  for (let i = 0; i < o; i++) for (let a = 0; a < v; a++) d1[i * v + a] = eo[i] - ev[a];
  for (let x = 0; x < o * v; x++) t1[x] = fov[x] / d1[x];
  for (let i = 0; i < o; i++)
    for (let j = 0; j < o; j++)
      for (let a = 0; a < v; a++)
        for (let b = 0; b < v; b++) {
          const x = ((i * o + j) * v + a) * v + b;
          d2[x] = eo[i] + eo[j] - ev[a] - ev[b];
          t2[x] = ovov[((i * v + a) * o + j) * v + b] / d2[x];
        }
}

/** τ[i,j,a,b] = t2 + t1[i,a] t1[j,b] and the ring intermediates' ½ t2 + t1[i,a] t1[j,b]. */
function buildTau(t1: Float64Array, t2: Float64Array, tau: Float64Array, tauHalf: Float64Array, o: number, v: number): void {
  for (let i = 0; i < o; i++)
    for (let j = 0; j < o; j++)
      for (let a = 0; a < v; a++) {
        const tia = t1[i * v + a];
        const base = ((i * o + j) * v + a) * v;
        for (let b = 0; b < v; b++) {
          const prod = tia * t1[j * v + b];
          tau[base + b] = t2[base + b] + prod;
          tauHalf[base + b] = 0.5 * t2[base + b] + prod;
        }
      }
}

/** Lvv[a,c] += Σ_kd [2(kd|ac) − (kc|ad)] t_kd, from exchangeVvv[a,k,c,d] and coulombVvv[a,k,c,d]. */
function addVvvT1(ex: Float64Array, co: Float64Array, t1: Float64Array, lv: Float64Array, o: number, v: number): void {
  for (let a = 0; a < v; a++)
    for (let k = 0; k < o; k++)
      for (let c = 0; c < v; c++) {
        const row = ((a * o + k) * v + c) * v;
        let sum = 0;
        for (let d = 0; d < v; d++) sum += (2 * ex[row + d] - co[row + d]) * t1[k * v + d];
        lv[a * v + c] += sum;
      }
}

/** ringT[i,l,d,a] = t2[i,l,a,d] − tauHalf[i,l,d,a], in 16×16 tiles. */
function ringAmplitudes(t2: Float64Array, tauHalf: Float64Array, rt: Float64Array, o: number, v: number): void {
  const vv = v * v;
  for (let il = 0; il < o * o; il++) {
    const base = il * vv;
    for (let d0 = 0; d0 < v; d0 += 16) {
      const d1 = Math.min(v, d0 + 16);
      for (let a0 = 0; a0 < v; a0 += 16) {
        const a1 = Math.min(v, a0 + 16);
        for (let d = d0; d < d1; d++) {
          const row = base + d * v;
          for (let a = a0; a < a1; a++) rt[row + a] = t2[base + a * v + d] - tauHalf[row + a];
        }
      }
    }
  }
}

/** ringW[a,k,i,c] = 2 Wvoov[a,k,i,c] − Wvovo[a,k,c,i]. */
function ringIntermediate(wo: Float64Array, wv: Float64Array, rw: Float64Array, o: number, v: number): void {
  const ov = o * v;
  for (let ak = 0; ak < v * o; ak++) {
    const base = ak * ov;
    for (let i = 0; i < o; i++) {
      const row = base + i * v;
      for (let c = 0; c < v; c++) rw[row + c] = 2 * wo[row + c] - wv[base + c * o + i];
    }
  }
}

/** t1new[i,a] += 2 Σ_k Z[a,k,i,k]. */
function addZTrace(z: Float64Array, t1new: Float64Array, o: number, v: number): void {
  for (let i = 0; i < o; i++)
    for (let a = 0; a < v; a++) {
      let sum = 0;
      for (let k = 0; k < o; k++) sum += z[((a * o + k) * o + i) * o + k];
      t1new[i * v + a] += 2 * sum;
    }
}

/**
 * The ladder's amplitudes for i ≤ j over c ≤ d: τ⁺ = ½(τ_ij^cd + τ_ij^dc) (c < d), ½τ_ij^dd on the
 * diagonal, and τ⁻ = ½(τ_ij^cd − τ_ij^dc) (c < d).
 */
function packTauPairs(tau: Float64Array, tauPlus: Float64Array, tauMinus: Float64Array, o: number, v: number): void {
  const vv = v * v;
  const nPlus = (v * (v + 1)) / 2;
  const nMinus = (v * (v - 1)) / 2;
  let pair = 0;
  for (let i = 0; i < o; i++)
    for (let j = i; j < o; j++, pair++) {
      const ij = (i * o + j) * vv;
      const plus = pair * nPlus;
      const minus = pair * nMinus;
      for (let d = 0; d < v; d++) {
        const pd = (d * (d + 1)) / 2;
        const md = (d * (d - 1)) / 2;
        for (let c = 0; c < d; c++) {
          const cd = tau[ij + c * v + d];
          const dc = tau[ij + d * v + c];
          tauPlus[plus + pd + c] = 0.5 * (cd + dc);
          tauMinus[minus + md + c] = 0.5 * (cd - dc);
        }
        tauPlus[plus + pd + d] = 0.5 * tau[ij + d * v + d];
      }
    }
}

/**
 * t2new += the ladder from S = Σ V⁺ τ⁺ (symmetric in ab) and A = Σ V⁻ τ⁻ (antisymmetric):
 * ladder_ab = S_ab + A_ab and ladder_ba = S_ab − A_ab, for ij and (by the pair symmetry) ji.
 * S and A are stored by virtual pair, occupied pair innermost: ladderPlus[ab·nPairs + ij].
 */
function addLadder(ladderPlus: Float64Array, ladderMinus: Float64Array, t2n: Float64Array, o: number, v: number): void {
  const vv = v * v;
  const nPairs = (o * (o + 1)) / 2;
  let pair = 0;
  for (let i = 0; i < o; i++)
    for (let j = i; j < o; j++, pair++) {
      const ij = (i * o + j) * vv;
      const ji = (j * o + i) * vv;
      for (let b = 0; b < v; b++) {
        const pb = ((b * (b + 1)) / 2) * nPairs + pair;
        const mb = ((b * (b - 1)) / 2) * nPairs + pair;
        for (let a = 0; a < b; a++) {
          const sym = ladderPlus[pb + a * nPairs];
          const anti = ladderMinus[mb + a * nPairs];
          t2n[ij + a * v + b] += sym + anti;
          t2n[ij + b * v + a] += sym - anti;
          if (i !== j) {
            t2n[ji + b * v + a] += sym + anti;
            t2n[ji + a * v + b] += sym - anti;
          }
        }
        const diag = ladderPlus[pb + b * nPairs];
        t2n[ij + b * v + b] += diag;
        if (i !== j) t2n[ji + b * v + b] += diag;
      }
    }
}

/** t2new[i,j,a,b] += R[i,j,a,b] + R[j,i,b,a], in 16×16 tiles. */
function addSymmetrised(r: Float64Array, t2n: Float64Array, o: number, v: number): void {
  const vv = v * v;
  for (let i = 0; i < o; i++)
    for (let j = 0; j < o; j++) {
      const ij = (i * o + j) * vv;
      const ji = (j * o + i) * vv;
      for (let a0 = 0; a0 < v; a0 += 16) {
        const a1 = Math.min(v, a0 + 16);
        for (let b0 = 0; b0 < v; b0 += 16) {
          const b1 = Math.min(v, b0 + 16);
          for (let a = a0; a < a1; a++)
            for (let b = b0; b < b1; b++) t2n[ij + a * v + b] = t2n[ij + a * v + b] + r[ij + a * v + b] + r[ji + b * v + a];
        }
      }
    }
}

/** Ladder work o²v⁴ from which a process's first CCSD warms its loops up first ({@link warmUpLoops}). */
const WARM_UP_WORK = 1e8;
let loopsWarm = false;

/**
 * Run the iteration's loop functions three times on small made-up arrays (o = 3, v = 16) before a
 * process's first large CCSD, so that V8 compiles them for calls: a function first run on a large
 * problem is compiled only for the loop it is in, and its next calls start uncompiled again.
 */
function warmUpLoops(): void {
  loopsWarm = true;
  const o = 3;
  const v = 16;
  const ov = o * v;
  const t1 = new Float64Array(ov).fill(0.01);
  const t2 = new Float64Array(ov * ov).fill(0.001);
  const a = new Float64Array(ov * ov);
  const b = new Float64Array(ov * ov);
  const vvv = new Float64Array(ov * v * v).fill(0.1);
  const lv = new Float64Array(v * v);
  const pairs = (o * (o + 1)) / 2;
  const plus = new Float64Array((pairs * v * (v + 1)) / 2);
  const minus = new Float64Array((pairs * v * (v - 1)) / 2);
  const z = new Float64Array(v * o * o * o);
  const d1 = new Float64Array(ov).fill(-1);
  const d2 = new Float64Array(ov * ov).fill(-2);
  const amplitudes = new Float64Array(ov + ov * ov).fill(0.001);
  const updated = new Float64Array(amplitudes.length);
  const change = new Float64Array(amplitudes.length);
  const diis = new Diis(3);
  for (let pass = 0; pass < 3; pass++) {
    updated.fill(0.002);
    jacobiStep(amplitudes, updated, d1, d2, change, diis);
    correlationEnergy(t2, t1, t2, t1, o, v);
    buildTau(t1, t2, a, b, o, v);
    addVvvT1(vvv, vvv, t1, lv, o, v);
    ringAmplitudes(t2, b, a, o, v);
    ringIntermediate(a, b, t2.slice(), o, v);
    addZTrace(z, t1.slice(), o, v);
    packTauPairs(a, plus, minus, o, v);
    addLadder(plus, minus, b, o, v);
    addSymmetrised(a, b, o, v);
  }
}

/**
 * Solve the CCSD equations and keep the integral blocks for a triples correction. The input is a
 * Hamiltonian in an RHF MO basis or an RHF result (its blocks are then transformed from the AO
 * integrals, cc-transform.ts). `check` sees the reference before any integral block is built.
 * @throws InputError for an open-shell Hamiltonian or bad options.
 * @throws ConvergenceError when the amplitudes diverge or do not converge in maxIterations.
 */
export function solveCcsd(
  input: MolecularHamiltonian | ScfResult,
  options: CcsdOptions = {},
  method = 'CCSD',
  check?: (reference: ClosedShellReference) => void,
): CcsdSolution {
  const maxIterations = options.maxIterations ?? 100;
  const energyTolerance = options.energyTolerance ?? 1e-10;
  const residualTolerance = options.residualTolerance ?? 1e-9;
  const useDiis = options.diis ?? true;
  const diisSubspace = options.diisSubspace ?? 8;
  const diisStart = options.diisStart ?? 2;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new InputError(`maxIterations must be a positive integer, got ${maxIterations}`);
  if (!Number.isInteger(diisSubspace) || diisSubspace < 2) throw new InputError(`diisSubspace must be an integer ≥ 2, got ${diisSubspace}`);

  const frozen = options.frozenOrbitals ?? 0;
  const ref = isScfResult(input) ? closedShellReferenceFromScf(input, frozen, method) : closedShellReference(input, frozen, method);
  check?.(ref);
  const o = ref.nActiveOccupied;
  const v = ref.nVirtual;
  if (!loopsWarm && o * o * v ** 4 > WARM_UP_WORK) warmUpLoops();
  const n = ref.nOrbitals;
  const O = ref.nFrozen;
  const V = ref.nOccupied;
  let blocks: ClosedShellBlocks;
  if (isScfResult(input)) {
    const memory = options.transformMemoryBytes ?? defaultTransformMemoryBytes();
    if (!(memory > 0)) throw new InputError(`transformMemoryBytes must be positive, got ${memory}`);
    blocks = closedShellBlocksFromAo(input.eri, input.coefficientsAlpha, input.nOrbitals, O, o, v, memory);
  } else {
    blocks = closedShellBlocks(input, ref);
  }

  // Fock blocks over correlated orbitals.
  const foo = zerosTensor(o, o);
  const fvv = zerosTensor(v, v);
  const fov = zerosTensor(o, v);
  for (let i = 0; i < o; i++) for (let j = 0; j < o; j++) foo.data[i * o + j] = ref.fock[(i + O) * n + j + O];
  for (let a = 0; a < v; a++) for (let b = 0; b < v; b++) fvv.data[a * v + b] = ref.fock[(a + V) * n + b + V];
  for (let i = 0; i < o; i++) for (let a = 0; a < v; a++) fov.data[i * v + a] = ref.fock[(i + O) * n + a + V];
  const eo = ref.occupiedEnergies;
  const ev = ref.virtualEnergies;
  requireNonzeroDenominators(method, sameOrbitalsExcitations(eo, ev, O, V, 2));

  const ovov: DenseTensor = { data: blocks.ovov, dims: [o, v, o, v] };
  const oovv: DenseTensor = { data: blocks.oovv, dims: [o, o, v, v] };
  const ovoo: DenseTensor = { data: blocks.ovoo, dims: [o, v, o, o] };
  const ovvv: DenseTensor = { data: blocks.ovvv, dims: [o, v, v, v] };
  const oooo: DenseTensor = { data: blocks.oooo, dims: [o, o, o, o] };

  const cx = new Contractor(CONTRACTION_PARALLEL_WORK);
  // L[k,c,l,d] = 2(kc|ld) − (kd|lc)
  const lovov = zerosTensor(o, v, o, v);
  cx.transpose('kcld->kcld', 2, ovov, 0, lovov);
  cx.transpose('kdlc->kcld', -1, ovov, 1, lovov);
  // Constant integrals in the layouts the iterations contract them in, so no iteration permutes them:
  //   kxovov[k,c,l,d] = (lc|kd),  coulombVvv[a,k,c,d] = (kc|ad),  exchangeVvv[a,k,c,d] = (kd|ac),
  //   iabcConst[i,a,b,c] = (ia|cb).
  const kxovov = zerosTensor(o, v, o, v);
  cx.transpose('lckd->kcld', 1, ovov, 0, kxovov);
  const coulombVvv = zerosTensor(v, o, v, v);
  cx.transpose('kcad->akcd', 1, ovvv, 0, coulombVvv);
  const exchangeVvv = zerosTensor(v, o, v, v);
  cx.transpose('kdac->akcd', 1, ovvv, 0, exchangeVvv);
  const iabcConst = zerosTensor(o, v, v, v);
  cx.transpose('iacb->iabc', 1, ovvv, 0, iabcConst);
  const ovv = o * v * v;
  const { xView, rView } = t1t1Offsets(o, v);
  // The integral parts the ring intermediates and the doubles residual start from each iteration:
  //   wvoovConst[a,k,i,c] = (kc|ia),  wvovoConst[a,k,c,i] = (ki|ac),  ovovIjab[i,j,a,b] = (ia|jb).
  const wvoovConst = zerosTensor(v, o, o, v);
  cx.transpose('kcia->akic', 1, ovov, 0, wvoovConst);
  const wvovoConst = zerosTensor(v, o, v, o);
  cx.transpose('kiac->akci', 1, oovv, 0, wvovoConst);
  const ovovIjab = zerosTensor(o, o, v, v);
  cx.transpose('iajb->ijab', 1, ovov, 0, ovovIjab);

  const nT1 = o * v;
  const nT2 = o * o * v * v;
  // Operands of the threaded GEMM live on SharedArrayBuffers (used in place, not copied).
  const amplitudes = sharedFloat64Array(nT1 + nT2);
  const updated = sharedFloat64Array(nT1 + nT2);
  const change = new Float64Array(nT1 + nT2);
  const t1: DenseTensor = { data: amplitudes.subarray(0, nT1), dims: [o, v] };
  const t2: DenseTensor = { data: amplitudes.subarray(nT1), dims: [o, o, v, v] };
  const t1new: DenseTensor = { data: updated.subarray(0, nT1), dims: [o, v] };
  const t2new: DenseTensor = { data: updated.subarray(nT1), dims: [o, o, v, v] };

  // Denominators D_ia and D_ijab from the diagonal Fock elements, and the first-order guess.
  const d1 = new Float64Array(nT1);
  const d2 = new Float64Array(nT2);
  firstOrderAmplitudes(eo, ev, fov.data, blocks.ovov, o, v, d1, d2, t1.data, t2.data);
  // E_MP2 = Σ L[i,a,j,b] t2[i,j,a,b] with the first-order doubles only.
  const mp2Energy = correlationEnergy(lovov.data, zerosTensor(o, v).data, t2.data, fov.data, o, v);

  // Intermediates, allocated once.
  const tau = zerosTensor(o, o, v, v);
  const tauHalf = zerosTensor(o, o, v, v); // ½ t2[i,l,d,a] + t1[i,d] t1[l,a]
  const Foo = zerosTensor(o, o);
  const Fvv = zerosTensor(v, v);
  const Fov = zerosTensor(o, v);
  const Loo = zerosTensor(o, o);
  const Lvv = zerosTensor(v, v);
  const Yki = zerosTensor(o, o);
  const Gov = zerosTensor(o, v);
  const Woooo = zerosTensor(o, o, o, o);
  const Wvoov = zerosTensor(v, o, o, v);
  const Wvovo = zerosTensor(v, o, v, o);
  const ringT = zerosTensor(o, o, v, v); // [i,l,d,a]
  const ringW = zerosTensor(v, o, o, v); // [a,k,i,c]
  const Z = zerosTensor(v, o, o, o); // [a,k,i,j]
  const Xiabc = zerosTensor(o, v, v, v);
  const Xakij = zerosTensor(v, o, o, o);
  const R = zerosTensor(o, o, v, v);
  const nPairs = (o * (o + 1)) / 2;
  const nPlus = (v * (v + 1)) / 2;
  const nMinus = (v * (v - 1)) / 2;
  const tauPlus = sharedFloat64Array(nPairs * nPlus);
  const tauMinus = sharedFloat64Array(nPairs * nMinus);
  const ladderPlus = sharedFloat64Array(nPairs * nPlus);
  const ladderMinus = sharedFloat64Array(nPairs * nMinus);
  const diis = useDiis ? new Diis(diisSubspace) : undefined;

  let energy = correlationEnergy(lovov.data, t1.data, t2.data, fov.data, o, v);
  let lastChange = Number.NaN;
  let residualNorm = Number.NaN;
  let firstResidual = Number.NaN;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    // τ and the half-τ used by the ring intermediates.
    buildTau(t1.data, t2.data, tau.data, tauHalf.data, o, v);

    // One-particle intermediates.
    Foo.data.set(foo.data);
    cx.contract('kcld,ilcd->ki', 1, lovov, tau, 1, Foo);
    Fvv.data.set(fvv.data);
    cx.contract('kcld,klad->ac', -1, lovov, tau, 1, Fvv);
    Fov.data.set(fov.data);
    cx.contract('kcld,ld->kc', 1, lovov, t1, 1, Fov);

    // ---- T1 equation (Foo, Fvv with their diagonals moved to the denominator).
    for (let i = 0; i < o; i++) Foo.data[i * o + i] -= eo[i];
    for (let a = 0; a < v; a++) Fvv.data[a * v + a] -= ev[a];
    t1new.data.set(fov.data);
    cx.contract('ac,ic->ia', 1, Fvv, t1, 1, t1new);
    cx.contract('ki,ka->ia', -1, Foo, t1, 1, t1new);
    cx.contract('kc,kica->ia', 2, Fov, t2, 1, t1new);
    cx.contract('kc,ikca->ia', -1, Fov, t2, 1, t1new);
    // −2 f_kc t_ka t_ic + F_kc t_ic t_ka = Σ_k t_ka Σ_c (F_kc − 2 f_kc) t_ic
    for (let x = 0; x < nT1; x++) Gov.data[x] = Fov.data[x] - 2 * fov.data[x];
    cx.contract('kc,ic->ki', 1, Gov, t1, 0, Yki);
    cx.contract('ki,ka->ia', 1, Yki, t1, 1, t1new);
    cx.contract('kcia,kc->ia', 2, ovov, t1, 1, t1new);
    cx.contract('kiac,kc->ia', -1, oovv, t1, 1, t1new);
    // 2 Σ_kcd (kd|ac) τ_ikcd = 2 Σ_k Z[a,k,i,k] is added once Z is built (T2 section).
    cx.contract('akcd,ikcd->ia', -1, coulombVvv, tau, 1, t1new);
    cx.contract('lcki,klac->ia', -2, ovoo, tau, 1, t1new);
    cx.contract('kcli,klac->ia', 1, ovoo, tau, 1, t1new);

    // ---- T2 equation. R collects the terms that are symmetrised as R[ijab] + R[jiba].
    // (1) P Σ_c X[i,a,b,c] t_jc with X[i,a,b,c] = (ia|cb) − Σ_k (ki|bc) t_ka, as two strided GEMMs
    // over all i (threaded), reading (ki|bc) from oovv and writing R in place, so the o·v³
    // intermediate is never permuted.
    Xiabc.data.set(iabcConst.data);
    gemmView(v, ovv, o, -1, t1.data, oovv.data, Xiabc.data, xView, undefined, CONTRACTION_PARALLEL_WORK);
    R.data.fill(0);
    gemmView(ovv, o, v, 1, Xiabc.data, t1.data, R.data, rView, undefined, CONTRACTION_PARALLEL_WORK);
    // (2) −P Σ_k [(ia|jk) + Σ_c (kc|ia) t_jc] t_kb
    cx.transpose('iajk->akij', 1, ovoo, 0, Xakij);
    cx.contract('kcia,jc->akij', 1, ovov, t1, 1, Xakij);
    cx.contract('akij,kb->ijab', -1, Xakij, t1, 1, R);
    // Loo, Lvv
    Loo.data.set(Foo.data);
    cx.contract('kc,ic->ki', 1, fov, t1, 1, Loo);
    cx.contract('lcki,lc->ki', 2, ovoo, t1, 1, Loo);
    cx.contract('kcli,lc->ki', -1, ovoo, t1, 1, Loo);
    Lvv.data.set(Fvv.data);
    cx.contract('kc,ka->ac', -1, fov, t1, 1, Lvv);
    addVvvT1(exchangeVvv.data, coulombVvv.data, t1.data, Lvv.data, o, v);
    cx.contract('ac,ijcb->ijab', 1, Lvv, t2, 1, R);
    cx.contract('ki,kjab->ijab', -1, Loo, t2, 1, R);
    // Ring intermediates.
    Wvoov.data.set(wvoovConst.data);
    cx.contract('akcd,id->akic', 1, coulombVvv, t1, 1, Wvoov);
    cx.contract('kcli,la->akic', -1, ovoo, t1, 1, Wvoov);
    // −Σ_ld (ld|kc)(½t_ilda + t_id t_la) + Σ_ld (ld|kc) t_ilad share one contraction.
    ringAmplitudes(t2.data, tauHalf.data, ringT.data, o, v);
    cx.contract('ldkc,ilda->akic', 1, ovov, ringT, 1, Wvoov);
    cx.contract('kcld,ilad->akic', -0.5, kxovov, t2, 1, Wvoov);
    Wvovo.data.set(wvovoConst.data);
    cx.contract('akcd,id->akci', 1, exchangeVvv, t1, 1, Wvovo);
    cx.contract('lcki,la->akci', -1, ovoo, t1, 1, Wvovo);
    cx.contract('kcld,ilda->akci', -1, kxovov, tauHalf, 1, Wvovo);
    // 2 W_akic − W_akci contract with the same t_kjcb.
    ringIntermediate(Wvoov.data, Wvovo.data, ringW.data, o, v);
    cx.contract('akic,kjcb->ijab', 1, ringW, t2, 1, R);
    cx.contract('akic,kjbc->ijab', -1, Wvoov, t2, 1, R);
    cx.contract('bkci,kjac->ijab', -1, Wvovo, t2, 1, R);
    // Particle–particle ladder, t1 parts: −Σ_k t_kb Z[a,k,i,j], Z[a,k,i,j] = Σ_cd (kd|ac) τ_ijcd.
    cx.contract('akcd,ijcd->akij', 1, exchangeVvv, tau, 0, Z);
    // T1: t1new[i,a] += 2 Σ_k Z[a,k,i,k] (the exchange-vvv term of the T1 equation).
    addZTrace(Z.data, t1new.data, o, v);
    cx.contract('akij,kb->ijab', -1, Z, t1, 1, R);
    // Symmetric terms: (ia|jb) + Σ_kl W_klij τ_klab + Σ_cd (ac|bd) τ_ijcd, then R + P(R).
    t2new.data.set(ovovIjab.data);
    cx.transpose('ikjl->klij', 1, oooo, 0, Woooo);
    cx.contract('lcki,jc->klij', 1, ovoo, t1, 1, Woooo);
    cx.contract('kclj,ic->klij', 1, ovoo, t1, 1, Woooo);
    cx.contract('kcld,ijcd->klij', 1, ovov, tau, 1, Woooo);
    cx.contract('klij,klab->ijab', 1, Woooo, tau, 1, t2new);
    // Ladder Σ_cd (ac|bd) τ_ijcd for i ≤ j (the (j,i) block follows from the pair symmetry), split
    // into τ± = ½(τ_ij^cd ± τ_ij^dc) over c ≤ d: S_ab = Σ V⁺ τ⁺ is symmetric and A_ab = Σ V⁻ τ⁻
    // antisymmetric in ab, so ladder_ab = S_ab + A_ab and ladder_ba = S_ab − A_ab (half the work).
    // The products run as V·τᵀ: with the virtual pairs as rows they split over the threads even
    // when there are few occupied pairs (15 for H₂O), and V is packed once, not once per thread.
    packTauPairs(tau.data, tauPlus, tauMinus, o, v);
    gemm(false, true, nPlus, nPairs, nPlus, 1, blocks.vvvvPlus, tauPlus, 0, ladderPlus, CONTRACTION_PARALLEL_WORK);
    gemm(false, true, nMinus, nPairs, nMinus, 1, blocks.vvvvMinus, tauMinus, 0, ladderMinus, CONTRACTION_PARALLEL_WORK);
    addLadder(ladderPlus, ladderMinus, t2new.data, o, v);
    // t2new += R[i,j,a,b] + R[j,i,b,a], in one pass.
    addSymmetrised(R.data, t2new.data, o, v);

    residualNorm = jacobiStep(amplitudes, updated, d1, d2, change, iteration >= diisStart ? diis : undefined);
    if (iteration === 1) firstResidual = residualNorm;
    const newEnergy = correlationEnergy(lovov.data, t1.data, t2.data, fov.data, o, v);
    lastChange = newEnergy - energy;
    energy = newEnergy;
    options.onIteration?.(iteration, energy, residualNorm);
    checkDivergence(method, iteration, residualNorm, firstResidual, energy, lastChange, ref.referenceEnergyHartree);
    if (Math.abs(lastChange) < energyTolerance && residualNorm < residualTolerance) {
      const result: CcsdResult = {
        method: 'ccsd',
        energyHartree: ref.referenceEnergyHartree + energy,
        correlationEnergyHartree: energy,
        referenceEnergyHartree: ref.referenceEnergyHartree,
        mp2CorrelationEnergyHartree: mp2Energy,
        iterations: iteration,
        residualNorm,
        ...amplitudeDiagnostics(t1.data, t2.data, o, v),
        nFrozen: O,
        amplitudes: { nOccupied: o, nVirtual: v, t1: t1.data.slice(), t2: t2.data.slice() },
      };
      return { result, reference: ref, blocks };
    }
  }
  throw notConvergedError(method, maxIterations, lastChange, residualNorm, energyTolerance, residualTolerance, ref.referenceEnergyHartree + energy);
}

/**
 * Closed-shell CCSD energy on a Hamiltonian in an RHF MO basis (occupied = the lowest nAlpha
 * orbitals) or on an RHF result (only the blocks CCSD needs are transformed, cc-transform.ts). A
 * frozen core works through a frozen-core Hamiltonian
 * (molecularHamiltonianFromScf(scf, { frozenCore: true })) or `frozenOrbitals`.
 * @throws InputError for an open-shell Hamiltonian or bad options.
 * @throws ConvergenceError on divergence or when maxIterations is reached.
 */
export function runCcsd(input: MolecularHamiltonian | ScfResult, options: CcsdOptions = {}): CcsdResult {
  return solveCcsd(input, options, 'CCSD').result;
}
