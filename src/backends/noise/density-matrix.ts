/**
 * Exact density-matrix simulation of a noisy circuit.
 *
 * Layout: ρ of n qubits is stored as the amplitudes of a 2n-qubit register (a StateVector, real and
 * imaginary parts in separate Float64Arrays of 4^n doubles): element ρ[r][c] sits at index
 * r + 2^n c, so row qubit q is bit q and column qubit q is bit q + n. 12 qubits take 256 MiB.
 *
 * Each gate and its noise are one pass over ρ: for a one-qubit gate on q every 2×2 block over
 * (row bit q, column bit q) becomes U B U†, then the depolarising and thermal-relaxation channels
 * act on the same block in closed form (model.ts gives the channels); a two-qubit gate does the
 * same on 4×4 blocks over the bits of both qubits. Gates whose matrix has one non-zero per row
 * (CNOT, CZ, SWAP, X, phases) skip the matrix products: (U B U†)[r][c] = u_r conj(u_c) B[σr][σc].
 * Inner loops run on preallocated scratch arrays and allocate nothing.
 */
import { InputError } from '../../core/index.js';
import type { Circuit, Gate } from '../../circuits/index.js';
import { StateVector } from '../statevector.js';
import { gateMatrix, hardwareCircuit } from './compile.js';
import { gateChannel, type GateChannel, type NoiseModel } from './model.js';

/** Largest register the density-matrix engine accepts (4^12 complex entries = 256 MiB). */
export const MAX_DENSITY_MATRIX_QUBITS = 12;

/** The density matrix of an n-qubit register (see the file header for the layout). */
export class DensityMatrix {
  readonly nQubits: number;
  /** 2^n. */
  readonly dimension: number;
  /** Real parts of ρ[r][c] at r + 2^n c. */
  readonly re: Float64Array;
  /** Imaginary parts of ρ[r][c] at r + 2^n c. */
  readonly im: Float64Array;

  /** |basisIndex⟩⟨basisIndex| on `nQubits` qubits (default |0…0⟩). */
  constructor(nQubits: number, basisIndex = 0) {
    if (!Number.isInteger(nQubits) || nQubits < 1 || nQubits > MAX_DENSITY_MATRIX_QUBITS) {
      throw new InputError(`density matrix: qubit count must be an integer in [1, ${MAX_DENSITY_MATRIX_QUBITS}], got ${nQubits}`);
    }
    this.nQubits = nQubits;
    this.dimension = 2 ** nQubits;
    const storage = new StateVector(2 * nQubits);
    this.re = storage.re;
    this.im = storage.im;
    this.reset(basisIndex);
  }

  /** Sets ρ = |basisIndex⟩⟨basisIndex| and returns it. */
  reset(basisIndex = 0): this {
    if (!Number.isInteger(basisIndex) || basisIndex < 0 || basisIndex >= this.dimension) {
      throw new InputError(`density matrix: basis index ${basisIndex} outside [0, ${this.dimension})`);
    }
    this.re.fill(0);
    this.im.fill(0);
    this.re[basisIndex * (this.dimension + 1)] = 1;
    return this;
  }

  /** Real part of ρ[r][c]. */
  getRe(r: number, c: number): number {
    return this.re[r + this.dimension * c];
  }

  /** Imaginary part of ρ[r][c]. */
  getIm(r: number, c: number): number {
    return this.im[r + this.dimension * c];
  }

  /** Outcome probabilities ρ[b][b] (negative rounding residues clamped to 0) into `out` (length 2^n). */
  probabilities(out: Float64Array = new Float64Array(this.dimension)): Float64Array {
    const d = this.dimension;
    for (let b = 0; b < d; b++) {
      const p = this.re[b * (d + 1)];
      out[b] = p > 0 ? p : 0;
    }
    return out;
  }

  /** Tr ρ. */
  trace(): number {
    let t = 0;
    for (let b = 0; b < this.dimension; b++) t += this.re[b * (this.dimension + 1)];
    return t;
  }
}

