/**
 * Fault-tolerant cost of phase estimation to chemical accuracy, from Microsoft's resource estimator
 * (npm `qsharp-lang`, run in process from its WebAssembly build).
 *
 * Model (the phase estimation of algorithms/phase-estimation.ts, run on error-corrected hardware):
 * - iterative phase estimation with one ancilla and U = exp(−i(H − E_up)t) as r second-order
 *   Trotter steps of controlled Pauli rotations (controlledTrotterStepCircuit; X-mask groups in
 *   ascending mask order, which fixes the gate counts but not the Trotter error);
 * - bits = the fewest whose stated resolution 1.25·(E_up − E_low)(1 + 2^−bits)·2^−bits ≤ the target
 *   (1.6 mEh by default), i.e. about log2(1.25 · spectral range / target); r from the a-posteriori
 *   Trotter error estimate; both as runPhaseEstimation chooses them (it is run exactly first);
 * - N = (2^bits − 1)·r controlled steps in all, plus per bit one feedback RZ and one measurement of
 *   the ancilla (Hadamards and the Hartree–Fock X gates are Clifford and free).
 *
 * Estimation: one controlled step is exported to OpenQASM 3 (toOpenQasm) and traced by the
 * estimator, giving its logical counts (T gates, arbitrary rotations, rotation depth, CCZ,
 * measurements). The whole run is then estimated from these counts scaled by N plus the per-bit
 * terms, through the estimator's `AccountForEstimates` (a Q# program with the system register and
 * the ancilla), for each qubit preset with its QEC scheme (surface code for gate-based presets,
 * Floquet code for Majorana presets) and the error budget. Tracing all N steps gives the same counts
 * (tested on H2 against the full program with OpenQASM 3 loops, which `qasm` holds) but takes time
 * proportional to N.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Circuit } from '../circuits/index.js';
import { loadQuantumStages } from './quantum-stages.js';
import { InputError } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import type { FermionMapping } from '../qubits/index.js';

/** Qubit presets of the estimator (operation times and error rates of future hardware). */
export const FT_QUBIT_PRESETS = [
  'qubit_gate_ns_e3',
  'qubit_gate_ns_e4',
  'qubit_gate_us_e3',
  'qubit_gate_us_e4',
  'qubit_maj_ns_e4',
  'qubit_maj_ns_e6',
] as const;
export type FtQubitPreset = (typeof FT_QUBIT_PRESETS)[number];

/** Default presets: a superconducting-like gate-based qubit and a Majorana qubit. */
export const DEFAULT_FT_PRESETS: readonly FtQubitPreset[] = ['qubit_gate_ns_e3', 'qubit_maj_ns_e6'];

/** Options of {@link estimateFaultTolerantCost}. */
export interface FtEstimateOptions {
  hamiltonian: MolecularHamiltonian;
  /** Fermion-to-qubit mapping (default 'jordan-wigner'). */
  mapping?: FermionMapping;
  /** Energy resolution, Hartree (default 1.6e-3). */
  targetResolutionHartree?: number;
  /** Qubit presets (default {@link DEFAULT_FT_PRESETS}). */
  presets?: readonly FtQubitPreset[];
  /** Total error budget of the run (default 0.01). */
  errorBudget?: number;
  /** Phase bits (default: chosen for the target resolution). */
  bits?: number;
  /** Trotter steps per U (default: chosen by the error estimate). */
  trotterSteps?: number;
  /** Smallest number of parts to estimate the run as (default 1; see {@link FtEstimateResult.estimatorScale}). */
  minimumParts?: number;
}

/** Logical counts in the estimator's terms. */
export interface FtLogicalCounts {
  numQubits: number;
  tCount: number;
  rotationCount: number;
  rotationDepth: number;
  cczCount: number;
  ccixCount: number;
  measurementCount: number;
}

/** The estimator's result for one qubit preset. */
export interface FtPresetEstimate {
  preset: FtQubitPreset;
  qecScheme: 'surface_code' | 'floquet_code';
  physicalQubits: number;
  runtimeSeconds: number;
  /** T factories working in parallel and the physical qubits they take. */
  tFactories: number;
  physicalQubitsForTFactories: number;
  /** Logical qubits after layout (algorithmic) and logical depth in cycles. */
  logicalQubits: number;
  logicalDepth: number;
  tStates: number;
  codeDistance: number;
  /** The estimator's JSON for this preset, unchanged. */
  raw: unknown;
}

