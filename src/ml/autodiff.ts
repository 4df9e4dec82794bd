/**
 * A small float64 reverse-mode automatic differentiation over dense matrices.
 *
 * Every node is a row-major Float64Array `rows × cols` with a gradient of the same shape. Operations
 * record a backward closure on the tape; `backward(loss)` seeds ∂loss/∂loss = 1 and runs the
 * closures in reverse order, accumulating gradients. Because the derivative of an activation is
 * itself an operation (`activationDerivative`, whose backward uses the second derivative), the
 * backward pass of a network can be written with tape operations and differentiated again: force
 * training (a loss on input gradients) gets exact parameter gradients.
 *
 * Activations: 'tanh' (σ' = 1 − t², σ'' = −2t(1 − t²)) and 'softplus', shifted to pass through 0
 * (σ = log(1 + eˣ) − log 2, σ' = s = 1/(1 + e⁻ˣ), σ'' = s(1 − s)).
 */

/** Activation functions with exact first and second derivatives. */
export type Activation = 'tanh' | 'softplus';

/** One value on the tape. */
export interface Node {
  rows: number;
  cols: number;
  value: Float64Array;
  /** ∂loss/∂value after backward (null for constants). */
  grad: Float64Array | null;
}

/** The logistic function 1/(1 + e⁻ˣ), stable for either sign. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Shifted softplus log(1 + eˣ) − log 2. */
export function softplus(x: number): number {
  return (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))) - Math.LN2;
}

/** A tape of operations. */
export class Tape {
  private readonly steps: (() => void)[] = [];

  /** A node whose gradient is wanted (a parameter); `grad` may be shared storage to accumulate into. */
  variable(value: Float64Array, rows: number, cols: number, grad?: Float64Array): Node {
    return { rows, cols, value, grad: grad ?? new Float64Array(value.length) };
  }

  /** A node without gradient (data). */
  constant(value: Float64Array, rows: number, cols: number): Node {
    return { rows, cols, value, grad: null };
  }

  private result(rows: number, cols: number, needsGrad: boolean): Node {
    return { rows, cols, value: new Float64Array(rows * cols), grad: needsGrad ? new Float64Array(rows * cols) : null };
  }

