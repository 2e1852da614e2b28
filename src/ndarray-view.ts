/**
 * Zero-copy `ndarray` views of imc-sim matrices, for notebook users who index with `m.get(k, j)`.
 * Our matrices are column-major `[K, N]`, which ndarray expresses with strides `[1, K]`.
 */
import ndarray, { type NdArray } from 'ndarray';
import type { IntMatrix } from '../formats/types.js';
import type { FloatMatrix } from './prep/matrix.js';

/**
 * View a `[K, N]` matrix as an ndarray without copying.
 * @example asNdarray(prepared.q).get(k, j) // the integer weight of row k (fan-in), column j (output)
 */
export function asNdarray(m: IntMatrix): NdArray<Int16Array>;
export function asNdarray(m: FloatMatrix): NdArray<Float64Array>;
export function asNdarray(m: IntMatrix | FloatMatrix): NdArray<Int16Array> | NdArray<Float64Array> {
  return ndarray(m.data as Int16Array & Float64Array, [m.rows, m.cols], [1, m.rows], 0);
}

/** View row-major `[B, N]` outputs (or `[B, K]` inputs) as an ndarray. */
export function rowMajorNdarray<T extends Float64Array | Int32Array>(data: T, rows: number, cols: number): NdArray<T> {
  return ndarray(data, [rows, cols], [cols, 1], 0);
}
