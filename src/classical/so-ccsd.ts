/**
 * Spin-orbital coupled-cluster singles and doubles, and the (T) correction, for open-shell
 * references (nAlpha ≠ nBeta, e.g. ROHF orbitals); closed shells work too.
 *
 * Amplitudes over the correlated spin orbitals of so-integrals.ts: t1[i,a] (o×v) and t2[i,j,a,b]
 * (o×o×v×v, antisymmetric in ij and in ab). Equations: the spin-orbital CCSD of Stanton, Gauss,
 * Watts and Bartlett, J. Chem. Phys. 94, 4334 (1991), with the full Fock matrix (its off-diagonal
 * occupied–occupied and virtual–virtual elements in F_ae and F_mi, its occupied–virtual block f_ia
 * in the singles, F_me and the energy), so non-canonical ROHF orbitals need no special treatment;
 * Jacobi updates with D_ia = f_ii − f_aa, D_ijab = f_ii + f_jj − f_aa − f_bb and DIIS on the
 * amplitude vector. Energy: E_corr = Σ f_ia t_ia + ¼ Σ ⟨ij||ab⟩ t_ijab + ½ Σ ⟨ij||ab⟩ t_ia t_jb.
 *
 * (T): on semicanonical orbitals (so the occupied and virtual Fock blocks are diagonal),
 *   D W_ijk^abc = P(i/jk) P(a/bc) [ Σ_e t_jk^ae ⟨ei||bc⟩ − Σ_m t_im^bc ⟨ma||jk⟩ ]
 *   D V_ijk^abc = P(i/jk) P(a/bc) [ t_i^a ⟨jk||bc⟩ + f_ia t_jk^bc ]
 *   E(T) = (1/36) Σ_ijkabc W D (W + V),   D = f_ii + f_jj + f_kk − f_aa − f_bb − f_cc,
 * with P(i/jk) f(ijk) = f(ijk) − f(jik) − f(kji). The f_ia term is the one Psi4 includes for
 * ROHF-CCSD(T) (it vanishes for canonical RHF or UHF orbitals). Only i < j < k is visited, each
 * with the dense v³ block over a, b, c (weight 1/6).
 */
import { InputError, defaultMemoryLimitBytes, requireMemoryBytes } from '../core/index.js';
import { Diis } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import { Contractor, gemm, zerosTensor } from './cc-tensor.js';
import type { CcsdOptions, CcsdResult } from './ccsd.js';
import { amplitudeDiagnostics, checkDivergence, jacobiStep, notConvergedError } from './cc-iteration.js';
import type { CcsdTResult } from './ccsd-t.js';
import { spinOrbitalMemoryBytes, spinOrbitalSystem, type SpinOrbitalSystem } from './so-integrals.js';
import { requireNonzeroDenominators, type ExcitationOrbitals } from './denominators.js';

/**
 * Spin-orbital CCSD on any Hamiltonian with nAlpha ≥ nBeta (the lowest nBeta orbitals doubly, the
 * next nAlpha − nBeta singly occupied). `frozenOrbitals` leaves the lowest orbitals of a Hamiltonian
 * that still holds its core uncorrelated. Amplitudes in the result are spin-orbital ones
 * (nOccupied = correlated occupied spin orbitals, α then β; see so-integrals.ts).
 * @throws InputError for impossible occupations, bad options, or when the amplitudes and integrals
 *   would need more than 80% of the machine's memory.
 * @throws ConvergenceError when the amplitudes diverge or do not converge in maxIterations.
 */
export function runSpinOrbitalCcsd(ham: MolecularHamiltonian, options: CcsdOptions = {}): CcsdResult {
  return solveSpinOrbitalCcsd(ham, options, false, 'CCSD').result;
}

/**
 * Spin-orbital CCSD(T): the orbitals are semicanonicalised first (α and β occupied–occupied and
 * virtual–virtual Fock blocks diagonalised separately, including the orbitals that `frozenOrbitals`
 * then freezes), as Psi4 does for ROHF-CCSD(T); then CCSD and the (T) of the file header.
 * @throws InputError / ConvergenceError as {@link runSpinOrbitalCcsd}.
 */
export function runSpinOrbitalCcsdT(ham: MolecularHamiltonian, options: CcsdOptions = {}): CcsdTResult {
  const { result, system } = solveSpinOrbitalCcsd(ham, options, true, 'CCSD(T)');
  const triples = spinOrbitalTriples(system, result.amplitudes.t1, result.amplitudes.t2);
  return {
    ...result,
    method: 'ccsd(t)',
    energyHartree: result.energyHartree + triples,
    correlationEnergyHartree: result.correlationEnergyHartree + triples,
    ccsdEnergyHartree: result.energyHartree,
    ccsdCorrelationEnergyHartree: result.correlationEnergyHartree,
    tripleCorrectionHartree: triples,
  };
}

