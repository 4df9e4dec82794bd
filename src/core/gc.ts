/**
 * Garbage-collector settings for a process that computes. V8 scavenges the young generation with
 * parallel helper tasks by default; for qde's workloads (many short-lived typed arrays, one busy
 * thread per core) the helpers compete with the computing threads for the same cores and the
 * synchronisation costs more than it saves. Measured on the 2-core machine under load on the
 * shipped LiH/H2O campaign with one worker: 190 → 132 ms of process CPU per label with serial
 * scavenges.
 *
 * V8's flags are process-wide, so only entry points call this (the command line and the
 * benchmarks), never the library on a caller's behalf.
 */
import { setFlagsFromString } from 'node:v8';

let applied = false;

/** Scavenge the young generation on the allocating thread only (idempotent). */
export function useSerialScavenges(): void {
  if (applied) return;
  // The flag is read at every scavenge, so setting it after start-up takes effect from the next one.
  setFlagsFromString('--no-parallel-scavenge');
  applied = true;
}
