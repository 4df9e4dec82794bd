/**
 * The double-precision WebAssembly SIMD (f64x2) kernels of qde, assembled here from their bytes (no
 * toolchain), for the blocked GEMM (./gemm.ts) and the density-fitted Fock build
 * (../scf/density-fitting-kernel.ts). One module, memory exported as `m`, two functions; every
 * pointer is a byte offset of float64 data in `m`:
 *
 *   g(a, b, c, mp, np, kc, ldc, acc) — the GEMM macro-kernel. A is mp packed row panels [p][MR]
 *     (panel ip at a + ip·kc·MR·8), B is np packed column panels [p][NR] (panel jp at
 *     b + jp·kc·NR·8), both kc deep. For every panel pair it forms the MR×NR tile
 *     T[r][s] = Σ_{p<kc} A_ip[p][r] · B_jp[p][s] and stores it (acc = 0) or adds it (acc ≠ 0) into
 *     the row-major block at c with a row stride of ldc bytes: C[ip·MR + r][jp·NR + s].
 *     Loop order: B panels outside (one kc×NR panel stays in L1), A panels inside.
 *     Per p the tile loads NR/2 vectors of B and MR splats of A (v128.load64_splat) and does
 *     MR·NR/2 vector multiplies and adds (no fused multiply–add without relaxed SIMD).
 *   k(a, b, n, out) — one 4×4 tile for the density-fitting code:
 *     out[c·4 + q] = Σ_{p<n} A[p·4 + q] · B[p·4 + c]  (q, c = 0…3, n ≥ 1), stored column by column.
 *
 * The register tile is 4×4 (8 f64x2 accumulators, 2 B vectors, a splat and a product: 12 of x64's
 * 16 xmm registers). Measured on the development machine (AMD EPYC, Zen 5) over packed 64×256 and
 * 256×1024 blocks: 4×4 about 12·10⁹ multiply–adds/s on one core, 2×8, 2×6 and 3×4 within 5 % of
 * it, while 4×6, 6×4, 3×6, 5×4 and 8×2 (12 or more accumulators) drop to 5–6·10⁹ (V8 spills).
 */

// V8 compiles typed-array accesses without checks for detached buffers until the first ArrayBuffer
// of the isolate is detached, and then throws away every function compiled that way. Growing a
// WebAssembly memory detaches its old buffer, which a first job did in the middle of its SCF (the
// eigensolver, the Fock build and the density among a dozen functions compiled again). Detaching one
// empty buffer when the kernels' module loads, before anything is compiled, avoids that.
{
  const buffer = new ArrayBuffer(0);
  structuredClone(buffer, { transfer: [buffer] });
}

/** Rows of the GEMM register tile (A splats). */
export const GEMM_MR = 4;
/** Columns of the GEMM register tile (two per f64x2 vector of B). */
export const GEMM_NR = 4;

import {
  END,
  F64X2_ADD,
  F64X2_MUL,
  get,
  i32,
  I32_ADD,
  I32_EQZ,
  I32_LT_U,
  I32_MUL,
  leb,
  load64Splat,
  section,
  set,
  V128_ZERO,
  v128Load,
  v128Store,
  wasmApi,
  type WasmMemory,
} from './wasm-assembly.js';

/** Options of {@link gemmMacroKernelBody} (tile shape and unrolling, for measurement). */
export interface GemmTileShape {
  /** Rows of the tile. */
  mr: number;
  /** f64x2 vectors per tile row (columns = 2·nv). */
  nv: number;
}

