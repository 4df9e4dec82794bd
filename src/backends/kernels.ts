/**
 * Hot gate kernels on a state vector stored as separate real/imaginary Float64Arrays of length 2^n.
 *
 * Conventions: qubit q is bit q of the basis index (qubit 0 least significant). A one-qubit gate on
 * qubit q pairs index i (bit q clear) with i + 2^q; the loops walk blocks of 2^(q+1) amplitudes so no
 * per-amplitude bit tests are needed. Two-qubit gates walk the indices with both bits clear through
 * three nested block loops. Rotations: RX(θ) = exp(−iθX/2), RY(θ) = exp(−iθY/2), RZ(θ) = exp(−iθZ/2).
 *
 * A Pauli string is given by masks (x, z): qubit k carries X if only bit k of x is set, Z if only bit
 * k of z, Y if both. Then P|i⟩ = i^nY (−1)^popcount(i & z) |i ⊕ x⟩ with nY = popcount(x & z).
 *
 * These functions do no validation: callers (apply.ts) check qubit indices and masks.
 * Bit counting (parity32, popcount32) is the qubit stage's, re-exported for the backend's callers.
 */
import { parity32, popcount32 } from '../qubits/pauli-algebra.js';

export { parity32, popcount32 };

/** Length of the per-call sign table of the Pauli kernels. */
const SIGN_TABLE_SIZE = 1024;
const signTableBuffer = new Float64Array(SIGN_TABLE_SIZE);

/** table[k] = (−1)^popcount(k & z) for k < len (len a power of two ≤ SIGN_TABLE_SIZE); shared buffer. */
function signTable(z: number, len: number): Float64Array {
  const t = signTableBuffer;
  t[0] = 1;
  // Doubling: entries with bit b set are the entries below times the sign of bit b in z.
  for (let half = 1; half < len; half *= 2) {
    const f = (z & half) !== 0 ? -1 : 1;
    for (let k = 0; k < half; k++) t[half + k] = f * t[k];
  }
  return t;
}

/** Hadamard on qubit q. */
export function kernelH(re: Float64Array, im: Float64Array, q: number): void {
  const s = 2 ** q;
  const n = re.length;
  const r = Math.SQRT1_2;
  if (s === 1) {
    // Qubit 0: neighbouring pairs, one flat loop.
    for (let i = 0; i < n; i += 2) {
      const j = i + 1;
      const ar = re[i];
      const ai = im[i];
      const br = re[j];
      const bi = im[j];
      re[i] = (ar + br) * r;
      im[i] = (ai + bi) * r;
      re[j] = (ar - br) * r;
      im[j] = (ai - bi) * r;
    }
    return;
  }
  for (let base = 0; base < n; base += 2 * s) {
    const end = base + s;
    for (let i = base; i < end; i++) {
      const j = i + s;
      const ar = re[i];
      const ai = im[i];
      const br = re[j];
      const bi = im[j];
      re[i] = (ar + br) * r;
      im[i] = (ai + bi) * r;
      re[j] = (ar - br) * r;
      im[j] = (ai - bi) * r;
    }
  }
}

/** Pauli X on qubit q. */
export function kernelX(re: Float64Array, im: Float64Array, q: number): void {
  const s = 2 ** q;
  const n = re.length;
  if (s === 1) {
    // Qubit 0: neighbouring pairs, one flat loop.
    for (let i = 0; i < n; i += 2) {
      const j = i + 1;
      const ar = re[i];
      const ai = im[i];
      re[i] = re[j];
      im[i] = im[j];
      re[j] = ar;
      im[j] = ai;
    }
    return;
  }
  for (let base = 0; base < n; base += 2 * s) {
    const end = base + s;
    for (let i = base; i < end; i++) {
      const j = i + s;
      const ar = re[i];
      const ai = im[i];
      re[i] = re[j];
      im[i] = im[j];
      re[j] = ar;
      im[j] = ai;
    }
  }
}

/** Pauli Y on qubit q: |0⟩ → i|1⟩, |1⟩ → −i|0⟩. */
export function kernelY(re: Float64Array, im: Float64Array, q: number): void {
  const s = 2 ** q;
  const n = re.length;
  if (s === 1) {
    // Qubit 0: neighbouring pairs, one flat loop.
    for (let i = 0; i < n; i += 2) {
      const j = i + 1;
      const ar = re[i];
      const ai = im[i];
      // new a = −i b, new b = i a
      re[i] = im[j];
      im[i] = -re[j];
      re[j] = -ai;
      im[j] = ar;
    }
    return;
  }
  for (let base = 0; base < n; base += 2 * s) {
    const end = base + s;
    for (let i = base; i < end; i++) {
      const j = i + s;
      const ar = re[i];
      const ai = im[i];
      // new a = −i b, new b = i a
      re[i] = im[j];
      im[i] = -re[j];
      re[j] = -ai;
      im[j] = ar;
    }
  }
}

