/**
 * A 4×4 double-precision micro-kernel in WebAssembly SIMD (f64x2), for the density-fitted Fock
 * build and factor transform (./density-fitting-kernel.ts). The module is assembled here from its
 * bytes (no toolchain); it exports its memory `m` and one function
 *
 *   k(a, b, n, out):  out[c·4 + q] = Σ_{p<n} A[p·4 + q] · B[p·4 + c]   (q, c = 0…3, n ≥ 1)
 *
 * with a, b, out byte offsets of float64 data in `m`: A and B are panels [p][4] as packed by the
 * GEMM-style loops, the 4×4 result is stored column by column. Per p it loads A as two f64x2
 * vectors, splats the four B values and does 8 vector multiply–adds (16 scalar ones).
 */

/** Unsigned LEB128. */
function leb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

/** The module's bytes (see the file header). */
export function tileKernelBytes(): Uint8Array {
  const A = 0, B = 1, N = 2, OUT = 3, VA0 = 12, VA1 = 13, S = 14, END = 15;
  const get = (i: number): number[] => [0x20, i];
  const set = (i: number): number[] => [0x21, i];
  const mulAdd = (acc: number, va: number): number[] => [...get(acc), ...get(va), ...get(S), 0xfd, 0xf2, 0x01, 0xfd, 0xf0, 0x01, ...set(acc)];
  const splat = (offset: number): number[] => [...get(B), 0x2b, 0x03, offset, 0xfd, 0x14, ...set(S)];
  const body: number[] = [
    // locals: 11 v128 (accumulators 4…11, a vectors 12, 13, splat 14), 1 i32 (end pointer 15)
    0x02, 0x0b, 0x7b, 0x01, 0x7f,
    ...get(A), ...get(N), 0x41, 0x05, 0x74, 0x6a, ...set(END),
    0x03, 0x40,
    ...get(A), 0xfd, 0x00, 0x03, 0x00, ...set(VA0),
    ...get(A), 0xfd, 0x00, 0x03, 0x10, ...set(VA1),
    ...splat(0x00), ...mulAdd(4, VA0), ...mulAdd(5, VA1),
    ...splat(0x08), ...mulAdd(6, VA0), ...mulAdd(7, VA1),
    ...splat(0x10), ...mulAdd(8, VA0), ...mulAdd(9, VA1),
    ...splat(0x18), ...mulAdd(10, VA0), ...mulAdd(11, VA1),
    ...get(A), 0x41, 0x20, 0x6a, ...set(A),
    ...get(B), 0x41, 0x20, 0x6a, ...set(B),
    ...get(A), ...get(END), 0x49, 0x0d, 0x00,
    0x0b,
  ];
  for (let c = 0; c < 8; c++) body.push(...get(OUT), ...get(4 + c), 0xfd, 0x0b, 0x03, c * 16);
  body.push(0x0b);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]),
    ...section(3, [0x01, 0x00]),
    ...section(5, [0x01, 0x00, 0x01]),
    ...section(7, [0x02, 0x01, 0x6b, 0x00, 0x00, 0x01, 0x6d, 0x02, 0x00]),
    ...section(10, [0x01, ...leb(body.length), ...body]),
  ];
  return Uint8Array.from(bytes);
}

/** The parts of the WebAssembly API used here (the project compiles without the DOM typings). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** One instance of the kernel: its memory and k (byte offsets, see the file header). */
export interface TileKernelInstance {
  memory: WasmMemory;
  k: (a: number, b: number, n: number, out: number) => void;
}

let compiled: object | null | undefined;

/**
 * A new instance of the kernel whose memory holds at least `bytes`, or undefined when this runtime
 * lacks WebAssembly SIMD.
 */
export function tileKernelInstance(bytes: number): TileKernelInstance | undefined {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (compiled === undefined) {
    try {
      compiled = api ? new api.Module(tileKernelBytes()) : null;
    } catch {
      compiled = null;
    }
  }
  if (!compiled || !api) return undefined;
  const instance = new api.Instance(compiled, {});
  const memory = instance.exports.m as WasmMemory;
  const pages = Math.ceil(bytes / 65536);
  const have = memory.buffer.byteLength / 65536;
  if (pages > have) memory.grow(pages - have);
  return { memory, k: instance.exports.k as TileKernelInstance['k'] };
}
