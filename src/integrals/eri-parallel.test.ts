import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setThreadBudget } from '../core/index.js';
import { createMolecule } from '../chem/molecule.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { loadBasisLibrary } from '../basis/library.js';
import { electronRepulsionIntegrals } from './eri.js';
import { eriWorkerCount, terminateEriWorkers } from './eri-parallel.js';

test('thread budget 1: the ERI pool starts no workers and the integrals are unchanged', async () => {
  // H2O aug-cc-pVDZ: 41 functions, where the default uses the pool once the kernels are warm.
  const molecule = createMolecule({
    symbols: ['O', 'H', 'H'],
    positionsAngstrom: [
      [0, 0, 0.1173],
      [0, 0.7572, -0.4692],
      [0, -0.7572, -0.4692],
    ],
  });
  const basis = buildMolecularBasis(molecule, loadBasisLibrary('aug-cc-pvdz'));
  assert.ok(basis.nFunctions >= 40);
  await terminateEriWorkers();
  try {
    setThreadBudget(1);
    electronRepulsionIntegrals(basis);
    const serial = electronRepulsionIntegrals(basis);
    assert.equal(eriWorkerCount(), 0);
    setThreadBudget(2);
    const parallel = electronRepulsionIntegrals(basis);
    assert.equal(eriWorkerCount(), 1);
    assert.deepEqual(parallel.values, serial.values);
  } finally {
    setThreadBudget(undefined);
    await terminateEriWorkers();
  }
});
