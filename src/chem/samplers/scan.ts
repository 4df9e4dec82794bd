/**
 * Bond and angle scans and seeded random Cartesian displacements. Positions are flat Float64Arrays in
 * Bohr (atom i at [3i, 3i+1, 3i+2]); the specs give Å and degrees.
 *
 * A bond scan translates the moving atoms along the i→j unit vector, so r_ij equals each requested
 * value to rounding. An angle scan rotates the moving atoms about the axis through j along
 * (r_i − r_j) × (r_k − r_j) (Rodrigues' formula), which keeps every distance within the moving set
 * and r_jk fixed.
 */
import { ANGSTROM_IN_BOHR, InputError, Random } from '../../core/index.js';
import type { Molecule } from '../molecule.js';
import { baseName, distance, moleculeAt, movingAtoms, requireAtomIndex, requireCount } from './geometry.js';
import type { AngleScanSpec, BondScanSpec, DisplacementSamplerSpec, ScanSamplerSpec } from './spec.js';

/** Evenly spaced values from `from` to `to`, both included. */
function grid(from: number, to: number, steps: number): number[] {
  if (steps === 1) return [from];
  const out: number[] = [];
  for (let s = 0; s < steps; s++) out.push(s === steps - 1 ? to : from + ((to - from) * s) / (steps - 1));
  return out;
}

function requireDistinct(atoms: readonly number[], what: string): void {
  if (new Set(atoms).size !== atoms.length) throw new InputError(`${what}: the atoms of a scan must be distinct, got [${atoms.join(', ')}]`);
}

/** Geometries of a bond scan (see {@link BondScanSpec}). */
export function bondScan(base: Molecule, spec: BondScanSpec): Molecule[] {
  const [i, j] = spec.atoms;
  requireAtomIndex(base, i, 'scan.atoms');
  requireAtomIndex(base, j, 'scan.atoms');
  requireDistinct(spec.atoms, 'scan.atoms');
  requireCount(spec.steps, 'scan.steps');
  for (const [key, v] of [['fromAngstrom', spec.fromAngstrom], ['toAngstrom', spec.toAngstrom]] as const) {
    if (!Number.isFinite(v) || v <= 0) throw new InputError(`scan.${key} must be a positive length, got ${v}`);
  }
  const moving = movingAtoms(base, i, j, spec.move ?? 'fragment');
  const p0 = base.positionsBohr;
  const r0 = distance(p0, i, j);
  const u = [(p0[3 * j]! - p0[3 * i]!) / r0, (p0[3 * j + 1]! - p0[3 * i + 1]!) / r0, (p0[3 * j + 2]! - p0[3 * i + 2]!) / r0];
  const n = base.atomicNumbers.length;
  return grid(spec.fromAngstrom, spec.toAngstrom, spec.steps).map((rAngstrom) => {
    const shift = rAngstrom * ANGSTROM_IN_BOHR - r0;
    const p = Float64Array.from(p0);
    for (let a = 0; a < n; a++) {
      if (moving[a] === 0) continue;
      for (let k = 0; k < 3; k++) p[3 * a + k] = p0[3 * a + k]! + shift * u[k]!;
    }
    // pin r_ij to the requested value against rounding of the shift
    const target = rAngstrom * ANGSTROM_IN_BOHR;
    for (let k = 0; k < 3; k++) p[3 * j + k] = p[3 * i + k]! + target * u[k]!;
    return moleculeAt(base, p, `${baseName(base)} r(${i},${j}) = ${rAngstrom.toFixed(6)} Å`);
  });
}

/** Angle i–j–k (radians) of flat Bohr positions. */
export function bondAngle(p: ArrayLike<number>, i: number, j: number, k: number): number {
  const a = [p[3 * i]! - p[3 * j]!, p[3 * i + 1]! - p[3 * j + 1]!, p[3 * i + 2]! - p[3 * j + 2]!];
  const b = [p[3 * k]! - p[3 * j]!, p[3 * k + 1]! - p[3 * j + 1]!, p[3 * k + 2]! - p[3 * j + 2]!];
  const dot = a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
  const cx = a[1]! * b[2]! - a[2]! * b[1]!;
  const cy = a[2]! * b[0]! - a[0]! * b[2]!;
  const cz = a[0]! * b[1]! - a[1]! * b[0]!;
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), dot);
}

