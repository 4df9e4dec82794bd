/**
 * MP2 and CCSD(T) timings for H2O/cc-pVDZ (the equilibrium geometry of the H2O entries of the shared
 * Psi4 reference set), beside Psi4 and PySCF running the same job (conventional integrals, all
 * electrons correlated, one thread so all three programs use one core).
 *
 * Larger jobs, each one run of the whole calculation (RHF + correlated step, no warm-up; for
 * H2O/cc-pVTZ the median of three fresh processes and of three runs of each peer) beside Psi4
 * and PySCF on both cores (conventional integrals and MP2/CC, all electrons correlated): RHF +
 * CCSD(T) for H2O/cc-pVTZ, RHF + MP2 for benzene/cc-pVDZ and caffeine/cc-pVDZ, RHF + CCSD for
 * benzene/6-31G* (examples/benzene.xyz). Convergence: SCF energy 1e-10 everywhere, density RMS change
 * 1e-9 (qde, and PySCF through its convergence hook, see ./pyscf.ts) or orbital gradient 1e-10
 * (Psi4 d_convergence); CC energy change 1e-10 with residual 1e-9 (qde), r_convergence 1e-9
 * (Psi4), conv_tol_normt 1e-9 (PySCF, the norm of the amplitude change). Each row also gives CPU seconds of the qde process (both threads).
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchRow } from './harness.js';
import { median, timeIt } from './harness.js';
import { psi4Geometry, runPsi4 } from './psi4.js';
import { pyscfMolecule, pyscfQdeConvergence, runPyscf } from './pyscf.js';
import { caffeine } from './scf.bench.js';
import { createMolecule, moleculeSymbols, positionsAngstrom as positionsOf, type Molecule } from '../src/chem/molecule.js';
import { readXyzFile } from '../src/chem/xyz.js';
import { loadBasisLibrary } from '../src/basis/library.js';
import { buildMolecularBasis } from '../src/basis/molecular-basis.js';
import { runRhf } from '../src/scf/index.js';
import { runMp2, runCcsd, runCcsdT } from '../src/classical/index.js';

const here = dirname(fileURLToPath(import.meta.url));
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

/** Median of the defined values, or undefined when there are none. */
function medianOfDefined(values: (number | undefined)[]): number | undefined {
  const v = values.filter((x): x is number => x !== undefined);
  return v.length === 0 ? undefined : median(v);
}

/** RHF + a correlated method in a fresh process (./cc-job.ts); its QDE_RESULT. */
function freshProcessJob(method: Method, basisName: string, geometry: string): Record<string, number> | undefined {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'cc-job.ts'), method, basisName, geometry], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = (result.stdout ?? '').split('\n').find((l) => l.startsWith('QDE_RESULT '));
  if (!line) {
    process.stderr.write(`cc job ${method} ${basisName} ${geometry} failed (exit ${result.status})\n`);
    return undefined;
  }
  return JSON.parse(line.slice('QDE_RESULT '.length)) as Record<string, number>;
}

/**
 * RHF + a correlated method beside Psi4's and PySCF's same job: with `repeats` = 1 one timed run
 * (no warm-up) in this process; with more, the median of that many fresh processes for qde
 * (./cc-job.ts, `geometry` names the molecule there) and of as many runs of each peer, taken in
 * rounds of one run each, for jobs short enough that one run says little on a machine whose speed
 * drifts.
 */
function wholeJob(benchmark: string, molecule: Molecule, basisName: string, method: Method, repeats = 1, geometry = ''): BenchRow[] {
  if (repeats > 1) {
    // Rounds of one run of each code, so that all three see the same drifts of the machine's speed.
    const pure = buildMolecularBasis(molecule, loadBasisLibrary(basisName)).pure;
    const qdeRuns: (Record<string, number> | undefined)[] = [];
    const psi4Runs: (Record<string, number> | undefined)[] = [];
    const pyscfRuns: (Record<string, number> | undefined)[] = [];
    for (let round = 0; round < repeats; round++) {
      qdeRuns.push(freshProcessJob(method, basisName, geometry));
      psi4Runs.push(psi4Whole(molecule, basisName, method));
      pyscfRuns.push(pyscfWhole(molecule, basisName, pure, method, 2));
    }
    const runs = qdeRuns.filter((r): r is Record<string, number> => r !== undefined);
    if (runs.length === 0) return [];
    const seconds = median(runs.map((r) => r.seconds));
    const energy = runs[0]!.energy;
    const psi4 = psi4Runs.find((r) => r !== undefined);
    const pyscf = pyscfRuns.find((r) => r !== undefined);
    const note =
      `median of ${runs.length} fresh processes (qde ${runs.map((r) => r.seconds.toFixed(2)).join(' / ')} s` +
      (psi4 ? `, Psi4 ${psi4Runs.map((r) => r?.seconds.toFixed(2) ?? '—').join(' / ')} s` : '') +
      (pyscf ? `, PySCF ${pyscfRuns.map((r) => r?.seconds.toFixed(2) ?? '—').join(' / ')} s` : '') +
      `), SCF ${median(runs.map((r) => r.scfSeconds)).toFixed(1)} s, ${runs[0]!.iterations} CC iterations, ` +
      `CPU ${median(runs.map((r) => r.cpuSeconds)).toFixed(1)} s, load ${loadavg()[0].toFixed(1)}` +
      (psi4 ? `; |ΔE| vs Psi4 ${Math.abs(energy - psi4.energy).toExponential(1)} Eh` : '') +
      (pyscf ? `; |ΔE| vs PySCF ${Math.abs(energy - pyscf.energy).toExponential(1)} Eh` : '');
    return [row(benchmark, `wall time RHF+${method.toUpperCase()}`, seconds, medianOfDefined(psi4Runs.map((r) => r?.seconds)), note, medianOfDefined(pyscfRuns.map((r) => r?.seconds)))];
  }
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
    run: (): BenchRow[] => wholeJob('ccsd(t) h2o cc-pvtz', createMolecule({ symbols, positionsAngstrom }), 'cc-pvtz', 'ccsd(t)', 5, 'h2o'),
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
