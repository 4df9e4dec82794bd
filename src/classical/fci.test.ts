import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Random } from '../core/random.js';
import { ConvergenceError, InputError } from '../core/errors.js';
import { symmetricEigen } from '../core/linalg.js';
import type { MolecularHamiltonian } from '../hamiltonian/molecular-hamiltonian.js';
import { readFcidump } from '../hamiltonian/fcidump.js';
import { fciRdms, runFci } from './fci.js';
import { binomial } from '../core/index.js';
import { buildStringSpace, stringAddress } from './fci-strings.js';
import { createMolecule } from '../chem/molecule.js';
import { buildMolecularBasis } from '../basis/molecular-basis.js';
import { loadBasisLibrary } from '../basis/library.js';
import { runRhf } from '../scf/scf.js';
import { molecularHamiltonianFromScf } from '../hamiltonian/mo-hamiltonian.js';

// ---------------------------------------------------------------------------------------------
// Independent brute-force reference: second quantisation on spin-orbital bit strings
// (spin orbital 2p = α of p, 2p+1 = β of p), H built term by term from
// H = Σ h_pq a†_pσ a_qσ + ½ Σ (pq|rs) a†_pσ a†_rτ a_sτ a_qσ, then dense diagonalisation.
// ---------------------------------------------------------------------------------------------

function popcount(x: number): number {
  let c = 0;
  while (x) {
    x &= x - 1;
    c++;
  }
  return c;
}

/** Apply a_i (create = false) or a†_i (create = true); returns [newDet, sign] or undefined. */
function op(det: number, i: number, create: boolean): [number, number] | undefined {
  const occ = (det >> i) & 1;
  if (create === (occ === 1)) return undefined;
  const sign = popcount(det & ((1 << i) - 1)) & 1 ? -1 : 1;
  return [det ^ (1 << i), sign];
}

/** Apply a product of operators (rightmost first), each [spinOrbital, create]. */
function applyOps(det: number, ops: Array<[number, boolean]>): [number, number] | undefined {
  let d = det;
  let s = 1;
  for (let k = ops.length - 1; k >= 0; k--) {
    const r = op(d, ops[k][0], ops[k][1]);
    if (!r) return undefined;
    d = r[0];
    s *= r[1];
  }
  return [d, s];
}

interface BruteForce {
  dets: number[];
  index: Map<number, number>;
  values: Float64Array;
  vectors: Float64Array; // columns
  s2: Float64Array;
}

function sectorDets(n: number, nA: number, nB: number): number[] {
  const dets: number[] = [];
  for (let d = 0; d < 1 << (2 * n); d++) {
    let a = 0;
    let b = 0;
    for (let p = 0; p < n; p++) {
      a += (d >> (2 * p)) & 1;
      b += (d >> (2 * p + 1)) & 1;
    }
    if (a === nA && b === nB) dets.push(d);
  }
  return dets;
}

function spinPlusNormSquared(v: Float64Array, dets: number[], n: number): number {
  const out = new Map<number, number>();
  for (let k = 0; k < dets.length; k++) {
    if (v[k] === 0) continue;
    for (let p = 0; p < n; p++) {
      const r = applyOps(dets[k], [
        [2 * p, true],
        [2 * p + 1, false],
      ]);
      if (!r) continue;
      out.set(r[0], (out.get(r[0]) ?? 0) + r[1] * v[k]);
    }
  }
  let s = 0;
  for (const x of out.values()) s += x * x;
  return s;
}

function bruteForce(ham: MolecularHamiltonian): BruteForce {
  const n = ham.nOrbitals;
  const dets = sectorDets(n, ham.nAlpha, ham.nBeta);
  const index = new Map<number, number>();
  dets.forEach((d, k) => index.set(d, k));
  const m = dets.length;
  const h = new Float64Array(m * m);
  for (let k = 0; k < m; k++) {
    const d = dets[k];
    for (let p = 0; p < n; p++) {
      for (let q = 0; q < n; q++) {
        for (let sigma = 0; sigma < 2; sigma++) {
          const r = applyOps(d, [
            [2 * p + sigma, true],
            [2 * q + sigma, false],
          ]);
          if (r) h[index.get(r[0])! * m + k] += ham.oneBody[p * n + q] * r[1];
          for (let rr = 0; rr < n; rr++) {
            for (let s = 0; s < n; s++) {
              const gv = ham.twoBody[((p * n + q) * n + rr) * n + s];
              if (gv === 0) continue;
              for (let tau = 0; tau < 2; tau++) {
                const r2 = applyOps(d, [
                  [2 * p + sigma, true],
                  [2 * rr + tau, true],
                  [2 * s + tau, false],
                  [2 * q + sigma, false],
                ]);
                if (r2) h[index.get(r2[0])! * m + k] += 0.5 * gv * r2[1];
              }
            }
          }
        }
      }
    }
  }
  for (let k = 0; k < m; k++) h[k * m + k] += ham.constantHartree;
  const eig = symmetricEigen(h, m);
  const sz = 0.5 * (ham.nAlpha - ham.nBeta);
  const s2 = new Float64Array(m);
  const v = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    for (let k = 0; k < m; k++) v[k] = eig.vectors[k * m + c];
    s2[c] = spinPlusNormSquared(v, dets, n) + sz * (sz + 1);
  }
  return { dets, index, values: eig.values, vectors: eig.vectors, s2 };
}

