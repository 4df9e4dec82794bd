/**
 * A buffered text sink for the exporters: pieces are appended to a chunk list and written to the
 * file descriptor once about 1 MiB has accumulated, so an export of any size uses bounded memory and
 * builds no string longer than one chunk.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError, fileErrorReason } from '../../core/index.js';

const FLUSH_CHARS = 1 << 20;

/** What an export wrote. */
export interface ExportSummary {
  /** Output path (a file, or the directory of an FCIDUMP export). */
  path: string;
  /** Labels written. */
  records: number;
  /** Files written. */
  files: number;
}

/** Append-only text output to a file. */
export class TextSink {
  private readonly fd: number;
  private pieces: string[] = [];
  private pending = 0;

  /** Open (create or truncate) `path`; `what` names the file in errors. */
  constructor(readonly path: string, what: string) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new InputError(`cannot write ${what} '${path}': ${fileErrorReason(e)}`);
    }
  }

  write(text: string): void {
    this.pieces.push(text);
    this.pending += text.length;
    if (this.pending >= FLUSH_CHARS) this.flush();
  }

  flush(): void {
    if (this.pieces.length === 0) return;
    writeSync(this.fd, this.pieces.join(''));
    this.pieces = [];
    this.pending = 0;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

/** Run `body` with a sink on `path`, closing it whatever happens. */
export function withTextSink<T>(path: string, what: string, body: (sink: TextSink) => T): T {
  const sink = new TextSink(path, what);
  try {
    return body(sink);
  } finally {
    sink.close();
  }
}
