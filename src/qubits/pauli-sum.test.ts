import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { InputError } from '../core/errors.js';
import { PauliSum, parsePauliLabel, pauliLabel, densePauliLabel } from './pauli-sum.js';
import { applyPauliSum } from './index.js';
import { denseFromTerms, denseMaxDifference, denseMultiply, densePauliWord, type DenseMatrix } from './test-support.test-util.js';

function dense(op: PauliSum): DenseMatrix {
  return denseFromTerms(op.nQubits, op.x, op.z, op.coeffRe, op.coeffIm);
}

function randomSum(rng: Random, nQubits: number, nTerms: number): PauliSum {
  const terms = [];
  for (let t = 0; t < nTerms; t++) {
    terms.push({ x: rng.int(2 ** nQubits), z: rng.int(2 ** nQubits), re: rng.normal(), im: rng.normal() });
  }
  return PauliSum.fromTerms(nQubits, terms);
}

test('single-qubit products: XY = iZ, YZ = iX, ZX = iY and reversed with −i', () => {
  const cases: [string, string, string, number, number][] = [
    ['X0', 'Y0', 'Z0', 0, 1],
    ['Y0', 'Z0', 'X0', 0, 1],
    ['Z0', 'X0', 'Y0', 0, 1],
    ['Y0', 'X0', 'Z0', 0, -1],
    ['Z0', 'Y0', 'X0', 0, -1],
    ['X0', 'Z0', 'Y0', 0, -1],
    ['X0', 'X0', 'I', 1, 0],
    ['Y0', 'Y0', 'I', 1, 0],
    ['Z0', 'Z0', 'I', 1, 0],
  ];
  for (const [a, b, c, re, im] of cases) {
    const p = PauliSum.fromLabel(1, a).multiply(PauliSum.fromLabel(1, b));
    assert.equal(p.nTerms, 1, `${a}·${b}`);
    const coef = p.coefficientOf(c);
    assert.equal(coef.re, re, `${a}·${b} real part`);
    assert.equal(coef.im, im, `${a}·${b} imaginary part`);
  }
});

test('labels: sparse and dense forms agree, qubit k = character k', () => {
  assert.deepEqual(parsePauliLabel('X0 Z1 Y3', 4), parsePauliLabel('XZIY', 4));
  assert.deepEqual(parsePauliLabel('X0Z1Y3', 4), { x: 0b1001, z: 0b1010 });
  assert.equal(pauliLabel(0b1001, 0b1010), 'X0 Z1 Y3');
  assert.equal(densePauliLabel(0b1001, 0b1010, 5), 'XZIYI');
  assert.equal(pauliLabel(0, 0), 'I');
  assert.throws(() => parsePauliLabel('X0 X0', 2), InputError);
  assert.throws(() => parsePauliLabel('X5', 2), InputError);
  assert.throws(() => parsePauliLabel('XQ', 2), InputError);
  assert.throws(() => PauliSum.fromLabel(31, 'X0'), InputError);
});

test('random products, commutators and adjoints match dense 2^q matrices', () => {
  const rng = new Random(7);
  for (const nQubits of [1, 2, 3, 4]) {
    for (let trial = 0; trial < 5; trial++) {
      const a = randomSum(rng, nQubits, 6);
      const b = randomSum(rng, nQubits, 5);
      const da = dense(a);
      const db = dense(b);
      const ab = denseMultiply(da, db);
      assert.ok(denseMaxDifference(dense(a.multiply(b)), ab) < 1e-12, 'product');
      const ba = denseMultiply(db, da);
      const comm = { dim: ab.dim, re: ab.re.map((v, i) => v - ba.re[i]), im: ab.im.map((v, i) => v - ba.im[i]) };
      assert.ok(denseMaxDifference(dense(a.commutator(b)), comm) < 1e-12, 'commutator');
      const adj = dense(a.adjoint());
      const n = da.dim;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          assert.ok(Math.abs(adj.re[i * n + j] - da.re[j * n + i]) < 1e-12);
          assert.ok(Math.abs(adj.im[i * n + j] + da.im[j * n + i]) < 1e-12);
        }
      }
      const sum = dense(a.add(b).subtract(b.scale(0.5, 2)));
      const expect = {
        dim: n,
        re: da.re.map((v, i) => v + db.re[i] - (0.5 * db.re[i] - 2 * db.im[i])),
        im: da.im.map((v, i) => v + db.im[i] - (0.5 * db.im[i] + 2 * db.re[i])),
      };
      assert.ok(denseMaxDifference(sum, expect) < 1e-12, 'add/subtract/scale');
    }
  }
});

