/**
 * A SOAP-like smooth-overlap power spectrum with analytic position derivatives.
 *
 * The neighbour density of atom i for element e, expanded in radial functions
 * g_n(r) = exp(−(r − r_n)² / (2σ²)) fc(r) (r_n evenly spaced on [0, rc]) and spherical harmonics,
 * has the rotation-invariant power spectrum
 *   p[e₁e₂, n, n', l] = Σ_m c^{e₁}_{nlm} c^{e₂}_{n'lm}
 *                     = (2l + 1)/(4π) Σ_{j ∈ e₁} Σ_{k ∈ e₂} g_n(r_ij) g_n'(r_ik) P_l(cos θ_jik)
 * by the addition theorem (P_l Legendre; the j = k terms have cos θ = 1). This is SOAP with
 * point-like neighbour densities on a smooth radial basis.
 * Feature layout per atom: channels p = unordered element pairs (e₁ ≤ e₂), in the order of
 * acsf.ts; within a channel the radial pairs (n ≤ n' when e₁ = e₂, every (n, n') otherwise) in
 * row-major order, each with l = 0..lMax innermost. Derivative layout: see descriptor.ts.
 */
import { type DescriptorResult, elementIndices, gatherNeighbours, neighbourScratch } from './descriptor.js';

/** Settings of the power-spectrum descriptor (plain JSON). */
export interface SoapSettings {
  kind: 'soap';
  /** Sorted atomic numbers the descriptor covers. */
  elements: number[];
  cutoffBohr: number;
  /** Number of radial functions. */
  nRadial: number;
  /** Largest angular momentum. */
  lMax: number;
  /** Width σ of the radial Gaussians, Bohr. */
  sigmaBohr: number;
}

/** Default power-spectrum settings for the elements. */
export function defaultSoapSettings(elements: readonly number[], cutoffBohr = 8, nRadial = 6, lMax = 4): SoapSettings {
  return {
    kind: 'soap',
    elements: [...elements].sort((a, b) => a - b),
    cutoffBohr,
    nRadial,
    lMax,
    sigmaBohr: cutoffBohr / (nRadial - 1) / 1.5,
  };
}

/** Offsets of the channels and the (n, n') index tables. */
interface SoapLayout {
  length: number;
  channelOffset: Int32Array;
  /** Radial-pair index within a same-element channel (−1 for n > n'), n · nR + n'. */
  sameIndex: Int32Array;
  sameCount: number;
}

function layout(s: SoapSettings): SoapLayout {
  const nE = s.elements.length;
  const nR = s.nRadial;
  const nL = s.lMax + 1;
  const sameIndex = new Int32Array(nR * nR).fill(-1);
  let sameCount = 0;
  for (let a = 0; a < nR; a++) for (let b = a; b < nR; b++) sameIndex[a * nR + b] = sameCount++;
  const channelOffset = new Int32Array((nE * (nE + 1)) / 2);
  let off = 0;
  let p = 0;
  for (let e1 = 0; e1 < nE; e1++) {
    for (let e2 = e1; e2 < nE; e2++) {
      channelOffset[p++] = off;
      off += (e1 === e2 ? sameCount : nR * nR) * nL;
    }
  }
  return { length: off, channelOffset, sameIndex, sameCount };
}

/** Features per atom. */
export function soapLength(s: SoapSettings): number {
  return layout(s).length;
}

