/**
 * Unrestricted second-order Møller–Plesset perturbation theory on a UHF reference.
 *
 *   E_αα = ½ Σ_ijab (ia|jb)[(ia|jb) − (ib|ja)] / (ε_i + ε_j − ε_a − ε_b)   (all α orbitals)
 *   E_ββ likewise over β orbitals,  E_αβ = Σ_iJaB (ia|JB)² / (ε_i + ε_J − ε_a − ε_B)
 *   E_UMP2 = E_UHF + E_αα + E_ββ + E_αβ.
 * The three (ia|jb) blocks are transformed directly from the packed AO integrals of the SCF result,
 * occupied index first (mp2-transform.ts). Frozen core: the lowest
 * `nFrozen` α and β orbitals are left uncorrelated.
 */
import { InputError, requireFinite } from '../core/index.js';
import { frozenCoreOrbitalCount } from '../hamiltonian/index.js';
import type { ScfResult } from '../scf/index.js';
import type { Mp2Result } from './mp2.js';
import { requireNonzeroDenominators } from './denominators.js';
import { transformOvov } from './mp2-transform.js';

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

/** Same-spin MP2 sum ½ Σ (ia|jb)[(ia|jb) − (ib|ja)]/D over a dense [i,a,j,b] block. */
export function sameSpinPairSum(ovov: Float64Array, eOcc: Float64Array, eVir: Float64Array): number {
  const o = eOcc.length;
  const v = eVir.length;
  const aStride = o * v;
  const iStride = v * aStride;
  let sum = 0;
  for (let i = 0; i < o; i++)
    for (let j = 0; j < o; j++) {
      const eij = eOcc[i] + eOcc[j];
      for (let a = 0; a < v; a++) {
        const eija = eij - eVir[a];
        const row = i * iStride + a * aStride + j * v;
        for (let b = 0; b < v; b++) {
          const iajb = ovov[row + b];
          const ibja = ovov[i * iStride + b * aStride + j * v + a];
          sum += (iajb * (iajb - ibja)) / (eija - eVir[b]);
        }
      }
    }
  return 0.5 * sum;
}

/** Opposite-spin MP2 sum Σ (ia|JB)²/D over a dense [i,a,J,B] block. */
export function oppositeSpinPairSum(
  ovov: Float64Array,
  eOccA: Float64Array,
  eVirA: Float64Array,
  eOccB: Float64Array,
  eVirB: Float64Array,
): number {
  const oa = eOccA.length;
  const va = eVirA.length;
  const ob = eOccB.length;
  const vb = eVirB.length;
  let sum = 0;
  let x = 0;
  for (let i = 0; i < oa; i++)
    for (let a = 0; a < va; a++) {
      const eia = eOccA[i] - eVirA[a];
      for (let j = 0; j < ob; j++) {
        const eiaj = eia + eOccB[j];
        for (let b = 0; b < vb; b++, x++) {
          const val = ovov[x];
          sum += (val * val) / (eiaj - eVirB[b]);
        }
      }
    }
  return sum;
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

  const eAA = sameSpinPairSum(transformOvov(scf.eri, ca, ca, nMo, nFrozen, oa, nA, va, nFrozen, oa, nA, va), eOccA, eVirA);
  const eBB = sameSpinPairSum(transformOvov(scf.eri, cb, cb, nMo, nFrozen, ob, nB, vb, nFrozen, ob, nB, vb), eOccB, eVirB);
  const eAB = oppositeSpinPairSum(transformOvov(scf.eri, ca, cb, nMo, nFrozen, oa, nA, va, nFrozen, ob, nB, vb), eOccA, eVirA, eOccB, eVirB);

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
