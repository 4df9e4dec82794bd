/**
 * The second-quantised Hamiltonian in the molecular-orbital basis of an SCF solution, with an
 * optional frozen core or active space.
 *
 * Orbitals: the α MOs of the SCF result (for RHF the canonical RHF orbitals), ascending orbital
 * energy. The first `nInactive` MOs are doubly occupied and frozen; the next `nActive` form the
 * Hamiltonian's orbitals p, q, r, s; the rest are discarded.
 *
 *   h_pq     = Σ_μν C_μp C_νq F^core_μν,    F^core = H + 2J[D^core] − K[D^core]
 *   (pq|rs)  = Σ_μνλσ C_μp C_νq C_λr C_σs (μν|λσ)
 *   constant = E_nuc + Σ_μν D^core_μν (H_μν + F^core_μν),   D^core = Σ_{i<nInactive} C_i C_iᵀ
 *
 * The AO→MO transform runs in two half transforms over the 8-fold packed AO integrals:
 * (μν|λσ) → (μν|rs) for every AO pair μ ≥ ν (ket, as Cᵀ M C of the unpacked n×n matrix M), then
 * (μν|rs) → (pq|rs) for every active pair r ≥ s (bra). Cost ≈ n⁴a/2 + n²a³/2 multiply–adds for n
 * basis functions and a active orbitals.
 */
import { InputError } from '../core/index.js';
import { electronCount, type Molecule } from '../chem/index.js';
import type { ScfResult } from '../scf/index.js';
import { buildCoulombExchange } from '../scf/index.js';
import { setTwoBodySymmetric, type MolecularHamiltonian } from './molecular-hamiltonian.js';

/** Options of {@link molecularHamiltonianFromScf}. */
export interface MoHamiltonianOptions {
  /**
   * Freeze doubly occupied core orbitals: `true` freezes the chemical core
   * ({@link frozenCoreOrbitalCount}), a number freezes that many of the lowest orbitals;
   * `false` / absent freezes none. Ignored when `active` is given.
   */
  frozenCore?: boolean | number;
  /**
   * Active space: `nElectrons` active electrons in `nOrbitals` orbitals. The
   * (N − nElectrons)/2 lowest orbitals are frozen (doubly occupied); the active orbitals are the
   * next `nOrbitals` (occupied ones just below the Fermi level, then virtuals).
   */
  active?: { nElectrons: number; nOrbitals: number };
}

/**
 * Number of core orbitals frozen by default: 1 per atom Li–Ne, 5 per atom Na–Ar, 9 per atom K–Kr.
 */
export function frozenCoreOrbitalCount(molecule: Molecule): number {
  let count = 0;
  for (const z of molecule.atomicNumbers) {
    if (z > 18) count += 9;
    else if (z > 10) count += 5;
    else if (z > 2) count += 1;
  }
  return count;
}

/**
 * The MolecularHamiltonian in the MO basis of an SCF result (see the file header). For a UHF
 * result the α orbitals serve as the spatial orbitals (full-space FCI is invariant to this choice;
 * methods that assume canonical RHF orbitals need an RHF result).
 * @throws InputError for an impossible frozen core or active space.
 */
