/**
 * Full CI of linear H10 and H12 chains (d = 1.0 Å, STO-3G, all electrons): 63,504 and 853,776
 * determinants. qde's time covers runFci only (the RHF and the MO transformation are excluded);
 * Psi4's time covers detci only (`energy('fci', ref_wfn=...)` after a separate SCF), both with the
 * same convergence: residual norm 1e-6 and energy change 1e-10 (qde's defaults; Psi4
 * `r_convergence 1e-6`, `e_convergence 1e-10`, symmetry c1, scf_type pk, 2 threads).
 * Psi4 runs in c1, so detci sees no point group; qde is given no symmetry information either (no
 * ORBSYM) but detects the orbital symmetry from the integrals (here only inversion, g/u) and solves
 * each sector (about half of the determinants) for its lowest state, keeping the lower.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchRow } from './harness.js';
import { median } from './harness.js';
import { psi4Geometry, runPsi4 } from './psi4.js';
import { createMolecule } from '../src/chem/molecule.js';
import { loadBasisLibrary } from '../src/basis/library.js';
import { buildMolecularBasis } from '../src/basis/molecular-basis.js';
import { runRhf } from '../src/scf/scf.js';
import { molecularHamiltonianFromScf } from '../src/hamiltonian/mo-hamiltonian.js';
import { parseFcidump } from '../src/hamiltonian/fcidump.js';
import type { MolecularHamiltonian } from '../src/hamiltonian/molecular-hamiltonian.js';
import { runFci } from '../src/classical/fci.js';
import { fciGradient } from '../src/classical/fci-gradient.js';
import { pyscfMolecule, runPyscf } from './pyscf.js';

function chain(nAtoms: number): { symbols: string[]; positions: number[] } {
  const symbols: string[] = [];
  const positions: number[] = [];
  for (let i = 0; i < nAtoms; i++) {
    symbols.push('H');
    positions.push(0, 0, i * 1.0);
  }
  return { symbols, positions };
}

/** MO Hamiltonian from qde's own RHF; if that fails, from a Psi4 FCIDUMP (noted in the row). */
function hamiltonianFor(nAtoms: number): { ham: MolecularHamiltonian; source: string } {
  const { symbols, positions } = chain(nAtoms);
  try {
    const molecule = createMolecule({ symbols, positionsAngstrom: positions });
    const basis = buildMolecularBasis(molecule, loadBasisLibrary('sto-3g'));
    const scf = runRhf(molecule, basis);
    return { ham: molecularHamiltonianFromScf(scf, { frozenCore: false }), source: 'qde RHF' };
  } catch (e) {
    const dir = mkdtempSync(join(tmpdir(), 'qde-fci-bench-'));
    const path = join(dir, 'h.fcidump');
    runPsi4(`
psi4.geometry("""${psi4Geometry(symbols, positions)}""")
psi4.set_options({'basis': 'sto-3g', 'scf_type': 'pk', 'e_convergence': 1e-10, 'd_convergence': 1e-10})
e, wfn = psi4.energy('scf', return_wfn=True)
psi4.fcidump(wfn, ${JSON.stringify(path)})
report({'scf': e})
`);
    const ham = parseFcidump(readFileSync(path, 'utf8'), path);
    rmSync(dir, { recursive: true, force: true });
    return { ham, source: `Psi4 FCIDUMP (qde RHF failed: ${(e as Error).message.slice(0, 60)})` };
  }
}

function psi4Fci(nAtoms: number): Record<string, number> | undefined {
  const { symbols, positions } = chain(nAtoms);
  return runPsi4(`
psi4.geometry("""${psi4Geometry(symbols, positions)}""")
psi4.set_options({'basis': 'sto-3g', 'scf_type': 'pk', 'e_convergence': 1e-10, 'd_convergence': 1e-10,
                  'freeze_core': False, 'detci__r_convergence': 1e-6, 'detci__ci_maxiter': 300})
e_scf, wfn = psi4.energy('scf', return_wfn=True)
t0 = time.time()
e = psi4.energy('fci', ref_wfn=wfn)
report({'seconds': time.time() - t0, 'energy': e})
`);
}

/** `repeats` runs of each program (median time reported): the machine is shared, timings are noisy. */
function fciBenchmark(nAtoms: number, repeats: number): Benchmark {
  return {
    name: `fci-h${nAtoms}-chain-sto3g`,
    run(): BenchRow[] {
      const { ham, source } = hamiltonianFor(nAtoms);
      const times: number[] = [];
      // Warm-up (JIT) only for the short job; the long one warms up within itself.
      let result = repeats > 1 ? runFci(ham) : undefined;
      const psi4Runs: Record<string, number>[] = [];
      for (let r = 0; r < repeats; r++) {
        const t0 = process.hrtime.bigint();
        result = runFci(ham);
        times.push(Number(process.hrtime.bigint() - t0) / 1e9);
        const p = psi4Fci(nAtoms);
        if (p) psi4Runs.push(p);
      }
      if (!result) throw new Error('no FCI run');
      const seconds = median(times);
      const psi4 = psi4Runs.length > 0 ? { seconds: median(psi4Runs.map((p) => p.seconds)), energy: psi4Runs[0].energy } : undefined;
      const rows: BenchRow[] = [
        {
          benchmark: `FCI H${nAtoms} chain d=1.0 Å STO-3G (${result.determinants} dets)`,
          metric: 'wall time (FCI only)',
          value: seconds,
          unit: 's',
          psi4: psi4?.seconds,
          ratio: psi4 ? seconds / psi4.seconds : undefined,
          note: `median of ${repeats}; ${result.iterations} Davidson iterations; qde detected ${result.orbitalSymmetry.irreps} irreps from the integrals and solved every sector (largest ${result.largestSectorDeterminants} dets; Psi4 c1); Hamiltonian from ${source}`,
        },
      ];
      if (psi4) {
        rows.push({
          benchmark: `FCI H${nAtoms} chain d=1.0 Å STO-3G`,
          metric: '|E(qde) − E(Psi4)|',
          value: Math.abs(result.energies[0] - psi4.energy),
          unit: 'Hartree',
        });
      }
      return rows;
    },
  };
}

