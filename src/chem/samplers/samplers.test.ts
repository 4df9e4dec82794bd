import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANGSTROM_IN_BOHR, InputError } from '../../core/index.js';
import { createMolecule, type Molecule } from '../molecule.js';
import { bondAngle, moleculeFromSmiles, normalModes, sampleGeometries } from './index.js';

const water = createMolecule({
  symbols: ['O', 'H', 'H'],
  positionsAngstrom: [0, 0, 0.1173, 0, 0.7572, -0.4692, 0, -0.7572, -0.4692],
});
// methanol: C, O, H(O), 3 × H(C)
const methanol = createMolecule({
  symbols: ['C', 'O', 'H', 'H', 'H', 'H'],
  positionsAngstrom: [
    -0.0467, 0.6631, 0, -0.0467, -0.7568, 0, 0.8653, -1.0662, 0,
    -1.0893, 0.9766, 0, 0.4378, 1.0857, 0.8925, 0.4378, 1.0857, -0.8925,
  ],
});

function dist(m: Molecule, i: number, j: number): number {
  const p = m.positionsBohr;
  return Math.hypot(p[3 * i]! - p[3 * j]!, p[3 * i + 1]! - p[3 * j + 1]!, p[3 * i + 2]! - p[3 * j + 2]!);
}
const deg = (rad: number): number => (rad * 180) / Math.PI;

test('bond scan: every requested length exactly; the fragment on j’s side keeps its shape', () => {
  const scan = sampleGeometries(methanol, { kind: 'scan', coordinate: 'bond', atoms: [0, 1], fromAngstrom: 1.2, toAngstrom: 1.7, steps: 6 }, 0);
  assert.equal(scan.length, 6);
  scan.forEach((m, s) => {
    assert.ok(Math.abs(dist(m, 0, 1) - (1.2 + 0.1 * s) * ANGSTROM_IN_BOHR) < 1e-12);
    // O–H moves with O; the methyl group stays
    assert.ok(Math.abs(dist(m, 1, 2) - dist(methanol, 1, 2)) < 1e-12);
    for (const h of [3, 4, 5]) {
      for (let k = 0; k < 3; k++) assert.equal(m.positionsBohr[3 * h + k], methanol.positionsBohr[3 * h + k]);
    }
  });
  // move: 'atom' moves only j
  const atomOnly = sampleGeometries(methanol, { kind: 'scan', coordinate: 'bond', atoms: [0, 1], fromAngstrom: 1.5, toAngstrom: 1.5, steps: 1, move: 'atom' }, 0)[0]!;
  assert.ok(Math.abs(dist(atomOnly, 0, 1) - 1.5 * ANGSTROM_IN_BOHR) < 1e-12);
  for (let k = 0; k < 3; k++) assert.equal(atomOnly.positionsBohr[6 + k], methanol.positionsBohr[6 + k]);
});

test('angle scan: every requested angle; bond lengths at the vertex unchanged', () => {
  const scan = sampleGeometries(water, { kind: 'scan', coordinate: 'angle', atoms: [1, 0, 2], fromDegrees: 80, toDegrees: 170, steps: 10 }, 0);
  scan.forEach((m, s) => {
    assert.ok(Math.abs(deg(bondAngle(m.positionsBohr, 1, 0, 2)) - (80 + 10 * s)) < 1e-10);
    assert.ok(Math.abs(dist(m, 0, 1) - dist(water, 0, 1)) < 1e-12);
    assert.ok(Math.abs(dist(m, 0, 2) - dist(water, 0, 2)) < 1e-12);
  });
  assert.throws(
    () => sampleGeometries(water, { kind: 'scan', coordinate: 'angle', atoms: [1, 0, 1], fromDegrees: 80, toDegrees: 90, steps: 2 }, 0),
    InputError,
  );
  assert.throws(() => sampleGeometries(water, { kind: 'scan', coordinate: 'bond', atoms: [0, 3], fromAngstrom: 1, toAngstrom: 2, steps: 2 }, 0), /atom index 3/);
});

