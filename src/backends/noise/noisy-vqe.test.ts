/**
 * H2 (STO-3G, 0.74 Å) through `createEstimator({ name: 'noisy', ... })`: the UCCSD circuit at its
 * variational optimum (found here with the exact simulator by a golden-section search on the
 * double-excitation amplitude) reaches the Psi4 full-CI energy exactly; on the noiseless preset the
 * noisy backend's estimate is within shot noise of it, and on aria-1 it lies above it by more than
 * the shot noise but below the energy of the maximally mixed state (the limit of complete
 * depolarisation). Reference: test/fixtures/algorithms/references.json (Psi4 1.3.2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { uccsdAnsatz } from '../../circuits/fermionic.js';
import type { Circuit } from '../../circuits/circuit.js';
import { readFcidump } from '../../hamiltonian/fcidump.js';
import { hartreeFockModes, mapHamiltonian } from '../../qubits/mappings.js';
import type { PauliSumData } from '../../qubits/pauli-layout.js';
import { createEstimator } from '../factory.js';
import { estimate, type Estimator } from '../primitives.js';
import { StateVectorSimulator } from '../statevector-simulator.js';

const FIXTURES = new URL('../../../test/fixtures/algorithms/', import.meta.url);
const FCI = (JSON.parse(readFileSync(new URL('references.json', FIXTURES), 'utf8')).entries as Record<string, { fci: number }>)['h2_r0.74'].fci;

async function energy(estimator: Estimator, circuit: Circuit, op: PauliSumData, x: Float64Array) {
  const [r] = await estimate(estimator, [{ circuit, observable: op, parameterSets: [x] }]);
  return r.estimates[0];
}

test('H2 VQE energy on the noisy backend: noiseless within shot noise of full CI, aria-1 above it by a plausible amount', async () => {
  const ham = readFcidump(new URL('h2_r0.74.fcidump', FIXTURES).pathname);
  const op = mapHamiltonian(ham, 'jordan-wigner');
  assert.ok(hartreeFockModes(ham.nAlpha, ham.nBeta).length === 2);
  const circuit = uccsdAnsatz({ nSpatialOrbitals: ham.nOrbitals, nAlpha: ham.nAlpha, nBeta: ham.nBeta, mapping: 'jordan-wigner' });
  const exact = new StateVectorSimulator();
  const x = new Float64Array(circuit.nParameters);
  const last = circuit.nParameters - 1;
  const at = async (t: number) => {
    x[last] = t;
    return (await energy(exact, circuit, op, x)).value;
  };
  // Golden-section search on the double excitation (the singles vanish by symmetry).
  let lo = -1;
  let hi = 1;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 80; it++) {
    const a = hi - phi * (hi - lo);
    const b = lo + phi * (hi - lo);
    if ((await at(a)) < (await at(b))) hi = b;
    else lo = a;
  }
  const best = await at((lo + hi) / 2);
  assert.ok(Math.abs(best - FCI) < 1e-8, `exact VQE ${best} vs FCI ${FCI}`);

  let identity = 0;
  for (let k = 0; k < op.x.length; k++) if ((op.x[k] | op.z[k]) === 0) identity += op.coeffRe[k];
  const shots = 40000;
  const noiseless = createEstimator({ name: 'noisy', device: 'noiseless', shots, seed: 3 });
  assert.equal(noiseless.info.name, 'noisy');
  assert.equal(noiseless.info.noiseModel, 'noiseless');
  const e0 = await energy(noiseless, circuit, op, x);
  assert.ok(Math.abs(e0.value - FCI) < 4 * e0.standardError, `noiseless ${e0.value} ± ${e0.standardError} vs ${FCI}`);

  const aria = createEstimator({ name: 'noisy', device: 'aria-1', shots, seed: 3 });
  assert.deepEqual([aria.info.device, aria.info.noiseModel, aria.info.shots], ['aria-1', 'aria-1', shots]);
  const e1 = await energy(aria, circuit, op, x);
  const error = e1.value - FCI;
  assert.ok(error > 4 * e1.standardError && error > 1e-3, `aria-1 error ${error} ± ${e1.standardError}`);
  assert.ok(e1.value < identity, `aria-1 ${e1.value} must stay below the maximally mixed energy ${identity}`);
});