/** Code of g (see the file header) for a tile shape: [local declarations, instructions]. */
function gemmMacroKernelBody(shape: GemmTileShape): number[] {
  const { mr, nv } = shape;
  const nr = 2 * nv;
  // params 0 a, 1 b, 2 c, 3 mp, 4 np, 5 kc, 6 ldc, 7 acc
  const A = 0, B = 1, C = 2, MP = 3, NP = 4, KC = 5, LDC = 6, ACC = 7;
  // i32 locals
  const JP = 8, IP = 9, PA = 10, PB = 11, PEND = 12, ROW = 13, BPANEL = 14, APANEL = 15, CCOL = 16;
  const nI32 = 9;
  // v128 locals: accumulators, B vectors, splat
  const V0 = 8 + nI32;
  const acc = (r: number, v: number): number => V0 + r * nv + v;
  const BV = V0 + mr * nv;
  const S = BV + nv;
  const nV128 = mr * nv + nv + 1;
  const body: number[] = [0x02, ...leb(nI32), 0x7f, ...leb(nV128), 0x7b];
  // jp = 0; bpanel = b; ccol = c
  body.push(...i32(0), ...set(JP), ...get(B), ...set(BPANEL), ...get(C), ...set(CCOL));
  body.push(0x03, 0x40); // loop J
  {
    body.push(...i32(0), ...set(IP), ...get(A), ...set(APANEL), ...get(CCOL), ...set(ROW));
    body.push(0x03, 0x40); // loop I
    {
      for (let r = 0; r < mr; r++) for (let v = 0; v < nv; v++) body.push(...V128_ZERO, ...set(acc(r, v)));
      // pa = apanel; pb = bpanel; pend = pa + kc·mr·8
      body.push(...get(APANEL), ...set(PA), ...get(BPANEL), ...set(PB));
      body.push(...get(PA), ...get(KC), ...i32(mr * 8), I32_MUL, I32_ADD, ...set(PEND));
      body.push(0x03, 0x40); // loop P
      for (let v = 0; v < nv; v++) body.push(...get(PB), ...v128Load(16 * v), ...set(BV + v));
      for (let r = 0; r < mr; r++) {
        body.push(...get(PA), ...load64Splat(8 * r), ...set(S));
        for (let v = 0; v < nv; v++) body.push(...get(acc(r, v)), ...get(S), ...get(BV + v), ...F64X2_MUL, ...F64X2_ADD, ...set(acc(r, v)));
      }
      body.push(...get(PA), ...i32(mr * 8), I32_ADD, ...set(PA));
      body.push(...get(PB), ...i32(nr * 8), I32_ADD, ...set(PB));
      body.push(...get(PA), ...get(PEND), I32_LT_U, 0x0d, 0x00, END); // br_if P; end loop P
      // Store or add the tile at row pointer ROW (row stride ldc).
      body.push(...get(ACC), I32_EQZ, 0x04, 0x40); // if acc == 0
      for (let r = 0; r < mr; r++) {
        for (let v = 0; v < nv; v++) body.push(...get(ROW), ...get(acc(r, v)), ...v128Store(16 * v));
        body.push(...get(ROW), ...get(LDC), I32_ADD, ...set(ROW));
      }
      body.push(0x05); // else
      for (let r = 0; r < mr; r++) {
        for (let v = 0; v < nv; v++) {
          body.push(...get(ROW), ...get(ROW), ...v128Load(16 * v), ...get(acc(r, v)), ...F64X2_ADD, ...v128Store(16 * v));
        }
        body.push(...get(ROW), ...get(LDC), I32_ADD, ...set(ROW));
      }
      body.push(END);
      // apanel = pend (panels are contiguous); ip++; loop while ip < mp
      body.push(...get(PEND), ...set(APANEL));
      body.push(...get(IP), ...i32(1), I32_ADD, ...set(IP));
      body.push(...get(IP), ...get(MP), I32_LT_U, 0x0d, 0x00, END);
    }
    // bpanel = pb (end of this B panel); ccol += nr·8; jp++; loop while jp < np
    body.push(...get(PB), ...set(BPANEL));
    body.push(...get(CCOL), ...i32(nr * 8), I32_ADD, ...set(CCOL));
    body.push(...get(JP), ...i32(1), I32_ADD, ...set(JP));
    body.push(...get(JP), ...get(NP), I32_LT_U, 0x0d, 0x00, END);
  }
  body.push(END);
  return body;
}

