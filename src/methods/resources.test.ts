import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceError } from '../core/index.js';
import { createMolecule, readXyzFile } from '../chem/index.js';
import { estimateMethodMemory, packedEriBytes } from './resources.js';
import { runMethod } from './run-method.js';
import { runLadder } from './ladder.js';

function hydrogenChain(atoms: number, spacingBohr = 1.4): ReturnType<typeof createMolecule> {
  const positions = new Float64Array(3 * atoms);
  for (let i = 0; i < atoms; i++) positions[3 * i + 2] = i * spacingBohr;
  return createMolecule({ atomicNumbers: new Array<number>(atoms).fill(1), positionsBohr: positions, charge: 0, multiplicity: 1 });
}

/** Unique quartets under the 8-fold permutational symmetry, by enumeration. */
function packedEriLengthForTest(n: number): number {
  let count = 0;
  for (let m = 0; m < n; m++)
    for (let v = 0; v <= m; v++)
      for (let l = 0; l < n; l++)
        for (let s = 0; s <= l; s++) if (m * (m + 1) / 2 + v >= l * (l + 1) / 2 + s) count++;
  return count;
}

test('packed AO integral storage is counted exactly (8-fold symmetry)', () => {
  // independent count: every quartet μ ≥ ν, λ ≥ σ, (μν) ≥ (λσ) enumerated by brute force
  for (const n of [1, 2, 5, 7]) assert.equal(packedEriBytes(n), 8 * packedEriLengthForTest(n));
});

test('2,000 hydrogen atoms are refused before any integral is computed', async () => {
  const t0 = performance.now();
  await assert.rejects(
    runMethod(hydrogenChain(2000), { method: 'hf', basis: 'sto-3g' }),
    (e: unknown) => e instanceof ResourceError && /HF needs about \d/.test(e.message) && /AO integrals/.test(e.message) && /--max-memory/.test(e.message),
  );
  // the refusal comes from the estimate, not from running out of memory part-way
  assert.ok(performance.now() - t0 < 20_000);
});

test('CCSD on benzene in cc-pVTZ is refused with the estimate, the limit and the machine memory', async () => {
  const benzene = readXyzFile('examples/benzene.xyz');
  await assert.rejects(runMethod(benzene, { method: 'ccsd', basis: 'cc-pvtz' }), (e: unknown) => {
    assert.ok(e instanceof ResourceError);
    assert.match(e.message, /CCSD needs about [\d.]+ (GB|TB)/);
    assert.match(e.message, /this machine has [\d.]+ (GB|TB)/);
    // 264 functions: the MO integrals alone are 264⁴ × 8 bytes = 39 GB
    assert.ok(e.estimateBytes > 264 ** 4 * 8);
    return true;
  });
});

test('maxMemoryBytes lowers the limit; a run within it is not refused', async () => {
  const water = readXyzFile('examples/h2o.xyz');
  await assert.rejects(runMethod(water, { method: 'ccsd', basis: 'sto-3g' }, { maxMemoryBytes: 1e6 }), ResourceError);
  const ok = await runMethod(water, { method: 'ccsd', basis: 'sto-3g' }, { maxMemoryBytes: 1e9 });
  assert.ok(ok.energyHartree < -74.9);
});

test('an absurd number of ansatz layers is refused at once instead of building the circuit', async () => {
  const h2 = readXyzFile('examples/h2.xyz');
  await assert.rejects(
    runMethod(h2, { method: 'vqe', basis: 'sto-3g', layers: 1_000_000_000 }),
    (e: unknown) => e instanceof ResourceError && /circuit/.test(e.message),
  );
});

test('the ladder skips a rung that does not fit and says why', async () => {
  const water = readXyzFile('examples/h2o.xyz');
  const ladder = await runLadder(water, { basis: 'cc-pvdz', methods: ['hf', 'mp2', 'vqe'], maxQubits: 64 });
  const vqe = ladder.rungs.find((r) => r.method === 'vqe')!;
  assert.equal(vqe.status, 'skipped');
  assert.match(vqe.reason!, /VQE needs about/);
  assert.equal(ladder.rungs.find((r) => r.method === 'mp2')!.status, 'ok');
});

test('estimates grow with the problem and cover the largest array', () => {
  const small = estimateMethodMemory('ccsd', { nBasis: 24, nActiveOrbitals: 24, nActiveAlpha: 5, nActiveBeta: 5 });
  const large = estimateMethodMemory('ccsd', { nBasis: 58, nActiveOrbitals: 58, nActiveAlpha: 5, nActiveBeta: 5 });
  assert.ok(large.bytes > small.bytes);
  // the (ac|bd) block of 53 virtuals is 53⁴ doubles
  assert.ok(large.parts.some((p) => p.bytes === 53 ** 4 * 8));
  const sector = estimateMethodMemory('vqe', { nBasis: 0, nActiveOrbitals: 6, nActiveAlpha: 2, nActiveBeta: 2 });
  const register = estimateMethodMemory('vqe', { nBasis: 0, nActiveOrbitals: 6, nActiveAlpha: 2, nActiveBeta: 2 }, { ansatz: 'hea' });
  // C(6,2)² = 225 sector amplitudes against 2¹² on the whole register
  assert.ok(sector.parts.some((p) => p.what.includes('2.25e+2')));
  assert.ok(register.parts.some((p) => p.what.includes('4.10e+3')));
});

test('Hartree–Fock memory follows the SCF type: direct keeps no integrals, density fitting a three-index factor', () => {
  const size = { nBasis: 1000, nActiveOrbitals: 1000, nActiveAlpha: 50, nActiveBeta: 50 };
  const pk = estimateMethodMemory('hf', size);
  const df = estimateMethodMemory('hf', size, { scfType: 'df' });
  const direct = estimateMethodMemory('hf', size, { scfType: 'direct' });
  // 8-fold packed (μν|λσ) of 1000 functions: 1.25e11 integrals, 1 TB; the DF factor with 5000
  // auxiliary functions: 5000 · 500,500 doubles plus two metric copies, 20.4 GB; direct: matrices only
  assert.ok(pk.bytes > 1e12);
  assert.ok(df.bytes > 2.0e10 && df.bytes < 1e11, `df estimate ${df.bytes}`);
  assert.ok(direct.bytes < 1e9, `direct estimate ${direct.bytes}`);
  // a correlated method still reads the exact integrals whatever the SCF type
  const mp2 = estimateMethodMemory('mp2', size, { scfType: 'direct' });
  assert.ok(mp2.bytes > 1e12);
});
