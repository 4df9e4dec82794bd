/**
 * σ driver of full CI: the operator shared by all symmetry sectors (string spaces, thresholded
 * integrals, same-spin matrices, diagonal, orbital grading) and σ = (H − constant) C on the blocked
 * vector of one sector, built from the kernels of fci-kernels.ts.
 *
 * Layout (fci-symmetry.ts): the sector vector is the concatenation over α irreps a of the row-major
 * blocks [α strings of irrep a × β strings of irrep a ⊕ target]. With a spin-flip parity t = ±1
 * (nAlpha = nBeta) the vector satisfies C[Iα, Iβ] = t C[Iβ, Iα], so only half of the opposite-spin
 * part is formed (the local lower triangle of the square blocks of target 0, or the blocks with
 * a < a ⊕ target otherwise) and σ^ββ is the flipped σ^αα.
 */
import { InputError } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
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
import type { SigmaPool } from './fci-parallel.js';
import { alignDegeneratePairs, type PairRotation } from './fci-orbital-alignment.js';
import { buildStringSpace, type StringSpace } from './fci-strings.js';
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

/** Everything about the Hamiltonian and the full string spaces, shared by all symmetry sectors. */
export interface FciOperator {
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
  /**
   * Rotations of degenerate orbital pairs applied before the CI (fci-orbital-alignment.ts): the
   * grading, integrals and sector vectors refer to the rotated orbitals; empty when none.
   */
  rotations: PairRotation[];
}

/** H restricted to one symmetry sector, on vectors in the blocked layout. */
export interface SectorOperator {
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

/** Orbital and electron counts of `ham` (checked before anything is sized from them). */
export function validateCounts(ham: MolecularHamiltonian): void {
  const n = ham.nOrbitals;
  if (!Number.isInteger(n) || n < 1) throw new InputError(`FCI: nOrbitals must be a positive integer, got ${n}`);
  for (const [name, v] of [
    ['nAlpha', ham.nAlpha],
    ['nBeta', ham.nBeta],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > n) throw new InputError(`FCI: ${name} = ${v} is not in 0..${n}`);
  }
}

/** Counts and integral array sizes of `ham`. */
export function validateHamiltonian(ham: MolecularHamiltonian): void {
  validateCounts(ham);
  const n = ham.nOrbitals;
  if (ham.oneBody.length !== n * n) throw new InputError(`FCI: oneBody has ${ham.oneBody.length} entries, expected ${n * n}`);
  if (ham.twoBody.length !== n * n * n * n) {
    throw new InputError(`FCI: twoBody has ${ham.twoBody.length} entries, expected ${n ** 4}`);
  }
}

/**
 * The grading to block with: none, ORBSYM (when it has more than one irrep) or detected; integrals
 * with |value| ≤ threshold count as zero.
 */
export function chooseGrading(
  ham: MolecularHamiltonian,
  h: Float64Array,
  g: Float64Array,
  useSymmetry: boolean,
  threshold = 0,
): OrbitalGrading {
  const n = ham.nOrbitals;
  if (!useSymmetry) return { labels: new Int32Array(n), irreps: 1, source: 'none' };
  if (ham.orbitalSymmetries) {
    const fromOrbsym = gradingFromOrbsym(ham.orbitalSymmetries, h, g, n, threshold);
    if (fromOrbsym.irreps > 1) return fromOrbsym;
  }
  return detectOrbitalGrading(h, g, n, threshold);
}

/**
 * Integrals below this (Hartree) may break the grading of rotated degenerate pairs: the rotation
 * angle is only as exact as the orbitals' degeneracy, so symmetry-forbidden integrals come out at
 * ~1e-13–1e-11 instead of ~1e-16. Integrals that break the grading couple different sectors only, so
 * zeroing them moves energies at second order (~1e-20 Hartree).
 */
const ROTATED_THRESHOLD = 1e-10;

/** Grading, integrals over the orbitals it refers to, and the rotations that made them. */
export interface AdaptedIntegrals {
  grading: OrbitalGrading;
  h: Float64Array;
  g: Float64Array;
  rotations: PairRotation[];
}

/** A copy of `values` with entries of magnitude below `threshold` set to zero (a plain loop: TypedArray.from with a map function iterates through boxed values). */
function withoutTinyValues(values: Float64Array, threshold: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = Math.abs(v) < threshold ? 0 : v;
  }
  return out;
}

/**
 * {@link chooseGrading}, then — when the grading was detected (no ORBSYM) — degenerate orbital pairs
 * rotated to symmetry-adapted combinations (fci-orbital-alignment.ts); the rotation is kept only
 * when it enlarges the grading, and integrals that break the new grading are set to zero.
 */
