import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMolecule } from '../chem/molecule.js';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { overlapMatrix, coreHamiltonianMatrix } from '../integrals/one-electron.js';
import { electronRepulsionIntegrals } from '../integrals/eri.js';
import { nuclearRepulsionEnergy } from '../integrals/nuclear-repulsion.js';
import { Random } from '../core/random.js';
import { solveScf, type ScfSystem } from './engine.js';
import { occupiedDensity, rotateOrbitals, uhfEnergy, uhfStability } from './stability.js';

function system(symbols: string[], positionsAngstrom: number[], basisName: string, multiplicity = 1): { sys: ScfSystem; nAlpha: number; nBeta: number } {
  const molecule = createMolecule({ symbols, positionsAngstrom, multiplicity });
  const basis = buildMolecularBasis(molecule, loadBasisLibrary(basisName));
  const sys: ScfSystem = {
    nBasis: basis.nFunctions,
    overlap: overlapMatrix(basis),
    coreHamiltonian: coreHamiltonianMatrix(basis, molecule),
    eri: electronRepulsionIntegrals(basis),
    nuclearRepulsionHartree: nuclearRepulsionEnergy(molecule),
  };
  let nElectrons = -molecule.charge;
  for (const z of molecule.atomicNumbers) nElectrons += z;
  return { sys, nAlpha: (nElectrons + multiplicity - 1) / 2, nBeta: (nElectrons - multiplicity + 1) / 2 };
}

const settings = {
  restricted: false,
  energyConvergence: 1e-12,
  densityConvergence: 1e-10,
  maxIterations: 100,
  diisSize: 8,
  linearDependenceThreshold: 1e-7,
};

/** Second derivative of the determinant energy along a normalised rotation, by central differences. */
function curvature(sys: ScfSystem, scf: ReturnType<typeof solveScf>, nAlpha: number, nBeta: number, direction: Float64Array): number {
  const n = sys.nBasis;
  const energyAt = (theta: number): number => {
    const [ca, cb] = rotateOrbitals(scf, n, nAlpha, nBeta, direction, theta);
    return uhfEnergy(sys, occupiedDensity(ca, n, scf.nOrbitals, nAlpha), occupiedDensity(cb, n, scf.nOrbitals, nBeta));
  };
  const h = 1e-3;
  return (energyAt(h) - 2 * energyAt(0) + energyAt(-h)) / (h * h);
}

test('stability matrix: E(θ) = E₀ + θ² xᵀ(A+B)x along rotations, for the lowest eigenvector and random directions', () => {
  for (const [symbols, positions, mult, expectNegative] of [
    [['H', 'H'], [0, 0, 0, 0, 0, 3.0], 1, true],
    [['H', 'H'], [0, 0, 0, 0, 0, 0.74], 1, false],
    // OH from the core-Hamiltonian guess: the sign depends on the state reached; only the curvature is checked.
    [['O', 'H'], [0, 0, 0, 0, 0, 0.97], 2, undefined],
  ] as const) {
    const { sys, nAlpha, nBeta } = system([...symbols], [...positions], '6-31g', mult);
    const scf = solveScf(sys, { ...settings, nAlpha, nBeta });
    assert.ok(Math.abs(uhfEnergy(sys, scf.densityAlpha, scf.densityBeta) - scf.energyHartree) < 1e-9);
    const { lowestEigenvalue, vector } = uhfStability(sys, scf, nAlpha, nBeta);
    if (expectNegative !== undefined) assert.equal(lowestEigenvalue < 0, expectNegative, `${symbols.join('')}: λ = ${lowestEigenvalue}`);
    const c = curvature(sys, scf, nAlpha, nBeta, vector);
    assert.ok(Math.abs(c - 2 * lowestEigenvalue) < 1e-5 * Math.max(1, Math.abs(c)), `curvature ${c} vs 2λ ${2 * lowestEigenvalue}`);
    // Any direction has curvature ≥ 2λ_min (variational property of the lowest eigenvalue).
    const rng = new Random(5);
    for (let trial = 0; trial < 3; trial++) {
      const x = Float64Array.from({ length: vector.length }, () => rng.normal());
      const norm = Math.hypot(...x);
      for (let i = 0; i < x.length; i++) x[i] /= norm;
      assert.ok(curvature(sys, scf, nAlpha, nBeta, x) >= 2 * lowestEigenvalue - 1e-5);
    }
  }
});