/** Power spectrum of every atom (and its derivatives when `withDerivatives`). */
export function soapPowerSpectrum(
  s: SoapSettings,
  atomicNumbers: ArrayLike<number>,
  positionsBohr: ArrayLike<number>,
  withDerivatives: boolean,
): DescriptorResult {
  const n = atomicNumbers.length;
  const nE = s.elements.length;
  const nR = s.nRadial;
  const lMax = s.lMax;
  const nL = lMax + 1;
  const { length: L, channelOffset, sameIndex } = layout(s);
  const elem = elementIndices(atomicNumbers, s.elements);
  const rc = s.cutoffBohr;
  const inv2s2 = 1 / (2 * s.sigmaBohr * s.sigmaBohr);
  const centres = new Float64Array(nR);
  for (let k = 0; k < nR; k++) centres[k] = nR === 1 ? 0 : (k * rc) / (nR - 1);
  const lNorm = new Float64Array(nL);
  for (let l = 0; l < nL; l++) lNorm[l] = (2 * l + 1) / (4 * Math.PI);
  const values = new Float64Array(n * L);
  const deriv = withDerivatives ? new Float64Array(n * L * n * 3) : undefined;
  const nb = neighbourScratch(n);
  const { index: nbIdx, distanceBohr: nbR, unit: nbU, cutoff: nbFc, cutoffDerivative: nbDfc } = nb;
  const g = new Float64Array(n * nR); // g_n(r_ij) per neighbour
  const dg = new Float64Array(n * nR); // d g_n / dr
  const P = new Float64Array(nL);
  const dP = new Float64Array(nL);

  for (let i = 0; i < n; i++) {
    const m = gatherNeighbours(i, positionsBohr, rc, nb);
    for (let q = 0; q < m; q++) {
      for (let k = 0; k < nR; k++) {
        const d = nbR[q] - centres[k];
        const e = Math.exp(-d * d * inv2s2);
        g[q * nR + k] = e * nbFc[q];
        dg[q * nR + k] = e * (nbDfc[q] - 2 * d * inv2s2 * nbFc[q]);
      }
    }
    const rowI = i * L;
    for (let q = 0; q < m; q++) {
      const j = nbIdx[q];
      const ej = elem[j];
      for (let t = 0; t < m; t++) {
        const k = nbIdx[t];
        const ek = elem[k];
        if (ej > ek) continue; // cross-element channels: j from the lower element only
        const same = ej === ek;
        const e1 = ej;
        const e2 = ek;
        const base = rowI + channelOffset[e1 * nE - (e1 * (e1 - 1)) / 2 + (e2 - e1)];
        const cos = q === t ? 1 : nbU[3 * q] * nbU[3 * t] + nbU[3 * q + 1] * nbU[3 * t + 1] + nbU[3 * q + 2] * nbU[3 * t + 2];
        // Legendre P_l(cos) and P_l'(cos) by the three-term recurrences (P'_{l+1} = P'_{l-1} + (2l+1) P_l)
        P[0] = 1;
        dP[0] = 0;
        if (nL > 1) {
          P[1] = cos;
          dP[1] = 1;
        }
        for (let l = 1; l + 1 < nL; l++) {
          P[l + 1] = ((2 * l + 1) * cos * P[l] - l * P[l - 1]) / (l + 1);
          dP[l + 1] = dP[l - 1] + (2 * l + 1) * P[l];
        }
        for (let a = 0; a < nR; a++) {
          const ga = g[q * nR + a];
          const dga = dg[q * nR + a];
          for (let b = same ? a : 0; b < nR; b++) {
            const gb = g[t * nR + b];
            const dgb = dg[t * nR + b];
            const f0 = base + (same ? sameIndex[a * nR + b] : a * nR + b) * nL;
            for (let l = 0; l < nL; l++) {
              values[f0 + l] += lNorm[l] * ga * gb * P[l];
            }
            if (!deriv) continue;
            for (let l = 0; l < nL; l++) {
              const fIdx = f0 - rowI + l;
              const o = (i * L + fIdx) * n;
              if (q === t) {
                // one neighbour at distance r: d(g_a g_b)/dr along its unit vector
                const d = lNorm[l] * (dga * gb + ga * dgb);
                for (let c = 0; c < 3; c++) {
                  const v = d * nbU[3 * q + c];
                  deriv[(o + j) * 3 + c] += v;
                  deriv[(o + i) * 3 + c] -= v;
                }
              } else {
                const w = lNorm[l];
                const dRj = w * dga * gb * P[l];
                const dRk = w * ga * dgb * P[l];
                const dC = w * ga * gb * dP[l];
                const rij = nbR[q];
                const rik = nbR[t];
                for (let c = 0; c < 3; c++) {
                  const u = nbU[3 * q + c];
                  const v = nbU[3 * t + c];
                  const gjc = dRj * u + (dC * (v - cos * u)) / rij;
                  const gkc = dRk * v + (dC * (u - cos * v)) / rik;
                  deriv[(o + j) * 3 + c] += gjc;
                  deriv[(o + k) * 3 + c] += gkc;
                  deriv[(o + i) * 3 + c] -= gjc + gkc;
                }
              }
            }
          }
        }
      }
    }
  }
  return deriv ? { nAtoms: n, length: L, values, derivatives: deriv } : { nAtoms: n, length: L, values };
}