/** Random real Hamiltonian with the 8-fold permutational symmetry of real orbitals. */
function randomHamiltonian(n: number, nAlpha: number, nBeta: number, seed: number): MolecularHamiltonian {
  const rng = new Random(seed);
  const h = new Float64Array(n * n);
  for (let p = 0; p < n; p++) {
    h[p * n + p] = -2 + 0.8 * p + 0.1 * rng.normal();
    for (let q = 0; q < p; q++) h[p * n + q] = h[q * n + p] = 0.15 * rng.normal();
  }
  const g = new Float64Array(n ** 4);
  const set = (p: number, q: number, r: number, s: number, v: number): void => {
    for (const [a, b, c, d] of [
      [p, q, r, s],
      [q, p, r, s],
      [p, q, s, r],
      [q, p, s, r],
      [r, s, p, q],
      [s, r, p, q],
      [r, s, q, p],
      [s, r, q, p],
    ]) {
      g[((a * n + b) * n + c) * n + d] = v;
    }
  };
  for (let p = 0; p < n; p++)
    for (let q = 0; q <= p; q++)
      for (let r = 0; r < n; r++)
        for (let s = 0; s <= r; s++) {
          if (p * n + q < r * n + s) continue;
          const v = 0.08 * rng.normal() + (p === q && r === s ? 0.5 : 0);
          set(p, q, r, s, v);
        }
  return { nOrbitals: n, nAlpha, nBeta, constantHartree: 0.7 * rng.next(), oneBody: h, twoBody: g };
}

