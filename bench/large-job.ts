/**
 * One job of bench/large.bench.ts in its own process, so that the peak resident memory it reports
 * (process.resourceUsage().maxRSS) is the job's alone. Usage:
 *   node --import tsx bench/large-job.ts n2-fci|h16-fci|vqe-28|vqe-<n>|vqe-small [--all-sectors] [--check] [--no-fusion]
 * (--no-fusion: the VQE jobs apply gates one by one, for comparison with gate fusion.)
 * Progress goes to stderr; one line `QDE_RESULT {json}` to stdout at the end.
 */
import { createMolecule } from '../src/chem/molecule.js';
import { loadBasisLibrary } from '../src/basis/library.js';
import { buildMolecularBasis } from '../src/basis/molecular-basis.js';
import { runRhf } from '../src/scf/scf.js';
import { molecularHamiltonianFromScf } from '../src/hamiltonian/mo-hamiltonian.js';
import { estimateFciMemoryBytes, fciOptionsWithinMemory, runFci, type FciOptions } from '../src/classical/fci.js';
import { hardwareEfficientAnsatz } from '../src/circuits/ansatz.js';
import { createAdjointEvaluator } from '../src/backends/adjoint.js';
import type { PauliSumData } from '../src/qubits/pauli-layout.js';
import { Random } from '../src/core/random.js';

