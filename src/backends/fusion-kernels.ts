/**
 * Kernels applying a dense 2^k × 2^k complex matrix (k = 1…4 qubits) or a diagonal one to a state
 * vector in one pass: the kernels of fused gate blocks (fusion.ts).
 *
 * Layout: the state is (re, im) Float64Arrays of length 2ⁿ, qubit q is bit q of the basis index. A
 * block acts on qubits q_0 < q_1 < … < q_{k−1} (sorted ascending); local index m = Σ_j bit_j(m) 2^j
 * labels the sub-basis, so global index = base + offset[m] with offset[m] = Σ_j bit_j(m) 2^{q_j} and
 * base running over the indices with all k bits clear. The matrix is row-major in local indices:
 * ψ'[base + offset[r]] = Σ_c M[r·2^k + c] ψ[base + offset[c]], with separate real and imaginary
 * parts (mRe, mIm). Real matrices (mIm = 0, e.g. fused RY/H/CNOT blocks) have their own kernels with
 * half the multiplications.
 *
 * Bases are enumerated by inserting zero bits at the block's qubits into a counter (k shifts per
 * base, shared by 2^k amplitudes); the k = 1 and k = 2 kernels walk the bases with nested block loops
 * as the one- and two-qubit gate kernels do. No allocation per amplitude: scratch amplitudes live in
 * module-level Float64Arrays (the kernels are not re-entrant, which JavaScript's one thread allows).
 */

const scratchRe = new Float64Array(16);
const scratchIm = new Float64Array(16);
const offsets = new Int32Array(16);
const outRe = new Float64Array(16);
const outIm = new Float64Array(16);
const lowByteTable = new Int32Array(256);

/** offset[m] = Σ_j bit_j(m) 2^{q_j} for the sorted block qubits (written to the shared table). */
function fillOffsets(qubits: ArrayLike<number>, k: number): Int32Array {
  const dim = 1 << k;
  for (let m = 0; m < dim; m++) {
    let o = 0;
    for (let j = 0; j < k; j++) if ((m >>> j) & 1) o |= 1 << qubits[j];
    offsets[m] = o;
  }
  return offsets;
}

/**
 * ψ ← Mψ on one qubit q for a complex 2×2 matrix. Two pairs per iteration when 2^q ≥ 2: V8 does not
 * unroll loops, and the per-iteration bookkeeping is a large share of a pair update.
 */
export function kernelMatrix1(re: Float64Array, im: Float64Array, q: number, mRe: Float64Array, mIm: Float64Array): void {
  const st = 1 << q;
  const n = re.length;
  const ar = mRe[0], ai = mIm[0], br = mRe[1], bi = mIm[1];
  const cr = mRe[2], ci = mIm[2], dr = mRe[3], di = mIm[3];
  const step = st >= 2 ? 2 : 1;
  for (let base = 0; base < n; base += 2 * st) {
    const end = base + st;
    for (let i = base; i < end; i += step) {
      const j = i + st;
      const xr = re[i];
      const xi = im[i];
      const yr = re[j];
      const yi = im[j];
      re[i] = ar * xr - ai * xi + br * yr - bi * yi;
      im[i] = ar * xi + ai * xr + br * yi + bi * yr;
      re[j] = cr * xr - ci * xi + dr * yr - di * yi;
      im[j] = cr * xi + ci * xr + dr * yi + di * yr;
      if (step === 1) continue;
      const i1 = i + 1;
      const j1 = j + 1;
      const xr1 = re[i1];
      const xi1 = im[i1];
      const yr1 = re[j1];
      const yi1 = im[j1];
      re[i1] = ar * xr1 - ai * xi1 + br * yr1 - bi * yi1;
      im[i1] = ar * xi1 + ai * xr1 + br * yi1 + bi * yr1;
      re[j1] = cr * xr1 - ci * xi1 + dr * yr1 - di * yi1;
      im[j1] = cr * xi1 + ci * xr1 + dr * yi1 + di * yr1;
    }
  }
}

