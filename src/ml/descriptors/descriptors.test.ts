import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../core/index.js';
import { createDescriptor, type Descriptor, type DescriptorSettings } from './descriptor.js';
import { type SymmetryFunctionSettings, defaultSymmetryFunctions } from './acsf.js';
import { defaultSoapSettings } from './soap.js';
import type { SpinCorrelationSettings } from './spin.js';

/** A random compact structure: H, O, H, Li, H, O with positions in a 4 Bohr box (no two atoms closer than 1.2 Bohr). */
function structure(seed: number): { z: number[]; r: Float64Array } {
  const rnd = new Random(seed);
  const z = [1, 8, 1, 3, 1, 8];
  const r = new Float64Array(3 * z.length);
  for (let a = 0; a < z.length; a++) {
    for (;;) {
      for (let c = 0; c < 3; c++) r[3 * a + c] = rnd.uniform(-2.5, 2.5);
      let ok = true;
      for (let b = 0; b < a; b++) {
        const d = Math.hypot(r[3 * a] - r[3 * b], r[3 * a + 1] - r[3 * b + 1], r[3 * a + 2] - r[3 * b + 2]);
        if (d < 1.2) ok = false;
      }
      if (ok) break;
    }
  }
  return { z, r };
}

const SETTINGS: [string, DescriptorSettings][] = [
  ['acsf G4', defaultSymmetryFunctions([1, 3, 8], 6, 5)],
  ['acsf G5', { ...defaultSymmetryFunctions([1, 3, 8], 6, 5), g5: true }],
  ['soap', defaultSoapSettings([1, 3, 8], 6, 4, 3)],
  ['acsf, per-function cutoffs', withOwnCutoffs(defaultSymmetryFunctions([1, 3, 8], 6, 5), 3.5)],
  ['acsf G5, per-function cutoffs', { ...withOwnCutoffs(defaultSymmetryFunctions([1, 3, 8], 6, 5), 3.5), g5: true }],
];

/** Every other radial and angular function of `s` with its own cutoff `rcBohr`. */
function withOwnCutoffs(s: SymmetryFunctionSettings, rcBohr: number): SymmetryFunctionSettings {
  return {
    ...s,
    radial: s.radial.map((f, k) => (k % 2 === 0 ? { ...f, cutoffBohr: rcBohr } : f)),
    angular: s.angular.map((f, k) => (k % 2 === 0 ? { ...f, cutoffBohr: rcBohr } : f)),
  };
}

/**
 * Largest relative deviation of a descriptor's analytic derivatives from central differences at
 * (z, r), and per feature index how many derivatives are not zero.
 */
function derivativeDeviation(d: Descriptor, z: number[], r: Float64Array): { maxRel: number; nonZero: Int32Array } {
  const n = z.length;
  const L = d.length;
  const res = d.compute(z, r, true);
  const h = 1e-5;
  let maxRel = 0;
  const nonZero = new Int32Array(L);
  for (let a = 0; a < n; a++) {
    for (let c = 0; c < 3; c++) {
      const rp = Float64Array.from(r);
      const rm = Float64Array.from(r);
      rp[3 * a + c] += h;
      rm[3 * a + c] -= h;
      const vp = d.compute(z, rp, false).values;
      const vm = d.compute(z, rm, false).values;
      for (let i = 0; i < n; i++) {
        for (let f = 0; f < L; f++) {
          const fd = (vp[i * L + f] - vm[i * L + f]) / (2 * h);
          const an = res.derivatives![((i * L + f) * n + a) * 3 + c];
          const scale = Math.max(Math.abs(fd), 1e-3 * Math.max(1e-12, Math.abs(res.values[i * L + f])), 1e-8);
          if (Math.abs(fd) > 1e-10 || Math.abs(an) > 1e-10) nonZero[f]++;
          maxRel = Math.max(maxRel, Math.abs(fd - an) / scale);
        }
      }
    }
  }
  return { maxRel, nonZero };
}