test('random displacements: seeded bytes, fixed centroid, the requested width', () => {
  const spec = { kind: 'displacements', count: 4000, sigmaAngstrom: 0.05 } as const;
  const a = sampleGeometries(water, spec, 7);
  const b = sampleGeometries(water, spec, 7);
  const c = sampleGeometries(water, spec, 8);
  assert.deepEqual(Buffer.from(a[17]!.positionsBohr.buffer), Buffer.from(b[17]!.positionsBohr.buffer));
  assert.notDeepEqual(Array.from(a[17]!.positionsBohr), Array.from(c[17]!.positionsBohr));
  let sumSq = 0;
  for (const m of a) {
    for (let k = 0; k < 3; k++) {
      let shift = 0;
      for (let at = 0; at < 3; at++) shift += m.positionsBohr[3 * at + k]! - water.positionsBohr[3 * at + k]!;
      assert.ok(Math.abs(shift) < 1e-12);
    }
    for (let x = 0; x < 9; x++) sumSq += (m.positionsBohr[x]! - water.positionsBohr[x]!) ** 2;
  }
  // removing the mean of 3 atoms leaves a variance σ²(1 − 1/3) per coordinate
  const sigmaBohr = 0.05 * ANGSTROM_IN_BOHR;
  const variance = sumSq / (9 * a.length);
  const expected = sigmaBohr ** 2 * (2 / 3);
  assert.ok(Math.abs(variance / expected - 1) < 0.05, `${variance} vs ${expected}`);
});

/** Hessian of pair springs k_ij (r_ij − r⁰_ij)²/2 at r = r⁰: blocks ±k e eᵀ. Translation- and rotation-invariant. */
function springHessian(m: Molecule, springs: [number, number, number][]): Float64Array {
  const n3 = m.positionsBohr.length;
  const h = new Float64Array(n3 * n3);
  for (const [i, j, k] of springs) {
    const r = dist(m, i, j);
    const e = [0, 1, 2].map((c) => (m.positionsBohr[3 * j + c]! - m.positionsBohr[3 * i + c]!) / r);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        const v = k * e[a]! * e[b]!;
        h[(3 * i + a) * n3 + 3 * i + b]! += v;
        h[(3 * j + a) * n3 + 3 * j + b]! += v;
        h[(3 * i + a) * n3 + 3 * j + b]! -= v;
        h[(3 * j + a) * n3 + 3 * i + b]! -= v;
      }
    }
  }
  return h;
}

const KB = 3.1668115634556e-6; // Hartree/K
// dalton in electron masses, CODATA 2014 (the set qde uses throughout)
const MH = 1.008 * 1822.888486192; // H mass in electron masses
const MO = 15.999 * 1822.888486192;

test('normal modes of a diatomic spring: one mode at ω = √(k/μ)', () => {
  const h2 = createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [0, 0, 0, 0.3, 0.4, 0.5] });
  const k = 0.37;
  const modes = normalModes(h2, springHessian(h2, [[0, 1, k]]));
  assert.equal(modes.nModes, 1);
  const omega = Math.sqrt(k / (MH / 2));
  assert.ok(Math.abs(Math.sqrt(modes.omegaSquaredAu[0]!) - omega) < 1e-12 * omega);
  const co2 = createMolecule({ symbols: ['O', 'C', 'O'], positionsAngstrom: [0, 0, -1.16, 0, 0, 0, 0, 0, 1.16] });
  assert.equal(normalModes(co2, springHessian(co2, [[0, 1, 0.8], [1, 2, 0.8]])).nModes, 4);
});

