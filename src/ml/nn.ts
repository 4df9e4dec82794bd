/**
 * Atomic neural-network potentials (Behler–Parrinello): one multilayer perceptron per element maps
 * an atom's standardised descriptor x̃ to its atomic energy; the energy of a structure is
 *   E = Σ_a e_{Z_a} + s · Σ_i NN_{Z_i}(x̃_i)
 * with per-element reference energies e_Z (least squares) and a fixed energy scale s (the RMS
 * per-atom residual of the training labels). Forces are −∂E/∂R through the descriptor derivatives.
 * With a physical baseline E₀ (baselines.ts: spin-pair or Hubbard) the networks learn E − E₀ (and
 * F − F₀), and predictions add E₀ back, as the GP does.
 *
 * Training minimises, over mini-batches, Σ_n ŵ_n [(E_n − Ê_n)² + λ_F/(3 n_n) Σ (F_n − F̂_n)²] / s²
 * with ŵ_n ∝ 1/max(σ_n, floor)² (σ_n the label's standard error), by Adam; every random choice is
 * seeded. The force term needs parameter gradients of input gradients: the network's backward pass
 * is built from tape operations (autodiff.ts) and differentiated again.
 *
 * Parameters of one element's network are one flat Float64Array: for each layer (in → out) the
 * weights W (in × out, row-major) then the biases b (out); the last layer has out = 1. A member of
 * an ensemble stores its element networks one after another (element index order).
 */
import { InputError, Random } from '../core/index.js';
import { type Activation, type Node, Tape, gemmNN, gemmNT, gemmTN, sigmoid, softplus } from './autodiff.js';
import { createDescriptor, type DescriptorSettings, elementIndices } from './descriptors/descriptor.js';
import { type TrainingExample, elementsOf, fitReferenceEnergies, referenceEnergy } from './data.js';
import { computeEnvironments, fitStandardisation, type Standardisation, standardiseRows } from './environments.js';
import type { Prediction } from './gp.js';
import { type BaselineSettings, createBaseline } from './baselines.js';

/** Options of {@link trainNn}. */
export interface NnOptions {
  descriptor: DescriptorSettings;
  /** Hidden layer widths (default [24, 24]). */
  hidden?: number[];
  /** Activation (default 'tanh'). */
  activation?: Activation;
  /** Passes over the training data (default 300). */
  epochs?: number;
  /** Structures per step (default 16). */
  batchSize?: number;
  /** Adam learning rate at the start (default 5e-3), decaying exponentially to 1/30 of it. */
  learningRate?: number;
  /** λ_F in Bohr² (default 1 when every label has forces, else 0 — forces then unused). */
  forceWeightBohr2?: number;
  /** Floor of the standard error in the label weights, Hartree (default 1e-4). */
  errorFloorHartree?: number;
  /** Networks in the ensemble (default 1); each starts from its own seed. */
  ensemble?: number;
  /** Seed (default 0). */
  seed?: number;
  /**
   * A physical baseline E₀ (baselines.ts): the networks learn E − E₀ (and F − F₀), and predictions
   * add E₀ back. Default none.
   */
  baseline?: BaselineSettings;
}

/** A trained atomic neural-network potential (an ensemble of one or more members). */
export interface NnModel {
  kind: 'nn';
  descriptor: DescriptorSettings;
  elements: number[];
  referenceEnergiesHartree: Float64Array;
  standardisation: Standardisation;
  hidden: number[];
  activation: Activation;
  energyScaleHartree: number;
  /** One flat parameter array per member (layout in the file header). */
  members: Float64Array[];
  /** The baseline the networks are added to (absent: none). */
  baseline?: BaselineSettings;
}

/** Shape of the per-element networks. */
export interface NetworkShape {
  inputs: number;
  hidden: readonly number[];
  activation: Activation;
}

/** Parameters of one element's network. */
export function parametersPerElement(shape: NetworkShape): number {
  let p = 0;
  let prev = shape.inputs;
  for (const h of [...shape.hidden, 1]) {
    p += prev * h + h;
    prev = h;
  }
  return p;
}

/** One structure prepared for the networks. */
export interface PreparedStructure {
  nAtoms: number;
  element: Int32Array;
  /** Standardised descriptors (n × L). */
  features: Float64Array;
  /** Raw descriptor derivatives (layout of descriptor.ts), when forces are needed. */
  derivatives?: Float64Array;
}

