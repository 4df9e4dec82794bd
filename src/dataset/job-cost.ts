/**
 * Relative cost of a campaign job, known before it runs: the runner dispatches the most expensive
 * jobs first so that the last jobs of a run are short and no worker idles while another finishes a
 * long one (the campaign's tail).
 *
 * The estimate is an operation count up to a constant, from the sizes alone: n basis functions,
 * a correlated spatial orbitals with oα, oβ occupied among them, D = C(a, oα)·C(a, oβ) determinants.
 * One energy costs the SCF, n⁴ (integrals and Fock builds), plus the method's step: MP2 a⁵, CCSD a⁶,
 * CCSD(T) a⁷, FCI D·a², a quantum method 4^a (state vectors over 2a qubits, many evaluations).
 * Forces multiply it by the energies they need: 1 + 6·atoms for central finite differences, about 3
 * for the analytic SCF gradient and for the analytic FCI gradient (FCI over every orbital: no frozen
 * core, no active window); a dipole adds at most one SCF. Only the order of the estimates
 * matters: it never changes a label, only when the label is computed.
 */
import { buildMolecularBasis, loadBasisLibrary } from '../basis/index.js';
import { binomial } from '../core/index.js';
import type { Molecule } from '../chem/index.js';
import { type MethodSpec, molecularProblemSize } from '../methods/index.js';
import { QUANTITY_BITS } from './quantities.js';

/** What the estimate reads of a job (a stored job or a worker task has these fields). */
export interface JobSize {
  atomicNumbers: ArrayLike<number>;
  positionsBohr: ArrayLike<number>;
  charge: number;
  multiplicity: number;
  spec: MethodSpec;
  /** Bit mask of QUANTITY_BITS. */
  quantities: number;
}

/** Basis functions of a job's molecule (0 when the basis cannot be built: the job fails when it runs, cheaply). */
function basisFunctionCount(molecule: Molecule, basis: string): number {
  try {
    return buildMolecularBasis(molecule, loadBasisLibrary(basis)).nFunctions;
  } catch {
    return 0;
  }
}

/** Estimated relative cost of one job (see the file header); larger is longer. */
export function estimateJobCost(job: JobSize): number {
  const molecule: Molecule = {
    atomicNumbers: Int32Array.from(job.atomicNumbers),
    positionsBohr: Float64Array.from(job.positionsBohr),
    charge: job.charge,
    multiplicity: job.multiplicity,
  };
  const spec = job.spec;
  const method = spec.method;
  const n = basisFunctionCount(molecule, spec.basis ?? 'sto-3g');
  const scf = n ** 4;
  let step = 0;
  if (method !== 'hf' && method !== 'uhf' && n > 0) {
    const size = molecularProblemSize(molecule, n, { frozenCore: spec.frozenCore ?? false, active: spec.active ?? null });
    const a = Math.max(0, size.nActiveOrbitals);
    const oa = Math.max(0, Math.min(a, size.nActiveAlpha));
    const ob = Math.max(0, Math.min(a, size.nActiveBeta));
    if (method === 'mp2') step = a ** 5;
    else if (method === 'ccsd') step = a ** 6;
    else if (method === 'ccsd(t)') step = a ** 7;
    else if (method === 'fci') step = binomial(a, oa) * binomial(a, ob) * a * a;
    else step = 4 ** a;
  }
  const energy = scf + step;
  let evaluations = 1;
  if ((job.quantities & QUANTITY_BITS.forces) !== 0) {
    const analytic = method === 'hf' || method === 'uhf' || (method === 'fci' && spec.frozenCore !== true && !spec.active);
    evaluations = analytic ? 3 : 1 + 6 * job.atomicNumbers.length;
  }
  const dipole = (job.quantities & QUANTITY_BITS.dipole) !== 0 ? scf : 0;
  return evaluations * energy + dipole;
}

/**
 * Indices of `jobs` in dispatch order: largest estimated cost first, ties in the given order (the
 * sort is stable), so the same jobs always come out in the same order.
 */
export function longestFirstOrder(jobs: readonly JobSize[]): number[] {
  const cost = jobs.map(estimateJobCost);
  return jobs.map((_, i) => i).sort((i, j) => cost[j]! - cost[i]! || i - j);
}
