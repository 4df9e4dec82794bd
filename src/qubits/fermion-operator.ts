/**
 * FermionOperator: a sum of products of fermionic ladder operators with complex coefficients,
 *   O = Σ_t c_t · op_{t,1} op_{t,2} … op_{t,k},   op = a†_j (creation) or a_j (annihilation),
 * read left to right as operator products (the rightmost acts first). Modes are spin orbitals,
 * interleaved: mode 2p is α of spatial orbital p, 2p+1 is β. An empty product is the identity.
 *
 * Internally a ladder operator is the integer 2·mode + (creation ? 1 : 0). The text form follows
 * OpenFermion: '3^ 1' = a†_3 a_1.
 *
 * Normal order: all creation operators left of all annihilation operators, each group sorted by
 * descending mode; reordering uses {a_p, a†_q} = δ_pq and {a_p, a_q} = {a†_p, a†_q} = 0.
 */
import { InputError } from '../core/index.js';
import type { MolecularHamiltonian } from '../hamiltonian/index.js';

/** A ladder operator: [mode, 1] = a†_mode, [mode, 0] = a_mode. */
export type LadderOperator = readonly [mode: number, creation: 0 | 1];

/** One term: coefficient times a product of ladder operators (left to right). */
export interface FermionTerm {
  readonly operators: readonly LadderOperator[];
  readonly re: number;
  readonly im: number;
}

interface StoredTerm {
  ops: number[];
  re: number;
  im: number;
}

function keyOf(ops: readonly number[]): string {
  return ops.join(',');
}

function parseFermionLabel(label: string): number[] {
  const text = label.trim();
  if (text === '') return [];
  const ops: number[] = [];
  for (const token of text.split(/\s+/)) {
    const m = /^(\d+)(\^?)$/.exec(token);
    if (!m) throw new InputError(`fermion operator '${label}': cannot read '${token}' (expected e.g. '3^' or '1')`);
    ops.push(2 * Number(m[1]) + (m[2] === '^' ? 1 : 0));
  }
  return ops;
}

/** A sum of products of fermionic ladder operators (immutable; operations return new operators). */
export class FermionOperator {
  private readonly map: Map<string, StoredTerm>;

  private constructor(map: Map<string, StoredTerm>) {
    this.map = map;
  }

  private static create(map: Map<string, StoredTerm>): FermionOperator {
    return new FermionOperator(map);
  }

  /** The zero operator. */
  static zero(): FermionOperator {
    return new FermionOperator(new Map());
  }

  /** c·1 (the identity times a coefficient). */
  static identity(re = 1, im = 0): FermionOperator {
    return FermionOperator.term([], re, im);
  }

  /**
   * One product c·op_1 … op_k, from ladder operators [[mode, 1|0], …] or a label such as '3^ 1'.
   * @throws InputError for negative or non-integer modes.
   */
  static term(operators: readonly LadderOperator[] | string, re = 1, im = 0): FermionOperator {
    const ops =
      typeof operators === 'string' ? parseFermionLabel(operators) : operators.map(([m, c]) => 2 * m + (c ? 1 : 0));
    for (const o of ops) {
      if (!Number.isInteger(o) || o < 0) throw new InputError(`fermion operator: invalid mode in ${JSON.stringify(operators)}`);
    }
    const map = new Map<string, StoredTerm>();
    map.set(keyOf(ops), { ops, re, im });
    return new FermionOperator(map);
  }

  /** c·a†_p a_q. */
  static oneBody(p: number, q: number, re = 1, im = 0): FermionOperator {
    return FermionOperator.term(
      [
        [p, 1],
        [q, 0],
      ],
      re,
      im,
    );
  }

  /** c·a†_p a†_q a_r a_s. */
  static twoBody(p: number, q: number, r: number, s: number, re = 1, im = 0): FermionOperator {
    return FermionOperator.term(
      [
        [p, 1],
        [q, 1],
        [r, 0],
        [s, 0],
      ],
      re,
      im,
    );
  }

  /** Number operator Σ_j a†_j a_j over the given modes. */
  static numberOperator(nModes: number): FermionOperator {
    const b = new FermionOperatorBuilder();
    for (let j = 0; j < nModes; j++) b.add([2 * j + 1, 2 * j], 1, 0);
    return b.build();
  }

  /** Number of stored terms (products). */
  get nTerms(): number {
    return this.map.size;
  }

  /** The terms as ladder-operator lists with coefficients. */
  terms(): FermionTerm[] {
    const out: FermionTerm[] = [];
    for (const t of this.map.values()) {
      out.push({ operators: t.ops.map((o) => [o >> 1, (o & 1) as 0 | 1] as const), re: t.re, im: t.im });
    }
    return out;
  }

