import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANGSTROM_IN_BOHR } from '../core/index.js';
import { loadCampaignFile, parseCampaignText } from './campaign.js';
import { QUANTITY_BITS } from './store.js';

function withFile(name: string, text: string, check: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'qde-campaign-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, text);
    check(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const GOOD = `name: t
seed: 3
methods:
  - { method: hf, basis: sto-3g }
molecules:
  - example: h2
  - example: lih
    scan: { coordinate: bond, atoms: [0, 1], fromAngstrom: 1.4, toAngstrom: 1.8, steps: 0 }
`;

test('a malformed campaign names the file, the key path and the problem', () => {
  assert.throws(() => parseCampaignText(GOOD, 'campaign.yaml'), {
    name: 'InputError',
    message: 'campaign.yaml: molecules[1].scan.steps: expected a positive integer',
  });
  const fixed = GOOD.replace('steps: 0', 'steps: 2');
  assert.doesNotThrow(() => parseCampaignText(fixed, 'c.yaml'));
  assert.throws(() => parseCampaignText(fixed.replace('seed: 3', 'seed: 3\nsede: 4'), 'c.yaml'), {
    message: "c.yaml: unknown key 'sede'",
  });
  assert.throws(() => parseCampaignText(fixed.replace('method: hf', 'method: hartree'), 'c.yaml'), {
    message: /^c\.yaml: methods\[0\]\.method: expected one of hf, uhf/,
  });
  assert.throws(() => parseCampaignText(fixed.replace('seed: 3\n', ''), 'c.yaml'), { message: 'c.yaml: seed: is required' });
  assert.throws(() => parseCampaignText(fixed.replace('atoms: [0, 1]', 'atoms: [0]'), 'c.yaml'), {
    message: /^c\.yaml: molecules\[1\]\.scan\.atoms/,
  });
  assert.throws(() => parseCampaignText('{"name": "x",', 'c.json'), { message: /^c\.json: not valid JSON/ });
});

test('a YAML syntax error names the line', () => {
  assert.throws(() => parseCampaignText('name: x\nseed: 1\nmethods: [\n  {method: hf\nmolecules: 3\n', 'c.yaml'), (e: Error) => {
    assert.equal(e.name, 'InputError');
    assert.match(e.message, /^c\.yaml:\d+: /);
    return true;
  });
});

test('method specs are checked by the method layer before any work, naming the spec', () => {
  withFile('c.yaml', GOOD.replace('steps: 0', 'steps: 2').replace('basis: sto-3g', 'basis: sto-3g, roots: 0'), (path) => {
    assert.throws(() => loadCampaignFile(path), { name: 'InputError', message: new RegExp(`^${path.replace(/[.]/g, '\\.')}: methods\\[0\\]: 'roots' must be an integer`) });
  });
  withFile('c.yaml', GOOD.replace('steps: 0', 'steps: 2').replace('example: h2\n', 'example: no-such-molecule\n'), (path) => {
    assert.throws(() => loadCampaignFile(path), { message: /molecules\[0\]\.example: no shipped example 'no-such-molecule' \(known: .*h2o/ });
  });
  withFile('c.yaml', GOOD.replace('steps: 0', 'steps: 2').replace('example: h2\n', 'example: h2\n    smiles: O\n'), (path) => {
    assert.throws(() => loadCampaignFile(path), { message: /molecules\[0\]: give only one of example, smiles/ });
  });
});

test('a campaign expands into one job per geometry and method, with relative XYZ paths and per-entry overrides', () => {
  const text = `name: expand
seed: 5
quantities: [energy, forces]
methods:
  - { method: hf, basis: sto-3g }
  - { method: fci, basis: sto-3g }
molecules:
  - xyz: h2.xyz
    scan: { coordinate: bond, atoms: [0, 1], fromAngstrom: 0.6, toAngstrom: 1.0, steps: 3 }
  - xyz: h2.xyz
    methods: [{ method: hf, basis: sto-3g }]
    quantities: [dipole]
  - chain: { atoms: 4, shape: linear, count: 2, bondAngstrom: 1.0 }
    methods: [{ method: hf, basis: sto-3g, seed: 9 }]
`;
  const dir = mkdtempSync(join(tmpdir(), 'qde-campaign-'));
  try {
    writeFileSync(join(dir, 'h2.xyz'), '2\ncharge=0 multiplicity=1\nH 0 0 0\nH 0 0 0.8\n');
    writeFileSync(join(dir, 'c.yaml'), text);
    const c = loadCampaignFile(join(dir, 'c.yaml'));
    // 3 scan points × 2 methods; the unscanned H2 at 0.8 Å is the scan's middle point for hf (one job,
    // asked for forces and dipole); the two identical chains are one geometry.
    assert.equal(c.jobs.length, 3 * 2 + 1);
    const distances = c.jobs
      .filter((j) => j.entry === 0 && j.spec.method === 'hf')
      .map((j) => Math.abs(j.molecule.positionsBohr[5]! - j.molecule.positionsBohr[2]!) / ANGSTROM_IN_BOHR);
    distances.forEach((d, i) => assert.ok(Math.abs(d - [0.6, 0.8, 1.0][i]!) < 1e-12, `${d}`));
    const shared = c.jobs.filter((j) => j.spec.method === 'hf' && Math.abs(j.molecule.positionsBohr[5]! - 0.8 * ANGSTROM_IN_BOHR) < 1e-9);
    assert.equal(shared.length, 1);
    assert.equal(shared[0]!.quantities, QUANTITY_BITS.energy | QUANTITY_BITS.forces | QUANTITY_BITS.dipole);
    const chain = c.jobs.filter((j) => j.entry === 2);
    assert.equal(chain.length, 1);
    assert.equal(chain[0]!.seed, 9);
    assert.ok(c.jobs.filter((j) => j.entry !== 2).every((j) => j.seed === 5 && j.spec.seed === 5));
    // the same file gives the same keys
    assert.deepEqual(loadCampaignFile(join(dir, 'c.yaml')).jobs.map((j) => j.key), c.jobs.map((j) => j.key));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
