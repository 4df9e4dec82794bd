/**
 * Campaign files: read, validate (see campaign-schema.ts for the format) and expand into jobs — one
 * per (sampled geometry, method spec), keyed by content hash, duplicates dropped.
 *
 * Every error is an InputError naming the file, the key path and the problem, e.g.
 * `campaign.yaml: molecules[1].scan.steps: expected a positive integer`.
 *
 * Seeds: each molecule entry samples its geometries with its own `seed`, else with one derived from
 * the campaign seed and the entry's index (the first 32 bits of sha256("<seed>/<index>")); every
 * method spec without a `seed` runs with the campaign seed. The same file therefore always gives the
 * same jobs, and the same jobs the same labels.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { InputError, readTextFile } from '../core/index.js';
import {
  type Molecule,
  type SamplerSpec,
  moleculeFromSmiles,
  readXyzFile,
  sampleGeometries,
  validateChargeAndMultiplicity,
} from '../chem/index.js';
import { type MethodSpec, resolveMethodSpec } from '../methods/index.js';
import {
  type CampaignFile,
  type CampaignMoleculeEntry,
  SAMPLER_KEYS,
  campaignSchema,
  issueProblem,
  keyPath,
} from './campaign-schema.js';
import { rhfHessian } from './hessian.js';
import { geometryHash, jobKey, sha256Hex } from './keys.js';
import { type JobInput, type Quantity, quantityMask } from './store.js';

/** One job of a campaign. */
export interface CampaignJob extends JobInput {
  /** Index of the molecule entry it came from. */
  entry: number;
}

/** A validated campaign with its jobs. */
export interface Campaign {
  /** The campaign file as given (null for a campaign built in memory). */
  file: string | null;
  name: string;
  seed: number;
  quantities: Quantity[];
  budgets: CampaignFile['budgets'];
  /** The validated file content (defaults filled in), as stored in the database. */
  config: CampaignFile;
  /** Every job, in file order, without duplicates. */
  jobs: CampaignJob[];
}

/** Where the shipped example geometries live (`examples/*.xyz` of the package). */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));

/** Parse and validate a campaign's text (YAML or JSON). `fileName` names the file in errors. */
export function parseCampaignText(text: string, fileName: string): CampaignFile {
  let raw: unknown;
  try {
    raw = extname(fileName).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { uniqueKeys: true });
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const line = e.linePos?.[0]?.line;
      throw new InputError(e.message.split('\n')[0]!, { file: fileName, line });
    }
    throw new InputError(`not valid JSON: ${(e as Error).message}`, { file: fileName });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError('expected a mapping with name, seed, methods and molecules', { file: fileName });
  }
  const parsed = campaignSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = keyPath(issue.path);
    throw new InputError(`${where === '' ? '' : `${where}: `}${issueProblem(issue, raw)}`, { file: fileName });
  }
  return parsed.data;
}

/** Read, validate and expand a campaign file. */
export function loadCampaignFile(path: string): Campaign {
  const text = readTextFile(path, 'campaign file');
  return buildCampaign(parseCampaignText(text, path), path, dirname(resolve(path)));
}

/** The 32-bit sampling seed of molecule entry `index`. */
export function entrySeed(campaignSeed: number, index: number): number {
  return Number.parseInt(sha256Hex(`${campaignSeed}/${index}`).slice(0, 8), 16);
}

function shippedExample(name: string, fail: (p: string) => never): Molecule {
  const path = resolve(EXAMPLES_DIR, `${name}.xyz`);
  if (!existsSync(path)) {
    const known = existsSync(EXAMPLES_DIR)
      ? readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.xyz')).map((f) => f.slice(0, -4)).sort()
      : [];
    fail(`no shipped example '${name}' (known: ${known.join(', ')})`);
  }
  return readXyzFile(path);
}