/** ψ ← Mψ on one qubit q for a real 2×2 matrix (four pairs per iteration when 2^q ≥ 4). */
export function kernelRealMatrix1(re: Float64Array, im: Float64Array, q: number, mRe: Float64Array): void {
  const st = 1 << q;
  const n = re.length;
  const a = mRe[0], b = mRe[1], c = mRe[2], d = mRe[3];
  if (st >= 4) {
    for (let base = 0; base < n; base += 2 * st) {
      const end = base + st;
      for (let i = base; i < end; i += 4) {
        const j = i + st;
        const xr0 = re[i], xi0 = im[i], yr0 = re[j], yi0 = im[j];
        re[i] = a * xr0 + b * yr0;
        im[i] = a * xi0 + b * yi0;
        re[j] = c * xr0 + d * yr0;
        im[j] = c * xi0 + d * yi0;
        const xr1 = re[i + 1], xi1 = im[i + 1], yr1 = re[j + 1], yi1 = im[j + 1];
        re[i + 1] = a * xr1 + b * yr1;
        im[i + 1] = a * xi1 + b * yi1;
        re[j + 1] = c * xr1 + d * yr1;
        im[j + 1] = c * xi1 + d * yi1;
        const xr2 = re[i + 2], xi2 = im[i + 2], yr2 = re[j + 2], yi2 = im[j + 2];
        re[i + 2] = a * xr2 + b * yr2;
        im[i + 2] = a * xi2 + b * yi2;
        re[j + 2] = c * xr2 + d * yr2;
        im[j + 2] = c * xi2 + d * yi2;
        const xr3 = re[i + 3], xi3 = im[i + 3], yr3 = re[j + 3], yi3 = im[j + 3];
        re[i + 3] = a * xr3 + b * yr3;
        im[i + 3] = a * xi3 + b * yi3;
        re[j + 3] = c * xr3 + d * yr3;
        im[j + 3] = c * xi3 + d * yi3;
      }
    }
    return;
  }
  for (let base = 0; base < n; base += 2 * st) {
    const end = base + st;
    for (let i = base; i < end; i++) {
      const j = i + st;
      const xr = re[i];
      const xi = im[i];
      const yr = re[j];
      const yi = im[j];
      re[i] = a * xr + b * yr;
      im[i] = a * xi + b * yi;
      re[j] = c * xr + d * yr;
      im[j] = c * xi + d * yi;
    }
  }
}

/** ψ ← Mψ on qubits q0 < q1 for a complex 4×4 matrix (fully unrolled). */
export function kernelMatrix2(re: Float64Array, im: Float64Array, q0: number, q1: number, mRe: Float64Array, mIm: Float64Array): void {
  const s0 = 1 << q0;
  const s1 = 1 << q1;
  const s01 = s0 + s1;
  const n = re.length;
  const a00 = mRe[0], b00 = mIm[0], a01 = mRe[1], b01 = mIm[1], a02 = mRe[2], b02 = mIm[2], a03 = mRe[3], b03 = mIm[3];
  const a10 = mRe[4], b10 = mIm[4], a11 = mRe[5], b11 = mIm[5], a12 = mRe[6], b12 = mIm[6], a13 = mRe[7], b13 = mIm[7];
  const a20 = mRe[8], b20 = mIm[8], a21 = mRe[9], b21 = mIm[9], a22 = mRe[10], b22 = mIm[10], a23 = mRe[11], b23 = mIm[11];
  const a30 = mRe[12], b30 = mIm[12], a31 = mRe[13], b31 = mIm[13], a32 = mRe[14], b32 = mIm[14], a33 = mRe[15], b33 = mIm[15];
  for (let a = 0; a < n; a += 2 * s1) {
    const aEnd = a + s1;
    for (let b = a; b < aEnd; b += 2 * s0) {
      const bEnd = b + s0;
      for (let i0 = b; i0 < bEnd; i0++) {
        const i1 = i0 + s0;
        const i2 = i0 + s1;
        const i3 = i0 + s01;
        const xr0 = re[i0], xi0 = im[i0], xr1 = re[i1], xi1 = im[i1];
        const xr2 = re[i2], xi2 = im[i2], xr3 = re[i3], xi3 = im[i3];
        re[i0] = a00 * xr0 - b00 * xi0 + a01 * xr1 - b01 * xi1 + a02 * xr2 - b02 * xi2 + a03 * xr3 - b03 * xi3;
        im[i0] = a00 * xi0 + b00 * xr0 + a01 * xi1 + b01 * xr1 + a02 * xi2 + b02 * xr2 + a03 * xi3 + b03 * xr3;
        re[i1] = a10 * xr0 - b10 * xi0 + a11 * xr1 - b11 * xi1 + a12 * xr2 - b12 * xi2 + a13 * xr3 - b13 * xi3;
        im[i1] = a10 * xi0 + b10 * xr0 + a11 * xi1 + b11 * xr1 + a12 * xi2 + b12 * xr2 + a13 * xi3 + b13 * xr3;
        re[i2] = a20 * xr0 - b20 * xi0 + a21 * xr1 - b21 * xi1 + a22 * xr2 - b22 * xi2 + a23 * xr3 - b23 * xi3;
        im[i2] = a20 * xi0 + b20 * xr0 + a21 * xi1 + b21 * xr1 + a22 * xi2 + b22 * xr2 + a23 * xi3 + b23 * xr3;
        re[i3] = a30 * xr0 - b30 * xi0 + a31 * xr1 - b31 * xi1 + a32 * xr2 - b32 * xi2 + a33 * xr3 - b33 * xi3;
        im[i3] = a30 * xi0 + b30 * xr0 + a31 * xi1 + b31 * xr1 + a32 * xi2 + b32 * xr2 + a33 * xi3 + b33 * xr3;
      }
    }
  }
}

