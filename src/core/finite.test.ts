import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConvergenceError } from './errors.js';
import { escapeControlCharacters, requireAllFinite, requireFinite } from './finite.js';

test('requireFinite passes finite numbers through and refuses NaN and infinities', () => {
  assert.equal(requireFinite(-1.5, 'energy'), -1.5);
  assert.equal(requireFinite(0, 'energy'), 0);
  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    assert.throws(() => requireFinite(bad, 'MP2 energy'), (e: unknown) => e instanceof ConvergenceError && /^MP2 energy is (NaN|-?Infinity)/.test(e.message));
  }
  assert.deepEqual(requireAllFinite([1, 2], 'x'), [1, 2]);
  assert.throws(() => requireAllFinite(Float64Array.of(1, Number.NaN), 'dipole'), /dipole\[1\] is NaN/);
});

test('escapeControlCharacters makes CR, NUL, ESC and bidi overrides visible and keeps other text', () => {
  assert.equal(escapeControlCharacters('a\rb\u0000c\u001b[2Jd\te\nf'), 'a\\rb\\x00c\\x1b[2Jd\\te\\nf');
  assert.equal(escapeControlCharacters('\u007f\u0085\u202e'), '\\x7f\\x85\\u{202e}');
  assert.equal(escapeControlCharacters('H₂O: Ångström ε_i — ok'), 'H₂O: Ångström ε_i — ok');
});
