/** fast-check arbitraries for tensors of every writable dtype (shared by the npy/npz/safetensors tests). */
import fc from 'fast-check';
import type { DType, TensorData } from '../../../src/io/tensor.js';

export const WRITABLE_DTYPES = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'] as const;

export interface Arr {
  dtype: DType;
  shape: number[];
  data: TensorData;
}

function dataFor(dtype: (typeof WRITABLE_DTYPES)[number], n: number): fc.Arbitrary<TensorData> {
  const bytes = fc.uint8Array({ minLength: n * 8, maxLength: n * 8 });
  switch (dtype) {
    case 'bool': return fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }).map((a) => Uint8Array.from(a));
    // Any bit pattern is a valid element of the remaining types (NaN payloads included).
    case 'int8': return bytes.map((b) => new Int8Array(b.buffer, 0, n));
    case 'uint8': return bytes.map((b) => new Uint8Array(b.buffer, 0, n));
    case 'int16': return bytes.map((b) => new Int16Array(b.buffer, 0, n));
    case 'uint16': return bytes.map((b) => new Uint16Array(b.buffer, 0, n));
    case 'int32': return bytes.map((b) => new Int32Array(b.buffer, 0, n));
    case 'uint32': return bytes.map((b) => new Uint32Array(b.buffer, 0, n));
    case 'int64': return bytes.map((b) => new BigInt64Array(b.buffer, 0, n));
    case 'uint64': return bytes.map((b) => new BigUint64Array(b.buffer, 0, n));
    case 'float32': return bytes.map((b) => new Float32Array(b.buffer, 0, n));
    case 'float64': return bytes.map((b) => new Float64Array(b.buffer, 0, n));
  }
}

/** A random array: any writable dtype, 0–4 dimensions of 0–5 each, random bit patterns. */
export const arbArray: fc.Arbitrary<Arr> = fc
  .tuple(fc.constantFrom(...WRITABLE_DTYPES), fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }))
  .chain(([dtype, shape]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return dataFor(dtype, n).map((data) => ({ dtype, shape, data }));
  });

/** Bitwise equality of two typed arrays (so NaN payloads and -0 count). */
export function sameBits(a: TensorData, b: TensorData): boolean {
  if (a.constructor !== b.constructor || a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
