/**
 * Unrestricted second-order Møller–Plesset perturbation theory on a UHF reference.
 *
 *   E_αα = ½ Σ_ijab (ia|jb)[(ia|jb) − (ib|ja)] / (ε_i + ε_j − ε_a − ε_b)   (all α orbitals)
 *   E_ββ likewise over β orbitals,  E_αβ = Σ_iJaB (ia|JB)² / (ε_i + ε_J − ε_a − ε_B)
 *   E_UMP2 = E_UHF + E_αα + E_ββ + E_αβ.
 * The three (ia|jb) blocks are transformed directly from the packed AO integrals of the SCF result,
 * occupied index first, one occupied orbital's slice at a time (mp2-transform.ts); the same-spin
 * blocks only for the pairs j ≤ i. Frozen core: the lowest
 * `nFrozen` α and β orbitals are left uncorrelated.
 */
import { InputError, requireFinite } from '../core/index.js';
import { frozenCoreOrbitalCount } from '../hamiltonian/index.js';
import type { ScfResult } from '../scf/index.js';
import { requireNonzeroDenominators } from './denominators.js';
import { defaultTransformMemoryBytes, sumOccupiedSlices } from './mp2-transform.js';
import type { Mp2Result } from './mp2.js';

/** Options for {@link runUmp2}. */
export interface Ump2Options {
  /** Freeze the chemical core (`true`), a given number of lowest orbitals per spin, or none (default). */
  frozenCore?: boolean | number;
}

/** Number of frozen orbitals per spin for a frozenCore option. */
export function resolveFrozenCore(frozenCore: boolean | number | undefined, scf: ScfResult): number {
  if (frozenCore === undefined || frozenCore === false) return 0;
  if (frozenCore === true) return frozenCoreOrbitalCount(scf.molecule);
  if (!Number.isInteger(frozenCore) || frozenCore < 0) {
    throw new InputError(`frozenCore must be true, false or a non-negative integer, got ${frozenCore}`);
  }
  return frozenCore;
}

/**
 * UMP2 energy on a UHF (or RHF) SCF result.
 * @throws InputError when more orbitals are frozen than are occupied, or for a zero energy denominator.
 */
export function runUmp2(scf: ScfResult, options: Ump2Options = {}): Mp2Result {
  const nFrozen = resolveFrozenCore(options.frozenCore, scf);
  const nMo = scf.nOrbitals;
  const nA = scf.nAlpha;
  const nB = scf.nBeta;
  if (nFrozen > Math.min(nA, nB)) {
    throw new InputError(`cannot freeze ${nFrozen} orbitals per spin with only ${nA} α and ${nB} β electrons`);
  }
  const oa = nA - nFrozen;
  const ob = nB - nFrozen;
  const va = nMo - nA;
  const vb = nMo - nB;
  const epsA = scf.orbitalEnergiesAlpha;
  const epsB = scf.orbitalEnergiesBeta;
  const eOccA = epsA.slice(nFrozen, nA);
  const eVirA = epsA.slice(nA, nMo);
  const eOccB = epsB.slice(nFrozen, nB);
  const eVirB = epsB.slice(nB, nMo);
  const alpha = { occupied: eOccA, virtual: eVirA, occupiedOffset: nFrozen, virtualOffset: nA, spin: 'α' };
  const beta = { occupied: eOccB, virtual: eVirB, occupiedOffset: nFrozen, virtualOffset: nB, spin: 'β' };
  requireNonzeroDenominators('UMP2', [alpha, alpha]);
  requireNonzeroDenominators('UMP2', [beta, beta]);
  requireNonzeroDenominators('UMP2', [alpha, beta]);
  const ca = scf.coefficientsAlpha;
  const cb = scf.coefficientsBeta;

  const memory = defaultTransformMemoryBytes();
  // Same spin: ½ Σ_ijab (ia|jb)[(ia|jb) − (ib|ja)]/D over the pairs j ≤ i (j < i counted twice).
  const sameSpin = (c: Float64Array, o: number, nOcc: number, v: number, eOcc: Float64Array, eVir: Float64Array): number => {
    const ranges = { i0: nFrozen, ni: o, a0: nOcc, na: v, j0: nFrozen, nj: o, b0: nOcc, nb: v };
    const energies = { occupiedI: eOcc, virtualA: eVir, occupiedJ: eOcc, virtualB: eVir };
    const { sums } = sumOccupiedSlices({ eri: scf.eri, c1: c, c2: c, nMo, ranges, memoryBytes: memory }, energies, { pairsUpToI: true });
    let sum = 0;
    for (let i = 0; i < o; i++) sum += 0.5 * sums[2 * i];
    return sum;
  };
  const eAA = sameSpin(ca, oa, nA, va, eOccA, eVirA);
  const eBB = sameSpin(cb, ob, nB, vb, eOccB, eVirB);
  const mixed = { i0: nFrozen, ni: oa, a0: nA, na: va, j0: nFrozen, nj: ob, b0: nB, nb: vb };
  const mixedEnergies = { occupiedI: eOccA, virtualA: eVirA, occupiedJ: eOccB, virtualB: eVirB };
  const { sums: opposite } = sumOccupiedSlices({ eri: scf.eri, c1: ca, c2: cb, nMo, ranges: mixed, memoryBytes: memory }, mixedEnergies);
  let eAB = 0;
  for (let i = 0; i < oa; i++) eAB += opposite[2 * i + 1];

  const corr = requireFinite(eAA + eBB + eAB, 'UMP2 correlation energy');
  return {
    method: 'ump2',
    energyHartree: scf.energyHartree + corr,
    correlationEnergyHartree: corr,
    sameSpinCorrelationHartree: eAA + eBB,
    oppositeSpinCorrelationHartree: eAB,
    referenceEnergyHartree: scf.energyHartree,
    nFrozen,
  };
}
