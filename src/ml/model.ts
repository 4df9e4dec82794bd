/**
 * Trained models with their provenance, Δ-learning and versioned JSON model files.
 *
 * A model file is one JSON object:
 *   { format: 'qde-model', formatVersion: 2, kind: 'gp' | 'nn', descriptor, elements,
 *     referenceEnergiesHartree, standardisation: {mean, scale}, <kind-specific weights>,
 *     baseline (optional: the spin-pair or Hubbard baseline's settings, baselines.ts),
 *     provenance: { rung, deltaFrom, lowRungSpec, basis, labelCount, labelKeysSha256, qdeVersion,
 *                   trainedAt, training } }
 * Arrays are plain JSON numbers (float64 values round-trip exactly through JSON text). A Δ model
 * (deltaFrom set) predicts E(rung) − E(deltaFrom); the caller adds the low rung, computed with
 * `lowRungSpec` (plain method-spec data, never interpreted here). Version 2 added the optional
 * baseline (to GP files, and later to network files); version-1 files (no baseline) are read as before.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../core/index.js';
import { elementSymbol } from '../chem/index.js';
import type { DatasetRecord, JsonValue } from '../dataset/index.js';
import { QDE_VERSION } from '../version.js';
import { type TrainingExample, exampleFromRecord } from './data.js';
import { type GpModel, type GpOptions, type Prediction, predictGp, trainGp } from './gp.js';
import { type NnModel, type NnOptions, parametersPerElement, predictNn, trainNn } from './nn.js';
import { createDescriptor, type DescriptorSettings } from './descriptors/descriptor.js';
import { type BaselineSettings, checkBaseline } from './baselines.js';

export const MODEL_FORMAT = 'qde-model';
export const MODEL_FORMAT_VERSION = 2;
/** Versions this qde reads. */
const READABLE_VERSIONS: readonly number[] = [1, 2];

/** Where a model's labels came from. */
export interface ModelProvenance {
  /** Rung of the labels the model reproduces (the high rung of a Δ model), or null when unknown. */
  rung: string | null;
  /** Low rung of a Δ model, else null. */
  deltaFrom: string | null;
  /** Method spec of the low rung (plain data), used to compute it at prediction; null unless Δ. */
  lowRungSpec: JsonValue;
  basis: string | null;
  labelCount: number;
  /** SHA-256 of the sorted label keys joined by newlines, when every label had a key. */
  labelKeysSha256: string | null;
  qdeVersion: string;
  trainedAt: string;
  /** The training options (descriptor and model settings, seed). */
  training: JsonValue;
}

/** A potential with its provenance. */
export interface TrainedModel {
  potential: GpModel | NnModel;
  provenance: ModelProvenance;
}

/** Options of {@link trainModel}. */
export type ModelOptions = ({ kind: 'gp' } & GpOptions) | ({ kind: 'nn' } & NnOptions);

/** What is known about the labels (all optional). */
export interface LabelInfo {
  rung?: string | null;
  deltaFrom?: string | null;
  lowRungSpec?: JsonValue;
  basis?: string | null;
}

/** Train a GP or network potential and attach provenance. */
export function trainModel(examples: readonly TrainingExample[], options: ModelOptions, info: LabelInfo = {}): TrainedModel {
  const potential = options.kind === 'gp' ? trainGp(examples, options) : trainNn(examples, options);
  const keys = examples.map((e) => e.key);
  const labelKeysSha256 = keys.every((k) => typeof k === 'string')
    ? createHash('sha256').update((keys as string[]).slice().sort().join('\n')).digest('hex')
    : null;
  return {
    potential,
    provenance: {
      rung: info.rung ?? null,
      deltaFrom: info.deltaFrom ?? null,
      lowRungSpec: info.lowRungSpec ?? null,
      basis: info.basis ?? null,
      labelCount: examples.length,
      labelKeysSha256,
      qdeVersion: QDE_VERSION,
      trainedAt: new Date().toISOString(),
      training: JSON.parse(JSON.stringify(options)) as JsonValue,
    },
  };
}

/**
 * The learned quantity for one structure (a Δ model's Δ; add the low rung for the total). An
 * element the model never saw is an InputError.
 */
