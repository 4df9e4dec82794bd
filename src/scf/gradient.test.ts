/**
 * Analytic SCF gradients against Psi4 1.3.2 (test/fixtures/reference/psi4-public.json and
 * test/fixtures/gradients/psi4-gradients.json, made by make-references.py there): RHF with pure and
 * cartesian d, f functions, no symmetry, a cation; UHF and ROHF radicals and triplets. Also central
 * finite differences of the RHF energy and translational invariance.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadBasisLibrary } from '../basis/library.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { InputError } from '../core/errors.js';
import type { Molecule } from '../chem/molecule.js';
import { loadPsi4Reference, moleculeOfEntry, type ReferenceAtom } from '../../test/psi4-reference.js';
import { runRhf, runUhf } from './scf.js';
import { runRohf } from './rohf.js';
import { rhfGradient, rohfGradient, scfGradient, uhfGradient } from './gradient.js';

const TIGHT = { energyConvergence: 1e-12, densityConvergence: 1e-10 };

function assertGradient(actual: Float64Array, expected: number[][], tolerance: number, what: string): void {
  const flat = expected.flat();
  assert.equal(actual.length, flat.length);
  let worst = 0;
  for (let i = 0; i < flat.length; i++) worst = Math.max(worst, Math.abs(actual[i] - flat[i]));
  assert.ok(worst <= tolerance, `${what}: largest deviation from Psi4 ${worst.toExponential(2)} Hartree/Bohr`);
}

function assertTranslationallyInvariant(g: Float64Array): void {
  for (let x = 0; x < 3; x++) {
    let s = 0;
    for (let a = x; a < g.length; a += 3) s += g[a];
    assert.ok(Math.abs(s) < 1e-9, `component ${x} sums to ${s}`);
  }
}

interface PublicEntry {
  id: string;
  category: string;
  basis: string;
  geometry_angstrom: ReferenceAtom[];
  charge: number;
  multiplicity: number;
  gradient_hartree_per_bohr: number[][];
  total_energy_hartree: number;
}

for (const entry of loadPsi4Reference<PublicEntry>().entries.filter((e) => e.category === 'gradient')) {
  test(`RHF gradient ${entry.id} matches Psi4 (1e-8 Hartree/Bohr)`, () => {
    const mol = moleculeOfEntry(entry);
    const basis = buildMolecularBasis(mol, loadBasisLibrary(entry.basis));
    const scf = runRhf(mol, basis, TIGHT);
    assert.ok(Math.abs(scf.energyHartree - entry.total_energy_hartree) < 1e-8);
    const g = rhfGradient(scf, basis);
    assertGradient(g, entry.gradient_hartree_per_bohr, 1e-8, entry.id);
    assertTranslationallyInvariant(g);
  });
}

interface GradientEntry {
  reference: 'rhf' | 'uhf' | 'rohf';
  molecule: string;
  basis: string;
  puream: boolean;
  geometry: ReferenceAtom[];
  charge: number;
  multiplicity: number;
  n_basis_functions: number;
  energy_hartree: number;
  gradient_hartree_per_bohr: number[][];
}

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/gradients/psi4-gradients.json', import.meta.url), 'utf8')) as { entries: GradientEntry[] };

for (const entry of fixture.entries) {
  test(`${entry.reference.toUpperCase()} gradient of ${entry.molecule} in ${entry.basis} (${entry.puream ? 'pure' : 'cartesian'}) matches Psi4 (1e-8 Hartree/Bohr)`, () => {
    const mol = moleculeOfEntry(entry);
    const basis = buildMolecularBasis(mol, loadBasisLibrary(entry.basis));
    assert.equal(basis.pure, entry.puream);
    assert.equal(basis.nFunctions, entry.n_basis_functions);
    const run = entry.reference === 'rhf' ? runRhf : entry.reference === 'uhf' ? runUhf : runRohf;
    const scf = run(mol, basis, TIGHT);
    assert.ok(Math.abs(scf.energyHartree - entry.energy_hartree) < 1e-8, `energy ${scf.energyHartree} vs ${entry.energy_hartree}`);
    const specific = entry.reference === 'rhf' ? rhfGradient : entry.reference === 'uhf' ? uhfGradient : rohfGradient;
    const g = specific(scf);
    assertGradient(g, entry.gradient_hartree_per_bohr, 1e-8, `${entry.reference} ${entry.molecule}`);
    assertTranslationallyInvariant(g);
  });
}

test('RHF gradient equals central finite differences of the RHF energy (step 1e-4 Bohr, water without symmetry, 6-31G*)', () => {
  const mol: Molecule = {
    atomicNumbers: Int32Array.from([8, 1, 1]),
    positionsBohr: Float64Array.from([0.0, 0.1, -0.05, 1.43, 1.0, 0.1, -1.5, 1.2, -0.2]),
    charge: 0,
    multiplicity: 1,
  };
  const library = loadBasisLibrary('6-31gs');
  const energy = (m: Molecule): number => runRhf(m, buildMolecularBasis(m, library), TIGHT).energyHartree;
  const g = rhfGradient(runRhf(mol, buildMolecularBasis(mol, library), TIGHT));
  const h = 1e-4;
  for (let k = 0; k < 9; k++) {
    const plus = Float64Array.from(mol.positionsBohr);
    const minus = Float64Array.from(mol.positionsBohr);
    plus[k] += h;
    minus[k] -= h;
    const fd = (energy({ ...mol, positionsBohr: plus }) - energy({ ...mol, positionsBohr: minus })) / (2 * h);
    assert.ok(Math.abs(fd - g[k]) < 2e-7, `coordinate ${k}: analytic ${g[k]} vs finite difference ${fd}`);
  }
  assertTranslationallyInvariant(g);
});

test('method-specific gradients refuse results of another method', () => {
  const mol = moleculeOfEntry({ geometry_angstrom: [['H', 0, 0, 0], ['H', 0, 0, 0.74]] });
  const basis = buildMolecularBasis(mol, loadBasisLibrary('sto-3g'));
  const scf = runRhf(mol, basis);
  assert.throws(() => uhfGradient(scf), InputError);
  assert.throws(() => rohfGradient(scf), InputError);
  // The generic entry point takes any method; for H2 along z the force is along the bond and opposite on the two atoms.
  const g = scfGradient(scf);
  assert.ok(Math.abs(g[5] + g[2]) < 1e-12 && Math.abs(g[0]) < 1e-12 && Math.abs(g[1]) < 1e-12 && Math.abs(g[2]) > 1e-3, `${Array.from(g)}`);
});
