/**
 * Progress of a running calculation, for long runs: every iterative step (SCF, coupled cluster,
 * Davidson, the VQE optimiser) reports its iterations through one callback, which the command line
 * turns into occasional lines on stderr. Reporting never changes a result.
 */

/** One iteration of one step of a calculation. */
export interface ProgressEvent {
  /** The step: 'scf', 'ccsd', 'fci', 'vqe', 'adapt-vqe'. */
  step: string;
  /** 1-based iteration of the step (for fci, counted over all symmetry sectors). */
  iteration: number;
  /** Current energy estimate of the step, Hartree (total energy where the step knows it). */
  energyHartree: number | null;
  /** A short note, e.g. the residual or gradient norm. */
  detail: string | null;
}

/** Receives progress events. */
export type ProgressSink = (event: ProgressEvent) => void;
