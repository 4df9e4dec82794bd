/**
 * Spin-correlation features: a geometric descriptor extended by what the spin-pair (Heisenberg)
 * model of the whole structure says about how each atom's electron pairs.
 *
 * The couplings J(r) = E_T(r) − E_S(r) come from the H₂ singlet and triplet tables of the
 * spin-pair baseline (baseline.ts); the ground state of Σ_{i<j} J(r_ij) S_i·S_j over the whole
 * structure gives c_ij = ⟨S_i·S_j⟩ (−¾ for a singlet pair, ¼ for parallel spins). Atom i gets, after
 * the base descriptor's features,
 *   P_i[k] = Σ_{j ≠ i} exp(−(r_ij − μ_k)² / (2 w²)) fc(r_ij) c_ij      (one per centre μ_k)
 *   e_i    = ½ Σ_{j ≠ i} J(r_ij) c_ij                                   (its share of the spin energy)
 * with the cosine cutoff fc of this descriptor's cutoff. c_ij depends on every distance of the
 * structure, so these features carry what no finite neighbourhood holds: whether an atom's electron
 * is paired to its left or right neighbour, or left unpaired at a chain's end. Their derivatives use
 * the linear response ∂c_ij/∂J_kl of the ground state (baseline.ts).
 *
 * `weight` scales these features against the base ones in the kernel distance: the
 * standardisation divides each by `weight` times its spread (environments.ts).
 * The spin model covers one element (its atoms are the spins); any other element is an error.
 */
import { InputError } from '../../core/index.js';
import { checkPairBaselineAtoms, checkPairCurves, couplingCurve, heisenbergGroundState, type PairCurveTables, pairForces, pairIndex, SPIN_BASELINE_MAX_ATOMS } from '../baseline.js';
import { defaultSymmetryFunctions, type SymmetryFunctionSettings, symmetryFunctionLength, symmetryFunctions } from './acsf.js';
import { contractDescriptorGradient } from '../linalg.js';
import { cosineCutoff, type DescriptorResult, displacement } from './descriptor.js';

/** Settings of the spin-correlation descriptor (plain JSON, stored in model files). */
export interface SpinCorrelationSettings extends PairCurveTables {
  kind: 'spin-correlation';
  /** The one element the spin model covers, as a one-entry list. */
  elements: number[];
  /** Cutoff of the spin features, Bohr (the base descriptor has its own). */
  cutoffBohr: number;
  /** The geometric descriptor the spin features extend (its elements are these elements). */
  base: SymmetryFunctionSettings;
  /** Centres μ_k of the Gaussians weighting the pair correlations, Bohr. */
  centresBohr: number[];
  /** Width w of those Gaussians, Bohr. */
  widthBohr: number;
  /** Weight of the spin features against the base features in the kernel distance. */
  weight: number;
}

/** Spin features per atom (one per centre, and the spin-energy share). */
export function spinFeatureCount(s: SpinCorrelationSettings): number {
  return s.centresBohr.length + 1;
}

/** Features per atom: the base descriptor's, then the spin features. */
export function spinCorrelationLength(s: SpinCorrelationSettings): number {
  return symmetryFunctionLength({ ...s.base, elements: s.elements }) + spinFeatureCount(s);
}

/** Check the settings; an InputError names the problem. */
export function checkSpinCorrelationSettings(s: SpinCorrelationSettings): void {
  if (s.elements.length !== 1) throw new InputError(`spin-correlation descriptor: covers one element, got ${s.elements.length}`);
  if (!s.base || s.base.kind !== 'acsf') throw new InputError("spin-correlation descriptor: base must be an 'acsf' descriptor");
  checkPairCurves(s, 'spin-correlation descriptor');
  if (!Array.isArray(s.centresBohr) || s.centresBohr.length === 0 || !s.centresBohr.every((c) => Number.isFinite(c) && c >= 0)) {
    throw new InputError('spin-correlation descriptor: centresBohr must be a non-empty list of distances ≥ 0');
  }
  if (!(s.widthBohr > 0)) throw new InputError('spin-correlation descriptor: widthBohr must be positive');
  if (!(s.weight > 0) || !Number.isFinite(s.weight)) throw new InputError('spin-correlation descriptor: weight must be a positive number');
}

/** Relative weight of each feature in the kernel distance (1 for the base features). */
export function spinCorrelationWeights(s: SpinCorrelationSettings): Float64Array {
  const L = spinCorrelationLength(s);
  const w = new Float64Array(L).fill(1);
  w.fill(s.weight, L - spinFeatureCount(s));
  return w;
}

