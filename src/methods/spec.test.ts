import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../core/index.js';
import { createMolecule } from '../chem/index.js';
import { runMethod } from './run-method.js';
import { type MethodSpec, resolveMethodSpec } from './spec.js';

const molecule = { kind: 'molecule', charge: 0, multiplicity: 1 } as const;

function rejects(spec: unknown, pattern: RegExp): void {
  assert.throws(
    () => resolveMethodSpec(spec as MethodSpec, molecule),
    (e: unknown) => e instanceof InputError && pattern.test(e.message),
    `${JSON.stringify(spec)} should fail with ${pattern}`,
  );
}

test('spec validation names the offending key', () => {
  rejects({ method: 'fci', basis: 'sto-3g', root: 2 }, /unknown key 'root'/);
  rejects({ basis: 'sto-3g' }, /'method' is required/);
  rejects({ method: 'dft', basis: 'sto-3g' }, /'method' must be one of hf, uhf/);
  rejects({ method: 'fci' }, /'basis' is required for a molecule/);
  rejects({ method: 'fci', basis: 'sto-3g', roots: 0 }, /'roots' must be an integer ≥ 1/);
  rejects({ method: 'fci', basis: 'sto-3g', roots: 1.5 }, /'roots'/);
  rejects({ method: 'hf', basis: 'sto-3g', charge: '1' }, /'charge' must be an integer/);
  rejects({ method: 'vqe', basis: 'sto-3g', mapping: 'jw' }, /'mapping' must be one of jordan-wigner/);
  rejects({ method: 'fci', basis: 'sto-3g', active: { nElectrons: 9, nOrbitals: 4 } }, /'active' 9 electrons do not fit/);
  rejects({ method: 'fci', basis: 'sto-3g', active: [2, 2] }, /'active' must be \{nElectrons, nOrbitals\}/);
  rejects({ method: 'vqe', basis: 'sto-3g', backend: { name: 'shots' } }, /'backend' shots needs 'shots'/);
  rejects({ method: 'vqe', basis: 'sto-3g', backend: { name: 'ibm' } }, /'backend' name must be one of statevector, shots, noisy, ionq/);
  rejects({ method: 'vqe', basis: 'sto-3g', backend: { name: 'noisy', device: 'aria-1', shots: 10, mitigation: ['zne', 'fold'] } }, /'backend' mitigation must be a list of distinct readout, zne, symmetry/);
  rejects({ method: 'vqe', basis: 'sto-3g', backend: { name: 'shots', shots: 10, allocation: 'greedy' } }, /'backend' allocation must be uniform, weighted or variance-optimal/);
  rejects({ method: 'vqe', basis: 'sto-3g', seed: -1 }, /'seed'/);
  rejects({ method: 'fci', basis: 'sto-3g', reference: 'ghf' }, /'reference' must be one of rhf, uhf, rohf/);
  // keys that do not apply to the method
  rejects({ method: 'fci', basis: 'sto-3g', mapping: 'parity' }, /'mapping' applies to vqe, adapt-vqe, qpe, not fci/);
  rejects({ method: 'hf', basis: 'sto-3g', roots: 2 }, /'roots' applies to fci only, not hf/);
  rejects({ method: 'qpe', basis: 'sto-3g', ansatz: 'hea' }, /'ansatz' applies to vqe, not qpe/);
  rejects({ method: 'ccsd', basis: 'sto-3g', backend: { name: 'statevector' } }, /'backend' applies to vqe, adapt-vqe, qpe, not ccsd/);
  rejects({ method: 'hf', basis: 'sto-3g', frozenCore: true }, /'frozenCore' and 'active' apply to correlated methods/);
  rejects({ method: 'ccsd', basis: 'sto-3g', frozenCore: true, active: { nElectrons: 2, nOrbitals: 2 } }, /either 'frozenCore' or 'active'/);
  // a caller may name keys its own way (the command line names its options)
  assert.throws(() => resolveMethodSpec({ method: 'hf', basis: 'sto-3g', roots: 3 }, molecule, (k) => `--${k}`), /--roots applies to fci only/);
});

test('a resolved spec has every key: defaults where they apply, null where they do not', () => {
  const vqe = resolveMethodSpec({ method: 'vqe', basis: 'sto-3g', seed: 7 }, molecule);
  assert.deepEqual(vqe, {
    method: 'vqe', basis: 'sto-3g', charge: 0, multiplicity: 1, frozenCore: false, active: null, roots: null,
    mapping: 'jordan-wigner', ansatz: 'uccsd', layers: 1, pool: null, bits: null, taper: false,
    backend: { name: 'statevector' }, seed: 7, reference: null, scfMaxIterations: 100,
  });
  assert.equal(resolveMethodSpec({ method: 'vqe', basis: 'sto-3g', ansatz: 'hea' }, molecule).layers, 2);
  // a shot backend records the seed it draws from
  assert.deepEqual(resolveMethodSpec({ method: 'qpe', basis: 'sto-3g', seed: 3, backend: { name: 'shots', shots: 100 } }, molecule).backend, {
    name: 'shots', shots: 100, seed: 3,
  });
  const mp2 = resolveMethodSpec({ method: 'mp2', basis: 'sto-3g', roots: 1 }, molecule);
  assert.equal(mp2.roots, null);
  assert.equal(mp2.backend, null);
  const onHamiltonian = resolveMethodSpec({ method: 'fci' }, { kind: 'hamiltonian' });
  assert.equal(onHamiltonian.basis, null);
  assert.equal(onHamiltonian.scfMaxIterations, null);
});

test('the same spec gives the same result (a seeded hardware-efficient VQE)', async () => {
  const h2 = createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [[0, 0, 0], [0, 0, 0.74]] });
  const spec: MethodSpec = { method: 'vqe', basis: 'sto-3g', ansatz: 'hea', seed: 5 };
  const a = await runMethod(h2, spec);
  const b = await runMethod(h2, JSON.parse(JSON.stringify(spec)) as MethodSpec);
  assert.deepEqual({ ...a, wallTimeSeconds: 0 }, { ...b, wallTimeSeconds: 0 });
  // the spec recorded in the provenance reproduces the result too
  const recorded = a.provenance.spec;
  assert.equal(recorded.reference, 'rhf');
  const c = await runMethod(h2, Object.fromEntries(Object.entries(recorded).filter(([, v]) => v !== null)) as unknown as MethodSpec);
  assert.equal(c.energyHartree, a.energyHartree);
});
