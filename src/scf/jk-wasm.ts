/**
 * The restricted J/K scatter of ./jk.ts as a WebAssembly SIMD (f64x2) kernel, for packed integrals
 * that live in a shared WebAssembly memory (../integrals allocates large sets there, with spare room
 * for the densities and accumulators after them; core's wasmBackingOf finds it).
 *
 * The kernel walks rows p of a chunk exactly as scatterRestricted does: for each (pq), each r and
 * the run of s below the last, the six partner contributions of (pq|rs)
 *
 *   J_pq += v D_rs,  J_rs += v D_pq,  K_pr += v D_qs,  K_qr += v D_ps,  K_ps += v D_qr,  K_qs += v D_pr
 *
 * read and write rows r, p and q of the matrices at consecutive s, two s at a time; the last s of
 * each run (where r = s or rs = pq can halve the weight) is done on its own. The p = q factor ½ is
 * folded into the row constants and the final sums. The JavaScript loop spends about 4 ns per
 * integral on scalar loads and bounds checks; this kernel about 1.1 ns (one thread, 246 functions,
 * measured on the development machine), which brings the pass near the memory's streaming rate.
 * Sums run in two lanes, so results differ from the JavaScript loop in the last bits (about 1e-14
 * relative); the chunk plan still fixes every bit regardless of which thread runs a chunk.
 *
 * Exported function j(v, pBegin, pEnd, n, dJ, dK, J, K): byte offsets of the chunk's first
 * integral, the densities and the chunk's accumulators (n×n row-major, zeroed by the caller); the
 * accumulators receive one triangle of J and one orientation of K, as in ./jk.ts.
 */
import { wasm, type WasmMemory } from '../core/index.js';

const {
  BLOCK, BR_IF_0, END, F64, F64_ADD, F64_MUL, F64X2_ADD, F64X2_MUL, F64X2_SPLAT, I32, I32_ADD, I32_AND,
  I32_EQ, I32_EQZ, I32_GE_U, I32_LE_U, I32_LT_U, I32_MUL, I32_SHL, I32_SHR_U, IF, LOOP, SELECT, V128,
  V128_ZERO, f64, f64Load, f64Store, f64x2Lane, get, i32, leb, section, set, tee, v128Load, v128Store,
} = wasm;