  /** C = A B (A n×k, B k×m). */
  matmul(a: Node, b: Node): Node {
    const n = a.rows;
    const k = a.cols;
    const m = b.cols;
    const c = this.result(n, m, a.grad !== null || b.grad !== null);
    const A = a.value;
    const B = b.value;
    const C = c.value;
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < k; p++) {
        const aip = A[i * k + p];
        if (aip === 0) continue;
        const bo = p * m;
        const co = i * m;
        for (let j = 0; j < m; j++) C[co + j] += aip * B[bo + j];
      }
    }
    if (c.grad) {
      const dC = c.grad;
      this.steps.push(() => {
        if (a.grad) {
          const dA = a.grad;
          for (let i = 0; i < n; i++) {
            const io = i * m;
            for (let p = 0; p < k; p++) {
              const po = p * m;
              let s = 0;
              for (let j = 0; j < m; j++) s += dC[io + j] * B[po + j];
              dA[i * k + p] += s;
            }
          }
        }
        if (b.grad) {
          const dB = b.grad;
          for (let i = 0; i < n; i++) {
            const io = i * m;
            for (let p = 0; p < k; p++) {
              const aip = A[i * k + p];
              if (aip === 0) continue;
              const po = p * m;
              for (let j = 0; j < m; j++) dB[po + j] += aip * dC[io + j];
            }
          }
        }
      });
    }
    return c;
  }

  /** C = A Bᵀ (A n×m, B k×m). */
  matmulBT(a: Node, b: Node): Node {
    const n = a.rows;
    const m = a.cols;
    const k = b.rows;
    const c = this.result(n, k, a.grad !== null || b.grad !== null);
    const A = a.value;
    const B = b.value;
    const C = c.value;
    for (let i = 0; i < n; i++) {
      const io = i * m;
      for (let p = 0; p < k; p++) {
        const po = p * m;
        let s = 0;
        for (let j = 0; j < m; j++) s += A[io + j] * B[po + j];
        C[i * k + p] = s;
      }
    }
    if (c.grad) {
      const dC = c.grad;
      const dA = a.grad;
      const dB = b.grad;
      this.steps.push(() => {
        for (let i = 0; i < n; i++) {
          const io = i * m;
          for (let p = 0; p < k; p++) {
            const d = dC[i * k + p];
            if (d === 0) continue;
            const po = p * m;
            if (dA) for (let j = 0; j < m; j++) dA[io + j] += d * B[po + j];
            if (dB) for (let j = 0; j < m; j++) dB[po + j] += d * A[io + j];
          }
        }
      });
    }
    return c;
  }

  /** C = A + 1 bᵀ (b a 1×m row added to every row of A). */
  addRow(a: Node, b: Node): Node {
    const n = a.rows;
    const m = a.cols;
    const c = this.result(n, m, a.grad !== null || b.grad !== null);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) c.value[i * m + j] = a.value[i * m + j] + b.value[j];
    if (c.grad) {
      const dC = c.grad;
      this.steps.push(() => {
        if (a.grad) for (let t = 0; t < n * m; t++) a.grad[t] += dC[t];
        if (b.grad) for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) b.grad[j] += dC[i * m + j];
      });
    }
    return c;
  }

  /** Elementwise σ(A). */
  activation(a: Node, kind: Activation): Node {
    const c = this.result(a.rows, a.cols, a.grad !== null);
    const len = a.value.length;
    const x = a.value;
    const v = c.value;
    if (kind === 'tanh') for (let t = 0; t < len; t++) v[t] = Math.tanh(x[t]);
    else for (let t = 0; t < len; t++) v[t] = softplus(x[t]);
    if (c.grad) {
      const dC = c.grad;
      const dA = a.grad!;
      this.steps.push(() => {
        if (kind === 'tanh') for (let t = 0; t < len; t++) dA[t] += dC[t] * (1 - v[t] * v[t]);
        else for (let t = 0; t < len; t++) dA[t] += dC[t] * sigmoid(x[t]);
      });
    }
    return c;
  }

  /**
   * Elementwise σ'(A); its backward uses σ''. `activated`, the node σ(A) of the same input when the
   * caller has it, saves recomputing tanh (σ' = 1 − t², σ'' = −2tσ').
   */
  activationDerivative(a: Node, kind: Activation, activated?: Node): Node {
    const c = this.result(a.rows, a.cols, a.grad !== null);
    const len = a.value.length;
    const x = a.value;
    const v = c.value;
    const th = kind === 'tanh' ? (activated?.value ?? x.map(Math.tanh)) : undefined;
    if (th) {
      for (let t = 0; t < len; t++) v[t] = 1 - th[t] * th[t];
    } else {
      for (let t = 0; t < len; t++) v[t] = sigmoid(x[t]);
    }
    if (c.grad) {
      const dC = c.grad;
      const dA = a.grad!;
      this.steps.push(() => {
        if (th) {
          for (let t = 0; t < len; t++) dA[t] += dC[t] * -2 * th[t] * v[t];
        } else {
          for (let t = 0; t < len; t++) dA[t] += dC[t] * v[t] * (1 - v[t]);
        }
      });
    }
    return c;
  }

  /** Elementwise product (same shapes). */
  mul(a: Node, b: Node): Node {
    const c = this.result(a.rows, a.cols, a.grad !== null || b.grad !== null);
    const len = a.value.length;
    for (let t = 0; t < len; t++) c.value[t] = a.value[t] * b.value[t];
    if (c.grad) {
      const dC = c.grad;
      this.steps.push(() => {
        if (a.grad) for (let t = 0; t < len; t++) a.grad[t] += dC[t] * b.value[t];
        if (b.grad) for (let t = 0; t < len; t++) b.grad[t] += dC[t] * a.value[t];
      });
    }
    return c;
  }

  /** Row i of A (n×1) added into row segment[i] of an nSegments×1 result. */
  segmentSum(a: Node, segment: Int32Array, nSegments: number): Node {
    const c = this.result(nSegments, 1, a.grad !== null);
    for (let i = 0; i < a.rows; i++) c.value[segment[i]] += a.value[i];
    if (c.grad) {
      const dC = c.grad;
      this.steps.push(() => {
        for (let i = 0; i < a.rows; i++) a.grad![i] += dC[segment[i]];
      });
    }
    return c;
  }

  /** Sum of nodes of one shape. */
  add(parts: readonly Node[]): Node {
    const c = this.result(parts[0].rows, parts[0].cols, parts.some((p) => p.grad !== null));
    const len = c.value.length;
    for (const p of parts) for (let t = 0; t < len; t++) c.value[t] += p.value[t];
    if (c.grad) {
      const dC = c.grad;
      this.steps.push(() => {
        for (const p of parts) if (p.grad) for (let t = 0; t < len; t++) p.grad[t] += dC[t];
      });
    }
    return c;
  }

  /**
   * Position gradient of a sum of atomic terms: rows of G (n×L, ∂E/∂x̃ of standardised features) go
   * through 1/scale (L per row's element: `rowScale[i]` is the offset of its scale row) and the
   * descriptor derivatives of their structure into a (totalAtoms·3)×1 result. Row i belongs to
   * structure `rowStructure[i]` as its atom `rowAtom[i]`; structure s has `atoms[s]` atoms, its first
   * at global atom `atomStart[s]`, and derivative array `derivatives[s]` (layout of descriptor.ts).
   */
  descriptorGradient(
    g: Node,
    scale: Float64Array,
    rowScale: Int32Array,
    rowStructure: Int32Array,
    rowAtom: Int32Array,
    atomStart: Int32Array,
    derivatives: readonly Float64Array[],
    totalAtoms: number,
  ): Node {
    const L = g.cols;
    const c = this.result(totalAtoms * 3, 1, g.grad !== null);
    for (let i = 0; i < g.rows; i++) {
      const s = rowStructure[i];
      const n = atomStart[s + 1] - atomStart[s];
      const d = derivatives[s];
      const out = atomStart[s] * 3;
      for (let f = 0; f < L; f++) {
        const w = g.value[i * L + f] / scale[rowScale[i] + f];
        if (w === 0) continue;
        const o = (rowAtom[i] * L + f) * n * 3;
        for (let k = 0; k < 3 * n; k++) c.value[out + k] += w * d[o + k];
      }
    }
    if (c.grad) {
      const dC = c.grad;
      this.steps.push(() => {
        for (let i = 0; i < g.rows; i++) {
          const s = rowStructure[i];
          const n = atomStart[s + 1] - atomStart[s];
          const d = derivatives[s];
          const out = atomStart[s] * 3;
          for (let f = 0; f < L; f++) {
            const o = (rowAtom[i] * L + f) * n * 3;
            let sum = 0;
            for (let k = 0; k < 3 * n; k++) sum += dC[out + k] * d[o + k];
            g.grad![i * L + f] += sum / scale[rowScale[i] + f];
          }
        }
      });
    }
    return c;
  }

  /** Σ_t w_t (sign·A_t − target_t)² as a 1×1 node. */
  weightedSquaredError(a: Node, target: Float64Array, weight: Float64Array, sign = 1): Node {
    const c = this.result(1, 1, a.grad !== null);
    const len = a.value.length;
    let s = 0;
    for (let t = 0; t < len; t++) {
      const r = sign * a.value[t] - target[t];
      s += weight[t] * r * r;
    }
    c.value[0] = s;
    if (c.grad) {
      const dC = c.grad;
      this.steps.push(() => {
        for (let t = 0; t < len; t++) a.grad![t] += dC[0] * 2 * weight[t] * (sign * a.value[t] - target[t]) * sign;
      });
    }
    return c;
  }

  /** Run the backward pass from a 1×1 node. */
  backward(loss: Node): void {
    loss.grad![0] = 1;
    for (let k = this.steps.length - 1; k >= 0; k--) this.steps[k]();
  }
}

