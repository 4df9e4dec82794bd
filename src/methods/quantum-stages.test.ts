/**
 * The method layer spells the quantum settings it validates (so that a spec is checked without
 * loading the quantum stages); these must stay the quantum stages' own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_COMPACT_TWO_QUBIT_GATES } from '../algorithms/index.js';
import { FERMION_MAPPINGS } from '../qubits/index.js';
import { DEFAULT_COMPACT_BUDGET, SPEC_MAPPINGS, resolveMethodSpec } from './spec.js';
import { loadQuantumStages } from './quantum-stages.js';

test('spec defaults and choices are those of the algorithms and qubits stages', () => {
  assert.equal(DEFAULT_COMPACT_BUDGET, DEFAULT_COMPACT_TWO_QUBIT_GATES);
  assert.deepEqual([...SPEC_MAPPINGS], [...FERMION_MAPPINGS]);
  const molecule = { kind: 'molecule', charge: 0, multiplicity: 1 } as const;
  for (const mapping of FERMION_MAPPINGS) assert.equal(resolveMethodSpec({ method: 'vqe', basis: 'sto-3g', mapping }, molecule).mapping, mapping);
  const compact = resolveMethodSpec({ method: 'vqe', basis: 'sto-3g', ansatz: 'compact' }, molecule);
  assert.equal(compact.maxTwoQubitGates, DEFAULT_COMPACT_TWO_QUBIT_GATES);
});

test('the quantum stages are loaded once and are the stages themselves', async () => {
  const [a, b] = await Promise.all([loadQuantumStages(), loadQuantumStages()]);
  assert.equal(a, b);
  assert.equal(a.algorithms.DEFAULT_COMPACT_TWO_QUBIT_GATES, DEFAULT_COMPACT_TWO_QUBIT_GATES);
});