/** Instructions of j (see the file header), with its local declarations. */
function scatterBody(): number[] {
  // params (i32): value pointer, first row, end row, n, dJ, dK, J, K
  const V = 0, P_BEGIN = 1, P_END = 2, N = 3, DJ = 4, DK = 5, JM = 6, KM = 7;
  let l = 8;
  const P = l++, Q = l++, R = l++, S_MAX = l++, IJ = l++, KL = l++, ROW_P = l++, ROW_Q = l++, ROW_R = l++, O = l++, O_END = l++, N8 = l++, A = l++;
  const nI32 = l - 8;
  const f0 = l;
  const FPQ = l++, DPQ2 = l++, DKPR = l++, DKQR = l++, JPQ = l++, KPR = l++, KQR = l++, X = l++, G = l++;
  const nF64 = l - f0;
  const v0 = l;
  const JV = l++, KPRV = l++, KQRV = l++, VV = l++, S_DPQ2 = l++, S_DKPR = l++, S_DKQR = l++;
  const nV128 = l - v0;
  const b: number[] = [0x03, ...leb(nI32), I32, ...leb(nF64), F64, ...leb(nV128), V128];
  const hsum = (v: number): number[] => [...get(v), ...f64x2Lane(0), ...get(v), ...f64x2Lane(1), F64_ADD];
  /** Byte address base + row + index·8. */
  const element = (base: number, row: number, index: number): number[] => [...get(base), ...get(row), I32_ADD, ...get(index), ...i32(3), I32_SHL, I32_ADD];
  /** Byte address base + row + o (o a byte offset). */
  const at = (base: number, row: number): number[] => [...get(base), ...get(row), I32_ADD, ...get(O), I32_ADD];
  /** mem[address on the stack] += x · y as f64 (x, y locals). */
  const addProduct = (x: number, y: number): number[] => [...tee(A), ...get(A), ...f64Load(0), ...get(x), ...get(y), F64_MUL, F64_ADD, ...f64Store(0)];
  /** mem[address on the stack] += x · y as f64x2 (x, y locals). */
  const addProductV = (x: number, y: number): number[] => [...tee(A), ...get(A), ...v128Load(0), ...get(x), ...get(y), ...F64X2_MUL, ...F64X2_ADD, ...v128Store(0)];
  /** acc += x · mem[address on the stack] as f64x2. */
  const accumulateV = (acc: number, x: number, address: number[]): number[] => [...get(acc), ...get(x), ...address, ...v128Load(0), ...F64X2_MUL, ...F64X2_ADD, ...set(acc)];
  const accumulate = (acc: number, x: number, address: number[]): number[] => [...get(acc), ...get(x), ...address, ...f64Load(0), F64_MUL, F64_ADD, ...set(acc)];

  b.push(...get(N), ...i32(3), I32_SHL, ...set(N8));
  b.push(...get(P_BEGIN), ...get(P_BEGIN), ...i32(1), I32_ADD, I32_MUL, ...i32(1), I32_SHR_U, ...set(IJ)); // ij = pBegin(pBegin+1)/2
  b.push(...get(P_BEGIN), ...set(P));
  b.push(...BLOCK, ...get(P), ...get(P_END), I32_GE_U, ...BR_IF_0);
  b.push(...LOOP); // p
  b.push(...get(P), ...get(N8), I32_MUL, ...set(ROW_P), ...i32(0), ...set(Q));
  b.push(...LOOP); // q ≤ p
  b.push(...get(Q), ...get(N8), I32_MUL, ...set(ROW_Q));
  b.push(...f64(0.5), ...f64(1), ...get(P), ...get(Q), I32_EQ, SELECT, ...set(FPQ));
  b.push(...get(DJ), ...get(ROW_P), I32_ADD, ...get(Q), ...i32(3), I32_SHL, I32_ADD, ...f64Load(0), ...f64(2), F64_MUL, ...get(FPQ), F64_MUL, ...tee(DPQ2), ...F64X2_SPLAT, ...set(S_DPQ2));
  b.push(...V128_ZERO, ...set(JV), ...f64(0), ...set(JPQ), ...i32(0), ...set(KL), ...i32(0), ...set(R));
  b.push(...LOOP); // r ≤ p
  b.push(...get(R), ...get(N8), I32_MUL, ...set(ROW_R));
  b.push(...get(R), ...get(Q), ...get(R), ...get(P), I32_LT_U, SELECT, ...set(S_MAX)); // sMax = r < p ? r : q
  b.push(...element(DK, ROW_P, R), ...f64Load(0), ...get(FPQ), F64_MUL, ...tee(DKPR), ...F64X2_SPLAT, ...set(S_DKPR));
  b.push(...element(DK, ROW_Q, R), ...f64Load(0), ...get(FPQ), F64_MUL, ...tee(DKQR), ...F64X2_SPLAT, ...set(S_DKQR));
  b.push(...V128_ZERO, ...set(KPRV), ...V128_ZERO, ...set(KQRV), ...f64(0), ...set(KPR), ...f64(0), ...set(KQR));
  b.push(...get(S_MAX), ...i32(-2), I32_AND, ...i32(3), I32_SHL, ...set(O_END), ...i32(0), ...set(O));
  // Pairs of s below sMax.
  b.push(...BLOCK, ...get(O_END), I32_EQZ, ...BR_IF_0, ...LOOP);
  b.push(...get(V), ...v128Load(0), ...set(VV));
  b.push(...accumulateV(JV, VV, at(DJ, ROW_R)));
  b.push(...at(JM, ROW_R), ...addProductV(VV, S_DPQ2));
  b.push(...accumulateV(KPRV, VV, at(DK, ROW_Q)));
  b.push(...accumulateV(KQRV, VV, at(DK, ROW_P)));
  b.push(...at(KM, ROW_P), ...addProductV(VV, S_DKQR));
  b.push(...at(KM, ROW_Q), ...addProductV(VV, S_DKPR));
  b.push(...get(V), ...i32(16), I32_ADD, ...set(V));
  b.push(...get(O), ...i32(16), I32_ADD, ...tee(O), ...get(O_END), I32_LT_U, ...BR_IF_0, END, END);
  // One s at offset o with weight g (x = v·g; the row constants already hold the p = q factor).
  const single = (): number[] => [
    ...get(V), ...f64Load(0), ...get(G), F64_MUL, ...set(X), ...get(V), ...i32(8), I32_ADD, ...set(V),
    ...accumulate(JPQ, X, at(DJ, ROW_R)),
    ...at(JM, ROW_R), ...addProduct(X, DPQ2),
    ...accumulate(KPR, X, at(DK, ROW_Q)),
    ...accumulate(KQR, X, at(DK, ROW_P)),
    ...at(KM, ROW_P), ...addProduct(X, DKQR),
    ...at(KM, ROW_Q), ...addProduct(X, DKPR),
    ...get(O), ...i32(8), I32_ADD, ...set(O),
  ];
  // The odd s below sMax (weight 1), then s = sMax with ½ for r = s and ½ for rs = pq.
  b.push(...get(S_MAX), ...i32(1), I32_AND, ...IF, ...f64(1), ...set(G), ...single(), END);
  b.push(...get(KL), ...get(S_MAX), I32_ADD, ...set(KL));
  b.push(...f64(0.5), ...f64(1), ...get(R), ...get(S_MAX), I32_EQ, SELECT, ...f64(0.5), ...f64(1), ...get(KL), ...get(IJ), I32_EQ, SELECT, F64_MUL, ...set(G));
  b.push(...single());
  b.push(...get(KL), ...i32(1), I32_ADD, ...set(KL));
  // K_pr += fpq·(kpr), K_qr += fpq·(kqr)
  b.push(...element(KM, ROW_P, R), ...tee(A), ...get(A), ...f64Load(0), ...get(KPR), ...hsum(KPRV), F64_ADD, ...get(FPQ), F64_MUL, F64_ADD, ...f64Store(0));
  b.push(...element(KM, ROW_Q, R), ...tee(A), ...get(A), ...f64Load(0), ...get(KQR), ...hsum(KQRV), F64_ADD, ...get(FPQ), F64_MUL, F64_ADD, ...f64Store(0));
  b.push(...get(R), ...i32(1), I32_ADD, ...tee(R), ...get(P), I32_LE_U, ...BR_IF_0, END); // next r
  // J_pq += 2·fpq·(jpq)
  b.push(...element(JM, ROW_P, Q), ...tee(A), ...get(A), ...f64Load(0), ...get(JPQ), ...hsum(JV), F64_ADD, ...get(FPQ), ...f64(2), F64_MUL, F64_MUL, F64_ADD, ...f64Store(0));
  b.push(...get(IJ), ...i32(1), I32_ADD, ...set(IJ));
  b.push(...get(Q), ...i32(1), I32_ADD, ...tee(Q), ...get(P), I32_LE_U, ...BR_IF_0, END); // next q
  b.push(...get(P), ...i32(1), I32_ADD, ...tee(P), ...get(P_END), I32_LT_U, ...BR_IF_0, END); // next p
  b.push(END, END);
  return b;
}

