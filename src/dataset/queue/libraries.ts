/**
 * BullMQ and ioredis, imported on first use. Together they are about 250 modules (some 0.3 s of CPU
 * to load), which only `qde campaign --queue` and `qde worker` need, so the dataset stage does not
 * import them when it is loaded.
 */
import type { Redis } from 'ioredis';

type Bullmq = typeof import('bullmq');

let bullmq: Promise<Bullmq> | undefined;
let ioredis: Promise<{ Redis: typeof Redis }> | undefined;

/** The bullmq module (loaded once). */
export function loadBullmq(): Promise<Bullmq> {
  bullmq ??= import('bullmq');
  return bullmq;
}

/** The ioredis client class (the module is loaded once). */
export function loadIoredis(): Promise<{ Redis: typeof Redis }> {
  ioredis ??= import('ioredis').then((m) => ({ Redis: m.Redis }));
  return ioredis;
}
