/**
 * Runs Psi4 (Debian's package, under /usr/bin/python3) for comparison timings, when it is
 * installed. Each calculation runs in its own process, with its own scratch directory (PSI_SCRATCH,
 * removed afterwards); the script must print one JSON line starting with `QDE_RESULT ` on stdout.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerEnvironment } from './harness.js';

const PYTHON = '/usr/bin/python3';
const PSI4_PATH = '/usr/lib/x86_64-linux-gnu';
let available: boolean | undefined;

function env(): NodeJS.ProcessEnv {
  return peerEnvironment({ PYTHONPATH: PSI4_PATH + (process.env.PYTHONPATH ? ':' + process.env.PYTHONPATH : '') });
}

/** Whether `import psi4` works under Debian's python. */
export function psi4Available(): boolean {
  if (available === undefined) {
    available =
      existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import psi4'], { env: env(), timeout: 60000 }).status === 0;
  }
  return available;
}

/**
 * Run a Python body with `psi4` imported, quiet output, 2 threads, and a helper `geometry(xyz)`.
 * The body must call `report(dict)`; the dict is returned.
 */
export function runPsi4(body: string, timeoutSeconds = 1200): Record<string, number> | undefined {
  if (!psi4Available()) return undefined;
  const script = `
import json, time, psi4
psi4.core.be_quiet()
psi4.set_num_threads(2)
psi4.set_memory('8 GB')
def report(d):
    print('QDE_RESULT ' + json.dumps(d), flush=True)
${body}
`;
  // A scratch directory of its own, removed afterwards: a run killed at the time limit would
  // otherwise leave its integral files (tens of GB for the larger jobs) behind.
  const scratch = mkdtempSync(join(tmpdir(), 'qde-bench-psi4-'));
  let result;
  try {
    result = spawnSync(PYTHON, ['-c', script], {
      env: { ...env(), PSI_SCRATCH: scratch },
      encoding: 'utf8',
      timeout: timeoutSeconds * 1000,
      cwd: scratch,
      maxBuffer: 64 * 1024 * 1024,
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const line = (result.stdout ?? '').split('\n').find((l) => l.startsWith('QDE_RESULT '));
  if (!line) {
    process.stderr.write(`psi4 run failed: ${(result.stderr ?? '').slice(-500)}\n`);
    return undefined;
  }
  return JSON.parse(line.slice('QDE_RESULT '.length)) as Record<string, number>;
}

/** Psi4 geometry block in Ångström, no symmetry, no reorientation, no centre-of-mass shift. */
export function psi4Geometry(symbols: readonly string[], positionsAngstrom: ArrayLike<number>, charge = 0, multiplicity = 1): string {
  const lines = symbols.map(
    (s, i) => `${s} ${positionsAngstrom[3 * i]} ${positionsAngstrom[3 * i + 1]} ${positionsAngstrom[3 * i + 2]}`,
  );
  return `${charge} ${multiplicity}\n${lines.join('\n')}\nunits angstrom\nsymmetry c1\nno_reorient\nno_com`;
}
