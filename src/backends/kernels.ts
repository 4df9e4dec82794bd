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
 * Speed (V8): strides are formed as 1 << q, which keeps every index an int32 (a register has at most
 * 30 qubits, so all indices and masks are below 2^30); 2 ** q is typed as a double and turns each
 * array access into a checked double-to-integer conversion. The rotation kernels update four pairs
 * (or four diagonal entries) per loop iteration: V8 does not unroll loops, and the per-iteration
 * bookkeeping (bounds and map checks, counters) costs about as much as one pair update.
 *
 * These functions do no validation: callers (apply.ts) check qubit indices and masks.
 * Bit counting (parity32, popcount32) comes from the core stage.
 */
import { parity32, popcount32 } from '../core/index.js';

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
  const s = 1 << q;
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
  const s = 1 << q;
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
  const s = 1 << q;
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
  const s = 1 << q;
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
  const s = 1 << q;
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
  const st = 1 << q;
  const n = re.length;
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  if (st >= 4) {
    // Four pairs per iteration: V8 does not unroll, and the loop bookkeeping is a large share of a
    // pair update.
    for (let base = 0; base < n; base += 2 * st) {
      const end = base + st;
      for (let i = base; i < end; i += 4) {
        const j = i + st;
        const ar0 = re[i];
        const ai0 = im[i];
        const br0 = re[j];
        const bi0 = im[j];
        re[i] = c * ar0 + s * bi0;
        im[i] = c * ai0 - s * br0;
        re[j] = c * br0 + s * ai0;
        im[j] = c * bi0 - s * ar0;
        const ar1 = re[i + 1];
        const ai1 = im[i + 1];
        const br1 = re[j + 1];
        const bi1 = im[j + 1];
        re[i + 1] = c * ar1 + s * bi1;
        im[i + 1] = c * ai1 - s * br1;
        re[j + 1] = c * br1 + s * ai1;
        im[j + 1] = c * bi1 - s * ar1;
        const ar2 = re[i + 2];
        const ai2 = im[i + 2];
        const br2 = re[j + 2];
        const bi2 = im[j + 2];
        re[i + 2] = c * ar2 + s * bi2;
        im[i + 2] = c * ai2 - s * br2;
        re[j + 2] = c * br2 + s * ai2;
        im[j + 2] = c * bi2 - s * ar2;
        const ar3 = re[i + 3];
        const ai3 = im[i + 3];
        const br3 = re[j + 3];
        const bi3 = im[j + 3];
        re[i + 3] = c * ar3 + s * bi3;
        im[i + 3] = c * ai3 - s * br3;
        re[j + 3] = c * br3 + s * ai3;
        im[j + 3] = c * bi3 - s * ar3;
      }
    }
    return;
  }
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
  const st = 1 << q;
  const n = re.length;
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  if (st >= 4) {
    // Four pairs per iteration: V8 does not unroll, and the loop bookkeeping is a large share of a
    // pair update.
    for (let base = 0; base < n; base += 2 * st) {
      const end = base + st;
      for (let i = base; i < end; i += 4) {
        const j = i + st;
        const ar0 = re[i];
        const ai0 = im[i];
        const br0 = re[j];
        const bi0 = im[j];
        re[i] = c * ar0 - s * br0;
        im[i] = c * ai0 - s * bi0;
        re[j] = s * ar0 + c * br0;
        im[j] = s * ai0 + c * bi0;
        const ar1 = re[i + 1];
        const ai1 = im[i + 1];
        const br1 = re[j + 1];
        const bi1 = im[j + 1];
        re[i + 1] = c * ar1 - s * br1;
        im[i + 1] = c * ai1 - s * bi1;
        re[j + 1] = s * ar1 + c * br1;
        im[j + 1] = s * ai1 + c * bi1;
        const ar2 = re[i + 2];
        const ai2 = im[i + 2];
        const br2 = re[j + 2];
        const bi2 = im[j + 2];
        re[i + 2] = c * ar2 - s * br2;
        im[i + 2] = c * ai2 - s * bi2;
        re[j + 2] = s * ar2 + c * br2;
        im[j + 2] = s * ai2 + c * bi2;
        const ar3 = re[i + 3];
        const ai3 = im[i + 3];
        const br3 = re[j + 3];
        const bi3 = im[j + 3];
        re[i + 3] = c * ar3 - s * br3;
        im[i + 3] = c * ai3 - s * bi3;
        re[j + 3] = s * ar3 + c * br3;
        im[j + 3] = s * ai3 + c * bi3;
      }
    }
    return;
  }
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
  const st = 1 << q;
  const n = re.length;
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  if (st >= 4) {
    // Four pairs per iteration: V8 does not unroll, and the loop bookkeeping is a large share of a
    // pair update.
    for (let base = 0; base < n; base += 2 * st) {
      const end = base + st;
      for (let i = base; i < end; i += 4) {
        const j = i + st;
        const ar0 = re[i];
        const ai0 = im[i];
        const br0 = re[j];
        const bi0 = im[j];
        re[i] = c * ar0 + s * ai0;
        im[i] = c * ai0 - s * ar0;
        re[j] = c * br0 - s * bi0;
        im[j] = c * bi0 + s * br0;
        const ar1 = re[i + 1];
        const ai1 = im[i + 1];
        const br1 = re[j + 1];
        const bi1 = im[j + 1];
        re[i + 1] = c * ar1 + s * ai1;
        im[i + 1] = c * ai1 - s * ar1;
        re[j + 1] = c * br1 - s * bi1;
        im[j + 1] = c * bi1 + s * br1;
        const ar2 = re[i + 2];
        const ai2 = im[i + 2];
        const br2 = re[j + 2];
        const bi2 = im[j + 2];
        re[i + 2] = c * ar2 + s * ai2;
        im[i + 2] = c * ai2 - s * ar2;
        re[j + 2] = c * br2 - s * bi2;
        im[j + 2] = c * bi2 + s * br2;
        const ar3 = re[i + 3];
        const ai3 = im[i + 3];
        const br3 = re[j + 3];
        const bi3 = im[j + 3];
        re[i + 3] = c * ar3 + s * ai3;
        im[i + 3] = c * ai3 - s * ar3;
        re[j + 3] = c * br3 - s * bi3;
        im[j + 3] = c * bi3 + s * br3;
      }
    }
    return;
  }
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
  const sl = 1 << lo;
  const sh = 1 << hi;
  const cm = 1 << c;
  const tm = 1 << t;
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
  const sl = 1 << lo;
  const sh = 1 << hi;
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
  const sl = 1 << lo;
  const sh = 1 << hi;
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
 * ψ_i ← ψ_i (c − i s (−1)^popcount(i & z)) over the whole register. The sign is (block sign) ·
 * table[offset]; amplitudes are taken four at a time (i a multiple of 4), so one table entry serves
 * the group and the two lowest bits of z give the fixed relative signs (1, e1, e2, e1 e2).
 */
