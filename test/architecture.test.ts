/**
 * The import graph of src/ follows the pipeline order of ARCHITECTURE.md.
 *
 * Rules for library files (everything under src/ except *.test.ts and *.test-util.ts):
 * - a stage imports only from itself and from earlier stages; siblings (same order, e.g. classical and
 *   qubits) never import each other;
 * - an import from another stage goes through that stage's index.ts, never an inner file;
 * - static imports, `export … from`, and dynamic `import('…')` (also in type positions) all count;
 * - src/index.ts (the package entry) and src/version.ts (imported by any stage) are the two files
 *   outside the stage folders.
 * Test files may import any file of their own or an earlier stage; a later or sibling stage only as
 * an oracle listed in ORACLE_EXCEPTIONS with its reason.
 *
 * The checker is a function of the source root, so the planted violations under
 * test/fixtures/architecture/ show that it catches what it claims to catch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';

/** Pipeline order; equal numbers are siblings. */
const STAGE_ORDER: Readonly<Record<string, number>> = {
  core: 0,
  chem: 1,
  basis: 2,
  integrals: 3,
  scf: 4,
  hamiltonian: 5,
  classical: 6,
  qubits: 6,
  circuits: 7,
  backends: 8,
  algorithms: 9,
  methods: 10,
  dataset: 11,
  ml: 12,
  loop: 13,
  cli: 14,
};

/** A test file allowed to import a later or sibling stage, as an independent oracle. */
interface OracleException {
  /** Test file, relative to the source root, '/'-separated. */
  file: string;
  /** Stage it may import from. */
  stage: string;
  /** Why the dependency is an oracle rather than a layering leak. */
  reason: string;
}

/** The test-file exceptions of the real src/ tree. */
const ORACLE_EXCEPTIONS: readonly OracleException[] = [
  { file: 'qubits/pipeline.test.ts', stage: 'classical', reason: 'full CI is the exact ground state the mapped and tapered qubit Hamiltonians must reproduce' },
  { file: 'circuits/circuits.test.ts', stage: 'backends', reason: 'the state-vector simulator applies the circuits whose action is checked against dense matrices' },
  { file: 'circuits/fermionic.test.ts', stage: 'backends', reason: 'the state-vector simulator applies the fermionic circuits whose action is checked' },
  { file: 'circuits/ionq-json.test.ts', stage: 'backends', reason: 'IonQ JSON round trips are checked by state-vector equivalence up to a global phase' },
  { file: 'circuits/native.test.ts', stage: 'backends', reason: 'native compilation is checked by state-vector equivalence with the source circuit' },
  { file: 'circuits/optimize.test.ts', stage: 'backends', reason: 'peephole optimisation must leave the simulated state unchanged' },
  { file: 'circuits/qasm.test.ts', stage: 'backends', reason: 'OpenQASM round trips are checked by state-vector equivalence' },
  { file: 'circuits/random-circuit.test-util.ts', stage: 'backends', reason: 'the random-circuit helper compares circuits by their simulated states' },
  { file: 'backends/ionq/ionq.test.ts', stage: 'algorithms', reason: 'an H2 VQE through the IonQ sampler against the local server is the end-to-end check of the protocol' },
  { file: 'circuits/qubit-excitations.test.ts', stage: 'backends', reason: 'the compact excitation circuits are checked against the dense exponential by simulated states' },
  { file: 'dataset/queue/queue.test.ts', stage: 'cli', reason: 'the one-line, password-free refusals of qde worker and qde campaign --queue are checked through the command line' },
  { file: 'backends/adjoint.test.ts', stage: 'algorithms', reason: 'buildQubitProblem supplies a realistic two-layer UCCSD circuit and Hamiltonian for the gradient check' },
  { file: 'chem/source.test.ts', stage: 'basis', reason: 'the source line recorded by chem must reach the basis-set error messages' },
  { file: 'chem/source.test.ts', stage: 'scf', reason: 'the source line recorded by chem must reach the SCF error messages' },
];

/** One checked import. */
interface ImportSite {
  line: number;
  specifier: string;
  kind: 'import' | 'export-from' | 'dynamic';
}

