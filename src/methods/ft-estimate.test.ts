import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFcidump } from '../hamiltonian/fcidump.js';
import { estimateFaultTolerantCost, estimateOpenQasm } from './ft-estimate.js';

const FIXTURES = new URL('../../test/fixtures/algorithms/', import.meta.url);
const load = (name: string) => readFcidump(new URL(`${name}.fcidump`, FIXTURES).pathname);
const PRESETS = ['qubit_gate_ns_e3', 'qubit_maj_ns_e6'] as const;

test('the accounted estimate equals the estimator tracing the whole phase-estimation program in OpenQASM 3 (H2, 4 bits)', async () => {
  const r = await estimateFaultTolerantCost({ hamiltonian: load('h2_r0.74'), bits: 4, trotterSteps: 2, presets: PRESETS });
  assert.equal(r.controlledSteps, 15 * 2);
  assert.equal(r.estimatorScale, 1);
  const traced = await estimateOpenQasm(r.qasm, PRESETS);
  const counts = (traced[0].raw as { logicalCounts: Record<string, number> }).logicalCounts;
  assert.equal(counts.rotationCount, r.totalLogicalCounts.rotationCount);
  assert.equal(counts.measurementCount, r.totalLogicalCounts.measurementCount);
  assert.equal(counts.numQubits, r.systemQubits + 1);
  for (let k = 0; k < PRESETS.length; k++) {
    assert.equal(r.estimates[k].physicalQubits, traced[k].physicalQubits, PRESETS[k]);
    assert.ok(Math.abs(r.estimates[k].runtimeSeconds / traced[k].runtimeSeconds - 1) < 0.01, `${PRESETS[k]}: ${r.estimates[k].runtimeSeconds} vs ${traced[k].runtimeSeconds} s`);
  }
});

test('estimating a run as equal parts with a divided error budget keeps the physical qubits and the runtime', async () => {
  const options = { hamiltonian: load('h2_r0.74'), bits: 6, trotterSteps: 2, presets: PRESETS };
  const whole = await estimateFaultTolerantCost(options);
  const parts = await estimateFaultTolerantCost({ ...options, minimumParts: 8 });
  assert.equal(parts.estimatorScale, 8);
  for (let k = 0; k < PRESETS.length; k++) {
    assert.equal(parts.estimates[k].physicalQubits, whole.estimates[k].physicalQubits, PRESETS[k]);
    assert.equal(parts.estimates[k].codeDistance, whole.estimates[k].codeDistance);
    assert.ok(Math.abs(parts.estimates[k].runtimeSeconds / whole.estimates[k].runtimeSeconds - 1) < 0.02, PRESETS[k]);
  }
});

for (const name of ['h2_r0.74', 'lih_r1.5949']) {
  test(`${name}: chemical-accuracy phase estimation has the estimator's physical counts, and a Majorana e-6 qubit needs less than a gate-based e-3 one`, async () => {
    const r = await estimateFaultTolerantCost({ hamiltonian: load(name) });
    assert.ok(r.resolutionHartree <= 1.6e-3 + 1e-12);
    assert.equal(r.estimates.length, 2);
    const [gate, maj] = r.estimates;
    for (const e of r.estimates) {
      assert.ok(e.physicalQubits > 0 && e.runtimeSeconds > 0 && e.tFactories > 0 && e.logicalQubits > r.systemQubits);
      assert.ok(typeof e.raw === 'object' && e.raw !== null && 'physicalCounts' in e.raw);
    }
    assert.equal(gate.qecScheme, 'surface_code');
    assert.equal(maj.qecScheme, 'floquet_code');
    // A physical error rate of 1e-6 instead of 1e-3 needs a smaller code distance, fewer qubits and less time.
    assert.ok(maj.codeDistance < gate.codeDistance);
    assert.ok(maj.physicalQubits < gate.physicalQubits);
    assert.ok(maj.runtimeSeconds < gate.runtimeSeconds);
  });
}

test('unknown presets and bad error budgets are refused', async () => {
  await assert.rejects(estimateFaultTolerantCost({ hamiltonian: load('h2_r0.74'), presets: ['qubit_x' as never] }), /unknown qubit preset 'qubit_x'/);
  await assert.rejects(estimateFaultTolerantCost({ hamiltonian: load('h2_r0.74'), errorBudget: 2 }), /error budget must be in \(0, 1\)/);
});
