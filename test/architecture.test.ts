// Imports flow downstream only: a stage may import from the stages before it, never after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const STAGES = [
  'core',
  'chem',
  'basis',
  'integrals',
  'scf',
  'hamiltonian',
  'classical',
  'qubits',
  'circuits',
  'backends',
  'algorithms',
  'cli',
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.test-util.ts')) out.push(path);
  }
  return out;
}

test('every library import points to the same or an earlier pipeline stage', () => {
  const violations: string[] = [];
  let checked = 0;
  for (const stage of STAGES) {
    const rank = STAGES.indexOf(stage);
    for (const file of sourceFiles(join('src', stage))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"]\.\.\/([a-z-]+)\//g)) {
        checked++;
        const target = STAGES.indexOf(m[1]!);
        assert.notEqual(target, -1, `${file} imports from unknown folder src/${m[1]}`);
        if (target > rank) violations.push(`${file} imports from later stage ${m[1]}`);
      }
    }
  }
  assert.ok(checked > 50, `only ${checked} cross-stage imports found: the pattern no longer matches`);
  assert.deepEqual(violations, []);
});
