/**
 * State-vector kernels of IonQ's native gates (angles in turns, 1 turn = 2π rad).
 *
 * Layout: a state on n qubits is two Float64Arrays re, im of length 2ⁿ; qubit q is bit q of the
 * basis index (qubit 0 least significant). With σ_φ = cos(2πφ) X + sin(2πφ) Y, so that
 * σ_φ|0⟩ = e^{2πiφ}|1⟩ and σ_φ|1⟩ = e^{−2πiφ}|0⟩:
 * - GPI(φ) = σ_φ;  GPI2(φ) = (I − iσ_φ)/√2;
 * - MS(φ0, φ1, θ) = cos(πθ) I − i sin(πθ) σ_φ0 ⊗ σ_φ1 (σ_φ0 on the first qubit);
 * - ZZ(θ) = exp(−iπθ Z ⊗ Z).
 * Loops visit each group of amplitudes once and allocate nothing.
 */

const TWO_PI = 2 * Math.PI;

/** ψ ← U ψ on qubit q for the 2×2 matrix U = [[a, b], [c, d]] given by real and imaginary parts. */
function kernelOneQubit(
  re: Float64Array,
  im: Float64Array,
  q: number,
  ar: number,
  ai: number,
  br: number,
  bi: number,
  cr: number,
  ci: number,
  dr: number,
  di: number,
): void {
  const st = 1 << q;
  const n = re.length;
  for (let base = 0; base < n; base += 2 * st) {
    const end = base + st;
    for (let i = base; i < end; i++) {
      const j = i + st;
      const xr = re[i];
      const xi = im[i];
      const yr = re[j];
      const yi = im[j];
      re[i] = ar * xr - ai * xi + br * yr - bi * yi;
      im[i] = ar * xi + ai * xr + br * yi + bi * yr;
      re[j] = cr * xr - ci * xi + dr * yr - di * yi;
      im[j] = cr * xi + ci * xr + dr * yi + di * yr;
    }
  }
}

/** GPI(φ) = [[0, e^{−2πiφ}], [e^{2πiφ}, 0]] on qubit q, φ in turns. */
export function kernelGPI(re: Float64Array, im: Float64Array, q: number, phaseTurns: number): void {
  const c = Math.cos(TWO_PI * phaseTurns);
  const s = Math.sin(TWO_PI * phaseTurns);
  kernelOneQubit(re, im, q, 0, 0, c, -s, c, s, 0, 0);
}

/** GPI2(φ) = [[1, −i e^{−2πiφ}], [−i e^{2πiφ}, 1]] / √2 on qubit q, φ in turns. */
export function kernelGPI2(re: Float64Array, im: Float64Array, q: number, phaseTurns: number): void {
  const r = Math.SQRT1_2;
  const c = Math.cos(TWO_PI * phaseTurns) * r;
  const s = Math.sin(TWO_PI * phaseTurns) * r;
  // −i e^{−iα} = −sin α − i cos α; −i e^{iα} = sin α − i cos α.
  kernelOneQubit(re, im, q, r, 0, -s, -c, s, -c, r, 0);
}

/**
 * MS(φ0, φ1, θ) = exp(−iπθ σ_φ0 ⊗ σ_φ1) on qubits (a, b), all in turns: |00⟩ ↔ |11⟩ with phases
 * e^{∓2πi(φ0+φ1)}, |10⟩ ↔ |01⟩ (a set, b clear ↔ a clear, b set) with phases e^{±2πi(φ0−φ1)}.
 */
export function kernelMS(
  re: Float64Array,
  im: Float64Array,
  a: number,
  b: number,
  phase0Turns: number,
  phase1Turns: number,
  angleTurns: number,
): void {
  const sa = 1 << a;
  const sb = 1 << b;
  const n = re.length;
  const c = Math.cos(Math.PI * angleTurns);
  const s = Math.sin(Math.PI * angleTurns);
  const p = TWO_PI * (phase0Turns + phase1Turns);
  const m = TWO_PI * (phase0Turns - phase1Turns);
  // −i s e^{iα} = s sin α − i s cos α
  const upR = s * Math.sin(p);
  const upI = -s * Math.cos(p);
  const umR = s * Math.sin(m);
  const umI = -s * Math.cos(m);
  for (let i = 0; i < n; i++) {
    if ((i & sa) !== 0 || (i & sb) !== 0) continue;
    const i11 = i | sa | sb;
    const i10 = i | sa;
    const i01 = i | sb;
    let xr = re[i];
    let xi = im[i];
    let yr = re[i11];
    let yi = im[i11];
    // new00 = c x00 + (−i s e^{−ip}) x11; new11 = c x11 + (−i s e^{ip}) x00; −i s e^{−iα} = −upR + i·upI
    re[i] = c * xr - upR * yr - upI * yi;
    im[i] = c * xi - upR * yi + upI * yr;
    re[i11] = c * yr + upR * xr - upI * xi;
    im[i11] = c * yi + upR * xi + upI * xr;
    xr = re[i10];
    xi = im[i10];
    yr = re[i01];
    yi = im[i01];
    // new10 = c x10 + (−i s e^{im}) x01; new01 = c x01 + (−i s e^{−im}) x10
    re[i10] = c * xr + umR * yr - umI * yi;
    im[i10] = c * xi + umR * yi + umI * yr;
    re[i01] = c * yr - umR * xr - umI * xi;
    im[i01] = c * yi - umR * xi + umI * xr;
  }
}

/** ZZ(θ) = exp(−iπθ Z ⊗ Z) on qubits (a, b), θ in turns. */
export function kernelZZ(re: Float64Array, im: Float64Array, a: number, b: number, angleTurns: number): void {
  const c = Math.cos(Math.PI * angleTurns);
  const s = Math.sin(Math.PI * angleTurns);
  const n = re.length;
  for (let i = 0; i < n; i++) {
    // even parity: e^{−iπθ}; odd parity: e^{iπθ}
    const si = (((i >>> a) ^ (i >>> b)) & 1) === 0 ? -s : s;
    const xr = re[i];
    const xi = im[i];
    re[i] = c * xr - si * xi;
    im[i] = c * xi + si * xr;
  }
}