function solveSpinOrbitalCcsd(
  ham: MolecularHamiltonian,
  options: CcsdOptions,
  semicanonical: boolean,
  method: string,
): { result: CcsdResult; system: SpinOrbitalSystem } {
  const maxIterations = options.maxIterations ?? 100;
  const energyTolerance = options.energyTolerance ?? 1e-10;
  const residualTolerance = options.residualTolerance ?? 1e-9;
  const useDiis = options.diis ?? true;
  const diisSubspace = options.diisSubspace ?? 8;
  const diisStart = options.diisStart ?? 2;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new InputError(`maxIterations must be a positive integer, got ${maxIterations}`);
  if (!Number.isInteger(diisSubspace) || diisSubspace < 2) throw new InputError(`diisSubspace must be an integer ≥ 2, got ${diisSubspace}`);
  const frozen = options.frozenOrbitals ?? 0;
  const bytes = spinOrbitalMemoryBytes(ham, Number.isInteger(frozen) ? frozen : 0);
  requireMemoryBytes(
    `spin-orbital ${method} on ${ham.nOrbitals} orbitals`,
    bytes,
    options.maxMemoryBytes ?? defaultMemoryLimitBytes(),
    'freeze the core or choose a smaller basis or active space',
  );
  const system = spinOrbitalSystem(ham, { frozen, semicanonical });
  const { o, v, foo, fov, fvv } = system;
  const [alpha, beta] = perSpinExcitations(system);
  for (const excitation of [[alpha], [beta], [alpha, alpha], [alpha, beta], [beta, beta]]) requireNonzeroDenominators(method, excitation);
  const { oooo, ooov, oovv, ovvo, ovvv, vvvv } = system.blocks;
  const cx = new Contractor();
  const nT1 = o * v;
  const nT2 = o * o * v * v;

  // Denominators from the diagonal Fock elements.
  const d1 = new Float64Array(nT1);
  const d2 = new Float64Array(nT2);
  for (let i = 0; i < o; i++) for (let a = 0; a < v; a++) d1[i * v + a] = foo.data[i * o + i] - fvv.data[a * v + a];
  for (let i = 0; i < o; i++)
    for (let j = 0; j < o; j++)
      for (let a = 0; a < v; a++)
        for (let b = 0; b < v; b++) d2[((i * o + j) * v + a) * v + b] = d1[i * v + a] + d1[j * v + b];

  // Amplitudes live in one vector (for DIIS): t1 then t2.
  const amplitudes = new Float64Array(nT1 + nT2);
  const updated = new Float64Array(nT1 + nT2);
  const change = new Float64Array(nT1 + nT2);
  const t1 = { data: amplitudes.subarray(0, nT1), dims: [o, v] };
  const t2 = { data: amplitudes.subarray(nT1), dims: [o, o, v, v] };
  const t1new = { data: updated.subarray(0, nT1), dims: [o, v] };
  const t2new = { data: updated.subarray(nT1), dims: [o, o, v, v] };
  // First-order guess: t1 = f_ia / D_ia, t2 = ⟨ij||ab⟩ / D_ijab.
  for (let x = 0; x < nT1; x++) t1.data[x] = fov.data[x] / d1[x];
  for (let x = 0; x < nT2; x++) t2.data[x] = oovv.data[x] / d2[x];
  const energyOf = (): number => {
    let e = 0;
    for (let x = 0; x < nT1; x++) e += fov.data[x] * t1.data[x];
    for (let i = 0; i < o; i++)
      for (let j = 0; j < o; j++)
        for (let a = 0; a < v; a++) {
          const tia = t1.data[i * v + a];
          const base = ((i * o + j) * v + a) * v;
          for (let b = 0; b < v; b++) e += oovv.data[base + b] * (0.25 * t2.data[base + b] + 0.5 * tia * t1.data[j * v + b]);
        }
    return e;
  };
  const mp2Energy = energyOf();

  const tau = zerosTensor(o, o, v, v);
  const tauTilde = zerosTensor(o, o, v, v);
  const ringT = zerosTensor(o, o, v, v);
  const Fae = zerosTensor(v, v);
  const Fmi = zerosTensor(o, o);
  const Fme = zerosTensor(o, v);
  const FaeT = zerosTensor(v, v);
  const FmiT = zerosTensor(o, o);
  const Wmnij = zerosTensor(o, o, o, o);
  const Xoooo = zerosTensor(o, o, o, o);
  const Wabef = zerosTensor(v, v, v, v);
  const Xvvvv = zerosTensor(v, v, v, v);
  const Wmbej = zerosTensor(o, v, v, o);
  const Qmbij = zerosTensor(o, v, o, o);
  const X = zerosTensor(o, o, v, v);
  const diis = useDiis ? new Diis(diisSubspace) : undefined;

  let energy = mp2Energy;
  let lastChange = Number.NaN;
  let residualNorm = Number.NaN;
  let firstResidual = Number.NaN;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    for (let i = 0; i < o; i++)
      for (let j = 0; j < o; j++)
        for (let a = 0; a < v; a++) {
          const tia = t1.data[i * v + a];
          const tja = t1.data[j * v + a];
          const base = ((i * o + j) * v + a) * v;
          for (let b = 0; b < v; b++) {
            const prod = tia * t1.data[j * v + b] - t1.data[i * v + b] * tja;
            const t = t2.data[base + b];
            tau.data[base + b] = t + prod;
            tauTilde.data[base + b] = t + 0.5 * prod;
            // ½ t_jnfb + t_jf t_nb, stored as ringT[j,n,f,b]
            ringT.data[base + b] = 0.5 * t + tia * t1.data[j * v + b];
          }
        }

    // One-particle intermediates; the diagonal Fock elements sit in the denominators.
    Fae.data.set(fvv.data);
    for (let a = 0; a < v; a++) Fae.data[a * v + a] = 0;
    cx.contract('me,ma->ae', -0.5, fov, t1, 1, Fae);
    cx.contract('mafe,mf->ae', 1, ovvv, t1, 1, Fae);
    cx.contract('mnaf,mnef->ae', -0.5, tauTilde, oovv, 1, Fae);
    Fmi.data.set(foo.data);
    for (let i = 0; i < o; i++) Fmi.data[i * o + i] = 0;
    cx.contract('me,ie->mi', 0.5, fov, t1, 1, Fmi);
    cx.contract('mnie,ne->mi', 1, ooov, t1, 1, Fmi);
    cx.contract('mnef,inef->mi', 0.5, oovv, tauTilde, 1, Fmi);
    Fme.data.set(fov.data);
    cx.contract('mnef,nf->me', 1, oovv, t1, 1, Fme);

    // Two-particle intermediates.
    Wmnij.data.set(oooo.data);
    cx.contract('mnie,je->mnij', 1, ooov, t1, 0, Xoooo);
    cx.transpose('mnij->mnij', 1, Xoooo, 1, Wmnij);
    cx.transpose('mnij->mnji', -1, Xoooo, 1, Wmnij);
    cx.contract('mnef,ijef->mnij', 0.25, oovv, tau, 1, Wmnij);
    Wabef.data.set(vvvv.data);
    // −P(ab) Σ_m t_mb ⟨am||ef⟩ with ⟨am||ef⟩ = −⟨ma||ef⟩
    cx.contract('maef,mb->abef', 1, ovvv, t1, 0, Xvvvv);
    cx.transpose('abef->abef', 1, Xvvvv, 1, Wabef);
    cx.transpose('abef->baef', -1, Xvvvv, 1, Wabef);
    cx.contract('mnab,mnef->abef', 0.25, tau, oovv, 1, Wabef);
    Wmbej.data.set(ovvo.data);
    cx.contract('mbef,jf->mbej', 1, ovvv, t1, 1, Wmbej);
    // −Σ_n t_nb ⟨mn||ej⟩ with ⟨mn||ej⟩ = −⟨mn||je⟩
    cx.contract('mnje,nb->mbej', 1, ooov, t1, 1, Wmbej);
    cx.contract('mnef,jnfb->mbej', -1, oovv, ringT, 1, Wmbej);

    // T1 right-hand side.
    t1new.data.set(fov.data);
    cx.contract('ie,ae->ia', 1, t1, Fae, 1, t1new);
    cx.contract('ma,mi->ia', -1, t1, Fmi, 1, t1new);
    cx.contract('imae,me->ia', 1, t2, Fme, 1, t1new);
    // −Σ_nf t_nf ⟨na||if⟩ with ⟨na||if⟩ = −⟨na||fi⟩
    cx.contract('nafi,nf->ia', 1, ovvo, t1, 1, t1new);
    cx.contract('imef,maef->ia', -0.5, t2, ovvv, 1, t1new);
    // −½ Σ t_mnae ⟨nm||ei⟩ with ⟨nm||ei⟩ = −⟨nm||ie⟩
    cx.contract('mnae,nmie->ia', 0.5, t2, ooov, 1, t1new);

    // T2 right-hand side.
    t2new.data.set(oovv.data);
    // P(ab) Σ_e t_ijae (F_be − ½ Σ_m t_mb F_me)
    FaeT.data.set(Fae.data);
    cx.contract('mb,me->be', -0.5, t1, Fme, 1, FaeT);
    cx.contract('ijae,be->ijab', 1, t2, FaeT, 0, X);
    cx.transpose('ijab->ijab', 1, X, 1, t2new);
    cx.transpose('ijab->ijba', -1, X, 1, t2new);
    // −P(ij) Σ_m t_imab (F_mj + ½ Σ_e t_je F_me)
    FmiT.data.set(Fmi.data);
    cx.contract('je,me->mj', 0.5, t1, Fme, 1, FmiT);
    cx.contract('imab,mj->ijab', 1, t2, FmiT, 0, X);
    cx.transpose('ijab->ijab', -1, X, 1, t2new);
    cx.transpose('ijab->jiab', 1, X, 1, t2new);
    cx.contract('mnab,mnij->ijab', 0.5, tau, Wmnij, 1, t2new);
    cx.contract('ijef,abef->ijab', 0.5, tau, Wabef, 1, t2new);
    // P(ij)P(ab) [Σ_me t_imae W_mbej − t_ie t_ma ⟨mb||ej⟩]
    cx.contract('imae,mbej->ijab', 1, t2, Wmbej, 0, X);
    cx.contract('mbej,ie->mbij', 1, ovvo, t1, 0, Qmbij);
    cx.contract('mbij,ma->ijab', -1, Qmbij, t1, 1, X);
    cx.transpose('ijab->ijab', 1, X, 1, t2new);
    cx.transpose('ijab->jiab', -1, X, 1, t2new);
    cx.transpose('ijab->ijba', -1, X, 1, t2new);
    cx.transpose('ijab->jiba', 1, X, 1, t2new);
    // P(ij) Σ_e t_ie ⟨ab||ej⟩ with ⟨ab||ej⟩ = −⟨je||ab⟩
    cx.contract('ie,jeab->ijab', -1, t1, ovvv, 0, X);
    cx.transpose('ijab->ijab', 1, X, 1, t2new);
    cx.transpose('ijab->jiab', -1, X, 1, t2new);
    // −P(ab) Σ_m t_ma ⟨mb||ij⟩ with ⟨mb||ij⟩ = ⟨ij||mb⟩
    cx.contract('ma,ijmb->ijab', 1, t1, ooov, 0, X);
    cx.transpose('ijab->ijab', -1, X, 1, t2new);
    cx.transpose('ijab->ijba', 1, X, 1, t2new);

    residualNorm = jacobiStep(amplitudes, updated, d1, d2, change, iteration >= diisStart ? diis : undefined);
    if (iteration === 1) firstResidual = residualNorm;
    const newEnergy = energyOf();
    lastChange = newEnergy - energy;
    energy = newEnergy;
    options.onIteration?.(iteration, energy, residualNorm);
    checkDivergence(method, iteration, residualNorm, firstResidual, energy, lastChange, system.referenceEnergyHartree);
    if (Math.abs(lastChange) < energyTolerance && residualNorm < residualTolerance) {
      const result: CcsdResult = {
        method: 'ccsd',
        energyHartree: system.referenceEnergyHartree + energy,
        correlationEnergyHartree: energy,
        referenceEnergyHartree: system.referenceEnergyHartree,
        mp2CorrelationEnergyHartree: mp2Energy,
        iterations: iteration,
        residualNorm,
        ...amplitudeDiagnostics(t1.data, t2.data, o, v),
        nFrozen: system.nFrozen,
        amplitudes: { nOccupied: o, nVirtual: v, t1: t1.data.slice(), t2: t2.data.slice() },
      };
      return { result, system };
    }
  }
  throw notConvergedError(method, maxIterations, lastChange, residualNorm, energyTolerance, residualTolerance, system.referenceEnergyHartree + energy);
}

