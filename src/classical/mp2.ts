/**
 * Closed-shell (RHF) second-order Møller–Plesset perturbation theory.
 *
 *   E_os = Σ_ijab (ia|jb)² / D_ijab,   E_ss = Σ_ijab (ia|jb)[(ia|jb) − (ib|ja)] / D_ijab,
 *   D_ijab = ε_i + ε_j − ε_a − ε_b,    E_MP2 = E_ref + E_ss + E_os,
 * with i,j over correlated occupied and a,b over virtual canonical RHF orbitals; E_ss is the
 * αα + ββ and E_os the αβ part. The input is a {@link MolecularHamiltonian} in the canonical RHF MO
 * basis (orbital energies come from its Fock matrix, see cc-integrals.ts) or an RHF
 * {@link ScfResult}, for which only the (ia|jb) block is transformed from the AO integrals,
 * occupied index first and one occupied orbital's slice at a time (mp2-transform.ts).
 */
import { InputError, requireFinite } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import type { ScfResult } from '../scf/index.js';
import { closedShellReference, extractBlock, requireCanonical, type ClosedShellOptions } from './cc-integrals.js';
import { requireNonzeroDenominators, sameOrbitalsExcitations } from './denominators.js';
import { defaultTransformMemoryBytes, sumOccupiedSlices } from './mp2-transform.js';
import { mp2SliceSums } from './mp2-sums.js';
import { resolveFrozenCore, runUmp2 } from './ump2.js';

/** Options for {@link runMp2}. */
export interface Mp2Options extends ClosedShellOptions {
  /**
   * With an SCF result: freeze the chemical core (`true`), a given number of lowest orbitals, or none
   * (`false`, the default). With a Hamiltonian only a number works (same as `frozenOrbitals`); or
   * build the Hamiltonian with its core frozen.
   */
  frozenCore?: boolean | number;
  /**
   * With an SCF result: bytes the (ia|jb) transformation may hold at once (default a quarter of the
   * machine's memory, at most 4 GiB); smaller budgets take more passes over the AO integrals.
   */
  transformMemoryBytes?: number;
}

/** Result of an MP2 calculation. Energies in Hartree. */
export interface Mp2Result {
  method: 'mp2' | 'ump2';
  /** Total MP2 energy: reference + correlation. */
  energyHartree: number;
  /** E_ss + E_os. */
  correlationEnergyHartree: number;
  /** Same-spin (αα + ββ) part of the correlation energy. */
  sameSpinCorrelationHartree: number;
  /** Opposite-spin (αβ) part of the correlation energy. */
  oppositeSpinCorrelationHartree: number;
  /** Reference (HF) energy. */
  referenceEnergyHartree: number;
  /** Number of frozen (uncorrelated) orbitals per spin. */
  nFrozen: number;
}

/** Same- and opposite-spin MP2 sums over a dense ovov[i,a,j,b] = (ia|jb) block. */
export function mp2PairSums(
  ovov: Float64Array,
  occupiedEnergies: Float64Array,
  virtualEnergies: Float64Array,
): { sameSpin: number; oppositeSpin: number } {
  const o = occupiedEnergies.length;
  const sliceLength = virtualEnergies.length * o * virtualEnergies.length;
  let ss = 0;
  let os = 0;
  // ovov[i] is the [a,j,b] slice of orbital i.
  for (let i = 0; i < o; i++) {
    const sums = mp2SliceSums(ovov.subarray(i * sliceLength, (i + 1) * sliceLength), occupiedEnergies[i], occupiedEnergies, virtualEnergies);
    ss += sums.sameSpin;
    os += sums.oppositeSpin;
  }
  return { sameSpin: ss, oppositeSpin: os };
}

function isScfResult(x: MolecularHamiltonian | ScfResult): x is ScfResult {
  return (x as ScfResult).method === 'rhf' || (x as ScfResult).method === 'uhf';
}

/**
 * RHF-MP2 energy.
 *
 * @param input a MolecularHamiltonian in the canonical RHF MO basis (occupied = the lowest nAlpha
 *   orbitals; a frozen core may already be folded in), or an RHF ScfResult (a UHF result is passed on
 *   to {@link runUmp2}).
 * @throws InputError for an open-shell Hamiltonian, non-canonical orbitals or a zero energy
 *   denominator (orbitals degenerate across the Fermi level).
 */
