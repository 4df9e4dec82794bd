/**
 * Atomic neural-network potentials (Behler–Parrinello): one multilayer perceptron per element maps
 * an atom's standardised descriptor x̃ to its atomic energy; the energy of a structure is
 *   E = Σ_a e_{Z_a} + s · Σ_i NN_{Z_i}(x̃_i)
 * with per-element reference energies e_Z (least squares) and a fixed energy scale s (the RMS
 * per-atom residual of the training labels). Forces are −∂E/∂R through the descriptor derivatives.
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
import { type Activation, type Node, Tape } from './autodiff.js';
import { createDescriptor, type DescriptorSettings, elementIndices } from './descriptors/descriptor.js';
import { type TrainingExample, elementsOf, fitReferenceEnergies, referenceEnergy } from './data.js';
import { computeEnvironments, fitStandardisation, type Standardisation, standardiseRows } from './environments.js';
import type { Prediction } from './gp.js';

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

/** The training loss of one member on one batch; gradients accumulate into `grads`. */
export function batchLoss(
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
export function trainNn(examples: readonly TrainingExample[], options: NnOptions): NnModel {
  if (examples.length === 0) throw new InputError('network training needs at least one labelled structure');
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
  const st = fitStandardisation(env, nEl);
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
  };
}

/** Ensemble mean energy (and forces), with the ensemble spread as the uncertainty. */
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
  for (const params of model.members) {
    const tape = new Tape();
    const out = evaluateBatch(tape, shape, model.elements.length, params, undefined, [prepared], model.standardisation.scale, withForces);
    const e = s * out.energies.value[0];
    sum += e;
    sum2 += e * e;
    if (forces) for (let k = 0; k < forces.length; k++) forces[k] -= (s * out.gradient!.value[k]) / K;
  }
  const mean = sum / K;
  const variance = K > 1 ? Math.max(0, (sum2 - K * mean * mean) / (K - 1)) : 0;
  const out: Prediction = { energyHartree: ref + mean, uncertaintyHartree: Math.sqrt(variance) };
  if (forces) out.forcesHartreePerBohr = forces;
  return out;
}
