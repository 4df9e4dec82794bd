import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { symmetricEigen } from '../core/linalg.js';
import { StateVector } from '../backends/statevector.js';
import { applyCircuit, applyGate } from '../backends/apply.js';
import { expectationPauliSum } from '../backends/observables.js';
import type { PauliSumData } from '../qubits/pauli-layout.js';
import type { FermionMapping } from '../qubits/mappings.js';
import {
  fermionicPool,
  generatorGates,
  excitationGenerator,
  kUpCCGSDAnsatz,
  pairedGeneralizedExcitations,
  singleAndDoubleExcitations,
  singleTermGenerator,
  singletExcitationGenerators,
  uccsdAnsatz,
  type Excitation,
  type ExcitationGenerator,
} from './fermionic.js';
import { circuitStatistics } from './decompose.js';
import {
  combine,
  expm,
  identity,
  matMul,
  matVec,
  maxDiff,
  randomState,
  type DenseMatrix,
} from '../backends/dense-reference.test-util.js';

// ---- Independent dense fermion operators (Jordan–Wigner by hand) ----

/** a_p on nModes qubits: (−1)^(n_0 + … + n_{p−1}) |…0_p…⟩⟨…1_p…|. */
function annihilator(p: number, nModes: number): DenseMatrix {
  const d = 2 ** nModes;
  const m: DenseMatrix = { d, re: new Float64Array(d * d), im: new Float64Array(d * d) };
  for (let j = 0; j < d; j++) {
    if (((j >> p) & 1) === 0) continue;
    const i = j ^ (1 << p);
    let below = 0;
    for (let q = 0; q < p; q++) below += (j >> q) & 1;
    m.re[i * d + j] = below % 2 === 0 ? 1 : -1;
  }
  return m;
}

function adjoint(m: DenseMatrix): DenseMatrix {
  const d = m.d;
  const a: DenseMatrix = { d, re: new Float64Array(d * d), im: new Float64Array(d * d) };
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      a.re[j * d + i] = m.re[i * d + j];
      a.im[j * d + i] = -m.im[i * d + j];
    }
  }
  return a;
}

/** Dense T − T† of T = a†_c0 a†_c1 … a_a1 a_a0 in the Jordan–Wigner basis. */
function denseGenerator(e: Excitation, nModes: number): DenseMatrix {
  let t = identity(2 ** nModes);
  for (const c of e.create) t = matMul(t, adjoint(annihilator(c, nModes)));
  for (let k = e.annihilate.length - 1; k >= 0; k--) t = matMul(t, annihilator(e.annihilate[k], nModes));
  return combine(1, 0, t, -1, 0, adjoint(t));
}

/** Occupation → qubit-bit encodings written out independently (rows: bit j of row i = β_ij). */
function encoding(mapping: FermionMapping, nModes: number): number[] {
  const rows: number[] = [];
  for (let i = 0; i < nModes; i++) {
    if (mapping === 'jordan-wigner') rows.push(1 << i);
    else if (mapping === 'parity') rows.push((1 << (i + 1)) - 1);
  }
  if (mapping === 'bravyi-kitaev') {
    // Seeley–Richard–Love BK matrix for 8 modes (b0 = f0, b1 = f0+f1, b2 = f2, b3 = f0..f3, b4 = f4,
    // b5 = f4+f5, b6 = f6, b7 = f0..f7), truncated to nModes.
    const full = [0b1, 0b11, 0b100, 0b1111, 0b10000, 0b110000, 0b1000000, 0b11111111];
    for (let i = 0; i < nModes; i++) rows.push(full[i] & ((1 << nModes) - 1));
  }
  return rows;
}

function parity(v: number): number {
  let p = 0;
  while (v) {
    p ^= v & 1;
    v >>>= 1;
  }
  return p;
}

