import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQde, scratchDirectory } from './cli.test-util.js';

// Reference values from Psi4 1.3.2 on the geometries in examples/ (units angstrom, no_com,
// no_reorient, symmetry c1, scf_type pk, e_convergence = d_convergence = 1e-10, mp2_type conv):
//   psi4.energy('scf') with basis sto-3g, reference rhf, for examples/h2o.xyz → -74.96302728968574
//   (nuclear repulsion 9.189304847936707); reference uhf, charge 1, multiplicity 2 → -74.65590657713794.
const PSI4_H2O_RHF_STO3G = -74.96302728968574;
const PSI4_H2O_NUCLEAR_REPULSION = 9.189304847936707;
const PSI4_H2O_CATION_UHF_STO3G = -74.65590657713794;

function singleLine(stderr: string): string {
  assert.equal(stderr.split('\n').length, 2, `expected exactly one line on stderr, got: ${JSON.stringify(stderr)}`);
  assert.ok(stderr.endsWith('\n'));
  assert.ok(stderr.startsWith('qde: '), stderr);
  assert.doesNotMatch(stderr, /\s+at\s+\S+ \(/, 'no stack trace');
  return stderr.trimEnd();
}

test('energy --json: the JSON contract and the Psi4 RHF energy of water', async () => {
  const r = await runQde(['energy', 'examples/h2o.xyz', '--basis', 'sto-3g', '--method', 'hf', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'exactly one JSON object on stdout');
  const j = JSON.parse(lines[0]!) as Record<string, unknown>;
  for (const key of [
    'energyHartree', 'method', 'basis', 'nBasis', 'nElectrons', 'nuclearRepulsionHartree',
    'converged', 'iterations', 'wallSeconds', 'qdeVersion',
  ]) {
    assert.ok(key in j, `missing ${key}`);
  }
  assert.equal(j.method, 'hf');
  assert.equal(j.basis, 'STO-3G');
  assert.equal(j.nBasis, 7);
  assert.equal(j.nElectrons, 10);
  assert.equal(j.converged, true);
  assert.equal(typeof j.qdeVersion, 'string');
  assert.ok((j.wallSeconds as number) >= 0);
  assert.ok(Math.abs((j.energyHartree as number) - PSI4_H2O_RHF_STO3G) < 1e-8);
  assert.ok(Math.abs((j.nuclearRepulsionHartree as number) - PSI4_H2O_NUCLEAR_REPULSION) < 1e-9);
});

test('energy: readable summary without --json', async () => {
  const r = await runQde(['energy', 'examples/h2o.xyz']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^method\s+hf$/m);
  assert.match(r.stdout, /^total energy\s+-74\.963027289\d* Eh$/m);
  assert.throws(() => JSON.parse(r.stdout));
});

test('energy --method uhf with --charge/--multiplicity overrides: Psi4 UHF energy and <S^2>', async () => {
  const r = await runQde(['energy', 'examples/h2o.xyz', '--method', 'uhf', '--charge', '1', '--multiplicity', '2', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as Record<string, number>;
  assert.ok(Math.abs(j.energyHartree! - PSI4_H2O_CATION_UHF_STO3G) < 1e-8);
  assert.equal(j.nElectrons, 9);
  // a doublet determinant has <S^2> ≥ S(S+1) = 0.75 (spin contamination only raises it)
  assert.ok(j.s2! >= 0.75 - 1e-9 && j.s2! < 0.8);
});

test('bad input: malformed XYZ names the line; exit 2, one line', async () => {
  const dir = scratchDirectory();
  try {
    const bad = dir.file('bad.xyz', '2\nwater?\nO 0 0 0\nH 0 zero 1\n');
    const r = await runQde(['energy', bad, '--json']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(singleLine(r.stderr), /bad\.xyz:4: non-numeric coordinate 'zero'/);
    const count = dir.file('count.xyz', 'two\n\nH 0 0 0\nH 0 0 1\n');
    assert.match(singleLine((await runQde(['energy', count])).stderr), /count\.xyz:1: malformed atom count 'two'/);
    const short = dir.file('short.xyz', '3\n\nH 0 0 0\nH 0 0 1\n');
    assert.match(singleLine((await runQde(['energy', short])).stderr), /short\.xyz:1: wrong number of lines/);
  } finally {
    dir.remove();
  }
});

test('bad input: unknown element', async () => {
  const dir = scratchDirectory();
  try {
    const path = dir.file('xx.xyz', '2\n\nH 0 0 0\nXx 0 0 1\n');
    const r = await runQde(['energy', path]);
    assert.equal(r.code, 2);
    assert.match(singleLine(r.stderr), /xx\.xyz:4: unknown element 'Xx'/);
  } finally {
    dir.remove();
  }
});

test('bad input: a basis set without the element (cc-pVDZ has no potassium)', async () => {
  const dir = scratchDirectory();
  try {
    const path = dir.file('kh.xyz', '2\npotassium hydride\nK 0 0 0\nH 0 0 2.24\n');
    const r = await runQde(['energy', path, '--basis', 'cc-pvdz']);
    assert.equal(r.code, 2);
    const line = singleLine(r.stderr);
    assert.match(line, /\bK\b/);
    assert.match(line, /cc-pVDZ/i);
  } finally {
    dir.remove();
  }
});

test('bad input: impossible charge and multiplicity', async () => {
  const charge = await runQde(['energy', 'examples/h2o.xyz', '--charge', '12']);
  assert.equal(charge.code, 2);
  assert.match(singleLine(charge.stderr), /impossible charge 12/);
  const mult = await runQde(['energy', 'examples/h2o.xyz', '--multiplicity', '2', '--method', 'uhf']);
  assert.equal(mult.code, 2);
  assert.match(singleLine(mult.stderr), /multiplicity 2 is impossible with 10 electrons/);
  const high = await runQde(['energy', 'examples/h2.xyz', '--multiplicity', '5', '--method', 'uhf']);
  assert.equal(high.code, 2);
  assert.match(singleLine(high.stderr), /at most 3/);
  const dir = scratchDirectory();
  try {
    const path = dir.file('h2.xyz', '2\nH2 charge=3\nH 0 0 0\nH 0 0 0.74\n');
    assert.match(singleLine((await runQde(['energy', path])).stderr), /h2\.xyz:2: impossible charge 3/);
  } finally {
    dir.remove();
  }
});

test('bad input: RHF with an odd electron count suggests --method uhf', async () => {
  const r = await runQde(['energy', 'examples/h2o.xyz', '--charge', '1', '--method', 'hf']);
  assert.equal(r.code, 2);
  const line = singleLine(r.stderr);
  assert.match(line, /9 electrons/);
  assert.match(line, /--method uhf/);
});

test('bad input: missing geometry file → exactly one line, exit 2', async () => {
  const r = await runQde(['energy', 'x.xyz', '--basis', 'sto-3g']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "qde: cannot read geometry file 'x.xyz': no such file\n");
  assert.equal(r.stdout, '');
  const f = await runQde(['energy', '--fcidump', 'missing.fcidump', '--method', 'fci']);
  assert.equal(f.code, 2);
  assert.match(singleLine(f.stderr), /missing\.fcidump/);
});

test('bad options: unknown method, mapping, basis; malformed --active; bad --roots', async () => {
  const cases: [string[], RegExp][] = [
    [['--method', 'dft'], /argument 'dft' is invalid\. Allowed choices are hf, uhf, mp2/],
    [['--mapping', 'jw'], /argument 'jw' is invalid/],
    [['--ansatz', 'ucc'], /argument 'ucc' is invalid/],
    [['--basis', 'nonsense-basis'], /unknown basis set 'nonsense-basis'/],
    [['--active', '4'], /--active <NELEC,NORB>.*expected NELEC,NORB/],
    [['--active', '9,4'], /9 electrons do not fit into 4 orbitals/],
    [['--active', 'a,b'], /expected NELEC,NORB/],
    [['--roots', '-1'], /--roots <K>.*expected a positive integer/],
    [['--roots', '0'], /expected a positive integer/],
    [['--charge', '1.5'], /--charge <N>.*expected an integer/],
    [['--seed', '-3'], /expected a non-negative integer/],
    [['--no-such-option'], /unknown option '--no-such-option'/],
    [['--roots', '2', '--method', 'hf'], /--roots applies to fci only/],
    [['--taper', '--method', 'hf'], /--taper applies to vqe, not hf/],
    [['--mapping', 'parity', '--method', 'fci'], /--mapping applies to vqe, adapt-vqe, qpe, not fci/],
    [['--bits', '8', '--method', 'vqe'], /--bits applies to qpe, not vqe/],
    [['--pool', 'qubit', '--method', 'vqe'], /--pool applies to adapt-vqe, not vqe/],
    [['--ansatz', 'hea', '--method', 'qpe'], /--ansatz applies to vqe, not qpe/],
    [['--frozen-core', '--method', 'hf'], /--frozen-core and --active apply to correlated methods/],
    [['--frozen-core', '--active', '2,2', '--method', 'ccsd'], /either --frozen-core or --active/],
    [['--method', 'hf', '--charge', '1'], /RHF needs a closed-shell singlet.*use --method uhf, or --reference rohf/],
  ];
  for (const [extra, pattern] of cases) {
    const r = await runQde(['energy', 'examples/h2o.xyz', ...extra]);
    assert.equal(r.code, 2, `${extra.join(' ')}: ${r.stderr}`);
    assert.match(singleLine(r.stderr), pattern);
  }
  const none = await runQde(['energy']);
  assert.equal(none.code, 2);
  assert.match(singleLine(none.stderr), /missing geometry file/);
  const both = await runQde(['energy', 'examples/h2.xyz', '--fcidump', 'f']);
  assert.match(singleLine(both.stderr), /either a geometry file or --fcidump/);
  const cmd = await runQde(['energie']);
  assert.equal(cmd.code, 2);
  assert.match(singleLine(cmd.stderr), /unknown command 'energie'/);
});

test('no convergence → exit 3 with the last energy change on one line', async () => {
  const r = await runQde(['energy', 'examples/h2o.xyz', '--scf-max-iterations', '2']);
  assert.equal(r.code, 3);
  assert.match(singleLine(r.stderr), /energy change/);
});

test('help explains every option, with units', async () => {
  const top = await runQde(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /energy/);
  assert.match(top.stdout, /fcidump/);
  assert.match(top.stdout, /Exit codes/);
  const noArgs = await runQde([]);
  assert.equal(noArgs.code, 0);
  assert.match(noArgs.stdout, /Usage: qde/);
  const energy = await runQde(['energy', '--help']);
  assert.equal(energy.code, 0);
  for (const option of [
    '--fcidump', '--basis', '--method', '--charge', '--multiplicity', '--frozen-core', '--active', '--roots',
    '--ansatz', '--layers', '--pool', '--bits', '--mapping', '--taper', '--seed', '--scf-max-iterations', '--json',
  ]) {
    assert.ok(energy.stdout.includes(option), `energy --help lacks ${option}`);
  }
  assert.match(energy.stdout, /Ångström/);
  assert.match(energy.stdout, /Hartree/);
  const fcidump = await runQde(['fcidump', '--help']);
  assert.equal(fcidump.code, 0);
  for (const option of ['--basis', '--out', '--charge', '--multiplicity', '--frozen-core', '--active']) {
    assert.ok(fcidump.stdout.includes(option), `fcidump --help lacks ${option}`);
  }
  const version = await runQde(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('energy on the noisy backend: the compact ansatz by default, --max-two-qubit-gates, compiledGates and stoppedBy in --json', async () => {
  const r = await runQde([
    'energy', 'examples/h2.xyz', '--method', 'vqe', '--backend', 'noisy', '--device', 'aria-1', '--shots', '20000',
    '--mitigation', 'readout,zne,symmetry', '--max-two-qubit-gates', '13', '--json', '--quiet',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as Record<string, any>;
  assert.equal(j.ansatz, 'compact');
  // H2 needs one qubit double excitation: 13 CNOTs in its compact circuit (Yordanov et al. 2020)
  assert.deepEqual(j.compiledGates, { oneQubitGates: j.circuit.oneQubitGates, twoQubitGates: 13, native: null });
  assert.ok(['gradient-threshold', 'two-qubit-budget'].includes(j.stoppedBy), j.stoppedBy);
  assert.equal(j.shots, 3 * 20000);
  assert.ok(Math.abs(j.energyHartree - j.referenceFciHartree) < 4 * j.standardErrorHartree, `${j.energyHartree} ± ${j.standardErrorHartree} vs ${j.referenceFciHartree}`);
  // the budget is part of the spec: 0 leaves the Hartree–Fock circuit
  const none = await runQde(['energy', 'examples/h2.xyz', '--method', 'vqe', '--backend', 'noisy', '--shots', '2000', '--max-two-qubit-gates', '0', '--json', '--quiet']);
  assert.equal(none.code, 0, none.stderr);
  const k = JSON.parse(none.stdout) as Record<string, any>;
  assert.equal(k.compiledGates.twoQubitGates, 0);
  assert.equal(k.stoppedBy, 'two-qubit-budget');
  assert.equal(k.parameters, 0);
});

test('bad input on the noisy backend: unknown device, noise file with a missing key, --max-two-qubit-gates with uccsd → exit 2, one line', async () => {
  const dir = scratchDirectory();
  const unknown = await runQde(['energy', 'examples/h2.xyz', '--method', 'vqe', '--backend', 'noisy', '--device', 'aria-9']);
  assert.equal(unknown.code, 2);
  assert.match(singleLine(unknown.stderr), /unknown device 'aria-9'/);
  const file = dir.file('lab.json', JSON.stringify({ oneQubit: { depolarizing: 0.001, durationSeconds: 1e-5 }, twoQubit: { depolarizing: 0.01, durationSeconds: 2e-4 }, t1Seconds: 1, readout: { p1Given0: 0.01, p0Given1: 0.02 } }));
  const missing = await runQde(['energy', 'examples/h2.xyz', '--method', 'vqe', '--backend', 'noisy', '--device', file]);
  assert.equal(missing.code, 2);
  assert.equal(singleLine(missing.stderr), `qde: ${file}: t2Seconds: missing`);
  const uccsd = await runQde(['energy', 'examples/h2.xyz', '--method', 'vqe', '--ansatz', 'uccsd', '--max-two-qubit-gates', '10']);
  assert.equal(uccsd.code, 2);
  assert.match(singleLine(uccsd.stderr), /--max-two-qubit-gates.*compact/);
  dir.remove();
});
