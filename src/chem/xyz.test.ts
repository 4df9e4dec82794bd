import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { createMolecule, moleculeFormula, positionsAngstrom } from './molecule.js';
import {
  type ExtXyzFrameInput,
  type ExtXyzProperty,
  formatExtXyz,
  formatXyz,
  parseExtXyzValue,
  parseXyz,
  parseXyzFrames,
  parseXyzTrajectory,
  readXyzFile,
  splitExtXyzKeyValues,
  writeExtXyzFile,
  writeXyzFile,
} from './xyz.js';

const BOHR = 0.52917721067;

function inputError(pattern: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  };
}

const WATER = `3
water charge=0 multiplicity=1
O  0.000000  0.000000  0.117790
H  0.000000  0.755453 -0.471161
H  0.000000 -0.755453 -0.471161
`;

test('parse plain XYZ (Å → Bohr), title and comment charge/multiplicity', () => {
  const m = parseXyz(WATER, 'w.xyz');
  assert.deepEqual(Array.from(m.atomicNumbers), [8, 1, 1]);
  assert.ok(Math.abs(m.positionsBohr[4]! - 0.755453 / BOHR) < 1e-12);
  assert.equal(m.title, 'water charge=0 multiplicity=1');
  const cation = parseXyz('1\nH atom charge=0 multiplicity=2\nH 0 0 0\n', 'h.xyz');
  assert.equal(cation.multiplicity, 2);
  const ion = parseXyz('2\nH2+ charge=1 multiplicity=2\nH 0 0 0\nH 0 0 1.05\n', 'h2p.xyz');
  assert.equal(ion.charge, 1);
  assert.equal(ion.multiplicity, 2);
  // atomic numbers instead of symbols, D exponents, CRLF line ends and extra columns
  const z = parseXyz('2\r\n\r\n1 0 0 0 extra\r\n1 0 0 7.4D-1\r\n', 'z.xyz');
  assert.ok(Math.abs(z.positionsBohr[5]! - 0.74 / BOHR) < 1e-12);
});

