// Orbital symmetry of degenerate pairs: N₂/cc-pVDZ gets all 8 irreps of D2h and H₂O/cc-pVDZ the 4 of
// C2v, each orbital labelled as Psi4 labels it (test/fixtures/classical/psi4-orbital-irreps.json,
// made by make-orbital-irreps.py beside it with Psi4 1.3.2); FCI on the rotated orbitals gives the
// energy and the 1-RDM of the unblocked solve over the Hamiltonian's own orbitals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createMolecule } from '../chem/molecule.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { loadBasisLibrary } from '../basis/library.js';
import { runRhf } from '../scf/scf.js';
import { molecularHamiltonianFromScf } from '../hamiltonian/mo-hamiltonian.js';
import { fciRdms, runFci } from './fci.js';
import { adaptedGrading, chooseGrading } from './fci-sigma.js';
import { degeneratePairs } from './fci-orbital-alignment.js';

interface Psi4Orbitals {
  pointGroup: string;
  orbitalEnergiesHartree: number[];
  irreps: number[];
}
const reference = JSON.parse(
  readFileSync(new URL('../../test/fixtures/classical/psi4-orbital-irreps.json', import.meta.url), 'utf8'),
) as Record<'n2' | 'h2o', Psi4Orbitals>;

/**
 * Whether an invertible GF(2)-linear map φ of the label bits exists with {φ(qde labels)} = {Psi4
 * irreps} as multisets on every degenerate level (Psi4 orbital energies within 1e-5 Hartree): qde's
 * labels are an arbitrary basis of the same group, and inside a degenerate pair which orbital is "x"
 * depends on the axes.
 */
function labelsMatch(labels: Int32Array, ref: Psi4Orbitals, bits: number): boolean {
  const levels: number[][] = [];
  ref.orbitalEnergiesHartree.forEach((e, p) => {
    const last = levels[levels.length - 1];
    if (last && Math.abs(ref.orbitalEnergiesHartree[last[0]] - e) < 1e-5) last.push(p);
    else levels.push([p]);
  });
  const size = 1 << bits;
  const images = new Int32Array(bits);
  const tryAll = (b: number): boolean => {
    if (b === bits) {
      const phi = (l: number): number => {
        let out = 0;
        for (let k = 0; k < bits; k++) if ((l >> k) & 1) out ^= images[k];
        return out;
      };
      const seen = new Set<number>();
      for (let l = 0; l < size; l++) seen.add(phi(l));
      if (seen.size !== size) return false;
      return levels.every((lv) => {
        const a = lv.map((p) => phi(labels[p])).sort();
        const r = lv.map((p) => ref.irreps[p]).sort();
        return a.every((x, i) => x === r[i]);
      });
    }
    for (let v = 1; v < size; v++) {
      images[b] = v;
      if (tryAll(b + 1)) return true;
    }
    return false;
  };
  return tryAll(0);
}

function rhf(symbols: string[], positions: number[]) {
  const molecule = createMolecule({ symbols, positionsAngstrom: positions });
  return runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary('cc-pvdz')));
}

test('N2/cc-pVDZ: degenerate π and δ pairs rotated, all 8 D2h irreps detected, labels as Psi4', () => {
  const scf = rhf(['N', 'N'], [0, 0, 0, 0, 0, 1.0977]);
  const ref = reference.n2;
  assert.equal(ref.pointGroup, 'd2h');
  const eps = scf.orbitalEnergiesAlpha;
  assert.equal(eps.length, ref.irreps.length);
  for (let p = 0; p < eps.length; p++) assert.ok(Math.abs(eps[p] - ref.orbitalEnergiesHartree[p]) < 1e-5, `orbital ${p} energy`);
  const ham = molecularHamiltonianFromScf(scf, { frozenCore: false });
  const plain = chooseGrading(ham, ham.oneBody, ham.twoBody, true, 1e-12);
  assert.ok(plain.irreps < 8, 'mixed degenerate pairs hide part of the symmetry');
  // Psi4's degenerate levels are exactly the pairs found from the integrals.
  const pairs = degeneratePairs(ham.oneBody, ham.twoBody, ham.nOrbitals, ham.nAlpha, ham.nBeta);
  const refPairs = ref.orbitalEnergiesHartree.flatMap((e, p) => (p > 0 && Math.abs(e - ref.orbitalEnergiesHartree[p - 1]) < 1e-5 ? [[p - 1, p]] : []));
  assert.deepEqual(pairs.map((x) => x.join('/')).sort(), refPairs.map((x) => x.join('/')).sort());
  const adapted = adaptedGrading(ham, ham.oneBody, ham.twoBody, true, 1e-12);
  assert.equal(adapted.grading.irreps, 8);
  assert.equal(adapted.rotations.length, pairs.length);
  assert.ok(labelsMatch(adapted.grading.labels, ref, 3), `labels ${Array.from(adapted.grading.labels)} vs Psi4 ${ref.irreps}`);
  // A wrong labelling is caught: swap the labels of two orbitals of different irreps.
  const wrong = Int32Array.from(adapted.grading.labels);
  [wrong[2], wrong[3]] = [wrong[3], wrong[2]];
  assert.ok(!labelsMatch(wrong, ref, 3));

  // Active (6e, 8o): FCI over the rotated orbitals equals the unblocked solve; the vector is rotated back.
  const active = molecularHamiltonianFromScf(scf, { active: { nElectrons: 6, nOrbitals: 8 } });
  const tight = { residualTolerance: 1e-9, energyToleranceHartree: 1e-12 };
  const blocked = runFci(active, tight);
  const whole = runFci(active, { ...tight, symmetry: false });
  assert.equal(blocked.orbitalSymmetry.irreps, 8);
  assert.ok(blocked.orbitalSymmetry.rotations.length >= 2);
  assert.ok(blocked.largestSectorDeterminants * 4 < whole.determinants);
  assert.ok(Math.abs(blocked.energyHartree - whole.energyHartree) < 1e-9, `${blocked.energyHartree} vs ${whole.energyHartree}`);
  const a = fciRdms(active, blocked, 0).oneRdm;
  const b = fciRdms(active, whole, 0).oneRdm;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
  assert.ok(diff < 1e-7, `1-RDM differs by ${diff}`);
  // Trace of the 1-RDM over the Hamiltonian's orbitals: the number of electrons.
  let trace = 0;
  for (let p = 0; p < active.nOrbitals; p++) trace += a[p * active.nOrbitals + p];
  assert.ok(Math.abs(trace - 6) < 1e-9);
});

test('H2O/cc-pVDZ: no degenerate pair, the 4 C2v irreps detected as Psi4 labels them', () => {
  const scf = rhf(['O', 'H', 'H'], [0, 0, 0.06563663, 0, 0.75720784, -0.52089311, 0, -0.75720784, -0.52089311]);
  const ref = reference.h2o;
  const ham = molecularHamiltonianFromScf(scf, { frozenCore: false });
  const adapted = adaptedGrading(ham, ham.oneBody, ham.twoBody, true, 1e-12);
  assert.equal(adapted.rotations.length, 0);
  assert.equal(adapted.grading.irreps, 4);
  assert.ok(labelsMatch(adapted.grading.labels, ref, 2), `labels ${Array.from(adapted.grading.labels)} vs Psi4 ${ref.irreps}`);
});