function diagonalRotation(re: Float64Array, im: Float64Array, z: number, c: number, s: number): void {
  const n = re.length;
  const len = n < SIGN_TABLE_SIZE ? n : SIGN_TABLE_SIZE;
  const table = signTable(z, len);
  if (len < 4) {
    for (let i = 0; i < n; i++) {
      const g = s * table[i];
      const ar = re[i];
      const ai = im[i];
      re[i] = c * ar + g * ai;
      im[i] = c * ai - g * ar;
    }
    return;
  }
  const e1 = (z & 1) !== 0 ? -1 : 1;
  const e2 = (z & 2) !== 0 ? -1 : 1;
  const s0 = s;
  const s1 = s * e1;
  const s2 = s * e2;
  const s3 = s * e1 * e2;
  for (let mid = 0; mid < n; mid += len) {
    const sm = parity32(mid & z) === 0 ? 1 : -1;
    for (let k = 0; k < len; k += 4) {
      const t = sm * table[k];
      const i = mid + k;
        const g0 = s0 * t;
        const r0 = re[i];
        const m0 = im[i];
        re[i] = c * r0 + g0 * m0;
        im[i] = c * m0 - g0 * r0;
        const g1 = s1 * t;
        const r1 = re[i + 1];
        const m1 = im[i + 1];
        re[i + 1] = c * r1 + g1 * m1;
        im[i + 1] = c * m1 - g1 * r1;
        const g2 = s2 * t;
        const r2 = re[i + 2];
        const m2 = im[i + 2];
        re[i + 2] = c * r2 + g2 * m2;
        im[i + 2] = c * m2 - g2 * r2;
        const g3 = s3 * t;
        const r3 = re[i + 3];
        const m3 = im[i + 3];
        re[i + 3] = c * r3 + g3 * m3;
        im[i + 3] = c * m3 - g3 * r3;
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
      diagonalRotation(re, im, z, c, s);
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
  const sh = 1 << h;
  const xm = x | 0;
  if (controlMask === 0) {
    // Signs (−1)^popcount(i & z) = (sign of the block start) · table[offset within the block].
    const len = sh < SIGN_TABLE_SIZE ? sh : SIGN_TABLE_SIZE;
    const table = signTable(z, len);
    // w is real or imaginary, so each loop needs half the products of a general complex w.
    if (wi === 0) offDiagonalRealCoupling(re, im, c, wr * ySign, wr, xm, z, sh, table, len);
    else offDiagonalImaginaryCoupling(re, im, c, wi * ySign, wi, xm, z, sh, table, len);
    return;
  }
  // Controlled: walk indices with bit h clear and the control bit set.
  const cb = 31 - Math.clz32(controlMask);
  const lo = cb < h ? cb : h;
  const hi = cb < h ? h : cb;
  const sl = 1 << lo;
  const shi = 1 << hi;
  for (let a = 0; a < n; a += 2 * shi) {
    const aEnd = a + shi;
    for (let b = a; b < aEnd; b += 2 * sl) {
      const bEnd = b + sl;
      for (let i0 = b; i0 < bEnd; i0++) {
        const i = i0 + controlMask;
        const j = i ^ xm;
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

/**
 * Off-diagonal Pauli rotation with a real coupling w: new_i = c ψ_i + gi ψ_j, new_j = c ψ_j + gj ψ_i
 * with gi = w sgn_j = wForI · sgn_i (wForI = w (−1)^nY) and gj = wForJ · sgn_i (wForJ = w). Bit h of
 * x is the highest: i runs over the first halves of blocks of 2 sh, j = i ⊕ x, and
 * sgn_i = (block sign) · table[offset]. Short blocks (sh < 4) take the one-pair loop.
 */
function offDiagonalRealCoupling(
  re: Float64Array,
  im: Float64Array,
  c: number,
  wForI: number,
  wForJ: number,
  x: number,
  z: number,
  sh: number,
  table: Float64Array,
  len: number,
): void {
  const n = re.length;
  if (len >= 4) {
    // Four pairs (i + u, (i ⊕ x) ⊕ u), u < 4, per iteration (i is a multiple of 4): one table
    // entry serves all four, the low bits of z give the relative signs e_u.
    const e1 = (z & 1) !== 0 ? -1 : 1;
    const e2 = (z & 2) !== 0 ? -1 : 1;
    const fi0 = wForI;
    const fi1 = wForI * e1;
    const fi2 = wForI * e2;
    const fi3 = wForI * e1 * e2;
    const fj0 = wForJ;
    const fj1 = wForJ * e1;
    const fj2 = wForJ * e2;
    const fj3 = wForJ * e1 * e2;
    for (let base = 0; base < n; base += 2 * sh) {
      const end = base + sh;
      for (let mid = base; mid < end; mid += len) {
        const sm = parity32(mid & z) === 0 ? 1 : -1;
        for (let k = 0; k < len; k += 4) {
          const t = sm * table[k];
          const i = mid + k;
          const j = i ^ x;
          const gi0 = fi0 * t;
          const gj0 = fj0 * t;
          const ar0 = re[i];
          const ai0 = im[i];
          const br0 = re[j];
          const bi0 = im[j];
          re[i] = c * ar0 + gi0 * br0;
          im[i] = c * ai0 + gi0 * bi0;
          re[j] = c * br0 + gj0 * ar0;
          im[j] = c * bi0 + gj0 * ai0;
          const gi1 = fi1 * t;
          const gj1 = fj1 * t;
          const i1 = i + 1;
          const j1 = j ^ 1;
          const ar1 = re[i1];
          const ai1 = im[i1];
          const br1 = re[j1];
          const bi1 = im[j1];
          re[i1] = c * ar1 + gi1 * br1;
          im[i1] = c * ai1 + gi1 * bi1;
          re[j1] = c * br1 + gj1 * ar1;
          im[j1] = c * bi1 + gj1 * ai1;
          const gi2 = fi2 * t;
          const gj2 = fj2 * t;
          const i2 = i + 2;
          const j2 = j ^ 2;
          const ar2 = re[i2];
          const ai2 = im[i2];
          const br2 = re[j2];
          const bi2 = im[j2];
          re[i2] = c * ar2 + gi2 * br2;
          im[i2] = c * ai2 + gi2 * bi2;
          re[j2] = c * br2 + gj2 * ar2;
          im[j2] = c * bi2 + gj2 * ai2;
          const gi3 = fi3 * t;
          const gj3 = fj3 * t;
          const i3 = i + 3;
          const j3 = j ^ 3;
          const ar3 = re[i3];
          const ai3 = im[i3];
          const br3 = re[j3];
          const bi3 = im[j3];
          re[i3] = c * ar3 + gi3 * br3;
          im[i3] = c * ai3 + gi3 * bi3;
          re[j3] = c * br3 + gj3 * ar3;
          im[j3] = c * bi3 + gj3 * ai3;
        }
      }
    }
    return;
  }
  for (let base = 0; base < n; base += 2 * sh) {
    const end = base + sh;
    for (let mid = base; mid < end; mid += len) {
      const odd = parity32(mid & z) !== 0;
      const fi = odd ? -wForI : wForI;
      const fj = odd ? -wForJ : wForJ;
      for (let k = 0; k < len; k++) {
        const i = mid + k;
        const j = i ^ x;
        const t = table[k];
        const gi = fi * t;
        const gj = fj * t;
        const ar = re[i];
        const ai = im[i];
        const br = re[j];
        const bi = im[j];
        re[i] = c * ar + gi * br;
        im[i] = c * ai + gi * bi;
        re[j] = c * br + gj * ar;
        im[j] = c * bi + gj * ai;
      }
    }
  }
}

/**
 * As offDiagonalRealCoupling for an imaginary coupling, with wForI and wForJ the imaginary parts: new_i = c ψ_i + (wForI sgn_i)(−Im ψ_j + i Re ψ_j), likewise for j with wForJ.
 */
function offDiagonalImaginaryCoupling(
  re: Float64Array,
  im: Float64Array,
  c: number,
  wForI: number,
  wForJ: number,
  x: number,
  z: number,
  sh: number,
  table: Float64Array,
  len: number,
): void {
  const n = re.length;
  if (len >= 4) {
    // Four pairs (i + u, (i ⊕ x) ⊕ u), u < 4, per iteration (i is a multiple of 4): one table
    // entry serves all four, the low bits of z give the relative signs e_u.
    const e1 = (z & 1) !== 0 ? -1 : 1;
    const e2 = (z & 2) !== 0 ? -1 : 1;
    const fi0 = wForI;
    const fi1 = wForI * e1;
    const fi2 = wForI * e2;
    const fi3 = wForI * e1 * e2;
    const fj0 = wForJ;
    const fj1 = wForJ * e1;
    const fj2 = wForJ * e2;
    const fj3 = wForJ * e1 * e2;
    for (let base = 0; base < n; base += 2 * sh) {
      const end = base + sh;
      for (let mid = base; mid < end; mid += len) {
        const sm = parity32(mid & z) === 0 ? 1 : -1;
        for (let k = 0; k < len; k += 4) {
          const t = sm * table[k];
          const i = mid + k;
          const j = i ^ x;
          const gi0 = fi0 * t;
          const gj0 = fj0 * t;
          const ar0 = re[i];
          const ai0 = im[i];
          const br0 = re[j];
          const bi0 = im[j];
          re[i] = c * ar0 - gi0 * bi0;
          im[i] = c * ai0 + gi0 * br0;
          re[j] = c * br0 - gj0 * ai0;
          im[j] = c * bi0 + gj0 * ar0;
          const gi1 = fi1 * t;
          const gj1 = fj1 * t;
          const i1 = i + 1;
          const j1 = j ^ 1;
          const ar1 = re[i1];
          const ai1 = im[i1];
          const br1 = re[j1];
          const bi1 = im[j1];
          re[i1] = c * ar1 - gi1 * bi1;
          im[i1] = c * ai1 + gi1 * br1;
          re[j1] = c * br1 - gj1 * ai1;
          im[j1] = c * bi1 + gj1 * ar1;
          const gi2 = fi2 * t;
          const gj2 = fj2 * t;
          const i2 = i + 2;
          const j2 = j ^ 2;
          const ar2 = re[i2];
          const ai2 = im[i2];
          const br2 = re[j2];
          const bi2 = im[j2];
          re[i2] = c * ar2 - gi2 * bi2;
          im[i2] = c * ai2 + gi2 * br2;
          re[j2] = c * br2 - gj2 * ai2;
          im[j2] = c * bi2 + gj2 * ar2;
          const gi3 = fi3 * t;
          const gj3 = fj3 * t;
          const i3 = i + 3;
          const j3 = j ^ 3;
          const ar3 = re[i3];
          const ai3 = im[i3];
          const br3 = re[j3];
          const bi3 = im[j3];
          re[i3] = c * ar3 - gi3 * bi3;
          im[i3] = c * ai3 + gi3 * br3;
          re[j3] = c * br3 - gj3 * ai3;
          im[j3] = c * bi3 + gj3 * ar3;
        }
      }
    }
    return;
  }
  for (let base = 0; base < n; base += 2 * sh) {
    const end = base + sh;
    for (let mid = base; mid < end; mid += len) {
      const odd = parity32(mid & z) !== 0;
      const fi = odd ? -wForI : wForI;
      const fj = odd ? -wForJ : wForJ;
      for (let k = 0; k < len; k++) {
        const i = mid + k;
        const j = i ^ x;
        const t = table[k];
        const gi = fi * t;
        const gj = fj * t;
        const ar = re[i];
        const ai = im[i];
        const br = re[j];
        const bi = im[j];
        re[i] = c * ar - gi * bi;
        im[i] = c * ai + gi * br;
        re[j] = c * br - gj * ai;
        im[j] = c * bi + gj * ar;
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
  const sh = 1 << h;
  const xm = x | 0;
  for (let base = 0; base < n; base += 2 * sh) {
    const end = base + sh;
    for (let i = base; i < end; i++) {
      const j = i ^ xm;
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