  /** Raw encoded terms (2·mode + creation) for the mapping kernels. */
  encodedTerms(): readonly { readonly ops: readonly number[]; readonly re: number; readonly im: number }[] {
    return [...this.map.values()];
  }

  /** Highest mode index + 1 used by any term (0 for a constant). */
  modeCount(): number {
    let m = 0;
    for (const t of this.map.values()) for (const o of t.ops) m = Math.max(m, (o >> 1) + 1);
    return m;
  }

  /** this + other. */
  add(other: FermionOperator): FermionOperator {
    const b = new FermionOperatorBuilder();
    for (const t of this.map.values()) b.add(t.ops, t.re, t.im);
    for (const t of other.map.values()) b.add(t.ops, t.re, t.im);
    return b.build();
  }

  /** this − other. */
  subtract(other: FermionOperator): FermionOperator {
    return this.add(other.scale(-1));
  }

  /** (re + i·im)·this. */
  scale(re: number, im = 0): FermionOperator {
    const b = new FermionOperatorBuilder();
    for (const t of this.map.values()) b.add(t.ops, t.re * re - t.im * im, t.re * im + t.im * re);
    return b.build();
  }

  /** The product this·other (products concatenated; not normal ordered). */
  multiply(other: FermionOperator): FermionOperator {
    const b = new FermionOperatorBuilder();
    for (const s of this.map.values()) {
      for (const t of other.map.values()) {
        b.add(s.ops.concat(t.ops), s.re * t.re - s.im * t.im, s.re * t.im + s.im * t.re);
      }
    }
    return b.build();
  }

  /** The Hermitian conjugate: each product reversed, creation ↔ annihilation, coefficient conjugated. */
  hermitianConjugate(): FermionOperator {
    const b = new FermionOperatorBuilder();
    for (const t of this.map.values()) {
      const ops = new Array<number>(t.ops.length);
      for (let k = 0; k < t.ops.length; k++) ops[k] = t.ops[t.ops.length - 1 - k] ^ 1;
      b.add(ops, t.re, t.im === 0 ? 0 : -t.im);
    }
    return b.build();
  }

  /** The same operator in normal order (see the module header), terms merged, exact zeros dropped. */
  normalOrdered(): FermionOperator {
    const b = new FermionOperatorBuilder();
    for (const t of this.map.values()) normalOrderTerm(t.ops.slice(), t.re, t.im, b);
    return b.build(0);
  }

  /** Drop terms with |c| < tolerance. */
  simplify(tolerance = 1e-12): FermionOperator {
    const b = new FermionOperatorBuilder();
    for (const t of this.map.values()) b.add(t.ops, t.re, t.im);
    return b.build(tolerance);
  }

  /** Whether this and other are equal as operators (compared in normal order) within tolerance. */
  equals(other: FermionOperator, tolerance = 1e-10): boolean {
    const d = this.subtract(other).normalOrdered();
    for (const t of d.map.values()) if (Math.hypot(t.re, t.im) > tolerance) return false;
    return true;
  }

  /** Whether the operator equals its Hermitian conjugate within tolerance. */
  isHermitian(tolerance = 1e-10): boolean {
    return this.equals(this.hermitianConjugate(), tolerance);
  }

  /** Text form, one term per line: 'c [3^ 1]'. */
  toString(): string {
    if (this.map.size === 0) return '0';
    const lines: string[] = [];
    for (const t of this.map.values()) {
      const c = t.im === 0 ? String(t.re) : `(${t.re}${t.im < 0 ? '-' : '+'}${Math.abs(t.im)}j)`;
      lines.push(`${c} [${t.ops.map((o) => `${o >> 1}${o & 1 ? '^' : ''}`).join(' ')}]`);
    }
    return lines.join(' +\n');
  }
}

/** Accumulates encoded terms with merging; used by the operations above and by the Hamiltonian builder. */
export class FermionOperatorBuilder {
  private readonly map = new Map<string, StoredTerm>();

  /** Add c·(product of encoded ladder operators). The array is copied. */
  add(ops: readonly number[], re: number, im: number): void {
    const key = keyOf(ops);
    const t = this.map.get(key);
    if (t) {
      t.re += re;
      t.im += im;
    } else {
      this.map.set(key, { ops: ops.slice(), re, im });
    }
  }

