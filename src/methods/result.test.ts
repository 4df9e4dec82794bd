import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConvergenceError } from '../core/index.js';
import { createMolecule } from '../chem/index.js';
import { runMethod } from './run-method.js';
import { requirePlainFiniteData } from './result.js';
import { METHODS, type MethodSpec } from './spec.js';

test('every method result survives JSON.stringify / JSON.parse unchanged and carries its provenance', async () => {
  const h2 = createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [[0, 0, 0], [0, 0, 0.74]] });
  const lih = createMolecule({ symbols: ['Li', 'H'], positionsAngstrom: [[0, 0, 0], [0, 0, 1.6]] });
  const specs: MethodSpec[] = METHODS.map((method) => ({ method, basis: 'sto-3g' }));
  specs.push({ method: 'fci', basis: 'sto-3g', roots: 3 }, { method: 'qpe', basis: 'sto-3g', bits: 6 });
  specs.push({ method: 'vqe', basis: 'sto-3g', backend: { name: 'shots', shots: 2000 }, seed: 11 });
  for (const spec of specs) {
    const result = await runMethod(spec.method === 'fci' ? lih : h2, spec);
    const copy: unknown = JSON.parse(JSON.stringify(result));
    assert.deepEqual(copy, result, `${spec.method}: JSON round trip`);
    assert.equal(result.method, spec.method);
    assert.equal(result.converged, true);
    assert.equal(typeof result.provenance.qdeVersion, 'string');
    assert.equal(result.provenance.spec.method, spec.method);
    assert.ok(result.wallTimeSeconds >= 0);
    const quantum = spec.method === 'vqe' || spec.method === 'adapt-vqe' || spec.method === 'qpe';
    assert.equal(result.provenance.backend === null, !quantum, `${spec.method}: backend info only for quantum methods`);
  }
});

test('a shot backend is recorded in the provenance and gives an energy with a standard error', async () => {
  const h2 = createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [[0, 0, 0], [0, 0, 0.74]] });
  const exact = await runMethod(h2, { method: 'vqe', basis: 'sto-3g' });
  const shots = await runMethod(h2, { method: 'vqe', basis: 'sto-3g', backend: { name: 'shots', shots: 4000 }, seed: 2 });
  assert.equal(exact.standardErrorHartree, 0);
  assert.equal(exact.provenance.backend?.name, 'statevector');
  assert.ok(shots.standardErrorHartree > 0);
  assert.notEqual(shots.provenance.backend?.name, 'statevector');
  assert.deepEqual(shots.provenance.spec.backend, { name: 'shots', shots: 4000, seed: 2 });
  assert.ok(Math.abs(shots.energyHartree - exact.energyHartree) < 4 * shots.standardErrorHartree + 1e-6);
});

test('non-finite numbers, typed arrays and undefined never leave the method layer', () => {
  assert.throws(() => requirePlainFiniteData({ a: { energyHartree: Number.NaN } }, 'r'), (e: unknown) => e instanceof ConvergenceError && /r\.a\.energyHartree is NaN/.test(e.message));
  assert.throws(() => requirePlainFiniteData({ roots: [1, Infinity] }, 'r'), /r\.roots\[1\] is Infinity/);
  assert.throws(() => requirePlainFiniteData({ v: new Float64Array(2) }, 'r'), /typed array/);
  assert.throws(() => requirePlainFiniteData({ v: undefined }, 'r'), /undefined/);
  assert.doesNotThrow(() => requirePlainFiniteData({ v: null, w: [1, { x: 'a' }] }, 'r'));
});