/*
 * Dense kernels over row-major Float64Array with offsets (no views, no allocation), for the fused
 * network passes in nn.ts. Each accumulates into C (C += …); callers zero or pre-fill C. The loops
 * are unrolled by four (four rows of B, four rows of A or four dot products at once) so that each
 * load and store of C carries four multiply–adds.
 */

/** C[n×m] += A[n×k] · B[k×m]. */
export function gemmNN(n: number, k: number, m: number, A: Float64Array, aOff: number, B: Float64Array, bOff: number, C: Float64Array, cOff: number): void {
  for (let i = 0; i < n; i++) {
    const ai = aOff + i * k;
    const ci = cOff + i * m;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const a0 = A[ai + p];
      const a1 = A[ai + p + 1];
      const a2 = A[ai + p + 2];
      const a3 = A[ai + p + 3];
      const b0 = bOff + p * m;
      const b1 = b0 + m;
      const b2 = b1 + m;
      const b3 = b2 + m;
      for (let j = 0; j < m; j++) C[ci + j] += a0 * B[b0 + j] + a1 * B[b1 + j] + a2 * B[b2 + j] + a3 * B[b3 + j];
    }
    for (; p < k; p++) {
      const a0 = A[ai + p];
      const b0 = bOff + p * m;
      for (let j = 0; j < m; j++) C[ci + j] += a0 * B[b0 + j];
    }
  }
}

