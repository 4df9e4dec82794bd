/**
 * An {@link Estimator} that applies error mitigation on top of a {@link SamplingEstimator}, so VQE
 * and ADAPT-VQE use it unchanged. Methods, in the order they act on a pub:
 * - 'zne': the circuit is folded to each scale factor (default 1, 3, 5; global folding) and every
 *   scale is estimated with the full shot budget in ONE sampling call; the estimates are
 *   extrapolated to zero noise (default exponential towards the estimate of the maximally mixed
 *   state — the identity term plus, with 'symmetry', each post-selected group's mean over its kept
 *   bit strings — with the distance from Richardson's extrapolation of the same estimates added to
 *   the error bar as a model uncertainty; see zne.ts);
 * - 'symmetry': within each scale, shots of groups whose basis reveals Nα or Nβ are post-selected
 *   on the molecule's counts (Jordan–Wigner, interleaved spins; see symmetry.ts);
 * - 'readout': within each scale, every Z string is averaged with the per-shot inverse of the
 *   calibrated tensor-product confusion (see readout.ts). The calibration runs once per register
 *   size, lazily, with `readout.shots` shots per calibration circuit (default: the estimate's
 *   shots) on the same sampler and its own derived seed. Combined with 'symmetry', groups that are
 *   post-selected are not readout-corrected: one flipped bit changes Nα or Nβ, so post-selection
 *   already discards every single readout error there (only compensating pairs of flips within one
 *   spin pass), and correcting the kept shots as well would over-correct.
 * Every estimate carries `rawValue` / `rawStandardError` — the plain estimate of the unfolded
 * circuit from the same shots, with no post-selection or correction — and `mitigation` details.
 * Its standard error combines the shot noise of every scale (weighted by the extrapolation
 * coefficients) and the calibration uncertainty (delta method, correlated across groups and scales).
 * `shots` counts every measured shot of the estimate (all scales), not the calibration.
 *
 * Readout correction is linear in the measured distribution, so expectation values of commutators
 * (ADAPT-VQE's pool gradients) stay the derivatives of the corrected energy. Post-selection is
 * not: a post-selected estimate is a ratio Tr(P H P ρ)/Tr(P ρ) mixed with unselected groups, whose
 * commutator expectations are not its derivatives — on a noisy device ADAPT-VQE's pool gradients
 * then need not vanish at the optimum. Use 'symmetry' with VQE (parameter-shift energies), not to
 * grow ADAPT ansätze.
 */
import { InputError } from '../../core/index.js';
import {
  createEstimator,
  estimateFromCounts,
  groupStatistics,
  pauliShotValue,
  SamplingEstimator,
  type BackendInfo,
  type BackendSpec,
  type Estimate,
  type Estimator,
  type EstimatorPub,
  type EstimatorPubResult,
  type EstimatorRunOptions,
  type Job,
  type SampledPub,
  type Sampler,
  type ShotValue,
} from '../../backends/index.js';
import { derivedSeed } from '../spsa.js';
import {
  accumulateReadoutSensitivity,
  calibrateReadout,
  calibrationVariance,
  readoutShotValue,
  type ReadoutCalibration,
} from './readout.js';
import { symmetryFilter, type SymmetrySpec } from './symmetry.js';
import { extrapolateToZero, foldCircuit, type ExtrapolationMethod, type FoldingMethod } from './zne.js';

/** Error-mitigation methods of {@link MitigatedEstimator}. */
export type MitigationName = 'readout' | 'zne' | 'symmetry';

/** The mitigation names accepted in specs and options. */
export const MITIGATION_NAMES: readonly MitigationName[] = ['readout', 'zne', 'symmetry'];

/** Options of {@link MitigatedEstimator}. */
export interface MitigationOptions {
  /** Methods to apply (any order; each at most once). */
  methods: readonly MitigationName[];
  readout?: {
    /** Shots per calibration circuit (default: the estimator's shots). */
    shots?: number;
    /** A calibration to use instead of measuring one. */
    calibration?: ReadoutCalibration;
  };
  zne?: {
    /** Odd scale factors (default [1, 3, 5]). */
    scales?: readonly number[];
    /** Default 'global'. */
    folding?: FoldingMethod;
    /** Default 'exponential' (see the module header). */
    extrapolation?: ExtrapolationMethod;
    /**
     * E∞ of exponential extrapolation (default: the estimate of the maximally mixed state, i.e. the
     * identity term plus, with 'symmetry', the mean of each post-selected group over its kept bit strings).
     */
    asymptote?: number;
    /**
     * Add the spread between this extrapolation and Richardson's of the same estimates to the error
     * bar as a model uncertainty (default true when the extrapolation is not Richardson).
     */
    modelSpread?: boolean;
  };
  /** Electron counts for 'symmetry' (required with it). */
  symmetry?: SymmetrySpec;
}

