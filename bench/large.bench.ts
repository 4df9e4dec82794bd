/**
 * The largest problems, each in its own process (bench/large-job.ts) so the peak resident memory is
 * the job's own, with progress on stderr. They take minutes, so they run only when selected by name:
 * `npm run bench -- large` (all three) or `npm run bench -- large-fci-n2` etc.
 *
 * - N₂ cc-pVDZ, RHF orbitals, active space (10e, 18o): 73.4 M determinants; qde detects D2h from the
 *   integrals (degenerate π/δ pairs rotated to symmetry-adapted combinations) and solves the totally
 *   symmetric sector (about 9.2 M determinants), as PySCF's direct_spin1_symm with wfnsym Ag does
 *   beside it (CASCI integrals of the same RHF). Same convergence criterion for both: energy change
 *   below 1e-10 Hartree and residual norm below 1e-5 (PySCF `conv_tol` 1e-10, whose residual
 *   threshold is √conv_tol). Time of the FCI step only for both.
 * - H₁₆ chain (d = 1.0 Å) STO-3G, all electrons: (16e, 16o), 1.66·10⁸ determinants, inversion only.
 * - 28-qubit exact energy + adjoint gradient: synthetic seeded Hamiltonian (ferromagnetic Ising ring
 *   with XX+YY hopping and a transverse field, 112 Pauli terms) and a two-layer hardware-efficient
 *   RY/CNOT ansatz (84 parameters) on the full 2²⁸ state vector. The same code at 12 qubits
 *   (`large-job.ts vqe-small`) is checked against the library's H·ψ and a central difference;
 *   `--check` does the central difference at 28 qubits too (two more energies). With gate fusion
 *   (default) and gate by gate (`large-vqe-28-qubits-unfused`); energy-only time reported too.
 *
 * Before running, check `free -g`: the N₂ job peaks near 3 GiB, the 28-qubit job near 8.6 GiB and
 * the H₁₆ job is refused by the memory check unless about 13 GiB are allowed.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import type { Benchmark, BenchRow } from './harness.js';
import { runPyscf } from './pyscf.js';

const here = dirname(fileURLToPath(import.meta.url));
const GIB = 2 ** 30;

/** Run one job of large-job.ts in a child process (stderr passed through); its QDE_RESULT dict. */
function runJob(args: string[]): Record<string, number> | undefined {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'large-job.ts'), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = (result.stdout ?? '').split('\n').find((l) => l.startsWith('QDE_RESULT '));
  if (!line) {
    process.stderr.write(`large job ${args.join(' ')} failed (exit ${result.status})\n`);
    return undefined;
  }
  return JSON.parse(line.slice('QDE_RESULT '.length)) as Record<string, number>;
}

/** PySCF's symmetry FCI (direct_spin1_symm, Ag) on the CASCI (10e, 18o) integrals of N₂ cc-pVDZ. */
function pyscfN2(): Record<string, number> | undefined {
  return runPyscf(
    `
import resource
from pyscf import mcscf, fci, symm
mol = gto.M(atom='N 0 0 0; N 0 0 1.0977', basis='cc-pvdz', unit='Angstrom', symmetry='D2h', verbose=0)
mf = scf.RHF(mol)
mf.conv_tol = 1e-10
mf.kernel()
mc = mcscf.CASCI(mf, 18, 10)
h1, ecore = mc.get_h1eff()
h2 = mc.get_h2eff()
mo = mc.mo_coeff[:, mc.ncore:mc.ncore + 18]
orbsym = symm.label_orb_symm(mol, mol.irrep_id, mol.symm_orb, mo)
solver = fci.direct_spin1_symm.FCI(mol)
solver.conv_tol = 1e-10
solver.wfnsym = 'Ag'
t0 = time.time()
e, c = solver.kernel(h1, h2, 18, 10, ecore=ecore, orbsym=orbsym)
seconds = time.time() - t0
report({'seconds': seconds, 'energy': e, 'sectorDeterminants': c.size, 'maxRssBytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024})
`,
    7200,
  );
}

const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' / ');

/** Only when selected by name: `npm run bench` without a filter skips these. */
function selected(): boolean {
  return process.argv.slice(2).length > 0;
}

