/**
 * Several models trained side by side, one per worker thread: each trains single-threaded, so a set
 * of independent fits (the rungs of an experiment, the points of a learning curve) keeps every core
 * busy. The results equal, bit for bit, what {@link trainModel} gives in the calling thread: the
 * worker runs the same function and hands the model back as its model-file object (./model.ts),
 * whose numbers survive the copy exactly.
 */
import type { Worker } from 'node:worker_threads';
import { InputError, ModuleWorkerPool, threadBudget } from '../core/index.js';
import type { TrainingExample } from './data.js';
import { type LabelInfo, type ModelOptions, type TrainedModel, modelFromJson, trainModel } from './model.js';

/** One fit: the arguments of {@link trainModel}. */
export interface TrainingJob {
  examples: readonly TrainingExample[];
  options: ModelOptions;
  info?: LabelInfo;
}

/** A worker's answer: the model-file object, or the error the fit raised. */
export type TrainingReply = { id: number; model: Record<string, unknown> } | { id: number; error: string; inputError: boolean };

const pool = new ModuleWorkerPool(import.meta.url, 'train-worker', 'training');

/**
 * Rough relative cost of a fit, only to start the longest first: labels (with forces, one energy
 * and 3N force components each) times, for networks, members × passes × weights of a hidden layer.
 */
function jobCost(job: TrainingJob): number {
  let rows = 0;
  for (const e of job.examples) rows += e.forcesHartreePerBohr ? 1 + e.positionsBohr.length : 1;
  const o = job.options;
  if (o.kind === 'gp') return rows * rows;
  // the defaults of trainNn: [24, 24], 300 passes, one member
  const width = Math.max(...(o.hidden ?? [24]), 1);
  return rows * (o.ensemble ?? 1) * (o.epochs ?? 300) * width * width;
}

/**
 * Train every job and return the models in job order. With a thread budget of 1 (or a single job)
 * the fits run one after another in the calling thread; otherwise on up to `threadBudget()` worker
 * threads (the calling thread only waits), longest first. A worker that fails is dropped with a
 * warning and its job is trained in the calling thread; an error of the fit itself is thrown (an
 * InputError stays one).
 */
export async function trainModels(jobs: readonly TrainingJob[], threads = threadBudget()): Promise<TrainedModel[]> {
  const count = Math.min(threads, jobs.length);
  if (count <= 1) return jobs.map((j) => trainModel(j.examples, j.options, j.info));
  const order = jobs.map((_, k) => k).sort((a, b) => jobCost(jobs[b]) - jobCost(jobs[a]) || a - b);
  const models: (TrainedModel | undefined)[] = new Array(jobs.length);
  const workers = pool.ensure(count);
  let next = 0;
  const runOn = (w: Worker): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      let current = -1;
      const take = (): void => {
        if (next >= order.length) {
          finish();
          resolve();
          return;
        }
        const id = order[next++];
        current = id;
        w.postMessage({ id, examples: jobs[id].examples, options: jobs[id].options, info: jobs[id].info ?? {} });
      };
      const fail = (e: unknown): void => {
        next = order.length; // the other workers stop after their current fit
        finish();
        reject(e);
      };
      const onMessage = (m: TrainingReply): void => {
        if (m.id !== current) return;
        if ('error' in m) return fail(m.inputError ? new InputError(m.error) : new Error(`training failed: ${m.error}`));
        // an event handler must not throw: a model that does not read back fails the call
        try {
          models[m.id] = modelFromJson(m.model);
        } catch (e) {
          return fail(e);
        }
        take();
      };
      // the pool drops a failed worker; its fit in flight is trained here, the jobs it would have
      // taken go to the other workers (or, when none is left, to the calling thread below)
      const onGone = (): void => {
        finish();
        try {
          if (current >= 0 && models[current] === undefined) models[current] = trainModel(jobs[current].examples, jobs[current].options, jobs[current].info);
          resolve();
        } catch (e) {
          reject(e);
        }
      };
      const finish = (): void => {
        w.off('message', onMessage);
        w.off('error', onGone);
        w.off('exit', onGone);
        w.unref();
      };
      // pool workers are unref'd; a job in flight must keep the process alive until its answer
      w.ref();
      w.on('message', onMessage);
      w.on('error', onGone);
      w.on('exit', onGone);
      take();
    });
  await Promise.all(workers.map(runOn));
  // jobs left by workers that failed before taking them
  return models.map((m, k) => m ?? trainModel(jobs[k].examples, jobs[k].options, jobs[k].info));
}

/** Terminate the training workers (tests or long-running hosts that want the threads back). */
export async function terminateTrainingWorkers(): Promise<void> {
  await pool.terminate();
}