/** ψ ← Mψ on qubits q0 < q1 for a real 4×4 matrix (fully unrolled). */
export function kernelRealMatrix2(re: Float64Array, im: Float64Array, q0: number, q1: number, mRe: Float64Array): void {
  const s0 = 1 << q0;
  const s1 = 1 << q1;
  const s01 = s0 + s1;
  const n = re.length;
  const a00 = mRe[0], a01 = mRe[1], a02 = mRe[2], a03 = mRe[3];
  const a10 = mRe[4], a11 = mRe[5], a12 = mRe[6], a13 = mRe[7];
  const a20 = mRe[8], a21 = mRe[9], a22 = mRe[10], a23 = mRe[11];
  const a30 = mRe[12], a31 = mRe[13], a32 = mRe[14], a33 = mRe[15];
  // Two bases per iteration when 2^q0 ≥ 2 (bookkeeping share, as in kernelMatrix1).
  const step = s0 >= 2 ? 2 : 1;
  for (let a = 0; a < n; a += 2 * s1) {
    const aEnd = a + s1;
    for (let b = a; b < aEnd; b += 2 * s0) {
      const bEnd = b + s0;
      for (let i0 = b; i0 < bEnd; i0 += step) {
        const i1 = i0 + s0;
        const i2 = i0 + s1;
        const i3 = i0 + s01;
        const xr0 = re[i0], xi0 = im[i0], xr1 = re[i1], xi1 = im[i1];
        const xr2 = re[i2], xi2 = im[i2], xr3 = re[i3], xi3 = im[i3];
        re[i0] = a00 * xr0 + a01 * xr1 + a02 * xr2 + a03 * xr3;
        im[i0] = a00 * xi0 + a01 * xi1 + a02 * xi2 + a03 * xi3;
        re[i1] = a10 * xr0 + a11 * xr1 + a12 * xr2 + a13 * xr3;
        im[i1] = a10 * xi0 + a11 * xi1 + a12 * xi2 + a13 * xi3;
        re[i2] = a20 * xr0 + a21 * xr1 + a22 * xr2 + a23 * xr3;
        im[i2] = a20 * xi0 + a21 * xi1 + a22 * xi2 + a23 * xi3;
        re[i3] = a30 * xr0 + a31 * xr1 + a32 * xr2 + a33 * xr3;
        im[i3] = a30 * xi0 + a31 * xi1 + a32 * xi2 + a33 * xi3;
        if (step === 1) continue;
        const j0 = i0 + 1;
        const j1 = j0 + s0;
        const j2 = j0 + s1;
        const j3 = j0 + s01;
        const yr0 = re[j0], yi0 = im[j0], yr1 = re[j1], yi1 = im[j1];
        const yr2 = re[j2], yi2 = im[j2], yr3 = re[j3], yi3 = im[j3];
        re[j0] = a00 * yr0 + a01 * yr1 + a02 * yr2 + a03 * yr3;
        im[j0] = a00 * yi0 + a01 * yi1 + a02 * yi2 + a03 * yi3;
        re[j1] = a10 * yr0 + a11 * yr1 + a12 * yr2 + a13 * yr3;
        im[j1] = a10 * yi0 + a11 * yi1 + a12 * yi2 + a13 * yi3;
        re[j2] = a20 * yr0 + a21 * yr1 + a22 * yr2 + a23 * yr3;
        im[j2] = a20 * yi0 + a21 * yi1 + a22 * yi2 + a23 * yi3;
        re[j3] = a30 * yr0 + a31 * yr1 + a32 * yr2 + a33 * yr3;
        im[j3] = a30 * yi0 + a31 * yi1 + a32 * yi2 + a33 * yi3;
      }
    }
  }
}