test('XYZ round trip keeps elements, positions, charge and multiplicity', () => {
  const m = createMolecule({
    symbols: ['N', 'H', 'H', 'H'],
    positionsAngstrom: [0, 0, 0.1, 0.94, 0, -0.3, -0.47, 0.81, -0.3, -0.47, -0.81, -0.3],
    charge: 1,
    multiplicity: 2,
    title: 'ammonia cation',
  });
  const text = formatXyz(m);
  assert.match(text.split('\n')[1]!, /^ammonia cation charge=1 multiplicity=2$/);
  const back = parseXyz(text, 'rt.xyz');
  assert.deepEqual(Array.from(back.atomicNumbers), Array.from(m.atomicNumbers));
  for (let i = 0; i < m.positionsBohr.length; i++) assert.ok(Math.abs(back.positionsBohr[i]! - m.positionsBohr[i]!) < 1e-9);
  assert.equal(back.charge, 1);
  assert.equal(back.multiplicity, 2);
  // overriding the molecule's charge rewrites a contradicting comment
  const neutral = { ...back, charge: 0, multiplicity: 1 };
  assert.equal(parseXyz(formatXyz(neutral), 'n.xyz').charge, 0);

  const dir = mkdtempSync(join(tmpdir(), 'qde-xyz-'));
  try {
    const path = join(dir, 'nh3.xyz');
    writeXyzFile(path, m);
    assert.equal(moleculeFormula(readXyzFile(path)), 'H3N');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('multi-frame XYZ (trajectory)', () => {
  const traj = parseXyzTrajectory(
    '2\nframe 1\nH 0 0 0\nH 0 0 0.7\n2\nframe 2\nH 0 0 0\nH 0 0 0.8\n\n2\nframe 3\nH 0 0 0\nH 0 0 0.9\n\n',
    't.xyz',
  );
  assert.equal(traj.length, 3);
  assert.deepEqual(traj.map((m) => m.title), ['frame 1', 'frame 2', 'frame 3']);
  assert.ok(Math.abs(traj[2]!.positionsBohr[5]! - 0.9 / BOHR) < 1e-12);
  assert.throws(() => parseXyz('1\na\nH 0 0 0\n1\nb\nH 0 0 0\n', 'two.xyz'), inputError(/two\.xyz: holds 2 frames/));
});

test('XYZ errors name file, 1-based line and problem', () => {
  assert.throws(() => parseXyz('three\nc\nH 0 0 0\n', 'a.xyz'), inputError(/^a\.xyz:1: malformed atom count 'three'/));
  assert.throws(() => parseXyz('3\nc\nH 0 0 0\nH 0 0 1\n', 'b.xyz'), inputError(/^b\.xyz:1: wrong number of lines: the atom count says 3 atoms but only 2 atom lines follow/));
  assert.throws(() => parseXyz('2\nc\nH 0 0 0\nH 0 abc 1\n', 'c.xyz'), inputError(/^c\.xyz:4: non-numeric coordinate 'abc' \(y of atom 2\)/));
  assert.throws(() => parseXyz('2\nc\nH 0 0 0\nXx 0 0 1\n', 'd.xyz'), inputError(/^d\.xyz:4: unknown element 'Xx'/));
  assert.throws(() => parseXyz('2\nc\nH 0 0 0\nH 0 0\n', 'e.xyz'), inputError(/^e\.xyz:4: atom line 'H 0 0' has 3 fields/));
  assert.throws(() => parseXyz('1\nc\nH 0 0 0\nH 0 0 1\n', 'f.xyz'), inputError(/^f\.xyz:4: malformed atom count 'H 0 0 1'.*more atom lines/));
  assert.throws(() => parseXyz('2\nc charge=5\nH 0 0 0\nH 0 0 1\n', 'g.xyz'), inputError(/^g\.xyz:2: impossible charge 5/));
  assert.throws(() => parseXyz('2\nc multiplicity=2\nH 0 0 0\nH 0 0 1\n', 'h.xyz'), inputError(/^h\.xyz:2: multiplicity 2 is impossible/));
  assert.throws(() => parseXyz('2\nc charge=x\nH 0 0 0\nH 0 0 1\n', 'i.xyz'), inputError(/^i\.xyz:2: charge=x on the comment line is not an integer/));
  assert.throws(() => parseXyz('2\nc\nH 0 0 0\nH 0 0 0\n', 'j.xyz'), inputError(/^j\.xyz:2: atoms 1 \(H\) and 2 \(H\)/));
  assert.throws(() => parseXyz('', 'k.xyz'), inputError(/^k\.xyz:1: empty XYZ file/));
  assert.throws(() => parseXyz('0\nc\n', 'l.xyz'), inputError(/^l\.xyz:1: atom count is 0/));
  assert.throws(() => parseXyz('2\nc\nH 0 0 0\nH 0 0 inf\n', 'm.xyz'), inputError(/^m\.xyz:4: non-numeric coordinate 'inf'/));
  assert.throws(() => readXyzFile('/nonexistent/x.xyz'), inputError(/^cannot read geometry file '\/nonexistent\/x\.xyz': no such file$/));
});

test('extended XYZ key=value parsing follows ASE typing', () => {
  const pairs = splitExtXyzKeyValues(
    'Lattice="1 0 0 0 2 0 0 0 3" Properties=species:S:1:pos:R:3 energy=-1.23 n=4 flag name="two words" esc="a \\"q\\"" arr=[1,2,3] b="T F T" bare',
  );
  const d = Object.fromEntries(pairs.map(([k, v]) => [k, parseExtXyzValue(v)]));
  assert.deepEqual(d.Lattice, [1, 0, 0, 0, 2, 0, 0, 0, 3]);
  assert.equal(d.Properties, 'species:S:1:pos:R:3');
  assert.equal(d.energy, -1.23);
  assert.equal(d.n, 4);
  assert.equal(d.flag, true);
  assert.equal(d.name, 'two words');
  assert.equal(d.esc, 'a "q"');
  assert.deepEqual(d.arr, [1, 2, 3]);
  assert.deepEqual(d.b, [true, false, true]);
  assert.equal(d.bare, true);
  assert.throws(() => splitExtXyzKeyValues('a="open'), /unclosed/);
});

test('extended XYZ: read Lattice, pbc, info and S/R/I/L per-atom properties; errors', () => {
  const text = `2
Lattice="10 0 0 0 11 0 0 0 12" Properties=species:S:1:pos:R:3:forces:R:3:tag:I:1:fixed:L:1:label:S:1 energy=-1.5 pbc="T T F" charge=0
H 0 0 0  0.1 0.2 0.3  7 T a
H 0 0 0.74  -0.1 -0.2 -0.3  -2 F b
`;
  const [f] = parseXyzFrames(text, 'x.extxyz');
  assert.ok(f!.extended);
  assert.deepEqual(Array.from(f!.latticeAngstrom!), [10, 0, 0, 0, 11, 0, 0, 0, 12]);
  assert.deepEqual(f!.pbc, [true, true, false]);
  assert.equal(f!.info.energy, -1.5);
  const forces = f!.properties.forces!;
  assert.equal(forces.type, 'R');
  assert.equal(forces.columns, 3);
  assert.deepEqual(Array.from(forces.values as Float64Array), [0.1, 0.2, 0.3, -0.1, -0.2, -0.3]);
  assert.deepEqual(Array.from(f!.properties.tag!.values as Int32Array), [7, -2]);
  assert.deepEqual(f!.properties.fixed!.values, [true, false]);
  assert.deepEqual(f!.properties.label!.values, ['a', 'b']);
  assert.ok(Math.abs(f!.molecule.positionsBohr[5]! - 0.74 / BOHR) < 1e-12);

  const header = 'Properties=species:S:1:pos:R:3:forces:R:3';
  const special = parseXyzFrames(`1\n${header}\nH 0 0 0 nan -inf 1D-2\n`, 'n.xyz')[0]!.properties.forces!.values as Float64Array;
  assert.ok(Number.isNaN(special[0]!));
  assert.equal(special[1], Number.NEGATIVE_INFINITY);
  assert.equal(special[2], 0.01);
  assert.throws(() => parseXyz(`1\n${header}\nH 0 0 nan 1 2 3\n`, 'o.xyz'), inputError(/^o\.xyz:3: non-numeric coordinate 'nan' \(z of atom 1\)/));
  assert.throws(() => parseXyz(`1\n${header}\nH 0 0 0 1 2\n`, 'p.xyz'), inputError(/^p\.xyz:3: atom line has 6 columns but Properties=.* describes 7/));
  assert.throws(() => parseXyz(`1\n${header}\nH 0 0 0 1 2 x\n`, 'q.xyz'), inputError(/^q\.xyz:3: non-numeric value 'x' in column 7 \(forces, real\)/));
  assert.throws(() => parseXyz('1\nProperties=species:S:1:pos:Q:3\nH 0 0 0\n', 'r.xyz'), inputError(/^r\.xyz:2: malformed Properties.*type 'Q'/));
  assert.throws(() => parseXyz('1\nProperties=species:S:1:pos:R:x\nH 0 0 0\n', 's.xyz'), inputError(/column count 'x'/));
  assert.throws(() => parseXyz('1\nProperties=species:S:1\nH\n', 't.xyz'), inputError(/^t\.xyz:2: Properties must contain pos:R:3/));
  assert.throws(() => parseXyz('1\nProperties=species:S:1:pos:R:3:n:I:1\nH 0 0 0 1.5\n', 'u.xyz'), inputError(/^u\.xyz:3: non-integer value '1.5'/));
  assert.throws(() => parseXyz('1\nProperties=species:S:1:pos:R:3:m:L:1\nH 0 0 0 yes\n', 'v.xyz'), inputError(/^v\.xyz:3: logical value 'yes'/));
  assert.throws(() => parseXyz('1\nLattice="1 2 3"\nH 0 0 0\n', 'w.xyz'), inputError(/^w\.xyz:2: Lattice=.*9 numbers/));
  assert.throws(() => parseXyz('1\nProperties=species:S:1:pos:R:3\nQq 0 0 0\n', 'y.xyz'), inputError(/^y\.xyz:3: unknown element 'Qq'/));
});

function sampleFrames(): ExtXyzFrameInput[] {
  const m = createMolecule({ symbols: ['O', 'H', 'H'], positionsAngstrom: [0, 0, 0.1178, 0, 0.7555, -0.4712, 0, -0.7555, -0.4712], title: 'w' });
  const forces: ExtXyzProperty = { type: 'R', columns: 3, values: Float64Array.from([0.5, -0.25, 1e-3, 0, 1.5, -2.25, 3, 0, -4.125]) };
  const tag: ExtXyzProperty = { type: 'I', columns: 1, values: Int32Array.from([1, -2, 3]) };
  const fixed: ExtXyzProperty = { type: 'L', columns: 1, values: [true, false, true] };
  const label: ExtXyzProperty = { type: 'S', columns: 1, values: ['ox', 'h1', 'h2'] };
  const cation = createMolecule({ symbols: ['H', 'H'], positionsAngstrom: [0, 0, 0, 0, 0, 1.06], charge: 1 });
  return [
    {
      molecule: m,
      info: { energy: -76.0267, step: 3, method: 'hf sto-3g', converged: true, dipole: [0.1, -0.2, 0.3] },
      latticeAngstrom: [10, 0, 0, 0, 10.5, 0, 0, 0, 11],
      pbc: [true, false, true] as [boolean, boolean, boolean],
      properties: { forces, tag, fixed, label },
    },
    { molecule: cation, info: { energy: -0.5 } },
  ];
}

test('extended XYZ round trip through qde', () => {
  const frames = sampleFrames();
  const back = parseXyzFrames(formatExtXyz(frames), 'rt.extxyz');
  assert.equal(back.length, 2);
  const [a, b] = back;
  assert.deepEqual(a!.info, frames[0]!.info);
  assert.deepEqual(Array.from(a!.latticeAngstrom!), frames[0]!.latticeAngstrom);
  assert.deepEqual(a!.pbc, [true, false, true]);
  assert.deepEqual(Array.from(a!.properties.forces!.values as Float64Array), Array.from(frames[0]!.properties!.forces.values as Float64Array));
  assert.deepEqual(Array.from(a!.properties.tag!.values as Int32Array), [1, -2, 3]);
  assert.deepEqual(a!.properties.fixed!.values, [true, false, true]);
  assert.deepEqual(a!.properties.label!.values, ['ox', 'h1', 'h2']);
  assert.deepEqual(Object.keys(a!.properties), ['forces', 'tag', 'fixed', 'label']);
  for (let i = 0; i < 9; i++) assert.ok(Math.abs(a!.molecule.positionsBohr[i]! - frames[0]!.molecule.positionsBohr[i]!) < 1e-9);
  assert.equal(b!.molecule.charge, 1);
  assert.equal(b!.molecule.multiplicity, 2);
  assert.deepEqual(b!.pbc, [false, false, false]);
});

// ─── interoperability with ASE (the reference extended-XYZ implementation) ──────────────────────

const PYTHON = '/usr/bin/python3';
const hasAse = spawnSync(PYTHON, ['-c', 'import ase'], { encoding: 'utf8' }).status === 0;

function runPython(script: string): string {
  const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}

test('extended XYZ written by qde is read by ASE', { skip: hasAse ? false : 'python3-ase not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'qde-ase-'));
  try {
    const path = join(dir, 'qde.extxyz');
    const frames = sampleFrames();
    writeExtXyzFile(path, frames);
    const out = runPython(`
import json, sys
from ase.io import read
frames = read(${JSON.stringify(path)}, index=':', format='extxyz')
res = []
for a in frames:
    d = {'symbols': a.get_chemical_symbols(), 'positions': a.positions.tolist(), 'cell': a.cell.array.tolist(),
         'pbc': [bool(x) for x in a.pbc], 'info': {}, 'arrays': {}}
    for k, v in a.info.items():
        d['info'][k] = v.tolist() if hasattr(v, 'tolist') else v
    for k, v in a.arrays.items():
        if k not in ('numbers', 'positions'):
            d['arrays'][k] = v.tolist()
    if a.calc is not None:
        for k, v in a.calc.results.items():
            d['info'][k] = v.tolist() if hasattr(v, 'tolist') else v
    res.append(d)
print(json.dumps(res))
`);
    const ase = JSON.parse(out) as {
      symbols: string[];
      positions: number[][];
      cell: number[][];
      pbc: boolean[];
      info: Record<string, unknown>;
      arrays: Record<string, unknown>;
    }[];
    assert.equal(ase.length, 2);
    const [a, b] = ase;
    assert.deepEqual(a!.symbols, ['O', 'H', 'H']);
    const pos = positionsAngstrom(frames[0]!.molecule);
    for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) assert.ok(Math.abs(a!.positions[i]![k]! - pos[3 * i + k]!) < 1e-9);
    assert.deepEqual(a!.cell, [[10, 0, 0], [0, 10.5, 0], [0, 0, 11]]);
    assert.deepEqual(a!.pbc, [true, false, true]);
    assert.equal(a!.info.energy, -76.0267);
    assert.equal(a!.info.step, 3);
    assert.equal(a!.info.method, 'hf sto-3g');
    assert.equal(a!.info.converged, true);
    assert.deepEqual(a!.info.dipole, [0.1, -0.2, 0.3]);
    assert.deepEqual(a!.arrays.forces ?? a!.info.forces, [[0.5, -0.25, 1e-3], [0, 1.5, -2.25], [3, 0, -4.125]]);
    assert.deepEqual(a!.arrays.tag, [1, -2, 3]);
    assert.deepEqual(a!.arrays.fixed, [true, false, true]);
    assert.deepEqual(a!.arrays.label, ['ox', 'h1', 'h2']);
    assert.deepEqual(b!.symbols, ['H', 'H']);
    assert.equal(b!.info.charge, 1);
    assert.equal(b!.info.multiplicity, 2);
    assert.equal(b!.info.energy, -0.5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('extended XYZ written by ASE is read by qde', { skip: hasAse ? false : 'python3-ase not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'qde-ase-'));
  try {
    const path = join(dir, 'ase.extxyz');
    runPython(`
import numpy as np
from ase import Atoms
from ase.io import write
from ase.calculators.singlepoint import SinglePointCalculator
a = Atoms('CH4', positions=[[0, 0, 0], [0.629, 0.629, 0.629], [-0.629, -0.629, 0.629], [-0.629, 0.629, -0.629], [0.629, -0.629, -0.629]],
          cell=[[8, 0, 0], [0, 9, 0], [1, 0, 10]], pbc=[True, True, False])
a.info['step'] = 7
a.info['label'] = 'methane test'
a.info['temperature'] = 300.5
a.info['flag'] = True
a.new_array('tag', np.array([1, 2, 3, 4, 5], dtype=int))
a.new_array('fixed', np.array([True, False, False, True, False]))
a.new_array('kind', np.array(['c', 'h', 'h', 'h', 'h']))
a.calc = SinglePointCalculator(a, energy=-40.123456789, forces=np.arange(15, dtype=float).reshape(5, 3) * 0.01 - 0.07)
b = Atoms('H2', positions=[[0, 0, 0], [0, 0, 0.7414]])
write(${JSON.stringify(path)}, [a, b], format='extxyz')
`);
    const frames = parseXyzFrames(readFileSync(path, 'utf8'), path);
    assert.equal(frames.length, 2);
    const [a, b] = frames;
    assert.ok(a!.extended);
    assert.equal(moleculeFormula(a!.molecule), 'CH4');
    const pos = positionsAngstrom(a!.molecule);
    assert.ok(Math.abs(pos[3]! - 0.629) < 1e-8);
    assert.ok(Math.abs(pos[14]! + 0.629) < 1e-8);
    assert.deepEqual(Array.from(a!.latticeAngstrom!), [8, 0, 0, 0, 9, 0, 1, 0, 10]);
    assert.deepEqual(a!.pbc, [true, true, false]);
    assert.equal(a!.info.step, 7);
    assert.equal(a!.info.label, 'methane test');
    assert.equal(a!.info.temperature, 300.5);
    assert.equal(a!.info.flag, true);
    assert.ok(Math.abs((a!.info.energy as number) + 40.123456789) < 1e-8);
    const forces = a!.properties.forces!;
    assert.equal(forces.columns, 3);
    for (let i = 0; i < 15; i++) assert.ok(Math.abs((forces.values as Float64Array)[i]! - (i * 0.01 - 0.07)) < 1e-8);
    assert.deepEqual(Array.from(a!.properties.tag!.values as Int32Array), [1, 2, 3, 4, 5]);
    assert.deepEqual(a!.properties.fixed!.values, [true, false, false, true, false]);
    assert.deepEqual(a!.properties.kind!.values, ['c', 'h', 'h', 'h', 'h']);
    assert.ok(Math.abs(b!.molecule.positionsBohr[5]! - 0.7414 / BOHR) < 1e-8);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('example geometries parse', () => {
  for (const [name, formula] of [
    ['h2', 'H2'], ['lih', 'HLi'], ['h2o', 'H2O'], ['beh2', 'BeH2'], ['n2', 'N2'],
    ['h4', 'H4'], ['h6', 'H6'], ['h8', 'H8'], ['h10', 'H10'], ['benzene', 'C6H6'],
  ] as const) {
    const m = readXyzFile(`examples/${name}.xyz`);
    assert.equal(moleculeFormula(m), formula);
    assert.equal(m.charge, 0);
  }
  // benzene: every C–C neighbour 1.39 Å, every C–H 1.09 Å
  const bz = positionsAngstrom(readXyzFile('examples/benzene.xyz'));
  const dist = (i: number, j: number) => Math.hypot(bz[3 * i]! - bz[3 * j]!, bz[3 * i + 1]! - bz[3 * j + 1]!, bz[3 * i + 2]! - bz[3 * j + 2]!);
  for (let k = 0; k < 6; k++) {
    assert.ok(Math.abs(dist(k, (k + 1) % 6) - 1.39) < 1e-7);
    assert.ok(Math.abs(dist(k, k + 6) - 1.09) < 1e-7);
  }
  const w = positionsAngstrom(readXyzFile('examples/h2o.xyz'));
  const r1 = Math.hypot(w[3]! - w[0]!, w[4]! - w[1]!, w[5]! - w[2]!);
  const cosAngle = ((w[3]! - w[0]!) * (w[6]! - w[0]!) + (w[4]! - w[1]!) * (w[7]! - w[1]!) + (w[5]! - w[2]!) * (w[8]! - w[2]!)) / (r1 * r1);
  assert.ok(Math.abs(r1 - 0.9578) < 1e-7);
  assert.ok(Math.abs((Math.acos(cosAngle) * 180) / Math.PI - 104.4776) < 1e-5);
});