/** Descriptors of one structure, standardised, with derivatives when `withDerivatives`. */
export function prepareStructure(
  settings: DescriptorSettings,
  elements: readonly number[],
  standardisation: Standardisation,
  atomicNumbers: ArrayLike<number>,
  positionsBohr: ArrayLike<number>,
  withDerivatives: boolean,
): PreparedStructure {
  const d = createDescriptor(settings);
  const element = elementIndices(atomicNumbers, elements);
  const res = d.compute(atomicNumbers, positionsBohr, withDerivatives);
  standardiseRows(res.values, element, d.length, standardisation);
  return { nAtoms: atomicNumbers.length, element, features: res.values, derivatives: res.derivatives };
}

/** Outputs of the networks on a batch of structures (in network units: energy / s). */
export interface BatchOutput {
  /** Σ_i NN(x̃_i) per structure (nStructures × 1). */
  energies: Node;
  /** ∂/∂R of that sum, all atoms of the batch in order (3·atoms × 1), when forces were asked for. */
  gradient?: Node;
}

/**
 * Run the element networks of one member on a batch. `params` is the member's flat parameter array
 * and `grads` (same length) receives the parameter gradients on backward (omit for prediction).
 */
export function evaluateBatch(
  tape: Tape,
  shape: NetworkShape,
  nElements: number,
  params: Float64Array,
  grads: Float64Array | undefined,
  batch: readonly PreparedStructure[],
  scale: Float64Array,
  withForces: boolean,
): BatchOutput {
  const L = shape.inputs;
  const P = parametersPerElement(shape);
  const atomStart = new Int32Array(batch.length + 1);
  for (let s = 0; s < batch.length; s++) atomStart[s + 1] = atomStart[s] + batch[s].nAtoms;
  const totalAtoms = atomStart[batch.length];
  const energyParts: Node[] = [];
  const gradientParts: Node[] = [];
  const derivs = withForces ? batch.map((b) => b.derivatives!) : [];
  for (let el = 0; el < nElements; el++) {
    let rows = 0;
    for (const st of batch) for (let a = 0; a < st.nAtoms; a++) if (st.element[a] === el) rows++;
    if (rows === 0) continue;
    const x = new Float64Array(rows * L);
    const rowStructure = new Int32Array(rows);
    const rowAtom = new Int32Array(rows);
    let r = 0;
    for (let s = 0; s < batch.length; s++) {
      const st = batch[s];
      for (let a = 0; a < st.nAtoms; a++) {
        if (st.element[a] !== el) continue;
        x.set(st.features.subarray(a * L, (a + 1) * L), r * L);
        rowStructure[r] = s;
        rowAtom[r] = a;
        r++;
      }
    }
    // parameter nodes: views into the member's flat arrays
    const weights: Node[] = [];
    const biases: Node[] = [];
    let off = el * P;
    let prev = L;
    // without gradient storage (prediction) the parameters are constants: no backward closures
    const param = (start: number, r: number, c: number): Node =>
      grads
        ? tape.variable(params.subarray(start, start + r * c), r, c, grads.subarray(start, start + r * c))
        : tape.constant(params.subarray(start, start + r * c), r, c);
    for (const h of [...shape.hidden, 1]) {
      weights.push(param(off, prev, h));
      off += prev * h;
      biases.push(param(off, 1, h));
      off += h;
      prev = h;
    }
    let h: Node = tape.constant(x, rows, L);
    const pre: Node[] = [];
    const post: Node[] = [];
    const nh = shape.hidden.length;
    for (let l = 0; l < nh; l++) {
      const z = tape.addRow(tape.matmul(h, weights[l]), biases[l]);
      pre.push(z);
      h = tape.activation(z, shape.activation);
      post.push(h);
    }
    const out = tape.addRow(tape.matmul(h, weights[nh]), biases[nh]);
    energyParts.push(tape.segmentSum(out, rowStructure, batch.length));
    if (withForces) {
      // backward pass of Σ out with respect to the inputs, as tape operations
      let delta = tape.matmulBT(tape.constant(new Float64Array(rows).fill(1), rows, 1), weights[nh]);
      for (let l = nh - 1; l >= 0; l--) {
        delta = tape.mul(delta, tape.activationDerivative(pre[l], shape.activation, post[l]));
        delta = tape.matmulBT(delta, weights[l]);
      }
      const rowScale = new Int32Array(rows).fill(el * L);
      gradientParts.push(tape.descriptorGradient(delta, scale, rowScale, rowStructure, rowAtom, atomStart, derivs, totalAtoms));
    }
  }
  const energies = energyParts.length === 1 ? energyParts[0] : tape.add(energyParts);
  if (!withForces) return { energies };
  return { energies, gradient: gradientParts.length === 1 ? gradientParts[0] : tape.add(gradientParts) };
}

