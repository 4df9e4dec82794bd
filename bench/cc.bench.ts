/**
 * MP2 and CCSD(T) timings for H2O/cc-pVDZ (the equilibrium geometry of the H2O entries of the shared
 * Psi4 reference set), beside Psi4 and PySCF running the same job (conventional integrals, all
 * electrons correlated, one thread so all three programs use one core).
 *
 * Larger jobs, each one run of the whole calculation (RHF + correlated step, no warm-up) beside Psi4
 * and PySCF on both cores (conventional integrals and MP2/CC, all electrons correlated): RHF +
 * CCSD(T) for H2O/cc-pVTZ, RHF + MP2 for benzene/cc-pVDZ and caffeine/cc-pVDZ, RHF + CCSD for
 * benzene/6-31G* (examples/benzene.xyz). Convergence: SCF energy 1e-10 everywhere, density RMS change
 * 1e-9 (qde, and PySCF through its convergence hook, see ./pyscf.ts) or orbital gradient 1e-10
 * (Psi4 d_convergence); CC energy change 1e-10 with residual 1e-9 (qde), r_convergence 1e-9
 * (Psi4), conv_tol_normt 1e-9 (PySCF, the norm of the amplitude change). Each row also gives CPU seconds of the qde process (both threads).
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Benchmark, BenchRow } from './harness.js';
import { timeIt } from './harness.js';
import { psi4Geometry, runPsi4 } from './psi4.js';
import { pyscfMolecule, pyscfQdeConvergence, runPyscf } from './pyscf.js';
import { caffeine } from './scf.bench.js';
import { createMolecule, moleculeSymbols, positionsAngstrom as positionsOf, type Molecule } from '../src/chem/molecule.js';
import { readXyzFile } from '../src/chem/xyz.js';
import { loadBasisLibrary } from '../src/basis/library.js';
import { buildMolecularBasis } from '../src/basis/molecular-basis.js';
import { runRhf } from '../src/scf/index.js';
import { runMp2, runCcsd, runCcsdT } from '../src/classical/index.js';

const symbols = ['O', 'H', 'H'];
const positionsAngstrom = [0, 0, 0, 0, 0.757, 0.587, 0, -0.757, 0.587];

function psi4Job(method: string): Record<string, number> | undefined {
  return runPsi4(`
psi4.set_num_threads(1)
psi4.geometry("""${psi4Geometry(symbols, positionsAngstrom)}""")
psi4.set_options({'basis': 'cc-pvdz', 'scf_type': 'pk', 'e_convergence': 1e-10, 'd_convergence': 1e-10,
                  'freeze_core': False, 'mp2_type': 'conv', 'cc_type': 'conv', 'puream': True})
psi4.set_module_options('ccenergy', {'r_convergence': 1e-9})
t0 = time.time()
e = psi4.energy('${method}')
report({'seconds': time.time() - t0, 'energy': e})
`);
}

function row(benchmark: string, metric: string, seconds: number, psi4Seconds?: number, note?: string, pyscfSeconds?: number): BenchRow {
  return {
    benchmark,
    metric,
    value: seconds,
    unit: 's',
    ...(psi4Seconds !== undefined ? { psi4: psi4Seconds, ratio: seconds / psi4Seconds } : {}),
    ...(pyscfSeconds !== undefined ? { pyscf: pyscfSeconds, pyscfRatio: seconds / pyscfSeconds } : {}),
    ...(note ? { note } : {}),
  };
}

type Method = 'mp2' | 'ccsd' | 'ccsd(t)';

/**
 * PySCF's same job: RHF (qde's convergence rule, ./pyscf.ts pyscfQdeConvergence) then
 * conventional MP2, RCCSD or RCCSD(T); `repeats` timed runs after `repeats > 1 ? one : no` warm-up,
 * median seconds and the energy.
 */