export function molecularHamiltonianFromScf(scf: ScfResult, options: MoHamiltonianOptions = {}): MolecularHamiltonian {
  const n = scf.nBasis;
  const nMo = scf.nOrbitals;
  const nElectrons = scf.nAlpha + scf.nBeta;
  if (nElectrons !== electronCount(scf.molecule)) {
    throw new InputError('SCF result is inconsistent with its molecule');
  }
  let nInactive: number;
  let nActive: number;
  if (options.active) {
    const { nElectrons: nActiveElectrons, nOrbitals } = options.active;
    if (!Number.isInteger(nActiveElectrons) || nActiveElectrons < 0 || nActiveElectrons > nElectrons) {
      throw new InputError(`active space: ${nActiveElectrons} electrons is impossible for a molecule with ${nElectrons}`);
    }
    if ((nElectrons - nActiveElectrons) % 2 !== 0) {
      throw new InputError(
        `active space: the ${nElectrons - nActiveElectrons} inactive electrons must fill whole orbitals (use an active electron count of parity ${nElectrons % 2})`,
      );
    }
    nInactive = (nElectrons - nActiveElectrons) / 2;
    nActive = nOrbitals;
    if (!Number.isInteger(nOrbitals) || nOrbitals < 1) throw new InputError(`active space: ${nOrbitals} orbitals is impossible`);
    if (nInactive > scf.nBeta) {
      throw new InputError(`active space: ${nActiveElectrons} active electrons leave singly occupied orbitals inactive`);
    }
    if (nInactive + nOrbitals > nMo) {
      throw new InputError(`active space: ${nInactive} inactive + ${nOrbitals} active orbitals exceed the ${nMo} molecular orbitals`);
    }
    if (scf.nAlpha - nInactive > nOrbitals) {
      throw new InputError(`active space: ${nActiveElectrons} electrons (${scf.nAlpha - nInactive} of spin α) do not fit into ${nOrbitals} orbitals`);
    }
  } else {
    const frozen = options.frozenCore;
    nInactive = frozen === true ? frozenCoreOrbitalCount(scf.molecule) : typeof frozen === 'number' ? frozen : 0;
    if (!Number.isInteger(nInactive) || nInactive < 0 || nInactive > scf.nBeta) {
      throw new InputError(`cannot freeze ${nInactive} core orbitals: only ${scf.nBeta} are doubly occupied`);
    }
    nActive = nMo - nInactive;
  }

  const C = scf.coefficientsAlpha;
  // Core density and Fock matrix.
  const nn = n * n;
  const dCore = new Float64Array(nn);
  for (let mu = 0; mu < n; mu++) {
    for (let nu = 0; nu < n; nu++) {
      let s = 0;
      for (let i = 0; i < nInactive; i++) s += C[mu * nMo + i] * C[nu * nMo + i];
      dCore[mu * n + nu] = s;
    }
  }
  const fCore = scf.coreHamiltonian.slice();
  let coreEnergy = 0;
  if (nInactive > 0) {
    const j = new Float64Array(nn);
    const k = new Float64Array(nn);
    const dTotal = dCore.map((v) => 2 * v);
    buildCoulombExchange(scf.eri, dTotal, dCore, j, k);
    for (let i = 0; i < nn; i++) {
      fCore[i] += j[i] - k[i];
      coreEnergy += dCore[i] * (scf.coreHamiltonian[i] + fCore[i]);
    }
  }

  // Active coefficients, n×a.
  const a = nActive;
  const cAct = new Float64Array(n * a);
  for (let mu = 0; mu < n; mu++) for (let p = 0; p < a; p++) cAct[mu * a + p] = C[mu * nMo + nInactive + p];

  const oneBody = transformOneBody(fCore, cAct, n, a);
  const twoBody = transformTwoBody(scf.eri.values, cAct, n, a);
  const nAlpha = scf.nAlpha - nInactive;
  const nBeta = scf.nBeta - nInactive;
  return {
    nOrbitals: a,
    nAlpha,
    nBeta,
    constantHartree: scf.nuclearRepulsionHartree + coreEnergy,
    oneBody,
    twoBody,
  };
}

/** Cᵀ M C for symmetric M (n×n) and C (n×a). */
function transformOneBody(m: Float64Array, c: Float64Array, n: number, a: number): Float64Array {
  const mc = new Float64Array(n * a);
  for (let mu = 0; mu < n; mu++) {
    for (let nu = 0; nu < n; nu++) {
      const v = m[mu * n + nu];
      if (v === 0) continue;
      for (let p = 0; p < a; p++) mc[mu * a + p] += v * c[nu * a + p];
    }
  }
  const out = new Float64Array(a * a);
  for (let mu = 0; mu < n; mu++) {
    for (let p = 0; p < a; p++) {
      const cp = c[mu * a + p];
      if (cp === 0) continue;
      for (let q = 0; q < a; q++) out[p * a + q] += cp * mc[mu * a + q];
    }
  }
  // Exact symmetry (the two triangles differ only by rounding).
  for (let p = 0; p < a; p++) {
    for (let q = 0; q < p; q++) {
      const v = 0.5 * (out[p * a + q] + out[q * a + p]);
      out[p * a + q] = v;
      out[q * a + p] = v;
    }
  }
  return out;
}