const matrixScratch = new Float64Array(32);
const blockRe = new Float64Array(16);
const blockIm = new Float64Array(16);
const tmpRe = new Float64Array(16);
const tmpIm = new Float64Array(16);
const offsets = new Int32Array(16);
const permutation = new Int32Array(4);
const phaseRe = new Float64Array(16);
const phaseIm = new Float64Array(16);
const source = new Int32Array(16);

/**
 * Applies one gate bound to `parameters` and then its noise: depolarising and thermal relaxation
 * of its arity from `model` on its qubits. Gates must act on one or two qubits (see hardwareCircuit).
 */
export function applyNoisyGate(rho: DensityMatrix, gate: Gate, parameters: ArrayLike<number>, model: NoiseModel): void {
  const arity = gateMatrix(gate, parameters, matrixScratch);
  for (const q of gate.qubits) {
    if (!Number.isInteger(q) || q < 0 || q >= rho.nQubits) {
      throw new InputError(`gate ${gate.kind}: qubit ${q} outside the ${rho.nQubits}-qubit register`);
    }
  }
  applyNoisyMatrix(rho, gate.qubits, matrixScratch, gateChannel(model, arity));
}

/**
 * ρ ← N(U ρ U†) for a one- or two-qubit unitary U (interleaved complex, row-major, local bit 0 =
 * qubits[0]; see compile.ts) followed by the channel N (depolarising, then relaxation of each qubit).
 */
export function applyNoisyMatrix(rho: DensityMatrix, qubits: readonly number[], matrix: Float64Array, channel: GateChannel): void {
  if (qubits.length === 1) oneQubitPass(rho, qubits[0], matrix, channel);
  else if (qubits.length === 2 && qubits[0] !== qubits[1]) twoQubitPass(rho, qubits[0], qubits[1], matrix, channel);
  else throw new InputError(`density matrix: a gate matrix acts on one or two distinct qubits, got [${qubits.join(', ')}]`);
}

/**
 * ρ after the circuit (Pauli rotations decomposed, every gate followed by its noise), starting from
 * |0…0⟩. Reuses `rho` when given (it is reset).
 */
export function simulateDensityMatrix(
  circuit: Circuit,
  parameters: ArrayLike<number>,
  model: NoiseModel,
  rho: DensityMatrix = new DensityMatrix(circuit.nQubits),
): DensityMatrix {
  if (rho.nQubits !== circuit.nQubits) throw new InputError(`circuit has ${circuit.nQubits} qubits but the density matrix has ${rho.nQubits}`);
  if (parameters.length < circuit.nParameters) {
    throw new InputError(`circuit has ${circuit.nParameters} parameters but ${parameters.length} were given`);
  }
  rho.reset(0);
  for (const g of hardwareCircuit(circuit).gates) applyNoisyGate(rho, g, parameters, model);
  return rho;
}

