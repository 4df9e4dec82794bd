/**
 * Model-driven molecular dynamics: candidate geometries from a short trajectory on the current
 * model's potential energy surface.
 *
 * Velocity Verlet in atomic units (positions Bohr, masses in electron masses, time in ħ/Eh =
 * 0.0241888 fs). Forces are central differences of the model energy (step 1e-3 Bohr), 6N energy
 * evaluations a step: the trajectories are short and the molecules small. Initial velocities are
 * Maxwell–Boltzmann at the temperature (seeded), with the centre-of-mass velocity removed. A frame
 * is kept every `every` steps when each interatomic distance is within `maxDistanceChangeAngstrom`
 * of the base geometry's (a model far from its data must not send the candidates off to nowhere).
 */
import { ANGSTROM_IN_BOHR, BOLTZMANN_HARTREE_PER_KELVIN, DALTON_IN_ELECTRON_MASS, Random } from '../../core/index.js';
import { ATOMIC_MASSES_DALTON } from '../../chem/index.js';
import type { MdSettings } from './config.js';

/** ħ/Eh in femtoseconds. */
export const AU_TIME_IN_FS = 0.024188843265857;
/** Finite-difference step of the model forces, Bohr. */
export const MD_FORCE_STEP_BOHR = 1e-3;

function distances(x: ArrayLike<number>, n: number): Float64Array {
  const d = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[3 * i]! - x[3 * j]!;
      const dy = x[3 * i + 1]! - x[3 * j + 1]!;
      const dz = x[3 * i + 2]! - x[3 * j + 2]!;
      d[k++] = Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return d;
}

/**
 * Frames (flat positions, Bohr) of one trajectory from `startBohr` on the surface `energy`,
 * kept when within the distance window around `referenceBohr`.
 */
export function modelTrajectory(
  energy: (positionsBohr: Float64Array) => number,
  atomicNumbers: ArrayLike<number>,
  startBohr: ArrayLike<number>,
  referenceBohr: ArrayLike<number>,
  settings: MdSettings,
  seed: number,
): Float64Array[] {
  const n = atomicNumbers.length;
  const rng = new Random(seed);
  const mass = new Float64Array(n);
  for (let a = 0; a < n; a++) mass[a] = ATOMIC_MASSES_DALTON[atomicNumbers[a]!]! * DALTON_IN_ELECTRON_MASS;
  const kT = BOLTZMANN_HARTREE_PER_KELVIN * settings.temperatureKelvin;
  const x = Float64Array.from(startBohr);
  const v = new Float64Array(3 * n);
  let mTot = 0;
  const pCom = [0, 0, 0];
  for (let a = 0; a < n; a++) {
    mTot += mass[a]!;
    for (let c = 0; c < 3; c++) {
      v[3 * a + c] = Math.sqrt(kT / mass[a]!) * rng.normal();
      pCom[c]! += mass[a]! * v[3 * a + c]!;
    }
  }
  for (let a = 0; a < n; a++) for (let c = 0; c < 3; c++) v[3 * a + c] -= pCom[c]! / mTot;
  const force = new Float64Array(3 * n);
  const forces = (): void => {
    for (let k = 0; k < 3 * n; k++) {
      const x0 = x[k]!;
      x[k] = x0 + MD_FORCE_STEP_BOHR;
      const ep = energy(x);
      x[k] = x0 - MD_FORCE_STEP_BOHR;
      const em = energy(x);
      x[k] = x0;
      force[k] = -(ep - em) / (2 * MD_FORCE_STEP_BOHR);
    }
  };
  const dt = settings.timeStepFs / AU_TIME_IN_FS;
  const ref = distances(referenceBohr, n);
  const window = settings.maxDistanceChangeAngstrom * ANGSTROM_IN_BOHR;
  const frames: Float64Array[] = [];
  forces();
  for (let step = 1; step <= settings.steps; step++) {
    for (let k = 0; k < 3 * n; k++) {
      const m = mass[Math.floor(k / 3)]!;
      v[k] += (0.5 * dt * force[k]!) / m;
      x[k] += dt * v[k]!;
    }
    forces();
    for (let k = 0; k < 3 * n; k++) v[k] += (0.5 * dt * force[k]!) / mass[Math.floor(k / 3)]!;
    if (step % settings.every !== 0) continue;
    const d = distances(x, n);
    let ok = true;
    for (let k = 0; k < d.length; k++) if (Math.abs(d[k]! - ref[k]!) > window) ok = false;
    if (ok) frames.push(Float64Array.from(x));
  }
  return frames;
}
