/**
 * Direct SCF: Coulomb and exchange matrices from shell quartets recomputed in every Fock build, for
 * molecules whose stored integrals do not fit the memory limit.
 *
 *   J[D]_ab = Σ_cd (ab|cd) D_cd,      K[D]_ac = Σ_bd (ab|cd) D_bd.
 *
 * Quartets (AB|CD) run over shell pairs X = (A ≥ B) and Y = (C ≥ D) with X ≥ Y (8-fold symmetry),
 * where A … D are the shell groups of the stored-integral code (../integrals/shell-pairs.ts: shells
 * of one atom sharing their exponents form one group, e.g. the generally contracted s shells of
 * cc-pVXZ). Each quartet is computed by the same kernels as the stored integrals
 * (../integrals/eri-kernel.ts computeQuartet: generated code per angular-momentum class where it
 * exists), scaled by ½ for A = B, ½ for C = D and ½ for X = Y, and scattered to the half matrices
 *   Ĵ_ab += 2v D_cd, Ĵ_cd += 2v D_ab,   K̂_ac += v D_bd, K̂_bc += v D_ad, K̂_ad += v D_bc, K̂_bd += v D_ac,
 * with J = Ĵ + Ĵᵀ and K = K̂ + K̂ᵀ at the end.
 *
 * Screening: Schwarz bound Q_X Q_Y (Q_X = sqrt(max (ab|ab))) times the largest density element of
 * the shell blocks the quartet touches, below 1e-12 Hartree → skipped.
 *
 * Incremental Fock builds: J and K are linear in D, so each call computes only J[ΔD], K[ΔD] with
 * ΔD = D − D_previous and adds them to the previous matrices. As the SCF converges ΔD shrinks and
 * density screening removes most quartets. A full build every `rebuildEvery` calls (default 8)
 * keeps the accumulated screening error at the threshold's level.
 */
import type { MolecularBasis } from '../basis/index.js';
import { buildShellPairs, computeQuartet, createEriScratch } from '../integrals/index.js';
import type { CoulombExchangeBuilder } from './engine.js';

/** Options of {@link directCoulombExchange}. */
export interface DirectJkOptions {
  /** Skip quartets whose Schwarz bound times density bound is below this (default 1e-12). */
  threshold?: number;
  /** A full (non-incremental) build every this many calls (default 8). */
  rebuildEvery?: number;
}

