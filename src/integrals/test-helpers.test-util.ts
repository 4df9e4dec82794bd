/** Shared helpers for the integral tests (not part of the public API). */
import type { Molecule } from '../chem/molecule.js';

/** An unsymmetric water molecule (Bohr), the same as in test/fixtures/integrals. */
export function water(): Molecule {
  return {
    atomicNumbers: Int32Array.from([8, 1, 1]),
    positionsBohr: Float64Array.from([0.0, 0.1, -0.05, 1.43, 1.0, 0.1, -1.5, 1.2, -0.2]),
    charge: 0,
    multiplicity: 1,
  };
}

/** The molecule shifted by d (Bohr). */
export function translate(m: Molecule, d: readonly number[]): Molecule {
  const p = Float64Array.from(m.positionsBohr);
  for (let i = 0; i < p.length; i++) p[i] += d[i % 3];
  return { ...m, positionsBohr: p };
}

/** Rotate about a unit axis (normalised here) by angle (radians), Rodrigues' formula. */
export function rotate(m: Molecule, axis: readonly number[], angle: number): Molecule {
  const len = Math.hypot(axis[0], axis[1], axis[2]);
  const [kx, ky, kz] = axis.map((v) => v / len);
  const c = Math.cos(angle), s = Math.sin(angle), t = 1 - c;
  const r = [
    c + kx * kx * t, kx * ky * t - kz * s, kx * kz * t + ky * s,
    ky * kx * t + kz * s, c + ky * ky * t, ky * kz * t - kx * s,
    kz * kx * t - ky * s, kz * ky * t + kx * s, c + kz * kz * t,
  ];
  const p = new Float64Array(m.positionsBohr.length);
  for (let a = 0; a < p.length / 3; a++) {
    for (let i = 0; i < 3; i++) {
      p[3 * a + i] = r[3 * i] * m.positionsBohr[3 * a] + r[3 * i + 1] * m.positionsBohr[3 * a + 1] + r[3 * i + 2] * m.positionsBohr[3 * a + 2];
    }
  }
  return { ...m, positionsBohr: p };
}

/** Eigenvalues (ascending) of a symmetric n×n matrix by cyclic Jacobi (small n, tests only). */
export function symmetricEigenvalues(m: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(m);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) off += a[i * n + j] ** 2;
    if (off < 1e-26) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) e[i] = a[i * n + i];
  return e.sort();
}
