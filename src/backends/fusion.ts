/**
 * Gate fusion for the state-vector backend: consecutive gates whose union of qubits has at most k
 * qubits (k ≤ 4) are multiplied into one dense 2^k × 2^k matrix (or a diagonal) and applied in one
 * pass over the register (fusion-kernels.ts), as qsim and Qiskit Aer do.
 *
 * Plan and matrices are separate. The plan (which gates go into which block, in which order) depends
 * only on the circuit's structure and is built once per circuit object (cached); block matrices are
 * recomputed only for blocks whose parameters changed since the last call.
 *
 * Grouping (order-preserving, commutation-free): gates are visited in circuit order. A gate may join
 * any block created at or after the latest block that touches one of its qubits (so every earlier
 * gate sharing a qubit is applied before it), if the union of qubits stays within k. Among those it
 * joins the block where it adds the least estimated cost, and only when that is less than its own
 * cost unfused; otherwise it starts a new block. A block of one gate is applied by that gate's own
 * kernel. Gates that cannot be fused (Pauli rotations on more than k qubits, malformed gates) are
 * barriers on their qubits.
 *
 * Costs are in units of one RY pass over the register, measured at 22 qubits on one core (V8, scalar
 * code, interleaved, load average about 10): the dense kernels are compute-bound, not
 * bandwidth-bound, in JavaScript, so a real 4×4 block costs about two one-qubit gates, a complex one
 * more than three, and 8×8 or 16×16 blocks pay off only for long runs of gates. The cost table decides; blocks are never more expensive than their gates unfused.
 *
 * Inverse application (for the adjoint method's backward pass) uses the conjugate transpose of each
 * fused matrix, computed when bound.
 */
import { InputError } from '../core/index.js';
import type { Circuit, Gate } from '../circuits/index.js';
import { applyGate, applyGateInverse } from './apply.js';
import { StateVector } from './statevector.js';
import {
  kernelDiagonal,
  kernelMatrix1,
  kernelMatrix2,
  kernelMatrix3,
  kernelMatrix4,
  kernelRealMatrix1,
  kernelRealMatrix2,
  kernelRealMatrix3,
} from './fusion-kernels.js';

/** Options of gate fusion. */
export interface FusionOptions {
  /** Largest number of qubits of one fused block, 1–4 (default {@link DEFAULT_FUSION_MAX_QUBITS}). */
  maxQubits?: number;
}

/** Default block size limit: 3 qubits, though the cost table seldom lets a dense block grow past 2. */
export const DEFAULT_FUSION_MAX_QUBITS = 3;

/**
 * Registers below this size are applied gate by gate unless fusion is forced: planning and binding
 * cost more than they save on small states, where a whole pass is a few microseconds.
 */
export const FUSION_MIN_QUBITS = 12;

/**
 * Estimated cost of one pass, in RY passes (22 qubits, one core, best of 5; bench/statevector.bench.ts
 * has the fused rows). Index by kernel.
 */
const COST = {
  oneQubit: 1,
  permutation2: 0.55,
  pauliRotation: 1.3,
  native2: 1.6,
  dense1: 1.4,
  realDense1: 0.9,
  realDense2: 1.6,
  /** Extra cost of a 4×4 block on qubit 0 (one base per iteration instead of two). */
  qubitZeroDense2: 0.4,
  dense2: 2.6,
  realDense3: 5.5,
  dense3: 11,
  dense4: 30,
  diagonal: 1,
  /** A diagonal whose lowest qubit is 0 or 1 (a table lookup per amplitude). */
  diagonalLow: 3,
} as const;