/** Result of {@link estimateFaultTolerantCost}. */
export interface FtEstimateResult {
  /** System qubits; the ancilla is one more. */
  systemQubits: number;
  bits: number;
  trotterSteps: number;
  evolutionTime: number;
  resolutionHartree: number;
  targetResolutionHartree: number;
  /** N = (2^bits − 1)·trotterSteps controlled Trotter steps. */
  controlledSteps: number;
  /** Logical counts of one controlled step (traced by the estimator). */
  stepLogicalCounts: FtLogicalCounts;
  /** Logical counts of the whole run (scaled as in the file header). */
  totalLogicalCounts: FtLogicalCounts;
  errorBudget: number;
  /**
   * 1, or the number f of equal parts the run was estimated as (runs beyond the estimator's range):
   * each part with budget/f; runtime, logical depth and T states are then f times the part's, and
   * `raw` is the estimator's output for one part.
   */
  estimatorScale: number;
  estimates: FtPresetEstimate[];
  /** The whole phase-estimation program in OpenQASM 3 (loops over the controlled step). */
  qasm: string;
  /** How the estimate was made. */
  model: string;
}

interface QsharpCompiler {
  getEstimates(program: unknown, expr: string, params: string): Promise<string>;
}

let compilerPromise: Promise<QsharpCompiler> | null = null;

