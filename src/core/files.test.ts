import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from './errors.js';
import { readTextFile } from './files.js';

test('readTextFile reads text and turns every file-system failure into an InputError with a reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qde-files-'));
  try {
    const path = join(dir, 'a.txt');
    writeFileSync(path, 'héllo\n');
    assert.equal(readTextFile(path, 'test file'), 'héllo\n');
    const cases: [string, RegExp][] = [
      [join(dir, 'missing'), /^cannot read test file '.*missing': no such file$/],
      [dir, /: it is a directory$/],
      [join(path, 'below-a-file'), /: a part of the path is not a directory$/],
      [join(dir, 'nul\u0000name'), /: the name is not a valid path \(it contains a NUL byte\)$/],
    ];
    for (const [p, pattern] of cases) {
      assert.throws(() => readTextFile(p, 'test file'), (e: unknown) => e instanceof InputError && pattern.test(e.message));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
