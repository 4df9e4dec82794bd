/**
 * Reuse of one-centre electron-repulsion integrals: a one-centre basis (an atom's shells on their
 * own) whose shells appear unchanged in a molecular job started in this process gets its integrals
 * copied out of that job's PackedEri (./eri-layout.ts order) instead of computed again.
 */
import type { MolecularBasis } from '../basis/index.js';
import { type PackedEri, eriIndex, packedEriLength } from './eri-layout.js';

/** The part of a pending computation this module needs (see eri.ts PendingEri). */
interface Finishable {
  finish(): PackedEri;
}

/** Options compared between jobs (eri.ts EriOptions). */
interface ReuseOptions {
  screeningThreshold?: number;
  groupSharedExponents?: boolean;
}

/**
 * Molecular jobs (eri.ts startElectronRepulsionIntegrals) still referenced by their callers (weakly held,
 * newest last, at most RECENT_JOBS). Why: an SCF starts its molecular integrals and then runs
 * atomic SCFs for its guess, whose one-centre integrals are a block of the molecular ones; for a
 * heavy atom that block is most of the work (HBr/cc-pVTZ: the Br atom alone costs about 80 % of the
 * molecule), so the atomic call joins the molecular job and copies its block instead.
 */
interface RecentJob {
  basis: WeakRef<MolecularBasis>;
  pending: WeakRef<Finishable>;
  threshold: number;
  grouped: boolean;
}
const RECENT_JOBS = 4;
const recentJobs: RecentJob[] = [];

/** Remember a started molecular job (weakly: it is dropped once its caller lets it go). */
export function rememberEriJob(basis: MolecularBasis, options: ReuseOptions, pending: Finishable): void {
  recentJobs.push({
    basis: new WeakRef(basis),
    pending: new WeakRef(pending),
    threshold: options.screeningThreshold ?? 1e-12,
    grouped: options.groupSharedExponents ?? true,
  });
  if (recentJobs.length > RECENT_JOBS) recentJobs.shift();
}

/** First shell of `big` where the shells of the one-centre basis `small` appear unchanged, or −1. */
function findShellBlock(big: MolecularBasis, small: MolecularBasis): number {
  if (big.pure !== small.pure || small.nShells > big.nShells) return -1;
  for (let s0 = 0; s0 + small.nShells <= big.nShells; s0++) {
    let same = true;
    for (let t = 0; t < small.nShells && same; t++) {
      const s = s0 + t;
      same =
        big.shellL[s] === small.shellL[t] &&
        big.shellPrimitiveCount[s] === small.shellPrimitiveCount[t] &&
        big.shellFirstFunction[s] - big.shellFirstFunction[s0] === small.shellFirstFunction[t] &&
        big.shellCentersBohr[3 * s] === small.shellCentersBohr[3 * t] &&
        big.shellCentersBohr[3 * s + 1] === small.shellCentersBohr[3 * t + 1] &&
        big.shellCentersBohr[3 * s + 2] === small.shellCentersBohr[3 * t + 2];
      for (let i = 0; i < small.shellPrimitiveCount[t] && same; i++) {
        const pb = big.shellFirstPrimitive[s] + i;
        const ps = small.shellFirstPrimitive[t] + i;
        same = big.exponents[pb] === small.exponents[ps] && big.coefficients[pb] === small.coefficients[ps];
      }
    }
    if (same) return s0;
  }
  return -1;
}

/**
 * The integrals of a one-centre `basis` copied from a running or finished molecular job that holds
 * the same shells (same screening and grouping, so the same quartets and kernels), or undefined.
 * The thread count does not change the integrals, so it is not compared.
 */
export function oneCentreFromRecentJob(basis: MolecularBasis, options: ReuseOptions): PackedEri | undefined {
  if (basis.nShells === 0) return undefined;
  for (let s = 1; s < basis.nShells; s++) {
    for (let c = 0; c < 3; c++) if (basis.shellCentersBohr[3 * s + c] !== basis.shellCentersBohr[c]) return undefined;
  }
  const threshold = options.screeningThreshold ?? 1e-12;
  const grouped = options.groupSharedExponents ?? true;
  for (let j = recentJobs.length - 1; j >= 0; j--) {
    const job = recentJobs[j];
    const big = job.basis.deref();
    const pending = job.pending.deref();
    if (!big || !pending || big === basis || job.threshold !== threshold || job.grouped !== grouped) continue;
    const s0 = findShellBlock(big, basis);
    if (s0 < 0) continue;
    // The block's shells may group with neighbours outside it only if those share exponents and
    // sit on the same centre; require the shells around the block to be on other centres.
    const s1 = s0 + basis.nShells;
    if (s0 > 0 && big.shellAtom[s0 - 1] === big.shellAtom[s0]) continue;
    if (s1 < big.nShells && big.shellAtom[s1] === big.shellAtom[s0]) continue;
    const full = pending.finish().values;
    const f0 = big.shellFirstFunction[s0];
    const n = basis.nFunctions;
    const values = new Float64Array(packedEriLength(n));
    let o = 0;
    for (let i = 0; i < n; i++) {
      for (let jj = 0; jj <= i; jj++) {
        for (let k = 0; k <= i; k++) {
          const lTop = k === i ? jj : k;
          for (let l = 0; l <= lTop; l++) values[o++] = full[eriIndex(f0 + i, f0 + jj, f0 + k, f0 + l)];
        }
      }
    }
    return { nBasis: n, values };
  }
  return undefined;
}
