import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { InputError } from '../core/errors.js';
import { FermionOperator } from './fermion-operator.js';
import { denseLadderProduct } from './test-support.test-util.js';

/** Dense matrix of a FermionOperator from the brute-force ladder products of test-support. */
function denseOf(op: FermionOperator, nModes: number): Float64Array {
  const dim = 2 ** nModes;
  const m = new Float64Array(dim * dim);
  for (const t of op.terms()) {
    assert.ok(t.im === 0, `imaginary coefficient ${t.im}`);
    const ops = t.operators.map(([mode, c]) => 2 * mode + c);
    const d = denseLadderProduct(ops, nModes);
    for (let i = 0; i < m.length; i++) m[i] += t.re * d[i];
  }
  return m;
}

test('anticommutation by normal ordering: a_p a†_q = δ_pq − a†_q a_p, a†_p a†_p = 0', () => {
  const aa = FermionOperator.term('1 1^').normalOrdered();
  assert.ok(aa.equals(FermionOperator.identity().subtract(FermionOperator.term('1^ 1'))));
  const swapped = FermionOperator.term('0^ 1^').normalOrdered();
  assert.ok(swapped.equals(FermionOperator.term('1^ 0^', -1)));
  assert.equal(FermionOperator.term('2^ 2^').normalOrdered().nTerms, 0);
  assert.equal(FermionOperator.term('2 2').normalOrdered().nTerms, 0);
  const mixed = FermionOperator.term('0 1^').normalOrdered();
  assert.ok(mixed.equals(FermionOperator.term('1^ 0', -1)));
  assert.throws(() => FermionOperator.term('1x'), InputError);
});

test('normal ordering preserves the operator (dense occupation-basis matrices)', () => {
  const rng = new Random(11);
  const nModes = 4;
  for (let trial = 0; trial < 20; trial++) {
    const len = 1 + rng.int(5);
    const ops: [number, 0 | 1][] = [];
    for (let k = 0; k < len; k++) ops.push([rng.int(nModes), rng.int(2) as 0 | 1]);
    const op = FermionOperator.term(ops, rng.normal());
    const no = op.normalOrdered();
    const a = denseOf(op, nModes);
    const b = denseOf(no, nModes);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-12, `trial ${trial}`);
    for (const t of no.terms()) {
      // creation operators first, each block in descending mode order
      const seq = t.operators.map(([m, c]) => (c ? 1000 + m : m));
      for (let k = 1; k < seq.length; k++) assert.ok(seq[k - 1] > seq[k], `not normal ordered: ${no}`);
    }
  }
});

test('hermitian conjugate reverses products and conjugates coefficients', () => {
  const op = FermionOperator.twoBody(3, 2, 1, 0, 0.5, 0.25);
  const h = op.hermitianConjugate();
  assert.ok(h.equals(FermionOperator.term('0^ 1^ 2 3', 0.5, -0.25)));
  const nModes = 4;
  const real = FermionOperator.term('3^ 0 1^', 0.7);
  const a = denseOf(real, nModes);
  const b = denseOf(real.hermitianConjugate(), nModes);
  const dim = 2 ** nModes;
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) assert.equal(b[i * dim + j], a[j * dim + i]);
  assert.ok(op.add(op.hermitianConjugate()).isHermitian());
  assert.ok(!op.isHermitian());
  assert.ok(FermionOperator.numberOperator(3).isHermitian());
});

test('products, scaling and text form', () => {
  const a = FermionOperator.term('1^', 2);
  const b = FermionOperator.term('0', 3);
  const ab = a.multiply(b);
  assert.ok(ab.equals(FermionOperator.oneBody(1, 0, 6)));
  assert.equal(ab.scale(0.5).toString(), '3 [1^ 0]');
  assert.equal(ab.modeCount(), 2);
  assert.equal(ab.subtract(ab).simplify().nTerms, 0);
});
