/**
 * An n-d array as read from a file: dtype, shape and the elements in **C order** (readers convert
 * Fortran-order and big-endian data on the way in, so every consumer sees one layout).
 */

/**
 * numpy-style dtype names the readers produce. `float16`, `bfloat16` and the float8 kinds are widened to
 * float32 on read. `float8_e4m3` is the OCP "e4m3fn" variant (finite only, NaN = 0x7F/0xFF; safetensors
 * `F8_E4M3`, `torch.float8_e4m3fn`); `float8_e5m2` is safetensors `F8_E5M2` / `torch.float8_e5m2`.
 */
export type DType =
  | 'bool' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'float16' | 'bfloat16' | 'float8_e4m3' | 'float8_e5m2' | 'float32' | 'float64';

/** Storage per dtype: 64-bit integers are held as BigInt arrays; bool as Uint8Array of 0/1; float16/bfloat16/float8 as Float32Array (exact widening). */
export type TensorData =
  | Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

export interface Tensor {
  /** Name inside its container (`fc1.weight`, `arr_0`); the file's base name for a lone `.npy`. */
  readonly name: string;
  /** dtype as stored in the file (before any widening for storage). */
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** prod(shape) elements, C order, native byte order. */
  readonly data: TensorData;
}
