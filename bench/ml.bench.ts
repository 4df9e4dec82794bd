/**
 * Learned potentials: training throughput of the atomic neural network (energy + force loss,
 * structures per second) and prediction speed (atoms per second, energies and forces) of the
 * network and the GP, on H6 chains with ACSF descriptors and a smooth pair-potential target.
 *
 * When Debian's python3 has torch (`python3-torch`), the same network (one tanh MLP, float64), the
 * same standardised descriptors and descriptor derivatives, the same loss, batch size, epochs and
 * Adam run in PyTorch (one thread, as qde's training is single-threaded) in the same benchmark run;
 * the ratio is qde time / PyTorch time. Descriptor computation is outside both timings. Times are
 * CPU times of the process (process.cpuUsage, time.process_time: both single-threaded here), so a
 * loaded machine slows both without skewing the ratio; qde and PyTorch run in interleaved rounds and
 * the medians are reported, with the wall-clock ratio and the load average in the note.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerEnvironment, type Benchmark, type BenchRow } from './harness.js';
import { hydrogenChains } from '../src/chem/index.js';
import {
  type NetworkShape,
  batchLoss,
  initialParameters,
  prepareStructure,
} from '../src/ml/nn.js';
import { computeEnvironments, fitStandardisation } from '../src/ml/environments.js';
import { createDescriptor, defaultSymmetryFunctions, predictModel, trainModel, type TrainingExample } from '../src/ml/index.js';
import { Random } from '../src/core/index.js';

const PYTHON = '/usr/bin/python3';
const EPOCHS = 20;
const BATCH = 16;
const HIDDEN = [32, 32];

/** H6 chains with a Morse pair energy and its analytic forces. */
function data(count: number): TrainingExample[] {
  const chains = hydrogenChains({ kind: 'chain', atoms: 6, shape: 'bent', count, bondAngstrom: [0.8, 2.0], angleDegrees: [100, 180] }, 5);
  return chains.map((m) => {
    const r = m.positionsBohr;
    const n = 6;
    let e = 0;
    const f = new Float64Array(3 * n);
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const d = [0, 1, 2].map((c) => r[3 * b + c] - r[3 * a + c]);
        const dist = Math.hypot(...d);
        const x = Math.exp(-(dist - 1.4));
        e += 0.17 * (x * x - 2 * x);
        const dEdr = 0.17 * (-2 * x * x + 2 * x);
        for (let c = 0; c < 3; c++) {
          f[3 * b + c] -= (dEdr * d[c]) / dist;
          f[3 * a + c] += (dEdr * d[c]) / dist;
        }
      }
    }
    return { atomicNumbers: m.atomicNumbers, positionsBohr: m.positionsBohr, energyHartree: e, standardErrorHartree: 0, forcesHartreePerBohr: f };
  });
}

function torchAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch'], { timeout: 120000 }).status === 0;
}

function torchVersion(): string {
  return spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120000 }).stdout.trim();
}

const TORCH_SCRIPT = `
import json, sys, time, torch
torch.set_num_threads(1)
torch.manual_seed(0)
d = json.load(open(sys.argv[1]))
S, n, L = d['structures'], d['atoms'], d['length']
X = torch.tensor(d['features'], dtype=torch.float64).reshape(S, n, L)
D = torch.tensor(d['derivatives'], dtype=torch.float64).reshape(S, n, L, n * 3)
E = torch.tensor(d['energy'], dtype=torch.float64)
F = torch.tensor(d['force'], dtype=torch.float64).reshape(S, n * 3)
layers, prev = [], L
for h in d['hidden']:
    layers += [torch.nn.Linear(prev, h).double(), torch.nn.Tanh()]
    prev = h
layers.append(torch.nn.Linear(prev, 1).double())
net = torch.nn.Sequential(*layers)
opt = torch.optim.Adam(net.parameters(), lr=5e-3)
B, lam = d['batch'], d['forceWeight']
t0 = time.perf_counter()
c0 = time.process_time()
for epoch in range(d['epochs']):
    perm = torch.randperm(S)
    for b0 in range(0, S, B):
        idx = perm[b0:b0 + B]
        x = X[idx].clone().requires_grad_(True)
        e = net(x).sum(dim=(1, 2))
        g, = torch.autograd.grad(e.sum(), x, create_graph=True)
        grad_r = torch.einsum('bil,bilk->bk', g, D[idx])
        w = 1.0 / len(idx)
        loss = w * ((e - E[idx]) ** 2).sum() + w * lam / (3 * n) * ((-grad_r - F[idx]) ** 2).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
t = time.perf_counter() - t0
c = time.process_time() - c0
print('QDE_RESULT ' + json.dumps({'seconds': t, 'cpuSeconds': c}))
`;

