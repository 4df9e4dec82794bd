/**
 * The library entry points the command line calls, gathered in one place.
 */
import { InputError } from '../core/errors.js';
export { frozenCoreOrbitalCount, molecularHamiltonianFromScf } from '../hamiltonian/index.js';
import * as classicalStage from '../classical/index.js';
export { runMp2, runCcsd, runCcsdT } from '../classical/index.js';
import * as algorithmsStage from '../algorithms/index.js';

// TRANSITIONAL: stages still landing; looked up at run time until their exports exist.
/* eslint-disable @typescript-eslint/no-explicit-any */
function pending(stage: unknown, name: string, method: string): any {
  const f = (stage as Record<string, unknown>)[name];
  if (typeof f !== 'function') throw new InputError(`method ${method} is not available in this build of qde (${name} missing)`);
  return f;
}
export const runFci = (x: unknown, o?: object): any => pending(classicalStage, 'runFci', 'fci')(x, o);
export const runVqe = (o: object): any => pending(algorithmsStage, 'runVqe', 'vqe')(o);
export const runAdaptVqe = (o: object): any => pending(algorithmsStage, 'runAdaptVqe', 'adapt-vqe')(o);
export const runPhaseEstimation = (o: object): any => pending(algorithmsStage, 'runPhaseEstimation', 'qpe')(o);
