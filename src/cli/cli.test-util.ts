/**
 * Test helper: run the `qde` command line in-process and capture its output.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';

/** Exit code and captured streams of one `qde` run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `qde <argv…>` in-process. */
export async function runQde(argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  });
  return { code, stdout, stderr };
}

/** A temporary directory with helpers to write files into it; call `remove()` when done. */
export function scratchDirectory(): { path: string; file(name: string, text: string): string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'qde-cli-'));
  return {
    path,
    file(name: string, text: string): string {
      const p = join(path, name);
      writeFileSync(p, text);
      return p;
    },
    remove(): void {
      rmSync(path, { recursive: true, force: true });
    },
  };
}
