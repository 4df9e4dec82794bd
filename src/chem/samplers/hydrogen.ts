/**
 * Hydrogen chains and rings. Positions are flat Float64Arrays in Bohr (atom i at [3i, 3i+1, 3i+2]).
 *
 * Chains run along z from the origin. A zig-zag chain with bond b and angle θ lies in the xz plane:
 * atom i at (h·(i mod 2), 0, i·d) with d = b·sin(θ/2), h = b·cos(θ/2). A randomly bent chain is
 * built from internal coordinates (bond, angle, dihedral per atom) by the natural-extension
 * reference-frame construction; a draw that brings two non-neighbouring atoms closer than the
 * shortest bond is drawn again.
 *
 * Rings lie in the xy plane centred at the origin. A regular ring has radius b/(2 sin(π/n)). A
 * dimerised ring (n even) keeps every atom on one circle with alternating half central angles x and
 * c − x (c = 2π/n): sin x / sin(c − x) = b₁/b₂ gives x = atan2(ρ sin c, 1 + ρ cos c), ρ = b₁/b₂, and
 * radius b₁/(2 sin x).
 */
import { ANGSTROM_IN_BOHR, InputError, Random } from '../../core/index.js';
import { createMolecule, type Molecule } from '../molecule.js';
import { distance, drawRange, requireCount, requireRange } from './geometry.js';
import type { ChainSamplerSpec, RingSamplerSpec, SampleRange } from './spec.js';

const MAX_REDRAWS = 1000;

function hydrogens(positionsBohr: Float64Array, spec: { charge?: number; multiplicity?: number }, title: string): Molecule {
  const n = positionsBohr.length / 3;
  return createMolecule({
    atomicNumbers: new Int32Array(n).fill(1),
    positionsBohr,
    charge: spec.charge ?? 0,
    ...(spec.multiplicity !== undefined ? { multiplicity: spec.multiplicity } : {}),
    title,
  });
}

function rangeText(r: SampleRange): string {
  return typeof r === 'number' ? `${r}` : `${r[0]}–${r[1]}`;
}

/** Place atom `a` at bond b from `c`, angle θ a–c–bb, dihedral φ a–c–bb–aa (natural extension reference frame). */
function placeAtom(p: Float64Array, a: number, c: number, bb: number, aa: number, bond: number, theta: number, phi: number): void {
  const bcx = p[3 * c]! - p[3 * bb]!;
  const bcy = p[3 * c + 1]! - p[3 * bb + 1]!;
  const bcz = p[3 * c + 2]! - p[3 * bb + 2]!;
  const lbc = Math.hypot(bcx, bcy, bcz);
  const ux = bcx / lbc;
  const uy = bcy / lbc;
  const uz = bcz / lbc;
  const abx = p[3 * bb]! - p[3 * aa]!;
  const aby = p[3 * bb + 1]! - p[3 * aa + 1]!;
  const abz = p[3 * bb + 2]! - p[3 * aa + 2]!;
  let nx = aby * uz - abz * uy;
  let ny = abz * ux - abx * uz;
  let nz = abx * uy - aby * ux;
  const ln = Math.hypot(nx, ny, nz);
  nx /= ln;
  ny /= ln;
  nz /= ln;
  const mx = ny * uz - nz * uy;
  const my = nz * ux - nx * uz;
  const mz = nx * uy - ny * ux;
  const d0 = -bond * Math.cos(theta);
  const d1 = bond * Math.sin(theta) * Math.cos(phi);
  const d2 = bond * Math.sin(theta) * Math.sin(phi);
  p[3 * a] = p[3 * c]! + d0 * ux + d1 * mx + d2 * nx;
  p[3 * a + 1] = p[3 * c + 1]! + d0 * uy + d1 * my + d2 * ny;
  p[3 * a + 2] = p[3 * c + 2]! + d0 * uz + d1 * mz + d2 * nz;
}

function tooClose(p: Float64Array, minBohr: number): boolean {
  const n = p.length / 3;
  for (let i = 0; i < n; i++) for (let j = 0; j < i - 1; j++) if (distance(p, i, j) < minBohr) return true;
  return false;
}

