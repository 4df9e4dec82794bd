/**
 * Behler–Parrinello atom-centred symmetry functions with analytic position derivatives.
 *
 * For atom i (r_ij = |R_j − R_i|, cos θ_ijk the angle at i, fc the cosine cutoff):
 *   G2[e, k]      = Σ_{j ∈ e}         exp(−η_k (r_ij − rs_k)²) fc(r_ij)
 *   G4[e₁e₂, k]   = 2^{1−ζ} Σ_{j<k, {Zj, Zk} = {e₁, e₂}} (1 + λ cos θ_ijk)^ζ
 *                   · exp(−η (r_ij² + r_ik² + r_jk²)) fc(r_ij) fc(r_ik) fc(r_jk)
 *   G5 (angular.g5 = true) drops the r_jk factors.
 * A function may carry its own cutoff rc_f ≤ rc (`cutoffBohr` on the function): then every fc above
 * is fc(·; rc_f), so one descriptor can hold a short-reach set and a long-reach set side by side.
 * Feature layout per atom: first the radial block, index e · nRadial + k (e: neighbour element
 * index in the sorted element list), then the angular block, index nE · nRadial + p · nAngular + k
 * with p the index of the unordered element pair (e₁ ≤ e₂): p = e₁ nE − e₁(e₁ − 1)/2 + (e₂ − e₁).
 * Derivative layout: see descriptor.ts. Units: Bohr, Bohr⁻².
 */
import { InputError } from '../../core/index.js';
import { cosineCutoff, type DescriptorResult, displacement, elementIndices, gatherNeighbours, neighbourScratch } from './descriptor.js';

/** One radial function G2. */
export interface RadialFunction {
  etaPerBohr2: number;
  shiftBohr: number;
  /** This function's own cutoff, Bohr (≤ the settings' cutoff; default: the settings' cutoff). */
  cutoffBohr?: number;
}

/** One angular function G4 (or G5). */
export interface AngularFunction {
  etaPerBohr2: number;
  /** Exponent ζ ≥ 1. */
  zeta: number;
  /** +1 or −1. */
  lambda: number;
  /** This function's own cutoff, Bohr (≤ the settings' cutoff; default: the settings' cutoff). */
  cutoffBohr?: number;
}

/** Settings of the symmetry-function descriptor (plain JSON). */
export interface SymmetryFunctionSettings {
  kind: 'acsf';
  /** Sorted atomic numbers the descriptor covers. */
  elements: number[];
  /** Cutoff of the neighbour search and of every function without its own, Bohr. */
  cutoffBohr: number;
  radial: RadialFunction[];
  angular: AngularFunction[];
  /** Use G5 (no r_jk factors) instead of G4. */
  g5?: boolean;
}

/** Features per atom. */
export function symmetryFunctionLength(s: SymmetryFunctionSettings): number {
  const nE = s.elements.length;
  return nE * s.radial.length + ((nE * (nE + 1)) / 2) * s.angular.length;
}

/**
 * A standard set: `nRadial` shifted Gaussians evenly spaced from 0.5 Bohr to 0.85 rc with width set
 * by the spacing, and angular functions with ζ ∈ {1, 2, 4, 8}, λ = ±1 at one η.
 */
export function defaultSymmetryFunctions(elements: readonly number[], cutoffBohr = 8, nRadial = 10): SymmetryFunctionSettings {
  const radial: RadialFunction[] = [];
  const lo = 0.5;
  const hi = 0.85 * cutoffBohr;
  const step = (hi - lo) / (nRadial - 1);
  for (let k = 0; k < nRadial; k++) radial.push({ etaPerBohr2: 1 / (2 * step * step), shiftBohr: lo + k * step });
  const angular: AngularFunction[] = [];
  const eta = 1 / (cutoffBohr * cutoffBohr);
  for (const zeta of [1, 2, 4, 8]) for (const lambda of [1, -1]) angular.push({ etaPerBohr2: eta, zeta, lambda });
  return { kind: 'acsf', elements: [...elements].sort((a, b) => a - b), cutoffBohr, radial, angular };
}