/**
 * The text with comments blanked (`code`) and, in addition, string contents blanked (`masked`); both
 * keep every offset and newline, so constructs are found in `masked` and specifiers read from `code`.
 */
function blankCommentsAndStrings(text: string): { code: string; masked: string } {
  let code = '';
  let masked = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && (next === '/' || next === '*')) {
      const end = next === '/' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2) + 2;
      const stop = end <= 1 ? text.length : end;
      const blank = text.slice(i, stop).replace(/[^\n]/g, ' ');
      code += blank;
      masked += blank;
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && !(c !== '`' && text[j] === '\n')) j += text[j] === '\\' ? 2 : 1;
      const body = text.slice(i + 1, j);
      code += c + body + c;
      masked += c + body.replace(/[^\n]/g, '_') + c;
      i = j + 1;
    } else {
      code += c;
      masked += c;
      i++;
    }
  }
  return { code, masked };
}

const STATIC_IMPORT = /^[ \t]*(import|export)\s+(?:type\s+)?[\w$*\s,]*(?:\{[^}]*\})?[\w$*\s,]*\bfrom\s*(['"])([^'"\n]+)\2/gm;
const SIDE_EFFECT_IMPORT = /^[ \t]*import\s*(['"])([^'"\n]+)\1/gm;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*(['"`])([^'"`\n]+)\1/g;

/** Every module specifier of a file with its 1-based line. */
function importSites(text: string): ImportSite[] {
  const { code, masked } = blankCommentsAndStrings(text);
  const lineOf = (index: number): number => code.slice(0, index).split('\n').length;
  const sites: ImportSite[] = [];
  const add = (m: RegExpMatchArray, specifierGroup: number, kind: ImportSite['kind']): void => {
    // The specifier is the quoted text that ends the match (minus its closing quote).
    const end = m.index! + m[0].length - 1;
    const start = end - m[specifierGroup].length;
    sites.push({ line: lineOf(start), specifier: code.slice(start, end), kind });
  };
  for (const m of masked.matchAll(STATIC_IMPORT)) add(m, 3, m[1] === 'export' ? 'export-from' : 'import');
  for (const m of masked.matchAll(SIDE_EFFECT_IMPORT)) add(m, 2, 'import');
  for (const m of masked.matchAll(DYNAMIC_IMPORT)) add(m, 2, 'dynamic');
  return sites.sort((a, b) => a.line - b.line);
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTs(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const isTestFile = (file: string): boolean => file.endsWith('.test.ts') || file.endsWith('.test-util.ts');
const ROOT_SPECIALS = new Set(['index.ts', 'version.ts']);

/**
 * Layering violations of the TypeScript tree under `root`, one line each:
 * `<file>:<line> <kind> '<specifier>': <rule broken>`, file relative to root with '/' separators.
 */
function checkArchitecture(root: string, oracles: readonly OracleException[] = []): string[] {
  const violations: string[] = [];
  const usedOracles = new Set<OracleException>();
  for (const path of listTs(root)) {
    const file = relative(root, path).split(sep).join('/');
    const parts = file.split('/');
    const testFile = isTestFile(file);
    if (parts.length === 1) {
      if (!ROOT_SPECIALS.has(file) && !testFile) violations.push(`${file}: library file outside the stage folders`);
      continue;
    }
    const stage = parts[0];
    const order = STAGE_ORDER[stage];
    if (order === undefined) {
      violations.push(`${file}: folder '${stage}' is not a pipeline stage`);
      continue;
    }
    for (const site of importSites(readFileSync(path, 'utf8'))) {
      if (!site.specifier.startsWith('.')) continue; // node: built-ins and packages
      const where = `${file}:${site.line} ${site.kind} '${site.specifier}'`;
      const target = posix.normalize(posix.join(posix.dirname(file), site.specifier)).replace(/\.js$/, '.ts');
      if (target.startsWith('../')) {
        if (!testFile) violations.push(`${where}: library code reaches outside the source root`);
        continue;
      }
      const targetParts = target.split('/');
      if (targetParts.length === 1) {
        if (target !== 'version.ts') violations.push(`${where}: only version.ts may be imported from the source root`);
        continue;
      }
      const targetStage = targetParts[0];
      const targetOrder = STAGE_ORDER[targetStage];
      if (targetStage === stage) continue;
      if (targetOrder === undefined) {
        violations.push(`${where}: '${targetStage}' is not a pipeline stage`);
        continue;
      }
      if (targetOrder >= order) {
        const relation = targetOrder === order ? 'sibling' : 'later';
        const oracle = testFile ? oracles.find((o) => o.file === file && o.stage === targetStage) : undefined;
        if (oracle) usedOracles.add(oracle);
        else violations.push(`${where}: ${stage} (${order}) imports ${relation} stage ${targetStage} (${targetOrder})`);
        continue;
      }
      if (!testFile && target !== `${targetStage}/index.ts`) {
        violations.push(`${where}: cross-stage import of an inner file; use '${posix.relative(posix.dirname(file), `${targetStage}/index.js`)}'`);
      }
    }
  }
  for (const o of oracles) {
    if (!usedOracles.has(o) && existsSync(join(root, o.file))) violations.push(`${o.file}: oracle exception for ${o.stage} is no longer needed`);
    if (!existsSync(join(root, o.file))) violations.push(`${o.file}: oracle exception for a file that does not exist`);
  }
  return violations;
}

const FIXTURES = join(dirname(new URL(import.meta.url).pathname), 'fixtures', 'architecture');

test('checker: a planted sibling import and a planted dynamic upward import are exactly the violations', () => {
  const oracles: OracleException[] = [{ file: 'qubits/oracle.test-util.ts', stage: 'classical', reason: 'exact reference' }];
  assert.deepEqual(checkArchitecture(join(FIXTURES, 'planted'), oracles), [
    "classical/sibling.ts:2 import '../qubits/index.js': classical (6) imports sibling stage qubits (6)",
    "scf/lazy.ts:4 dynamic '../algorithms/index.js': scf (4) imports later stage algorithms (9)",
  ]);
});

test('checker: inner-file imports, export-from, type-position imports, unlisted test oracles and stale exceptions', () => {
  const oracles: OracleException[] = [
    { file: 'chem/listed.test-util.ts', stage: 'qubits', reason: 'exact reference' },
    { file: 'chem/stale.test-util.ts', stage: 'qubits', reason: 'no longer imports qubits' },
  ];
  assert.deepEqual(checkArchitecture(join(FIXTURES, 'rules'), oracles), [
    "chem/inner.ts:3 import '../core/errors.js': cross-stage import of an inner file; use '../core/index.js'",
    "chem/reexport.ts:2 export-from '../qubits/index.js': chem (1) imports later stage qubits (6)",
    "chem/typed.ts:2 dynamic '../qubits/index.js': chem (1) imports later stage qubits (6)",
    "chem/unlisted.test-util.ts:2 import '../qubits/index.js': chem (1) imports later stage qubits (6)",
    'extra.ts: library file outside the stage folders',
    'chem/stale.test-util.ts: oracle exception for qubits is no longer needed',
  ]);
});

test('import parsing: multi-line, side-effect, type-only and dynamic imports; comments and strings ignored', () => {
  const text = [
    "import {", //
    "  a,",
    "  b,",
    "} from './one.js';",
    "import type { T } from '../two/index.js';",
    "import './side.js';",
    "// import { x } from '../commented.js';",
    "/* export * from '../block.js'; */",
    "const s = 'import x from \"../in-string.js\"';",
    "export * as ns from './three.js';",
    "const lazy = () => import('../four/index.js');",
    "type U = import('../five/index.js').U;",
  ].join('\n');
  assert.deepEqual(
    importSites(text).map((s) => `${s.line} ${s.kind} ${s.specifier}`),
    ['4 import ./one.js', '5 import ../two/index.js', '6 import ./side.js', '10 export-from ./three.js', '11 dynamic ../four/index.js', '12 dynamic ../five/index.js'],
  );
});

test('src/ follows the pipeline order, siblings stay apart and cross-stage imports use index.ts', () => {
  const root = join(dirname(new URL(import.meta.url).pathname), '..', 'src');
  const checkedFiles = listTs(root).length;
  assert.ok(checkedFiles > 100, `only ${checkedFiles} files under src/`);
  assert.deepEqual(checkArchitecture(root, ORACLE_EXCEPTIONS), []);
});