/** Training targets of a batch in network units, with their weights. */
export interface BatchTargets {
  energy: Float64Array;
  energyWeight: Float64Array;
  /** Forces / s, all atoms in order (3·atoms), when force training. */
  force?: Float64Array;
  forceWeight?: Float64Array;
}

/**
 * The training loss of one member on one batch through the tape (reference implementation of
 * {@link batchLoss}, kept for tests); gradients accumulate into `grads`.
 */
export function batchLossTape(
  shape: NetworkShape,
  nElements: number,
  params: Float64Array,
  grads: Float64Array | undefined,
  batch: readonly PreparedStructure[],
  scale: Float64Array,
  targets: BatchTargets,
): number {
  const tape = new Tape();
  const withForces = targets.force !== undefined;
  const out = evaluateBatch(tape, shape, nElements, params, grads, batch, scale, withForces);
  const parts = [tape.weightedSquaredError(out.energies, targets.energy, targets.energyWeight)];
  if (withForces) parts.push(tape.weightedSquaredError(out.gradient!, targets.force!, targets.forceWeight!, -1));
  const loss = parts.length === 1 ? parts[0] : tape.add(parts);
  if (grads) tape.backward(loss);
  return loss.value[0];
}

/*
 * Fused passes. One element's network on the R atoms of that element in a batch, with widths
 * w₀ = L, w_l = hidden[l − 1] (l = 1..nh) and the output weights w (w_nh values) and bias:
 *   forward        z_l = a_{l−1} W_l + b_l,  a_l = σ(z_l),  s_l = σ'(z_l),  out = a_nh w + b,
 *                  E_s = Σ_{i∈s} out_i;
 *   input gradient g_nh = 1 wᵀ,  d_l = g_l ⊙ s_l,  g_{l−1} = d_l W_lᵀ  (g₀ = ∂Σout/∂x̃, R × L),
 *                  ∂E/∂R = Σ_i Σ_f g₀[i, f] / scale_f · ∂x[i, f]/∂R;
 *   backward       with Ē_s and Ḡ(R) from the loss: Ḡ₀ = D·Ḡ(R) / scale, then for l = 1..nh
 *                  D̄_l = Ḡ_{l−1} W_l, W̄_l += Ḡ_{l−1}ᵀ d_l, Ḡ_l = D̄_l ⊙ s_l, Z̄_l = D̄_l ⊙ g_l ⊙ σ''(z_l),
 *                  w̄ += Σ_i Ḡ_nh[i, ·]; then the energy path Ā_nh = out̄ wᵀ and for l = nh..1
 *                  Z_l = Ā_l ⊙ s_l + Z̄_l, W̄_l += a_{l−1}ᵀ Z_l, b̄_l += Σ_i Z_l, Ā_{l−1} = Z_l W_lᵀ.
 * σ'' = −2 a s (tanh) or s (1 − s) (shifted softplus, s the logistic function). Every buffer lives in
 * a grow-only workspace reused from step to step; the matrix products are the kernels of autodiff.ts.
 */

/** Buffers of one element's pass (row-major, capacity rows × width). */
interface ElementBuffers {
  rows: number;
  x: Float64Array;
  rowStructure: Int32Array;
  rowAtom: Int32Array;
  /** a_l, s_l, d_l for l = 1..nh at index l − 1. */
  a: Float64Array[];
  s: Float64Array[];
  d: Float64Array[];
  /** g_l for l = 0..nh − 1 at index l. */
  g: Float64Array[];
  out: Float64Array;
}

/** Grow-only buffers of the fused passes. */
class FusedWorkspace {
  capacityRows = 0;
  key = '';
  elements: ElementBuffers[] = [];
  /** Offsets of W_l and b_l (l = 1..nh + 1 at index l − 1) inside one element's parameters. */
  wOff: number[] = [];
  bOff: number[] = [];
  /** Adjoint scratch: Ḡ_l (l = 0..nh), Z̄_l (l = 1..nh at l − 1), D̄ and two Ā buffers. */
  gb: Float64Array[] = [];
  zb: Float64Array[] = [];
  db = new Float64Array(0);
  ab0 = new Float64Array(0);
  ab1 = new Float64Array(0);
  outBar = new Float64Array(0);
  energies = new Float64Array(0);
  gradient = new Float64Array(0);
  eBar = new Float64Array(0);
  gBar = new Float64Array(0);
  atomStart = new Int32Array(0);