/**
 * Multiplies the amplitudes with bit q set by the phase (cr + i ci): Z (−1), S (i), S† (−i),
 * T (e^{iπ/4}), T† (e^{−iπ/4}).
 */
export function kernelPhase(re: Float64Array, im: Float64Array, q: number, cr: number, ci: number): void {
  const s = 2 ** q;
  const n = re.length;
  if (s === 1) {
    for (let j = 1; j < n; j += 2) {
      const br = re[j];
      const bi = im[j];
      re[j] = br * cr - bi * ci;
      im[j] = br * ci + bi * cr;
    }
    return;
  }
  for (let base = s; base < n; base += 2 * s) {
    const end = base + s;
    for (let j = base; j < end; j++) {
      const br = re[j];
      const bi = im[j];
      re[j] = br * cr - bi * ci;
      im[j] = br * ci + bi * cr;
    }
  }
}

/** Pauli Z on qubit q (sign flip of the amplitudes with bit q set). */
export function kernelZ(re: Float64Array, im: Float64Array, q: number): void {
  const s = 2 ** q;
  const n = re.length;
  if (s === 1) {
    for (let j = 1; j < n; j += 2) {
      re[j] = -re[j];
      im[j] = -im[j];
    }
    return;
  }
  for (let base = s; base < n; base += 2 * s) {
    const end = base + s;
    for (let j = base; j < end; j++) {
      re[j] = -re[j];
      im[j] = -im[j];
    }
  }
}

/** RX(θ) = [[c, −is], [−is, c]] with c = cos θ/2, s = sin θ/2, on qubit q. */
export function kernelRX(re: Float64Array, im: Float64Array, q: number, theta: number): void {
  const st = 2 ** q;
  const n = re.length;
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  if (st === 1) {
    // Qubit 0: neighbouring pairs, one flat loop.
    for (let i = 0; i < n; i += 2) {
      const j = i + 1;
      const ar = re[i];
      const ai = im[i];
      const br = re[j];
      const bi = im[j];
      re[i] = c * ar + s * bi;
      im[i] = c * ai - s * br;
      re[j] = c * br + s * ai;
      im[j] = c * bi - s * ar;
    }
    return;
  }
  for (let base = 0; base < n; base += 2 * st) {
    const end = base + st;
    for (let i = base; i < end; i++) {
      const j = i + st;
      const ar = re[i];
      const ai = im[i];
      const br = re[j];
      const bi = im[j];
      re[i] = c * ar + s * bi;
      im[i] = c * ai - s * br;
      re[j] = c * br + s * ai;
      im[j] = c * bi - s * ar;
    }
  }
}

/** RY(θ) = [[c, −s], [s, c]] with c = cos θ/2, s = sin θ/2, on qubit q. */
export function kernelRY(re: Float64Array, im: Float64Array, q: number, theta: number): void {
  const st = 2 ** q;
  const n = re.length;
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  if (st === 1) {
    // Qubit 0: neighbouring pairs, one flat loop.
    for (let i = 0; i < n; i += 2) {
      const j = i + 1;
      const ar = re[i];
      const ai = im[i];
      const br = re[j];
      const bi = im[j];
      re[i] = c * ar - s * br;
      im[i] = c * ai - s * bi;
      re[j] = s * ar + c * br;
      im[j] = s * ai + c * bi;
    }
    return;
  }
  for (let base = 0; base < n; base += 2 * st) {
    const end = base + st;
    for (let i = base; i < end; i++) {
      const j = i + st;
      const ar = re[i];
      const ai = im[i];
      const br = re[j];
      const bi = im[j];
      re[i] = c * ar - s * br;
      im[i] = c * ai - s * bi;
      re[j] = s * ar + c * br;
      im[j] = s * ai + c * bi;
    }
  }
}

/** RZ(θ) = diag(e^{−iθ/2}, e^{iθ/2}) on qubit q. */
export function kernelRZ(re: Float64Array, im: Float64Array, q: number, theta: number): void {
  const st = 2 ** q;
  const n = re.length;
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  if (st === 1) {
    // Qubit 0: neighbouring pairs, one flat loop.
    for (let i = 0; i < n; i += 2) {
      const j = i + 1;
      const ar = re[i];
      const ai = im[i];
      const br = re[j];
      const bi = im[j];
      // a · (c − is), b · (c + is)
      re[i] = c * ar + s * ai;
      im[i] = c * ai - s * ar;
      re[j] = c * br - s * bi;
      im[j] = c * bi + s * br;
    }
    return;
  }
  for (let base = 0; base < n; base += 2 * st) {
    const end = base + st;
    for (let i = base; i < end; i++) {
      const j = i + st;
      const ar = re[i];
      const ai = im[i];
      const br = re[j];
      const bi = im[j];
      // a · (c − is), b · (c + is)
      re[i] = c * ar + s * ai;
      im[i] = c * ai - s * ar;
      re[j] = c * br - s * bi;
      im[j] = c * bi + s * br;
    }
  }
}

