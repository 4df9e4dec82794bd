/**
 * Boys function F_m(T) = ∫₀¹ t^{2m} exp(−T t²) dt.
 *
 * T < 36: the highest order needed comes from a 7-term Taylor expansion about the nearest point of
 * a grid with spacing 0.05 (|ΔT| ≤ 0.025, truncation ≤ 0.025⁷/7! ≈ 1e-15 relative), then stable
 * downward recursion F_{m−1} = (2T F_m + e^{−T}) / (2m − 1).
 * T ≥ 36: F₀ = ½ sqrt(π/T) (erfc(6) ≈ 2e-17 is below double precision) and upward recursion
 * F_{m+1} = ((2m + 1) F_m − e^{−T}) / (2T), stable for T this large.
 * The grid values come from the convergent series F_m(T) = e^{−T} Σ_i (2T)^i / ((2m+1)(2m+3)…(2m+2i+1))
 * (all terms positive, so accurate to a few ulp).
 */

/** Highest order m supported (enough for (gg|gg) plus derivatives). */
export const BOYS_MAX_ORDER = 32;

/**
 * Calls that give a hot function type feedback for a branch before V8 optimises it: V8 allocates a
 * function's feedback vector (where type feedback is recorded) only at about its 8th call
 * (--invocation-count-for-feedback-allocation), so priming runs each path this many times.
 */
export const TYPE_FEEDBACK_PRIMING_CALLS = 10;

const TAYLOR_TERMS = 7;
const GRID_STEP = 0.05;
const INV_GRID_STEP = 20;
const T_SWITCH = 36;
const N_GRID = Math.round(T_SWITCH / GRID_STEP) + 2;
const STRIDE = BOYS_MAX_ORDER + TAYLOR_TERMS + 1;

/** table[i·STRIDE + m] = F_m(i·GRID_STEP). */
const table = new Float64Array(N_GRID * STRIDE);
/** expTable[i] = exp(−i·GRID_STEP). */
const expTable = new Float64Array(N_GRID);

/** Grid data for kernels that inline the Boys evaluation (see eri-codegen.ts). */
export const BOYS_GRID = {
  table,
  expTable,
  stride: STRIDE,
  step: GRID_STEP,
  invStep: INV_GRID_STEP,
  tSwitch: T_SWITCH,
} as const;

function boysSeries(m: number, t: number): number {
  let term = 1 / (2 * m + 1);
  let sum = term;
  for (let i = 1; i < 2000; i++) {
    term *= (2 * t) / (2 * m + 2 * i + 1);
    sum += term;
    if (term < 1e-18 * sum) break;
  }
  return Math.exp(-t) * sum;
}

for (let i = 0; i < N_GRID; i++) {
  const t = i * GRID_STEP;
  // Highest order from the series, the rest by downward recursion (stable).
  const top = STRIDE - 1;
  table[i * STRIDE + top] = boysSeries(top, t);
  const e = Math.exp(-t);
  expTable[i] = e;
  for (let m = top; m > 0; m--) table[i * STRIDE + m - 1] = (2 * t * table[i * STRIDE + m] + e) / (2 * m - 1);
}

/**
 * Fill out[0..mMax] with F_0(T) … F_mMax(T). mMax ≤ {@link BOYS_MAX_ORDER}. No allocation.
 */
export function boysFunction(mMax: number, t: number, out: Float64Array): void {
  if (t < T_SWITCH) {
    const i = Math.round(t * INV_GRID_STEP);
    const d = t - i * GRID_STEP;
    const base = i * STRIDE + mMax;
    // Taylor: F_m(t0 + d) = Σ_k F_{m+k}(t0) (−d)^k / k!
    let f = table[base + 6];
    f = table[base + 5] - (d / 6) * f;
    f = table[base + 4] - (d / 5) * f;
    f = table[base + 3] - (d / 4) * f;
    f = table[base + 2] - (d / 3) * f;
    f = table[base + 1] - (d / 2) * f;
    f = table[base] - d * f;
    out[mMax] = f;
    if (mMax > 0) {
      const e = Math.exp(-t);
      const t2 = 2 * t;
      for (let m = mMax; m > 0; m--) {
        f = (t2 * f + e) / (2 * m - 1);
        out[m - 1] = f;
      }
    }
  } else {
    let f = 0.5 * Math.sqrt(Math.PI / t);
    out[0] = f;
    if (mMax > 0) {
      const e = Math.exp(-t);
      const inv2t = 0.5 / t;
      for (let m = 0; m < mMax; m++) {
        f = ((2 * m + 1) * f - e) * inv2t;
        out[m + 1] = f;
      }
    }
  }
}

/** F_0(T) alone (the (ss|ss) case). */
export function boysF0(t: number): number {
  if (t < T_SWITCH) {
    const base = Math.round(t * INV_GRID_STEP) * STRIDE;
    const d = t - Math.round(t * INV_GRID_STEP) * GRID_STEP;
    let f = table[base + 6];
    f = table[base + 5] - (d / 6) * f;
    f = table[base + 4] - (d / 5) * f;
    f = table[base + 3] - (d / 4) * f;
    f = table[base + 2] - (d / 3) * f;
    f = table[base + 1] - (d / 2) * f;
    return table[base] - d * f;
  }
  return 0.5 * Math.sqrt(Math.PI / t);
}

/**
 * Run both branches once V8 records type feedback (from about a function's 8th call on), so that the
 * kernels inlining these functions are not thrown away and compiled again at their first quartet
 * of far-apart centres (T ≥ 36) — as the (ss|ss) kernel was in every worker of a campaign. The
 * values are discarded.
 */
function primeBothBranches(): void {
  const scratch = new Float64Array(BOYS_MAX_ORDER + 1);
  for (let call = 0; call < TYPE_FEEDBACK_PRIMING_CALLS; call++) {
    boysF0(1.5);
    boysF0(100);
    boysFunction(2, 1.5, scratch);
    boysFunction(2, 100, scratch);
  }
}
primeBothBranches();
