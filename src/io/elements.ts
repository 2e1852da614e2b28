/**
 * Raw element bytes → {@link TensorData}: the one place that knows item sizes, byte order,
 * alignment and widening, shared by the npy and safetensors readers.
 *
 * Fast path: when the bytes are native-endian and their offset is a multiple of the item size, the
 * result is a typed-array **view** on the caller's buffer (zero copy; it shares memory with it).
 * Otherwise the bytes are copied once (`slice` yields a fresh, aligned buffer) and byte-swapped in place.
 */
import { InputError } from '../../errors.js';
import type { DType, TensorData } from './tensor.js';
import { widenBfloat16, widenFloat16, widenFloat8E4m3, widenFloat8E5m2 } from './float-widen.js';

/** Bytes per element as stored in a file. */
export const ITEM_BYTES: Readonly<Record<DType, number>> = {
  bool: 1, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8,
  float16: 2, bfloat16: 2, float8_e4m3: 1, float8_e5m2: 1, float32: 4, float64: 8,
};

/** True on little-endian hosts (every platform Node 20 ships for, but we do not assume it). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Product of the dimensions, checked to stay a safe integer.
 * @throws InputError `BAD_SHAPE` when the product passes 2^53 (`where` names the file).
 */
export function shapeNumel(shape: readonly number[], where: string): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  if (!Number.isSafeInteger(n)) {
    // A zero dimension makes any product 0; only a genuinely huge product lands here.
    throw new InputError('BAD_SHAPE', `${where}: shape (${shape.join(', ')}) has more than 2^53 elements; the header is corrupt`);
  }
  return n;
}

type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TensorData;

/** The typed array that holds the *raw* file elements of a dtype (before widening). */
function rawCtor(dtype: DType): ViewCtor {
  switch (dtype) {
    case 'bool': case 'uint8': case 'float8_e4m3': case 'float8_e5m2': return Uint8Array;
    case 'int8': return Int8Array;
    case 'int16': return Int16Array;
    case 'uint16': case 'float16': case 'bfloat16': return Uint16Array;
    case 'int32': return Int32Array;
    case 'uint32': return Uint32Array;
    case 'int64': return BigInt64Array;
    case 'uint64': return BigUint64Array;
    case 'float32': return Float32Array;
    case 'float64': return Float64Array;
  }
}

/** Reverse the bytes of every `size`-byte item in place. */
function byteSwapInPlace(b: Uint8Array, size: number): void {
  const n = b.length;
  if (size === 2) {
    for (let i = 0; i < n; i += 2) {
      const t = b[i]!; b[i] = b[i + 1]!; b[i + 1] = t;
    }
  } else if (size === 4) {
    for (let i = 0; i < n; i += 4) {
      const t0 = b[i]!, t1 = b[i + 1]!;
      b[i] = b[i + 3]!; b[i + 1] = b[i + 2]!; b[i + 2] = t1; b[i + 3] = t0;
    }
  } else if (size === 8) {
    for (let i = 0; i < n; i += 8) {
      for (let k = 0; k < 4; k++) {
        const t = b[i + k]!; b[i + k] = b[i + 7 - k]!; b[i + 7 - k] = t;
      }
    }
  }
}

/**
 * Interpret `raw` (exactly `numel × ITEM_BYTES[dtype]` bytes) as elements of `dtype`.
 * @param littleEndian - byte order of the file's elements (ignored for 1-byte types).
 * @returns a view on `raw`'s buffer when possible, else a fresh array; bool normalised to 0/1,
 *   float16/bfloat16/float8 widened to Float32Array.
 */
export function decodeElements(raw: Uint8Array, dtype: DType, numel: number, littleEndian: boolean): TensorData {
  const size = ITEM_BYTES[dtype];
  if (raw.length !== numel * size) throw new Error(`decodeElements: ${raw.length} bytes for ${numel} × ${size}`); // caller bug
  const swap = size > 1 && littleEndian !== HOST_LITTLE_ENDIAN;
  let bytes = raw;
  if (swap || raw.byteOffset % size !== 0) {
    // A fresh ArrayBuffer at offset 0: aligned, and ours to swap. (Not raw.slice(): on a Node Buffer
    // slice() returns a view on the same memory.)
    bytes = new Uint8Array(raw);
    if (swap) byteSwapInPlace(bytes, size);
  }
  const elems = new (rawCtor(dtype))(bytes.buffer, bytes.byteOffset, numel);
  switch (dtype) {
    case 'float16': return widenFloat16(elems as Uint16Array);
    case 'bfloat16': return widenBfloat16(elems as Uint16Array);
    case 'float8_e4m3': return widenFloat8E4m3(elems as Uint8Array);
    case 'float8_e5m2': return widenFloat8E5m2(elems as Uint8Array);
    case 'bool': return normaliseBool(elems as Uint8Array);
    default: return elems;
  }
}

/** numpy and safetensors treat any nonzero bool byte as True; consumers get exactly 0/1. */
function normaliseBool(b: Uint8Array): Uint8Array {
  let clean = true;
  for (let i = 0; i < b.length; i++) if (b[i]! > 1) { clean = false; break; }
  if (clean) return b;
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b[i] !== 0 ? 1 : 0;
  return out;
}

/**
 * Reorder a Fortran-order (column-major) array into C order.
 * Walks the C-order output with an odometer over the multi-index and keeps the Fortran offset
 * incrementally, so each element costs one load and one store.
 */
export function fortranToC<T extends TensorData>(src: T, shape: readonly number[]): T {
  const nd = shape.length;
  const n = src.length;
  if (nd < 2 || n === 0) return src; // 0-d and 1-d: both orders coincide
  const dst = new (src.constructor as new (n: number) => T)(n);
  // Fortran strides: stride[0] = 1, stride[k] = stride[k-1] · shape[k-1]
  const stride = new Float64Array(nd);
  stride[0] = 1;
  for (let k = 1; k < nd; k++) stride[k] = stride[k - 1]! * shape[k - 1]!;
  const idx = new Float64Array(nd);
  const last = nd - 1;
  const lastDim = shape[last]!;
  const lastStride = stride[last]!;
  let f = 0;
  const s = src as unknown as { [i: number]: number | bigint };
  const d = dst as unknown as { [i: number]: number | bigint };
  for (let c = 0; c < n; ) {
    // inner run along the last (fastest C) axis
    for (let j = 0; j < lastDim; j++, c++) d[c] = s[f + j * lastStride]!;
    // carry into the outer axes
    let k = last - 1;
    while (k >= 0) {
      idx[k]!++;
      f += stride[k]!;
      if (idx[k]! < shape[k]!) break;
      f -= stride[k]! * shape[k]!;
      idx[k] = 0;
      k--;
    }
  }
  return dst;
}