/** A zig-zag H8 chain (Å): bonds about 0.9–1.3 Å, every atom off the axis. */
const ZIGZAG_H8 = [0, 0, 0, 0.35, 0, 0.85, -0.05, 0.1, 1.9, 0.4, 0, 2.75, 0.02, -0.1, 3.9, 0.45, 0.05, 4.8, 0.0, 0.0, 5.75, 0.5, 0.1, 6.95];

/**
 * Analytic FCI forces of a bent H8 chain (4,900 determinants), as a label with forces computes them:
 * qde's RHF, MO transformation, FCI to a residual of 1e-9 and fciGradient. Psi4 1.3 has no analytic
 * FCI gradient: `gradient('fci')` differentiates FCI energies by three-point finite differences
 * (2·(3N − 6) + 1 = 37 SCF + FCI runs at its default step), timed whole. PySCF (when installed)
 * takes the analytic CASCI gradient with every orbital active, which is this FCI gradient.
 */
function fciGradientBenchmark(repeats: number): Benchmark {
  return {
    name: 'fci-gradient-h8-zigzag-sto3g',
    run(): BenchRow[] {
      const symbols = new Array<string>(8).fill('H');
      const molecule = createMolecule({ symbols, positionsAngstrom: ZIGZAG_H8 });
      const basis = buildMolecularBasis(molecule, loadBasisLibrary('sto-3g'));
      let gradient: Float64Array = new Float64Array(0);
      let determinants = 0;
      const job = () => {
        const scf = runRhf(molecule, basis);
        const ham = molecularHamiltonianFromScf(scf);
        const fci = runFci(ham, { residualTolerance: 1e-9 });
        determinants = fci.determinants;
        gradient = fciGradient(scf, ham, fci);
      };
      job();
      const times: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const t0 = process.hrtime.bigint();
        job();
        times.push(Number(process.hrtime.bigint() - t0) / 1e9);
      }
      const seconds = median(times);
      const psi4 = runPsi4(`
psi4.geometry("""${psi4Geometry(symbols, ZIGZAG_H8)}""")
psi4.set_options({'basis': 'sto-3g', 'scf_type': 'pk', 'e_convergence': 1e-10, 'd_convergence': 1e-10, 'detci__r_convergence': 1e-7})
t0 = time.time()
g = psi4.gradient('fci')
report({'seconds': time.time() - t0, **{'g%d' % i: g.get(i // 3, i % 3) for i in range(24)}})
`);
      const pyscf = runPyscf(`
from pyscf import mcscf
mol = ${pyscfMolecule(symbols, ZIGZAG_H8, 'sto-3g', true)}
def job():
    mf = scf.RHF(mol)
    mf.conv_tol = 1e-10
    mf.kernel()
    mc = mcscf.CASCI(mf, mol.nao, mol.nelectron)
    mc.fcisolver.conv_tol = 1e-12
    mc.kernel()
    return mc.nuc_grad_method().kernel()
job()
times = []
for r in range(${repeats}):
    t0 = time.time()
    g = job()
    times.append(time.time() - t0)
times.sort()
report({'seconds': times[len(times) // 2], **{'g%d' % i: float(g.reshape(-1)[i]) for i in range(24)}})
`);
      const maxDiff = (peer: Record<string, number>) => Math.max(...Array.from(gradient, (g, i) => Math.abs(g - peer[`g${i}`]!)));
      const rows: BenchRow[] = [
        {
          benchmark: `FCI forces, zig-zag H8 STO-3G (${determinants} dets)`,
          metric: 'wall time (RHF + FCI + gradient)',
          value: seconds,
          unit: 's',
          psi4: psi4?.seconds,
          ratio: psi4 ? seconds / psi4.seconds : undefined,
          pyscf: pyscf?.seconds,
          pyscfRatio: pyscf ? seconds / pyscf.seconds : undefined,
          note: `median of ${repeats}; analytic (RDMs, no orbital response); Psi4 by finite differences of FCI energies${pyscf ? '; PySCF analytic CASCI over every orbital' : ''}`,
        },
      ];
      if (psi4) rows.push({ benchmark: 'FCI forces, zig-zag H8 STO-3G', metric: 'max |dE/dX(qde) − dE/dX(Psi4)|', value: maxDiff(psi4), unit: 'Hartree/Bohr', note: "Psi4's three-point differences carry an O(h²) error" });
      if (pyscf) rows.push({ benchmark: 'FCI forces, zig-zag H8 STO-3G', metric: 'max |dE/dX(qde) − dE/dX(PySCF)|', value: maxDiff(pyscf), unit: 'Hartree/Bohr' });
      return rows;
    },
  };
}

export const benchmarks: Benchmark[] = [fciBenchmark(10, 3), fciBenchmark(12, 1), fciGradientBenchmark(3)];
