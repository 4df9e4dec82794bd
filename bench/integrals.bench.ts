/**
 * Integral benchmarks: ERI build time and throughput for H2O/cc-pVDZ, benzene/6-31G, benzene/6-31G*
 * (cartesian d) and HBr/cc-pVTZ (f shells, examples/hbr.xyz), the cold (first-call) ERI time, the
 * whole RHF of benzene/6-31G against Psi4 (scf_type pk, 2 threads), and the whole RHF of
 * benzene/6-31G* and HBr/cc-pVTZ each in a fresh process (module loading excluded; kernel generation
 * and compilation, worker start-up, integrals and SCF included — what a user's first job pays),
 * interleaved with Psi4's same job and reported with the load averages.
 * Psi4 times are measured inside its process (psi4.energy / MintsHelper.ao_eri), excluding start-up.
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchRow } from './harness.js';
import { timeIt } from './harness.js';
import { psi4Geometry, runPsi4 } from './psi4.js';
import { loadBasisLibrary, buildMolecularBasis, type MolecularBasis } from '../src/basis/index.js';
import { electronRepulsionIntegrals, packedEriLength } from '../src/integrals/index.js';
import type { Molecule } from '../src/chem/molecule.js';
import { ELEMENT_SYMBOLS } from '../src/chem/elements.js';
import { ANGSTROM_IN_BOHR, BOHR_IN_ANGSTROM } from '../src/core/units.js';
import { readXyzFile } from '../src/chem/xyz.js';

function benzene(): Molecule {
  const path = fileURLToPath(new URL('../examples/benzene.xyz', import.meta.url));
  let symbols: string[];
  let coords: number[];
  try {
    const lines = readFileSync(path, 'utf8').trim().split('\n').slice(2);
    symbols = lines.map((l) => l.trim().split(/\s+/)[0]);
    coords = lines.flatMap((l) => l.trim().split(/\s+/).slice(1, 4).map(Number));
  } catch {
    // D6h benzene, r(CC) = 1.39 Å, r(CH) = 1.09 Å.
    symbols = [];
    coords = [];
    for (const [sym, r] of [['C', 1.39], ['H', 2.48]] as const) {
      for (let k = 0; k < 6; k++) {
        symbols.push(sym);
        coords.push(r * Math.cos((Math.PI / 3) * k), r * Math.sin((Math.PI / 3) * k), 0);
      }
    }
  }
  return {
    atomicNumbers: Int32Array.from(symbols.map((s) => ELEMENT_SYMBOLS.indexOf(s))),
    positionsBohr: Float64Array.from(coords.map((c) => c * ANGSTROM_IN_BOHR)),
    charge: 0,
    multiplicity: 1,
  };
}

function water(): Molecule {
  const a = [0, 0, 0.1173, 0, 0.7572, -0.4692, 0, -0.7572, -0.4692];
  return { atomicNumbers: Int32Array.from([8, 1, 1]), positionsBohr: Float64Array.from(a.map((c) => c * ANGSTROM_IN_BOHR)), charge: 0, multiplicity: 1 };
}

function geometryOf(m: Molecule): string {
  const symbols = [...m.atomicNumbers].map((z) => ELEMENT_SYMBOLS[z]);
  return psi4Geometry(symbols, [...m.positionsBohr].map((c) => c * BOHR_IN_ANGSTROM));
}

function psi4EriSeconds(m: Molecule, basis: string, puream: boolean): number | undefined {
  const r = runPsi4(`
mol = psi4.geometry("""${geometryOf(m)}""")
psi4.set_options({'basis': '${basis}', 'puream': ${puream ? 'True' : 'False'}})
wfn = psi4.core.Wavefunction.build(mol, psi4.core.get_global_option('BASIS'))
mints = psi4.core.MintsHelper(wfn.basisset())
t = time.time(); mints.ao_eri(); report({'seconds': time.time() - t})
`);
  return r?.seconds;
}

function psi4RhfSeconds(m: Molecule, basis: string, puream: boolean): { seconds: number; energy: number } | undefined {
  const r = runPsi4(`
mol = psi4.geometry("""${geometryOf(m)}""")
psi4.set_options({'basis': '${basis}', 'puream': ${puream ? 'True' : 'False'}, 'scf_type': 'pk',
                  'e_convergence': 1e-10, 'd_convergence': 1e-10})
t = time.time(); e = psi4.energy('scf'); report({'seconds': time.time() - t, 'energy': e})
`);
  return r ? { seconds: r.seconds, energy: r.energy } : undefined;
}

function eriRows(label: string, basis: MolecularBasis, psi4Seconds: number | undefined, repeats = 5): BenchRow[] {
  const rows: BenchRow[] = [];
  const n = packedEriLength(basis.nFunctions);
  const cold = timeIt(() => electronRepulsionIntegrals(basis), 1, false);
  rows.push({ benchmark: label, metric: 'ERI first call (cold: kernels generated, JIT, workers start)', value: cold, unit: 's' });
  const warm = timeIt(() => electronRepulsionIntegrals(basis), repeats);
  rows.push({
    benchmark: label,
    metric: 'ERI build (default threads)',
    value: warm,
    unit: 's',
    psi4: psi4Seconds,
    ratio: psi4Seconds ? warm / psi4Seconds : undefined,
    note: `${basis.nFunctions} functions; Psi4 = MintsHelper.ao_eri (full n⁴ tensor)`,
  });
  const single = timeIt(() => electronRepulsionIntegrals(basis, { threads: 1 }), repeats);
  rows.push({ benchmark: label, metric: 'ERI build (1 thread)', value: single, unit: 's' });
  rows.push({ benchmark: label, metric: 'ERI throughput (default threads)', value: n / warm, unit: 'unique integrals/s' });
  return rows;
}

function example(name: string): Molecule {
  return readXyzFile(fileURLToPath(new URL(`../examples/${name}.xyz`, import.meta.url)));
}

/**
 * Seconds of one RHF (molecule, basis, SCF) in a fresh Node process under tsx, timed inside it after
 * its modules are loaded, with its energy.
 */
