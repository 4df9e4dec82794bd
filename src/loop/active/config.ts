/**
 * Loop files (YAML or JSON): what an active-learning loop explores, how it may label, what it
 * learns and when it stops. Validated with zod; every error names the file and the key path, e.g.
 * `lih-h2.yaml: labellers[1].cost.perShot: expected a positive number`.
 *
 * ```yaml
 * name: lih-h2
 * seed: 1                       # test-set sampling; run seeds are seed, seed+1, … (`seeds` of them)
 * seeds: 5
 * systems:
 *   - name: lih
 *     example: lih              # or xyz: path (relative to the loop file)
 *     candidates:               # candidate generators (Å, degrees), re-drawn with each run seed
 *       - scan: { coordinate: bond, atoms: [0, 1], fromAngstrom: 1.3, toAngstrom: 2.3, steps: 21 }
 *       - displacements: { count: 20, sigmaAngstrom: 0.08 }
 *       - md: { temperatureKelvin: 1500, steps: 200, timeStepFs: 0.5, every: 10 }  # on the current model
 *     test:                     # the held-out set, labelled with `truth`
 *       - scan: { coordinate: bond, atoms: [0, 1], fromAngstrom: 1.325, toAngstrom: 2.275, steps: 20 }
 * truth: { method: fci, basis: sto-3g }
 * labellers:                    # method specs exactly as runMethod takes them, each with a price
 *   - name: vqe-1e3
 *     spec: { method: vqe, basis: sto-3g, taper: true, backend: { name: shots, shots: 1000 } }
 *     cost: { perShot: 1 }      # cost units = perShot·shots + perSecond·seconds + perLabel
 * fixedLabeller: vqe-1e3        # used by the `uncertainty` and `random` strategies (default: the first)
 * model: { kind: gp }           # exact GP over summed atomic environments
 * initial: { perSystem: 2 }
 * batchSize: 2
 * budgets: { maxLabels: 40, maxShots: 1.0e8, targetErrorHartree: 0.0016 }
 * strategies: [cost-aware, uncertainty, random]
 * targetTestErrorHartree: 0.0016  # the test error the learning-curve summary measures labels and shots to
 * ```
 */
import { dirname, extname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { InputError, readTextFile } from '../../core/index.js';
import { type Molecule, type SamplerSpec, readXyzFile, sampleGeometries } from '../../chem/index.js';
import { EXAMPLES_DIR, keyPath, samplerSchemas, valueAt } from '../../dataset/index.js';
import { METHODS, QUANTUM_METHODS, type MethodName, type MethodSpec, resolveMethodSpec } from '../../methods/index.js';
import { STRATEGIES } from './history.js';

const positiveInt = z.int({ error: 'expected a positive integer' }).min(1, { error: 'expected a positive integer' });
const nonNegativeInt = z.int({ error: 'expected a non-negative integer' }).min(0, { error: 'expected a non-negative integer' });
const positive = z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' });
const nonNegative = z.number({ error: 'expected a non-negative number' }).min(0, { error: 'expected a non-negative number' });

const methodSpec = z.looseObject({ method: z.enum(METHODS, { error: `expected one of ${METHODS.join(', ')}` }) });

/** Model-driven molecular dynamics: velocity Verlet on the current model's forces. */
const mdSchema = z.strictObject({
  temperatureKelvin: positive,
  steps: positiveInt,
  timeStepFs: positive.default(0.5),
  /** Keep a frame every this many steps. */
  every: positiveInt.default(10),
  /** Trajectories per iteration, each from a labelled geometry of the system. */
  trajectories: positiveInt.default(1),
  /** Frames whose interatomic distances moved more than this from the base geometry's are dropped, Å. */
  maxDistanceChangeAngstrom: positive.default(0.6),
});

const generator = z.union(
  [
    z.strictObject({ scan: samplerSchemas.scan }),
    z.strictObject({ displacements: samplerSchemas.displacements }),
    z.strictObject({ fragments: samplerSchemas.fragments }),
    z.strictObject({ md: mdSchema }),
  ],
  { error: 'expected one generator: scan, displacements, fragments or md' },
);
const staticGenerator = z.union(
  [
    z.strictObject({ scan: samplerSchemas.scan }),
    z.strictObject({ displacements: samplerSchemas.displacements }),
    z.strictObject({ fragments: samplerSchemas.fragments }),
  ],
  { error: 'expected one generator: scan, displacements or fragments' },
);

const systemSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: 'expected a name of letters, digits, _ . -' }),
  xyz: z.string().min(1).optional(),
  example: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'expected the name of a shipped example such as lih' }).optional(),
  candidates: z.array(generator, { error: 'expected a list of candidate generators' }).min(1, { error: 'expected at least one candidate generator' }),
  test: z.array(staticGenerator, { error: 'expected a list of test-set generators' }).min(1, { error: 'expected at least one test-set generator' }),
});