/** The module's bytes: imports a shared memory env.m (up to 4 GiB), exports j. */
export function jkKernelBytes(): Uint8Array {
  const body = scatterBody();
  return Uint8Array.from([
    ...wasm.WASM_HEADER,
    ...section(1, [0x01, 0x60, 0x08, ...new Array<number>(8).fill(I32), 0x00]),
    // import "env" "m": memory, limits flag 3 (maximum given, shared), minimum 0, maximum 65536 pages
    ...section(2, [0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x6d, 0x02, 0x03, ...leb(0), ...leb(65536)]),
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, 0x01, 0x6a, 0x00, 0x00]),
    ...section(10, [0x01, ...leb(body.length), ...body]),
  ]);
}

/** The kernel j (byte offsets; see the file header). */
export type JkKernel = (v: number, pBegin: number, pEnd: number, n: number, dJ: number, dK: number, j: number, k: number) => void;

let compiled: object | null | undefined;
/** One instance per memory (weakly held: an instance must not keep gigabytes of integrals alive). */
const kernels = new WeakMap<WasmMemory, JkKernel>();

/** The kernel over `memory`, or undefined when this runtime lacks WebAssembly SIMD. */
export function jkKernel(memory: WasmMemory): JkKernel | undefined {
  const known = kernels.get(memory);
  if (known) return known;
  const api = wasm.wasmApi();
  if (compiled === undefined) {
    try {
      compiled = api ? new api.Module(jkKernelBytes()) : null;
    } catch {
      compiled = null;
    }
  }
  if (!compiled || !api) return undefined;
  const kernel = new api.Instance(compiled, { env: { m: memory } }).exports.j as JkKernel;
  kernels.set(memory, kernel);
  return kernel;
}