/** A J/K builder computing the integrals on the fly (see the file header). */
export function directCoulombExchange(basis: MolecularBasis, options: DirectJkOptions = {}): CoulombExchangeBuilder {
  const threshold = options.threshold ?? 1e-12;
  const rebuildEvery = Math.max(1, options.rebuildEvery ?? 8);
  const n = basis.nFunctions;
  const nn = n * n;
  const pairs = buildShellPairs(basis);
  const nShells = pairs.nGroups;
  const scratch = createEriScratch(pairs);
  const schwarz = new Float64Array(pairs.nPairs);
  for (let x = 0; x < pairs.nPairs; x++) {
    computeQuartet(pairs, x, x, scratch);
    const nf = pairs.pairNA[x] * pairs.pairNB[x];
    let m = 0;
    for (let f = 0; f < nf; f++) m = Math.max(m, Math.abs(scratch.out[f * nf + f]));
    schwarz[x] = Math.sqrt(m);
  }
  let maxSchwarz = 0;
  for (let x = 0; x < pairs.nPairs; x++) maxSchwarz = Math.max(maxSchwarz, schwarz[x]);
  const first = pairs.groupFirstFunction;
  const count = pairs.groupFunctionCount;

  // Previous densities and results, per slot (J density, K density, second K density).
  const prevD = [new Float64Array(nn), new Float64Array(nn), new Float64Array(nn)];
  const prevOut = [new Float64Array(nn), new Float64Array(nn), new Float64Array(nn)];
  const delta = [new Float64Array(nn), new Float64Array(nn), new Float64Array(nn)];
  const half = [new Float64Array(nn), new Float64Array(nn), new Float64Array(nn)];
  const blockMax = [new Float64Array(nShells * nShells), new Float64Array(nShells * nShells), new Float64Array(nShells * nShells)];
  let calls = 0;
  let hadSecond = false;

  /** Largest |ΔD| per shell block. */
  const shellMax = (d: Float64Array, out: Float64Array): number => {
    let all = 0;
    for (let A = 0; A < nShells; A++) {
      for (let B = 0; B < nShells; B++) {
        let m = 0;
        for (let a = first[A]; a < first[A] + count[A]; a++) {
          for (let b = first[B]; b < first[B] + count[B]; b++) m = Math.max(m, Math.abs(d[a * n + b]));
        }
        out[A * nShells + B] = m;
        all = Math.max(all, m);
      }
    }
    return all;
  };

  return (dJ, dK, j, k, dK2, k2) => {
    const second = dK2 !== undefined && k2 !== undefined;
    const full = calls % rebuildEvery === 0 || second !== hadSecond;
    calls++;
    hadSecond = second;
    const inputs = [dJ, dK, second ? dK2! : dK];
    const nSlots = second ? 3 : 2;
    let dAll = 0;
    for (let s = 0; s < nSlots; s++) {
      const d = delta[s];
      const src = inputs[s];
      if (full) {
        d.set(src);
        prevOut[s].fill(0);
      } else {
        const p = prevD[s];
        for (let i = 0; i < nn; i++) d[i] = src[i] - p[i];
      }
      prevD[s].set(src);
      half[s].fill(0);
      dAll = Math.max(dAll, shellMax(d, blockMax[s]));
    }
    const [DJ, DK, DK2] = delta;
    const [JH, KH, KH2] = half;
    const [MJ, MK, MK2] = blockMax;
    const cut = threshold / Math.max(dAll, 1e-300);
    for (let x = 0; x < pairs.nPairs; x++) {
      const qx = schwarz[x];
      if (qx * maxSchwarz < cut) continue;
      const A = pairs.pairA[x], B = pairs.pairB[x];
      const fa = first[A], na = count[A], fb = first[B], nb = count[B];
      for (let y = 0; y <= x; y++) {
        const bound = qx * schwarz[y];
        if (bound < cut) continue;
        const C = pairs.pairA[y], D = pairs.pairB[y];
        let dm = Math.max(
          MJ[C * nShells + D], MJ[A * nShells + B],
          MK[B * nShells + D], MK[A * nShells + D], MK[B * nShells + C], MK[A * nShells + C],
        );
        if (second) {
          dm = Math.max(dm, MK2[B * nShells + D], MK2[A * nShells + D], MK2[B * nShells + C], MK2[A * nShells + C]);
        }
        if (bound * dm < threshold) continue;
        computeQuartet(pairs, x, y, scratch);
        let factor = 1;
        if (A === B) factor *= 0.5;
        if (C === D) factor *= 0.5;
        if (x === y) factor *= 0.5;
        const fc = first[C], nc = count[C], fd = first[D], nd = count[D];
        const ncd = nc * nd;
        const out = scratch.out;
        for (let a = 0; a < na; a++) {
          const ga = fa + a;
          for (let b = 0; b < nb; b++) {
            const gb = fb + b;
            const base = (a * nb + b) * ncd;
            const dab2 = 2 * DJ[ga * n + gb];
            let jab = 0;
            for (let c = 0; c < nc; c++) {
              const gc = fc + c;
              for (let d = 0; d < nd; d++) {
                let v = out[base + c * nd + d];
                if (v === 0) continue;
                v *= factor;
                const gd = fd + d;
                jab += v * DJ[gc * n + gd];
                JH[gc * n + gd] += v * dab2;
                KH[ga * n + gc] += v * DK[gb * n + gd];
                KH[gb * n + gc] += v * DK[ga * n + gd];
                KH[ga * n + gd] += v * DK[gb * n + gc];
                KH[gb * n + gd] += v * DK[ga * n + gc];
                if (second) {
                  KH2[ga * n + gc] += v * DK2[gb * n + gd];
                  KH2[gb * n + gc] += v * DK2[ga * n + gd];
                  KH2[ga * n + gd] += v * DK2[gb * n + gc];
                  KH2[gb * n + gd] += v * DK2[ga * n + gc];
                }
              }
            }
            JH[ga * n + gb] += 2 * jab;
          }
        }
      }
    }
    const outputs = [j, k, second ? k2! : k];
    for (let s = 0; s < nSlots; s++) {
      const h = half[s];
      const acc = prevOut[s];
      for (let p = 0; p < n; p++) {
        for (let q = 0; q <= p; q++) {
          const v = h[p * n + q] + h[q * n + p];
          acc[p * n + q] += v;
          if (q !== p) acc[q * n + p] += v;
        }
      }
      outputs[s].set(acc);
    }
  };
}