function pyscfWhole(molecule: Molecule, basis: string, pure: boolean, method: Method, threads: number, repeats = 1): Record<string, number> | undefined {
  return runPyscf(`
from pyscf import cc, mp
lib.num_threads(${threads})
mol = ${pyscfMolecule(moleculeSymbols(molecule), positionsOf(molecule), basis, pure)}
mol.max_memory = 8000
def job():
    mf = scf.RHF(mol)
    mf.conv_tol = 1e-10
    ${pyscfQdeConvergence()}
    mf.kernel()
    if '${method}' == 'mp2':
        return mp.MP2(mf).run().e_tot
    mycc = cc.CCSD(mf)
    mycc.conv_tol = 1e-10
    mycc.conv_tol_normt = 1e-9
    mycc.kernel()
    if '${method}' == 'ccsd':
        return mycc.e_tot
    return mycc.e_tot + mycc.ccsd_t()
if ${repeats} > 1:
    job()
times = []
for r in range(${repeats}):
    t0 = time.time()
    e = job()
    times.append(time.time() - t0)
times.sort()
report({'seconds': times[len(times) // 2], 'energy': e})
`);
}

const benzeneXyz = new URL('../examples/benzene.xyz', import.meta.url);

/** Psi4 on both cores: the whole job (SCF + correlated step) and its energy. */
function psi4Whole(molecule: Molecule, basis: string, method: string): Record<string, number> | undefined {
  return runPsi4(`
psi4.geometry("""${psi4Geometry(moleculeSymbols(molecule), positionsOf(molecule))}""")
psi4.set_options({'basis': '${basis}', 'scf_type': 'pk', 'e_convergence': 1e-10, 'd_convergence': 1e-10,
                  'freeze_core': False, 'mp2_type': 'conv', 'cc_type': 'conv'})
psi4.set_module_options('ccenergy', {'r_convergence': 1e-9})
t0 = time.time()
e = psi4.energy('${method}')
report({'seconds': time.time() - t0, 'energy': e})
`);
}

/** One timed run (no warm-up) of RHF + a correlated method beside Psi4's same job. */
function wholeJob(benchmark: string, molecule: Molecule, basisName: string, method: Method): BenchRow[] {
  const basis = buildMolecularBasis(molecule, loadBasisLibrary(basisName));
  let energy = 0;
  let scfSeconds = 0;
  let iterations = 0;
  const cpu0 = process.cpuUsage();
  const total = timeIt(
    () => {
      const t0 = performance.now();
      const scf = runRhf(molecule, basis);
      scfSeconds = (performance.now() - t0) / 1000;
      if (method === 'mp2') energy = runMp2(scf).energyHartree;
      else {
        const r = method === 'ccsd' ? runCcsd(scf) : runCcsdT(scf);
        energy = r.energyHartree;
        iterations = r.iterations;
      }
    },
    1,
    false,
  );
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rssGiB = process.memoryUsage().rss / 2 ** 30;
  const psi4 = psi4Whole(molecule, basisName, method);
  const pyscf = pyscfWhole(molecule, basisName, basis.pure, method, 2);
  const note =
    `${basis.nFunctions} functions, SCF ${scfSeconds.toFixed(1)} s, ${iterations > 0 ? `${iterations} CC iterations, ` : ''}` +
    `CPU ${cpuSeconds.toFixed(1)} s, RSS after ${rssGiB.toFixed(1)} GiB, load ${loadavg()[0].toFixed(1)}` +
    (psi4 ? `; |ΔE| vs Psi4 ${Math.abs(energy - psi4.energy).toExponential(1)} Eh` : '') +
    (pyscf ? `; |ΔE| vs PySCF ${Math.abs(energy - pyscf.energy).toExponential(1)} Eh` : '');
  return [row(benchmark, `wall time RHF+${method.toUpperCase()}`, total, psi4?.seconds, note, pyscf?.seconds)];
}

