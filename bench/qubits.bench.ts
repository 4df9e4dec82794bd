/**
 * Qubit Hamiltonians in STO-3G: mapping and tapering times, term and qubit counts, and the check
 * "lowest eigenvalue of the mapped qubit Hamiltonian in the right particle-number / spin sector
 * equals qde's FCI" for H2, LiH, H2O, BeH2 and N2 (frozen core for all but H2), under Jordan–Wigner,
 * Bravyi–Kitaev and parity, without tapering (basis-state mask of the Nα/Nβ sector) and with Z2
 * tapering (penalties μ(N̂ − N)² + μ(Ŝz − Sz)² on the tapered number / Sz operators).
 * |ΔE| = |E_qubit − E_FCI| in Hartree. Rows are skipped (with a note) while the SCF → Hamiltonian →
 * FCI pipeline is incomplete.
 */
import type { Benchmark, BenchRow } from './harness.js';
import { timeIt } from './harness.js';
import { createMolecule } from '../src/chem/molecule.js';
import { buildMolecularBasis, loadBasisLibrary } from '../src/basis/index.js';
import { runRhf } from '../src/scf/index.js';
import { molecularHamiltonianFromScf } from '../src/hamiltonian/index.js';
import { runFci } from '../src/classical/fci.js';
import type { MolecularHamiltonian } from '../src/hamiltonian/molecular-hamiltonian.js';
import {
  FERMION_MAPPINGS,
  hartreeFockModes,
  lowestEigenvalue,
  mapHamiltonian,
  numberOperator,
  occupationToQubitBits,
  sectorBasisMask,
  szOperator,
  taper,
} from '../src/qubits/index.js';

interface Case {
  name: string;
  symbols: string[];
  positionsAngstrom: number[];
  frozenCore: boolean;
}

const CASES: Case[] = [
  { name: 'H2', symbols: ['H', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, 0.74], frozenCore: false },
  { name: 'LiH', symbols: ['Li', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, 1.5949], frozenCore: true },
  {
    name: 'H2O',
    symbols: ['O', 'H', 'H'],
    positionsAngstrom: [0, 0, 0, 0, 0.757, 0.587, 0, -0.757, 0.587],
    frozenCore: true,
  },
  { name: 'BeH2', symbols: ['Be', 'H', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, 1.3264, 0, 0, -1.3264], frozenCore: true },
  { name: 'N2', symbols: ['N', 'N'], positionsAngstrom: [0, 0, 0, 0, 0, 1.0977], frozenCore: true },
];

function hamiltonianOf(c: Case): MolecularHamiltonian {
  const molecule = createMolecule({ symbols: c.symbols, positionsAngstrom: c.positionsAngstrom });
  const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary('sto-3g')));
  return molecularHamiltonianFromScf(scf, { frozenCore: c.frozenCore });
}

function runCase(c: Case): BenchRow[] {
  const bench = `qubits ${c.name} STO-3G${c.frozenCore ? ' fc' : ''}`;
  let ham: MolecularHamiltonian;
  let fciEnergy: number;
  try {
    ham = hamiltonianOf(c);
    fciEnergy = runFci(ham, { spinFlipSymmetry: 'none' }).energies[0];
  } catch (e) {
    return [{ benchmark: bench, metric: 'skipped', value: Number.NaN, unit: '', note: `pipeline: ${(e as Error).message.slice(0, 80)}` }];
  }
  const nq = 2 * ham.nOrbitals;
  const nElectrons = ham.nAlpha + ham.nBeta;
  const sz = (ham.nAlpha - ham.nBeta) / 2;
  const hfModes = hartreeFockModes(ham.nAlpha, ham.nBeta);
  const rows: BenchRow[] = [];
  for (const mapping of FERMION_MAPPINGS) {
    let op = mapHamiltonian(ham, mapping);
    const mapSeconds = timeIt(() => {
      op = mapHamiltonian(ham, mapping);
    }, nq >= 16 ? 1 : 3);
    rows.push({ benchmark: bench, metric: `${mapping} map time`, value: mapSeconds * 1e3, unit: 'ms', note: `${nq} qubits, ${op.nTerms} terms` });
    const hfBits = occupationToQubitBits(hfModes, nq, mapping);
    let tapered = taper(op, { hfBits });
    const taperSeconds = timeIt(() => {
      tapered = taper(op, { hfBits });
    }, 3);
    rows.push({
      benchmark: bench,
      metric: `${mapping} taper time`,
      value: taperSeconds * 1e3,
      unit: 'ms',
      note: `${nq} → ${tapered.operator.nQubits} qubits (${tapered.nQubitsRemoved} saved), ${tapered.operator.nTerms} terms`,
    });
    let t0 = performance.now();
    const full = lowestEigenvalue(op, { basisMask: sectorBasisMask(nq, mapping, ham.nAlpha, ham.nBeta), startBasisState: hfBits });
    rows.push({
      benchmark: bench,
      metric: `${mapping} |ΔE| sector vs FCI`,
      value: Math.abs(full.eigenvalue - fciEnergy),
      unit: 'Eh',
      note: `untapered ${nq} q, ${full.iterations} H·v, ${((performance.now() - t0) / 1e3).toFixed(2)} s`,
    });
    t0 = performance.now();
    const small = lowestEigenvalue(tapered.operator, {
      penalties: [
        { operator: tapered.taperOther(numberOperator(nq, mapping)), target: nElectrons },
        { operator: tapered.taperOther(szOperator(nq, mapping)), target: sz },
      ],
      startBasisState: tapered.taperBits(hfBits),
    });
    rows.push({
      benchmark: bench,
      metric: `${mapping} |ΔE| tapered vs FCI`,
      value: Math.abs(small.eigenvalue - fciEnergy),
      unit: 'Eh',
      note: `tapered ${tapered.operator.nQubits} q, ${small.iterations} H·v, ${((performance.now() - t0) / 1e3).toFixed(2)} s`,
    });
  }
  return rows;
}

export const benchmarks: Benchmark[] = CASES.map((c) => ({ name: `qubits ${c.name}`, run: () => runCase(c) }));
