import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseFcidump, readFcidump, formatFcidump, writeFcidump } from './fcidump.js';
import { InputError } from '../core/errors.js';
import type { MolecularHamiltonian } from './molecular-hamiltonian.js';

const FIXTURES = 'test/fixtures/fcidump';
const reference = JSON.parse(readFileSync(join(FIXTURES, 'h2o-sto3g.json'), 'utf8')) as {
  rhf_energy_hartree: number;
  nuclear_repulsion_hartree: number;
  pyscf: { rhf_energy_hartree: number; nuclear_repulsion_hartree: number };
};

/** Energy of the closed-shell determinant occupying `occupied` (spatial orbitals, doubly). */
function closedShellEnergy(ham: MolecularHamiltonian, occupied: number[]): number {
  const n = ham.nOrbitals;
  const g = (p: number, q: number, r: number, s: number): number => ham.twoBody[((p * n + q) * n + r) * n + s];
  let e = ham.constantHartree;
  for (const i of occupied) e += 2 * ham.oneBody[i * n + i];
  for (const i of occupied) for (const j of occupied) e += 2 * g(i, i, j, j) - g(i, j, j, i);
  return e;
}

test('Psi4 FCIDUMP (C1): header, electron counts and the RHF energy rebuilt from the integrals', () => {
  const ham = readFcidump(join(FIXTURES, 'h2o-sto3g.fcidump'));
  assert.equal(ham.nOrbitals, 7);
  assert.equal(ham.nAlpha, 5);
  assert.equal(ham.nBeta, 5);
  assert.ok(Math.abs(ham.constantHartree - reference.nuclear_repulsion_hartree) < 1e-12);
  assert.deepEqual(Array.from(ham.orbitalSymmetries!), [1, 1, 1, 1, 1, 1, 1]);
  const e = closedShellEnergy(ham, [0, 1, 2, 3, 4]);
  assert.ok(Math.abs(e - reference.rhf_energy_hartree) < 1e-8, `E_HF ${e} vs Psi4 ${reference.rhf_energy_hartree}`);
  // 8-fold symmetry is filled in.
  const n = 7;
  const g = ham.twoBody;
  for (let p = 0; p < n; p++)
    for (let q = 0; q < n; q++)
      for (let r = 0; r < n; r++)
        for (let s = 0; s < n; s++) {
          const v = g[((p * n + q) * n + r) * n + s];
          assert.equal(v, g[((q * n + p) * n + r) * n + s]);
          assert.equal(v, g[((r * n + s) * n + p) * n + q]);
          assert.equal(v, g[((p * n + q) * n + s) * n + r]);
        }
});

test('Psi4 FCIDUMP (C2v, with orbital-energy lines): ORBSYM read, ε lines ignored, same RHF energy', () => {
  const path = join(FIXTURES, 'h2o-sto3g-c2v-eigenvalues.fcidump');
  const ham = readFcidump(path);
  assert.deepEqual(Array.from(ham.orbitalSymmetries!), [1, 1, 1, 1, 2, 3, 3]);
  // Occupied orbitals = the five lowest orbital energies listed in the file (independent of the parser).
  const eps: { index: number; value: number }[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length === 5 && f[2] === '0' && f[3] === '0' && f[4] === '0' && f[1] !== '0') {
      eps.push({ index: Number(f[1]) - 1, value: Number(f[0]) });
    }
  }
  assert.equal(eps.length, 7);
  const occupied = eps.sort((a, b) => a.value - b.value).slice(0, 5).map((x) => x.index);
  const e = closedShellEnergy(ham, occupied);
  assert.ok(Math.abs(e - reference.rhf_energy_hartree) < 1e-8, `E_HF ${e} vs Psi4 ${reference.rhf_energy_hartree}`);
});

test('PySCF FCIDUMP: header layout with &FCI NORB= on the first line; RHF energy rebuilt', () => {
  const ham = readFcidump(join(FIXTURES, 'h2o-sto3g-pyscf.fcidump'));
  assert.equal(ham.nOrbitals, 7);
  assert.equal(ham.nAlpha, 5);
  assert.ok(Math.abs(ham.constantHartree - reference.pyscf.nuclear_repulsion_hartree) < 1e-12);
  const e = closedShellEnergy(ham, [0, 1, 2, 3, 4]);
  assert.ok(Math.abs(e - reference.pyscf.rhf_energy_hartree) < 1e-8, `E_HF ${e} vs PySCF ${reference.pyscf.rhf_energy_hartree}`);
});