/** What mitigation did to one estimate. */
export interface MitigationDetails {
  applied: MitigationName[];
  /** 'symmetry': fraction of the shots of post-selected groups that were kept (all scales). */
  keptFraction?: number;
  /** 'readout': the calibration's contribution to the standard error. */
  calibrationStandardError?: number;
  /** 'zne': estimates per scale and the extrapolation used. */
  zne?: { scales: number[]; values: number[]; standardErrors: number[]; extrapolation: ExtrapolationMethod; modelStandardError?: number };
}

/** An estimate with its unmitigated value and what mitigation did. */
export interface MitigatedEstimate extends Estimate {
  rawValue: number;
  rawStandardError: number;
  mitigation: MitigationDetails;
}

/** Error-mitigating estimator over a {@link SamplingEstimator} (see the module header). */
export class MitigatedEstimator implements Estimator {
  readonly kind = 'estimator';
  readonly info: BackendInfo;
  readonly seed: number | undefined;
  readonly inner: SamplingEstimator;
  readonly methods: readonly MitigationName[];
  private readonly scales: readonly number[];
  private readonly calibrations = new Map<number, Promise<ReadoutCalibration>>();
  private jobs = 0;

  constructor(
    inner: SamplingEstimator | Sampler,
    readonly options: MitigationOptions,
  ) {
    this.inner = inner instanceof SamplingEstimator ? inner : new SamplingEstimator(inner);
    const methods: MitigationName[] = [];
    for (const m of options.methods) {
      if (!MITIGATION_NAMES.includes(m)) throw new InputError(`mitigation: unknown method '${String(m)}' (use ${MITIGATION_NAMES.join(', ')})`);
      if (!methods.includes(m)) methods.push(m);
    }
    if (methods.includes('symmetry') && options.symmetry === undefined) {
      throw new InputError("mitigation 'symmetry' needs the electron counts (symmetry: { nAlpha, nBeta })");
    }
    this.methods = methods;
    this.scales = methods.includes('zne') ? (options.zne?.scales ?? [1, 3, 5]) : [1];
    if (methods.includes('zne')) {
      if (this.scales.length < 2) throw new InputError('mitigation zne: needs at least two scale factors');
      for (const s of this.scales) foldCircuit({ nQubits: 0, nParameters: 0, gates: [] }, s);
      if (this.scales[0] !== 1) throw new InputError('mitigation zne: the first scale factor must be 1 (the unfolded circuit)');
    }
    if (options.readout?.calibration !== undefined) {
      this.calibrations.set(options.readout.calibration.nQubits, Promise.resolve(options.readout.calibration));
    }
    this.seed = this.inner.seed;
    this.info = { ...this.inner.info, mitigation: methods.length > 0 ? methods.join(',') : null };
  }

  /** The readout calibration of an n-qubit register (measured once, on first use). */
  calibration(nQubits: number): Promise<ReadoutCalibration> {
    let c = this.calibrations.get(nQubits);
    if (c === undefined) {
      const shots = this.options.readout?.shots ?? this.inner.shots;
      const seed = derivedSeed(this.inner.seed ?? 1, CALIBRATION_STREAM + nQubits);
      c = calibrateReadout(this.inner.sampler, nQubits, shots, seed);
      this.calibrations.set(nQubits, c);
    }
    return c;
  }