for (const [name, settings] of SETTINGS) {
  test(`${name}: analytic derivatives equal central finite differences to 1e-6 relative`, () => {
    const { z, r } = structure(7);
    const { maxRel, nonZero } = derivativeDeviation(createDescriptor(settings), z, r);
    const checked = nonZero.reduce((x, y) => x + y, 0);
    assert.ok(checked > 100, `only ${checked} non-zero derivatives`);
    assert.ok(maxRel < 1e-6, `max relative deviation ${maxRel}`);
  });

  test(`${name}: invariant under rotation, translation and permutation of like atoms`, () => {
    const d = createDescriptor(settings);
    const { z, r } = structure(11);
    const n = z.length;
    const L = d.length;
    const ref = d.compute(z, r, false).values;
    // rotation about an arbitrary axis plus a translation
    const axis = [0.3, -0.5, 0.8];
    const nrm = Math.hypot(...axis);
    const [ux, uy, uz] = axis.map((v) => v / nrm);
    const th = 1.234;
    const co = Math.cos(th);
    const si = Math.sin(th);
    const R = [
      co + ux * ux * (1 - co), ux * uy * (1 - co) - uz * si, ux * uz * (1 - co) + uy * si,
      uy * ux * (1 - co) + uz * si, co + uy * uy * (1 - co), uy * uz * (1 - co) - ux * si,
      uz * ux * (1 - co) - uy * si, uz * uy * (1 - co) + ux * si, co + uz * uz * (1 - co),
    ];
    const moved = new Float64Array(3 * n);
    for (let a = 0; a < n; a++) {
      for (let c = 0; c < 3; c++) {
        moved[3 * a + c] = R[3 * c] * r[3 * a] + R[3 * c + 1] * r[3 * a + 1] + R[3 * c + 2] * r[3 * a + 2] + [1.5, -7, 3.25][c];
      }
    }
    const rot = d.compute(z, moved, false).values;
    for (let k = 0; k < ref.length; k++) assert.ok(Math.abs(rot[k] - ref[k]) <= 1e-10 * Math.max(1, Math.abs(ref[k])), `feature ${k}`);
    // swap the two oxygens (atoms 1 and 5) and two hydrogens (atoms 0 and 4)
    const perm = [4, 5, 2, 3, 0, 1];
    const zp = perm.map((p) => z[p]);
    const rp = new Float64Array(3 * n);
    for (let a = 0; a < n; a++) for (let c = 0; c < 3; c++) rp[3 * a + c] = r[3 * perm[a] + c];
    const pv = d.compute(zp, rp, false).values;
    for (let a = 0; a < n; a++) {
      for (let f = 0; f < L; f++) {
        const want = ref[perm[a] * L + f];
        assert.ok(Math.abs(pv[a * L + f] - want) <= 1e-12 * Math.max(1, Math.abs(want)), `atom ${a} feature ${f}`);
      }
    }
    // the descriptor sees the environment: moving one atom changes some feature of another
    const bumped = Float64Array.from(r);
    bumped[0] += 0.3;
    const bv = d.compute(z, bumped, false).values;
    let changed = 0;
    for (let f = 0; f < L; f++) if (Math.abs(bv[L + f] - ref[L + f]) > 1e-6) changed++;
    assert.ok(changed > 0);
  });
}

test('an element outside the descriptor is refused with its symbol', () => {
  const d = createDescriptor(defaultSymmetryFunctions([1], 6, 4));
  assert.throws(() => d.compute([1, 3], new Float64Array([0, 0, 0, 0, 0, 3]), false), /element Li \(atom 2\)/);
});

test('acsf: a function with its own cutoff rc_f has the value it has in a descriptor of cutoff rc_f; beyond rc_f it is 0; an own cutoff above the descriptor\'s is refused', () => {
  const { z, r } = structure(5);
  const short = defaultSymmetryFunctions([1, 3, 8], 3.5, 5);
  const long = defaultSymmetryFunctions([1, 3, 8], 6, 4);
  const mixed: DescriptorSettings = {
    ...long,
    radial: [...short.radial.map((f) => ({ ...f, cutoffBohr: 3.5 })), ...long.radial],
    angular: [...short.angular.map((f) => ({ ...f, cutoffBohr: 3.5 })), ...long.angular],
  };
  // the same functions split by element blocks: compare feature by feature through the layouts
  const a = createDescriptor(short).compute(z, r, false);
  const b = createDescriptor(long).compute(z, r, false);
  const m = createDescriptor(mixed).compute(z, r, false);
  const nE = 3;
  const nRs = short.radial.length;
  const nRl = long.radial.length;
  const nAs = short.angular.length;
  const nAl = long.angular.length;
  let compared = 0;
  for (let i = 0; i < z.length; i++) {
    for (let e = 0; e < nE; e++) {
      for (let k = 0; k < nRs; k++) assert.ok(Math.abs(m.values[i * m.length + e * (nRs + nRl) + k] - a.values[i * a.length + e * nRs + k]) < 1e-14);
      for (let k = 0; k < nRl; k++) assert.ok(Math.abs(m.values[i * m.length + e * (nRs + nRl) + nRs + k] - b.values[i * b.length + e * nRl + k]) < 1e-14);
      compared += nRs + nRl;
    }
    for (let p = 0; p < (nE * (nE + 1)) / 2; p++) {
      for (let k = 0; k < nAs; k++) assert.ok(Math.abs(m.values[i * m.length + nE * (nRs + nRl) + p * (nAs + nAl) + k] - a.values[i * a.length + nE * nRs + p * nAs + k]) < 1e-14);
      for (let k = 0; k < nAl; k++) assert.ok(Math.abs(m.values[i * m.length + nE * (nRs + nRl) + p * (nAs + nAl) + nAs + k] - b.values[i * b.length + nE * nRl + p * nAl + k]) < 1e-14);
      compared += nAs + nAl;
    }
  }
  assert.ok(compared > 0);
  // two atoms 4 Bohr apart: the 3.5 Bohr functions are 0, the 6 Bohr ones are not
  const pair = createDescriptor(mixed).compute([1, 1], new Float64Array([0, 0, 0, 0, 0, 4]), false);
  for (let k = 0; k < nRs; k++) assert.equal(pair.values[k], 0);
  assert.ok(pair.values[nRs + nRl - 1] > 0);
  assert.throws(() => createDescriptor({ ...long, radial: [{ ...long.radial[0], cutoffBohr: 7 }] }).compute([1, 1], new Float64Array([0, 0, 0, 0, 0, 1]), false), /cutoffBohr must be in \(0, 6\]/);
});

