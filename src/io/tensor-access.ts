/**
 * Element access for consumers that want plain numbers: one conversion from any {@link TensorData}
 * to Float64Array, with the one lossy case (64-bit integers past 2^53) refused instead of rounded.
 */
import { InputError } from '../../errors.js';
import type { Tensor } from './tensor.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Every element of `t` as a float64, C order. Exact for every dtype except int64/uint64 values
 * beyond ±2^53, which throw instead of rounding silently.
 * @throws InputError `INT64_RANGE` naming the tensor and the offending index.
 * @example tensorToFloat64({ name: 'b', dtype: 'int64', shape: [2], data: new BigInt64Array([1n, -2n]) }) // Float64Array [1, -2]
 */
export function tensorToFloat64(t: Tensor): Float64Array {
  const src = t.data;
  const n = src.length;
  if (src instanceof Float64Array) return src.slice();
  const out = new Float64Array(n);
  if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) {
      const v = src[i]!;
      if (v > MAX_SAFE || v < -MAX_SAFE) {
        throw new InputError(
          'INT64_RANGE',
          `${t.name}: element ${i} is ${v}, beyond ±2^53 where float64 stops being exact; store the array as int32 or float`,
        );
      }
      out[i] = Number(v);
    }
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = src[i]!;
  return out;
}

/** Number of elements a shape holds (1 for a 0-d scalar). */
export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}
