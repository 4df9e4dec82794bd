/** Loop files: validation errors name the file and the key path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../core/index.js';
import { buildLoop, parseLoopText } from './config.js';

const base = {
  name: 'small',
  seed: 1,
  systems: [{ name: 'h2', example: 'h2', candidates: [{ scan: { coordinate: 'bond', atoms: [0, 1], fromAngstrom: 0.6, toAngstrom: 1.0, steps: 5 } }], test: [{ scan: { coordinate: 'bond', atoms: [0, 1], fromAngstrom: 0.65, toAngstrom: 0.95, steps: 3 } }] }],
  truth: { method: 'fci', basis: 'sto-3g' },
  labellers: [{ name: 'vqe', spec: { method: 'vqe', basis: 'sto-3g' }, cost: { perLabel: 1 } }],
};

function errorOf(config: unknown, file = 'loop.json'): string {
  try {
    buildLoop(parseLoopText(JSON.stringify(config), file), file);
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e.message;
  }
  assert.fail('expected an InputError');
}

test('a valid loop file loads with its defaults', () => {
  const loop = buildLoop(parseLoopText(JSON.stringify(base), 'loop.json'), 'loop.json');
  assert.equal(loop.systems[0]!.staticGenerators.length, 1);
  assert.equal(loop.fixedLabeller.name, 'vqe');
  assert.equal(loop.config.model.lengthScales.length, 4);
  assert.deepEqual(loop.config.strategies, ['cost-aware']);
  assert.equal(loop.config.budgets.maxIterations, 200);
});

test('schema errors name the file and the key path', () => {
  const withLab = (l: object) => ({ ...base, labellers: [base.labellers[0], l] });
  assert.match(errorOf(withLab({ name: 'x', spec: { method: 'vqe' }, cost: { perShot: -1 } })), /^loop\.json: labellers\[1\]\.cost\.perShot: expected a non-negative number/);
  assert.match(errorOf({ ...base, batchSize: 0 }), /^loop\.json: batchSize: expected a positive integer/);
  assert.match(errorOf({ ...base, colour: 1 }), /^loop\.json: unknown key 'colour'/);
  const sys = { ...base.systems[0], candidates: [{ scan: { coordinate: 'bond', atoms: [0, 1], fromAngstrom: 0.6, toAngstrom: 1.0, steps: 0 } }] };
  assert.match(errorOf({ ...base, systems: [sys] }), /^loop\.json: systems\[0\]\.candidates\[0\]\.scan\.steps: expected a positive integer/);
  const md = { ...base.systems[0], candidates: [{ md: { temperatureKelvin: -3, steps: 10 } }] };
  assert.match(errorOf({ ...base, systems: [md] }), /^loop\.json: systems\[0\]\.candidates\[0\]\.md\.temperatureKelvin: expected a positive number/);
  assert.match(errorOf({ ...base, strategies: ['greedy'] }), /^loop\.json: strategies\[0\]: expected one of cost-aware, uncertainty, random/);
  assert.match(errorOf({ ...base, truth: undefined }), /^loop\.json: truth: is required/);
});

test('method specs, labeller prices and names are checked before any work', () => {
  assert.match(errorOf({ ...base, labellers: [{ name: 'v', spec: { method: 'vqe', basis: 'sto-3g', layers: 0 } , cost: { perLabel: 1 } }] }), /^loop\.json: labellers\[0\]\.spec: 'layers'/);
  assert.match(errorOf({ ...base, labellers: [{ name: 'v', spec: { method: 'vqe', basis: 'sto-3g' } }] }), /^loop\.json: labellers\[0\]\.cost: is required for a labeller without shots/);
  assert.match(errorOf({ ...base, fixedLabeller: 'nope' }), /^loop\.json: fixedLabeller: no labeller named 'nope'/);
  assert.match(errorOf({ ...base, systems: [{ ...base.systems[0], example: 'nothing' }] }), /^loop\.json: systems\[0\]\.example: no shipped example 'nothing'/);
  const badAtoms = { ...base.systems[0], test: [{ scan: { coordinate: 'bond', atoms: [0, 5], fromAngstrom: 0.6, toAngstrom: 1.0, steps: 2 } }] };
  assert.match(errorOf({ ...base, systems: [badAtoms] }), /^loop\.json: systems\[0\]\.test\[0\]\.scan/);
});