  ensure(shape: NetworkShape, nElements: number, rows: number, structures: number, atoms: number): void {
    const key = `${shape.inputs}|${shape.hidden.join(',')}|${nElements}`;
    const widths = [shape.inputs, ...shape.hidden];
    const maxW = Math.max(...widths);
    if (key !== this.key) {
      this.key = key;
      this.capacityRows = 0;
      this.wOff = [];
      this.bOff = [];
      let off = 0;
      let prev = shape.inputs;
      for (const h of [...shape.hidden, 1]) {
        this.wOff.push(off);
        off += prev * h;
        this.bOff.push(off);
        off += h;
        prev = h;
      }
    }
    if (rows > this.capacityRows) {
      const R = Math.max(rows, Math.ceil(this.capacityRows * 1.5));
      this.capacityRows = R;
      const nh = shape.hidden.length;
      this.elements = Array.from({ length: nElements }, () => ({
        rows: 0,
        x: new Float64Array(R * shape.inputs),
        rowStructure: new Int32Array(R),
        rowAtom: new Int32Array(R),
        a: shape.hidden.map((h) => new Float64Array(R * h)),
        s: shape.hidden.map((h) => new Float64Array(R * h)),
        d: shape.hidden.map((h) => new Float64Array(R * h)),
        g: widths.slice(0, nh).map((w) => new Float64Array(R * w)),
        out: new Float64Array(R),
      }));
      if (nh === 0) for (const eb of this.elements) eb.g = [new Float64Array(R * shape.inputs)];
      this.gb = widths.map((w) => new Float64Array(R * w));
      this.zb = shape.hidden.map((h) => new Float64Array(R * h));
      this.db = new Float64Array(R * maxW);
      this.ab0 = new Float64Array(R * maxW);
      this.ab1 = new Float64Array(R * maxW);
      this.outBar = new Float64Array(R);
    }
    if (this.energies.length < structures) {
      this.energies = new Float64Array(structures);
      this.eBar = new Float64Array(structures);
      this.atomStart = new Int32Array(structures + 1);
    }
    if (this.gradient.length < 3 * atoms) {
      this.gradient = new Float64Array(3 * atoms);
      this.gBar = new Float64Array(3 * atoms);
    }
  }
}

const workspace = new FusedWorkspace();

/**
 * Forward pass of every element network of one member on a batch: energies (network units) into
 * `ws.energies[0..nStructures)`, and with `withForces` ∂E/∂R into `ws.gradient[0..3·atoms)`.
 */