function freshProcessRhf(xyz: string, basis: string): { seconds: number; energy: number } | undefined {
  const src = (path: string): string => JSON.stringify(new URL(`../src/${path}`, import.meta.url).href);
  const script = `
const { readXyzFile } = await import(${src('chem/xyz.ts')});
const { loadBasisLibrary, buildMolecularBasis } = await import(${src('basis/index.ts')});
const { runRhf } = await import(${src('scf/index.ts')});
const t0 = performance.now();
const m = readXyzFile(${JSON.stringify(fileURLToPath(new URL(`../examples/${xyz}.xyz`, import.meta.url)))});
const e = runRhf(m, buildMolecularBasis(m, loadBasisLibrary(${JSON.stringify(basis)}))).energyHartree;
console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, energy: e }));
`;
  const p = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  if (p.status !== 0) return undefined;
  return JSON.parse(p.stdout.trim().split('\n').pop()!) as { seconds: number; energy: number };
}

/**
 * qde (fresh process) and Psi4 runs of one RHF job interleaved (qde, Psi4, qde, Psi4, …) so that
 * both see the same machine load; the best time of each and the 1-minute load average before
 * every run are reported.
 */
function freshRhfRow(label: string, xyz: string, basis: string, puream: boolean, runs = 3): BenchRow[] {
  let qde: { seconds: number; energy: number } | undefined;
  let psi4: { seconds: number; energy: number } | undefined;
  const loads: number[] = [];
  const qdeTimes: number[] = [];
  const psi4Times: number[] = [];
  for (let r = 0; r < runs; r++) {
    loads.push(loadavg()[0]);
    const q = freshProcessRhf(xyz, basis);
    if (!q) return [];
    qdeTimes.push(q.seconds);
    if (!qde || q.seconds < qde.seconds) qde = q;
    loads.push(loadavg()[0]);
    const p = psi4RhfSeconds(example(xyz), basis, puream);
    if (p) {
      psi4Times.push(p.seconds);
      if (!psi4 || p.seconds < psi4.seconds) psi4 = p;
    }
  }
  const fmt = (t: number[]): string => t.map((v) => v.toFixed(2)).join(', ');
  return [
    {
      benchmark: label,
      metric: `total RHF wall time in a fresh process (integrals + SCF, best of ${runs}, interleaved with Psi4)`,
      value: qde!.seconds,
      unit: 's',
      psi4: psi4?.seconds,
      ratio: psi4 ? qde!.seconds / psi4.seconds : undefined,
      note:
        `qde ${fmt(qdeTimes)} s; Psi4 ${fmt(psi4Times)} s; load ${fmt(loads)}; ` +
        (psi4 ? `E qde ${qde!.energy.toFixed(10)}, Psi4 ${psi4.energy.toFixed(10)}` : `E ${qde!.energy.toFixed(10)}`),
    },
  ];
}

