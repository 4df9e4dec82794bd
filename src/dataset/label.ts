/**
 * One job's label: the method layer's result for a geometry and a spec, plus forces and the dipole
 * when asked for. Runs in a worker thread of the campaign runner (or in the calling thread).
 *
 * Forces (Hartree/Bohr, −∂E/∂R, atom i at [3i, 3i+1, 3i+2]):
 * - hf and uhf: the analytic SCF gradient of the same SCF the method ran on (checked: its energy
 *   must agree with the label's to {@link ANALYTIC_ENERGY_CHECK_HARTREE}, else finite differences);
 * - fci over every orbital of the basis (no frozen core, no active window): the analytic FCI gradient
 *   (fciGradient: RDMs, no orbital response needed) of a ground state solved again to a residual of
 *   {@link FCI_GRADIENT_RESIDUAL}, checked against the label's energy as above and for a pure spin
 *   state ({@link FCI_GRADIENT_SPIN_TOLERANCE});
 * - every other method: central finite differences of the energy with a step of
 *   {@link FORCE_STEP_BOHR} on each Cartesian coordinate, F = −(E(+h) − E(−h)) / 2h (truncation error
 *   O(h²) ≈ 1e-7 Hartree/Bohr for bonded molecules). Every displaced point runs with the same spec,
 *   seed included, so the shot noise of a sampled method is correlated between the two points and
 *   largely cancels in the difference.
 *
 * Dipole (atomic units, e·Bohr, about the coordinate origin of the stored geometry):
 * - fci: the FCI ground state's one-particle density (spin-summed 1-RDM over the active orbitals,
 *   frozen or inactive orbitals doubly occupied, back-transformed with the SCF's MO coefficients;
 *   fciDipole). The FCI vector is the one the method layer solved for the energy (captured through
 *   its FCI solver hook), so the dipole costs no second FCI;
 * - every other method: the SCF reference density's dipole (RHF for closed shells, else the
 *   reference the spec resolved to).
 */
import { performance } from 'node:perf_hooks';
import type { Molecule } from '../chem/index.js';
import { centerMolecule } from '../chem/index.js';
import { buildMolecularBasis, loadBasisLibrary } from '../basis/index.js';
import { runRhf, runRohf, runUhf, scfDipole, scfGradient, type ScfResult } from '../scf/index.js';
import { type FciResult, fciDipole, fciGradient, fciGradientApplies, runFci } from '../classical/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import { buildMolecularHamiltonian, runMethod, type FciSolver, type MethodResult, type MethodSpec } from '../methods/index.js';
import { QUANTITY_BITS } from './quantities.js';

/** Finite-difference step of numerical forces, Bohr. */
export const FORCE_STEP_BOHR = 1e-3;

/** Largest difference between the label's energy and the SCF energy the analytic gradient belongs to. */
export const ANALYTIC_ENERGY_CHECK_HARTREE = 1e-8;

/**
 * CI residual of the FCI solve behind analytic FCI forces: the gradient's error is of the order of
 * the residual (not its square, as the energy's), so it is solved tighter than the energy needs.
 */
export const FCI_GRADIENT_RESIDUAL = 1e-9;

/** Largest departure of the FCI vector's ⟨S²⟩ from S(S + 1) for analytic forces (else differences). */
export const FCI_GRADIENT_SPIN_TOLERANCE = 1e-6;

/** A job as handed to a worker: plain data (structured-clone safe). */
export interface LabelTask {
  key: string;
  atomicNumbers: number[];
  positionsBohr: number[];
  charge: number;
  multiplicity: number;
  spec: MethodSpec;
  /** Bit mask of QUANTITY_BITS. */
  quantities: number;
}

/** What a worker returns: a label, or the reason there is none. */
export type LabelOutcome =
  | {
      ok: true;
      key: string;
      result: MethodResult;
      forcesHartreePerBohr: number[] | null;
      /** 'analytic' or 'finite-difference' (null without forces). */
      forcesMethod: 'analytic' | 'finite-difference' | null;
      dipoleAu: number[] | null;
      wallSeconds: number;
    }
  | { ok: false; key: string; errorClass: string; message: string; wallSeconds: number };

