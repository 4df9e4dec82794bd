/**
 * Hostile-input fuzzing of the command line: seeded generators break valid XYZ, Gaussian94 basis and
 * FCIDUMP files in every way a careless or hostile user could (truncations, wrong counts, garbage
 * tokens, NaN/Inf/huge numbers, control bytes, contradicting entries, empty files, directories,
 * binary data), and each case is run through the CLI in-process. Every case must be refused the way
 * the README promises for bad input: exit code 2, exactly one line on stderr, nothing on stdout, no
 * raw control bytes in the message, and the file named when the problem is in it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Random } from '../src/core/random.js';
import { runQde, scratchDirectory } from '../src/cli/cli.test-util.js';

interface Case {
  /** What the generator did, for the failure message. */
  what: string;
  argv: string[];
  /** The message must contain this (the offending file), when set. */
  names?: string;
}

const H2 = '2\nH2 charge=0 multiplicity=1\nH 0.0 0.0 0.0\nH 0.0 0.0 0.7414\n';
const H2O = '3\nwater\nO 0.000000 0.000000 0.117790\nH 0.000000 0.755453 -0.471161\nH 0.000000 -0.755453 -0.471161\n';
const H_BASIS = 'H 0\nS 3 1.00\n 3.42525091 0.15432897\n 0.62391373 0.53532814\n 0.16885540 0.44463454\n****\n';
/** H2 at 0.74 Å in STO-3G, canonical RHF orbitals (values rounded; any consistent set will do). */
const H2_FCIDUMP =
  ' &FCI NORB=2,NELEC=2,MS2=0,\n  ORBSYM=1,5,\n  ISYM=1,\n &END\n' +
  ' 0.6745689 1 1 1 1\n 0.1812875 2 2 1 1\n 0.6637375 2 2 2 2\n 0.1812875 2 1 2 1\n' +
  '-1.2524873 1 1 0 0\n-0.4759655 2 2 0 0\n 0.7199689 0 0 0 0\n';

const GARBAGE_NUMBERS = ['NaN', 'nan', 'inf', '-Infinity', '1e400', '-1e999', '1.2.3', '0x10', 'abc', '1e', '--1', '1,5', '٣', '1_000', '+-2', '.', 'e5', '1e5e5'];
const CONTROL = ['\u0000', '\u001b[2J', '\u0007', '\u007f', '\u0008', '\u001b]0;pwned\u0007', '\u0085', '\u202e'];

function pick<T>(rng: Random, xs: readonly T[]): T {
  return xs[rng.int(xs.length)]!;
}

/** Random bytes that cannot start a valid file (the first byte is not a digit, '&', letter or space). */
function binary(rng: Random, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rng.int(256);
  b[0] = 0x80 + rng.int(0x80);
  return b;
}

function replaceField(text: string, line: number, field: number, token: string): string {
  const lines = text.split('\n');
  const fields = lines[line]!.trim().split(/\s+/);
  fields[field] = token;
  lines[line] = fields.join(' ');
  return lines.join('\n');
}