/**
 * Zero-bit insertion masks for enumerating bases: base(i) for a counter i inserts a 0 at each block
 * qubit, lowest first. low[j] = 2^{q_j} − 1.
 */
const lowMasks = new Int32Array(4);

/** ψ ← Mψ on k = 3 sorted qubits for a complex 8×8 matrix: rows in a loop, columns unrolled. */
export function kernelMatrix3(re: Float64Array, im: Float64Array, qubits: ArrayLike<number>, mRe: Float64Array, mIm: Float64Array): void {
  const off = fillOffsets(qubits, 3);
  const o1 = off[1], o2 = off[2], o3 = off[3], o4 = off[4], o5 = off[5], o6 = off[6], o7 = off[7];
  const l0 = (1 << qubits[0]) - 1;
  const l1 = (1 << qubits[1]) - 1;
  const l2 = (1 << qubits[2]) - 1;
  const count = re.length >>> 3;
  const vr = scratchRe;
  const vi = scratchIm;
  for (let c = 0; c < count; c++) {
    let b = ((c & ~l0) << 1) | (c & l0);
    b = ((b & ~l1) << 1) | (b & l1);
    b = ((b & ~l2) << 1) | (b & l2);
    const xr0 = re[b], xi0 = im[b], xr1 = re[b + o1], xi1 = im[b + o1];
    const xr2 = re[b + o2], xi2 = im[b + o2], xr3 = re[b + o3], xi3 = im[b + o3];
    const xr4 = re[b + o4], xi4 = im[b + o4], xr5 = re[b + o5], xi5 = im[b + o5];
    const xr6 = re[b + o6], xi6 = im[b + o6], xr7 = re[b + o7], xi7 = im[b + o7];
    for (let r = 0; r < 8; r++) {
      const k = r << 3;
      const a0 = mRe[k], b0 = mIm[k], a1 = mRe[k + 1], b1 = mIm[k + 1];
      const a2 = mRe[k + 2], b2 = mIm[k + 2], a3 = mRe[k + 3], b3 = mIm[k + 3];
      const a4 = mRe[k + 4], b4 = mIm[k + 4], a5 = mRe[k + 5], b5 = mIm[k + 5];
      const a6 = mRe[k + 6], b6 = mIm[k + 6], a7 = mRe[k + 7], b7 = mIm[k + 7];
      vr[r] =
        a0 * xr0 - b0 * xi0 + a1 * xr1 - b1 * xi1 + a2 * xr2 - b2 * xi2 + a3 * xr3 - b3 * xi3 +
        a4 * xr4 - b4 * xi4 + a5 * xr5 - b5 * xi5 + a6 * xr6 - b6 * xi6 + a7 * xr7 - b7 * xi7;
      vi[r] =
        a0 * xi0 + b0 * xr0 + a1 * xi1 + b1 * xr1 + a2 * xi2 + b2 * xr2 + a3 * xi3 + b3 * xr3 +
        a4 * xi4 + b4 * xr4 + a5 * xi5 + b5 * xr5 + a6 * xi6 + b6 * xr6 + a7 * xi7 + b7 * xr7;
    }
    re[b] = vr[0]; im[b] = vi[0];
    re[b + o1] = vr[1]; im[b + o1] = vi[1];
    re[b + o2] = vr[2]; im[b + o2] = vi[2];
    re[b + o3] = vr[3]; im[b + o3] = vi[3];
    re[b + o4] = vr[4]; im[b + o4] = vi[4];
    re[b + o5] = vr[5]; im[b + o5] = vi[5];
    re[b + o6] = vr[6]; im[b + o6] = vi[6];
    re[b + o7] = vr[7]; im[b + o7] = vi[7];
  }
}