test('write → read round trip reproduces the Hamiltonian exactly', () => {
  const ham = readFcidump(join(FIXTURES, 'h2o-sto3g.fcidump'));
  // Perturb values so that they need all 17 digits.
  const n = ham.nOrbitals;
  const oneBody = ham.oneBody.map((v, idx) => {
    const i = Math.floor(idx / n), j = idx % n;
    return v * (1 + 1e-13 * Math.sin(i + j)) + 1 / 3;
  });
  const back = parseFcidump(formatFcidump({ ...ham, oneBody }));
  assert.deepEqual(back.oneBody, oneBody);
  assert.deepEqual(back.twoBody, ham.twoBody);
  assert.equal(back.constantHartree, ham.constantHartree);
  assert.equal(back.nAlpha, ham.nAlpha);
  assert.equal(back.nBeta, ham.nBeta);
  const dir = mkdtempSync(join(tmpdir(), 'qde-fcidump-'));
  try {
    const file = join(dir, 'FCIDUMP');
    writeFcidump(ham, file);
    const again = readFcidump(file);
    assert.deepEqual(again.twoBody, ham.twoBody);
    assert.deepEqual(again.oneBody, ham.oneBody);
    assert.deepEqual(again.orbitalSymmetries, ham.orbitalSymmetries);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Molpro/PySCF style: one-line header closed by /, D exponents, MS2 open shell, repeat counts', () => {
  const text = [
    ' &FCI NORB=2,NELEC=3,MS2=1,ORBSYM=2*1,ISYM=1 /',
    '  0.5D+00  1 1 1 1',
    '  0.25d0   2 1 1 1',
    '  0.1D-01  2 1 2 1',
    ' -1.25D0   1 1 0 0',
    ' -0.5D0    1 2 0 0',
    ' -0.3      1 0 0 0',
    '  0.7      0 0 0 0',
    '',
  ].join('\n');
  const ham = parseFcidump(text, 'inline');
  assert.equal(ham.nAlpha, 2);
  assert.equal(ham.nBeta, 1);
  assert.equal(ham.constantHartree, 0.7);
  assert.deepEqual(Array.from(ham.oneBody), [-1.25, -0.5, -0.5, 0]);
  const g = (p: number, q: number, r: number, s: number): number => ham.twoBody[((p * 2 + q) * 2 + r) * 2 + s];
  assert.equal(g(0, 0, 0, 0), 0.5);
  for (const [p, q, r, s] of [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]) assert.equal(g(p, q, r, s), 0.25);
  for (const [p, q, r, s] of [[1, 0, 1, 0], [0, 1, 1, 0], [1, 0, 0, 1], [0, 1, 0, 1]]) assert.equal(g(p, q, r, s), 0.01);
  assert.equal(g(1, 1, 0, 0), 0);
  // Multi-line header with &END and lowercase keys.
  const ham2 = parseFcidump('&FCI norb=1,\n nelec=2, ms2=0,\n&END\n 1.0 1 1 1 1\n', 'x');
  assert.equal(ham2.nAlpha, 1);
  assert.equal(ham2.twoBody[0], 1);
});

test('malformed FCIDUMP files raise InputError with file and line', () => {
  const bad = (text: string, pattern: RegExp): void => {
    assert.throws(() => parseFcidump(text, 'bad.fcidump'), (err: unknown) => err instanceof InputError && pattern.test(err.message));
  };
  bad('hello\n', /bad\.fcidump:1: not an FCIDUMP/);
  bad('&FCI NORB=2,NELEC=2\n 1.0 1 1 1 1\n', /never closed/);
  bad('&FCI NELEC=2 &END\n', /lacks NORB/);
  bad('&FCI NORB=2,NELEC=2 &END\n 1.0 1 1 1 3\n', /bad\.fcidump:2: orbital index 3/);
  bad('&FCI NORB=2,NELEC=2 &END\n 1.0 1 1 1\n', /bad\.fcidump:2: expected/);
  bad('&FCI NORB=2,NELEC=2 &END\n 1.0 1 1 1 1\n abc 1 1 0 0\n', /bad\.fcidump:3: 'abc' is not a number/);
  bad('&FCI NORB=2,NELEC=2 &END\n 1.0 1 0 1 0\n', /index pattern/);
  bad('&FCI NORB=2,NELEC=3,MS2=0 &END\n', /MS2=0 is impossible/);
  bad('&FCI NORB=2,NELEC=2,ORBSYM=1,1,1 &END\n', /ORBSYM lists 3/);
  bad('&FCI NORB=2,NELEC=2,UHF=.TRUE. &END\n', /unrestricted/);
  assert.throws(() => readFcidump('/nonexistent/FCIDUMP'), InputError);
});
