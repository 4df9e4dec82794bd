/**
 * Runs PySCF for comparison timings, when `python3 -c "import pyscf"` works (PySCF is never a
 * dependency of qde; see README "Benchmarks" for how it was installed on the development machine).
 * Each calculation runs in its own process with 2 threads; the script must call `report(dict)`,
 * which prints one JSON line starting with `QDE_RESULT ` on stdout. Mirrors ./psi4.ts.
 */
import { spawnSync } from 'node:child_process';
import { peerEnvironment } from './harness.js';

const PYTHON = 'python3';
let available: boolean | undefined;

/** Whether `python3 -c "import pyscf"` works. */
export function pyscfAvailable(): boolean {
  if (available === undefined) {
    available = spawnSync(PYTHON, ['-c', 'import pyscf'], { timeout: 60000, cwd: '/tmp' }).status === 0;
  }
  return available;
}

/**
 * Run a Python body with `pyscf` (gto, scf, lib) imported, 2 threads, quiet output. The body must
 * call `report(dict)`; the dict is returned (undefined when PySCF is missing or the run failed).
 */
export function runPyscf(body: string, timeoutSeconds = 1800): Record<string, number> | undefined {
  if (!pyscfAvailable()) return undefined;
  const script = `
import json, time
from pyscf import gto, scf, lib
lib.num_threads(2)
def report(d):
    print('QDE_RESULT ' + json.dumps(d), flush=True)
${body}
`;
  const result = spawnSync(PYTHON, ['-c', script], {
    encoding: 'utf8',
    timeout: timeoutSeconds * 1000,
    cwd: '/tmp',
    env: peerEnvironment({ OMP_NUM_THREADS: '2' }),
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = (result.stdout ?? '').split('\n').find((l) => l.startsWith('QDE_RESULT '));
  if (!line) {
    process.stderr.write(`pyscf run failed: ${(result.stderr ?? '').slice(-500)}\n`);
    return undefined;
  }
  return JSON.parse(line.slice('QDE_RESULT '.length)) as Record<string, number>;
}

/**
 * A `gto.M(...)` expression for the molecule (Ångström), the basis, and pure or cartesian functions
 * as qde uses them (`cart` = not pure: 6-31G* has cartesian d shells in qde and Psi4).
 */
export function pyscfMolecule(symbols: readonly string[], positionsAngstrom: ArrayLike<number>, basis: string, pure: boolean, charge = 0, spin = 0): string {
  const atoms = symbols.map((s, i) => `${s} ${positionsAngstrom[3 * i]} ${positionsAngstrom[3 * i + 1]} ${positionsAngstrom[3 * i + 2]}`).join('; ');
  return `gto.M(atom='${atoms}', basis='${basis}', unit='Angstrom', cart=${pure ? 'False' : 'True'}, charge=${charge}, spin=${spin}, symmetry=False, verbose=0)`;
}

/**
 * Python statement that makes the RHF object `mf` stop by qde's SCF rule: energy change below 1e-10
 * Hartree and RMS change of the α density below 1e-9 (‖ΔD‖_F / (2·nao) for PySCF's total RHF density),
 * through PySCF's `check_convergence` hook. PySCF's own default (‖orbital gradient‖ below
 * √conv_tol = 1e-5) stops earlier: after 15 cycles instead of 19 on caffeine/cc-pVDZ, whose α
 * density then still moves by 3·10⁻⁸ RMS per cycle. PySCF keeps its confirming extra cycle.
 */
export function pyscfQdeConvergence(rhf = 'mf'): string {
  return `${rhf}.check_convergence = lambda env, n=${rhf}.mol.nao: abs(env['e_tot'] - env['last_hf_e']) < 1e-10 and env['norm_ddm'] / (2 * n) < 1e-9`;
}

/**
 * Python body timing one RHF energy (exact integrals, or density fitting with `auxBasis`) after an
 * untimed warm-up of the same job; reports time, energy and iterations. Convergence by qde's rule
 * ({@link pyscfQdeConvergence}), SAD-like guess ('atom').
 */
export function pyscfRhfBody(molecule: string, auxBasis?: string): string {
  const make = auxBasis ? `scf.RHF(mol).density_fit(auxbasis='${auxBasis}')` : 'scf.RHF(mol)';
  return `
mol = ${molecule}
def job():
    mf = ${make}
    mf.conv_tol = 1e-10
    ${pyscfQdeConvergence()}
    mf.init_guess = 'atom'
    cycles = []
    mf.callback = lambda env: cycles.append(env['cycle'])
    e = mf.kernel()
    return e, len(cycles)
job()  # warm-up (same as the qde and Psi4 warm-ups)
t0 = time.time()
e, iters = job()
report({'time': time.time() - t0, 'energy': e, 'iterations': iters})
`;
}
