/**
 * Quantum-algorithm benchmarks on the exact simulator: VQE-UCCSD, ADAPT-VQE and iterative phase
 * estimation for STO-3G molecules, with wall time, optimiser iterations and the error against full
 * CI from Psi4 1.3.2 (test/fixtures/algorithms/references.json).
 *
 * Hamiltonians are the all-electron FCIDUMPs Psi4 wrote for the same calculations. Frozen-core
 * variants (BeH2, N2) freeze the lowest orbitals here with the textbook formulas
 *   E_core = Σ_c 2h_cc + Σ_cd [2(cc|dd) − (cd|dc)],  h'_pq = h_pq + Σ_c [2(pq|cc) − (pc|cq)],
 * and are compared with Psi4's frozen-core FCI (freeze_core true).
 */
import { readFileSync } from 'node:fs';
import type { Benchmark, BenchRow } from './harness.js';
import { readFcidump } from '../src/hamiltonian/fcidump.js';
import type { MolecularHamiltonian } from '../src/hamiltonian/molecular-hamiltonian.js';
import { runAdaptVqe } from '../src/algorithms/adapt-vqe.js';
import type { AdaptPoolName } from '../src/algorithms/excitations.js';
import { runVqe } from '../src/algorithms/molecular-vqe.js';
import { runPhaseEstimation } from '../src/algorithms/phase-estimation.js';

const FIXTURES = new URL('../test/fixtures/algorithms/', import.meta.url);
const references = JSON.parse(readFileSync(new URL('references.json', FIXTURES), 'utf8')).entries as Record<string, { fci: number }>;

function freezeCore(ham: MolecularHamiltonian, nCore: number): MolecularHamiltonian {
  const n = ham.nOrbitals;
  const m = n - nCore;
  const g = (p: number, q: number, r: number, s: number): number => ham.twoBody[((p * n + q) * n + r) * n + s];
  let constant = ham.constantHartree;
  for (let c = 0; c < nCore; c++) {
    constant += 2 * ham.oneBody[c * n + c];
    for (let d = 0; d < nCore; d++) constant += 2 * g(c, c, d, d) - g(c, d, d, c);
  }
  const oneBody = new Float64Array(m * m);
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < m; q++) {
      let v = ham.oneBody[(p + nCore) * n + q + nCore];
      for (let c = 0; c < nCore; c++) v += 2 * g(p + nCore, q + nCore, c, c) - g(p + nCore, c, c, q + nCore);
      oneBody[p * m + q] = v;
    }
  }
  const twoBody = new Float64Array(m ** 4);
  for (let p = 0; p < m; p++)
    for (let q = 0; q < m; q++)
      for (let r = 0; r < m; r++)
        for (let s = 0; s < m; s++) twoBody[((p * m + q) * m + r) * m + s] = g(p + nCore, q + nCore, r + nCore, s + nCore);
  return { nOrbitals: m, nAlpha: ham.nAlpha - nCore, nBeta: ham.nBeta - nCore, constantHartree: constant, oneBody, twoBody };
}

interface Case {
  label: string;
  fixture: string;
  frozenCore: number;
  reference: string;
}

const CASES: Record<string, Case> = {
  lih: { label: 'LiH 1.5949 Å', fixture: 'lih_r1.5949', frozenCore: 0, reference: 'lih_r1.5949' },
  lihStretched: { label: 'LiH 3.19 Å', fixture: 'lih_r3.1898', frozenCore: 0, reference: 'lih_r3.1898' },
  h2o: { label: 'H2O', fixture: 'h2o_scale1', frozenCore: 0, reference: 'h2o_scale1' },
  h2oStretched: { label: 'H2O 2×R', fixture: 'h2o_scale2', frozenCore: 0, reference: 'h2o_scale2' },
  beh2: { label: 'BeH2', fixture: 'beh2', frozenCore: 0, reference: 'beh2' },
  beh2Fc: { label: 'BeH2 fc', fixture: 'beh2', frozenCore: 1, reference: 'beh2_fc' },
  n2Fc: { label: 'N2 fc', fixture: 'n2', frozenCore: 2, reference: 'n2_fc' },
};

function hamiltonianOf(c: Case): MolecularHamiltonian {
  const ham = readFcidump(new URL(`${c.fixture}.fcidump`, FIXTURES).pathname);
  return c.frozenCore > 0 ? freezeCore(ham, c.frozenCore) : ham;
}