/** ψ ← Mψ on k = 3 sorted qubits for a real 8×8 matrix. */
export function kernelRealMatrix3(re: Float64Array, im: Float64Array, qubits: ArrayLike<number>, mRe: Float64Array): void {
  const off = fillOffsets(qubits, 3);
  const o1 = off[1], o2 = off[2], o3 = off[3], o4 = off[4], o5 = off[5], o6 = off[6], o7 = off[7];
  const l0 = (1 << qubits[0]) - 1;
  const l1 = (1 << qubits[1]) - 1;
  const l2 = (1 << qubits[2]) - 1;
  const count = re.length >>> 3;
  const vr = scratchRe;
  const vi = scratchIm;
  for (let c = 0; c < count; c++) {
    let b = ((c & ~l0) << 1) | (c & l0);
    b = ((b & ~l1) << 1) | (b & l1);
    b = ((b & ~l2) << 1) | (b & l2);
    const xr0 = re[b], xi0 = im[b], xr1 = re[b + o1], xi1 = im[b + o1];
    const xr2 = re[b + o2], xi2 = im[b + o2], xr3 = re[b + o3], xi3 = im[b + o3];
    const xr4 = re[b + o4], xi4 = im[b + o4], xr5 = re[b + o5], xi5 = im[b + o5];
    const xr6 = re[b + o6], xi6 = im[b + o6], xr7 = re[b + o7], xi7 = im[b + o7];
    for (let r = 0; r < 8; r++) {
      const k = r << 3;
      const a0 = mRe[k], a1 = mRe[k + 1], a2 = mRe[k + 2], a3 = mRe[k + 3];
      const a4 = mRe[k + 4], a5 = mRe[k + 5], a6 = mRe[k + 6], a7 = mRe[k + 7];
      vr[r] = a0 * xr0 + a1 * xr1 + a2 * xr2 + a3 * xr3 + a4 * xr4 + a5 * xr5 + a6 * xr6 + a7 * xr7;
      vi[r] = a0 * xi0 + a1 * xi1 + a2 * xi2 + a3 * xi3 + a4 * xi4 + a5 * xi5 + a6 * xi6 + a7 * xi7;
    }
    re[b] = vr[0]; im[b] = vi[0];
    re[b + o1] = vr[1]; im[b + o1] = vi[1];
    re[b + o2] = vr[2]; im[b + o2] = vi[2];
    re[b + o3] = vr[3]; im[b + o3] = vi[3];
    re[b + o4] = vr[4]; im[b + o4] = vi[4];
    re[b + o5] = vr[5]; im[b + o5] = vi[5];
    re[b + o6] = vr[6]; im[b + o6] = vi[6];
    re[b + o7] = vr[7]; im[b + o7] = vi[7];
  }
}