export function predictModel(model: TrainedModel, atomicNumbers: ArrayLike<number>, positionsBohr: ArrayLike<number>, withForces: boolean): Prediction {
  const p = model.potential;
  for (let a = 0; a < atomicNumbers.length; a++) {
    if (!p.elements.includes(atomicNumbers[a])) {
      throw new InputError(
        `the model was trained on ${p.elements.map(elementSymbol).join(', ')} only and cannot predict ` +
          `${elementSymbol(atomicNumbers[a])} (atom ${a + 1})`,
      );
    }
  }
  return p.kind === 'gp' ? predictGp(p, atomicNumbers, positionsBohr, withForces) : predictNn(p, atomicNumbers, positionsBohr, withForces);
}

/**
 * Δ-learning examples: for each geometry labelled on both rungs (matched by geometry key), the
 * difference high − low of energies (and of forces when both have them), with the standard errors
 * added in quadrature. Geometries with only one of the two labels are left out.
 */
export function deltaExamples(high: readonly DatasetRecord[], low: readonly DatasetRecord[]): TrainingExample[] {
  const byGeometry = new Map<string, DatasetRecord>();
  for (const r of low) byGeometry.set(r.geometryKey, r);
  const out: TrainingExample[] = [];
  for (const h of high) {
    const l = byGeometry.get(h.geometryKey);
    if (!l) continue;
    const ex = exampleFromRecord(h);
    ex.energyHartree = h.energyHartree - l.energyHartree;
    ex.standardErrorHartree = Math.hypot(h.standardErrorHartree, l.standardErrorHartree);
    if (h.forcesHartreePerBohr && l.forcesHartreePerBohr) {
      const hf = h.forcesHartreePerBohr;
      const lf = l.forcesHartreePerBohr;
      ex.forcesHartreePerBohr = Float64Array.from({ length: hf.length }, (_, k) => hf[k] - lf[k]);
    } else {
      ex.forcesHartreePerBohr = null;
    }
    ex.key = `${h.key}-${l.key}`;
    out.push(ex);
  }
  return out;
}

const arr = (a: ArrayLike<number>): number[] => Array.from(a);

/** The model as a JSON-ready object (layout in the file header). */
export function modelToJson(model: TrainedModel): Record<string, unknown> {
  const p = model.potential;
  const common = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    kind: p.kind,
    descriptor: p.descriptor,
    elements: p.elements,
    referenceEnergiesHartree: arr(p.referenceEnergiesHartree),
    standardisation: { mean: arr(p.standardisation.mean), scale: arr(p.standardisation.scale) },
  };
  const weights =
    p.kind === 'gp'
      ? {
          lengthScale: p.lengthScale,
          signalVariance: p.signalVariance,
          noiseFloorHartree: p.noiseFloorHartree,
          logMarginalLikelihood: p.logMarginalLikelihood,
          ...(p.forceNoiseFloorHartreePerBohr !== undefined ? { forceNoiseFloorHartreePerBohr: p.forceNoiseFloorHartreePerBohr } : {}),
          ...(p.baseline ? { baseline: p.baseline } : {}),
          sparseElement: arr(p.sparseElement),
          sparseFeatures: arr(p.sparseFeatures),
          alpha: arr(p.alpha),
          varianceMatrix: arr(p.varianceMatrix),
        }
      : {
          hidden: p.hidden,
          activation: p.activation,
          energyScaleHartree: p.energyScaleHartree,
          ...(p.baseline ? { baseline: p.baseline } : {}),
          members: p.members.map(arr),
        };
  return { ...common, ...weights, provenance: model.provenance };
}