/** One-qubit gate U and its noise on every 2×2 block over (row bit q, column bit q). */
function oneQubitPass(rho: DensityMatrix, q: number, m: Float64Array, ch: GateChannel): void {
  const re = rho.re;
  const im = rho.im;
  const lo = q;
  const hi = q + rho.nQubits;
  const sr = 1 << lo;
  const sc = 1 << hi;
  const maskLo = sr - 1;
  const maskHi = sc - 1;
  const u00r = m[0], u00i = m[1], u01r = m[2], u01i = m[3];
  const u10r = m[4], u10i = m[5], u11r = m[6], u11i = m[7];
  const lambda = 1 - ch.depolarizing;
  const mix = ch.depolarizing / 2;
  const gamma = ch.gamma;
  const keep = 1 - gamma;
  const off = lambda * ch.coherence;
  const blocks = re.length >>> 2;
  if (u01r === 0 && u01i === 0 && u10r === 0 && u10i === 0) {
    // Diagonal U (RZ, S, T, Z, phases): the diagonal of the block is unchanged, the coherences
    // take the phase u0 conj(u1) (and its conjugate): one complex product per coherence.
    const pr = off * (u00r * u11r + u00i * u11i);
    const pi = off * (u00i * u11r - u00r * u11i);
    for (let k = 0; k < blocks; k++) {
      let b = ((k >>> lo) << (lo + 1)) | (k & maskLo);
      b = ((b >>> hi) << (hi + 1)) | (b & maskHi);
      const i10 = b | sr;
      const i01 = b | sc;
      const i11 = i10 | sc;
      const n00r = re[b], n00i = im[b], n11r = re[i11], n11i = im[i11];
      const trR = mix * (n00r + n11r);
      const trI = mix * (n00i + n11i);
      const d11r = lambda * n11r + trR;
      const d11i = lambda * n11i + trI;
      re[b] = lambda * n00r + trR + gamma * d11r;
      im[b] = lambda * n00i + trI + gamma * d11i;
      re[i11] = keep * d11r;
      im[i11] = keep * d11i;
      const x01r = re[i01], x01i = im[i01], x10r = re[i10], x10i = im[i10];
      // N01 = B01 u0 conj(u1), N10 = B10 u1 conj(u0) = B10 conj(u0 conj(u1))
      re[i01] = pr * x01r - pi * x01i;
      im[i01] = pr * x01i + pi * x01r;
      re[i10] = pr * x10r + pi * x10i;
      im[i10] = pr * x10i - pi * x10r;
    }
    return;
  }
  for (let k = 0; k < blocks; k++) {
    let b = ((k >>> lo) << (lo + 1)) | (k & maskLo);
    b = ((b >>> hi) << (hi + 1)) | (b & maskHi);
    const i00 = b;
    const i10 = b | sr;
    const i01 = b | sc;
    const i11 = i10 | sc;
    const b00r = re[i00], b00i = im[i00], b01r = re[i01], b01i = im[i01];
    const b10r = re[i10], b10i = im[i10], b11r = re[i11], b11i = im[i11];
    // T = U B
    const t00r = u00r * b00r - u00i * b00i + u01r * b10r - u01i * b10i;
    const t00i = u00r * b00i + u00i * b00r + u01r * b10i + u01i * b10r;
    const t01r = u00r * b01r - u00i * b01i + u01r * b11r - u01i * b11i;
    const t01i = u00r * b01i + u00i * b01r + u01r * b11i + u01i * b11r;
    const t10r = u10r * b00r - u10i * b00i + u11r * b10r - u11i * b10i;
    const t10i = u10r * b00i + u10i * b00r + u11r * b10i + u11i * b10r;
    const t11r = u10r * b01r - u10i * b01i + u11r * b11r - u11i * b11i;
    const t11i = u10r * b01i + u10i * b01r + u11r * b11i + u11i * b11r;
    // N = T U†: N[r][c] = T[r][0] conj(U[c][0]) + T[r][1] conj(U[c][1])
    const n00r = t00r * u00r + t00i * u00i + t01r * u01r + t01i * u01i;
    const n00i = t00i * u00r - t00r * u00i + t01i * u01r - t01r * u01i;
    const n01r = t00r * u10r + t00i * u10i + t01r * u11r + t01i * u11i;
    const n01i = t00i * u10r - t00r * u10i + t01i * u11r - t01r * u11i;
    const n10r = t10r * u00r + t10i * u00i + t11r * u01r + t11i * u01i;
    const n10i = t10i * u00r - t10r * u00i + t11i * u01r - t11r * u01i;
    const n11r = t10r * u10r + t10i * u10i + t11r * u11r + t11i * u11i;
    const n11i = t10i * u10r - t10r * u10i + t11i * u11r - t11r * u11i;
    // Depolarising: diagonal λN + r·(N00 + N11)/2; coherences λN. Then relaxation: N11 flows into
    // N00 with γ; coherences decay by exp(−t/T2).
    const trR = mix * (n00r + n11r);
    const trI = mix * (n00i + n11i);
    const d11r = lambda * n11r + trR;
    const d11i = lambda * n11i + trI;
    re[i00] = lambda * n00r + trR + gamma * d11r;
    im[i00] = lambda * n00i + trI + gamma * d11i;
    re[i11] = keep * d11r;
    im[i11] = keep * d11i;
    re[i01] = off * n01r;
    im[i01] = off * n01i;
    re[i10] = off * n10r;
    im[i10] = off * n10i;
  }
}