const n2: Benchmark = {
  name: 'large-fci-n2-ccpvdz-10-18',
  run(): BenchRow[] {
    if (!selected()) return [];
    // Interleaved: qde, PySCF, then qde again when LARGE_REPEATS=2.
    const loadBefore = load();
    const repeats = Number(process.env.LARGE_REPEATS ?? 1);
    const q1 = runJob(['n2-fci']);
    const p = pyscfN2();
    const q2 = repeats > 1 ? runJob(['n2-fci']) : undefined;
    const runs = [q1, q2].filter((r): r is Record<string, number> => r !== undefined);
    if (runs.length === 0) return [];
    const seconds = Math.min(...runs.map((r) => r.seconds));
    const rss = Math.max(...runs.map((r) => r.maxRssBytes));
    const q = runs[0];
    const rows: BenchRow[] = [
      {
        benchmark: `FCI N2 cc-pVDZ active (10e,18o) (${q.determinants} dets; Ag sector ${q.sectorDeterminants})`,
        metric: 'wall time (FCI only)',
        value: seconds,
        unit: 's',
        pyscf: p?.seconds,
        pyscfRatio: p ? seconds / p.seconds : undefined,
        note: `qde runs ${runs.map((r) => r.seconds.toFixed(1)).join(', ')} s interleaved with PySCF; ${q.irreps} irreps detected (${q.rotatedPairs} degenerate pairs rotated); ${q.iterations} Davidson iterations, ${q.threads} threads; load average before ${loadBefore}, after ${load()}`,
      },
      {
        benchmark: 'FCI N2 cc-pVDZ active (10e,18o)',
        metric: 'peak RSS (whole process)',
        value: rss / GIB,
        unit: 'GiB',
        pyscf: p ? p.maxRssBytes / GIB : undefined,
        pyscfRatio: p ? rss / p.maxRssBytes : undefined,
        note: `estimateFciMemoryBytes ${(q.estimatedBytes / GIB).toFixed(2)} GiB`,
      },
    ];
    if (p) {
      rows.push({
        benchmark: 'FCI N2 cc-pVDZ active (10e,18o)',
        metric: '|E(qde) − E(PySCF)|',
        value: Math.abs(q.energyHartree - p.energy),
        unit: 'Hartree',
        note: `PySCF E = ${p.energy.toFixed(10)} Eh`,
      });
    }
    return rows;
  },
};

const h16: Benchmark = {
  name: 'large-fci-h16-chain-sto3g',
  run(): BenchRow[] {
    if (!selected()) return [];
    const loadBefore = load();
    const q = runJob(['h16-fci']);
    if (!q) return [];
    return [
      {
        benchmark: `FCI H16 chain d=1.0 Å STO-3G (16e,16o) (${q.determinants} dets; sector ${q.sectorDeterminants})`,
        metric: 'wall time (FCI only)',
        value: q.seconds,
        unit: 's',
        note: `E = ${q.energyHartree.toFixed(10)} Eh; peak RSS ${(q.maxRssBytes / GIB).toFixed(2)} GiB (estimate ${(q.estimatedBytes / GIB).toFixed(2)} GiB); ${q.iterations} Davidson iterations, ${q.threads} threads; load average before ${loadBefore}, after ${load()}`,
      },
    ];
  },
};

/** The 28-qubit job with gate fusion (default) or gate by gate (`unfused`, for comparison). */
function vqe28Benchmark(unfused: boolean): Benchmark {
  return {
    name: unfused ? 'large-vqe-28-qubits-unfused' : 'large-vqe-28-qubits',
    run(): BenchRow[] {
      if (!selected()) return [];
      const loadBefore = load();
      const q = runJob(unfused ? ['vqe-28', '--no-fusion'] : ['vqe-28']);
      if (!q) return [];
      const label = `Exact energy + adjoint gradient, 28 qubits (synthetic ${q.terms}-term Hamiltonian, HEA ${q.gates} gates, ${q.parameters} parameters)${unfused ? ', gate by gate' : ', gate fusion'}`;
      return [
        {
          benchmark: label,
          metric: 'wall time (energy only: forward pass + H·ψ)',
          value: q.energySeconds,
          unit: 's',
          note: `load average before ${loadBefore}`,
        },
        {
          benchmark: label,
          metric: 'wall time (energy + gradient)',
          value: q.seconds,
          unit: 's',
          note: `peak RSS ${(q.maxRssBytes / GIB).toFixed(2)} GiB; E = ${q.energy.toFixed(8)}; ${q.gradientCheckError !== undefined ? `one gradient component vs central difference: ${q.gradientCheckError.toExponential(1)}` : 'gradient checked against the library H·ψ and central differences at 12 qubits (large-job.ts vqe-small)'}; load average before ${loadBefore}, after ${load()}`,
        },
      ];
    },
  };
}

export const benchmarks: Benchmark[] = [n2, h16, vqe28Benchmark(false), vqe28Benchmark(true)];