test('Y is its own letter: P(x,z) with both bits equals the dense Y', () => {
  const y = PauliSum.fromLabel(2, 'Y1');
  const d = dense(y);
  const ref = densePauliWord(['I', 'Y']);
  assert.ok(denseMaxDifference(d, ref) === 0);
  // Y1 as a product X1 Z1 carries −i: X·Z = −iY.
  const xz = PauliSum.fromLabel(2, 'X1').multiply(PauliSum.fromLabel(2, 'Z1'));
  assert.deepEqual(xz.coefficientOf('Y1'), { re: 0, im: -1 });
});

test('simplify merges equal strings and drops small coefficients; identity coefficient; equality', () => {
  const op = PauliSum.fromLabels(3, [
    ['X0 Z2', 0.5],
    ['XIZ', 0.25],
    ['Z1', 1e-14],
    ['', 2],
    ['I', [0, 1]],
  ]);
  const s = op.simplify(1e-12);
  assert.equal(s.nTerms, 2);
  assert.deepEqual(s.coefficientOf('X0 Z2'), { re: 0.75, im: 0 });
  assert.deepEqual(s.identityCoefficient(), { re: 2, im: 1 });
  assert.ok(s.equals(PauliSum.fromLabels(3, [['X0 Z2', 0.75 + 1e-12], ['', [2, 1]]]), 1e-10));
  assert.ok(!s.equals(PauliSum.fromLabels(3, [['X0 Z2', 0.76], ['', [2, 1]]])));
  assert.ok(!s.isHermitian());
  assert.ok(s.add(PauliSum.identity(3, 0, -1)).isHermitian());
  assert.match(s.toString(), /\[X0 Z2\]/);
  // i·(XY − YX)/2 = i·iZ = −Z is Hermitian even though the pieces are not.
  const x = PauliSum.fromLabel(1, 'X0');
  const yy = PauliSum.fromLabel(1, 'Y0');
  const h = x.commutator(yy).scale(0, 0.5);
  assert.ok(h.isHermitian());
  assert.deepEqual(h.simplify().coefficientOf('Z0'), { re: -1, im: 0 });
});

test('applyPauliSum equals the dense matrix-vector product', () => {
  const rng = new Random(3);
  const nQubits = 5;
  const op = randomSum(rng, nQubits, 12);
  const d = dense(op);
  const dim = 2 ** nQubits;
  const inRe = new Float64Array(dim).map(() => rng.normal());
  const inIm = new Float64Array(dim).map(() => rng.normal());
  const outRe = new Float64Array(dim);
  const outIm = new Float64Array(dim);
  applyPauliSum(op, inRe, inIm, outRe, outIm);
  for (let i = 0; i < dim; i++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < dim; j++) {
      sr += d.re[i * dim + j] * inRe[j] - d.im[i * dim + j] * inIm[j];
      si += d.re[i * dim + j] * inIm[j] + d.im[i * dim + j] * inRe[j];
    }
    assert.ok(Math.abs(sr - outRe[i]) < 1e-11 && Math.abs(si - outIm[i]) < 1e-11, `row ${i}`);
  }
  assert.throws(() => applyPauliSum(op, inRe.subarray(1), inIm, outRe, outIm), InputError);
});
