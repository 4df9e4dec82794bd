/**
 * Method specifications: the plain, JSON-serialisable description of one calculation — method,
 * basis, charge and multiplicity, orbital space, quantum-algorithm settings, backend and seed.
 *
 * A {@link MethodSpec} is what a caller writes (every key but `method` optional); {@link resolveMethodSpec}
 * validates it against the input and returns a {@link ResolvedMethodSpec} in which every key is
 * present: the default where the key applies to the method, `null` where it does not. The resolved
 * spec is what a result's provenance records, so the same resolved spec always gives the same result.
 *
 * The names and defaults of the quantum settings are spelled here rather than imported, so that
 * validating a spec does not load the quantum stages (spec.test.ts checks that they agree with the
 * qubits and algorithms stages).
 */
import { DEFAULT_SEED, InputError } from '../core/index.js';
import type { FermionMapping } from '../qubits/index.js';
import type { AdaptPoolName, AnsatzName } from '../algorithms/index.js';
import type { BackendSpec } from '../backends/index.js';
import type { SpecReference } from './policy.js';

/** Every method of the method layer. */
export const METHODS = ['hf', 'uhf', 'mp2', 'ccsd', 'ccsd(t)', 'fci', 'vqe', 'adapt-vqe', 'qpe'] as const;
/** A method name. */
export type MethodName = (typeof METHODS)[number];

/** The methods that run a quantum algorithm (on a backend). */
export const QUANTUM_METHODS: readonly MethodName[] = ['vqe', 'adapt-vqe', 'qpe'];
/** The mean-field methods (no orbital space, no correlation energy). */
export const SCF_METHODS: readonly MethodName[] = ['hf', 'uhf'];

/**
 * A VQE ansatz of a spec: the circuit families of runVqe, or 'compact' — QEB-ADAPT grown and
 * optimised on the exact simulator within a two-qubit-gate budget, its compiled circuit measured on
 * the backend (runCompactVqe); the default on the noisy and IonQ backends.
 */
export type SpecAnsatzName = AnsatzName | 'compact';

/** VQE ansätze selectable in a spec. */
export const ANSATZE: readonly SpecAnsatzName[] = ['uccsd', 'kupccgsd', 'hea', 'compact'];

/** Backends that run circuits on a (real or emulated) noisy device: quantum methods default to compact circuits there. */
export const NOISY_BACKENDS: readonly string[] = ['noisy', 'ionq'];

/** Two-qubit-gate budget of the 'compact' ansatz when the spec gives none (runCompactVqe's default). */
export const DEFAULT_COMPACT_BUDGET = 64;

/** Fermion-to-qubit mappings selectable in a spec (the qubits stage's FERMION_MAPPINGS). */
export const SPEC_MAPPINGS: readonly FermionMapping[] = ['jordan-wigner', 'bravyi-kitaev', 'parity'];
/** ADAPT-VQE operator pools. */
export const ADAPT_POOLS: readonly AdaptPoolName[] = ['fermionic', 'fermionic-generalized', 'singlet', 'generalized-pair', 'qubit', 'qeb'];

/** Largest FCI space solved to give the reference energy of a quantum method (and the ladder's FCI rung). */
export const MAX_REFERENCE_FCI_DETERMINANTS = 1_000_000;

/** An active space: `nElectrons` electrons in `nOrbitals` spatial orbitals around the Fermi level. */
export interface ActiveSpace {
  nElectrons: number;
  nOrbitals: number;
}

/**
 * What to compute. Keys that do not apply to the method must be absent (a `false` boolean and
 * `roots: 1` are accepted for any method). Plain data: it survives JSON.stringify / JSON.parse.
 */