/** Microsoft's QDK compiler (WebAssembly), loaded once per process. */
function qsharpCompiler(): Promise<QsharpCompiler> {
  if (compilerPromise === null) {
    compilerPromise = (async () => {
      const q = (await import('qsharp-lang')) as unknown as {
        loadWasmModule(buffer: ArrayBuffer): Promise<void>;
        getCompiler(): Promise<QsharpCompiler>;
      };
      // The package exports only its entry (dist/…); the wasm file sits in lib/web beside dist.
      const root = dirname(dirname(fileURLToPath(import.meta.resolve('qsharp-lang'))));
      const bytes = readFileSync(join(root, 'lib', 'web', 'qsc_wasm_bg.wasm'));
      await q.loadWasmModule(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      return q.getCompiler();
    })();
  }
  return compilerPromise;
}

function qecScheme(preset: FtQubitPreset): 'surface_code' | 'floquet_code' {
  return preset.startsWith('qubit_maj') ? 'floquet_code' : 'surface_code';
}

/** Runs the estimator on a program for the given job parameters; returns one JSON result per parameter set. */
async function runEstimator(sources: [string, string][], projectType: 'openqasm' | 'qsharp', params: unknown[]): Promise<Record<string, unknown>[]> {
  const compiler = await qsharpCompiler();
  let text: string;
  try {
    text = await compiler.getEstimates({ sources, languageFeatures: [], projectType, profile: 'unrestricted' }, '', JSON.stringify(params));
  } catch (e) {
    throw new InputError(`resource estimator: ${String((e as Error).message ?? e).slice(0, 500)}`);
  }
  const parsed = JSON.parse(text) as unknown;
  const list = (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, unknown>[];
  for (const r of list) {
    if (r.status !== 'success') throw new InputError(`resource estimator: ${JSON.stringify(r).slice(0, 500)}`);
  }
  return list;
}

function logicalCounts(raw: Record<string, unknown>): FtLogicalCounts {
  const c = raw.logicalCounts as Record<string, number>;
  return {
    numQubits: c.numQubits,
    tCount: c.tCount,
    rotationCount: c.rotationCount,
    rotationDepth: c.rotationDepth,
    cczCount: c.cczCount,
    ccixCount: c.ccixCount,
    measurementCount: c.measurementCount,
  };
}

/** The estimator's physical counts of one preset. */
export function presetEstimate(preset: FtQubitPreset, raw: Record<string, unknown>): FtPresetEstimate {
  const pc = raw.physicalCounts as { physicalQubits: number; runtime: number; breakdown: Record<string, number> };
  const b = pc.breakdown;
  return {
    preset,
    qecScheme: qecScheme(preset),
    physicalQubits: pc.physicalQubits,
    runtimeSeconds: pc.runtime * 1e-9,
    tFactories: b.numTfactories,
    physicalQubitsForTFactories: b.physicalQubitsForTfactories,
    logicalQubits: b.algorithmicLogicalQubits,
    logicalDepth: b.logicalDepth,
    tStates: b.numTstates,
    codeDistance: (raw.logicalQubit as { codeDistance: number }).codeDistance,
    raw,
  };
}

/** Rotations per estimator call beyond which the run is estimated in parts (see estimateFaultTolerantCost). */
const MAX_ESTIMATOR_ROTATIONS = 2e7;

/** A part's estimate as the whole run's: time-like quantities times the number of parts. */
function scaledEstimate(e: FtPresetEstimate, scale: number): FtPresetEstimate {
  if (scale === 1) return e;
  return { ...e, runtimeSeconds: e.runtimeSeconds * scale, logicalDepth: e.logicalDepth * scale, tStates: e.tStates * scale };
}

/** The gate lines of an OpenQASM 3 export (without its header and declarations). */
function qasmBody(text: string): string[] {
  return text.split('\n').filter((l) => l !== '' && !/^(OPENQASM|include|qubit\[|bit\[|input )/.test(l));
}

/**
 * The whole iterative phase-estimation program in OpenQASM 3: Hartree–Fock X gates, then per bit
 * k = bits … 1 a Hadamard on the ancilla, a loop of 2^{k−1}·r controlled steps, the feedback RZ
 * (a placeholder angle: the real one depends on earlier outcomes), a Hadamard, measurement and reset.
 */
export async function phaseEstimationQasm(step: Circuit, referenceBits: number, bits: number, trotterSteps: number): Promise<string> {
  const { circuits } = await loadQuantumStages();
  return programQasm(step.nQubits, circuits.toOpenQasm(step, { version: 3 }), referenceBits, bits, trotterSteps);
}

/** {@link phaseEstimationQasm} of a step of `n` qubits (the ancilla last) given as OpenQASM 3 text. */
function programQasm(n: number, stepQasm: string, referenceBits: number, bits: number, trotterSteps: number): string {
  const anc = n - 1;
  const lines = ['OPENQASM 3.0;', 'include "stdgates.inc";', `qubit[${n}] q;`, `bit[${bits}] c;`];
  for (let qb = 0; qb < anc; qb++) if ((referenceBits >>> qb) & 1) lines.push(`x q[${qb}];`);
  const body = qasmBody(stepQasm).map((l) => `  ${l}`);
  for (let k = bits; k >= 1; k--) {
    lines.push(`h q[${anc}];`, `for int i in [0:${2 ** (k - 1) * trotterSteps - 1}] {`, ...body, '}');
    lines.push(`rz(0.5) q[${anc}];`, `h q[${anc}];`, `c[${k - 1}] = measure q[${anc}];`, `reset q[${anc}];`);
  }
  return lines.join('\n') + '\n';
}

function accountedProgram(total: FtLogicalCounts): string {
  if (total.ccixCount !== 0) throw new InputError('resource estimate: the controlled step unexpectedly contains Toffoli gates');
  return [
    'import Std.ResourceEstimation.*;',
    'operation Main() : Unit {',
    `  use qs = Qubit[${total.numQubits}];`,
    `  AccountForEstimates([TCount(${total.tCount}), RotationCount(${total.rotationCount}), RotationDepth(${total.rotationDepth}), ` +
      `CczCount(${total.cczCount}), MeasurementCount(${total.measurementCount})], PSSPCLayout(), qs);`,
    '}',
  ].join('\n');
}

/** Job parameters of the estimator for presets and an error budget. */
export function estimatorParams(presets: readonly FtQubitPreset[], errorBudget: number): unknown[] {
  return presets.map((name) => ({ qubitParams: { name }, qecScheme: { name: qecScheme(name) }, errorBudget }));
}

/**
 * Physical resources of phase estimation to the target resolution on fault-tolerant hardware, per
 * qubit preset, from Microsoft's resource estimator (model in the file header).
 * @throws InputError for an unknown preset, a bad error budget, or an estimator failure.
 */
export async function estimateFaultTolerantCost(options: FtEstimateOptions): Promise<FtEstimateResult> {
  const presets = options.presets ?? DEFAULT_FT_PRESETS;
  if (presets.length === 0) throw new InputError('resource estimate: give at least one qubit preset');
  for (const p of presets) {
    if (!(FT_QUBIT_PRESETS as readonly string[]).includes(p)) throw new InputError(`unknown qubit preset '${p}' (use ${FT_QUBIT_PRESETS.join(', ')})`);
  }
  const errorBudget = options.errorBudget ?? 0.01;
  if (!(errorBudget > 0 && errorBudget < 1)) throw new InputError(`resource estimate: the error budget must be in (0, 1), got ${errorBudget}`);
  const target = options.targetResolutionHartree ?? 1.6e-3;
  const { algorithms, circuits } = await loadQuantumStages();
  const { buildQubitProblem, controlledTrotterStepCircuit, runPhaseEstimation } = algorithms;
  const pe = runPhaseEstimation({
    hamiltonian: options.hamiltonian,
    mapping: options.mapping,
    targetResolutionHartree: target,
    bits: options.bits,
    trotterSteps: options.trotterSteps,
  });
  const problem = buildQubitProblem({ hamiltonian: options.hamiltonian, mapping: options.mapping });
  const op = problem.hamiltonian;
  const masks = [...new Set(op.x)].sort((a, b) => a - b);
  const step = controlledTrotterStepCircuit(op, masks, pe.spectrumBoundsHartree[1], pe.evolutionTime / pe.trotterSteps, pe.qubits);
  const stepQasm = circuits.toOpenQasm(step, { version: 3 });
  const [stepRaw] = await runEstimator([['step.qasm', stepQasm]], 'openqasm', estimatorParams([presets[0]], errorBudget));
  const s = logicalCounts(stepRaw);
  const n = (2 ** pe.bits - 1) * pe.trotterSteps;
  const total: FtLogicalCounts = {
    numQubits: step.nQubits,
    tCount: n * s.tCount,
    rotationCount: n * s.rotationCount + pe.bits,
    rotationDepth: n * s.rotationDepth + pe.bits,
    cczCount: n * s.cczCount,
    ccixCount: n * s.ccixCount,
    measurementCount: n * s.measurementCount + pe.bits,
  };
  // The WebAssembly estimator overflows (a 32-bit panic) beyond about 10^8 rotations. Above that the
  // run is estimated as f equal parts with the error budget divided by f: every per-operation error
  // rate, hence the code distance, the T factories and the physical qubits, is that of the whole
  // run, and the runtime, depth and T states are f times the part's.
  let scale = options.minimumParts ?? 1;
  if (!Number.isInteger(scale) || scale < 1) throw new InputError(`resource estimate: minimumParts must be a positive integer, got ${scale}`);
  while (total.rotationCount / scale > MAX_ESTIMATOR_ROTATIONS || total.tCount / scale > MAX_ESTIMATOR_ROTATIONS) scale *= 2;
  const part: FtLogicalCounts = { ...total };
  for (const key of ['tCount', 'rotationCount', 'rotationDepth', 'cczCount', 'measurementCount'] as const) part[key] = Math.ceil(total[key] / scale);
  const raws = await runEstimator([['main.qs', accountedProgram(part)]], 'qsharp', estimatorParams(presets, errorBudget / scale));
  const referenceBits = referenceBitsOf(problem.circuit);
  return {
    systemQubits: pe.qubits,
    bits: pe.bits,
    trotterSteps: pe.trotterSteps,
    evolutionTime: pe.evolutionTime,
    resolutionHartree: pe.resolutionHartree,
    targetResolutionHartree: target,
    controlledSteps: n,
    stepLogicalCounts: s,
    totalLogicalCounts: total,
    errorBudget,
    estimatorScale: scale,
    estimates: raws.map((raw, k) => scaledEstimate(presetEstimate(presets[k], raw), scale)),
    qasm: programQasm(step.nQubits, stepQasm, referenceBits, pe.bits, pe.trotterSteps),
    model:
      `iterative QPE, ${pe.bits} bits, ${pe.trotterSteps} second-order Trotter steps per U: ` +
      `one controlled step traced from OpenQASM 3, counts scaled by ${n} steps plus ${pe.bits} feedback rotations and measurements` +
      (scale > 1 ? `; estimated as ${scale} equal parts with the error budget divided by ${scale}` : ''),
  };
}

/** The Hartree–Fock bits of an ansatz circuit: its leading X gates. */
function referenceBitsOf(circuit: Circuit): number {
  let bits = 0;
  for (const g of circuit.gates) {
    if (g.kind !== 'x') break;
    bits |= 1 << g.qubits[0];
  }
  return bits;
}

/** Runs the estimator on an OpenQASM 3 program (for checks against the accounted estimate). */
export async function estimateOpenQasm(qasm: string, presets: readonly FtQubitPreset[], errorBudget = 0.01): Promise<FtPresetEstimate[]> {
  const raws = await runEstimator([['main.qasm', qasm]], 'openqasm', estimatorParams(presets, errorBudget));
  return raws.map((raw, k) => presetEstimate(presets[k], raw));
}
