/**
 * `qde predict`: apply a model file to every frame of an XYZ or extended-XYZ file. A Δ model
 * computes its low rung through the method layer (forces: analytic for HF, finite differences
 * otherwise) and adds the learned difference.
 */
import { Command } from 'commander';
import { InputError } from '../core/index.js';
import { type Molecule, readXyzFramesFile } from '../chem/index.js';
import { QUANTITY_BITS, computeLabel } from '../dataset/index.js';
import type { MethodSpec } from '../methods/index.js';
import { type TrainedModel, loadModelFile, predictModel } from '../ml/index.js';
import { type CliIo } from './common.js';

/** Prediction for one frame (the `--json` output for one frame). */
export interface FramePrediction {
  energyHartree: number;
  forcesHartreePerBohr: number[];
  /** Null when the model has no uncertainty (a single network). */
  uncertaintyHartree: number | null;
  /** Δ models: the low rung's energy the learned difference was added to. */
  lowRungEnergyHartree?: number;
}

/** Energy, forces and uncertainty of one molecule (low rung included for a Δ model). */
export async function predictMolecule(model: TrainedModel, molecule: Molecule, withForces = true): Promise<FramePrediction> {
  const p = predictModel(model, molecule.atomicNumbers, molecule.positionsBohr, withForces);
  const forces = p.forcesHartreePerBohr ? Array.from(p.forcesHartreePerBohr) : [];
  const out: FramePrediction = { energyHartree: p.energyHartree, forcesHartreePerBohr: forces, uncertaintyHartree: p.uncertaintyHartree };
  const prov = model.provenance;
  if (prov.deltaFrom === null) return out;
  const spec = prov.lowRungSpec as unknown as MethodSpec | null;
  if (!spec || typeof spec !== 'object') throw new InputError(`the Δ model has no method spec for its low rung '${prov.deltaFrom}'`);
  const label = await computeLabel({
    key: 'predict',
    atomicNumbers: Array.from(molecule.atomicNumbers),
    positionsBohr: Array.from(molecule.positionsBohr),
    charge: molecule.charge,
    multiplicity: molecule.multiplicity,
    spec,
    quantities: QUANTITY_BITS.energy | (withForces ? QUANTITY_BITS.forces : 0),
  });
  if (!label.ok) {
    const err = new Error(`low rung '${prov.deltaFrom}' failed: ${label.message}`);
    err.name = label.errorClass;
    throw err;
  }
  out.lowRungEnergyHartree = label.result.energyHartree;
  out.energyHartree += label.result.energyHartree;
  if (withForces && label.forcesHartreePerBohr) for (let k = 0; k < forces.length; k++) forces[k] += label.forcesHartreePerBohr[k];
  return out;
}

/** Predictions for every frame of a geometry file, in file order. */
export async function runPredict(modelPath: string, geometryPath: string): Promise<FramePrediction[]> {
  const model = loadModelFile(modelPath);
  const frames = readXyzFramesFile(geometryPath);
  const out: FramePrediction[] = [];
  for (let f = 0; f < frames.length; f++) {
    try {
      out.push(await predictMolecule(model, frames[f].molecule));
    } catch (e) {
      if (e instanceof InputError) throw new InputError(`frame ${f + 1}: ${e.message}`, { file: geometryPath });
      throw e;
    }
  }
  return out;
}

/** Build the `predict` sub-command. */
export function predictCommand(io: CliIo, _setCode: (code: number) => void): Command {
  const cmd = new Command('predict');
  cmd
    .summary('energies, forces and uncertainties of a model for every frame of a geometry file')
    .description(
      'Apply a model file (qde train, qde experiment --save-model) to an XYZ or multi-frame extended-XYZ ' +
        'file. With --json: one object {energyHartree, forcesHartreePerBohr, uncertaintyHartree} for one ' +
        'frame, {frames: [...]} for several, in file order.',
    )
    .argument('<model>', 'model file (JSON)')
    .argument('<geometry>', 'XYZ or extended-XYZ file (Ångström)')
    .option('--json', 'print JSON')
    .action(async (modelPath: string, geometryPath: string, options: { json?: boolean }) => {
      const preds = await runPredict(modelPath, geometryPath);
      if (options.json) {
        io.stdout(JSON.stringify(preds.length === 1 ? preds[0] : { frames: preds }) + '\n');
        return;
      }
      io.stdout('frame  energy (Eh)          uncertainty (mEh)  max |force| (Eh/bohr)\n');
      preds.forEach((p, k) => {
        let fmax = 0;
        for (const v of p.forcesHartreePerBohr) fmax = Math.max(fmax, Math.abs(v));
        io.stdout(`${String(k + 1).padStart(5)}  ${p.energyHartree.toFixed(10).padStart(18)}  ${(p.uncertaintyHartree === null ? 'n/a' : (1e3 * p.uncertaintyHartree).toFixed(4)).padStart(17)}  ${fmax.toFixed(6)}\n`);
      });
    });
  return cmd;
}
