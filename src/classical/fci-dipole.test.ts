import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readXyzFile } from '../chem/index.js';
import { buildMolecularBasis, loadBasisLibrary } from '../basis/index.js';
import { dipoleMatrices } from '../integrals/index.js';
import { runRhf } from '../scf/index.js';
import { type MolecularHamiltonian, molecularHamiltonianFromScf } from '../hamiltonian/index.js';
import { runFci } from './fci.js';
import { fciRdms, fciOneRdm } from './fci-rdm.js';
import { fciAoDensity, fciDipole } from './fci-dipole.js';

/**
 * Psi4 1.3.2 (Debian package, /usr/bin/python3) references, made with the geometries of
 * examples/h2o.xyz and examples/lih.xyz in Ångström (`units angstrom`, `no_com`, `no_reorient`,
 * `symmetry c1`), `scf_type pk`, e/d_convergence 1e-12, `r_convergence` 1e-9, `opdm true`:
 *   e, wfn = psi4.energy('fci', return_wfn=True)        # 'detci' for the CASCI
 *   psi4.oeprop(wfn, 'DIPOLE', title='CI')
 * and the variables 'FCI DIPOLE X/Y/Z' ('DETCI DIPOLE …' for the CASCI), which Psi4 1.3 stores in
 * Debye, divided by psi4.constants.dipmom_au2debye (2.541746451895026). Options per case:
 * freeze_core true for the frozen-core rows; restricted_docc [3], active [4] for the CASCI (4e, 4o).
 * STO-3G is spherical (puream true), 6-31G cartesian (puream false), as the basis files say.
 * x and y vanish by symmetry (Psi4: |x|, |y| < 1e-14); z in e·Bohr.
 */
const PSI4 = [
  { name: 'H2O/STO-3G FCI', file: 'examples/h2o.xyz', basis: 'sto-3g', options: {}, energy: -75.01258586085825, dipoleZ: -0.6357675558112015 },
  { name: 'LiH/6-31G FCI', file: 'examples/lih.xyz', basis: '6-31g', options: {}, energy: -7.998274424916177, dipoleZ: -2.1649768114806864 },
  { name: 'LiH/6-31G FCI, frozen core', file: 'examples/lih.xyz', basis: '6-31g', options: { frozenCore: true }, energy: -7.998000321958589, dipoleZ: -2.16646266304309 },
  { name: 'H2O/STO-3G FCI, frozen core', file: 'examples/h2o.xyz', basis: 'sto-3g', options: { frozenCore: true }, energy: -75.01250777688111, dipoleZ: -0.635826774870726 },
  {
    name: 'H2O/6-31G CASCI (4e, 4o)',
    file: 'examples/h2o.xyz',
    basis: '6-31g',
    options: { active: { nElectrons: 4, nOrbitals: 4 } },
    energy: -75.98508959951252,
    dipoleZ: -1.023687338015593,
  },
] as const;

function setUp(file: string, basisName: string, options: Parameters<typeof molecularHamiltonianFromScf>[1] = {}) {
  const molecule = readXyzFile(file);
  const basis = buildMolecularBasis(molecule, loadBasisLibrary(basisName));
  const scf = runRhf(molecule, basis);
  const ham = molecularHamiltonianFromScf(scf, options);
  return { molecule, basis, scf, ham };
}

for (const c of PSI4) {
  test(`FCI dipole from the 1-RDM matches Psi4 to 1e-6 e·Bohr: ${c.name}`, () => {
    const { scf, ham } = setUp(c.file, c.basis, c.options);
    // converged past the default residual (1e-6, which leaves ~3e-7 e·Bohr in LiH/6-31G's dipole)
    const fci = runFci(ham, { residualTolerance: 1e-9 });
    assert.ok(Math.abs(fci.energyHartree - c.energy) < 1e-8, `${c.name}: energy ${fci.energyHartree} vs Psi4 ${c.energy}`);
    const mu = fciDipole(scf, ham, fci);
    assert.ok(Math.abs(mu.totalAu[0]!) < 1e-9 && Math.abs(mu.totalAu[1]!) < 1e-9, `${c.name}: ${mu.totalAu}`);
    assert.ok(Math.abs(mu.totalAu[2]! - c.dipoleZ) < 1e-6, `${c.name}: z ${mu.totalAu[2]} vs Psi4 ${c.dipoleZ} (${mu.totalAu[2]! - c.dipoleZ})`);
  });
}

