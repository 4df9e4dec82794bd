/**
 * Symmetry-adapted degenerate orbital pairs for full CI.
 *
 * Why: an eigensolver returns a degenerate pair of orbitals (the πx/πy of a linear molecule, a δ
 * pair) as an arbitrary orthonormal mixture. The mixture breaks the abelian symmetry that tells the
 * two apart (for N₂ in D2h the reflections separating B2u from B3u), so detecting the orbital
 * grading from the integrals' zero pattern (fci-symmetry.ts) finds only 4 of D2h's 8 irreps and the
 * CI sectors are twice as large as they need to be. Rotating each pair within itself to the
 * symmetry-adapted combination restores the zeros; any rotation within a degenerate pair leaves the
 * FCI energies unchanged, and the CI vectors are rotated back to the Hamiltonian's orbitals.
 *
 * Pairs: orbitals whose diagonal Fock elements F_pp = h_pp + Σ_i n_i ((pp|ii) − ½ (pi|ip)) (Aufbau
 * occupations n_i of the Hamiltonian's own orbital order) agree within 1e-6 Hartree, in groups of
 * exactly two (larger degenerate groups are left alone).
 *
 * Angle: in the adapted basis the two orbitals a, b of a pair carry different labels, so for orbitals
 * s, r, t already settled (non-degenerate or aligned before) every "vector" v = (h_as, h_bs) or
 * ((as|rt), (bs|rt)) has at most one nonzero component, and every totally symmetric 2 × 2 block
 * (ab|rr) and (ar|rb) is diagonal. A rotation by θ turns the vector angle α into α − θ and the block
 * eigenvector angle likewise, so all of them agree on θ modulo π/2: θ = ¼ arg z with
 * z = Σ (v_a + i v_b)⁴ / |v|² + Σ (B_aa − B_bb + 2i B_ab)², a weighted circular mean. Pairs are taken
 * greedily, the one with the largest |z| first (a δ pair is oriented only by integrals with π
 * orbitals, so the π pairs go first); a pair with no information (the first π pair of a linear
 * molecule: any orientation of the axes perpendicular to the molecule is as good) keeps θ = 0.
 * The caller checks with the grading detection that the rotation really gained symmetry.
 *
 * CI vectors: with new orbitals p' = c p + s q, q' = −s p + c q, a string holding p' but not q' is
 * c |…p…⟩ + s σ |…q…⟩, one holding q' but not p' is −s σ |…p…⟩ + c |…q…⟩ (σ = (−1)^(occupied orbitals
 * strictly between p and q)), and one holding both is unchanged (c² + s² = 1): applied to the rows
 * (α strings) and columns (β strings) of the [α × β] CI matrix.
 */
import { stringAddress, type StringSpace } from './fci-strings.js';

/** Rotation of one degenerate pair: p' = cos·p + sin·q, q' = −sin·p + cos·q. */
export interface PairRotation {
  p: number;
  q: number;
  cos: number;
  sin: number;
}

/** Integrals over the rotated orbitals and the rotations applied. */
export interface AlignedIntegrals {
  h: Float64Array;
  g: Float64Array;
  rotations: PairRotation[];
}

/** Tolerance on equal diagonal Fock elements for a degenerate pair (Hartree). */
const DEGENERACY_TOLERANCE = 1e-6;
/** Below this |z| (Hartree²) a pair's orientation is undetermined and it keeps θ = 0. */
const NO_INFORMATION = 1e-16;