function xyzDefects(rng: Random): [string, string | Buffer][] {
  const base = rng.next() < 0.5 ? H2 : H2O;
  const n = base === H2 ? 2 : 3;
  const atomLine = 2 + rng.int(n);
  const out: [string, string | Buffer][] = [
    ['count too large', base.replace(/^\d+/, String(n + 1 + rng.int(5)))],
    ['count too small', base.replace(/^\d+/, String(1 + rng.int(n - 1)))],
    ['count not a number', base.replace(/^\d+/, pick(rng, ['two', '-2', '2.0', '2 3', '1e1', '', '0', '99999999999999999999']))],
    ['truncated before the last coordinate', base.slice(0, base.lastIndexOf(' '))],
    ['truncated after the comment line', base.split('\n').slice(0, 2).join('\n')],
    ['garbage coordinate', replaceField(base, atomLine, 1 + rng.int(3), pick(rng, GARBAGE_NUMBERS))],
    ['huge coordinate', replaceField(base, atomLine, 1 + rng.int(3), `${rng.next() < 0.5 ? '-' : ''}1e${6 + rng.int(300)}`)],
    ['unknown element', replaceField(base, atomLine, 0, pick(rng, ['Xx', 'Q', '0', '37', '-1', '1.5', 'HH', 'Uuo', 'D2']))],
    ['control byte in the element', replaceField(base, atomLine, 0, `H${pick(rng, CONTROL)}`)],
    ['control byte in a coordinate', replaceField(base, atomLine, 1 + rng.int(3), `0${pick(rng, CONTROL)}5`)],
    ['missing field', (() => { const l = base.split('\n'); l[atomLine] = l[atomLine]!.split(' ').slice(0, 1 + rng.int(3)).join(' '); return l.join('\n'); })()],
    ['atoms on top of each other', `${base}${base.split('\n')[atomLine]}\n`.replace(/^\d+/, String(n + 1))],
    ['impossible charge', base.replace(/\n[^\n]*\n/, `\ncharge=${pick(rng, ['+11', '20', '1.5', 'abc', '2e0', '--1'])}\n`)],
    ['impossible multiplicity', base.replace(/\n[^\n]*\n/, `\nmultiplicity=${pick(rng, ['0', '-1', '2', '4', '40', 'x'])}\n`)],
    ['more electrons than STO-3G functions', H2.replace('charge=0', `charge=-${pick(rng, ['4', '6', '8'])}`)],
    ['extended XYZ, bad Properties', base.replace(/\n[^\n]*\n/, `\n${pick(rng, ['Properties=species:S:1', 'Properties=species:S:1:pos:R:2', 'Properties=pos:R:3', 'Properties=species:Q:1:pos:R:3', 'Properties="species:S:1:pos:R:3', 'Lattice="1 2 3"'])}\n`)],
    ['empty file', ''],
    ['whitespace only', pick(rng, ['\n', '   \n\n', '\t\r\n'])],
    ['binary data', binary(rng, 1 + rng.int(400))],
    ['NUL bytes', '\u0000'.repeat(1 + rng.int(50))],
  ];
  return out;
}

function gbsDefects(rng: Random): [string, string | Buffer][] {
  const primLine = 2 + rng.int(3);
  return [
    ['garbage exponent', replaceField(H_BASIS, primLine, 0, pick(rng, [...GARBAGE_NUMBERS, '0', '-1', '0.0']))],
    ['exponent out of range', replaceField(H_BASIS, primLine, 0, pick(rng, ['1e30', '1e11', '1e-30', '5e300', '1D+15']))],
    ['garbage coefficient', replaceField(H_BASIS, primLine, 1, pick(rng, GARBAGE_NUMBERS))],
    ['huge coefficient', replaceField(H_BASIS, primLine, 1, `${rng.next() < 0.5 ? '-' : ''}1e${7 + rng.int(300)}`)],
    ['zero contraction', H_BASIS.replace(/ 0\.\d+\n/g, ' 0.0\n')],
    ['too many primitives announced', H_BASIS.replace('S 3', `S ${4 + rng.int(10)}`)],
    ['primitive count not a number', H_BASIS.replace('S 3', `S ${pick(rng, ['0', '-3', 'x', '2.5', ''])}`)],
    ['bad scale factor', H_BASIS.replace('1.00', pick(rng, ['0', '-1', 'abc', 'inf', '1e200']))],
    ['bad shell letter', H_BASIS.replace('S 3', `${pick(rng, ['X', 'Q', 'SPD', '1'])} 3`)],
    ['shell above g', H_BASIS.replace('S 3', `${pick(rng, ['H', 'I', 'K'])} 3`)],
    ['element missing', H_BASIS.replace('H 0', pick(rng, ['He 0', 'Li 0']))],
    ['unknown element', H_BASIS.replace('H 0', pick(rng, ['Xx 0', 'H 1', 'H 0 0']))],
    ['element twice', H_BASIS + H_BASIS],
    ['truncated inside a shell', H_BASIS.slice(0, H_BASIS.indexOf('0.62'))],
    ['control byte in a number', replaceField(H_BASIS, primLine, rng.int(2), `1${pick(rng, CONTROL)}0`)],
    ['empty file', ''],
    ['comments only', '! nothing here\n!\n'],
    ['binary data', binary(rng, 1 + rng.int(400))],
  ];
}