  run(pubs: readonly EstimatorPub[], options: EstimatorRunOptions = {}): Job<EstimatorPubResult[]> {
    const folding = this.options.zne?.folding ?? 'global';
    const scaled: EstimatorPub[] = [];
    for (const pub of pubs) for (const s of this.scales) scaled.push({ ...pub, circuit: foldCircuit(pub.circuit, s, folding) });
    const result = (async () => {
      const sampled = await this.inner.sample(scaled, options).result();
      const out: EstimatorPubResult[] = [];
      for (let p = 0; p < pubs.length; p++) {
        const perScale = sampled.slice(p * this.scales.length, (p + 1) * this.scales.length);
        const cal = this.methods.includes('readout') ? await this.calibration(pubs[p].circuit.nQubits) : null;
        out.push(this.mitigate(perScale, cal));
      }
      return out;
    })();
    return { jobId: `mitigated-${++this.jobs}`, result: () => result };
  }

  private mitigate(perScale: SampledPub[], cal: ReadoutCalibration | null): EstimatorPubResult {
    const first = perScale[0];
    const op = first.pub.observable;
    const nQubits = first.pub.circuit.nQubits;
    const { groups } = first.grouping;
    const keeps = groups.map((g) => (this.methods.includes('symmetry') ? symmetryFilter(this.options.symmetry!, g, nQubits) : null));
    const plain = pauliShotValue(op);
    const corrected = cal === null ? plain : readoutShotValue(op, cal);
    const raw = estimateFromCounts(first);
    const zneOn = this.methods.includes('zne');
    const extrapolation = this.options.zne?.extrapolation ?? 'exponential';
    const asymptotes = zneOn && extrapolation === 'exponential' ? depolarisedGroupValues(first, keeps, plain) : null;
    const estimates: MitigatedEstimate[] = [];
    let pubShots = 0;
    const nScales = perScale.length;
    for (let s = 0; s < first.nSets; s++) {
      // Per scale: the summed value and error; per group and scale: value, error and readout sensitivities.
      const values: number[] = [];
      const errors: number[] = [];
      const groupValues = groups.map(() => new Float64Array(nScales));
      const groupErrors = groups.map(() => new Float64Array(nScales));
      const d0 = groups.map(() => Array.from({ length: nScales }, () => new Float64Array(nQubits)));
      const d1 = groups.map(() => Array.from({ length: nScales }, () => new Float64Array(nQubits)));
      let kept = 0;
      let selectable = 0;
      let shots = 0;
      for (let i = 0; i < nScales; i++) {
        const sp = perScale[i];
        let value = sp.constant;
        let variance = 0;
        for (let gi = 0; gi < groups.length; gi++) {
          const g = groups[gi];
          const keep = keeps[gi];
          const counts = sp.counts[gi][s];
          const st = groupStatistics(counts, keep === null ? (b) => corrected(b, g, gi) : (b) => (keep(b) ? plain(b, g, gi) : NaN), sp.weights[gi]);
          value += st.value;
          variance += st.standardError * st.standardError;
          groupValues[gi][i] = st.value;
          groupErrors[gi][i] = st.standardError;
          shots += st.measuredShots;
          if (keep !== null) {
            kept += st.shots;
            selectable += st.measuredShots;
          }
          if (cal !== null && keep === null) accumulateReadoutSensitivity(op, cal, g, counts, null, 1, d0[gi][i], d1[gi][i]);
        }
        values.push(value);
        errors.push(Math.sqrt(variance));
      }
      let value = values[0];
      let shotError = errors[0];
      // coefficients[gi][i]: ∂value/∂(group gi's mean at scale i)
      let coefficients: number[][] = groups.map(() => [1]);
      let zne: MitigationDetails['zne'];
      let modelError = 0;
      if (zneOn) {
        let method: ExtrapolationMethod = extrapolation;
        const asymptote = this.options.zne?.asymptote ?? (asymptotes === null ? first.constant : first.constant + asymptotes.reduce((x, y) => x + y, 0));
        const x = extrapolateToZero(this.scales, values, errors, extrapolation, asymptote);
        value = x.value;
        shotError = x.standardError;
        method = x.method;
        coefficients = groups.map(() => x.coefficients);
        if (method !== 'richardson' && (this.options.zne?.modelSpread ?? true)) {
          // The extrapolation model is an assumption: its distance from Richardson's polynomial
          // through the same points enters the error bar.
          const r = extrapolateToZero(this.scales, values, errors, 'richardson');
          modelError = Math.abs(value - r.value);
        }
        zne = { scales: [...this.scales], values, standardErrors: errors, extrapolation: method, ...(modelError > 0 ? { modelStandardError: modelError } : {}) };
      }
      let calibrationError = 0;
      if (cal !== null) {
        // The calibration is shared by every group and scale: combine sensitivities, then square.
        const t0 = new Float64Array(nQubits);
        const t1 = new Float64Array(nQubits);
        for (let gi = 0; gi < groups.length; gi++) {
          const c = coefficients[gi];
          for (let i = 0; i < c.length; i++) {
            for (let q = 0; q < nQubits; q++) {
              t0[q] += c[i] * d0[gi][i][q];
              t1[q] += c[i] * d1[gi][i][q];
            }
          }
        }
        calibrationError = Math.sqrt(calibrationVariance(cal, t0, t1));
      }
      const details: MitigationDetails = { applied: [...this.methods] };
      if (this.methods.includes('symmetry')) details.keptFraction = selectable > 0 ? kept / selectable : 1;
      if (cal !== null) details.calibrationStandardError = calibrationError;
      if (zne !== undefined) details.zne = zne;
      pubShots += shots;
      estimates.push({
        value,
        standardError: Math.sqrt(shotError * shotError + calibrationError * calibrationError + modelError * modelError),
        shots,
        rawValue: raw.estimates[s].value,
        rawStandardError: raw.estimates[s].standardError,
        mitigation: details,
      });
    }
    return { estimates, shots: pubShots };
  }
}

