/**
 * Typed errors. Each carries a message a user can act on; the command line prints the message
 * on one line and exits with code 2 for {@link InputError}, 3 for {@link ConvergenceError}.
 */

/** Where in an input file a problem was found (1-based line). */
export interface InputLocation {
  file?: string;
  line?: number;
}

/** Bad input: a malformed file, an unknown element, an impossible charge, a missing option. */
export class InputError extends Error {
  readonly file?: string;
  readonly line?: number;
  constructor(problem: string, location: InputLocation = {}) {
    const where =
      location.file !== undefined
        ? location.line !== undefined
          ? `${location.file}:${location.line}: `
          : `${location.file}: `
        : '';
    super(where + problem);
    this.name = 'InputError';
    this.file = location.file;
    this.line = location.line;
  }
}

/** An iterative method (SCF, coupled cluster, Davidson, an optimiser) did not converge. */
export class ConvergenceError extends Error {
  /** Last change of the energy between iterations, in Hartree (NaN when not meaningful). */
  readonly lastEnergyChangeHartree: number;
  /** Last energy reached, in Hartree (NaN when not meaningful). */
  readonly lastEnergyHartree: number;
  readonly iterations: number;
  constructor(
    message: string,
    details: { lastEnergyChangeHartree?: number; lastEnergyHartree?: number; iterations?: number } = {},
  ) {
    super(message);
    this.name = 'ConvergenceError';
    this.lastEnergyChangeHartree = details.lastEnergyChangeHartree ?? Number.NaN;
    this.lastEnergyHartree = details.lastEnergyHartree ?? Number.NaN;
    this.iterations = details.iterations ?? 0;
  }
}

/**
 * A calculation too large for the machine, refused before it starts (a kind of bad input: the
 * command line exits with code 2). Carries the estimate and the limit it was refused against.
 */
export class ResourceError extends InputError {
  readonly estimateBytes: number;
  readonly limitBytes: number;
  constructor(problem: string, details: { estimateBytes: number; limitBytes: number }) {
    super(problem);
    this.name = 'ResourceError';
    this.estimateBytes = details.estimateBytes;
    this.limitBytes = details.limitBytes;
  }
}