/** A fused block: its qubits, gates, and the current matrix. */
export interface FusedBlock {
  /** Qubits acted on, ascending; local qubit j of the matrix is qubits[j]. */
  readonly qubits: Int32Array;
  /** Indices of the block's gates in the circuit, in order. */
  readonly gates: readonly number[];
  /** The gates with qubits renumbered to local indices 0…k−1. */
  readonly localGates: readonly Gate[];
  /** Parameter indices the matrix depends on. */
  readonly parameters: readonly number[];
  /** True when every gate is diagonal (the matrix is stored as its 2^k diagonal). */
  readonly diagonal: boolean;
  /** True when every gate has a real matrix (known from the gate kinds). */
  readonly real: boolean;
  /** Matrix U = U_last ⋯ U_first (row-major, local indices), or its diagonal. */
  readonly matRe: Float64Array;
  readonly matIm: Float64Array;
  /** U† (same layout). */
  readonly invRe: Float64Array;
  readonly invIm: Float64Array;
}

/** One step of a plan: a gate applied by its own kernel, or a fused block. */
export type FusionStep = { readonly gate: number; readonly block?: undefined } | { readonly gate?: undefined; readonly block: FusedBlock };

/** The fusion plan of one circuit structure. */
export interface FusionPlan {
  readonly nQubits: number;
  readonly maxQubits: number;
  /** Steps in application order. */
  readonly steps: readonly FusionStep[];
  /** Estimated cost in RY passes, unfused and fused (the cost table above). */
  readonly unfusedCost: number;
  readonly fusedCost: number;
}

interface PlanState extends FusionPlan {
  /** Parameter values the block matrices were last built with (NaN: not built). */
  bound: Float64Array;
  boundOnce: boolean;
}

const ONE_QUBIT_REAL = new Set<Gate['kind']>(['h', 'x', 'z', 'ry']);
const ONE_QUBIT_DIAGONAL = new Set<Gate['kind']>(['z', 's', 'sdg', 't', 'tdg', 'rz']);
const ONE_QUBIT = new Set<Gate['kind']>(['h', 'x', 'y', 'z', 's', 'sdg', 't', 'tdg', 'rx', 'ry', 'rz', 'gpi', 'gpi2']);
const TWO_QUBIT = new Set<Gate['kind']>(['cnot', 'cz', 'swap', 'ms', 'zz']);

function popcount(v: number): number {
  let c = 0;
  for (let x = v >>> 0; x !== 0; x &= x - 1) c++;
  return c;
}

/** What the planner knows of one gate: its qubit mask, cost unfused, realness and diagonality; null when not fusable. */
interface GateInfo {
  mask: number;
  /** False for a valid gate on more than maxQubits qubits: it blocks only its own qubits. */
  fusable: boolean;
  cost: number;
  real: boolean;
  diagonal: boolean;
}

function gateInfo(gate: Gate, n: number, maxQubits: number): GateInfo | null {
  const inRange = (q: number | undefined): q is number => q !== undefined && Number.isInteger(q) && q >= 0 && q < n;
  if (ONE_QUBIT.has(gate.kind)) {
    if (gate.control !== undefined || !inRange(gate.qubits[0])) return null;
    return { mask: 1 << gate.qubits[0], fusable: true, cost: COST.oneQubit, real: ONE_QUBIT_REAL.has(gate.kind), diagonal: ONE_QUBIT_DIAGONAL.has(gate.kind) };
  }
  if (TWO_QUBIT.has(gate.kind)) {
    const [a, b] = gate.qubits;
    if (gate.control !== undefined || !inRange(a) || !inRange(b) || a === b) return null;
    const native = gate.kind === 'ms' || gate.kind === 'zz';
    return {
      mask: (1 << a) | (1 << b),
      fusable: maxQubits >= 2,
      cost: native ? COST.native2 : COST.permutation2,
      real: gate.kind === 'cnot' || gate.kind === 'cz' || gate.kind === 'swap',
      diagonal: gate.kind === 'cz' || gate.kind === 'zz',
    };
  }
  if (gate.kind === 'pauliRotation') {
    const x = gate.pauliX ?? 0;
    const z = gate.pauliZ ?? 0;
    const limit = 2 ** n;
    if (!Number.isInteger(x) || !Number.isInteger(z) || x < 0 || z < 0 || x >= limit || z >= limit) return null;
    let mask = x | z;
    if (gate.control !== undefined) {
      if (!inRange(gate.control) || (mask & (1 << gate.control)) !== 0) return null;
      mask |= 1 << gate.control;
    }
    if (mask === 0) return null;
    // exp(−iθP/2) = cos − i sin i^nY X^x Z^z is real when nY = |x ∧ z| is odd.
    return { mask, fusable: popcount(mask) <= maxQubits, cost: COST.pauliRotation, real: (popcount(x & z) & 1) === 1, diagonal: x === 0 };
  }
  return null;
}

