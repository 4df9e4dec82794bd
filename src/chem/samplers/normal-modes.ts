/**
 * Harmonic normal modes and normal-mode sampling at a temperature.
 *
 * Input: a Cartesian Hessian H (3N × 3N, row-major, Hartree/Bohr²) at the base geometry. Masses are
 * the standard (isotope-averaged) atomic weights of {@link ATOMIC_MASSES_DALTON}, in electron masses.
 * The mass-weighted Hessian M^-1/2 H M^-1/2 is restricted to the complement of the rigid
 * translations and rotations (an orthonormal basis D of that complement, built by Gram–Schmidt),
 * and DᵀHD is diagonalised, so every mode is exactly orthogonal to translation and rotation:
 * a sampled displacement moves neither the centre of mass nor (to first order) the orientation.
 *
 * Sampling: mode i with ω_i² = eigenvalue (atomic units, ħ = mₑ = 1) gets a mass-weighted amplitude
 * q_i ~ N(0, σ_i²), σ_i² = kT/ω_i² (classical Boltzmann, ⟨½ω²q²⟩ = kT/2) or
 * σ_i² = coth(ω_i/2kT)/(2ω_i) (quantum harmonic oscillator at temperature T, the Wigner/position
 * distribution); the Cartesian displacement is M^-1/2 Σ q_i L_i.
 */
import {
  BOLTZMANN_HARTREE_PER_KELVIN,
  DALTON_IN_ELECTRON_MASS,
  HARTREE_IN_WAVENUMBER,
  InputError,
  Random,
  symmetricEigen,
} from '../../core/index.js';
import { ATOMIC_MASSES_DALTON } from '../elements.js';
import type { Molecule } from '../molecule.js';
import { baseName, moleculeAt, requireCount } from './geometry.js';
import type { NormalModeSamplerSpec } from './spec.js';


/** Harmonic vibrational analysis of a geometry. */
export interface NormalModes {
  /** Number of vibrational modes (3N − 6, or 3N − 5 for a linear molecule). */
  nModes: number;
  /** ω² of each mode in atomic units (Hartree/(Bohr²·mₑ)), ascending; negative for an imaginary mode. */
  omegaSquaredAu: Float64Array;
  /** Harmonic wavenumber of each mode, cm⁻¹ (negative for an imaginary mode). */
  wavenumbers: Float64Array;
  /** Mass-weighted orthonormal mode vectors, mode i at [3N·i, 3N·(i+1)). */
  modesMassWeighted: Float64Array;
  /** √(mass) of each Cartesian coordinate, electron masses^½ (length 3N). */
  sqrtMassAu: Float64Array;
}

/** Normal modes of `molecule` from its Cartesian Hessian (Hartree/Bohr²). */
export function normalModes(molecule: Molecule, hessianHartreePerBohr2: Float64Array): NormalModes {
  const nAtoms = molecule.atomicNumbers.length;
  const n3 = 3 * nAtoms;
  if (hessianHartreePerBohr2.length !== n3 * n3) {
    throw new InputError(`the Hessian has ${hessianHartreePerBohr2.length} entries, expected ${n3}×${n3} for ${nAtoms} atoms`);
  }
  if (nAtoms < 2) throw new InputError('a single atom has no vibrational modes');
  const sqrtMass = new Float64Array(n3);
  let totalMass = 0;
  const com = [0, 0, 0];
  for (let a = 0; a < nAtoms; a++) {
    const m = ATOMIC_MASSES_DALTON[molecule.atomicNumbers[a]!]! * DALTON_IN_ELECTRON_MASS;
    totalMass += m;
    for (let k = 0; k < 3; k++) {
      sqrtMass[3 * a + k] = Math.sqrt(m);
      com[k]! += m * molecule.positionsBohr[3 * a + k]!;
    }
  }
  for (let k = 0; k < 3; k++) com[k]! /= totalMass;

  // rigid-body vectors in mass-weighted coordinates: √m_a e_k and √m_a (e_k × (R_a − R_com))
  const basis: Float64Array[] = [];
  const addOrthonormal = (v: Float64Array, tolerance: number): boolean => {
    const norm0 = Math.sqrt(dot(v, v));
    for (const b of basis) axpy(-dot(b, v), b, v);
    const norm = Math.sqrt(dot(v, v));
    if (norm <= tolerance * norm0 || norm === 0) return false;
    for (let x = 0; x < n3; x++) v[x]! /= norm;
    basis.push(v);
    return true;
  };
  for (let k = 0; k < 3; k++) {
    const t = new Float64Array(n3);
    for (let a = 0; a < nAtoms; a++) t[3 * a + k] = sqrtMass[3 * a + k]!;
    addOrthonormal(t, 1e-8);
  }
  for (let k = 0; k < 3; k++) {
    const r = new Float64Array(n3);
    for (let a = 0; a < nAtoms; a++) {
      const d = [0, 1, 2].map((c) => molecule.positionsBohr[3 * a + c]! - com[c]!);
      // e_k × d
      const cross = k === 0 ? [0, -d[2]!, d[1]!] : k === 1 ? [d[2]!, 0, -d[0]!] : [-d[1]!, d[0]!, 0];
      for (let c = 0; c < 3; c++) r[3 * a + c] = sqrtMass[3 * a + c]! * cross[c]!;
    }
    addOrthonormal(r, 1e-6); // a linear molecule has only two rotations
  }
  const nRigid = basis.length;
  for (let x = 0; x < n3 && basis.length < n3; x++) {
    const e = new Float64Array(n3);
    e[x] = 1;
    addOrthonormal(e, 1e-6);
  }
  const nModes = n3 - nRigid;
  if (basis.length !== n3) throw new InputError('could not build the vibrational coordinates of the molecule');

  // DᵀH̃D with H̃ = M^-1/2 H M^-1/2, D = the vibrational columns of basis
  const hw = new Float64Array(n3);
  const projected = new Float64Array(nModes * nModes);
  for (let p = 0; p < nModes; p++) {
    const dp = basis[nRigid + p]!;
    for (let x = 0; x < n3; x++) {
      let s = 0;
      const row = x * n3;
      for (let y = 0; y < n3; y++) s += (hessianHartreePerBohr2[row + y]! * dp[y]!) / sqrtMass[y]!;
      hw[x] = s / sqrtMass[x]!;
    }
    for (let q = 0; q <= p; q++) {
      const v = dot(basis[nRigid + q]!, hw);
      projected[p * nModes + q] = v;
      projected[q * nModes + p] = v;
    }
  }
  const eig = symmetricEigen(projected, nModes);
  const modes = new Float64Array(nModes * n3);
  const wavenumbers = new Float64Array(nModes);
  for (let m = 0; m < nModes; m++) {
    for (let p = 0; p < nModes; p++) axpy(eig.vectors[p * nModes + m]!, basis[nRigid + p]!, modes.subarray(m * n3, (m + 1) * n3));
    const w2 = eig.values[m]!;
    wavenumbers[m] = Math.sign(w2) * Math.sqrt(Math.abs(w2)) * HARTREE_IN_WAVENUMBER;
  }
  return { nModes, omegaSquaredAu: Float64Array.from(eig.values), wavenumbers, modesMassWeighted: modes, sqrtMassAu: sqrtMass };
}