/** Permutation matrix |βf⟩⟨f| taking Jordan–Wigner (occupation) states to the mapping's qubit states. */
function encodingPermutation(mapping: FermionMapping, nModes: number): DenseMatrix {
  const rows = encoding(mapping, nModes);
  const d = 2 ** nModes;
  const m: DenseMatrix = { d, re: new Float64Array(d * d), im: new Float64Array(d * d) };
  for (let f = 0; f < d; f++) {
    let b = 0;
    rows.forEach((r, i) => {
      if (parity(r & f)) b |= 1 << i;
    });
    m.re[b * d + f] = 1;
  }
  return m;
}

function scale(m: DenseMatrix, s: number): DenseMatrix {
  return combine(s, 0, m, 0, 0, m);
}

/** Applies gates of exp(θ G) and compares with Π_k exp(θ w_k (T_k − T_k†)) (dense, right to left). */
function checkGenerator(g: ExcitationGenerator, nModes: number, mapping: FermionMapping, rng: Random): void {
  const theta = rng.uniform(-2, 2);
  const v = randomState(2 ** nModes, rng);
  const s = StateVector.fromAmplitudes(v.re, v.im);
  for (const gate of generatorGates(g, 0, mapping, nModes)) applyGate(s, gate, new Float64Array([theta]));
  let u = identity(2 ** nModes);
  for (const t of g.terms) u = matMul(expm(scale(denseGenerator(t.excitation, nModes), theta * t.weight)), u);
  const pi = encodingPermutation(mapping, nModes);
  u = matMul(pi, matMul(u, adjoint(pi)));
  const want = matVec(u, v.re, v.im);
  assert.ok(maxDiff(s.re, want.re) < 1e-10 && maxDiff(s.im, want.im) < 1e-10, `${g.label} (${mapping})`);
}

test('excitation counts match the known UCCSD parameter counts', () => {
  const h2 = singleAndDoubleExcitations({ nSpatialOrbitals: 2, nAlpha: 1, nBeta: 1 });
  assert.deepEqual([h2.singles.length, h2.doubles.length], [2, 1]);
  assert.deepEqual(h2.doubles[0], { create: [2, 3], annihilate: [0, 1] });
  // LiH/STO-3G without frozen core: 16 singles + 76 doubles = 92 (spin-orbital UCCSD).
  const lih = singleAndDoubleExcitations({ nSpatialOrbitals: 6, nAlpha: 2, nBeta: 2 });
  assert.deepEqual([lih.singles.length, lih.doubles.length], [16, 76]);
  // Singlet: n1 = nOcc·nVirt = 8 singles and n1(n1+1)/2 = 36 doubles (OpenFermion's uccsd_singlet_paramsize = 44).
  const lihS = singletExcitationGenerators({ nSpatialOrbitals: 6, nAlpha: 2, nBeta: 2 });
  assert.deepEqual([lihS.singles.length, lihS.doubles.length], [8, 36]);
  // Open shell: one unpaired α electron in 3 orbitals.
  const open = singleAndDoubleExcitations({ nSpatialOrbitals: 3, nAlpha: 2, nBeta: 1 });
  assert.equal(open.singles.length, 2 * 1 + 1 * 2);
  const pg = pairedGeneralizedExcitations(4);
  assert.deepEqual([pg.singles.length, pg.doubles.length], [6, 6]);
  const space = { nSpatialOrbitals: 6, nAlpha: 2, nBeta: 2 };
  assert.equal(fermionicPool(space).length, 92);
  assert.equal(fermionicPool({ ...space, kind: 'singlet' }).length, 44);
  assert.equal(fermionicPool({ ...space, kind: 'generalized-pair' }).length, 30);
});

test('excitation circuits equal exp of the dense generator (JW, parity, BK)', () => {
  const rng = new Random(41);
  const nModes = 6;
  const { singles, doubles } = singleAndDoubleExcitations({ nSpatialOrbitals: 3, nAlpha: 1, nBeta: 1 });
  const extra: Excitation[] = [
    { create: [5], annihilate: [1] },
    { create: [4, 5], annihilate: [0, 1] },
    { create: [3, 4], annihilate: [0, 1] }, // mixed-spin, non-adjacent
    { create: [1, 4], annihilate: [2, 5] }, // generalised (creation below annihilation)
  ];
  for (const mapping of ['jordan-wigner', 'parity', 'bravyi-kitaev'] as const) {
    for (const e of [...singles.slice(0, 2), ...doubles.slice(0, 3), ...extra]) checkGenerator(singleTermGenerator(e), nModes, mapping, rng);
  }
});

