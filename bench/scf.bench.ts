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
import { pyscfMolecule, pyscfRhfBody, runPyscf } from './pyscf.js';
import { loadavg } from 'node:os';
import { createMolecule, type Molecule, moleculeSymbols, positionsAngstrom } from '../src/chem/molecule.js';
import { readXyzFile } from '../src/chem/xyz.js';
import { loadBasisLibrary } from '../src/basis/library.js';
import { buildMolecularBasis } from '../src/basis/molecular-basis.js';
import { electronRepulsionIntegrals } from '../src/integrals/eri.js';
import { runRhf } from '../src/scf/scf.js';
import type { ScfResult, ScfType } from '../src/scf/types.js';
import { auxiliaryBasisFor } from '../src/scf/scf.js';
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

/**
 * Caffeine (C8H10N4O2, 24 atoms) from Baker's geometry-optimisation set as shipped with Psi4 1.3.2
 * (/usr/share/psi4/databases/BAKERJCC93.py, 'caffeine'), coordinates in Bohr.
 */
const CAFFEINE_BOHR: readonly (readonly [string, number, number, number])[] = [
  ['O', -1.35796495, -4.55968346, 0], ['O', 6.00359465, 0, 0], ['N', -4.3469953, 0.40790868, 0],
  ['N', -2.02147868, 4.34704366, 0], ['N', 2.40166495, 2.29891253, 0], ['N', 2.38963107, -2.3286161, 0],
  ['C', -1.735141, 0.00806819, 0], ['C', -0.39656652, 2.2891344, 0], ['C', -4.28628286, 3.03178701, 0],
  ['C', -0.23380597, -2.51268919, 0], ['C', 3.66630626, -0.01011647, 0], ['C', 3.91233427, -4.71649369, 0],
  ['C', 3.86899427, 4.70507045, 0], ['C', -6.50871497, -1.38799138, 0], ['H', -6.04146873, 4.08346573, 0],
  ['H', 5.15026261, -4.82916673, 1.6814573], ['H', 5.15026261, -4.82916673, -1.6814573], ['H', 2.75182289, -6.45823288, 0],
  ['H', 5.1037416, 4.83609896, 1.68332379], ['H', 5.1037416, 4.83609896, -1.68332379], ['H', 2.65878836, 6.4098342, 0],
  ['H', -8.34003564, -0.38023773, 0], ['H', -6.44634525, -2.6205142, 1.68782779], ['H', -6.44634525, -2.6205142, -1.68782779],
];

/** Caffeine as a Molecule (see CAFFEINE_BOHR). */
export function caffeine(): Molecule {
  return createMolecule({ symbols: CAFFEINE_BOHR.map((a) => a[0]), positionsBohr: CAFFEINE_BOHR.flatMap((a) => [a[1], a[2], a[3]]) });
}

function example(name: string): Molecule {
  return readXyzFile(new URL(`../examples/${name}.xyz`, import.meta.url).pathname);
}

/**
 * Psi4 is timed on a second run only when its first one took less than this: a warm-up of Psi4's
 * caffeine/cc-pVDZ RHF (about 640 s) would push the pair past the harness's 20-minute limit, and a
 * minute-long run has nothing left to warm up.
 */
const PSI4_WARM_UP_BELOW_SECONDS = 60;

/**
 * One RHF job timed in qde, Psi4 and PySCF in the same run: each code runs the job once untimed
 * (JIT / import warm-up) and once timed (Psi4: see PSI4_WARM_UP_BELOW_SECONDS); qde's SAD atomic
 * densities are cleared before the timed run so that it pays for its atomic SCF runs as the others
 * do. Exact ('pk') or density-fitted ('df', each code with the same JKFIT basis: Psi4's default
 * partner, which qde picks too).
 * Convergence: qde ΔE < 1e-10 and density RMS < 1e-9, PySCF by the same rule (./pyscf.ts
 * pyscfQdeConvergence); Psi4 e/d_convergence 1e-10/1e-8. The machine's load average is printed
 * with the row.
 */
