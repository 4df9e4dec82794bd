/**
 * Large shared arrays that WebAssembly kernels can read in place.
 *
 * A kernel can only address its own linear memory, and copying gigabytes of data into it for every
 * pass would cost as much as the pass. An array that a kernel will stream (the packed
 * electron-repulsion integrals) is therefore allocated inside a shared WebAssembly.Memory, with a
 * spare region after it for the kernel's own operands and results. The memory's buffer is a
 * SharedArrayBuffer, so worker threads read the array in place as before, and the memory object
 * itself can be posted to them so that their kernels address the same bytes.
 *
 * WebAssembly memories hold at most 4 GiB (65,536 pages) and each reserves address space of its
 * own, so only large arrays that fit go there; callers fall back to a plain SharedArrayBuffer.
 */
import { WASM_PAGE_BYTES, wasmApi, type WasmMemory } from './wasm-assembly.js';

export type { WasmMemory } from './wasm-assembly.js';

/** Pages of the largest WebAssembly memory (4 GiB). */
const MAX_PAGES = 65536;

/** Where an array allocated by {@link sharedWasmFloat64Array} lives. */
export interface WasmBacking {
  /** The shared memory holding the array (at byte offset 0) and its spare region. */
  readonly memory: WasmMemory;
  /** Byte offset of the spare region (8-byte aligned). */
  readonly spareOffset: number;
  /** Bytes of the spare region. */
  readonly spareBytes: number;
}

const backings = new WeakMap<object, WasmBacking>();

/**
 * A zeroed Float64Array of `length` at byte offset 0 of a new shared WebAssembly memory with at least
 * `spareBytes` after it, or undefined when this runtime has no shared WebAssembly memory or the
 * whole does not fit in 4 GiB (the caller then allocates elsewhere).
 */
export function sharedWasmFloat64Array(length: number, spareBytes: number): Float64Array | undefined {
  const api = wasmApi();
  if (!api) return undefined;
  const arrayBytes = 8 * length;
  const pages = Math.ceil((arrayBytes + spareBytes) / WASM_PAGE_BYTES);
  if (pages > MAX_PAGES) return undefined;
  let memory: WasmMemory;
  try {
    memory = new api.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    // no shared memories here, or the address space for another one is exhausted
    return undefined;
  }
  const array = new Float64Array(memory.buffer, 0, length);
  backings.set(memory.buffer, { memory, spareOffset: arrayBytes, spareBytes: pages * WASM_PAGE_BYTES - arrayBytes });
  return array;
}

/** The WebAssembly memory of an array from {@link sharedWasmFloat64Array} (in this thread), else undefined. */
export function wasmBackingOf(array: Float64Array): WasmBacking | undefined {
  return backings.get(array.buffer);
}
