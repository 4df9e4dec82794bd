/**
 * Where the `qde` sub-commands write: the output streams, kept apart from the option parsers in
 * common.ts so that `main` can name them without loading any pipeline stage.
 */

/** Where a command writes: stdout for results, stderr for diagnostics. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

let pipeGuarded = false;
/** A reader that stops early (`qde … | head`) closes the pipe: drop the rest of the output quietly. */
function guardBrokenPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

/** The process streams. */
export const processIo: CliIo = {
  stdout: (text) => {
    guardBrokenPipe();
    process.stdout.write(text);
  },
  stderr: (text) => {
    process.stderr.write(text);
  },
};