function rhfJob(label: string, molecule: () => Molecule, basisName: string, scfType: ScfType): Benchmark {
  return {
    name: `scf ${scfType === 'df' ? 'df-rhf' : 'rhf'} ${label} ${basisName}`,
    run(): BenchRow[] {
      const mol = molecule();
      const basis = buildMolecularBasis(mol, loadBasisLibrary(basisName));
      const aux = scfType === 'df' ? auxiliaryBasisFor(mol, basis) : undefined;
      const name = `${scfType === 'df' ? 'DF-RHF' : 'RHF'} ${label}/${basis.name} (${basis.nFunctions} functions${aux ? `, ${aux.name} ${aux.nFunctions}` : ''})`;
      const load = loadavg()[0];
      runRhf(mol, basis, { scfType });
      clearAtomicDensityCache();
      let result: ScfResult | undefined;
      const time = seconds(() => (result = runRhf(mol, basis, { scfType })));
      const symbols = moleculeSymbols(mol);
      const positions = positionsAngstrom(mol);
      const psi4 = runPsi4(`
import time
mol = psi4.geometry("""${psi4Geometry(symbols, positions)}""")
psi4.set_options({'basis': '${basisName}', 'scf_type': '${scfType}', 'e_convergence': 1e-10, 'd_convergence': 1e-8, 'guess': 'sad'})
t0 = time.time()
e = psi4.energy('scf', molecule=mol)
elapsed = time.time() - t0
warmed_up = elapsed < ${PSI4_WARM_UP_BELOW_SECONDS}
if warmed_up:
    # The first run was the warm-up; time a second one.
    psi4.core.clean()
    t0 = time.time()
    e = psi4.energy('scf', molecule=mol)
    elapsed = time.time() - t0
report({'time': elapsed, 'energy': e, 'warmedUp': 1 if warmed_up else 0})
`);
      // PySCF takes the same auxiliary set by name (cc-pVDZ-JKFIT, cc-pVTZ-JKFIT and
      // def2-universal-JKFIT are in its library).
      const pyscfAux = aux ? aux.name.split(' + ')[0].toLowerCase() : undefined;
      const pyscf = runPyscf(pyscfRhfBody(pyscfMolecule(symbols, positions, basisName, basis.pure), pyscfAux));
      const rows: BenchRow[] = [
        {
          benchmark: name,
          metric: 'wall time (integrals + guess + SCF)',
          value: time,
          unit: 's',
          ...(psi4 ? { psi4: psi4.time, ratio: time / psi4.time } : {}),
          ...(pyscf ? { pyscf: pyscf.time, pyscfRatio: time / pyscf.time } : {}),
          note:
            `one timed run after a warm-up in each code${psi4 && !psi4.warmedUp ? ' (Psi4: its first run, which took over a minute)' : ''}; ` +
            `${result!.iterations} qde iterations; load average ${load.toFixed(1)} at start`,
        },
      ];
      if (psi4 || pyscf) {
        rows.push({
          benchmark: name,
          metric: '|E(qde) − E(Psi4)| (pyscf column: |E(qde) − E(PySCF)|)',
          value: psi4 ? Math.abs(result!.energyHartree - psi4.energy) : Number.NaN,
          unit: 'Hartree',
          ...(pyscf ? { pyscf: Math.abs(result!.energyHartree - pyscf.energy) } : {}),
          note: `E(qde) = ${result!.energyHartree.toFixed(10)}`,
        });
      }
      return rows;
    },
  };
}

export const benchmarks: Benchmark[] = [
  rhfJob('benzene', () => example('benzene'), '6-31g*', 'pk'),
  rhfJob('benzene', () => example('benzene'), '6-31g*', 'df'),
  rhfJob('HBr', () => example('hbr'), 'cc-pvtz', 'pk'),
  rhfJob('HBr', () => example('hbr'), 'cc-pvtz', 'df'),
  rhfJob('caffeine', caffeine, 'cc-pvdz', 'df'),
  rhfJob('caffeine', caffeine, 'cc-pvdz', 'pk'),
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
      const pyscf = runPyscf(pyscfRhfBody(pyscfMolecule(moleculeSymbols(molecule), positionsAngstrom(molecule), '6-31g', basis.pure)));
      const rows: BenchRow[] = [
        {
          benchmark: name,
          metric: 'wall time (integrals + guess + SCF)',
          value: total,
          unit: 's',
          ...(psi4 ? { psi4: psi4.time, ratio: total / psi4.time } : {}),
          ...(pyscf ? { pyscf: pyscf.time, pyscfRatio: total / pyscf.time } : {}),
          note: 'median of 3 after a warm-up run (Psi4, PySCF: one run after a warm-up)',
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
      const cli = new URL('../bin/qde', import.meta.url).pathname;
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
          const run = spawnSync(cli, ['energy', xyz, '--basis', '6-31g', '--json'], { encoding: 'utf8' });
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