/** Code of k (see the file header): [local declarations, instructions]. */
function tileKernelBody(): number[] {
  const A = 0, B = 1, N = 2, OUT = 3, VA0 = 12, VA1 = 13, S = 14, PEND = 15;
  const mulAdd = (acc: number, va: number): number[] => [...get(acc), ...get(va), ...get(S), ...F64X2_MUL, ...F64X2_ADD, ...set(acc)];
  const body: number[] = [
    // locals: 11 v128 (accumulators 4…11, a vectors 12, 13, splat 14), 1 i32 (end pointer 15)
    0x02, 0x0b, 0x7b, 0x01, 0x7f,
    ...get(A), ...get(N), ...i32(5), 0x74, I32_ADD, ...set(PEND),
    0x03, 0x40,
    ...get(A), ...v128Load(0), ...set(VA0),
    ...get(A), ...v128Load(16), ...set(VA1),
    ...get(B), ...load64Splat(0), ...set(S), ...mulAdd(4, VA0), ...mulAdd(5, VA1),
    ...get(B), ...load64Splat(8), ...set(S), ...mulAdd(6, VA0), ...mulAdd(7, VA1),
    ...get(B), ...load64Splat(16), ...set(S), ...mulAdd(8, VA0), ...mulAdd(9, VA1),
    ...get(B), ...load64Splat(24), ...set(S), ...mulAdd(10, VA0), ...mulAdd(11, VA1),
    ...get(A), ...i32(32), I32_ADD, ...set(A),
    ...get(B), ...i32(32), I32_ADD, ...set(B),
    ...get(A), ...get(PEND), I32_LT_U, 0x0d, 0x00,
    END,
  ];
  for (let c = 0; c < 8; c++) body.push(...get(OUT), ...get(4 + c), ...v128Store(c * 16));
  body.push(END);
  return body;
}

/** The module's bytes (see the file header); `shape` overrides the GEMM tile (for measurement). */
export function simdKernelBytes(shape: GemmTileShape = { mr: GEMM_MR, nv: GEMM_NR / 2 }): Uint8Array {
  const g = gemmMacroKernelBody(shape);
  const k = tileKernelBody();
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    // types: 0 = (i32 ×8) → (), 1 = (i32 ×4) → ()
    ...section(1, [0x02, 0x60, 0x08, ...new Array<number>(8).fill(0x7f), 0x00, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]),
    ...section(3, [0x02, 0x00, 0x01]),
    ...section(5, [0x01, 0x00, 0x01]),
    // exports: "m" memory 0, "g" func 0, "k" func 1
    ...section(7, [0x03, 0x01, 0x6d, 0x02, 0x00, 0x01, 0x67, 0x00, 0x00, 0x01, 0x6b, 0x00, 0x01]),
    ...section(10, [0x02, ...leb(g.length), ...g, ...leb(k.length), ...k]),
  ];
  return Uint8Array.from(bytes);
}

/** The GEMM macro-kernel g (byte offsets; see the file header). */
export type GemmMacroKernel = (a: number, b: number, c: number, mp: number, np: number, kc: number, ldc: number, acc: number) => void;

/** One instance of the module: its memory, the GEMM macro-kernel g and the 4×4 tile k. */
export interface SimdKernelInstance {
  memory: WasmMemory;
  g: GemmMacroKernel;
  k: (a: number, b: number, n: number, out: number) => void;
}

let compiled: object | null | undefined;

/**
 * The compiled module (a WebAssembly.Module, which worker threads can receive in a message), or
 * null when this runtime lacks WebAssembly SIMD.
 */
export function simdKernelModule(): object | null {
  if (compiled === undefined) {
    const api = wasmApi();
    try {
      compiled = api ? new api.Module(simdKernelBytes()) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * A new instance of the module whose memory holds at least `bytes`, or undefined when this runtime
 * lacks WebAssembly SIMD. `module` defaults to {@link simdKernelModule}.
 */
export function simdKernelInstance(bytes: number, module: object | null = simdKernelModule()): SimdKernelInstance | undefined {
  const api = wasmApi();
  if (!module || !api) return undefined;
  const instance = new api.Instance(module, {});
  const memory = instance.exports.m as WasmMemory;
  const pages = Math.ceil(bytes / 65536);
  const have = memory.buffer.byteLength / 65536;
  if (pages > have) memory.grow(pages - have);
  return { memory, g: instance.exports.g as GemmMacroKernel, k: instance.exports.k as SimdKernelInstance['k'] };
}
