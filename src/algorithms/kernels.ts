/**
 * State-vector kernels used by the algorithms: gate application on raw (re, im) arrays (forward and
 * inverse), Pauli-string matrix elements ⟨a|P|b⟩ and a Pauli-sum product out = H·in.
 *
 * Layout: a state on n qubits is two Float64Arrays re, im of length 2ⁿ; qubit 0 is the least
 * significant bit of the basis index. A Pauli string is (x, z) bit masks with Y where both bits are
 * set (see src/qubits/pauli-layout.ts), so P|i⟩ = i^{popcount(x&z)} (−1)^{popcount(i&z)} |i ⊕ x⟩.
 * Gate conventions follow src/circuits/circuit.ts: R_P(θ) = exp(−iθP/2) = cos(θ/2) − i sin(θ/2) P.
 *
 * These loops are written for speed (no allocation, no objects per amplitude); the adjoint
 * gradient walks a circuit backwards on two vectors at once and needs exactly this raw access.
 */
import type { Circuit, Gate } from '../circuits/circuit.js';
import type { PauliSumData } from '../qubits/pauli-layout.js';

/** Parity (0 or 1) of the set bits of a 32-bit integer. */
export function parity32(v: number): number {
  v ^= v >>> 16;
  v ^= v >>> 8;
  v ^= v >>> 4;
  return (0x6996 >>> (v & 0xf)) & 1;
}

function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** The rotation angle of a gate at the given parameters: angle + factor·θ[parameter]. */
export function gateAngle(gate: Gate, parameters: ArrayLike<number>): number {
  return gate.parameter >= 0 ? gate.angle + gate.factor * parameters[gate.parameter] : gate.angle;
}

/**
 * The Pauli generator (x, z masks) of a rotation gate: exp(−iθG/2) with G = X, Y, Z on one qubit or
 * the gate's Pauli string. Returns null for gates that are not rotations.
 */
export function rotationGenerator(gate: Gate): { x: number; z: number } | null {
  switch (gate.kind) {
    case 'rx':
      return { x: (1 << gate.qubits[0]) >>> 0, z: 0 };
    case 'ry':
      return { x: (1 << gate.qubits[0]) >>> 0, z: (1 << gate.qubits[0]) >>> 0 };
    case 'rz':
      return { x: 0, z: (1 << gate.qubits[0]) >>> 0 };
    case 'pauliRotation':
      return { x: gate.pauliX ?? 0, z: gate.pauliZ ?? 0 };
    default:
      return null;
  }
}

/**
 * Apply exp(−iθP/2) in place; when `controlMask` is non-zero only basis states with all those bits set
 * are acted on (a controlled rotation).
 */
export function applyPauliRotation(
  re: Float64Array,
  im: Float64Array,
  x: number,
  z: number,
  theta: number,
  controlMask = 0,
): void {
  const dim = re.length;
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  const ny = popcount32(x & z) & 3;
  if (x === 0) {
    // Diagonal: phase exp(∓iθ/2) by the Z-parity (ny = 0 here).
    for (let i = 0; i < dim; i++) {
      if ((i & controlMask) !== controlMask) continue;
      const sg = parity32(i & z) ? -s : s;
      const r = re[i];
      const m = im[i];
      // (c − i sg)(r + i m)
      re[i] = c * r + sg * m;
      im[i] = c * m - sg * r;
    }
    return;
  }
  // i^{ny} as (pr, pi).
  const pr = ny === 0 ? 1 : ny === 2 ? -1 : 0;
  const pi = ny === 1 ? 1 : ny === 3 ? -1 : 0;
  let high = x;
  high |= high >>> 1;
  high |= high >>> 2;
  high |= high >>> 4;
  high |= high >>> 8;
  high |= high >>> 16;
  high = (high ^ (high >>> 1)) >>> 0;
  for (let i = 0; i < dim; i++) {
    if ((i & high) !== 0) continue;
    if ((i & controlMask) !== controlMask) continue;
    const j = (i ^ x) >>> 0;
    // P|i⟩ = ph_i |j⟩, P|j⟩ = ph_j |i⟩.
    const si = parity32(i & z) ? -1 : 1;
    const sj = parity32(j & z) ? -1 : 1;
    const ar = re[i];
    const ai = im[i];
    const br = re[j];
    const bi = im[j];
    // −i s ph_j ψ_j with ph_j = sj (pr + i pi): −i s sj (pr + i pi)(br + i bi)
    const tjr = sj * (pr * br - pi * bi);
    const tji = sj * (pr * bi + pi * br);
    const tir = si * (pr * ar - pi * ai);
    const tii = si * (pr * ai + pi * ar);
    // −i·(u + iv) = v − iu
    re[i] = c * ar + s * tji;
    im[i] = c * ai - s * tjr;
    re[j] = c * br + s * tii;
    im[j] = c * bi - s * tir;
  }
}

