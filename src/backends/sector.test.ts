/**
 * Sector simulation against the full register: the restricted Hamiltonian product equals the qubit
 * stage's applyPauliSum on sector vectors, sector sizes are the binomial counts, and operators or
 * circuits that leave the sector are detected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { InputError } from '../core/errors.js';
import { readFcidump } from '../hamiltonian/fcidump.js';
import { mapHamiltonian } from '../qubits/mappings.js';
import { PauliSum } from '../qubits/pauli-sum.js';
import { applyPauliSum, applySectorOperator, particleSector, sectorOperator } from '../qubits/index.js';
import { compileSectorCircuit } from './sector.js';

const FIXTURES = new URL('../../test/fixtures/algorithms/', import.meta.url);

test('particle sectors have C(n,Nα)·C(n,Nβ) states for every mapping', () => {
  for (const mapping of ['jordan-wigner', 'bravyi-kitaev', 'parity'] as const) {
    assert.equal(particleSector(12, 2, 2, mapping).states.length, 225);
    assert.equal(particleSector(14, 5, 5, mapping).states.length, 441);
    assert.equal(particleSector(8, 3, 1, mapping).states.length, 16);
  }
});

test('the sector-restricted LiH Hamiltonian acts like applyPauliSum on sector vectors (JW, BK, parity)', () => {
  const ham = readFcidump(new URL('lih_r1.5949.fcidump', FIXTURES).pathname);
  const rng = new Random(17);
  for (const mapping of ['jordan-wigner', 'bravyi-kitaev', 'parity'] as const) {
    const op = mapHamiltonian(ham, mapping);
    const space = particleSector(12, ham.nAlpha, ham.nBeta, mapping);
    const h = sectorOperator(op, space);
    const d = space.states.length;
    const vRe = Float64Array.from({ length: d }, () => rng.normal());
    const vIm = Float64Array.from({ length: d }, () => rng.normal());
    const outRe = new Float64Array(d);
    const outIm = new Float64Array(d);
    applySectorOperator(h, vRe, vIm, outRe, outIm);
    const fullRe = new Float64Array(4096);
    const fullIm = new Float64Array(4096);
    for (let k = 0; k < d; k++) {
      fullRe[space.states[k]] = vRe[k];
      fullIm[space.states[k]] = vIm[k];
    }
    const hRe = new Float64Array(4096);
    const hIm = new Float64Array(4096);
    applyPauliSum(op, fullRe, fullIm, hRe, hIm);
    let diff = 0;
    let outside = 0;
    for (let b = 0; b < 4096; b++) {
      const k = space.position[b];
      if (k < 0) outside = Math.max(outside, Math.abs(hRe[b]), Math.abs(hIm[b]));
      else diff = Math.max(diff, Math.abs(hRe[b] - outRe[k]), Math.abs(hIm[b] - outIm[k]));
    }
    assert.ok(diff < 1e-12, `${mapping}: ${diff}`);
    assert.ok(outside < 1e-12, `${mapping}: H leaks ${outside} out of the sector`);
  }
});

test('operators and circuits that leave the sector are detected', () => {
  const space = particleSector(4, 1, 1, 'jordan-wigner');
  assert.throws(() => sectorOperator(PauliSum.fromLabel(4, 'X0'), space), InputError);
  // An RY on one qubit changes the electron number: no sector compilation.
  const circuit = {
    nQubits: 4,
    nParameters: 1,
    gates: [
      { kind: 'x' as const, qubits: [0], angle: 0, parameter: -1, factor: 0 },
      { kind: 'x' as const, qubits: [1], angle: 0, parameter: -1, factor: 0 },
      { kind: 'ry' as const, qubits: [2], angle: 0, parameter: 0, factor: 1 },
    ],
  };
  assert.equal(compileSectorCircuit(circuit, space), null);
});