export const benchmarks: Benchmark[] = [
  {
    name: 'integrals-eri-h2o-cc-pvdz',
    run(): BenchRow[] {
      const m = water();
      const basis = buildMolecularBasis(m, loadBasisLibrary('cc-pvdz'));
      return eriRows('ERI H2O cc-pVDZ', basis, psi4EriSeconds(m, 'cc-pvdz', true));
    },
  },
  {
    name: 'integrals-eri-benzene-6-31g',
    run(): BenchRow[] {
      const m = benzene();
      const basis = buildMolecularBasis(m, loadBasisLibrary('6-31g'));
      return eriRows('ERI benzene 6-31G', basis, psi4EriSeconds(m, '6-31g', false));
    },
  },
  {
    name: 'integrals-eri-benzene-6-31gs',
    run(): BenchRow[] {
      const m = benzene();
      const basis = buildMolecularBasis(m, loadBasisLibrary('6-31gs'));
      return eriRows('ERI benzene 6-31G*', basis, psi4EriSeconds(m, '6-31g*', false), 3);
    },
  },
  {
    name: 'integrals-eri-hbr-cc-pvtz',
    run(): BenchRow[] {
      const m = example('hbr');
      const basis = buildMolecularBasis(m, loadBasisLibrary('cc-pvtz'));
      return eriRows('ERI HBr cc-pVTZ', basis, psi4EriSeconds(m, 'cc-pvtz', true), 3);
    },
  },
  {
    name: 'integrals-rhf-fresh-process',
    run(): BenchRow[] {
      return [
        ...freshRhfRow('RHF benzene 6-31G* (cartesian d)', 'benzene', '6-31gs', false),
        ...freshRhfRow('RHF HBr cc-pVTZ (f shells)', 'hbr', 'cc-pvtz', true),
      ];
    },
  },
  {
    name: 'integrals-rhf-benzene-6-31g',
    async run(): Promise<BenchRow[]> {
      const m = benzene();
      const basis = buildMolecularBasis(m, loadBasisLibrary('6-31g'));
      const psi4 = psi4RhfSeconds(m, '6-31g', false);
      const rows: BenchRow[] = [];
      let scf: { runRhf?: (mol: Molecule, b: MolecularBasis) => { energyHartree: number } } = {};
      try {
        scf = (await import('../src/scf/index.js')) as typeof scf;
      } catch {
        // SCF stage not available: report Psi4 only.
      }
      if (scf.runRhf) {
        let energy = Number.NaN;
        const seconds = timeIt(() => {
          energy = scf.runRhf!(m, basis).energyHartree;
        }, 3);
        rows.push({
          benchmark: 'RHF benzene 6-31G',
          metric: 'total RHF wall time (integrals + SCF)',
          value: seconds,
          unit: 's',
          psi4: psi4?.seconds,
          ratio: psi4 ? seconds / psi4.seconds : undefined,
          note: psi4 ? `E qde ${energy.toFixed(10)}, Psi4 ${psi4.energy.toFixed(10)}` : `E ${energy.toFixed(10)}`,
        });
      } else if (psi4) {
        rows.push({ benchmark: 'RHF benzene 6-31G', metric: 'Psi4 RHF wall time', value: psi4.seconds, unit: 's' });
      }
      return rows;
    },
  },
];