function fusedForward(
  ws: FusedWorkspace,
  shape: NetworkShape,
  nElements: number,
  params: Float64Array,
  batch: readonly PreparedStructure[],
  scale: Float64Array,
  withForces: boolean,
): void {
  const L = shape.inputs;
  const P = parametersPerElement(shape);
  const nS = batch.length;
  let atoms = 0;
  for (const st of batch) atoms += st.nAtoms;
  let maxRows = 0;
  const counts = new Int32Array(nElements);
  for (const st of batch) for (let a = 0; a < st.nAtoms; a++) counts[st.element[a]]++;
  for (let el = 0; el < nElements; el++) maxRows = Math.max(maxRows, counts[el]);
  ws.ensure(shape, nElements, maxRows, nS, atoms);
  const atomStart = ws.atomStart;
  atomStart[0] = 0;
  for (let s = 0; s < nS; s++) atomStart[s + 1] = atomStart[s] + batch[s].nAtoms;
  const energies = ws.energies;
  energies.fill(0, 0, nS);
  const gradient = ws.gradient;
  if (withForces) gradient.fill(0, 0, 3 * atoms);
  const hidden = shape.hidden;
  const nh = hidden.length;
  const tanh = shape.activation === 'tanh';
  for (let el = 0; el < nElements; el++) {
    const eb = ws.elements[el];
    // gather the element's rows
    let R = 0;
    for (let s = 0; s < nS; s++) {
      const st = batch[s];
      for (let a = 0; a < st.nAtoms; a++) {
        if (st.element[a] !== el) continue;
        const src = st.features;
        const so = a * L;
        const xo = R * L;
        for (let f = 0; f < L; f++) eb.x[xo + f] = src[so + f];
        eb.rowStructure[R] = s;
        eb.rowAtom[R] = a;
        R++;
      }
    }
    eb.rows = R;
    if (R === 0) continue;
    const base = el * P;
    let input = eb.x;
    let win = L;
    for (let l = 0; l < nh; l++) {
      const H = hidden[l];
      const A = eb.a[l];
      const S = eb.s[l];
      const bo = base + ws.bOff[l];
      for (let i = 0; i < R; i++) for (let j = 0; j < H; j++) A[i * H + j] = params[bo + j];
      gemmNN(R, win, H, input, 0, params, base + ws.wOff[l], A, 0);
      const len = R * H;
      if (tanh) {
        for (let t = 0; t < len; t++) {
          const y = Math.tanh(A[t]);
          A[t] = y;
          S[t] = 1 - y * y;
        }
      } else {
        for (let t = 0; t < len; t++) {
          const z = A[t];
          S[t] = sigmoid(z);
          A[t] = softplus(z);
        }
      }
      input = A;
      win = H;
    }
    const wo = base + ws.wOff[nh];
    const bOut = params[base + ws.bOff[nh]];
    const out = eb.out;
    for (let i = 0; i < R; i++) {
      let e = bOut;
      const io = i * win;
      for (let j = 0; j < win; j++) e += input[io + j] * params[wo + j];
      out[i] = e;
      energies[eb.rowStructure[i]] += e;
    }
    if (!withForces) continue;
    // input gradient: d_nh = w ⊙ s_nh, then g_{l−1} = d_l W_lᵀ, d_{l−1} = g_{l−1} ⊙ s_{l−1}
    let g0: Float64Array;
    if (nh === 0) {
      g0 = eb.g[0];
      for (let i = 0; i < R; i++) for (let f = 0; f < L; f++) g0[i * L + f] = params[wo + f];
    } else {
      const H = hidden[nh - 1];
      const D = eb.d[nh - 1];
      const S = eb.s[nh - 1];
      for (let i = 0; i < R; i++) for (let j = 0; j < H; j++) D[i * H + j] = params[wo + j] * S[i * H + j];
      for (let l = nh; l >= 1; l--) {
        const Hl = hidden[l - 1];
        const wPrev = l === 1 ? L : hidden[l - 2];
        const G = eb.g[l - 1];
        G.fill(0, 0, R * wPrev);
        gemmNT(R, Hl, wPrev, eb.d[l - 1], 0, params, base + ws.wOff[l - 1], G, 0);
        if (l >= 2) {
          const Sp = eb.s[l - 2];
          const Dp = eb.d[l - 2];
          const len = R * wPrev;
          for (let t = 0; t < len; t++) Dp[t] = G[t] * Sp[t];
        }
      }
      g0 = eb.g[0];
    }
    // ∂E/∂R = Σ_i Σ_f g₀[i, f] / scale_f · ∂x[i, f]/∂R
    const so = el * L;
    for (let i = 0; i < R; i++) {
      const s = eb.rowStructure[i];
      const n = batch[s].nAtoms;
      const n3 = 3 * n;
      const der = batch[s].derivatives!;
      const go = atomStart[s] * 3;
      const ro = eb.rowAtom[i] * L;
      for (let f = 0; f < L; f++) {
        const w = g0[i * L + f] / scale[so + f];
        if (w === 0) continue;
        const o = (ro + f) * n3;
        for (let k = 0; k < n3; k++) gradient[go + k] += w * der[o + k];
      }
    }
  }
}