export interface MethodSpec {
  method: MethodName;
  /** Basis-set name or .gbs path; required for a molecule, ignored for a Hamiltonian input. */
  basis?: string;
  /** Total charge; overrides the molecule's (default: the molecule's). */
  charge?: number;
  /** Spin multiplicity 2S+1; overrides the molecule's (default: the molecule's). */
  multiplicity?: number;
  /** Do not correlate the chemical core (correlated methods; default false). */
  frozenCore?: boolean;
  /** Correlate only this active space (correlated methods). */
  active?: ActiveSpace;
  /** fci: number of states (default 1). */
  roots?: number;
  /** Fermion-to-qubit mapping (quantum methods; default 'jordan-wigner'). */
  mapping?: FermionMapping;
  /** vqe ansatz (default 'uccsd'; 'compact' on the noisy and ionq backends). */
  ansatz?: SpecAnsatzName;
  /** vqe layers (default 1; 2 for 'hea'). */
  layers?: number;
  /** adapt-vqe operator pool (default 'fermionic-generalized'). */
  pool?: AdaptPoolName;
  /** qpe phase bits (default: the algorithm's choice). */
  bits?: number;
  /** vqe: remove qubits by Z2 symmetries (default false). */
  taper?: boolean;
  /** Where the quantum methods run (default: the exact state vector). */
  backend?: BackendSpec;
  /** Seed of every random choice (default 0). */
  seed?: number;
  /**
   * The SCF reference: 'rohf' or 'uhf' for an open shell (default: the policy of referencePlan);
   * 'rhf' only for a closed-shell singlet, where it is the default. Molecule input only.
   */
  reference?: SpecReference;
  /** SCF iteration limit (molecule input; default 100). */
  scfMaxIterations?: number;
  /**
   * adapt-vqe, and vqe with the 'compact' ansatz: largest two-qubit-gate count of the compiled
   * circuit (adapt-vqe default: no limit; compact default {@link DEFAULT_COMPACT_BUDGET}).
   */
  maxTwoQubitGates?: number;
  /**
   * How the SCF builds J and K (molecule input): 'pk' stored exact integrals (default; 'direct' by
   * itself when they exceed the memory limit), 'direct' exact integrals recomputed each iteration,
   * 'df' density fitting with the JKFIT basis paired with `basis` (changes the energy by the
   * fitting error).
   */
  scfType?: 'pk' | 'df' | 'direct';
}

/** A validated {@link MethodSpec} with every key present: defaults where a key applies, null where it does not. */
export interface ResolvedMethodSpec {
  method: MethodName;
  basis: string | null;
  charge: number | null;
  multiplicity: number | null;
  frozenCore: boolean;
  active: ActiveSpace | null;
  roots: number | null;
  mapping: FermionMapping | null;
  ansatz: SpecAnsatzName | null;
  layers: number | null;
  pool: AdaptPoolName | null;
  /** null for qpe: the algorithm chooses (recorded in the result). */
  bits: number | null;
  taper: boolean | null;
  backend: BackendSpec | null;
  seed: number;
  /** The SCF the method ran on ('rhf', 'uhf' or 'rohf'); null for a Hamiltonian input. */
  reference: 'rhf' | 'uhf' | 'rohf' | null;
  scfMaxIterations: number | null;
  /**
   * Two-qubit-gate budget: adapt-vqe's when given, the compact ansatz's always; absent otherwise, so
   * other specs keep their content hash.
   */
  maxTwoQubitGates?: number;
  /** SCF type; present only when given and not 'pk', so other specs keep their content hash. */
  scfType?: 'df' | 'direct';
}

/** Every key a spec may carry, in a fixed order (the order of {@link ResolvedMethodSpec}). */
export const METHOD_SPEC_KEYS: readonly (keyof MethodSpec)[] = [
  'method', 'basis', 'charge', 'multiplicity', 'frozenCore', 'active', 'roots', 'mapping', 'ansatz', 'layers',
  'pool', 'bits', 'taper', 'backend', 'seed', 'reference', 'scfMaxIterations', 'maxTwoQubitGates',
  'scfType',
];

/**
 * How validation messages name a spec key: the library writes `'roots'`, the command line `--roots`.
 * Only the wording of errors depends on it.
 */
export type SpecKeyLabel = (key: string) => string;

/** Default key names in messages: the spec key in quotes. */
export const specKeyName: SpecKeyLabel = (key) => `'${key}'`;

/** What the spec is resolved against: a molecule's charge and multiplicity, or a given Hamiltonian. */
export type SpecInput = { kind: 'molecule'; charge: number; multiplicity: number } | { kind: 'hamiltonian' };

function fail(label: SpecKeyLabel, key: keyof MethodSpec, problem: string): never {
  throw new InputError(`${label(key)} ${problem}`);
}