test('normal-mode sampling of water: no net translation or rotation, ⟨V⟩ = kT/2 per mode', () => {
  const hessian = springHessian(water, [[0, 1, 0.5], [0, 2, 0.5], [1, 2, 0.1]]);
  const t = 500;
  const samples = sampleGeometries(water, { kind: 'normalModes', count: 4000, temperatureKelvin: t }, 11, { hessianHartreePerBohr2: () => hessian });
  const masses = [MO, MH, MH];
  const com = [0, 1, 2].map((c) => masses.reduce((s, m, a) => s + m * water.positionsBohr[3 * a + c]!, 0) / (MO + 2 * MH));
  let meanV = 0;
  for (const m of samples) {
    const d = Float64Array.from(m.positionsBohr, (x, i) => x - water.positionsBohr[i]!);
    const p = [0, 0, 0];
    const l = [0, 0, 0];
    for (let a = 0; a < 3; a++) {
      const r = [0, 1, 2].map((c) => water.positionsBohr[3 * a + c]! - com[c]!);
      for (let c = 0; c < 3; c++) p[c]! += masses[a]! * d[3 * a + c]!;
      l[0]! += masses[a]! * (r[1]! * d[3 * a + 2]! - r[2]! * d[3 * a + 1]!);
      l[1]! += masses[a]! * (r[2]! * d[3 * a]! - r[0]! * d[3 * a + 2]!);
      l[2]! += masses[a]! * (r[0]! * d[3 * a + 1]! - r[1]! * d[3 * a]!);
    }
    for (let c = 0; c < 3; c++) {
      assert.ok(Math.abs(p[c]!) < 1e-8, `net translation ${p[c]}`);
      assert.ok(Math.abs(l[c]!) < 1e-8, `net rotation ${l[c]}`);
    }
    let v = 0;
    for (let x = 0; x < 9; x++) for (let y = 0; y < 9; y++) v += 0.5 * d[x]! * hessian[x * 9 + y]! * d[y]!;
    meanV += v / samples.length;
  }
  // three modes: V/(kT/2) is χ² with 3 degrees of freedom (variance 6); 4σ of the mean of 4000
  const expected = (3 * KB * t) / 2;
  const tolerance = 4 * Math.sqrt(6 / samples.length) * (KB * t) / 2;
  assert.ok(Math.abs(meanV - expected) < tolerance, `⟨V⟩ = ${meanV}, expected ${expected} ± ${tolerance}`);
});

test('quantum normal-mode sampling at 0 K: ⟨V⟩ = ħω/4 (zero-point spread)', () => {
  const h2 = createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, 0.74] });
  const k = 0.37;
  const hessian = springHessian(h2, [[0, 1, k]]);
  const samples = sampleGeometries(h2, { kind: 'normalModes', count: 4000, temperatureKelvin: 0, distribution: 'quantum' }, 5, { hessianHartreePerBohr2: () => hessian });
  let meanV = 0;
  for (const m of samples) meanV += (0.5 * k * (dist(m, 0, 1) - dist(h2, 0, 1)) ** 2) / samples.length;
  const omega = Math.sqrt(k / (MH / 2));
  const expected = omega / 4;
  assert.ok(Math.abs(meanV / expected - 1) < 4 * Math.sqrt(2 / samples.length), `${meanV} vs ${expected}`);
  assert.throws(() => sampleGeometries(h2, { kind: 'normalModes', count: 1, temperatureKelvin: 300 }, 0), /Hessian/);
});