/** The spin-correlation descriptor bound to its settings (the couplings' spline is built once). */
export interface SpinCorrelationFeatures {
  /** Values (and dense derivatives) of the base and spin features of every atom; layout in descriptor.ts. */
  compute(atomicNumbers: ArrayLike<number>, positionsBohr: ArrayLike<number>, withDerivatives: boolean): DescriptorResult;
  /**
   * ∂(Σ_{i,f} w[i·L + f] x_{i,f})/∂R (3n) without the dense derivatives: the spin part by one
   * linear-response solve instead of one per pair.
   */
  contractGradient(atomicNumbers: ArrayLike<number>, positionsBohr: ArrayLike<number>, weights: Float64Array): Float64Array;
}

/** Bind the settings (see the file header). */
export function spinCorrelationFeatures(settings: SpinCorrelationSettings): SpinCorrelationFeatures {
  checkSpinCorrelationSettings(settings);
  const base: SymmetryFunctionSettings = { ...settings.base, elements: settings.elements };
  const L0 = symmetryFunctionLength(base);
  const K = settings.centresBohr.length;
  const S = K + 1;
  const L = L0 + S;
  const coupling = couplingCurve(settings);
  const rc = settings.cutoffBohr;
  const inv2w2 = 1 / (2 * settings.widthBohr * settings.widthBohr);
  const cv = new Float64Array(2);
  const fc = new Float64Array(2);
  const vec = new Float64Array(3);

  /**
   * Pair quantities of a structure: h[(i·n + j)·S + f] is the weight of c_ij in spin feature f of
   * atom i (the Gaussians times the cutoff, then ½J; symmetric in i, j) and dh its slope in r_ij;
   * distances r_ij (n × n) and J'(r) by pair index.
   */
  const pairs = (atomicNumbers: ArrayLike<number>, positionsBohr: ArrayLike<number>) => {
    checkPairBaselineAtoms('spin-correlation', settings.elements[0], SPIN_BASELINE_MAX_ATOMS, atomicNumbers);
    const n = atomicNumbers.length;
    const P = (n * (n - 1)) / 2;
    const dist = new Float64Array(n * n);
    const slope = new Float64Array(P);
    const J = new Float64Array(n * n);
    const h = new Float64Array(n * n * S);
    const dh = new Float64Array(n * n * S);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const d = displacement(positionsBohr, i, j, vec);
        coupling.eval(d, cv);
        dist[i * n + j] = dist[j * n + i] = d;
        J[i * n + j] = J[j * n + i] = cv[0];
        slope[pairIndex(i, j, n)] = cv[1];
        cosineCutoff(d, rc, fc);
        const ij = (i * n + j) * S;
        for (let k = 0; k < K; k++) {
          const t = d - settings.centresBohr[k];
          const gauss = Math.exp(-t * t * inv2w2);
          h[ij + k] = gauss * fc[0];
          dh[ij + k] = gauss * (fc[1] - 2 * t * inv2w2 * fc[0]);
        }
        h[ij + K] = 0.5 * cv[0];
        dh[ij + K] = 0.5 * cv[1];
        const ji = (j * n + i) * S;
        for (let f = 0; f < S; f++) {
          h[ji + f] = h[ij + f];
          dh[ji + f] = dh[ij + f];
        }
      }
    }
    const spin = heisenbergGroundState(J, n, true);
    return { n, P, dist, slope, h, dh, spin, corr: spin.correlations! };
  };

  const compute = (atomicNumbers: ArrayLike<number>, positionsBohr: ArrayLike<number>, withDerivatives: boolean): DescriptorResult => {
    const geometric = symmetryFunctions(base, atomicNumbers, positionsBohr, withDerivatives);
    const { n, P, dist, slope, h, dh, spin, corr } = pairs(atomicNumbers, positionsBohr);
    const values = new Float64Array(n * L);
    for (let i = 0; i < n; i++) {
      values.set(geometric.values.subarray(i * L0, (i + 1) * L0), i * L);
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const c = corr[i * n + j];
        for (let f = 0; f < S; f++) values[i * L + L0 + f] += h[(i * n + j) * S + f] * c;
      }
    }
    if (!withDerivatives) return { nAtoms: n, length: L, values };
    const derivatives = new Float64Array(n * L * n * 3);
    const g = geometric.derivatives!;
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < L0; f++) derivatives.set(g.subarray((i * L0 + f) * n * 3, (i * L0 + f + 1) * n * 3), (i * L + f) * n * 3);
    }
    // the Jacobian ∂c_p/∂J_q, one row per pair that some feature weighs (rows of pairs beyond every
    // weight stay 0: far-apart free spins are degenerate and have no response, and need none)
    const jacobian = new Float64Array(P * P);
    const unitWeight = new Float64Array(P);
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        let weighed = false;
        for (let f = 0; f < S; f++) if (h[(a * n + b) * S + f] !== 0) weighed = true;
        if (!weighed) continue;
        const p = pairIndex(a, b, n);
        unitWeight.fill(0);
        unitWeight[p] = 1;
        jacobian.set(spin.contractResponse!(unitWeight), p * P);
      }
    }
    // a feature F = Σ_j h_ij c_ij has ∂F/∂r_q = [q = (i, j)] h'_ij c_ij + J'(r_q) Σ_j h_ij ∂c_ij/∂J_q;
    // ∂F/∂r by pair, then through the pair distances (pairForces gives −∂F/∂R)
    const byPair = new Float64Array(P);
    const dFdr = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < S; f++) {
        byPair.fill(0);
        for (let j = 0; j < n; j++) {
          if (j === i) continue;
          const ij = i * n + j;
          const row = pairIndex(Math.min(i, j), Math.max(i, j), n);
          byPair[row] += dh[ij * S + f] * corr[ij];
          const w = h[ij * S + f];
          if (w === 0) continue;
          for (let q = 0; q < P; q++) byPair[q] += w * jacobian[row * P + q] * slope[q];
        }
        for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) dFdr[a * n + b] = byPair[pairIndex(a, b, n)];
        const minusGradient = pairForces(positionsBohr, dist, dFdr, n);
        const out = (i * L + L0 + f) * n * 3;
        for (let k = 0; k < 3 * n; k++) derivatives[out + k] = -minusGradient[k];
      }
    }
    return { nAtoms: n, length: L, values, derivatives };
  };

  const contractGradient = (atomicNumbers: ArrayLike<number>, positionsBohr: ArrayLike<number>, weights: Float64Array): Float64Array => {
    const geometric = symmetryFunctions(base, atomicNumbers, positionsBohr, true);
    const { n, P, dist, slope, h, dh, corr, spin } = pairs(atomicNumbers, positionsBohr);
    const geometricWeights = new Float64Array(n * L0);
    for (let i = 0; i < n; i++) geometricWeights.set(weights.subarray(i * L, i * L + L0), i * L0);
    const gradient = contractDescriptorGradient(geometricWeights, geometric.derivatives!, n, L0);
    // pair p = (a, b) enters the features of a and of b: its weight on c_ab and on r_ab directly
    const onCorrelation = new Float64Array(P);
    const dEdr = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        let wc = 0;
        let wr = 0;
        for (let f = 0; f < S; f++) {
          const w = weights[a * L + L0 + f] + weights[b * L + L0 + f];
          wc += w * h[(a * n + b) * S + f];
          wr += w * dh[(a * n + b) * S + f];
        }
        onCorrelation[pairIndex(a, b, n)] = wc;
        dEdr[a * n + b] = wr * corr[a * n + b];
      }
    }
    const viaCouplings = spin.contractResponse!(onCorrelation);
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) dEdr[a * n + b] += viaCouplings[pairIndex(a, b, n)] * slope[pairIndex(a, b, n)];
    const minusGradient = pairForces(positionsBohr, dist, dEdr, n);
    for (let k = 0; k < 3 * n; k++) gradient[k] -= minusGradient[k];
    return gradient;
  };

  return { compute, contractGradient };
}

/**
 * The standard set: 10 radial and the angular symmetry functions at `cutoffBohr` for hydrogen, and
 * spin features at the same cutoff with Gaussians at 1.4, 2.2, 3, 4 and 5 Bohr (width 0.6 Bohr),
 * weighted ¼ against the geometric features.
 */
export function defaultSpinCorrelationSettings(curves: PairCurveTables, cutoffBohr: number, element = 1): SpinCorrelationSettings {
  return {
    kind: 'spin-correlation',
    elements: [element],
    cutoffBohr,
    base: defaultSymmetryFunctions([element], cutoffBohr, 10),
    distancesBohr: [...curves.distancesBohr],
    singletHartree: [...curves.singletHartree],
    tripletHartree: [...curves.tripletHartree],
    centresBohr: [1.4, 2.2, 3, 4, 5],
    widthBohr: 0.6,
    weight: 0.25,
  };
}