/** CNOT with control qubit c and target qubit t (c ≠ t). */
export function kernelCNOT(re: Float64Array, im: Float64Array, c: number, t: number): void {
  const lo = c < t ? c : t;
  const hi = c < t ? t : c;
  const sl = 2 ** lo;
  const sh = 2 ** hi;
  const cm = 2 ** c;
  const tm = 2 ** t;
  const n = re.length;
  for (let a = 0; a < n; a += 2 * sh) {
    const aEnd = a + sh;
    for (let b = a; b < aEnd; b += 2 * sl) {
      const bEnd = b + sl;
      for (let i0 = b; i0 < bEnd; i0++) {
        const i = i0 + cm;
        const j = i + tm;
        const xr = re[i];
        const xi = im[i];
        re[i] = re[j];
        im[i] = im[j];
        re[j] = xr;
        im[j] = xi;
      }
    }
  }
}

/** CZ on qubits a and b (sign flip where both bits are set). */
export function kernelCZ(re: Float64Array, im: Float64Array, qa: number, qb: number): void {
  const lo = qa < qb ? qa : qb;
  const hi = qa < qb ? qb : qa;
  const sl = 2 ** lo;
  const sh = 2 ** hi;
  const both = sl + sh;
  const n = re.length;
  for (let a = 0; a < n; a += 2 * sh) {
    const aEnd = a + sh;
    for (let b = a; b < aEnd; b += 2 * sl) {
      const bEnd = b + sl;
      for (let i0 = b; i0 < bEnd; i0++) {
        const i = i0 + both;
        re[i] = -re[i];
        im[i] = -im[i];
      }
    }
  }
}

/** SWAP of qubits a and b. */
export function kernelSWAP(re: Float64Array, im: Float64Array, qa: number, qb: number): void {
  const lo = qa < qb ? qa : qb;
  const hi = qa < qb ? qb : qa;
  const sl = 2 ** lo;
  const sh = 2 ** hi;
  const n = re.length;
  for (let a = 0; a < n; a += 2 * sh) {
    const aEnd = a + sh;
    for (let b = a; b < aEnd; b += 2 * sl) {
      const bEnd = b + sl;
      for (let i0 = b; i0 < bEnd; i0++) {
        const i = i0 + sl;
        const j = i0 + sh;
        const xr = re[i];
        const xi = im[i];
        re[i] = re[j];
        im[i] = im[j];
        re[j] = xr;
        im[j] = xi;
      }
    }
  }
}

/**
 * Pauli rotation exp(−iθP/2) = cos(θ/2) I − i sin(θ/2) P for the Pauli string (x, z), applied
 * directly: each pair (i, i ⊕ x) mixes with the phase i^nY (−1)^popcount(i & z).
 *
 * When `controlMask` ≠ 0 (a single bit outside x|z) only amplitudes whose control bit is set change:
 * the controlled rotation used by phase estimation.
 */