test('spin-adapted and paired generators equal the ordered product of dense exponentials', () => {
  const rng = new Random(42);
  const { singles, doubles } = singletExcitationGenerators({ nSpatialOrbitals: 3, nAlpha: 1, nBeta: 1 });
  for (const g of [...singles, ...doubles]) checkGenerator(g, 6, 'jordan-wigner', rng);
  // The equal-pair singlet double E_ai E_ai has one merged term with weight 2.
  const same = doubles.find((g) => g.label === 'singlet 1<-0 1<-0')!;
  assert.equal(same.terms.length, 1);
  assert.equal(Math.abs(same.terms[0].weight), 2);
  const pg = pairedGeneralizedExcitations(3);
  for (const g of [...pg.singles, ...pg.doubles]) checkGenerator(g, 6, 'bravyi-kitaev', rng);
});

test('mapped generator is anti-Hermitian with commuting strings; ZZZ-like counts of a double', () => {
  const g = excitationGenerator({ create: [2, 3], annihilate: [0, 1] }, 'jordan-wigner', 4);
  assert.equal(g.x.length, 8);
  for (let k = 0; k < g.x.length; k++) {
    assert.ok(Math.abs(g.coeffRe[k]) < 1e-15);
    assert.ok(Math.abs(Math.abs(g.coeffIm[k]) - 0.125) < 1e-15);
  }
  // 8 weight-4 rotations: 8 × 6 CNOTs.
  const c = uccsdAnsatz({ nSpatialOrbitals: 2, nAlpha: 1, nBeta: 1, mapping: 'jordan-wigner' });
  assert.equal(c.nParameters, 3);
  const st = circuitStatistics({ ...c, gates: c.gates.filter((x) => x.kind === 'pauliRotation' && (x.pauliX ?? 0) + (x.pauliZ ?? 0) > 0 && x.qubits.length === 4) });
  assert.equal(st.twoQubitGates, 48);
});

/**
 * H2/STO-3G at 0.7414 Å, Jordan–Wigner over interleaved spin orbitals (the standard published qubit
 * Hamiltonian, e.g. OpenFermion's H2 example; nuclear repulsion included in the identity term).
 */
function h2Hamiltonian(): PauliSumData {
  const terms: Array<[string, number]> = [
    ['IIII', -0.09706626816762878],
    ['ZIII', 0.17141282644776884],
    ['IZII', 0.17141282644776884],
    ['IIZI', -0.22343153690813564],
    ['IIIZ', -0.22343153690813564],
    ['ZZII', 0.16868898170361213],
    ['ZIZI', 0.12062523483390425],
    ['ZIIZ', 0.16592785033770352],
    ['IZZI', 0.16592785033770352],
    ['IZIZ', 0.12062523483390425],
    ['IIZZ', 0.17441287612261583],
    ['XXYY', -0.04530261550379927],
    ['XYYX', 0.04530261550379927],
    ['YXXY', 0.04530261550379927],
    ['YYXX', -0.04530261550379927],
  ];
  const n = terms.length;
  const op = { nQubits: 4, x: new Uint32Array(n), z: new Uint32Array(n), coeffRe: new Float64Array(n), coeffIm: new Float64Array(n) };
  terms.forEach(([label, c], t) => {
    for (let q = 0; q < 4; q++) {
      const l = label[q]; // label[q] acts on qubit q
      if (l === 'X' || l === 'Y') op.x[t] |= 1 << q;
      if (l === 'Z' || l === 'Y') op.z[t] |= 1 << q;
    }
    op.coeffRe[t] = c;
  });
  return op;
}