const costSchema = z
  .strictObject({ perShot: nonNegative.optional(), perSecond: nonNegative.optional(), perLabel: nonNegative.optional() })
  .refine((c) => (c.perShot ?? 0) + (c.perSecond ?? 0) + (c.perLabel ?? 0) > 0, { error: 'give a positive perShot, perSecond or perLabel' });

const labellerSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.+-]+$/, { error: 'expected a name of letters, digits, _ . + -' }),
  spec: methodSpec,
  /** Price of a label (default: perShot 1 on a measuring backend; required otherwise). */
  cost: costSchema.optional(),
  /** Standard error expected before any label of this labeller exists, Hartree (default: a pilot label). */
  expectedStandardErrorHartree: nonNegative.optional(),
});

const gpSchema = z.strictObject({
  kind: z.literal('gp').default('gp'),
  /** Radial cutoff of the symmetry functions, Bohr. */
  cutoffBohr: positive.default(8),
  radialFunctions: positiveInt.default(10),
  lengthScales: z.array(positive).min(1).default([0.25, 0.5, 1, 2]),
  /** Prior standard deviation per atom, Hartree. */
  signalStdHartree: z.array(positive).min(1).default([0.003, 0.01, 0.03, 0.1]),
  noiseFloorsHartree: z.array(positive).min(1).default([1e-5, 1e-4, 1e-3]),
});

/** The loop file schema. */
export const loopSchema = z.strictObject({
  name: z.string({ error: 'expected a loop name' }).regex(/^[A-Za-z0-9_.-]+$/, { error: 'expected a name of letters, digits, _ . -' }),
  description: z.string().optional(),
  seed: nonNegativeInt,
  seeds: positiveInt.default(1),
  systems: z.array(systemSchema, { error: 'expected a list of systems' }).min(1, { error: 'expected at least one system' }),
  truth: methodSpec,
  labellers: z.array(labellerSchema, { error: 'expected a list of labellers' }).min(1, { error: 'expected at least one labeller' }),
  fixedLabeller: z.string().optional(),
  model: gpSchema.prefault({}),
  initial: z.strictObject({ perSystem: positiveInt.default(2) }).prefault({}),
  batchSize: positiveInt.default(1),
  budgets: z
    .strictObject({
      maxLabels: positiveInt.optional(),
      maxShots: positive.optional(),
      maxCostUnits: positive.optional(),
      /** Stop when the model's error estimate is at or below this, Hartree. */
      targetErrorHartree: positive.optional(),
      /** Largest number of iterations (default 200). */
      maxIterations: positiveInt.default(200),
    })
    .prefault({}),
  strategies: z.array(z.enum(STRATEGIES, { error: `expected one of ${STRATEGIES.join(', ')}` })).min(1).default(['cost-aware']),
  targetTestErrorHartree: positive.default(0.0016),
});

/** A loop file as parsed (defaults filled in). */
export type LoopFile = z.infer<typeof loopSchema>;
/** A candidate generator of a system. */
export type CandidateGenerator = LoopFile['systems'][number]['candidates'][number];
/** Settings of model-driven MD. */
export type MdSettings = z.infer<typeof mdSchema>;
/** GP settings of a loop. */
export type LoopModelSettings = LoopFile['model'];