/** Cost of one pass of a block on the qubits of `mask` (k of them) and of the given kind. */
function blockCost(mask: number, k: number, real: boolean, diagonal: boolean): number {
  if (diagonal) return (mask & 3) !== 0 ? COST.diagonalLow : COST.diagonal;
  if (k === 1) return real ? COST.realDense1 : COST.dense1;
  if (k === 2) return (real ? COST.realDense2 : COST.dense2) + ((mask & 1) !== 0 ? COST.qubitZeroDense2 : 0);
  if (k === 3) return real ? COST.realDense3 : COST.dense3;
  return COST.dense4;
}

interface DraftBlock {
  mask: number;
  gates: number[];
  real: boolean;
  diagonal: boolean;
  /** Cost of the block as it stands (its gate's own cost while it has one gate). */
  cost: number;
  /** Unfused cost of its gates. */
  unfused: number;
  barrier: boolean;
}

/** How far back the planner looks for a block to join. */
const CANDIDATE_WINDOW = 24;

/** Builds the fusion plan of a circuit (no matrices yet; see {@link bindFusionPlan}). */
export function planFusion(circuit: Circuit, options: FusionOptions = {}): FusionPlan {
  const maxQubits = options.maxQubits ?? DEFAULT_FUSION_MAX_QUBITS;
  if (!Number.isInteger(maxQubits) || maxQubits < 1 || maxQubits > 4) {
    throw new InputError(`gate fusion: maxQubits must be an integer in [1, 4], got ${maxQubits}`);
  }
  const n = circuit.nQubits;
  const blocks: DraftBlock[] = [];
  // lastBlock[q]: index of the latest block touching qubit q (−1: none). A barrier on all qubits
  // (a gate whose qubits are unknown) raises `floor`.
  const lastBlock = new Int32Array(Math.max(n, 1)).fill(-1);
  let floor = 0;
  let unfusedCost = 0;
  const gates = circuit.gates;
  for (let g = 0; g < gates.length; g++) {
    const gate = gates[g];
    const info = gateInfo(gate, n, maxQubits);
    if (info === null || !info.fusable) {
      // Not fusable: a step of its own. A Pauli rotation on more than maxQubits qubits blocks only its
      // own qubits; a malformed gate (its application will throw) blocks all of them.
      const cost = info === null ? COST.pauliRotation : info.cost;
      blocks.push({ mask: 0, gates: [g], real: false, diagonal: false, cost, unfused: cost, barrier: true });
      unfusedCost += cost;
      const wide = info === null ? 0 : info.mask;
      if (wide === 0) floor = blocks.length;
      else for (let m = wide, q = 0; m !== 0; m >>>= 1, q++) if ((m & 1) !== 0) lastBlock[q] = blocks.length - 1;
      continue;
    }
    unfusedCost += info.cost;
    let latest = floor;
    for (let m = info.mask, q = 0; m !== 0; m >>>= 1, q++) {
      if ((m & 1) !== 0 && lastBlock[q] + 1 > latest) latest = lastBlock[q] + 1;
    }
    // Candidates: the latest block touching the gate's qubits (index latest − 1; the gate goes after
    // its gates) and every later block (none of them touches the gate's qubits).
    const first = Math.max(floor, latest - 1, blocks.length - CANDIDATE_WINDOW);
    let best = -1;
    let bestMarginal = info.cost;
    for (let b = blocks.length - 1; b >= first; b--) {
      const block = blocks[b];
      if (block.barrier) continue;
      const union = block.mask | info.mask;
      const k = popcount(union);
      if (k > maxQubits) continue;
      const marginal = blockCost(union, k, block.real && info.real, block.diagonal && info.diagonal) - block.cost;
      if (marginal < bestMarginal - 1e-9) {
        best = b;
        bestMarginal = marginal;
      }
    }
    let target: number;
    if (best >= 0) {
      const block = blocks[best];
      block.mask |= info.mask;
      block.gates.push(g);
      block.real &&= info.real;
      block.diagonal &&= info.diagonal;
      block.cost = blockCost(block.mask, popcount(block.mask), block.real, block.diagonal);
      block.unfused += info.cost;
      target = best;
    } else {
      blocks.push({ mask: info.mask, gates: [g], real: info.real, diagonal: info.diagonal, cost: info.cost, unfused: info.cost, barrier: false });
      target = blocks.length - 1;
    }
    for (let m = info.mask, q = 0; m !== 0; m >>>= 1, q++) if ((m & 1) !== 0) lastBlock[q] = target;
  }
  const steps: FusionStep[] = [];
  let fusedCost = 0;
  for (const b of blocks) {
    fusedCost += b.cost;
    if (b.gates.length === 1) {
      steps.push({ gate: b.gates[0] });
      continue;
    }
    steps.push({ block: makeBlock(circuit, b) });
  }
  const plan: PlanState = {
    nQubits: n,
    maxQubits,
    steps,
    unfusedCost,
    fusedCost,
    bound: new Float64Array(circuit.nParameters).fill(Number.NaN),
    boundOnce: false,
  };
  return plan;
}

