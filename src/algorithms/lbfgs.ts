/**
 * Limited-memory BFGS minimisation with a strong-Wolfe line search.
 *
 * Layout: the parameter vector x and the gradient g are Float64Arrays of length n. The objective is
 * a single callback `f(x, gradOut) → value` that writes ∂f/∂x into gradOut, because every qde
 * objective (an adjoint-differentiated energy) gets its gradient for the price of a few evaluations.
 *
 * Algorithm: Nocedal & Wright, Numerical Optimization (2nd ed.), Alg. 7.4 (two-loop recursion with
 * memory m and the scaling γ = sᵀy / yᵀy of the initial inverse Hessian) and Alg. 3.5/3.6 (line search
 * satisfying the strong Wolfe conditions f(x+αp) ≤ f + c₁α gᵀp and |g(x+αp)ᵀp| ≤ c₂|gᵀp|, with safeguarded
 * cubic interpolation in the zoom phase).
 *
 * Memory: by default m = 300 correction pairs (fewer when n is so large that the pairs would exceed
 * LBFGS_MEMORY_BUDGET numbers, never fewer than 10). Deep memory matters for over-parametrised circuits
 * whose flat valleys span hundreds of directions: for two-layer UCCSD on N2 at 1.12 Å (630 parameters)
 * m = 300 meets the convergence rule in about 1100 iterations, m = 10 in about 2000.
 *
 * Convergence (the rule; defaults in LBFGS_DEFAULTS), checked after every accepted step:
 * - ‖g‖₂ ≤ gradientTolerance; or
 * - |f_k − f_{k−W}| ≤ valueTolerance over the last W = valueWindow accepted steps and
 *   ‖g‖₂ ≤ windowGradientTolerance (the value has stopped changing in a region that is flat);
 * - or, when the line search finds no acceptable point, the predicted decrease ½|gᵀp| is below
 *   valueTolerance and ‖g‖₂ ≤ windowGradientTolerance (the round-off floor of f).
 * A single small step never counts as convergence: in a flat valley L-BFGS takes many tiny steps
 * while f is still far from its minimum. A line search that fails with stored curvature pairs drops
 * them and retries along steepest descent before giving up.
 * The optimiser never throws on non-convergence; it returns `converged: false` with the reason, and
 * callers turn that into a ConvergenceError.
 */

/** Objective: returns f(x) and writes ∇f(x) into `gradientOut` (length n). */
export type ObjectiveWithGradient = (x: Float64Array, gradientOut: Float64Array) => number;

/** Default convergence settings of {@link minimizeLbfgs} (see the module header for the rule). */
export const LBFGS_DEFAULTS = {
  /** Converged outright when ‖g‖₂ is at most this. */
  gradientTolerance: 1e-6,
  /** Converged when f changed by at most this over the last `valueWindow` accepted steps … */
  valueTolerance: 1e-10,
  /** … counted over this many accepted steps … */
  valueWindow: 5,
  /** … and ‖g‖₂ is at most this. */
  windowGradientTolerance: 1e-4,
} as const;

/** Largest number of stored numbers (2 m n) the default memory may use. */
export const LBFGS_MEMORY_BUDGET = 8_000_000;

/** Default number of correction pairs for n parameters: 300, capped by LBFGS_MEMORY_BUDGET, at least 10. */
export function defaultLbfgsMemory(n: number): number {
  return Math.max(10, Math.min(300, Math.floor(LBFGS_MEMORY_BUDGET / (2 * Math.max(1, n)))));
}

/** Options of {@link minimizeLbfgs}. */
export interface LbfgsOptions {
  /** Largest number of L-BFGS iterations (default 1000). */
  maxIterations?: number;
  /** Largest number of objective evaluations (default 20 × maxIterations). */
  maxEvaluations?: number;
  /** Converged when the Euclidean gradient norm is at most this (default 1e-6). */
  gradientTolerance?: number;
  /**
   * Converged when f changes by at most this over the last `valueWindow` accepted steps while
   * ‖g‖₂ ≤ windowGradientTolerance (default 1e-10; 0 disables the value criterion).
   */
  valueTolerance?: number;
  /** Number of accepted steps the value change is measured over (default 5). */
  valueWindow?: number;
  /** Largest gradient norm at which the value criterion may declare convergence (default 1e-4; never below gradientTolerance). */
  windowGradientTolerance?: number;
  /** Number of stored correction pairs (default {@link defaultLbfgsMemory}(n)). */
  memory?: number;
  /** Sufficient-decrease constant c₁ (default 1e-4). */
  c1?: number;
  /** Curvature constant c₂ (default 0.9). */
  c2?: number;
  /** Called after each iteration with the iteration number, value and gradient norm. */
  onIteration?: (iteration: number, value: number, gradientNorm: number) => void;
}

