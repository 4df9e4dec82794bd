/**
 * RHF wall time for benzene / 6-31G (66 basis functions) beside Psi4 1.3.2 on the same machine with
 * exact integrals (scf_type pk), the same geometry (examples/benzene.xyz: D6h, C–C 1.39 Å,
 * C–H 1.09 Å) and SAD guess + DIIS in both codes. qde's time includes the one- and two-electron
 * integrals, the guess and the SCF iterations, as does Psi4's `energy('scf')` call (its process
 * start-up and Python import are not timed). Both use the machine's 2 cores for the integrals.
 * Convergence: qde defaults (ΔE < 1e-10, density RMS change < 1e-9); Psi4 e_convergence 1e-10,
 * d_convergence 1e-8 (orbital-gradient RMS).
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import type { Benchmark, BenchRow } from './harness.js';
import { runPsi4, psi4Geometry } from './psi4.js';
import { createMolecule, type Molecule, moleculeSymbols, positionsAngstrom } from '../src/chem/molecule.js';
import { readXyzFile } from '../src/chem/xyz.js';
import { loadBasisLibrary } from '../src/basis/library.js';
import { buildMolecularBasis } from '../src/basis/molecular-basis.js';
import { electronRepulsionIntegrals } from '../src/integrals/eri.js';
import { runRhf } from '../src/scf/scf.js';
import type { ScfResult } from '../src/scf/types.js';
import { clearAtomicDensityCache } from '../src/scf/guess.js';

function benzene(): Molecule {
  const path = new URL('../examples/benzene.xyz', import.meta.url).pathname;
  if (existsSync(path)) return readXyzFile(path);
  const symbols: string[] = [];
  const positions: number[] = [];
  for (const [symbol, r] of [['C', 1.39], ['H', 2.48]] as const) {
    for (let k = 0; k < 6; k++) {
      symbols.push(symbol);
      positions.push(r * Math.cos((k * Math.PI) / 3), r * Math.sin((k * Math.PI) / 3), 0);
    }
  }
  return createMolecule({ symbols, positionsAngstrom: positions });
}

function seconds(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export const benchmarks: Benchmark[] = [
  {
    name: 'scf rhf benzene 6-31g',
    run(): BenchRow[] {
      const molecule = benzene();
      const basis = buildMolecularBasis(molecule, loadBasisLibrary('6-31g'));
      const name = `RHF benzene/6-31G (${basis.nFunctions} functions)`;
      let result: ScfResult | undefined;
      // Warm-up run for the JIT; the atomic SAD densities are cleared before every timed run so
      // that each one pays for its atomic SCF runs as Psi4 does.
      runRhf(molecule, basis);
      const totals: number[] = [];
      for (let r = 0; r < 3; r++) {
        clearAtomicDensityCache();
        totals.push(seconds(() => (result = runRhf(molecule, basis))));
      }
      totals.sort((a, b) => a - b);
      const total = totals[1];
      let eri = result!.eri;
      const eriTime = seconds(() => (eri = electronRepulsionIntegrals(basis)));
      clearAtomicDensityCache();
      const scfOnly = seconds(() => runRhf(molecule, basis, { eri }));

      const psi4 = runPsi4(`
import time
mol = psi4.geometry("""${psi4Geometry(moleculeSymbols(molecule), positionsAngstrom(molecule))}""")
psi4.set_options({'basis': '6-31g', 'scf_type': 'pk', 'e_convergence': 1e-10, 'd_convergence': 1e-8, 'guess': 'sad'})
psi4.energy('scf', molecule=mol)  # warm-up (same as qde's warm-up run)
psi4.core.clean()
t0 = time.time()
e, wfn = psi4.energy('scf', molecule=mol, return_wfn=True)
t = time.time() - t0
try:
    iters = psi4.variable('SCF ITERATIONS')
except Exception:
    iters = float('nan')
report({'time': t, 'energy': e, 'iterations': iters})
`);
      const rows: BenchRow[] = [
        {
          benchmark: name,
          metric: 'wall time (integrals + guess + SCF)',
          value: total,
          unit: 's',
          ...(psi4 ? { psi4: psi4.time, ratio: total / psi4.time } : {}),
          note: 'median of 3 after a warm-up run',
        },
        { benchmark: name, metric: 'ERI computation', value: eriTime, unit: 's' },
        { benchmark: name, metric: 'SAD guess + SCF iterations (ERIs given)', value: scfOnly, unit: 's' },
        {
          benchmark: name,
          metric: 'SCF iterations',
          value: result!.iterations,
          unit: 'iterations',
          ...(psi4 && Number.isFinite(psi4.iterations) ? { psi4: psi4.iterations } : {}),
        },
      ];
      // First calculation in a fresh process (no warm-up: includes compiling the generated integral
      // kernels and starting any worker threads), beside Psi4's first energy() call in a fresh
      // process. Neither counts interpreter start-up or module import. One sample of each is noisy
      // on a shared machine, so both run three times, alternating, and the medians are compared.
      const cli = new URL('../bin/qde.js', import.meta.url).pathname;
      const dist = new URL('../dist/cli/main.js', import.meta.url).pathname;
      if (existsSync(dist)) {
        const xyz = new URL('../examples/benzene.xyz', import.meta.url).pathname;
        const median = (v: number[]): number => {
          const finite = v.filter(Number.isFinite).sort((a, b) => a - b);
          return finite.length ? finite[Math.floor((finite.length - 1) / 2)] : Number.NaN;
        };
        const qdeCold: number[] = [];
        const psi4Cold: number[] = [];
        for (let r = 0; r < 3; r++) {
          const run = spawnSync(process.execPath, [cli, 'energy', xyz, '--basis', '6-31g', '--json'], { encoding: 'utf8' });
          qdeCold.push(run.status === 0 ? (JSON.parse(run.stdout) as { wallSeconds: number }).wallSeconds : Number.NaN);
          const p = runPsi4(`
import time
mol = psi4.geometry("""${psi4Geometry(moleculeSymbols(molecule), positionsAngstrom(molecule))}""")
psi4.set_options({'basis': '6-31g', 'scf_type': 'pk', 'e_convergence': 1e-10, 'd_convergence': 1e-8, 'guess': 'sad'})
t0 = time.time()
psi4.energy('scf', molecule=mol)
report({'time': time.time() - t0})
`);
          if (p) psi4Cold.push(p.time);
        }
        const cold = median(qdeCold);
        const psi4ColdTime = median(psi4Cold);
        rows.push({
          benchmark: name,
          metric: 'first calculation in a fresh process',
          value: cold,
          unit: 's',
          ...(psi4Cold.length ? { psi4: psi4ColdTime, ratio: cold / psi4ColdTime } : {}),
          note: `median of 3 fresh processes: qde energy (built CLI) vs first psi4.energy() call (qde ${qdeCold.map((t) => t.toFixed(2)).join('/')} s, Psi4 ${psi4Cold.map((t) => t.toFixed(2)).join('/')} s)`,
        });
      }
      if (psi4) {
        rows.push({
          benchmark: name,
          metric: '|E(qde) − E(Psi4)|',
          value: Math.abs(result!.energyHartree - psi4.energy),
          unit: 'Hartree',
          note: `E(qde) = ${result!.energyHartree.toFixed(10)}`,
        });
      }
      return rows;
    },
  },
];