function taskMolecule(task: LabelTask, positionsBohr: Float64Array = Float64Array.from(task.positionsBohr)): Molecule {
  return {
    atomicNumbers: Int32Array.from(task.atomicNumbers),
    positionsBohr,
    charge: task.charge,
    multiplicity: task.multiplicity,
  };
}

/** The SCF the method layer ran for `result` (same reference, basis and iteration limit), on the centred molecule. */
function referenceScf(molecule: Molecule, result: MethodResult): ScfResult {
  const spec = result.provenance.spec;
  const centred = centerMolecule(molecule);
  const basis = buildMolecularBasis(centred, loadBasisLibrary(spec.basis!));
  const options = spec.scfMaxIterations !== null ? { maxIterations: spec.scfMaxIterations } : {};
  const run = spec.reference === 'uhf' ? runUhf : spec.reference === 'rohf' ? runRohf : runRhf;
  return run(centred, basis, options);
}

/** Central finite-difference forces of the method's energy (see the file header). */
async function finiteDifferenceForces(task: LabelTask): Promise<number[]> {
  const n = task.positionsBohr.length;
  const forces = new Array<number>(n);
  const displaced = Float64Array.from(task.positionsBohr);
  for (let i = 0; i < n; i++) {
    const x = task.positionsBohr[i]!;
    displaced[i] = x + FORCE_STEP_BOHR;
    const plus = await runMethod(taskMolecule(task, Float64Array.from(displaced)), task.spec);
    displaced[i] = x - FORCE_STEP_BOHR;
    const minus = await runMethod(taskMolecule(task, Float64Array.from(displaced)), task.spec);
    displaced[i] = x;
    forces[i] = -(plus.energyHartree - minus.energyHartree) / (2 * FORCE_STEP_BOHR);
  }
  return forces;
}

/**
 * Compute one label. Never throws for a failing calculation: the error's class and message are
 * returned, so the campaign records them and goes on.
 */
export async function computeLabel(task: LabelTask): Promise<LabelOutcome> {
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  try {
    const molecule = taskMolecule(task);
    const wantForces = (task.quantities & QUANTITY_BITS.forces) !== 0;
    const wantDipole = (task.quantities & QUANTITY_BITS.dipole) !== 0;
    // an FCI dipole needs the FCI vector of the energy: keep the ground-state solve
    let solved: { ham: MolecularHamiltonian; fci: FciResult } | null = null;
    const capture: FciSolver = (ham, options) => {
      const fci = runFci(ham, options);
      if (solved === null || (options.roots ?? 1) === 1) solved = { ham, fci };
      return fci;
    };
    const result = await runMethod(molecule, task.spec, wantDipole && task.spec.method === 'fci' ? { solveFci: capture } : {});
    const fciDipoleWanted = wantDipole && result.method === 'fci';
    let scf: ScfResult | null = null;
    if ((wantDipole && !fciDipoleWanted) || (wantForces && (result.method === 'hf' || result.method === 'uhf'))) scf = referenceScf(molecule, result);
    let forcesHartreePerBohr: number[] | null = null;
    let forcesMethod: 'analytic' | 'finite-difference' | null = null;
    if (wantForces) {
      const scfAnalytic = scf !== null && (result.method === 'hf' || result.method === 'uhf')
        && Math.abs(scf.energyHartree - result.energyHartree) <= ANALYTIC_ENERGY_CHECK_HARTREE;
      const gradient = scfAnalytic ? scfGradient(scf!) : result.method === 'fci' ? fciLabelGradient(molecule, task.spec, result.energyHartree) : null;
      if (gradient !== null) {
        forcesHartreePerBohr = Array.from(gradient, (g) => (g === 0 ? 0 : -g));
        forcesMethod = 'analytic';
      } else {
        forcesHartreePerBohr = await finiteDifferenceForces(task);
        forcesMethod = 'finite-difference';
      }
    }
    let dipoleAu: number[] | null = null;
    if (wantDipole) {
      // the SCF ran on the centred molecule: move the origin back to the stored frame's origin
      const shift = centroidShift(molecule);
      dipoleAu = fciDipoleWanted
        ? Array.from(fciLabelDipole(molecule, task.spec, solved, shift).totalAu)
        : Array.from(scfDipole(scf!, scf!.basis, shift).totalAu);
    }
    return { ok: true, key: task.key, result, forcesHartreePerBohr, forcesMethod, dipoleAu, wallSeconds: seconds() };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { ok: false, key: task.key, errorClass: err.name || 'Error', message: err.message, wallSeconds: seconds() };
  }
}

