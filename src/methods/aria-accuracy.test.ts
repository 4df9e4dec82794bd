/**
 * Noisy labels on the aria-1 preset, through the method layer: LiH (STO-3G, 2 electrons in 3
 * active orbitals, core frozen) with the default compact ansatz and readout + ZNE + symmetry
 * mitigation, over 4 seeds (bench/aria-table.ts runs the full 20-seed table for LiH and H2O).
 * Claims checked: mitigation cuts the error against full CI of the same space at least 3×, the 2σ
 * error bar covers it for every seed, the mitigated error is within 1.6 mEh on average, and the
 * label reports the compiled gate counts, stoppedBy and the compact ansatz in its provenance.
 *
 * The reference is independent of qde's FCI solver and of the circuit: the lowest eigenvalue of the
 * qubit Hamiltonian restricted to the (Nα, Nβ) = (1, 1) sector, built element by element from its
 * Pauli strings and diagonalised densely (Jacobi).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readXyzFile } from '../chem/index.js';
import { popcount32, symmetricEigen } from '../core/index.js';
import { mapHamiltonian } from '../qubits/index.js';
import { buildMolecularHamiltonian, runMethod } from './run-method.js';
import type { VqeMethodResult } from './result.js';

const LIH = new URL('../../examples/lih.xyz', import.meta.url).pathname;
const ACTIVE = { nElectrons: 2, nOrbitals: 3 };
const SHOTS = 1_000_000;
const SEEDS = [1, 2, 3, 4];

/** Lowest eigenvalue of the Pauli sum in the sector of nα α (even) and nβ β (odd) set qubits. */
function sectorGroundEnergy(op: { nQubits: number; x: ArrayLike<number>; z: ArrayLike<number>; coeffRe: ArrayLike<number>; coeffIm: ArrayLike<number> }, nAlpha: number, nBeta: number): number {
  let alpha = 0;
  for (let q = 0; q < op.nQubits; q += 2) alpha |= 1 << q;
  const beta = (2 ** op.nQubits - 1) & ~alpha;
  const states: number[] = [];
  for (let b = 0; b < 2 ** op.nQubits; b++) if (popcount32(b & alpha) === nAlpha && popcount32(b & beta) === nBeta) states.push(b);
  const index = new Map(states.map((b, i) => [b, i]));
  const n = states.length;
  const h = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const b = states[j];
    for (let k = 0; k < op.x.length; k++) {
      const target = index.get(b ^ op.x[k]);
      if (target === undefined) continue;
      // P|b⟩ = i^{#Y} (−1)^{popcount(b & z)} |b ⊕ x⟩ for P = Π X^x Z^z with Y = iXZ
      const nY = popcount32(op.x[k] & op.z[k]) & 3;
      const sign = popcount32(b & op.z[k]) & 1 ? -1 : 1;
      const [pr, pi] = [[1, 0], [0, 1], [-1, 0], [0, -1]][nY];
      // real part of c · i^{#Y} · sign
      h[target * n + j] += sign * (op.coeffRe[k] * pr - op.coeffIm[k] * pi);
    }
  }
  const { values } = symmetricEigen(h, n);
  return values[0];
}

test('aria-1 LiH (2e, 3o): readout + ZNE + symmetry cut the error ≥ 3×, the 2σ bar covers FCI, the error is within 1.6 mEh', async () => {
  const molecule = readXyzFile(LIH);
  const stage = buildMolecularHamiltonian(molecule, { basis: 'sto-3g', active: ACTIVE });
  const reference = sectorGroundEnergy(mapHamiltonian(stage.ham, 'jordan-wigner'), stage.ham.nAlpha, stage.ham.nBeta);
  const raw: number[] = [];
  const mitigated: number[] = [];
  for (const seed of SEEDS) {
    const r = (await runMethod(molecule, {
      method: 'vqe',
      basis: 'sto-3g',
      active: ACTIVE,
      seed,
      backend: { name: 'noisy', device: 'aria-1', shots: SHOTS, mitigation: ['readout', 'zne', 'symmetry'] },
    })) as VqeMethodResult;
    // the label: compact ansatz by default, its budget in the spec, compiled counts and stoppedBy
    assert.equal(r.ansatz, 'compact');
    assert.equal(r.provenance.spec.ansatz, 'compact');
    assert.equal(r.provenance.spec.maxTwoQubitGates, 64);
    assert.equal(r.compiledGates.native, null);
    assert.ok(r.compiledGates.twoQubitGates > 0 && r.compiledGates.twoQubitGates <= 64, `two-qubit gates ${r.compiledGates.twoQubitGates}`);
    assert.equal(r.compiledGates.twoQubitGates, r.circuit.twoQubitGates);
    assert.ok(['gradient-threshold', 'two-qubit-budget'].includes(r.stoppedBy!), `stoppedBy ${r.stoppedBy}`);
    // the compact circuit itself reaches full CI of the space on the exact simulator
    assert.ok(Math.abs(r.exactEnergyHartree! - reference) < 1e-4, `ansatz error ${r.exactEnergyHartree! - reference}`);
    assert.ok(r.rawEnergyHartree !== undefined);
    const error = r.energyHartree - reference;
    raw.push(Math.abs(r.rawEnergyHartree! - reference));
    mitigated.push(Math.abs(error));
    assert.ok(Math.abs(error) <= 2 * r.standardErrorHartree, `seed ${seed}: error ${error} vs bar ${r.standardErrorHartree}`);
  }
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  assert.ok(mean(raw) >= 3 * mean(mitigated), `raw ${mean(raw)} vs mitigated ${mean(mitigated)}`);
  assert.ok(mean(mitigated) <= 1.6e-3, `mean |mitigated error| ${mean(mitigated)}`);
});

test('an ansatz or pool chosen by the user is kept on a noisy backend; the exact state vector keeps uccsd', async () => {
  const { resolveMethodSpec } = await import('./spec.js');
  const input = { kind: 'molecule' as const, charge: 0, multiplicity: 1 };
  const noisy = { name: 'noisy' as const, device: 'aria-1', shots: 1000 };
  assert.equal(resolveMethodSpec({ method: 'vqe', basis: 'sto-3g', backend: noisy }, input).ansatz, 'compact');
  assert.equal(resolveMethodSpec({ method: 'vqe', basis: 'sto-3g', backend: noisy, ansatz: 'uccsd' }, input).ansatz, 'uccsd');
  assert.equal(resolveMethodSpec({ method: 'vqe', basis: 'sto-3g' }, input).ansatz, 'uccsd');
  assert.equal(resolveMethodSpec({ method: 'vqe', basis: 'sto-3g' }, input).maxTwoQubitGates, undefined);
  assert.equal(resolveMethodSpec({ method: 'adapt-vqe', basis: 'sto-3g', backend: noisy }, input).pool, 'qeb');
  assert.equal(resolveMethodSpec({ method: 'adapt-vqe', basis: 'sto-3g' }, input).pool, 'fermionic-generalized');
  assert.equal(resolveMethodSpec({ method: 'vqe', basis: 'sto-3g', backend: noisy, maxTwoQubitGates: 30 }, input).maxTwoQubitGates, 30);
  assert.throws(() => resolveMethodSpec({ method: 'vqe', basis: 'sto-3g', maxTwoQubitGates: 30 }, input), /compact/);
  assert.throws(() => resolveMethodSpec({ method: 'vqe', basis: 'sto-3g', backend: noisy, layers: 2 }, input), /compact/);
});
