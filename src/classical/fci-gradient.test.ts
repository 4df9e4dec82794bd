import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMolecule } from '../chem/index.js';
import { buildMolecularBasis, loadBasisLibrary } from '../basis/index.js';
import { InputError } from '../core/index.js';
import { runRhf, runRohf } from '../scf/index.js';
import { molecularHamiltonianFromScf } from '../hamiltonian/index.js';
import { runFci } from './fci.js';
import { fciGradient, fciGradientApplies } from './fci-gradient.js';

/**
 * Psi4 1.3.2 (Debian package) FCI gradients by its own five-point finite differences of FCI
 * energies (`psi4.gradient('fci')` with `points 5`), geometries in Bohr (`units bohr`, `no_com`,
 * `no_reorient`, `symmetry c1`), STO-3G (`puream true`), `scf_type pk`, e/d_convergence 1e-12,
 * r_convergence 1e-10; H₃ with `reference rohf`. dE/dX in Hartree/Bohr, atom by atom.
 */
const PSI4 = [
  {
    name: 'bent H4',
    z: [1, 1, 1, 1],
    pos: [0, 0, 0, 1.45, 0.12, 0, 2.9, -0.2, 0.31, 4.7, 0.35, 0.05],
    multiplicity: 1,
    energy: -2.1393055943889077,
    grad: [
      0.024910637835827087, -0.0037846339411522615, 0.00421900636087322, 0.14797230880549586, -0.016632221296133665, 0.02048656887472508,
      -0.2445106266765913, -0.01104777314915091, -0.007885426928322644, 0.07162768003526833, 0.03146462838643683, -0.016820148307275656,
    ],
  },
  {
    name: 'LiH (p shells)',
    z: [3, 1],
    pos: [0, 0, 0, 0.3, 0.2, 3.1],
    multiplicity: 1,
    energy: -7.881133916695482,
    grad: [-0.0015063240493764691, -0.0010042160329177933, -0.01556534851022542, 0.0015063240493766567, 0.0010042160329177847, 0.01556534851022542],
  },
  {
    name: 'H2O off equilibrium',
    z: [8, 1, 1],
    pos: [0, 0, 0, 1.5, 0.1, 1.2, -1.6, 0.2, 1.0],
    multiplicity: 1,
    energy: -75.01709939409128,
    grad: [
      -0.015065544054583258, 0.008030669616539546, 0.055121117219403125, 0.015851330269437636, -0.003684224387900447, -0.02256708949760458,
      -0.00078578621485436, -0.004346445228639744, -0.032554027721798544,
    ],
  },
  {
    name: 'doublet H3 on ROHF orbitals',
    z: [1, 1, 1],
    pos: [0, 0, 0, 1.6, 0.2, 0, 2.7, 1.5, 0.3],
    multiplicity: 2,
    energy: -1.556102765135215,
    grad: [
      0.03061616738718963, 0.026841545930303072, 0.005939232259846283, 0.012468265673588115, -0.009399252323062934, -0.0028278156212287616,
      -0.043084433060777735, -0.017442293607240103, -0.0031114166386175205,
    ],
  },
] as const;

for (const c of PSI4) {
  test(`analytic FCI gradient matches Psi4's finite differences to 1e-8 Hartree/Bohr: ${c.name}`, () => {
    const molecule = createMolecule({ atomicNumbers: [...c.z], positionsBohr: [...c.pos], multiplicity: c.multiplicity });
    const basis = buildMolecularBasis(molecule, loadBasisLibrary('sto-3g'));
    const scfOptions = { energyConvergence: 1e-12, densityConvergence: 1e-10 };
    const scf = c.multiplicity === 1 ? runRhf(molecule, basis, scfOptions) : runRohf(molecule, basis, scfOptions);
    const ham = molecularHamiltonianFromScf(scf);
    assert.ok(fciGradientApplies(scf, ham));
    const fci = runFci(ham, { residualTolerance: 1e-10 });
    assert.ok(Math.abs(fci.energyHartree - c.energy) < 1e-9, `${c.name}: energy ${fci.energyHartree} vs Psi4 ${c.energy}`);
    const g = fciGradient(scf, ham, fci);
    assert.equal(g.length, c.grad.length);
    g.forEach((v, i) => assert.ok(Math.abs(v - c.grad[i]!) < 1e-8, `${c.name} component ${i}: ${v} vs Psi4 ${c.grad[i]} (${v - c.grad[i]!})`));
    // no net force: the gradient of a translation-invariant energy sums to zero
    for (let k = 0; k < 3; k++) {
      const net = g.filter((_, i) => i % 3 === k).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(net) < 1e-10, `${c.name}: net ${net}`);
    }
  });
}

test('the analytic FCI gradient refuses a frozen core (it would need the orbital response), naming why', () => {
  const molecule = createMolecule({ atomicNumbers: [3, 1], positionsBohr: [0, 0, 0, 0, 0, 3.0] });
  const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary('sto-3g')));
  const ham = molecularHamiltonianFromScf(scf, { frozenCore: true });
  assert.equal(fciGradientApplies(scf, ham), false);
  const fci = runFci(ham);
  assert.throws(() => fciGradient(scf, ham, fci), (e: unknown) => e instanceof InputError && /frozen core or active window/.test(e.message));
});