/** Why {@link minimizeLbfgs} stopped. */
export type LbfgsStopReason =
  | 'gradient-norm'
  | 'value-change'
  | 'max-iterations'
  | 'max-evaluations'
  | 'line-search-failed';

/** Result of {@link minimizeLbfgs}. */
export interface LbfgsResult {
  /** Final point (the best point found). */
  x: Float64Array;
  /** f at x. */
  value: number;
  /** ∇f at x. */
  gradient: Float64Array;
  /** ‖∇f(x)‖₂. */
  gradientNorm: number;
  /** Number of completed iterations (accepted steps). */
  iterations: number;
  /** Number of objective evaluations (including the first). */
  evaluations: number;
  /** True when stopped by the gradient-norm or value-change criterion. */
  converged: boolean;
  /** The stopping reason. */
  reason: LbfgsStopReason;
  /** |f_k − f_{k−1}| of the last accepted step (NaN before the first step). */
  lastValueChange: number;
  /** |f_k − f_{k−W}| over the last W = valueWindow accepted steps (fewer early on; NaN before the first step). */
  windowValueChange: number;
  /** Number of accepted steps windowValueChange spans. */
  windowSteps: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Minimise a smooth function with L-BFGS and a strong-Wolfe line search.
 *
 * @param objective returns f(x) and writes ∇f(x).
 * @param x0 starting point (not modified).
 * @param options tolerances and limits; see {@link LbfgsOptions}.
 */
export function minimizeLbfgs(
  objective: ObjectiveWithGradient,
  x0: Float64Array,
  options: LbfgsOptions = {},
): LbfgsResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 1000;
  const maxEvaluations = options.maxEvaluations ?? 20 * maxIterations;
  const gtol = options.gradientTolerance ?? LBFGS_DEFAULTS.gradientTolerance;
  const ftol = options.valueTolerance ?? LBFGS_DEFAULTS.valueTolerance;
  const window = Math.max(1, Math.floor(options.valueWindow ?? LBFGS_DEFAULTS.valueWindow));
  // Never stricter than the outright criterion (noisy objectives raise gradientTolerance to the noise).
  const windowGtol = Math.max(gtol, options.windowGradientTolerance ?? LBFGS_DEFAULTS.windowGradientTolerance);
  const m = Math.max(1, options.memory ?? defaultLbfgsMemory(n));
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let evaluations = 0;
  const evaluate = (at: Float64Array, gradOut: Float64Array): number => {
    evaluations++;
    const v = objective(at, gradOut);
    return v;
  };
  let f = evaluate(x, g);
  if (!Number.isFinite(f)) throw new RangeError('minimizeLbfgs: objective is not finite at the start point');
  let gnorm = Math.sqrt(dot(g, g));

  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rhoHist: number[] = [];
  const alphaTmp = new Float64Array(m);
  const p = new Float64Array(n);
  const xTrial = new Float64Array(n);
  const gTrial = new Float64Array(n);
  let iterations = 0;
  let lastValueChange = Number.NaN;
  // Values of the last `window` + 1 accepted iterates (ring buffer indexed by iteration).
  const recent = new Float64Array(window + 1);
  recent[0] = f;
  const windowSteps = (): number => Math.min(iterations, window);
  const windowValueChange = (): number =>
    iterations === 0 ? Number.NaN : Math.abs(f - recent[(iterations - windowSteps()) % (window + 1)]);
  /** The value criterion: f stationary over a full window in a region with a small gradient. */
  const valueConverged = (): boolean => iterations >= window && windowValueChange() <= ftol && gnorm <= windowGtol;

  const finish = (reason: LbfgsStopReason, converged: boolean): LbfgsResult => ({
    x,
    value: f,
    gradient: g,
    gradientNorm: gnorm,
    iterations,
    evaluations,
    converged,
    reason,
    lastValueChange,
    windowValueChange: windowValueChange(),
    windowSteps: windowSteps(),
  });