/** ψ ← Mψ on k = 4 sorted qubits for a complex 16×16 matrix (mIm may be null for a real matrix). */
export function kernelMatrix4(re: Float64Array, im: Float64Array, qubits: ArrayLike<number>, mRe: Float64Array, mIm: Float64Array | null): void {
  const off = fillOffsets(qubits, 4);
  for (let j = 0; j < 4; j++) lowMasks[j] = (1 << qubits[j]) - 1;
  const l0 = lowMasks[0], l1 = lowMasks[1], l2 = lowMasks[2], l3 = lowMasks[3];
  const count = re.length >>> 4;
  const xr = scratchRe;
  const xi = scratchIm;
  const yr = outRe;
  const yi = outIm;
  for (let c = 0; c < count; c++) {
    let b = ((c & ~l0) << 1) | (c & l0);
    b = ((b & ~l1) << 1) | (b & l1);
    b = ((b & ~l2) << 1) | (b & l2);
    b = ((b & ~l3) << 1) | (b & l3);
    for (let m = 0; m < 16; m++) {
      const i = b + off[m];
      xr[m] = re[i];
      xi[m] = im[i];
    }
    if (mIm === null) {
      for (let r = 0; r < 16; r++) {
        const k = r << 4;
        let sr = 0;
        let si = 0;
        for (let m = 0; m < 16; m++) {
          const a = mRe[k + m];
          sr += a * xr[m];
          si += a * xi[m];
        }
        yr[r] = sr;
        yi[r] = si;
      }
    } else {
      for (let r = 0; r < 16; r++) {
        const k = r << 4;
        let sr = 0;
        let si = 0;
        for (let m = 0; m < 16; m++) {
          const a = mRe[k + m];
          const d = mIm[k + m];
          const vr = xr[m];
          const vi = xi[m];
          sr += a * vr - d * vi;
          si += a * vi + d * vr;
        }
        yr[r] = sr;
        yi[r] = si;
      }
    }
    for (let m = 0; m < 16; m++) {
      const i = b + off[m];
      re[i] = yr[m];
      im[i] = yi[m];
    }
  }
}

/**
 * ψ ← Dψ for a diagonal D on k ≤ 4 sorted qubits: ψ[base + offset[m]] *= (dRe[m] + i dIm[m]).
 */
export function kernelDiagonal(re: Float64Array, im: Float64Array, qubits: ArrayLike<number>, k: number, dRe: Float64Array, dIm: Float64Array): void {
  // Walk the register in order: the local index of i is gathered from its block bits, which for a
  // run of 2^{q_0} consecutive indices is constant, so the phase is looked up once per run. When q_0
  // is below 2 the runs are too short: the local index is split into the part from the low byte
  // (a 256-entry table) and the part from the higher bits (constant over 256 indices).
  const n = re.length;
  if (qubits[0] < 2 && n >= 256) {
    const table = lowByteTable;
    for (let b = 0; b < 256; b++) {
      let m = 0;
      for (let j = 0; j < k; j++) if (qubits[j] < 8) m |= ((b >>> qubits[j]) & 1) << j;
      table[b] = m;
    }
    for (let start = 0; start < n; start += 256) {
      let high = 0;
      for (let j = 0; j < k; j++) if (qubits[j] >= 8) high |= ((start >>> qubits[j]) & 1) << j;
      for (let b = 0; b < 256; b++) {
        const m = high | table[b];
        const cr = dRe[m];
        const ci = dIm[m];
        const i = start + b;
        const xr = re[i];
        const xi = im[i];
        re[i] = cr * xr - ci * xi;
        im[i] = cr * xi + ci * xr;
      }
    }
    return;
  }
  const run = 1 << qubits[0];
  for (let start = 0; start < n; start += run) {
    let m = 0;
    for (let j = 0; j < k; j++) m |= ((start >>> qubits[j]) & 1) << j;
    const cr = dRe[m];
    const ci = dIm[m];
    if (cr === 1 && ci === 0) continue;
    const end = start + run;
    if (run >= 4) {
      for (let i = start; i < end; i += 4) {
        const xr0 = re[i], xi0 = im[i], xr1 = re[i + 1], xi1 = im[i + 1];
        const xr2 = re[i + 2], xi2 = im[i + 2], xr3 = re[i + 3], xi3 = im[i + 3];
        re[i] = cr * xr0 - ci * xi0;
        im[i] = cr * xi0 + ci * xr0;
        re[i + 1] = cr * xr1 - ci * xi1;
        im[i + 1] = cr * xi1 + ci * xr1;
        re[i + 2] = cr * xr2 - ci * xi2;
        im[i + 2] = cr * xi2 + ci * xr2;
        re[i + 3] = cr * xr3 - ci * xi3;
        im[i + 3] = cr * xi3 + ci * xr3;
      }
      continue;
    }
    for (let i = start; i < end; i++) {
      const xr = re[i];
      const xi = im[i];
      re[i] = cr * xr - ci * xi;
      im[i] = cr * xi + ci * xr;
    }
  }
}