/** Whether the 4×4 matrix has one non-zero per row; fills `permutation` with their columns. */
function monomial(m: Float64Array): boolean {
  for (let r = 0; r < 4; r++) {
    let col = -1;
    for (let c = 0; c < 4; c++) {
      const e = 2 * (4 * r + c);
      if (m[e] !== 0 || m[e + 1] !== 0) {
        if (col >= 0) return false;
        col = c;
      }
    }
    if (col < 0) return false;
    permutation[r] = col;
  }
  return true;
}

/** Two-qubit gate U (local bit 0 = qubit a, bit 1 = qubit b) and its noise on every 4×4 block. */
function twoQubitPass(rho: DensityMatrix, a: number, b: number, m: Float64Array, ch: GateChannel): void {
  const n = rho.nQubits;
  const re = rho.re;
  const im = rho.im;
  const rowA = 1 << a;
  const rowB = 1 << b;
  const colA = 1 << (a + n);
  const colB = 1 << (b + n);
  for (let e = 0; e < 16; e++) {
    const r = e >>> 2;
    const c = e & 3;
    offsets[e] = (r & 1 ? rowA : 0) + (r & 2 ? rowB : 0) + (c & 1 ? colA : 0) + (c & 2 ? colB : 0);
  }
  // Zero bits inserted in ascending order of their final positions.
  const p0 = Math.min(a, b);
  const p1 = Math.max(a, b);
  const p2 = p0 + n;
  const p3 = p1 + n;
  const m0 = (1 << p0) - 1;
  const m1 = (1 << p1) - 1;
  const m2 = (1 << p2) - 1;
  const m3 = (1 << p3) - 1;
  const isMonomial = monomial(m);
  if (isMonomial) {
    // phase of (U B U†)[r][c] = u_r conj(u_c) B[σr][σc], once per gate
    for (let r = 0; r < 4; r++) {
      const ur = m[2 * (4 * r + permutation[r])];
      const ui = m[2 * (4 * r + permutation[r]) + 1];
      for (let c = 0; c < 4; c++) {
        const vr = m[2 * (4 * c + permutation[c])];
        const vi = -m[2 * (4 * c + permutation[c]) + 1];
        phaseRe[4 * r + c] = ur * vr - ui * vi;
        phaseIm[4 * r + c] = ur * vi + ui * vr;
        source[4 * r + c] = offsets[4 * permutation[r] + permutation[c]];
      }
    }
  }
  let unitPhases = isMonomial;
  for (let e = 0; e < 16 && unitPhases; e++) if (phaseRe[e] !== 1 || phaseIm[e] !== 0) unitPhases = false;
  const relaxGamma = ch.gamma;
  const relaxKeep = 1 - ch.gamma;
  const relaxCoherence = ch.coherence;
  const lambda = 1 - ch.depolarizing;
  const mix = ch.depolarizing / 4;
  const depolarize = ch.depolarizing !== 0;
  const relax = ch.gamma !== 0 || ch.coherence !== 1;
  const blocks = re.length >>> 4;
  for (let k = 0; k < blocks; k++) {
    let base = ((k >>> p0) << (p0 + 1)) | (k & m0);
    base = ((base >>> p1) << (p1 + 1)) | (base & m1);
    base = ((base >>> p2) << (p2 + 1)) | (base & m2);
    base = ((base >>> p3) << (p3 + 1)) | (base & m3);
    if (unitPhases) {
      // a permutation (CNOT, SWAP): gather each entry from its source
      for (let e = 0; e < 16; e++) {
        blockRe[e] = re[base + source[e]];
        blockIm[e] = im[base + source[e]];
      }
    } else if (isMonomial) {
      for (let e = 0; e < 16; e++) {
        const pr = phaseRe[e];
        const pi = phaseIm[e];
        const x = re[base + source[e]];
        const y = im[base + source[e]];
        blockRe[e] = pr * x - pi * y;
        blockIm[e] = pr * y + pi * x;
      }
    } else {
      for (let e = 0; e < 16; e++) {
        tmpRe[e] = re[base + offsets[e]];
        tmpIm[e] = im[base + offsets[e]];
      }
      // T = U B into blockRe/Im, then N = T U† back into tmpRe/Im and copied to block.
      for (let r = 0; r < 4; r++) {
        for (let c = 0; c < 4; c++) {
          let sR = 0;
          let sI = 0;
          for (let j = 0; j < 4; j++) {
            const ur = m[2 * (4 * r + j)];
            const ui = m[2 * (4 * r + j) + 1];
            const x = tmpRe[4 * j + c];
            const y = tmpIm[4 * j + c];
            sR += ur * x - ui * y;
            sI += ur * y + ui * x;
          }
          blockRe[4 * r + c] = sR;
          blockIm[4 * r + c] = sI;
        }
      }
      for (let r = 0; r < 4; r++) {
        for (let c = 0; c < 4; c++) {
          let sR = 0;
          let sI = 0;
          for (let j = 0; j < 4; j++) {
            const ur = m[2 * (4 * c + j)];
            const ui = -m[2 * (4 * c + j) + 1];
            const x = blockRe[4 * r + j];
            const y = blockIm[4 * r + j];
            sR += ur * x - ui * y;
            sI += ur * y + ui * x;
          }
          tmpRe[4 * r + c] = sR;
          tmpIm[4 * r + c] = sI;
        }
      }
      for (let e = 0; e < 16; e++) {
        blockRe[e] = tmpRe[e];
        blockIm[e] = tmpIm[e];
      }
    }
    if (depolarize) {
      const trR = mix * (blockRe[0] + blockRe[5] + blockRe[10] + blockRe[15]);
      const trI = mix * (blockIm[0] + blockIm[5] + blockIm[10] + blockIm[15]);
      for (let e = 0; e < 16; e++) {
        blockRe[e] *= lambda;
        blockIm[e] *= lambda;
      }
      for (let e = 0; e < 16; e += 5) {
        blockRe[e] += trR;
        blockIm[e] += trI;
      }
    }
    if (relax) {
      relaxBlock(RELAX_FLOW_1, RELAX_COHERENT_1, relaxGamma, relaxKeep, relaxCoherence);
      relaxBlock(RELAX_FLOW_2, RELAX_COHERENT_2, relaxGamma, relaxKeep, relaxCoherence);
    }
    for (let e = 0; e < 16; e++) {
      re[base + offsets[e]] = blockRe[e];
      im[base + offsets[e]] = blockIm[e];
    }
  }
}

