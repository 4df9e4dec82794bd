/**
 * Worker-thread entry of the campaign runner's pool: computes one label per task. The thread budget
 * is set to 1 here so that the integral and FCI pools never nest inside the campaign's pool, and
 * every ERI class small enough to unroll gets its generated kernel, since a worker computes many
 * integral sets of the same kinds and compiles each kernel once for all of them.
 */
import { setThreadBudget } from '../core/index.js';
import { setKernelGenerationThreshold } from '../integrals/index.js';
import { computeLabel, type LabelOutcome, type LabelTask } from './label.js';

setThreadBudget(1);
setKernelGenerationThreshold(0);

/** Compute one task's label (the pool's handler). */
export default function labelWorker(task: LabelTask): Promise<LabelOutcome> {
  return computeLabel(task);
}