/** A labeller with its resolved price. */
export interface Labeller {
  name: string;
  index: number;
  spec: MethodSpec;
  /** True when its method runs on a quantum backend (vqe, adapt-vqe, qpe). */
  quantum: boolean;
  /** True when the backend measures (shots): labels are noisy and their noise is per geometry seed. */
  measuring: boolean;
  cost: { perShot: number; perSecond: number; perLabel: number };
  expectedStandardErrorHartree: number | null;
}

/** A system: its base molecule and generators. */
export interface LoopSystem {
  name: string;
  index: number;
  base: Molecule;
  /** Generators that do not need a model (scan, displacements, fragments). */
  staticGenerators: { key: 'scan' | 'displacements' | 'fragments'; spec: SamplerSpec }[];
  md: MdSettings[];
  test: { key: 'scan' | 'displacements' | 'fragments'; spec: SamplerSpec }[];
}

/** A validated loop with its systems and labellers loaded. */
export interface LoopConfig {
  /** The loop file (null when built in memory). */
  file: string | null;
  config: LoopFile;
  systems: LoopSystem[];
  labellers: Labeller[];
  fixedLabeller: Labeller;
}

/** Parse and validate a loop file's text; `fileName` names it in errors. */
export function parseLoopText(text: string, fileName: string): LoopFile {
  let raw: unknown;
  try {
    raw = extname(fileName).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { uniqueKeys: true });
  } catch (e) {
    if (e instanceof YAMLParseError) throw new InputError(e.message.split('\n')[0]!, { file: fileName, line: e.linePos?.[0]?.line });
    throw new InputError(`not valid JSON: ${(e as Error).message}`, { file: fileName });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError('expected a mapping with name, seed, systems, truth and labellers', { file: fileName });
  }
  const parsed = loopSchema.safeParse(raw);
  if (!parsed.success) {
    // the most specific issue: a union reports its branches' issues nested
    let issue = parsed.error.issues[0]!;
    if (issue.code === 'invalid_union' && valueAt(raw, issue.path) !== null && typeof valueAt(raw, issue.path) === 'object') {
      const raw1 = valueAt(raw, issue.path) as Record<string, unknown>;
      const key = Object.keys(raw1)[0];
      const branch = issue.errors.find((b) => b.length > 0 && b[0]!.path[0] === key && b[0]!.code !== 'unrecognized_keys');
      if (branch !== undefined) issue = { ...branch[0]!, path: [...issue.path, ...branch[0]!.path] } as typeof issue;
    }
    const where = keyPath(issue.path);
    const problem =
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
        : issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined
          ? 'is required'
          : issue.message;
    throw new InputError(`${where === '' ? '' : `${where}: `}${problem}`, { file: fileName });
  }
  return parsed.data;
}

function isMeasuring(spec: MethodSpec): boolean {
  const b = spec.backend as { name?: string } | undefined;
  return b !== undefined && b.name !== 'statevector';
}