  /** The operator with terms of |c| < tolerance dropped (exact zeros always dropped). */
  build(tolerance = 0): FermionOperator {
    const map = new Map<string, StoredTerm>();
    for (const [k, t] of this.map) {
      const a = Math.hypot(t.re, t.im);
      if (a > 0 && a >= tolerance) map.set(k, t);
    }
    // The constructor is private to keep terms consistent; this builder is the only other producer.
    return FermionOperator['create'](map);
  }
}

/**
 * Bring one product to normal order by adjacent swaps (insertion sort), emitting the δ-terms of
 * a_p a†_p = 1 − a†_p a_p recursively. Order key: creation before annihilation, then descending mode.
 */
function normalOrderTerm(ops: number[], re: number, im: number, out: FermionOperatorBuilder): void {
  let sign = 1;
  for (let i = 1; i < ops.length; i++) {
    for (let j = i; j > 0; j--) {
      const left = ops[j - 1];
      const right = ops[j];
      const leftCreation = left & 1;
      const rightCreation = right & 1;
      const leftMode = left >> 1;
      const rightMode = right >> 1;
      if (leftCreation === rightCreation) {
        if (leftMode === rightMode) return; // a_p a_p = a†_p a†_p = 0
        if (leftMode > rightMode) break; // already in descending order
        ops[j - 1] = right;
        ops[j] = left;
        sign = -sign;
      } else if (rightCreation === 1) {
        // annihilation left of a creation: a_l a†_r = δ_lr − a†_r a_l
        if (leftMode === rightMode) {
          const reduced = ops.slice(0, j - 1).concat(ops.slice(j + 1));
          normalOrderTerm(reduced, sign * re, sign * im, out);
        }
        ops[j - 1] = right;
        ops[j] = left;
        sign = -sign;
      } else {
        break; // creation left of annihilation: in order
      }
    }
  }
  out.add(ops, sign * re, sign * im);
}

/**
 * The electronic Hamiltonian over 2n spin orbitals (interleaved, 2p = α, 2p+1 = β):
 *   H = constant + Σ_pqσ h_pq a†_pσ a_qσ + ½ Σ_pqrs Σ_στ (pq|rs) a†_pσ a†_rτ a_sτ a_qσ.
 * Products that vanish identically (a†_pσ a†_pσ) are left out; the result is not normal ordered
 * beyond that (each two-body product is already creation-before-annihilation).
 */
export function fermionOperatorFromHamiltonian(ham: MolecularHamiltonian): FermionOperator {
  const b = new FermionOperatorBuilder();
  if (ham.constantHartree !== 0) b.add([], ham.constantHartree, 0);
  forEachHamiltonianProduct(ham, (ops, length, coefficient) => b.add(Array.from(ops.subarray(0, length)), coefficient, 0));
  return b.build();
}

/**
 * Visits every non-zero product of the electronic Hamiltonian above except the constant, as encoded
 * ladder operators (2·mode + 1 creation, 2·mode annihilation) in ops[0 … length−1]:
 * a†_pσ a_qσ with coefficient h_pq, and a†_pσ a†_rτ a_sτ a_qσ with ½(pq|rs) (vanishing a†a† pairs
 * skipped). `ops` is reused between calls. Shared by {@link fermionOperatorFromHamiltonian} and the
 * direct qubit mapping, so both expand exactly the same terms.
 */
export function forEachHamiltonianProduct(
  ham: MolecularHamiltonian,
  visit: (ops: Int32Array, length: number, coefficient: number) => void,
): void {
  const n = ham.nOrbitals;
  const ops = new Int32Array(4);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      const h = ham.oneBody[p * n + q];
      if (h === 0) continue;
      for (let s = 0; s < 2; s++) {
        ops[0] = 2 * (2 * p + s) + 1;
        ops[1] = 2 * (2 * q + s);
        visit(ops, 2, h);
      }
    }
  }
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      for (let r = 0; r < n; r++) {
        for (let s = 0; s < n; s++) {
          const g = ham.twoBody[((p * n + q) * n + r) * n + s];
          if (g === 0) continue;
          for (let sigma = 0; sigma < 2; sigma++) {
            for (let tau = 0; tau < 2; tau++) {
              const P = 2 * p + sigma;
              const Q = 2 * q + sigma;
              const R = 2 * r + tau;
              const S = 2 * s + tau;
              if (P === R || Q === S) continue;
              ops[0] = 2 * P + 1;
              ops[1] = 2 * R + 1;
              ops[2] = 2 * S;
              ops[3] = 2 * Q;
              visit(ops, 4, 0.5 * g);
            }
          }
        }
      }
    }
  }
}
