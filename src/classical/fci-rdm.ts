/**
 * Spin-summed one- and two-particle reduced density matrices of a full-CI root, from its vector in
 * the [α-string × β-string] row-major layout (chemists' index order, n×n and n⁴ row-major).
 */
import { InputError } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';
import { buildStringSpace } from './fci-strings.js';
import { validateHamiltonian } from './fci-sigma.js';
import type { FciResult } from './fci.js';

/** Spin-summed reduced density matrices of one FCI root. */
export interface FciRdms {
  /** γ_pq = Σ_σ ⟨a†_pσ a_qσ⟩, n×n row-major. */
  oneRdm: Float64Array;
  /**
   * Γ_pqrs = Σ_στ ⟨a†_pσ a†_rτ a_sτ a_qσ⟩ in chemists' order, at ((p*n + q)*n + r)*n + s, so that
   * E = constant + Σ_pq h_pq γ_pq + ½ Σ_pqrs (pq|rs) Γ_pqrs.
   */
  twoRdm: Float64Array;
}

/**
 * Spin-summed 1- and 2-RDMs of root `root` of an FCI result of `ham`:
 *
 *   γ_pq = Σ_σ ⟨a†_pσ a_qσ⟩ = ⟨E_pq⟩,
 *   Γ_pqrs = Σ_στ ⟨a†_pσ a†_rτ a_sτ a_qσ⟩ = ⟨E_pq E_rs⟩ − δ_qr γ_ps   (chemists' order),
 *
 * so E = constant + Σ h_pq γ_pq + ½ Σ (pq|rs) Γ_pqrs, Tr γ = N and Σ_pr Γ_pprr = N(N − 1).
 * Built as ⟨E_pq E_rs⟩ = Σ_K (E_qp C)_K (E_rs C)_K over blocks of α strings.
 */
export function fciRdms(ham: MolecularHamiltonian, result: FciResult, root = 0): FciRdms {
  validateHamiltonian(ham);
  if (ham.nOrbitals !== result.nOrbitals || ham.nAlpha !== result.nAlpha || ham.nBeta !== result.nBeta) {
    throw new InputError('fciRdms: the Hamiltonian does not match the FCI result (orbitals or electron counts differ)');
  }
  if (!Number.isInteger(root) || root < 0 || root >= result.vectors.length) {
    throw new InputError(`fciRdms: root ${root} is not in 0..${result.vectors.length - 1}`);
  }
  const n = ham.nOrbitals;
  const n2 = n * n;
  const alpha = buildStringSpace(n, ham.nAlpha);
  const beta = ham.nBeta === ham.nAlpha ? alpha : buildStringSpace(n, ham.nBeta);
  const na = alpha.count;
  const nb = beta.count;
  const c = result.vectors[root];
  const oneRdm = new Float64Array(n2);
  const m = new Float64Array(n2 * n2);
  // Block of α rows so that the n² × (rows · nb) D array stays moderate.
  const rowsPerBlock = Math.max(1, Math.min(na, Math.floor(4_000_000 / Math.max(1, n2 * nb))));
  const width = rowsPerBlock * nb;
  const d = new Float64Array(n2 * width);
  const sA = alpha.singlesPerString;
  const sB = beta.singlesPerString;
  for (let a0 = 0; a0 < na; a0 += rowsPerBlock) {
    const a1 = Math.min(na, a0 + rowsPerBlock);
    const w = (a1 - a0) * nb;
    d.fill(0);
    for (let Ka = a0; Ka < a1; Ka++) {
      const local = (Ka - a0) * nb;
      // α part: entry (c, a, J, s) of Kα ⇒ ⟨Kα|E_ac|J⟩ = s ⇒ D[ac][Kα, :] += s C[J, :].
      for (let e = Ka * sA; e < (Ka + 1) * sA; e++) {
        const row = (alpha.singleAnnihilate[e] * n + alpha.singleCreate[e]) * width + local;
        const src = alpha.singleTarget[e] * nb;
        const s = alpha.singleSign[e];
        for (let x = 0; x < nb; x++) d[row + x] += s * c[src + x];
      }
      // β part: entry (c, a, J, s) of Kβ ⇒ D[ac][Kα, Kβ] += s C[Kα, J].
      for (let Kb = 0; Kb < nb; Kb++) {
        for (let e = Kb * sB; e < (Kb + 1) * sB; e++) {
          const row = (beta.singleAnnihilate[e] * n + beta.singleCreate[e]) * width + local + Kb;
          d[row] += beta.singleSign[e] * c[Ka * nb + beta.singleTarget[e]];
        }
      }
    }
    for (let pq = 0; pq < n2; pq++) {
      const rp = pq * width;
      let s = 0;
      for (let x = 0; x < w; x++) s += c[a0 * nb + x] * d[rp + x];
      oneRdm[pq] += s;
      for (let rs = pq; rs < n2; rs++) {
        const rr = rs * width;
        let t = 0;
        for (let x = 0; x < w; x++) t += d[rp + x] * d[rr + x];
        m[pq * n2 + rs] += t;
      }
    }
  }
  const twoRdm = new Float64Array(n2 * n2);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      const qp = q * n + p;
      for (let r = 0; r < n; r++) {
        for (let s = 0; s < n; s++) {
          const rs = r * n + s;
          let v = qp <= rs ? m[qp * n2 + rs] : m[rs * n2 + qp];
          if (q === r) v -= oneRdm[p * n + s];
          twoRdm[((p * n + q) * n + r) * n + s] = v;
        }
      }
    }
  }
  return { oneRdm, twoRdm };
}