  /** Make the line search's trial point (xTrial, gTrial, value) the current iterate. */
  const moveToTrial = (value: number): void => {
    lastValueChange = Math.abs(f - value);
    x.set(xTrial);
    g.set(gTrial);
    f = value;
    gnorm = Math.sqrt(dot(g, g));
    iterations++;
    recent[iterations % (window + 1)] = f;
  };
  const clearHistory = (): void => {
    sHist.length = 0;
    yHist.length = 0;
    rhoHist.length = 0;
  };
  // Set after a failed line search dropped the curvature pairs; a second failure in a row stops.
  let restarted = false;

  if (n === 0 || gnorm <= gtol) return finish('gradient-norm', true);

  while (true) {
    if (iterations >= maxIterations) return finish('max-iterations', false);
    if (evaluations >= maxEvaluations) return finish('max-evaluations', false);

    // Two-loop recursion: p = −H_k g.
    for (let i = 0; i < n; i++) p[i] = -g[i];
    const k = sHist.length;
    for (let j = k - 1; j >= 0; j--) {
      const a = rhoHist[j] * dot(sHist[j], p);
      alphaTmp[j] = a;
      const y = yHist[j];
      for (let i = 0; i < n; i++) p[i] -= a * y[i];
    }
    if (k > 0) {
      const gamma = 1 / (rhoHist[k - 1] * dot(yHist[k - 1], yHist[k - 1]));
      for (let i = 0; i < n; i++) p[i] *= gamma;
    }
    for (let j = 0; j < k; j++) {
      const b = rhoHist[j] * dot(yHist[j], p);
      const s = sHist[j];
      const coef = alphaTmp[j] - b;
      for (let i = 0; i < n; i++) p[i] += coef * s[i];
    }
    let slope = dot(g, p);
    if (!(slope < 0)) {
      // Not a descent direction (lost curvature information): restart from steepest descent.
      clearHistory();
      for (let i = 0; i < n; i++) p[i] = -g[i];
      slope = -gnorm * gnorm;
    }
    // First step: scale so the trial step has length at most 1 (unknown curvature).
    let alpha0 = 1;
    if (sHist.length === 0) alpha0 = Math.min(1, 1 / Math.sqrt(dot(p, p)));

    const ls = strongWolfe(evaluate, x, f, slope, p, alpha0, c1, c2, xTrial, gTrial, maxEvaluations - evaluations);
    if (!ls.ok) {
      // The line search found no acceptable point. If it still found a lower value, accept it so
      // that the reported point is the best one.
      const improved = ls.value < f;
      if (improved) {
        moveToTrial(ls.value);
        options.onIteration?.(iterations, f, gnorm);
        if (gnorm <= gtol) return finish('gradient-norm', true);
        if (valueConverged()) return finish('value-change', true);
      }
      // At the round-off floor no point along p is measurably lower. When the quasi-Newton model
      // predicts a decrease (½|gᵀp|) below the value tolerance in a flat region, a further step could
      // not change f by more than the tolerance either: that is convergence, not a stall.
      if (0.5 * Math.abs(slope) <= ftol && gnorm <= windowGtol) return finish('value-change', true);
      if (evaluations >= maxEvaluations) return finish('max-evaluations', false);
      if (improved) continue;
      // Stale curvature pairs can make p a poor direction: drop them and retry along −g once.
      if (!restarted && sHist.length > 0) {
        restarted = true;
        clearHistory();
        continue;
      }
      return finish('line-search-failed', false);
    }
    restarted = false;

    // Accept: s = x⁺ − x, y = g⁺ − g.
    const s = sHist.length === m ? sHist.shift()! : new Float64Array(n);
    const y = yHist.length === m ? yHist.shift()! : new Float64Array(n);
    if (rhoHist.length === m) rhoHist.shift();
    for (let i = 0; i < n; i++) {
      s[i] = xTrial[i] - x[i];
      y[i] = gTrial[i] - g[i];
    }
    const sy = dot(s, y);
    moveToTrial(ls.value);
    // Strong Wolfe guarantees sᵀy > 0; guard against round-off anyway.
    if (sy > 1e-300) {
      sHist.push(s);
      yHist.push(y);
      rhoHist.push(1 / sy);
    }
    options.onIteration?.(iterations, f, gnorm);
    if (gnorm <= gtol) return finish('gradient-norm', true);
    if (valueConverged()) return finish('value-change', true);
  }
}