/** Seed stream of the readout calibration (plus the register size). */
const CALIBRATION_STREAM = 100;

/** Largest register whose post-selected depolarised value is summed over every bit string. */
const MAX_ENUMERATED_QUBITS = 16;

const depolarisedCache = new WeakMap<object, Map<string, number[]>>();

/**
 * What each group contributes to the estimate of the maximally mixed state (the limit of complete
 * depolarisation, the asymptote of exponential extrapolation): every outcome is equally likely, so
 * a group without post-selection contributes 0 (its Z strings average to zero, before and after
 * the linear readout correction) and a post-selected group the mean of its shot value over the
 * kept bit strings (enumerated up to {@link MAX_ENUMERATED_QUBITS} qubits; above, 0). The identity
 * term is not included.
 */
function depolarisedGroupValues(
  first: SampledPub,
  keeps: readonly (((bits: number) => boolean) | null)[],
  plain: ShotValue,
): number[] {
  const nQubits = first.pub.circuit.nQubits;
  const { groups } = first.grouping;
  if (keeps.every((k) => k === null) || nQubits > MAX_ENUMERATED_QUBITS) return groups.map(() => 0);
  const key = keeps.map((k) => (k === null ? '0' : '1')).join('');
  let byKey = depolarisedCache.get(first.grouping);
  if (byKey === undefined) {
    byKey = new Map();
    depolarisedCache.set(first.grouping, byKey);
  }
  const cached = byKey.get(key);
  if (cached !== undefined) return cached;
  const dimension = 2 ** nQubits;
  const out = groups.map((g, gi) => {
    const keep = keeps[gi];
    if (keep === null) return 0;
    let sum = 0;
    let kept = 0;
    for (let b = 0; b < dimension; b++) {
      if (!keep(b)) continue;
      sum += plain(b, g, gi);
      kept++;
    }
    return kept > 0 ? sum / kept : 0;
  });
  byKey.set(key, out);
  return out;
}

/**
 * The estimator of a backend spec with its `mitigation` applied: {@link createEstimator}, wrapped
 * in a {@link MitigatedEstimator} when the spec asks for mitigation (sampled backends only).
 * `symmetry` gives the electron counts 'symmetry' needs; `options` further mitigation settings.
 * @throws InputError for mitigation on the exact backend or 'symmetry' without electron counts.
 */
export function createMitigatedEstimator(
  spec: BackendSpec,
  symmetry?: SymmetrySpec,
  options: Omit<MitigationOptions, 'methods' | 'symmetry'> = {},
): Estimator {
  const estimator = createEstimator(spec);
  const methods = (spec as { mitigation?: readonly MitigationName[] }).mitigation ?? [];
  if (methods.length === 0) return estimator;
  if (!(estimator instanceof SamplingEstimator)) {
    throw new InputError(`backend '${spec.name}': key 'mitigation' needs a sampled backend (shots, noisy or ionq)`);
  }
  return new MitigatedEstimator(estimator, { ...options, methods, symmetry });
}