/** The entry's base molecule (undefined for hydrogen chains and rings, which need none). */
function baseMolecule(entry: CampaignMoleculeEntry, seed: number, baseDir: string, fail: (p: string, key?: string) => never): Molecule | undefined {
  const sources = (['xyz', 'example', 'smiles'] as const).filter((k) => entry[k] !== undefined);
  const generated = entry.chain !== undefined || entry.ring !== undefined;
  if (generated) {
    if (sources.length > 0) fail(`a ${entry.chain ? 'chain' : 'ring'} builds its own geometry: remove '${sources[0]}'`);
    if (entry.charge !== undefined || entry.multiplicity !== undefined) {
      fail(`give the charge and multiplicity of a ${entry.chain ? 'chain' : 'ring'} inside its section`);
    }
    return undefined;
  }
  if (sources.length !== 1) {
    fail(sources.length === 0 ? 'give one of xyz, example, smiles (or a chain or ring)' : `give only one of ${sources.join(', ')}`);
  }
  let m: Molecule;
  try {
    if (entry.xyz !== undefined) m = readXyzFile(resolve(baseDir, entry.xyz));
    else if (entry.example !== undefined) m = shippedExample(entry.example, (p) => fail(p, 'example'));
    else m = moleculeFromSmiles(entry.smiles!, seed);
  } catch (e) {
    if (e instanceof InputError) fail(e.message, sources[0]);
    throw e;
  }
  if (entry.charge !== undefined || entry.multiplicity !== undefined) {
    const { source: _source, ...rest } = m;
    m = { ...rest, charge: entry.charge ?? m.charge, multiplicity: entry.multiplicity ?? m.multiplicity };
    try {
      validateChargeAndMultiplicity(m);
    } catch (e) {
      if (e instanceof InputError) fail(e.message, entry.charge !== undefined ? 'charge' : 'multiplicity');
      throw e;
    }
  }
  return m;
}

/** The entry's sampler spec, or null when the entry is one geometry. */
function samplerOf(entry: CampaignMoleculeEntry, fail: (p: string) => never): { key: string; spec: SamplerSpec } | null {
  const keys = SAMPLER_KEYS.filter((k) => entry[k] !== undefined);
  if (keys.length > 1) fail(`give at most one sampler (found ${keys.join(', ')})`);
  if (keys.length === 0) return null;
  const key = keys[0]!;
  return { key, spec: { kind: key, ...(entry[key] as object) } as SamplerSpec };
}

/**
 * Expand a validated campaign into jobs: load each entry's molecule, sample its geometries and
 * pair every geometry with every method spec. Method specs are checked by the method layer here,
 * so a bad spec is reported before any work starts.
 */
export function buildCampaign(config: CampaignFile, file: string | null, baseDir: string = process.cwd()): Campaign {
  const fileName = file ?? '<campaign>';
  const jobs: CampaignJob[] = [];
  const seen = new Map<string, CampaignJob>();
  config.molecules.forEach((entry, index) => {
    const at = `molecules[${index}]`;
    const fail = (problem: string, key?: string): never => {
      throw new InputError(`${at}${key === undefined ? '' : `.${key}`}: ${problem}`, { file: fileName });
    };
    const seed = entry.seed ?? entrySeed(config.seed, index);
    const base = baseMolecule(entry, seed, baseDir, fail);
    const sampler = samplerOf(entry, fail);
    const methods = (entry.methods ?? config.methods) as unknown as MethodSpec[];
    const methodsAt = entry.methods !== undefined ? `${at}.methods` : 'methods';
    let geometries: Molecule[];
    if (sampler === null) {
      geometries = [base!];
    } else {
      const hessianBasis = entry.hessianBasis ?? methods.find((m) => typeof m.basis === 'string')?.basis ?? 'sto-3g';
      try {
        geometries = sampleGeometries(base, sampler.spec, seed, {
          hessianHartreePerBohr2: (m) => rhfHessian(m, hessianBasis),
        });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        // the samplers name their own key ('scan.atoms: …'): only the entry is missing
        if (e.message.startsWith(`${sampler.key}.`)) throw new InputError(`${at}.${e.message}`, { file: fileName });
        return fail(e.message, sampler.key);
      }
    }
    const quantities = quantityMask((entry.quantities ?? config.quantities) as Quantity[]);
    for (const molecule of geometries) {
      const gHash = geometryHash(molecule);
      methods.forEach((method, k) => {
        const spec: MethodSpec = { ...method, seed: method.seed ?? config.seed };
        let resolved;
        try {
          resolved = resolveMethodSpec(spec, { kind: 'molecule', charge: molecule.charge, multiplicity: molecule.multiplicity });
        } catch (e) {
          if (e instanceof InputError) throw new InputError(`${methodsAt}[${k}]: ${e.message} (for ${at})`, { file: fileName });
          throw e;
        }
        const key = jobKey(gHash, resolved, resolved.seed);
        const earlier = seen.get(key);
        if (earlier !== undefined) {
          // the same job asked for twice: compute it once with every quantity asked for
          earlier.quantities |= quantities;
          return;
        }
        const job: CampaignJob = { key, geometryHash: gHash, molecule, spec, seed: resolved.seed, quantities, entry: index };
        seen.set(key, job);
        jobs.push(job);
      });
    }
  });
  return {
    file,
    name: config.name,
    seed: config.seed,
    quantities: config.quantities as Quantity[],
    budgets: config.budgets,
    config,
    jobs,
  };
}
