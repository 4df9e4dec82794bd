import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createMolecule } from '../chem/index.js';
import { resolveMethodSpec } from '../methods/index.js';
import { canonicalJson, geometryHash, jobKey } from './keys.js';

const water = () =>
  createMolecule({
    symbols: ['O', 'H', 'H'],
    positionsBohr: [0, 0, 0.124, 0, 1.43, -0.984, 0, -1.43, -0.984],
  });

test('canonical JSON sorts keys at every depth, drops undefined members and writes -0 as 0', () => {
  assert.equal(canonicalJson({ b: 1, a: [{ z: -0, y: null }, 'x'], c: undefined }), '{"a":[{"y":null,"z":0},"x"],"b":1}');
  assert.equal(canonicalJson(new Float64Array([0.5, -2])), '[0.5,-2]');
  assert.throws(() => canonicalJson({ a: Number.NaN }), /non-finite/);
});

test('the geometry hash is sha256 of the canonical identity and ignores title and source', () => {
  const m = water();
  // keys in sorted order, so JSON.stringify gives the canonical text
  const identity = {
    atomicNumbers: [8, 1, 1],
    charge: 0,
    multiplicity: 1,
    positionsBohr: [0, 0, 0.124, 0, 1.43, -0.984, 0, -1.43, -0.984],
  };
  const expected = createHash('sha256').update(JSON.stringify(identity)).digest('hex');
  assert.equal(geometryHash(m), expected);
  assert.equal(geometryHash({ ...m, title: 'another title', source: { file: 'elsewhere.xyz', atomLines: [3, 4, 5] } }), expected);
});

test('positions enter the geometry hash rounded to 1e-10 Bohr', () => {
  const m = water();
  const nudged = Float64Array.from(m.positionsBohr);
  nudged[2] = nudged[2]! + 3e-12;
  nudged[0] = -1e-13; // rounds to 0, and -0 must equal 0
  assert.equal(geometryHash({ ...m, positionsBohr: nudged }), geometryHash(m));
  const moved = Float64Array.from(m.positionsBohr);
  moved[2] = moved[2]! + 2e-10;
  assert.notEqual(geometryHash({ ...m, positionsBohr: moved }), geometryHash(m));
  assert.notEqual(geometryHash({ ...m, charge: 2, multiplicity: 1 }), geometryHash(m));
});

test('the job key changes with the resolved spec and the seed, not with how the spec was spelled', () => {
  const g = geometryHash(water());
  const input = { kind: 'molecule', charge: 0, multiplicity: 1 } as const;
  const implicit = resolveMethodSpec({ method: 'hf', basis: 'sto-3g' }, input);
  const explicit = resolveMethodSpec({ method: 'hf', basis: 'sto-3g', seed: 0, frozenCore: false }, input);
  assert.equal(jobKey(g, implicit, 0), jobKey(g, explicit, 0));
  assert.notEqual(jobKey(g, implicit, 0), jobKey(g, implicit, 1));
  assert.notEqual(jobKey(g, implicit, 0), jobKey(g, resolveMethodSpec({ method: 'mp2', basis: 'sto-3g' }, input), 0));
  assert.match(jobKey(g, implicit, 0), /^[0-9a-f]{64}$/);
});