/**
 * The (T) energy of the file header from converged spin-orbital amplitudes on semicanonical
 * orbitals. Per occupied triple i < j < k: X_pqr[a,bc] = Σ_e t_qr^ae ⟨ep||bc⟩ − Σ_m ⟨qr||ma⟩ t_pm^bc
 * for (p,q,r) = (i,j,k), (j,i,k), (k,j,i) (two GEMMs each), combined with signs +, −, −, then
 * antisymmetrised over a/bc.
 */
export function spinOrbitalTriples(system: SpinOrbitalSystem, t1: Float64Array, t2: Float64Array): number {
  const { o, v, foo, fov, fvv } = system;
  const { ooov, oovv, ovvv } = system.blocks;
  if (o < 3 || v < 3) return 0;
  const [alpha, beta] = perSpinExcitations(system);
  for (const excitation of [
    [alpha, alpha, alpha],
    [alpha, alpha, beta],
    [alpha, beta, beta],
    [beta, beta, beta],
  ]) {
    requireNonzeroDenominators('(T)', excitation);
  }
  const v2 = v * v;
  const v3 = v2 * v;
  const x = new Float64Array(v3);
  const y = new Float64Array(v3);
  const z = new Float64Array(v3);
  // ovvvNeg[p, e, b, c] = ⟨ep||bc⟩ = −⟨pe||bc⟩: negate once.
  const ovvvNeg = new Float64Array(ovvv.data.length);
  for (let q = 0; q < ovvvNeg.length; q++) ovvvNeg[q] = -ovvv.data[q];
  const fDiagOcc = new Float64Array(o);
  for (let i = 0; i < o; i++) fDiagOcc[i] = foo.data[i * o + i];
  const fDiagVir = new Float64Array(v);
  for (let a = 0; a < v; a++) fDiagVir[a] = fvv.data[a * v + a];

  /** y += sign·(connected), z += sign·(disconnected) for the occupied order (p; q r). */
  const addOrder = (p: number, q: number, r: number, sign: number): void => {
    // x[a, bc] = Σ_e t2[q,r,a,e] ⟨ep||bc⟩
    gemm(false, false, v, v2, v, 1, t2.subarray((q * o + r) * v2, (q * o + r + 1) * v2), ovvvNeg.subarray(p * v3, (p + 1) * v3), 0, x);
    // x[a, bc] −= Σ_m ⟨qr||ma⟩ t2[p,m,b,c]
    gemm(true, false, v, v2, o, -1, ooov.data.subarray((q * o + r) * o * v, (q * o + r + 1) * o * v), t2.subarray(p * o * v2, (p + 1) * o * v2), 1, x);
    for (let idx = 0; idx < v3; idx++) y[idx] += sign * x[idx];
    const qr = (q * o + r) * v2;
    for (let a = 0; a < v; a++) {
      const ta = sign * t1[p * v + a];
      const fa = sign * fov.data[p * v + a];
      if (ta === 0 && fa === 0) continue;
      const row = a * v2;
      for (let bc = 0; bc < v2; bc++) z[row + bc] += ta * oovv.data[qr + bc] + fa * t2[qr + bc];
    }
  };

  let total = 0;
  for (let i = 0; i < o; i++)
    for (let j = i + 1; j < o; j++)
      for (let k = j + 1; k < o; k++) {
        y.fill(0);
        z.fill(0);
        addOrder(i, j, k, 1);
        addOrder(j, i, k, -1);
        addOrder(k, j, i, -1);
        const dOcc = fDiagOcc[i] + fDiagOcc[j] + fDiagOcc[k];
        // W = P(a/bc) y, V = P(a/bc) z:  W_abc = y_abc − y_bac − y_cba.
        for (let a = 0; a < v; a++)
          for (let b = 0; b < v; b++) {
            const dab = dOcc - fDiagVir[a] - fDiagVir[b];
            for (let c = 0; c < v; c++) {
              const abc = (a * v + b) * v + c;
              const bac = (b * v + a) * v + c;
              const cba = (c * v + b) * v + a;
              const w = y[abc] - y[bac] - y[cba];
              if (w === 0) continue;
              const vv = z[abc] - z[bac] - z[cba];
              total += (w * (w + vv)) / (dab - fDiagVir[c]);
            }
          }
      }
  return total / 6;
}

/** Diagonal Fock elements of the α and β correlated spin orbitals, numbered as orbitals for messages. */
function perSpinExcitations(system: SpinOrbitalSystem): [ExcitationOrbitals, ExcitationOrbitals] {
  const { o, v, foo, fvv, nOccupiedAlpha: oA, nVirtualAlpha: vA, nFrozen } = system;
  const occ = new Float64Array(o);
  for (let i = 0; i < o; i++) occ[i] = foo.data[i * o + i];
  const vir = new Float64Array(v);
  for (let a = 0; a < v; a++) vir[a] = fvv.data[a * v + a];
  const oB = o - oA;
  return [
    { occupied: occ.subarray(0, oA), virtual: vir.subarray(0, vA), occupiedOffset: nFrozen, virtualOffset: nFrozen + oA, spin: 'α' },
    { occupied: occ.subarray(oA), virtual: vir.subarray(vA), occupiedOffset: nFrozen, virtualOffset: nFrozen + oB, spin: 'β' },
  ];
}
