/**
 * Noisy-simulation throughput on the aria-1 preset: density-matrix gates per second (a gate and its
 * noise are one pass over the 4^n entries) for a one-qubit RX, a CNOT (permutation path) and a
 * dense two-qubit gate (an MS-like exp(−iθ XX/2)·exp(−iθ YY/2) product read as one 4×4 matrix) at
 * 8, 10 and 12 qubits, and Monte-Carlo trajectories per second for the LiH-sized circuit (12 qubits,
 * STO-3G UCCSD with Pauli rotations decomposed to CNOT + one-qubit gates, random amplitudes).
 * The last row is the wall time of a noisy LiH label through the method layer: STO-3G, 2 electrons
 * in 3 active orbitals, aria-1, readout + ZNE + symmetry, the default compact ansatz, 10^6 shots per
 * scale (the setting of the Aria-1 accuracy table).
 * Every time is the median of a few calls after a warm-up.
 */
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchRow } from './harness.js';
import { readXyzFile } from '../src/chem/index.js';
import { runMethod, type MethodSpec, type VqeMethodResult } from '../src/methods/index.js';
import { timeIt } from './harness.js';
import type { Gate } from '../src/circuits/circuit.js';
import { uccsdAnsatz } from '../src/circuits/fermionic.js';
import { Random } from '../src/core/random.js';
import { StateVector } from '../src/backends/statevector.js';
import { hardwareGateCounts } from '../src/backends/noise/compile.js';
import { DensityMatrix, applyNoisyGate, applyNoisyMatrix } from '../src/backends/noise/density-matrix.js';
import { gateChannel } from '../src/backends/noise/model.js';
import { DEVICE_PRESETS } from '../src/backends/noise/presets.js';
import { runTrajectory } from '../src/backends/noise/trajectories.js';

const ARIA = DEVICE_PRESETS['aria-1'];

function g(kind: Gate['kind'], qubits: number[], angle = 0): Gate {
  return { kind, qubits, angle, parameter: -1, factor: 0 };
}

/** A dense 4×4 unitary: cos/sin mixing of |00⟩↔|11⟩ and |01⟩↔|10⟩ with phases (interleaved complex). */
function denseTwoQubit(theta: number): Float64Array {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const m = new Float64Array(32);
  const set = (r: number, col: number, re: number, im: number): void => {
    m[2 * (4 * r + col)] = re;
    m[2 * (4 * r + col) + 1] = im;
  };
  set(0, 0, c, 0);
  set(0, 3, 0, -s);
  set(3, 0, 0, -s);
  set(3, 3, c, 0);
  set(1, 1, c, 0);
  set(1, 2, 0, -s);
  set(2, 1, 0, -s);
  set(2, 2, c, 0);
  return m;
}

function densityRows(n: number): BenchRow[] {
  const rho = new DensityMatrix(n);
  const repeats = n >= 12 ? 3 : 5;
  const name = `noise density matrix ${n} qubits`;
  const rx = g('rx', [n - 2], 0.3);
  const rz = g('rz', [n - 3], 0.7);
  const cnot = g('cnot', [1, n - 1]);
  const dense = denseTwoQubit(0.4);
  const channel2 = gateChannel(ARIA, 2);
  const tRx = timeIt(() => applyNoisyGate(rho, rx, [], ARIA), repeats);
  const tRz = timeIt(() => applyNoisyGate(rho, rz, [], ARIA), repeats);
  const tCnot = timeIt(() => applyNoisyGate(rho, cnot, [], ARIA), repeats);
  const tDense = timeIt(() => applyNoisyMatrix(rho, [0, n - 1], dense, channel2), repeats);
  return [
    { benchmark: name, metric: 'rx + noise', value: 1 / tRx, unit: 'gates/s' },
    { benchmark: name, metric: 'rz + noise', value: 1 / tRz, unit: 'gates/s' },
    { benchmark: name, metric: 'cnot + noise', value: 1 / tCnot, unit: 'gates/s' },
    { benchmark: name, metric: 'dense 2q + noise', value: 1 / tDense, unit: 'gates/s' },
  ];
}

function trajectoryRows(): BenchRow[] {
  const circuit = uccsdAnsatz({ nSpatialOrbitals: 6, nAlpha: 2, nBeta: 2, mapping: 'jordan-wigner' });
  const rng = new Random(1);
  const x = Float64Array.from({ length: circuit.nParameters }, () => rng.uniform(-0.2, 0.2));
  const state = new StateVector(circuit.nQubits);
  const counts = hardwareGateCounts(circuit);
  const batch = 20;
  const t = timeIt(() => {
    for (let k = 0; k < batch; k++) runTrajectory(state, circuit, x, ARIA, rng);
  }, 3);
  const name = 'noise trajectories LiH UCCSD (12 qubits)';
  return [
    { benchmark: name, metric: 'trajectories', value: batch / t, unit: '1/s', note: `${counts.oneQubitGates} 1q + ${counts.twoQubitGates} 2q gates, aria-1` },
  ];
}

async function noisyLihRow(): Promise<BenchRow[]> {
  const molecule = readXyzFile(fileURLToPath(new URL('../examples/lih.xyz', import.meta.url)));
  const spec: MethodSpec = {
    method: 'vqe',
    basis: 'sto-3g',
    active: { nElectrons: 2, nOrbitals: 3 },
    seed: 1,
    backend: { name: 'noisy', device: 'aria-1', shots: 1_000_000, mitigation: ['readout', 'zne', 'symmetry'] },
  };
  const t0 = performance.now();
  const r = (await runMethod(molecule, spec)) as VqeMethodResult;
  const seconds = (performance.now() - t0) / 1000;
  return [
    {
      benchmark: 'noise VQE LiH (2e, 3o) aria-1',
      metric: 'wall time',
      value: seconds,
      unit: 's',
      note: `compact ansatz ${r.compiledGates.oneQubitGates} 1q + ${r.compiledGates.twoQubitGates} 2q, readout+zne+symmetry, ${r.shots} shots, error ${(1e3 * (r.energyHartree - r.referenceFciHartree!)).toFixed(2)} ± ${(1e3 * r.standardErrorHartree).toFixed(2)} mEh`,
    },
  ];
}

export const benchmarks: Benchmark[] = [
  { name: 'noise density matrix', run: () => [...densityRows(8), ...densityRows(10), ...densityRows(12)] },
  { name: 'noise trajectories', run: trajectoryRows },
  { name: 'noise VQE LiH', run: noisyLihRow },
];
