/**
 * Arrays in shared WebAssembly memories (./wasm-memory.ts): where they live, the spare room after
 * them, and the refusal of anything a 4 GiB memory cannot hold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedWasmFloat64Array, wasmBackingOf } from './wasm-memory.js';

test('a wasm-backed array sits at offset 0 of a shared memory with the spare room asked for after it', () => {
  const length = 100_003;
  const spare = 3 * 8 * 1000;
  const array = sharedWasmFloat64Array(length, spare);
  assert.ok(array, 'this runtime has shared WebAssembly memories');
  assert.equal(array.length, length);
  assert.ok(array.buffer instanceof SharedArrayBuffer);
  assert.equal(array.byteOffset, 0);
  assert.ok(array.every((x) => x === 0));
  const backing = wasmBackingOf(array);
  assert.ok(backing);
  assert.equal(backing.memory.buffer, array.buffer);
  assert.equal(backing.spareOffset, 8 * length);
  assert.ok(backing.spareBytes >= spare);
  assert.equal((backing.spareOffset + backing.spareBytes) % 65536, 0, 'the memory ends on a page boundary');
  // Writes through the memory's own view land in the array.
  new Float64Array(backing.memory.buffer)[length - 1] = 2.5;
  assert.equal(array[length - 1], 2.5);
});

test('arrays that a 4 GiB memory cannot hold, and ordinary arrays, have no WebAssembly backing', () => {
  assert.equal(sharedWasmFloat64Array(2 ** 29, 8), undefined, 'exactly 4 GiB plus spare does not fit');
  assert.equal(sharedWasmFloat64Array(2 ** 29 + 1, 0), undefined);
  assert.equal(wasmBackingOf(new Float64Array(8)), undefined);
  assert.equal(wasmBackingOf(new Float64Array(new SharedArrayBuffer(64))), undefined);
});