function fcidumpDefects(rng: Random): [string, string | Buffer][] {
  const lines = H2_FCIDUMP.split('\n');
  const dataLine = 4 + rng.int(7);
  const withLine = (i: number, text: string) => lines.map((l, k) => (k === i ? text : l)).join('\n');
  return [
    ['no header', H2_FCIDUMP.replace(' &FCI', '')],
    ['header never closed', H2_FCIDUMP.replace(' &END', '')],
    ['bad NORB', H2_FCIDUMP.replace('NORB=2', `NORB=${pick(rng, ['0', '-2', 'x', '2.5', '1000', '99999999999', '1e400'])}`)],
    ['bad NELEC', H2_FCIDUMP.replace('NELEC=2', `NELEC=${pick(rng, ['5', '-1', 'two', '1.5'])}`)],
    ['impossible MS2', H2_FCIDUMP.replace('MS2=0', `MS2=${pick(rng, ['1', '4', '-4', 'x'])}`)],
    ['bad ORBSYM', H2_FCIDUMP.replace('ORBSYM=1,5', pick(rng, ['ORBSYM=1', 'ORBSYM=1,5,1', 'ORBSYM=x,1', 'ORBSYM=0,1', 'ORBSYM=-1,5', 'ORBSYM=99999999999*1', 'ORBSYM=2147483648,1']))],
    ['UHF', H2_FCIDUMP.replace('ISYM=1', 'ISYM=1, UHF=.TRUE.')],
    ['wrong field count', withLine(dataLine, lines[dataLine]!.split(' ').slice(0, 2 + rng.int(3)).join(' '))],
    ['garbage value', replaceField(H2_FCIDUMP, dataLine, 0, pick(rng, GARBAGE_NUMBERS))],
    ['huge value', replaceField(H2_FCIDUMP, dataLine, 0, `${rng.next() < 0.5 ? '-' : ''}1e${7 + rng.int(300)}`)],
    ['index out of range', replaceField(H2_FCIDUMP, 4 + rng.int(4), 1 + rng.int(4), pick(rng, ['3', '-1', '9', '1.5', 'x']))],
    ['invalid index pattern', `${H2_FCIDUMP} 0.1 ${pick(rng, ['1 0 1 0', '0 1 0 0', '0 0 1 1', '1 0 0 1'])}\n`],
    ['contradicting two-electron integral', `${H2_FCIDUMP} 0.2${1 + rng.int(9)} ${pick(rng, ['1 1 2 2', '1 2 1 2', '2 1 1 2'])}\n`],
    ['contradicting one-electron integral', `${H2_FCIDUMP}-0.5 2 2 0 0\n`],
    ['contradicting core energy', `${H2_FCIDUMP} 0.8 0 0 0 0\n`],
    ['control byte in a value', replaceField(H2_FCIDUMP, dataLine, 0, `0.5${pick(rng, CONTROL)}`)],
    ['empty file', ''],
    ['binary data', binary(rng, 1 + rng.int(400))],
  ];
}

/** H2 FCIDUMP whose two orbitals are degenerate in the Fock matrix: MP2 must be refused. */
const DEGENERATE_FCIDUMP = ' &FCI NORB=2,NELEC=2,MS2=0 &END\n-1.0 1 1 0 0\n-1.0 2 2 0 0\n 0.0 0 0 0 0\n';

function assertRefused(c: Case, run: { code: number; stdout: string; stderr: string }): void {
  const context = `${c.what}: qde ${c.argv.map((a) => JSON.stringify(a)).join(' ')} → exit ${run.code}, stderr ${JSON.stringify(run.stderr)}`;
  assert.equal(run.code, 2, context);
  assert.equal(run.stdout, '', context);
  assert.ok(run.stderr.startsWith('qde: ') && run.stderr.endsWith('\n'), context);
  assert.equal(run.stderr.indexOf('\n'), run.stderr.length - 1, `more than one line: ${context}`);
  assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(run.stderr), `raw control character: ${context}`);
  if (c.names !== undefined) assert.ok(run.stderr.includes(c.names), `the message does not name ${c.names}: ${context}`);
}