/**
 * The FCI ground state's dipole: the method layer's SCF and MO Hamiltonian rebuilt for the
 * coefficients (the same deterministic route as the energy), the captured FCI vector used when its
 * Hamiltonian is that one (to 1e-10 in every integral), else the FCI solved again on it.
 */
function fciLabelDipole(
  molecule: Molecule,
  spec: MethodSpec,
  solved: { ham: MolecularHamiltonian; fci: FciResult } | null,
  originBohr: number[],
) {
  const stage = buildMolecularHamiltonian(molecule, spec);
  const same = solved !== null && sameHamiltonian(solved.ham, stage.ham, 1e-10);
  const fci = same ? solved!.fci : runFci(stage.ham, { roots: 1 });
  return fciDipole(stage.scf, stage.ham, fci, { originBohr });
}

/**
 * The analytic FCI gradient (Hartree/Bohr) where the CI spans every orbital and the ground state
 * solved again has the label's energy; null otherwise (the caller falls back to finite differences).
 */
function fciLabelGradient(molecule: Molecule, spec: MethodSpec, energyHartree: number): Float64Array | null {
  const stage = buildMolecularHamiltonian(molecule, spec);
  if (!fciGradientApplies(stage.scf, stage.ham)) return null;
  const fci = runFci(stage.ham, { roots: 1, residualTolerance: FCI_GRADIENT_RESIDUAL });
  if (Math.abs(fci.energyHartree - energyHartree) > ANALYTIC_ENERGY_CHECK_HARTREE) return null;
  // A vector mixing spin states (nearly degenerate ones can come out mixed) has no gradient of its
  // own: its Hellmann–Feynman sum would average theirs. Differences follow the lowest energy instead.
  const s2 = fci.s2[0]!;
  const spin = (Math.sqrt(1 + 4 * s2) - 1) / 2;
  const pure = Math.round(2 * spin) / 2;
  if (Math.abs(s2 - pure * (pure + 1)) > FCI_GRADIENT_SPIN_TOLERANCE) return null;
  return fciGradient(stage.scf, stage.ham, fci);
}

/** Whether two Hamiltonians have the same sizes and integrals to `tolerance`. */
function sameHamiltonian(a: MolecularHamiltonian, b: MolecularHamiltonian, tolerance: number): boolean {
  if (a.nOrbitals !== b.nOrbitals || a.nAlpha !== b.nAlpha || a.nBeta !== b.nBeta) return false;
  if (Math.abs(a.constantHartree - b.constantHartree) > tolerance) return false;
  for (const [x, y] of [[a.oneBody, b.oneBody], [a.twoBody, b.twoBody]] as const) {
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (Math.abs(x[i]! - y[i]!) > tolerance) return false;
  }
  return true;
}

/** Where the stored frame's origin lies in the centred frame (minus the centroid). */
function centroidShift(m: Molecule): number[] {
  const n = m.atomicNumbers.length;
  const c = [0, 0, 0];
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) c[k]! -= m.positionsBohr[3 * i + k]! / n;
  return c;
}
