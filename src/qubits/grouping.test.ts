import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { groupQubitWiseCommuting } from './grouping.js';
import { jordanWigner } from './mappings.js';
import { PauliSum, densePauliLabel } from './pauli-sum.js';
import { H2_STO3G_0_7414 } from './test-support.test-util.js';

/** Letter-by-letter qubit-wise commutation, independent of the bit-mask kernel. */
function qwc(a: string, b: string): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== 'I' && b[k] !== 'I' && a[k] !== b[k]) return false;
  return true;
}

function checkGrouping(op: PauliSum): number {
  const { groups, identityTerms } = groupQubitWiseCommuting(op);
  const seen = new Int32Array(op.nTerms);
  for (const t of identityTerms) seen[t]++;
  for (const g of groups) {
    const labels = [...g.termIndices].map((t) => densePauliLabel(op.x[t], op.z[t], op.nQubits));
    for (let i = 0; i < labels.length; i++) {
      assert.ok(qwc(labels[i], g.basisDense), `${labels[i]} not diagonal in ${g.basisDense}`);
      for (let j = 0; j < i; j++) assert.ok(qwc(labels[i], labels[j]), `${labels[i]} vs ${labels[j]}`);
    }
    for (const t of g.termIndices) seen[t]++;
  }
  for (let t = 0; t < op.nTerms; t++) assert.equal(seen[t], 1, `term ${t} must be in exactly one group`);
  return groups.length;
}

test('H2 JW: five QWC groups (four XY strings alone, ten Z strings together), as in Cirq', () => {
  // Expected grouping from quantumlib/Cirq cirq-core/cirq/work/observable_grouping_test.py
  // (test_group_settings_greedy_hydrogen): 5 groups, sizes 1, 1, 1, 1, 10.
  const op = jordanWigner(H2_STO3G_0_7414);
  const { groups, identityTerms } = groupQubitWiseCommuting(op);
  assert.equal(groups.length, 5);
  assert.equal(identityTerms.length, 1);
  assert.deepEqual(groups.map((g) => g.termIndices.length).sort((a, b) => a - b), [1, 1, 1, 1, 10]);
  assert.ok(groups.some((g) => g.basisLabel === 'Z0 Z1 Z2 Z3'));
  checkGrouping(op);
});

test('random operators: every group is qubit-wise commuting and every term is placed once', () => {
  const rng = new Random(5);
  for (let trial = 0; trial < 10; trial++) {
    const n = 2 + rng.int(5);
    const terms = [];
    for (let t = 0; t < 40; t++) terms.push({ x: rng.int(2 ** n), z: rng.int(2 ** n), re: rng.normal() });
    const op = PauliSum.fromTerms(n, terms);
    const count = checkGrouping(op);
    assert.ok(count <= op.nTerms);
  }
  // Mutually non-QWC strings need one group each.
  assert.equal(checkGrouping(PauliSum.fromLabels(1, [['X0', 1], ['Y0', 1], ['Z0', 1]])), 3);
});