/**
 * (pq|rs) over active orbitals, all a⁴ elements with 8-fold symmetry filled in, from the packed AO
 * integrals. Intermediate: half[rs][μν] = (μν|rs) for r ≥ s and μ ≥ ν.
 */
function transformTwoBody(values: Float64Array, c: Float64Array, n: number, a: number): Float64Array {
  const nPairAo = (n * (n + 1)) / 2;
  const nPairMo = (a * (a + 1)) / 2;
  const half = new Float64Array(nPairMo * nPairAo);
  const square = new Float64Array(n * n);
  const mc = new Float64Array(n * a);
  const t = new Float64Array(a * a);

  /** t = Cᵀ · square · C (square symmetric n×n). */
  const sandwich = (): void => {
    mc.fill(0);
    for (let lam = 0; lam < n; lam++) {
      const rowL = lam * n;
      const rowMc = lam * a;
      for (let sig = 0; sig < n; sig++) {
        const v = square[rowL + sig];
        if (v === 0) continue;
        const rowC = sig * a;
        for (let s = 0; s < a; s++) mc[rowMc + s] += v * c[rowC + s];
      }
    }
    t.fill(0);
    for (let lam = 0; lam < n; lam++) {
      const rowC = lam * a;
      const rowMc = lam * a;
      for (let r = 0; r < a; r++) {
        const cr = c[rowC + r];
        if (cr === 0) continue;
        const rowT = r * a;
        for (let s = 0; s <= r; s++) t[rowT + s] += cr * mc[rowMc + s];
      }
    }
  };

  // Ket half transform: for each AO pair μν, unpack (μν|λσ) into square[λ][σ].
  let munu = 0;
  for (let mu = 0; mu < n; mu++) {
    for (let nu = 0; nu <= mu; nu++, munu++) {
      const base = (munu * (munu + 1)) / 2;
      let ls = 0;
      for (let lam = 0; lam < n; lam++) {
        for (let sig = 0; sig <= lam; sig++, ls++) {
          const v = ls <= munu ? values[base + ls] : values[(ls * (ls + 1)) / 2 + munu];
          square[lam * n + sig] = v;
          square[sig * n + lam] = v;
        }
      }
      sandwich();
      let rs = 0;
      for (let r = 0; r < a; r++) for (let s = 0; s <= r; s++, rs++) half[rs * nPairAo + munu] = t[r * a + s];
    }
  }

  // Bra half transform: for each active pair rs, unpack (μν|rs) into square[μ][ν].
  const a2 = a * a;
  const out = new Float64Array(a2 * a2);
  let rs = 0;
  for (let r = 0; r < a; r++) {
    for (let s = 0; s <= r; s++, rs++) {
      const row = rs * nPairAo;
      let k = 0;
      for (let mu = 0; mu < n; mu++) {
        for (let nu = 0; nu <= mu; nu++, k++) {
          const v = half[row + k];
          square[mu * n + nu] = v;
          square[nu * n + mu] = v;
        }
      }
      sandwich();
      // t[p][q] = (pq|rs) for p ≥ q; write the unique quartets with pq ≥ rs and all partners.
      for (let p = 0; p < a; p++) {
        for (let q = 0; q <= p; q++) {
          const pq = (p * (p + 1)) / 2 + q;
          if (pq < rs) continue;
          setTwoBodySymmetric(out, a, p, q, r, s, t[p * a + q]);
        }
      }
    }
  }
  return out;
}