/** Spin-correlation settings over model H₂ curves (singlet a Morse-like well, triplet repulsive; 0.8–14 Bohr). */
function spinSettings(weight = 1): SpinCorrelationSettings {
  const distancesBohr: number[] = [];
  for (let r = 0.8; r <= 14.0001; r += 0.1) distancesBohr.push(r);
  return {
    kind: 'spin-correlation',
    elements: [1],
    cutoffBohr: 6,
    base: defaultSymmetryFunctions([1], 6, 5),
    distancesBohr,
    singletHartree: distancesBohr.map((r) => -1 - 0.2 * Math.exp(-(r - 1.4)) * (2 - Math.exp(-(r - 1.4)))),
    tripletHartree: distancesBohr.map((r) => -1 + 0.3 * Math.exp(-1.2 * (r - 1))),
    centresBohr: [1.4, 2.5, 4],
    widthBohr: 0.6,
    weight,
  };
}

/** A bent, irregular chain of n hydrogens (bonds 1.3–2.5 Bohr). */
function hydrogenChain(n: number, seed: number): { z: number[]; r: Float64Array } {
  const rnd = new Random(seed);
  const r = new Float64Array(3 * n);
  for (let a = 1; a < n; a++) {
    const bond = rnd.uniform(1.3, 2.5);
    const th = rnd.uniform(-0.5, 0.5);
    const ph = rnd.uniform(-0.5, 0.5);
    r[3 * a] = r[3 * a - 3] + bond * Math.cos(th) * Math.cos(ph);
    r[3 * a + 1] = r[3 * a - 2] + bond * Math.sin(th);
    r[3 * a + 2] = r[3 * a - 1] + bond * Math.cos(th) * Math.sin(ph);
  }
  return { z: new Array<number>(n).fill(1), r };
}

test('spin-correlation: analytic derivatives equal central finite differences to 1e-6 relative', () => {
  const d = createDescriptor(spinSettings());
  for (const n of [6, 7]) {
    const { z, r } = hydrogenChain(n, 40 + n);
    const { maxRel, nonZero } = derivativeDeviation(d, z, r);
    const spinChecked = nonZero.subarray(d.length - 4).reduce((x, y) => x + y, 0);
    assert.ok(spinChecked > 50, `only ${spinChecked} non-zero spin-feature derivatives`);
    assert.ok(maxRel < 1e-6, `n = ${n}: max relative deviation ${maxRel}`);
  }
});

test('spin-correlation: invariant under rotation and relabelling, non-local, weighted, hydrogen only', () => {
  const d = createDescriptor(spinSettings(0.5));
  assert.equal(d.length, createDescriptor(defaultSymmetryFunctions([1], 6, 5)).length + 4);
  assert.deepEqual(Array.from(d.featureWeights!.subarray(d.length - 5)), [1, 0.5, 0.5, 0.5, 0.5]);
  const { z, r } = hydrogenChain(8, 3);
  const n = z.length;
  const L = d.length;
  const ref = d.compute(z, r, false).values;
  // reversed atom order, rotated by 90° about z and shifted
  const moved = new Float64Array(3 * n);
  for (let a = 0; a < n; a++) {
    const b = n - 1 - a;
    moved[3 * a] = -r[3 * b + 1] + 2;
    moved[3 * a + 1] = r[3 * b] - 1;
    moved[3 * a + 2] = r[3 * b + 2] + 0.5;
  }
  const mv = d.compute(z, moved, false).values;
  for (let a = 0; a < n; a++) {
    for (let f = 0; f < L; f++) {
      const want = ref[(n - 1 - a) * L + f];
      assert.ok(Math.abs(mv[a * L + f] - want) <= 1e-9 * Math.max(1, Math.abs(want)), `atom ${a} feature ${f}`);
    }
  }
  // an atom far beyond the cutoff still changes atom 0's spin features (it changes how the chain pairs)
  const longer = new Float64Array(3 * (n + 1));
  longer.set(r);
  longer.set([r[3 * n - 3] + 1.4, r[3 * n - 2], r[3 * n - 1]], 3 * n);
  const lv = d.compute([...z, 1], longer, false).values;
  const far = Math.hypot(longer[3 * n] - r[0], longer[3 * n + 1] - r[1], longer[3 * n + 2] - r[2]);
  assert.ok(far > 6);
  for (let f = 0; f < L - 4; f++) assert.equal(lv[f], ref[f]);
  assert.ok(Math.abs(lv[L - 4] - ref[L - 4]) > 1e-6);
  assert.throws(() => d.compute([1, 3], new Float64Array([0, 0, 0, 0, 0, 3]), false), /Li \(atom 2\)/);
  assert.throws(() => createDescriptor({ ...spinSettings(), elements: [1, 3] }), /one element/);
  assert.throws(() => createDescriptor({ ...spinSettings(), widthBohr: 0 }), /widthBohr/);
});
