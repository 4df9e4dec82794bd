import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseXyz } from '../chem/index.js';
import { buildMolecularHamiltonian } from '../methods/index.js';
import { mapHamiltonian } from '../qubits/index.js';
import { StateVector, applyCircuit, expectationPauliSum } from '../backends/index.js';
import { fromIonqJson, parseOpenQasm, type Circuit } from '../circuits/index.js';
import { runQde, scratchDirectory } from './cli.test-util.js';

const H2 = '2\nH2 charge=0 multiplicity=1\nH 0 0 0\nH 0 0 0.74\n';
// test/fixtures/reference/psi4-public.json, h2_sto-3g_r0.74_fci (Psi4 1.3.2 detci)
const PSI4_H2_FCI = -1.1372838344855134;

function energyOf(circuit: Circuit): number {
  const { ham } = buildMolecularHamiltonian(parseXyz(H2, 'h2.xyz'), { basis: 'sto-3g' });
  const state = new StateVector(circuit.nQubits);
  applyCircuit(state, circuit);
  return expectationPauliSum(state, mapHamiltonian(ham, 'jordan-wigner'));
}

function probabilitiesOf(circuit: Circuit): number[] {
  const state = new StateVector(circuit.nQubits);
  applyCircuit(state, circuit);
  return Array.from(state.re, (re, i) => re * re + state.im[i] * state.im[i]);
}

test('qde circuit export: H2 in every format prepares the FCI ground state; import reads it back', async () => {
  const dir = scratchDirectory();
  try {
    const geometry = dir.file('h2.xyz', H2);
    let probabilities: number[] = [];
    for (const format of ['qasm2', 'qasm3', 'ionq', 'ionq-native'] as const) {
      const run = await runQde(['circuit', 'export', geometry, '--format', format, ...(format === 'qasm3' ? ['--optimize'] : [])]);
      assert.equal(run.code, 0, run.stderr);
      const circuit = format.startsWith('ionq') ? fromIonqJson(run.stdout, format) : parseOpenQasm(run.stdout, format).circuit;
      if (format === 'ionq-native') assert.ok(circuit.gates.every((g) => ['gpi', 'gpi2', 'ms'].includes(g.kind)));
      if (format !== 'ionq-native') {
        assert.ok(Math.abs(energyOf(circuit) - PSI4_H2_FCI) < 1e-6, `${format}: ${energyOf(circuit)}`);
        probabilities = probabilitiesOf(circuit);
      } else {
        // the native export leaves out the final Z phases (as IonQ does): same measurement probabilities
        const native = probabilitiesOf(circuit);
        assert.ok(native.every((p, i) => Math.abs(p - probabilities[i]) < 1e-10));
      }
      const file = dir.file(`h2.${format.startsWith('ionq') ? 'json' : 'qasm'}`, run.stdout);
      const imported = await runQde(['circuit', 'import', file, '--json']);
      assert.equal(imported.code, 0, imported.stderr);
      const report = JSON.parse(imported.stdout);
      assert.equal(report.qubits, 4);
      assert.equal(report.format, format === 'ionq-native' ? 'ionq' : format);
      assert.ok(report.twoQubitGates > 0 && report.totalGates === report.oneQubitGates + report.twoQubitGates);
    }
    const forte = await runQde(['circuit', 'export', geometry, '--format', 'ionq-native', '--device', 'forte', '--out', dir.file('f.json', '')]);
    assert.equal(forte.code, 0, forte.stderr);
    assert.match(forte.stdout, /wrote/);
    assert.ok(JSON.parse(readFileSync(`${dir.path}/f.json`, 'utf8')).circuit.some((g: { gate: string }) => g.gate === 'zz'));
    const symbolic = await runQde(['circuit', 'export', geometry, '--format', 'qasm3', '--symbolic']);
    assert.equal(symbolic.code, 0, symbolic.stderr);
    assert.ok(parseOpenQasm(symbolic.stdout).circuit.nParameters > 0);
    const refused = await runQde(['circuit', 'export', geometry, '--format', 'qasm2', '--symbolic']);
    assert.equal(refused.code, 2);
  } finally {
    dir.remove();
  }
});

test('qde circuit import: counts of a known circuit, and one-line errors with exit code 2', async () => {
  const dir = scratchDirectory();
  try {
    // GHZ: 1 one-qubit gate, 2 CNOTs, depth 3
    const ghz = dir.file('ghz.qasm', 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\ncreg c[3];\nh q[0];\ncx q[0],q[1];\ncx q[1],q[2];\nmeasure q -> c;\n');
    const ok = await runQde(['circuit', 'import', ghz, '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout), { file: ghz, format: 'qasm2', qubits: 3, parameters: 0, oneQubitGates: 1, twoQubitGates: 2, totalGates: 3, depth: 3 });
    const text = await runQde(['circuit', 'import', ghz]);
    assert.match(text.stdout, /qubits\s+3/);
    const bad = dir.file('bad.qasm', 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\n\nh q[0];\n    foo q[1];\n');
    const badJson = dir.file('bad.json', '{"qubits": 2, "circuit": [{"gate": "h", "targets": "0"}]}');
    for (const [file, pattern] of [
      [bad, /^qde: .*bad\.qasm:6:5: unknown gate 'foo'\n$/],
      [badJson, /^qde: .*bad\.json.*circuit\[0\]\.targets.*\n$/],
      [`${dir.path}/missing.qasm`, /^qde: cannot read circuit file .*missing\.qasm': no such file\n$/],
    ] as const) {
      const r = await runQde(['circuit', 'import', file]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.split('\n').length, 2, 'one line');
    }
  } finally {
    dir.remove();
  }
});

test('an OpenQASM 3 export of the LiH UCCSD circuit is accepted by Microsoft’s QDK (qsharp-lang)', async () => {
  const run = await runQde(['circuit', 'export', 'examples/lih.xyz', '--frozen-core', '--ansatz', 'uccsd', '--format', 'qasm3']);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stdout.split('\n').length > 1000);
  const qs = await import('qsharp-lang');
  const wasm = readFileSync('node_modules/qsharp-lang/lib/web/qsc_wasm_bg.wasm');
  qs.loadWasmModule(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const compiler = await qs.getCompiler();
  const program = (source: string) => ({ sources: [['lih.qasm', source]] as [string, string][], languageFeatures: [], projectType: 'openqasm' as const });
  const qir = await compiler.getQir(program(run.stdout));
  assert.match(qir, /__quantum__qis__cx__body/);
  // the same parser refuses a broken program, so acceptance means something
  await assert.rejects(compiler.getQir(program(run.stdout.replace('cx q[', 'cxx q['))));
});
