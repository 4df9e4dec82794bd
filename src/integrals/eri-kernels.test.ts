/**
 * The ERI kernel paths against the reference path (every shell on its own, dense
 * McMurchie–Davidson kernel without the reflection-parity selection, no screening — the path the
 * Psi4 comparisons in ./psi4-compare.test.ts validate) on seeded random shells up to g: generally
 * contracted shells of equal l grouped, SP-type shells grouped, one-centre, linear, planar and
 * general geometries, pure and cartesian functions.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { parseGbs } from '../basis/gbs.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import type { Molecule } from '../chem/molecule.js';
import { electronRepulsionIntegrals } from './eri.js';
import { setParitySelection } from './eri-kernel.js';
import { setKernelGenerationThreshold } from './eri-codegen.js';
import { terminateEriWorkers } from './eri-parallel.js';

const L_LETTERS = 'SPDFG';

/**
 * A Gaussian94 element block of random shells: for each l ≤ min(lMax, 2) a generally contracted
 * pair (two shells sharing 2–3 exponents with different coefficients), one contracted f shell, one
 * g primitive, an uncontracted s shell, and an SP shell (s and p sharing exponents).
 */
function randomElement(rng: Random, symbol: string, lMax: number): string {
  const lines = [`${symbol} 0`];
  const exps = (n: number, lo: number, hi: number): number[] => Array.from({ length: n }, () => Math.exp(rng.uniform(Math.log(lo), Math.log(hi)))).sort((a, b) => b - a);
  for (let l = 0; l <= lMax; l++) {
    const n = l === 4 ? 1 : 2 + Math.floor(rng.next() * 2);
    const e = exps(n, 0.15, l === 0 ? 40 : 6);
    const nShells = l >= 3 ? 1 : 2;
    for (let s = 0; s < nShells; s++) {
      lines.push(`${L_LETTERS[l]} ${n} 1.00`);
      for (let i = 0; i < n; i++) lines.push(` ${e[i]} ${rng.uniform(-1, 1)}`);
    }
    if (l === 0) lines.push(`${L_LETTERS[l]} 1 1.00`, ` ${exps(1, 0.2, 3)[0]} 1.0`);
  }
  const sp = exps(2, 0.3, 5);
  lines.push('SP 2 1.00', ...sp.map((x) => ` ${x} ${rng.uniform(-1, 1)} ${rng.uniform(-1, 1)}`));
  lines.push('****');
  return lines.join('\n');
}

function maxDifference(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function compareWithReference(positions: number[], atoms: number[], text: string, pure: boolean, label: string, checkThreads: boolean): void {
  const lib = parseGbs(text, { name: 'random', pure });
  const molecule: Molecule = { atomicNumbers: Int32Array.from(atoms), positionsBohr: Float64Array.from(positions), charge: 0, multiplicity: 1 };
  const basis = buildMolecularBasis(molecule, lib);
  const before = setParitySelection(false);
  let reference: Float64Array;
  try {
    reference = electronRepulsionIntegrals(basis, { groupSharedExponents: false, screeningThreshold: 0, threads: 1, symmetry: false }).values;
  } finally {
    setParitySelection(before);
  }
  let scale = 0;
  for (const v of reference) scale = Math.max(scale, Math.abs(v));
  const grouped = electronRepulsionIntegrals(basis, { screeningThreshold: 0, threads: 1 }).values;
  const parallel = electronRepulsionIntegrals(basis, { threads: 2 }).values;
  assert.ok(maxDifference(grouped, reference) < 1e-12 * scale, `${label}: grouped ${maxDifference(grouped, reference)} (scale ${scale})`);
  // Default screening (1e-12) may drop quartets below the threshold only.
  assert.ok(maxDifference(parallel, reference) < 1e-11, `${label}: threads ${maxDifference(parallel, reference)}`);
  if (checkThreads) {
    // The worker picks the caller's kernels, so the bits do not depend on which thread computed a quartet.
    const serial = electronRepulsionIntegrals(basis, { threads: 1 }).values;
    assert.ok(parallel.every((v, i) => Object.is(v, serial[i])), `${label}: one and two threads differ`);
  }
}

/**
 * Run `body` with every unrollable class generated (threshold 0, which differs from the workers'
 * own default) and with the default threshold.
 */
function withBothKernelChoices(body: (choice: string, nonDefault: boolean) => void): void {
  for (const threshold of [0, undefined]) {
    const before = threshold === undefined ? undefined : setKernelGenerationThreshold(threshold);
    try {
      body(threshold === 0 ? 'all generated' : 'default threshold', threshold !== undefined);
    } finally {
      if (before !== undefined) setKernelGenerationThreshold(before);
    }
  }
}

test('kernels on random generally contracted and SP shells up to g equal the reference path (one centre, linear, planar, general)', () => {
  const rng = new Random(20261206);
  // Oxygen with shells up to g; hydrogen up to p.
  const text = `${randomElement(rng, 'O', 4)}\n${randomElement(rng, 'H', 1)}\n`;
  const geometries: [string, number[], number[]][] = [
    ['one centre', [0.3, -0.2, 0.1], [8]],
    ['linear along z', [0.2, -0.4, 0, 0.2, -0.4, 1.7], [8, 1]],
    ['planar (z = 0.2)', [0, 0, 0.2, 1.6, 0.4, 0.2, -0.5, 1.3, 0.2], [8, 1, 1]],
    ['general', [0.1, -0.2, 0.3, 1.4, 0.9, -0.6, -1.1, 0.7, 0.8], [8, 1, 1]],
    // Mirror images in the y = 0.4 plane: one quartet per orbit is computed, the rest copied.
    ['C2v (hydrogens mirrored in y)', [0.2, 0.4, 0.3, 0.2, 1.8, -0.8, 0.2, -1.0, -0.8], [8, 1, 1]],
  ];
  withBothKernelChoices((choice, nonDefault) => {
    for (const pure of [true, false]) {
      for (const [label, positions, atoms] of geometries) {
        if (!pure && label !== 'one centre') continue;
        compareWithReference(positions, atoms, text, pure, `${label}, ${pure ? 'pure' : 'cartesian'}, ${choice}`, nonDefault);
      }
    }
  });
});

after(terminateEriWorkers);