/** Wall and CPU seconds of one timed section. */
interface Timing {
  seconds: number;
  cpuSeconds: number;
}

function timed(f: () => void): Timing {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
}

function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 === 1 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

/** Rounds of qde and PyTorch training, interleaved (qde, PyTorch, qde, PyTorch, …). */
const ROUNDS = 3;

export const benchmarks: Benchmark[] = [
  {
    name: 'ml: atomic network training (energy + forces) and prediction',
    async run(): Promise<BenchRow[]> {
      const examples = data(256);
      const settings = defaultSymmetryFunctions([1], 8);
      const descriptor = createDescriptor(settings);
      const L = descriptor.length;
      const st = fitStandardisation(computeEnvironments(descriptor, examples), 1);
      const prepared = examples.map((e) => prepareStructure(settings, [1], st, e.atomicNumbers, e.positionsBohr, true));
      const shape: NetworkShape = { inputs: L, hidden: HIDDEN, activation: 'tanh' };
      const S = examples.length;
      const lam = 1;
      // the training loop of trainNn (targets in Hartree here), timed without descriptor work
      const qdeTraining = (): Timing => {
        const params = initialParameters(shape, 1, new Random(0));
        const grads = new Float64Array(params.length);
        const m1 = new Float64Array(params.length);
        const m2 = new Float64Array(params.length);
        return timed(() => {
          let step = 0;
          for (let epoch = 0; epoch < EPOCHS; epoch++) {
            for (let b0 = 0; b0 < S; b0 += BATCH) {
              const idx = Array.from({ length: Math.min(BATCH, S - b0) }, (_, k) => b0 + k);
              const w = 1 / idx.length;
              const energy = Float64Array.from(idx, (i) => examples[i].energyHartree);
              const force = new Float64Array(idx.length * 18);
              idx.forEach((i, k) => force.set(examples[i].forcesHartreePerBohr as Float64Array, 18 * k));
              grads.fill(0);
              batchLoss(shape, 1, params, grads, idx.map((i) => prepared[i]), st.scale, {
                energy,
                energyWeight: new Float64Array(idx.length).fill(w),
                force,
                forceWeight: new Float64Array(force.length).fill((w * lam) / 18),
              });
              step++;
              const c1 = 1 - 0.9 ** step;
              const c2 = 1 - 0.999 ** step;
              for (let p = 0; p < params.length; p++) {
                m1[p] = 0.9 * m1[p] + 0.1 * grads[p];
                m2[p] = 0.999 * m2[p] + 0.001 * grads[p] * grads[p];
                params[p] -= (5e-3 * m1[p]) / c1 / (Math.sqrt(m2[p] / c2) + 1e-12);
              }
            }
          }
        });
      };
      const loadBefore = loadavg();
      const qde: Timing[] = [];
      const torch: Timing[] = [];
      let note = 'PyTorch not installed (Debian python3-torch)';
      const dir = mkdtempSync(join(tmpdir(), 'qde-bench-ml-'));
      try {
        const withTorch = torchAvailable();
        let file = '';
        let script = '';
        if (withTorch) {
          // derivatives of the standardised features (what the network sees)
          const derivs: number[] = [];
          for (const p of prepared) {
            const d = p.derivatives!;
            for (let k = 0; k < d.length; k++) derivs.push(d[k] / st.scale[Math.floor(k / 18) % L]);
          }
          file = join(dir, 'data.json');
          writeFileSync(
            file,
            JSON.stringify({
              structures: S,
              atoms: 6,
              length: L,
              hidden: HIDDEN,
              epochs: EPOCHS,
              batch: BATCH,
              forceWeight: lam,
              features: prepared.flatMap((p) => Array.from(p.features)),
              derivatives: derivs,
              energy: examples.map((e) => e.energyHartree),
              force: examples.flatMap((e) => Array.from(e.forcesHartreePerBohr as Float64Array)),
            }),
          );
          script = join(dir, 'train.py');
          writeFileSync(script, TORCH_SCRIPT);
        }
        qdeTraining(); // warm-up (JIT)
        for (let r = 0; r < ROUNDS; r++) {
          qde.push(qdeTraining());
          if (!withTorch) continue;
          const run = spawnSync(PYTHON, [script, file], { encoding: 'utf8', timeout: 600000, env: peerEnvironment() });
          const line = run.stdout.split('\n').find((l) => l.startsWith('QDE_RESULT '));
          if (!line) {
            note = `PyTorch run failed: ${run.stderr.split('\n').filter(Boolean).pop() ?? ''}`;
            break;
          }
          torch.push(JSON.parse(line.slice(11)) as Timing);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const samples = S * EPOCHS;
      const qdeRate = median(qde.map((t) => samples / t.cpuSeconds));
      const torchRate = torch.length === ROUNDS ? median(torch.map((t) => samples / t.cpuSeconds)) : undefined;
      const wallRatio = torch.length === ROUNDS ? median(qde.map((t) => t.seconds)) / median(torch.map((t) => t.seconds)) : undefined;
      const loadAfter = loadavg();
      const load = `load average ${loadBefore[0].toFixed(1)} before, ${loadAfter[0].toFixed(1)} after`;
      if (torchRate !== undefined) {
        note =
          `PyTorch ${torchVersion()} 1 thread, float64, same network, data, loss and batches; CPU time, median of ${ROUNDS} interleaved rounds ` +
          `(wall-clock ratio ${wallRatio!.toFixed(2)}); ${load}; "psi4" column = PyTorch, ratio = qde time / PyTorch time`;
      } else {
        note = `${note}; CPU time, median of ${ROUNDS} rounds; ${load}`;
      }
      const rows: BenchRow[] = [];
      rows.push({
        benchmark: 'ml nn training',
        metric: `H6 chains, ACSF ${L} features, tanh ${HIDDEN.join('×')}, energy+force loss, batch ${BATCH}`,
        value: qdeRate,
        unit: 'structures/s',
        ...(torchRate !== undefined ? { psi4: torchRate, ratio: torchRate / qdeRate } : {}),
        note,
      });
      // GP training on energies and forces: the force block of the Gram matrix dominates
      {
        const withForces = examples.map((e) => ({ ...e, forcesHartreePerBohr: e.forcesHartreePerBohr as Float64Array }));
        const options = { kind: 'gp' as const, descriptor: settings, useForces: true, noiseFloorsHartree: [1e-3], forceNoiseFloorsHartreePerBohr: [3e-3] };
        const t = timed(() => trainModel(withForces, options));
        rows.push({
          benchmark: 'ml gp training with forces',
          metric: `${withForces.length} H6 chains, ACSF ${L} features, energies and ${18 * withForces.length} force components, 500 sparse points, 4 length scales × 4 signal variances`,
          value: withForces.length / t.cpuSeconds,
          unit: 'structures/s',
          note: `CPU time, one fit (wall ${(withForces.length / t.seconds).toFixed(1)} structures/s)`,
        });
      }
      // prediction speed with forces, H12 chains
      const test = hydrogenChains({ kind: 'chain', atoms: 12, shape: 'bent', count: 40, bondAngstrom: [0.8, 2.0], angleDegrees: [100, 180] }, 9);
      const trainSet = examples.slice(0, 120).map((e) => ({ ...e, forcesHartreePerBohr: null }));
      for (const kind of ['nn', 'gp'] as const) {
        const model = trainModel(trainSet, kind === 'nn' ? { kind, descriptor: settings, hidden: HIDDEN, epochs: 2 } : { kind, descriptor: settings });
        for (const m of test.slice(0, 5)) predictModel(model, m.atomicNumbers, m.positionsBohr, true); // warm-up
        const t = timed(() => {
          for (let rep = 0; rep < 3; rep++) for (const m of test) predictModel(model, m.atomicNumbers, m.positionsBohr, true);
        });
        rows.push({
          benchmark: `ml ${kind} prediction`,
          metric: `H12 chains, energy + forces (descriptors included)${kind === 'gp' ? `, ${(model.potential as { alpha: Float64Array }).alpha.length} sparse points` : `, tanh ${HIDDEN.join('×')}`}`,
          value: (3 * test.length * 12) / t.cpuSeconds,
          unit: 'atoms/s',
          note: `CPU time (wall ${((3 * test.length * 12) / t.seconds).toFixed(0)} atoms/s)`,
        });
      }
      return rows;
    },
  },
];