export function kernelPauliRotation(
  re: Float64Array,
  im: Float64Array,
  x: number,
  z: number,
  theta: number,
  controlMask = 0,
): void {
  const n = re.length;
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  if (x === 0) {
    // Diagonal: ψ_i ← ψ_i (c − i s sgn_i).
    if (controlMask === 0) {
      const len = n < SIGN_TABLE_SIZE ? n : SIGN_TABLE_SIZE;
      const table = signTable(z, len);
      for (let mid = 0; mid < n; mid += len) {
        const sm = parity32(mid & z) === 0 ? s : -s;
        for (let k = 0; k < len; k++) {
          const i = mid + k;
          const sg = sm * table[k];
          const ar = re[i];
          const ai = im[i];
          re[i] = c * ar + sg * ai;
          im[i] = c * ai - sg * ar;
        }
      }
    } else {
      const st = controlMask;
      for (let base = st; base < n; base += 2 * st) {
        const end = base + st;
        for (let i = base; i < end; i++) {
          const sg = parity32(i & z) === 0 ? s : -s;
          const ar = re[i];
          const ai = im[i];
          re[i] = c * ar + sg * ai;
          im[i] = c * ai - sg * ar;
        }
      }
    }
    return;
  }
  // Off-diagonal: new_i = c ψ_i + w sgn_j ψ_j, new_j = c ψ_j + w sgn_i ψ_i with w = −i s i^nY and
  // sgn_j = sgn_i (−1)^nY.
  const nY = popcount32(x & z);
  const phase = (nY + 3) & 3; // −i · i^nY = i^(nY+3)
  let wr = 0;
  let wi = 0;
  if (phase === 0) wr = s;
  else if (phase === 1) wi = s;
  else if (phase === 2) wr = -s;
  else wi = -s;
  const ySign = (nY & 1) === 0 ? 1 : -1;
  const h = 31 - Math.clz32(x);
  const sh = 2 ** h;
  const xm = x >>> 0;
  if (controlMask === 0) {
    // Signs (−1)^popcount(i & z) = (sign of the block start) · table[offset within the block].
    const len = sh < SIGN_TABLE_SIZE ? sh : SIGN_TABLE_SIZE;
    const table = signTable(z, len);
    for (let base = 0; base < n; base += 2 * sh) {
      const end = base + sh;
      for (let mid = base; mid < end; mid += len) {
        const sm = parity32(mid & z) === 0 ? 1 : -1;
        for (let k = 0; k < len; k++) {
          const i = mid + k;
          const j = (i ^ xm) >>> 0;
          const si = sm * table[k];
          const sj = si * ySign;
          const ar = re[i];
          const ai = im[i];
          const br = re[j];
          const bi = im[j];
          const pr = wr * sj;
          const pi = wi * sj;
          const qr = wr * si;
          const qi = wi * si;
          re[i] = c * ar + pr * br - pi * bi;
          im[i] = c * ai + pr * bi + pi * br;
          re[j] = c * br + qr * ar - qi * ai;
          im[j] = c * bi + qr * ai + qi * ar;
        }
      }
    }
    return;
  }
  // Controlled: walk indices with bit h clear and the control bit set.
  const cb = 31 - Math.clz32(controlMask);
  const lo = cb < h ? cb : h;
  const hi = cb < h ? h : cb;
  const sl = 2 ** lo;
  const shi = 2 ** hi;
  for (let a = 0; a < n; a += 2 * shi) {
    const aEnd = a + shi;
    for (let b = a; b < aEnd; b += 2 * sl) {
      const bEnd = b + sl;
      for (let i0 = b; i0 < bEnd; i0++) {
        const i = i0 + controlMask;
        const j = (i ^ xm) >>> 0;
        const si = parity32(i & z) === 0 ? 1 : -1;
        const sj = si * ySign;
        const ar = re[i];
        const ai = im[i];
        const br = re[j];
        const bi = im[j];
        const pr = wr * sj;
        const pi = wi * sj;
        const qr = wr * si;
        const qi = wi * si;
        re[i] = c * ar + pr * br - pi * bi;
        im[i] = c * ai + pr * bi + pi * br;
        re[j] = c * br + qr * ar - qi * ai;
        im[j] = c * bi + qr * ai + qi * ar;
      }
    }
  }
}

/** ψ ← Pψ in place for the Pauli string (x, z): (Pψ)_{i⊕x} = i^nY (−1)^popcount(i & z) ψ_i. */
export function kernelPauliString(re: Float64Array, im: Float64Array, x: number, z: number): void {
  const n = re.length;
  if (x === 0) {
    if (z === 0) return;
    for (let i = 0; i < n; i++) {
      if (parity32(i & z) !== 0) {
        re[i] = -re[i];
        im[i] = -im[i];
      }
    }
    return;
  }
  const nY = popcount32(x & z);
  const phase = nY & 3;
  const wr = phase === 0 ? 1 : phase === 2 ? -1 : 0;
  const wi = phase === 1 ? 1 : phase === 3 ? -1 : 0;
  const ySign = (nY & 1) === 0 ? 1 : -1;
  const h = 31 - Math.clz32(x);
  const sh = 2 ** h;
  const xm = x >>> 0;
  for (let base = 0; base < n; base += 2 * sh) {
    const end = base + sh;
    for (let i = base; i < end; i++) {
      const j = (i ^ xm) >>> 0;
      const si = parity32(i & z) === 0 ? 1 : -1;
      const sj = si * ySign;
      const ar = re[i];
      const ai = im[i];
      const br = re[j];
      const bi = im[j];
      // new_i = w sgn_j ψ_j, new_j = w sgn_i ψ_i
      re[i] = sj * (wr * br - wi * bi);
      im[i] = sj * (wr * bi + wi * br);
      re[j] = si * (wr * ar - wi * ai);
      im[j] = si * (wr * ai + wi * ar);
    }
  }
}