/**
 * One step of the adjoint backward pass for a one-qubit rotation R_P(θ) = exp(−iθP/2) on qubit q
 * (axis 0 = X, 1 = Y, 2 = Z), fused into one pass over ψ and λ: returns Im⟨λ|P|ψ⟩, then (when
 * `undo`) applies R_P(−θ) to both. Gate by gate this is three passes (the matrix element, then the
 * inverse gate on each vector). Per pair (i, j = i + 2^q):
 *   X: ⟨λ|P|ψ⟩ ∋ λ̄_i ψ_j + λ̄_j ψ_i;  Y: −i λ̄_i ψ_j + i λ̄_j ψ_i;  Z: λ̄_i ψ_i − λ̄_j ψ_j.
 */
export function kernelRotationGradientStep(
  psiRe: Float64Array,
  psiIm: Float64Array,
  lamRe: Float64Array,
  lamIm: Float64Array,
  q: number,
  axis: number,
  theta: number,
  undo: boolean,
): number {
  const st = 1 << q;
  const n = psiRe.length;
  // R(−θ): c = cos(θ/2), s = −sin(θ/2) in the forward formulas; without undo, s = 0 and c = 1.
  const c = undo ? Math.cos(theta / 2) : 1;
  const s = undo ? -Math.sin(theta / 2) : 0;
  let acc = 0;
  for (let base = 0; base < n; base += 2 * st) {
    const end = base + st;
    for (let i = base; i < end; i++) {
      const j = i + st;
      const pr = psiRe[i], pi = psiIm[i], qr = psiRe[j], qi = psiIm[j];
      const lr = lamRe[i], li = lamIm[i], mr = lamRe[j], mi = lamIm[j];
      if (axis === 0) {
        // Im(λ̄_i ψ_j + λ̄_j ψ_i); RX = [[c, −is], [−is, c]]
        acc += lr * qi - li * qr + mr * pi - mi * pr;
        psiRe[i] = c * pr + s * qi;
        psiIm[i] = c * pi - s * qr;
        psiRe[j] = c * qr + s * pi;
        psiIm[j] = c * qi - s * pr;
        lamRe[i] = c * lr + s * mi;
        lamIm[i] = c * li - s * mr;
        lamRe[j] = c * mr + s * li;
        lamIm[j] = c * mi - s * lr;
      } else if (axis === 1) {
        // Im(−i λ̄_i ψ_j + i λ̄_j ψ_i) = −Re(λ̄_i ψ_j) + Re(λ̄_j ψ_i); RY = [[c, −s], [s, c]]
        acc += mr * pr + mi * pi - (lr * qr + li * qi);
        psiRe[i] = c * pr - s * qr;
        psiIm[i] = c * pi - s * qi;
        psiRe[j] = s * pr + c * qr;
        psiIm[j] = s * pi + c * qi;
        lamRe[i] = c * lr - s * mr;
        lamIm[i] = c * li - s * mi;
        lamRe[j] = s * lr + c * mr;
        lamIm[j] = s * li + c * mi;
      } else {
        // Im(λ̄_i ψ_i − λ̄_j ψ_j); RZ = diag(c − is, c + is)
        acc += lr * pi - li * pr - (mr * qi - mi * qr);
        psiRe[i] = c * pr + s * pi;
        psiIm[i] = c * pi - s * pr;
        psiRe[j] = c * qr - s * qi;
        psiIm[j] = c * qi + s * qr;
        lamRe[i] = c * lr + s * li;
        lamIm[i] = c * li - s * lr;
        lamRe[j] = c * mr - s * mi;
        lamIm[j] = c * mi + s * mr;
      }
    }
  }
  return acc;
}