test('hydrogen chains: linear, zig-zag, dimerised, bent with bonds and angles in range', () => {
  const linear = sampleGeometries(undefined, { kind: 'chain', atoms: 5, shape: 'linear', count: 3, bondAngstrom: [0.7, 1.5] }, 2);
  for (const m of linear) {
    const r = dist(m, 0, 1);
    assert.ok(r >= 0.7 * ANGSTROM_IN_BOHR && r <= 1.5 * ANGSTROM_IN_BOHR);
    for (let i = 1; i < 4; i++) assert.ok(Math.abs(dist(m, i, i + 1) - r) < 1e-12);
    assert.ok(Math.abs(dist(m, 0, 4) - 4 * r) < 1e-12);
  }
  const zigzag = sampleGeometries(undefined, { kind: 'chain', atoms: 6, shape: 'zigzag', count: 1, bondAngstrom: 1.0, angleDegrees: 120 }, 2)[0]!;
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(dist(zigzag, i, i + 1) - ANGSTROM_IN_BOHR) < 1e-12);
  for (let i = 1; i < 5; i++) assert.ok(Math.abs(deg(bondAngle(zigzag.positionsBohr, i - 1, i, i + 1)) - 120) < 1e-10);
  const dimer = sampleGeometries(undefined, { kind: 'chain', atoms: 6, shape: 'dimerised', count: 1, bondAngstrom: 0.8, secondBondAngstrom: 1.4 }, 2)[0]!;
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(dist(dimer, i, i + 1) - (i % 2 === 0 ? 0.8 : 1.4) * ANGSTROM_IN_BOHR) < 1e-12);
  assert.equal(dimer.multiplicity, 1);
  const bent = sampleGeometries(undefined, { kind: 'chain', atoms: 7, shape: 'bent', count: 20, bondAngstrom: [0.8, 1.2], angleDegrees: [90, 150] }, 4);
  for (const m of bent) {
    for (let i = 0; i < 6; i++) {
      const r = dist(m, i, i + 1) / ANGSTROM_IN_BOHR;
      assert.ok(r >= 0.8 - 1e-12 && r <= 1.2 + 1e-12, `bond ${r}`);
    }
    for (let i = 1; i < 6; i++) {
      const a = deg(bondAngle(m.positionsBohr, i - 1, i, i + 1));
      assert.ok(a >= 90 - 1e-9 && a <= 150 + 1e-9, `angle ${a}`);
    }
  }
  // the same seed gives the same bytes
  const again = sampleGeometries(undefined, { kind: 'chain', atoms: 7, shape: 'bent', count: 20, bondAngstrom: [0.8, 1.2], angleDegrees: [90, 150] }, 4);
  assert.deepEqual(Buffer.from(again[19]!.positionsBohr.buffer), Buffer.from(bent[19]!.positionsBohr.buffer));
  assert.throws(() => sampleGeometries(undefined, { kind: 'chain', atoms: 4, shape: 'zigzag', count: 1, bondAngstrom: 1 }, 0), /angleDegrees/);
});

test('hydrogen rings: equal sides, alternating sides, all atoms on one circle', () => {
  const ring = sampleGeometries(undefined, { kind: 'ring', atoms: 7, shape: 'regular', count: 1, bondAngstrom: 1.1 }, 0)[0]!;
  for (let i = 0; i < 7; i++) assert.ok(Math.abs(dist(ring, i, (i + 1) % 7) - 1.1 * ANGSTROM_IN_BOHR) < 1e-12);
  assert.equal(ring.multiplicity, 2);
  const dimer = sampleGeometries(undefined, { kind: 'ring', atoms: 8, shape: 'dimerised', count: 1, bondAngstrom: 0.9, secondBondAngstrom: 1.5 }, 0)[0]!;
  const radius = Math.hypot(dimer.positionsBohr[0]!, dimer.positionsBohr[1]!);
  for (let i = 0; i < 8; i++) {
    assert.ok(Math.abs(dist(dimer, i, (i + 1) % 8) - (i % 2 === 0 ? 0.9 : 1.5) * ANGSTROM_IN_BOHR) < 1e-10);
    assert.ok(Math.abs(Math.hypot(dimer.positionsBohr[3 * i]!, dimer.positionsBohr[3 * i + 1]!) - radius) < 1e-10);
  }
  const bent = sampleGeometries(undefined, { kind: 'ring', atoms: 6, shape: 'bent', count: 3, bondAngstrom: 1.0, puckerAngstrom: 0.3 }, 9);
  for (const m of bent) for (let i = 0; i < 6; i++) assert.ok(Math.abs(m.positionsBohr[3 * i + 2]!) <= 0.3 * ANGSTROM_IN_BOHR);
  assert.throws(() => sampleGeometries(undefined, { kind: 'ring', atoms: 5, shape: 'dimerised', count: 1, bondAngstrom: 1 }, 0), /even/);
});

