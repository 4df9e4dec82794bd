/**
 * The physical baselines a GP can learn over, by kind: 'spin-pair' (Heisenberg, baseline.ts) and
 * 'hubbard' (hubbard.ts). Both are built from the H₂ singlet and triplet curves; their settings are
 * plain JSON stored in model files.
 */
import { InputError } from '../core/index.js';
import { type Baseline, type SpinPairBaselineSettings, checkSpinPairBaseline, createSpinPairBaseline } from './baseline.js';
import { type HubbardBaselineSettings, checkHubbardBaseline, createHubbardBaseline } from './hubbard.js';

/** Settings of any baseline. */
export type BaselineSettings = SpinPairBaselineSettings | HubbardBaselineSettings;

/** A baseline bound to its settings: E₀ and, when asked for, its forces −∂E₀/∂R (Hartree/Bohr). */
export interface AnyBaseline {
  readonly settings: BaselineSettings;
  evaluate: Baseline['evaluate'];
}

/** Check any baseline's settings; an InputError names the problem. */
export function checkBaseline(s: BaselineSettings): void {
  if (s.kind === 'spin-pair') checkSpinPairBaseline(s);
  else if (s.kind === 'hubbard') checkHubbardBaseline(s);
  else throw new InputError(`baseline: unknown kind '${String((s as { kind?: unknown }).kind)}' (expected 'spin-pair' or 'hubbard')`);
}

/** Build any baseline from its settings. */
export function createBaseline(s: BaselineSettings): AnyBaseline {
  checkBaseline(s);
  return s.kind === 'spin-pair' ? createSpinPairBaseline(s) : createHubbardBaseline(s);
}