/** Backward pass after {@link fusedForward}, from `ws.eBar` (and `ws.gBar`); accumulates into `grads`. */
function fusedBackward(
  ws: FusedWorkspace,
  shape: NetworkShape,
  nElements: number,
  params: Float64Array,
  grads: Float64Array,
  batch: readonly PreparedStructure[],
  scale: Float64Array,
  withForces: boolean,
): void {
  const L = shape.inputs;
  const P = parametersPerElement(shape);
  const hidden = shape.hidden;
  const nh = hidden.length;
  const tanh = shape.activation === 'tanh';
  const atomStart = ws.atomStart;
  for (let el = 0; el < nElements; el++) {
    const eb = ws.elements[el];
    const R = eb.rows;
    if (R === 0) continue;
    const base = el * P;
    const wo = base + ws.wOff[nh];
    const outBar = ws.outBar;
    for (let i = 0; i < R; i++) outBar[i] = ws.eBar[eb.rowStructure[i]];
    if (withForces) {
      // Ḡ₀[i, f] = Σ_k ∂x[i, f]/∂R_k Ḡ(R)_k / scale_f
      const gb0 = ws.gb[0];
      const so = el * L;
      const gBar = ws.gBar;
      for (let i = 0; i < R; i++) {
        const s = eb.rowStructure[i];
        const n3 = 3 * batch[s].nAtoms;
        const der = batch[s].derivatives!;
        const go = atomStart[s] * 3;
        const ro = eb.rowAtom[i] * L;
        for (let f = 0; f < L; f++) {
          const o = (ro + f) * n3;
          let sum = 0;
          for (let k = 0; k < n3; k++) sum += der[o + k] * gBar[go + k];
          gb0[i * L + f] = sum / scale[so + f];
        }
      }
      let gPrev = gb0;
      for (let l = 1; l <= nh; l++) {
        const H = hidden[l - 1];
        const wPrev = l === 1 ? L : hidden[l - 2];
        const wOffL = base + ws.wOff[l - 1];
        const Db = ws.db;
        const len = R * H;
        Db.fill(0, 0, len);
        gemmNN(R, wPrev, H, gPrev, 0, params, wOffL, Db, 0);
        gemmTN(R, wPrev, H, gPrev, 0, eb.d[l - 1], 0, grads, wOffL);
        const S = eb.s[l - 1];
        const A = eb.a[l - 1];
        const Gb = ws.gb[l];
        const Zb = ws.zb[l - 1];
        const last = l === nh;
        const gl = last ? undefined : eb.g[l];
        for (let i = 0; i < R; i++) {
          for (let j = 0; j < H; j++) {
            const t = i * H + j;
            const sp = S[t];
            const second = tanh ? -2 * A[t] * sp : sp * (1 - sp);
            const g = last ? params[wo + j] : gl![t];
            Zb[t] = Db[t] * g * second;
            Gb[t] = Db[t] * sp;
          }
        }
        gPrev = Gb;
      }
      // w̄ += Σ_i Ḡ_nh[i, ·]
      const wLast = nh === 0 ? L : hidden[nh - 1];
      for (let i = 0; i < R; i++) for (let j = 0; j < wLast; j++) grads[wo + j] += gPrev[i * wLast + j];
    }
    // energy path
    const wLast = nh === 0 ? L : hidden[nh - 1];
    const aLast = nh === 0 ? eb.x : eb.a[nh - 1];
    let bSum = 0;
    for (let i = 0; i < R; i++) {
      const ob = outBar[i];
      bSum += ob;
      if (ob === 0) continue;
      const io = i * wLast;
      for (let j = 0; j < wLast; j++) grads[wo + j] += aLast[io + j] * ob;
    }
    grads[base + ws.bOff[nh]] += bSum;
    if (nh === 0) continue;
    let Ab = ws.ab0;
    let AbNext = ws.ab1;
    {
      const H = hidden[nh - 1];
      for (let i = 0; i < R; i++) for (let j = 0; j < H; j++) Ab[i * H + j] = outBar[i] * params[wo + j];
    }
    for (let l = nh; l >= 1; l--) {
      const H = hidden[l - 1];
      const wPrev = l === 1 ? L : hidden[l - 2];
      const S = eb.s[l - 1];
      const Z = ws.zb[l - 1];
      const len = R * H;
      if (withForces) for (let t = 0; t < len; t++) Z[t] += Ab[t] * S[t];
      else for (let t = 0; t < len; t++) Z[t] = Ab[t] * S[t];
      const input = l === 1 ? eb.x : eb.a[l - 2];
      const wOffL = base + ws.wOff[l - 1];
      gemmTN(R, wPrev, H, input, 0, Z, 0, grads, wOffL);
      const bo = base + ws.bOff[l - 1];
      for (let i = 0; i < R; i++) for (let j = 0; j < H; j++) grads[bo + j] += Z[i * H + j];
      if (l > 1) {
        AbNext.fill(0, 0, R * wPrev);
        gemmNT(R, H, wPrev, Z, 0, params, wOffL, AbNext, 0);
        const tmp = Ab;
        Ab = AbNext;
        AbNext = tmp;
      }
    }
  }
}

/**
 * The training loss of one member on one batch, Σ_n w_n (E_n − T_n)² + Σ_k w_k (F_k − F̂_k)² (forces
 * F = −∂E/∂R, when `targets.force` is given), by the fused passes; gradients accumulate into `grads`.
 */
export function batchLoss(
  shape: NetworkShape,
  nElements: number,
  params: Float64Array,
  grads: Float64Array | undefined,
  batch: readonly PreparedStructure[],
  scale: Float64Array,
  targets: BatchTargets,
): number {
  const withForces = targets.force !== undefined;
  const ws = workspace;
  fusedForward(ws, shape, nElements, params, batch, scale, withForces);
  const nS = batch.length;
  let loss = 0;
  for (let s = 0; s < nS; s++) {
    const r = ws.energies[s] - targets.energy[s];
    loss += targets.energyWeight[s] * r * r;
    ws.eBar[s] = 2 * targets.energyWeight[s] * r;
  }
  if (withForces) {
    const F = targets.force!;
    const W = targets.forceWeight!;
    const len = F.length;
    for (let k = 0; k < len; k++) {
      // residual of F = −∂E/∂R; its derivative with respect to ∂E/∂R carries the sign
      const r = -ws.gradient[k] - F[k];
      loss += W[k] * r * r;
      ws.gBar[k] = -2 * W[k] * r;
    }
  }
  if (grads) fusedBackward(ws, shape, nElements, params, grads, batch, scale, withForces);
  return loss;
}