export function runMp2(input: MolecularHamiltonian | ScfResult, options: Mp2Options = {}): Mp2Result {
  const tolerance = options.canonicalTolerance ?? 1e-6;
  if (isScfResult(input)) {
    if (input.method === 'uhf') return runUmp2(input, { frozenCore: options.frozenCore ?? options.frozenOrbitals });
    const nFrozen = resolveFrozenCore(options.frozenCore ?? options.frozenOrbitals, input);
    const nOcc = input.nAlpha;
    if (input.nAlpha !== input.nBeta) throw new InputError('runMp2: an RHF result must have nAlpha = nBeta');
    if (nFrozen > nOcc) throw new InputError(`cannot freeze ${nFrozen} orbitals with only ${nOcc} occupied`);
    const nMo = input.nOrbitals;
    const eps = input.orbitalEnergiesAlpha;
    const o = nOcc - nFrozen;
    const v = nMo - nOcc;
    const eOcc = eps.slice(nFrozen, nOcc);
    const eVir = eps.slice(nOcc, nMo);
    requireNonzeroDenominators('MP2', sameOrbitalsExcitations(eOcc, eVir, nFrozen, nOcc, 2));
    const memory = options.transformMemoryBytes ?? defaultTransformMemoryBytes();
    if (!(memory > 0)) throw new InputError(`transformMemoryBytes must be positive, got ${memory}`);
    // Occupied-first transformation, summed one occupied orbital at a time: (ia|jb) is never stored whole.
    let sameSpin = 0;
    let oppositeSpin = 0;
    const ranges = { i0: nFrozen, ni: o, a0: nOcc, na: v, j0: nFrozen, nj: o, b0: nOcc, nb: v };
    const energies = { occupiedI: eOcc, virtualA: eVir, occupiedJ: eOcc, virtualB: eVir };
    const { sums } = sumOccupiedSlices({ eri: input.eri, c1: input.coefficientsAlpha, c2: input.coefficientsAlpha, nMo, ranges, memoryBytes: memory }, energies, { pairsUpToI: true });
    for (let i = 0; i < o; i++) {
      sameSpin += sums[2 * i];
      oppositeSpin += sums[2 * i + 1];
    }
    const corr = requireFinite(sameSpin + oppositeSpin, 'MP2 correlation energy');
    return {
      method: 'mp2',
      energyHartree: input.energyHartree + corr,
      correlationEnergyHartree: corr,
      sameSpinCorrelationHartree: sameSpin,
      oppositeSpinCorrelationHartree: oppositeSpin,
      referenceEnergyHartree: input.energyHartree,
      nFrozen,
    };
  }
  // A Hamiltonian carries no molecule, so only an explicit orbital count can be frozen here.
  if (options.frozenCore === true) {
    throw new InputError(
      'runMp2: frozenCore: true needs an SCF result (to know the atoms); for a Hamiltonian pass frozenOrbitals or build it with molecularHamiltonianFromScf(scf, { frozenCore: true })',
    );
  }
  const frozen = options.frozenOrbitals ?? (typeof options.frozenCore === 'number' ? options.frozenCore : 0);
  const ref = closedShellReference(input, frozen, 'MP2');
  requireCanonical(ref, tolerance, 'MP2');
  requireNonzeroDenominators('MP2', sameOrbitalsExcitations(ref.occupiedEnergies, ref.virtualEnergies, ref.nFrozen, ref.nOccupied, 2));
  const n = ref.nOrbitals;
  const ovov = extractBlock(input.twoBody, n, ref.nFrozen, ref.nActiveOccupied, ref.nOccupied, ref.nVirtual, ref.nFrozen, ref.nActiveOccupied, ref.nOccupied, ref.nVirtual);
  const { sameSpin, oppositeSpin } = mp2PairSums(ovov, ref.occupiedEnergies, ref.virtualEnergies);
  const corr = requireFinite(sameSpin + oppositeSpin, 'MP2 correlation energy');
  return {
    method: 'mp2',
    energyHartree: ref.referenceEnergyHartree + corr,
    correlationEnergyHartree: corr,
    sameSpinCorrelationHartree: sameSpin,
    oppositeSpinCorrelationHartree: oppositeSpin,
    referenceEnergyHartree: ref.referenceEnergyHartree,
    nFrozen: ref.nFrozen,
  };
}