interface LineSearchOutcome {
  ok: boolean;
  /** f at the returned trial point (xTrial/gTrial hold it). */
  value: number;
}

/**
 * Strong-Wolfe line search along p from x (N&W Alg. 3.5 with zoom Alg. 3.6). On return xTrial and
 * gTrial hold the best point found (the accepted one when ok).
 */
function strongWolfe(
  evaluate: ObjectiveWithGradient,
  x: Float64Array,
  f0: number,
  slope0: number,
  p: Float64Array,
  alphaInit: number,
  c1: number,
  c2: number,
  xTrial: Float64Array,
  gTrial: Float64Array,
  evaluationBudget: number,
): LineSearchOutcome {
  const n = x.length;
  let used = 0;
  let bestValue = f0;
  const bestX = new Float64Array(n);
  const bestG = new Float64Array(n);
  bestX.set(x);
  let haveBest = false;

  const phi = (alpha: number): { value: number; slope: number } => {
    for (let i = 0; i < n; i++) xTrial[i] = x[i] + alpha * p[i];
    used++;
    const value = evaluate(xTrial, gTrial);
    let slope = 0;
    for (let i = 0; i < n; i++) slope += gTrial[i] * p[i];
    if (Number.isFinite(value) && value < bestValue) {
      bestValue = value;
      bestX.set(xTrial);
      bestG.set(gTrial);
      haveBest = true;
    }
    return { value, slope };
  };
  const restoreBest = (): LineSearchOutcome => {
    if (haveBest) {
      xTrial.set(bestX);
      gTrial.set(bestG);
    }
    return { ok: false, value: haveBest ? bestValue : f0 };
  };

  const maxTries = Math.min(40, evaluationBudget);
  let alphaPrev = 0;
  let fPrev = f0;
  let slopePrev = slope0;
  let alpha = alphaInit;
  const alphaMax = 1e10;

  for (let it = 0; it < maxTries; it++) {
    const cur = phi(alpha);
    if (!Number.isFinite(cur.value) || cur.value > f0 + c1 * alpha * slope0 || (it > 0 && cur.value >= fPrev)) {
      return zoom(alphaPrev, fPrev, slopePrev, alpha, cur.value, cur.slope);
    }
    if (Math.abs(cur.slope) <= -c2 * slope0) return { ok: true, value: cur.value };
    if (cur.slope >= 0) return zoom(alpha, cur.value, cur.slope, alphaPrev, fPrev, slopePrev);
    alphaPrev = alpha;
    fPrev = cur.value;
    slopePrev = cur.slope;
    alpha = Math.min(2 * alpha, alphaMax);
    if (used >= evaluationBudget) break;
  }
  return restoreBest();

  function zoom(
    aLo: number,
    fLo: number,
    dLo: number,
    aHi: number,
    fHi: number,
    dHi: number,
  ): LineSearchOutcome {
    for (let it = 0; it < 40 && used < evaluationBudget; it++) {
      const lo = Math.min(aLo, aHi);
      const hi = Math.max(aLo, aHi);
      const width = hi - lo;
      if (width <= 1e-16 * Math.max(1, hi)) break;
      let a = cubicMinimizer(aLo, fLo, dLo, aHi, fHi, dHi);
      // Safeguard: keep the trial point well inside the bracket, else bisect.
      if (!Number.isFinite(a) || a < lo + 0.1 * width || a > hi - 0.1 * width) a = 0.5 * (aLo + aHi);
      const cur = phi(a);
      if (!Number.isFinite(cur.value) || cur.value > f0 + c1 * a * slope0 || cur.value >= fLo) {
        aHi = a;
        fHi = cur.value;
        dHi = cur.slope;
      } else {
        if (Math.abs(cur.slope) <= -c2 * slope0) return { ok: true, value: cur.value };
        if (cur.slope * (aHi - aLo) >= 0) {
          aHi = aLo;
          fHi = fLo;
          dHi = dLo;
        }
        aLo = a;
        fLo = cur.value;
        dLo = cur.slope;
      }
    }
    return restoreBest();
  }
}

/** Minimiser of the cubic through (a, fa, da) and (b, fb, db); NaN when it does not exist. */
function cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  if (!Number.isFinite(fb) || !Number.isFinite(db)) return Number.NaN;
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (disc < 0) return Number.NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}