export function adaptedGrading(
  ham: MolecularHamiltonian,
  h: Float64Array,
  g: Float64Array,
  useSymmetry: boolean,
  threshold = 0,
): AdaptedIntegrals {
  const grading = chooseGrading(ham, h, g, useSymmetry, threshold);
  const plain = { grading, h, g, rotations: [] };
  if (!useSymmetry || grading.source === 'orbsym') return plain;
  const n = ham.nOrbitals;
  const aligned = alignDegeneratePairs(h, g, n, ham.nAlpha, ham.nBeta);
  if (!aligned) return plain;
  const loose = Math.max(threshold, ROTATED_THRESHOLD);
  const candidate = detectOrbitalGrading(aligned.h, aligned.g, n, loose);
  if (candidate.irreps <= grading.irreps) return plain;
  const labels = candidate.labels;
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      const v = aligned.h[p * n + q];
      if (Math.abs(v) <= threshold || (labels[p] ^ labels[q]) !== 0) aligned.h[p * n + q] = 0;
    }
  }
  const n2 = n * n;
  const ag = aligned.g;
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      const lpq = labels[p] ^ labels[q];
      for (let r = 0; r < n; r++) {
        const base = (p * n + q) * n2 + r * n;
        const lpqr = lpq ^ labels[r];
        for (let s = 0; s < n; s++) {
          if ((lpqr ^ labels[s]) !== 0 || Math.abs(ag[base + s]) <= threshold) ag[base + s] = 0;
        }
      }
    }
  }
  return { grading: candidate, h: aligned.h, g: ag, rotations: aligned.rotations };
}

export function buildOperator(ham: MolecularHamiltonian, integralThreshold: number, useSymmetry: boolean): FciOperator {
  const n = ham.nOrbitals;
  // Integrals below the threshold (numerical noise where symmetry makes them vanish) become exact
  // zeros, which the kernels skip and the symmetry detection ignores.
  const g0 = withoutTinyValues(ham.twoBody, integralThreshold);
  const h0 = useSymmetry ? withoutTinyValues(ham.oneBody, integralThreshold) : ham.oneBody;
  const { grading, h, g, rotations } = adaptedGrading(ham, h0, g0, useSymmetry);
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
  return { n, alpha, beta, g, fAlpha, fBeta, diagonal, grading, alphaOrder, betaOrder, fAlphaBlocked, fBetaBlocked, coupling, betaPairs, rotations };
}

/** The operator of the sector with determinant label `target`. */
export function buildSectorOperator(op: FciOperator, target: number, parity: number): SectorOperator {
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
    // present from the start (solveSector sets it for Davidson): every sector operator has one shape
    pool: undefined,
  };
}

/**
 * Whether σ forms only half of the opposite-spin part: with a spin-flip parity the flip maps the
 * sector onto itself (the local lower triangles of the square blocks for target 0, block (a, a ⊕ target)
 * onto block (a ⊕ target, a) otherwise).
 */
function triangular(sop: SectorOperator): boolean {
  return sop.parity !== 0;
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
export function applyHamiltonian(sop: SectorOperator, c: Float64Array, out: Float64Array): void {
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
  // Formed entries: out[I, J] = σ^αβ[I, J] + σ^αα[I, J] + t σ^αα[J, I]; their flipped partners
  // out[J, I] = t out[I, J]. Blocked for cache.
  const B = 32;
  if (layout.target !== 0) {
    // Block (a, b = a ⊕ target) with a < b was formed; block (b, a) is its flipped transpose.
    for (let a = 0; a < layout.irreps; a++) {
      const b = a ^ layout.target;
      if (b < a || b >= layout.irreps) continue;
      const rows = layout.blockColumns[b];
      const cols = layout.blockColumns[a];
      if (rows === 0 || cols === 0) continue;
      const ab = layout.blockOffset[a];
      const ba = layout.blockOffset[b];
      for (let I0 = 0; I0 < rows; I0 += B) {
        const I1 = Math.min(rows, I0 + B);
        for (let J0 = 0; J0 < cols; J0 += B) {
          const J1 = Math.min(cols, J0 + B);
          for (let I = I0; I < I1; I++) {
            const rI = ab + I * cols;
            for (let J = J0; J < J1; J++) {
              const v = out[rI + J] + s[rI + J] + t * s[ba + J * rows + I];
              out[rI + J] = v;
              out[ba + J * rows + I] = t * v;
            }
          }
        }
      }
    }
    return;
  }
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
export function projectParity(c: Float64Array, flip: Int32Array, parity: number): void {
  for (let i = 0; i < c.length; i++) {
    const f = flip[i];
    if (f > i) {
      const v = 0.5 * (c[i] + parity * c[f]);
      c[i] = v;
      c[f] = parity * v;
    } else if (f === i && parity < 0) c[i] = 0;
  }
}
