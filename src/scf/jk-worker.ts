/**
 * Worker thread of the J/K pool (./jk-parallel.ts): takes row chunks of a packed-integral J/K build
 * from a shared counter and scatters each into its own accumulators in shared memory.
 */
import { parentPort } from 'node:worker_threads';
import { runChunks, type JkJobMessage } from './jk-parallel.js';
import { scatterChunk } from './jk.js';

parentPort!.on('message', (job: JkJobMessage) => runChunks(job, scatterChunk));
