import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.js';
import { ResourceError } from '../core/index.js';
import { FCIDUMP_DUPLICATE_TOLERANCE_HARTREE, MAX_FCIDUMP_ORBITALS, parseFcidump, readFcidump } from './fcidump.js';

const HEADER = '&FCI NORB=2,NELEC=2,MS2=0 &END\n';

function refused(body: string, pattern: RegExp): void {
  assert.throws(() => parseFcidump(HEADER + body, 'c.fcidump'), (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match(e.message, pattern);
    return true;
  });
}

test('an integral given twice with different values is refused, naming both lines', () => {
  assert.equal(FCIDUMP_DUPLICATE_TOLERANCE_HARTREE, 1e-10);
  // The same order twice, and (22|11) against (11|22).
  refused(' 0.5 1 1 2 2\n-1 1 1 0 0\n 0.6 1 1 2 2\n', /^c\.fcidump:4: \(11\|22\) = 0\.6 contradicts line 2, which gives it the value 0\.5/);
  refused(' 0.5 1 1 2 2\n 0.5000001 2 2 1 1\n', /^c\.fcidump:3: \(22\|11\) = 0\.5000001 contradicts line 2/);
  refused(' 0.1 1 2 1 1\n 0.2 2 1 1 1\n', /^c\.fcidump:3: \(21\|11\) = 0\.2 contradicts line 2/);
  // h_12 against h_21, and two core energies.
  refused('-0.3 1 2 0 0\n-0.4 2 1 0 0\n', /^c\.fcidump:3: h2,1 = -0\.4 contradicts line 2, which gives it the value -0\.3/);
  refused(' 0.7 0 0 0 0\n 0.8 0 0 0 0\n', /^c\.fcidump:3: the core energy = 0\.8 contradicts line 2/);
});

test('equal repeats (within the tolerance) are accepted and fill every permutation once', () => {
  const ham = parseFcidump(HEADER + ' 0.5 1 1 2 2\n 0.5 2 2 1 1\n 0.50000000000001 1 1 2 2\n-0.3 1 2 0 0\n-0.3 2 1 0 0\n 0.7 0 0 0 0\n 0.7 0 0 0 0\n', 'ok');
  const g = (p: number, q: number, r: number, s: number): number => ham.twoBody[((p * 2 + q) * 2 + r) * 2 + s]!;
  assert.equal(g(0, 0, 1, 1), 0.5);
  assert.equal(g(1, 1, 0, 0), 0.5);
  assert.deepEqual(Array.from(ham.oneBody), [0, -0.3, -0.3, 0]);
  assert.equal(ham.constantHartree, 0.7);
  // Orbital-energy lines (i 0 0 0) are not integrals: repeats with any value stay accepted.
  assert.equal(parseFcidump(HEADER + '-0.5 1 0 0 0\n-0.6 1 0 0 0\n', 'e').nOrbitals, 2);
});

test('values beyond 1e6 Eh and NORB beyond the dense limit are refused', () => {
  refused(' 1e300 1 1 1 1\n', /^c\.fcidump:2: value 1e300 is larger in magnitude than 1e\+6 Eh/);
  refused('-2D+07 1 1 0 0\n', /^c\.fcidump:2: value -2D\+07/);
  assert.throws(() => parseFcidump(`&FCI NORB=${MAX_FCIDUMP_ORBITALS + 1},NELEC=2 &END\n`, 'big'), /big:1: NORB=256 is more than qde handles/);
  assert.throws(() => parseFcidump('&FCI NORB=10000,NELEC=2 &END\n', 'huge'), /huge:1: NORB=10000 is more than qde handles/);
  // below the structural limit the memory limit decides: 100 orbitals need 100⁴ × 8 bytes = 800 MB
  assert.throws(
    () => parseFcidump('&FCI NORB=100,NELEC=2 &END\n', 'm', 100e6),
    (e: unknown) => e instanceof ResourceError && /m: NORB=100: storing the dense two-electron integrals needs about 800 MB/.test(e.message),
  );
});

test('ORBSYM entries must be irrep numbers from 1 and repeat counts must fit NORB', () => {
  const header = (orbsym: string) => `&FCI NORB=2,NELEC=2,ORBSYM=${orbsym} &END\n`;
  for (const bad of ['0,1', '-1,1', '2147483648,1']) {
    assert.throws(() => parseFcidump(header(bad), 's'), /s:1: ORBSYM entry '-?\d+' is not an irrep number/);
  }
  assert.throws(() => parseFcidump(header('1000000000*1'), 's'), /s:1: ORBSYM repeat count in '1000000000\*1' does not fit NORB=2/);
  assert.deepEqual(Array.from(parseFcidump(header('2*3'), 's').orbitalSymmetries!), [3, 3]);
});

test('every FCIDUMP fixture (Psi4, PySCF, qde) still loads', () => {
  const root = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
  let count = 0;
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const name of readdirSync(join(root, dir.name))) {
      if (!name.endsWith('.fcidump')) continue;
      assert.ok(readFcidump(join(root, dir.name, name)).nOrbitals > 0, name);
      count++;
    }
  }
  assert.ok(count >= 7, `${count} fixtures`);
});
