/**
 * ⟨S²⟩ of a full-CI vector in the [α-string × β-string] row-major layout of fci.ts, through
 * S² = S₋S₊ + Sz(Sz + 1).
 */
import { binomial } from '../core/index.js';
import { stringAddress, type StringSpace } from './fci-strings.js';

/**
 * ⟨S²⟩ = ‖S₊ C‖² + Sz(Sz + 1) with S₊ = Σ_p a†_pα a_pβ, C normalised, in the sector of `alpha`, `beta`.
 * S₊ C lives in the (nAlpha + 1, nBeta − 1) sector; a†_pα a_pβ |Iα Iβ⟩ carries the sign
 * (−1)^(nα + #α occupied below p + #β occupied below p), the constant (−1)^nα dropping out of the norm.
 */
export function spinSquaredExpectation(alpha: StringSpace, beta: StringSpace, c: Float64Array): number {
  const n = alpha.nOrbitals;
  const ka = alpha.nElectrons;
  const kb = beta.nElectrons;
  const sz = 0.5 * (ka - kb);
  let norm = 0;
  for (let i = 0; i < c.length; i++) norm += c[i] * c[i];
  if (ka === n || kb === 0) return sz * (sz + 1);
  const naT = binomial(n, ka + 1);
  const nbT = binomial(n, kb - 1);
  // α: add p; β: remove p. Tables [string * n + p] → address, sign (0 when not allowed).
  const addAddr = new Int32Array(alpha.count * n);
  const addSign = new Float64Array(alpha.count * n);
  const occ = new Int32Array(n);
  for (let I = 0; I < alpha.count; I++) {
    for (let p = 0; p < n; p++) {
      if (alpha.occupation[I * n + p]) continue;
      let m = 0;
      let below = 0;
      let placed = false;
      for (let t = 0; t < ka; t++) {
        const o = alpha.occupied[I * ka + t];
        if (o < p) below++;
        if (!placed && p < o) {
          occ[m++] = p;
          placed = true;
        }
        occ[m++] = o;
      }
      if (!placed) occ[m++] = p;
      addAddr[I * n + p] = stringAddress(occ, ka + 1);
      addSign[I * n + p] = below & 1 ? -1 : 1;
    }
  }
  const remAddr = new Int32Array(beta.count * n);
  const remSign = new Float64Array(beta.count * n);
  for (let I = 0; I < beta.count; I++) {
    for (let p = 0; p < n; p++) {
      if (!beta.occupation[I * n + p]) continue;
      let m = 0;
      let below = 0;
      for (let t = 0; t < kb; t++) {
        const o = beta.occupied[I * kb + t];
        if (o === p) continue;
        if (o < p) below++;
        occ[m++] = o;
      }
      remAddr[I * n + p] = stringAddress(occ, kb - 1);
      remSign[I * n + p] = below & 1 ? -1 : 1;
    }
  }
  const out = new Float64Array(naT * nbT);
  const nb = beta.count;
  for (let Ia = 0; Ia < alpha.count; Ia++) {
    for (let Ib = 0; Ib < nb; Ib++) {
      const v = c[Ia * nb + Ib];
      if (v === 0) continue;
      for (let p = 0; p < n; p++) {
        const sa = addSign[Ia * n + p];
        const sb = remSign[Ib * n + p];
        if (sa === 0 || sb === 0) continue;
        out[addAddr[Ia * n + p] * nbT + remAddr[Ib * n + p]] += sa * sb * v;
      }
    }
  }
  let s = 0;
  for (let i = 0; i < out.length; i++) s += out[i] * out[i];
  return s / norm + sz * (sz + 1);
}
