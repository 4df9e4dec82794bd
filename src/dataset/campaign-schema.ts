/**
 * The schema of campaign files (YAML or JSON), checked with zod. Lengths in Ångström and angles in
 * degrees, as in the geometry samplers' specs; method specs exactly as the method layer takes them
 * (their keys and values are checked by the method layer when the jobs are built).
 *
 * ```yaml
 * name: water-and-chains          # identifies the campaign in the store
 * seed: 7                         # geometry sampling and every method's default seed
 * quantities: [energy, forces]    # energy is always computed; forces, dipole on request
 * budgets: { maxLabels: 500, maxShots: 1000000, maxWallSeconds: 3600 }
 * methods:
 *   - { method: hf, basis: sto-3g }
 *   - { method: vqe, basis: sto-3g, backend: { name: shots, shots: 10000 } }
 * molecules:
 *   - example: h2o                # a shipped example (examples/h2o.xyz)
 *     scan: { coordinate: bond, atoms: [0, 1], fromAngstrom: 0.8, toAngstrom: 1.2, steps: 5 }
 *   - xyz: ../lih.xyz             # relative to the campaign file
 *     displacements: { count: 4, sigmaAngstrom: 0.02 }
 *   - smiles: CO
 *   - chain: { atoms: 4, shape: linear, count: 3, bondAngstrom: [0.8, 1.4] }
 *     methods: [{ method: fci, basis: sto-3g }]   # per-molecule override
 * ```
 */
import { z } from 'zod';
import { METHODS } from '../methods/index.js';

const positiveInt = z.int({ error: 'expected a positive integer' }).min(1, { error: 'expected a positive integer' });
const nonNegativeInt = z.int({ error: 'expected a non-negative integer' }).min(0, { error: 'expected a non-negative integer' });
const atomIndex = z.int({ error: 'expected an atom index (0-based integer)' }).min(0, { error: 'expected an atom index (0-based integer)' });
const positive = z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' });
const range = z.union([positive, z.tuple([positive, positive])], {
  error: 'expected a positive number or [min, max]',
});
const move = z.enum(['atom', 'fragment']).optional();

const bondScan = z.strictObject({
  coordinate: z.literal('bond'),
  atoms: z.tuple([atomIndex, atomIndex], { error: 'expected two atom indices [i, j]' }),
  fromAngstrom: positive,
  toAngstrom: positive,
  steps: positiveInt,
  move,
});
const angleScan = z.strictObject({
  coordinate: z.literal('angle'),
  atoms: z.tuple([atomIndex, atomIndex, atomIndex], { error: 'expected three atom indices [i, j, k]' }),
  fromDegrees: positive,
  toDegrees: positive,
  steps: positiveInt,
  move,
});

/** Sampler sections of a molecule entry, keyed by the sampler kind (the `kind` is implied by the key). */
export const samplerSchemas = {
  scan: z.discriminatedUnion('coordinate', [bondScan, angleScan], { error: "expected coordinate: bond or angle" }),
  displacements: z.strictObject({ count: positiveInt, sigmaAngstrom: positive, removeTranslation: z.boolean().optional() }),
  normalModes: z.strictObject({
    count: positiveInt,
    temperatureKelvin: positive,
    distribution: z.enum(['classical', 'quantum']).optional(),
    minWavenumber: z.number().min(0).optional(),
  }),
  chain: z.strictObject({
    atoms: z.int().min(2, { error: 'expected an integer ≥ 2' }),
    shape: z.enum(['linear', 'zigzag', 'dimerised', 'bent']),
    count: positiveInt,
    bondAngstrom: range,
    secondBondAngstrom: range.optional(),
    angleDegrees: range.optional(),
    charge: z.int().optional(),
    multiplicity: positiveInt.optional(),
  }),
  ring: z.strictObject({
    atoms: z.int().min(3, { error: 'expected an integer ≥ 3' }),
    shape: z.enum(['regular', 'dimerised', 'bent']),
    count: positiveInt,
    bondAngstrom: range,
    secondBondAngstrom: range.optional(),
    puckerAngstrom: positive.optional(),
    charge: z.int().optional(),
    multiplicity: positiveInt.optional(),
  }),
  fragments: z.strictObject({
    size: positiveInt,
    count: positiveInt,
    seedAtoms: z.array(atomIndex).optional(),
    capHydrogens: z.boolean().optional(),
  }),
} as const;

/** The sampler kinds a molecule entry may name. */
export const SAMPLER_KEYS = Object.keys(samplerSchemas) as (keyof typeof samplerSchemas)[];

const quantity = z.enum(['energy', 'forces', 'dipole'], { error: 'expected energy, forces or dipole' });

/** A method spec: checked here for its method name only; the method layer checks the rest. */
const methodSpec = z.looseObject({
  method: z.enum(METHODS, { error: `expected one of ${METHODS.join(', ')}` }),
});

const moleculeEntry = z.strictObject({
  /** A name for reports (default: the source). */
  name: z.string().min(1).optional(),
  xyz: z.string().min(1).optional(),
  example: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'expected the name of a shipped example such as h2o' }).optional(),
  smiles: z.string().min(1).optional(),
  charge: z.int({ error: 'expected an integer' }).optional(),
  multiplicity: positiveInt.optional(),
  /** Seed of this entry's sampler (default: derived from the campaign seed and the entry's index). */
  seed: nonNegativeInt.optional(),
  /** Basis of the RHF Hessian for normal-mode sampling (default: the first method's basis). */
  hessianBasis: z.string().min(1).optional(),
  methods: z.array(methodSpec).min(1).optional(),
  quantities: z.array(quantity).min(1).optional(),
  scan: samplerSchemas.scan.optional(),
  displacements: samplerSchemas.displacements.optional(),
  normalModes: samplerSchemas.normalModes.optional(),
  chain: samplerSchemas.chain.optional(),
  ring: samplerSchemas.ring.optional(),
  fragments: samplerSchemas.fragments.optional(),
});

/** The whole campaign file. */
export const campaignSchema = z.strictObject({
  name: z.string({ error: 'expected a campaign name' }).min(1, { error: 'expected a campaign name' }),
  description: z.string().optional(),
  seed: nonNegativeInt,
  quantities: z.array(quantity).min(1).default(['energy']),
  budgets: z
    .strictObject({
      maxLabels: positiveInt.optional(),
      maxShots: positiveInt.optional(),
      maxWallSeconds: positive.optional(),
    })
    .default({}),
  methods: z.array(methodSpec, { error: 'expected a list of method specs' }).min(1, { error: 'expected at least one method spec' }),
  molecules: z.array(moleculeEntry, { error: 'expected a list of molecules' }).min(1, { error: 'expected at least one molecule' }),
});

/** A campaign file as parsed (before molecules are loaded and jobs are built). */
export type CampaignFile = z.infer<typeof campaignSchema>;
/** One molecule entry of a campaign file. */
export type CampaignMoleculeEntry = z.infer<typeof moleculeEntry>;

/** `molecules[1].scan.steps` from a zod issue path. */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

/** The value at a key path of the raw input (undefined when absent). */
export function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** A user-facing problem from a zod issue on `raw`: unknown keys and missing keys named, the schema's wording otherwise. */
export function issueProblem(issue: z.core.$ZodIssue, raw: unknown): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  if (issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined) return 'is required';
  return issue.message;
}