/** Multiply by a diagonal phase e^{iφ} on basis states with all bits of `mask` set. */
function applyPhase(re: Float64Array, im: Float64Array, mask: number, phi: number): void {
  // Exact −1 for φ = π (Z, CZ) so that Clifford gates do not leak round-off.
  const c = phi === Math.PI ? -1 : Math.cos(phi);
  const s = phi === Math.PI ? 0 : Math.sin(phi);
  const dim = re.length;
  for (let i = 0; i < dim; i++) {
    if ((i & mask) !== mask) continue;
    const r = re[i];
    const m = im[i];
    re[i] = c * r - s * m;
    im[i] = s * r + c * m;
  }
}

/**
 * Apply one gate (or its inverse) in place at the given parameters.
 *
 * Gates with a `control` qubit are supported for pauliRotation (used by phase estimation).
 */
export function applyGateKernel(
  re: Float64Array,
  im: Float64Array,
  gate: Gate,
  parameters: ArrayLike<number>,
  inverse = false,
): void {
  const q0 = gate.qubits[0];
  const b0 = (1 << q0) >>> 0;
  const controlMask = gate.control !== undefined ? (1 << gate.control) >>> 0 : 0;
  const sign = inverse ? -1 : 1;
  const dim = re.length;
  switch (gate.kind) {
    case 'rx':
    case 'ry':
    case 'rz':
    case 'pauliRotation': {
      const gen = rotationGenerator(gate)!;
      applyPauliRotation(re, im, gen.x, gen.z, sign * gateAngle(gate, parameters), controlMask);
      return;
    }
    case 'x':
      for (let i = 0; i < dim; i++) {
        if ((i & b0) !== 0) continue;
        const j = i | b0;
        let t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
      return;
    case 'y':
      // Y|0⟩ = i|1⟩, Y|1⟩ = −i|0⟩; self-inverse.
      for (let i = 0; i < dim; i++) {
        if ((i & b0) !== 0) continue;
        const j = i | b0;
        const ar = re[i];
        const ai = im[i];
        const br = re[j];
        const bi = im[j];
        // new_i = −i b, new_j = i a
        re[i] = bi;
        im[i] = -br;
        re[j] = -ai;
        im[j] = ar;
      }
      return;
    case 'z':
      applyPhase(re, im, b0, Math.PI);
      return;
    case 's':
      applyPhase(re, im, b0, (sign * Math.PI) / 2);
      return;
    case 'sdg':
      applyPhase(re, im, b0, (-sign * Math.PI) / 2);
      return;
    case 't':
      applyPhase(re, im, b0, (sign * Math.PI) / 4);
      return;
    case 'tdg':
      applyPhase(re, im, b0, (-sign * Math.PI) / 4);
      return;
    case 'h': {
      const r2 = Math.SQRT1_2;
      for (let i = 0; i < dim; i++) {
        if ((i & b0) !== 0) continue;
        const j = i | b0;
        const ar = re[i];
        const ai = im[i];
        const br = re[j];
        const bi = im[j];
        re[i] = r2 * (ar + br);
        im[i] = r2 * (ai + bi);
        re[j] = r2 * (ar - br);
        im[j] = r2 * (ai - bi);
      }
      return;
    }
    case 'cnot': {
      const cm = b0;
      const tm = (1 << gate.qubits[1]) >>> 0;
      for (let i = 0; i < dim; i++) {
        if ((i & cm) === 0 || (i & tm) !== 0) continue;
        const j = i | tm;
        let t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
      return;
    }
    case 'cz':
      applyPhase(re, im, (b0 | (1 << gate.qubits[1])) >>> 0, Math.PI);
      return;
    case 'swap': {
      const am = b0;
      const bm = (1 << gate.qubits[1]) >>> 0;
      for (let i = 0; i < dim; i++) {
        if ((i & am) === 0 || (i & bm) !== 0) continue;
        const j = (i ^ am ^ bm) >>> 0;
        let t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
      return;
    }
    default: {
      const kind: never = gate.kind;
      throw new Error(`unknown gate kind ${String(kind)}`);
    }
  }
}

/** Run a whole circuit in place on (re, im). */
export function runCircuitKernel(
  re: Float64Array,
  im: Float64Array,
  circuit: Circuit,
  parameters: ArrayLike<number>,
): void {
  for (const gate of circuit.gates) applyGateKernel(re, im, gate, parameters, false);
}

/**
 * ⟨a|P|b⟩ for the Pauli string (x, z); returns [real, imaginary].
 * Σ_i conj(a_{i⊕x}) · i^{ny} (−1)^{popcount(i&z)} b_i.
 */
export function pauliMatrixElement(
  aRe: Float64Array,
  aIm: Float64Array,
  x: number,
  z: number,
  bRe: Float64Array,
  bIm: Float64Array,
): [number, number] {
  const dim = aRe.length;
  let sr = 0;
  let si = 0;
  for (let i = 0; i < dim; i++) {
    const j = (i ^ x) >>> 0;
    const sg = parity32(i & z) ? -1 : 1;
    // conj(a_j) b_i
    const ar = aRe[j];
    const ai = aIm[j];
    const br = bRe[i];
    const bi = bIm[i];
    sr += sg * (ar * br + ai * bi);
    si += sg * (ar * bi - ai * br);
  }
  const ny = popcount32(x & z) & 3;
  switch (ny) {
    case 0:
      return [sr, si];
    case 1:
      return [-si, sr];
    case 2:
      return [-sr, -si];
    default:
      return [si, -sr];
  }
}

/** out = H·in for a Pauli sum H (out is overwritten). */
export function applyPauliSumKernel(
  op: PauliSumData,
  inRe: Float64Array,
  inIm: Float64Array,
  outRe: Float64Array,
  outIm: Float64Array,
): void {
  outRe.fill(0);
  outIm.fill(0);
  const dim = inRe.length;
  const nTerms = op.x.length;
  for (let t = 0; t < nTerms; t++) {
    const x = op.x[t];
    const z = op.z[t];
    const ny = popcount32(x & z) & 3;
    // coefficient × i^{ny}
    let cr = op.coeffRe[t];
    let ci = op.coeffIm[t];
    for (let k = 0; k < ny; k++) {
      const tmp = cr;
      cr = -ci;
      ci = tmp;
    }
    for (let i = 0; i < dim; i++) {
      const j = (i ^ x) >>> 0;
      const odd = parity32(i & z);
      const sr = odd ? -cr : cr;
      const si = odd ? -ci : ci;
      const br = inRe[i];
      const bi = inIm[i];
      outRe[j] += sr * br - si * bi;
      outIm[j] += sr * bi + si * br;
    }
  }
}

/** Re⟨a|b⟩. */
export function realInner(aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array): number {
  let s = 0;
  for (let i = 0; i < aRe.length; i++) s += aRe[i] * bRe[i] + aIm[i] * bIm[i];
  return s;
}