/** Geometries of an angle scan (see {@link AngleScanSpec}). */
export function angleScan(base: Molecule, spec: AngleScanSpec): Molecule[] {
  const [i, j, k] = spec.atoms;
  for (const a of spec.atoms) requireAtomIndex(base, a, 'scan.atoms');
  requireDistinct(spec.atoms, 'scan.atoms');
  requireCount(spec.steps, 'scan.steps');
  for (const [key, v] of [['fromDegrees', spec.fromDegrees], ['toDegrees', spec.toDegrees]] as const) {
    if (!Number.isFinite(v) || v <= 0 || v >= 180) throw new InputError(`scan.${key} must lie in (0, 180) degrees, got ${v}`);
  }
  const moving = movingAtoms(base, j, k, spec.move ?? 'fragment');
  if (moving[i] === 1) {
    // i on k's side (a ring through i, j, k): rotate k alone
    moving.fill(0);
    moving[k] = 1;
  }
  const p0 = base.positionsBohr;
  const a = [p0[3 * i]! - p0[3 * j]!, p0[3 * i + 1]! - p0[3 * j + 1]!, p0[3 * i + 2]! - p0[3 * j + 2]!];
  const b = [p0[3 * k]! - p0[3 * j]!, p0[3 * k + 1]! - p0[3 * j + 1]!, p0[3 * k + 2]! - p0[3 * j + 2]!];
  let axis = [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
  let norm = Math.hypot(axis[0]!, axis[1]!, axis[2]!);
  const lenA = Math.hypot(a[0]!, a[1]!, a[2]!);
  if (norm < 1e-8 * lenA * Math.hypot(b[0]!, b[1]!, b[2]!)) {
    // collinear: any axis normal to the i–j line opens the angle
    const t = Math.abs(a[0]!) < 0.9 * lenA ? [1, 0, 0] : [0, 1, 0];
    axis = [a[1]! * t[2]! - a[2]! * t[1]!, a[2]! * t[0]! - a[0]! * t[2]!, a[0]! * t[1]! - a[1]! * t[0]!];
    norm = Math.hypot(axis[0]!, axis[1]!, axis[2]!);
  }
  const [nx, ny, nz] = [axis[0]! / norm, axis[1]! / norm, axis[2]! / norm];
  const theta0 = bondAngle(p0, i, j, k);
  const n = base.atomicNumbers.length;
  return grid(spec.fromDegrees, spec.toDegrees, spec.steps).map((deg) => {
    const phi = (deg * Math.PI) / 180 - theta0;
    const c = Math.cos(phi);
    const s = Math.sin(phi);
    const p = Float64Array.from(p0);
    for (let at = 0; at < n; at++) {
      if (moving[at] === 0) continue;
      const vx = p0[3 * at]! - p0[3 * j]!;
      const vy = p0[3 * at + 1]! - p0[3 * j + 1]!;
      const vz = p0[3 * at + 2]! - p0[3 * j + 2]!;
      const dot = nx * vx + ny * vy + nz * vz;
      const cx = ny * vz - nz * vy;
      const cy = nz * vx - nx * vz;
      const cz = nx * vy - ny * vx;
      p[3 * at] = p0[3 * j]! + vx * c + cx * s + nx * dot * (1 - c);
      p[3 * at + 1] = p0[3 * j + 1]! + vy * c + cy * s + ny * dot * (1 - c);
      p[3 * at + 2] = p0[3 * j + 2]! + vz * c + cz * s + nz * dot * (1 - c);
    }
    return moleculeAt(base, p, `${baseName(base)} angle(${i},${j},${k}) = ${deg.toFixed(4)}°`);
  });
}

/** Geometries of a bond or angle scan. */
export function scanGeometries(base: Molecule, spec: ScanSamplerSpec): Molecule[] {
  if (spec.coordinate === 'bond') return bondScan(base, spec);
  if (spec.coordinate === 'angle') return angleScan(base, spec);
  throw new InputError(`scan.coordinate must be 'bond' or 'angle', got '${(spec as { coordinate: unknown }).coordinate}'`);
}

/** Seeded random Cartesian displacements (see {@link DisplacementSamplerSpec}). */
export function randomDisplacements(base: Molecule, spec: DisplacementSamplerSpec, seed: number): Molecule[] {
  requireCount(spec.count, 'displacements.count');
  if (!Number.isFinite(spec.sigmaAngstrom) || spec.sigmaAngstrom < 0) {
    throw new InputError(`displacements.sigmaAngstrom must be a non-negative length, got ${spec.sigmaAngstrom}`);
  }
  const random = new Random(seed);
  const sigma = spec.sigmaAngstrom * ANGSTROM_IN_BOHR;
  const removeTranslation = spec.removeTranslation ?? true;
  const n = base.atomicNumbers.length;
  const out: Molecule[] = [];
  for (let s = 0; s < spec.count; s++) {
    const d = new Float64Array(3 * n);
    for (let x = 0; x < 3 * n; x++) d[x] = sigma * random.normal();
    if (removeTranslation) {
      for (let k = 0; k < 3; k++) {
        let mean = 0;
        for (let a = 0; a < n; a++) mean += d[3 * a + k]!;
        mean /= n;
        for (let a = 0; a < n; a++) d[3 * a + k]! -= mean;
      }
    }
    for (let x = 0; x < 3 * n; x++) d[x]! += base.positionsBohr[x]!;
    out.push(moleculeAt(base, d, `${baseName(base)} displacement ${s + 1}/${spec.count} σ = ${spec.sigmaAngstrom} Å seed ${seed}`));
  }
  return out;
}