test('UCCSD reaches the exact H2 ground energy (dense diagonalisation reference)', () => {
  const h = h2Hamiltonian();
  // Dense reference: H restricted to the two-electron Sz = 0 determinants (one α bit of 0b0101, one β bit of 0b1010).
  const basis = [0b0011, 0b0110, 0b1001, 0b1100];
  const m = basis.length;
  const dense = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      const sa = new StateVector(4, basis[a]);
      const sb = new StateVector(4, basis[b]);
      // ⟨a|H|b⟩ by polarisation: Re⟨a+b|H|a+b⟩ − ⟨a|H|a⟩ − ⟨b|H|b⟩ = 2 Re⟨a|H|b⟩ (H real symmetric).
      const ab = StateVector.fromAmplitudes(new Float64Array(16));
      ab.re[basis[a]] += 1;
      ab.re[basis[b]] += 1;
      dense[a * m + b] = a === b ? expectationPauliSum(sa, h) : (expectationPauliSum(ab, h) - expectationPauliSum(sa, h) - expectationPauliSum(sb, h)) / 2;
    }
  }
  const exact = symmetricEigen(dense, m).values[0];
  // Sanity check of the hard-coded Hamiltonian against Psi4's FCI at 0.74 Å.
  assert.ok(Math.abs(exact - -1.1372838344855134) < 2e-4, `exact ${exact}`);
  for (const mapping of ['jordan-wigner'] as const) {
    for (const spinAdapted of [false, true]) {
      const c = uccsdAnsatz({ nSpatialOrbitals: 2, nAlpha: 1, nBeta: 1, mapping, spinAdapted });
      assert.equal(c.referenceBits, 0b0011);
      const dIndex = c.generators.findIndex((g) => g.terms[0].excitation.create.length === 2);
      const energy = (t: number): number => {
        const p = new Float64Array(c.nParameters);
        p[dIndex] = t;
        const s = new StateVector(4);
        applyCircuit(s, c, p);
        return expectationPauliSum(s, h);
      };
      // θ = 0 is Hartree–Fock: ⟨0011|H|0011⟩.
      assert.ok(Math.abs(energy(0) - expectationPauliSum(new StateVector(4, 0b0011), h)) < 1e-14);
      // Golden-section search over the double-excitation amplitude.
      let lo = -1.5;
      let hi = 1.5;
      const gr = (Math.sqrt(5) - 1) / 2;
      for (let it = 0; it < 80; it++) {
        const a = hi - gr * (hi - lo);
        const b = lo + gr * (hi - lo);
        if (energy(a) < energy(b)) hi = b;
        else lo = a;
      }
      assert.ok(Math.abs(energy((lo + hi) / 2) - exact) < 1e-9, `spinAdapted=${spinAdapted}: ${energy((lo + hi) / 2)} vs ${exact}`);
    }
  }
  // Parity mapping: the reference state is |0001⟩ (b_i = f_0 ⊕ … ⊕ f_i for f = 0011).
  assert.equal(uccsdAnsatz({ nSpatialOrbitals: 2, nAlpha: 1, nBeta: 1, mapping: 'parity' }).referenceBits, 0b0001);
  const k2 = kUpCCGSDAnsatz({ nSpatialOrbitals: 2, nAlpha: 1, nBeta: 1, mapping: 'jordan-wigner', k: 2 });
  assert.equal(k2.nParameters, 4);
  // 1-UpCCGSD: the pair double (parameter 0) alone reaches the exact H2 energy.
  const k1 = kUpCCGSDAnsatz({ nSpatialOrbitals: 2, nAlpha: 1, nBeta: 1, mapping: 'jordan-wigner', k: 1 });
  assert.equal(k1.generators[0].label, 'pair 1<-0');
  const pairEnergy = (t: number): number => {
    const s = new StateVector(4);
    applyCircuit(s, k1, new Float64Array([t, 0]));
    return expectationPauliSum(s, h);
  };
  let lo = -1.5;
  let hi = 1.5;
  for (let it = 0; it < 80; it++) {
    const a = hi - 0.618034 * (hi - lo);
    const b = lo + 0.618034 * (hi - lo);
    if (pairEnergy(a) < pairEnergy(b)) hi = b;
    else lo = a;
  }
  assert.ok(Math.abs(pairEnergy((lo + hi) / 2) - exact) < 1e-9);
});

