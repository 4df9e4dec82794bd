/**
 * Device noise models: what a noisy sampler does after every gate and at readout.
 *
 * Conventions (those of IonQ's cloud noise-model simulator for the depolarising part):
 * - one-qubit depolarising with parameter r: ρ → (1 − r) ρ + r · Tr_q(ρ) ⊗ I/2, i.e. Kraus operators
 *   √(1 − 3r/4) I and √(r/4) σ_i; two-qubit: ρ → (1 − r) ρ + r · Tr_ab(ρ) ⊗ I/4 (each of the 15
 *   non-identity Pauli pairs with probability r/16). r = 1 is complete depolarisation.
 * - thermal relaxation of each qubit a gate acts on, over the gate's duration t: amplitude damping
 *   towards |0⟩ with γ = 1 − exp(−t/T1) and pure dephasing such that the coherence ρ01 decays by
 *   exp(−t/T2) in total (requires T2 ≤ 2 T1). A null T1 (T2) means no damping (no dephasing).
 * - readout: each measured bit flips independently, 0 → 1 with probability p(1|0) and 1 → 0 with
 *   p(0|1).
 * Times are in seconds. A user model is a JSON file with exactly the fields of {@link NoiseModel}
 * (t1Seconds/t2Seconds may be null); see {@link parseNoiseModel}.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { z } from 'zod';
import { InputError, lazyZod } from '../../core/index.js';

/** Noise attached to every gate of one arity. */
export interface GateNoise {
  /** Depolarising parameter r in [0, 1] (see the file header). */
  depolarizing: number;
  /** Gate duration in seconds (drives thermal relaxation). */
  durationSeconds: number;
}

/** Asymmetric readout error. */
export interface ReadoutError {
  /** Probability of reading 1 when the qubit is in |0⟩. */
  p1Given0: number;
  /** Probability of reading 0 when the qubit is in |1⟩. */
  p0Given1: number;
}

/** A device noise model (see the file header for the channels). */
export interface NoiseModel {
  /** Name recorded in provenance (preset name, or the file's `name`, or its base name). */
  name: string;
  oneQubit: GateNoise;
  twoQubit: GateNoise;
  /** Energy relaxation time T1 in seconds; null for none. */
  t1Seconds: number | null;
  /** Coherence time T2 in seconds (≤ 2 T1); null for none. */
  t2Seconds: number | null;
  readout: ReadoutError;
}

/** The noise-model file schema, built on first use (see core/lazy-zod.ts). */
function buildNoiseModelSchema() {
  const z = lazyZod();
  function bounded(lo: number, hi: number, hiText = String(hi)) {
    const message = `must be a number in [${lo}, ${hiText}]`;
    return z
      .number({ error: (issue) => (issue.input === undefined ? 'missing' : message) })
      .min(lo, { error: message })
      .max(hi, { error: message });
  }

  function positiveSecondsOrNull() {
    const message = 'must be a positive number of seconds or null';
    return z
      .number({ error: (issue) => (issue.input === undefined ? 'missing' : message) })
      .positive({ error: message })
      .finite({ error: message })
      .nullable();
  }

  const gateNoiseSchema = z.strictObject(
    {
      depolarizing: bounded(0, 1),
      durationSeconds: bounded(0, Number.MAX_VALUE, '∞)').refine(Number.isFinite, { error: 'must be a finite number of seconds' }),
    },
    { error: (issue) => (issue.input === undefined ? 'missing' : 'must be an object') },
  );

  return z
    .strictObject(
      {
        name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
        oneQubit: gateNoiseSchema,
        twoQubit: gateNoiseSchema,
        t1Seconds: positiveSecondsOrNull(),
        t2Seconds: positiveSecondsOrNull(),
        readout: z.strictObject(
          { p1Given0: bounded(0, 0.5), p0Given1: bounded(0, 0.5) },
          { error: (issue) => (issue.input === undefined ? 'missing' : 'must be an object') },
        ),
      },
      { error: 'must be a JSON object' },
    )
    .superRefine((m, ctx) => {
      if (m.t1Seconds !== null && m.t2Seconds !== null && m.t2Seconds > 2 * m.t1Seconds) {
        ctx.addIssue({ code: 'custom', path: ['t2Seconds'], message: `must not exceed 2 × t1Seconds (${2 * m.t1Seconds})` });
      }
    });
}

let noiseModelSchema: ReturnType<typeof buildNoiseModelSchema> | undefined;

/** Formats the first schema issue as `key.path: problem`. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (path === '' ? k : `${path}.${k}`));
    return `${keys.join(', ')}: unknown key`;
  }
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

/**
 * Validates parsed JSON as a noise model. `file` names the source in error messages and supplies
 * the default name (its base name without `.json`).
 * @throws InputError naming the file, the key path and the problem
 * (e.g. `noise.json: oneQubit.depolarizing: must be a number in [0, 1]`).
 */
export function parseNoiseModel(data: unknown, file: string): NoiseModel {
  noiseModelSchema ??= buildNoiseModelSchema();
  const result = noiseModelSchema.safeParse(data);
  if (!result.success) throw new InputError(describeIssue(result.error.issues[0]), { file });
  const m = result.data;
  return {
    name: m.name ?? basename(file).replace(/\.json$/i, ''),
    oneQubit: { ...m.oneQubit },
    twoQubit: { ...m.twoQubit },
    t1Seconds: m.t1Seconds,
    t2Seconds: m.t2Seconds,
    readout: { ...m.readout },
  };
}

/** Reads and validates a JSON noise-model file. @throws InputError for an unreadable, malformed or invalid file. */
export function loadNoiseModel(path: string): NoiseModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read noise model: ${(e as Error).message}`, { file: path });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON: ${(e as Error).message}`, { file: path });
  }
  return parseNoiseModel(data, path);
}

/** Per-gate channel parameters derived from a model, for one gate arity. */
export interface GateChannel {
  /** Depolarising parameter r. */
  depolarizing: number;
  /** Amplitude-damping probability γ = 1 − exp(−t/T1). */
  gamma: number;
  /** Total decay factor of a coherence ρ01 from relaxation, exp(−t/T2) (1 without T2; √(1−γ) without T2 but with T1). */
  coherence: number;
}

/** The relaxation and depolarising parameters of one gate of the model's one- or two-qubit kind. */
export function gateChannel(model: NoiseModel, arity: 1 | 2): GateChannel {
  const g = arity === 1 ? model.oneQubit : model.twoQubit;
  const t = g.durationSeconds;
  const gamma = model.t1Seconds === null ? 0 : 1 - Math.exp(-t / model.t1Seconds);
  const coherence = model.t2Seconds === null ? Math.sqrt(1 - gamma) : Math.exp(-t / model.t2Seconds);
  return { depolarizing: g.depolarizing, gamma, coherence };
}

/** True when the model has no gate or readout error at all. */
export function isNoiseless(model: NoiseModel): boolean {
  const quiet = (g: GateNoise): boolean => g.depolarizing === 0 && (g.durationSeconds === 0 || (model.t1Seconds === null && model.t2Seconds === null));
  return quiet(model.oneQubit) && quiet(model.twoQubit) && model.readout.p1Given0 === 0 && model.readout.p0Given1 === 0;
}