test('the AO density of the FCI holds the electrons: Tr(D S) = N, and the 1-RDM alone equals the one of fciRdms', () => {
  const { scf, ham } = setUp('examples/lih.xyz', '6-31g', { frozenCore: true });
  const fci = runFci(ham);
  const n = scf.nBasis;
  const d = fciAoDensity(scf, ham, fci);
  // N = Tr(D S) for the AO overlap S (4 electrons in LiH, the frozen 1s pair included)
  const overlap = scf.overlap;
  let trace = 0;
  for (let i = 0; i < n * n; i++) trace += d[i]! * overlap[i]!;
  assert.ok(Math.abs(trace - 4) < 1e-10, `Tr(DS) = ${trace}`);
  const g = fciOneRdm(ham, fci);
  const ref = fciRdms(ham, fci).oneRdm;
  g.forEach((v, i) => assert.ok(Math.abs(v - ref[i]!) < 1e-12, `γ[${i}]`));
});

/**
 * The field-perturbed Hamiltonian H(F) = H − F·μ̂ in the fixed MO basis: electrons have charge −1,
 * so h_pq gains +F (C^T M C)_pq and the constant −F·μ_nuc. Full CI in the whole orbital space does
 * not depend on the orbitals, so E(F) is the exact energy in the field and μ = −dE/dF.
 */
function withField(ham: MolecularHamiltonian, scf: ReturnType<typeof runRhf>, axis: 0 | 1 | 2, field: number): MolecularHamiltonian {
  const n = scf.nBasis;
  const m = ham.nOrbitals;
  const ints = dipoleMatrices(scf.basis);
  const M = [ints.x, ints.y, ints.z][axis]!;
  const C = scf.coefficientsAlpha;
  const oneBody = Float64Array.from(ham.oneBody);
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < m; q++) {
      let s = 0;
      for (let mu = 0; mu < n; mu++) for (let nu = 0; nu < n; nu++) s += C[mu * scf.nOrbitals + p]! * M[mu * n + nu]! * C[nu * scf.nOrbitals + q]!;
      oneBody[p * m + q] += field * s;
    }
  }
  let nuclear = 0;
  for (let a = 0; a < scf.molecule.atomicNumbers.length; a++) nuclear += scf.molecule.atomicNumbers[a]! * scf.molecule.positionsBohr[3 * a + axis]!;
  const { orbitalSymmetries: _dropped, ...rest } = ham;
  return { ...rest, oneBody, constantHartree: ham.constantHartree - field * nuclear };
}

test('finite field: the FCI dipole equals −dE/dF by Richardson-combined central differences (H2O/STO-3G, LiH/6-31G)', () => {
  for (const [file, basis] of [['examples/h2o.xyz', 'sto-3g'], ['examples/lih.xyz', '6-31g']] as const) {
    const { scf, ham } = setUp(file, basis);
    const mu = fciDipole(scf, ham, runFci(ham));
    // central differences at F and 2F, Richardson-combined: the F² error (first hyperpolarizability,
    // about 10³ au for LiH) cancels, leaving O(F⁴)
    const f = 1e-4;
    const slope = (axis: 1 | 2, h: number) =>
      (runFci(withField(ham, scf, axis, h), { symmetry: false }).energyHartree - runFci(withField(ham, scf, axis, -h), { symmetry: false }).energyHartree) / (2 * h);
    for (const axis of [1, 2] as const) {
      const numeric = -(4 * slope(axis, f) - slope(axis, 2 * f)) / 3;
      assert.ok(Math.abs(numeric - mu.totalAu[axis]!) < 1e-6, `${file} axis ${axis}: −dE/dF ${numeric} vs ${mu.totalAu[axis]}`);
    }
  }
});