test('fuzz: malformed XYZ, basis and FCIDUMP inputs are refused with exit 2 and one line (seeded)', async () => {
  const rng = new Random(20261205);
  const dir = scratchDirectory();
  try {
    const cases: Case[] = [];
    const write = (name: string, content: string | Buffer): string => {
      const path = join(dir.path, name);
      writeFileSync(path, content);
      return path;
    };
    const rounds = 8;
    for (let round = 0; round < rounds; round++) {
      for (const [what, content] of xyzDefects(rng)) {
        const path = write(`g${cases.length}.xyz`, content);
        cases.push({ what: `xyz ${what}`, argv: ['energy', path, '--basis', 'sto-3g'], names: path });
      }
      for (const [what, content] of gbsDefects(rng)) {
        const path = write(`b${cases.length}.gbs`, content);
        const exempt = what === 'shell above g'; // refused by the integral stage, which knows no file
        cases.push({ what: `basis ${what}`, argv: ['energy', 'examples/h2.xyz', '--basis', path], ...(exempt ? {} : { names: path }) });
      }
      for (const [what, content] of fcidumpDefects(rng)) {
        const path = write(`f${cases.length}.fcidump`, content);
        cases.push({ what: `fcidump ${what}`, argv: ['energy', '--fcidump', path, '--method', pick(rng, ['fci', 'mp2', 'ccsd'])], names: path });
      }
    }
    // Paths that are not files.
    const sub = join(dir.path, 'a-directory.xyz');
    mkdirSync(sub);
    const missing = join(dir.path, 'missing.xyz');
    cases.push(
      { what: 'directory as geometry', argv: ['energy', sub], names: sub },
      { what: 'directory as basis', argv: ['energy', 'examples/h2.xyz', '--basis', dir.path], names: dir.path },
      { what: 'empty basis name', argv: ['energy', 'examples/h2.xyz', '--basis', ''] },
      { what: 'directory as FCIDUMP', argv: ['energy', '--fcidump', dir.path, '--method', 'fci'], names: dir.path },
      { what: 'missing geometry', argv: ['energy', missing], names: missing },
      { what: 'missing FCIDUMP', argv: ['energy', '--fcidump', missing, '--method', 'fci'], names: missing },
      { what: 'control bytes in a file name', argv: ['energy', join(dir.path, 'evil\u001b[2J\r\u0000.xyz')] },
      { what: 'RHF on an odd electron count', argv: ['energy', write('cation.xyz', H2O.replace('water', 'water charge=1'))], names: 'cation.xyz:2' },
      { what: 'more electrons of one spin than functions', argv: ['energy', write('m11.xyz', H2O.replace('water', 'water multiplicity=11')), '--method', 'uhf'], names: 'm11.xyz:2' },
      { what: 'degenerate orbitals, mp2', argv: ['energy', '--fcidump', write('degenerate.fcidump', DEGENERATE_FCIDUMP), '--method', 'mp2'] },
      { what: 'degenerate orbitals, ccsd', argv: ['energy', '--fcidump', write('degenerate2.fcidump', DEGENERATE_FCIDUMP), '--method', 'ccsd'] },
      { what: 'degenerate orbitals, ccsd(t)', argv: ['energy', '--fcidump', write('degenerate3.fcidump', DEGENERATE_FCIDUMP), '--method', 'ccsd(t)'] },
    );
    assert.ok(cases.length > 400, `${cases.length} cases`);
    const failures: string[] = [];
    for (const c of cases) {
      try {
        assertRefused(c, await runQde(c.argv));
      } catch (e) {
        failures.push((e as Error).message.split('\n')[0]!);
      }
    }
    assert.deepEqual(failures.slice(0, 25), [], `${failures.length} of ${cases.length} cases failed`);
  } finally {
    dir.remove();
  }
});

