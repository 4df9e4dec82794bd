/**
 * The Aria-1 accuracy table: LiH (STO-3G, 2 electrons in 3 active orbitals, core frozen) and H2O
 * (STO-3G, 4 electrons in 4 orbitals) through the method layer on the noisy aria-1 preset with
 * readout + ZNE + symmetry mitigation and the default compact ansatz, over seeds 1…N. Prints, per
 * molecule, the mean raw and mitigated errors against FCI of the same space, the mean |mitigated
 * error|, the mean error bar, the 2σ coverage of FCI, the compiled gate counts and the shots.
 *
 * Usage: node --import tsx bench/aria-table.ts [seeds=20] [shots=1000000] [lih|h2o ...]
 */
import { fileURLToPath } from 'node:url';
import { readXyzFile } from '../src/chem/index.js';
import { runMethod, type MethodSpec, type VqeMethodResult } from '../src/methods/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** One molecule of the table. */
export interface AriaCase {
  name: string;
  file: string;
  active: { nElectrons: number; nOrbitals: number };
}

export const ARIA_CASES: readonly AriaCase[] = [
  { name: 'LiH', file: 'lih.xyz', active: { nElectrons: 2, nOrbitals: 3 } },
  { name: 'H2O', file: 'h2o.xyz', active: { nElectrons: 4, nOrbitals: 4 } },
];

/** The spec of one table entry. */
export function ariaSpec(c: AriaCase, shots: number, seed: number): MethodSpec {
  return {
    method: 'vqe',
    basis: 'sto-3g',
    active: c.active,
    seed,
    backend: { name: 'noisy', device: 'aria-1', shots, mitigation: ['readout', 'zne', 'symmetry'] },
  };
}

/** Summary of one molecule over seeds (energies in mHa). */
export interface AriaRow {
  name: string;
  seeds: number;
  meanRawErrorMilli: number;
  meanErrorMilli: number;
  meanAbsErrorMilli: number;
  meanErrorBarMilli: number;
  coverage2Sigma: number;
  ansatzErrorMilli: number;
  oneQubitGates: number;
  twoQubitGates: number;
  shotsPerEnergy: number;
  secondsPerEnergy: number;
}

/** Runs one molecule over seeds 1…n. */
export async function ariaRow(c: AriaCase, seeds: number, shots: number): Promise<AriaRow> {
  const molecule = readXyzFile(`${here}../examples/${c.file}`);
  const raw: number[] = [];
  const err: number[] = [];
  const bar: number[] = [];
  let last: VqeMethodResult | undefined;
  let seconds = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const r = (await runMethod(molecule, ariaSpec(c, shots, seed))) as VqeMethodResult;
    const fci = r.referenceFciHartree!;
    raw.push(1e3 * (r.rawEnergyHartree! - fci));
    err.push(1e3 * (r.energyHartree - fci));
    bar.push(1e3 * r.standardErrorHartree);
    seconds += r.wallTimeSeconds;
    last = r;
  }
  const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / a.length;
  const covered = err.filter((e, i) => Math.abs(e) <= 2 * bar[i]).length;
  return {
    name: c.name,
    seeds,
    meanRawErrorMilli: mean(raw),
    meanErrorMilli: mean(err),
    meanAbsErrorMilli: mean(err.map(Math.abs)),
    meanErrorBarMilli: mean(bar),
    coverage2Sigma: covered / seeds,
    ansatzErrorMilli: 1e3 * (last!.exactEnergyHartree! - last!.referenceFciHartree!),
    oneQubitGates: last!.compiledGates.oneQubitGates,
    twoQubitGates: last!.compiledGates.twoQubitGates,
    shotsPerEnergy: last!.shots,
    secondsPerEnergy: seconds / seeds,
  };
}

async function main(): Promise<void> {
  const [seedsArg, shotsArg, ...names] = process.argv.slice(2);
  const seeds = Number(seedsArg ?? 20);
  const shots = Number(shotsArg ?? 1_000_000);
  const cases = ARIA_CASES.filter((c) => names.length === 0 || names.includes(c.name.toLowerCase()));
  console.log('| molecule (active space) | raw error | mitigated error (mean / mean abs) | mean error bar (1σ) | 2σ covers FCI | ansatz error | compiled gates (1q / 2q) | shots per energy | s per energy |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const c of cases) {
    const r = await ariaRow(c, seeds, shots);
    const f = (x: number): string => x.toFixed(2);
    console.log(
      `| ${r.name} (${c.active.nElectrons}e, ${c.active.nOrbitals}o) | ${f(r.meanRawErrorMilli)} mEh | ${f(r.meanErrorMilli)} / ${f(r.meanAbsErrorMilli)} mEh | ` +
        `${f(r.meanErrorBarMilli)} mEh | ${Math.round(100 * r.coverage2Sigma)} % of ${r.seeds} | ${r.ansatzErrorMilli.toExponential(1)} mEh | ` +
        `${r.oneQubitGates} / ${r.twoQubitGates} | ${r.shotsPerEnergy.toLocaleString('en')} | ${r.secondsPerEnergy.toFixed(1)} |`,
    );
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
