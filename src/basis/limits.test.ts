import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../core/errors.js';
import { MAX_COEFFICIENT, MAX_EXPONENT, MIN_EXPONENT, parseGbs } from './gbs.js';
import { SHIPPED_BASIS_NAMES, loadBasisLibrary } from './library.js';

function gbsError(text: string, pattern: RegExp): void {
  assert.throws(() => parseGbs(text, { fileName: 'x.gbs' }), (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match(e.message, pattern);
    return true;
  });
}

const shell = (lines: string, header = 'S 1 1.00') => `H 0\n${header}\n${lines}\n****\n`;

test('exponents outside [MIN_EXPONENT, MAX_EXPONENT] are refused at their line', () => {
  assert.equal(MAX_EXPONENT, 1e10);
  assert.equal(MIN_EXPONENT, 1e-20);
  gbsError(shell('1e30 1.0'), /^x\.gbs:3: exponent 1e30 is outside \[1e-20, 1e\+10\] Bohr⁻²/);
  gbsError(shell('1.0D+11 1.0'), /^x\.gbs:3: exponent 1\.0D\+11 is outside/);
  gbsError(shell('1e-30 1.0'), /^x\.gbs:3: exponent 1e-30 is outside/);
  // The scale factor multiplies exponents by scale²: 1e6 × 1000² = 1e12.
  gbsError(shell('1e6 1.0', 'S 1 1000'), /^x\.gbs:3: exponent 1e6 \(× scale² = 1\.000e\+12\) is outside/);
  assert.deepEqual(parseGbs(shell('1e10 1.0')).elements.get(1)![0]!.exponents, [1e10]);
  assert.deepEqual(parseGbs(shell('1e-20 1.0')).elements.get(1)![0]!.exponents, [1e-20]);
});

test('contraction coefficients must be finite, at most MAX_COEFFICIENT in magnitude and not all zero', () => {
  assert.equal(MAX_COEFFICIENT, 1e6);
  gbsError(shell('1.0 -2e6'), /^x\.gbs:3: contraction coefficient -2e6 is larger in magnitude than 1e\+6/);
  gbsError(shell('1.0 0.5 1e300', 'SP 1 1.00'), /^x\.gbs:3: contraction coefficient 1e300/);
  gbsError(shell('1.0 inf'), /^x\.gbs:3: bad contraction coefficient 'inf'/);
  gbsError(shell('1.0 0.0\n2.0 0.0', 'S 2 1.00'), /^x\.gbs:2: every contraction coefficient of this S shell of element H is zero/);
  gbsError(shell('1.0 1.0', 'S 1 1e300'), /^x\.gbs:3: exponent 1\.0 \(× scale² = Infinity\)/);
  assert.deepEqual(parseGbs(shell('1.0 -1e6')).elements.get(1)![0]!.coefficients, [-1e6]);
});

test('every shipped basis set lies within the limits', () => {
  for (const name of SHIPPED_BASIS_NAMES) assert.ok(loadBasisLibrary(name).elements.size > 0, name);
});

test('a directory or an empty name as basis is an InputError, not a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qde-basis-'));
  try {
    assert.throws(() => loadBasisLibrary(dir), (e: unknown) => e instanceof InputError && /is a directory/.test(e.message));
    for (const empty of ['', '   ']) {
      assert.throws(() => loadBasisLibrary(empty), (e: unknown) => e instanceof InputError && /empty basis name/.test(e.message));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