/** Degenerate orbital pairs (p < q) from the diagonal Fock elements of the Aufbau occupation. */
export function degeneratePairs(h: Float64Array, g: Float64Array, n: number, nAlpha: number, nBeta: number): [number, number][] {
  const n2 = n * n;
  const n3 = n2 * n;
  const eps = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    let f = h[p * n + p];
    for (let i = 0; i < n; i++) {
      const occ = (i < nAlpha ? 1 : 0) + (i < nBeta ? 1 : 0);
      if (occ === 0) continue;
      f += occ * (g[p * n3 + p * n2 + i * n + i] - 0.5 * g[p * n3 + i * n2 + i * n + p]);
    }
    eps[p] = f;
  }
  const order = Array.from({ length: n }, (_, p) => p).sort((a, b) => eps[a] - eps[b]);
  const pairs: [number, number][] = [];
  let start = 0;
  for (let k = 1; k <= n; k++) {
    if (k < n && eps[order[k]] - eps[order[k - 1]] <= DEGENERACY_TOLERANCE) continue;
    if (k - start === 2) {
      const a = order[start];
      const b = order[start + 1];
      pairs.push(a < b ? [a, b] : [b, a]);
    }
    start = k;
  }
  return pairs;
}

/** Rotate index pair (p, q) of h (both indices) in place. */
function rotateOneBody(h: Float64Array, n: number, p: number, q: number, c: number, s: number): void {
  for (let r = 0; r < n; r++) {
    const a = h[r * n + p];
    const b = h[r * n + q];
    h[r * n + p] = c * a + s * b;
    h[r * n + q] = -s * a + c * b;
  }
  for (let r = 0; r < n; r++) {
    const a = h[p * n + r];
    const b = h[q * n + r];
    h[p * n + r] = c * a + s * b;
    h[q * n + r] = -s * a + c * b;
  }
}

/** Rotate index pair (p, q) in all four indices of (pq|rs) in place (4 n³ plane rotations). */
function rotateTwoBody(g: Float64Array, n: number, p: number, q: number, c: number, s: number): void {
  const strides = [n * n * n, n * n, n, 1];
  for (let slot = 0; slot < 4; slot++) {
    const stride = strides[slot];
    const [s0, s1, s2] = strides.filter((_, k) => k !== slot);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const base = i * s0 + j * s1;
        for (let k = 0; k < n; k++) {
          const ia = base + k * s2 + p * stride;
          const ib = base + k * s2 + q * stride;
          const a = g[ia];
          const b = g[ib];
          g[ia] = c * a + s * b;
          g[ib] = -s * a + c * b;
        }
      }
    }
  }
}

/**
 * Rotate each degenerate pair to its symmetry-adapted combination (see the header); returns copies
 * of the integrals over the new orbitals, or undefined when there is no degenerate pair.
 */
export function alignDegeneratePairs(
  hIn: Float64Array,
  gIn: Float64Array,
  n: number,
  nAlpha: number,
  nBeta: number,
): AlignedIntegrals | undefined {
  const pairs = degeneratePairs(hIn, gIn, n, nAlpha, nBeta);
  if (pairs.length === 0) return undefined;
  const h = Float64Array.from(hIn);
  const g = Float64Array.from(gIn);
  const n2 = n * n;
  const n3 = n2 * n;
  const settled = new Uint8Array(n).fill(1);
  for (const [p, q] of pairs) settled[p] = settled[q] = 0;
  const rotations: PairRotation[] = [];
  const pending = pairs.slice();
  const zOf = (p: number, q: number): [number, number] => {
    const S: number[] = [];
    for (let r = 0; r < n; r++) if (settled[r]) S.push(r);
    let zr = 0;
    let zi = 0;
    const addVector = (x: number, y: number): void => {
      const m2 = x * x + y * y;
      if (m2 === 0) return;
      // (x + iy)⁴ / |v|²
      const re2 = x * x - y * y;
      const im2 = 2 * x * y;
      zr += (re2 * re2 - im2 * im2) / m2;
      zi += (2 * re2 * im2) / m2;
    };
    const addBlock = (aa: number, bb: number, ab: number): void => {
      const x = aa - bb;
      const y = 2 * ab;
      zr += x * x - y * y;
      zi += 2 * x * y;
    };
    for (const s of S) addVector(h[p * n + s], h[q * n + s]);
    for (const s of S) {
      for (const r of S) {
        for (const t of S) {
          if (t < r) continue;
          addVector(g[p * n3 + s * n2 + r * n + t], g[q * n3 + s * n2 + r * n + t]);
        }
      }
    }
    for (const r of S) {
      addBlock(g[p * n3 + p * n2 + r * n + r], g[q * n3 + q * n2 + r * n + r], g[p * n3 + q * n2 + r * n + r]);
      addBlock(g[p * n3 + r * n2 + r * n + p], g[q * n3 + r * n2 + r * n + q], g[p * n3 + r * n2 + r * n + q]);
    }
    return [zr, zi];
  };
  while (pending.length > 0) {
    let best = 0;
    let bestZ: [number, number] = [0, 0];
    let bestMag = -1;
    for (let k = 0; k < pending.length; k++) {
      const z = zOf(pending[k][0], pending[k][1]);
      const mag = Math.hypot(z[0], z[1]);
      if (mag > bestMag) {
        bestMag = mag;
        best = k;
        bestZ = z;
      }
    }
    const [p, q] = pending.splice(best, 1)[0];
    const theta = bestMag > NO_INFORMATION ? Math.atan2(bestZ[1], bestZ[0]) / 4 : 0;
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    if (theta !== 0) {
      rotateOneBody(h, n, p, q, c, s);
      rotateTwoBody(g, n, p, q, c, s);
    }
    rotations.push({ p, q, cos: c, sin: s });
    settled[p] = settled[q] = 1;
  }
  return { h, g, rotations };
}

