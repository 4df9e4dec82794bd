/**
 * Worker threads that run one of qde's own modules, from the build or from the TypeScript sources.
 * From compiled JavaScript the worker just imports the module; when the caller runs as TypeScript
 * under tsx, worker threads do not inherit tsx's loader, so a small bootstrap registers it (the ESM
 * build of tsx/esm/api, resolved from here; its CommonJS build cannot register hooks from a worker)
 * before importing the `.ts` module.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
  await import(workerData.workerUrl);
})();
`;

/**
 * Start a worker thread running the module `baseName` (no extension) next to the module whose
 * `import.meta.url` is `callerUrl`, with the caller's extension (`.ts` under tsx, else `.js`).
 * `workerData` is not available to the module: it talks to its parent through messages.
 */
export function startModuleWorker(callerUrl: string, baseName: string): Worker {
  const fromTs = callerUrl.endsWith('.ts');
  const workerUrl = new URL(`./${baseName}${fromTs ? '.ts' : '.js'}`, callerUrl).href;
  const tsxApi = fromTs
    ? pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href
    : undefined;
  return new Worker(BOOTSTRAP, { eval: true, workerData: { workerUrl, tsxApi } });
}

/**
 * A lazily grown pool of {@link startModuleWorker} threads: started on first use, unref'd (they never
 * keep a process alive) and reused by later calls. A worker that fails is dropped with a warning; the
 * pools' callers take work items themselves, so a job still completes.
 */
export class ModuleWorkerPool {
  private workers: Worker[] = [];

  /** `label` names the pool in warnings (e.g. "ERI"). */
  constructor(
    private readonly callerUrl: string,
    private readonly baseName: string,
    private readonly label: string,
  ) {}

  /** At least `size` workers started; returns the first `size`. */
  ensure(size: number): Worker[] {
    while (this.workers.length < size) {
      const w = startModuleWorker(this.callerUrl, this.baseName);
      w.unref();
      w.on('error', (e) => {
        this.workers = this.workers.filter((p) => p !== w);
        process.emitWarning(`${this.label} worker failed: ${String(e)}`);
      });
      this.workers.push(w);
    }
    return this.workers.slice(0, size);
  }

  /** Workers currently started. */
  get size(): number {
    return this.workers.length;
  }

  /** Terminate every worker (tests or long-running hosts that want the threads back). */
  async terminate(): Promise<void> {
    const p = this.workers;
    this.workers = [];
    await Promise.all(p.map((w) => w.terminate()));
  }
}