/** Read a model from its JSON object; `file` names it in errors. */
export function modelFromJson(json: unknown, file = '<model>'): TrainedModel {
  const o = json as Record<string, unknown>;
  const fail = (key: string, problem: string): never => {
    throw new InputError(`model key '${key}': ${problem}`, { file });
  };
  if (typeof o !== 'object' || o === null || o.format !== MODEL_FORMAT) fail('format', `not a qde model file (expected '${MODEL_FORMAT}')`);
  if (!READABLE_VERSIONS.includes(o.formatVersion as number)) fail('formatVersion', `version ${String(o.formatVersion)} is not supported (this qde reads ${READABLE_VERSIONS.join(' and ')})`);
  const numbers = (key: string, value: unknown, length?: number): Float64Array => {
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) fail(key, 'expected an array of finite numbers');
    const a = Float64Array.from(value as number[]);
    if (length !== undefined && a.length !== length) fail(key, `expected ${length} numbers, found ${a.length}`);
    return a;
  };
  const num = (key: string): number => {
    if (typeof o[key] !== 'number' || !Number.isFinite(o[key])) fail(key, 'expected a finite number');
    return o[key] as number;
  };
  const descriptor = o.descriptor as DescriptorSettings;
  if (typeof descriptor !== 'object' || descriptor === null) fail('descriptor', 'missing');
  const elements = Array.from(numbers('elements', o.elements));
  if (elements.length === 0 || JSON.stringify(elements) !== JSON.stringify(descriptor.elements)) fail('elements', 'must equal descriptor.elements and be non-empty');
  const refs = numbers('referenceEnergiesHartree', o.referenceEnergiesHartree, elements.length);
  const st = o.standardisation as { mean?: unknown; scale?: unknown } | undefined;
  if (!st) fail('standardisation', 'missing');
  const mean = numbers('standardisation.mean', st!.mean);
  const scale = numbers('standardisation.scale', st!.scale, mean.length);
  const provenance = o.provenance as ModelProvenance;
  if (typeof provenance !== 'object' || provenance === null) fail('provenance', 'missing');
  const L = createDescriptor(descriptor).length;
  if (mean.length !== elements.length * L) fail('standardisation.mean', `expected ${elements.length * L} numbers for the descriptor`);
  let potential: GpModel | NnModel;
  if (o.kind === 'gp') {
    const alpha = numbers('alpha', o.alpha);
    const M = alpha.length;
    const sparseFeatures = numbers('sparseFeatures', o.sparseFeatures);
    if (sparseFeatures.length !== M * L) fail('sparseFeatures', `expected ${M * L} numbers`);
    potential = {
      kind: 'gp',
      descriptor,
      elements,
      referenceEnergiesHartree: refs,
      standardisation: { mean, scale },
      lengthScale: num('lengthScale'),
      signalVariance: num('signalVariance'),
      noiseFloorHartree: num('noiseFloorHartree'),
      logMarginalLikelihood: num('logMarginalLikelihood'),
      sparseElement: Int32Array.from(numbers('sparseElement', o.sparseElement, M)),
      sparseFeatures,
      alpha,
      varianceMatrix: numbers('varianceMatrix', o.varianceMatrix, M * M),
    };
    if (o.forceNoiseFloorHartreePerBohr !== undefined) potential.forceNoiseFloorHartreePerBohr = num('forceNoiseFloorHartreePerBohr');
  } else if (o.kind === 'nn') {
    if (!Array.isArray(o.hidden) || !o.hidden.every((h) => Number.isInteger(h) && h > 0)) fail('hidden', 'expected positive integers');
    if (o.activation !== 'tanh' && o.activation !== 'softplus') fail('activation', "expected 'tanh' or 'softplus'");
    if (!Array.isArray(o.members) || o.members.length === 0) fail('members', 'expected at least one network');
    potential = {
      kind: 'nn',
      descriptor,
      elements,
      referenceEnergiesHartree: refs,
      standardisation: { mean, scale },
      hidden: o.hidden as number[],
      activation: o.activation as NnModel['activation'],
      energyScaleHartree: num('energyScaleHartree'),
      members: (o.members as unknown[]).map((m, k) =>
        numbers(`members[${k}]`, m, elements.length * parametersPerElement({ inputs: L, hidden: o.hidden as number[], activation: 'tanh' })),
      ),
    };
  } else {
    return fail('kind', `expected 'gp' or 'nn', found ${JSON.stringify(o.kind)}`);
  }
  if (o.baseline !== undefined) {
    const b = o.baseline as BaselineSettings;
    if (typeof b !== 'object' || b === null) fail('baseline', 'expected an object');
    try {
      checkBaseline(b);
    } catch (e) {
      fail('baseline', (e as Error).message);
    }
    potential.baseline = b;
  }
  return { potential, provenance };
}

/** Write a model file. */
export function saveModelFile(path: string, model: TrainedModel): void {
  writeFileSync(path, JSON.stringify(modelToJson(model)) + '\n');
}

/** Read a model file (missing or malformed files are InputErrors naming the file). */
export function loadModelFile(path: string): TrainedModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read the model file: ${(e as Error).message}`, { file: path });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not JSON: ${(e as Error).message}`, { file: path });
  }
  return modelFromJson(json, path);
}