/** One to three random byte-level edits: delete a span, insert a garbage token, duplicate or drop a line, truncate. */
function mutate(rng: Random, text: string): string {
  let t = text;
  const edits = 1 + rng.int(3);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(t.length + 1);
    switch (rng.int(6)) {
      case 0:
        t = t.slice(0, at) + t.slice(Math.min(t.length, at + 1 + rng.int(4)));
        break;
      case 1:
        t = t.slice(0, at) + pick(rng, [...GARBAGE_NUMBERS, ...CONTROL, ' ', '\n', '-', '0', '9', 'e', 'D', '=', '*', '!', '&']) + t.slice(at);
        break;
      case 2: {
        const lines = t.split('\n');
        const k = rng.int(lines.length);
        lines.splice(k, 0, lines[k]!);
        t = lines.join('\n');
        break;
      }
      case 3: {
        const lines = t.split('\n');
        lines.splice(rng.int(lines.length), 1);
        t = lines.join('\n');
        break;
      }
      case 4:
        t = t.slice(0, at);
        break;
      default:
        t = t.slice(0, at) + String.fromCharCode(rng.int(128)) + t.slice(at);
    }
  }
  return t;
}

/** A mutated file may still be valid: then it must give a finite energy; otherwise a one-line refusal. Never an internal error. */
function assertHandled(what: string, argv: string[], run: { code: number; stdout: string; stderr: string }): void {
  const context = `${what}: qde ${argv.map((a) => JSON.stringify(a)).join(' ')} → exit ${run.code}, stdout ${JSON.stringify(run.stdout.slice(0, 200))}, stderr ${JSON.stringify(run.stderr)}`;
  if (run.code === 0) {
    assert.equal(run.stderr, '', context);
    const energy = (JSON.parse(run.stdout) as { energyHartree: unknown }).energyHartree;
    assert.ok(typeof energy === 'number' && Number.isFinite(energy), context);
    return;
  }
  assert.ok(run.code === 2 || run.code === 3, context);
  assert.equal(run.stdout, '', context);
  assert.ok(run.stderr.startsWith('qde: ') && run.stderr.indexOf('\n') === run.stderr.length - 1, context);
  assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(run.stderr), `raw control character: ${context}`);
}

test('fuzz: randomly mutated valid files give a finite energy or a one-line refusal, never an internal error (seeded)', async () => {
  const rng = new Random(7);
  const dir = scratchDirectory();
  try {
    const failures: string[] = [];
    let count = 0;
    for (let round = 0; round < 60; round++) {
      const geometry = dir.file(`m${round}.xyz`, mutate(rng, H2));
      const basis = dir.file(`m${round}.gbs`, mutate(rng, H_BASIS));
      let dump = mutate(rng, H2_FCIDUMP);
      // Keep the dense n⁴ integral array small: a mutated NORB may grow by digits.
      const norb = /NORB\s*=\s*(\d+)/i.exec(dump);
      if (norb && Number(norb[1]) > 12) dump = dump.replace(norb[0], 'NORB=2');
      const fcidump = dir.file(`m${round}.fcidump`, dump);
      const runs: [string, string[]][] = [
        ['mutated xyz', ['energy', geometry, '--basis', 'sto-3g', '--json']],
        ['mutated basis', ['energy', 'examples/h2.xyz', '--basis', basis, '--json']],
        ['mutated fcidump', ['energy', '--fcidump', fcidump, '--method', pick(rng, ['fci', 'mp2', 'ccsd']), '--json']],
      ];
      for (const [what, argv] of runs) {
        count++;
        try {
          assertHandled(what, argv, await runQde(argv));
        } catch (e) {
          failures.push((e as Error).message.split('\n')[0]!);
        }
      }
    }
    assert.deepEqual(failures.slice(0, 25), [], `${failures.length} of ${count} cases failed`);
  } finally {
    dir.remove();
  }
});

test('an error message never echoes raw control bytes from the input', async () => {
  const dir = scratchDirectory();
  try {
    const path = dir.file('esc.xyz', '2\n\nH\u001b[31m 0 0 0\nH 0 0 0.74\n');
    const run = await runQde(['energy', path]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown element 'H\\x1b\[31m'/);
  } finally {
    dir.remove();
  }
});