test('tapered UCCSD keeps the exact H2 energy on fewer qubits', async () => {
  const { taper } = await import('../qubits/tapering.js');
  const { PauliSum } = await import('../qubits/pauli-sum.js');
  const d = h2Hamiltonian();
  const h = new PauliSum(4, d.x, d.z, d.coeffRe, d.coeffIm);
  const tapering = taper(h, { hfBits: 0b0011 });
  assert.ok(tapering.nQubitsRemoved >= 1);
  const c = uccsdAnsatz({ nSpatialOrbitals: 2, nAlpha: 1, nBeta: 1, mapping: 'jordan-wigner', taper: tapering });
  assert.equal(c.nQubits, 4 - tapering.nQubitsRemoved);
  // Singles break the spin-parity symmetries of H2's point group: only the double survives.
  assert.equal(c.nParameters + c.droppedGenerators, 3);
  // Same energy curve as the untapered circuit along the double-excitation amplitude.
  const full = uccsdAnsatz({ nSpatialOrbitals: 2, nAlpha: 1, nBeta: 1, mapping: 'jordan-wigner' });
  const curve = (circ: typeof c, op: PauliSumData, t: number): number => {
    const s = new StateVector(circ.nQubits);
    applyCircuit(s, circ, Float64Array.from(circ.generators.map((g) => (g.terms[0].excitation.create.length === 2 ? t : 0))));
    return expectationPauliSum(s, op);
  };
  for (const t of [-0.4, -0.11, 0, 0.05, 0.3]) {
    assert.ok(Math.abs(curve(c, tapering.operator, t) - curve(full, h, t)) < 1e-12, `t=${t}`);
  }
});

test('UCCSD on the H2/STO-3G pipeline Hamiltonian (0.74 Å) reaches the Psi4 FCI energy', async () => {
  const { createMolecule } = await import('../chem/index.js');
  const { loadBasisLibrary, buildMolecularBasis } = await import('../basis/index.js');
  const { runRhf } = await import('../scf/index.js');
  const { molecularHamiltonianFromScf } = await import('../hamiltonian/index.js');
  const { jordanWigner, bravyiKitaev } = await import('../qubits/index.js');
  const molecule = createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, 0.74] });
  const scf = runRhf(molecule, buildMolecularBasis(molecule, loadBasisLibrary('sto-3g')));
  const ham = molecularHamiltonianFromScf(scf);
  const psi4Fci = -1.1372838344855134; // test/fixtures/reference/psi4-public.json h2_sto-3g_r0.74_fci
  for (const [mapping, map] of [
    ['jordan-wigner', jordanWigner],
    ['bravyi-kitaev', bravyiKitaev],
  ] as const) {
    const h = map(ham);
    const c = uccsdAnsatz({ nSpatialOrbitals: 2, nAlpha: 1, nBeta: 1, mapping });
    const dIndex = c.generators.findIndex((g) => g.terms[0].excitation.create.length === 2);
    const energy = (t: number): number => {
      const p = new Float64Array(c.nParameters);
      p[dIndex] = t;
      const s = new StateVector(4);
      applyCircuit(s, c, p);
      return expectationPauliSum(s, h);
    };
    let lo = -1.5;
    let hi = 1.5;
    for (let it = 0; it < 80; it++) {
      const a = hi - 0.618034 * (hi - lo);
      const b = lo + 0.618034 * (hi - lo);
      if (energy(a) < energy(b)) hi = b;
      else lo = a;
    }
    assert.ok(Math.abs(energy((lo + hi) / 2) - psi4Fci) < 1e-6, `${mapping}: ${energy((lo + hi) / 2)}`);
  }
});