/** Hydrogen chains (see {@link ChainSamplerSpec}). */
export function hydrogenChains(spec: ChainSamplerSpec, seed: number): Molecule[] {
  const n = requireCount(spec.atoms, 'chain.atoms', 2);
  requireCount(spec.count, 'chain.count');
  const bond = requireRange(spec.bondAngstrom, 'chain.bondAngstrom', 0, 100);
  const second = spec.shape === 'dimerised' ? requireRange(spec.secondBondAngstrom ?? bond, 'chain.secondBondAngstrom', 0, 100) : bond;
  const needsAngle = spec.shape === 'zigzag' || spec.shape === 'bent';
  const angle = needsAngle ? requireRange(spec.angleDegrees, `chain.angleDegrees (shape '${spec.shape}')`, 0, 180) : 180;
  if (!['linear', 'zigzag', 'dimerised', 'bent'].includes(spec.shape)) {
    throw new InputError(`chain.shape must be 'linear', 'zigzag', 'dimerised' or 'bent', got '${String(spec.shape)}'`);
  }
  const minBond = (typeof bond === 'number' ? bond : bond[0]) * ANGSTROM_IN_BOHR;
  const random = new Random(seed);
  const out: Molecule[] = [];
  for (let s = 0; s < spec.count; s++) {
    const p = new Float64Array(3 * n);
    let title: string;
    if (spec.shape === 'linear' || spec.shape === 'dimerised') {
      const b1 = drawRange(bond, random) * ANGSTROM_IN_BOHR;
      const b2 = spec.shape === 'dimerised' ? drawRange(second, random) * ANGSTROM_IN_BOHR : b1;
      for (let i = 1; i < n; i++) p[3 * i + 2] = p[3 * (i - 1) + 2]! + (i % 2 === 1 ? b1 : b2);
      title = spec.shape === 'linear' ? `H${n} linear chain r = ${fmt(b1)} Å` : `H${n} dimerised chain r = ${fmt(b1)}/${fmt(b2)} Å`;
    } else if (spec.shape === 'zigzag') {
      const b = drawRange(bond, random) * ANGSTROM_IN_BOHR;
      const theta = (drawRange(angle, random) * Math.PI) / 180;
      const d = b * Math.sin(theta / 2);
      const h = b * Math.cos(theta / 2);
      for (let i = 0; i < n; i++) {
        p[3 * i] = (i % 2) * h;
        p[3 * i + 2] = i * d;
      }
      title = `H${n} zigzag chain r = ${fmt(b)} Å angle = ${((theta * 180) / Math.PI).toFixed(4)}°`;
    } else {
      let tries = 0;
      do {
        if (++tries > MAX_REDRAWS) throw new InputError(`chain: no bent H${n} chain without clashes in ${MAX_REDRAWS} draws; widen angleDegrees`);
        p.fill(0);
        p[5] = drawRange(bond, random) * ANGSTROM_IN_BOHR;
        if (n > 2) {
          const b = drawRange(bond, random) * ANGSTROM_IN_BOHR;
          const theta = (drawRange(angle, random) * Math.PI) / 180;
          p[6] = b * Math.sin(theta);
          p[8] = p[5]! - b * Math.cos(theta);
        }
        for (let i = 3; i < n; i++) {
          const b = drawRange(bond, random) * ANGSTROM_IN_BOHR;
          const theta = (drawRange(angle, random) * Math.PI) / 180;
          const phi = random.uniform(-Math.PI, Math.PI);
          placeAtom(p, i, i - 1, i - 2, i - 3, b, theta, phi);
        }
      } while (tooClose(p, minBond));
      title = `H${n} bent chain r = ${rangeText(bond)} Å angle = ${rangeText(angle)}°`;
    }
    out.push(hydrogens(p, spec, `${title} seed ${seed} #${s + 1}`));
  }
  return out;
}

/** Hydrogen rings (see {@link RingSamplerSpec}). */
export function hydrogenRings(spec: RingSamplerSpec, seed: number): Molecule[] {
  const n = requireCount(spec.atoms, 'ring.atoms', 3);
  requireCount(spec.count, 'ring.count');
  const bond = requireRange(spec.bondAngstrom, 'ring.bondAngstrom', 0, 100);
  if (!['regular', 'dimerised', 'bent'].includes(spec.shape)) {
    throw new InputError(`ring.shape must be 'regular', 'dimerised' or 'bent', got '${String(spec.shape)}'`);
  }
  if (spec.shape === 'dimerised' && n % 2 !== 0) throw new InputError(`ring: a dimerised ring needs an even number of atoms, got ${n}`);
  const second = requireRange(spec.secondBondAngstrom ?? bond, 'ring.secondBondAngstrom', 0, 100);
  const pucker = spec.puckerAngstrom ?? 0.2;
  if (!Number.isFinite(pucker) || pucker < 0) throw new InputError(`ring.puckerAngstrom must be a non-negative length, got ${pucker}`);
  const random = new Random(seed);
  const c = (2 * Math.PI) / n;
  const out: Molecule[] = [];
  for (let s = 0; s < spec.count; s++) {
    const b1 = drawRange(bond, random) * ANGSTROM_IN_BOHR;
    const b2 = spec.shape === 'dimerised' ? drawRange(second, random) * ANGSTROM_IN_BOHR : b1;
    // half central angle of the b1 sides
    const rho = b1 / b2;
    const x = spec.shape === 'dimerised' ? Math.atan2(rho * Math.sin(c), 1 + rho * Math.cos(c)) : c / 2;
    const radius = b1 / (2 * Math.sin(x));
    const p = new Float64Array(3 * n);
    let phi = 0;
    for (let i = 0; i < n; i++) {
      p[3 * i] = radius * Math.cos(phi);
      p[3 * i + 1] = radius * Math.sin(phi);
      if (spec.shape === 'bent') p[3 * i + 2] = random.uniform(-pucker, pucker) * ANGSTROM_IN_BOHR;
      phi += i % 2 === 0 ? 2 * x : 2 * (c - x);
    }
    const title =
      spec.shape === 'dimerised' ? `H${n} dimerised ring r = ${fmt(b1)}/${fmt(b2)} Å` : `H${n} ${spec.shape} ring r = ${fmt(b1)} Å`;
    out.push(hydrogens(p, spec, `${title} seed ${seed} #${s + 1}`));
  }
  return out;
}

function fmt(bohr: number): string {
  return (bohr / ANGSTROM_IN_BOHR).toFixed(6);
}