test('fragments: k nearest atoms of the base geometry, distinct; hydrogen caps on cut bonds', () => {
  const benzene = moleculeFromSmiles('c1ccccc1', 3);
  const frags = sampleGeometries(benzene, { kind: 'fragments', size: 5, count: 6 }, 1);
  assert.equal(frags.length, 6);
  const keys = new Set<string>();
  for (const f of frags) {
    assert.equal(f.atomicNumbers.length, 5);
    // every atom is an atom of benzene at the same place
    const indices: number[] = [];
    for (let a = 0; a < 5; a++) {
      const b = [...Array(12).keys()].find((x) => [0, 1, 2].every((c) => benzene.positionsBohr[3 * x + c] === f.positionsBohr[3 * a + c]));
      assert.ok(b !== undefined);
      indices.push(b);
    }
    keys.add(indices.join(','));
  }
  assert.equal(keys.size, 6);
  // one carbon with its neighbours: C–C–C plus the middle H, capped where C–C and C–H bonds were cut
  const capped = sampleGeometries(benzene, { kind: 'fragments', size: 1, count: 1, seedAtoms: [0], capHydrogens: true }, 1)[0]!;
  assert.deepEqual(Array.from(capped.atomicNumbers), [6, 1, 1, 1]);
  for (let a = 1; a < 4; a++) assert.ok(Math.abs(dist(capped, 0, a) - (0.76 + 0.31) * ANGSTROM_IN_BOHR) < 1e-12);
  assert.throws(() => sampleGeometries(benzene, { kind: 'fragments', size: 13, count: 1 }, 0), /exceeds/);
});

test('SMILES to 3-D: water, methane and benzene with sensible bond lengths; seeded; bad SMILES named', () => {
  const h2o = moleculeFromSmiles('O', 1);
  assert.deepEqual(Array.from(h2o.atomicNumbers), [8, 1, 1]);
  const r = (m: Molecule, i: number, j: number): number => dist(m, i, j) / ANGSTROM_IN_BOHR;
  // experimental r(OH) 0.958 Å, ∠HOH 104.5°; r(CH) methane 1.087 Å; benzene r(CC) 1.397 Å, r(CH) 1.084 Å
  for (const h of [1, 2]) assert.ok(Math.abs(r(h2o, 0, h) - 0.958) < 0.03);
  assert.ok(Math.abs(deg(bondAngle(h2o.positionsBohr, 1, 0, 2)) - 104.5) < 3);
  const ch4 = moleculeFromSmiles('C', 1);
  assert.equal(ch4.atomicNumbers.length, 5);
  for (let h = 1; h < 5; h++) assert.ok(Math.abs(r(ch4, 0, h) - 1.087) < 0.03);
  const c6h6 = moleculeFromSmiles('c1ccccc1', 1);
  assert.equal(c6h6.atomicNumbers.length, 12);
  let cc = 0;
  let ch = 0;
  for (let i = 0; i < 12; i++) {
    for (let j = 0; j < i; j++) {
      const d = r(c6h6, i, j);
      const zs = c6h6.atomicNumbers[i]! + c6h6.atomicNumbers[j]!;
      if (zs === 12 && d < 1.6) {
        cc++;
        assert.ok(Math.abs(d - 1.397) < 0.03, `C–C ${d}`);
      }
      if (zs === 7 && d < 1.3) {
        ch++;
        assert.ok(Math.abs(d - 1.084) < 0.03, `C–H ${d}`);
      }
    }
  }
  assert.equal(cc, 6);
  assert.equal(ch, 6);
  assert.deepEqual(Buffer.from(moleculeFromSmiles('CCO', 9).positionsBohr.buffer), Buffer.from(moleculeFromSmiles('CCO', 9).positionsBohr.buffer));
  assert.throws(() => moleculeFromSmiles('C1CC(', 0), (e: unknown) => e instanceof InputError && /'C1CC\('/.test(e.message));
  assert.throws(() => moleculeFromSmiles('Xq', 0), (e: unknown) => e instanceof InputError && /'Xq'/.test(e.message));
});