/** A function's own cutoff: `own` when given (0 < own ≤ rc), else rc. */
function functionCutoff(own: number | undefined, rc: number): number {
  if (own === undefined) return rc;
  if (!(own > 0 && own <= rc)) throw new InputError(`descriptor: a symmetry function's cutoffBohr must be in (0, ${rc}] (the descriptor's cutoff), got ${own}`);
  return own;
}

/** Symmetry functions of every atom (and their derivatives when `withDerivatives`). */
export function symmetryFunctions(
  s: SymmetryFunctionSettings,
  atomicNumbers: ArrayLike<number>,
  positionsBohr: ArrayLike<number>,
  withDerivatives: boolean,
): DescriptorResult {
  const n = atomicNumbers.length;
  const nE = s.elements.length;
  const nR = s.radial.length;
  const nA = s.angular.length;
  const L = symmetryFunctionLength(s);
  const elem = elementIndices(atomicNumbers, s.elements);
  const rc = s.cutoffBohr;
  const g5 = s.g5 === true;
  const values = new Float64Array(n * L);
  const deriv = withDerivatives ? new Float64Array(n * L * n * 3) : undefined;
  const nb = neighbourScratch(n);
  const { index: nbIdx, distanceBohr: nbR, unit: nbU, cutoff: nbFc, cutoffDerivative: nbDfc } = nb;
  const eta = new Float64Array(nR);
  const shift = new Float64Array(nR);
  // per-function cutoffs (rc where a function has none of its own)
  const rCut = new Float64Array(nR);
  for (let k = 0; k < nR; k++) {
    eta[k] = s.radial[k].etaPerBohr2;
    shift[k] = s.radial[k].shiftBohr;
    rCut[k] = functionCutoff(s.radial[k].cutoffBohr, rc);
  }
  const aEta = new Float64Array(nA);
  const aZeta = new Float64Array(nA);
  const aLambda = new Float64Array(nA);
  const aNorm = new Float64Array(nA);
  const aCut = new Float64Array(nA);
  for (let k = 0; k < nA; k++) {
    aCut[k] = functionCutoff(s.angular[k].cutoffBohr, rc);
    aEta[k] = s.angular[k].etaPerBohr2;
    aZeta[k] = s.angular[k].zeta;
    aLambda[k] = s.angular[k].lambda;
    aNorm[k] = 2 ** (1 - aZeta[k]);
  }
  const vec = new Float64Array(3);
  const fc = new Float64Array(2);
  const gj = new Float64Array(3);
  const gk = new Float64Array(3);
  const angularBase = nE * nR;

  const addGradient = (i: number, f: number, a: number, x: number, y: number, z: number): void => {
    const o = ((i * L + f) * n + a) * 3;
    deriv![o] += x;
    deriv![o + 1] += y;
    deriv![o + 2] += z;
  };

  for (let i = 0; i < n; i++) {
    const m = gatherNeighbours(i, positionsBohr, rc, nb);
    const rowI = i * L;
    // radial functions
    for (let q = 0; q < m; q++) {
      const j = nbIdx[q];
      const r = nbR[q];
      const base = elem[j] * nR;
      for (let k = 0; k < nR; k++) {
        let f = nbFc[q];
        let df = nbDfc[q];
        if (rCut[k] < rc) {
          if (r >= rCut[k]) continue;
          cosineCutoff(r, rCut[k], fc);
          f = fc[0];
          df = fc[1];
        }
        const d = r - shift[k];
        const g = Math.exp(-eta[k] * d * d);
        values[rowI + base + k] += g * f;
        if (deriv) {
          const dr = g * (-2 * eta[k] * d * f + df);
          const ux = dr * nbU[3 * q];
          const uy = dr * nbU[3 * q + 1];
          const uz = dr * nbU[3 * q + 2];
          addGradient(i, base + k, j, ux, uy, uz);
          addGradient(i, base + k, i, -ux, -uy, -uz);
        }
      }
    }
    if (nA === 0) continue;
    // angular functions over neighbour pairs q < t
    for (let q = 0; q < m; q++) {
      const j = nbIdx[q];
      const rij = nbR[q];
      for (let t = q + 1; t < m; t++) {
        const k = nbIdx[t];
        const rik = nbR[t];
        let rjk = 0;
        let fjk = 1;
        let dfjk = 0;
        let wx = 0;
        let wy = 0;
        let wz = 0;
        if (!g5) {
          rjk = displacement(positionsBohr, j, k, vec);
          if (rjk >= rc) continue;
          cosineCutoff(rjk, rc, fc);
          fjk = fc[0];
          dfjk = fc[1];
          wx = vec[0] / rjk;
          wy = vec[1] / rjk;
          wz = vec[2] / rjk;
        }
        const cos = nbU[3 * q] * nbU[3 * t] + nbU[3 * q + 1] * nbU[3 * t + 1] + nbU[3 * q + 2] * nbU[3 * t + 2];
        const e1 = Math.min(elem[j], elem[k]);
        const e2 = Math.max(elem[j], elem[k]);
        const pair = e1 * nE - (e1 * (e1 - 1)) / 2 + (e2 - e1);
        const base = angularBase + pair * nA;
        // the cutoff product fc(r_ij) fc(r_ik) fc(r_jk) and its partial derivatives, at rc
        const fProdRc = nbFc[q] * nbFc[t] * fjk;
        const dIjRc = nbDfc[q] * nbFc[t] * fjk;
        const dIkRc = nbFc[q] * nbDfc[t] * fjk;
        const dJkRc = nbFc[q] * nbFc[t] * dfjk;
        const r2 = rij * rij + rik * rik + (g5 ? 0 : rjk * rjk);
        for (let a = 0; a < nA; a++) {
          const lam = aLambda[a];
          const zeta = aZeta[a];
          const x = 1 + lam * cos;
          if (x <= 0) continue;
          let fProd = fProdRc;
          let dIj = dIjRc;
          let dIk = dIkRc;
          let dJk = dJkRc;
          const ca = aCut[a];
          if (ca < rc) {
            if (rij >= ca || rik >= ca || (!g5 && rjk >= ca)) continue;
            cosineCutoff(rij, ca, fc);
            const f1 = fc[0];
            const d1 = fc[1];
            cosineCutoff(rik, ca, fc);
            const f2 = fc[0];
            const d2 = fc[1];
            let f3 = 1;
            let d3 = 0;
            if (!g5) {
              cosineCutoff(rjk, ca, fc);
              f3 = fc[0];
              d3 = fc[1];
            }
            fProd = f1 * f2 * f3;
            dIj = d1 * f2 * f3;
            dIk = f1 * d2 * f3;
            dJk = f1 * f2 * d3;
          }
          const pw = Math.pow(x, zeta - 1);
          const A = pw * x;
          const E = Math.exp(-aEta[a] * r2);
          const term = aNorm[a] * A * E * fProd;
          values[rowI + base + a] += term;
          if (!deriv) continue;
          const dA = aNorm[a] * zeta * lam * pw * E * fProd; // ∂term/∂cos
          const pre = aNorm[a] * A * E;
          const dRij = term * (-2 * aEta[a] * rij) + pre * dIj;
          const dRik = term * (-2 * aEta[a] * rik) + pre * dIk;
          const dRjk = g5 ? 0 : term * (-2 * aEta[a] * rjk) + pre * dJk;
          for (let c = 0; c < 3; c++) {
            const u = nbU[3 * q + c];
            const v = nbU[3 * t + c];
            const w = c === 0 ? wx : c === 1 ? wy : wz;
            gj[c] = dRij * u + (dA * (v - cos * u)) / rij - dRjk * w;
            gk[c] = dRik * v + (dA * (u - cos * v)) / rik + dRjk * w;
          }
          addGradient(i, base + a, j, gj[0], gj[1], gj[2]);
          addGradient(i, base + a, k, gk[0], gk[1], gk[2]);
          addGradient(i, base + a, i, -gj[0] - gk[0], -gj[1] - gk[1], -gj[2] - gk[2]);
        }
      }
    }
  }
  return deriv ? { nAtoms: n, length: L, values, derivatives: deriv } : { nAtoms: n, length: L, values };
}