async function vqeRows(key: string, repeats: number): Promise<BenchRow[]> {
  const c = CASES[key];
  const ham = hamiltonianOf(c);
  const times: number[] = [];
  let result = await runVqe({ hamiltonian: ham });
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    result = await runVqe({ hamiltonian: ham });
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const name = `vqe-uccsd ${c.label}`;
  const error = result.energyHartree - references[c.reference].fci;
  const note = `${result.qubits} qubits, ${result.parameterCount} parameters, ${result.circuit.twoQubitGates} CNOTs, gradient tolerance 1e-6`;
  return [
    { benchmark: name, metric: 'wall time', value: times[Math.floor(times.length / 2)], unit: 's', note },
    { benchmark: name, metric: 'L-BFGS iterations', value: result.iterations, unit: '' },
    { benchmark: name, metric: 'energy evaluations', value: result.evaluations, unit: '' },
    { benchmark: name, metric: '|E − FCI|', value: Math.abs(error), unit: 'Ha' },
  ];
}

function adaptRows(key: string, pool: AdaptPoolName, maxOperators = 200): BenchRow[] {
  const c = CASES[key];
  const ham = hamiltonianOf(c);
  const t0 = performance.now();
  const result = runAdaptVqe({ hamiltonian: ham, pool, maxOperators });
  const seconds = (performance.now() - t0) / 1000;
  const name = `adapt-vqe ${pool} ${c.label}`;
  return [
    { benchmark: name, metric: 'wall time', value: seconds, unit: 's', note: `${result.qubits} qubits, pool ${result.poolSize}` },
    { benchmark: name, metric: 'operators', value: result.iterations, unit: '' },
    { benchmark: name, metric: '|E − FCI|', value: Math.abs(result.energyHartree - references[c.reference].fci), unit: 'Ha' },
  ];
}

function qpeRows(key: string, bits: number): BenchRow[] {
  const c = CASES[key];
  const ham = hamiltonianOf(c);
  const r = runPhaseEstimation({ hamiltonian: ham, bits });
  const name = `qpe ${bits} bits ${c.label}`;
  return [
    { benchmark: name, metric: 'wall time', value: r.wallTimeSeconds, unit: 's', note: `Trotter-2 × ${r.trotterSteps}, t = ${r.evolutionTime.toFixed(3)}` },
    { benchmark: name, metric: '|E − FCI|', value: Math.abs(r.energyHartree - references[c.reference].fci), unit: 'Ha' },
    { benchmark: name, metric: 'stated resolution', value: r.resolutionHartree, unit: 'Ha' },
    { benchmark: name, metric: 'success probability', value: r.successProbability, unit: '' },
  ];
}

export const benchmarks: Benchmark[] = [
  { name: 'vqe-uccsd-lih', run: () => vqeRows('lih', 5) },
  { name: 'vqe-uccsd-h2o', run: () => vqeRows('h2o', 3) },
  { name: 'vqe-uccsd-beh2', run: async () => [...(await vqeRows('beh2', 1)), ...(await vqeRows('beh2Fc', 1))] },
  { name: 'vqe-uccsd-n2-frozen-core', run: () => vqeRows('n2Fc', 1) },
  {
    name: 'adapt-vqe',
    run: () => [
      ...adaptRows('lih', 'fermionic-generalized'),
      ...adaptRows('lihStretched', 'fermionic-generalized'),
      ...adaptRows('h2o', 'fermionic-generalized'),
      ...adaptRows('h2oStretched', 'fermionic-generalized'),
      ...adaptRows('beh2Fc', 'fermionic-generalized'),
      ...adaptRows('lih', 'singlet'),
      ...adaptRows('n2Fc', 'fermionic'),
    ],
  },
  { name: 'adapt-vqe-qubit-pool', run: () => adaptRows('lih', 'qubit') },
  // About 3–4 minutes on one core: 213 operators from a pool of 2044.
  { name: 'slow-n2-adapt-generalized', run: () => adaptRows('n2Fc', 'fermionic-generalized', 400) },
  { name: 'qpe', run: () => [...qpeRows('lih', 14), ...qpeRows('lihStretched', 14), ...qpeRows('h2o', 12)] },
];
