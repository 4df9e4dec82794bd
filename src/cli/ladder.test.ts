import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQde, scratchDirectory } from './cli.test-util.js';

// Psi4 1.3.2 energies (Hartree) of examples/lih.xyz in STO-3G, all electrons correlated
// (units angstrom, no_com, no_reorient, symmetry c1, scf_type pk, e/d_convergence 1e-10, mp2_type conv).
const PSI4_LIH = {
  hf: -7.8620269593708,
  mp2: -7.874890812868054,
  ccsd: -7.88239291558546,
  'ccsd(t)': -7.882401303621486,
  fci: -7.882403410324336,
} as const;

interface Rung {
  method: string;
  kind: string;
  status: string;
  energyHartree?: number;
  errorVsFciHartree?: number;
  reason?: string;
  report?: Record<string, unknown>;
}

test('ladder on LiH: classical rungs match Psi4, quantum rungs land on FCI', async () => {
  const r = await runQde(['ladder', 'examples/lih.xyz', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const ladder = JSON.parse(r.stdout) as { rungs: Rung[]; fciEnergyHartree: number; determinants: number };
  assert.equal(ladder.determinants, 225);
  assert.deepEqual(
    ladder.rungs.map((x) => x.method),
    ['hf', 'mp2', 'ccsd', 'ccsd(t)', 'fci', 'vqe', 'adapt-vqe', 'qpe'],
  );
  for (const rung of ladder.rungs) assert.equal(rung.status, 'ok', `${rung.method}: ${rung.reason}`);
  const byMethod = new Map(ladder.rungs.map((x) => [x.method, x]));
  for (const [method, expected] of Object.entries(PSI4_LIH)) {
    const e = byMethod.get(method)!.energyHartree!;
    assert.ok(Math.abs(e - expected) < 1e-8, `${method}: ${e} vs Psi4 ${expected}`);
  }
  assert.ok(Math.abs(ladder.fciEnergyHartree - PSI4_LIH.fci) < 1e-8);
  // variational quantum rungs lie above FCI and within chemical accuracy of it
  for (const m of ['vqe', 'adapt-vqe']) {
    const d = byMethod.get(m)!.errorVsFciHartree!;
    assert.ok(d > -1e-9 && d < 1.6e-3, `${m}: E − FCI = ${d}`);
  }
  const qpe = byMethod.get('qpe')!;
  const resolution = qpe.report!.resolutionHartree as number;
  assert.ok(Math.abs(qpe.errorVsFciHartree!) <= resolution, `qpe: ${qpe.errorVsFciHartree} vs resolution ${resolution}`);
});

test('ladder table, method subsets, skipped rungs and input checks', async () => {
  const table = await runQde(['ladder', 'examples/h2.xyz', '--methods', 'hf,fci,vqe']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /VQE-UCCSD/);
  assert.match(table.stdout, /E − FCI/);
  const skipped = await runQde(['ladder', 'examples/lih.xyz', '--methods', 'hf,vqe', '--max-qubits', '8', '--json']);
  assert.equal(skipped.code, 0, skipped.stderr);
  const rungs = (JSON.parse(skipped.stdout) as { rungs: Rung[] }).rungs;
  assert.equal(rungs[1]!.status, 'skipped');
  assert.match(rungs[1]!.reason!, /12 qubits/);
  const bad = await runQde(['ladder', 'examples/h2.xyz', '--methods', 'hf,dft']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown method 'dft'/);
  const dir = scratchDirectory();
  try {
    const radical = dir.file('oh.xyz', '2\nOH radical\nO 0 0 0\nH 0 0 0.97\n');
    const open = await runQde(['ladder', radical]);
    assert.equal(open.code, 2);
    assert.match(open.stderr, /closed-shell singlet/);
    assert.equal(open.stderr.trim().split('\n').length, 1);
  } finally {
    dir.remove();
  }
});
