/**
 * Byte-level helpers for the WebAssembly modules qde assembles itself (no toolchain): LEB128
 * integers, sections and the instructions its kernels use, following the binary format of the core
 * specification (https://webassembly.github.io/spec/core/binary/) and its SIMD (v128) extension.
 * Kernels build their function bodies as arrays of bytes from these pieces.
 */

/** Unsigned LEB128. */
export function leb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (32-bit values). */
export function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A module section: id, byte length, content. */
export function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

/** The eight bytes that open every module (magic number and version 1). */
export const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Value types. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** local.get i. */
export const get = (i: number): number[] => [0x20, ...leb(i)];
/** local.set i. */
export const set = (i: number): number[] => [0x21, ...leb(i)];
/** local.tee i. */
export const tee = (i: number): number[] => [0x22, ...leb(i)];
/** i32.const v. */
export const i32 = (v: number): number[] => [0x41, ...sleb(v)];
/** f64.const x. */
export const f64 = (x: number): number[] => [0x44, ...new Uint8Array(Float64Array.of(x).buffer)];

// i32 arithmetic and comparisons.
export const I32_EQZ = 0x45;
export const I32_EQ = 0x46;
export const I32_LT_U = 0x49;
export const I32_LE_U = 0x4d;
export const I32_GE_U = 0x4f;
export const I32_ADD = 0x6a;
export const I32_MUL = 0x6c;
export const I32_AND = 0x71;
export const I32_SHL = 0x74;
export const I32_SHR_U = 0x76;

// f64 arithmetic.
export const F64_ADD = 0xa0;
export const F64_MUL = 0xa2;

// Control.
/** block with no result. */
export const BLOCK = [0x02, 0x40];
/** loop with no result. */
export const LOOP = [0x03, 0x40];
/** if with no result. */
export const IF = [0x04, 0x40];
export const ELSE = 0x05;
export const END = 0x0b;
/** br_if to the innermost enclosing block or loop. */
export const BR_IF_0 = [0x0d, 0x00];
/** select: the first operand when the condition (last) is non-zero, else the second. */
export const SELECT = 0x1b;

/** f64.load at address + offset (8-byte alignment hint). */
export const f64Load = (offset: number): number[] => [0x2b, 0x03, ...leb(offset)];
/** f64.store at address + offset (8-byte alignment hint). */
export const f64Store = (offset: number): number[] => [0x39, 0x03, ...leb(offset)];
/** v128.load at address + offset; `align` is the log2 alignment hint (3 for 8-byte data). */
export const v128Load = (offset: number, align = 3): number[] => [0xfd, 0x00, align, ...leb(offset)];
/** v128.store at address + offset; `align` is the log2 alignment hint. */
export const v128Store = (offset: number, align = 3): number[] => [0xfd, 0x0b, align, ...leb(offset)];
/** v128.load64_splat at address + offset. */
export const load64Splat = (offset: number): number[] => [0xfd, 0x0a, 0x03, ...leb(offset)];
/** f64x2.splat of the f64 on the stack. */
export const F64X2_SPLAT = [0xfd, 0x14];
/** f64x2.extract_lane. */
export const f64x2Lane = (lane: number): number[] => [0xfd, 0x21, lane];
export const F64X2_ADD = [0xfd, 0xf0, 0x01];
export const F64X2_MUL = [0xfd, 0xf2, 0x01];
/** v128.const of sixteen zero bytes. */
export const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

/** The parts of the WebAssembly API qde uses (the project compiles without the DOM typings). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

/** Constructors of the global WebAssembly object. */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The WebAssembly API of this runtime, or undefined. */
export function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

/** Bytes per WebAssembly memory page. */
export const WASM_PAGE_BYTES = 65536;