/**
 * Variance of a mode's mass-weighted amplitude (Bohr²·mₑ) at temperature T: kT/ω² classically,
 * coth(ω/2kT)/(2ω) for the quantum harmonic oscillator (its zero-point spread at T = 0).
 */
export function modeAmplitudeVariance(omegaAu: number, temperatureKelvin: number, distribution: 'classical' | 'quantum'): number {
  const kT = BOLTZMANN_HARTREE_PER_KELVIN * temperatureKelvin;
  if (distribution === 'classical') return kT / (omegaAu * omegaAu);
  if (kT === 0) return 1 / (2 * omegaAu);
  return 1 / (2 * omegaAu * Math.tanh(omegaAu / (2 * kT)));
}

/** Normal-mode sampling at a temperature (see {@link NormalModeSamplerSpec}). */
export function normalModeSamples(base: Molecule, spec: NormalModeSamplerSpec, hessianHartreePerBohr2: Float64Array, seed: number): Molecule[] {
  requireCount(spec.count, 'normalModes.count');
  const distribution = spec.distribution ?? 'classical';
  if (distribution !== 'classical' && distribution !== 'quantum') {
    throw new InputError(`normalModes.distribution must be 'classical' or 'quantum', got '${String(distribution)}'`);
  }
  const t = spec.temperatureKelvin;
  if (!Number.isFinite(t) || t < 0 || (t === 0 && distribution === 'classical')) {
    throw new InputError(`normalModes.temperatureKelvin must be positive (or 0 with the quantum distribution), got ${t}`);
  }
  const minWavenumber = spec.minWavenumber ?? 50;
  const modes = normalModes(base, hessianHartreePerBohr2);
  const n3 = modes.sqrtMassAu.length;
  const sigma = new Float64Array(modes.nModes);
  for (let m = 0; m < modes.nModes; m++) {
    if (modes.wavenumbers[m]! < minWavenumber) continue; // imaginary or too soft: not sampled
    sigma[m] = Math.sqrt(modeAmplitudeVariance(Math.sqrt(modes.omegaSquaredAu[m]!), t, distribution));
  }
  const random = new Random(seed);
  const out: Molecule[] = [];
  const q = new Float64Array(n3);
  for (let s = 0; s < spec.count; s++) {
    q.fill(0);
    for (let m = 0; m < modes.nModes; m++) {
      if (sigma[m] === 0) continue;
      axpy(sigma[m]! * random.normal(), modes.modesMassWeighted.subarray(m * n3, (m + 1) * n3), q);
    }
    const p = new Float64Array(n3);
    for (let x = 0; x < n3; x++) p[x] = base.positionsBohr[x]! + q[x]! / modes.sqrtMassAu[x]!;
    out.push(moleculeAt(base, p, `${baseName(base)} normal-mode sample ${s + 1}/${spec.count} T = ${t} K (${distribution}) seed ${seed}`));
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** y += alpha x */
function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i]! += alpha * x[i]!;
}