function makeBlock(circuit: Circuit, draft: DraftBlock): FusedBlock {
  const qubits: number[] = [];
  for (let m = draft.mask, q = 0; m !== 0; m >>>= 1, q++) if ((m & 1) !== 0) qubits.push(q);
  const local = new Map<number, number>(qubits.map((q, j) => [q, j]));
  const remapMask = (mask: number | undefined): number | undefined => {
    if (mask === undefined) return undefined;
    let out = 0;
    for (let m = mask, q = 0; m !== 0; m >>>= 1, q++) if ((m & 1) !== 0) out |= 1 << (local.get(q) as number);
    return out;
  };
  const parameters = new Set<number>();
  const localGates = draft.gates.map((g) => {
    const gate = circuit.gates[g];
    if (gate.parameter >= 0) parameters.add(gate.parameter);
    const mapped: Gate = {
      ...gate,
      qubits: gate.qubits.map((q) => local.get(q) ?? 0),
      ...(gate.kind === 'pauliRotation' ? { pauliX: remapMask(gate.pauliX ?? 0), pauliZ: remapMask(gate.pauliZ ?? 0) } : {}),
      ...(gate.control !== undefined ? { control: local.get(gate.control) as number } : {}),
    };
    return mapped;
  });
  const k = qubits.length;
  const size = draft.diagonal ? 1 << k : 1 << (2 * k);
  return {
    qubits: Int32Array.from(qubits),
    gates: draft.gates,
    localGates,
    parameters: [...parameters].sort((a, b) => a - b),
    diagonal: draft.diagonal,
    real: draft.real,
    matRe: new Float64Array(size),
    matIm: new Float64Array(size),
    invRe: new Float64Array(size),
    invIm: new Float64Array(size),
  };
}

/** One scratch register per block size, for building matrices column by column. */
const scratch: StateVector[] = [];

function buildMatrix(block: FusedBlock, parameters: ArrayLike<number>): void {
  const k = block.qubits.length;
  const dim = 1 << k;
  const s = (scratch[k] ??= new StateVector(k));
  const { matRe, matIm, invRe, invIm } = block;
  for (let c = 0; c < dim; c++) {
    s.reset(c);
    for (const gate of block.localGates) applyGate(s, gate, parameters);
    if (block.diagonal) {
      matRe[c] = s.re[c];
      matIm[c] = s.im[c];
      invRe[c] = s.re[c];
      invIm[c] = -s.im[c];
    } else {
      for (let r = 0; r < dim; r++) {
        matRe[r * dim + c] = s.re[r];
        matIm[r * dim + c] = s.im[r];
        invRe[c * dim + r] = s.re[r];
        invIm[c * dim + r] = -s.im[r];
      }
    }
  }
}

