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
