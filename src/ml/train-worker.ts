/**
 * Worker thread of {@link trainModels} (./train-parallel.ts): trains one model per message with the
 * very function the calling thread uses and returns it as its model-file object, so the caller gets
 * the same numbers it would have computed itself. The worker's own thread budget is 1: two GPs
 * side by side must not each start a GEMM pool.
 */
import { parentPort } from 'node:worker_threads';
import { InputError, setThreadBudget } from '../core/index.js';
import { modelToJson, trainModel } from './model.js';
import type { TrainingJob, TrainingReply } from './train-parallel.js';

setThreadBudget(1);
parentPort!.on('message', (job: TrainingJob & { id: number }) => {
  let reply: TrainingReply;
  try {
    reply = { id: job.id, model: modelToJson(trainModel(job.examples, job.options, job.info)) };
  } catch (e) {
    reply = { id: job.id, error: e instanceof Error ? e.message : String(e), inputError: e instanceof InputError };
  }
  parentPort!.postMessage(reply);
});