/**
 * Spin-summed one-particle density matrix of root `root` alone (no 2-RDM):
 *
 *   γ_ca = Σ_σ ⟨Ψ| a†_cσ a_aσ |Ψ⟩ = Σ_{I, (c, a, J, s)} s (C_J · C_I),
 *
 * with (c, a, J, s) the single-replacement entries E_ca|I⟩ = s|J⟩ of the α strings (the dot product
 * over β strings) and of the β strings (over α strings). Cost O(determinants × singles per string),
 * so it stays cheap where the 2-RDM of {@link fciRdms} (n⁴ pair products) does not. n×n row-major,
 * symmetric for the real FCI vectors, Tr γ = N.
 */
export function fciOneRdm(ham: MolecularHamiltonian, result: FciResult, root = 0): Float64Array {
  if (ham.nOrbitals !== result.nOrbitals || ham.nAlpha !== result.nAlpha || ham.nBeta !== result.nBeta) {
    throw new InputError('fciOneRdm: the Hamiltonian does not match the FCI result (orbitals or electron counts differ)');
  }
  if (!Number.isInteger(root) || root < 0 || root >= result.vectors.length) {
    throw new InputError(`fciOneRdm: root ${root} is not in 0..${result.vectors.length - 1}`);
  }
  const n = ham.nOrbitals;
  const alpha = buildStringSpace(n, ham.nAlpha);
  const beta = ham.nBeta === ham.nAlpha ? alpha : buildStringSpace(n, ham.nBeta);
  const na = alpha.count;
  const nb = beta.count;
  const c = result.vectors[root];
  if (c.length !== na * nb) throw new InputError(`fciOneRdm: root ${root} has ${c.length} coefficients, expected ${na}×${nb}`);
  const gamma = new Float64Array(n * n);
  const sA = alpha.singlesPerString;
  for (let I = 0; I < na; I++) {
    const src = I * nb;
    for (let e = I * sA; e < (I + 1) * sA; e++) {
      const dst = alpha.singleTarget[e] * nb;
      let t = 0;
      for (let x = 0; x < nb; x++) t += c[dst + x] * c[src + x];
      gamma[alpha.singleCreate[e] * n + alpha.singleAnnihilate[e]] += alpha.singleSign[e] * t;
    }
  }
  const sB = beta.singlesPerString;
  for (let I = 0; I < nb; I++) {
    for (let e = I * sB; e < (I + 1) * sB; e++) {
      const J = beta.singleTarget[e];
      let t = 0;
      for (let a = 0; a < na; a++) t += c[a * nb + J] * c[a * nb + I];
      gamma[beta.singleCreate[e] * n + beta.singleAnnihilate[e]] += beta.singleSign[e] * t;
    }
  }
  return gamma;
}