/**
 * Express CI vectors given over the rotated orbitals in the original ones, in place: c is the
 * row-major [α string × β string] matrix of `alpha` and `beta`.
 */
export function rotateCiVectorBack(c: Float64Array, alpha: StringSpace, beta: StringSpace, rotations: readonly PairRotation[]): void {
  const nb = beta.count;
  for (const rot of rotations) {
    if (rot.sin === 0 && rot.cos === 1) continue;
    const rowPairs = stringPairs(alpha, rot.p, rot.q);
    const colPairs = beta === alpha ? rowPairs : stringPairs(beta, rot.p, rot.q);
    const { cos: co, sin: si } = rot;
    // Rows: new[Ip] = c old[Ip] − s σ old[Iq]; new[Iq] = s σ old[Ip] + c old[Iq].
    for (let k = 0; k < rowPairs.withP.length; k++) {
      const ip = rowPairs.withP[k] * nb;
      const iq = rowPairs.withQ[k] * nb;
      const sg = rowPairs.sign[k] * si;
      for (let j = 0; j < nb; j++) {
        const a = c[ip + j];
        const b = c[iq + j];
        c[ip + j] = co * a - sg * b;
        c[iq + j] = sg * a + co * b;
      }
    }
    // Columns, likewise.
    const m = colPairs.withP.length;
    for (let I = 0; I < alpha.count; I++) {
      const row = I * nb;
      for (let k = 0; k < m; k++) {
        const jp = row + colPairs.withP[k];
        const jq = row + colPairs.withQ[k];
        const sg = colPairs.sign[k] * si;
        const a = c[jp];
        const b = c[jq];
        c[jp] = co * a - sg * b;
        c[jq] = sg * a + co * b;
      }
    }
  }
}

/** Strings holding p but not q, their partners with p replaced by q, and the sign σ of the move. */
function stringPairs(space: StringSpace, p: number, q: number): { withP: Int32Array; withQ: Int32Array; sign: Float64Array } {
  const n = space.nOrbitals;
  const k = space.nElectrons;
  const withP: number[] = [];
  const withQ: number[] = [];
  const sign: number[] = [];
  const occ = new Int32Array(k);
  for (let I = 0; I < space.count; I++) {
    const o = space.occupation;
    if (!(o[I * n + p] === 1 && o[I * n + q] === 0)) continue;
    let between = 0;
    for (let r = p + 1; r < q; r++) between += o[I * n + r];
    let t = 0;
    for (let r = 0; r < n; r++) if (r === q || (r !== p && o[I * n + r] === 1)) occ[t++] = r;
    withP.push(I);
    withQ.push(stringAddress(occ, k));
    sign.push(between % 2 === 0 ? 1 : -1);
  }
  return { withP: Int32Array.from(withP), withQ: Int32Array.from(withQ), sign: Float64Array.from(sign) };
}