/** Targets of a batch (energies relative to the references, divided by s). */
function batchTargets(
  examples: readonly TrainingExample[],
  indices: readonly number[],
  residual: Float64Array,
  s: number,
  floor: number,
  forceWeightBohr2: number,
): BatchTargets {
  const energy = new Float64Array(indices.length);
  const energyWeight = new Float64Array(indices.length);
  let total = 0;
  let atoms = 0;
  for (let b = 0; b < indices.length; b++) {
    const ex = examples[indices[b]];
    energy[b] = residual[indices[b]] / s;
    const sigma = Math.max(ex.standardErrorHartree, floor);
    energyWeight[b] = 1 / (sigma * sigma);
    total += energyWeight[b];
    atoms += ex.atomicNumbers.length;
  }
  for (let b = 0; b < indices.length; b++) energyWeight[b] /= total;
  if (!(forceWeightBohr2 > 0)) return { energy, energyWeight };
  const force = new Float64Array(3 * atoms);
  const forceWeight = new Float64Array(3 * atoms);
  let o = 0;
  for (let b = 0; b < indices.length; b++) {
    const ex = examples[indices[b]];
    const n = ex.atomicNumbers.length;
    const w = (forceWeightBohr2 * energyWeight[b]) / (3 * n);
    for (let k = 0; k < 3 * n; k++) {
      force[o + k] = ex.forcesHartreePerBohr![k] / s;
      forceWeight[o + k] = w;
    }
    o += 3 * n;
  }
  return { energy, energyWeight, force, forceWeight };
}

/** Seeded initial parameters: weights N(0, 1/fan-in), the output layer ×0.1, zero biases. */
export function initialParameters(shape: NetworkShape, nElements: number, random: Random): Float64Array {
  const P = parametersPerElement(shape);
  const p = new Float64Array(P * nElements);
  for (let el = 0; el < nElements; el++) {
    let off = el * P;
    let prev = shape.inputs;
    const widths = [...shape.hidden, 1];
    for (let l = 0; l < widths.length; l++) {
      const h = widths[l];
      const sd = (l === widths.length - 1 ? 0.1 : 1) / Math.sqrt(prev);
      for (let k = 0; k < prev * h; k++) p[off + k] = sd * random.normal();
      off += prev * h + h;
      prev = h;
    }
  }
  return p;
}

