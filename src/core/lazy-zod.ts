/**
 * The schema library, loaded on first use. Importing zod costs about 0.2 s of CPU; modules that
 * only validate rare inputs (noise-model files, IonQ circuits) would otherwise make every process
 * and every campaign worker thread pay it at start-up without ever validating anything.
 */
import { createRequire } from 'node:module';

type ZodModule = typeof import('zod');

let loaded: ZodModule | undefined;

/** zod's `z` namespace (loaded synchronously the first time it is asked for). */
export function lazyZod(): ZodModule['z'] {
  loaded ??= createRequire(import.meta.url)('zod') as ZodModule;
  return loaded.z;
}