const job = process.argv[2];
const allSectors = process.argv.includes('--all-sectors');
const fusion = !process.argv.includes('--no-fusion');
const t0 = process.hrtime.bigint();
const elapsed = (): number => Number(process.hrtime.bigint() - t0) / 1e9;
const progress = (msg: string): void => {
  const rss = process.memoryUsage().rss / 2 ** 30;
  process.stderr.write(`[${job} ${elapsed().toFixed(1)} s, RSS ${rss.toFixed(2)} GiB] ${msg}\n`);
};
const report = (d: Record<string, unknown>): void => {
  process.stdout.write(`QDE_RESULT ${JSON.stringify({ ...d, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
};

function fciJob(
  symbols: string[],
  positions: number[],
  basis: string,
  active: { nElectrons: number; nOrbitals: number } | undefined,
  convergence: FciOptions = {},
): void {
  const molecule = createMolecule({ symbols, positionsAngstrom: positions });
  const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary(basis)));
  progress(`RHF ${scf.energyHartree.toFixed(10)} Eh`);
  const ham = molecularHamiltonianFromScf(scf, active ? { active } : { frozenCore: false });
  // Label 0 is the totally symmetric sector (orbital 0 has label 0; a closed shell has label 0): the
  // sector PySCF's direct_spin1_symm solves with wfnsym Ag and Psi4 detci by default.
  const options: FciOptions = {
    ...convergence,
    ...(allSectors ? {} : { targetSymmetry: 0 }),
    onIteration: (sector, iteration, e) => progress(`sector ${sector} iteration ${iteration}: ${(e + ham.constantHartree).toFixed(10)} Eh`),
  };
  const estimate = estimateFciMemoryBytes(ham, options);
  const used = fciOptionsWithinMemory(ham, options);
  progress(
    `estimated peak ${(estimate / 2 ** 30).toFixed(2)} GiB; FCI starts` +
      (used.maxSubspace !== options.maxSubspace || used.threads !== options.threads ? ` (within the memory limit: Davidson subspace ${used.maxSubspace}, ${used.threads ?? 'default'} σ threads)` : ''),
  );
  const tFci = process.hrtime.bigint();
  const fci = runFci(ham, options);
  const seconds = Number(process.hrtime.bigint() - tFci) / 1e9;
  progress(`FCI ${fci.energyHartree.toFixed(10)} Eh in ${seconds.toFixed(1)} s`);
  report({
    seconds,
    energyHartree: fci.energyHartree,
    determinants: fci.determinants,
    sectorDeterminants: fci.largestSectorDeterminants,
    irreps: fci.orbitalSymmetry.irreps,
    rotatedPairs: fci.orbitalSymmetry.rotations.length,
    iterations: fci.iterations,
    threads: fci.threads,
    estimatedBytes: estimate,
  });
}

/**
 * Synthetic 28-qubit Hamiltonian (seeded): a ferromagnetic transverse-field Ising ring with random couplings plus
 * XX+YY hopping on every bond, H = Σ_q J_q Z_q Z_{q+1} + K_q (X_q X_{q+1} + Y_q Y_{q+1}) + h_q X_q,
 * 4 n terms.
 */
function syntheticHamiltonian(n: number, rng: Random): PauliSumData {
  const x: number[] = [];
  const z: number[] = [];
  const c: number[] = [];
  for (let q = 0; q < n; q++) {
    const r = (q + 1) % n;
    const pair = (1 << q) | (1 << r);
    x.push(0);
    z.push(pair);
    c.push(-(0.5 + rng.next()));
    const k = 0.25 * rng.next();
    x.push(pair);
    z.push(0);
    c.push(k);
    // Masks x = z = pair are Y_q Y_r (PauliSumData: a term acts as i^{|x∧z|} X^x Z^z).
    x.push(pair);
    z.push(pair);
    c.push(k);
    x.push(1 << q);
    z.push(0);
    c.push(0.3 + 0.4 * rng.next());
  }
  return {
    nQubits: n,
    x: Uint32Array.from(x),
    z: Uint32Array.from(z),
    coeffRe: Float64Array.from(c),
    coeffIm: new Float64Array(c.length),
  };
}

function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function vqeJob(nQubits: number, layers: number): void {
  const rng = new Random(2026);
  const ham = syntheticHamiltonian(nQubits, rng);
  const circuit = hardwareEfficientAnsatz(nQubits, layers, { rotations: 'ry', entangler: 'linear' });
  const theta = Float64Array.from({ length: circuit.nParameters }, () => 0.2 * (rng.next() - 0.5));
  progress(`${nQubits} qubits, ${ham.x.length} Pauli terms, ${circuit.gates.length} gates, ${circuit.nParameters} parameters`);
  // H·ψ term by term (the qubit stage's dense routines stop at 24 qubits): term t maps |i⟩ to
  // c'_t (−1)^{|z_t ∧ i|} |i ⊕ x_t⟩ with c'_t = c_t i^{|x_t ∧ z_t|}, real here (|x ∧ z| is 0 or 2).
  const eff = Float64Array.from(ham.coeffRe, (v, t) => (popcount(ham.x[t] & ham.z[t]) % 4 === 2 ? -v : v));
  const dim = 2 ** nQubits;
  const applyHamiltonian = (inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void => {
    outRe.fill(0);
    outIm.fill(0);
    for (let t = 0; t < eff.length; t++) {
      const xm = ham.x[t];
      const zm = ham.z[t];
      const a = eff[t];
      for (let i = 0; i < dim; i++) {
        const sgn = popcount(i & zm) & 1 ? -a : a;
        const j = i ^ xm;
        outRe[j] += sgn * inRe[i];
        outIm[j] += sgn * inIm[i];
      }
    }
  };
  const evaluator = createAdjointEvaluator(circuit, ham, { applyHamiltonian, fusion });
  progress(`state vectors allocated; gate fusion ${fusion ? 'on' : 'off'}`);
  // Energy alone (forward pass + H·ψ), then energy and gradient (forward, H·ψ, backward pass).
  const tEnergy = process.hrtime.bigint();
  const energyOnly = evaluator.energy(theta);
  const energySeconds = Number(process.hrtime.bigint() - tEnergy) / 1e9;
  progress(`energy ${energyOnly.toFixed(10)} in ${energySeconds.toFixed(1)} s`);
  const gradient = new Float64Array(circuit.nParameters);
  const tE = process.hrtime.bigint();
  const energy = evaluator.energyAndGradient(theta, gradient);
  const seconds = Number(process.hrtime.bigint() - tE) / 1e9;
  progress(`energy ${energy.toFixed(10)}, ‖∇E‖ ${Math.hypot(...gradient).toExponential(4)} in ${seconds.toFixed(1)} s`);
  // With --check, one gradient component against a central difference (two more energies, about as
  // long again as the gradient itself at 28 qubits).
  let gradientCheckError: number | undefined;
  if (process.argv.includes('--check') || nQubits <= 20) {
    const k = circuit.nParameters - 1;
    const h = 1e-4;
    const plus = Float64Array.from(theta);
    plus[k] += h;
    const minus = Float64Array.from(theta);
    minus[k] -= h;
    const fd = (evaluator.energy(plus) - evaluator.energy(minus)) / (2 * h);
    gradientCheckError = Math.abs(fd - gradient[k]);
    progress(`∂E/∂θ_${k}: adjoint ${gradient[k].toExponential(8)}, central difference ${fd.toExponential(8)}`);
  }
  let libraryDifference: number | undefined;
  if (nQubits <= 20) {
    // Small registers: the same energy and gradient through the library's own H·ψ.
    const g2 = new Float64Array(circuit.nParameters);
    const e2 = createAdjointEvaluator(circuit, ham, { fusion: false }).energyAndGradient(theta, g2);
    libraryDifference = Math.max(Math.abs(e2 - energy), ...g2.map((v, i) => Math.abs(v - gradient[i])));
    progress(`library H·ψ: energy ${e2.toFixed(10)}, largest difference ${libraryDifference.toExponential(2)}`);
  }
  report({
    seconds,
    energySeconds,
    fusion: fusion ? 1 : 0,
    energy,
    libraryDifference,
    gradientNorm: Math.hypot(...gradient),
    gradientCheckError,
    terms: ham.x.length,
    gates: circuit.gates.length,
    parameters: circuit.nParameters,
  });
}

if (job === 'n2-fci') {
  // PySCF's criterion beside it: energy change below conv_tol = 1e-10 and residual below √conv_tol.
  fciJob(['N', 'N'], [0, 0, 0, 0, 0, 1.0977], 'cc-pvdz', { nElectrons: 10, nOrbitals: 18 }, { residualTolerance: 1e-5, energyToleranceHartree: 1e-10 });
} else if (job === 'h16-fci') {
  const positions: number[] = [];
  for (let i = 0; i < 16; i++) positions.push(0, 0, i * 1.0);
  fciJob(new Array(16).fill('H'), positions, 'sto-3g', undefined);
} else if (job === 'vqe-28') {
  vqeJob(28, 2);
} else if (job === 'vqe-small') {
  vqeJob(12, 2);
} else if (job !== undefined && /^vqe-\d+$/.test(job) && Number(job.slice(4)) >= 4 && Number(job.slice(4)) <= 28) {
  // The same job on another register size (vqe-24: 1/16 of the 28-qubit job's memory and time).
  vqeJob(Number(job.slice(4)), 2);
} else {
  process.stderr.write(`unknown job ${job}\n`);
  process.exit(2);
}