export const benchmarks: Benchmark[] = [
  {
    name: 'cc h2o cc-pvtz ccsd(t)',
    run: (): BenchRow[] => wholeJob('ccsd(t) h2o cc-pvtz', createMolecule({ symbols, positionsAngstrom }), 'cc-pvtz', 'ccsd(t)'),
  },
  {
    name: 'cc benzene cc-pvdz mp2',
    run: (): BenchRow[] => (existsSync(benzeneXyz) ? wholeJob('mp2 benzene cc-pvdz', readXyzFile(benzeneXyz.pathname), 'cc-pvdz', 'mp2') : []),
  },
  {
    name: 'cc caffeine cc-pvdz mp2',
    run: (): BenchRow[] => wholeJob('mp2 caffeine cc-pvdz', caffeine(), 'cc-pvdz', 'mp2'),
  },
  {
    name: 'cc benzene 6-31g* ccsd',
    run: (): BenchRow[] => (existsSync(benzeneXyz) ? wholeJob('ccsd benzene 6-31g*', readXyzFile(benzeneXyz.pathname), '6-31g*', 'ccsd') : []),
  },
  {
    name: 'cc h2o cc-pvdz',
    run(): BenchRow[] {
      const molecule = createMolecule({ symbols, positionsAngstrom });
      const basis = buildMolecularBasis(molecule, loadBasisLibrary('cc-pvdz'));
      const rows: BenchRow[] = [];

      // MP2: RHF + MP2 from the SCF result, and the MP2 step alone.
      let mp2Energy = 0;
      const mp2Total = timeIt(() => {
        mp2Energy = runMp2(runRhf(molecule, basis)).energyHartree;
      }, 3);
      const scf = runRhf(molecule, basis);
      const mp2Only = timeIt(() => runMp2(scf), 5);
      const psi4Mp2 = psi4Job('mp2');
      const pyscfMp2 = pyscfWhole(molecule, 'cc-pvdz', basis.pure, 'mp2', 1, 3);
      const mp2Note =
        [psi4Mp2 ? `|ΔE| vs Psi4 ${Math.abs(mp2Energy - psi4Mp2.energy).toExponential(1)} Eh` : '',
          pyscfMp2 ? `|ΔE| vs PySCF ${Math.abs(mp2Energy - pyscfMp2.energy).toExponential(1)} Eh` : ''].filter((x) => x).join('; ') || undefined;
      rows.push(row('mp2 h2o cc-pvdz', 'wall time RHF+MP2', mp2Total, psi4Mp2?.seconds, mp2Note, pyscfMp2?.seconds));
      rows.push(row('mp2 h2o cc-pvdz', 'wall time MP2 step (from SCF result)', mp2Only));

      // CCSD(T): RHF + CCSD(T) (integral blocks from the AO integrals), and the CC step alone.
      let ccEnergy = 0;
      let iterations = 0;
      const ccTotal = timeIt(() => {
        const r = runCcsdT(runRhf(molecule, basis));
        ccEnergy = r.energyHartree;
        iterations = r.iterations;
      }, 3);
      const ccOnly = timeIt(() => runCcsdT(scf), 3);
      const psi4Cc = psi4Job('ccsd(t)');
      const pyscfCc = pyscfWhole(molecule, 'cc-pvdz', basis.pure, 'ccsd(t)', 1, 3);
      const ccNote =
        `${iterations} CCSD iterations` +
        (psi4Cc ? `; |ΔE| vs Psi4 ${Math.abs(ccEnergy - psi4Cc.energy).toExponential(1)} Eh` : '') +
        (pyscfCc ? `; |ΔE| vs PySCF ${Math.abs(ccEnergy - pyscfCc.energy).toExponential(1)} Eh` : '');
      rows.push(row('ccsd(t) h2o cc-pvdz', 'wall time RHF+CCSD(T)', ccTotal, psi4Cc?.seconds, ccNote, pyscfCc?.seconds));
      rows.push(row('ccsd(t) h2o cc-pvdz', 'wall time CCSD(T) step (from RHF result)', ccOnly));
      return rows;
    },
  },
];