function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function checkInteger(label: SpecKeyLabel, key: keyof MethodSpec, v: unknown, min: number): void {
  if (v === undefined) return;
  if (!isInteger(v) || v < min) fail(label, key, `must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
}

function checkChoice(label: SpecKeyLabel, key: keyof MethodSpec, v: unknown, choices: readonly string[]): void {
  if (v === undefined) return;
  if (typeof v !== 'string' || !choices.includes(v)) fail(label, key, `must be one of ${choices.join(', ')}, got ${JSON.stringify(v)}`);
}

function checkBoolean(label: SpecKeyLabel, key: keyof MethodSpec, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean') fail(label, key, `must be true or false, got ${JSON.stringify(v)}`);
}

/** The keys each backend accepts (besides `name`), and which of them are required. */
const BACKEND_KEYS: Record<string, { keys: readonly string[]; required: readonly string[] }> = {
  statevector: { keys: [], required: [] },
  shots: { keys: ['shots', 'seed', 'allocation', 'mitigation'], required: ['shots'] },
  noisy: { keys: ['device', 'shots', 'seed', 'engine', 'allocation', 'mitigation'], required: ['device', 'shots'] },
  ionq: { keys: ['target', 'shots', 'noiseModel', 'seed', 'allocation', 'mitigation'], required: ['target', 'shots'] },
};

/** Validate the shape of a backend spec (plain data); the backend itself checks the values it interprets (a device name, a noise file). */
function checkBackend(label: SpecKeyLabel, v: unknown): void {
  if (v === undefined) return;
  const b = v as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(label, 'backend', 'must be an object such as {"name": "statevector"}');
  const shape = typeof b.name === 'string' ? BACKEND_KEYS[b.name] : undefined;
  if (shape === undefined) {
    fail(label, 'backend', `name must be one of ${Object.keys(BACKEND_KEYS).join(', ')}, got ${JSON.stringify(b.name)}`);
  }
  for (const k of Object.keys(b)) if (k !== 'name' && !shape.keys.includes(k)) fail(label, 'backend', `has an unknown key '${k}' for ${String(b.name)}`);
  for (const k of shape.required) if (b[k] === undefined) fail(label, 'backend', `${String(b.name)} needs '${k}'`);
  if (b.shots !== undefined && (!isInteger(b.shots) || b.shots < 1)) fail(label, 'backend', `shots must be a positive integer, got ${JSON.stringify(b.shots)}`);
  if (b.seed !== undefined && (!isInteger(b.seed) || b.seed < 0)) {
    fail(label, 'backend', `seed must be a non-negative integer, got ${JSON.stringify(b.seed)}`);
  }
  for (const k of ['device', 'target', 'noiseModel'] as const) {
    if (b[k] !== undefined && (typeof b[k] !== 'string' || b[k] === '')) fail(label, 'backend', `${k} must be a non-empty string, got ${JSON.stringify(b[k])}`);
  }
  if (b.allocation !== undefined && !['uniform', 'weighted', 'variance-optimal'].includes(b.allocation as string)) {
    fail(label, 'backend', `allocation must be uniform, weighted or variance-optimal, got ${JSON.stringify(b.allocation)}`);
  }
  if (b.mitigation !== undefined) {
    const m = b.mitigation;
    if (!Array.isArray(m) || m.some((x) => !['readout', 'zne', 'symmetry'].includes(x as string)) || new Set(m).size !== m.length) {
      fail(label, 'backend', `mitigation must be a list of distinct readout, zne, symmetry, got ${JSON.stringify(m)}`);
    }
  }
  if (b.engine !== undefined && b.engine !== 'density-matrix' && b.engine !== 'trajectories') {
    fail(label, 'backend', `engine must be 'density-matrix' or 'trajectories', got ${JSON.stringify(b.engine)}`);
  }
}

function checkShape(spec: MethodSpec, label: SpecKeyLabel): void {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new InputError('method spec must be an object');
  for (const key of Object.keys(spec)) {
    if (!(METHOD_SPEC_KEYS as readonly string[]).includes(key)) {
      throw new InputError(`method spec: unknown key '${key}' (known: ${METHOD_SPEC_KEYS.join(', ')})`);
    }
  }
  if (spec.method === undefined) fail(label, 'method', 'is required');
  checkChoice(label, 'method', spec.method, METHODS);
  if (spec.basis !== undefined && (typeof spec.basis !== 'string' || spec.basis.trim() === '')) {
    fail(label, 'basis', `must be a basis-set name or a .gbs path, got ${JSON.stringify(spec.basis)}`);
  }
  if (spec.charge !== undefined && !isInteger(spec.charge)) fail(label, 'charge', `must be an integer, got ${JSON.stringify(spec.charge)}`);
  checkInteger(label, 'multiplicity', spec.multiplicity, 1);
  checkBoolean(label, 'frozenCore', spec.frozenCore);
  if (spec.active !== undefined) {
    const a = spec.active as unknown as Record<string, unknown>;
    const keys = typeof a === 'object' && a !== null ? Object.keys(a).sort().join(',') : '';
    if (keys !== 'nElectrons,nOrbitals' || !isInteger(a.nElectrons) || !isInteger(a.nOrbitals) || a.nElectrons < 1 || a.nOrbitals < 1) {
      fail(label, 'active', `must be {nElectrons, nOrbitals} with two positive integers, got ${JSON.stringify(spec.active)}`);
    }
    if (a.nElectrons > 2 * a.nOrbitals) {
      fail(label, 'active', `${a.nElectrons} electrons do not fit into ${a.nOrbitals} orbitals (at most ${2 * a.nOrbitals})`);
    }
  }
  checkInteger(label, 'roots', spec.roots, 1);
  checkChoice(label, 'mapping', spec.mapping, SPEC_MAPPINGS);
  checkChoice(label, 'ansatz', spec.ansatz, ANSATZE);
  checkInteger(label, 'layers', spec.layers, 1);
  checkChoice(label, 'pool', spec.pool, ADAPT_POOLS);
  checkInteger(label, 'bits', spec.bits, 1);
  checkBoolean(label, 'taper', spec.taper);
  checkBackend(label, spec.backend);
  checkInteger(label, 'seed', spec.seed, 0);
  checkChoice(label, 'reference', spec.reference, ['rhf', 'uhf', 'rohf']);
  checkInteger(label, 'scfMaxIterations', spec.scfMaxIterations, 1);
  checkInteger(label, 'maxTwoQubitGates', spec.maxTwoQubitGates, 0);
  checkChoice(label, 'scfType', spec.scfType, ['pk', 'df', 'direct']);
}

/**
 * Validate `spec` for `input` and fill every default.
 * @param label how messages name a key (default: the spec key)
 * @throws InputError naming the offending key
 */
export function resolveMethodSpec(spec: MethodSpec, input: SpecInput, label: SpecKeyLabel = specKeyName): ResolvedMethodSpec {
  checkShape(spec, label);
  const method = spec.method;
  const quantum = QUANTUM_METHODS.includes(method);
  const correlated = !SCF_METHODS.includes(method);
  const onlyFor = (key: keyof MethodSpec, given: boolean, methods: readonly string[]) => {
    if (given && !methods.includes(method)) throw new InputError(`${label(key)} applies to ${methods.join(', ')}, not ${method}`);
  };
  onlyFor('mapping', spec.mapping !== undefined, QUANTUM_METHODS);
  onlyFor('taper', spec.taper === true, ['vqe']);
  onlyFor('ansatz', spec.ansatz !== undefined, ['vqe']);
  onlyFor('layers', spec.layers !== undefined, ['vqe']);
  onlyFor('pool', spec.pool !== undefined, ['adapt-vqe']);
  onlyFor('maxTwoQubitGates', spec.maxTwoQubitGates !== undefined, ['adapt-vqe', 'vqe']);
  onlyFor('bits', spec.bits !== undefined, ['qpe']);
  onlyFor('backend', spec.backend !== undefined, QUANTUM_METHODS);
  if ((spec.roots ?? 1) > 1 && method !== 'fci') throw new InputError(`${label('roots')} applies to fci only, not ${method}`);
  if (!correlated && (spec.frozenCore || spec.active)) {
    throw new InputError(`${label('frozenCore')} and ${label('active')} apply to correlated methods, not ${method}`);
  }
  if (spec.frozenCore && spec.active) {
    throw new InputError(
      `give either ${label('frozenCore')} or ${label('active')}: the active space already keeps the orbitals below it doubly occupied`,
    );
  }
  if (input.kind === 'hamiltonian') {
    if (!correlated) throw new InputError(`a Hamiltonian input needs a correlated method (${METHODS.filter((m) => !SCF_METHODS.includes(m)).join(', ')}), not ${method}`);
    if (spec.active) fail(label, 'active', 'does not apply to a Hamiltonian input (choose the active space when building the Hamiltonian)');
    if (spec.frozenCore) fail(label, 'frozenCore', 'does not apply to a Hamiltonian input (freeze orbitals when building the Hamiltonian)');
    if (spec.reference !== undefined) fail(label, 'reference', 'does not apply to a Hamiltonian input (its orbitals are given)');
    if (spec.charge !== undefined || spec.multiplicity !== undefined) {
      fail(label, spec.charge !== undefined ? 'charge' : 'multiplicity', 'does not apply to a Hamiltonian input (it fixes the electron counts)');
    }
  } else if (spec.basis === undefined) {
    fail(label, 'basis', 'is required for a molecule');
  }
  // on a noisy device, the compact circuits unless the user chose otherwise
  const noisyBackend = quantum && spec.backend !== undefined && NOISY_BACKENDS.includes(spec.backend.name);
  const ansatz: SpecAnsatzName | null = method === 'vqe' ? (spec.ansatz ?? (noisyBackend ? 'compact' : 'uccsd')) : null;
  const pool: AdaptPoolName | null = method === 'adapt-vqe' ? (spec.pool ?? (noisyBackend ? 'qeb' : 'fermionic-generalized')) : null;
  if (ansatz === 'compact') {
    if (spec.layers !== undefined) fail(label, 'layers', "does not apply to the 'compact' ansatz (its size is set by the two-qubit-gate budget)");
    if (spec.taper === true) fail(label, 'taper', "does not apply to the 'compact' ansatz (qubit-excitation circuits need the untapered Jordan–Wigner register)");
    if (spec.mapping !== undefined && spec.mapping !== 'jordan-wigner') fail(label, 'mapping', "must be jordan-wigner with the 'compact' ansatz");
  } else if (method === 'vqe' && spec.maxTwoQubitGates !== undefined) {
    fail(label, 'maxTwoQubitGates', `applies to adapt-vqe and to vqe with the 'compact' ansatz, not the ${String(ansatz)} ansatz`);
  }
  const layers = method === 'vqe' && ansatz !== 'compact' ? (spec.layers ?? (ansatz === 'hea' ? 2 : 1)) : null;
  const budget = ansatz === 'compact' ? (spec.maxTwoQubitGates ?? DEFAULT_COMPACT_BUDGET) : spec.maxTwoQubitGates;
  const seed = spec.seed ?? DEFAULT_SEED;
  let backend: BackendSpec | null = null;
  if (quantum) {
    const b = spec.backend ?? { name: 'statevector' };
    // a measuring backend without its own seed draws from the spec's seed, so the record names the seed used
    backend = b.name === 'statevector' ? { name: 'statevector' } : { ...b, seed: b.seed ?? seed };
  }
  return {
    method,
    basis: input.kind === 'molecule' ? spec.basis! : null,
    charge: input.kind === 'molecule' ? (spec.charge ?? input.charge) : null,
    multiplicity: input.kind === 'molecule' ? (spec.multiplicity ?? input.multiplicity) : null,
    frozenCore: spec.frozenCore ?? false,
    active: spec.active ? { nElectrons: spec.active.nElectrons, nOrbitals: spec.active.nOrbitals } : null,
    roots: method === 'fci' ? (spec.roots ?? 1) : null,
    mapping: quantum ? (spec.mapping ?? 'jordan-wigner') : null,
    ansatz,
    layers,
    pool,
    bits: method === 'qpe' ? (spec.bits ?? null) : null,
    taper: method === 'vqe' ? (spec.taper ?? false) : null,
    backend,
    seed,
    // the explicit choice here; the method layer records the SCF its policy ran
    reference: spec.reference ?? null,
    scfMaxIterations: input.kind === 'molecule' ? (spec.scfMaxIterations ?? 100) : null,
    ...(budget !== undefined ? { maxTwoQubitGates: budget } : {}),
    ...(input.kind === 'molecule' && spec.scfType !== undefined && spec.scfType !== 'pk' ? { scfType: spec.scfType } : {}),
  };
}