function closeTo(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (diff ${actual - expected}, tol ${tol})`);
}

/** Brute-force levels whose spin satisfies the filter (S from ⟨S²⟩ = S(S+1)). */
function levels(bf: BruteForce, keep: (s: number) => boolean): { e: number[]; s2: number[] } {
  const e: number[] = [];
  const s2: number[] = [];
  for (let k = 0; k < bf.values.length; k++) {
    const s = Math.round((-1 + Math.sqrt(1 + 4 * bf.s2[k])) / 2);
    if (keep(s)) {
      e.push(bf.values[k]);
      s2.push(bf.s2[k]);
    }
  }
  return { e, s2 };
}

// ---------------------------------------------------------------------------------------------

test('string addressing follows ascending bit patterns', () => {
  const sp = buildStringSpace(5, 2);
  assert.equal(sp.count, binomial(5, 2));
  let prev = -1;
  for (let I = 0; I < sp.count; I++) {
    let bits = 0;
    for (let t = 0; t < 2; t++) bits |= 1 << sp.occupied[I * 2 + t];
    assert.ok(bits > prev, 'bit patterns ascend');
    prev = bits;
    assert.equal(stringAddress(sp.occupied.subarray(I * 2, I * 2 + 2), 2), I);
  }
  // E_ca |I⟩ sign from explicit operator algebra on the bit pattern.
  for (let I = 0; I < sp.count; I++) {
    let bits = 0;
    for (let t = 0; t < 2; t++) bits |= 1 << sp.occupied[I * 2 + t];
    for (let e = I * sp.singlesPerString; e < (I + 1) * sp.singlesPerString; e++) {
      const r = applyOps(bits, [
        [sp.singleCreate[e], true],
        [sp.singleAnnihilate[e], false],
      ]);
      assert.ok(r);
      let tb = 0;
      const J = sp.singleTarget[e];
      for (let t = 0; t < 2; t++) tb |= 1 << sp.occupied[J * 2 + t];
      assert.equal(r[0], tb);
      assert.equal(r[1], sp.singleSign[e]);
    }
  }
});

test('random Hamiltonian (5 orbitals, 2α 2β): every spin mode against brute force', () => {
  const ham = randomHamiltonian(5, 2, 2, 11);
  const bf = bruteForce(ham);
  const all = runFci(ham, { roots: 8, spinFlipSymmetry: 'none' });
  assert.equal(all.solver, 'dense');
  assert.equal(all.determinants, 100);
  for (let k = 0; k < 8; k++) {
    closeTo(all.energies[k], bf.values[k], 1e-10, `root ${k}`);
    closeTo(all.s2[k], bf.s2[k], 1e-8, `S² root ${k}`);
  }
  const even = levels(bf, (s) => s % 2 === 0);
  const odd = levels(bf, (s) => s % 2 === 1);
  const re = runFci(ham, { roots: 4 });
  assert.equal(re.spinFlipSymmetry, 'even');
  const ro = runFci(ham, { roots: 3, spinFlipSymmetry: 'odd' });
  for (let k = 0; k < 4; k++) {
    closeTo(re.energies[k], even.e[k], 1e-10, `even root ${k}`);
    closeTo(re.s2[k], even.s2[k], 1e-8, `even S² ${k}`);
  }
  for (let k = 0; k < 3; k++) {
    closeTo(ro.energies[k], odd.e[k], 1e-10, `odd root ${k}`);
    closeTo(ro.s2[k], odd.s2[k], 1e-8, `odd S² ${k}`);
  }
  // Davidson in every mode agrees with the dense results.
  for (const mode of ['none', 'even', 'odd'] as const) {
    const ref = mode === 'none' ? bf.values : mode === 'even' ? even.e : odd.e;
    const d = runFci(ham, { roots: 3, spinFlipSymmetry: mode, solver: 'davidson', residualTolerance: 1e-7, guessBlockSize: 10 });
    assert.equal(d.solver, 'davidson');
    for (let k = 0; k < 3; k++) closeTo(d.energies[k], ref[k], 1e-10, `davidson ${mode} root ${k}`);
  }
});

test('random Hamiltonian (6 orbitals, 3α 2β): Davidson roots and ⟨S²⟩ against brute force', () => {
  const ham = randomHamiltonian(6, 3, 2, 5);
  const bf = bruteForce(ham);
  const r = runFci(ham, { roots: 4, solver: 'davidson', guessBlockSize: 0 });
  assert.equal(r.determinants, 300);
  assert.equal(r.spinFlipSymmetry, 'none');
  for (let k = 0; k < 4; k++) {
    closeTo(r.energies[k], bf.values[k], 1e-10, `root ${k}`);
    closeTo(r.s2[k], bf.s2[k], 1e-7, `S² root ${k}`);
  }
  // A guess block covering the whole space is H itself: Davidson is converged at once (the second
  // iteration only confirms that the energies no longer change).
  const block = runFci(ham, { roots: 4, solver: 'davidson', guessBlockSize: 300, guessVectors: 4 });
  assert.ok(block.iterations <= 2, `iterations ${block.iterations}`);
  for (let k = 0; k < 4; k++) closeTo(block.energies[k], bf.values[k], 1e-10, `H0-block root ${k}`);
  const dense = runFci(ham, { roots: 4, solver: 'dense' });
  for (let k = 0; k < 4; k++) closeTo(dense.energies[k], bf.values[k], 1e-10, `dense root ${k}`);
});

test('random Hamiltonian (6 orbitals, 3α 3β): Davidson with and without spin-flip symmetry', () => {
  const ham = randomHamiltonian(6, 3, 3, 23);
  const bf = bruteForce(ham);
  const none = runFci(ham, { roots: 3, spinFlipSymmetry: 'none', guessBlockSize: 30 });
  for (let k = 0; k < 3; k++) closeTo(none.energies[k], bf.values[k], 1e-10, `none root ${k}`);
  const even = levels(bf, (s) => s % 2 === 0);
  const r = runFci(ham, { roots: 2 });
  for (let k = 0; k < 2; k++) {
    closeTo(r.energies[k], even.e[k], 1e-10, `even root ${k}`);
    closeTo(r.s2[k], even.s2[k], 1e-7, `even S² ${k}`);
  }
});

test('H2 minimal-basis model: analytic singlet, triplet and open-shell singlet energies', () => {
  // Two orbitals with integrals of H2-like size; exact results from the 2×2 closed-shell CI
  // [[2h11 + J11, K], [K, 2h22 + J22]], triplet h11 + h22 + J12 − K, open-shell singlet h11 + h22 + J12 + K.
  const n = 2;
  const h11 = -1.2528;
  const h22 = -0.4756;
  const J11 = 0.6746;
  const J22 = 0.6975;
  const J12 = 0.6636;
  const K = 0.1813;
  const h = Float64Array.from([h11, 0, 0, h22]);
  const g = new Float64Array(16);
  const at = (p: number, q: number, r: number, s: number): number => ((p * n + q) * n + r) * n + s;
  g[at(0, 0, 0, 0)] = J11;
  g[at(1, 1, 1, 1)] = J22;
  g[at(0, 0, 1, 1)] = g[at(1, 1, 0, 0)] = J12;
  for (const [p, q, r, s] of [
    [0, 1, 0, 1],
    [1, 0, 1, 0],
    [0, 1, 1, 0],
    [1, 0, 0, 1],
  ]) {
    g[at(p, q, r, s)] = K;
  }
  const vnn = 0.7151043387;
  const ham: MolecularHamiltonian = { nOrbitals: 2, nAlpha: 1, nBeta: 1, constantHartree: vnn, oneBody: h, twoBody: g };
  const a = 2 * h11 + J11;
  const b = 2 * h22 + J22;
  const ground = 0.5 * (a + b) - Math.sqrt(0.25 * (a - b) ** 2 + K * K) + vnn;
  const excitedClosed = 0.5 * (a + b) + Math.sqrt(0.25 * (a - b) ** 2 + K * K) + vnn;
  const triplet = h11 + h22 + J12 - K + vnn;
  const openSinglet = h11 + h22 + J12 + K + vnn;
  const all = runFci(ham, { roots: 4, spinFlipSymmetry: 'none' });
  const expected = [ground, triplet, openSinglet, excitedClosed].sort((x, y) => x - y);
  for (let k = 0; k < 4; k++) closeTo(all.energies[k], expected[k], 1e-12, `level ${k}`);
  const sing = runFci(ham, { roots: 1 });
  closeTo(sing.energies[0], ground, 1e-12, 'ground singlet');
  closeTo(sing.s2[0], 0, 1e-12, 'singlet ⟨S²⟩');
  const trip = runFci(ham, { roots: 1, spinFlipSymmetry: 'odd' });
  closeTo(trip.energies[0], triplet, 1e-12, 'triplet');
  closeTo(trip.s2[0], 2, 1e-12, 'triplet ⟨S²⟩');
  // Ms = 1 sector: only the triplet.
  const ms1 = runFci({ ...ham, nAlpha: 2, nBeta: 0 });
  closeTo(ms1.energies[0], triplet, 1e-12, 'Ms = 1 triplet');
  closeTo(ms1.s2[0], 2, 1e-12, 'Ms = 1 ⟨S²⟩');
});

function checkRdms(ham: MolecularHamiltonian, root: number, energy: number, result: ReturnType<typeof runFci>): void {
  const n = ham.nOrbitals;
  const N = ham.nAlpha + ham.nBeta;
  const { oneRdm, twoRdm } = fciRdms(ham, result, root);
  let tr = 0;
  for (let p = 0; p < n; p++) tr += oneRdm[p * n + p];
  closeTo(tr, N, 1e-10, 'Tr γ');
  let tr2 = 0;
  for (let p = 0; p < n; p++) for (let r = 0; r < n; r++) tr2 += twoRdm[((p * n + p) * n + r) * n + r];
  closeTo(tr2, N * (N - 1), 1e-9, 'Σ Γ_pprr');
  let e = ham.constantHartree;
  for (let i = 0; i < n * n; i++) e += ham.oneBody[i] * oneRdm[i];
  for (let i = 0; i < n ** 4; i++) e += 0.5 * ham.twoBody[i] * twoRdm[i];
  closeTo(e, energy, 1e-10, 'energy from RDMs');
}

test('RDMs: traces, energy rebuilt from γ and Γ, and brute-force elements', () => {
  const ham = randomHamiltonian(4, 2, 1, 3);
  const r = runFci(ham, { roots: 2 });
  checkRdms(ham, 0, r.energies[0], r);
  checkRdms(ham, 1, r.energies[1], r);
  // Brute-force γ and Γ of the ground state (non-degenerate, so unique up to sign).
  const bf = bruteForce(ham);
  const n = 4;
  const m = bf.dets.length;
  const v = new Float64Array(m);
  for (let k = 0; k < m; k++) v[k] = bf.vectors[k * m];
  const expect = (ops: Array<[number, boolean]>): number => {
    let s = 0;
    for (let k = 0; k < m; k++) {
      const res = applyOps(bf.dets[k], ops);
      if (!res) continue;
      const j = bf.index.get(res[0]);
      if (j !== undefined) s += v[j] * res[1] * v[k];
    }
    return s;
  };
  const { oneRdm, twoRdm } = fciRdms(ham, r, 0);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      let g1 = 0;
      for (let sg = 0; sg < 2; sg++) g1 += expect([[2 * p + sg, true], [2 * q + sg, false]]);
      closeTo(oneRdm[p * n + q], g1, 1e-10, `γ ${p}${q}`);
      for (let rr = 0; rr < n; rr++) {
        for (let s = 0; s < n; s++) {
          let g2 = 0;
          for (let sg = 0; sg < 2; sg++)
            for (let tau = 0; tau < 2; tau++)
              g2 += expect([
                [2 * p + sg, true],
                [2 * rr + tau, true],
                [2 * s + tau, false],
                [2 * q + sg, false],
              ]);
          closeTo(twoRdm[((p * n + q) * n + rr) * n + s], g2, 1e-10, `Γ ${p}${q}${rr}${s}`);
        }
      }
    }
  }
  const closed = randomHamiltonian(5, 2, 2, 9);
  const rc = runFci(closed, { roots: 2, solver: 'davidson' });
  checkRdms(closed, 0, rc.energies[0], rc);
  checkRdms(closed, 1, rc.energies[1], rc);
});

test('H2O STO-3G from the Psi4 FCIDUMP fixture matches Psi4 detci', () => {
  const dir = new URL('../../test/fixtures/fcidump/', import.meta.url);
  const ham = readFcidump(new URL('h2o-sto3g.fcidump', dir).pathname);
  const ref = JSON.parse(readFileSync(new URL('h2o-sto3g.json', dir), 'utf8')) as { fci_energy_hartree: number };
  const r = runFci(ham);
  assert.equal(r.determinants, 441);
  assert.equal(r.solver, 'davidson');
  closeTo(r.energies[0], ref.fci_energy_hartree, 1e-8, 'H2O FCI');
  closeTo(r.s2[0], 0, 1e-8, 'H2O ⟨S²⟩');
  checkRdms(ham, 0, r.energies[0], r);
});

test('Davidson that cannot converge throws ConvergenceError; bad input throws InputError', () => {
  const dir = new URL('../../test/fixtures/fcidump/', import.meta.url);
  const ham = readFcidump(new URL('h2o-sto3g.fcidump', dir).pathname);
  assert.throws(() => runFci(ham, { solver: 'davidson', maxIterations: 2, guessBlockSize: 0 }), (e: unknown) => {
    assert.ok(e instanceof ConvergenceError);
    assert.equal(e.iterations, 2);
    return true;
  });
  assert.throws(() => runFci(ham, { roots: 0 }), InputError);
  assert.throws(() => runFci({ ...ham, nAlpha: 9 }), InputError);
  assert.throws(() => runFci({ ...ham, twoBody: new Float64Array(5) }), InputError);
});

test('worker-thread σ gives the same roots as one thread', () => {
  const ham = randomHamiltonian(6, 3, 3, 31);
  const bf = bruteForce(ham);
  const even = levels(bf, (s) => s % 2 === 0);
  const threaded = runFci(ham, { roots: 2, solver: 'davidson', threads: 2, guessBlockSize: 8 });
  for (let k = 0; k < 2; k++) closeTo(threaded.energies[k], even.e[k], 1e-10, `threaded even root ${k}`);
  const none = runFci(ham, { roots: 3, solver: 'davidson', spinFlipSymmetry: 'none', threads: 2, guessBlockSize: 0 });
  for (let k = 0; k < 3; k++) closeTo(none.energies[k], bf.values[k], 1e-10, `threaded root ${k}`);
});

test('worker-thread σ: the same bits as one thread, in every run (unblocked and C2v-blocked, both kernels)', () => {
  // 15,876 determinants: the lower-triangle kernel (spin-flip symmetry) and the full one
  const ham = randomHamiltonian(9, 4, 4, 41);
  for (const spinFlipSymmetry of ['even', 'none'] as const) {
    const one = runFci(ham, { roots: 2, solver: 'davidson', spinFlipSymmetry, threads: 1, residualTolerance: 1e-7 });
    for (const threads of [2, 2, 3]) {
      const r = runFci(ham, { roots: 2, solver: 'davidson', spinFlipSymmetry, threads, residualTolerance: 1e-7 });
      for (let k = 0; k < 2; k++) {
        assert.ok(Object.is(r.energies[k], one.energies[k]), `${spinFlipSymmetry} root ${k}, ${threads} threads: ${r.energies[k]} against ${one.energies[k]}`);
        assert.ok(Object.is(r.s2[k], one.s2[k]), `${spinFlipSymmetry} ⟨S²⟩ ${k}, ${threads} threads`);
      }
    }
  }
  // C2v water: symmetry-blocked sectors, several irreps among the roots
  const water = createMolecule({ symbols: ['O', 'H', 'H'], positionsAngstrom: [[0, 0, 0.12], [0, 0.76, -0.47], [0, -0.76, -0.47]] });
  const ham6 = molecularHamiltonianFromScf(runRhf(water, buildMolecularBasis(water, loadBasisLibrary('sto-3g'))), { frozenCore: false });
  const single = runFci(ham6, { roots: 4, solver: 'davidson', threads: 1 });
  const double = runFci(ham6, { roots: 4, solver: 'davidson', threads: 2 });
  assert.ok(single.orbitalSymmetry.irreps === 4 && new Set(single.rootSymmetries).size > 1);
  for (let k = 0; k < 4; k++) assert.ok(Object.is(double.energies[k], single.energies[k]), `H2O root ${k}: ${double.energies[k]} against ${single.energies[k]}`);
});

test('spin-flip-symmetric kernel agrees with the general kernel on a 4900-determinant space', () => {
  const ham = randomHamiltonian(8, 4, 4, 77);
  const none = runFci(ham, { roots: 4, spinFlipSymmetry: 'none', residualTolerance: 1e-7 });
  const evenLevels = Array.from(none.energies).filter((_, k) => Math.round(none.s2[k]) % 4 === 0 && none.s2[k] < 1.5);
  assert.ok(evenLevels.length >= 1, `some singlet among ${Array.from(none.s2)}`);
  for (const threads of [1, 2]) {
    const even = runFci(ham, { roots: 1, threads, residualTolerance: 1e-7 });
    closeTo(even.energies[0], evenLevels[0], 1e-10, `singlet energy, ${threads} thread(s)`);
    closeTo(even.s2[0], 0, 1e-8, 'singlet ⟨S²⟩');
  }
  const oddLevels = Array.from(none.energies).filter((_, k) => Math.abs(none.s2[k] - 2) < 1e-6);
  if (oddLevels.length > 0) {
    const odd = runFci(ham, { roots: 1, spinFlipSymmetry: 'odd', residualTolerance: 1e-7 });
    closeTo(odd.energies[0], oddLevels[0], 1e-10, 'triplet energy');
  }
});

// ---------------------------------------------------------------------------------------------
// Abelian orbital symmetry (symmetry-blocked CI vectors)
// ---------------------------------------------------------------------------------------------

/** Random Hamiltonian whose integrals respect the orbital labels (XOR grading), others zeroed. */
function gradedHamiltonian(labels: number[], nAlpha: number, nBeta: number, seed: number): MolecularHamiltonian {
  const base = randomHamiltonian(labels.length, nAlpha, nBeta, seed);
  const n = labels.length;
  const h = Float64Array.from(base.oneBody);
  const g = Float64Array.from(base.twoBody);
  for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) if (labels[p] !== labels[q]) h[p * n + q] = 0;
  for (let p = 0; p < n; p++)
    for (let q = 0; q < n; q++)
      for (let r = 0; r < n; r++)
        for (let s = 0; s < n; s++) if ((labels[p] ^ labels[q] ^ labels[r] ^ labels[s]) !== 0) g[((p * n + q) * n + r) * n + s] = 0;
  return { ...base, oneBody: h, twoBody: g };
}

/** Symmetry label (XOR of the imposed orbital labels) of brute-force eigenvector k. */
function bruteForceLabel(bf: BruteForce, k: number, labels: number[]): number {
  const m = bf.dets.length;
  let best = 0;
  let at = 0;
  for (let i = 0; i < m; i++) {
    const w = Math.abs(bf.vectors[i * m + k]);
    if (w > best) {
      best = w;
      at = i;
    }
  }
  let l = 0;
  for (let p = 0; p < labels.length; p++) {
    if ((bf.dets[at] >> (2 * p)) & 1) l ^= labels[p];
    if ((bf.dets[at] >> (2 * p + 1)) & 1) l ^= labels[p];
  }
  return l;
}

/** The detected labels equal the imposed ones up to a relabelling that keeps the XOR structure. */
function assertSameGrading(detected: Int32Array, imposed: number[]): void {
  const map = new Map<number, number>();
  for (let p = 0; p < imposed.length; p++) {
    const m = map.get(imposed[p]);
    if (m === undefined) map.set(imposed[p], detected[p]);
    else assert.equal(detected[p], m, `orbital ${p}: detected label ${detected[p]}, expected ${m}`);
  }
  for (const [a, la] of map) for (const [b, lb] of map) if (map.has(a ^ b)) assert.equal(la ^ lb, map.get(a ^ b), 'XOR structure');
  assert.equal(new Set(map.values()).size, map.size, 'distinct irreps stay distinct');
}

test('symmetry: detected Z2×Z2 grading of a random graded Hamiltonian; blocked roots equal unblocked and brute force', () => {
  const labels = [0, 1, 2, 3, 0, 1];
  const ham = gradedHamiltonian(labels, 3, 3, 41);
  const bf = bruteForce(ham);
  const ground = runFci(ham);
  assert.equal(ground.orbitalSymmetry.source, 'detected');
  assert.equal(ground.orbitalSymmetry.irreps, 4);
  assertSameGrading(ground.orbitalSymmetry.labels, labels);
  assert.equal(ground.symmetryDeterminants, ground.determinants, 'every sector solved');
  assert.ok(ground.largestSectorDeterminants < ground.determinants, `${ground.largestSectorDeterminants} < ${ground.determinants}`);
  const plain = runFci(ham, { symmetry: false });
  assert.equal(plain.orbitalSymmetry.source, 'none');
  assert.equal(plain.symmetryDeterminants, plain.determinants);
  closeTo(ground.energies[0], plain.energies[0], 1e-10, 'blocked vs unblocked ground state');
  // Several roots, merged over all sectors, in every spin mode, with one thread and with workers
  // (the spin-flip modes form half of σ^αβ in every sector).
  for (const mode of ['none', 'even', 'odd'] as const) {
    const whole = runFci(ham, { roots: 5, spinFlipSymmetry: mode, symmetry: false });
    for (const threads of [1, 2]) {
      const blocked = runFci(ham, { roots: 5, spinFlipSymmetry: mode, solver: 'davidson', residualTolerance: 1e-7, threads });
      for (let k = 0; k < 5; k++) {
        closeTo(blocked.energies[k], whole.energies[k], 1e-10, `${mode} root ${k}, ${threads} thread(s)`);
        closeTo(blocked.s2[k], whole.s2[k], 1e-7, `${mode} ⟨S²⟩ ${k}`);
      }
    }
  }
  // Roots of one chosen sector against the brute-force levels of that sector.
  const detectedOf = new Map<number, number>();
  labels.forEach((l, p) => detectedOf.set(l, ground.orbitalSymmetry.labels[p]));
  for (const imposedTarget of [0, 3]) {
    const target = detectedOf.get(imposedTarget)!;
    const ref: number[] = [];
    const refS2: number[] = [];
    for (let k = 0; k < bf.values.length; k++) {
      if (bruteForceLabel(bf, k, labels) === imposedTarget) {
        ref.push(bf.values[k]);
        refS2.push(bf.s2[k]);
      }
    }
    for (const solver of ['dense', 'davidson'] as const) {
      const r = runFci(ham, { roots: 4, spinFlipSymmetry: 'none', targetSymmetry: target, solver, residualTolerance: 1e-7 });
      assert.deepEqual(Array.from(r.rootSymmetries), [target, target, target, target]);
      for (let k = 0; k < 4; k++) {
        closeTo(r.energies[k], ref[k], 1e-10, `sector ${imposedTarget} ${solver} root ${k}`);
        closeTo(r.s2[k], refS2[k], 1e-7, `sector ${imposedTarget} ${solver} ⟨S²⟩ ${k}`);
      }
    }
  }
  assert.throws(() => runFci(ham, { targetSymmetry: 4 }), InputError);
  // A Hamiltonian without structure has no grading: one block, the whole space.
  const dense = runFci(randomHamiltonian(5, 2, 2, 11));
  assert.equal(dense.orbitalSymmetry.irreps, 1);
  assert.equal(dense.symmetryDeterminants, dense.determinants);
});

test('symmetry: RDMs and ⟨S²⟩ from the blocked solver (open shell and Ms = 0, threads)', () => {
  const labels = [0, 1, 0, 1, 1];
  const open = gradedHamiltonian(labels, 3, 2, 8);
  const bf = bruteForce(open);
  const r = runFci(open, { roots: 3, solver: 'davidson', residualTolerance: 1e-7 });
  assert.equal(r.orbitalSymmetry.irreps, 2);
  for (let k = 0; k < 3; k++) {
    closeTo(r.energies[k], bf.values[k], 1e-10, `root ${k}`);
    closeTo(r.s2[k], bf.s2[k], 1e-7, `⟨S²⟩ ${k}`);
    checkRdms(open, k, r.energies[k], r);
  }
  const threaded = runFci(open, { roots: 3, solver: 'davidson', threads: 2, guessBlockSize: 0, residualTolerance: 1e-7 });
  for (let k = 0; k < 3; k++) closeTo(threaded.energies[k], bf.values[k], 1e-10, `threaded open-shell root ${k}`);
  const closed = gradedHamiltonian([0, 1, 1, 0, 1, 0], 3, 3, 12);
  const even = levels(bruteForce(closed), (s) => s % 2 === 0);
  for (const threads of [1, 2]) {
    const rc = runFci(closed, { roots: 2, solver: 'davidson', threads, guessBlockSize: 6, residualTolerance: 1e-7 });
    for (let k = 0; k < 2; k++) {
      closeTo(rc.energies[k], even.e[k], 1e-10, `even root ${k}, ${threads} thread(s)`);
      closeTo(rc.s2[k], even.s2[k], 1e-7, `even ⟨S²⟩ ${k}`);
      checkRdms(closed, k, rc.energies[k], rc);
    }
  }
});

test('symmetry: H2O C2v FCIDUMP — ORBSYM used, detection finds the same grading, energy matches Psi4 detci', () => {
  const dir = new URL('../../test/fixtures/fcidump/', import.meta.url);
  const ham = readFcidump(new URL('h2o-sto3g-c2v-eigenvalues.fcidump', dir).pathname);
  const ref = JSON.parse(readFileSync(new URL('h2o-sto3g.json', dir), 'utf8')) as { fci_energy_hartree: number };
  const orbsym = Array.from(ham.orbitalSymmetries!);
  const r = runFci(ham);
  assert.equal(r.orbitalSymmetry.source, 'orbsym');
  assert.equal(r.orbitalSymmetry.irreps, 4);
  assert.deepEqual(Array.from(r.orbitalSymmetry.labels), orbsym.map((s) => s - 1));
  assert.equal(r.rootSymmetries[0], 0);
  assert.equal(r.determinants, 441);
  assert.equal(r.groundIrrep, 0);
  closeTo(r.energies[0], ref.fci_energy_hartree, 1e-8, 'H2O FCI (all blocks)');
  const a1 = runFci(ham, { targetSymmetry: 0 });
  assert.ok(a1.symmetryDeterminants < 441 / 2, `A1 sector ${a1.symmetryDeterminants}`);
  closeTo(a1.energies[0], ref.fci_energy_hartree, 1e-8, 'H2O FCI (A1 block)');
  closeTo(r.s2[0], 0, 1e-8, 'H2O ⟨S²⟩');
  checkRdms(ham, 0, r.energies[0], r);
  const { orbitalSymmetries: _dropped, ...withoutOrbsym } = ham;
  const detected = runFci(withoutOrbsym);
  assert.equal(detected.orbitalSymmetry.source, 'detected');
  assert.equal(detected.orbitalSymmetry.irreps, 4);
  assertSameGrading(detected.orbitalSymmetry.labels, orbsym.map((s) => s - 1));
  closeTo(detected.energies[0], ref.fci_energy_hartree, 1e-8, 'H2O FCI (detected symmetry)');
  // The C1 fixture (ORBSYM all 1) gets the same grading by detection.
  const c1 = runFci(readFcidump(new URL('h2o-sto3g.fcidump', dir).pathname));
  assert.equal(c1.orbitalSymmetry.irreps, 4);
  // Several roots over all sectors equal the unblocked roots.
  const blocked = runFci(ham, { roots: 4 });
  const whole = runFci(ham, { roots: 4, symmetry: false });
  for (let k = 0; k < 4; k++) closeTo(blocked.energies[k], whole.energies[k], 1e-9, `H2O root ${k}`);
  // An ORBSYM that the integrals break is refused.
  assert.throws(() => runFci({ ...ham, orbitalSymmetries: Int32Array.from([1, 2, 1, 1, 2, 3, 3]) }), InputError);
});

test('symmetry: linear H6 STO-3G keeps only inversion (g/u) and gives the unblocked energy', () => {
  const symbols = ['H', 'H', 'H', 'H', 'H', 'H'];
  const molecule = createMolecule({ symbols, positionsAngstrom: symbols.map((_, i) => [0, 0, 1.0 * i]) });
  const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary('sto-3g')));
  const ham = molecularHamiltonianFromScf(scf, { frozenCore: false });
  const r = runFci(ham);
  assert.equal(r.orbitalSymmetry.irreps, 2);
  // g orbitals label 0 (orbital 0 is σg), u orbitals label 1: three of each for six s functions.
  assert.equal(Array.from(r.orbitalSymmetry.labels).filter((l) => l === 1).length, 3);
  assert.equal(r.determinants, 400);
  assert.equal(r.symmetryDeterminants, 400);
  assert.equal(r.largestSectorDeterminants, 200);
  const plain = runFci(ham, { symmetry: false });
  closeTo(r.energies[0], plain.energies[0], 1e-10, 'H6 blocked vs unblocked');
  closeTo(r.s2[0], 0, 1e-8, 'H6 ⟨S²⟩');
});
