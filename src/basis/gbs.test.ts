import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGbs, isPopleStyleName } from './gbs.js';
import { loadBasisLibrary } from './library.js';
import { InputError } from '../core/errors.js';

const SAMPLE = `
! a comment line

H     0
S   3   1.00
      3.42525091             0.15432897
      0.62391373             0.53532814   ! trailing comment
      0.16885540             0.44463454
****
C     0
S   1   1.00
      0.7161683735D+02       0.1543289673D+00
SP   2   1.00
      2.9412494              -0.09996723             0.15591627
      0.6834831               0.39951283             0.60768372
D   1   2.00
      0.8                     1.0
****
`;

test('parses element blocks, SP shells, D exponents, comments and scale factors', () => {
  const lib = parseGbs(SAMPLE, { name: 'sample' });
  assert.deepEqual([...lib.elements.keys()], [1, 6]);
  const h = lib.elements.get(1)!;
  assert.equal(h.length, 1);
  assert.deepEqual(h[0].exponents, [3.42525091, 0.62391373, 0.1688554]);
  const c = lib.elements.get(6)!;
  assert.deepEqual(c.map((s) => s.l), [0, 0, 1, 2]);
  assert.equal(c[0].exponents[0], 71.61683735);
  assert.equal(c[0].coefficients[0], 0.1543289673);
  // SP split into s and p with shared exponents and their own coefficients.
  assert.deepEqual(c[1].exponents, [2.9412494, 0.6834831]);
  assert.deepEqual(c[1].coefficients, [-0.09996723, 0.39951283]);
  assert.deepEqual(c[2].coefficients, [0.15591627, 0.60768372]);
  // Scale factor 2 multiplies the exponent by 4.
  assert.equal(c[3].exponents[0], 3.2);
});

test('header line decides pure vs cartesian; default by name; option overrides', () => {
  assert.equal(parseGbs('spherical\n' + SAMPLE, { name: '6-31g' }).pure, true);
  assert.equal(parseGbs('cartesian\n' + SAMPLE, { name: 'cc-pvdz' }).pure, false);
  assert.equal(parseGbs(SAMPLE, { name: '6-31G*' }).pure, false);
  assert.equal(parseGbs(SAMPLE, { name: 'sto-3g' }).pure, false);
  assert.equal(parseGbs(SAMPLE, { name: 'cc-pVDZ' }).pure, true);
  assert.equal(parseGbs('cartesian\n' + SAMPLE, { name: 'x', pure: true }).pure, true);
  assert.ok(isPopleStyleName('6-311++G**'));
  assert.ok(!isPopleStyleName('def2-svp'));
});

function expectError(text: string, line: number, pattern: RegExp): void {
  assert.throws(
    () => parseGbs(text, { fileName: 'bad.gbs' }),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.file, 'bad.gbs');
      assert.equal(e.line, line);
      assert.match(e.message, pattern);
      assert.match(e.message, new RegExp(`^bad\\.gbs:${line}: `));
      return true;
    },
  );
}

test('errors name file, 1-based line and problem', () => {
  expectError('H 0\nS 1 1.00\n  abc 1.0\n****\n', 3, /bad exponent 'abc'/);
  expectError('H 0\nS 1 1.00\n  1.0 x\n****\n', 3, /bad contraction coefficient/);
  expectError('H 0\nQ 1 1.00\n 1.0 1.0\n****\n', 2, /expected a shell line/);
  expectError('Xx 0\nS 1 1.00\n 1.0 1.0\n****\n', 1, /unknown element 'Xx'/);
  expectError('\n\nH 0\nS 2 1.00\n 1.0 1.0\n', 4, /file ends inside this shell of element H/);
  expectError('H 0\nSP 1 1.00\n 1.0 1.0\n****\n', 3, /expected 3 numbers/);
  expectError('H 0\nS 0 1.00\n****\n', 2, /bad number of primitives/);
});

test('loadBasisLibrary resolves names and aliases case-insensitively, and paths', () => {
  const a = loadBasisLibrary('6-31G*');
  assert.equal(a.name, '6-31G*');
  assert.equal(a.pure, false);
  assert.ok(a.elements.get(6)!.some((s) => s.l === 2));
  const b = loadBasisLibrary('6-31G**');
  assert.ok(b.elements.get(1)!.some((s) => s.l === 1));
  assert.equal(loadBasisLibrary('CC-PVDZ').pure, true);
  assert.equal(loadBasisLibrary('cc-pvdz', { pure: false }).pure, false);
  for (const n of ['sto-3g', '3-21g', '6-31g', 'cc-pvtz', 'aug-cc-pvdz', 'def2-svp']) {
    assert.ok(loadBasisLibrary(n).elements.has(8), n);
  }
  const dir = mkdtempSync(join(tmpdir(), 'qde-gbs-'));
  const path = join(dir, 'mine.gbs');
  writeFileSync(path, SAMPLE);
  const c = loadBasisLibrary(path);
  assert.equal(c.name, 'mine');
  assert.equal(c.pure, true);
  assert.throws(() => loadBasisLibrary('no-such-basis'), InputError);
});