/** C[n×k] += A[n×m] · B[k×m]ᵀ. */
export function gemmNT(n: number, m: number, k: number, A: Float64Array, aOff: number, B: Float64Array, bOff: number, C: Float64Array, cOff: number): void {
  for (let i = 0; i < n; i++) {
    const ai = aOff + i * m;
    const ci = cOff + i * k;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const b0 = bOff + p * m;
      const b1 = b0 + m;
      const b2 = b1 + m;
      const b3 = b2 + m;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < m; j++) {
        const x = A[ai + j];
        s0 += x * B[b0 + j];
        s1 += x * B[b1 + j];
        s2 += x * B[b2 + j];
        s3 += x * B[b3 + j];
      }
      C[ci + p] += s0;
      C[ci + p + 1] += s1;
      C[ci + p + 2] += s2;
      C[ci + p + 3] += s3;
    }
    for (; p < k; p++) {
      const b0 = bOff + p * m;
      let s = 0;
      for (let j = 0; j < m; j++) s += A[ai + j] * B[b0 + j];
      C[ci + p] += s;
    }
  }
}

/** C[k×m] += A[n×k]ᵀ · B[n×m]. */
export function gemmTN(n: number, k: number, m: number, A: Float64Array, aOff: number, B: Float64Array, bOff: number, C: Float64Array, cOff: number): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a0o = aOff + i * k;
    const a1o = a0o + k;
    const a2o = a1o + k;
    const a3o = a2o + k;
    const b0 = bOff + i * m;
    const b1 = b0 + m;
    const b2 = b1 + m;
    const b3 = b2 + m;
    for (let p = 0; p < k; p++) {
      const a0 = A[a0o + p];
      const a1 = A[a1o + p];
      const a2 = A[a2o + p];
      const a3 = A[a3o + p];
      const cp = cOff + p * m;
      for (let j = 0; j < m; j++) C[cp + j] += a0 * B[b0 + j] + a1 * B[b1 + j] + a2 * B[b2 + j] + a3 * B[b3 + j];
    }
  }
  for (; i < n; i++) {
    const ai = aOff + i * k;
    const bi = bOff + i * m;
    for (let p = 0; p < k; p++) {
      const a0 = A[ai + p];
      const cp = cOff + p * m;
      for (let j = 0; j < m; j++) C[cp + j] += a0 * B[bi + j];
    }
  }
}
