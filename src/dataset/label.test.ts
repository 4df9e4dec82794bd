import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readXyzFile } from '../chem/index.js';
import { type MethodSpec, buildMolecularHamiltonian, runMethod } from '../methods/index.js';
import { runFci } from '../classical/index.js';
import { FCI_GRADIENT_RESIDUAL, type LabelTask, computeLabel } from './label.js';
import { QUANTITY_BITS } from './store.js';

const ALL = QUANTITY_BITS.energy | QUANTITY_BITS.forces | QUANTITY_BITS.dipole;

function task(file: string, spec: MethodSpec, quantities: number, shiftBohr = 0): LabelTask {
  const m = readXyzFile(file);
  return {
    key: 'k',
    atomicNumbers: Array.from(m.atomicNumbers),
    positionsBohr: Array.from(m.positionsBohr, (x) => x + shiftBohr),
    charge: m.charge,
    multiplicity: m.multiplicity,
    spec,
    quantities,
  };
}

/** Five-point central difference of the method's energy (step 5e-3 Bohr): an independent stencil. */
async function fivePointForces(t: LabelTask): Promise<number[]> {
  const h = 5e-3;
  const energyAt = async (i: number, d: number) => {
    const p = Float64Array.from(t.positionsBohr);
    p[i] = p[i]! + d;
    const r = await runMethod({ atomicNumbers: Int32Array.from(t.atomicNumbers), positionsBohr: p, charge: t.charge, multiplicity: t.multiplicity }, t.spec);
    return r.energyHartree;
  };
  const out: number[] = [];
  for (let i = 0; i < t.positionsBohr.length; i++) {
    const [m2, m1, p1, p2] = [await energyAt(i, -2 * h), await energyAt(i, -h), await energyAt(i, h), await energyAt(i, 2 * h)];
    out.push(-(m2 - 8 * m1 + 8 * p1 - p2) / (12 * h));
  }
  return out;
}

test('HF forces (analytic) match a five-point difference of the method layer energy on H2O', async () => {
  const t = task('examples/h2o.xyz', { method: 'hf', basis: 'sto-3g' }, ALL);
  const o = await computeLabel(t);
  assert.ok(o.ok, o.ok ? '' : o.message);
  assert.equal(o.forcesMethod, 'analytic');
  const reference = await fivePointForces(t);
  o.forcesHartreePerBohr!.forEach((f, i) => assert.ok(Math.abs(f - reference[i]!) < 1e-6, `component ${i}: ${f} vs ${reference[i]}`));
  // the label is the method layer's record for this geometry and spec
  const direct = await runMethod(
    { atomicNumbers: Int32Array.from(t.atomicNumbers), positionsBohr: Float64Array.from(t.positionsBohr), charge: 0, multiplicity: 1 },
    t.spec,
  );
  assert.equal(o.result.energyHartree, direct.energyHartree);
});

test('FCI forces match a five-point difference: analytic over every orbital (H2, LiH), by differences with a frozen core', async () => {
  const cases = [
    { file: 'examples/h2.xyz', spec: { method: 'fci', basis: 'sto-3g' } as MethodSpec, how: 'analytic' },
    { file: 'examples/lih.xyz', spec: { method: 'fci', basis: 'sto-3g' } as MethodSpec, how: 'analytic' },
    { file: 'examples/lih.xyz', spec: { method: 'fci', basis: 'sto-3g', frozenCore: true } as MethodSpec, how: 'finite-difference' },
  ];
  for (const { file, spec, how } of cases) {
    const t = task(file, spec, QUANTITY_BITS.energy | QUANTITY_BITS.forces);
    const o = await computeLabel(t);
    assert.ok(o.ok, o.ok ? '' : o.message);
    assert.equal(o.forcesMethod, how, `${file} ${JSON.stringify(spec)}`);
    const reference = await fivePointForces(t);
    o.forcesHartreePerBohr!.forEach((f, i) => assert.ok(Math.abs(f - reference[i]!) < 1e-6, `${file} component ${i}: ${f} vs ${reference[i]}`));
    // Newton's third law: the forces sum to zero
    const sumZ = o.forcesHartreePerBohr!.filter((_, i) => i % 3 === 2).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sumZ) < 1e-7, `${file}: net force ${sumZ}`);
  }
});