/** Train an atomic neural-network potential (an ensemble when `ensemble` > 1). */
export function trainNn(labelled: readonly TrainingExample[], options: NnOptions): NnModel {
  if (labelled.length === 0) throw new InputError('network training needs at least one labelled structure');
  const examples = options.baseline ? overBaseline(labelled, options.baseline) : labelled;
  const elements = elementsOf(examples);
  const settings: DescriptorSettings = { ...options.descriptor, elements };
  const descriptor = createDescriptor(settings);
  const L = descriptor.length;
  const nEl = elements.length;
  const allForces = examples.every((e) => e.forcesHartreePerBohr != null && e.forcesHartreePerBohr.length === 3 * e.atomicNumbers.length);
  const forceWeight = options.forceWeightBohr2 ?? (allForces ? 1 : 0);
  if (forceWeight > 0 && !allForces) throw new InputError('force training needs forces on every label');
  const refs = fitReferenceEnergies(examples, elements);
  const N = examples.length;
  const residual = new Float64Array(N);
  let ms = 0;
  for (let n = 0; n < N; n++) {
    const ex = examples[n];
    residual[n] = ex.energyHartree - referenceEnergy(ex.atomicNumbers, elements, refs);
    ms += (residual[n] / ex.atomicNumbers.length) ** 2;
  }
  const s = Math.max(Math.sqrt(ms / N), 1e-6);
  const env = computeEnvironments(descriptor, examples);
  const st = fitStandardisation(env, nEl, descriptor.featureWeights);
  const prepared = examples.map((ex) => prepareStructure(settings, elements, st, ex.atomicNumbers, ex.positionsBohr, forceWeight > 0));
  const shape: NetworkShape = { inputs: L, hidden: options.hidden ?? [24, 24], activation: options.activation ?? 'tanh' };
  const epochs = options.epochs ?? 300;
  const batchSize = Math.min(options.batchSize ?? 16, N);
  const lr0 = options.learningRate ?? 5e-3;
  const floor = options.errorFloorHartree ?? 1e-4;
  const seed = options.seed ?? 0;
  const members: Float64Array[] = [];
  for (let k = 0; k < (options.ensemble ?? 1); k++) {
    const random = new Random(seed + 1000 * k);
    const params = initialParameters(shape, nEl, random);
    const grads = new Float64Array(params.length);
    const m1 = new Float64Array(params.length);
    const m2 = new Float64Array(params.length);
    const order = Array.from({ length: N }, (_, i) => i);
    const steps = epochs * Math.ceil(N / batchSize);
    let step = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = N - 1; i > 0; i--) {
        const j = random.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (let b0 = 0; b0 < N; b0 += batchSize) {
        const idx = order.slice(b0, Math.min(N, b0 + batchSize));
        grads.fill(0);
        batchLoss(shape, nEl, params, grads, idx.map((i) => prepared[i]), st.scale, batchTargets(examples, idx, residual, s, floor, forceWeight));
        step++;
        const lr = lr0 * Math.pow(1 / 30, step / steps);
        const c1 = 1 - Math.pow(0.9, step);
        const c2 = 1 - Math.pow(0.999, step);
        for (let p = 0; p < params.length; p++) {
          const g = grads[p];
          m1[p] = 0.9 * m1[p] + 0.1 * g;
          m2[p] = 0.999 * m2[p] + 0.001 * g * g;
          params[p] -= (lr * (m1[p] / c1)) / (Math.sqrt(m2[p] / c2) + 1e-12);
        }
      }
    }
    members.push(params);
  }
  return {
    kind: 'nn',
    descriptor: settings,
    elements,
    referenceEnergiesHartree: refs,
    standardisation: st,
    hidden: [...shape.hidden],
    activation: shape.activation,
    energyScaleHartree: s,
    members,
    ...(options.baseline ? { baseline: options.baseline } : {}),
  };
}

/** The examples' energies and forces less the baseline's (what the networks learn over it). */
function overBaseline(examples: readonly TrainingExample[], settings: BaselineSettings): TrainingExample[] {
  const baseline = createBaseline(settings);
  return examples.map((ex) => {
    const f = ex.forcesHartreePerBohr;
    const b = baseline.evaluate(ex.atomicNumbers, ex.positionsBohr, !!f);
    return {
      ...ex,
      energyHartree: ex.energyHartree - b.energyHartree,
      forcesHartreePerBohr: f ? Float64Array.from(f, (x, k) => x - b.forcesHartreePerBohr![k]) : f,
    };
  });
}

/** Ensemble mean energy (and forces), with the ensemble spread as the uncertainty (null for one member). */
export function predictNn(
  model: NnModel,
  atomicNumbers: ArrayLike<number>,
  positionsBohr: ArrayLike<number>,
  withForces: boolean,
): Prediction {
  const shape: NetworkShape = { inputs: createDescriptor(model.descriptor).length, hidden: model.hidden, activation: model.activation };
  const prepared = prepareStructure(model.descriptor, model.elements, model.standardisation, atomicNumbers, positionsBohr, withForces);
  const ref = referenceEnergy(atomicNumbers, model.elements, model.referenceEnergiesHartree);
  const s = model.energyScaleHartree;
  const K = model.members.length;
  let sum = 0;
  let sum2 = 0;
  const forces = withForces ? new Float64Array(3 * atomicNumbers.length) : undefined;
  const batch = [prepared];
  for (const params of model.members) {
    fusedForward(workspace, shape, model.elements.length, params, batch, model.standardisation.scale, withForces);
    const e = s * workspace.energies[0];
    sum += e;
    sum2 += e * e;
    if (forces) for (let k = 0; k < forces.length; k++) forces[k] -= (s * workspace.gradient[k]) / K;
  }
  const mean = sum / K;
  const spread = K > 1 ? Math.sqrt(Math.max(0, (sum2 - K * mean * mean) / (K - 1))) : null;
  const base = model.baseline ? createBaseline(model.baseline).evaluate(atomicNumbers, positionsBohr, withForces) : null;
  const out: Prediction = { energyHartree: ref + mean + (base ? base.energyHartree : 0), uncertaintyHartree: spread };
  if (forces) {
    if (base) for (let k = 0; k < forces.length; k++) forces[k] += base.forcesHartreePerBohr![k];
    out.forcesHartreePerBohr = forces;
  }
  return out;
}