/**
 * Index tables of the relaxation of local qubit bit (1 or 2) on a 4×4 block e = 4r + c: `flow`
 * holds pairs (e, partner) with the bit set in both r and c (ρ_e decays by 1 − γ into the partner
 * with the bit cleared in both), `coherent` the entries with the bit set in exactly one of r, c.
 */
function relaxTables(bit: number): { flow: Int8Array; coherent: Int8Array } {
  const flow: number[] = [];
  const coherent: number[] = [];
  for (let e = 0; e < 16; e++) {
    const rb = (e >>> 2) & bit;
    const cb = e & 3 & bit;
    if (rb !== 0 && cb !== 0) flow.push(e, 4 * ((e >>> 2) ^ bit) + ((e & 3) ^ bit));
    else if (rb !== cb) coherent.push(e);
  }
  return { flow: Int8Array.from(flow), coherent: Int8Array.from(coherent) };
}

const TABLES_1 = relaxTables(1);
const TABLES_2 = relaxTables(2);
const RELAX_FLOW_1 = TABLES_1.flow;
const RELAX_COHERENT_1 = TABLES_1.coherent;
const RELAX_FLOW_2 = TABLES_2.flow;
const RELAX_COHERENT_2 = TABLES_2.coherent;

/** Thermal relaxation of one local qubit (its tables from relaxTables) on the 4×4 block in blockRe/Im. */
function relaxBlock(flow: Int8Array, coherent: Int8Array, gamma: number, keep: number, coherence: number): void {
  for (let k = 0; k < flow.length; k += 2) {
    const e = flow[k];
    const partner = flow[k + 1];
    blockRe[partner] += gamma * blockRe[e];
    blockIm[partner] += gamma * blockIm[e];
    blockRe[e] *= keep;
    blockIm[e] *= keep;
  }
  for (let k = 0; k < coherent.length; k++) {
    const e = coherent[k];
    blockRe[e] *= coherence;
    blockIm[e] *= coherence;
  }
}