test('the SCF dipole of neutral H2O lies on its C2 axis and does not depend on where the molecule sits', async () => {
  const here = await computeLabel(task('examples/h2o.xyz', { method: 'mp2', basis: 'sto-3g' }, QUANTITY_BITS.energy | QUANTITY_BITS.dipole));
  const moved = await computeLabel(task('examples/h2o.xyz', { method: 'mp2', basis: 'sto-3g' }, QUANTITY_BITS.energy | QUANTITY_BITS.dipole, 3.7));
  assert.ok(here.ok && moved.ok);
  const [x, y, z] = here.dipoleAu!;
  // the molecule lies in the yz plane with its C2 axis along z
  assert.ok(Math.abs(x!) < 1e-10 && Math.abs(y!) < 1e-8, `${here.dipoleAu}`);
  assert.ok(Math.abs(z!) > 0.1);
  here.dipoleAu!.forEach((d, i) => assert.ok(Math.abs(d - moved.dipoleAu![i]!) < 1e-8));
  assert.equal(here.forcesHartreePerBohr, null);
});

test('a calculation that fails is returned with its error class and message, not thrown', async () => {
  const o = await computeLabel(task('examples/h2o.xyz', { method: 'hf', basis: 'sto-3g', scfMaxIterations: 2 }, QUANTITY_BITS.energy));
  assert.equal(o.ok, false);
  assert.ok(!o.ok);
  assert.equal(o.errorClass, 'ConvergenceError');
  assert.match(o.message, /did not converge in 2 iterations/);
});

test('an FCI dipole label comes from the FCI density: Psi4 FCI values for H2O/STO-3G and LiH/6-31G with frozen core', async () => {
  // Psi4 1.3.2: energy('fci') + oeprop(wfn, 'DIPOLE') on the geometries of examples/*.xyz (no_com,
  // no_reorient, symmetry c1, scf_type pk, freeze_core true for LiH), 'FCI DIPOLE Z' in Debye divided
  // by psi4.constants.dipmom_au2debye; the SCF dipoles of the same runs differ by 0.04 (H2O) and
  // 0.17 e·Bohr (LiH), so an SCF dipole cannot pass
  const cases = [
    { file: 'examples/h2o.xyz', spec: { method: 'fci', basis: 'sto-3g' } as MethodSpec, z: -0.6357675558112015 },
    { file: 'examples/lih.xyz', spec: { method: 'fci', basis: '6-31g', frozenCore: true } as MethodSpec, z: -2.16646266304309 },
  ];
  for (const c of cases) {
    for (const shift of [0, 2.5]) {
      const o = await computeLabel(task(c.file, c.spec, QUANTITY_BITS.energy | QUANTITY_BITS.dipole, shift));
      assert.ok(o.ok, o.ok ? '' : o.message);
      const [x, y, z] = o.dipoleAu!;
      assert.ok(Math.abs(x!) < 1e-9 && Math.abs(y!) < 1e-9, `${c.file}: ${o.dipoleAu}`);
      assert.ok(Math.abs(z! - c.z) < 1e-6, `${c.file} shifted ${shift}: ${z} vs Psi4 ${c.z}`);
    }
  }
});

test('FCI forces fall back to differences where the FCI vector mixes spin states: four H atoms 15 Bohr apart', async () => {
  // Every spin state of four far-apart H atoms lies within 1e-10 Hartree of the others; the solve
  // returns a mixture of them (the premise is asserted), whose Hellmann–Feynman gradient belongs to no state.
  const d = 15;
  const positionsBohr = [0, 0, 0, d, 0.3, 0.1, 2 * d + 0.2, -0.4, 0.3, 3 * d - 0.1, 0.5, -0.2];
  const spec: MethodSpec = { method: 'fci', basis: 'sto-3g' };
  const stage = buildMolecularHamiltonian({ atomicNumbers: Int32Array.from([1, 1, 1, 1]), positionsBohr: Float64Array.from(positionsBohr), charge: 0, multiplicity: 1 }, spec);
  const s2 = runFci(stage.ham, { roots: 1, residualTolerance: FCI_GRADIENT_RESIDUAL }).s2[0]!;
  const nearestPure = Math.min(...[0, 2, 6].map((pure) => Math.abs(s2 - pure)));
  assert.ok(nearestPure > 1e-4, `premise: a mixed spin state, ⟨S²⟩ = ${s2}`);
  const o = await computeLabel({ key: 'k', atomicNumbers: [1, 1, 1, 1], positionsBohr, charge: 0, multiplicity: 1, spec, quantities: QUANTITY_BITS.energy | QUANTITY_BITS.forces });
  assert.ok(o.ok, o.ok ? '' : o.message);
  assert.equal(o.forcesMethod, 'finite-difference');
  // the atoms barely interact: the lowest energy is flat
  o.forcesHartreePerBohr!.forEach((f, i) => assert.ok(Math.abs(f) < 1e-8, `component ${i}: ${f}`));
});