/**
 * Rebuilds the matrices of the blocks whose parameters changed since the last call (all of them on
 * the first call). Parameters must have at least circuit.nParameters entries.
 */
export function bindFusionPlan(plan: FusionPlan, parameters: ArrayLike<number>): void {
  const p = plan as PlanState;
  const bound = p.bound;
  for (const step of p.steps) {
    const block = step.block;
    if (block === undefined) continue;
    let stale = !p.boundOnce;
    for (let j = 0; j < block.parameters.length && !stale; j++) {
      const i = block.parameters[j];
      stale = !(bound[i] === parameters[i]);
    }
    if (stale) buildMatrix(block, parameters);
  }
  const m = Math.min(bound.length, parameters.length);
  for (let i = 0; i < m; i++) bound[i] = parameters[i];
  p.boundOnce = true;
}

/** Applies one fused block (or its inverse) to the state. */
export function applyFusedBlock(state: StateVector, block: FusedBlock, inverse = false): void {
  const re = state.re;
  const im = state.im;
  const mRe = inverse ? block.invRe : block.matRe;
  const mIm = inverse ? block.invIm : block.matIm;
  const q = block.qubits;
  const k = q.length;
  if (block.diagonal) {
    kernelDiagonal(re, im, q, k, mRe, mIm);
    return;
  }
  const real = block.real || isZero(mIm);
  if (k === 1) {
    if (real) kernelRealMatrix1(re, im, q[0], mRe);
    else kernelMatrix1(re, im, q[0], mRe, mIm);
  }
  else if (k === 2) {
    if (real) kernelRealMatrix2(re, im, q[0], q[1], mRe);
    else kernelMatrix2(re, im, q[0], q[1], mRe, mIm);
  } else if (k === 3) {
    if (real) kernelRealMatrix3(re, im, q, mRe);
    else kernelMatrix3(re, im, q, mRe, mIm);
  } else kernelMatrix4(re, im, q, mRe, real ? null : mIm);
}

function isZero(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}

/** Plans cached per circuit object and block size limit. */
const planCache = new WeakMap<Circuit, Map<number, FusionPlan>>();

/** The cached plan of `circuit` (built on first use). */
export function fusionPlanFor(circuit: Circuit, options: FusionOptions = {}): FusionPlan {
  const maxQubits = options.maxQubits ?? DEFAULT_FUSION_MAX_QUBITS;
  let byK = planCache.get(circuit);
  if (byK === undefined) {
    byK = new Map();
    planCache.set(circuit, byK);
  }
  let plan = byK.get(maxQubits);
  if (plan === undefined) {
    plan = planFusion(circuit, { maxQubits });
    byK.set(maxQubits, plan);
  }
  return plan;
}

/**
 * Applies the circuit through its fusion plan: ψ ← U_last ⋯ U_1 ψ, the same state as gate by gate to
 * round-off. The caller has checked register size and parameter count.
 */
export function applyFusionPlan(state: StateVector, circuit: Circuit, plan: FusionPlan, parameters: ArrayLike<number>): void {
  bindFusionPlan(plan, parameters);
  const gates = circuit.gates;
  for (const step of plan.steps) {
    if (step.block !== undefined) applyFusedBlock(state, step.block);
    else applyGate(state, gates[step.gate], parameters);
  }
}

/** Applies the inverse circuit through its plan: ψ ← U_1† ⋯ U_last† ψ. */
export function applyFusionPlanInverse(state: StateVector, circuit: Circuit, plan: FusionPlan, parameters: ArrayLike<number>): void {
  bindFusionPlan(plan, parameters);
  const gates = circuit.gates;
  const steps = plan.steps;
  for (let s = steps.length - 1; s >= 0; s--) {
    const step = steps[s];
    if (step.block !== undefined) applyFusedBlock(state, step.block, true);
    else applyGateInverse(state, gates[step.gate], parameters);
  }
}