/** Load systems and check labellers (method specs by the method layer) of a parsed loop file. */
export function buildLoop(config: LoopFile, file: string | null, baseDir: string = process.cwd()): LoopConfig {
  const fileName = file ?? '<loop>';
  const fail = (where: string, problem: string): never => {
    throw new InputError(`${where}: ${problem}`, { file: fileName });
  };
  const names = new Set<string>();
  const systems = config.systems.map((s, index): LoopSystem => {
    const at = `systems[${index}]`;
    if (names.has(s.name)) fail(`${at}.name`, `'${s.name}' is used twice`);
    names.add(s.name);
    if ((s.xyz === undefined) === (s.example === undefined)) fail(at, 'give one of xyz, example');
    let base: Molecule;
    try {
      if (s.xyz !== undefined) base = readXyzFile(resolve(baseDir, s.xyz));
      else {
        const path = resolve(EXAMPLES_DIR, `${s.example}.xyz`);
        if (!existsSync(path)) fail(`${at}.example`, `no shipped example '${s.example}'`);
        base = readXyzFile(path);
      }
    } catch (e) {
      if (e instanceof InputError && !e.message.startsWith(fileName)) fail(`${at}.${s.xyz !== undefined ? 'xyz' : 'example'}`, e.message);
      throw e;
    }
    const staticGenerators: LoopSystem['staticGenerators'] = [];
    const md: MdSettings[] = [];
    const system: LoopSystem = { name: s.name, index, base: base!, staticGenerators, md, test: [] };
    s.candidates.forEach((g, k) => {
      if ('md' in g) {
        md.push(g.md);
        return;
      }
      const key = Object.keys(g)[0] as 'scan' | 'displacements' | 'fragments';
      const gen = { key, spec: { kind: key, ...(g as Record<string, object>)[key] } as SamplerSpec };
      // sample once now, so that a bad sampler is reported before any work
      checkSampler(system, gen, config.seed, `${at}.candidates[${k}]`, fail);
      staticGenerators.push(gen);
    });
    s.test.forEach((g, k) => {
      const key = Object.keys(g)[0] as 'scan' | 'displacements' | 'fragments';
      const gen = { key, spec: { kind: key, ...(g as Record<string, object>)[key] } as SamplerSpec };
      checkSampler(system, gen, config.seed, `${at}.test[${k}]`, fail);
      system.test.push(gen);
    });
    return system;
  });
  const checkSpec = (spec: MethodSpec, where: string): void => {
    for (const sys of systems) {
      try {
        resolveMethodSpec(spec, { kind: 'molecule', charge: sys.base.charge, multiplicity: sys.base.multiplicity });
      } catch (e) {
        if (e instanceof InputError) fail(where, e.message);
        throw e;
      }
    }
  };
  checkSpec(config.truth as unknown as MethodSpec, 'truth');
  const labNames = new Set<string>();
  const labellers = config.labellers.map((l, index): Labeller => {
    const at = `labellers[${index}]`;
    if (labNames.has(l.name)) fail(`${at}.name`, `'${l.name}' is used twice`);
    labNames.add(l.name);
    const spec = l.spec as unknown as MethodSpec;
    checkSpec(spec, `${at}.spec`);
    const measuring = isMeasuring(spec);
    if (l.cost === undefined && !measuring) fail(`${at}.cost`, 'is required for a labeller without shots (give perLabel or perSecond)');
    const cost = { perShot: l.cost?.perShot ?? (l.cost === undefined ? 1 : 0), perSecond: l.cost?.perSecond ?? 0, perLabel: l.cost?.perLabel ?? 0 };
    if (!measuring && cost.perSecond === 0 && cost.perLabel === 0) fail(`${at}.cost`, 'a labeller without shots needs perLabel or perSecond');
    return {
      name: l.name,
      index,
      spec,
      quantum: QUANTUM_METHODS.includes(spec.method as MethodName),
      measuring,
      cost,
      expectedStandardErrorHartree: l.expectedStandardErrorHartree ?? (measuring ? null : 0),
    };
  });
  const fixedName = config.fixedLabeller ?? labellers[0]!.name;
  const fixedLabeller = labellers.find((l) => l.name === fixedName) ?? fail('fixedLabeller', `no labeller named '${fixedName}'`);
  return { file, config, systems, labellers, fixedLabeller };
}

function checkSampler(
  system: LoopSystem,
  g: { key: string; spec: SamplerSpec },
  seed: number,
  where: string,
  fail: (where: string, problem: string) => never,
): void {
  try {
    sampleGeometries(system.base, g.spec, seed);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    if (e.message.startsWith(`${g.key}.`)) fail(`${where}.${e.message.split(':')[0]}`, e.message.split(':').slice(1).join(':').trim());
    fail(`${where}.${g.key}`, e.message);
  }
}

/** Read, validate and load a loop file. */
export function loadLoopFile(path: string): LoopConfig {
  const text = readTextFile(path, 'loop file');
  return buildLoop(parseLoopText(text, path), path, dirname(resolve(path)));
}
